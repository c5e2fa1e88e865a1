//! Values coalescing as Helm 4.3.1's chartutil does it (`CoalesceValues`, `MergeValues`,
//! `CoalesceTables`, `MergeTables`), plus `loader.MergeMaps` and the `Values.Table` /
//! `PathValue` lookups.
//!
//! Maps are shared references here as in Go, and the algorithms mutate them in place the
//! same way; chart defaults are deep-copied first, as Helm's copystructure calls do.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use chartroom_template::fmt::format_value;
use chartroom_template::{Map, MapRef, Tag, Value};

use crate::chart::Chart;
use crate::{Error, Result};

/// Diagnostics Helm logs to stderr while coalescing and processing dependencies, as the
/// complete lines its slog text handler prints, e.g.
/// `level=INFO msg="warning: skipped value for c.a: Not a table."`.
#[derive(Clone, Debug, Default)]
pub struct Warnings(pub Vec<String>);

/// slog's text-handler quoting of a value.
pub(crate) fn slog_quote(s: &str) -> String {
    let needs = s.is_empty()
        || s.chars()
            .any(|c| c == ' ' || c == '=' || c == '"' || c.is_control());
    if needs {
        chartroom_template::fmt::quote(s)
    } else {
        s.to_string()
    }
}

impl Warnings {
    /// A `log.Printf` line (Helm routes it to slog at INFO level).
    pub fn info(&mut self, msg: String) {
        self.log("INFO", &msg, &[]);
    }

    /// A `slog.Info(msg, key, value, ...)` line.
    pub fn info_with(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        self.log("INFO", msg, attrs);
    }

    /// A `slog.Warn(msg, key, value, ...)` line.
    pub fn warn(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        self.log("WARN", msg, attrs);
    }

    /// A slog text-handler line at `level` (`INFO`, `WARN`, `ERROR`) with string attributes.
    pub fn log(&mut self, level: &str, msg: &str, attrs: &[(&str, &str)]) {
        let mut line = format!("level={level} msg={}", slog_quote(msg));
        for (k, v) in attrs {
            line.push_str(&format!(" {k}={}", slog_quote(v)));
        }
        self.0.push(line);
    }
}

pub(crate) fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(..))
}

fn as_map(v: &Value) -> Option<MapRef> {
    match v {
        Value::Map(m, _) => Some(m.clone()),
        _ => None,
    }
}

fn new_map() -> MapRef {
    Rc::new(RefCell::new(Map::new()))
}

fn wrap(m: MapRef) -> Value {
    Value::Map(m, Tag::ANY)
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Go's `%t` verb applied to an arbitrary value (used in `type mismatch on x: %t`).
fn go_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Nil => "%!t(<nil>)".into(),
        other => format!("%!t({}={})", other.type_name(), format_value(other)),
    }
}

/// Helm's `loader.MergeMaps` (4.3.1): maps merge recursively, anything else from `b`
/// replaces. Returns a new top-level map.
pub fn merge_maps(a: Map, b: Map) -> Map {
    let mut out = a;
    for (k, v) in b {
        if let Value::Map(vm, _) = &v {
            if let Some(Value::Map(bv, _)) = out.get(&k) {
                let merged = merge_maps(bv.borrow().clone(), vm.borrow().clone());
                out.insert(k, Value::map(merged));
                continue;
            }
        }
        out.insert(k, v);
    }
    out
}

/// `CoalesceValues(chart, vals)`: the values a chart's templates see. `vals` is copied;
/// chart defaults sit under user values, subchart defaults under `<subchart>` keys, globals
/// flow down. Nulls delete defaults.
pub fn coalesce_values(chart: &Chart, vals: &Value) -> Result<Value> {
    coalesce_values_with_warnings(chart, vals).map(|(v, _)| v)
}

