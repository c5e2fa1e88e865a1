//! Helm's `fromToml`. (`toToml` writes through `chartroom_yaml::to_toml`.)

use chartroom_template::{Map, Value};

fn from_toml_value(v: &::toml::Value) -> Value {
    match v {
        ::toml::Value::String(s) => Value::str(s),
        ::toml::Value::Integer(i) => Value::Int64(*i),
        ::toml::Value::Float(f) => Value::Float(*f),
        ::toml::Value::Boolean(b) => Value::Bool(*b),
        ::toml::Value::Datetime(d) => Value::string(d.to_string()),
        ::toml::Value::Array(a) => Value::list(a.iter().map(from_toml_value).collect()),
        ::toml::Value::Table(t) => Value::map(
            t.iter()
                .map(|(k, v)| (k.clone(), from_toml_value(v)))
                .collect(),
        ),
    }
}

/// Helm's `fromToml`: a map; a parse error is put in the map's `Error` key (the text is the
/// Rust parser's, not BurntSushi's).
pub fn from_toml(s: &str) -> Value {
    match s.parse::<::toml::Table>() {
        Ok(t) => Value::map(
            t.iter()
                .map(|(k, v)| (k.clone(), from_toml_value(v)))
                .collect(),
        ),
        Err(e) => {
            let mut m = Map::new();
            m.insert(
                "Error".into(),
                Value::string(format!("toml: {}", e.message())),
            );
            Value::map(m)
        }
    }
}
