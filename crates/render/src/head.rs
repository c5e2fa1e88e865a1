//! The head of a rendered manifest as Helm's release utilities read it (`SimpleHead`:
//! `apiVersion`, `kind`, `metadata.name`, `metadata.annotations`), with sigs.k8s.io/yaml's
//! error texts.

use chartroom_template::Value;
use chartroom_yaml::{go_scalar_as_string, json_kind, GoVal};

/// What Helm's release utilities read from each rendered manifest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimpleHead {
    pub version: String,
    pub kind: String,
    /// `None` when the document has no `metadata` (or it is null).
    pub name: Option<String>,
    /// `metadata.namespace` when it is a string (Helm's `SimpleHead` has no namespace, so
    /// nothing else about it is an error).
    pub namespace: Option<String>,
    pub annotations: Option<Vec<(String, String)>>,
}

const JSON_PREFIX: &str = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";
const META_TYPE: &str = "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// A scalar decoded into a Go `string` field through sigs.k8s.io/yaml, which turns the YAML
/// scalar (`go`, as go-yaml read it: an int stays an int) into a string for string targets;
/// `v` is the same node after the JSON step, for the error's kind.
fn string_field(v: &Value, go: Option<&GoVal>, field: &str) -> Result<String, String> {
    match v {
        Value::Nil => Ok(String::new()),
        Value::String(s) => Ok(s.to_string_lossy()),
        Value::Bool(_) | Value::Int(_) | Value::Int64(_) | Value::Float(_) => Ok(go
            .and_then(go_scalar_as_string)
            .unwrap_or_else(|| chartroom_template::fmt::format_value(v).to_string_lossy())),
        other => Err(format!(
            "{JSON_PREFIX} {} into Go struct field {field} of type string",
            json_kind(other)
        )),
    }
}

/// The go-yaml node of `key` in a mapping, matched as [`lookup`] matches the converted one
/// (exact key first, then case-insensitive; a repeated key's last entry wins).
fn go_lookup<'a>(go: Option<&'a GoVal>, key: &str) -> Option<&'a GoVal> {
    let GoVal::Map(entries) = go? else {
        return None;
    };
    let key_of = |k: &GoVal| go_scalar_as_string(k);
    entries
        .iter()
        .rev()
        .find(|(k, _)| key_of(k).as_deref() == Some(key))
        .or_else(|| {
            entries
                .iter()
                .find(|(k, _)| key_of(k).is_some_and(|k| k.eq_ignore_ascii_case(key)))
        })
        .map(|(_, v)| v)
}

/// Go's encoding/json field matching: exact key first, then case-insensitive.
fn lookup<'a>(m: &'a chartroom_template::Map, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// `yaml.Unmarshal(doc, &SimpleHead)`: the error text is what Helm prints after
/// `YAML parse error on FILE: `.
///
/// Reads only the head's parts of the document (`from_yaml_go_outline`), so a large
/// manifest costs little more memory than its text; documents the outline reader cannot
/// judge alone (aliases, merge keys) are read whole.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    let message = |e: chartroom_yaml::YamlError| e.message().to_string();
    let Some(outline) = chartroom_yaml::from_yaml_go_outline(doc, &head_pick) else {
        return parse_document(doc).map(|(head, _)| head);
    };
    let go = outline.map_err(message)?;
    let v = match &go {
        Some(g) => chartroom_yaml::go_to_value(g).map_err(message)?,
        None => Value::Nil,
    };
    head_of(&v, go.as_ref())
}

/// [`parse_document`] for documents that are kept whole (diff, the wasm lint): the head in
/// one pass ([`parse_head`]), then the value straight from the text where the YAML crate's
/// block-style fast path reads it (the same value as go-yaml's path, which it is fuzzed
/// against), without go-yaml's node arena and decoded copy.
pub fn parse_document_kept(doc: &str) -> Result<(SimpleHead, Value), String> {
    match chartroom_yaml::from_yaml_with_duplicates_fast(doc) {
        Some((value, _)) => Ok((parse_head(doc)?, value)),
        None => parse_document(doc),
    }
}

/// The parts of a document [`head_of`] reads, matched as it matches them (any case):
/// `apiVersion`, `kind`, `metadata.name`, `metadata.namespace` and every annotation.
fn head_pick(path: &[String], key: &str) -> chartroom_yaml::Pick {
    use chartroom_yaml::Pick;
    let is = |name: &str| key.eq_ignore_ascii_case(name);
    match path.len() {
        0 if is("apiVersion") || is("kind") => Pick::Leaf,
        0 if is("metadata") => Pick::Map,
        1 if is("name") || is("namespace") => Pick::Leaf,
        1 if is("annotations") => Pick::Map,
        2 => Pick::Leaf,
        _ => Pick::Drop,
    }
}

