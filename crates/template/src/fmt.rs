//! Go's `fmt` for template values: `Sprintf`, `Sprint`, `Sprintln` and `%v`, plus the pieces of
//! `strconv` they rest on (`FormatFloat`, `Quote`, `QuoteRune`, `IsPrint`, `CanBackquote`).
//!
//! The behaviour follows Go 1.27 (the Go Helm v4.3.1 is built with): verbs, flags, width and
//! precision (also `*` and `%[n]` argument indexes), the `%!verb(type=value)` error forms, Go's
//! shortest-round-trip float formatting and its exact, round-half-even fixed-precision
//! formatting. See `docs/notes/fmt.md` for the few known deviations.

use crate::gostr::Str;
use crate::value::{Complex128, GoShape, Object, Value};

#[path = "fmt_isprint.rs"]
mod isprint;

/// How deeply nested lists and maps are printed before giving up (a map can contain itself
/// through Sprig's `set`, which would make Go recurse until it crashes).
const MAX_DEPTH: usize = 256;

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";
const LOWERHEX: &[u8; 16] = b"0123456789abcdef";

/// Go's `fmt.Sprintf(format, args...)`.
/// The format may hold any bytes, as a Go string may.
pub fn sprintf(format: impl AsRef<[u8]>, args: &[Value]) -> Str {
    let mut p = Printer::new();
    p.do_printf(format.as_ref(), args);
    p.finish()
}

