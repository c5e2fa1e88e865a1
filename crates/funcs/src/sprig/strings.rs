//! String functions. Go strings are byte strings: `trunc`, `substr`, `abbrev`, `wrap` and
//! `initials` count bytes, as Sprig does.

use std::rc::Rc;

use chartroom_template::fmt::quote_bytes;
use chartroom_template::gostr::find;
use chartroom_template::{ArgType as A, Limits, Map, Str, StrBuf, Tag, Value};

use super::case;
use super::conv::gostrval;
use super::{arg, arg_bytes, arg_int, arg_str, rng, strval, Entry, LimitedEntry};

/// The string builders bounded by the `string-bytes` limit.
pub(crate) const LIMITED_ENTRIES: &[LimitedEntry] = &[
    ("repeat", &[A::Int, A::String], None, repeat),
    ("indent", &[A::Int, A::String], None, |l, a| {
        Ok(Value::String(indent(
            l,
            arg_int(a, 0),
            arg_bytes(a, 1),
            false,
        )?))
    }),
    ("nindent", &[A::Int, A::String], None, |l, a| {
        Ok(Value::String(indent(
            l,
            arg_int(a, 0),
            arg_bytes(a, 1),
            true,
        )?))
    }),
];

pub(crate) const ENTRIES: &[Entry] = &[
    ("trim", &[A::String], None, |a| {
        Ok(b(trim_runes(arg_bytes(a, 0), char::is_whitespace)))
    }),
    ("trimAll", &[A::String, A::String], None, trim_all),
    ("trimall", &[A::String, A::String], None, trim_all),
    ("trimPrefix", &[A::String, A::String], None, |a| {
        let (p, x) = (arg_bytes(a, 0), arg_bytes(a, 1));
        Ok(b(x.strip_prefix(p).unwrap_or(x)))
    }),
    ("trimSuffix", &[A::String, A::String], None, |a| {
        let (p, x) = (arg_bytes(a, 0), arg_bytes(a, 1));
        Ok(b(x.strip_suffix(p).unwrap_or(x)))
    }),
    ("upper", &[A::String], None, |a| {
        Ok(Value::string(case::upper(arg_str(a, 0))))
    }),
    ("lower", &[A::String], None, |a| {
        Ok(Value::string(case::lower(arg_str(a, 0))))
    }),
    ("title", &[A::String], None, |a| {
        Ok(Value::string(case::title(arg_str(a, 0))))
    }),
    ("untitle", &[A::String], None, |a| {
        Ok(Value::string(case::untitle(arg_str(a, 0))))
    }),
    ("swapcase", &[A::String], None, |a| {
        Ok(Value::string(case::swapcase(arg_str(a, 0))))
    }),
    ("snakecase", &[A::String], None, |a| {
        Ok(Value::string(case::to_lower_words(arg_str(a, 0), '_')))
    }),
    ("kebabcase", &[A::String], None, |a| {
        Ok(Value::string(case::to_lower_words(arg_str(a, 0), '-')))
    }),
    ("camelcase", &[A::String], None, |a| {
        Ok(Value::string(case::pascal_case(arg_str(a, 0))))
    }),
    ("shuffle", &[A::String], None, shuffle),
    ("substr", &[A::Int, A::Int, A::String], None, substr),
    ("trunc", &[A::Int, A::String], None, trunc),
    ("abbrev", &[A::Int, A::String], None, |a| {
        let w = arg_int(a, 0);
        if w < 4 {
            return Ok(arg(a, 1));
        }
        Ok(b(&abbreviate(arg_bytes(a, 1), 0, w)))
    }),
    ("abbrevboth", &[A::Int, A::Int, A::String], None, |a| {
        let (l, r) = (arg_int(a, 0), arg_int(a, 1));
        if r < 4 || (l > 0 && r < 7) {
            return Ok(arg(a, 2));
        }
        Ok(b(&abbreviate(arg_bytes(a, 2), l, r)))
    }),
    ("initials", &[A::String], None, initials),
    ("nospace", &[A::String], None, |a| Ok(nospace(a))),
    ("wrap", &[A::Int, A::String], None, |a| {
        Ok(b(&wrap_custom(arg_bytes(a, 1), arg_int(a, 0), b"", false)))
    }),
    ("wrapWith", &[A::Int, A::String, A::String], None, |a| {
        Ok(b(&wrap_custom(
            arg_bytes(a, 2),
            arg_int(a, 0),
            arg_bytes(a, 1),
            true,
        )))
    }),
    ("contains", &[A::String, A::String], None, |a| {
        let (needle, hay) = (arg_bytes(a, 0), arg_bytes(a, 1));
        Ok(Value::Bool(
            needle.is_empty() || find(hay, needle, 0).is_some(),
        ))
    }),
    ("hasPrefix", &[A::String, A::String], None, |a| {
        Ok(Value::Bool(arg_bytes(a, 1).starts_with(arg_bytes(a, 0))))
    }),
    ("hasSuffix", &[A::String, A::String], None, |a| {
        Ok(Value::Bool(arg_bytes(a, 1).ends_with(arg_bytes(a, 0))))
    }),
    ("quote", &[], Some(A::Any), |a| {
        let parts: Vec<String> = a
            .iter()
            .filter(|v| !v.is_nil())
            .map(|v| quote_bytes(gostrval(v).as_bytes()))
            .collect();
        Ok(Value::string(parts.join(" ")))
    }),
    ("squote", &[], Some(A::Any), |a| {
        let mut out = StrBuf::new();
        for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
            if i > 0 {
                out.push_str(" ");
            }
            out.push_str("'");
            out.push_gostr(&gostrval(v));
            out.push_str("'");
        }
        Ok(Value::String(out.finish()))
    }),
    ("cat", &[], Some(A::Any), |a| {
        // Sprig: fmt.Sprint of the non-nil values, joined by spaces.
        let mut out = StrBuf::new();
        for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
            if i > 0 {
                out.push_str(" ");
            }
            out.push_gostr(&chartroom_template::fmt::format_value(v));
        }
        Ok(Value::String(out.finish()))
    }),
    ("replace", &[A::String, A::String, A::String], None, |a| {
        let (old, new) = (arg_bytes(a, 0), arg_bytes(a, 1));
        if old.is_empty() {
            // Go inserts `new` before every rune (and at the end): a character rule.
            return Ok(Value::string(go_replace(
                arg_str(a, 2),
                arg_str(a, 0),
                arg_str(a, 1),
            )));
        }
        match a.get(2).and_then(|v| v.as_gostr()) {
            Some(src) => Ok(Value::String(src.replace(old, new))),
            None => Ok(Value::str("")),
        }
    }),
    ("plural", &[A::String, A::String, A::Int], None, |a| {
        Ok(if arg_int(a, 2) == 1 {
            arg(a, 0)
        } else {
            arg(a, 1)
        })
    }),
    ("toStrings", &[A::Any], None, |a| {
        Ok(str_list(gostrslice(&arg(a, 0))))
    }),
    ("split", &[A::String, A::String], None, |a| {
        Ok(index_map(split_args(a, 1, 0, -1)))
    }),
    ("splitn", &[A::String, A::Int, A::String], None, |a| {
        Ok(index_map(split_args(a, 2, 0, arg_int(a, 1))))
    }),
    ("splitList", &[A::String, A::String], None, |a| {
        Ok(str_list(split_args(a, 1, 0, -1)))
    }),
    ("join", &[A::String, A::Any], None, |a| {
        let sep = arg_bytes(a, 0);
        let mut out = StrBuf::new();
        for (i, part) in gostrslice(&arg(a, 1)).iter().enumerate() {
            if i > 0 {
                out.push_bytes(sep);
            }
            out.push_gostr(part);
        }
        Ok(Value::String(out.finish()))
    }),
    ("sortAlpha", &[A::Any], None, |a| {
        let v = arg(a, 0);
        let mut items = match v {
            Value::List(..) | Value::Bytes(_) => strslice(&v),
            Value::Object(_) if super::object_slice(&v).is_some() => strslice(&v),
            _ => vec![strval(&v)],
        };
        items.sort();
        Ok(Value::string_list(items))
    }),
];

