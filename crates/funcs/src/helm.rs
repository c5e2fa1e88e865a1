//! Helm's own encoding functions (helm.sh/helm/v4/pkg/engine/funcs.go) and Sprig's JSON
//! helpers that Helm keeps, as thin wrappers over `chartroom-yaml`.

use chartroom_template::fmt::quote as go_quote;
use chartroom_template::{ElemKind, Map, MapRef, Tag, Value};

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
    // go-yaml v3 prints float64 with strconv 'g' (`1e+07`), while the v2 text comes from JSON
    // (`10000000`, read back as an int). Such floats are swapped for unique marker floats that
    // both paths print the same way, and the markers are replaced in the text afterwards.
    // Strings that are not UTF-8 are written by go-yaml v3 as `!!binary` base64; they are
    // swapped for plain marker words the same way.
    let mut markers = Vec::new();
    let mut binaries = Vec::new();
    let marked = mark_floats(&v.to_plain(), &mut markers, &mut binaries, 0);
    match chartroom_yaml::to_yaml(&marked) {
        Ok(s) => {
            let mut s = indent_sequences(&unfold(&s));
            if !markers.is_empty() {
                s = replace_markers(&s, &markers);
            }
            if !binaries.is_empty() {
                s = replace_binaries(&s, &binaries);
            }
            s.strip_suffix('\n').map(str::to_string).unwrap_or(s)
        }
        Err(_) => String::new(),
    }
}

/// The marker word standing for the `n`th binary string (plain in YAML, unlikely in data).
fn binary_marker(n: usize) -> String {
    format!("zq7ChartroomBinaryMarker{n}x")
}

fn mark_floats(
    v: &Value,
    markers: &mut Vec<(String, String)>,
    binaries: &mut Vec<Vec<u8>>,
    depth: usize,
) -> Value {
    if depth > 10_000 {
        return v.clone();
    }
    match v {
        Value::String(s) if !s.is_utf8() => {
            binaries.push(s.as_bytes().to_vec());
            Value::string(binary_marker(binaries.len() - 1))
        }
        Value::Float(f)
            if f.is_finite() && f.fract() == 0.0 && f.abs() >= 1e6 && f.abs() < 1e21 =>
        {
            let k = markers.len() as f64;
            let m = (k + 1.5) * 1e-300 * f.signum();
            markers.push((
                chartroom_template::fmt::format_float_g(m),
                chartroom_template::fmt::format_float_g(*f),
            ));
            Value::Float(m)
        }
        Value::List(l, k) => Value::List(
            std::rc::Rc::new(
                l.iter()
                    .map(|x| mark_floats(x, markers, binaries, depth + 1))
                    .collect(),
            ),
            *k,
        ),
        Value::Map(m, k) => {
            let map: Map = m
                .borrow()
                .iter()
                .map(|(key, x)| (key.clone(), mark_floats(x, markers, binaries, depth + 1)))
                .collect();
            Value::Map(std::rc::Rc::new(std::cell::RefCell::new(map)), *k)
        }
        other => other.clone(),
    }
}

