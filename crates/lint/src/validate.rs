//! JSON-schema validation of one document against a compiled pack node, with the semantics
//! of JSON Schema 2020-12 for the keywords the Kubernetes schemas use (what
//! kubernetes-validate's `Draft202012Validator` applies): `type` (an integer is a number
//! without a fractional part; booleans are not numbers), `enum`, `required`, `properties`,
//! `additionalProperties`, `items`, `oneOf`/`anyOf`/`allOf`, `$ref` beside its siblings.
//! `format` is an annotation, as in kubernetes-validate.

use chartroom_template::Value;

use crate::pack::{ty, Additional, Limits, Lit, Node, NodeId, SchemaPack};

/// Nesting limit for a document (each level of maps and lists) and for schema steps.
pub(crate) const MAX_DEPTH: usize = 512;

/// One schema violation, before it becomes a [`crate::Finding`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Issue {
    pub path: String,
    pub message: String,
    /// A `format` the value does not meet (an annotation for kubernetes-validate, so a
    /// warning), rather than a schema violation.
    pub format: bool,
}

pub(crate) struct Validator<'a> {
    pub pack: &'a SchemaPack,
    pub strict: bool,
    /// Report values that do not meet their `format` (see [`format_problem`]).
    pub formats: bool,
}

/// What is wrong with `v` for `format` as the API server would decode it, if anything:
/// `int32`/`int64` out of range, `byte` not standard base64 (Go's `encoding/json` decoding
/// of `[]byte`: padding required, `\r`/`\n` ignored), `date-time` not RFC 3339
/// (`metav1.Time` parses with `time.RFC3339`). Other formats and other value types: nothing.
pub(crate) fn format_problem(format: &str, v: &Value) -> Option<String> {
    let number = match v {
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    match (format, number, v) {
        ("int32", Some(n), _) if !(-2_147_483_648.0..=2_147_483_647.0).contains(&n) => {
            Some(format!("{} does not fit in an int32", show(v)))
        }
        // 2^63 as f64; every f64 below it converts to an i64.
        ("int64", Some(n), _)
            if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) =>
        {
            Some(format!("{} does not fit in an int64", show(v)))
        }
        ("byte", _, Value::String(s)) if !is_std_base64(s.as_str_lossy()) => {
            Some(format!("{} is not base64 (format byte)", show(v)))
        }
        ("date-time", _, Value::String(s)) if !is_rfc3339(s.as_str_lossy()) => {
            Some(format!("{} is not an RFC 3339 date-time", show(v)))
        }
        _ => None,
    }
}

/// The first value constraint (CRD schemas) `v` breaks, if any.
fn limit_problem(l: &Limits, v: &Value) -> Option<String> {
    let number = match v {
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    };
    if let Some(n) = number {
        if let Some((min, exclusive)) = l.minimum {
            if n < min || (exclusive && n == min) {
                let what = if exclusive {
                    "greater than"
                } else {
                    "at least"
                };
                return Some(format!("{} must be {what} {min}", show(v)));
            }
        }
        if let Some((max, exclusive)) = l.maximum {
            if n > max || (exclusive && n == max) {
                let what = if exclusive { "less than" } else { "at most" };
                return Some(format!("{} must be {what} {max}", show(v)));
            }
        }
    }
    let bounds = |n: usize, min: Option<usize>, max: Option<usize>, what: &str| {
        if min.is_some_and(|m| n < m) {
            Some(format!(
                "{n} {what}, fewer than the minimum {}",
                min.unwrap_or(0)
            ))
        } else if max.is_some_and(|m| n > m) {
            Some(format!(
                "{n} {what}, more than the maximum {}",
                max.unwrap_or(0)
            ))
        } else {
            None
        }
    };
    match v {
        Value::String(s) => {
            let text = s.as_str_lossy();
            let problem = bounds(
                text.chars().count(),
                l.min_length,
                l.max_length,
                "characters",
            );
            if problem.is_some() {
                return problem;
            }
            match &l.pattern {
                Some((p, re)) if !re.is_match(text) => {
                    Some(format!("{} does not match the pattern {p:?}", show(v)))
                }
                _ => None,
            }
        }
        Value::List(items, _) => bounds(items.len(), l.min_items, l.max_items, "items"),
        Value::Map(m, _) => bounds(
            m.borrow().len(),
            l.min_properties,
            l.max_properties,
            "properties",
        ),
        _ => None,
    }
}

