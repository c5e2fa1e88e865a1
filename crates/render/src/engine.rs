//! Helm's rendering engine (pkg/engine): one template set per render holding every template of
//! the chart and its enabled subcharts, the per-chart top-level data object, Helm's own
//! template functions (`include`, `tpl`, `required`, `fail`, `lookup`) and its error texts.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use chartroom_template::fmt::{quote as go_quote, quote_bytes};
use chartroom_template::gostr::find;
use chartroom_template::provenance::Provenance;
use chartroom_template::{
    ArgType, ErrorKind, Function, Map, MapRef, MissingKey, Options, Str, StrBuf, Tag, TemplateSet,
    Value,
};

use crate::errors::{cleanup_exec_error, cleanup_parse_error, warn_wrap};
use crate::objects::Files;

/// A chart as the engine sees it: what Helm's `*chart.Chart` offers to rendering.
#[derive(Debug, Clone, Default)]
pub struct EngineChart {
    /// `Metadata.Name` (the alias for an aliased dependency).
    pub name: String,
    /// `.Chart` without `IsRoot`: Helm 4 gives templates the metadata as a plain map keyed by
    /// Go field names (`Name`, `Version`, `AppVersion`, `Maintainers`...).
    pub metadata: Map,
    /// `type: library`: only `_` partials are used.
    pub is_library: bool,
    /// `templates/...` files, paths relative to the chart root, in load order, with their
    /// bytes (a Go template's source need not be UTF-8: its text is printed byte for byte).
    pub templates: Vec<(String, Vec<u8>)>,
    /// `.Files`: every file that is not a template, `Chart.yaml`, `values.yaml` or a subchart.
    pub files: BTreeMap<String, Rc<[u8]>>,
    /// Enabled dependencies, in Helm's order.
    pub dependencies: Vec<EngineChart>,
}

/// Engine switches (`helm lint` sets `lint_mode`, `--strict` sets `strict`).
#[derive(Debug, Clone, Copy, Default)]
pub struct EngineOptions {
    pub strict: bool,
    pub lint_mode: bool,
    /// Executions nested through `include`/`tpl` allowed on the Rust stack (`None`: the
    /// template crate's default). Helm stops `include` recursion after 1000 nested calls of
    /// one name, so reproducing its error needs a limit above that and a large stack.
    pub native_depth_limit: Option<usize>,
    /// For a process that exits right after rendering: leave the parsed templates to the OS
    /// instead of freeing their many small allocations one by one (a few % of a CLI run).
    pub skip_free: bool,
    /// Keep the parsed templates for the next render of the same templates, and take them
    /// from the last one when they are the same ([`crate::cache`]; in-memory charts).
    pub reuse_parsed: bool,
    /// Steps and output size (`include-depth` arrives as `native_depth_limit`).
    pub limits: chartroom_template::Limits,
    /// Record where each stretch of output came from ([`EngineOutput::traces`]).
    pub provenance: bool,
    /// After a template fails, render the others ([`EngineOutput::failure`]) instead of
    /// stopping (a preview shows what did render next to the error).
    pub keep_going: bool,
}

/// What [`render`] produces: each template's output by name (partials and templates of
/// library charts left out) and, with [`EngineOptions::provenance`], its provenance.
#[derive(Debug, Default)]
pub struct EngineOutput {
    pub files: BTreeMap<String, Vec<u8>>,
    pub traces: BTreeMap<String, Provenance>,
    /// With [`EngineOptions::keep_going`]: the first template that failed (left out of
    /// `files`), as [`render`] would have returned it.
    pub failure: Option<EngineError>,
}

/// A render that failed: Helm's message and, with provenance on, the failing template's
/// output up to the failure.
#[derive(Debug)]
pub struct EngineError {
    pub message: String,
    pub partial: Option<Partial>,
}

/// The output a failing template wrote before it failed, with its provenance.
#[derive(Debug)]
pub struct Partial {
    pub template: String,
    pub output: Vec<u8>,
    pub provenance: Provenance,
    /// Go's error text before Helm's clean-up (it names every template position the error
    /// went through).
    pub go_error: String,
}

impl From<String> for EngineError {
    fn from(message: String) -> EngineError {
        EngineError {
            message,
            partial: None,
        }
    }
}

/// Helm's include recursion limit (per template name).
const RECURSION_MAX_NUMS: usize = 1000;

/// The name of the root template Helm creates (`template.New("gotpl")`); `tpl` parses its text
/// under this name too.
pub const ROOT_NAME: &str = "gotpl";

struct Renderable {
    name: String,
    text: Vec<u8>,
    data: MapRef,
    base_path: String,
}

