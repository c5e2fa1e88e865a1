//! The one place this crate calls YAML: `chartroom-yaml` (go-yaml v2 via sigs.k8s.io/yaml
//! semantics, every number a float64).

use chartroom_template::{Limits, Value};

/// Parses one YAML document into a generic value (what `yaml.Unmarshal` into `interface{}`
/// gives through sigs.k8s.io/yaml). Errors read `error converting YAML to JSON: yaml: ...`.
pub(crate) fn parse_yaml(text: &str, limits: &Limits) -> Result<Value, String> {
    chartroom_yaml::from_yaml_with(text, limits).map_err(|e| e.to_string())
}

/// Parses a document for decoding into a typed Go struct (Chart.yaml): like [`parse_yaml`],
/// but YAML integers stay `Int64` and floats `Float`, so sigs.k8s.io/yaml's conversion of
/// scalars for string fields can tell `1` from `1.0` and keep big integers exact.
pub(crate) fn parse_yaml_typed(text: &str, limits: &Limits) -> Result<Value, String> {
    // the JSON step's errors (e.g. `json: unsupported value: -Inf`) come from the plain path
    chartroom_yaml::from_yaml_with(text, limits).map_err(|e| e.to_string())?;
    match chartroom_yaml::from_yaml_go_with(text, limits) {
        Ok(None) => Ok(Value::Nil),
        Ok(Some(g)) => Ok(go_to_typed(&g, 0)),
        Err(e) => Err(e.to_string()),
    }
}

fn go_to_typed(g: &chartroom_yaml::GoVal, depth: usize) -> Value {
    use chartroom_yaml::GoVal;
    if depth > 200 {
        return Value::Nil;
    }
    match g {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(*b),
        GoVal::Int(i) => Value::Int64(*i),
        GoVal::Uint(u) => Value::string(u.to_string()),
        GoVal::Float(f) => Value::Float(*f),
        GoVal::Str(s) => Value::str(s),
        GoVal::Seq(items) => Value::list(items.iter().map(|x| go_to_typed(x, depth + 1)).collect()),
        GoVal::Map(entries) => {
            let mut m = chartroom_template::Map::new();
            for (k, v) in entries {
                let key = chartroom_yaml::go_scalar_as_string(k).unwrap_or_else(|| "null".into());
                m.insert(key, go_to_typed(v, depth + 1));
            }
            Value::map(m)
        }
    }
}
