//! Helm's own `helm lint` checks (Helm v4.3.1), as [`Finding`]s with rule
//! [`crate::rule::HELM`]: for each `[SEVERITY] path: text` line `helm lint` prints, one
//! finding with that severity and `message` = `path: text` (the text after the tag).
//!
//! Helm's rules run in its order: Chart.yaml ([`chartfile`]), values ([`values`]), templates
//! ([`templates`], rendered by [`chartroom_render::lint::render_for_lint`] with the release
//! `test-release`, lint mode on), dependencies, then `crds/`. See docs/notes/helm-lint.md for
//! the facts and the remaining differences.

mod chartfile;
mod deprecations;
mod docs;
mod govalidator;
mod names;
mod templates;
mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartroom_chart::Chart;
use chartroom_render::{ChartSource, RenderRequest};

use crate::{rule, Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sev {
    Info,
    Warning,
    Error,
}

/// Helm's `support.Linter`: messages in the order the rules report them.
pub(crate) struct Linter {
    messages: Vec<(Sev, String, String)>,
}

impl Linter {
    /// Records a failed rule. Trailing newlines are dropped: Helm prints each message on its
    /// own line(s), so they are not part of what it shows.
    pub(crate) fn add(&mut self, sev: Sev, path: &str, mut err: String) {
        while err.ends_with('\n') {
            err.pop();
        }
        self.messages.push((sev, path.to_string(), err));
    }
}

/// What is at a path of the chart directory.
enum Entry {
    Missing,
    Dir,
    File(Vec<u8>),
}

/// The chart directory Helm's lint reads (a packaged chart is extracted first).
enum Tree {
    Disk(PathBuf),
    Mem(BTreeMap<String, Vec<u8>>),
}

impl Tree {
    fn entry(&self, rel: &str) -> Entry {
        match self {
            Tree::Disk(root) => {
                let p = root.join(rel);
                if p.is_dir() {
                    Entry::Dir
                } else {
                    match std::fs::read(&p) {
                        Ok(b) => Entry::File(b),
                        Err(_) => Entry::Missing,
                    }
                }
            }
            Tree::Mem(files) => {
                if let Some(b) = files.get(rel) {
                    return Entry::File(b.clone());
                }
                let prefix = format!("{rel}/");
                if files.keys().any(|k| k.starts_with(&prefix)) {
                    Entry::Dir
                } else {
                    Entry::Missing
                }
            }
        }
    }
}

fn absolute(path: &Path) -> String {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    chartroom_chart::archive::clean_path(&joined.to_string_lossy())
}

/// The chart's files and the path Helm names the chart directory by: the absolute path of a
/// chart directory; for a packaged or in-memory chart (which Helm extracts to a random
/// temporary directory) the chart's name.
fn open_tree(source: &ChartSource) -> Option<(Tree, String)> {
    let mem = |files: Vec<(String, Vec<u8>)>| {
        let map: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
        let name = map
            .get("Chart.yaml")
            .and_then(|d| chartroom_chart::chart::parse_chartfile(d).ok())
            .map(|m| m.name)
            .unwrap_or_default();
        (Tree::Mem(map), name)
    };
    match source {
        ChartSource::Path(p) => {
            let path = Path::new(p);
            if path.is_dir() {
                Some((Tree::Disk(path.to_path_buf()), absolute(path)))
            } else {
                let data = std::fs::read(path).ok()?;
                chartroom_chart::archive::load_archive_files(&data)
                    .ok()
                    .map(mem)
            }
        }
        ChartSource::Archive(data) => chartroom_chart::archive::load_archive_files(data)
            .ok()
            .map(mem),
        ChartSource::Files(files) => Some(mem(files.clone().into_iter().collect())),
    }
}

fn missing<'a>(want: impl Iterator<Item = &'a str>, have: &[&str]) -> Vec<String> {
    want.filter(|n| !have.contains(n))
        .map(str::to_string)
        .collect()
}

/// Helm's dependencies rule.
fn dependencies(l: &mut Linter, chart: &Result<Chart, String>, chart_dir: &str) {
    let c = match chart {
        Ok(c) => c,
        Err(e) => {
            l.add(Sev::Error, "", format!("unable to load chart\n\t{e}"));
            return;
        }
    };
    let loaded: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
    let declared: Vec<&str> = c
        .metadata
        .dependencies
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let not_declared = missing(loaded.iter().copied(), &declared);
    if !not_declared.is_empty() {
        l.add(
            Sev::Error,
            chart_dir,
            format!(
                "chart metadata is missing these dependencies: {}",
                not_declared.join(",")
            ),
        );
    }
    let mut seen = std::collections::HashSet::new();
    let mut shadowing = Vec::new();
    for d in &c.metadata.dependencies {
        let key = if d.alias.is_empty() {
            &d.name
        } else {
            &d.alias
        };
        if !seen.insert(key.clone()) {
            shadowing.push(key.clone());
        }
    }
    if !shadowing.is_empty() {
        l.add(
            Sev::Error,
            chart_dir,
            format!(
                "multiple dependencies with name or alias: {}",
                shadowing.join(",")
            ),
        );
    }
    let absent = missing(declared.iter().copied(), &loaded);
    if !absent.is_empty() {
        l.add(
            Sev::Warning,
            chart_dir,
            format!(
                "chart directory is missing these dependencies: {}",
                absent.join(",")
            ),
        );
    }
}

