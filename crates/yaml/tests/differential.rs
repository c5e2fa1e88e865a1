//! Differential tests against outputs recorded from the real helm (v4.3.1) by
//! `tests/regen.sh`: for every input in `tests/data/cases`, Helm's template
//! `FUNC (fromYaml file)` for FUNC in toJson, toYaml, toPrettyJson and toRawJson.
//! Helm's `fromYaml` puts a parse error into an `Error` key, and its encoders return "" on
//! error (toYaml also trims one trailing newline, toRawJson the encoder's newline).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chartroom_template::value::{Map, Value};
use chartroom_yaml::{
    from_json_array, from_json_map_partial, from_yaml_map, to_json, to_pretty_json, to_raw_json,
    to_toml, to_yaml,
};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn helm_from_yaml(src: &str) -> Value {
    match from_yaml_map(src) {
        Ok(v) => v,
        Err(e) => {
            let mut m = Map::new();
            m.insert("Error".into(), Value::string(e.to_string()));
            Value::map(m)
        }
    }
}

fn expected(func: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(data_dir().join("expected").join(format!("{func}.txt")))
        .expect("expected file");
    let mut out = BTreeMap::new();
    let mut lines = text.split('\n');
    while let Some(l) = lines.next() {
        if let Some(name) = l.strip_prefix("=== ") {
            let mut body = Vec::new();
            for b in lines.by_ref() {
                if b == "=== end" {
                    break;
                }
                body.push(b);
            }
            // regen.sh adds one newline after the decoded output; splitting on '\n' eats it.
            out.insert(name.to_string(), body.join("\n"));
        }
    }
    out
}

/// Helm's `fromJson`: the (possibly partly decoded) map, with any error in `Error`.
fn helm_from_json(src: &str) -> Value {
    let (v, err) = from_json_map_partial(src);
    if let (Some(e), Value::Map(m, _)) = (err, &v) {
        m.borrow_mut()
            .insert("Error".into(), Value::string(e.to_string()));
    }
    v
}

/// Helm's `fromJsonArray`: on error, a list holding the error text.
fn helm_from_json_array(src: &str) -> Value {
    from_json_array(src).unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())]))
}

/// Inputs whose recorded output we knowingly do not reproduce (see docs/notes/yaml.md):
/// JSON `null` decodes to a Go nil map / nil slice, which `Value` cannot express.
const KNOWN_DEVIATIONS: &[(&str, &str)] = &[("fromJson", "004"), ("fromJsonArray", "004")];

fn run(func: &str, f: fn(&Value) -> String) {
    run_on(func, "cases", 100, helm_from_yaml, f)
}

fn run_on(func: &str, dir: &str, min: usize, read: fn(&str) -> Value, f: fn(&Value) -> String) {
    let exp = expected(func);
    assert!(exp.len() >= min, "too few recorded cases: {}", exp.len());
    let mut failures = Vec::new();
    for (name, want) in &exp {
        if KNOWN_DEVIATIONS.contains(&(func, name.as_str())) {
            continue;
        }
        let src = std::fs::read_to_string(data_dir().join(dir).join(name)).expect("case");
        let got = f(&read(&src));
        if &got != want {
            failures.push(format!(
                "--- {func} {name}\ninput:\n{src}\nwant:\n{want}\ngot:\n{got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        exp.len(),
        failures.join("\n")
    );
}

#[test]
fn from_yaml_to_json() {
    run("toJson", |v| to_json(v).unwrap_or_default());
}

#[test]
fn from_yaml_to_yaml() {
    run("toYaml", |v| {
        to_yaml(v)
            .map(|s| s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
            .unwrap_or_default()
    });
}

#[test]
fn from_yaml_to_pretty_json() {
    run("toPrettyJson", |v| to_pretty_json(v).unwrap_or_default());
}

#[test]
fn from_yaml_to_raw_json() {
    run("toRawJson", |v| to_raw_json(v).unwrap_or_default());
}

#[test]
fn from_yaml_to_toml() {
    run("toToml", |v| {
        to_toml(v)
            .map(|doc| String::from_utf8(doc).expect("UTF-8 in, UTF-8 out"))
            .unwrap_or_else(|e| e.to_string())
    });
}

#[test]
fn from_json_helm() {
    run_on("fromJson", "json", 30, helm_from_json, |v| {
        to_json(v).unwrap_or_default()
    });
}

#[test]
fn from_json_array_helm() {
    run_on("fromJsonArray", "json", 30, helm_from_json_array, |v| {
        to_json(v).unwrap_or_default()
    });
}
