//! Go's `encoding/json` for template values: `Marshal`, `MarshalIndent`, an `Encoder` without
//! HTML escaping, and `Unmarshal` into `interface{}`.

use chartroom_template::value::{Map, Value};

use crate::{gofloat, YamlError};

/// Nesting limit for decoding untrusted JSON and for encoding.
const MAX_DEPTH: usize = 500;

struct Enc<'a> {
    out: String,
    escape_html: bool,
    indent: Option<&'a str>,
}

fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xF] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xF] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl Enc<'_> {
    fn newline(&mut self, depth: usize) {
        if let Some(ind) = self.indent {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str(ind);
            }
        }
    }

    /// `{"k":v,...}` (indented when pretty), for maps and structs alike.
    fn object<'v>(
        &mut self,
        entries: impl Iterator<Item = (&'v str, &'v Value)>,
        depth: usize,
    ) -> Result<(), YamlError> {
        self.out.push('{');
        let mut any = false;
        for (k, val) in entries {
            if any {
                self.out.push(',');
            }
            any = true;
            self.newline(depth + 1);
            write_string(&mut self.out, k, self.escape_html);
            self.out.push(':');
            if self.indent.is_some() {
                self.out.push(' ');
            }
            self.value(val, depth + 1)?;
        }
        if any {
            self.newline(depth);
        }
        self.out.push('}');
        Ok(())
    }

    fn value(&mut self, v: &Value, depth: usize) -> Result<(), YamlError> {
        if depth > MAX_DEPTH {
            return Err(YamlError::new(
                "json: unsupported value: encountered a cycle via map[string]interface {}",
            ));
        }
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::String(s) => write_string(&mut self.out, s.as_str_lossy(), self.escape_html),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Float(f) => match gofloat::format_json(*f) {
                Some(s) => self.out.push_str(&s),
                None => {
                    return Err(YamlError::new(format!(
                        "json: unsupported value: {}",
                        chartroom_template::fmt::format_float_g(*f)
                    )))
                }
            },
            Value::Bytes(b) => {
                self.out.push('"');
                self.out.push_str(&crate::base64::encode_std(b));
                self.out.push('"');
            }
            // A nil slice or map.
            Value::List(_, t) | Value::Map(_, t) if t.nil => self.out.push_str("null"),
            Value::List(items, _) => {
                self.out.push('[');
                if !items.is_empty() {
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(',');
                        }
                        self.newline(depth + 1);
                        self.value(it, depth + 1)?;
                    }
                    self.newline(depth);
                }
                self.out.push(']');
            }
            Value::Map(m, _) => {
                let m = m.borrow();
                self.object(m.iter().map(|(k, v)| (k.as_str(), v)), depth)?;
            }
            Value::Object(o) => {
                if let Some(fields) = o.json_fields() {
                    // A struct: fields in declaration order.
                    return self.object(fields.iter().map(|(k, v)| (k.as_ref(), v)), depth);
                }
                let plain = o.to_plain();
                if matches!(plain, Value::Object(_)) {
                    return Err(YamlError::new(format!(
                        "json: unsupported type: {}",
                        o.type_name()
                    )));
                }
                self.value(&plain, depth)?;
            }
        }
        Ok(())
    }
}

fn encode(v: &Value, escape_html: bool, indent: Option<&str>) -> Result<String, YamlError> {
    let mut e = Enc {
        out: String::new(),
        escape_html,
        indent,
    };
    e.value(v, 0)?;
    Ok(e.out)
}

