//! A render as data: [`render_release`] runs `helm template`'s steps in Helm's order (so the
//! same error wins) and returns the release it would print — every manifest with its source
//! template, document index, text and head, hooks and CRDs apart, NOTES.txt, and the warnings
//! Helm logs. `helm template`'s stdout is one printer over it ([`crate::print`]); lint and
//! diff read the same structure.

use std::rc::Rc;

use chartroom_template::{Map, Value};
use serde::Serialize;

use crate::engine::{self, EngineOptions};
use crate::kube::{default_kube_version, parse_kube_version};
use crate::load;
use crate::manifest::{sort_manifests, Hook, Manifest};
use crate::objects::{Capabilities, VersionSet, DEFAULT_API_VERSIONS};
use crate::origins::Origins;
use crate::render_error::{ErrorKind, Kinded, RenderError};
use crate::request::{
    check_labels, dry_run_needs_cluster, release_name_for, validate_release_name, ChartSource,
    RenderRequest, Seed, ValueSource, CLUSTER_UNREACHABLE,
};

/// Helm's hint after errors in rendered output; `--debug` drops it.
pub(crate) const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// What Helm's manifest sorting reads from a rendered document (`apiVersion`, `kind`,
/// `metadata.name`), plus `metadata.namespace` when it is a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestHead {
    pub api_version: String,
    pub kind: String,
    /// `None` when the document has no `metadata.namespace` string.
    pub namespace: Option<String>,
    /// `None` when the document has no `metadata`.
    pub name: Option<String>,
}

/// One rendered YAML document.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedManifest {
    /// The template that produced it, as `# Source:` prints it (`chart/templates/x.yaml`).
    pub source: String,
    /// Its index among that template's documents, from 0.
    pub document: usize,
    /// The document's text as printed (leading white space trimmed, no `---`).
    pub text: String,
    /// Where the document starts in its template's output ([`RenderedRelease::origins`]).
    #[serde(skip)]
    pub offset: usize,
    pub head: ManifestHead,
    /// The `helm.sh/hook` events of a hook (`pre-install`, `test`...); empty otherwise.
    pub hook_events: Vec<String>,
    /// The document as Helm's sorting read it, when the request set `keep_parsed`.
    #[serde(skip)]
    pub parsed: Option<chartroom_template::Value>,
}

/// A file of a chart's `crds/` folder (printed whole by `--include-crds`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrdFile {
    /// `chart/crds/file.yaml` (`chart/charts/sub/crds/...` for a dependency's).
    pub source: String,
    /// The file as it is; serialized as `text` (bytes that are not UTF-8 shown as U+FFFD).
    #[serde(rename = "text", serialize_with = "lossy_text")]
    pub data: Vec<u8>,
}

fn lossy_text<S: serde::Serializer>(data: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(data))
}

/// Everything one `helm template` run renders.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderedRelease {
    /// The release name the templates saw (`.Release.Name`).
    pub name: String,
    /// `.Release.Namespace`.
    pub namespace: String,
    /// The root chart's name.
    pub chart: String,
    /// The target Kubernetes version (`.Capabilities.KubeVersion`, e.g. `v1.37.0`).
    pub kube_version: String,
    /// Files of the `crds/` folders (root chart first, then dependencies), whether or not the
    /// request includes them in the output.
    pub crds: Vec<CrdFile>,
    /// Ordinary manifests in Helm's install order (by kind, stable).
    pub manifests: Vec<RenderedManifest>,
    /// Hooks in Helm's order (by kind, stable), tests included.
    pub hooks: Vec<RenderedManifest>,
    /// The root chart's rendered `templates/NOTES.txt`, if it has one.
    pub notes: Option<String>,
    /// Lines Helm logs to stderr while rendering, and chartroom's own warnings.
    pub warnings: Vec<String>,
    /// Where each rendered line came from, when the request asked for provenance.
    #[serde(skip)]
    pub origins: Option<Rc<Origins>>,
}

impl RenderedRelease {
    /// Every manifest, ordinary then hooks, in print order.
    pub fn all_manifests(&self) -> impl Iterator<Item = &RenderedManifest> {
        self.manifests.iter().chain(self.hooks.iter())
    }
}

fn release_value(name: &str, namespace: &str, is_upgrade: bool) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), Value::str(name));
    m.insert("Namespace".into(), Value::str(namespace));
    m.insert("IsUpgrade".into(), Value::Bool(is_upgrade));
    m.insert("IsInstall".into(), Value::Bool(!is_upgrade));
    m.insert("Revision".into(), Value::Int(1));
    m.insert("Service".into(), Value::str("Helm"));
    Value::map(m)
}

