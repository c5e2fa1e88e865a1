//! Go's `time` package as Sprig's date functions use it: `time.Time` values (UTC and fixed
//! offsets; there is no time zone database), layout-based formatting and parsing,
//! `time.Duration` printing and `time.ParseDuration`.

use std::rc::Rc;

use chartroom_template::{Object, Value};

use crate::rng;

const NS: i64 = 1_000_000_000;

/// A Go `time.Time`: an instant plus the zone it is shown in.
#[derive(Clone, Debug, PartialEq)]
pub struct GoTime {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    pub nanos: u32,
    /// Zone offset east of UTC in seconds, and its abbreviation (`UTC`, or `""` for a zone
    /// known only by its offset, which Go prints as `+0200`).
    pub offset: i32,
    pub zone: String,
    /// Go's monotonic reading (seconds since process start), printed by `String()` as `m=+…`.
    pub mono: Option<f64>,
}

impl GoTime {
    pub fn utc(secs: i64, nanos: u32) -> GoTime {
        GoTime {
            secs,
            nanos,
            offset: 0,
            zone: "UTC".into(),
            mono: None,
        }
    }

    /// `time.Now()` in the local zone (UTC here).
    pub fn now() -> GoTime {
        let (s, n) = rng::now();
        let mut t = GoTime::utc(s, n);
        t.mono = Some(rng::monotonic((s, n)));
        t
    }

    /// Go's zero `time.Time` (January 1, year 1, 00:00:00 UTC).
    pub fn zero() -> GoTime {
        GoTime::utc(-62_135_596_800, 0)
    }

    pub fn is_zero(&self) -> bool {
        self.secs == -62_135_596_800 && self.nanos == 0
    }

    pub fn unix_nanos(&self) -> i128 {
        self.secs as i128 * NS as i128 + self.nanos as i128
    }

    pub fn add(&self, d: i64) -> GoTime {
        let total = self.unix_nanos() + d as i128;
        let secs = total.div_euclid(NS as i128) as i64;
        let nanos = total.rem_euclid(NS as i128) as u32;
        GoTime {
            secs,
            nanos,
            offset: self.offset,
            zone: self.zone.clone(),
            mono: self.mono.map(|m| m + d as f64 / 1e9),
        }
    }

    pub fn in_zone(&self, offset: i32, zone: &str) -> GoTime {
        GoTime {
            offset,
            zone: zone.into(),
            mono: self.mono,
            ..self.clone()
        }
    }

    /// Local wall-clock fields: (year, month 1-12, day, hour, minute, second, weekday 0=Sunday,
    /// day of year 1-366).
    pub fn fields(&self) -> Fields {
        let local = self.secs + self.offset as i64;
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let weekday = (days + 4).rem_euclid(7) as u32;
        let yday = (days - days_from_civil(y, 1, 1) + 1) as u32;
        Fields {
            year: y,
            month: m,
            day: d,
            hour: (sod / 3600) as u32,
            minute: (sod / 60 % 60) as u32,
            second: (sod % 60) as u32,
            weekday,
            yday,
        }
    }

    /// `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST` plus the monotonic reading.
    pub fn go_string(&self) -> String {
        let mut s = format(self, "2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            // Go prints the reading with nanosecond precision, trailing zeros kept off.
            let sign = if m < 0.0 { '-' } else { '+' };
            let m = m.abs();
            let whole = m.trunc() as i64;
            let frac = ((m - m.trunc()) * 1e9).round() as i64;
            s.push_str(&format!(" m={sign}{whole}.{frac:09}"));
        }
        s
    }
}

