//! The documents of a rendered template (or a `crds/` file) as Helm's lint reads them:
//! k8s.io/apimachinery's `YAMLOrJSONDecoder` (a JSON stream when the text starts with `{`,
//! else YAML documents split by `YAMLReader`), each decoded into Helm's stub struct
//! (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace`) through sigs.k8s.io/yaml:
//! scalars become strings where the field is a string (JSON documents too: `{"kind": 5}` is
//! kind `5` for helm 4.3.1); other mismatches are encoding/json's type errors.

use chartroom_template::{fmt::format_float, Value};
use chartroom_yaml::GoVal;

/// What lint reads from one document.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

/// A document as the JSON step sees it.
enum Node {
    Null,
    Bool(bool),
    /// A number, with the text sigs.k8s.io/yaml gives it for a string field.
    Number(String),
    Str(String),
    Seq,
    Map(Vec<(String, Node)>),
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "bool",
            Node::Number(_) => "number",
            Node::Str(_) => "string",
            Node::Seq => "array",
            Node::Map(_) => "object",
        }
    }
}

const MAX_DEPTH: usize = 3;

fn from_go(g: &GoVal, depth: usize) -> Node {
    match g {
        GoVal::Nil => Node::Null,
        GoVal::Bool(b) => Node::Bool(*b),
        GoVal::Int(i) => Node::Number(i.to_string()),
        GoVal::Uint(u) => Node::Number(u.to_string()),
        GoVal::Float(f) => Node::Number(format_float(*f, 'g', -1)),
        GoVal::Str(s) => Node::Str(s.clone()),
        GoVal::Seq(_) => Node::Seq,
        GoVal::Map(_) if depth >= MAX_DEPTH => Node::Map(Vec::new()),
        GoVal::Map(entries) => {
            // yaml → map[string]interface{} (later keys win) → JSON (keys sorted).
            let mut m: std::collections::BTreeMap<String, &GoVal> = Default::default();
            for (k, v) in entries {
                let key = chartroom_yaml::go_scalar_as_string(k).unwrap_or_default();
                m.insert(key, v);
            }
            Node::Map(
                m.into_iter()
                    .map(|(k, v)| (k, from_go(v, depth + 1)))
                    .collect(),
            )
        }
    }
}

fn from_json(v: &Value, depth: usize) -> Node {
    match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Node::Number(i.to_string()),
        Value::Float(f) => Node::Number(format_float(*f, 'g', -1)),
        Value::String(_) | Value::Bytes(_) => Node::Str(v.as_str().unwrap_or_default().to_string()),
        Value::Map(..) if depth >= MAX_DEPTH => Node::Map(Vec::new()),
        Value::Map(m, _) => Node::Map(
            m.borrow()
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v, depth + 1)))
                .collect(),
        ),
        _ => Node::Seq,
    }
}

/// encoding/json's field match: the exact name, else ASCII case-insensitively.
fn field_of<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

fn type_error(kind: &str, path: &str, go_type: &str) -> String {
    format!("json: cannot unmarshal {kind} into Go struct field {path} of type {go_type}")
}

/// Decodes a string field; `None` leaves it unchanged (null).
fn string_field(n: &Node, path: &str) -> Result<Option<String>, String> {
    match n {
        Node::Null => Ok(None),
        Node::Str(s) => Ok(Some(s.clone())),
        Node::Number(text) => Ok(Some(text.clone())),
        Node::Bool(b) => Ok(Some(b.to_string())),
        other => Err(type_error(other.kind(), path, "string")),
    }
}

