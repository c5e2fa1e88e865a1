//! `chartroom diff`: the chart rendered with two values sets and compared resource by
//! resource, through the real binary (exit codes, text, Markdown and JSON).

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn chartroom(args: &[&str], dir: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A chart with a generated password and certificate (random on every render), a
/// Deployment, a Service and a CRD in its templates.
fn chart(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let t = dir.join("app/templates");
    std::fs::create_dir_all(&t).unwrap();
    let write = |p: &str, s: &str| std::fs::write(dir.join(p), s).unwrap();
    write(
        "app/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 1.0.0\nappVersion: \"1.0\"\n",
    );
    write(
        "app/values.yaml",
        "replicas: 2\nimage: nginx:1\nport: 80\nclusterIP: \"\"\ncrd: true\nextra: false\n",
    );
    write(
        "app/templates/deploy.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    helm.sh/chart: app-{{ .Chart.Version }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
        - name: sidecar
          image: busybox
"#,
    );
    write(
        "app/templates/svc.yaml",
        r#"apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  {{- with .Values.clusterIP }}
  clusterIP: {{ . }}
  {{- end }}
  ports:
    - port: {{ .Values.port }}
"#,
    );
    write(
        "app/templates/secret.yaml",
        r#"apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}
data:
  password: {{ randAlphaNum 16 | b64enc }}
  {{- $ca := genCA "ca" 365 }}
  ca.crt: {{ $ca.Cert | b64enc }}
  static: {{ .Values.image | b64enc }}
"#,
    );
    write(
        "app/templates/crd.yaml",
        r#"{{- if .Values.crd }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.com
{{- end }}
{{- if .Values.extra }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
{{- end }}
"#,
    );
    write("same.yaml", "");
    write(
        "new.yaml",
        "replicas: 3\nimage: nginx:2\ncrd: false\nextra: true\nclusterIP: 10.0.0.9\n",
    );
    write("list.yaml", "- a\n");
    dir
}

#[test]
fn same_values_are_no_changes_even_with_random_keys() {
    let dir = chart("same");
    let r = chartroom(&["diff", "app", "", ""], &dir);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "No changes.\n");
    let r = chartroom(&["diff", "rel", "app", "same.yaml", "same.yaml"], &dir);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn changes_as_json() {
    let dir = chart("json");
    let r = chartroom(&["diff", "app", "", "new.yaml", "-o", "json"], &dir);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 1, "removed": 1, "modified": 3, "unchanged": 0})
    );
    let changes = v["changes"].as_array().unwrap();
    let find = |kind: &str| {
        changes
            .iter()
            .find(|c| c["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {changes:?}"))
    };
    let deploy = find("Deployment");
    assert_eq!(deploy["change"], "modified");
    assert_eq!(deploy["source"], "app/templates/deploy.yaml");
    assert_eq!(deploy["namespace"], "default");
    assert_eq!(
        deploy["fields"],
        serde_json::json!([
            {"path": "/spec/replicas", "from": 2, "to": 3},
            {"path": "/spec/template/spec/containers/0/image", "from": "nginx:1", "to": "nginx:2"},
        ])
    );
    assert_eq!(deploy["impact"], serde_json::json!(["rolls pods"]));
    // Which values did it: each changed key, probed alone.
    assert_eq!(deploy["values"], serde_json::json!(["image", "replicas"]));
    assert_eq!(find("Service")["values"], serde_json::json!(["clusterIP"]));
    assert_eq!(
        find("CustomResourceDefinition")["values"],
        serde_json::json!(["crd"])
    );
    assert_eq!(find("ConfigMap")["values"], serde_json::json!(["extra"]));
    assert_eq!(find("Secret")["values"], serde_json::json!(["image"]));
    let svc = find("Service");
    assert_eq!(
        svc["impact"],
        serde_json::json!(["needs replace: /spec/clusterIP is immutable"])
    );
    assert_eq!(find("CustomResourceDefinition")["change"], "removed");
    assert_eq!(
        find("CustomResourceDefinition")["impact"],
        serde_json::json!(["deletes custom resources"])
    );
    assert_eq!(find("ConfigMap")["change"], "added");
    // Secrets: only the value that changed, and only its size.
    let secret = find("Secret");
    assert_eq!(secret["fields"].as_array().unwrap().len(), 1, "{secret}");
    assert_eq!(secret["fields"][0]["path"], "/data/static");
    assert_eq!(secret["fields"][0]["from"], "<redacted: 7 bytes>");
    assert_eq!(secret["fields"][0]["to"], "<redacted: 7 bytes, changed>");
    assert!(!r.stdout.contains("bmdpbng6"), "a secret value leaked");
}