fn is_std_base64(s: &str) -> bool {
    let b: Vec<u8> = s.bytes().filter(|c| *c != b'\r' && *c != b'\n').collect();
    if b.len() % 4 != 0 {
        return false;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 {
        return false;
    }
    b[..b.len() - pad]
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with Go's range checks on each field.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |from: usize, len: usize, max: u32| -> bool {
        b.get(from..from + len).is_some_and(|d| {
            d.iter().all(u8::is_ascii_digit)
                && d.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')) <= max
        })
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(num(0, 4, 9999) && at(4, b'-') && num(5, 2, 12) && at(7, b'-') && num(8, 2, 31))
        || !(at(10, b'T') && num(11, 2, 23) && at(13, b':') && num(14, 2, 59))
        || !(at(16, b':') && num(17, 2, 59))
    {
        return false;
    }
    let (month, day) = (&s[5..7], &s[8..10]);
    if month == "00" || day == "00" {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            num(i + 1, 2, 23) && at(i + 3, b':') && num(i + 4, 2, 59) && i + 6 == b.len()
        }
        _ => false,
    }
}

fn type_bits(v: &Value) -> u8 {
    match v {
        Value::Nil => ty::NULL,
        Value::Bool(_) => ty::BOOLEAN,
        Value::Int(_) | Value::Int64(_) => ty::INTEGER | ty::NUMBER,
        Value::Float(f) => {
            if f.is_finite() && f.fract() == 0.0 {
                ty::INTEGER | ty::NUMBER
            } else {
                ty::NUMBER
            }
        }
        Value::String(_) => ty::STRING,
        Value::List(..) => ty::ARRAY,
        Value::Map(..) => ty::OBJECT,
        // Not produced by the YAML reader; matches no JSON type.
        Value::Bytes(_) | Value::Object(_) => 0,
    }
}

/// The JSON type name of a value, for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Int64(_) => "integer",
        Value::Float(_) => {
            if type_bits(v) & ty::INTEGER != 0 {
                "integer"
            } else {
                "number"
            }
        }
        Value::String(_) => "string",
        Value::List(..) => "array",
        Value::Map(..) => "object",
        Value::Bytes(_) | Value::Object(_) => "unknown",
    }
}

fn lit_eq(l: &Lit, v: &Value) -> bool {
    match (l, v) {
        (Lit::Null, Value::Nil) => true,
        (Lit::Bool(a), Value::Bool(b)) => a == b,
        (Lit::Number(a), Value::Int(b) | Value::Int64(b)) => *a == *b as f64,
        (Lit::Number(a), Value::Float(b)) => a == b,
        (Lit::String(a), Value::String(b)) => a.as_bytes() == b.as_bytes(),
        _ => false,
    }
}

fn lit_text(l: &Lit) -> String {
    match l {
        Lit::Null => "null".into(),
        Lit::Bool(b) => b.to_string(),
        Lit::Number(n) => n.to_string(),
        Lit::String(s) => format!("{s:?}"),
        Lit::Other => "…".into(),
    }
}

/// A short rendering of a scalar for messages.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let s: &str = s.as_str_lossy();
            if s.chars().count() > 40 {
                let cut: String = s.chars().take(40).collect();
                format!("{cut:?}…")
            } else {
                format!("{s:?}")
            }
        }
        Value::Nil => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        other => type_name(other).to_string(),
    }
}