/// Fixes the random functions' seed and the clock for one render and releases them
/// afterwards, so neither leaks into a later render of the same thread.
struct SeedScope {
    fixed_seed: bool,
    fixed_now: bool,
}

impl SeedScope {
    fn new(seed: Option<Seed>, now: Option<(i64, u32)>) -> SeedScope {
        use chartroom_funcs::rng;
        match seed {
            Some(Seed::Number(n)) => rng::set_seed(Some(n)),
            Some(Seed::Key(key)) => rng::set_seed_bytes(key),
            None => {}
        }
        if now.is_some() {
            rng::set_now(now);
        }
        SeedScope {
            fixed_seed: seed.is_some(),
            fixed_now: now.is_some(),
        }
    }
}

impl Drop for SeedScope {
    fn drop(&mut self) {
        use chartroom_funcs::rng;
        if self.fixed_seed {
            rng::set_seed(None);
        }
        if self.fixed_now {
            rng::set_now(None);
        }
    }
}

/// Runs `helm template`'s steps for `req` and returns the rendered release, or Helm's error
/// (with the warnings logged before it).
pub fn render_release(req: &RenderRequest) -> Result<RenderedRelease, RenderError> {
    render_release_into(req, &mut None)
}

/// [`render_release`] for a preview: with `RenderRequest::keep_going`, a render that failed
/// also gives the release made of everything else (documents that are not YAML kept with
/// empty heads), to show beside the error.
pub fn render_preview(
    req: &RenderRequest,
) -> (
    Result<RenderedRelease, RenderError>,
    Option<RenderedRelease>,
) {
    let mut partial = None;
    let result = render_release_into(req, &mut partial);
    (result, partial)
}