/// Decodes one document into the stub struct. Go's decoder keeps the first type error and
/// goes on, so the first error in key order is the one reported.
fn decode(n: &Node) -> Result<Option<Head>, String> {
    let entries = match n {
        Node::Null => return Ok(None),
        Node::Map(e) => e,
        other => {
            return Err(format!(
                "json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                other.kind()
            ))
        }
    };
    let mut head = Head::default();
    let mut first_err: Option<String> = None;
    let keep =
        |r: Result<Option<String>, String>, slot: &mut String, err: &mut Option<String>| match r {
            Ok(Some(s)) => *slot = s,
            Ok(None) => {}
            Err(e) => {
                if err.is_none() {
                    *err = Some(e);
                }
            }
        };
    for (key, value) in entries {
        let path = format!(".{key}");
        match field_of(key, &["apiVersion", "Kind", "Metadata"]) {
            Some("apiVersion") => {
                keep(
                    string_field(value, &path),
                    &mut head.api_version,
                    &mut first_err,
                );
            }
            Some("Kind") => {
                keep(string_field(value, &path), &mut head.kind, &mut first_err);
            }
            Some("Metadata") => match value {
                Node::Null => {}
                Node::Map(meta) => {
                    for (mk, mv) in meta {
                        let mpath = format!("{path}.{mk}");
                        let r = string_field(mv, &mpath);
                        match field_of(mk, &["Namespace", "Name"]) {
                            Some("Name") => keep(r, &mut head.name, &mut first_err),
                            Some(_) => {
                                let mut ignored = String::new();
                                keep(r, &mut ignored, &mut first_err)
                            }
                            None => {}
                        }
                    }
                }
                other => {
                    if first_err.is_none() {
                        first_err = Some(type_error(other.kind(), &path, "rules.k8sYamlMetadata"));
                    }
                }
            },
            _ => {}
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(Some(head)),
    }
}

/// sigs.k8s.io/yaml's error texts start with one of its two prefixes.
fn yaml_error(e: String) -> String {
    if e.starts_with("error converting YAML to JSON") || e.starts_with("error unmarshaling JSON") {
        e
    } else {
        format!("error converting YAML to JSON: {e}")
    }
}

/// apimachinery's `JSONSyntaxError` text for a syntax error `message` in the JSON value at the
/// start of `rest` (`base` bytes into the stream): `json: offset N: ...`, N counting the bytes
/// read up to and including the offending one. Go's scanner fails on the offending byte
/// itself, so N is the shortest prefix of `rest` that already gives the error.
fn json_error(rest: &str, base: usize, message: &str) -> String {
    if !message.starts_with("invalid character") {
        return message.to_string();
    }
    let fails = |len: usize| {
        chartroom_yaml::from_json_prefix(&rest[..len], false)
            .err()
            .is_some_and(|e| e.to_string() == message)
    };
    let (mut lo, mut hi) = (0, rest.len());
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        while !rest.is_char_boundary(mid) {
            mid += 1;
        }
        if mid >= hi {
            break;
        }
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    format!("json: offset {}: {message}", base + hi)
}

/// Decodes every document of `content` in order: `None` for an empty (null) document. The
/// decoder stops at the first error, returned after the documents read before it (Helm's
/// text, without its `unable to parse YAML: ` prefix).
pub(crate) fn decode_stream(content: &str) -> (Vec<Option<Head>>, Option<String>) {
    let trimmed = content.trim_start_matches([' ', '\t', '\r', '\n']);
    if !trimmed.starts_with('{') {
        return decode_yaml(content);
    }
    // A JSON stream. Where a value is not JSON, helm 4.3.1 reads the rest of the text as YAML
    // when that reads without error (`{"name": x}`, a trailing comma, a `---` after a JSON
    // object), else reports the JSON error (observed behaviour, see docs/notes/helm-lint.md).
    let mut out = Vec::new();
    let mut rest = trimmed;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        if rest.is_empty() {
            return (out, None);
        }
        match chartroom_yaml::from_json_prefix(rest, false) {
            Ok((v, end)) => {
                match decode(&from_json(&v, 0)) {
                    Ok(h) => out.push(h),
                    Err(e) => return (out, Some(e)),
                }
                rest = &rest[end..];
            }
            Err(e) => {
                let (docs, yaml_err) = decode_yaml(rest);
                if yaml_err.is_none() {
                    out.extend(docs);
                    return (out, None);
                }
                let base = content.len() - rest.len();
                return (out, Some(json_error(rest, base, &e.to_string())));
            }
        }
    }
}

/// The parts of a document [`decode`] reads, matched as it matches them (any case).
fn stub_pick(path: &[String], key: &str) -> chartroom_yaml::Pick {
    use chartroom_yaml::Pick;
    let is = |name: &str| key.eq_ignore_ascii_case(name);
    match path.len() {
        0 if is("apiVersion") || is("kind") => Pick::Leaf,
        0 if is("metadata") => Pick::Map,
        1 if is("name") || is("namespace") => Pick::Leaf,
        _ => Pick::Drop,
    }
}

