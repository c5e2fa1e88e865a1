//! chartroom-lint: checks rendered Kubernetes manifests.
//!
//! JSON-schema validation of every document against the Kubernetes schemas of one version
//! ([`SchemaPack`], built by `scripts/pack-schemas.py` from kubernetes-validate 1.37.0),
//! normal or strict, with the verdicts kubernetes-validate gives; custom resources against
//! the CRDs of the same input ([`CrdSchemas`]); deprecated and removed apiVersions
//! ([`deprecations`]); duplicate resources and duplicate keys; SARIF output ([`sarif`]);
//! render-and-lint for several Kubernetes versions ([`run`]).
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let pack = chartroom_lint::packs::load_bundled("v1.37.0")?;
//! let opts = chartroom_lint::Options { strict: true, formats: true };
//! let report = chartroom_lint::lint_manifests(&pack, "manifests.yaml", b"kind: Pod\n", &opts);
//! println!("{} errors", report.summary.errors);
//! # Ok(()) }
//! ```
//!
//! Entry points: [`validate_document`] (one parsed document), [`lint_text`] (one document's
//! YAML), [`lint_manifests`] (a YAML stream, `--manifests` mode), [`lint_files_on`] (several
//! streams as one set, on threads) and [`lint_release`] (a [`RenderedRelease`]). Every finding carries where it is and what it is about
//! ([`Finding`], serialized in the JSON shape of `chartroom lint --output json`).

mod collect;
mod crd;
pub mod deprecations;
pub mod helm;
mod pack;
pub mod packs;
mod resources;
pub mod run;
pub mod sarif;
mod validate;

use std::collections::HashMap;

use chartroom_render::manifest::split_manifests;
use chartroom_render::origins::{Origins, TemplateLine, ValueOrigin};
use chartroom_render::RenderedRelease;
use chartroom_template::Value;
use collect::{contains, Base, Collector};
use serde::Serialize;

pub use crd::CrdSchemas;
pub use helm::helm_lint;
pub use pack::{schema_name, PackError, SchemaPack, PACK_FORMAT};
pub use resources::is_cluster_scoped;
use resources::ResourceKey;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Rule names (`Finding::rule`).
pub mod rule {
    /// The document violates its Kubernetes schema (wrong type, enum, missing required field,
    /// unknown field where the schema is closed or in strict mode).
    pub const SCHEMA: &str = "schema";
    /// A value does not meet the `format` its schema states (`int32`, `int64`, `byte`,
    /// `date-time`): a warning, and only with [`crate::Options::formats`]
    /// (kubernetes-validate treats formats as annotations).
    pub const FORMAT: &str = "format";
    /// A map has the same key twice (YAML readers keep the last value; the API server's
    /// strict field validation rejects it): an error with [`crate::Options::strict`], else a
    /// warning.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// No schema for the document's apiVersion and kind in this Kubernetes version (custom
    /// resources, removed or misspelled apiVersions): info.
    pub const NO_SCHEMA: &str = "no-schema";
    /// The document is not a map, or lacks `apiVersion`, `kind` or `metadata.name`.
    pub const DOCUMENT: &str = "document";
    /// The document is not valid YAML.
    pub const YAML: &str = "yaml";
    /// The apiVersion is no longer served by the target Kubernetes version (error) or is
    /// deprecated there (warning), per [`crate::deprecations::DEPRECATIONS`].
    pub const DEPRECATED_API: &str = "deprecated-api";
    /// The same group, kind, namespace and name twice in one release or one lint call:
    /// error, on the second and later copies.
    pub const DUPLICATE_RESOURCE: &str = "duplicate-resource";
    /// One of Helm's own `helm lint` checks ([`crate::helm::helm_lint`]): severity and message
    /// as `helm lint` prints them.
    pub const HELM: &str = "helm";
}

/// One problem in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub severity: Severity,
    /// See [`rule`].
    pub rule: String,
    pub message: String,
    /// The template (`chart/templates/x.yaml`, as `# Source:` prints it) or input file.
    pub file: Option<String>,
    /// The document's index in that file, from 0.
    pub document: Option<usize>,
    /// JSON Pointer to the offending value (`/spec/template/spec/containers/0/ports/0/containerPort`);
    /// empty for the whole document.
    pub path: String,
    /// Line and column (1-based; columns count characters) of the offending value in `file`:
    /// for `--manifests` files and `crds/` files, of the file; for rendered templates, of the
    /// document as `helm template` prints it (line 1 is its first line after `# Source:`).
    /// An unknown field or duplicate key points at the key, a missing field at the object
    /// that lacks it, a whole-document finding at the document's start, a value reached
    /// through a YAML alias at the alias. `None` only when the document could not be read
    /// again (never for a document that parsed).
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The schema version checked against (`1.37`).
    pub kube_version: String,
    /// For a rendered template traced to its source (`RenderRequest::provenance`): `file`
    /// and `line` above are the template position that wrote the offending rendered line, and
    /// these say where that line is in the rendered document (line and column as described
    /// for `line` above) and what it reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered_text: Option<String>,
    /// The `include`/`template` chain from the manifest's own template down to `file`:`line`
    /// (its last entry).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TemplateLine>,
    /// The values key whose value the template printed there, and the values file line that
    /// sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueOrigin>,
}