fn map_value(m: &MapRef) -> Value {
    Value::Map(m.clone(), Tag::ANY)
}

/// The map as a Helm `common.Values` (the type of `.`, `.Values` and `.Template`).
fn as_values(v: Value) -> Value {
    match v {
        Value::Map(m, _) => Value::Map(m, Tag::VALUES),
        other => other,
    }
}

/// Go `chartutil.Values.Table("Values." + name)`: nested map lookup by dotted path.
fn table(values: &Value, name: &str) -> Option<Value> {
    match values {
        Value::Map(m, _) => chartroom_funcs::helm::values_table(m, name)
            .ok()
            .map(|t| Value::Map(t, Tag::ANY)),
        _ => None,
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Helm's `path.Join(parent, name)` for the clean relative paths charts use.
fn join(a: &str, b: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in a.split('/').chain(b.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else {
                    parts.push(p);
                }
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn collect(
    c: &EngineChart,
    parent: Option<(&Value, &str)>,
    top: &Map,
    out: &mut Vec<Renderable>,
) -> MapRef {
    let is_root = parent.is_none();
    let subcharts: MapRef = Rc::new(RefCell::new(Map::new()));
    let mut chart = c.metadata.clone();
    chart.insert("IsRoot".into(), Value::Bool(is_root));
    let values = as_values(match parent {
        None => top.get("Values").cloned().unwrap_or_else(Value::empty_map),
        Some((parent_values, _)) => table(parent_values, &c.name).unwrap_or_else(Value::empty_map),
    });
    let mut next = Map::new();
    next.insert("Chart".into(), Value::map(chart));
    next.insert("Files".into(), Files::new(c.files.clone()).value());
    next.insert(
        "Release".into(),
        top.get("Release").cloned().unwrap_or(Value::Nil),
    );
    next.insert(
        "Capabilities".into(),
        top.get("Capabilities").cloned().unwrap_or(Value::Nil),
    );
    next.insert("Values".into(), values.clone());
    next.insert("Subcharts".into(), map_value(&subcharts));
    let next: MapRef = Rc::new(RefCell::new(next));

    let full_path = match parent {
        None => c.name.clone(),
        Some((_, parent_path)) => format!("{parent_path}/charts/{}", c.name),
    };
    for child in &c.dependencies {
        let child_next = collect(child, Some((&values, &full_path)), top, out);
        subcharts
            .borrow_mut()
            .insert(child.name.clone(), map_value(&child_next));
    }
    for (path, text) in &c.templates {
        if c.is_library && !basename(path).starts_with('_') {
            continue;
        }
        out.push(Renderable {
            name: join(&full_path, path),
            text: text.clone(),
            data: next.clone(),
            base_path: join(&full_path, "templates"),
        });
    }
    next
}

/// Helm's parse/execute order: deeper paths first, then reverse lexical order.
fn sort_templates(list: &mut [Renderable]) {
    list.sort_by(|a, b| {
        let ca = a.name.matches('/').count();
        let cb = b.name.matches('/').count();
        cb.cmp(&ca)
            .then_with(|| b.name.as_bytes().cmp(a.name.as_bytes()))
    });
}

fn missing_key(opts: EngineOptions) -> MissingKey {
    if opts.strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    }
}

/// Registers Helm's engine functions on a set.
pub fn register_helm_functions(set: &mut TemplateSet, opts: EngineOptions) {
    let included: Rc<RefCell<HashMap<String, usize>>> = Rc::new(RefCell::new(HashMap::new()));

    let inc = included.clone();
    set.add_func(
        "include",
        Function::new(&[ArgType::String, ArgType::Any], None, move |state, args| {
            let name = args.first().and_then(|v| v.as_str()).unwrap_or("").to_string();
            let data = args.get(1).cloned().unwrap_or(Value::Nil);
            {
                let mut m = inc.borrow_mut();
                let count = m.entry(name.clone()).or_insert(0);
                if *count > RECURSION_MAX_NUMS {
                    return Err(format!(
                        "rendering template has a nested reference name: {name}: unable to execute template"
                    ));
                }
                *count += 1;
            }
            let result = if state.template_set().has_template(&name) {
                state.execute_template(&name, &data).map_err(|e| e.message)
            } else {
                Err(format!(
                    "template: no template {} associated with template {}",
                    go_quote(&name),
                    go_quote(ROOT_NAME)
                ))
            };
            if let Some(c) = inc.borrow_mut().get_mut(&name) {
                *c = c.saturating_sub(1);
            }
            result.map(Value::String)
        }),
    );

    let mk = missing_key(opts);
    set.add_func(
        "tpl",
        Function::new(
            &[ArgType::String, ArgType::Any],
            None,
            move |state, args| {
                let raw = args
                    .first()
                    .and_then(|v| v.as_gostr())
                    .cloned()
                    .unwrap_or_default();
                let data = args.get(1).cloned().unwrap_or(Value::Nil);
                if !raw.contains("{{") {
                    // Text without actions renders as itself, bytes and all. (Go executes the
                    // freshly parsed tree even when it is empty and the set keeps an older
                    // "gotpl"; the template crate's execute_text looks the name up, so
                    // short-circuit the common case.)
                    return Ok(Value::String(raw.replace(b"<no value>", b"")));
                }
                let mut options: Options = state.template_set().options().clone();
                options.missing_key = mk;
                match state.execute_text(ROOT_NAME, &raw, &data, &options) {
                    Ok(s) => Ok(Value::String(s.replace(b"<no value>", b""))),
                    Err(e) if e.kind == ErrorKind::Parse => Err(format!(
                        "cannot parse template {}: {}",
                        quote_bytes(raw.as_bytes()),
                        e.message
                    )),
                    Err(e) => Err(format!(
                        "error during tpl function execution for {}: {}",
                        quote_bytes(raw.as_bytes()),
                        e.message
                    )),
                }
            },
        ),
    );

    let lint = opts.lint_mode;
    set.add_func(
        "required",
        Function::new(
            &[ArgType::String, ArgType::Any],
            None,
            move |_state, args| {
                let warn = args.first().and_then(|v| v.as_str()).unwrap_or("");
                let val = args.get(1).cloned().unwrap_or(Value::Nil);
                let missing = match &val {
                    Value::Nil => true,
                    Value::String(s) => s.is_empty(),
                    _ => false,
                };
                if missing {
                    if lint {
                        return Ok(Value::str(""));
                    }
                    return Err(warn_wrap(warn));
                }
                Ok(val)
            },
        ),
    );

    set.add_func(
        "fail",
        Function::new(&[ArgType::String], None, move |_state, args| {
            let msg = args.first().and_then(|v| v.as_str()).unwrap_or("");
            if lint {
                return Ok(Value::str(""));
            }
            Err(warn_wrap(msg))
        }),
    );

    set.add_func(
        "lookup",
        Function::new(
            &[
                ArgType::String,
                ArgType::String,
                ArgType::String,
                ArgType::String,
            ],
            None,
            |_state, _args| Ok(Value::empty_map()),
        ),
    );

    set.add_func(
        "getHostByName",
        Function::new(&[ArgType::String], None, |_state, _args| Ok(Value::str(""))),
    );
}

/// Renders every template of `chart` and its dependencies. `top` holds `Values` (the coalesced
/// values of the root chart), `Release` and `Capabilities`. Returns each rendered file's bytes
/// by template name (partials excluded): a Go string, and so a template's output, may hold
/// bytes that are not UTF-8 (`{{ "\xff" }}`, `{{ .Files.Get "bin" }}`), which Helm then
/// reports when it parses the manifest. The error is Helm's text (without `Error: `).
pub fn render(
    chart: &EngineChart,
    top: &Map,
    opts: EngineOptions,
) -> Result<EngineOutput, EngineError> {
    let mut list = Vec::new();
    collect(chart, None, top, &mut list);
    // Helm keeps templates in a map: a later duplicate name replaces an earlier one.
    let mut seen = HashMap::new();
    let mut dedup: Vec<Renderable> = Vec::with_capacity(list.len());
    for r in list {
        if let Some(&i) = seen.get(&r.name) {
            dedup[i] = r;
        } else {
            seen.insert(r.name.clone(), dedup.len());
            dedup.push(r);
        }
    }
    let mut list = dedup;
    sort_templates(&mut list);

    let mut set = TemplateSet::new();
    if let Some(limit) = opts.native_depth_limit {
        set.set_native_depth_limit(limit);
    }
    set.add_funcs(chartroom_funcs::helm_functions());
    set.set_values_methods(chartroom_funcs::helm::values_methods());
    register_helm_functions(&mut set, opts);
    let mut options = set.options().clone();
    options.missing_key = missing_key(opts);
    options.fuel = Some(opts.limits.steps);
    options.max_output = Some(opts.limits.output_bytes);
    options.limits = opts.limits;
    set.set_options(options);

    let files: Vec<(&str, &[u8])> = list
        .iter()
        .map(|r| (r.name.as_str(), r.text.as_slice()))
        .collect();
    let parse = |set: &mut TemplateSet| {
        set.parse_all(&files)
            .map_err(|(i, e)| cleanup_parse_error(&list[i].name, &e.message))
    };
    let mut set = if opts.reuse_parsed {
        let key = crate::cache::SetKey {
            strict: opts.strict,
            lint_mode: opts.lint_mode,
            native_depth_limit: opts.native_depth_limit,
            limits: opts.limits,
        };
        crate::cache::parsed_set(key, &files, set, parse)?
    } else {
        parse(&mut set)?;
        set
    };

    let mut rendered = BTreeMap::new();
    let mut traces = BTreeMap::new();
    let mut failure = None;
    let mut total: u64 = 0;
    for r in &list {
        if basename(&r.name).starts_with('_') {
            continue;
        }
        let mut t = Map::new();
        t.insert("Name".into(), Value::str(&r.name));
        t.insert("BasePath".into(), Value::str(&r.base_path));
        r.data
            .borrow_mut()
            .insert("Template".into(), as_values(Value::map(t)));
        let data = Value::Map(r.data.clone(), Tag::VALUES);
        // The release's limit is checked as the template writes, as `output-bytes` is (and
        // once more below, after `<no value>` is removed).
        let mut options = set.options().clone();
        options.release_output = Some((total, opts.limits.release_bytes));
        set.set_options(options);
        let mut prov = opts.provenance.then(Provenance::default);
        let out = match &mut prov {
            None => set.execute_bytes(&r.name, &data).map_err(|e| (e, None)),
            Some(prov) => {
                let mut out = StrBuf::new();
                match set.execute_traced(&r.name, &data, &mut out, prov) {
                    Ok(()) => Ok(out.into_bytes()),
                    Err(e) => Err((e, Some(out.into_bytes()))),
                }
            }
        };
        let out = match out {
            Ok(out) => out,
            Err((e, partial)) => {
                let is_exec = matches!(e.kind, ErrorKind::Exec | ErrorKind::Limit);
                let err = EngineError {
                    message: cleanup_exec_error(&r.name, &e.message, is_exec),
                    partial: partial
                        .zip(prov.take())
                        .map(|(output, provenance)| Partial {
                            template: r.name.clone(),
                            output,
                            provenance,
                            go_error: e.message.clone(),
                        }),
                };
                if !opts.keep_going {
                    return Err(err);
                }
                failure.get_or_insert(err);
                continue;
            }
        };
        let out = if opts.strict || find(&out, b"<no value>", 0).is_none() {
            out
        } else {
            if let Some(prov) = &mut prov {
                let mut cut = Vec::new();
                let mut at = 0;
                while let Some(i) = find(&out, b"<no value>", at) {
                    cut.push((i, i + b"<no value>".len()));
                    at = i + b"<no value>".len();
                }
                prov.remove_ranges(&cut);
            }
            Str::from_vec(out)
                .replace(b"<no value>", b"")
                .as_bytes()
                .to_vec()
        };
        // A release's rendered files are held together and then all read by the manifest
        // sort: their total is bounded, as each file's output is.
        total = total.saturating_add(out.len() as u64);
        if total > opts.limits.release_bytes {
            return Err(EngineError {
                message: format!(
                    "template: {}: {}",
                    r.name,
                    chartroom_template::limits::release_exceeded(total, opts.limits.release_bytes)
                ),
                partial: None,
            });
        }
        if let Some(prov) = prov {
            traces.insert(r.name.clone(), prov);
        }
        rendered.insert(r.name.clone(), out);
    }
    if opts.skip_free {
        std::mem::forget((set, list));
    }
    Ok(EngineOutput {
        files: rendered,
        traces,
        failure,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_order_is_helms() {
        let mk = |n: &str| Renderable {
            name: n.into(),
            text: Vec::new(),
            data: Rc::new(RefCell::new(Map::new())),
            base_path: String::new(),
        };
        let mut v = vec![
            mk("a/templates/a.yaml"),
            mk("a/templates/b.yaml"),
            mk("a/charts/s/templates/x.yaml"),
            mk("a/templates/_h.tpl"),
        ];
        sort_templates(&mut v);
        let names: Vec<&str> = v.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "a/charts/s/templates/x.yaml",
                "a/templates/b.yaml",
                "a/templates/a.yaml",
                "a/templates/_h.tpl"
            ]
        );
    }

    #[test]
    fn table_lookup() {
        let mut inner = Map::new();
        inner.insert("x".into(), Value::Int(1));
        let mut m = Map::new();
        m.insert("sub".into(), Value::map(inner));
        m.insert("s".into(), Value::str("no"));
        let v = Value::map(m);
        assert!(table(&v, "sub").is_some());
        assert!(table(&v, "s").is_none());
        assert!(table(&v, "nope").is_none());
        assert_eq!(
            join("c/charts/s", "templates/x.yaml"),
            "c/charts/s/templates/x.yaml"
        );
    }
}
