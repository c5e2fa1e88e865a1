//! Helm's own encoding functions (helm.sh/helm/v4/pkg/engine/funcs.go) and Sprig's JSON
//! helpers that Helm keeps, as thin wrappers over `chartroom-yaml`.

use chartroom_template::{Map, Value};

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::String(_) => "string",
        Value::Int(_) | Value::Int64(_) | Value::Float(_) => "number",
        Value::List(..) | Value::Bytes(_) => "array",
        _ => "object",
    }
}

/// `toYaml`: `yaml.Marshal` without the final newline; "" on error.
pub fn to_yaml(v: &Value) -> String {
    must_to_yaml(v).unwrap_or_default()
}

/// `mustToYaml`: as `toYaml`, but the marshal error is the function's error.
pub fn must_to_yaml(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_yaml(&v.to_plain())
        .map(|s| s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
        .map_err(|e| e.to_string())
}

/// `toYamlPretty`: go-yaml v3's encoder with indent 2. It differs from `toYaml` in that a
/// block sequence that is a mapping value is indented under its key. Derived from the
/// go-yaml v2 text by re-indenting those sequences.
pub fn to_yaml_pretty(v: &Value) -> String {
    match chartroom_yaml::to_yaml(&v.to_plain()) {
        Ok(s) => {
            let s = indent_sequences(&s);
            s.strip_suffix('\n').map(str::to_string).unwrap_or(s)
        }
        Err(_) => String::new(),
    }
}

/// Columns of leading spaces, and the column where the content starts after any `- `
/// sequence-entry prefixes.
fn line_shape(line: &str) -> (usize, usize) {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut i = indent;
    let b = line.as_bytes();
    while i + 1 < b.len() && b[i] == b'-' && b[i + 1] == b' ' {
        i += 2;
    }
    (indent, i)
}

fn opens_block_scalar(line: &str) -> bool {
    let t = line.trim_end();
    let (head, last) = match t.rfind(' ') {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => ("", t),
    };
    let header = (last.starts_with('|') || last.starts_with('>'))
        && last[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit());
    header && (head.is_empty() || head.ends_with(':') || head.trim_start().ends_with('-'))
}

/// Re-indents every block sequence that is the value of a mapping key by two columns
/// (recursively), which turns go-yaml v2 layout into go-yaml v3 layout with indent 2.
pub fn indent_sequences(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Original indents of the sequences being shifted.
    let mut regions: Vec<usize> = Vec::new();
    // Indent of a block scalar header whose content lines follow.
    let mut scalar_parent: Option<usize> = None;
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line.is_empty() {
            continue;
        }
        let (indent, content) = line_shape(line);
        if let Some(p) = scalar_parent {
            if indent > p {
                out.push_str(&" ".repeat(2 * regions.len()));
                out.push_str(line);
                continue;
            }
            scalar_parent = None;
        }
        let is_item = line[indent..].starts_with("- ") || &line[indent..] == "-";
        while let Some(&r) = regions.last() {
            if indent < r || (indent == r && !is_item) {
                regions.pop();
            } else {
                break;
            }
        }
        out.push_str(&" ".repeat(2 * regions.len()));
        out.push_str(line);
        if opens_block_scalar(line) {
            scalar_parent = Some(content);
            continue;
        }
        // A key whose value is a block node on the next lines.
        if line.ends_with(':') {
            if let Some(next) = lines.get(n + 1) {
                let (ni, _) = line_shape(next);
                let next_item = next[ni..].starts_with("- ") || &next[ni..] == "-";
                if ni == content && next_item {
                    regions.push(content);
                }
            }
        }
    }
    out
}

/// `fromYaml`: a map; a parse error is returned in the map's `Error` key.
pub fn from_yaml(s: &str) -> Value {
    match chartroom_yaml::from_yaml_map(s) {
        Ok(v) => v,
        Err(e) => error_map(e.to_string()),
    }
}

/// `fromYamlArray`: a list; a parse error becomes the list's only element.
pub fn from_yaml_array(s: &str) -> Value {
    match chartroom_yaml::from_yaml_array(s) {
        Ok(v) => v,
        Err(e) => Value::list(vec![Value::string(e.to_string())]),
    }
}

fn error_map(msg: String) -> Value {
    let mut m = Map::new();
    m.insert("Error".into(), Value::string(msg));
    Value::map(m)
}

/// `toJson`: `json.Marshal`; "" on error.
pub fn to_json(v: &Value) -> String {
    must_to_json(v).unwrap_or_default()
}

pub fn must_to_json(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_json(&v.to_plain()).map_err(|e| e.to_string())
}

/// Sprig's `mustToRawJson` (and `toRawJson`, which panics on the same error).
pub fn to_raw_json(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_raw_json(&v.to_plain()).map_err(|e| e.to_string())
}

/// Sprig's `mustToPrettyJson`; `toPrettyJson` ignores the error and returns "".
pub fn to_pretty_json(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_pretty_json(&v.to_plain()).map_err(|e| e.to_string())
}

/// Helm's `fromJson`: a map; errors in the `Error` key.
pub fn from_json(s: &str) -> Value {
    match chartroom_yaml::from_json(s) {
        Ok(v @ Value::Map(..)) => v,
        // `null` unmarshals into a nil map, which prints as `map[]`.
        Ok(Value::Nil) => Value::empty_map(),
        Ok(other) => error_map(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
        Err(e) => error_map(e.to_string()),
    }
}

/// Helm's `fromJsonArray`: a list; an error becomes its only element.
pub fn from_json_array(s: &str) -> Value {
    match chartroom_yaml::from_json(s) {
        Ok(v @ Value::List(..)) => v,
        Ok(Value::Nil) => Value::list(Vec::new()),
        Ok(other) => Value::list(vec![Value::string(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        ))]),
        Err(e) => Value::list(vec![Value::string(e.to_string())]),
    }
}

/// Sprig's `mustFromJson`: any JSON value, or the error.
pub fn must_from_json(s: &str) -> Result<Value, String> {
    chartroom_yaml::from_json(s).map_err(|e| e.to_string())
}
