//! Behaviour recorded from the real `helm template` (v4.3.1) on tiny charts built here at
//! test time. Expected JSON is what `toJson .Values` / `toJson .Chart.Dependencies` printed.

use std::path::{Path, PathBuf};

use chartroom_chart::{
    check_dependencies, coalesce_values, process_dependencies, validate_values_schema, Chart,
    ValueOptions,
};
use chartroom_template::Value;

struct TempChart(PathBuf);

impl TempChart {
    fn new(name: &str, files: &[(&str, &str)]) -> TempChart {
        // Tests run in parallel and some share a chart (s2): each gets its own directory.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("chartroom-chart-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, content) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
        TempChart(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempChart {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn json(v: &Value) -> String {
    chartroom_yaml::to_json(v).unwrap()
}

fn render_values(chart: &Path, opts: &ValueOptions) -> (String, String) {
    let mut c = Chart::load_dir(chart).unwrap();
    check_dependencies(&c).unwrap();
    let user = opts.merge_values().unwrap();
    process_dependencies(&mut c, &user).unwrap();
    let v = coalesce_values(&c, &user).unwrap();
    validate_values_schema(&c, &v).unwrap();
    let md = c.metadata_value(true);
    let deps = match &md {
        Value::Map(m, _) => m.borrow().get("Dependencies").cloned().unwrap(),
        _ => unreachable!(),
    };
    (json(&v), json(&deps))
}

const S1_CHART: &str = r#"apiVersion: v2
name: s1
version: 1.0.0
dependencies:
  - name: sub
    version: "*"
    alias: first
    import-values:
      - data
      - child: p
        parent: q.r
  - name: sub
    version: "~1.0"
    alias: second
    condition: second.enabled,global.secondOn
  - name: other
    version: 1.x
    tags: [t1, t2]
  - name: gone
    version: "*"
    condition: " gone.on , x"
"#;

fn s1() -> TempChart {
    TempChart::new(
        "s1",
        &[
            ("Chart.yaml", S1_CHART),
            (
                "values.yaml",
                "q: {r: {pp: 100, keep: 1}}\nsecond: {enabled: false}\ntags: {t1: false}\nglobal: {secondOn: true, g: parent}\ngone: {on: true}\n",
            ),
            (
                "charts/sub/Chart.yaml",
                "apiVersion: v2\nname: sub\nversion: 1.0.0\ndependencies:\n  - name: leaf\n    version: \"*\"\n    condition: leaf.enabled\n",
            ),
            (
                "charts/sub/values.yaml",
                "exports:\n  data:\n    ex: 1\n    q: {r: {fromexp: 1}}\np:\n  pp: 2\n  deep: {x: 1}\nleaf:\n  enabled: false\nglobal:\n  g: sub\n  subonly: 1\n",
            ),
            ("charts/sub/charts/leaf/Chart.yaml", "apiVersion: v2\nname: leaf\nversion: 1.0.0\n"),
            ("charts/sub/charts/leaf/values.yaml", "l: 1\n"),
            ("charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 1.0.0\n"),
            ("charts/other/values.yaml", "o: 1\n"),
            ("charts/gone/Chart.yaml", "apiVersion: v2\nname: gone\nversion: 1.0.0\n"),
            ("charts/unlisted/Chart.yaml", "apiVersion: v2\nname: unlisted\nversion: 1.0.0\n"),
            ("charts/unlisted/values.yaml", "u: 1\n"),
        ],
    )
}

#[test]
fn aliases_conditions_tags_and_imports() {
    let c = s1();
    let (v, deps) = render_values(c.path(), &ValueOptions::default());
    assert_eq!(
        v,
        r#"{"ex":1,"first":{"exports":{"data":{"ex":1,"q":{"r":{"deep":{"x":1},"fromexp":1,"pp":2}}}},"global":{"g":"parent","secondOn":true,"subonly":1},"leaf":{"enabled":false},"p":{"deep":{"x":1},"pp":2}},"global":{"g":"parent","secondOn":true},"gone":{"global":{"g":"parent","secondOn":true},"true":true},"q":{"r":{"deep":{"x":1},"fromexp":1,"keep":1,"pp":100}},"second":{"enabled":false},"tags":{"t1":false},"unlisted":{"global":{"g":"parent","secondOn":true},"u":1}}"#
    );
    assert_eq!(
        deps,
        r#"[{"Alias":"first","Condition":"","Enabled":true,"ImportValues":[{"child":"exports.data","parent":"."},{"child":"p","parent":"q.r"}],"Name":"first","Repository":"","Tags":[],"Version":"*"},{"Alias":"","Condition":" gone.on , x","Enabled":true,"ImportValues":[],"Name":"gone","Repository":"","Tags":[],"Version":"*"}]"#
    );
}

#[test]
fn set_values_enable_subcharts() {
    let c = s1();
    let opts = ValueOptions {
        set: vec!["tags.t2=true,second.enabled=true,first.leaf.enabled=true".into()],
        ..Default::default()
    };
    let (v, deps) = render_values(c.path(), &opts);
    assert_eq!(
        v,
        r#"{"ex":1,"first":{"exports":{"data":{"ex":1,"q":{"r":{"deep":{"x":1},"fromexp":1,"pp":2}}}},"global":{"g":"parent","secondOn":true,"subonly":1},"leaf":{"enabled":true,"global":{"g":"parent","secondOn":true,"subonly":1},"l":1},"p":{"deep":{"x":1},"pp":2}},"global":{"g":"parent","secondOn":true},"gone":{"global":{"g":"parent","secondOn":true},"true":true},"other":{"global":{"g":"parent","secondOn":true},"o":1},"q":{"r":{"deep":{"x":1},"fromexp":1,"keep":1,"pp":100}},"second":{"enabled":true,"exports":{"data":{"ex":1,"q":{"r":{"fromexp":1}}}},"global":{"g":"parent","secondOn":true,"subonly":1},"leaf":{"enabled":false},"p":{"deep":{"x":1},"pp":2}},"tags":{"t1":false,"t2":true},"unlisted":{"global":{"g":"parent","secondOn":true},"u":1}}"#
    );
    assert_eq!(
        deps,
        r#"[{"Alias":"first","Condition":"","Enabled":true,"ImportValues":[{"child":"exports.data","parent":"."},{"child":"p","parent":"q.r"}],"Name":"first","Repository":"","Tags":[],"Version":"*"},{"Alias":"second","Condition":"second.enabled,global.secondOn","Enabled":true,"ImportValues":[],"Name":"second","Repository":"","Tags":[],"Version":"~1.0"},{"Alias":"","Condition":"","Enabled":true,"ImportValues":[],"Name":"other","Repository":"","Tags":["t1","t2"],"Version":"1.x"},{"Alias":"","Condition":" gone.on , x","Enabled":true,"ImportValues":[],"Name":"gone","Repository":"","Tags":[],"Version":"*"}]"#
    );
}

fn s2() -> TempChart {
    TempChart::new(
        "s2",
        &[
            ("Chart.yaml", "apiVersion: v2\nname: s2\nversion: 1.0.0\n"),
            (
                "values.yaml",
                "a: 1\nbig: 12345678901234567890\ntop_null: null\nm:\n  keep: 1\n  nul: null\ns:\n  fromparent: 1\n  pnull: null\n  sd: null\nglobal:\n  g1: 1\n  gm: {x: 1}\n",
            ),
            ("charts/s/Chart.yaml", "apiVersion: v2\nname: s\nversion: 1.0.0\n"),
            (
                "charts/s/values.yaml",
                "sd: 5\nsn: null\nsnm:\n  a: null\n  b: 1\nglobal:\n  g2: 2\n  gm: {y: 2}\n",
            ),
        ],
    )
}

#[test]
fn nulls_in_defaults_and_user_values() {
    let c = s2();
    let (v, _) = render_values(c.path(), &ValueOptions::default());
    assert_eq!(
        v,
        r#"{"a":1,"big":12345678901234567000,"global":{"g1":1,"gm":{"x":1}},"m":{"keep":1},"s":{"fromparent":1,"global":{"g1":1,"g2":2,"gm":{"true":2,"x":1}},"sd":5,"snm":{"b":1}}}"#
    );
    let opts = ValueOptions {
        values_files: vec![(
            "u.yaml".into(),
            b"m: {keep: null, new: null}\ns: {sn: 7, snm: {b: null}}\na: null\n".to_vec(),
        )],
        ..Default::default()
    };
    let (v, _) = render_values(c.path(), &opts);
    assert_eq!(
        v,
        r#"{"big":12345678901234567000,"global":{"g1":1,"gm":{"x":1}},"m":{"new":null},"s":{"fromparent":1,"global":{"g1":1,"g2":2,"gm":{"true":2,"x":1}},"pnull":null,"sn":7,"snm":{}}}"#
    );
}

#[test]
fn value_sources_merge_in_helm_order() {
    let c = s2();
    let opts = ValueOptions {
        values_files: vec![
            (
                "a.yaml".into(),
                b"a: {b: 1, c: [1,2], d: {e: 1}}\nlist: [1]\n".to_vec(),
            ),
            (
                "b.yaml".into(),
                b"a: {c: [3], d: null}\n---\nlist: [2]\nx: 1\n".to_vec(),
            ),
        ],
        set: vec!["a.b=2,arr[1].k=v,s.sd=null".into(), "a.f=1".into()],
        set_string: vec!["num=5".into()],
        set_json: vec![
            r#"j={"k":[1,{"z":null}]}"#.into(),
            r#"{"top":{"t":1}}"#.into(),
        ],
        set_literal: vec!["lit=a,b=c".into()],
        ..Default::default()
    };
    let (v, _) = render_values(c.path(), &opts);
    assert_eq!(
        v,
        r#"{"a":{"b":2,"c":[3],"d":null,"f":1},"arr":[null,{"k":"v"}],"big":12345678901234567000,"global":{"g1":1,"gm":{"x":1}},"j":{"k":[1,{"z":null}]},"list":[2],"lit":"a,b=c","m":{"keep":1},"num":"5","s":{"fromparent":1,"global":{"g1":1,"g2":2,"gm":{"true":2,"x":1}},"pnull":null,"snm":{"b":1}},"top":{"t":1},"x":1}"#
    );
}

fn load_err(files: &[(&str, &str)]) -> String {
    let c = TempChart::new("err", files);
    let r = Chart::load_dir(c.path());
    r.err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn loader_errors() {
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n")]),
        "validation: chart.metadata.name is required"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nname: e\nversion: x\n")]),
        "validation: chart.metadata.version \"x\" is invalid"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nname: e\n")]),
        "validation: chart.metadata.version is required"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v3\nname: e\nversion: 1.0.0\n")]),
        "invalid chart apiVersion"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v9\nname: e\nversion: 1.0.0\n")]),
        "unsupported chart version"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nname: e/f\nversion: 1.0.0\n")]),
        "validation: chart.metadata.name \"e/f\" is invalid"
    );
    assert_eq!(
        load_err(&[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\ntype: foo\n"
        )]),
        "validation: chart.metadata.type must be application or library"
    );
    assert_eq!(
        load_err(&[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\ndependencies:\n - name: a\n   alias: \"b c\"\n"
        )]),
        "validation: dependency \"a\" has disallowed characters in the alias"
    );
    assert_eq!(
        load_err(&[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\ndependencies:\n - name: a\n - name: a\n"
        )]),
        "validation: more than one dependency with name or alias \"a\""
    );
    assert_eq!(
        load_err(&[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\nmaintainers:\n - null\n"
        )]),
        "validation: maintainers must not contain empty or null nodes"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nname: e\nversion: 1.0.0\nkeywords: x\n")]),
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field .keywords of type []string"
    );
    assert_eq!(
        load_err(&[("Chart.yaml", "apiVersion: v2\nname: e\nversion: 1.0.0\nmaintainers: [x]\n")]),
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into .maintainers.0 of type v2.Maintainer"
    );
    assert_eq!(
        load_err(&[
            ("Chart.yaml", "apiVersion: v2\nname: e\nversion: 1.0.0\n"),
            ("values.yaml", "- a\n")
        ]),
        "cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
    );
    // a negated .helmignore rule ignores everything it does not match, Chart.yaml included
    assert_eq!(
        load_err(&[
            ("Chart.yaml", "apiVersion: v2\nname: h\nversion: 1.0.0\n"),
            (".helmignore", "*.tmp\n!keep.tmp\n")
        ]),
        "Chart.yaml file is missing"
    );
}

