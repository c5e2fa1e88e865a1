//! Conversions (spf13/cast and strconv semantics), defaults and reflection.

use chartroom_template::{ArgType as A, Str, Value};

use super::{arg, arg_str, deep_equal, go_v, Entry};

pub(crate) const ENTRIES: &[Entry] = &[
    ("atoi", &[A::String], None, atoi),
    ("int", &[A::Any], None, |a| {
        Ok(Value::Int(to_int(&arg(a, 0))))
    }),
    ("int64", &[A::Any], None, |a| {
        Ok(Value::Int64(to_int64(&arg(a, 0))))
    }),
    ("float64", &[A::Any], None, |a| {
        Ok(Value::Float(to_float64(&arg(a, 0))))
    }),
    ("toDecimal", &[A::Any], None, to_decimal),
    ("toString", &[A::Any], None, |a| {
        Ok(Value::String(gostrval(&arg(a, 0))))
    }),
    ("default", &[A::Any], Some(A::Any), default),
    ("empty", &[A::Any], None, |a| {
        Ok(Value::Bool(empty(&arg(a, 0))))
    }),
    ("coalesce", &[], Some(A::Any), |a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    }),
    ("all", &[], Some(A::Any), |a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    }),
    ("any", &[], Some(A::Any), |a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    }),
    ("ternary", &[A::Any, A::Any, A::Bool], None, |a| {
        Ok(if matches!(a.get(2), Some(Value::Bool(true))) {
            arg(a, 0)
        } else {
            arg(a, 1)
        })
    }),
    ("typeOf", &[A::Any], None, |a| {
        Ok(Value::string(arg(a, 0).type_name()))
    }),
    ("typeIs", &[A::String, A::Any], None, |a| {
        Ok(Value::Bool(arg_str(a, 0) == arg(a, 1).type_name()))
    }),
    ("typeIsLike", &[A::String, A::Any], None, |a| {
        let t = arg(a, 1).type_name();
        let target = arg_str(a, 0);
        Ok(Value::Bool(
            target == t || t.strip_prefix('*').is_some_and(|x| x == target),
        ))
    }),
    ("kindOf", &[A::Any], None, |a| {
        Ok(Value::str(arg(a, 0).kind_name()))
    }),
    ("kindIs", &[A::String, A::Any], None, |a| {
        Ok(Value::Bool(arg_str(a, 0) == arg(a, 1).kind_name()))
    }),
    ("deepEqual", &[A::Any, A::Any], None, |a| {
        Ok(Value::Bool(deep_equal(&arg(a, 0), &arg(a, 1))))
    }),
    ("hello", &[], None, |_| Ok(Value::str("Hello!"))),
];

fn atoi(a: &[Value]) -> Result<Value, String> {
    Ok(Value::Int(parse_atoi(arg_str(a, 0)).unwrap_or(0)))
}

/// `toDecimal`: the value printed with `%v`, read as an octal number (0 if it is not one).
fn to_decimal(a: &[Value]) -> Result<Value, String> {
    let s = go_v(&arg(a, 0));
    Ok(Value::Int64(parse_int_radix(&s, 8).unwrap_or(0)))
}

fn default(a: &[Value]) -> Result<Value, String> {
    match a.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(arg(a, 0)),
    }
}

/// Sprig's `strval`: strings as they are, `[]byte` as text, `Stringer`s by their `String()`,
/// anything else with `%v`.
/// Sprig's `strval` as a Go string: a string's or `[]byte`'s bytes are kept as they are.
pub(crate) fn gostrval(v: &Value) -> Str {
    match v {
        Value::String(s) => s.clone(),
        Value::Bytes(b) => Str::from_bytes(b),
        Value::Object(o) => match o.stringer() {
            Some(s) => Str::from(s),
            None => chartroom_template::fmt::format_value(v),
        },
        _ => chartroom_template::fmt::format_value(v),
    }
}

/// Sprig's `strval` as text (lossy for bytes that are not UTF-8).
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string_lossy(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Object(o) => o.stringer().unwrap_or_else(|| go_v(v)),
        _ => go_v(v),
    }
}