/// A Go string of these bytes.
/// Sprig's `nospace` (goutils `DeleteWhiteSpace`), which walks the string byte by byte: each
/// byte is taken as the rune of that number, dropped when `unicode.IsSpace` says so (ASCII
/// space, `\t \n \v \f \r`, and the bytes 0x85 and 0xA0), and written back as that rune. So
/// when nothing is dropped the string comes back as it was; otherwise every byte from 0x80
/// up becomes two (`"é x"` is `"Ã©x"`, checked with helm 4.3.1), UTF-8 or not.
fn nospace(a: &[Value]) -> Value {
    let s = arg_bytes(a, 0);
    let is_space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0);
    if !s.iter().any(|&c| is_space(c)) {
        return b(s);
    }
    let mut out = String::with_capacity(s.len());
    out.extend(s.iter().filter(|&&c| !is_space(c)).map(|&c| char::from(c)));
    Value::string(out)
}

fn b(x: &[u8]) -> Value {
    Value::String(Str::from_bytes(x))
}

fn trim_all(a: &[Value]) -> Result<Value, String> {
    let cut = arg_str(a, 0);
    Ok(b(trim_runes(arg_bytes(a, 1), |c| cut.contains(c))))
}

/// Go's `strings.TrimFunc` over bytes: runes matching `drop` are cut from both ends; a byte
/// that is not UTF-8 is the rune U+FFFD for `drop` and is kept as it is otherwise.
fn trim_runes(x: &[u8], drop: impl Fn(char) -> bool) -> &[u8] {
    if let Ok(t) = std::str::from_utf8(x) {
        return t.trim_matches(&drop).as_bytes();
    }
    // Runes with their byte ranges; invalid bytes one by one.
    let mut runes: Vec<(char, usize, usize)> = Vec::new();
    let mut at = 0;
    for chunk in x.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            runes.push((c, at + i, at + i + c.len_utf8()));
        }
        at += chunk.valid().len();
        for _ in chunk.invalid() {
            runes.push(('\u{fffd}', at, at + 1));
            at += 1;
        }
    }
    let start = runes.iter().position(|r| !drop(r.0));
    let end = runes.iter().rposition(|r| !drop(r.0));
    match (start, end) {
        (Some(s), Some(e)) => &x[runes[s].1..runes[e].2],
        _ => &[],
    }
}

