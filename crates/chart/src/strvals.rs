//! Helm's `strvals`: the `--set` family parsers (`a.b=c`, `a[0].b=c`, `{x,y}` lists, `\`
//! escapes), with their type inference and error texts.

use chartroom_template::{Map, MapRef, Value};

use chartroom_template::fmt::quote as go_quote;

/// Helm's `MaxIndex`.
pub const MAX_INDEX: i64 = 65536;
/// Helm's `MaxNestedNameLevel`.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How values are produced from the text after `=`.
pub enum Mode<'a> {
    /// `--set`: `true`/`false`/`null`/integers are typed, everything else a string.
    Typed,
    /// `--set-string`: always strings.
    Str,
    /// `--set-json`: JSON values.
    Json,
    /// `--set-file`: the text is a path; the value is the file's contents as a string.
    File(&'a mut dyn FnMut(&str) -> Result<Vec<u8>, String>),
}

#[derive(Debug)]
enum PErr {
    Eof,
    NotList,
    Msg(String),
}

type PResult<T> = Result<T, PErr>;

fn msg<T>(s: String) -> PResult<T> {
    Err(PErr::Msg(s))
}

struct Scanner {
    s: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn read(&mut self) -> Option<char> {
        let c = self.s.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
    fn unread(&mut self) {
        if self.pos > 0 {
            self.pos -= 1;
        }
    }
    /// Go's `runesUntil`: returns (runes, stop rune or None at EOF).
    fn until(&mut self, stop: &[char], escapes: bool) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') if escapes => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }
    fn rest(&self) -> String {
        self.s[self.pos.min(self.s.len())..].iter().collect()
    }
}

/// Go's `%q` of a `[]rune`: `['a' 'b']` (each element `strconv.QuoteRune`).
fn go_quote_runes(v: &[char]) -> String {
    let parts: Vec<String> = v
        .iter()
        .map(|c| chartroom_template::fmt::quote_rune(*c as i64))
        .collect();
    format!("[{}]", parts.join(" "))
}

fn s(v: &[char]) -> String {
    v.iter().collect()
}

/// Go's `typedVal`.
pub fn typed_val(v: &str, string_only: bool) -> Value {
    if string_only {
        return Value::str(v);
    }
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if v == "0" {
        return Value::Int64(0);
    }
    if !v.is_empty() && !v.starts_with('0') {
        if let Ok(i) = v.parse::<i64>() {
            return Value::Int64(i);
        }
    }
    Value::str(v)
}

fn go_type_name(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        other => other.type_name(),
    }
}

fn conversion_panic(v: &Value, want: &str) -> PErr {
    PErr::Msg(format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {want}",
        go_type_name(v)
    ))
}

fn set(data: &MapRef, key: &str, val: Value) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().insert(key.to_string(), val);
}

fn set_index(mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, PResult<()>) {
    if index < 0 {
        return (list, msg(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return (
            list,
            msg(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            )),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    (list, Ok(()))
}

/// Go's `strconv.Atoi` error text.
fn atoi(t: &str) -> Result<i64, String> {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(t)
        ));
    }
    t.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(t)))
}

struct Parser<'a, 'b> {
    sc: Scanner,
    mode: &'b mut Mode<'a>,
    literal: bool,
    list_depth: usize,
}

/// Guard against `a[0][0][0]...` recursion (Helm has no limit; this avoids a stack overflow).
const MAX_LIST_NESTING: usize = 100;

fn list_take(l: &mut Vec<Value>) -> Vec<Value> {
    std::mem::take(l)
}

impl Parser<'_, '_> {
    fn reader(&mut self, rs: &[char]) -> PResult<Value> {
        match &mut self.mode {
            Mode::Typed => Ok(typed_val(&s(rs), false)),
            Mode::Str | Mode::Json => Ok(typed_val(&s(rs), true)),
            Mode::File(f) => match f(&s(rs)) {
                Ok(b) => Ok(Value::bytes_string(b)),
                Err(e) => msg(e),
            },
        }
    }

