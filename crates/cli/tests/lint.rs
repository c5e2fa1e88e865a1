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
    let r = chartroom(&["lint", "app", "-o", "sarif"], &d, None);
    assert_eq!(r.code, 2);
    let r = chartroom(&["lint", "./missing-chart"], &d, None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("Error: path \"./missing-chart\" not found"),
        "{}",
        r.stderr
    );
}
