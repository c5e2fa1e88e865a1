//! `chartroom lint`: rendered manifests (or YAML files) validated against the bundled
//! Kubernetes schemas, through the real binary (exit codes, text and JSON).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn chartroom(args: &[&str], dir: &Path, stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("lint-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("app/templates")).unwrap();
    std::fs::write(
        d.join("app/Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 1.0.0\nicon: https://example.com/icon.png\n",
    )
    .unwrap();
    std::fs::write(d.join("app/values.yaml"), "port: 80\n").unwrap();
    std::fs::write(
        d.join("app/templates/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n",
    )
    .unwrap();
    d
}

#[test]
fn a_valid_chart_has_no_errors() {
    let d = dir("valid");
    let r = chartroom(&["lint", "app"], &d, None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "1 resources: 0 errors, 0 warnings, 0 infos\n");
}

#[test]
fn a_wrong_type_is_an_error_naming_template_and_path() {
    let d = dir("wrong");
    let r = chartroom(
        &["lint", "app", "--set-string", "port=eighty", "-o", "json"],
        &d,
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "error");
    assert_eq!(f["rule"], "schema");
    assert_eq!(f["file"], "app/templates/svc.yaml");
    assert_eq!(f["document"], 0);
    assert_eq!(f["path"], "/spec/ports/0/port");
    assert_eq!(f["kind"], "Service");
    assert_eq!(f["name"], "release-name");
    assert_eq!(f["kubeVersion"], "1.37");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn several_kube_versions_and_strict() {
    let d = dir("versions");
    std::fs::write(
        d.join("x.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nbogus: 1\n",
    )
    .unwrap();
    let r = chartroom(
        &[
            "lint",
            "--manifests",
            "x.yaml",
            "--kube-version",
            "1.25",
            "--kube-version",
            "1.37",
        ],
        &d,
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "2 resources: 0 errors, 0 warnings, 0 infos\n");
    let r = chartroom(&["lint", "--manifests", "x.yaml", "--strict"], &d, None);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("x.yaml (document 0): ConfigMap/c"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("/bogus"), "{}", r.stdout);
}

#[test]
fn stdin_and_broken_documents_among_good_ones() {
    let d = dir("stdin");
    let r = chartroom(
        &["lint", "--manifests", "-"],
        &d,
        Some("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\na: b: c\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"),
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("- (document 1)"), "{}", r.stdout);
    assert!(
        r.stdout.starts_with("- (document 1)\n  error [yaml"),
        "{}",
        r.stdout
    );
}

#[test]
fn could_not_run_exits_2() {
    let d = dir("usage");
    let r = chartroom(&["lint", "--manifests", "missing.yaml"], &d, None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("Error: open missing.yaml: no such file or directory"),
        "{}",
        r.stderr
    );
    std::fs::write(d.join("x.yaml"), "a: 1\n").unwrap();
    let r = chartroom(
        &["lint", "--manifests", "x.yaml", "--kube-version", "1.10"],
        &d,
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("1.25"),
        "names the bundled range: {}",
        r.stderr
    );
    let r = chartroom(&["lint", "app", "-o", "yaml"], &d, None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("text, json, sarif"), "{}", r.stderr);
    let r = chartroom(&["lint", "./missing-chart"], &d, None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("Error: path \"./missing-chart\" not found"),
        "{}",
        r.stderr
    );
}

fn second_chart(d: &Path, name: &str, template: &str) {
    std::fs::create_dir_all(d.join(name).join("templates")).unwrap();
    std::fs::write(
        d.join(name).join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n"),
    )
    .unwrap();
    std::fs::write(d.join(name).join("templates/x.yaml"), template).unwrap();
}

#[test]
fn sarif_for_code_scanning() {
    let d = dir("sarif");
    std::fs::write(
        d.join("m.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: [1]\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n",
    )
    .unwrap();
    let r = chartroom(&["lint", "--manifests", "m.yaml", "-o", "sarif"], &d, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "chartroom");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["schema", "deprecated-api"]);
    let res = &run["results"][0];
    assert_eq!(res["ruleId"], "schema");
    assert_eq!(res["ruleIndex"], 0);
    assert_eq!(res["level"], "error");
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "m.yaml");
    assert_eq!(loc["region"]["startLine"], 6);
    assert_eq!(loc["region"]["startColumn"], 6);
    let res = &run["results"][1];
    assert_eq!(res["ruleIndex"], 1);
    assert_eq!(
        res["message"]["text"],
        "/apiVersion: policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1"
    );
    assert_eq!(
        res["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
}

#[test]
fn sarif_uris_of_a_chart_folder_are_repository_paths() {
    let d = dir("sarif-chart");
    let r = chartroom(
        &["lint", "./app/", "--set-string", "port=x", "-o", "sarif"],
        &d,
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "app/templates/svc.yaml");
    assert_eq!(loc["region"]["startLine"], 7);
    std::fs::create_dir_all(d.join("charts")).unwrap();
    std::fs::rename(d.join("app"), d.join("charts/app")).unwrap();
    let r = chartroom(
        &[
            "lint",
            "charts/app",
            "--set-string",
            "port=x",
            "-o",
            "sarif",
        ],
        &d,
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let loc = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "charts/app/templates/svc.yaml"
    );
    // JSON keeps the # Source: path.
    let r = chartroom(
        &["lint", "charts/app", "--set-string", "port=x", "-o", "json"],
        &d,
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"][0]["file"], "app/templates/svc.yaml");
}

#[test]
fn several_charts_in_input_order() {
    let d = dir("charts");
    second_chart(
        &d,
        "b",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata: 3\n",
    );
    second_chart(
        &d,
        "c",
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: c\n",
    );
    let r = chartroom(
        &[
            "lint",
            "c",
            "app",
            "b",
            "--set-string",
            "port=x",
            "-o",
            "json",
        ],
        &d,
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    // Each chart's findings together, in input order: Helm's own checks (rule "helm") first.
    assert_eq!(
        files,
        vec![
            "c/Chart.yaml",
            "c/values.yaml",
            "c/templates/x.yaml",
            "c/templates/x.yaml",
            "app/templates/svc.yaml",
            "b/Chart.yaml",
            "b/values.yaml",
            "b/templates/x.yaml"
        ]
    );
    assert_eq!(v["findings"][0]["rule"], "helm");
    assert_eq!(v["findings"][3]["rule"], "deprecated-api");
    assert_eq!(v["summary"]["resources"], 3);
    // A name first (not an existing path): one chart, that release name.
    let r = chartroom(
        &[
            "lint",
            "myrel",
            "app",
            "-o",
            "json",
            "--set-string",
            "port=x",
        ],
        &d,
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"][0]["name"], "myrel");
    // One chart that cannot render: Helm's own checks still report on it, its manifests are
    // not validated (said on stderr, naming the failing template), exit 1.
    second_chart(&d, "bad", "{{ fail \"boom\" }}");
    let r = chartroom(&["lint", "app", "bad"], &d, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("manifests not validated: ")
            && r.stderr.contains("bad/templates/x.yaml")
            && r.stderr.contains("boom"),
        "{}",
        r.stderr
    );
}

#[test]
fn several_files_share_crds_and_find_duplicates() {
    let d = dir("files");
    std::fs::write(
        d.join("crd.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ws.example.com\nspec:\n  group: example.com\n  names: {kind: W, plural: ws}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec: {type: object, properties: {count: {type: integer}}}\n",
    )
    .unwrap();
    let w = "apiVersion: example.com/v1\nkind: W\nmetadata:\n  name: w\nspec:\n  count: many\n";
    std::fs::write(d.join("a.yaml"), w).unwrap();
    std::fs::write(d.join("b.yaml"), w).unwrap();
    let r = chartroom(
        &["lint", "--manifests", "crd.yaml", "a.yaml", "b.yaml"],
        &d,
        None,
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        concat!(
            "a.yaml (document 0): W/w\n",
            "  error [schema 1.37] 6:10 /spec/count: expected integer, got string \"many\"\n",
            "b.yaml (document 0): W/w\n",
            "  error [schema 1.37] 6:10 /spec/count: expected integer, got string \"many\"\n",
            "  error [duplicate-resource 1.37] 1:1: W.example.com \"w\" (no namespace given) is defined twice; first in a.yaml (document 0)\n",
            "3 resources: 3 errors, 0 warnings, 0 infos\n"
        )
    );
}

#[test]
fn bad_input_is_a_finding_and_the_rest_is_linted() {
    let d = dir("bad");
    let good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n";
    // Not YAML at all, not UTF-8, an alias bomb, a huge document, then a good one.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9u8 {
        let (p, c) = ((b'a' + i) as char, (b'b' + i) as char);
        bomb.push_str(&format!(
            "{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    let mut huge =
        String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n");
    for i in 0..100_000 {
        huge.push_str(&format!("  k{i}: v{i}\n"));
    }
    let mut data = b"{{ not yaml: [\n---\n".to_vec();
    data.extend_from_slice(b"\xff\xfe\n---\n");
    data.extend_from_slice(bomb.as_bytes());
    data.extend_from_slice(b"---\n");
    data.extend_from_slice(huge.as_bytes());
    data.extend_from_slice(b"---\n");
    data.extend_from_slice(good.as_bytes());
    std::fs::write(d.join("bad.yaml"), &data).unwrap();
    let r = chartroom(&["lint", "--manifests", "bad.yaml", "-o", "json"], &d, None);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(u64, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["document"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(got, vec![(0, "yaml"), (1, "yaml"), (2, "yaml")]);
    assert_eq!(v["summary"]["resources"], 5);
    assert_eq!(v["findings"][1]["line"], 3);
    // Unknown Kubernetes versions: exit 2 naming the version.
    let r = chartroom(
        &["lint", "--manifests", "bad.yaml", "--kube-version", "1.99"],
        &d,
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("1.99"), "{}", r.stderr);
}