    fn parse(&mut self, data: &MapRef) -> Result<(), String> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(PErr::Eof) => return Ok(()),
                Err(PErr::NotList) => return Err("not a list".into()),
                Err(PErr::Msg(m)) => return Err(m),
            }
        }
    }

    fn key_index(&mut self) -> PResult<i64> {
        let (v, last) = self.sc.until(&[']'], !self.literal);
        if last.is_none() {
            // Helm wraps io.EOF with %w, so the parser still sees EOF and stops quietly.
            return Err(PErr::Eof);
        }
        atoi(&s(&v)).map_err(|e| PErr::Msg(format!("error parsing index: {e}")))
    }

    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read() {
                None => return true,
                Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.sc.unread();
                    return false;
                }
            }
        }
    }

    fn json_value(&mut self) -> PResult<Value> {
        let rest = self.sc.rest();
        let (v, off) =
            chartroom_yaml::from_json_prefix(&rest, false).map_err(|e| PErr::Msg(e.to_string()))?;
        let consumed = rest[..off].chars().count();
        self.sc.pos += consumed;
        self.empty_val();
        Ok(v)
    }

    fn val_list(&mut self) -> PResult<Vec<Value>> {
        match self.sc.read() {
            None => return Err(PErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.sc.unread();
                return Err(PErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.sc.until(&[',', '}'], true);
            match last {
                None => return msg("list must terminate with '}'".into()),
                Some('}') => {
                    match self.sc.read() {
                        Some(',') | None => {}
                        Some(_) => self.sc.unread(),
                    }
                    let v = self.reader(&rs);
                    match v {
                        Ok(v) => {
                            list.push(v);
                            return Ok(list);
                        }
                        Err(e) => return Err(e),
                    }
                }
                _ => {
                    let v = self.reader(&rs)?;
                    list.push(v);
                }
            }
        }
    }

    fn key(&mut self, data: &MapRef, mut level: usize) -> PResult<()> {
        let stop: &[char] = if self.literal {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (k, last) = self.sc.until(stop, !self.literal);
        let key = s(&k);
        match last {
            None => {
                if k.is_empty() {
                    Err(PErr::Eof)
                } else {
                    msg(format!("key {} has no value", go_quote(&key)))
                }
            }
            Some('[') => {
                let i = self.key_index()?;
                let existing = data.borrow().get(&key).cloned();
                let list = match existing {
                    None => Vec::new(),
                    Some(Value::List(l, _)) => l.as_ref().clone(),
                    Some(other) => return Err(conversion_panic(&other, "[]interface {}")),
                };
                let (list, r) = self.list_item(list, i, level);
                set(data, &key, Value::list(list));
                r
            }
            Some('=') => {
                if self.literal {
                    let (v, _) = self.sc.until(&[], false);
                    set(data, &key, Value::string(s(&v)));
                    return Ok(());
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        set(data, &key, Value::Nil);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &key, v);
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &key, Value::list(vl));
                        Ok(())
                    }
                    Err(PErr::Eof) => {
                        set(data, &key, Value::str(""));
                        Err(PErr::Eof)
                    }
                    Err(PErr::NotList) => {
                        let (rs, _) = self.sc.until(&[','], true);
                        let v = self.reader(&rs);
                        match v {
                            Ok(v) => {
                                set(data, &key, v);
                                Ok(())
                            }
                            Err(e) => {
                                set(data, &key, Value::Nil);
                                Err(e)
                            }
                        }
                    }
                    Err(e) => Err(e),
                }
            }
            Some(',') => {
                set(data, &key, Value::str(""));
                msg(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&key)
                ))
            }
            Some(_) => {
                // '.'
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let existing = data.borrow().get(&key).cloned();
                let inner: MapRef = match existing {
                    None => std::rc::Rc::new(std::cell::RefCell::new(Map::new())),
                    Some(Value::Map(m, _)) => m,
                    Some(other) => return Err(conversion_panic(&other, "map[string]interface {}")),
                };
                let e = self.key(&inner, level);
                let empty = inner.borrow().is_empty();
                if e.is_ok() && empty {
                    return msg(format!("key map {} has no value", go_quote(&key)));
                }
                if !empty {
                    set(data, &key, Value::Map(inner, chartroom_template::Tag::ANY));
                }
                e
            }
        }
    }

    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, PResult<()>) {
        self.list_depth += 1;
        let r = self.list_item_inner(list_take(&mut list), i, level);
        self.list_depth -= 1;
        r
    }

    fn list_item_inner(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, PResult<()>) {
        if self.list_depth > MAX_LIST_NESTING {
            return (
                list,
                msg(format!(
                    "list nesting is greater than chartroom's maximum supported list nesting of {MAX_LIST_NESTING} (a limit Helm does not have)"
                )),
            );
        }
        if i < 0 {
            return (list, msg(format!("negative {i} index not allowed")));
        }
        let (k, last) = self.sc.until(&['[', '.', '='], !self.literal);
        if !k.is_empty() {
            return (
                list,
                msg(format!(
                    "unexpected data at end of array index: {}",
                    go_quote_runes(&k)
                )),
            );
        }
        match last {
            None => (list, Err(PErr::Eof)),
            Some('=') => {
                if self.literal {
                    let (v, _) = self.sc.until(&[], false);
                    return set_index(list, i, Value::string(s(&v)));
                }
                if matches!(self.mode, Mode::Json) {
                    if self.empty_val() {
                        return set_index(list, i, Value::Nil);
                    }
                    return match self.json_value() {
                        Ok(v) => set_index(list, i, v),
                        Err(e) => (list, Err(e)),
                    };
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::list(vl)),
                    Err(PErr::Eof) => set_index(list, i, Value::str("")),
                    Err(PErr::NotList) => {
                        let (rs, _) = self.sc.until(&[','], true);
                        match self.reader(&rs) {
                            Ok(v) => set_index(list, i, v),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(e) => (list, Err(e)),
                }
            }
            Some('[') => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let mut crt = Vec::new();
                if (list.len() as i64) > i {
                    match &list[i as usize] {
                        Value::Nil => {}
                        Value::List(l, _) => crt = l.as_ref().clone(),
                        other => {
                            let e = conversion_panic(other, "[]interface {}");
                            return (list, Err(e));
                        }
                    }
                }
                let (list2, r) = self.list_item(crt, next_i, level);
                if let Err(e) = r {
                    return (list, Err(e));
                }
                set_index(list, i, Value::list(list2))
            }
            Some(_) => {
                // '.'
                let mut inner: MapRef = std::rc::Rc::new(std::cell::RefCell::new(Map::new()));
                if (list.len() as i64) > i {
                    match &list[i as usize] {
                        Value::Map(m, _) => inner = m.clone(),
                        _ => {
                            list[i as usize] =
                                Value::Map(inner.clone(), chartroom_template::Tag::ANY);
                        }
                    }
                }
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Map(inner, chartroom_template::Tag::ANY))
            }
        }
    }
}