/// A `[]string` of Go strings.
fn str_list(items: Vec<Str>) -> Value {
    Value::List(
        Rc::new(items.into_iter().map(Value::String).collect()),
        Tag::STRING,
    )
}

/// `strings.SplitN` of argument `xi` by argument `sepi`, over bytes (an empty separator
/// splits into characters, read as text).
fn split_args(a: &[Value], xi: usize, sepi: usize, n: i64) -> Vec<Str> {
    let (x, sep) = (arg_bytes(a, xi), arg_bytes(a, sepi));
    if sep.is_empty() || n == 0 {
        return go_split(arg_str(a, xi), arg_str(a, sepi), n)
            .into_iter()
            .map(Str::from)
            .collect();
    }
    let mut out = Vec::new();
    let mut at = 0;
    while n < 0 || (out.len() as i64) < n - 1 {
        match find(x, sep, at) {
            Some(i) => {
                out.push(Str::from_bytes(&x[at..i]));
                at = i + sep.len();
            }
            None => break,
        }
    }
    out.push(Str::from_bytes(&x[at..]));
    out
}

fn shuffle(a: &[Value]) -> Result<Value, String> {
    let mut runes: Vec<char> = arg_str(a, 0).chars().collect();
    let mut i = runes.len();
    while i > 1 {
        i -= 1;
        let j = rng::intn(i as u64 + 1)? as usize;
        runes.swap(i, j);
    }
    Ok(Value::string(runes.into_iter().collect()))
}