fn replace_markers(text: &str, markers: &[(String, String)]) -> String {
    let lookup: std::collections::HashMap<&str, &str> = markers
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    text.split('\n')
        .map(|line| {
            let cut = line.rfind(' ').map(|i| i + 1).unwrap_or(0);
            match lookup.get(&line[cut..]) {
                Some(rep) => format!("{}{}", &line[..cut], rep),
                None => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// go-yaml v3's `!!binary` scalars in place of the marker words: the base64 text on the line
/// when it is shorter than 70 characters, otherwise a literal block of 70-character lines
/// indented two columns past the key (or at the sequence item's column).
fn replace_binaries(text: &str, binaries: &[Vec<u8>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let cut = line.rfind(' ').map(|i| i + 1).unwrap_or(0);
        let word = &line[cut..];
        let Some(n) = word
            .strip_prefix("zq7ChartroomBinaryMarker")
            .and_then(|w| w.strip_suffix('x'))
            .and_then(|w| w.parse::<usize>().ok())
            .filter(|n| *n < binaries.len() && binary_marker(*n) == word)
        else {
            out.push_str(line);
            continue;
        };
        let b64 = chartroom_yaml::base64::encode_std(&binaries[n]);
        out.push_str(&line[..cut]);
        if b64.len() < 70 {
            out.push_str("!!binary ");
            out.push_str(&b64);
            continue;
        }
        let indent = if line[..cut].trim_end().ends_with(':') {
            line_shape(line).1 + 2
        } else if cut == 0 {
            2
        } else {
            cut
        };
        out.push_str("!!binary |");
        for chunk in b64.as_bytes().chunks(70) {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            out.push_str(&String::from_utf8_lossy(chunk));
        }
    }
    out
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

/// Byte offset just past the closing quote of the quoted scalar starting at `s[0]`, or `None`
/// when it does not close on this line.
fn quoted_end(s: &str) -> Option<usize> {
    quoted_scan(s, 1).ok()
}

/// [`quoted_end`]'s scan from byte `from` (a position an earlier scan of a prefix of `s`
/// returned): `Ok(end)`, or `Err(position)` to resume from once `s` has grown, so that
/// joining a scalar's lines costs time linear in its length.
fn quoted_scan(s: &str, from: usize) -> Result<usize, usize> {
    let b = s.as_bytes();
    let Some(&q) = b.first() else {
        return Err(from);
    };
    let mut i = from.max(1);
    while i < b.len() {
        if q == b'\'' && b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Ok(i + 1);
        }
        if q == b'"' {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == b'"' {
                return Ok(i + 1);
            }
        }
        i += 1;
    }
    Err(i)
}

/// For a line's content (after indentation and `- ` prefixes): the byte offset where the
/// value starts if the content is `key: value` / `key:`.
fn key_value_start(content: &str) -> Option<usize> {
    let key_end = if content.starts_with('\'') || content.starts_with('"') {
        quoted_end(content)?
    } else {
        match content.find(": ") {
            Some(i) => i,
            None if content.ends_with(':') => content.len() - 1,
            None => return None,
        }
    };
    let rest = &content[key_end..];
    if rest == ":" {
        Some(content.len())
    } else if rest.starts_with(": ") {
        Some(key_end + 2)
    } else {
        None
    }
}

/// Undoes go-yaml v2's folding of long flow scalars at 80 columns (go-yaml v3, which
/// `toYamlPretty` uses, does not fold): a folded line break stands for one space.
pub fn unfold(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut block_owner: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let (indent, content_col) = line_shape(line);
        if let Some(owner) = block_owner {
            if line.is_empty() || indent > owner {
                out.push(line.to_string());
                continue;
            }
            block_owner = None;
        }
        if line.is_empty() {
            out.push(String::new());
            continue;
        }
        let content = &line[content_col..];
        let (owner, value) = match key_value_start(content) {
            Some(v) => (content_col, &content[v..]),
            None => (content_col.saturating_sub(2).max(indent), content),
        };
        if opens_block_scalar(line) {
            block_owner = Some(owner);
            out.push(line.to_string());
            continue;
        }
        let mut joined = line.to_string();
        let quoted = value.starts_with('\'') || value.starts_with('"');
        if quoted {
            let double = value.starts_with('"');
            let mut current = value.to_string();
            let mut resume = 1;
            while i < lines.len() {
                match quoted_scan(&current, resume) {
                    Ok(_) => break,
                    Err(at) => resume = at,
                }
                let next = lines[i].trim_start_matches(' ');
                i += 1;
                let next = if double && next.starts_with("\\ ") {
                    &next[1..]
                } else {
                    next
                };
                joined.push(' ');
                joined.push_str(next);
                current.push(' ');
                current.push_str(next);
            }
        } else if !value.is_empty() && !value.starts_with('{') && !value.starts_with('[') {
            while i < lines.len() && !lines[i].is_empty() {
                let (ni, _) = line_shape(lines[i]);
                if ni <= owner {
                    break;
                }
                joined.push(' ');
                joined.push_str(lines[i].trim_start_matches(' '));
                i += 1;
            }
        }
        out.push(joined);
    }
    out.join("\n")
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

/// `fromYaml`: a map; a parse error (a YAML limit of `limits` too) is returned in the map's
/// `Error` key.
pub fn from_yaml(s: &[u8], limits: &chartroom_template::Limits) -> Value {
    match yaml_text(s)
        .and_then(|t| chartroom_yaml::from_yaml_map_with(t, limits).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => error_map(e),
    }
}

/// `fromYamlArray`: a list; a parse error (a YAML limit of `limits` too) becomes the list's
/// only element.
pub fn from_yaml_array(s: &[u8], limits: &chartroom_template::Limits) -> Value {
    match yaml_text(s)
        .and_then(|t| chartroom_yaml::from_yaml_array_with(t, limits).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => Value::list(vec![Value::string(e)]),
    }
}

/// A Go string as YAML input: go-yaml's reader rejects bytes that are not UTF-8 first.
fn yaml_text(s: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(s).map_err(|_| {
        let problem = chartroom_yaml::utf8_reader_error(s).unwrap_or("invalid leading UTF-8 octet");
        format!("error converting YAML to JSON: yaml: {problem}")
    })
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
    chartroom_yaml::to_json(v).map_err(|e| e.to_string())
}

/// Sprig's `mustToRawJson` (and `toRawJson`, which panics on the same error).
pub fn to_raw_json(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_raw_json(v).map_err(|e| e.to_string())
}

/// Sprig's `mustToPrettyJson`; `toPrettyJson` ignores the error and returns "".
pub fn to_pretty_json(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_pretty_json(v).map_err(|e| e.to_string())
}

/// Helm's `fromJson`: a map; errors in the `Error` key.
/// Like Go's decoder, a type error deep inside (`1e400` into a float64) keeps what was
/// decoded, with the field at its zero value, and adds the `Error` key.
pub fn from_json(s: &str) -> Value {
    match chartroom_yaml::from_json_map_partial(s) {
        (v, None) => v,
        (Value::Map(m, _), Some(e)) => {
            let mut map = m.borrow().clone();
            map.insert("Error".into(), Value::string(e.to_string()));
            Value::map(map)
        }
        (_, Some(e)) => error_map(e.to_string()),
    }
}

/// Helm's `fromJsonArray`: a list; an error becomes its only element.
pub fn from_json_array(s: &str) -> Value {
    // A type error wins over a number out of range inside the value, as in Go (helm:
    // `fromJsonArray "{\"a\": 1e400}"` is `[json: cannot unmarshal object into ...]`).
    chartroom_yaml::from_json_array(s)
        .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())]))
}