#[test]
fn secrets_revealed_on_request() {
    let dir = chart("secrets");
    let r = chartroom(&["diff", "app", "", "new.yaml", "--show-secrets"], &dir);
    assert_eq!(r.code, 1);
    // base64 of "nginx:1" and "nginx:2"
    assert!(r.stdout.contains("bmdpbng6MQ=="), "{}", r.stdout);
    assert!(r.stdout.contains("bmdpbng6Mg=="), "{}", r.stdout);
}

#[test]
fn text_and_markdown() {
    let dir = chart("md");
    let r = chartroom(&["diff", "app", "", "new.yaml"], &dir);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .starts_with("1 to add, 3 to change, 1 to destroy, 3 pods roll\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("-  replicas: 2\n"), "{}", r.stdout);
    assert!(!r.stdout.contains("\x1b["), "NO_COLOR is respected");
    let r = chartroom(
        &["diff", "app", "", "new.yaml", "--output", "markdown"],
        &dir,
    );
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .starts_with("**1 to add, 3 to change, 1 to destroy, 3 pods roll**\n"));
    assert!(r
        .stdout
        .contains("| ~ | Deployment | default | release-name | rolls pods |"));
    assert!(r
        .stdout
        .contains("<details><summary>~ Deployment default/release-name"));
    assert!(r.stdout.len() < 65_000);
}

#[test]
fn noise_controls() {
    let dir = chart("noise");
    std::fs::write(dir.join("bump.yaml"), "").unwrap();
    // A chart version bump touches the helm.sh/chart label only.
    let old = dir.join("old");
    let copy = Command::new("cp")
        .args(["-r", "app", "old"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::write(
        old.join("Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.9.0\nappVersion: \"1.0\"\n",
    )
    .unwrap();
    let r = chartroom(&["diff", "app", "", "", "--old-chart", "old"], &dir);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("/metadata/labels/helm.sh~1chart"),
        "{}",
        r.stdout
    );
    let r = chartroom(
        &[
            "diff",
            "app",
            "",
            "",
            "--old-chart",
            "old",
            "--ignore-chart-labels",
        ],
        &dir,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = chartroom(
        &[
            "diff",
            "app",
            "",
            "",
            "--old-chart",
            "old",
            "--ignore",
            "/metadata/labels/*",
        ],
        &dir,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn errors_exit_2() {
    let dir = chart("errors");
    let r = chartroom(&["diff", "app", "", "list.yaml"], &dir);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("Error: failed to parse list.yaml"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the new side failed to render"),
        "{}",
        r.stderr
    );
    let r = chartroom(&["diff", "app", "", "missing.yaml"], &dir);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.yaml"), "{}", r.stderr);
    let r = chartroom(&["diff", "app", ""], &dir);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("requires 3 or 4 arguments"),
        "{}",
        r.stderr
    );
    let r = chartroom(&["diff", "app", "", "", "--output", "yaml"], &dir);
    assert_eq!(r.code, 2);
    let r = chartroom(&["diff", "app", "", "", "--bogus"], &dir);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "Error: unknown flag: --bogus\n");
    let r = chartroom(&["diff", "--help"], &dir);
    assert_eq!(r.code, 0);
    assert!(r
        .stdout
        .contains("chartroom diff [NAME] CHART OLD_VALUES NEW_VALUES"));
}

#[test]
fn a_dropped_key_is_attributed_too() {
    let dir = chart("dropped");
    std::fs::write(dir.join("big.yaml"), "replicas: 5\nport: 81\n").unwrap();
    std::fs::write(dir.join("small.yaml"), "port: 81\n").unwrap();
    let r = chartroom(
        &["diff", "app", "big.yaml", "small.yaml", "-o", "json"],
        &dir,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "Deployment");
    assert_eq!(changes[0]["values"], serde_json::json!(["replicas"]));
    assert_eq!(
        changes[0]["fields"],
        serde_json::json!([{"path": "/spec/replicas", "from": 5, "to": 2}])
    );
}

#[test]
fn each_side_applies_several_files_in_order() {
    let dir = chart("layers");
    std::fs::write(dir.join("base.yaml"), "replicas: 4\nport: 81\n").unwrap();
    std::fs::write(dir.join("prod.yaml"), "replicas: 6\n").unwrap();
    // base then prod (prod wins) against base alone: only the replica count moves.
    let r = chartroom(
        &[
            "diff",
            "app",
            "base.yaml",
            "base.yaml,prod.yaml",
            "-o",
            "json",
        ],
        &dir,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["modified"], 1, "{}", r.stdout);
    assert_eq!(
        v["changes"][0]["fields"],
        serde_json::json!([{"path": "/spec/replicas", "from": 4, "to": 6}])
    );
    assert_eq!(v["changes"][0]["values"], serde_json::json!(["replicas"]));
    // An empty side is the chart's defaults; so is an empty file.
    let r = chartroom(&["diff", "app", "", "same.yaml"], &dir);
    assert_eq!(r.code, 0, "{}", r.stdout);
}
