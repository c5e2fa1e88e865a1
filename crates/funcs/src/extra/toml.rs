//! Helm's `toToml`/`mustToToml` (BurntSushi/toml's encoder layout) and `fromToml`.

use chartroom_template::{Map, Value};

fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A TOML basic string (TOML's escapes: `\uXXXX` for control characters, no `\a`/`\v`/`\x`),
/// deliberately not Go's `strconv.Quote` (`chartroom_template::fmt::quote`).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_str(k: &str) -> String {
    if is_bare_key(k) {
        k.to_string()
    } else {
        quote(k)
    }
}

fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(..))
}

fn is_table_array(v: &Value) -> bool {
    match v {
        Value::List(l, _) => !l.is_empty() && l.iter().all(is_table),
        _ => false,
    }
}

struct Enc {
    out: String,
    written: bool,
}

impl Enc {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
        self.written = true;
    }

    fn newline(&mut self) {
        if self.written {
            self.out.push('\n');
        }
    }

    fn indent(path: &[String]) -> String {
        "  ".repeat(path.len().saturating_sub(1))
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<(), String> {
        if depth > 1000 {
            return Err("toml: value nested too deeply".into());
        }
        match v {
            Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
            Value::Bool(b) => {
                self.w(if *b { "true" } else { "false" });
                Ok(())
            }
            Value::Int(i) | Value::Int64(i) => {
                self.w(&i.to_string());
                Ok(())
            }
            Value::Float(f) => {
                let s = if f.is_nan() {
                    "nan".to_string()
                } else if f.is_infinite() {
                    if *f > 0.0 { "inf" } else { "-inf" }.to_string()
                } else {
                    let g = chartroom_yaml::gofloat::format_g(*f);
                    if g.contains(['.', 'e', 'E']) {
                        g
                    } else {
                        format!("{g}.0")
                    }
                };
                self.w(&s);
                Ok(())
            }
            Value::String(s) => {
                self.w(&quote(s.as_str_lossy()));
                Ok(())
            }
            Value::Bytes(b) => {
                // []byte encodes as an array of integers.
                let items: Vec<String> = b.iter().map(|x| x.to_string()).collect();
                self.w(&format!("[{}]", items.join(", ")));
                Ok(())
            }
            Value::List(l, _) => {
                if l.iter().any(|x| x.is_nil()) {
                    return Err("toml: cannot encode array with nil element".into());
                }
                self.w("[");
                for (i, x) in l.iter().enumerate() {
                    if i > 0 {
                        self.w(", ");
                    }
                    self.value(x, depth + 1)?;
                }
                self.w("]");
                Ok(())
            }
            Value::Map(m, _) => {
                // Inline table.
                self.w("{");
                let mut first = true;
                for (k, x) in m.borrow().iter() {
                    if x.is_nil() {
                        continue;
                    }
                    if !first {
                        self.w(", ");
                    }
                    first = false;
                    self.w(&format!("{} = ", key_str(k)));
                    self.value(x, depth + 1)?;
                }
                self.w("}");
                Ok(())
            }
            Value::Object(o) => self.value(&o.to_plain(), depth + 1),
        }
    }

    fn table_body(&mut self, path: &[String], m: &Map, depth: usize) -> Result<(), String> {
        if depth > 1000 {
            return Err("toml: value nested too deeply".into());
        }
        let mut subs = Vec::new();
        for (k, v) in m.iter() {
            if v.is_nil() {
                continue;
            }
            if is_table(v) || is_table_array(v) {
                subs.push((k, v));
                continue;
            }
            let mut p = path.to_vec();
            p.push(k.clone());
            self.w(&format!("{}{} = ", Enc::indent(&p), key_str(k)));
            self.value(v, depth + 1)?;
            self.newline();
        }
        for (k, v) in subs {
            let mut p = path.to_vec();
            p.push(k.clone());
            let name: Vec<String> = p.iter().map(|s| key_str(s)).collect();
            let name = name.join(".");
            match v {
                Value::Map(sub, _) => {
                    if p.len() == 1 {
                        self.newline();
                    }
                    self.w(&format!("{}[{}]", Enc::indent(&p), name));
                    self.newline();
                    let sub = sub.borrow().clone();
                    self.table_body(&p, &sub, depth + 1)?;
                }
                Value::List(items, _) => {
                    for item in items.iter() {
                        if let Value::Map(sub, _) = item {
                            self.newline();
                            self.w(&format!("{}[[{}]]", Enc::indent(&p), name));
                            self.newline();
                            let sub = sub.borrow().clone();
                            self.table_body(&p, &sub, depth + 1)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// BurntSushi/toml `Encoder.Encode(v)`.
pub fn encode(v: &Value) -> Result<String, String> {
    let v = v.to_plain();
    // Kinds the encoder cannot write (a complex128 stays an object after to_plain):
    // BurntSushi fails while classifying values, before writing anything.
    if let Value::Object(o) = &v {
        return Err(format!("unsupported type for key '': {}", o.kind_name()));
    }
    if let Some(kind) = unsupported_kind(&v, 0) {
        return Err(format!("unsupported type: {kind}"));
    }
    let mut e = Enc {
        out: String::new(),
        written: false,
    };
    match &v {
        Value::Map(m, _) => {
            let m = m.borrow().clone();
            e.table_body(&[], &m, 0)?;
        }
        other => e.value(other, 0)?,
    }
    Ok(e.out)
}

/// The kind of the first value nested in `v` that is still an object after `to_plain`.
fn unsupported_kind(v: &Value, depth: usize) -> Option<String> {
    if depth > 1000 {
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
