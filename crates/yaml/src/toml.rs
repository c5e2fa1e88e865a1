//! TOML output as BurntSushi/toml's `Encoder` writes Helm's `toToml` values.

use chartroom_template::value::{Map, Value};

use crate::YamlError;

const MAX_DEPTH: usize = 500;

fn err(msg: &str) -> YamlError {
    YamlError::new(msg)
}

fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// A TOML basic string (TOML's escapes, deliberately not Go's `strconv.Quote`, which is
/// `chartroom_template::fmt::quote`). Bytes are written as they are, as BurntSushi's
/// byte-level replacer does: a Go string that is not UTF-8 keeps its bytes.
fn quote_str(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    for &c in s {
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            c if c < 0x20 || c == 0x7f => {
                out.extend_from_slice(format!("\\u{:04x}", c).as_bytes());
            }
            c => out.push(c),
        }
    }
    out.push(b'"');
    out
}

fn quote_key(k: &str) -> Vec<u8> {
    if is_bare_key(k) {
        k.as_bytes().to_vec()
    } else {
        quote_str(k.as_bytes())
    }
}

fn key_string(key: &[String]) -> Vec<u8> {
    key.iter()
        .map(|k| quote_key(k))
        .collect::<Vec<_>>()
        .join(&b'.')
}

fn plain(v: &Value) -> Value {
    match v {
        Value::Object(o) => o.to_plain(),
        other => other.clone(),
    }
}

/// BurntSushi's `isTableArray`: a non-empty list whose elements are all maps. A nil
/// element is an error whatever the other elements are.
fn is_table_array(items: &[Value]) -> Result<bool, YamlError> {
    if items.is_empty() {
        return Ok(false);
    }
    let mut all = true;
    for it in items {
        match plain(it) {
            Value::Nil => return Err(err("toml: cannot encode array with nil element")),
            Value::Map(..) => {}
            _ => all = false,
        }
    }
    Ok(all)
}

fn is_table(v: &Value) -> Result<bool, YamlError> {
    Ok(match plain(v) {
        Value::Map(..) => true,
        Value::List(items, _) => is_table_array(&items)?,
        _ => false,
    })
}

struct Enc {
    out: Vec<u8>,
}

