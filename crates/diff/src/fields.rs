//! Semantic comparison of two resource bodies: the changed fields by JSON pointer. Maps are
//! compared by key (order never matters); lists item by item, matched by `name` where every
//! item on both sides is a map with a distinct string `name`, by index otherwise.

use chartroom_template::Value;
use serde::Serialize;

/// One changed field. `from`/`to` are the JSON values; `None` (`null`) where the field is
/// absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// JSON pointer (`/spec/template/spec/containers/0/image`; the index is the new side's
    /// for matched or added items, the old side's for removed ones).
    pub path: String,
    pub from: Option<serde_json::Value>,
    pub to: Option<serde_json::Value>,
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .map_or_else(|| "(absent)".to_string(), |v| v.to_string())
        };
        write!(
            f,
            "{}: {} → {}",
            self.path,
            side(&self.from),
            side(&self.to)
        )
    }
}

/// Bodies deeper than this are compared as whole values below it (untrusted input).
const MAX_DEPTH: usize = 200;

/// JSON text of a value (compact, Go's encoding of numbers).
pub fn json_text(v: &Value) -> String {
    chartroom_yaml::to_json(v).unwrap_or_else(|_| format!("{v:?}"))
}

/// The value as JSON data for the report.
pub fn json_value(v: &Value) -> serde_json::Value {
    let text = json_text(v);
    serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text))
}

/// `~` and `/` escaped as RFC 6901 asks.
pub fn escape_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The changed fields between `old` and `new`: map keys in sorted order, list items in order
/// (items only on the old side last).
pub fn compare(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", old, new, &mut out, 0);
    out
}

fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.as_bytes() == y.as_bytes(),
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nil, Value::Nil) => true,
        _ => json_text(a) == json_text(b),
    }
}

/// A field present on the old side only (`from`) or the new side only (`to`).
fn one_sided(path: String, old: Option<&Value>, new: Option<&Value>) -> FieldChange {
    FieldChange {
        path,
        from: old.map(json_value),
        to: new.map(json_value),
    }
}

fn walk(path: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>, depth: usize) {
    match (old, new) {
        (Value::Map(a, _), Value::Map(b, _)) if depth < MAX_DEPTH => {
            let (a, b) = (a.borrow(), b.borrow());
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = format!("{path}/{}", escape_segment(k));
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => walk(&p, x, y, out, depth + 1),
                    (x, y) => out.push(one_sided(p, x, y)),
                }
            }
        }
        (Value::List(a, _), Value::List(b, _)) if depth < MAX_DEPTH => match (names(a), names(b)) {
            (Some(na), Some(nb)) => {
                for (j, name) in nb.iter().enumerate() {
                    let p = format!("{path}/{j}");
                    match na.iter().position(|n| n == name) {
                        Some(i) => walk(&p, &a[i], &b[j], out, depth + 1),
                        None => out.push(FieldChange {
                            path: p,
                            from: None,
                            to: Some(json_value(&b[j])),
                        }),
                    }
                }
                for (i, name) in na.iter().enumerate() {
                    if !nb.contains(name) {
                        out.push(FieldChange {
                            path: format!("{path}/{i}"),
                            from: Some(json_value(&a[i])),
                            to: None,
                        });
                    }
                }
            }
            _ => {
                for i in 0..a.len().max(b.len()) {
                    let p = format!("{path}/{i}");
                    match (a.get(i), b.get(i)) {
                        (Some(x), Some(y)) => walk(&p, x, y, out, depth + 1),
                        (Some(x), None) => out.push(FieldChange {
                            path: p,
                            from: Some(json_value(x)),
                            to: None,
                        }),
                        (None, Some(y)) => out.push(FieldChange {
                            path: p,
                            from: None,
                            to: Some(json_value(y)),
                        }),
                        (None, None) => {}
                    }
                }
            }
        },
        _ => {
            if !same_scalar(old, new) {
                out.push(FieldChange {
                    path: if path.is_empty() {
                        "/".into()
                    } else {
                        path.into()
                    },
                    from: Some(json_value(old)),
                    to: Some(json_value(new)),
                });
            }
        }
    }
}

/// The items' `name`s when every item is a map with a distinct string `name`.
fn names(items: &[Value]) -> Option<Vec<String>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Map(m, _) = item else {
            return None;
        };
        let name = m.borrow().get("name")?.as_str()?.to_string();
        if out.contains(&name) {
            return None;
        }
        out.push(name);
    }
    Some(out)
}