/// Sprig's `empty`: the zero value of its type, or an empty string, slice or map.
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        Value::Bytes(b) => b.is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::Map(m, _) => m.borrow().is_empty(),
        Value::Object(o) => o.is_zero_value(),
    }
}

/// Go's conversion of a float64 to int64 on amd64: truncation, and the "integer indefinite"
/// value for NaN and out-of-range inputs.
pub(crate) fn float_to_i64(f: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `cast.ToInt64`: numbers converted, strings parsed as Go integer literals (after dropping
/// a `.0…` suffix), booleans 1/0, everything else 0.
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Float(f) => float_to_i64(*f),
        Value::Bool(b) => *b as i64,
        Value::String(s) => parse_int_base0(trim_zero_decimal(s.as_str_lossy())).unwrap_or(0),
        _ => 0,
    }
}

/// `cast.ToInt` (Go `int` is 64-bit).
pub(crate) fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64`.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => *b as i64 as f64,
        Value::String(s) => parse_float(s.as_str_lossy()).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// cast's `trimZeroDecimal`: "12.00" → "12"; anything else unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
                return s;
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let b = if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        &b[1..]
    } else {
        b
    };
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1] | 0x20 == b'x';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-`0` prefixes, underscores.
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = split_sign(s);
    if body.is_empty() {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if !underscore_ok(s) {
        return None;
    }
    let digits: String = digits.chars().filter(|c| *c != '_').collect();
    magnitude_to_i64(neg, &digits, radix)
}

/// `strconv.ParseInt(s, radix, 64)` for an explicit radix (no prefixes, no underscores).
pub(crate) fn parse_int_radix(s: &str, radix: u32) -> Option<i64> {
    let (neg, body) = split_sign(s);
    magnitude_to_i64(neg, body, radix)
}

/// `strconv.Atoi`.
pub(crate) fn parse_atoi(s: &str) -> Option<i64> {
    parse_int_radix(s, 10)
}

fn split_sign(s: &str) -> (bool, &str) {
    if let Some(r) = s.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = s.strip_prefix('+') {
        (false, r)
    } else {
        (false, s)
    }
}

fn magnitude_to_i64(neg: bool, digits: &str, radix: u32) -> Option<i64> {
    if digits.is_empty() {
        return None;
    }
    let mut acc: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)? as u64;
        acc = acc.checked_mul(radix as u64)?.checked_add(d)?;
    }
    if neg {
        if acc > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((acc as i64).wrapping_neg())
        }
    } else if acc > i64::MAX as u64 {
        None
    } else {
        Some(acc as i64)
    }
}

/// `strconv.ParseFloat(s, 64)`, `None` where Go returns an error (including overflow).
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let (neg, body) = split_sign(s);
    if body.starts_with(['+', '-']) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if neg { -v } else { v });
    }
    if body.is_empty() || !underscore_ok(s) {
        return None;
    }
    let clean: String = lower.chars().filter(|c| *c != '_').collect();
    let v = if let Some(hex) = clean.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        if !clean
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
        {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Go hexadecimal floating-point literal body (after `0x`): mantissa digits with an optional
/// point, and a mandatory `p` exponent.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = s.split_once('p')?;
    let exp: i32 = exp.parse().ok()?;
    let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int_part.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_literals() {
        assert_eq!(parse_int_base0("0x1F"), Some(31));
        assert_eq!(parse_int_base0("012"), Some(10));
        assert_eq!(parse_int_base0("1_000"), Some(1000));
        assert_eq!(parse_int_base0("1__0"), None);
        assert_eq!(parse_int_base0("08"), None);
        assert_eq!(parse_int_base0("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int_base0("9223372036854775808"), None);
        assert_eq!(trim_zero_decimal("12.00"), "12");
        assert_eq!(trim_zero_decimal("12."), "12.");
        assert_eq!(parse_float("1_0"), Some(10.0));
        assert_eq!(parse_float("0x10"), None);
        assert_eq!(parse_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_float("1e400"), None);
    }
}