impl Finding {
    /// An error about a whole document (empty path, no head yet).
    fn error(pack: &SchemaPack, origin: &Origin, rule: &str, message: String) -> Finding {
        Finding {
            file: origin.file.clone(),
            document: origin.document,
            ..Finding::general(
                Severity::Error,
                rule,
                message,
                pack.kube_version().to_string(),
            )
        }
    }

    /// A finding about no particular file, value or resource (callers fill in what they
    /// know): empty path, no position, no head.
    pub fn general(
        severity: Severity,
        rule: &str,
        message: String,
        kube_version: String,
    ) -> Finding {
        Finding {
            severity,
            rule: rule.to_string(),
            message,
            file: None,
            document: None,
            path: String::new(),
            line: None,
            column: None,
            api_version: None,
            kind: None,
            namespace: None,
            name: None,
            kube_version,
            rendered_line: None,
            rendered_column: None,
            rendered_text: None,
            trace: Vec::new(),
            value: None,
        }
    }

    /// Moves a finding in a rendered document to the template line that wrote the rendered
    /// line (see [`Finding::rendered_line`]); `offset` is where the document starts in its
    /// template's output.
    fn trace_to_template(&mut self, origins: &Origins, offset: usize) {
        let (Some(file), Some(line)) = (self.file.as_deref(), self.line) else {
            return;
        };
        let Some(origin) = origins.locate(file, offset, line, self.column) else {
            return;
        };
        let Some(at) = origin.position().cloned() else {
            return;
        };
        self.rendered_text = origins.rendered_line(file, offset, line);
        self.rendered_line = Some(line);
        self.rendered_column = self.column.take();
        self.file = Some(at.file);
        self.line = Some(at.line);
        self.trace = origin.trace;
        self.value = origin.value;
    }
}

/// Counts over a lint run (`summary` of the JSON output).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Documents linted (empty documents not counted).
    pub resources: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// Findings and their summary: `{"findings": [...], "summary": {...}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Report {
    /// A report over `findings` from `resources` documents.
    pub fn new(findings: Vec<Finding>, resources: usize) -> Report {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let summary = Summary {
            resources,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        };
        Report { findings, summary }
    }

    /// Appends another report (another file, chart or Kubernetes version).
    pub fn merge(&mut self, other: Report) {
        self.findings.extend(other.findings);
        self.summary.resources += other.summary.resources;
        self.summary.errors += other.summary.errors;
        self.summary.warnings += other.summary.warnings;
        self.summary.infos += other.summary.infos;
    }

    /// Whether any finding is an error (`chartroom lint` then exits 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Validation settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Use the strict schemas: unknown fields are errors.
    pub strict: bool,
    /// Also check the schemas' `format`s (int32/int64 ranges, base64 `byte` strings such as
    /// Secret `data`, RFC 3339 `date-time`), as [`rule::FORMAT`] warnings. Off by default, as
    /// in kubernetes-validate; errors are the same either way.
    pub formats: bool,
}

/// Where a document comes from, copied into its findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: Option<String>,
    pub document: Option<usize>,
}

