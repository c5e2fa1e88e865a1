//! Go's `strconv` number parsing as YAML and JSON need it, and encoding/json's float text.
//! The digits themselves come from `chartroom_template::fmt` (Go's `strconv.FormatFloat`).

use chartroom_template::fmt::format_float;

/// encoding/json's float64 text (`1e+21`, `1e-7`, `0.000001`, `100`). `None` for NaN/Inf.
pub fn format_json(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let mut s = format_float(f, 'e', -1);
        // clean up e-09 to e-9
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        Some(s)
    } else {
        Some(format_float(f, 'f', -1))
    }
}

/// Go `strconv.ParseFloat(s, 64)` for decimal input; `None` on syntax or range error.
pub fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let body = s.trim_start_matches(['+', '-']);
    if b.is_empty() || body.len() + 1 < s.len() {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    if !body
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

fn digit_val(c: u8) -> Option<u32> {
    (c as char).to_digit(36)
}

/// Unsigned digits in `radix`, no sign, no prefix.
pub fn parse_radix_u64(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for c in s.bytes() {
        let d = digit_val(c)?;
        if d >= radix {
            return None;
        }
        v = v.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    Some(v)
}

/// Signed parse of unsigned digits with an explicit sign flag.
pub fn parse_radix_i64(s: &str, radix: u32, neg: bool) -> Option<i64> {
    let u = parse_radix_u64(s, radix)?;
    if neg {
        if u <= (i64::MAX as u64) + 1 {
            Some((u as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

fn split_base0(s: &str) -> (&str, u32) {
    let b = s.as_bytes();
    if b.len() >= 2 && b[0] == b'0' {
        match b[1] {
            b'x' | b'X' => return (&s[2..], 16),
            b'o' | b'O' => return (&s[2..], 8),
            b'b' | b'B' => return (&s[2..], 2),
            _ => return (&s[1..], 8),
        }
    }
    (s, 10)
}

/// Go `strconv.ParseUint(s, 0, 64)` (input without underscores).
pub fn parse_uint_base0(s: &str) -> Option<u64> {
    let (digits, radix) = split_base0(s);
    parse_radix_u64(digits, radix)
}

/// Go `strconv.ParseInt(s, 0, 64)` (input without underscores).
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let (digits, radix) = split_base0(rest);
    parse_radix_i64(digits, radix, neg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_format() {
        assert_eq!(format_json(1e21).as_deref(), Some("1e+21"));
        assert_eq!(format_json(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(format_json(1e-7).as_deref(), Some("1e-7"));
        assert_eq!(format_json(1e-6).as_deref(), Some("0.000001"));
        assert_eq!(format_json(1.5e-10).as_deref(), Some("1.5e-10"));
        assert_eq!(
            format_json(12345678901234567890.0).as_deref(),
            Some("12345678901234567000")
        );
        assert_eq!(format_json(-0.0).as_deref(), Some("-0"));
        assert_eq!(format_json(3.0).as_deref(), Some("3"));
        assert_eq!(format_json(f64::NAN), None);
        // Go rounds an exact tie between two shortest candidates to even (helm's `toJson` of
        // 2^-25 prints 2.9802322387695312e-8; Rust's `{:e}` ends in ...313).
        assert_eq!(
            format_json(1.0 / 33554432.0).as_deref(),
            Some("2.9802322387695312e-8")
        );
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int_base0("0x1F"), Some(31));
        assert_eq!(parse_int_base0("0777"), Some(511));
        assert_eq!(parse_int_base0("0o17"), Some(15));
        assert_eq!(parse_int_base0("0b101"), Some(5));
        assert_eq!(parse_int_base0("+12"), Some(12));
        assert_eq!(parse_int_base0("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_int_base0("9223372036854775808"), None);
        assert_eq!(
            parse_uint_base0("9223372036854775808"),
            Some(9223372036854775808)
        );
        assert_eq!(parse_int_base0("08"), None);
        assert_eq!(parse_int_base0("0x"), None);
        assert_eq!(parse_int_base0("0"), Some(0));
    }

    #[test]
    fn floats() {
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("1."), Some(1.0));
        assert_eq!(parse_float("abc"), None);
    }
}
