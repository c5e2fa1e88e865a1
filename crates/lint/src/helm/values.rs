//! Helm's values rule (`rules.ValuesWithOverrides`): values.yaml must parse, and the values
//! flags coalesced over it (top level only, as Helm does) must meet values.schema.json.

use chartroom_template::Value;

use super::{Linter, Sev};

const FILE: &str = "values.yaml";

/// `common.ReadValues`: the first YAML document, which must be a map (or empty).
fn read_values(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    let v = chartroom_yaml::from_yaml(&text).map_err(|e| {
        let e = e.to_string();
        if e.starts_with("error converting YAML to JSON")
            || e.starts_with("error unmarshaling JSON")
        {
            e
        } else {
            format!("error converting YAML to JSON: {e}")
        }
    })?;
    match v {
        Value::Nil => Ok(Value::empty_map()),
        m @ Value::Map(..) => Ok(m),
        other => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type common.Values",
            chartroom_yaml::json_kind(&other)
        )),
    }
}

/// Runs the rule. `values` is values.yaml (`None`: absent), `schema` values.schema.json.
pub(crate) fn lint(
    l: &mut Linter,
    values: Option<&[u8]>,
    schema: Option<&[u8]>,
    overrides: &Value,
    skip_schema: bool,
) {
    let Some(data) = values else {
        l.add(Sev::Info, FILE, "file does not exist".into());
        return;
    };
    let vals = match read_values(data) {
        Ok(v) => v,
        Err(e) => {
            l.add(Sev::Error, FILE, format!("unable to parse YAML: {e}"));
            return;
        }
    };
    let schema = match schema {
        Some(s) if !s.is_empty() => s,
        _ => return,
    };
    if skip_schema {
        return;
    }
    let base = match overrides {
        Value::Map(..) => overrides.deep_copy(),
        _ => Value::empty_map(),
    };
    let coalesced = chartroom_chart::coalesce_tables(&base, &vals);
    if let Err(e) = chartroom_chart::schema::validate_single(&coalesced, schema) {
        l.add(Sev::Error, FILE, e.trim_end_matches('\n').to_string());
    }
}
