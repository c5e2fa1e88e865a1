//! A small JSON reader with Go `encoding/json` semantics for decoding into `interface{}`:
//! objects become maps, arrays lists, every number a float64. Used for `values.schema.json`
//! and `--set-json`.

use chartroom_template::{Map, Value};

/// Nesting limit (Go allows 10000; this keeps recursion within a small wasm stack).
const MAX_DEPTH: usize = 512;

/// Parses a complete JSON document (trailing whitespace allowed, nothing else).
pub fn parse_json(text: &str) -> Result<Value, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.ws();
    if p.pos >= p.s.len() {
        return Err("unexpected end of JSON input".into());
    }
    let v = p.value()?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(format!(
            "invalid character {} after top-level value",
            quote_char(p.s, p.pos)
        ));
    }
    Ok(v)
}

/// Decodes one JSON value from the start of `text` (leading whitespace skipped), like a
/// `json.Decoder`'s `Decode`, and returns it with the byte offset just past it.
pub fn decode_prefix(text: &str) -> Result<(Value, usize), String> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.ws();
    if p.pos >= p.s.len() {
        return Err("EOF".into());
    }
    let v = p.value().map_err(|e| {
        if e == "unexpected end of JSON input" {
            "unexpected EOF".to_string()
        } else {
            e
        }
    })?;
    Ok((v, p.pos))
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