fn render_release_into(
    req: &RenderRequest,
    partial: &mut Option<RenderedRelease>,
) -> Result<RenderedRelease, RenderError> {
    let _seed = SeedScope::new(req.seed, req.now);
    let hint = |e: String| -> String {
        if req.debug {
            e
        } else {
            format!("{e}{DEBUG_HINT}")
        }
    };
    // RunE: the kube version is parsed first.
    let kube = match &req.kube_version {
        Some(v) if !v.is_empty() => parse_kube_version(v)
            .map_err(|e| format!("invalid kube version '{v}': {e}"))
            .kind(ErrorKind::Usage)?,
        _ => default_kube_version(),
    };
    let needs_cluster =
        dry_run_needs_cluster(req.dry_run.as_deref()).kind(ErrorKind::Usage)? || req.validate;
    // What Helm logs before its first error, in its order.
    let mut early = chartroom_chart::Warnings::default();
    match req.dry_run.as_deref() {
        Some("unset") => early.warn(
            "--dry-run is deprecated and should be replaced with '--dry-run=client'",
            &[],
        ),
        Some(v @ ("1" | "t" | "T" | "TRUE" | "true" | "True")) => early.warn(
            &format!("boolean '--dry-run={v}' flag is deprecated and must be replaced with '--dry-run=client'"),
            &[],
        ),
        _ => {}
    }
    let early = early.0;
    let logged = |mut e: RenderError| {
        e.warnings.splice(0..0, early.iter().cloned());
        e
    };
    // runInstall: client.NameAndChart(args)
    if !req.extra_args.is_empty() {
        return Err(logged(RenderError::new(
            ErrorKind::Usage,
            format!(
                "expected at most two arguments, unexpected arguments: {}",
                req.extra_args.join(", ")
            ),
        )));
    }
    let name = release_name_for(req)
        .kind(ErrorKind::Usage)
        .map_err(logged)?;

    // runInstall: values are merged before the chart is loaded.
    let mut sources = req.values.clone();
    sources.sort_by_key(|s| s.group());
    let user_values = load::merge_values(&sources, &req.limits)
        .kind(ErrorKind::Values)
        .map_err(logged)?;

    let mut loaded = load::load(&req.chart, &req.limits)
        .kind(ErrorKind::Chart)
        .map_err(logged)?;
    load::check_installable(&loaded)
        .kind(ErrorKind::Chart)
        .map_err(logged)?;
    load::check_dependencies(&loaded)
        .map_err(|e| {
            format!(
                "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: {}",
                load::strip_deps_prefix(&e)
            )
        })
        .kind(ErrorKind::Chart)
        .map_err(logged)?;

    // Install.Run
    if needs_cluster {
        let mut e = RenderError::new(ErrorKind::Cluster, CLUSTER_UNREACHABLE);
        let mut log = chartroom_chart::Warnings::default();
        log.log("ERROR", CLUSTER_UNREACHABLE, &[]);
        e.warnings = log.0;
        return Err(logged(e));
    }
    if let Err(message) = validate_release_name(&name) {
        let mut log = chartroom_chart::Warnings::default();
        let detail = message
            .strip_prefix("release name check failed: ")
            .unwrap_or(&message);
        log.log("ERROR", "release name check failed", &[("error", detail)]);
        let mut e = RenderError::new(ErrorKind::Usage, message.clone());
        e.warnings = log.0;
        return Err(logged(e));
    }
    // An empty --namespace falls back to the kubeconfig's, which is "default" here.
    let namespace = match &req.namespace {
        Some(n) if !n.is_empty() => n.clone(),
        _ => "default".to_string(),
    };
    let mut api = DEFAULT_API_VERSIONS
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    api.extend(req.api_versions.iter().cloned());
    let caps_kube = Rc::new(kube);
    let caps = Capabilities {
        kube_version: caps_kube.clone(),
        api_versions: Rc::new(VersionSet { versions: api }),
    };
    let release = release_value(&name, &namespace, req.is_upgrade);
    let mut prepared =
        load::prepare(&mut loaded, user_values, req.skip_schema_validation).map_err(logged)?;
    let warnings: Vec<String> = early.iter().chain(&prepared.warnings).cloned().collect();
    let with_warnings = |mut e: RenderError| {
        e.warnings.splice(0..0, warnings.iter().cloned());
        e
    };
    check_labels(&req.labels)
        .kind(ErrorKind::Usage)
        .map_err(with_warnings)?;

    // renderResources
    if !prepared.kube_version_constraint.is_empty()
        && !load::kube_version_compatible(&prepared.kube_version_constraint, &caps_kube.normalized)
    {
        return Err(with_warnings(RenderError::new(
            ErrorKind::KubeVersion,
            hint(format!(
                "chart requires kubeVersion: {} which is incompatible with Kubernetes {}",
                prepared.kube_version_constraint, caps_kube.normalized
            )),
        )));
    }
    let mut top = Map::new();
    top.insert("Values".into(), prepared.values.clone());
    top.insert("Release".into(), release);
    top.insert("Capabilities".into(), caps.value());
    let rendered = engine::render(
        &prepared.chart,
        &top,
        EngineOptions {
            native_depth_limit: req.include_depth(),
            skip_free: req.skip_free,
            // Charts from memory are the ones rendered again and again (the page, diff).
            reuse_parsed: matches!(req.chart, ChartSource::Files(_) | ChartSource::Archive(_)),
            limits: req.limits,
            provenance: req.provenance,
            keep_going: req.keep_going,
            ..EngineOptions::default()
        },
    );
    let template_error = |e: engine::EngineError| {
        let mut err = RenderError::new(ErrorKind::Template, hint(e.message));
        if let Some(p) = e.partial {
            if req.keep_going {
                err.failed_template = Some(Box::new(crate::render_error::FailedTemplate {
                    source: p.template.clone(),
                    text: String::from_utf8_lossy(&p.output).into_owned(),
                }));
            }
            err.excerpt = Some(Box::new(crate::origins::partial_excerpt(
                &p.template,
                p.output,
                p.provenance,
                &p.go_error,
                EXCERPT_CONTEXT,
            )));
        }
        with_warnings(err)
    };
    let mut rendered = rendered.map_err(template_error)?;
    let mut failure = rendered.failure.take().map(template_error);
    let origins = req
        .provenance
        .then(|| origins_of(req, &loaded, &prepared.values, &mut rendered));
    let mut rendered = rendered.files;

    // NOTES.txt files are rendered but never printed by `helm template`; the root chart's
    // are the release notes.
    let notes_name = format!("{}/templates/NOTES.txt", prepared.chart.name);
    let notes = rendered
        .get(&notes_name)
        .map(|n| String::from_utf8_lossy(n.as_ref()).into_owned());
    rendered.retain(|k, _| !k.ends_with("NOTES.txt"));
    let reuse = matches!(req.chart, ChartSource::Files(_) | ChartSource::Archive(_));
    let sorted = match sort_manifests(&rendered, req.keep_parsed, req.lenient_manifests, reuse) {
        Ok(sorted) => sorted,
        Err(e) => {
            let mut err = RenderError::new(ErrorKind::Manifest, hint(e.message.clone()));
            err.excerpt = origins.as_ref().and_then(|o| {
                let line = chartroom_yaml::message_line(&e.message)?;
                o.excerpt(&e.source, e.offset, line, EXCERPT_CONTEXT)
                    .map(Box::new)
            });
            let err = with_warnings(err);
            if !req.keep_going {
                return Err(err);
            }
            // Helm reports the first failure: a template's before a document's.
            failure.get_or_insert(err);
            sort_manifests(&rendered, req.keep_parsed, true, reuse).map_err(|e| {
                with_warnings(RenderError::new(ErrorKind::Manifest, hint(e.message)))
            })?
        }
    };
    let mut warnings = warnings;
    warnings.extend(sorted.log);
    let out = RenderedRelease {
        name,
        namespace,
        chart: prepared.chart.name.clone(),
        kube_version: caps_kube.version.clone(),
        crds: std::mem::take(&mut prepared.crds),
        manifests: sorted
            .manifests
            .into_iter()
            .map(|m| rendered_manifest(m, Vec::new()))
            .collect(),
        hooks: sorted
            .hooks
            .into_iter()
            .map(|h: Hook| rendered_manifest(h.manifest, h.events))
            .collect(),
        notes,
        warnings,
        origins: origins.map(Rc::new),
    };
    if req.skip_free {
        std::mem::forget((top, prepared, loaded, rendered));
    }
    if let Some(err) = failure {
        *partial = Some(out);
        return Err(err);
    }
    Ok(out)
}

