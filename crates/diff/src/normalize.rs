//! What is taken out before comparing: chart-version labels and ignored paths (noise
//! controls), and how Secret values are shown (redacted unless asked for).

use chartroom_template::Value;

use crate::fields::{json_text, FieldChange};
use crate::DiffOptions;

/// Labels that change with every chart version bump.
const CHART_LABELS: &[&str] = &["helm.sh/chart", "app.kubernetes.io/version"];

/// Nesting beyond this is left as it is (untrusted input).
const MAX_DEPTH: usize = 200;

/// The segments of a JSON pointer (`/a/b~1c` → `["a", "b/c"]`).
pub fn pointer_segments(pointer: &str) -> Vec<String> {
    pointer
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// A copy of `body` with the noise controls applied.
pub fn prepared(body: Value, _kind: &str, opts: &DiffOptions, ignore: &[Vec<String>]) -> Value {
    if !opts.ignore_chart_labels && ignore.is_empty() {
        return body;
    }
    // The body may be the release's own document: change a copy.
    let body = body.deep_copy();
    if opts.ignore_chart_labels {
        drop_chart_labels(&body, 0);
    }
    for pattern in ignore {
        remove_matching(&body, pattern, 0);
    }
    body
}

/// Removes the chart labels from every `labels` or `matchLabels` map, at any depth.
fn drop_chart_labels(v: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Map(m, _) => {
            let m = m.borrow();
            for (k, child) in m.iter() {
                if k == "labels" || k == "matchLabels" {
                    if let Value::Map(labels, _) = child {
                        let mut labels = labels.borrow_mut();
                        for l in CHART_LABELS {
                            labels.remove(*l);
                        }
                    }
                }
                drop_chart_labels(child, depth + 1);
            }
        }
        Value::List(items, _) => items.iter().for_each(|i| drop_chart_labels(i, depth + 1)),
        _ => {}
    }
}

/// Removes every field matching `pattern` (`*` matches any key or index). Lists are shared
/// and immutable in [`Value`], so a list on the way is rebuilt.
fn remove_matching(v: &Value, pattern: &[String], depth: usize) -> Option<Value> {
    let (first, rest) = pattern.split_first()?;
    if depth > MAX_DEPTH {
        return None;
    }
    match v {
        Value::Map(m, _) => {
            let keys: Vec<String> = m
                .borrow()
                .keys()
                .filter(|k| first == "*" || *k == first)
                .cloned()
                .collect();
            for k in keys {
                if rest.is_empty() {
                    m.borrow_mut().remove(&k);
                } else {
                    let child = m.borrow().get(&k).cloned();
                    if let Some(new_child) =
                        child.and_then(|c| remove_matching(&c, rest, depth + 1))
                    {
                        m.borrow_mut().insert(k, new_child);
                    }
                }
            }
            None
        }
        Value::List(items, tag) => {
            let matches = |i: usize| first == "*" || first.parse::<usize>() == Ok(i);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if !matches(i) {
                    out.push(item.clone());
                } else if !rest.is_empty() {
                    out.push(
                        remove_matching(item, rest, depth + 1).unwrap_or_else(|| item.clone()),
                    );
                }
            }
            Some(Value::List(std::rc::Rc::new(out), *tag))
        }
        _ => None,
    }
}

/// The size a Secret value stands for: decoded bytes for base64 `data`, text bytes otherwise.
fn secret_size(section: &str, v: &Value) -> usize {
    let text = v
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| json_text(v));
    if section == "data" {
        let clean: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let pad = clean.chars().rev().take_while(|c| *c == '=').count();
        (clean.len() / 4) * 3 - pad.min((clean.len() / 4) * 3)
    } else {
        text.len()
    }
}

/// Secret bodies and field changes with `data`/`stringData` values replaced by their sizes:
/// a reviewer learns that a value changed and how large it is, never the value.
pub fn redact_secrets(
    old: Option<&Value>,
    new: Option<&Value>,
    fields: &[FieldChange],
) -> (Option<Value>, Option<Value>, Vec<FieldChange>) {
    let get = |body: Option<&Value>, section: &str, key: &str| -> Option<Value> {
        let Some(Value::Map(m, _)) = body else {
            return None;
        };
        let sec = m.borrow().get(section).cloned()?;
        let Value::Map(s, _) = sec else {
            return None;
        };
        let v = s.borrow().get(key).cloned();
        v
    };
    // The new side marks the values that changed, so the text diff shows them.
    let redact = |body: Option<&Value>, other: Option<&Value>, is_new: bool| -> Option<Value> {
        let body = body?.deep_copy();
        if let Value::Map(m, _) = &body {
            for section in ["data", "stringData"] {
                let sec = m.borrow().get(section).cloned();
                if let Some(Value::Map(s, _)) = sec {
                    let mut s = s.borrow_mut();
                    for (k, v) in s.iter_mut() {
                        let changed = is_new
                            && get(other, section, k)
                                .map(|o| json_text(&o) != json_text(v))
                                .unwrap_or(false);
                        let size = secret_size(section, v);
                        let text = if changed {
                            format!("<redacted: {size} bytes, changed>")
                        } else {
                            format!("<redacted: {size} bytes>")
                        };
                        *v = Value::string(text);
                    }
                }
            }
        }
        Some(body)
    };
    let shown_old = redact(old, new, false);
    let shown_new = redact(new, old, true);
    let fields = fields
        .iter()
        .map(|f| {
            let segs = pointer_segments(&f.path);
            match segs.first().map(String::as_str) {
                Some(section @ ("data" | "stringData")) if segs.len() >= 2 => {
                    let size = |body: Option<&Value>, note: &str| {
                        get(body, section, &segs[1]).map(|v| {
                            serde_json::Value::String(format!(
                                "<redacted: {} bytes{note}>",
                                secret_size(section, &v)
                            ))
                        })
                    };
                    let note = if f.from.is_some() { ", changed" } else { "" };
                    FieldChange {
                        path: f.path.clone(),
                        from: f.from.as_ref().and(size(old, "")),
                        to: f.to.as_ref().and(size(new, note)),
                    }
                }
                Some("data" | "stringData") => FieldChange {
                    path: f.path.clone(),
                    from: f.from.as_ref().map(|_| "<redacted>".into()),
                    to: f.to.as_ref().map(|_| "<redacted>".into()),
                },
                _ => f.clone(),
            }
        })
        .collect();
    (shown_old, shown_new, fields)
}