#[test]
fn missing_dependencies_and_kube_version() {
    let c = TempChart::new(
        "deps",
        &[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\nkubeVersion: \">=1.30\"\ndependencies:\n - name: a\n   version: 1\n - name: b\n - name: a\n   alias: c\n",
        )],
    );
    let chart = Chart::load_dir(c.path()).unwrap();
    assert_eq!(
        check_dependencies(&chart).unwrap_err().to_string(),
        "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: a, b, a"
    );
    assert_eq!(
        chartroom_chart::check_kube_version(&chart, "v1.29.3")
            .unwrap_err()
            .to_string(),
        "chart requires kubeVersion: >=1.30 which is incompatible with Kubernetes v1.29.3"
    );
    assert!(chartroom_chart::check_kube_version(&chart, "v1.37.0").is_ok());
}

#[test]
fn chart_metadata_as_helm_exposes_it() {
    let c = TempChart::new(
        "md",
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: e\nversion: 1.0\nappVersion: 2021.10\ndescription: 12345678\nhome: true\nicon: 1e3\nkeywords: [1, 1.5, true, null]\n",
            ),
            ("templates/t.yaml", "x"),
            ("templates/.hidden", "x"),
            ("x", "hello\n"),
            (".hidden/f", "h\n"),
            ("values.schema.json", "{}"),
        ],
    );
    let chart = Chart::load_dir(c.path()).unwrap();
    let mut md = json(&chart.metadata_value(true));
    // Helm prints a nil Annotations map as null; see docs/notes/chart.md
    md = md.replace(r#""Annotations":{}"#, r#""Annotations":null"#);
    assert_eq!(
        md,
        r#"{"APIVersion":"v2","Annotations":null,"AppVersion":"2021.1","Condition":"","Dependencies":[],"Deprecated":false,"Description":"12345678","Home":"true","Icon":"1000","IsRoot":true,"Keywords":["1","1.5","true",""],"KubeVersion":"","Maintainers":[],"Name":"e","Sources":[],"Tags":"","Type":"","Version":"1"}"#
    );
    // ints and floats convert differently for string fields (recorded from helm)
    let c2 = TempChart::new(
        "md2",
        &[(
            "Chart.yaml",
            "apiVersion: v2\nname: e\nversion: 1.0.0\ndescription: 12345678.0\nhome: 12345678901234567890\nicon: 0x1F\nappVersion: 1_000\nkeywords: [0o17, 017, .5, 1e400, 0b11, 1:20]\n",
        )],
    );
    let md2 = json(&Chart::load_dir(c2.path()).unwrap().metadata_value(true))
        .replace(r#""Annotations":{}"#, r#""Annotations":null"#);
    assert_eq!(
        md2,
        r#"{"APIVersion":"v2","Annotations":null,"AppVersion":"1000","Condition":"","Dependencies":[],"Deprecated":false,"Description":"1.2345678e+07","Home":"12345678901234567890","Icon":"31","IsRoot":true,"Keywords":["15","15","0.5","1e400","3","1:20"],"KubeVersion":"","Maintainers":[],"Name":"e","Sources":[],"Tags":"","Type":"","Version":"1.0.0"}"#
    );
    // .Files holds everything but Chart.yaml, values, schema and templates
    let mut names: Vec<&String> = chart.files.iter().map(|f| &f.name).collect();
    names.sort();
    assert_eq!(names, vec![".hidden/f", "x"]);
    assert_eq!(chart.templates.len(), 1);
}

mod archives {
    use super::*;
    use std::collections::BTreeMap;

    fn tar(entries: &[(&str, &[u8])]) -> Vec<u8> {
        chartroom_chart::archive::write_tgz(entries).unwrap()
    }

    const CY: &[u8] = b"apiVersion: v2\nname: t\nversion: 1.0.0\n";

    #[test]
    fn nested_archives_and_helm_errors() {
        let sub = tar(&[
            ("s/Chart.yaml", b"apiVersion: v2\nname: s\nversion: 0.1.0\n"),
            ("s/templates/a.yaml", b"x"),
            ("s/crds/c.yaml", b"kind: CustomResourceDefinition"),
            ("s/crds/notes.txt", b"not a crd"),
        ]);
        let top = tar(&[
            ("t/Chart.yaml", CY),
            ("t/templates/a.yaml", b"# {{ .Chart.Name }}"),
            ("t/charts/s-0.1.0.tgz", &sub),
            ("t/charts/_skip/Chart.yaml", b"junk"),
        ]);
        let c = Chart::load_archive(&top).unwrap();
        assert_eq!(c.dependencies.len(), 1);
        assert_eq!(c.dependencies[0].name(), "s");
        assert_eq!(c.dependencies[0].crds().len(), 1);

        // errors inside a subchart archive keep their detail (recorded from helm)
        let bad = |entries: &[(&str, &[u8])]| {
            let sub = tar(entries);
            let top = tar(&[("t/Chart.yaml", CY), ("t/charts/x.tgz", &sub)]);
            Chart::load_archive(&top).unwrap_err().to_string()
        };
        assert_eq!(
            bad(&[("Chart.yaml", CY)]),
            "error unpacking subchart x.tgz in t: chart illegally contains content outside the base directory: \"Chart.yaml\""
        );
        assert_eq!(
            bad(&[("t/../x", b"x")]),
            "error unpacking subchart x.tgz in t: chart illegally references parent directory"
        );
        assert_eq!(
            bad(&[("t/values.yaml", b"a: 1")]),
            "error unpacking subchart x.tgz in t: Chart.yaml file is missing"
        );
        // top-level archive problems collapse into one message
        assert_eq!(
            Chart::load_archive(b"not gzip").unwrap_err().to_string(),
            "unable to load chart archive"
        );
        assert_eq!(
            Chart::load_archive(&tar(&[("t/values.yaml", b"a: 1")]))
                .unwrap_err()
                .to_string(),
            "unable to detect chart version, no Chart.yaml found"
        );
        assert_eq!(
            chartroom_chart::ensure_archive("/x/values.yaml", b"a: 1")
                .unwrap_err()
                .to_string(),
            "file '/x/values.yaml' seems to be a YAML file, but expected a gzipped archive"
        );
        assert_eq!(
            chartroom_chart::ensure_archive("/x/g.tgz", b"hello world this is not gzip")
                .unwrap_err()
                .to_string(),
            "file '/x/g.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"
        );
    }

    #[test]
    fn in_memory_files_apply_helmignore() {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert("Chart.yaml".into(), CY.to_vec());
        files.insert(".helmignore".into(), b"*.tmp\nsecret/\n".to_vec());
        files.insert("a.tmp".into(), b"x".to_vec());
        files.insert("secret/k".into(), b"x".to_vec());
        files.insert("templates/.dot".into(), b"x".to_vec());
        files.insert("templates/a.yaml".into(), b"x".to_vec());
        files.insert(
            "charts/s/Chart.yaml".into(),
            b"apiVersion: v2\nname: s\nversion: 1.0.0\n".to_vec(),
        );
        files.insert("files/keep.txt".into(), b"x".to_vec());
        let c = Chart::load_files(files).unwrap();
        let names: Vec<&str> = c.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec![".helmignore", "files/keep.txt"]);
        assert_eq!(c.templates.len(), 1);
        assert_eq!(c.dependencies.len(), 1);
    }
}