impl Enc {
    fn put(&mut self, s: impl AsRef<[u8]>) {
        self.out.extend_from_slice(s.as_ref());
    }

    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push(b'\n');
        }
    }

    fn indent(&mut self, key: &[String]) {
        for _ in 1..key.len() {
            self.put("  ");
        }
    }

    fn element(&mut self, v: &Value, depth: usize) -> Result<(), YamlError> {
        if depth > MAX_DEPTH {
            return Err(err("toml: nesting too deep"));
        }
        match plain(v) {
            Value::Bool(b) => self.put(if b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.put(i.to_string()),
            Value::Float(f) => {
                if f.is_nan() {
                    if f.is_sign_negative() {
                        self.out.push(b'-');
                    }
                    self.put("nan");
                } else if f.is_infinite() {
                    if f < 0.0 {
                        self.out.push(b'-');
                    }
                    self.put("inf");
                } else {
                    let s = chartroom_template::fmt::format_float_g(f);
                    self.put(&s);
                    if !s.contains('.') && !s.contains('e') {
                        self.put(".0");
                    }
                }
            }
            Value::String(s) => self.put(quote_str(s.as_bytes())),
            Value::Bytes(b) => {
                self.out.push(b'[');
                let parts: Vec<String> = b.iter().map(|x| x.to_string()).collect();
                self.put(parts.join(", "));
                self.out.push(b']');
            }
            Value::List(items, _) => {
                self.out.push(b'[');
                for (i, it) in items.iter().enumerate() {
                    if matches!(plain(it), Value::Nil) {
                        return Err(err("toml: cannot encode array with nil element"));
                    }
                    self.element(it, depth + 1)?;
                    if i + 1 != items.len() {
                        self.put(", ");
                    }
                }
                self.out.push(b']');
            }
            Value::Map(m, _) => {
                let m = m.borrow().clone();
                self.map(&[], &m, true, depth + 1)?;
            }
            Value::Nil => return Err(err("toml: cannot encode a nil value")),
            Value::Object(o) => {
                return Err(YamlError::new(format!(
                    "toml: unsupported type {}",
                    o.type_name()
                )))
            }
        }
        Ok(())
    }

    fn key_value(
        &mut self,
        key: &[String],
        v: &Value,
        inline: bool,
        depth: usize,
    ) -> Result<(), YamlError> {
        if let Some(last) = key.last() {
            self.indent(key);
            self.put(quote_key(last));
            self.put(" = ");
        }
        self.element(v, depth)?;
        if !inline && !key.is_empty() {
            self.newline();
        }
        Ok(())
    }

    fn map(
        &mut self,
        key: &[String],
        m: &Map,
        inline: bool,
        depth: usize,
    ) -> Result<(), YamlError> {
        if depth > MAX_DEPTH {
            return Err(err("toml: nesting too deep"));
        }
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in m.iter() {
            if is_table(v)? {
                sub.push((k, v));
            } else {
                direct.push((k, v));
            }
        }
        if inline {
            self.out.push(b'{');
        }
        let trail = !sub.is_empty();
        for (list, trail_c) in [(&direct, trail), (&sub, false)] {
            for (i, (k, v)) in list.iter().enumerate() {
                if matches!(plain(v), Value::Nil) {
                    continue;
                }
                let mut child: Vec<String> = key.to_vec();
                child.push((*k).clone());
                if inline {
                    self.key_value(&child[child.len() - 1..], v, true, depth + 1)?;
                    if trail_c || i + 1 != list.len() {
                        self.put(", ");
                    }
                } else {
                    self.encode(&child, v, depth + 1)?;
                }
            }
        }
        if inline {
            self.out.push(b'}');
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), YamlError> {
        match plain(v) {
            Value::Nil => Ok(()),
            Value::Map(m, _) => {
                if key.len() == 1 {
                    self.newline();
                }
                if !key.is_empty() {
                    self.indent(key);
                    self.out.push(b'[');
                    self.put(key_string(key));
                    self.out.push(b']');
                    self.newline();
                }
                let m = m.borrow().clone();
                self.map(key, &m, false, depth)
            }
            Value::List(items, _) if is_table_array(&items)? => {
                if key.is_empty() {
                    return Err(err("toml: top-level values must be Go maps or structs"));
                }
                for it in items.iter() {
                    if let Value::Map(m, _) = plain(it) {
                        self.newline();
                        self.indent(key);
                        self.put("[[");
                        self.put(key_string(key));
                        self.put("]]");
                        self.newline();
                        let m = m.borrow().clone();
                        self.map(key, &m, false, depth)?;
                    }
                }
                Ok(())
            }
            other => self.key_value(key, &other, false, depth),
        }
    }
}

/// Helm's `toToml`: BurntSushi/toml's `Encoder.Encode(v)`. Helm prints the error text
/// instead of the document when this fails, except for nil, where the encoder panics
/// (`reflect: call of reflect.Value.Type on zero Value`, a template error in Helm). The
/// document is bytes: strings are written byte for byte.
pub fn to_toml(v: &Value) -> Result<Vec<u8>, YamlError> {
    let v = v.to_plain();
    match &v {
        Value::Nil => {
            return Err(err("reflect: call of reflect.Value.Type on zero Value"));
        }
        // Kinds the encoder cannot write (a complex128 stays an object after to_plain):
        // BurntSushi fails while classifying values, before writing anything.
        Value::Object(o) => {
            return Err(YamlError::new(format!(
                "unsupported type for key '': {}",
                o.kind_name()
            )))
        }
        _ => {}
    }
    if let Some(kind) = unsupported_kind(&v, 0) {
        return Err(YamlError::new(format!("unsupported type: {kind}")));
    }
    let mut e = Enc { out: Vec::new() };
    e.encode(&[], &v, 0)?;
    Ok(e.out)
}

/// The kind of the first value nested in `v` that is still an object after `to_plain`.
fn unsupported_kind(v: &Value, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::Object(o) => Some(o.kind_name().to_string()),
        Value::List(l, _) => l.iter().find_map(|x| unsupported_kind(x, depth + 1)),
        Value::Map(m, _) => m
            .borrow()
            .values()
            .find_map(|x| unsupported_kind(x, depth + 1)),
        _ => None,
    }
}