fn head_str(m: &chartroom_template::Map, key: &str) -> Option<String> {
    m.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Copies a document's `apiVersion`, `kind`, `metadata.namespace` and `metadata.name` (when
/// strings) into `f`; returns the `metadata` map.
fn fill_head(f: &mut Finding, doc: &Value) -> Option<chartroom_template::Map> {
    let Value::Map(m, _) = doc else {
        return None;
    };
    let m = m.borrow();
    f.api_version = head_str(&m, "apiVersion");
    f.kind = head_str(&m, "kind");
    let Some(Value::Map(meta, _)) = m.get("metadata") else {
        return None;
    };
    let meta = meta.borrow().clone();
    f.namespace = head_str(&meta, "namespace");
    f.name = head_str(&meta, "name");
    Some(meta)
}

/// Validates one parsed document (as [`chartroom_yaml::from_yaml`] reads it). Documents that
/// are not maps, or lack a string `apiVersion`, `kind` or `metadata.name`, are
/// [`rule::DOCUMENT`] errors; an apiVersion the target no longer serves is a
/// [`rule::DEPRECATED_API`] error (a warning while it is only deprecated); a document whose
/// apiVersion and kind have no schema in the pack is a [`rule::NO_SCHEMA`] info; otherwise
/// one [`rule::SCHEMA`] error per violation.
pub fn validate_document(
    pack: &SchemaPack,
    doc: &Value,
    origin: &Origin,
    opts: &Options,
) -> Vec<Finding> {
    validate_in(pack, &CrdSchemas::default(), doc, origin, opts)
}

/// [`validate_document`] with custom resource schemas from CRDs: a kind the pack has no
/// schema for is validated against its CRD's schema when `crds` has one.
pub fn validate_with_crds(
    pack: &SchemaPack,
    crds: &CrdSchemas,
    doc: &Value,
    origin: &Origin,
    opts: &Options,
) -> Vec<Finding> {
    validate_in(pack, crds, doc, origin, opts)
}

fn validate_in(
    pack: &SchemaPack,
    crds: &CrdSchemas,
    doc: &Value,
    origin: &Origin,
    opts: &Options,
) -> Vec<Finding> {
    let mut finding = Finding::error(pack, origin, rule::DOCUMENT, String::new());
    let Value::Map(..) = doc else {
        finding.message = format!(
            "the document is {}, not a map with apiVersion, kind and metadata",
            article(validate::type_name(doc))
        );
        return vec![finding];
    };
    let meta_map = fill_head(&mut finding, doc);
    let (api_version, kind) = (finding.api_version.clone(), finding.kind.clone());
    let mut out = Vec::new();
    let mut missing = |path: &str, what: &str| {
        let mut f = finding.clone();
        f.path = path.to_string();
        f.message = what.to_string();
        out.push(f);
    };
    if api_version.is_none() {
        missing("/apiVersion", "apiVersion is missing or not a string");
    }
    if kind.is_none() {
        missing("/kind", "kind is missing or not a string");
    }
    if finding.name.is_none() {
        let generate = meta_map
            .as_ref()
            .is_some_and(|mm| head_str(mm, "generateName").is_some());
        missing(
            "/metadata/name",
            if generate {
                "metadata.name is missing (metadata.generateName is set, which Helm does not support)"
            } else {
                "metadata.name is missing or not a string"
            },
        );
    }
    let (Some(api), Some(k)) = (&api_version, &kind) else {
        return out;
    };
    let stem = schema_name(api, k);
    let mut root = pack.kind_node(&stem).map(|id| (pack, id));
    if let Some(target) = deprecations::minor(pack.kube_version()) {
        let served = |to: &str| pack.has_schema(&schema_name(to, k));
        if let Some((removed, message)) = deprecations::check(api, k, target, served) {
            let mut f = finding.clone();
            f.rule = rule::DEPRECATED_API.into();
            f.path = "/apiVersion".into();
            f.message = message;
            if !removed {
                f.severity = Severity::Warning;
            }
            out.push(f);
            if removed && root.is_none() {
                return out;
            }
        }
    }
    if root.is_none() {
        root = crds.schema(api, k).map(|id| (crds.pack(), id));
    }
    let Some((schemas, root)) = root else {
        let mut f = finding.clone();
        f.severity = Severity::Info;
        f.rule = rule::NO_SCHEMA.into();
        f.message = format!(
            "no schema for kind {k} with apiVersion {api} in Kubernetes {}",
            pack.kube_version()
        );
        out.push(f);
        return out;
    };
    let v = validate::Validator {
        pack: schemas,
        strict: opts.strict,
        formats: opts.formats,
    };
    let mut issues = Vec::new();
    let mut path = String::new();
    v.check(root, doc, &mut path, 0, Some(&mut issues));
    for issue in issues {
        let mut f = finding.clone();
        if issue.format {
            f.severity = Severity::Warning;
            f.rule = rule::FORMAT.into();
        } else {
            f.rule = rule::SCHEMA.into();
        }
        f.path = issue.path;
        f.message = issue.message;
        out.push(f);
    }
    out
}

fn article(type_name: &str) -> String {
    match type_name {
        "null" => "null".into(),
        "array" | "integer" | "object" => format!("an {type_name}"),
        other => format!("a {other}"),
    }
}

/// Whether kubernetes-validate would skip the document (it ignores empty documents: null,
/// `{}`, `[]`, `""`, `0`, `false`).
fn is_empty_document(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Map(m, _) => m.borrow().is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Float(f) => *f == 0.0,
        _ => false,
    }
}