/// Sprig's `mustFromJson`: any JSON value, or the error.
pub fn must_from_json(s: &str) -> Result<Value, String> {
    chartroom_yaml::from_json(s).map_err(|e| e.to_string())
}

/// The methods of Helm's `common.Values` (`.`, `.Values`, a `Table` of them): `YAML`,
/// `Table`, `AsMap`, `PathValue` and `Encode`, for [`chartroom_template::TemplateSet::set_values_methods`].
pub fn values_methods() -> chartroom_template::MapMethods {
    chartroom_template::MapMethods {
        names: &["AsMap", "Encode", "PathValue", "Table", "YAML"],
        receiver: |map| std::rc::Rc::new(ValuesReceiver(map)),
    }
}

/// Helm's `Values.Table(name)`: the table (a map, or a `common.Values`) at dotted path `name`;
/// Go's `"x" is not a table` error naming the first part that is not one. The engine takes a
/// subchart's values this way too.
pub fn values_table(values: &MapRef, name: &str) -> Result<MapRef, String> {
    let mut table = values.clone();
    for part in name.split('.') {
        let next = table.borrow().get(part).cloned();
        match next {
            Some(Value::Map(m, tag)) if matches!(tag.elem, ElemKind::Any | ElemKind::Values) => {
                table = m;
            }
            _ => return Err(format!("{} is not a table", go_quote(part))),
        }
    }
    Ok(table)
}

/// A `common.Values` as the receiver of one of its methods.
#[derive(Debug)]
struct ValuesReceiver(MapRef);

impl ValuesReceiver {
    fn value(&self) -> Value {
        Value::Map(self.0.clone(), Tag::VALUES)
    }

    fn table(&self, name: &str) -> Result<Value, String> {
        values_table(&self.0, name).map(|t| Value::Map(t, Tag::VALUES))
    }

    /// `Values.PathValue(path)`: the value (not a table) at dotted path `path`.
    fn path_value(&self, path: &str) -> Result<Value, String> {
        if path.is_empty() {
            return Err("YAML path cannot be empty".to_string());
        }
        // Go's `istable`: a `map[string]interface{}` (not a `common.Values`).
        let is_table = |v: &Value| matches!(v, Value::Map(_, tag) if tag.elem == ElemKind::Any);
        let not_a_value = |key: &str| format!("{} is not a value", go_quote(key));
        let (table, key) = match path.rsplit_once('.') {
            None => (self.value(), path),
            Some((parent, key)) => (self.table(parent).map_err(|_| not_a_value(key))?, key),
        };
        let found = match &table {
            Value::Map(m, _) => m.borrow().get(key).cloned(),
            _ => None,
        };
        match found {
            Some(v) if !is_table(&v) => Ok(v),
            _ => Err(not_a_value(key)),
        }
    }
}

impl chartroom_template::Object for ValuesReceiver {
    fn type_name(&self) -> &str {
        "common.Values"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        values_methods().names.contains(&name)
    }

    fn method_params(
        &self,
        name: &str,
    ) -> Option<(
        Vec<chartroom_template::ArgType>,
        Option<chartroom_template::ArgType>,
    )> {
        use chartroom_template::ArgType;
        Some(match name {
            "Table" | "PathValue" => (vec![ArgType::String], None),
            "Encode" => (vec![ArgType::Writer], None),
            _ => (Vec::new(), None),
        })
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let text = |i: usize| match args.get(i) {
            Some(Value::String(s)) => s.as_str_lossy().to_string(),
            _ => String::new(),
        };
        Some(match name {
            "AsMap" => Ok(Value::Map(self.0.clone(), Tag::ANY)),
            // sigs.k8s.io/yaml's Marshal, its final newline kept.
            "YAML" => chartroom_yaml::to_yaml(&self.value().to_plain())
                .map(|s| Value::str(&s))
                .map_err(|e| e.to_string()),
            "Table" => self.table(&text(0)),
            "PathValue" => self.path_value(&text(0)),
            // Only `nil` is an `io.Writer` here: Go's encoder then dereferences it.
            "Encode" => {
                Err("runtime error: invalid memory address or nil pointer dereference".to_string())
            }
            _ => return None,
        })
    }

    fn to_plain(&self) -> Value {
        self.value().to_plain()
    }

    fn go_string(&self) -> String {
        chartroom_template::fmt::format_value(&self.value())
            .as_str_lossy()
            .to_string()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