fn quote_char(s: &[u8], pos: usize) -> String {
    let rest = std::str::from_utf8(&s[pos..]).unwrap_or("");
    match rest.chars().next() {
        Some('\'') => "'\\''".to_string(),
        Some('"') => "'\"'".to_string(),
        Some(c) if (c as u32) < 0x20 => format!("'\\x{:02x}'", c as u32),
        Some(c) => format!("'{c}'"),
        None => format!("'\\x{:02x}'", s[pos]),
    }
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn eof() -> String {
        "unexpected end of JSON input".into()
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        let Some(&c) = self.s.get(self.pos) else {
            return Err(Self::eof());
        };
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => Ok(Value::string(self.string()?)),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Nil),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(format!(
                "invalid character {} looking for beginning of value",
                quote_char(self.s, self.pos)
            )),
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, String> {
        for (i, b) in word.bytes().enumerate() {
            match self.s.get(self.pos + i) {
                None => return Err(Self::eof()),
                Some(&x) if x == b => {}
                Some(_) => {
                    return Err(format!(
                        "invalid character {} in literal {word} (expecting '{}')",
                        quote_char(self.s, self.pos + i),
                        b as char
                    ))
                }
            }
        }
        self.pos += word.len();
        Ok(v)
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        if self.s[self.pos] == b'-' {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let st = p.pos;
            while p.pos < p.s.len() && p.s[p.pos].is_ascii_digit() {
                p.pos += 1;
            }
            p.pos - st
        };
        match self.s.get(self.pos) {
            None => return Err(Self::eof()),
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            Some(_) => {
                return Err(format!(
                    "invalid character {} in numeric literal",
                    quote_char(self.s, self.pos)
                ))
            }
        }
        if self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.pos >= self.s.len() {
                return Err(Self::eof());
            }
            if digits(self) == 0 {
                return Err(format!(
                    "invalid character {} after decimal point in numeric literal",
                    quote_char(self.s, self.pos)
                ));
            }
        }
        if matches!(self.s.get(self.pos), Some(b'e') | Some(b'E')) {
            self.pos += 1;
            if matches!(self.s.get(self.pos), Some(b'+') | Some(b'-')) {
                self.pos += 1;
            }
            if self.pos >= self.s.len() {
                return Err(Self::eof());
            }
            if digits(self) == 0 {
                return Err(format!(
                    "invalid character {} in exponent of numeric literal",
                    quote_char(self.s, self.pos)
                ));
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("0");
        let f: f64 = text.parse().map_err(|_| format!("invalid number {text}"))?;
        if f.is_infinite() {
            return Err(format!(
                "json: cannot unmarshal number {text} into Go value of type float64"
            ));
        }
        Ok(Value::Float(f))
    }

    fn string(&mut self) -> Result<String, String> {
        // at '"'
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(Self::eof());
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let Some(&e) = self.s.get(self.pos + 1) else {
                        return Err(Self::eof());
                    };
                    self.pos += 2;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let cp = self.hex4()?;
                            let ch = if (0xD800..0xDC00).contains(&cp) {
                                // surrogate pair
                                if self.s.get(self.pos) == Some(&b'\\')
                                    && self.s.get(self.pos + 1) == Some(&b'u')
                                {
                                    let save = self.pos;
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(
                                            0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                        .unwrap_or('\u{FFFD}')
                                    } else {
                                        self.pos = save;
                                        '\u{FFFD}'
                                    }
                                } else {
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(cp).unwrap_or('\u{FFFD}')
                            };
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => {
                            return Err(format!(
                                "invalid character {} in string escape code",
                                quote_char(self.s, self.pos - 1)
                            ))
                        }
                    }
                }
                c if c < 0x20 => {
                    return Err(format!(
                        "invalid character {} in string literal",
                        quote_char(self.s, self.pos)
                    ))
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(Self::eof());
            };
            let d = (c as char).to_digit(16).ok_or_else(|| {
                format!(
                    "invalid character {} in \\u hexadecimal character escape",
                    quote_char(self.s, self.pos)
                )
            })?;
            v = v * 16 + d;
            self.pos += 1;
        }
        Ok(v)
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("exceeded max depth".into());
        }
        Ok(())
    }

    fn object(&mut self) -> Result<Value, String> {
        self.enter()?;
        self.pos += 1;
        let mut m = Map::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::map(m));
        }
        loop {
            self.ws();
            match self.s.get(self.pos) {
                None => return Err(Self::eof()),
                Some(b'"') => {}
                Some(_) => {
                    return Err(format!(
                        "invalid character {} looking for beginning of object key string",
                        quote_char(self.s, self.pos)
                    ))
                }
            }
            let k = self.string()?;
            self.ws();
            match self.s.get(self.pos) {
                None => return Err(Self::eof()),
                Some(b':') => self.pos += 1,
                Some(_) => {
                    return Err(format!(
                        "invalid character {} after object key",
                        quote_char(self.s, self.pos)
                    ))
                }
            }
            let v = self.value()?;
            m.insert(k, v);
            self.ws();
            match self.s.get(self.pos) {
                None => return Err(Self::eof()),
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::map(m));
                }
                Some(_) => {
                    return Err(format!(
                        "invalid character {} after object key:value pair",
                        quote_char(self.s, self.pos)
                    ))
                }
            }
        }
    }

    fn array(&mut self) -> Result<Value, String> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::list(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.s.get(self.pos) {
                None => return Err(Self::eof()),
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::list(items));
                }
                Some(_) => {
                    return Err(format!(
                        "invalid character {} after array element",
                        quote_char(self.s, self.pos)
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_documents() {
        let v = parse_json(r#"{"a": [1, 2.5, true, null, "x\u00e9"], "b": {}}"#).unwrap();
        assert_eq!(
            format!("{v:?}"),
            r#"{"a": [float64(1), float64(2.5), true, nil, "xé"], "b": {}}"#
        );
    }

    #[test]
    fn reports_go_errors() {
        assert_eq!(parse_json("{").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(
            parse_json("x").unwrap_err(),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            parse_json("{} x").unwrap_err(),
            "invalid character 'x' after top-level value"
        );
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse_json(&deep).unwrap_err(), "exceeded max depth");
    }

    #[test]
    fn decodes_a_prefix() {
        let (v, n) = decode_prefix(" [1,2] ,b=3").unwrap();
        assert_eq!(n, 6);
        assert!(matches!(v, Value::List(..)));
    }
}