/// [`coalesce_values`] also returning the warnings Helm logs.
pub fn coalesce_values_with_warnings(chart: &Chart, vals: &Value) -> Result<(Value, Warnings)> {
    let mut w = Warnings::default();
    match coalesce_into(&mut w, chart, vals, false) {
        Ok(v) => Ok((v, w)),
        Err(mut e) => {
            e.log = w.0;
            Err(e)
        }
    }
}

/// `CoalesceValues` (or `MergeValues` when `merge`) logging into `w`, kept on failure.
pub(crate) fn coalesce_into(
    w: &mut Warnings,
    chart: &Chart,
    vals: &Value,
    merge: bool,
) -> Result<Value> {
    let dest = copy_values(vals);
    coalesce(w, chart, &dest, "", merge, 0)?;
    Ok(wrap(dest))
}

/// `MergeValues(chart, vals)`: like coalescing but nulls are kept.
pub fn merge_values(chart: &Chart, vals: &Value) -> Result<Value> {
    merge_values_with_warnings(chart, vals).map(|(v, _)| v)
}

/// [`merge_values`] also returning the warnings Helm logs.
pub fn merge_values_with_warnings(chart: &Chart, vals: &Value) -> Result<(Value, Warnings)> {
    let dest = copy_values(vals);
    let mut w = Warnings::default();
    coalesce(&mut w, chart, &dest, "", true, 0)?;
    Ok((wrap(dest), w))
}

fn copy_values(vals: &Value) -> MapRef {
    match vals.deep_copy() {
        Value::Map(m, _) => m,
        _ => new_map(),
    }
}

const MAX_DEPTH: usize = 200;

fn coalesce(
    w: &mut Warnings,
    ch: &Chart,
    dest: &MapRef,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::new("values are nested too deeply"));
    }
    coalesce_chart_values(w, ch, dest, prefix, merge);
    coalesce_deps(w, ch, dest, prefix, merge, depth)
}

fn coalesce_deps(
    w: &mut Warnings,
    ch: &Chart,
    dest: &MapRef,
    prefix: &str,
    merge: bool,
    depth: usize,
) -> Result<()> {
    for sub in &ch.dependencies {
        let name = sub.name().to_string();
        let cur = dest.borrow().get(&name).cloned();
        let dvmap = match cur {
            None => {
                let m = new_map();
                dest.borrow_mut().insert(name.clone(), wrap(m.clone()));
                m
            }
            Some(Value::Map(m, _)) => m,
            Some(other) => {
                return Err(Error::new(format!(
                    "type mismatch on {name}: {}",
                    go_t(&other)
                )))
            }
        };
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(w, &dvmap, dest, &sub_prefix);
        coalesce(w, sub, &dvmap, &sub_prefix, merge, depth + 1)?;
        dest.borrow_mut().insert(name, wrap(dvmap));
    }
    Ok(())
}