pub struct Fields {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub weekday: u32,
    pub yday: u32,
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// One element of a Go layout.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(String),
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000` / `,000` (fixed digits) or `.999` (trailing zeros dropped): (separator, digits, fixed)
    Frac(char, usize, bool),
}

fn starts_lower(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// Splits a Go layout into tokens (Go's `nextStdChunk`).
fn tokenize(layout: &str) -> Vec<Tok> {
    let b = layout.as_bytes();
    let mut toks = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    let push = |toks: &mut Vec<Tok>, lit: &mut String, t: Tok| {
        if !lit.is_empty() {
            toks.push(Tok::Lit(std::mem::take(lit)));
        }
        toks.push(t);
    };
    while i < b.len() {
        let rest = &layout[i..];
        let (tok, len): (Option<Tok>, usize) = match b[i] {
            b'J' if rest.starts_with("Jan") => {
                if rest.starts_with("January") {
                    (Some(Tok::LongMonth), 7)
                } else if !starts_lower(&rest[3..]) {
                    (Some(Tok::Month), 3)
                } else {
                    (None, 1)
                }
            }
            b'M' if rest.starts_with("Mon") => {
                if rest.starts_with("Monday") {
                    (Some(Tok::LongWeekDay), 6)
                } else if !starts_lower(&rest[3..]) {
                    (Some(Tok::WeekDay), 3)
                } else {
                    (None, 1)
                }
            }
            b'M' if rest.starts_with("MST") => (Some(Tok::TZ), 3),
            b'0' if b.len() > i + 1 && (b'1'..=b'6').contains(&b[i + 1]) => {
                let t = match b[i + 1] {
                    b'1' => Tok::ZeroMonth,
                    b'2' => Tok::ZeroDay,
                    b'3' => Tok::ZeroHour12,
                    b'4' => Tok::ZeroMinute,
                    b'5' => Tok::ZeroSecond,
                    _ => Tok::Year,
                };
                (Some(t), 2)
            }
            b'0' if rest.starts_with("002") => (Some(Tok::ZeroYearDay), 3),
            b'1' if rest.starts_with("15") => (Some(Tok::Hour), 2),
            b'1' => (Some(Tok::NumMonth), 1),
            b'2' if rest.starts_with("2006") => (Some(Tok::LongYear), 4),
            b'2' => (Some(Tok::Day), 1),
            b'_' if rest.starts_with("_2") => {
                if rest.starts_with("_2006") {
                    // "_" literal followed by the year.
                    lit.push('_');
                    (Some(Tok::LongYear), 5)
                } else {
                    (Some(Tok::UnderDay), 2)
                }
            }
            b'_' if rest.starts_with("__2") => (Some(Tok::UnderYearDay), 3),
            b'3' => (Some(Tok::Hour12), 1),
            b'4' => (Some(Tok::Minute), 1),
            b'5' => (Some(Tok::Second), 1),
            b'P' if rest.starts_with("PM") => (Some(Tok::PM), 2),
            b'p' if rest.starts_with("pm") => (Some(Tok::Pm), 2),
            b'-' => {
                if rest.starts_with("-07:00:00") {
                    (Some(Tok::NumColonSecondsTZ), 9)
                } else if rest.starts_with("-070000") {
                    (Some(Tok::NumSecondsTz), 7)
                } else if rest.starts_with("-07:00") {
                    (Some(Tok::NumColonTZ), 6)
                } else if rest.starts_with("-0700") {
                    (Some(Tok::NumTZ), 5)
                } else if rest.starts_with("-07") {
                    (Some(Tok::NumShortTZ), 3)
                } else {
                    (None, 1)
                }
            }
            b'Z' => {
                if rest.starts_with("Z07:00:00") {
                    (Some(Tok::Iso8601ColonSecondsTZ), 9)
                } else if rest.starts_with("Z070000") {
                    (Some(Tok::Iso8601SecondsTZ), 7)
                } else if rest.starts_with("Z07:00") {
                    (Some(Tok::Iso8601ColonTZ), 6)
                } else if rest.starts_with("Z0700") {
                    (Some(Tok::Iso8601TZ), 5)
                } else if rest.starts_with("Z07") {
                    (Some(Tok::Iso8601ShortTZ), 3)
                } else {
                    (None, 1)
                }
            }
            c @ (b'.' | b',') if b.len() > i + 1 && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let d = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == d {
                    j += 1;
                }
                // Only a fractional second if not followed by another digit.
                if j < b.len() && b[j].is_ascii_digit() {
                    (None, 1)
                } else {
                    (Some(Tok::Frac(c as char, j - i - 1, d == b'0')), j - i)
                }
            }
            _ => (None, 1),
        };
        match tok {
            Some(t) => {
                push(&mut toks, &mut lit, t);
                i += len;
            }
            None => {
                let ch = rest.chars().next().unwrap_or(' ');
                lit.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    if !lit.is_empty() {
        toks.push(Tok::Lit(lit));
    }
    toks
}

/// `Time.Format(layout)`.
pub fn format(t: &GoTime, layout: &str) -> String {
    let f = t.fields();
    let mut out = String::new();
    for tok in tokenize(layout) {
        match tok {
            Tok::Lit(s) => out.push_str(&s),
            Tok::LongMonth => out.push_str(MONTHS[f.month as usize - 1]),
            Tok::Month => out.push_str(&MONTHS[f.month as usize - 1][..3]),
            Tok::NumMonth => out.push_str(&f.month.to_string()),
            Tok::ZeroMonth => out.push_str(&format!("{:02}", f.month)),
            Tok::LongWeekDay => out.push_str(DAYS[f.weekday as usize]),
            Tok::WeekDay => out.push_str(&DAYS[f.weekday as usize][..3]),
            Tok::Day => out.push_str(&f.day.to_string()),
            Tok::UnderDay => out.push_str(&format!("{:>2}", f.day)),
            Tok::ZeroDay => out.push_str(&format!("{:02}", f.day)),
            Tok::UnderYearDay => out.push_str(&format!("{:>3}", f.yday)),
            Tok::ZeroYearDay => out.push_str(&format!("{:03}", f.yday)),
            Tok::Hour => out.push_str(&format!("{:02}", f.hour)),
            Tok::Hour12 => out.push_str(&h12(f.hour).to_string()),
            Tok::ZeroHour12 => out.push_str(&format!("{:02}", h12(f.hour))),
            Tok::Minute => out.push_str(&f.minute.to_string()),
            Tok::ZeroMinute => out.push_str(&format!("{:02}", f.minute)),
            Tok::Second => out.push_str(&f.second.to_string()),
            Tok::ZeroSecond => out.push_str(&format!("{:02}", f.second)),
            Tok::LongYear => {
                if f.year < 0 {
                    out.push_str(&format!("-{:04}", -f.year));
                } else {
                    out.push_str(&format!("{:04}", f.year));
                }
            }
            Tok::Year => out.push_str(&format!("{:02}", f.year.rem_euclid(100))),
            Tok::PM => out.push_str(if f.hour >= 12 { "PM" } else { "AM" }),
            Tok::Pm => out.push_str(if f.hour >= 12 { "pm" } else { "am" }),
            Tok::TZ => {
                if !t.zone.is_empty() {
                    out.push_str(&t.zone);
                } else {
                    out.push_str(&offset_str(t.offset, false, false, false));
                }
            }
            Tok::Iso8601TZ
            | Tok::Iso8601SecondsTZ
            | Tok::Iso8601ShortTZ
            | Tok::Iso8601ColonTZ
            | Tok::Iso8601ColonSecondsTZ
                if t.offset == 0 =>
            {
                out.push('Z')
            }
            Tok::Iso8601TZ | Tok::NumTZ => out.push_str(&offset_str(t.offset, false, false, false)),
            Tok::Iso8601SecondsTZ | Tok::NumSecondsTz => {
                out.push_str(&offset_str(t.offset, false, true, false))
            }
            Tok::Iso8601ShortTZ | Tok::NumShortTZ => {
                out.push_str(&offset_str(t.offset, false, false, true))
            }
            Tok::Iso8601ColonTZ | Tok::NumColonTZ => {
                out.push_str(&offset_str(t.offset, true, false, false))
            }
            Tok::Iso8601ColonSecondsTZ | Tok::NumColonSecondsTZ => {
                out.push_str(&offset_str(t.offset, true, true, false))
            }
            Tok::Frac(sep, digits, fixed) => {
                let s = format!("{:09}", t.nanos);
                let mut s = s[..digits.min(9)].to_string();
                if !fixed {
                    while s.ends_with('0') {
                        s.pop();
                    }
                    if s.is_empty() {
                        continue;
                    }
                }
                out.push(sep);
                out.push_str(&s);
            }
        }
    }
    out
}

fn h12(h: u32) -> u32 {
    match h % 12 {
        0 => 12,
        x => x,
    }
}

fn offset_str(offset: i32, colon: bool, seconds: bool, short: bool) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.abs();
    let (h, m, s) = (o / 3600, o / 60 % 60, o % 60);
    let mut out = format!("{sign}{h:02}");
    if short {
        return out;
    }
    if colon {
        out.push(':');
    }
    out.push_str(&format!("{m:02}"));
    if seconds {
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{s:02}"));
    }
    out
}

/// `time.Parse(layout, value)` in UTC (the local zone here). Errors read as Go's
/// `parsing time "v" as "layout": cannot parse "rest" as "elem"`.
pub fn parse(layout: &str, value: &str) -> Result<GoTime, String> {
    let quote = chartroom_template::fmt::quote;
    let err = |rest: &str, elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            quote(value),
            quote(layout),
            quote(rest),
            quote(elem)
        )
    };
    let range_err = |what: &str| format!("parsing time {}: {what} out of range", quote(value));
    let mut v = value;
    let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nanos) =
        (1i64, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut yday: Option<u32> = None;
    let mut pm: Option<bool> = None;
    let mut offset: Option<i32> = None;
    let mut zone_name: Option<String> = None;
    let toks = tokenize(layout);
    for (ti, tok) in toks.iter().enumerate() {
        let elem = tok_text(tok);
        match tok {
            Tok::Lit(l) => {
                // Go skips leading spaces in both and compares the rest.
                let lt = l.trim_start_matches(' ');
                let vt = if lt.len() != l.len() {
                    v.trim_start_matches(' ')
                } else {
                    v
                };
                if !vt.starts_with(lt) {
                    return Err(err(v, l));
                }
                v = &vt[lt.len()..];
            }
            Tok::LongYear => {
                if v.len() < 4 || !v.as_bytes()[..4].iter().all(|c| c.is_ascii_digit()) {
                    return Err(err(v, &elem));
                }
                year = v[..4].parse().unwrap_or(0);
                v = &v[4..];
            }
            Tok::Year => {
                if v.len() < 2 || !v.as_bytes()[..2].iter().all(|c| c.is_ascii_digit()) {
                    return Err(err(v, &elem));
                }
                let y: i64 = v[..2].parse().unwrap_or(0);
                year = if y >= 69 { y + 1900 } else { y + 2000 };
                v = &v[2..];
            }
            Tok::LongMonth | Tok::Month => {
                let mut found = None;
                for (i, m) in MONTHS.iter().enumerate() {
                    let name = if *tok == Tok::LongMonth { m } else { &m[..3] };
                    if v.get(..name.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(name))
                    {
                        found = Some((i as u32 + 1, name.len()));
                        break;
                    }
                }
                let (m, n) = found.ok_or_else(|| err(v, &elem))?;
                month = m;
                v = &v[n..];
            }
            Tok::LongWeekDay | Tok::WeekDay => {
                let mut found = None;
                for d in DAYS.iter() {
                    let name = if *tok == Tok::LongWeekDay { d } else { &d[..3] };
                    if v.get(..name.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(name))
                    {
                        found = Some(name.len());
                        break;
                    }
                }
                v = &v[found.ok_or_else(|| err(v, &elem))?..];
            }
            Tok::NumMonth | Tok::ZeroMonth => {
                let (n, rest) = getnum(v, *tok == Tok::ZeroMonth).ok_or_else(|| err(v, &elem))?;
                if !(1..=12).contains(&n) {
                    return Err(range_err("month"));
                }
                month = n;
                v = rest;
            }
            Tok::Day | Tok::UnderDay | Tok::ZeroDay => {
                let vv = if *tok == Tok::UnderDay && v.starts_with(' ') {
                    &v[1..]
                } else {
                    v
                };
                let (n, rest) = getnum(vv, *tok == Tok::ZeroDay).ok_or_else(|| err(v, &elem))?;
                day = n;
                v = rest;
            }
            Tok::UnderYearDay | Tok::ZeroYearDay => {
                let mut vv = v;
                if *tok == Tok::UnderYearDay {
                    vv = vv.trim_start_matches(' ');
                }
                let (n, rest) =
                    getnum3(vv, *tok == Tok::ZeroYearDay).ok_or_else(|| err(v, &elem))?;
                yday = Some(n);
                v = rest;
            }
            Tok::Hour => {
                let (n, rest) = getnum(v, false).ok_or_else(|| err(v, &elem))?;
                if n >= 24 {
                    return Err(range_err("hour"));
                }
                hour = n;
                v = rest;
            }
            Tok::Hour12 | Tok::ZeroHour12 => {
                let (n, rest) = getnum(v, *tok == Tok::ZeroHour12).ok_or_else(|| err(v, &elem))?;
                if n > 12 {
                    return Err(range_err("hour"));
                }
                hour = n;
                v = rest;
            }
            Tok::Minute | Tok::ZeroMinute => {
                let (n, rest) = getnum(v, *tok == Tok::ZeroMinute).ok_or_else(|| err(v, &elem))?;
                if n >= 60 {
                    return Err(range_err("minute"));
                }
                min = n;
                v = rest;
            }
            Tok::Second | Tok::ZeroSecond => {
                let (n, rest) = getnum(v, *tok == Tok::ZeroSecond).ok_or_else(|| err(v, &elem))?;
                if n >= 60 {
                    return Err(range_err("second"));
                }
                sec = n;
                v = rest;
                // A fractional second in the value may follow even if the layout has none.
                let next_is_frac = matches!(toks.get(ti + 1), Some(Tok::Frac(..)));
                if !next_is_frac
                    && v.len() > 1
                    && (v.starts_with('.') || v.starts_with(','))
                    && v.as_bytes()[1].is_ascii_digit()
                {
                    let n = 1 + v[1..].bytes().take_while(|c| c.is_ascii_digit()).count();
                    nanos = frac_nanos(&v[1..n]);
                    v = &v[n..];
                }
            }
            Tok::Frac(_, digits, fixed) => {
                let b = v.as_bytes();
                if *fixed {
                    let n = 1 + digits;
                    if v.len() < n
                        || !(b[0] == b'.' || b[0] == b',')
                        || !b[1..n].iter().all(|c| c.is_ascii_digit())
                    {
                        return Err(err(v, &elem));
                    }
                    nanos = frac_nanos(&v[1..n]);
                    v = &v[n..];
                } else if v.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
                    let n = 1 + v[1..].bytes().take_while(|c| c.is_ascii_digit()).count();
                    nanos = frac_nanos(&v[1..n]);
                    v = &v[n..];
                }
            }
            Tok::PM | Tok::Pm => {
                match v.get(..2) {
                    Some("PM" | "pm") => pm = Some(true),
                    Some("AM" | "am") => pm = Some(false),
                    _ => return Err(err(v, &elem)),
                }
                v = &v[2..];
            }
            Tok::Iso8601TZ
            | Tok::Iso8601SecondsTZ
            | Tok::Iso8601ShortTZ
            | Tok::Iso8601ColonTZ
            | Tok::Iso8601ColonSecondsTZ
            | Tok::NumTZ
            | Tok::NumSecondsTz
            | Tok::NumShortTZ
            | Tok::NumColonTZ
            | Tok::NumColonSecondsTZ => {
                let iso = matches!(
                    tok,
                    Tok::Iso8601TZ
                        | Tok::Iso8601SecondsTZ
                        | Tok::Iso8601ShortTZ
                        | Tok::Iso8601ColonTZ
                        | Tok::Iso8601ColonSecondsTZ
                );
                if iso && v.starts_with('Z') {
                    v = &v[1..];
                    offset = Some(0);
                    zone_name = Some("UTC".into());
                    continue;
                }
                let (o, rest) = parse_offset(v, tok).ok_or_else(|| err(v, &elem))?;
                offset = Some(o);
                v = rest;
            }
            Tok::TZ => {
                if v.starts_with("UTC") {
                    offset = Some(0);
                    zone_name = Some("UTC".into());
                    v = &v[3..];
                } else {
                    // An abbreviation Go cannot resolve becomes a zone with offset 0.
                    let n = v.bytes().take_while(|c| c.is_ascii_uppercase()).count();
                    if !(3..=5).contains(&n) {
                        return Err(err(v, &elem));
                    }
                    zone_name = Some(v[..n].to_string());
                    offset = Some(0);
                    v = &v[n..];
                }
            }
        }
    }
    if !v.is_empty() {
        return Err(format!(
            "parsing time {}: extra text: {}",
            quote(value),
            quote(v)
        ));
    }
    if let Some(p) = pm {
        if p && hour < 12 {
            hour += 12;
        } else if !p && hour == 12 {
            hour = 0;
        }
    }
    if let Some(yd) = yday {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if yd < 1 || yd > if leap { 366 } else { 365 } {
            return Err(range_err("day-of-year"));
        }
        let days = days_from_civil(year, 1, 1) + yd as i64 - 1;
        let (_, m, d) = civil_from_days(days);
        month = m;
        day = d;
    }
    let dim = days_in_month(year, month);
    if day < 1 || day > dim {
        return Err(range_err("day"));
    }
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + hour as i64 * 3600 + min as i64 * 60 + sec as i64;
    let off = offset.unwrap_or(0);
    let mut t = GoTime::utc(local - off as i64, nanos);
    if let Some(o) = offset {
        if o == 0 {
            t.zone = zone_name.unwrap_or_else(|| "UTC".into());
        } else {
            t.offset = o;
            t.zone = zone_name.unwrap_or_default();
        }
    }
    Ok(t)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

fn frac_nanos(digits: &str) -> u32 {
    let mut s: String = digits.chars().take(9).collect();
    while s.len() < 9 {
        s.push('0');
    }
    s.parse().unwrap_or(0)
}

/// One or two digits (exactly two when `fixed`), Go's `getnum`.
fn getnum(v: &str, fixed: bool) -> Option<(u32, &str)> {
    let b = v.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() < 2 || !b[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some(((b[0] - b'0') as u32, &v[1..]));
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as u32, &v[2..]))
}

fn getnum3(v: &str, fixed: bool) -> Option<(u32, &str)> {
    let n = v.bytes().take(3).take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((v[..n].parse().ok()?, &v[n..]))
}

fn parse_offset<'a>(full: &'a str, tok: &Tok) -> Option<(i32, &'a str)> {
    let v = full;
    let b = v.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-') {
        return None;
    }
    let sign = if b[0] == b'-' { -1 } else { 1 };
    // Every offset form is ASCII; checking the bytes first keeps the slicing below on
    // character boundaries.
    let ascii_len = b.iter().take(9).take_while(|c| c.is_ascii()).count();
    let v_ascii = &v[..ascii_len];
    let v = v_ascii;
    let b = v.as_bytes();
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit());
    let (h, m, s, n) = match tok {
        Tok::Iso8601ShortTZ | Tok::NumShortTZ => {
            if v.len() < 3 || !digits(&v[1..3]) {
                return None;
            }
            (&v[1..3], "00", "00", 3)
        }
        Tok::Iso8601ColonTZ | Tok::NumColonTZ => {
            if v.len() < 6 || b[3] != b':' || !digits(&v[1..3]) || !digits(&v[4..6]) {
                return None;
            }
            (&v[1..3], &v[4..6], "00", 6)
        }
        Tok::Iso8601ColonSecondsTZ | Tok::NumColonSecondsTZ => {
            if v.len() < 9 || b[3] != b':' || b[6] != b':' {
                return None;
            }
            (&v[1..3], &v[4..6], &v[7..9], 9)
        }
        Tok::Iso8601SecondsTZ | Tok::NumSecondsTz => {
            if v.len() < 7 {
                return None;
            }
            (&v[1..3], &v[3..5], &v[5..7], 7)
        }
        _ => {
            if v.len() < 5 {
                return None;
            }
            (&v[1..3], &v[3..5], "00", 5)
        }
    };
    if !digits(h) || !digits(m) || !digits(s) {
        return None;
    }
    let (h, m, s): (i32, i32, i32) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    Some((sign * (h * 3600 + m * 60 + s), &full[n..]))
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Lit(s) => s.clone(),
        Tok::LongMonth => "January".into(),
        Tok::Month => "Jan".into(),
        Tok::NumMonth => "1".into(),
        Tok::ZeroMonth => "01".into(),
        Tok::LongWeekDay => "Monday".into(),
        Tok::WeekDay => "Mon".into(),
        Tok::Day => "2".into(),
        Tok::UnderDay => "_2".into(),
        Tok::ZeroDay => "02".into(),
        Tok::UnderYearDay => "__2".into(),
        Tok::ZeroYearDay => "002".into(),
        Tok::Hour => "15".into(),
        Tok::Hour12 => "3".into(),
        Tok::ZeroHour12 => "03".into(),
        Tok::Minute => "4".into(),
        Tok::ZeroMinute => "04".into(),
        Tok::Second => "5".into(),
        Tok::ZeroSecond => "05".into(),
        Tok::LongYear => "2006".into(),
        Tok::Year => "06".into(),
        Tok::PM => "PM".into(),
        Tok::Pm => "pm".into(),
        Tok::TZ => "MST".into(),
        Tok::Iso8601TZ => "Z0700".into(),
        Tok::Iso8601SecondsTZ => "Z070000".into(),
        Tok::Iso8601ShortTZ => "Z07".into(),
        Tok::Iso8601ColonTZ => "Z07:00".into(),
        Tok::Iso8601ColonSecondsTZ => "Z07:00:00".into(),
        Tok::NumTZ => "-0700".into(),
        Tok::NumSecondsTz => "-070000".into(),
        Tok::NumShortTZ => "-07".into(),
        Tok::NumColonTZ => "-07:00".into(),
        Tok::NumColonSecondsTZ => "-07:00:00".into(),
        Tok::Frac(sep, n, fixed) => {
            let mut s = sep.to_string();
            s.push_str(&(if *fixed { "0" } else { "9" }).repeat(*n));
            s
        }
    }
}

/// `time.LoadLocation(name)` for the zones available without a database: "", "UTC",
/// "Local" (UTC here) and `Etc/GMT±N`. `None` for anything else.
pub fn load_location(name: &str) -> Option<(i32, String)> {
    match name {
        "" | "UTC" | "Local" => Some((0, "UTC".into())),
        _ => {
            let rest = name.strip_prefix("Etc/GMT")?;
            if rest.is_empty() {
                return Some((0, "GMT".into()));
            }
            let n: i32 = rest.parse().ok()?;
            if !(-14..=12).contains(&n) {
                return None;
            }
            // POSIX sign: Etc/GMT+5 is five hours west.
            let abbr = if n < 0 {
                format!("+{:02}", -n)
            } else {
                format!("-{n:02}")
            };
            Some((-n * 3600, abbr))
        }
    }
}

/// Go's `Duration.String()`.
pub fn duration_string(d: i64) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut out = String::new();
    if u < NS as u64 {
        // Sub-second: ns, µs or ms with a fraction.
        let (unit, div) = if u < 1_000 {
            ("ns", 1u64)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_str(u, div));
        out.push_str(unit);
    } else {
        let secs_total = u / NS as u64;
        let frac = u % NS as u64;
        let h = secs_total / 3600;
        let m = secs_total / 60 % 60;
        let s = secs_total % 60;
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if h > 0 || m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&s.to_string());
        if frac > 0 {
            let mut f = format!("{frac:09}");
            while f.ends_with('0') {
                f.pop();
            }
            out.push('.');
            out.push_str(&f);
        }
        out.push('s');
    }
    if neg {
        format!("-{out}")
    } else {
        out
    }
}

fn frac_str(u: u64, div: u64) -> String {
    let whole = u / div;
    let frac = u % div;
    if frac == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let mut f = format!("{frac:0width$}");
    while f.ends_with('0') {
        f.pop();
    }
    format!("{whole}.{f}")
}

/// `time.ParseDuration`, with Go's error texts.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let orig = s;
    let quote = chartroom_template::fmt::quote;
    let invalid = || format!("time: invalid duration {}", quote(orig));
    let mut s = s;
    let mut neg = false;
    if let Some(r) = s.strip_prefix('-') {
        neg = true;
        s = r;
    } else if let Some(r) = s.strip_prefix('+') {
        s = r;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.bytes().take_while(|c| c.is_ascii_digit()).count();
        let int_part = &s[..int_len];
        let mut v: u64 = 0;
        for c in int_part.bytes() {
            v = v
                .checked_mul(10)
                .and_then(|x| x.checked_add((c - b'0') as u64))
                .filter(|x| *x <= 1 << 63)
                .ok_or_else(invalid)?;
        }
        s = &s[int_len..];
        let mut frac: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut had_frac = false;
        let pre = int_len > 0;
        if let Some(r) = s.strip_prefix('.') {
            s = r;
            let n = s.bytes().take_while(|c| c.is_ascii_digit()).count();
            had_frac = n > 0;
            let mut overflow = false;
            for c in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if frac > (1 << 63) / 10 {
                    overflow = true;
                    continue;
                }
                frac = frac * 10 + (c - b'0') as u64;
                scale *= 10.0;
            }
            s = &s[n..];
        }
        if !pre && !had_frac {
            return Err(invalid());
        }
        let unit_len = s
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", quote(orig)));
        }
        let unit = &s[..unit_len];
        let mult: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => NS as u64,
            "m" => 60 * NS as u64,
            "h" => 3600 * NS as u64,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(unit),
                    quote(orig)
                ))
            }
        };
        s = &s[unit_len..];
        if v > (1u64 << 63) / mult {
            return Err(invalid());
        }
        v *= mult;
        if frac > 0 {
            v += (frac as f64 * (mult as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        total = total
            .checked_add(v)
            .filter(|t| *t <= 1 << 63)
            .ok_or_else(invalid)?;
    }
    if neg {
        Ok((total as i128).wrapping_neg() as i64)
    } else if total > i64::MAX as u64 {
        Err(invalid())
    } else {
        Ok(total as i64)
    }
}

/// `Duration.Round(m)`.
pub fn duration_round(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if r + r < m {
            return d + r;
        }
        if let Some(d1) = d.checked_sub(m).map(|x| x + r) {
            if d1 < d {
                return d1;
            }
        }
        return i64::MIN;
    }
    if r + r < m {
        return d - r;
    }
    if let Some(d1) = d.checked_add(m).map(|x| x - r) {
        if d1 > d {
            return d1;
        }
    }
    i64::MAX
}

/// `Duration.Truncate(m)`.
pub fn duration_truncate(d: i64, m: i64) -> i64 {
    if m <= 0 {
        d
    } else {
        d - d % m
    }
}

/// A `time.Time` value in templates.
#[derive(Debug)]
pub struct TimeObject(pub GoTime);

impl TimeObject {
    pub fn value(t: GoTime) -> Value {
        Value::Object(Rc::new(TimeObject(t)))
    }
}

/// A `time.Duration` value in templates.
#[derive(Debug)]
pub struct DurationObject(pub i64);

impl DurationObject {
    pub fn value(d: i64) -> Value {
        Value::Object(Rc::new(DurationObject(d)))
    }
}

/// The `time.Time` inside a value, if it is one.
pub fn as_time(v: &Value) -> Option<GoTime> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<TimeObject>().map(|t| t.0.clone()),
        _ => None,
    }
}

/// The `time.Duration` inside a value, if it is one.
pub fn as_duration(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<DurationObject>().map(|d| d.0),
        _ => None,
    }
}

const TIME_METHODS: &[&str] = &[
    "Unix",
    "UnixNano",
    "UnixMilli",
    "UnixMicro",
    "Year",
    "Month",
    "Day",
    "Hour",
    "Minute",
    "Second",
    "Nanosecond",
    "Weekday",
    "YearDay",
    "UTC",
    "Local",
    "IsZero",
    "String",
    "Format",
    "Add",
    "AddDate",
    "Sub",
    "Before",
    "After",
    "Equal",
    "Compare",
    "Truncate",
    "Round",
    "In",
];

impl Object for TimeObject {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let t = &self.0;
        let f = t.fields();
        Some(match name {
            "Unix" => Value::Int64(t.secs),
            "UnixNano" => Value::Int64(t.unix_nanos() as i64),
            "UnixMilli" => Value::Int64((t.unix_nanos() / 1_000_000) as i64),
            "UnixMicro" => Value::Int64((t.unix_nanos() / 1_000) as i64),
            "Year" => Value::Int(f.year),
            "Month" => Value::str(MONTHS[f.month as usize - 1]),
            "Day" => Value::Int(f.day as i64),
            "Hour" => Value::Int(f.hour as i64),
            "Minute" => Value::Int(f.minute as i64),
            "Second" => Value::Int(f.second as i64),
            "Nanosecond" => Value::Int(t.nanos as i64),
            "Weekday" => Value::str(DAYS[f.weekday as usize]),
            "YearDay" => Value::Int(f.yday as i64),
            "UTC" | "Local" => TimeObject::value(GoTime {
                mono: t.mono,
                ..GoTime::utc(t.secs, t.nanos)
            }),
            "IsZero" => Value::Bool(t.is_zero()),
            "String" => Value::string(t.go_string()),
            _ => return None,
        })
    }

    fn has_method(&self, name: &str) -> bool {
        TIME_METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let t = &self.0;
        let time_arg = |i: usize| {
            args.get(i).and_then(as_time).ok_or_else(|| {
                format!(
                    "wrong type for value; expected time.Time; got {}",
                    args.get(i)
                        .map(|v| v.type_name())
                        .unwrap_or_else(|| "<nil>".into())
                )
            })
        };
        let dur_arg = |i: usize| match args.get(i) {
            Some(Value::Int(n)) | Some(Value::Int64(n)) => Ok(*n),
            Some(v) => as_duration(v).ok_or_else(|| {
                format!(
                    "wrong type for value; expected time.Duration; got {}",
                    v.type_name()
                )
            }),
            None => Err(format!("wrong number of args for {name}: want 1 got 0")),
        };
        Some(match name {
            "Format" => match args.first() {
                Some(Value::String(l)) => Ok(Value::string(format(t, l.as_str_lossy()))),
                Some(v) => Err(format!(
                    "wrong type for value; expected string; got {}",
                    v.type_name()
                )),
                None => Err("wrong number of args for Format: want 1 got 0".into()),
            },
            "Add" => dur_arg(0).map(|d| TimeObject::value(t.add(d))),
            "Sub" => time_arg(0).map(|o| {
                let d = t.unix_nanos() - o.unix_nanos();
                DurationObject::value(d.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
            }),
            "Before" => time_arg(0).map(|o| Value::Bool(t.unix_nanos() < o.unix_nanos())),
            "After" => time_arg(0).map(|o| Value::Bool(t.unix_nanos() > o.unix_nanos())),
            "Equal" => time_arg(0).map(|o| Value::Bool(t.unix_nanos() == o.unix_nanos())),
            "Compare" => {
                time_arg(0).map(|o| Value::Int(t.unix_nanos().cmp(&o.unix_nanos()) as i64))
            }
            "Truncate" | "Round" => dur_arg(0).map(|d| {
                if d <= 0 {
                    return TimeObject::value(GoTime {
                        mono: None,
                        ..t.clone()
                    });
                }
                // Relative to the zero time, as Go does.
                let since_zero = t.unix_nanos() - GoTime::zero().unix_nanos();
                let r = (since_zero % d as i128) as i64;
                let delta = if name == "Round" && r + r >= d {
                    d - r
                } else {
                    -r
                };
                let mut n = t.add(delta);
                n.mono = None;
                TimeObject::value(n)
            }),
            "AddDate" => {
                let n = |i: usize| match args.get(i) {
                    Some(Value::Int(n)) | Some(Value::Int64(n)) => Ok(*n),
                    _ => Err("wrong type for value; expected int".to_string()),
                };
                (|| {
                    let (y, m, d) = (n(0)?, n(1)?, n(2)?);
                    let f = t.fields();
                    let total_m = f.month as i64 - 1 + m;
                    let year = f.year + y + total_m.div_euclid(12);
                    let month = total_m.rem_euclid(12) as u32 + 1;
                    let days = days_from_civil(year, month, 1) + f.day as i64 - 1 + d;
                    let local = days * 86_400
                        + f.hour as i64 * 3600
                        + f.minute as i64 * 60
                        + f.second as i64;
                    let mut out = t.clone();
                    out.secs = local - t.offset as i64;
                    Ok(TimeObject::value(out))
                })()
            }
            "In" => Err("time.Location values are not available".into()),
            other => match self.field(other) {
                Some(v) => Ok(v),
                None => return None,
            },
        })
    }

    fn to_plain(&self) -> Value {
        // MarshalJSON: RFC 3339 with nanoseconds.
        Value::string(format(&self.0, "2006-01-02T15:04:05.999999999Z07:00"))
    }

    fn go_string(&self) -> String {
        self.0.go_string()
    }

    fn stringer(&self) -> Option<String> {
        Some(self.0.go_string())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

const DURATION_METHODS: &[&str] = &[
    "Hours",
    "Minutes",
    "Seconds",
    "Milliseconds",
    "Microseconds",
    "Nanoseconds",
    "String",
    "Round",
    "Truncate",
    "Abs",
];

impl Object for DurationObject {
    fn type_name(&self) -> &str {
        "time.Duration"
    }

    fn kind_name(&self) -> &str {
        "int64"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let d = self.0;
        Some(match name {
            "Hours" => Value::Float(duration_hours(d)),
            "Minutes" => {
                Value::Float((d / (60 * NS)) as f64 + (d % (60 * NS)) as f64 / (60 * NS) as f64)
            }
            "Seconds" => Value::Float((d / NS) as f64 + (d % NS) as f64 / 1e9),
            "Milliseconds" => Value::Int64(d / 1_000_000),
            "Microseconds" => Value::Int64(d / 1_000),
            "Nanoseconds" => Value::Int64(d),
            "String" => Value::string(duration_string(d)),
            "Abs" => DurationObject::value(if d == i64::MIN { i64::MAX } else { d.abs() }),
            _ => return None,
        })
    }

    fn has_method(&self, name: &str) -> bool {
        DURATION_METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = match args.first() {
            Some(Value::Int(n)) | Some(Value::Int64(n)) => Ok(*n),
            Some(v) => as_duration(v).ok_or_else(|| {
                format!(
                    "wrong type for value; expected time.Duration; got {}",
                    v.type_name()
                )
            }),
            None => Err(format!("wrong number of args for {name}: want 1 got 0")),
        };
        Some(match name {
            "Round" => arg.map(|m| DurationObject::value(duration_round(self.0, m))),
            "Truncate" => arg.map(|m| DurationObject::value(duration_truncate(self.0, m))),
            other => return self.field(other).map(Ok),
        })
    }

    fn to_plain(&self) -> Value {
        Value::Int64(self.0)
    }

    fn go_string(&self) -> String {
        duration_string(self.0)
    }

    fn stringer(&self) -> Option<String> {
        Some(duration_string(self.0))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `Duration.Hours()`.
pub fn duration_hours(d: i64) -> f64 {
    let hour = 3600 * NS;
    (d / hour) as f64 + (d % hour) as f64 / hour as f64
}