/// The `string-bytes` limit on a string of `len` bytes that function `func` is about to build
/// (`repeat`, `indent`'s padding, the random strings). Go has none; the default (64 MiB, the
/// default `output-bytes`: a template cannot print more) keeps memory bounded.
pub(crate) fn check_string_bytes(limits: &Limits, func: &str, len: u64) -> Result<(), String> {
    if len > limits.string_bytes {
        return Err(chartroom_template::limits::exceeded(
            &format!("{func}: a string of {len} bytes"),
            "string-bytes",
            limits.string_bytes,
        ));
    }
    Ok(())
}

fn repeat(l: &Limits, a: &[Value]) -> Result<Value, String> {
    let (n, x) = (arg_int(a, 0), arg_bytes(a, 1));
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    match x.len().checked_mul(n as usize) {
        Some(total) if total <= isize::MAX as usize => {
            check_string_bytes(l, "repeat", total as u64)?;
            Ok(b(&x.repeat(n as usize)))
        }
        _ => Err("strings: Repeat output length overflow".into()),
    }
}

fn substr(a: &[Value]) -> Result<Value, String> {
    let (start, end, x) = (arg_int(a, 0), arg_int(a, 1), arg_bytes(a, 2));
    let len = x.len() as i64;
    if start < 0 {
        // s[:end]
        if end < 0 {
            return Err(format!("runtime error: slice bounds out of range [:{end}]"));
        }
        if end > len {
            return Err(format!(
                "runtime error: slice bounds out of range [:{end}] with length {len}"
            ));
        }
        return Ok(b(&x[..end as usize]));
    }
    if end < 0 || end > len {
        // s[start:]
        if start > len {
            return Err(format!(
                "runtime error: slice bounds out of range [{start}:{len}]"
            ));
        }
        return Ok(b(&x[start as usize..]));
    }
    if start > end {
        return Err(format!(
            "runtime error: slice bounds out of range [{start}:{end}]"
        ));
    }
    Ok(b(&x[start as usize..end as usize]))
}

fn trunc(a: &[Value]) -> Result<Value, String> {
    let (c, x) = (arg_int(a, 0), arg_bytes(a, 1));
    let len = x.len() as i64;
    if c < 0 && len + c > 0 {
        return Ok(b(&x[(len + c) as usize..]));
    }
    if c >= 0 && len > c {
        return Ok(b(&x[..c as usize]));
    }
    Ok(arg(a, 1))
}

/// goutils `AbbreviateFull(str, offset, maxWidth)` (callers have checked the widths).
fn abbreviate(b: &[u8], offset: i64, max_width: i64) -> Vec<u8> {
    let len = b.len() as i64;
    if b.is_empty() || max_width < 4 {
        return b.to_vec();
    }
    if len <= max_width {
        return b.to_vec();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return [&b[..(max_width - 3) as usize], b"..."].concat();
    }
    if max_width < 7 {
        return Vec::new();
    }
    if offset + max_width - 3 < len {
        return [
            &b"..."[..],
            &abbreviate(&b[offset as usize..], 0, max_width - 3),
        ]
        .concat();
    }
    [&b"..."[..], &b[(len - (max_width - 3)) as usize..]].concat()
}

/// goutils `Initials`: the first byte of every whitespace-separated word (bytes, as Go does:
/// a multi-byte first letter comes out as its first byte read as Latin-1).
fn initials(a: &[Value]) -> Result<Value, String> {
    let mut out = String::new();
    let mut gap = true;
    for &byte in arg_str(a, 0).as_bytes() {
        let ch = byte as char;
        if case::is_space(ch) {
            gap = true;
        } else if gap {
            out.push(ch);
            gap = false;
        }
    }
    Ok(Value::string(out))
}

