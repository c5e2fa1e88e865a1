//! Sprig's date functions and Helm's duration helpers.

use chartroom_template::Value;

use crate::gotime::{self, as_duration, as_time, DurationObject, GoTime, TimeObject};
use chartroom_template::fmt::quote as go_quote;

/// The time Sprig's `date`/`dateInZone`/`htmlDate` use for an argument: a `time.Time`, or
/// Unix seconds given as Go `int`/`int64`; anything else means "now".
fn date_arg(v: &Value) -> GoTime {
    match v {
        Value::Int(n) | Value::Int64(n) => GoTime::utc(*n, 0),
        other => as_time(other).unwrap_or_else(GoTime::now),
    }
}

/// Sprig's `dateInZone`; a zone that cannot be loaded falls back to UTC, as Sprig does.
pub fn date_in_zone(layout: &str, date: &Value, zone: &str) -> String {
    let t = date_arg(date);
    let (offset, abbr) = gotime::load_location(zone).unwrap_or((0, "UTC".into()));
    gotime::format(&t.in_zone(offset, &abbr), layout)
}

/// Sprig's `ago`: time since the date, rounded to seconds.
pub fn ago(date: &Value) -> String {
    let t = match date {
        Value::Int(n) | Value::Int64(n) => GoTime::utc(*n, 0),
        other => as_time(other).unwrap_or_else(GoTime::now),
    };
    let now = GoTime::now();
    let d = (now.unix_nanos() - t.unix_nanos()).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
    gotime::duration_string(gotime::duration_round(d, 1_000_000_000))
}

/// Sprig's `duration`: seconds given as a Go `int64` or a decimal string; anything else is 0.
pub fn duration(v: &Value) -> String {
    let n = match v {
        Value::Int64(n) => *n,
        Value::String(s) => s.as_str_lossy().parse::<i64>().unwrap_or(0),
        _ => 0,
    };
    gotime::duration_string(n.wrapping_mul(1_000_000_000))
}

/// Sprig's `durationRound`.
pub fn duration_round(v: &Value) -> String {
    let d: i64 = match v {
        Value::String(s) => gotime::parse_duration(s.as_str_lossy()).unwrap_or(0),
        Value::Int64(n) => *n,
        other => match as_time(other) {
            Some(t) => {
                let now = GoTime::now();
                (now.unix_nanos() - t.unix_nanos()).clamp(i64::MIN as i128, i64::MAX as i128) as i64
            }
            None => 0,
        },
    };
    let u = d.unsigned_abs();
    let second = 1_000_000_000u64;
    let minute = 60 * second;
    let hour = 60 * minute;
    let day = 24 * hour;
    let month = 30 * day;
    let year = 365 * day;
    if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > second {
        format!("{}s", u / second)
    } else {
        "0s".into()
    }
}

/// The `time.Time` a `time.Time` parameter receives, or Go's type error.
pub fn time_param(v: &Value) -> Result<GoTime, String> {
    as_time(v).ok_or_else(|| {
        format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        )
    })
}

/// Helm's `asDuration`: a Duration, a Go duration string or a number of seconds.
pub fn as_helm_duration(v: &Value) -> Result<i64, String> {
    if let Some(d) = as_duration(v) {
        return Ok(d);
    }
    match v {
        Value::String(s) => {
            let t = s
                .as_str_lossy()
                .trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
            if t.is_empty() {
                return Err("empty duration".into());
            }
            if let Ok(d) = gotime::parse_duration(t) {
                return Ok(d);
            }
            match parse_go_float(t) {
                Some(f) => Ok(float_to_i64(f * 1e9)),
                None => Err(format!(
                    "could not parse duration {}",
                    go_quote(s.as_str_lossy())
                )),
            }
        }
        Value::Nil => Err("invalid duration".into()),
        Value::Int(n) | Value::Int64(n) => Ok(n.wrapping_mul(1_000_000_000)),
        Value::Float(f) => Ok(float_to_i64(f * 1e9)),
        other => Err(format!("unsupported duration type {}", other.type_name())),
    }
}

/// Go's float64 → int64 conversion as amd64 performs it (out of range gives MinInt64).
fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `strconv.ParseFloat(s, 64)` for the forms templates produce.
fn parse_go_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, "inf" | "infinity" | "nan") {
        return lower.parse::<f64>().ok();
    }
    if s.contains('_') || body.starts_with("0x") {
        return None;
    }
    s.parse::<f64>().ok()
}

