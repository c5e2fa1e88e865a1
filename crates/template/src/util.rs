//! Small pieces of Go's `strconv` and `fmt` that the lexer, parser and executor need for
//! their own messages: `strconv.Quote`, `%#U`, Go integer/float literal parsing and
//! `strconv.Unquote`/`UnquoteChar`.

/// Go's `unicode.IsPrint` / `strconv.IsPrint` (the Go 1.27 table lives in `fmt`).
pub(crate) fn is_print(c: char) -> bool {
    crate::fmt::is_print(c as u32)
}

/// Go's `strconv.Quote` (its one home is [`crate::fmt::quote`]).
pub(crate) use crate::fmt::quote as go_quote;

/// Go's `%.Nq` on a string: the first `n` runes (an invalid byte counts as one), quoted.
pub(crate) fn go_quote_prefix(s: &[u8], n: usize) -> String {
    crate::fmt::quote_bytes(crate::fmt::truncate_runes(s, n))
}

/// Go's `%#U`: `U+0041 'A'`, or `U+0001` when not printable.
pub(crate) fn go_sharp_u(c: char) -> String {
    if is_print(c) {
        format!("U+{:04X} '{}'", c as u32, c)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// Validates Go's underscore rules for a base-prefixed or decimal literal body (as
/// `strconv` does with base 0): underscores only between digits or after a base prefix.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'+' || b[0] == b'-') {
        i = 1;
    }
    let mut saw = '^'; // '^' start, '0' digit or prefix, '_' underscore, '!' other
    let mut hex = false;
    if b.len() >= i + 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'x' | b'o' | b'b') {
        hex = b[i + 1] | 0x20 == b'x';
        saw = '0';
        i += 2;
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.is_ascii_hexdigit()) {
            saw = '0';
        } else if c == b'_' {
            if saw != '0' {
                return false;
            }
            saw = '_';
        } else {
            if saw == '_' {
                return false;
            }
            saw = '!';
        }
        i += 1;
    }
    saw != '_'
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub(crate) fn parse_go_uint(s: &str) -> Option<u64> {
    if s.is_empty() || s.starts_with('+') || s.starts_with('-') {
        return None;
    }
    parse_magnitude(s)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if body.starts_with('+') || body.starts_with('-') {
        return None;
    }
    let m = parse_magnitude(body)?;
    if neg {
        if m <= (i64::MAX as u64) + 1 {
            Some((m as i64).wrapping_neg())
        } else {
            None
        }
    } else if m <= i64::MAX as u64 {
        Some(m as i64)
    } else {
        None
    }
}

fn parse_magnitude(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let (base, digits, prefixed) = if b[0] == b'0' && b.len() > 1 {
        match b[1] | 0x20 {
            b'x' => (16, &s[2..], true),
            b'o' => (8, &s[2..], true),
            b'b' => (2, &s[2..], true),
            _ => (8, &s[1..], true),
        }
    } else {
        (10, s, false)
    };
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let _ = prefixed;
    let mut n: u64 = 0;
    let mut any = false;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(16)? as u64;
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
        any = true;
    }
    if !(any || base == 8 && digits.is_empty()) {
        return None;
    }
    Some(n)
}

/// Go's `strconv.ParseFloat(s, 64)` for the literal forms the template lexer produces.
/// Returns `None` on syntax errors; out-of-range values saturate to ±Inf as Go reports an
/// error for them (which the caller treats like a syntax failure).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.as_bytes().first() {
        Some(b'+') => (false, &clean[1..]),
        Some(b'-') => (true, &clean[1..]),
        _ => (false, &clean[..]),
    };
    let v = if body.len() > 2 && body.as_bytes()[0] == b'0' && body.as_bytes()[1] | 0x20 == b'x' {
        parse_hex_float(&body[2..])?
    } else {
        if body.is_empty()
            || !body
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        let v: f64 = body.parse().ok()?;
        if v.is_infinite() {
            return None;
        }
        v
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => return None, // Go requires the p exponent for hex floats
    };
    let exp: i32 = exp.parse().ok()?;
    let (ip, fp) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if ip.is_empty() && fp.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in ip.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in fp.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let r = v * 2f64.powi(exp);
    if r.is_infinite() {
        return None;
    }
    Some(r)
}

