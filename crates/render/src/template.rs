//! The `helm template` command: argument semantics, the order in which Helm validates things
//! (and so which error wins), capabilities, release data, rendering and output.

use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_template::{Map, Value};

use crate::chart_glue;
use crate::engine::{self, EngineOptions};
use crate::kube::{default_kube_version, parse_kube_version};
use crate::objects::{Capabilities, VersionSet, DEFAULT_API_VERSIONS};
use crate::output::{assemble, OutputOptions, OutputSink};

/// Where the chart comes from.
#[derive(Debug, Clone)]
pub enum ChartSource {
    /// A chart directory or `.tgz` archive on disk (the CHART argument).
    Path(String),
    /// An in-memory chart: paths relative to the chart root.
    Files(BTreeMap<String, Vec<u8>>),
}

/// One values flag, in command-line order.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSource {
    /// `-f/--values FILE`
    File(String),
    /// An in-memory values file (name for error messages, text).
    YamlText(String, String),
    /// `--set a=b,c=d`
    Set(String),
    /// `--set-string`
    SetString(String),
    /// `--set-json`
    SetJson(String),
    /// `--set-literal`
    SetLiteral(String),
    /// `--set-file key=path`
    SetFile(String),
}

impl ValueSource {
    /// Helm's `values.Options.MergeValues` applies the flags by kind in this order.
    fn group(&self) -> u8 {
        match self {
            ValueSource::File(_) | ValueSource::YamlText(..) => 0,
            ValueSource::SetJson(_) => 1,
            ValueSource::Set(_) => 2,
            ValueSource::SetString(_) => 3,
            ValueSource::SetFile(_) => 4,
            ValueSource::SetLiteral(_) => 5,
        }
    }
}

/// Everything `helm template` takes.
#[derive(Debug, Clone)]
pub struct TemplateRequest {
    pub chart: ChartSource,
    /// The NAME argument (`None` when only CHART was given).
    pub release_name: Option<String>,
    pub generate_name: bool,
    pub name_template: Option<String>,
    pub namespace: Option<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub skip_schema_validation: bool,
    pub show_only: Vec<String>,
    pub output_dir: Option<String>,
    pub use_release_name: bool,
    pub labels: Vec<(String, String)>,
    pub values: Vec<ValueSource>,
    /// See [`EngineOptions::native_depth_limit`].
    pub native_depth_limit: Option<usize>,
    /// `--dry-run` as given (`"unset"` without a value); `None` when absent.
    pub dry_run: Option<String>,
    /// `--validate` (deprecated): validate against the cluster, like `--dry-run=server`.
    pub validate: bool,
    /// Positional arguments after NAME and CHART (Helm reports them only after the kube
    /// version and `--dry-run` checks).
    pub extra_args: Vec<String>,
    /// See [`EngineOptions::skip_free`]; also leaves the loaded chart and values unfreed.
    pub skip_free: bool,
}

/// Helm's `cmdGetDryRunFlagStrategy` for `helm template`: whether the render needs a cluster
/// (`server`), or the flag's error.
fn dry_run_needs_cluster(dry_run: Option<&str>) -> Result<bool, String> {
    let Some(v) = dry_run else {
        return Ok(false);
    };
    match v {
        // A bare `--dry-run` or a true boolean: deprecated spellings of `client`.
        "unset" | "client" | "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(false),
        "server" => Ok(true),
        // `none` (or a false boolean) is not allowed for `helm template`.
        "none" | "0" | "f" | "F" | "FALSE" | "false" | "False" => Err(format!(
            "invalid dry-run value ({}). Must be \"server\" or \"client\"",
            chartroom_template::fmt::quote(v)
        )),
        _ => Err(format!(
            "invalid dry-run value ({}). Must be \"none\", \"server\", or \"client\"",
            chartroom_template::fmt::quote(v)
        )),
    }
}

/// What Helm reports when it needs the cluster (`--dry-run=server`, `--validate`) and finds
/// none: chartroom never contacts one, and this is Helm's text with no kubeconfig.
const CLUSTER_UNREACHABLE: &str = "cluster reachability check failed: kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: connect: connection refused";

