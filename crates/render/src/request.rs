//! One request type for every front end: what `helm template` takes (its flags and arguments),
//! built by the CLI from the command line, by the wasm bindings from a JavaScript options
//! object, and by lint and diff. Also the argument checks Helm makes before it renders
//! (release name, `--name-template`, `--dry-run`, `--labels`), in Helm's order.

use std::collections::BTreeMap;

use chartroom_template::Value;

/// Where the chart comes from.
#[derive(Debug, Clone)]
pub enum ChartSource {
    /// A chart directory or `.tgz` archive on disk (the CHART argument).
    Path(String),
    /// An in-memory chart: paths relative to the chart root.
    Files(BTreeMap<String, Vec<u8>>),
    /// An in-memory packaged chart (the bytes of a `.tgz`).
    Archive(Vec<u8>),
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
    pub(crate) fn group(&self) -> u8 {
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

/// The seed of the random functions (`randAlphaNum`, `genPrivateKey`, `uuidv4`...) for one
/// render. Without one, every render draws fresh entropy from the platform, as Helm does; a
/// seed is only ever an explicit choice (`--seed`, a diff rendering both sides alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// A small number typed by a person (`--seed 42`): reproducible, not secret.
    Number(u64),
    /// 256 bits, e.g. drawn once from the operating system and shared by two renders.
    Key([u8; 32]),
}

/// Everything `helm template` takes: one field per flag or argument, with Helm's meaning.
#[derive(Debug, Clone)]
pub struct RenderRequest {
    pub chart: ChartSource,
    /// The NAME argument (`None` when only CHART was given).
    pub release_name: Option<String>,
    /// `--generate-name`
    pub generate_name: bool,
    /// `--name-template`
    pub name_template: Option<String>,
    /// `--namespace`
    pub namespace: Option<String>,
    /// `--kube-version`
    pub kube_version: Option<String>,
    /// `--api-versions`, in order.
    pub api_versions: Vec<String>,
    /// `--is-upgrade`
    pub is_upgrade: bool,
    /// `--include-crds`
    pub include_crds: bool,
    /// `--skip-tests`
    pub skip_tests: bool,
    /// `--no-hooks`
    pub no_hooks: bool,
    /// `--skip-schema-validation`
    pub skip_schema_validation: bool,
    /// `--show-only`, in order.
    pub show_only: Vec<String>,
    /// `--output-dir`
    pub output_dir: Option<String>,
    /// `--release-name` (use the release name in the output-dir path)
    pub use_release_name: bool,
    /// `--labels`
    pub labels: Vec<(String, String)>,
    /// `-f`, `--set`, `--set-string`, `--set-json`, `--set-literal`, `--set-file`, in
    /// command-line order (Helm applies them grouped by kind; see [`ValueSource`]).
    pub values: Vec<ValueSource>,
    /// `--debug`: errors come without Helm's "Use --debug flag" hint.
    pub debug: bool,
    /// The random functions' seed; `None` draws fresh entropy.
    pub seed: Option<Seed>,
    /// The wall clock for `now` and certificate validity, as Unix seconds and nanoseconds
    /// (`None`: the system clock). Two renders that must agree (a diff) share one.
    pub now: Option<(i64, u32)>,
    /// Keep each manifest's parsed document ([`crate::RenderedManifest::parsed`]) for callers
    /// that read them (diff, lint) instead of parsing the text again.
    pub keep_parsed: bool,
    /// See [`crate::engine::EngineOptions::native_depth_limit`].
    pub native_depth_limit: Option<usize>,
    /// `--dry-run` as given (`"unset"` without a value); `None` when absent.
    pub dry_run: Option<String>,
    /// `--validate` (deprecated): validate against the cluster, like `--dry-run=server`.
    pub validate: bool,
    /// Positional arguments after NAME and CHART (Helm reports them only after the kube
    /// version and `--dry-run` checks).
    pub extra_args: Vec<String>,
    /// See [`crate::engine::EngineOptions::skip_free`]; also leaves the loaded chart and
    /// values unfreed.
    pub skip_free: bool,
    /// chartroom's limits (`--limit NAME=VALUE`): execution steps, output size, include depth,
    /// the chart loader's archive limits, YAML depth and aliases, function result sizes.
    pub limits: chartroom_template::Limits,
    /// Record where each rendered line came from ([`crate::RenderedRelease::origins`],
    /// [`crate::RenderError::excerpt`]): lint and `--explain` turn it on.
    pub provenance: bool,
    /// Keep documents that are not valid YAML as manifests (with an empty head) instead of
    /// failing as Helm does: lint reports them as findings and still lints the rest.
    pub lenient_manifests: bool,
    /// A preview's render: after a template fails or a document is not YAML, render and sort
    /// everything else and return it with the error ([`crate::RenderError::partial`]).
    pub keep_going: bool,
}

/// Helm's `cmdGetDryRunFlagStrategy` for `helm template`: whether the render needs a cluster
/// (`server`), or the flag's error.
pub(crate) fn dry_run_needs_cluster(dry_run: Option<&str>) -> Result<bool, String> {
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
pub(crate) const CLUSTER_UNREACHABLE: &str = "cluster reachability check failed: kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: connect: connection refused";

impl RenderRequest {
    /// The user-supplied values (`-f` files and the `--set` family, merged in Helm's order),
    /// before the chart's defaults are coalesced in: what `helm get values` would show.
    pub fn user_values(&self) -> Result<Value, crate::RenderError> {
        let mut sources = self.values.clone();
        sources.sort_by_key(|s| s.group());
        crate::load::merge_values(&sources, &self.limits)
            .map_err(|e| crate::RenderError::new(crate::ErrorKind::Values, e))
    }

    /// A request with Helm's defaults (no flags) for `chart`.
    pub fn new(chart: ChartSource) -> RenderRequest {
        RenderRequest {
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
            debug: false,
            seed: None,
            now: None,
            keep_parsed: false,
            native_depth_limit: None,
            dry_run: None,
            validate: false,
            extra_args: Vec::new(),
            skip_free: false,
            limits: chartroom_template::Limits::default(),
            provenance: false,
            lenient_manifests: false,
            keep_going: false,
        }
    }

    /// The include/tpl nesting allowed: the front end's (`native_depth_limit`) or the
    /// template crate's default, lowered by the `include-depth` limit.
    pub fn include_depth(&self) -> Option<usize> {
        match (self.limits.include_depth, self.native_depth_limit) {
            (None, n) => n,
            (Some(l), n) => {
                Some(l.min(n.unwrap_or(chartroom_template::exec::DEFAULT_NATIVE_DEPTH_LIMIT)))
            }
        }
    }
}

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
pub fn release_name_for(req: &RenderRequest) -> Result<String, String> {
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

const SYSTEM_LABELS: &[&str] = &[
    "name",
    "owner",
    "status",
    "version",
    "createdAt",
    "modifiedAt",
];

pub(crate) fn check_labels(labels: &[(String, String)]) -> Result<(), String> {
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
        let mut req = RenderRequest::new(ChartSource::Path(".".into()));
        assert_eq!(release_name_for(&req).unwrap(), "release-name");
        req.release_name = Some("x".into());
        req.generate_name = true;
        assert!(release_name_for(&req).is_err());
    }
}