fn has_manifest_extension(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
}

/// `Chart.CRDObjects()`: (name relative to its chart, bytes), this chart's then each
/// dependency's.
fn crd_objects<'a>(c: &'a Chart, out: &mut Vec<(&'a str, &'a [u8])>, depth: usize) {
    if depth > 64 {
        return;
    }
    for f in &c.files {
        if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
            out.push((&f.name, &f.data));
        }
    }
    for d in &c.dependencies {
        crd_objects(d, out, depth + 1);
    }
}

/// Helm's crds rule (only when the chart has a `crds` entry).
fn crds(l: &mut Linter, tree: &Tree, chart: &Result<Chart, String>) {
    match tree.entry("crds") {
        Entry::Missing => return,
        Entry::File(_) => {
            l.add(Sev::Error, "crds/", "not a directory".into());
            return;
        }
        Entry::Dir => {}
    }
    let c = match chart {
        Ok(c) => c,
        Err(e) => {
            l.add(Sev::Error, "crds/", e.clone());
            return;
        }
    };
    let mut objects = Vec::new();
    crd_objects(c, &mut objects, 0);
    for (name, data) in objects {
        let (heads, err) = docs::decode_stream(&String::from_utf8_lossy(data));
        for h in heads.iter().flatten() {
            if !h.api_version.starts_with("apiextensions.k8s.io") {
                l.add(
                    Sev::Error,
                    name,
                    "apiVersion is not in 'apiextensions.k8s.io'".into(),
                );
            }
            if h.kind != "CustomResourceDefinition" {
                l.add(
                    Sev::Error,
                    name,
                    "object kind is not 'CustomResourceDefinition'".into(),
                );
            }
        }
        if let Some(e) = err {
            l.add(Sev::Error, name, format!("unable to parse YAML: {e}"));
            return;
        }
    }
}

/// Runs Helm's lint rules over the chart of `request` with its values flags, namespace,
/// `--kube-version` and `--skip-schema-validation`, as `helm lint` would (the release name is
/// Helm's `test-release` whatever the request says). `None` when `helm lint` would stop
/// before its rules (no chart or no Chart.yaml, values flags or `--kube-version` that do not
/// parse): rendering reports those.
pub fn helm_lint(request: &RenderRequest) -> Option<Vec<Finding>> {
    let kube = chartroom_render::lint::lint_kube_version(request).ok()?;
    let overrides = request.user_values().ok()?;
    let (tree, chart_dir) = open_tree(&request.chart)?;
    let chart_yaml = match tree.entry("Chart.yaml") {
        Entry::Missing => return None,
        Entry::Dir => None,
        Entry::File(b) => Some(b),
    };
    let mut l = Linter {
        messages: Vec::new(),
    };
    chartfile::lint(&mut l, chart_yaml.as_deref(), &chart_dir);
    let file_of = |e: Entry| match e {
        Entry::File(b) => Some(b),
        _ => None,
    };
    let values_yaml = match tree.entry("values.yaml") {
        Entry::Missing => None,
        Entry::Dir => Some(Vec::new()),
        Entry::File(b) => Some(b),
    };
    let schema = file_of(tree.entry("values.schema.json"));
    values::lint(
        &mut l,
        values_yaml.as_deref(),
        schema.as_deref(),
        &overrides,
        request.skip_schema_validation,
    );
    let templates_dir = match tree.entry("templates") {
        Entry::Missing => None,
        Entry::Dir => Some(true),
        Entry::File(_) => Some(false),
    };
    templates::lint(
        &mut l,
        templates_dir,
        || chartroom_render::lint::render_for_lint(request, overrides.deep_copy()),
        &kube.major,
        &kube.minor,
    );
    let chart = chartroom_render::lint::load_for_lint(&request.chart);
    dependencies(&mut l, &chart, &chart_dir);
    crds(&mut l, &tree, &chart);

    let kube_version = format!("{}.{}", kube.major, kube.minor);
    // `file` names a chart file as `# Source:` does (`mychart/templates/x.yaml`), so findings
    // of several charts in one report stay apart; the message keeps Helm's chart-relative path.
    let chart_name = chart.as_ref().ok().map(|c| c.metadata.name.clone());
    let findings = l
        .messages
        .into_iter()
        .map(|(sev, path, err)| {
            let file = (!path.is_empty() && path != chart_dir).then(|| match &chart_name {
                Some(name) if !name.is_empty() => format!("{name}/{path}"),
                _ => path.clone(),
            });
            let severity = match sev {
                Sev::Info => Severity::Info,
                Sev::Warning => Severity::Warning,
                Sev::Error => Severity::Error,
            };
            Finding {
                file,
                ..Finding::general(
                    severity,
                    rule::HELM,
                    format!("{path}: {err}"),
                    kube_version.clone(),
                )
            }
        })
        .collect();
    Some(findings)
}