impl Validator<'_> {
    /// Checks `v` at `path` against node `id`; appends issues to `out` (or, with `out`
    /// `None`, stops at the first problem). Returns whether `v` is valid.
    pub fn check(
        &self,
        id: NodeId,
        v: &Value,
        path: &mut String,
        depth: usize,
        mut out: Option<&mut Vec<Issue>>,
    ) -> bool {
        if depth > MAX_DEPTH {
            if let Some(o) = out {
                o.push(Issue {
                    path: path.clone(),
                    message: format!("nested deeper than {MAX_DEPTH} levels; not validated"),
                    format: false,
                });
            }
            return false;
        }
        let Some(node) = self.pack.nodes.get(id) else {
            return false;
        };
        let mut ok = true;
        if let Some(r) = node.reference {
            ok &= self.check(r, v, path, depth + 1, out.as_deref_mut());
            if !ok && out.is_none() {
                return false;
            }
        }
        if let Some(bits) = node.types {
            if type_bits(v) & bits == 0 {
                if let Some(o) = out {
                    o.push(Issue {
                        path: path.clone(),
                        message: format!(
                            "expected {}, got {} {}",
                            ty::describe(bits),
                            type_name(v),
                            show(v)
                        ),
                        format: false,
                    });
                }
                // Further keywords would only repeat the mismatch.
                return false;
            }
        }
        if let (true, Some(format), Some(o)) = (self.formats, &node.format, out.as_deref_mut()) {
            if let Some(message) = format_problem(format, v) {
                o.push(Issue {
                    path: path.clone(),
                    message,
                    format: true,
                });
            }
        }
        if let Some(limits) = &node.limits {
            if let Some(message) = limit_problem(limits, v) {
                let Some(o) = out.as_deref_mut() else {
                    return false;
                };
                o.push(Issue {
                    path: path.clone(),
                    message,
                    format: false,
                });
                ok = false;
            }
        }
        if let Some(values) = &node.enumeration {
            if !values.iter().any(|l| lit_eq(l, v)) {
                let Some(o) = out.as_deref_mut() else {
                    return false;
                };
                let allowed: Vec<String> = values.iter().take(12).map(lit_text).collect();
                let more = if values.len() > 12 { ", …" } else { "" };
                o.push(Issue {
                    path: path.clone(),
                    message: format!("{} is not one of [{}{more}]", show(v), allowed.join(", ")),
                    format: false,
                });
                ok = false;
            }
        }
        match v {
            Value::Map(m, _) => {
                ok &= self.check_object(node, &m.borrow(), path, depth, out.as_deref_mut());
            }
            Value::List(items, _) => {
                if let Some(item) = node.items {
                    for (i, x) in items.iter().enumerate() {
                        let len = path.len();
                        {
                            use std::fmt::Write;
                            let _ = write!(path, "/{i}");
                        }
                        let good = self.check(item, x, path, depth + 1, out.as_deref_mut());
                        path.truncate(len);
                        ok &= good;
                        if !ok && out.is_none() {
                            return false;
                        }
                    }
                }
            }
            _ => {}
        }
        if !ok && out.is_none() {
            return false;
        }
        ok &= self.check_combinators(node, v, path, depth, out);
        ok
    }

    fn check_object(
        &self,
        node: &Node,
        m: &chartroom_template::Map,
        path: &mut String,
        depth: usize,
        mut out: Option<&mut Vec<Issue>>,
    ) -> bool {
        let mut ok = true;
        for name in &node.required {
            if !m.contains_key(name) {
                let Some(o) = out.as_deref_mut() else {
                    return false;
                };
                o.push(Issue {
                    path: path.clone(),
                    message: format!("missing required field {name:?}"),
                    format: false,
                });
                ok = false;
            }
        }
        let closed = match node.additional {
            Additional::False => true,
            Additional::Any => self.strict && node.strict_closed,
            Additional::Schema(_) => false,
        };
        for (key, val) in m.iter() {
            let len = path.len();
            path.push('/');
            if key.contains(['~', '/']) {
                path.push_str(&chartroom_yaml::escape_pointer_token(key));
            } else {
                path.push_str(key);
            }
            let good = if let Some(&p) = node.properties.get(key) {
                self.check(p, val, path, depth + 1, out.as_deref_mut())
            } else if let Additional::Schema(s) = node.additional {
                self.check(s, val, path, depth + 1, out.as_deref_mut())
            } else if closed {
                if let Some(o) = out.as_deref_mut() {
                    o.push(Issue {
                        path: path.clone(),
                        message: format!("unknown field {key:?}"),
                        format: false,
                    });
                }
                false
            } else {
                true
            };
            path.truncate(len);
            ok &= good;
            if !ok && out.is_none() {
                return false;
            }
        }
        ok
    }

    fn check_combinators(
        &self,
        node: &Node,
        v: &Value,
        path: &mut String,
        depth: usize,
        mut out: Option<&mut Vec<Issue>>,
    ) -> bool {
        let mut ok = true;
        for &s in &node.all_of {
            ok &= self.check(s, v, path, depth + 1, out.as_deref_mut());
            if !ok && out.is_none() {
                return false;
            }
        }
        if !node.any_of.is_empty()
            && !node
                .any_of
                .iter()
                .any(|&s| self.check(s, v, path, depth + 1, None))
        {
            if let Some(o) = out.as_deref_mut() {
                o.push(Issue {
                    path: path.clone(),
                    message: format!(
                        "{} {} matches none of {}",
                        type_name(v),
                        show(v),
                        self.alternatives(&node.any_of)
                    ),
                    format: false,
                });
            }
            ok = false;
        }
        if !node.one_of.is_empty() {
            let matched = node
                .one_of
                .iter()
                .filter(|&&s| self.check(s, v, path, depth + 1, None))
                .count();
            if matched != 1 {
                if let Some(o) = out {
                    let message = if matched == 0 {
                        format!(
                            "expected {}, got {} {}",
                            self.alternatives(&node.one_of),
                            type_name(v),
                            show(v)
                        )
                    } else {
                        format!(
                            "{} {} matches {matched} of {} where exactly one must match",
                            type_name(v),
                            show(v),
                            self.alternatives(&node.one_of)
                        )
                    };
                    o.push(Issue {
                        path: path.clone(),
                        message,
                        format: false,
                    });
                }
                ok = false;
            }
        }
        ok
    }

    /// `string or integer` for alternatives that are plain types, `one of N schemas`
    /// otherwise.
    fn alternatives(&self, ids: &[NodeId]) -> String {
        let mut parts = Vec::new();
        for &id in ids {
            match self.pack.nodes.get(id) {
                Some(n) if n.reference.is_none() && n.properties.is_empty() => match n.types {
                    Some(bits) => parts.push(ty::describe(bits & !ty::NULL).to_string()),
                    None => return format!("{} schemas", ids.len()),
                },
                _ => return format!("{} schemas", ids.len()),
            }
        }
        parts.join(" or ")
    }
}
