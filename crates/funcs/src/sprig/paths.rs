//! Go's `path` package (slash-separated paths) for `base`, `dir`, `clean`, `ext`, `isAbs`.
//! (The `os*` variants are registered by `extra`.)

use chartroom_template::{ArgType as A, Value};

use super::{arg_str, Entry};

pub(crate) const ENTRIES: &[Entry] = &[
    ("base", &[A::String], None, |a| {
        Ok(Value::string(base(arg_str(a, 0))))
    }),
    ("dir", &[A::String], None, |a| {
        Ok(Value::string(dir(arg_str(a, 0))))
    }),
    ("clean", &[A::String], None, |a| {
        Ok(Value::string(clean(arg_str(a, 0))))
    }),
    ("ext", &[A::String], None, |a| {
        Ok(Value::str(ext(arg_str(a, 0))))
    }),
    ("isAbs", &[A::String], None, |a| {
        Ok(Value::Bool(arg_str(a, 0).starts_with('/')))
    }),
];

use crate::go_path::clean;

/// `path.Base`: the last element, trailing slashes removed.
pub(crate) fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => trimmed.to_string(),
    }
}

/// `path.Dir`: everything but the last element, cleaned.
pub(crate) fn dir(p: &str) -> String {
    let d = match p.rfind('/') {
        Some(i) => &p[..i + 1],
        None => "",
    };
    clean(d)
}

/// `path.Ext`: the suffix from the last dot of the last element.
pub(crate) fn ext(p: &str) -> &str {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return &p[i..];
        }
    }
    ""
}
