//! Errors traced to the template line that caused them (issue 15), through the real binary,
//! on tests/provenance/explain-me: a helper mis-indented and used through `include | nindent`,
//! a value containing `: ` placed unquoted, `toYaml` without `nindent`, and an integer field
//! rendered through `quote`.

use std::path::PathBuf;
use std::process::Command;

fn chart() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/provenance/explain-me")
}

fn chartroom(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A chart `name` in a fresh temporary folder with these templates.
fn temp_chart(name: &str, templates: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chartroom-explain-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    let chart_yaml = format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n");
    std::fs::write(dir.join("Chart.yaml"), chart_yaml).unwrap();
    for (file, text) in templates {
        std::fs::write(dir.join("templates").join(file), text).unwrap();
    }
    dir
}

fn lint_findings() -> Vec<serde_json::Value> {
    let chart = chart();
    let (code, stdout, stderr) = chartroom(&["lint", chart.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

/// The finding of `rule` whose trace starts at `template` (the manifest's own template).
fn finding(all: &[serde_json::Value], rule: &str, template: &str) -> serde_json::Value {
    all.iter()
        .find(|f| f["rule"] == rule && f["trace"][0]["file"] == template)
        .unwrap_or_else(|| panic!("no {rule} finding from {template} in {all:#?}"))
        .clone()
}

#[test]
fn a_mis_indented_helper_is_named_through_include_and_nindent() {
    let all = lint_findings();
    let f = finding(&all, "yaml", "explain-me/templates/labels.yaml");
    assert_eq!(f["file"], "explain-me/templates/_helpers.tpl");
    assert_eq!(f["line"], 4);
    assert_eq!(f["renderedLine"], 7);
    assert_eq!(f["renderedText"], "     app.kubernetes.io/part-of: demo");
    assert_eq!(
        f["trace"],
        serde_json::json!([
            {"file": "explain-me/templates/labels.yaml", "line": 6},
            {"file": "explain-me/templates/_helpers.tpl", "line": 4}
        ])
    );
}

#[test]
fn an_unquoted_value_names_the_action_and_the_values_key() {
    let all = lint_findings();
    let f = finding(&all, "yaml", "explain-me/templates/motto.yaml");
    assert_eq!(f["file"], "explain-me/templates/motto.yaml");
    assert_eq!(f["line"], 6);
    assert_eq!(f["renderedText"], "  motto: fast: and right");
    assert_eq!(
        f["value"],
        serde_json::json!({"key": "motto", "file": "explain-me/values.yaml", "line": 4})
    );
}

#[test]
fn a_value_set_by_a_flag_names_the_flag() {
    let chart = chart();
    let (_, stdout, _) = chartroom(&[
        "lint",
        chart.to_str().unwrap(),
        "--set",
        "motto=a: b",
        "-o",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let all = v["findings"].as_array().unwrap();
    let f = finding(all, "yaml", "explain-me/templates/motto.yaml");
    assert_eq!(
        f["value"],
        serde_json::json!({"key": "motto", "flag": "--set"})
    );
}

#[test]
fn to_yaml_without_nindent_names_the_action() {
    let all = lint_findings();
    let f = finding(&all, "yaml", "explain-me/templates/resources.yaml");
    assert_eq!(f["file"], "explain-me/templates/resources.yaml");
    assert_eq!(f["line"], 9);
    assert_eq!(f["value"]["key"], "resources");
    assert_eq!(f["value"]["line"], 6);
}

#[test]
fn a_quoted_integer_names_the_action_and_the_values_key() {
    let all = lint_findings();
    let f = finding(&all, "schema", "explain-me/templates/port.yaml");
    assert_eq!(f["path"], "/spec/ports/0/port");
    assert_eq!(f["file"], "explain-me/templates/port.yaml");
    assert_eq!(f["line"], 7);
    assert_eq!(f["renderedLine"], 7);
    assert_eq!(f["renderedColumn"], 13);
    assert_eq!(
        f["value"],
        serde_json::json!({"key": "port", "file": "explain-me/values.yaml", "line": 2})
    );
}

#[test]
fn explain_keeps_helms_error_first_then_the_rendered_lines() {
    let chart = chart();
    let (code, stdout, stderr) = chartroom(&["template", chart.to_str().unwrap(), "--explain"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    let helm = "Error: YAML parse error on explain-me/templates/labels.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context\n\nUse --debug flag to render out invalid YAML\n\nRendered explain-me/templates/labels.yaml:\n";
    assert!(stderr.starts_with(helm), "{stderr}");
    let marked: Vec<&str> = stderr.lines().filter(|l| l.starts_with('>')).collect();
    assert_eq!(marked.len(), 1, "{stderr}");
    assert!(
        marked[0].contains("app.kubernetes.io/part-of: demo")
            && marked[0].ends_with(
                "<- explain-me/templates/_helpers.tpl:4 (via explain-me/templates/labels.yaml:6)"
            ),
        "{stderr}"
    );
    // Without --explain: Helm's text only.
    let (_, _, plain) = chartroom(&["template", chart.to_str().unwrap()]);
    let helm_only = helm.trim_end_matches("Rendered explain-me/templates/labels.yaml:\n");
    assert_eq!(plain, format!("{}\n", helm_only.trim_end()));
}

#[test]
fn explain_after_an_execution_error_shows_the_output_so_far() {
    let dir = temp_chart(
        "x",
        &[(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  a: {{ required \"set a\" .Values.a }}\n",
        )],
    );
    let (code, _, stderr) = chartroom(&["template", dir.to_str().unwrap(), "--explain"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("Error: execution error at (x/templates/cm.yaml:6:8): set a"),
        "{stderr}"
    );
    assert!(stderr.contains("Rendered x/templates/cm.yaml:"), "{stderr}");
    assert!(
        stderr.contains("   4 |   name: release-name")
            && stderr.contains("<- x/templates/cm.yaml:4"),
        "{stderr}"
    );
    let last = stderr.lines().last().unwrap();
    assert!(last.starts_with(">    6 |   a: "), "{stderr}");
}

#[test]
fn explain_names_the_helper_line_an_include_failed_at() {
    let dir = temp_chart(
        "ie",
        &[
            (
                "_h.tpl",
                "{{- define \"ie.need\" -}}\nname: x\nvalue: {{ required \"set a\" .Values.a }}\n{{- end }}\n",
            ),
            (
                "cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  {{- include \"ie.need\" . | nindent 2 }}\n",
            ),
        ],
    );
    let (code, _, stderr) = chartroom(&["template", dir.to_str().unwrap(), "--explain"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("Error: execution error at (ie/templates/cm.yaml:6:6): set a"),
        "{stderr}"
    );
    let marked = stderr.lines().find(|l| l.starts_with('>')).unwrap();
    assert!(
        marked.ends_with("<- ie/templates/_h.tpl:3 (via ie/templates/cm.yaml:6)"),
        "{stderr}"
    );
}
