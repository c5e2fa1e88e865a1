//! The one place this crate calls YAML: `chartroom-yaml` (go-yaml v2 via sigs.k8s.io/yaml
//! semantics, every number a float64).

use chartroom_template::Value;

/// Parses one YAML document into a generic value (what `yaml.Unmarshal` into `interface{}`
/// gives through sigs.k8s.io/yaml). Errors read `error converting YAML to JSON: yaml: ...`.
pub(crate) fn parse_yaml(text: &str) -> Result<Value, String> {
    chartroom_yaml::from_yaml(text).map_err(|e| e.to_string())
}

/// sigs.k8s.io/yaml's `Marshal` (for `.Files.AsConfig`/`AsSecrets`).
pub(crate) fn to_yaml(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_yaml(v).map_err(|e| e.to_string())
}