/// `json.Marshal(v)`: sorted keys, HTML-safe escaping, Go's float format.
pub fn to_json(v: &Value) -> Result<String, YamlError> {
    encode(v, true, None)
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, without the trailing newline (Helm's
/// `toRawJson`).
pub fn to_raw_json(v: &Value) -> Result<String, YamlError> {
    encode(v, false, None)
}

/// `json.MarshalIndent(v, "", "  ")` (Helm's `toPrettyJson`).
pub fn to_pretty_json(v: &Value) -> Result<String, YamlError> {
    encode(v, true, Some("  "))
}

// ---------------------------------------------------------------------------------------
// Decoding

struct Dec<'a> {
    s: &'a [u8],
    i: usize,
    /// Object keys and array indices leading to the current value (for Go's
    /// "Go struct field .a.0.b" text).
    path: Vec<PathSeg>,
    /// The first type error; decoding goes on as Go's does.
    semantic: Option<String>,
    /// `Decoder.UseNumber`: a number out of float64's range is no error (it reads as ±Inf).
    use_number: bool,
}

enum PathSeg {
    Key(String),
    Index(usize),
}

/// Go's text for where a type error happened: `Go struct field .a.0.b` when the value is an
/// object member, `.a.0` when it is an array element, `Go value` at the top.
fn error_location(path: &[PathSeg]) -> String {
    let mut dotted = String::new();
    for seg in path {
        dotted.push('.');
        match seg {
            PathSeg::Key(k) => dotted.push_str(k),
            PathSeg::Index(i) => dotted.push_str(&i.to_string()),
        }
    }
    match path.last() {
        None => "Go value".to_string(),
        Some(PathSeg::Key(_)) => format!("Go struct field {dotted}"),
        Some(PathSeg::Index(_)) => dotted,
    }
}

fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        _ => {
            let q = chartroom_template::fmt::quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

fn eof() -> YamlError {
    YamlError::new("unexpected end of JSON input")
}

impl Dec<'_> {
    /// The character (whole UTF-8 sequence) at byte offset `i`.
    fn char_at(&self, i: usize) -> char {
        let end = (i + 4).min(self.s.len());
        let chunk = &self.s[i..end];
        let text = match std::str::from_utf8(chunk) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&chunk[..e.valid_up_to()]).unwrap_or(""),
        };
        text.chars().next().unwrap_or('\u{FFFD}')
    }

    fn syntax_at(&self, i: usize, ctx: &str) -> YamlError {
        YamlError::new(format!(
            "invalid character {} {ctx}",
            quote_char(self.char_at(i))
        ))
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Value, YamlError> {
        if depth > MAX_DEPTH {
            return Err(YamlError::new("exceeded max depth"));
        }
        self.ws();
        let c = self.peek().ok_or_else(eof)?;
        match c {
            b'{' => {
                self.i += 1;
                let mut m = Map::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(Value::map(m));
                }
                loop {
                    self.ws();
                    match self.peek() {
                        None => return Err(eof()),
                        Some(b'"') => {}
                        Some(_) => {
                            return Err(self
                                .syntax_at(self.i, "looking for beginning of object key string"))
                        }
                    }
                    let k = self.string()?;
                    self.ws();
                    match self.peek() {
                        None => return Err(eof()),
                        Some(b':') => self.i += 1,
                        Some(_) => return Err(self.syntax_at(self.i, "after object key")),
                    }
                    self.path.push(PathSeg::Key(k.clone()));
                    let v = self.value(depth + 1);
                    self.path.pop();
                    m.insert(k, v?);
                    self.ws();
                    match self.peek() {
                        None => return Err(eof()),
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::map(m));
                        }
                        Some(_) => {
                            return Err(self.syntax_at(self.i, "after object key:value pair"))
                        }
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(Value::list(items));
                }
                loop {
                    self.path.push(PathSeg::Index(items.len()));
                    let v = self.value(depth + 1);
                    self.path.pop();
                    items.push(v?);
                    self.ws();
                    match self.peek() {
                        None => return Err(eof()),
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::list(items));
                        }
                        Some(_) => return Err(self.syntax_at(self.i, "after array element")),
                    }
                }
            }
            b'"' => Ok(Value::string(self.string()?)),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Nil),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.syntax_at(self.i, "looking for beginning of value")),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, YamlError> {
        let w = word.as_bytes();
        for (k, &expected) in w.iter().enumerate() {
            match self.s.get(self.i + k) {
                None => return Err(eof()),
                Some(&c) if c == expected => {}
                Some(_) => {
                    let ctx = format!(
                        "in literal {word} (expecting {})",
                        quote_char(expected as char)
                    );
                    return Err(self.syntax_at(self.i + k, &ctx));
                }
            }
        }
        self.i += w.len();
        Ok(v)
    }

    fn digits(&mut self) -> Result<(), YamlError> {
        match self.peek() {
            None => return Err(eof()),
            Some(c) if !c.is_ascii_digit() => {
                return Err(self.syntax_at(self.i, "in numeric literal"))
            }
            _ => {}
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Result<Value, YamlError> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if self.peek() == Some(b'0') {
            self.i += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.digits()?;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() || self.use_number => Ok(Value::Float(f)),
            _ => {
                if self.semantic.is_none() {
                    self.semantic = Some(format!(
                        "json: cannot unmarshal number {text} into {} of type float64",
                        error_location(&self.path)
                    ));
                }
                Ok(Value::Float(0.0))
            }
        }
    }

    /// Go's `NewInvalidEscapeSequenceError`: backquoted unless the bytes hold a backquote,
    /// invalid UTF-8, white space or a non-printable character, then `strconv.Quote`d.
    fn bad_escape(&self, start: usize, len: usize) -> YamlError {
        let end = (start + len).min(self.s.len());
        let what = &self.s[start..end];
        let text = std::str::from_utf8(what).ok();
        let plain = text.filter(|t| {
            !t.chars()
                .any(|c| c == '`' || c.is_whitespace() || c.is_control() || c == '\u{FFFD}')
        });
        match plain {
            Some(t) => YamlError::new(format!("invalid escape sequence `{t}` in string")),
            None => YamlError::new(format!(
                "invalid escape sequence {} in string",
                chartroom_template::fmt::quote_bytes(what)
            )),
        }
    }

    fn hex4(&mut self, esc_start: usize) -> Result<u32, YamlError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.peek().ok_or_else(eof)?;
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.bad_escape(esc_start, 6))?;
            v = v * 16 + d;
            self.i += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, YamlError> {
        // At the opening quote.
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek().ok_or_else(eof)?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let esc_start = self.i;
                    self.i += 1;
                    let e = self.peek().ok_or_else(eof)?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let u = self.hex4(esc_start)?;
                            if (0xD800..0xDC00).contains(&u)
                                && self.s.get(self.i) == Some(&b'\\')
                                && self.s.get(self.i + 1) == Some(&b'u')
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4(save)?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    let cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                    char::from_u32(cp).unwrap_or('\u{FFFD}')
                                } else {
                                    self.i = save;
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(u).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return Err(self.bad_escape(esc_start, 2)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c if c < 0x20 => return Err(self.syntax_at(self.i, "in string")),
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
    }
}

