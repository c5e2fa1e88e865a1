//! Which values changes reach which resource: for each values key whose value differs between
//! the two sides, the old side is rendered once more with only that key changed, and every
//! resource that then differs from the old render names the key. Exact ("this key's change
//! reaches this resource") and independent of how templates read values (`include`, `tpl`,
//! `$`, `with`, `toYaml` of a parent map...), at the cost of one render per changed key.

use std::collections::BTreeMap;

use chartroom_render::{render_release, RenderRequest, RenderedRelease, ValueSource};
use chartroom_template::{Map, Value};

use crate::fields::json_text;
use crate::{diff_releases, DiffOptions, ReleaseDiff};

/// At most this many probe renders; beyond it, changed keys are grouped under their parents.
pub const MAX_PROBES: usize = 48;

const MAX_DEPTH: usize = 100;

/// Dotted paths of the leaves that differ between two values trees (a key present on one
/// side only counts as a leaf), with the new value (`None`: removed on the new side).
fn changed_paths(
    old: &Value,
    new: &Value,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Option<Value>)>,
) {
    match (old, new) {
        (Value::Map(a, _), Value::Map(b, _)) if prefix.len() < MAX_DEPTH => {
            let (a, b) = (a.borrow(), b.borrow());
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                prefix.push(k.clone());
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => changed_paths(x, y, prefix, out),
                    (None, Some(y)) => out.push((prefix.clone(), Some(y.clone()))),
                    (Some(_), None) => out.push((prefix.clone(), None)),
                    (None, None) => {}
                }
                prefix.pop();
            }
        }
        _ => {
            if json_text(old) != json_text(new) {
                out.push((prefix.clone(), Some(new.clone())));
            }
        }
    }
}

/// Reads `path` in a values tree.
fn lookup(v: &Value, path: &[String]) -> Option<Value> {
    let mut cur = v.clone();
    for k in path {
        let next = match &cur {
            Value::Map(m, _) => m.borrow().get(k).cloned(),
            _ => None,
        }?;
        cur = next;
    }
    Some(cur)
}

/// A values document setting `path` to `value` (YAML `null` removes the key, as in Helm).
fn override_doc(path: &[String], value: Option<&Value>) -> Value {
    let mut v = value.cloned().unwrap_or(Value::Nil);
    for k in path.iter().rev() {
        let mut m = Map::new();
        m.insert(k.clone(), v);
        v = Value::map(m);
    }
    v
}

/// Fills each change's `values` with the dotted values keys whose change reaches it. Needs
/// the two requests (same seed and clock on both, as `diff` renders them) and both
/// releases. Keys the chart change itself (`--old-chart`) brings are not probed.
pub fn attribute_values(
    old_req: &RenderRequest,
    new_req: &RenderRequest,
    old_release: &RenderedRelease,
    new_release: &RenderedRelease,
    diff: &mut ReleaseDiff,
    opts: &DiffOptions,
) {
    if diff.changes.is_empty() {
        return;
    }
    let (Ok(old_values), Ok(new_values)) = (old_req.user_values(), new_req.user_values()) else {
        return;
    };
    let mut changed = Vec::new();
    changed_paths(&old_values, &new_values, &mut Vec::new(), &mut changed);
    // Too many keys: probe their parents instead (shorter paths cover more keys).
    let mut depth = changed.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
    while changed.len() > MAX_PROBES && depth > 1 {
        depth -= 1;
        let mut grouped: BTreeMap<Vec<String>, Option<Value>> = BTreeMap::new();
        for (p, _) in &changed {
            let key: Vec<String> = p.iter().take(depth).cloned().collect();
            let value = lookup(&new_values, &key);
            grouped.insert(key, value);
        }
        changed = grouped.into_iter().collect();
    }
    if changed.len() > MAX_PROBES {
        return;
    }
    for (path, value) in changed {
        // A key set or changed on the new side: the old side with only that key moved. A key
        // the new side drops (its chart default shows again, which a values file cannot
        // ask for): the new side with only that key put back.
        let (base_req, base_release, doc) = match &value {
            Some(v) => (old_req, old_release, override_doc(&path, Some(v))),
            None => (
                new_req,
                new_release,
                override_doc(&path, lookup(&old_values, &path).as_ref()),
            ),
        };
        let Ok(text) = chartroom_yaml::to_yaml(&doc) else {
            continue;
        };
        let mut probe = base_req.clone();
        // Applied after every other values file: only this key moves.
        probe
            .values
            .push(ValueSource::YamlText("(values probe)".to_string(), text));
        let Ok(release) = render_release(&probe) else {
            continue;
        };
        let Ok(reached) = diff_releases(base_release, &release, opts) else {
            continue;
        };
        let key = path.join(".");
        // A set of what the probe reached: a release of thousands of changed resources made
        // the pairwise search quadratic (40,000 changes: seconds in memcmp).
        let reached: std::collections::HashSet<(&str, &str, &str)> = reached
            .changes
            .iter()
            .map(|r| (r.kind.as_str(), r.name.as_str(), r.namespace.as_str()))
            .collect();
        for change in &mut diff.changes {
            let hit = reached.contains(&(
                change.kind.as_str(),
                change.name.as_str(),
                change.namespace.as_str(),
            ));
            if hit && !change.values.contains(&key) {
                change.values.push(key.clone());
            }
        }
    }
}