impl TemplateRequest {
    pub fn new(chart: ChartSource) -> TemplateRequest {
        TemplateRequest {
            chart,
            release_name: None,
            generate_name: false,
            name_template: None,
            namespace: None,
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            include_crds: false,
            skip_tests: false,
            no_hooks: false,
            skip_schema_validation: false,
            show_only: Vec::new(),
            output_dir: None,
            use_release_name: false,
            labels: Vec::new(),
            values: Vec::new(),
            native_depth_limit: None,
            dry_run: None,
            validate: false,
            extra_args: Vec::new(),
            skip_free: false,
        }
    }
}

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Helm's release-name rule (`chartutil.ValidateReleaseName`).
pub fn validate_release_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        // Helm's chartutil.ValidateReleaseName: errMissingName.
        return Err("release name check failed: release name \"\": no name provided".into());
    }
    let ok = name.len() <= 53 && {
        let b = name.as_bytes();
        let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        // ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
        name.split('.').all(|label| {
            let l = label.as_bytes();
            !l.is_empty()
                && alnum(l[0])
                && alnum(l[l.len() - 1])
                && l.iter().all(|c| alnum(*c) || *c == b'-')
        }) && alnum(b[0])
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "release name check failed: release name {}: invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53",
            chartroom_template::fmt::quote(name)
        ))
    }
}

/// The release name Helm's `NameAndChart` settles on for `helm template` (whose default name
/// is `release-name`).
pub fn release_name_for(req: &TemplateRequest) -> Result<String, String> {
    if let Some(name) = &req.release_name {
        if req.generate_name {
            return Err("cannot set --generate-name and also specify a name".into());
        }
        if req.name_template.is_some() {
            return Err("cannot set --name-template and also specify a name".into());
        }
        return Ok(name.clone());
    }
    if let Some(t) = &req.name_template {
        return render_name_template(t);
    }
    Ok("release-name".into())
}