fn decode(src: &str) -> Result<(Value, Option<String>), YamlError> {
    let mut d = Dec {
        s: src.as_bytes(),
        i: 0,
        path: Vec::new(),
        semantic: None,
        use_number: false,
    };
    let v = d.value(0)?;
    d.ws();
    if d.peek().is_some() {
        return Err(d.syntax_at(d.i, "after top-level value"));
    }
    Ok((v, d.semantic))
}

/// A `json.Decoder`'s `Decode` into `interface{}`: the first JSON value in `src` (leading
/// white space skipped) and the byte offset just past it; what follows is not looked at.
/// Nothing but white space is `EOF`, a value cut short `unexpected EOF`. With `use_number`
/// (`Decoder.UseNumber`), a number out of float64's range is ±Inf instead of a type error.
pub fn from_json_prefix(src: &str, use_number: bool) -> Result<(Value, usize), YamlError> {
    let mut d = Dec {
        s: src.as_bytes(),
        i: 0,
        path: Vec::new(),
        semantic: None,
        use_number,
    };
    d.ws();
    if d.peek().is_none() {
        return Err(YamlError::new("EOF"));
    }
    let v = d.value(0).map_err(|e| {
        if e.message() == eof().message() {
            YamlError::new("unexpected EOF")
        } else {
            e
        }
    })?;
    match d.semantic {
        Some(e) => Err(YamlError::new(e)),
        None => Ok((v, d.i)),
    }
}

/// `json.Unmarshal(src, &v)` with `v interface{}`: numbers become float64.
pub fn from_json(src: &str) -> Result<Value, YamlError> {
    match decode(src)? {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(YamlError::new(e)),
    }
}

/// The JSON kind encoding/json names in an `UnmarshalTypeError` (`json: cannot unmarshal
/// number into Go value of type []interface {}`) for a decoded value: `null`, `bool`,
/// `string`, `number`, `array` or `object`. Bytes are a string, as Go marshals `[]byte`.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::Int(_) | Value::Int64(_) | Value::Float(_) => "number",
        Value::List(..) => "array",
        Value::Map(..) | Value::Object(_) => "object",
    }
}

/// `json.Unmarshal(src, &m)` with `m map[string]interface{}` (Helm's `fromJson`): `null`
/// makes the map nil; other non-objects are a type error.
pub fn from_json_map(src: &str) -> Result<Value, YamlError> {
    match from_json_map_partial(src) {
        (v, None) => Ok(v),
        (_, Some(e)) => Err(e),
    }
}

/// Like [`from_json_map`], but as Helm's `fromJson` sees it: Go's decoder fills in what it
/// could before a type error (a number out of range becomes 0), so the map comes back with
/// the error. Syntax errors give an empty map.
pub fn from_json_map_partial(src: &str) -> (Value, Option<YamlError>) {
    match decode(src) {
        Err(e) => (Value::empty_map(), Some(e)),
        Ok((Value::Nil, sem)) => (Value::nil_map(), sem.map(YamlError::new)),
        Ok((v @ Value::Map(..), sem)) => (v, sem.map(YamlError::new)),
        Ok((other, _)) => (
            Value::empty_map(),
            Some(YamlError::new(format!(
                "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&other)
            ))),
        ),
    }
}

/// `json.Unmarshal(src, &a)` with `a []interface{}` (Helm's `fromJsonArray`); `null` makes
/// the slice nil.
pub fn from_json_array(src: &str) -> Result<Value, YamlError> {
    let (v, sem) = decode(src)?;
    let v = match v {
        Value::Nil => Value::nil_list(),
        v @ Value::List(..) => v,
        other => {
            return Err(YamlError::new(format!(
                "json: cannot unmarshal {} into Go value of type []interface {{}}",
                json_kind(&other)
            )))
        }
    };
    match sem {
        None => Ok(v),
        Some(e) => Err(YamlError::new(e)),
    }
}
