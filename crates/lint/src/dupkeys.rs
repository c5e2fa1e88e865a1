//! Duplicate keys in a document, from go-yaml's view of it (which keeps every entry of a map
//! in order; the JSON step keeps the last).

use chartroom_yaml::GoVal;

use crate::validate::{escape, MAX_DEPTH};

/// The key as the JSON step names it (sigs.k8s.io/yaml turns scalar keys into strings).
fn key_text(k: &GoVal) -> Option<String> {
    match k {
        GoVal::Nil => Some("null".into()),
        other => chartroom_yaml::go_scalar_as_string(other),
    }
}

/// (JSON Pointer of the repeated key, key) for every key that appears again later in its
/// map, in document order. Depth-limited: deeper levels are not searched.
pub(crate) fn duplicate_keys(doc: &GoVal) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // (value, path, depth): an explicit stack, no recursion.
    let mut stack: Vec<(&GoVal, String, usize)> = vec![(doc, String::new(), 0)];
    while let Some((v, path, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        match v {
            GoVal::Map(entries) => {
                let mut seen = std::collections::HashSet::new();
                let mut children = Vec::new();
                for (k, val) in entries {
                    let Some(key) = key_text(k) else {
                        continue;
                    };
                    let child = format!("{path}/{}", escape(&key));
                    if !seen.insert(key.clone()) {
                        out.push((child.clone(), key));
                    }
                    children.push((val, child, depth + 1));
                }
                stack.extend(children.into_iter().rev());
            }
            GoVal::Seq(items) => {
                let children: Vec<_> = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (x, format!("{path}/{i}"), depth + 1))
                    .collect();
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}