fn dest_map(dest: &Value) -> Result<MapRef, String> {
    match dest {
        Value::Map(m, _) => Ok(m.clone()),
        _ => Err("values must be a map".into()),
    }
}

/// `strvals.ParseInto` and friends: parses `line` into `dest` (a map) with `mode`.
pub fn parse_into(line: &str, dest: &Value, mode: &mut Mode<'_>) -> Result<(), String> {
    let data = dest_map(dest)?;
    let mut p = Parser {
        sc: Scanner {
            s: line.chars().collect(),
            pos: 0,
        },
        mode,
        literal: false,
        list_depth: 0,
    };
    p.parse(&data)
}

/// `strvals.ParseLiteralInto`: the value is everything after the first `=`, verbatim.
pub fn parse_literal_into(line: &str, dest: &Value) -> Result<(), String> {
    let data = dest_map(dest)?;
    let mut mode = Mode::Str;
    let mut p = Parser {
        sc: Scanner {
            s: line.chars().collect(),
            pos: 0,
        },
        mode: &mut mode,
        literal: true,
        list_depth: 0,
    };
    p.parse(&data)
}

/// `strvals.Parse`: a fresh map from one `--set` line.
pub fn parse(line: &str) -> Result<Value, String> {
    let v = Value::empty_map();
    parse_into(line, &v, &mut Mode::Typed)?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: &Value) -> String {
        format!("{v:?}")
    }

    #[test]
    fn typed_values() {
        let v = parse(
            "x=007,y=1e3,z=true,n=null,q=\"hi\",big=99999999999999999999,f=1.5,neg=-3,zero=0",
        )
        .unwrap();
        assert_eq!(
            json(&v),
            r#"{"big": "99999999999999999999", "f": "1.5", "n": nil, "neg": int64(-3), "q": "\"hi\"", "x": "007", "y": "1e3", "z": true, "zero": int64(0)}"#
        );
    }

    #[test]
    fn nested_lists_and_escapes() {
        let v = parse(r"a.b[1].c=x,l={1,two},e=a\,b,k\.d=1").unwrap();
        assert_eq!(
            json(&v),
            r#"{"a": {"b": [nil, {"c": "x"}]}, "e": "a,b", "k.d": int64(1), "l": [int64(1), "two"]}"#
        );
        let v = parse("a[0][1]=x").unwrap();
        assert_eq!(json(&v), r#"{"a": [[nil, "x"]]}"#);
        let v = parse("a=").unwrap();
        assert_eq!(json(&v), r#"{"a": ""}"#);
    }

    #[test]
    fn deep_list_nesting_is_an_error() {
        let line = format!("a{}=1", "[0]".repeat(5000));
        assert!(parse(&line).is_err());
    }

    #[test]
    fn errors_match_helm() {
        assert_eq!(parse("a").unwrap_err(), "key \"a\" has no value");
        assert_eq!(
            parse("a,b=1").unwrap_err(),
            "key \"a\" has no value (cannot end with ,)"
        );
        assert_eq!(
            parse("a[1000000]=1").unwrap_err(),
            "index of 1000000 is greater than maximum supported index of 65536"
        );
        assert_eq!(
            parse("a[-1]=1").unwrap_err(),
            "negative -1 index not allowed"
        );
        assert_eq!(
            parse("a[x]=1").unwrap_err(),
            "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(parse("a={1,2").unwrap_err(), "list must terminate with '}'");
        assert_eq!(
            parse("a=1,a.b=2").unwrap_err(),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
        assert_eq!(parse("a.=1").unwrap_err(), "key map \"a\" has no value");
    }

    #[test]
    fn string_json_and_literal_modes() {
        let v = Value::empty_map();
        parse_into("a=true,b=1", &v, &mut Mode::Str).unwrap();
        assert_eq!(json(&v), r#"{"a": "true", "b": "1"}"#);
        let v = Value::empty_map();
        parse_into(r#"a={"x":[1,2]},b="s",c="#, &v, &mut Mode::Json).unwrap();
        assert_eq!(
            json(&v),
            r#"{"a": {"x": [float64(1), float64(2)]}, "b": "s", "c": nil}"#
        );
        let v = Value::empty_map();
        parse_literal_into("a.b=x,y=z{}", &v).unwrap();
        assert_eq!(json(&v), r#"{"a": {"b": "x,y=z{}"}}"#);
    }
}