pub fn register(funcs: &mut chartroom_template::FuncMap) {
    use crate::registry::{add, s};
    use chartroom_template::ArgType::*;

    add(funcs, "now", &[], |_, _| {
        Ok(TimeObject::value(GoTime::now()))
    });
    add(funcs, "date", &[String, Any], |_, a| {
        Ok(Value::string(date_in_zone(s(a, 0), &a[1], "Local")))
    });
    for name in ["dateInZone", "date_in_zone"] {
        add(funcs, name, &[String, Any, String], |_, a| {
            Ok(Value::string(date_in_zone(s(a, 0), &a[1], s(a, 2))))
        });
    }
    add(funcs, "htmlDate", &[Any], |_, a| {
        Ok(Value::string(date_in_zone("2006-01-02", &a[0], "Local")))
    });
    add(funcs, "htmlDateInZone", &[Any, String], |_, a| {
        Ok(Value::string(date_in_zone("2006-01-02", &a[0], s(a, 1))))
    });
    for name in ["dateModify", "date_modify"] {
        add(funcs, name, &[String, Any], |_, a| {
            let t = time_param(&a[1])?;
            Ok(TimeObject::value(match gotime::parse_duration(s(a, 0)) {
                Ok(d) => t.add(d),
                Err(_) => t,
            }))
        });
    }
    for name in ["mustDateModify", "must_date_modify"] {
        add(funcs, name, &[String, Any], |_, a| {
            let t = time_param(&a[1])?;
            let d = gotime::parse_duration(s(a, 0))?;
            Ok(TimeObject::value(t.add(d)))
        });
    }
    add(funcs, "ago", &[Any], |_, a| Ok(Value::string(ago(&a[0]))));
    add(funcs, "duration", &[Any], |_, a| {
        Ok(Value::string(duration(&a[0])))
    });
    add(funcs, "durationRound", &[Any], |_, a| {
        Ok(Value::string(duration_round(&a[0])))
    });
    add(funcs, "toDate", &[String, String], |_, a| {
        Ok(TimeObject::value(
            gotime::parse(s(a, 0), s(a, 1)).unwrap_or_else(|_| GoTime::zero()),
        ))
    });
    add(funcs, "mustToDate", &[String, String], |_, a| {
        gotime::parse(s(a, 0), s(a, 1)).map(TimeObject::value)
    });
    add(funcs, "unixEpoch", &[Any], |_, a| {
        Ok(Value::string(time_param(&a[0])?.secs.to_string()))
    });

    // Helm 4's duration helpers.
    add(funcs, "mustToDuration", &[Any], |_, a| {
        as_helm_duration(&a[0]).map(DurationObject::value)
    });
    let float_fn = |funcs: &mut chartroom_template::FuncMap, name: &str, f: fn(i64) -> f64| {
        add(funcs, name, &[Any], move |_, a| {
            Ok(Value::Float(as_helm_duration(&a[0]).map(f).unwrap_or(0.0)))
        });
    };
    float_fn(funcs, "durationSeconds", |d| {
        (d / 1_000_000_000) as f64 + (d % 1_000_000_000) as f64 / 1e9
    });
    float_fn(funcs, "durationMinutes", |d| {
        let m = 60_000_000_000i64;
        (d / m) as f64 + (d % m) as f64 / m as f64
    });
    float_fn(funcs, "durationHours", gotime::duration_hours);
    float_fn(funcs, "durationDays", |d| gotime::duration_hours(d) / 24.0);
    float_fn(funcs, "durationWeeks", |d| {
        gotime::duration_hours(d) / 24.0 / 7.0
    });
    let int_fn = |funcs: &mut chartroom_template::FuncMap, name: &str, div: i64| {
        add(funcs, name, &[Any], move |_, a| {
            Ok(Value::Int64(
                as_helm_duration(&a[0]).map(|d| d / div).unwrap_or(0),
            ))
        });
    };
    int_fn(funcs, "durationMilliseconds", 1_000_000);
    int_fn(funcs, "durationMicroseconds", 1_000);
    int_fn(funcs, "durationNanoseconds", 1);
    add(funcs, "durationRoundTo", &[Any, Any], |_, a| {
        Ok(DurationObject::value(match as_helm_duration(&a[0]) {
            Err(_) => 0,
            Ok(d) => match as_helm_duration(&a[1]) {
                Ok(m) => gotime::duration_round(d, m),
                Err(_) => d,
            },
        }))
    });
    add(funcs, "durationTruncateTo", &[Any, Any], |_, a| {
        Ok(DurationObject::value(match as_helm_duration(&a[0]) {
            Err(_) => 0,
            Ok(d) => match as_helm_duration(&a[1]) {
                Ok(m) => gotime::duration_truncate(d, m),
                Err(_) => d,
            },
        }))
    });
}