#[test]
fn nested_aliases_imports_globals_and_warnings() {
    let c = TempChart::new(
        "s4",
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: s4\nversion: 1.0.0\ndependencies:\n  - name: mid\n    version: \">=0.1.0\"\n    alias: m1\n    import-values:\n      - child: leafdata\n        parent: fromleaf\n      - child: exports.e\n        parent: ex.deep\n  - name: mid\n    version: \"0.1.x\"\n    alias: m2\n    condition: m2.enabled\n  - name: lone\n    version: \"*\"\n",
            ),
            (
                "values.yaml",
                "m2: {enabled: true, leaf: {enabled: false}}\nglobal: {img: {repo: r, tag: t}, list: [1], scalar: s}\nfromleaf: {keep: me}\nlone: {y: 5}\ntags: {front: false}\n",
            ),
            (
                "charts/mid/Chart.yaml",
                "apiVersion: v2\nname: mid\nversion: 0.1.5\ndependencies:\n  - name: leaf\n    version: \"*\"\n    condition: leaf.enabled,global.leafOn\n    tags: [front]\n    import-values:\n      - child: out\n        parent: leafdata\n",
            ),
            (
                "charts/mid/values.yaml",
                "exports:\n  e: {v: 1}\nleafdata: {fromMidDefault: 1}\nglobal: {img: {tag: midtag, pull: always}, scalar: {x: 1}}\nleaf: {enabled: true}\n",
            ),
            ("charts/mid/charts/leaf/Chart.yaml", "apiVersion: v2\nname: leaf\nversion: 1.0.0\n"),
            ("charts/mid/charts/leaf/values.yaml", "out: {o: 1, n: null}\nglobal: {leafg: 1}\n"),
            ("charts/lone/Chart.yaml", "apiVersion: v2\nname: lone\nversion: 1.0.0\ndependencies: []\n"),
            ("charts/lone/values.yaml", "x: 1\n"),
        ],
    );
    let mut chart = Chart::load_dir(c.path()).unwrap();
    let user = Value::empty_map();
    let w1 = chartroom_chart::deps::process_dependencies_with_warnings(&mut chart, &user).unwrap();
    let (v, w2) = chartroom_chart::values::coalesce_values_with_warnings(&chart, &user).unwrap();
    assert_eq!(
        json(&v),
        r#"{"ex":{"deep":{"v":1}},"fromleaf":{"fromMidDefault":1,"keep":"me","o":1},"global":{"img":{"repo":"r","tag":"t"},"list":[1],"scalar":"s"},"lone":{"global":{"img":{"repo":"r","tag":"t"},"list":[1],"scalar":"s"},"true":5,"x":1},"m1":{"exports":{"e":{"v":1}},"global":{"img":{"pull":"always","repo":"r","tag":"t"},"list":[1],"scalar":"s"},"leaf":{"enabled":true,"global":{"img":{"pull":"always","repo":"r","tag":"t"},"leafg":1,"list":[1],"scalar":{"x":1}},"out":{"false":null,"o":1}},"leafdata":{"fromMidDefault":1,"o":1}},"m2":{"enabled":true,"exports":{"e":{"v":1}},"global":{"img":{"pull":"always","repo":"r","tag":"t"},"list":[1],"scalar":"s"},"leaf":{"enabled":false},"leafdata":{"fromMidDefault":1}},"tags":{"front":false}}"#
    );
    let lines: Vec<String> = w1.0.into_iter().chain(w2.0).collect();
    let t = "level=INFO msg=\"warning: cannot overwrite table with non table for ";
    let expected = [
        format!("{t}s4.m1.global.scalar (map[x:1])\""),
        format!("{t}s4.m2.global.scalar (map[x:1])\""),
        format!("{t}m1.global.scalar (map[x:1])\""),
        format!("{t}m2.global.scalar (map[x:1])\""),
        format!("{t}s4.m1.global.scalar (map[x:1])\""),
        "level=INFO msg=\"key scalar is table. Skipping\"".to_string(),
        format!("{t}s4.m2.global.scalar (map[x:1])\""),
        format!("{t}s4.m1.global.scalar (map[x:1])\""),
        "level=INFO msg=\"key scalar is table. Skipping\"".to_string(),
        format!("{t}s4.m2.global.scalar (map[x:1])\""),
    ];
    assert_eq!(lines, expected);
}