/// Go's `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> Str {
    let mut p = Printer::new();
    let mut prev_string = false;
    for (n, arg) in args.iter().enumerate() {
        let is_string = is_string_kind(arg);
        if n > 0 && !is_string && !prev_string {
            p.buf.push(b' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.finish()
}

/// Go's `fmt.Sprintln(args...)`: always spaces between operands, newline at the end.
pub fn sprintln(args: &[Value]) -> Str {
    let mut p = Printer::new();
    for (n, arg) in args.iter().enumerate() {
        if n > 0 {
            p.buf.push(b' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push(b'\n');
    p.finish()
}

/// Go's `%v` of one value, as `{{ . }}` prints it.
pub fn format_value(v: &Value) -> Str {
    let mut p = Printer::new();
    p.print_arg(v, 'v');
    p.finish()
}

/// How an action (`{{ .X }}`) prints a value: `%v` of it after text/template's
/// `printableValue`, which dereferences a pointer (`{{ .Capabilities }}` prints `{...}`, not
/// `&{...}`).
pub fn format_action_value(v: &Value) -> Str {
    let mut p = Printer::new();
    p.deref = true;
    p.print_arg(v, 'v');
    p.finish()
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as `%v` uses it (`1e+06`, `0.25`, `3`).
pub fn format_float_g(f: f64) -> String {
    format_float(f, 'g', -1)
}

/// Go's `strconv.FormatFloat(f, fmt, prec, 64)`.
///
/// `fmt` is one of `b e E f g G x X`; a negative `prec` asks for the fewest digits that read
/// back as the same float64. Fixed precisions are exact and round half to even, as Go's are.
/// Infinities and NaN print as `+Inf`, `-Inf` and `NaN`; an unknown `fmt` gives `%` + `fmt`.
pub fn format_float(f: f64, fmt: char, prec: i32) -> String {
    format_float_bits(f, fmt, prec, false)
}

/// Go's `strconv.FormatFloat(float64(f), fmt, prec, 32)`: as [`format_float`], but the
/// shortest digits (`prec < 0`) are the fewest that read back as the same float32
/// (`FormatFloat(0.1, 'g', -1, 32)` is `0.1`), and `%b` shows the float32 mantissa.
/// Callers holding a float64 convert it first (`f as f32`, as Go's `float32(f)` does:
/// out-of-range values become infinities).
pub fn format_float32(f: f32, fmt: char, prec: i32) -> String {
    if fmt == 'b' && f.is_finite() {
        let bits = f.to_bits();
        let exp_field = ((bits >> 23) & 0xff) as i32;
        let mut mant = u64::from(bits & ((1u32 << 23) - 1));
        let exp = if exp_field == 0 {
            1 - 127
        } else {
            mant |= 1u64 << 23;
            exp_field - 127
        };
        let neg = bits >> 31 != 0;
        return format!(
            "{}{}p{}{}",
            if neg { "-" } else { "" },
            mant,
            if exp - 23 >= 0 { "+" } else { "" },
            exp - 23
        );
    }
    // Every float32 is exactly a float64: fixed precisions and `%x` print the same digits.
    format_float_bits(f64::from(f), fmt, prec, true)
}

fn format_float_bits(f: f64, fmt: char, prec: i32, bits32: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-Inf" } else { "+Inf" }.into();
    }
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let exp_field = ((bits >> 52) & 0x7ff) as i32;
    let mut mant = bits & ((1u64 << 52) - 1);
    let exp = if exp_field == 0 {
        1 - 1023
    } else {
        mant |= 1u64 << 52;
        exp_field - 1023
    };
    match fmt {
        'b' => return fmt_b(neg, mant, exp),
        'x' | 'X' => return fmt_x(prec, fmt, neg, mant, exp),
        _ => {}
    }
    let shortest = prec < 0;
    let mut prec = prec;
    let digs = if shortest {
        let d = shortest_decimal(f, mant, exp - 52, bits32);
        let nd = d.d.len() as i32;
        match fmt {
            'e' | 'E' => prec = (nd - 1).max(0),
            'f' => prec = (nd - d.dp).max(0),
            'g' | 'G' => prec = nd,
            _ => {}
        }
        d
    } else {
        let mut d = exact_decimal(mant, exp - 52);
        match fmt {
            'e' | 'E' => d.round(prec.saturating_add(1)),
            'f' => {
                let nd = d.dp.saturating_add(prec);
                d.round(nd)
            }
            'g' | 'G' => {
                if prec == 0 {
                    prec = 1;
                }
                d.round(prec)
            }
            _ => {}
        }
        d
    };
    format_digits(shortest, neg, &digs, prec, fmt)
}

/// Go's `strconv.Quote`: a double-quoted Go string literal, with `\a \b \f \n \r \t \v`,
/// `\xNN` for other control bytes and invalid UTF-8, `\uNNNN`/`\UNNNNNNNN` for runes that
/// Go's `unicode.IsPrint` rejects; printable runes are kept as they are.
pub fn quote(s: &str) -> String {
    bytes_to_string(quote_with(s.as_bytes(), b'"', false))
}

/// `strconv.Quote(string(b))` for a byte string that may hold invalid UTF-8.
pub fn quote_bytes(b: &[u8]) -> String {
    bytes_to_string(quote_with(b, b'"', false))
}

/// Go's `strconv.QuoteToASCII`: like [`quote`] but every non-ASCII rune is escaped.
pub fn quote_to_ascii(s: &str) -> String {
    bytes_to_string(quote_with(s.as_bytes(), b'"', true))
}

/// Go's `strconv.QuoteRune` for a Go rune value (invalid runes become `'�'`).
pub fn quote_rune(r: i64) -> String {
    bytes_to_string(quote_rune_with(r, false))
}

/// Go's `strconv.QuoteRuneToASCII`.
pub fn quote_rune_to_ascii(r: i64) -> String {
    bytes_to_string(quote_rune_with(r, true))
}

/// Go's `strconv.CanBackquote`: whether the string can be a raw (backquoted) Go literal.
pub fn can_backquote(s: &[u8]) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        let (r, w) = decode_rune(rest);
        rest = &rest[w..];
        if w > 1 {
            if r == 0xfeff {
                return false;
            }
            continue;
        }
        if r == 0xfffd {
            return false;
        }
        if (r < 0x20 && r != u32::from(b'\t')) || r == u32::from(b'`') || r == 0x7f {
            return false;
        }
    }
    true
}

/// Go's `unicode.IsPrint` / `strconv.IsPrint` for Go 1.27 (Unicode 17.0.0).
pub fn is_print(r: u32) -> bool {
    if r <= 0xff {
        return (0x20..=0x7e).contains(&r) || ((0xa1..=0xff).contains(&r) && r != 0xad);
    }
    let t = isprint::PRINT_RANGES;
    let pairs = t.len() / 2;
    // Binary search for the last range starting at or before r.
    let (mut lo, mut hi) = (0usize, pairs);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if t[2 * mid] <= r {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo > 0 && r <= t[2 * (lo - 1) + 1]
}

fn is_string_kind(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Object(o) => o.kind_name() == "string",
        _ => false,
    }
}

fn bytes_to_string(b: Vec<u8>) -> String {
    match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// UTF-8 helpers with Go's rules: an invalid or short sequence decodes as U+FFFD of width 1.

/// Go's `utf8.DecodeRune`: the first rune of `b` and its width; an invalid or short sequence
/// is U+FFFD of width 1, an empty input U+FFFD of width 0.
pub(crate) fn decode_rune(b: &[u8]) -> (u32, usize) {
    let Some(&c0) = b.first() else {
        return (0xfffd, 0);
    };
    if c0 < 0x80 {
        return (u32::from(c0), 1);
    }
    let need = match c0 {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (0xfffd, 1),
    };
    if b.len() < need {
        return (0xfffd, 1);
    }
    let s = match std::str::from_utf8(&b[..need]) {
        Ok(s) => s,
        Err(_) => return (0xfffd, 1),
    };
    match s.chars().next() {
        Some(c) => (c as u32, need),
        None => (0xfffd, 1),
    }
}

fn rune_count(b: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = b;
    while !rest.is_empty() {
        let (_, w) = decode_rune(rest);
        rest = &rest[w.max(1)..];
        n += 1;
    }
    n
}

/// Go's `utf8.DecodeLastRune`: the last rune of `b` and its width, with the same rules as
/// [`decode_rune`] (a sequence that does not end exactly at the end is U+FFFD of width 1).
pub(crate) fn decode_last_rune(b: &[u8]) -> (u32, usize) {
    let Some(&last) = b.last() else {
        return (0xfffd, 0);
    };
    if last < 0x80 {
        return (u32::from(last), 1);
    }
    let end = b.len();
    let lim = end.saturating_sub(4);
    let mut start = end - 1;
    while start > lim {
        start -= 1;
        // A rune starts at any byte that is not a continuation byte (10xxxxxx).
        if b[start] & 0xc0 != 0x80 {
            break;
        }
    }
    let (r, w) = decode_rune(&b[start..end]);
    if start + w != end {
        return (0xfffd, 1);
    }
    (r, w)
}

/// The prefix of `b` holding at most `n` runes.
pub(crate) fn truncate_runes(b: &[u8], n: usize) -> &[u8] {
    let mut rest = b;
    let mut count = 0;
    while !rest.is_empty() {
        if count == n {
            return &b[..b.len() - rest.len()];
        }
        let (_, w) = decode_rune(rest);
        rest = &rest[w.max(1)..];
        count += 1;
    }
    b
}

fn push_rune(buf: &mut Vec<u8>, r: u32) {
    let c = char::from_u32(r).unwrap_or('\u{fffd}');
    let mut tmp = [0u8; 4];
    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
}

// ---------------------------------------------------------------------------------------------
// strconv quoting.

fn quote_with(s: &[u8], quote: u8, ascii_only: bool) -> Vec<u8> {
    let mut buf = Vec::with_capacity(s.len() + 2);
    buf.push(quote);
    let mut rest = s;
    while !rest.is_empty() {
        let (r, w) = decode_rune(rest);
        if w == 1 && r == 0xfffd {
            buf.extend_from_slice(b"\\x");
            buf.push(LOWERHEX[usize::from(rest[0] >> 4)]);
            buf.push(LOWERHEX[usize::from(rest[0] & 0xf)]);
            rest = &rest[1..];
            continue;
        }
        append_escaped_rune(&mut buf, r, quote, ascii_only);
        rest = &rest[w..];
    }
    buf.push(quote);
    buf
}

fn quote_rune_with(r: i64, ascii_only: bool) -> Vec<u8> {
    let r = match u32::try_from(r) {
        Ok(r) if char::from_u32(r).is_some() => r,
        _ => 0xfffd,
    };
    let mut buf = vec![b'\''];
    append_escaped_rune(&mut buf, r, b'\'', ascii_only);
    buf.push(b'\'');
    buf
}

fn append_escaped_rune(buf: &mut Vec<u8>, r: u32, quote: u8, ascii_only: bool) {
    if r == u32::from(quote) || r == u32::from(b'\\') {
        buf.push(b'\\');
        push_rune(buf, r);
        return;
    }
    if ascii_only {
        if r < 0x80 && is_print(r) {
            buf.push(r as u8);
            return;
        }
    } else if is_print(r) {
        push_rune(buf, r);
        return;
    }
    match r {
        0x07 => buf.extend_from_slice(b"\\a"),
        0x08 => buf.extend_from_slice(b"\\b"),
        0x0c => buf.extend_from_slice(b"\\f"),
        0x0a => buf.extend_from_slice(b"\\n"),
        0x0d => buf.extend_from_slice(b"\\r"),
        0x09 => buf.extend_from_slice(b"\\t"),
        0x0b => buf.extend_from_slice(b"\\v"),
        _ => {
            if r < 0x20 || r == 0x7f {
                buf.extend_from_slice(b"\\x");
                buf.push(LOWERHEX[(r >> 4) as usize & 0xf]);
                buf.push(LOWERHEX[r as usize & 0xf]);
            } else {
                let r = if char::from_u32(r).is_some() {
                    r
                } else {
                    0xfffd
                };
                if r < 0x10000 {
                    buf.extend_from_slice(b"\\u");
                    for s in (0..4).rev() {
                        buf.push(LOWERHEX[(r >> (4 * s)) as usize & 0xf]);
                    }
                } else {
                    buf.extend_from_slice(b"\\U");
                    for s in (0..8).rev() {
                        buf.push(LOWERHEX[(r >> (4 * s)) as usize & 0xf]);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// strconv float formatting.

/// Decimal digits `d` (ASCII, no trailing zeros) with the decimal point `dp` digits from the
/// left (`dp` may be negative or beyond the digits). Zero has no digits and `dp == 0`.
struct Decimal {
    d: Vec<u8>,
    dp: i32,
}

impl Decimal {
    fn trim(&mut self) {
        while self.d.last() == Some(&b'0') {
            self.d.pop();
        }
        if self.d.is_empty() {
            self.dp = 0;
        }
    }

    fn reads_back_as(&self, f: f64, bits32: bool) -> bool {
        let digits = String::from_utf8_lossy(&self.d);
        let text = format!("0.{digits}e{}", self.dp);
        if bits32 {
            text.parse::<f32>().map(f64::from) == Ok(f)
        } else {
            text.parse::<f64>() == Ok(f)
        }
    }

    /// Rounds to `nd` digits, half to even (the digits are exact).
    fn round(&mut self, nd: i32) {
        if nd < 0 || nd as usize >= self.d.len() {
            return;
        }
        let nd = nd as usize;
        let up = if self.d[nd] == b'5' && nd + 1 == self.d.len() {
            nd > 0 && (self.d[nd - 1] - b'0') % 2 == 1
        } else {
            self.d[nd] >= b'5'
        };
        if up {
            let mut i = nd;
            while i > 0 {
                if self.d[i - 1] < b'9' {
                    self.d[i - 1] += 1;
                    self.d.truncate(i);
                    return;
                }
                i -= 1;
            }
            self.d.clear();
            self.d.push(b'1');
            self.dp += 1;
        } else {
            self.d.truncate(nd);
            self.trim();
        }
    }
}

/// The shortest digits that read back as `f` (`f == mant * 2^exp2`), as Go's Ryu picks them:
/// the exact value rounded half to even at the shortest length that round-trips. With
/// `bits32`, `f` holds a float32 and the digits are the shortest that read back as it.
fn shortest_decimal(f: f64, mant: u64, exp2: i32, bits32: bool) -> Decimal {
    // Rust's shortest formatting gives the length and, except on exact ties, the digits.
    let s = if bits32 {
        format!("{:e}", (f as f32).abs())
    } else {
        format!("{:e}", f.abs())
    };
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let d: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let mut dec = Decimal { d, dp: exp + 1 };
    dec.trim();
    if dec.d.is_empty() {
        dec.dp = 0;
        return dec;
    }
    // On a tie Rust rounds half up where Go rounds half to even. A tie needs the exact value to
    // have at most 18 significant digits: with `mant` odd, `mant * 5^k` for exponent -k has at
    // least 0.69k digits, and `mant * 2^e` at least 0.3e digits of which at most 22 are
    // trailing zeros (5^23 > 2^53), so only exponents in -30..=130 can tie.
    let tz = mant.trailing_zeros() as i32;
    if !(-30..=130).contains(&(exp2 + tz)) {
        return dec;
    }
    let mut exact = exact_decimal(mant, exp2);
    if exact.d.len() > dec.d.len() {
        exact.round(dec.d.len() as i32);
        if (exact.d != dec.d || exact.dp != dec.dp) && exact.reads_back_as(f.abs(), bits32) {
            return exact;
        }
    }
    dec
}

/// The exact decimal value of `mant * 2^exp2`.
fn exact_decimal(mant: u64, exp2: i32) -> Decimal {
    if mant == 0 {
        return Decimal {
            d: Vec::new(),
            dp: 0,
        };
    }
    // Little-endian base-2^32 big integer.
    let mut n: Vec<u32> = vec![mant as u32, (mant >> 32) as u32];
    let frac_digits: i32;
    if exp2 >= 0 {
        let words = (exp2 / 32) as usize;
        let bits = (exp2 % 32) as u32;
        if bits > 0 {
            let mut carry = 0u32;
            for w in n.iter_mut() {
                let v = (u64::from(*w) << bits) | u64::from(carry);
                *w = v as u32;
                carry = (v >> 32) as u32;
            }
            n.push(carry);
        }
        let mut shifted = vec![0u32; words];
        shifted.extend_from_slice(&n);
        n = shifted;
        frac_digits = 0;
    } else {
        // mant / 2^k == mant * 5^k / 10^k
        let mut k = -exp2;
        frac_digits = k;
        while k > 0 {
            let step = k.min(13);
            let m = 5u64.pow(step as u32);
            let mut carry = 0u64;
            for w in n.iter_mut() {
                let v = u64::from(*w) * m + carry;
                *w = v as u32;
                carry = v >> 32;
            }
            while carry > 0 {
                n.push(carry as u32);
                carry >>= 32;
            }
            k -= step;
        }
    }
    // To decimal, nine digits at a time.
    let mut groups: Vec<u32> = Vec::new();
    while n.last() == Some(&0) {
        n.pop();
    }
    while !n.is_empty() {
        let mut rem = 0u64;
        for w in n.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*w);
            *w = (v / 1_000_000_000) as u32;
            rem = v % 1_000_000_000;
        }
        groups.push(rem as u32);
        while n.last() == Some(&0) {
            n.pop();
        }
    }
    let mut d = Vec::with_capacity(groups.len() * 9);
    for (i, g) in groups.iter().rev().enumerate() {
        if i == 0 {
            d.extend_from_slice(g.to_string().as_bytes());
        } else {
            d.extend_from_slice(format!("{g:09}").as_bytes());
        }
    }
    let dp = d.len() as i32 - frac_digits;
    let mut dec = Decimal { d, dp };
    dec.trim();
    dec
}

fn format_digits(shortest: bool, neg: bool, digs: &Decimal, prec: i32, fmt: char) -> String {
    let nd = digs.d.len() as i32;
    match fmt {
        'e' | 'E' => fmt_e(neg, digs, prec, fmt),
        'f' => fmt_f(neg, digs, prec),
        'g' | 'G' => {
            let mut prec = prec;
            let mut eprec = prec;
            if eprec > nd && nd >= digs.dp {
                eprec = nd;
            }
            // %e is used if the exponent from the conversion is less than -4 or greater than
            // or equal to the precision; the shortest form decides with precision 6.
            if shortest {
                eprec = 6;
            }
            let exp = digs.dp - 1;
            if exp < -4 || exp >= eprec {
                if prec > nd {
                    prec = nd;
                }
                let efmt = if fmt == 'g' { 'e' } else { 'E' };
                return fmt_e(neg, digs, prec - 1, efmt);
            }
            if prec > digs.dp {
                prec = nd;
            }
            fmt_f(neg, digs, (prec - digs.dp).max(0))
        }
        _ => format!("%{fmt}"),
    }
}

fn fmt_e(neg: bool, d: &Decimal, prec: i32, fmt: char) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push(d.d.first().map_or('0', |&c| c as char));
    if prec > 0 {
        s.push('.');
        let prec = prec as usize;
        let mut i = 1;
        let m = d.d.len().min(prec + 1);
        if i < m {
            s.extend(d.d[i..m].iter().map(|&c| c as char));
            i = m;
        }
        while i <= prec {
            s.push('0');
            i += 1;
        }
    }
    s.push(fmt);
    let mut exp = d.dp - 1;
    if d.d.is_empty() {
        exp = 0;
    }
    if exp < 0 {
        s.push('-');
        exp = -exp;
    } else {
        s.push('+');
    }
    if exp < 10 {
        s.push('0');
    }
    s.push_str(&exp.to_string());
    s
}

fn fmt_f(neg: bool, d: &Decimal, prec: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if d.dp > 0 {
        let m = (d.d.len()).min(d.dp as usize);
        s.extend(d.d[..m].iter().map(|&c| c as char));
        for _ in m..d.dp as usize {
            s.push('0');
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            let j = i64::from(d.dp) + i64::from(i) - 1;
            let c = if j >= 0 && (j as usize) < d.d.len() {
                d.d[j as usize] as char
            } else {
                '0'
            };
            s.push(c);
        }
    }
    s
}

/// `%b`: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`).
fn fmt_b(neg: bool, mant: u64, exp: i32) -> String {
    let exp = exp - 52;
    format!(
        "{}{}p{}{}",
        if neg { "-" } else { "" },
        mant,
        if exp >= 0 { "+" } else { "" },
        exp
    )
}

/// `%x`/`%X`: `-0x1.yyyyp±dd` with a hexadecimal mantissa.
fn fmt_x(prec: i32, fmt: char, neg: bool, mant: u64, exp: i32) -> String {
    let mut exp = if mant == 0 { 0 } else { exp };
    // Shift so the leading 1 (if any) is at bit 60.
    let mut mant = mant << (60 - 52);
    while mant != 0 && mant & (1u64 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    if (0..15).contains(&prec) {
        let shift = (prec * 4) as u32;
        let extra = (mant << shift) & ((1u64 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1u64 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1u64 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let hex: &[u8; 17] = if fmt == 'X' { UDIGITS } else { LDIGITS };
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push('0');
    s.push(fmt);
    s.push(if (mant >> 60) & 1 == 1 { '1' } else { '0' });
    mant <<= 4;
    if prec < 0 && mant != 0 {
        s.push('.');
        while mant != 0 {
            s.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    } else if prec > 0 {
        s.push('.');
        for _ in 0..prec {
            s.push(hex[((mant >> 60) & 15) as usize] as char);
            mant <<= 4;
        }
    }
    s.push(if fmt == 'X' { 'P' } else { 'p' });
    if exp < 0 {
        s.push('-');
        exp = -exp;
    } else {
        s.push('+');
    }
    if exp < 10 {
        s.push('0');
    }
    s.push_str(&exp.to_string());
    s
}

// ---------------------------------------------------------------------------------------------
// The printer (Go's `pp` and `fmt`).

#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    // %+v and %#v: set instead of plus/sharp for the `v` verb.
    plus_v: bool,
    sharp_v: bool,
}

/// What a `%!verb(...)` error message describes.
enum Bad<'a> {
    Nil,
    Val(&'a Value),
    /// An element of a byte slice (Go `uint8`).
    Byte(u8),
}

struct Printer {
    buf: Vec<u8>,
    f: Flags,
    wid: usize,
    prec: usize,
    erroring: bool,
    reordered: bool,
    good_arg_num: bool,
    /// Print a top-level pointer to a struct as the struct (text/template's `printableValue`
    /// dereferences before printing).
    deref: bool,
}

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Parses a decimal number in `s[start..end]`: (number, found, index after it). A number that
/// grows too large consumes the rest of the format, as in Go.
fn parsenum(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0i64;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

/// `[n]` at the start of `s`: (zero-based index, bytes consumed, ok).
fn parse_arg_number(s: &[u8]) -> (i64, usize, bool) {
    if s.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (width, ok, newi) = parsenum(s, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// An integer argument for `*` width or precision: (value, is int, next argument).
fn int_from_arg(a: &[Value], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= a.len() {
        return (0, false, arg_num);
    }
    let (mut num, mut is_int) = match a[arg_num] {
        Value::Int(i) | Value::Int64(i) => (i, true),
        _ => (0, false),
    };
    if too_large(num) {
        num = 0;
        is_int = false;
    }
    (num, is_int, arg_num + 1)
}

fn rc_addr<T: ?Sized>(r: &std::rc::Rc<T>) -> u64 {
    std::rc::Rc::as_ptr(r) as *const u8 as usize as u64
}

impl Printer {
    fn new() -> Printer {
        Printer {
            buf: Vec::new(),
            f: Flags::default(),
            wid: 0,
            prec: 0,
            erroring: false,
            reordered: false,
            good_arg_num: true,
            deref: false,
        }
    }

    fn finish(self) -> Str {
        Str::from_vec(self.buf)
    }

    fn clear_flags(&mut self) {
        self.f = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    fn write_str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    // --- padding ---

    fn write_padding(&mut self, n: usize) {
        let b = if self.f.zero && !self.f.minus {
            b'0'
        } else {
            b' '
        };
        self.buf.resize(self.buf.len() + n, b);
    }

    fn pad(&mut self, s: &[u8]) {
        if !self.f.wid_present || self.wid == 0 {
            self.buf.extend_from_slice(s);
            return;
        }
        let width = self.wid.saturating_sub(rune_count(s));
        if !self.f.minus {
            self.write_padding(width);
            self.buf.extend_from_slice(s);
        } else {
            self.buf.extend_from_slice(s);
            self.write_padding(width);
        }
    }

    fn pad_no_zero(&mut self, s: &[u8]) {
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(s);
        self.f.zero = old;
    }

    // --- basic formatters (Go's fmt type) ---

    fn fmt_boolean(&mut self, v: bool) {
        self.pad(if v { b"true" } else { b"false" });
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut prec = 4usize;
        if self.f.prec_present && self.prec > 4 {
            prec = self.prec;
        }
        let mut hex: Vec<u8> = Vec::new();
        let mut v = u;
        loop {
            hex.push(UDIGITS[(v & 0xf) as usize]);
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        while hex.len() < prec {
            hex.push(b'0');
        }
        hex.extend_from_slice(b"+U");
        hex.reverse();
        if self.f.sharp && u <= 0x10ffff && is_print(u as u32) {
            hex.extend_from_slice(b" '");
            push_rune(&mut hex, u as u32);
            hex.push(b'\'');
        }
        self.pad_no_zero(&hex);
    }

    fn fmt_integer(&mut self, u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        let mut prec = 0usize;
        if self.f.prec_present {
            prec = self.prec;
            if prec == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.wid);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        // Built right to left, reversed at the end.
        let mut out: Vec<u8> = Vec::with_capacity(24);
        let b = u64::from(base);
        loop {
            out.push(digits[(u % b) as usize]);
            u /= b;
            if u == 0 {
                break;
            }
        }
        while out.len() < prec {
            out.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => out.extend_from_slice(b"b0"),
                8 if out.last() != Some(&b'0') => out.push(b'0'),
                16 => {
                    out.push(digits[16]);
                    out.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            out.extend_from_slice(b"o0");
        }
        if negative {
            out.push(b'-');
        } else if self.f.plus {
            out.push(b'+');
        } else if self.f.space {
            out.push(b' ');
        }
        out.reverse();
        self.pad_no_zero(&out);
    }

    fn truncate<'b>(&self, s: &'b [u8]) -> &'b [u8] {
        if self.f.prec_present {
            truncate_runes(s, self.prec)
        } else {
            s
        }
    }

    fn fmt_s(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn fmt_sbx(&mut self, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len();
        if self.f.prec_present && self.prec < length {
            length = self.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.f.wid_present && self.wid > width && !self.f.minus {
            self.write_padding(self.wid - width);
        }
        if self.f.sharp {
            self.buf.push(b'0');
            self.buf.push(digits[16]);
        }
        for (i, &c) in s[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(b' ');
                if self.f.sharp {
                    self.buf.push(b'0');
                    self.buf.push(digits[16]);
                }
            }
            self.buf.push(digits[usize::from(c >> 4)]);
            self.buf.push(digits[usize::from(c & 0xf)]);
        }
        if self.f.wid_present && self.wid > width && self.f.minus {
            self.write_padding(self.wid - width);
        }
    }

    fn fmt_q(&mut self, s: &[u8]) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let mut q = Vec::with_capacity(s.len() + 2);
            q.push(b'`');
            q.extend_from_slice(s);
            q.push(b'`');
            self.pad(&q);
            return;
        }
        let q = quote_with(s, b'"', self.f.plus);
        self.pad(&q);
    }

    fn fmt_c(&mut self, c: u64) {
        let r = if c > 0x10ffff { 0xfffd } else { c as u32 };
        let mut b = Vec::with_capacity(4);
        push_rune(&mut b, r);
        self.pad(&b);
    }

    fn fmt_qc(&mut self, c: u64) {
        let r = if c > 0x10ffff { 0xfffd } else { c as i64 };
        let q = quote_rune_with(r, self.f.plus);
        self.pad(&q);
    }

    /// Go's `fmt.fmtFloat`: `verb` is a strconv format, `prec` the default precision.
    fn fmt_float(&mut self, v: f64, verb: char, prec: i32) {
        let prec = if self.f.prec_present {
            i32::try_from(self.prec).unwrap_or(i32::MAX)
        } else {
            prec
        };
        let s = format_float(v, verb, prec);
        let mut num: Vec<u8> = Vec::with_capacity(s.len() + 8);
        if s.starts_with('-') || s.starts_with('+') {
            num.extend_from_slice(s.as_bytes());
        } else {
            num.push(b'+');
            num.extend_from_slice(s.as_bytes());
        }
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        if num.get(1) == Some(&b'I') || num.get(1) == Some(&b'N') {
            let start = if num[1] == b'N' && !self.f.space && !self.f.plus {
                1
            } else {
                0
            };
            let n = num[start..].to_vec();
            self.pad_no_zero(&n);
            return;
        }
        if self.f.sharp && verb != 'b' {
            let mut digits: i64 = 0;
            if matches!(verb, 'v' | 'g' | 'G' | 'x') {
                digits = i64::from(prec);
                if digits == -1 {
                    digits = 6;
                }
            }
            let mut tail: Vec<u8> = Vec::new();
            let mut has_decimal_point = false;
            let mut saw_nonzero_digit = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_decimal_point = true,
                    b'p' | b'P' => {
                        tail = num.split_off(i);
                        break;
                    }
                    b'e' | b'E' if verb != 'x' && verb != 'X' => {
                        tail = num.split_off(i);
                        break;
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero_digit = true;
                        }
                        if saw_nonzero_digit {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_decimal_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        if self.f.plus || num[0] != b'+' {
            if self.f.zero && !self.f.minus && self.f.wid_present && self.wid > num.len() {
                self.buf.push(num[0]);
                self.write_padding(self.wid - num.len());
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    // --- the pp layer: verbs per type ---

    fn bad_verb(&mut self, verb: char, what: Bad<'_>) {
        self.erroring = true;
        self.buf.extend_from_slice(b"%!");
        push_rune(&mut self.buf, verb as u32);
        self.buf.push(b'(');
        match what {
            Bad::Nil => self.write_str("<nil>"),
            Bad::Val(v) => {
                self.write_str(&v.type_name());
                self.buf.push(b'=');
                self.print_arg(v, 'v');
            }
            Bad::Byte(c) => {
                self.write_str("uint8=");
                self.fmt_uint8(c, 'v');
            }
        }
        self.buf.push(b')');
        self.erroring = false;
    }

    fn fmt_bool(&mut self, b: bool, verb: char, v: &Value) {
        match verb {
            't' | 'v' => self.fmt_boolean(b),
            _ => self.bad_verb(verb, Bad::Val(v)),
        }
    }

    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer(v, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    /// Integer verbs; returns false for a verb integers do not take.
    fn fmt_int_verb(&mut self, u: u64, signed: bool, verb: char) -> bool {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    self.fmt_0x64(u, true)
                } else {
                    self.fmt_integer(u, 10, signed, verb, LDIGITS)
                }
            }
            'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => return false,
        }
        true
    }

    fn fmt_uint8(&mut self, c: u8, verb: char) {
        if !self.fmt_int_verb(u64::from(c), false, verb) {
            self.bad_verb(verb, Bad::Byte(c));
        }
    }

    /// Go's `printValue` for a struct, a pointer to one, or a named slice.
    fn print_shape(&mut self, v: &Value, o: &dyn Object, shape: GoShape, verb: char, depth: usize) {
        match shape {
            GoShape::Struct { ptr, fields } => {
                if ptr {
                    if depth > 0 {
                        // A pointer inside a container prints as its address.
                        self.fmt_pointer(v, verb);
                        return;
                    }
                    if !self.deref {
                        self.buf.push(b'&');
                    }
                }
                if self.f.sharp_v {
                    self.write_str(o.type_name().trim_start_matches('*'));
                }
                self.buf.push(b'{');
                for (i, (name, field)) in fields.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.extend_from_slice(b", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    if self.f.plus_v || self.f.sharp_v {
                        self.write_str(name);
                        self.buf.push(b':');
                    }
                    self.print_value(field, verb, depth + 1);
                }
                self.buf.push(b'}');
            }
            GoShape::Slice(items) => {
                if self.f.sharp_v {
                    self.write_str(o.type_name());
                    self.buf.push(b'{');
                } else {
                    self.buf.push(b'[');
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.extend_from_slice(b", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    self.print_value(item, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
            }
        }
    }

    /// Go's `fmtComplex`: each part as a float64 under the verb, the imaginary one signed.
    fn fmt_complex(&mut self, c: Complex128, verb: char, v: &Value) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.f.plus;
                self.buf.push(b'(');
                self.pp_fmt_float(c.re, verb, v);
                self.f.plus = true;
                self.pp_fmt_float(c.im, verb, v);
                self.buf.extend_from_slice(b"i)");
                self.f.plus = old_plus;
            }
            _ => self.bad_verb(verb, Bad::Val(v)),
        }
    }

    fn pp_fmt_float(&mut self, x: f64, verb: char, v: &Value) {
        match verb {
            'v' => self.fmt_float(x, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(x, verb, -1),
            'f' | 'e' | 'E' => self.fmt_float(x, verb, 6),
            'F' => self.fmt_float(x, 'f', 6),
            _ => self.bad_verb(verb, Bad::Val(v)),
        }
    }

    fn fmt_string(&mut self, s: &[u8], verb: char, v: Option<&Value>) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s)
                } else {
                    self.fmt_s(s)
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s, LDIGITS),
            'X' => self.fmt_sbx(s, UDIGITS),
            'q' => self.fmt_q(s),
            _ => match v {
                Some(v) => self.bad_verb(verb, Bad::Val(v)),
                None => {
                    let v = Value::String(Str::from_bytes(s));
                    self.bad_verb(verb, Bad::Val(&v))
                }
            },
        }
    }

    /// A byte slice; `type_name` is how `%#v` names it (`[]byte` at top level, `[]uint8`
    /// inside a container).
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_name: &str) {
        match verb {
            's' => self.fmt_s(b),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(b),
            _ => {
                if self.f.sharp_v {
                    self.write_str(type_name);
                    self.buf.push(b'{');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.extend_from_slice(b", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.buf.push(b'}');
                } else {
                    self.buf.push(b'[');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(b' ');
                        }
                        self.fmt_uint8(c, verb);
                    }
                    self.buf.push(b']');
                }
            }
        }
    }

    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        let addr = match v {
            Value::List(_, t) | Value::Map(_, t) if t.nil => 0,
            Value::List(l, _) => rc_addr(l),
            Value::Map(m, _) => rc_addr(m),
            Value::Bytes(b) => rc_addr(b),
            Value::Object(o) if o.as_any().is::<Complex128>() => {
                self.bad_verb(verb, Bad::Val(v));
                return;
            }
            Value::Object(o) => rc_addr(o),
            _ => {
                self.bad_verb(verb, Bad::Val(v));
                return;
            }
        };
        self.fmt_0x64(addr, !self.f.sharp);
    }

    /// Go's `handleMethods`: a `String()` method serves the string-like verbs.
    fn handle_methods(&mut self, o: &dyn Object, verb: char) -> bool {
        if self.erroring || self.f.sharp_v {
            return false;
        }
        if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') {
            if let Some(s) = o.stringer() {
                self.fmt_string(s.as_bytes(), verb, None);
                return true;
            }
        }
        false
    }

    fn print_arg(&mut self, v: &Value, verb: char) {
        if let Value::Nil = v {
            match verb {
                'T' | 'v' => self.pad(b"<nil>"),
                _ => self.bad_verb(verb, Bad::Nil),
            }
            return;
        }
        match verb {
            'T' => {
                let t = v.type_name();
                self.fmt_s(t.as_bytes());
                return;
            }
            'p' => {
                self.fmt_pointer(v, 'p');
                return;
            }
            _ => {}
        }
        match v {
            Value::List(..) | Value::Map(..) if verb == 'w' => self.bad_verb(verb, Bad::Val(v)),
            Value::Object(o) if o.as_any().is::<Complex128>() => self.print_value(v, verb, 0),
            Value::Object(o) => {
                if verb == 'w' {
                    self.bad_verb(verb, Bad::Val(v));
                } else if !self.handle_methods(o.as_ref(), verb) {
                    self.print_value(v, verb, 0);
                }
            }
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte"),
            _ => self.print_value(v, verb, 0),
        }
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        if depth > MAX_DEPTH {
            self.write_str("...");
            return;
        }
        match v {
            Value::Nil => {
                // A nil interface inside a container.
                if self.f.sharp_v {
                    self.write_str("interface {}(nil)");
                } else {
                    self.write_str("<nil>");
                }
            }
            Value::Bool(b) => self.fmt_bool(*b, verb, v),
            Value::Int(i) | Value::Int64(i) => {
                if !self.fmt_int_verb(*i as u64, true, verb) {
                    self.bad_verb(verb, Bad::Val(v));
                }
            }
            Value::Float(x) => self.pp_fmt_float(*x, verb, v),
            Value::String(s) => self.fmt_string(s.as_bytes(), verb, Some(v)),
            Value::Bytes(b) => {
                let t = if depth == 0 { "[]byte" } else { "[]uint8" };
                self.fmt_bytes(b, verb, t);
            }
            Value::List(_, t) | Value::Map(_, t) if t.nil && self.f.sharp_v => {
                self.write_str(&v.type_name());
                self.write_str("(nil)");
            }
            Value::List(items, _) => {
                if self.f.sharp_v {
                    self.write_str(&v.type_name());
                    self.buf.push(b'{');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.extend_from_slice(b", ");
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push(b'}');
                } else {
                    self.buf.push(b'[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(b' ');
                        }
                        self.print_value(item, verb, depth + 1);
                    }
                    self.buf.push(b']');
                }
            }
            Value::Map(m, _) => {
                if self.f.sharp_v {
                    self.write_str(&v.type_name());
                    self.buf.push(b'{');
                } else {
                    self.write_str("map[");
                }
                let map = m.borrow();
                for (i, (k, item)) in map.iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.extend_from_slice(b", ");
                        } else {
                            self.buf.push(b' ');
                        }
                    }
                    let key = Value::str(k);
                    self.print_value(&key, verb, depth + 1);
                    self.buf.push(b':');
                    self.print_value(item, verb, depth + 1);
                }
                drop(map);
                self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
            }
            Value::Object(o) => {
                if let Some(c) = o.as_any().downcast_ref::<Complex128>() {
                    self.fmt_complex(*c, verb, v);
                    return;
                }
                if depth > 0 && self.handle_methods(o.as_ref(), verb) {
                    return;
                }
                if let Some(shape) = o.go_shape() {
                    self.print_shape(v, o.as_ref(), shape, verb, depth);
                    return;
                }
                let s = o.go_string();
                self.write_str(&s);
            }
        }
    }

    // --- Printf ---

    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as u64) < num_args as u64 {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    fn do_printf(&mut self, fb: &[u8], a: &[Value]) {
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        self.reordered = false;
        let mut i = 0usize;
        'format: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.extend_from_slice(&fb[lasti..i]);
            }
            if i >= end {
                break;
            }
            i += 1; // skip '%'
            self.clear_flags();
            // Flags, with a fast path for a plain lower-case verb.
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    c => {
                        if c.is_ascii_lowercase() && arg_num < a.len() {
                            if c == b'v' || c == b'w' {
                                self.f.sharp_v = self.f.sharp;
                                self.f.sharp = false;
                                self.f.plus_v = self.f.plus;
                                self.f.plus = false;
                            }
                            self.print_arg(&a[arg_num], c as char);
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Argument index?
            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());

            // Width.
            if i < end && fb[i] == b'*' {
                i += 1;
                let (w, ok, n) = int_from_arg(a, arg_num);
                arg_num = n;
                self.f.wid_present = ok;
                if !ok {
                    self.write_str("%!(BADWIDTH)");
                }
                if w < 0 {
                    self.f.minus = true;
                    self.f.zero = false;
                }
                self.wid = w.unsigned_abs() as usize;
                after_index = false;
            } else {
                let (w, ok, n) = parsenum(fb, i, end);
                self.wid = w as usize;
                self.f.wid_present = ok;
                i = n;
                if after_index && ok {
                    self.good_arg_num = false;
                }
            }

            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, a.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (p, ok, n) = int_from_arg(a, arg_num);
                    arg_num = n;
                    if p < 0 || !ok {
                        self.prec = 0;
                        self.f.prec_present = false;
                    } else {
                        self.prec = p as usize;
                        self.f.prec_present = true;
                    }
                    if !self.f.prec_present {
                        self.write_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (p, ok, n) = parsenum(fb, i, end);
                    i = n;
                    self.prec = if ok { p as usize } else { 0 };
                    self.f.prec_present = true;
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, fb, i, a.len());
            }

            if i >= end {
                self.write_str("%!(NOVERB)");
                break;
            }

            let (verb, size) = decode_rune(&fb[i..]);
            let verb = char::from_u32(verb).unwrap_or('\u{fffd}');
            i += size;

            if verb == '%' {
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.write_str("(BADINDEX)");
            } else if arg_num >= a.len() {
                self.buf.extend_from_slice(b"%!");
                push_rune(&mut self.buf, verb as u32);
                self.write_str("(MISSING)");
            } else {
                if verb == 'v' || verb == 'w' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&a[arg_num], verb);
                arg_num += 1;
            }
        }

        if !self.reordered && arg_num < a.len() {
            self.clear_flags();
            self.write_str("%!(EXTRA ");
            for (i, arg) in a[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.write_str(", ");
                }
                if arg.is_nil() {
                    self.write_str("<nil>");
                } else {
                    self.write_str(&arg.type_name());
                    self.buf.push(b'=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(b')');
        }
    }
}
