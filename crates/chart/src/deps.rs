//! Dependency handling before rendering: Helm's `action.CheckDependencies`, chartutil's
//! `ProcessDependencies` (aliases, tags, conditions, disabling, import-values) and the
//! `kubeVersion` check, in Helm's order.

use chartroom_template::{Map, Tag, Value};

use crate::chart::Chart;
use crate::metadata::Dependency;
use crate::semver::is_compatible_range;
use crate::values::{self, merge_tables, path_value, table, table_err, Warnings};
use crate::{Error, Result};

/// `helm template`'s check that every Chart.yaml dependency is present in charts/ (top-level
/// chart only), with Helm's full error text.
pub fn check_dependencies(chart: &Chart) -> Result<()> {
    if !chart.metadata.dependencies_declared {
        return Ok(());
    }
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::new(format!(
        "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

/// The `kubeVersion` constraint check Helm runs before rendering (top-level chart only).
/// `kube_version` is the capabilities' version string, e.g. `v1.29.3`.
pub fn check_kube_version(chart: &Chart, kube_version: &str) -> Result<()> {
    let kv = &chart.metadata.kube_version;
    if kv.is_empty() || is_compatible_range(kv, kube_version) {
        return Ok(());
    }
    Err(Error::new(format!(
        "chart requires kubeVersion: {kv} which is incompatible with Kubernetes {kube_version}"
    )))
}

/// chartutil's `ProcessDependencies(chart, userValues)`: removes disabled subcharts, applies
/// aliases (copies of the aliased chart), then imports child values into parents
/// (`import-values`, merge mode). Mutates `chart` (its `dependencies`, dependency metadata
/// and `values`), as Helm does.
pub fn process_dependencies(chart: &mut Chart, vals: &Value) -> Result<()> {
    process_dependencies_with_warnings(chart, vals).map(|_| ())
}

/// [`process_dependencies`] also returning the warnings Helm logs.
pub fn process_dependencies_with_warnings(chart: &mut Chart, vals: &Value) -> Result<Warnings> {
    let mut w = Warnings::default();
    let r = process_enabled(&mut w, chart, vals, "", 0)
        .and_then(|_| process_import_values_rec(&mut w, chart, 0));
    match r {
        Ok(()) => Ok(w),
        Err(e) => {
            let mut log = w.0;
            log.push(format!(
                "level=ERROR msg=\"chart dependencies processing failed\" error={}",
                values::slog_quote(&e.message)
            ));
            Err(Error {
                message: format!("chart dependencies processing failed: {}", e.message),
                log,
            })
        }
    }
}

const MAX_DEPTH: usize = 64;

fn get_alias_dependency(charts: &[Chart], dep: &Dependency) -> Option<Chart> {
    for c in charts {
        if c.name() != dep.name {
            continue;
        }
        if !is_compatible_range(&dep.version, &c.metadata.version) {
            continue;
        }
        let mut out = c.clone();
        if !dep.alias.is_empty() {
            out.metadata.name = dep.alias.clone();
        }
        return Some(out);
    }
    None
}

fn process_enabled(
    w: &mut Warnings,
    c: &mut Chart,
    v: &Value,
    path: &str,
    depth: usize,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::new("chart dependencies are nested too deeply"));
    }
    if !c.metadata.dependencies_declared {
        return Ok(());
    }
    let mut chart_deps: Vec<Chart> = Vec::new();
    for existing in &c.dependencies {
        let declared = c.metadata.dependencies.iter().any(|req| {
            existing.name() == req.name
                && is_compatible_range(&req.version, &existing.metadata.version)
        });
        if !declared {
            chart_deps.push(existing.clone());
        }
    }
    let current = std::mem::take(&mut c.dependencies);
    for req in c.metadata.dependencies.iter_mut() {
        if let Some(cd) = get_alias_dependency(&current, req) {
            chart_deps.push(cd);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for req in c.metadata.dependencies.iter_mut() {
        req.enabled = true;
    }
    let cvals = values::coalesce_into(w, c, v, false)?;
    process_tags(w, &mut c.metadata.dependencies, &cvals);
    process_conditions(w, &mut c.metadata.dependencies, &cvals, path);
    let rm: Vec<String> = c
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    let mut cd: Vec<Chart> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .filter(|d| !rm.contains(&d.metadata.name))
        .collect();
    let cd_meta: Vec<Dependency> = c
        .metadata
        .dependencies
        .iter()
        .filter(|r| !rm.contains(&r.name))
        .cloned()
        .collect();
    for t in cd.iter_mut() {
        let subpath = format!("{path}{}.", t.metadata.name);
        process_enabled(w, t, &cvals, &subpath, depth + 1)?;
    }
    c.metadata.dependencies_declared = !cd_meta.is_empty();
    c.metadata.dependencies = cd_meta;
    c.dependencies = cd;
    Ok(())
}

fn process_tags(w: &mut Warnings, reqs: &mut [Dependency], cvals: &Value) {
    let Some(Value::Map(vt, _)) = table(cvals, "tags") else {
        return;
    };
    let vt = vt.borrow();
    for r in reqs.iter_mut() {
        let mut has_true = false;
        let mut has_false = false;
        for k in &r.tags {
            if let Some(b) = vt.get(k) {
                match b {
                    Value::Bool(true) => has_true = true,
                    Value::Bool(false) => has_false = true,
                    _ => w.warn("returned non-bool value", &[("tag", k), ("chart", &r.name)]),
                }
            }
        }
        if !has_true && has_false {
            r.enabled = false;
        } else if has_true || !has_false {
            r.enabled = true;
        }
    }
}

fn process_conditions(w: &mut Warnings, reqs: &mut [Dependency], cvals: &Value, cpath: &str) {
    for r in reqs.iter_mut() {
        let cond = r.condition.trim().to_string();
        for c in cond.split(',') {
            if c.is_empty() {
                continue;
            }
            if let Some(vv) = path_value(cvals, &format!("{cpath}{c}")) {
                if let Value::Bool(b) = vv {
                    r.enabled = b;
                    break;
                }
                w.warn(
                    "returned non-bool value",
                    &[("path", c), ("chart", &r.name)],
                );
            }
        }
    }
}

fn process_import_values_rec(w: &mut Warnings, c: &mut Chart, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::new("chart dependencies are nested too deeply"));
    }
    for d in c.dependencies.iter_mut() {
        process_import_values_rec(w, d, depth + 1)?;
    }
    process_import_values(w, c)
}

/// Helm's `pathToMap`: `a.b` + data → `{a: {b: data}}`; `.` → data.
fn path_to_map(path: &str, data: Value) -> Value {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for p in path.split('.').rev() {
        let mut m = Map::new();
        m.insert(p.to_string(), cur);
        cur = Value::map(m);
    }
    cur
}

fn string_map(child: &str, parent: &str) -> Value {
    let mut m = Map::new();
    m.insert("child".into(), Value::str(child));
    m.insert("parent".into(), Value::str(parent));
    Value::Map(std::rc::Rc::new(std::cell::RefCell::new(m)), Tag::STRING)
}

fn process_import_values(w: &mut Warnings, c: &mut Chart) -> Result<()> {
    if !c.metadata.dependencies_declared {
        return Ok(());
    }
    let cvals = values::coalesce_into(w, c, &Value::Nil, true)?;
    let mut b = Value::empty_map();
    for r in c.metadata.dependencies.iter_mut() {
        let mut outiv = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(iv, _) => {
                    let iv = iv.borrow();
                    let child = iv
                        .get("child")
                        .map(|v| chartroom_template::fmt::format_value(v).to_string_lossy())
                        .unwrap_or_else(|| "<nil>".into());
                    let parent = iv
                        .get("parent")
                        .map(|v| chartroom_template::fmt::format_value(v).to_string_lossy())
                        .unwrap_or_else(|| "<nil>".into());
                    outiv.push(string_map(&child, &parent));
                    match table_err(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vv) => b = merge_tables(&b, &path_to_map(&parent, vv)),
                        Err(e) => w.warn(
                            "ImportValues missing table from chart",
                            &[("chart", &r.name), ("error", &e)],
                        ),
                    }
                }
                Value::String(iv) => {
                    let child = format!("exports.{iv}");
                    outiv.push(string_map(&child, "."));
                    match table_err(&cvals, &format!("{}.{child}", r.name)) {
                        Ok(vm) => b = merge_tables(&b, &vm),
                        Err(e) => w.warn("ImportValues missing table", &[("error", &e)]),
                    }
                }
                _ => {}
            }
        }
        r.import_values = outiv;
    }
    let cvals = cvals.deep_copy();
    c.values = merge_tables(&cvals, &b);
    Ok(())
}