/// Parses and validates one document's YAML text. A YAML error is one [`rule::YAML`] error;
/// an empty document gives no findings. Lines and columns count from the text's start.
pub fn lint_text(pack: &SchemaPack, text: &str, origin: &Origin, opts: &Options) -> Vec<Finding> {
    let mut c = Collector::new(pack, opts, "");
    c.read(text, origin.clone(), Base::default());
    c.finish().findings
}

/// Lints a stream of YAML documents (`---`-separated, split as Helm splits manifests), e.g. a
/// file of `chartroom lint --manifests`. Documents are numbered from 0 in file order (blank
/// ones skipped); a document that is not UTF-8 is a [`rule::YAML`] error with go-yaml's text.
/// Lines and columns are the file's. CRDs in the stream serve its custom resources.
pub fn lint_manifests(pack: &SchemaPack, file: &str, data: &[u8], opts: &Options) -> Report {
    lint_files(pack, &[(file, data)], opts)
}

/// Lints several YAML streams as one set (CRDs in any of them serve custom resources in
/// all; duplicates are found across them), reported in input order, on the calling thread.
pub fn lint_files(pack: &SchemaPack, files: &[(&str, &[u8])], opts: &Options) -> Report {
    lint_files_on(pack, files, opts, 1)
}

/// [`lint_files`] on up to `threads` threads (one file per thread at a time; `1` spawns
/// none, as a browser needs). The result is the same for any thread count.
pub fn lint_files_on(
    pack: &SchemaPack,
    files: &[(&str, &[u8])],
    opts: &Options,
    threads: usize,
) -> Report {
    if files.len() == 1 {
        let mut c = Collector::new(pack, opts, "");
        c.read_stream(files[0].0, files[0].1);
        return c.finish();
    }
    // CRDs of every file first (only documents that mention the kind are read here).
    let mut crds = CrdSchemas::default();
    for (_, data) in files {
        for piece in split_manifests(data) {
            if !contains(piece, b"CustomResourceDefinition") {
                continue;
            }
            let text = std::str::from_utf8(piece).unwrap_or_default();
            if let Ok((doc, _)) = chartroom_yaml::from_yaml_with_duplicates(text) {
                // Unconvertible CRDs leave their resources without a schema.
                let _ = crds.add(&doc);
            }
        }
    }
    let results = run::in_parallel(files.len(), threads, |i| {
        let (file, data) = files[i];
        let mut c = Collector::new(pack, opts, "").with_crds(crds.clone());
        c.read_stream(file, data);
        c.finish_with_keys()
    });
    let mut report = Report::default();
    let mut seen: HashMap<ResourceKey, Origin> = HashMap::new();
    for (mut part, keys) in results {
        for (key, mut f) in keys {
            let origin = Origin {
                file: f.file.clone(),
                document: f.document,
            };
            match seen.get(&key) {
                Some(first) => {
                    collect::make_duplicate(&mut f, &key, first);
                    part.findings.push(f);
                    part.summary.errors += 1;
                }
                None => {
                    seen.insert(key, origin);
                }
            }
        }
        // Keep findings in document order (stable: a document's own order is kept).
        part.findings.sort_by_key(|f| f.document);
        report.merge(part);
    }
    report
}

/// Lints every document of a rendered release: the files of the charts' `crds/` folders
/// (lines and columns of the file), then manifests and hooks (named by their source template
/// and document index; lines and columns of the document as `helm template` prints it, line
/// 1 being its first line after `# Source:`). Namespaced resources without a namespace are in
/// the release namespace (duplicates); CRDs from `crds/` and from templates serve custom
/// resources.
pub fn lint_release(pack: &SchemaPack, release: &RenderedRelease, opts: &Options) -> Report {
    let mut c = Collector::new(pack, opts, &release.namespace);
    for crd in &release.crds {
        c.read_stream(&crd.source, &crd.data);
    }
    for m in release.all_manifests() {
        let origin = Origin {
            file: Some(m.source.clone()),
            document: Some(m.document),
        };
        c.read(&m.text, origin, Base::default());
    }
    let mut report = c.finish();
    if let Some(origins) = &release.origins {
        let offsets: HashMap<(&str, usize), usize> = release
            .all_manifests()
            .map(|m| ((m.source.as_str(), m.document), m.offset))
            .collect();
        for f in &mut report.findings {
            let key = (f.file.as_deref().unwrap_or(""), f.document.unwrap_or(0));
            if let (Some(&offset), Some(_)) = (offsets.get(&key), f.document) {
                f.trace_to_template(origins, offset);
            }
        }
    }
    report
}
