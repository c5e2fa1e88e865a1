//! The render result as data: `render_release` returns what `helm template` would print,
//! manifest by manifest, and `print_template` prints it byte for byte as Helm does.

use std::collections::BTreeMap;
use std::path::Path;

use chartroom_render::{
    print_template, render_release, ChartSource, ErrorKind, FsSink, RenderRequest, Seed,
    ValueSource,
};

fn chart_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("readable chart dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                out.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(&p).expect("readable file"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// tests/charts/<case>: a chart and the output recorded from Helm 4.3.1.
fn recorded(case: &str) -> (BTreeMap<String, Vec<u8>>, String) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/charts")
        .join(case);
    let files = chart_files(&case.join("chart"));
    let expected = std::fs::read_to_string(case.join("expected.out")).expect("recorded output");
    (files, expected)
}

fn request(files: BTreeMap<String, Vec<u8>>, name: &str) -> RenderRequest {
    let mut req = RenderRequest::new(ChartSource::Files(files));
    req.release_name = Some(name.into());
    req
}

fn printed(req: &RenderRequest) -> String {
    let release = render_release(req).expect("renders");
    String::from_utf8(print_template(&release, req, &mut FsSink).expect("prints")).unwrap()
}

#[test]
fn prints_the_recorded_chart_like_helm() {
    let (files, expected) = recorded("basic");
    assert_eq!(printed(&request(files, "my-release")), expected);
}

#[test]
fn extra_values_override_defaults() {
    let (files, expected) = recorded("basic");
    let mut req = request(files, "my-release");
    req.values.push(ValueSource::YamlText(
        "values.yaml".into(),
        "x: bye\n".into(),
    ));
    assert_eq!(printed(&req), expected.replace("x: hello", "x: bye"));
}

fn chart() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    let mut add = |k: &str, v: &str| f.insert(k.to_string(), v.as_bytes().to_vec());
    add("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    add("values.yaml", "port: 80\nlimits: 3\n");
    add(
        "templates/app.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: {{ .Release.Namespace }}\nspec:\n  port: {{ .Values.port }}\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
    );
    add(
        "templates/test.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test,pre-install\n",
    );
    add("templates/NOTES.txt", "Installed {{ .Release.Name }}.");
    add("templates/_helpers.tpl", "{{ define \"x\" }}x{{ end }}");
    add(
        "crds/crd.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
    );
    f
}

#[test]
fn release_as_data() {
    let mut req = request(chart(), "rel");
    req.namespace = Some("prod".into());
    let r = render_release(&req).expect("renders");
    assert_eq!((r.name.as_str(), r.namespace.as_str()), ("rel", "prod"));
    assert_eq!(r.chart, "demo");
    assert_eq!(r.kube_version, "v1.37.0");
    // Install order: ConfigMap before Service, unknown kinds (the comment-only document)
    // last; each keeps its index in its template.
    let got: Vec<(&str, usize, &str, Option<&str>)> = r
        .manifests
        .iter()
        .map(|m| {
            (
                m.source.as_str(),
                m.document,
                m.head.kind.as_str(),
                m.head.name.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("demo/templates/app.yaml", 2, "ConfigMap", Some("cm")),
            ("demo/templates/app.yaml", 0, "Service", Some("svc")),
            ("demo/templates/app.yaml", 1, "", None),
        ]
    );
    let svc = &r.manifests[1];
    assert_eq!(svc.head.api_version, "v1");
    assert_eq!(svc.head.namespace.as_deref(), Some("prod"));
    assert!(svc.text.contains("port: 80"), "{}", svc.text);
    assert!(svc.hook_events.is_empty());
    assert_eq!(r.hooks.len(), 1);
    assert_eq!(r.hooks[0].hook_events, vec!["test", "pre-install"]);
    assert_eq!(r.notes.as_deref(), Some("Installed rel."));
    assert_eq!(r.crds.len(), 1);
    assert_eq!(r.crds[0].source, "demo/crds/crd.yaml");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    // The printer honours the output flags over the same data.
    let out = String::from_utf8(print_template(&r, &req, &mut FsSink).unwrap()).unwrap();
    assert!(!out.contains("CustomResourceDefinition"));
    assert!(out.contains("# Source: demo/templates/test.yaml"));
    req.include_crds = true;
    req.no_hooks = true;
    let out = String::from_utf8(print_template(&r, &req, &mut FsSink).unwrap()).unwrap();
    assert!(
        out.starts_with("---\n# Source: demo/crds/crd.yaml\n"),
        "{out}"
    );
    assert!(!out.contains("kind: Pod"));
}

#[test]
fn warnings_helm_logs_come_with_the_result() {
    let mut req = request(chart(), "rel");
    // A table where the chart has a number: Helm 4.3.1 logs exactly this line.
    req.values.push(ValueSource::YamlText(
        "v.yaml".into(),
        "limits:\n  cpu: 1\n".into(),
    ));
    let r = render_release(&req).expect("renders");
    assert_eq!(
        r.warnings,
        vec!["level=INFO msg=\"warning: skipped value for demo.limits: Not a table.\""]
    );
}

#[test]
fn errors_carry_kind_and_helm_text() {
    let mut files = chart();
    files.insert(
        "templates/bad.yaml".into(),
        b"x: {{ required \"x is needed\" .Values.nope }}\n".to_vec(),
    );
    let mut req = request(files, "rel");
    let err = render_release(&req).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Template);
    assert_eq!(
        err.message,
        "execution error at (demo/templates/bad.yaml:1:6): x is needed\n\nUse --debug flag to render out invalid YAML"
    );
    // --debug: the same error without Helm's hint.
    req.debug = true;
    assert_eq!(
        render_release(&req).unwrap_err().message,
        "execution error at (demo/templates/bad.yaml:1:6): x is needed"
    );

    let mut req = request(chart(), "rel");
    req.values
        .push(ValueSource::YamlText("values.yaml".into(), "a: [".into()));
    let err = render_release(&req).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Values);
    assert!(
        err.message.starts_with("failed to parse values.yaml: "),
        "{err}"
    );

    let err = render_release(&request(chart(), "Bad_Name")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Usage);

    let mut files = chart();
    files.insert("templates/y.yaml".into(), b"a: b: c\n".to_vec());
    let err = render_release(&request(files, "rel")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Manifest);
    assert!(err
        .message
        .starts_with("YAML parse error on demo/templates/y.yaml: "));
}