/// One unit of a quoted Go literal: a character, or a byte written as `\xNN` or `\NNN` (which
/// Go puts into a string as that single byte, valid UTF-8 or not).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Unquoted {
    Char(char),
    Byte(u8),
}

impl Unquoted {
    /// The value as a rune (a byte escape in a character constant is that code point).
    pub(crate) fn rune(self) -> u32 {
        match self {
            Unquoted::Char(c) => c as u32,
            Unquoted::Byte(b) => u32::from(b),
        }
    }

    fn push_to(self, out: &mut Vec<u8>) {
        match self {
            Unquoted::Char(c) => {
                let mut tmp = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            Unquoted::Byte(b) => out.push(b),
        }
    }
}

/// Go's `strconv.UnquoteChar(s, quote)`: one (possibly escaped) character from the front of
/// `s`, and the rest. A byte that does not start valid UTF-8 reads as U+FFFD (one byte), as
/// Go decodes it.
pub(crate) fn unquote_char(s: &[u8], quote: u8) -> Option<(Unquoted, &[u8])> {
    let (&c, _) = s.split_first()?;
    if c == quote && (quote == b'\'' || quote == b'"') {
        return None;
    }
    if c >= 0x80 {
        let (r, w) = crate::fmt::decode_rune(s);
        return Some((Unquoted::Char(char::from_u32(r)?), &s[w..]));
    }
    if c != b'\\' {
        return Some((Unquoted::Char(char::from(c)), &s[1..]));
    }
    let (&c2, rest) = s.get(1..)?.split_first()?;
    let simple = match c2 {
        b'a' => Some('\x07'),
        b'b' => Some('\x08'),
        b'f' => Some('\x0c'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'v' => Some('\x0b'),
        b'\\' => Some('\\'),
        b'\'' | b'"' => {
            if c2 != quote {
                return None;
            }
            Some(char::from(c2))
        }
        _ => None,
    };
    if let Some(ch) = simple {
        return Some((Unquoted::Char(ch), rest));
    }
    match c2 {
        b'x' | b'u' | b'U' => {
            let n = match c2 {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.get(..n)?;
            if !digits.iter().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = digits.iter().fold(0u32, |v, &d| {
                v * 16 + char::from(d).to_digit(16).unwrap_or(0)
            });
            if c2 == b'x' {
                return Some((Unquoted::Byte(v as u8), &rest[n..]));
            }
            Some((Unquoted::Char(char::from_u32(v)?), &rest[n..]))
        }
        b'0'..=b'7' => {
            let more = rest.get(..2)?;
            if !more.iter().all(|b| (b'0'..=b'7').contains(b)) {
                return None;
            }
            let v = (u32::from(c2 - b'0') << 6)
                | (u32::from(more[0] - b'0') << 3)
                | u32::from(more[1] - b'0');
            if v > 255 {
                return None;
            }
            Some((Unquoted::Byte(v as u8), &rest[2..]))
        }
        _ => None,
    }
}

/// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'.'` literals: the string's bytes
/// (`"\xff"` is the single byte 0xff). A raw string keeps every byte (less `\r`); in a
/// double-quoted one a byte that is not valid UTF-8 reads as U+FFFD, as in Go.
pub(crate) fn unquote(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() < 2 {
        return None;
    }
    let q = s[0];
    if q != s[s.len() - 1] {
        return None;
    }
    let body = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if body.contains(&b'`') {
                return None;
            }
            Some(body.iter().copied().filter(|&b| b != b'\r').collect())
        }
        b'"' => {
            if body.contains(&b'\n') {
                return None;
            }
            if !body.contains(&b'\\') && !body.contains(&b'"') && std::str::from_utf8(body).is_ok()
            {
                return Some(body.to_vec());
            }
            let mut out = Vec::with_capacity(body.len());
            let mut rest = body;
            while !rest.is_empty() {
                let (c, r) = unquote_char(rest, b'"')?;
                c.push_to(&mut out);
                rest = r;
            }
            Some(out)
        }
        b'\'' => {
            let (c, r) = unquote_char(body, b'\'')?;
            if !r.is_empty() {
                return None;
            }
            let mut out = Vec::new();
            // Go's Unquote turns a rune literal into the rune's UTF-8 (a byte escape is a rune
            // here).
            Unquoted::Char(char::from_u32(c.rune())?).push_to(&mut out);
            Some(out)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_go_int("0x1F"), Some(31));
        assert_eq!(parse_go_int("0o17"), Some(15));
        assert_eq!(parse_go_int("017"), Some(15));
        assert_eq!(parse_go_int("0b101"), Some(5));
        assert_eq!(parse_go_int("1_000"), Some(1000));
        assert_eq!(parse_go_int("-0"), Some(0));
        assert_eq!(parse_go_int("089"), None);
        assert_eq!(parse_go_int("1__0"), None);
        assert_eq!(parse_go_int("_1"), None);
        assert_eq!(parse_go_uint("-1"), None);
        assert_eq!(parse_go_uint("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_go_int("9223372036854775808"), None);
        assert_eq!(parse_go_int("-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_go_float("1.5"), Some(1.5));
        assert_eq!(parse_go_float("1e3"), Some(1000.0));
        assert_eq!(parse_go_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_go_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_go_float("0x1.8"), None);
        assert_eq!(parse_go_float("."), None);
    }

    #[test]
    fn quoting() {
        let uq = |s: &str| unquote(s.as_bytes());
        assert_eq!(go_quote("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(go_quote_prefix(b"abcdefghijkl", 10), "\"abcdefghij\"");
        assert_eq!(
            go_quote_prefix(b"\xffb\xc3\xa9defghijkl", 4),
            "\"\\xffb\u{e9}d\""
        );
        assert_eq!(go_sharp_u('\u{1}'), "U+0001");
        assert_eq!(go_sharp_u('#'), "U+0023 '#'");
        assert_eq!(uq("\"a\\tb\"").as_deref(), Some(&b"a\tb"[..]));
        assert_eq!(uq("`a\\tb`").as_deref(), Some(&b"a\\tb"[..]));
        assert_eq!(uq("\"\\q\""), None);
        assert_eq!(uq("\"\\0€\""), None);
        assert_eq!(uq("\"\\101\"").as_deref(), Some(&b"A"[..]));
        assert_eq!(
            uq("\"\\xff\\377é\"").as_deref(),
            Some(&b"\xff\xff\xc3\xa9"[..])
        );
        assert_eq!(uq("'\\xff'").as_deref(), Some("ÿ".as_bytes()));
        // Bytes that are not UTF-8: kept in a raw string, U+FFFD in a quoted one (Go's
        // UnquoteChar decodes them), with or without escapes around them.
        assert_eq!(
            unquote(b"`a\xff\r\xc3`").as_deref(),
            Some(&b"a\xff\xc3"[..])
        );
        assert_eq!(
            unquote(b"\"a\xffb\"").as_deref(),
            Some("a\u{fffd}b".as_bytes())
        );
        assert_eq!(
            unquote(b"\"\\x41\xe9\"").as_deref(),
            Some("A\u{fffd}".as_bytes())
        );
        assert_eq!(unquote(b"'\xff'").as_deref(), Some("\u{fffd}".as_bytes()));
        assert_eq!(
            unquote_char(b"\xff\xfe'", b'\'').map(|(c, r)| (c.rune(), r)),
            Some((0xfffd, &b"\xfe'"[..]))
        );
    }
}
