//! The YAML limits (`yaml-depth`, `yaml-aliases`): the defaults read what real values files
//! hold, a lowered limit fails with an error naming it (Helm's own alias check, which comes
//! first at the defaults, is `api.rs`'s `alias_bomb_is_refused`).

use chartroom_template::Limits;
use chartroom_yaml::{from_yaml_go_with, from_yaml_map_with, from_yaml_with};

fn limits(name: &str, value: u64) -> Limits {
    let mut l = Limits::default();
    l.set(name, value).expect("known limit");
    l
}

/// A values file as large charts write them: nested 40 deep, with anchors reused.
fn golden_sized() -> String {
    let mut s = String::from("defaults: &d\n  image: {repository: nginx, tag: \"1.25\"}\n  resources: {limits: {cpu: 1}}\n");
    for i in 0..50 {
        s.push_str(&format!("svc{i}:\n  <<: *d\n  name: s{i}\n"));
    }
    s.push_str("deep:\n");
    for i in 0..40 {
        s.push_str(&"  ".repeat(i + 1));
        s.push_str(&format!("l{i}:\n"));
    }
    s.push_str(&"  ".repeat(41));
    s.push_str("leaf: 1\n");
    s
}

#[test]
fn defaults_read_a_golden_sized_values_file() {
    let v = from_yaml_map_with(&golden_sized(), &Limits::default()).unwrap();
    let json = chartroom_yaml::to_json(&v).unwrap();
    assert!(json.contains("\"leaf\":1"), "{json}");
}

#[test]
fn lowered_yaml_depth_names_the_limit() {
    let text = golden_sized();
    let e = from_yaml_map_with(&text, &limits("yaml-depth", 20))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "error converting YAML to JSON: yaml: nesting exceeded the limit yaml-depth=20 (chartroom's, not Helm's; raise it with --limit yaml-depth=N)"
    );
    assert!(from_yaml_map_with(&text, &limits("yaml-depth", 60)).is_ok());
    // The typed reader (Chart.yaml) too.
    assert!(from_yaml_go_with("[[[[1]]]]", &limits("yaml-depth", 3)).is_err());
    assert!(from_yaml_go_with("[[[[1]]]]", &limits("yaml-depth", 5)).is_ok());
}

#[test]
fn yaml_depth_above_the_ceiling_is_lowered_and_keeps_go_yamls_text() {
    let deep = format!("{}1{}", "[".repeat(600), "]".repeat(600));
    let e = from_yaml_with(&deep, &limits("yaml-depth", 100_000))
        .unwrap_err()
        .to_string();
    assert!(e.ends_with("yaml: exceeded max depth of 500"), "{e}");
}

#[test]
fn lowered_yaml_aliases_names_the_limit() {
    let text = golden_sized();
    let e = from_yaml_map_with(&text, &limits("yaml-aliases", 100))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "error converting YAML to JSON: yaml: nodes decoded through aliases exceeded the limit yaml-aliases=100 (chartroom's, not Helm's; raise it with --limit yaml-aliases=N)"
    );
    assert!(from_yaml_map_with(&text, &limits("yaml-aliases", 1000)).is_ok());
}