#[test]
fn invalid_utf8_in_a_manifest_is_go_yamls_error() {
    let mut files = chart();
    // Helm 4.3.1's text for a template printing the byte 0xff.
    files.insert(
        "templates/bin.yaml".into(),
        b"a: {{ \"\\xff\" }}\n".to_vec(),
    );
    let err = render_release(&request(files, "rel")).unwrap_err();
    assert_eq!(
        err.message,
        "YAML parse error on demo/templates/bin.yaml: error converting YAML to JSON: yaml: invalid leading UTF-8 octet\n\nUse --debug flag to render out invalid YAML"
    );
}

#[test]
fn a_seed_is_explicit_and_scoped_to_one_render() {
    let mut files = chart();
    files.insert(
        "templates/pw.yaml".into(),
        b"pw: {{ randAlphaNum 24 }}\n".to_vec(),
    );
    let pw = |seed: Option<Seed>| {
        let mut req = request(files.clone(), "rel");
        req.seed = seed;
        let r = render_release(&req).expect("renders");
        r.manifests
            .iter()
            .find(|m| m.source.ends_with("pw.yaml"))
            .map(|m| m.text.clone())
            .unwrap()
    };
    assert_eq!(pw(Some(Seed::Number(7))), pw(Some(Seed::Number(7))));
    assert_eq!(pw(Some(Seed::Key([9; 32]))), pw(Some(Seed::Key([9; 32]))));
    assert_ne!(pw(Some(Seed::Number(7))), pw(Some(Seed::Number(8))));
    // After a seeded render, an unseeded one is not the seeded output again.
    let seeded = pw(Some(Seed::Number(7)));
    assert_ne!(pw(None), seeded);
    assert_ne!(pw(None), pw(None));
}

#[test]
fn a_schema_chartroom_cannot_fetch_is_a_warning_not_silence() {
    let mut files = chart();
    files.insert(
        "values.schema.json".into(),
        br##"{"properties": {"port": {"$ref": "https://example.com/port.json"}, "limits": {"$ref": "#/definitions/n"}}, "definitions": {"n": {"type": "number"}}}"##.to_vec(),
    );
    let r = render_release(&request(files.clone(), "rel")).expect("renders");
    assert_eq!(
        r.warnings,
        vec!["level=WARN msg=\"values schema $ref not checked: chartroom does not fetch schemas\" chart=demo ref=https://example.com/port.json"]
    );
    let mut req = request(files, "rel");
    req.skip_schema_validation = true;
    assert!(render_release(&req).expect("renders").warnings.is_empty());
}

#[test]
fn parsed_documents_are_kept_on_request() {
    let r = render_release(&request(chart(), "rel")).expect("renders");
    assert!(r.all_manifests().all(|m| m.parsed.is_none()));
    let mut req = request(chart(), "rel");
    req.keep_parsed = true;
    let r = render_release(&req).expect("renders");
    let svc = r
        .manifests
        .iter()
        .find(|m| m.head.kind == "Service")
        .unwrap();
    let parsed = svc.parsed.as_ref().expect("kept");
    assert_eq!(
        chartroom_yaml::to_json(parsed).unwrap(),
        r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","namespace":"default"},"spec":{"port":80}}"#
    );
}