/// `--name-template`: a template over no data with Sprig functions.
fn render_name_template(text: &str) -> Result<String, String> {
    let mut set = chartroom_template::TemplateSet::new();
    set.add_funcs(chartroom_funcs::helm_functions());
    set.parse("name-template", text).map_err(|e| e.message)?;
    set.execute("name-template", &Value::Nil)
        .map_err(|e| e.message)
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

/// Runs `helm template` and returns its stdout, or the error text Helm prints after `Error: `.
pub fn run_template(req: &TemplateRequest, sink: &mut dyn OutputSink) -> Result<String, String> {
    // RunE: the kube version is parsed first.
    let kube = match &req.kube_version {
        Some(v) if !v.is_empty() => {
            parse_kube_version(v).map_err(|e| format!("invalid kube version '{v}': {e}"))?
        }
        _ => default_kube_version(),
    };
    let needs_cluster = dry_run_needs_cluster(req.dry_run.as_deref())? || req.validate;
    // runInstall: client.NameAndChart(args)
    if !req.extra_args.is_empty() {
        return Err(format!(
            "expected at most two arguments, unexpected arguments: {}",
            req.extra_args.join(", ")
        ));
    }
    let name = release_name_for(req)?;

    // runInstall: values are merged before the chart is loaded.
    let mut sources = req.values.clone();
    sources.sort_by_key(|s| s.group());
    let user_values = chart_glue::merge_values(&sources)?;

    let mut loaded = chart_glue::load(&req.chart)?;
    chart_glue::check_installable(&loaded)?;
    chart_glue::check_dependencies(&loaded).map_err(|e| {
        format!(
            "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: {}",
            chart_glue::strip_deps_prefix(&e)
        )
    })?;

    // Install.Run
    if needs_cluster {
        return Err(CLUSTER_UNREACHABLE.into());
    }
    validate_release_name(&name)?;
    // An empty --namespace falls back to the kubeconfig's, which is "default" here.
    let namespace = match &req.namespace {
        Some(n) if !n.is_empty() => n.clone(),
        _ => "default".to_string(),
    };
    let mut api = DEFAULT_API_VERSIONS
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    for a in &req.api_versions {
        api.push(a.clone());
    }
    let caps_kube = Rc::new(kube);
    let caps = Capabilities {
        kube_version: caps_kube.clone(),
        api_versions: Rc::new(VersionSet { versions: api }),
    };
    let release = release_value(&name, &namespace, req.is_upgrade);
    let prepared = chart_glue::prepare(
        &mut loaded,
        user_values,
        &release,
        &caps,
        req.skip_schema_validation,
    )?;
    check_labels(&req.labels)?;

    // renderResources
    if !prepared.kube_version_constraint.is_empty()
        && !chart_glue::kube_version_compatible(
            &prepared.kube_version_constraint,
            &caps_kube.normalized,
        )
    {
        return Err(format!(
            "chart requires kubeVersion: {} which is incompatible with Kubernetes {}{DEBUG_HINT}",
            prepared.kube_version_constraint, caps_kube.normalized
        ));
    }
    let mut top = Map::new();
    top.insert("Values".into(), prepared.values.clone());
    top.insert("Release".into(), release);
    top.insert("Capabilities".into(), caps.value());
    let rendered = engine::render(
        &prepared.chart,
        &top,
        EngineOptions {
            native_depth_limit: req.native_depth_limit,
            skip_free: req.skip_free,
            ..EngineOptions::default()
        },
    )
    .map_err(|e| format!("{e}{DEBUG_HINT}"))?;
    let rendered = rendered_text(rendered)?;
    let opts = OutputOptions {
        include_crds: req.include_crds,
        skip_tests: req.skip_tests,
        no_hooks: req.no_hooks,
        show_only: req.show_only.clone(),
        output_dir: req.output_dir.clone(),
        use_release_name: req.use_release_name,
        release_name: name,
    };
    let out = assemble(rendered, &prepared.chart.name, &prepared.crds, &opts, sink);
    if req.skip_free {
        std::mem::forget((top, prepared, loaded));
    }
    out
}

/// The engine's rendered bytes as text for the manifest stage. A file that is not UTF-8 fails
/// as go-yaml fails reading it when Helm parses the manifest (NOTES.txt is never parsed;
/// whitespace-only files are skipped as Helm skips them).
// TODO(coordinator): move into the manifest stage, which could then take bytes.
fn rendered_text(
    rendered: std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut out = std::collections::BTreeMap::new();
    for (name, bytes) in rendered {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let b = e.into_bytes();
                let blank = b.iter().all(|c| c.is_ascii_whitespace());
                if !name.ends_with("NOTES.txt") && !blank {
                    if let Some(problem) = chartroom_yaml::utf8_reader_error(&b) {
                        return Err(format!(
                            "YAML parse error on {name}: error converting YAML to JSON: \
                             yaml: {problem}\n\nUse --debug flag to render out invalid YAML"
                        ));
                    }
                }
                String::from_utf8_lossy(&b).into_owned()
            }
        };
        out.insert(name, text);
    }
    Ok(out)
}

const SYSTEM_LABELS: &[&str] = &[
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];

fn check_labels(labels: &[(String, String)]) -> Result<(), String> {
    if labels
        .iter()
        .any(|(k, _)| SYSTEM_LABELS.contains(&k.as_str()))
    {
        return Err(format!(
            "user supplied labels contains system reserved label name. System labels: [{}]",
            SYSTEM_LABELS.join(" ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names() {
        assert!(validate_release_name("release-name").is_ok());
        assert!(validate_release_name("a.b-c").is_ok());
        assert!(validate_release_name("Bad").is_err());
        assert!(validate_release_name("-a").is_err());
        assert!(validate_release_name(&"a".repeat(54)).is_err());
        assert_eq!(
            validate_release_name(""),
            Err("release name check failed: release name \"\": no name provided".into())
        );
        let mut req = TemplateRequest::new(ChartSource::Path(".".into()));
        assert_eq!(release_name_for(&req).unwrap(), "release-name");
        req.release_name = Some("x".into());
        req.generate_name = true;
        assert!(release_name_for(&req).is_err());
    }
}
