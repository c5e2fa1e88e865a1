//! YAML and JSON exactly as Helm's Go libraries handle them: reading with go-yaml v2's
//! resolution rules through sigs.k8s.io/yaml, writing as sigs.k8s.io/yaml over go-yaml v2 does,
//! and JSON as Go's `encoding/json` does.
//!
//! The YAML scanner and parser follow libyaml's algorithm (which go-yaml v2 ports), so the
//! accepted inputs, error texts and error line numbers match Helm's.

pub mod base64;
mod decode;
mod emit;
pub mod gofloat;
mod gotime;
mod json;
mod locate;
mod parser;
mod reader;
mod scanner;
mod toml;

use std::fmt;

use chartroom_template::value::Value;
use chartroom_template::Limits;

pub use decode::{GoVal, Pick};
pub use json::{
    from_json, from_json_array, from_json_map, from_json_map_partial, from_json_prefix, json_kind,
    to_json, to_pretty_json, to_raw_json,
};
pub use locate::{locate, Located, Position};
pub use reader::escape_pointer_token;
pub use toml::to_toml;

/// An error with Go's exact message text.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    message: String,
}

impl YamlError {
    pub fn new(message: impl Into<String>) -> YamlError {
        YamlError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

/// The 1-based line a go-yaml error message names (`yaml: line 5: mapping values are not
/// allowed in this context`), also inside a wrapping message.
pub fn message_line(message: &str) -> Option<u32> {
    let at = message.find("yaml: line ")? + "yaml: line ".len();
    let digits = &message[at..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// sigs.k8s.io/yaml's YAML-to-JSON step: the first document as a `Value` (numbers are
/// float64, keys strings). `Ok(None)` for a stream without a document (empty or comments
/// only). Errors read `error converting YAML to JSON: yaml: line 3: ...`.
fn yaml_to_value(src: &str, limits: &Limits) -> Result<Option<Value>, YamlError> {
    let go = decode::decode_first_with(src, limits).map_err(convert_err)?;
    match go {
        None => Ok(None),
        Some(g) => decode::to_value(&g).map(Some).map_err(convert_err),
    }
}

fn convert_err(e: decode::ReadError) -> YamlError {
    match e {
        decode::ReadError::Yaml(m) | decode::ReadError::Convert(m) => {
            YamlError::new(format!("error converting YAML to JSON: {m}"))
        }
    }
}

/// The error go-yaml v2's reader reports for input that is not valid UTF-8 (its `problem`
/// text; Go prints it as `yaml: PROBLEM`), or `None` for valid UTF-8. The reader decodes the
/// raw input ahead of the scanner, so this is what `yaml.Unmarshal` fails with for such input
/// (Helm: `YAML parse error on FILE: error converting YAML to JSON: yaml: PROBLEM`).
pub fn utf8_reader_error(b: &[u8]) -> Option<&'static str> {
    if std::str::from_utf8(b).is_ok() {
        return None;
    }
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (width, mut value) = match c {
            _ if c & 0x80 == 0 => (1, u32::from(c)),
            _ if c & 0xe0 == 0xc0 => (2, u32::from(c & 0x1f)),
            _ if c & 0xf0 == 0xe0 => (3, u32::from(c & 0x0f)),
            _ if c & 0xf8 == 0xf0 => (4, u32::from(c & 0x07)),
            _ => return Some("invalid leading UTF-8 octet"),
        };
        if i + width > b.len() {
            return Some("incomplete UTF-8 octet sequence");
        }
        for &t in &b[i + 1..i + width] {
            if t & 0xc0 != 0x80 {
                return Some("invalid trailing UTF-8 octet");
            }
            value = (value << 6) | u32::from(t & 0x3f);
        }
        let shortest = match width {
            1 => true,
            2 => value >= 0x80,
            3 => value >= 0x800,
            _ => value >= 0x10000,
        };
        if !shortest {
            return Some("invalid length of a UTF-8 sequence");
        }
        if (0xd800..=0xdfff).contains(&value) || value > 0x10ffff {
            return Some("invalid Unicode character");
        }
        i += width;
    }
    None
}

/// `sigs.k8s.io/yaml.Unmarshal(src, &v)` with `v interface{}`: any kind of document;
/// `Value::Nil` for an empty stream.
pub fn from_yaml(src: &str) -> Result<Value, YamlError> {
    from_yaml_with(src, &Limits::default())
}

/// [`from_yaml`] under the YAML limits (`yaml-depth`, `yaml-aliases`) of `limits`.
pub fn from_yaml_with(src: &str, limits: &Limits) -> Result<Value, YamlError> {
    Ok(yaml_to_value(src, limits)?.unwrap_or(Value::Nil))
}

/// `sigs.k8s.io/yaml.Unmarshal(src, &m)` with `m map[string]interface{}` (values files,
/// Chart.yaml-like documents, Helm's `fromYaml`). A null or empty document gives an empty
/// map; a document that is not a mapping gives encoding/json's type error.
pub fn from_yaml_map(src: &str) -> Result<Value, YamlError> {
    from_yaml_map_with(src, &Limits::default())
}

/// [`from_yaml_map`] under the YAML limits of `limits`.
pub fn from_yaml_map_with(src: &str, limits: &Limits) -> Result<Value, YamlError> {
    match yaml_to_value(src, limits)? {
        None | Some(Value::Nil) => Ok(Value::empty_map()),
        Some(v @ Value::Map(..)) => Ok(v),
        Some(other) => Err(YamlError::new(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        ))),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(src, &a)` with `a []interface{}` (Helm's `fromYamlArray`).
/// A null document gives an empty list.
pub fn from_yaml_array(src: &str) -> Result<Value, YamlError> {
    from_yaml_array_with(src, &Limits::default())
}

/// [`from_yaml_array`] under the YAML limits of `limits`.
pub fn from_yaml_array_with(src: &str, limits: &Limits) -> Result<Value, YamlError> {
    match yaml_to_value(src, limits)? {
        None | Some(Value::Nil) => Ok(Value::list(Vec::new())),
        Some(v @ Value::List(..)) => Ok(v),
        Some(other) => Err(YamlError::new(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&other)
        ))),
    }
}

/// `sigs.k8s.io/yaml.Marshal(v)`: JSON first, then go-yaml v2's output of that JSON. The
/// text ends with a newline (Helm's `toYaml` trims it).
pub fn to_yaml(v: &Value) -> Result<String, YamlError> {
    emit::to_yaml(v)
}

/// go-yaml v2's view of the first document before sigs.k8s.io/yaml's JSON step, for callers
/// that decode into typed Go structs (Chart.yaml metadata, manifest heads), where
/// sigs.k8s.io/yaml turns scalars into strings for string fields (see
/// [`go_scalar_as_string`]). `Ok(None)` for a stream without a document.
pub fn from_yaml_go(src: &str) -> Result<Option<GoVal>, YamlError> {
    from_yaml_go_with(src, &Limits::default())
}

/// [`from_yaml_go`] under the YAML limits of `limits`.
pub fn from_yaml_go_with(src: &str, limits: &Limits) -> Result<Option<GoVal>, YamlError> {
    decode::decode_first_with(src, limits).map_err(convert_err)
}

/// [`from_yaml_go`] keeping only the parts of the document `pick` picks, in one pass without
/// holding the whole document (for large rendered manifests): the same error as
/// `from_yaml_go` then [`go_to_value`] of the whole document, or `None` where that needs the
/// whole document (aliases, merge keys, null or collection keys). See
/// `decode::decode_first_outline`.
pub fn from_yaml_go_outline(
    src: &str,
    pick: &dyn Fn(&[String], &str) -> Pick,
) -> Option<Result<Option<GoVal>, YamlError>> {
    decode::decode_first_outline(src, &Limits::default(), pick).map(|r| r.map_err(convert_err))
}

/// sigs.k8s.io/yaml's conversion of a YAML scalar decoded for a Go `string` field: ints as
/// decimal, floats as `FormatFloat(f, 'g', -1, 32)` (`appVersion: 1.10` is "1.1"), booleans
/// as `true`/`false`, strings unchanged. `None` for null and collections (encoding/json then
/// decides: null leaves the field empty, a collection is a type error).
pub fn go_scalar_as_string(v: &GoVal) -> Option<String> {
    match v {
        GoVal::Str(s) => Some(s.clone()),
        GoVal::Int(i) => Some(i.to_string()),
        GoVal::Uint(u) => Some(u.to_string()),
        GoVal::Float(f) => Some(chartroom_template::fmt::format_float32(*f as f32, 'g', -1)),
        GoVal::Bool(b) => Some(b.to_string()),
        GoVal::Nil | GoVal::Seq(_) | GoVal::Map(_) => None,
    }
}

/// The JSON round trip of a decoded document ([`from_yaml`] is `from_yaml_go` + this).
pub fn go_to_value(v: &GoVal) -> Result<Value, YamlError> {
    decode::to_value(v).map_err(convert_err)
}

/// [`from_yaml`] of one document (`Value::Nil` for none) together with the map keys it
/// repeats: (JSON Pointer of the later key, key) for every key that appears again later in
/// its map, as go-yaml's view of the document (which keeps every entry; the JSON step keeps
/// the last) shows them, maps in the order they start, each map's keys in order; keys
/// named as the JSON step names them. Block-style documents as `helm template` prints them
/// take a fast path that reads them straight into the value (see `reader.rs`); the result
/// is the same.
pub fn from_yaml_with_duplicates(src: &str) -> Result<(Value, Vec<(String, String)>), YamlError> {
    if let Some(read) = reader::read_fast(src) {
        return Ok(read);
    }
    from_yaml_with_duplicates_general(src)
}

/// The fast path of [`from_yaml_with_duplicates`] alone: `None` when the document is not
/// in its subset (for comparing the two paths).
#[doc(hidden)]
pub fn from_yaml_with_duplicates_fast(src: &str) -> Option<(Value, Vec<(String, String)>)> {
    reader::read_fast(src)
}

/// [`from_yaml_with_duplicates`] without the fast path (for comparing the two).
#[doc(hidden)]
pub fn from_yaml_with_duplicates_general(
    src: &str,
) -> Result<(Value, Vec<(String, String)>), YamlError> {
    match from_yaml_go(src)? {
        None => Ok((Value::Nil, Vec::new())),
        Some(g) => Ok((go_to_value(&g)?, reader::duplicate_keys(&g))),
    }
}