fn coalesce_globals(w: &mut Warnings, dest: &MapRef, src: &MapRef, prefix: &str) {
    let dg = match dest.borrow().get("global") {
        None => new_map(),
        Some(Value::Map(m, _)) => m.clone(),
        Some(_) => {
            w.info("warning: skipping globals because destination global is not a table.".into());
            return;
        }
    };
    let sg = match src.borrow().get("global") {
        None => new_map(),
        Some(Value::Map(m, _)) => m.clone(),
        Some(_) => {
            w.info("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    let entries: Vec<(String, Value)> = sg
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        if let Value::Map(vm, _) = &val {
            let vv = Rc::new(RefCell::new(vm.borrow().clone()));
            let destv = dg.borrow().get(&key).cloned();
            match destv {
                None => {
                    dg.borrow_mut().insert(key, wrap(vv));
                }
                Some(Value::Map(destvmap, _)) => {
                    let sp = concat_prefix(prefix, &key);
                    coalesce_tables_full_key(w, &vv, &destvmap, &sp, true, 0);
                    dg.borrow_mut().insert(key, wrap(vv));
                }
                Some(_) => w.info(format!(
                    "Conflict: cannot merge map onto non-map for {}. Skipping.",
                    chartroom_template::fmt::quote(&key)
                )),
            }
        } else if dg.borrow().get(&key).is_some_and(is_table) {
            w.info(format!("key {key} is table. Skipping"));
        } else {
            dg.borrow_mut().insert(key, val);
        }
    }
    dest.borrow_mut().insert("global".into(), wrap(dg));
}

fn child_chart_merge_true(ch: &Chart, key: &str, merge: bool) -> bool {
    merge || ch.dependencies.iter().any(|d| d.name() == key)
}

fn coalesce_chart_values(w: &mut Warnings, ch: &Chart, v: &MapRef, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    let vc = match ch.values.deep_copy() {
        Value::Map(m, _) => m,
        _ => new_map(),
    };
    let entries: Vec<(String, Value)> = vc
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        let existing = v.borrow().get(&key).cloned();
        match existing {
            Some(value) => {
                if value.is_nil() && !merge {
                    v.borrow_mut().remove(&key);
                } else if let Value::Map(dest, _) = &value {
                    match &val {
                        Value::Map(src, _) => {
                            let merge = child_chart_merge_true(ch, &key, merge);
                            if !merge {
                                clean_nil_values(src, 0);
                            }
                            coalesce_tables_full_key(
                                w,
                                dest,
                                src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                                0,
                            );
                        }
                        Value::Nil => {}
                        _ => w.info(format!(
                            "warning: skipped value for {sub_prefix}.{key}: Not a table."
                        )),
                    }
                }
            }
            None => {
                if !merge {
                    if val.is_nil() {
                        continue;
                    }
                    if let Value::Map(sub, _) = &val {
                        clean_nil_values(sub, 0);
                    }
                }
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

fn clean_nil_values(m: &MapRef, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut mm = m.borrow_mut();
    mm.retain(|_, v| !v.is_nil());
    let subs: Vec<MapRef> = mm.values().filter_map(as_map).collect();
    drop(mm);
    for s in subs {
        if !Rc::ptr_eq(&s, m) {
            clean_nil_values(&s, depth + 1);
        }
    }
}

/// `CoalesceTables(dst, src)`: merges `src` into `dst` (dst wins); a null in `dst` deletes
/// the key when `src` had a value. Returns `dst`.
pub fn coalesce_tables(dst: &Value, src: &Value) -> Value {
    tables(dst, src, false)
}

/// `MergeTables(dst, src)`: like [`coalesce_tables`] but nulls are kept.
pub fn merge_tables(dst: &Value, src: &Value) -> Value {
    tables(dst, src, true)
}

fn tables(dst: &Value, src: &Value, merge: bool) -> Value {
    match (dst, src) {
        (_, Value::Nil) => dst.clone(),
        (Value::Nil, _) => src.clone(),
        (Value::Map(d, _), Value::Map(s, _)) => {
            let mut w = Warnings::default();
            coalesce_tables_full_key(&mut w, d, s, "", merge, 0);
            dst.clone()
        }
        _ => dst.clone(),
    }
}

fn coalesce_tables_full_key(
    w: &mut Warnings,
    dst: &MapRef,
    src: &MapRef,
    prefix: &str,
    merge: bool,
    depth: usize,
) {
    if Rc::ptr_eq(dst, src) || depth > MAX_DEPTH {
        return;
    }
    let src_orig_non_nil: HashSet<String> = src
        .borrow()
        .iter()
        .filter(|(_, v)| !v.is_nil())
        .map(|(k, _)| k.clone())
        .collect();
    let dst_nils: Vec<String> = dst
        .borrow()
        .iter()
        .filter(|(_, v)| v.is_nil())
        .map(|(k, _)| k.clone())
        .collect();
    for k in dst_nils {
        src.borrow_mut().insert(k, Value::Nil);
    }
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        let fullkey = concat_prefix(prefix, &key);
        let dv = dst.borrow().get(&key).cloned();
        match dv {
            Some(Value::Nil) if !merge && src_orig_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => {
                if let Value::Map(vs, _) = &val {
                    if let Value::Map(dm, _) = &dv {
                        coalesce_tables_full_key(w, dm, vs, &fullkey, merge, depth + 1);
                    } else {
                        w.info(format!(
                            "warning: cannot overwrite table with non table for {fullkey} ({})",
                            format_value(&val)
                        ));
                    }
                } else if is_table(&dv) && !val.is_nil() {
                    w.info(format!(
                        "warning: destination for {fullkey} is a table. Ignoring non-table value ({})",
                        format_value(&val)
                    ));
                }
            }
        }
    }
}

/// Helm's `Values.Table(path)`: the map at a dotted path, if every step is a map.
pub fn table(values: &Value, path: &str) -> Option<Value> {
    table_err(values, path).ok()
}

/// [`table`] with Helm's error text (`"x" is not a table`, naming the first missing step).
pub fn table_err(values: &Value, path: &str) -> std::result::Result<Value, String> {
    let mut cur = values.clone();
    for part in path.split('.') {
        let next = match &cur {
            Value::Map(m, _) => m.borrow().get(part).cloned(),
            _ => None,
        };
        match next {
            Some(v @ Value::Map(..)) => cur = v,
            _ => {
                return Err(format!(
                    "{} is not a table",
                    chartroom_template::fmt::quote(part)
                ))
            }
        }
    }
    Ok(cur)
}

/// Helm's `Values.PathValue(path)`: a non-table value at a dotted path.
pub fn path_value(values: &Value, path: &str) -> Option<Value> {
    if path.is_empty() {
        return None;
    }
    let parts: Vec<&str> = path.split('.').collect();
    let (key, parent) = parts.split_last()?;
    let t = if parent.is_empty() {
        values.clone()
    } else {
        table(values, &parent.join("."))?
    };
    let v = match &t {
        Value::Map(m, _) => m.borrow().get(*key).cloned(),
        _ => None,
    }?;
    if is_table(&v) {
        None
    } else {
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_values_print_as_go_v() {
        // helm 4.3.1 on this chart: `level=INFO msg="warning: destination for
        // w1.sub.global.g is a table. Ignoring non-table value (1.234567895e+08)"` (Go's %v).
        let mut files = std::collections::BTreeMap::new();
        files.insert(
            "Chart.yaml".to_string(),
            b"apiVersion: v2\nname: w1\nversion: 0.1.0\n".to_vec(),
        );
        files.insert(
            "values.yaml".to_string(),
            b"global:\n  g: {x: 1}\n".to_vec(),
        );
        files.insert(
            "charts/sub/Chart.yaml".to_string(),
            b"apiVersion: v2\nname: sub\nversion: 0.1.0\n".to_vec(),
        );
        files.insert(
            "charts/sub/values.yaml".to_string(),
            b"global:\n  g: 123456789.5\n".to_vec(),
        );
        let chart = Chart::load_files(files).unwrap();
        let (_, w) = coalesce_values_with_warnings(&chart, &Value::empty_map()).unwrap();
        assert!(
            w.0.iter().any(|l| l
                == "level=INFO msg=\"warning: destination for w1.sub.global.g is a table. Ignoring non-table value (1.234567895e+08)\""),
            "{:?}",
            w.0
        );
    }

    #[test]
    fn path_lookups() {
        let v = chartroom_yaml::from_yaml("a:\n  b:\n    c: true\n  d: 1\n").unwrap();
        assert!(matches!(path_value(&v, "a.b.c"), Some(Value::Bool(true))));
        assert!(path_value(&v, "a.b").is_none());
        assert!(path_value(&v, "a.x.c").is_none());
        assert!(table(&v, "a.b").is_some());
        assert!(table(&v, "a.d").is_none());
    }
}