/// YAML documents split by `YAMLReader`, each decoded; stops at the first error.
fn decode_yaml(content: &str) -> (Vec<Option<Head>>, Option<String>) {
    let mut out = Vec::new();
    let (docs, split_err) = chartroom_chart::chart::yaml_reader_documents(content);
    for doc in docs {
        match decode_document(&doc, true) {
            Ok(h) => out.push(h),
            Err(e) => return (out, Some(e)),
        }
    }
    (out, split_err)
}

/// One YAML document into the stub struct, or Helm's error text. With `outline`, only the
/// stub's parts are read, in one pass (`from_yaml_go_outline`: the whole document's error
/// without holding the document); documents with aliases or merge keys, and all without
/// `outline`, are read whole: go-yaml's view for the typed head, its JSON step only for the
/// error `from_yaml` would give (what sigs.k8s.io/yaml checks first).
fn decode_document(doc: &str, outline: bool) -> Result<Option<Head>, String> {
    let read = match outline.then(|| chartroom_yaml::from_yaml_go_outline(doc, &stub_pick)) {
        Some(Some(r)) => r,
        _ => chartroom_yaml::from_yaml_go(doc).and_then(|g| {
            if let Some(g) = &g {
                chartroom_yaml::go_to_value(g)?;
            }
            Ok(g)
        }),
    };
    let node = match read {
        Ok(Some(g)) => from_go(&g, 0),
        Ok(None) => Node::Null,
        Err(e) => return Err(yaml_error(e.to_string())),
    };
    decode(&node).map_err(|e| format!("error unmarshaling JSON: while decoding JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass reading of the stub's parts gives what reading the whole document gives.
    #[test]
    fn outline_reads_as_the_whole_document() {
        for doc in [
            "kind: Pod\nmetadata:\n  name: 5\n  namespace: n\n",
            "Kind: A\nkind: B\nKIND: C\nAPIVERSION: v1\n",
            "metadata: [a]\n",
            "metadata: {name: [a], namespace: {b: c}}\n",
            "metadata: {Name: x, name: y}\n",
            "metadata:\n  labels: {a: b}\n  name: 1.50\n",
            "kind: {a: b}\napiVersion: [1]\n",
            "- a\n",
            "text\n",
            "",
            "kind: A\nspec: !!int x\n",
            "kind: A\nspec: [.nan]\n",
            "kind: A\nspec: [\n",
            "kind: &a A\nother: *a\n",
            "<<: {kind: A}\n",
            "~: a\n",
            "metadata:\n  name: a\n  annotations: {x: [1]}\n",
        ] {
            assert_eq!(
                decode_document(doc, true),
                decode_document(doc, false),
                "{doc}"
            );
        }
    }

    #[test]
    fn heads_and_errors() {
        let (docs, err) = decode_stream("kind: Pod\nmetadata:\n  name: 5\n---\n# c\n---\n- a\n");
        assert_eq!(
            docs,
            vec![
                Some(Head {
                    kind: "Pod".into(),
                    name: "5".into(),
                    ..Head::default()
                }),
                None
            ]
        );
        assert_eq!(
            err.as_deref(),
            Some("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type rules.k8sYamlStruct")
        );
        let (_, err) = decode_stream("metadata: {namespace: [1], name: x}\n");
        assert_eq!(
            err.as_deref(),
            Some("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field .metadata.namespace of type string")
        );
        let (docs, err) = decode_stream("a: 1\n---bad\nb: 2\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(err.as_deref(), Some("invalid Yaml document separator: bad"));
        // helm lint 4.3.1: crds/b.yaml: unable to parse YAML: json: offset 2: invalid
        // character '{' looking for beginning of object key string
        let (_, err) = decode_stream("{{ bad }}\n");
        assert_eq!(
            err.as_deref(),
            Some(
                "json: offset 2: invalid character '{' looking for beginning of object key string"
            )
        );
        let (docs, err) = decode_stream("kind: Pod\nKind: Service\n");
        assert_eq!(docs[0].as_ref().map(|h| h.kind.as_str()), Some("Pod"));
        assert!(err.is_none());
    }
}
