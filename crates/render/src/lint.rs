//! The render `helm lint` does in its template rule (Helm's `rules.Templates`), as data.
//!
//! It differs from `helm template` ([`crate::render_release`]) in what Helm's lint does:
//! - the release is `test-release` (the request's name is ignored) in the request's namespace
//!   (`default` when unset), with `IsInstall`, `IsUpgrade` false and `Revision` 0 (lint builds
//!   `ReleaseOptions` with only a name and namespace);
//! - the engine runs in lint mode: `required` and `fail` return `""` instead of failing
//!   ([`EngineOptions::lint_mode`], the one home of that behaviour);
//! - no installable-type, dependency-presence, `kubeVersion`-constraint, label or release-name
//!   checks; rendered files are neither split nor sorted (lint reads them itself);
//! - a failed dependency processing or coalescing stops the rule silently;
//! - a packaged chart is read as the directory Helm extracts it to ([`load_for_lint`]).

use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_template::{Map, Value};

use crate::engine::{self, EngineOptions};
use crate::kube::{default_kube_version, parse_kube_version};
use crate::load;
use crate::objects::{Capabilities, KubeVersion, VersionSet, DEFAULT_API_VERSIONS};
use crate::render_error::ErrorKind;
use crate::request::{ChartSource, RenderRequest};
use chartroom_chart::Chart;

/// The release name Helm's lint renders with.
pub const LINT_RELEASE_NAME: &str = "test-release";

/// How the template rule's render went.
#[derive(Debug, Clone)]
pub enum LintRender {
    /// The chart did not load (`loader.Load`): Helm's text.
    LoadFailed(String),
    /// Dependency processing or coalescing failed: Helm's lint reports nothing for it.
    Skipped,
    /// The values do not meet the charts' schemas: Helm's text.
    SchemaFailed(String),
    /// A template failed to parse or execute: Helm's text (no `--debug` hint).
    RenderFailed(String),
    /// Rendered.
    Rendered(LintRendered),
}

/// The template rule's rendered files.
#[derive(Debug, Clone)]
pub struct LintRendered {
    /// The root chart's name (rendered files are keyed `name/templates/...`).
    pub chart: String,
    /// The root chart's templates (`templates/x.yaml`) in load order (`chart.Templates`).
    pub templates: Vec<String>,
    /// Every rendered file by template name (partials excluded), NOTES.txt included.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The Kubernetes version lint uses: `--kube-version` parsed as `helm lint` parses it, else
/// the default. The error is Helm's text after `invalid kube version 'X': `.
pub fn lint_kube_version(req: &RenderRequest) -> Result<KubeVersion, String> {
    match &req.kube_version {
        Some(v) if !v.is_empty() => parse_kube_version(v),
        _ => Ok(default_kube_version()),
    }
}

fn lint_release_value(namespace: &str) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), Value::str(LINT_RELEASE_NAME));
    m.insert("Namespace".into(), Value::str(namespace));
    m.insert("IsUpgrade".into(), Value::Bool(false));
    m.insert("IsInstall".into(), Value::Bool(false));
    m.insert("Revision".into(), Value::Int(0));
    m.insert("Service".into(), Value::str("Helm"));
    Value::map(m)
}

/// Loads the chart as `helm lint` does: Helm's v2 loader directly (no `apiVersion` detection),
/// and a packaged chart is extracted to a directory first, so its `.helmignore` applies
/// (`helm template` loads the archive as it is).
pub fn load_for_lint(source: &ChartSource) -> Result<Chart, String> {
    let archive = match source {
        ChartSource::Archive(data) => Some(data.clone()),
        ChartSource::Path(p) if std::path::Path::new(p).is_file() => {
            Some(std::fs::read(p).map_err(|e| load::go_io_error("open", p, &e))?)
        }
        _ => None,
    };
    match (archive, source) {
        (Some(data), _) => {
            let files = chartroom_chart::archive::load_archive_files(&data)?;
            Chart::load_files_v2(files.into_iter().collect()).map_err(|e| e.message)
        }
        (None, ChartSource::Path(p)) if std::path::Path::new(p).is_dir() => {
            Chart::load_dir_v2(std::path::Path::new(p)).map_err(|e| e.message)
        }
        (None, ChartSource::Files(files)) => {
            Chart::load_files_v2(files.clone()).map_err(|e| e.message)
        }
        (None, _) => load::load(source, &chartroom_template::Limits::default()).map(|l| l.chart),
    }
}

/// Runs the render of `helm lint`'s template rule for `req` (chart, values flags, namespace,
/// kube version, API versions, skip-schema-validation; other fields are ignored). `user_values`
/// are the merged values flags (the caller reads them once).
pub fn render_for_lint(req: &RenderRequest, user_values: Value) -> LintRender {
    let kube = match lint_kube_version(req) {
        Ok(k) => k,
        Err(e) => return LintRender::LoadFailed(e),
    };
    let mut loaded = match load_for_lint(&req.chart) {
        Ok(chart) => load::Loaded { chart },
        Err(e) => return LintRender::LoadFailed(e),
    };
    let templates: Vec<String> = loaded
        .chart
        .templates
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let namespace = match &req.namespace {
        Some(n) if !n.is_empty() => n.clone(),
        _ => "default".to_string(),
    };
    let prepared = match load::prepare(&mut loaded, user_values, req.skip_schema_validation) {
        Ok(p) => p,
        Err(e) if e.kind == ErrorKind::Schema => return LintRender::SchemaFailed(e.message),
        Err(_) => return LintRender::Skipped,
    };
    let mut api = DEFAULT_API_VERSIONS
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    api.extend(req.api_versions.iter().cloned());
    let caps = Capabilities {
        kube_version: Rc::new(kube),
        api_versions: Rc::new(VersionSet { versions: api }),
    };
    let mut top = Map::new();
    top.insert("Values".into(), prepared.values.clone());
    top.insert("Release".into(), lint_release_value(&namespace));
    top.insert("Capabilities".into(), caps.value());
    match engine::render(
        &prepared.chart,
        &top,
        EngineOptions {
            lint_mode: true,
            native_depth_limit: req.native_depth_limit,
            limits: req.limits,
            ..EngineOptions::default()
        },
    ) {
        Ok(out) => LintRender::Rendered(LintRendered {
            chart: prepared.chart.name.clone(),
            templates,
            files: out.files,
        }),
        Err(e) => LintRender::RenderFailed(e.message),
    }
}