fn rendered_manifest(m: Manifest, hook_events: Vec<String>) -> RenderedManifest {
    RenderedManifest {
        source: m.name,
        document: m.document,
        offset: m.offset,
        text: m.content,
        head: ManifestHead {
            api_version: m.head.version,
            kind: m.head.kind,
            namespace: m.head.namespace,
            name: m.head.name,
        },
        hook_events,
        parsed: m.parsed,
    }
}

/// Rendered lines shown either side of a failure.
const EXCERPT_CONTEXT: u32 = 3;

/// Provenance of a render: each template's output with its spans, the values maps by
/// address, and the values files that may set a key (user files, last given first, then the
/// charts' values.yaml).
fn origins_of(
    req: &RenderRequest,
    loaded: &load::Loaded,
    values: &Value,
    rendered: &mut engine::EngineOutput,
) -> Origins {
    let mut origins = Origins::default();
    for (name, prov) in std::mem::take(&mut rendered.traces) {
        if let Some(out) = rendered.files.get(&name) {
            origins.add_template(name, out.clone(), prov);
        }
    }
    origins.index_values(values);
    // The --set family overrides values files; among flags, Helm applies --set-json, --set,
    // --set-string, --set-file, --set-literal in that order, so the last one wins.
    let flag_name = |s: &ValueSource| match s {
        ValueSource::SetJson(_) => Some("--set-json"),
        ValueSource::Set(_) => Some("--set"),
        ValueSource::SetString(_) => Some("--set-string"),
        ValueSource::SetFile(_) => Some("--set-file"),
        ValueSource::SetLiteral(_) => Some("--set-literal"),
        ValueSource::File(_) | ValueSource::YamlText(..) => None,
    };
    for flag in [
        "--set-literal",
        "--set-file",
        "--set-string",
        "--set",
        "--set-json",
    ] {
        let of_flag: Vec<ValueSource> = req
            .values
            .iter()
            .filter(|s| flag_name(s) == Some(flag))
            .cloned()
            .collect();
        if of_flag.is_empty() {
            continue;
        }
        if let Ok(set) = load::merge_values(&of_flag, &req.limits) {
            origins.add_flag_values(flag, set);
        }
    }
    for source in req.values.iter().rev() {
        match source {
            ValueSource::File(path) => {
                if let Ok(bytes) = std::fs::read(path) {
                    origins.add_values_text(path.clone(), Rc::from(bytes), Vec::new());
                }
            }
            ValueSource::YamlText(name, text) => {
                origins.add_values_text(name.clone(), Rc::from(text.as_bytes()), Vec::new())
            }
            _ => {}
        }
    }
    fn chart_values(
        c: &chartroom_chart::Chart,
        path: &str,
        prefix: Vec<String>,
        origins: &mut Origins,
    ) {
        if let Some(text) = &c.values_text {
            origins.add_values_text(format!("{path}/values.yaml"), text.clone(), prefix.clone());
        }
        for d in &c.dependencies {
            let mut p = prefix.clone();
            p.push(d.name().to_string());
            chart_values(d, &format!("{path}/charts/{}", d.name()), p, origins);
        }
    }
    chart_values(&loaded.chart, loaded.chart.name(), Vec::new(), &mut origins);
    origins
}