/// goutils `WrapCustom(str, wrapLength, newLineStr, wrapLongWords)`.
pub(crate) fn wrap_custom(x: &[u8], width: i64, newline: &[u8], long_words: bool) -> Vec<u8> {
    if x.is_empty() {
        return Vec::new();
    }
    let newline = if newline.is_empty() { b"\n" } else { newline };
    let width = width.max(1) as usize;
    let b = x;
    let n = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(n + 8);
    while n - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = (width + offset + 1).min(n);
        let space = b[offset..end].iter().rposition(|c| *c == b' ');
        match space {
            Some(p) => {
                out.extend_from_slice(&b[offset..offset + p]);
                out.extend_from_slice(newline);
                offset += p + 1;
            }
            None => {
                let end = width + offset;
                if long_words {
                    out.extend_from_slice(&b[offset..end]);
                    out.extend_from_slice(newline);
                    offset += width;
                } else {
                    match b[end..].iter().position(|c| *c == b' ') {
                        None => {
                            out.extend_from_slice(&b[offset..]);
                            offset = n;
                        }
                        Some(i) => {
                            let at = i + end;
                            out.extend_from_slice(&b[offset..at]);
                            out.extend_from_slice(newline);
                            offset = at + 1;
                        }
                    }
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    out
}

/// Sprig's `indent` (and `nindent`, `newline`: a newline first): every line prefixed by `n`
/// spaces; the bytes of the text are kept as they are.
fn indent(l: &Limits, n: i64, x: &[u8], newline: bool) -> Result<Str, String> {
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    check_string_bytes(l, "indent", n as u64)?;
    let pad = " ".repeat(n as usize);
    let mut out = StrBuf::new();
    if newline {
        out.push_str("\n");
    }
    for (i, line) in x.split(|c| *c == b'\n').enumerate() {
        if i > 0 {
            out.push_str("\n");
        }
        out.push_str(&pad);
        out.push_bytes(line);
    }
    Ok(out.finish())
}

/// `strings.Replace(src, old, new, -1)`, including Go's rule for an empty `old` (insert
/// before every rune and at the end).
fn go_replace(src: &str, old: &str, new: &str) -> String {
    src.replace(old, new)
}

/// `strings.SplitN(s, sep, n)` (`n < 0`: all; `n == 0`: none).
pub(crate) fn go_split(x: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<&str> = x
            .char_indices()
            .map(|(i, c)| &x[i..i + c.len_utf8()])
            .collect();
        if n < 0 || chars.len() as i64 <= n {
            return chars.into_iter().map(String::from).collect();
        }
        let keep = (n - 1) as usize;
        let mut out: Vec<String> = chars[..keep].iter().map(|c| c.to_string()).collect();
        let rest_at: usize = chars[..keep].iter().map(|c| c.len()).sum();
        out.push(x[rest_at..].to_string());
        return out;
    }
    if n < 0 {
        x.split(sep).map(String::from).collect()
    } else {
        x.splitn(n as usize, sep).map(String::from).collect()
    }
}

/// Sprig's `split` result: `map[string]string{"_0": ..., "_1": ...}`.
fn index_map(parts: Vec<Str>) -> Value {
    let map: Map = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::String(p)))
        .collect();
    Value::Map(Rc::new(std::cell::RefCell::new(map)), Tag::STRING)
}

/// [`strslice`] keeping each string's bytes.
fn gostrslice(v: &Value) -> Vec<Str> {
    match v {
        Value::Nil => Vec::new(),
        Value::List(l, _) => l.iter().filter(|x| !x.is_nil()).map(gostrval).collect(),
        Value::Bytes(b) => b.iter().map(|x| Str::from(x.to_string())).collect(),
        other => match super::object_slice(other) {
            Some(items) => items.iter().filter(|x| !x.is_nil()).map(gostrval).collect(),
            None => vec![gostrval(other)],
        },
    }
}

/// Sprig's `strslice` (`toStrings`, `join`): a slice's non-nil elements as strings, `nil` as
/// no strings, anything else as one string.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::Nil => Vec::new(),
        Value::List(l, _) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        other => match super::object_slice(other) {
            Some(items) => items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
            None => vec![strval(other)],
        },
    }
}