/// [`parse_head`], also returning the whole document as read (for callers that keep it).
pub fn parse_document(doc: &str) -> Result<(SimpleHead, Value), String> {
    let message = |e: chartroom_yaml::YamlError| e.message().to_string();
    let go = chartroom_yaml::from_yaml_go(doc).map_err(message)?;
    let v = match &go {
        Some(g) => chartroom_yaml::go_to_value(g).map_err(message)?,
        None => Value::Nil,
    };
    let head = head_of(&v, go.as_ref())?;
    Ok((head, v))
}

fn head_of(v: &Value, go: Option<&GoVal>) -> Result<SimpleHead, String> {
    let mut h = SimpleHead::default();
    let m = match v {
        Value::Nil => return Ok(h),
        Value::Map(m, _) => m.borrow(),
        other => {
            return Err(format!(
                "{JSON_PREFIX} {} into Go value of type util.SimpleHead",
                json_kind(other)
            ))
        }
    };
    if let Some(x) = lookup(&m, "apiVersion") {
        h.version = string_field(x, go_lookup(go, "apiVersion"), ".apiVersion")?;
    }
    if let Some(x) = lookup(&m, "kind") {
        h.kind = string_field(x, go_lookup(go, "kind"), ".kind")?;
    }
    match lookup(&m, "metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(meta, _)) => {
            let meta = meta.borrow();
            let go_meta = go_lookup(go, "metadata");
            if let Some(Value::String(ns)) = lookup(&meta, "namespace") {
                h.namespace = Some(ns.to_string());
            }
            h.name = Some(match lookup(&meta, "name") {
                Some(x) => string_field(x, go_lookup(go_meta, "name"), ".metadata.name")?,
                None => String::new(),
            });
            match lookup(&meta, "annotations") {
                None | Some(Value::Nil) => {}
                Some(Value::Map(ann, _)) => {
                    let go_ann = go_lookup(go_meta, "annotations");
                    let mut list = Vec::new();
                    for (k, v) in ann.borrow().iter() {
                        list.push((
                            k.clone(),
                            string_field(
                                v,
                                go_lookup(go_ann, k),
                                &format!(".metadata.annotations.{k}"),
                            )?,
                        ));
                    }
                    h.annotations = Some(list);
                }
                Some(other) => {
                    return Err(format!(
                        "{JSON_PREFIX} {} into Go struct field .metadata.annotations of type map[string]string",
                        json_kind(other)
                    ))
                }
            }
        }
        Some(other) => {
            return Err(format!(
                "{JSON_PREFIX} {} into Go struct field .metadata of type {META_TYPE}",
                json_kind(other)
            ))
        }
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_fields_and_go_errors() {
        let h = parse_head(
            "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: test\n    w: 5\n",
        )
        .unwrap();
        assert_eq!(h.kind, "Pod");
        assert_eq!(h.name.as_deref(), Some("p"));
        assert_eq!(h.namespace, None);
        let with_ns = parse_head("kind: Pod\nmetadata:\n  namespace: ns\n").unwrap();
        assert_eq!(with_ns.namespace.as_deref(), Some("ns"));
        assert!(parse_head("metadata:\n  namespace: [1]\n").is_ok());
        assert_eq!(
            h.annotations,
            Some(vec![
                ("helm.sh/hook".into(), "test".into()),
                ("w".into(), "5".into())
            ])
        );
        assert_eq!(
            parse_head("- a\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type util.SimpleHead"
        );
        assert_eq!(
            parse_head("kind: [1]\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .kind of type string"
        );
        assert_eq!(
            parse_head("metadata:\n  annotations:\n    x: [1]\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .metadata.annotations.x of type string"
        );
        // sigs.k8s.io/yaml formats a YAML int for a string field as an int, a float as float32.
        let numeric = parse_head(
            "kind: Pod\nmetadata:\n  name: 12345678\n  annotations:\n    w: 12345678\n    f: 1.5e7\n",
        )
        .unwrap();
        assert_eq!(numeric.name.as_deref(), Some("12345678"));
        assert_eq!(
            numeric.annotations,
            Some(vec![
                ("f".into(), "1.5e+07".into()),
                ("w".into(), "12345678".into())
            ])
        );
        assert!(parse_head("# only a comment\n")
            .unwrap()
            .annotations
            .is_none());
    }
}
