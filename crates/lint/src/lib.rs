//! chartroom-lint: checks rendered Kubernetes manifests.
//!
//! Today: JSON-schema validation of every document against the Kubernetes schemas of one
//! version ([`SchemaPack`], built by `scripts/pack-schemas.py` from kubernetes-validate
//! 1.37.0), normal or strict, with the verdicts kubernetes-validate gives.
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
//! YAML), [`lint_manifests`] (a YAML stream, `--manifests` mode) and [`lint_release`] (a
//! [`RenderedRelease`]). Every finding carries where it is and what it is about
//! ([`Finding`], serialized in the JSON shape of `chartroom lint --output json`).

mod dupkeys;
pub mod helm;
mod pack;
pub mod packs;
mod validate;

use chartroom_render::manifest::split_manifests;
use chartroom_render::RenderedRelease;
use chartroom_template::Value;
use serde::Serialize;

pub use helm::helm_lint;
pub use pack::{schema_name, PackError, SchemaPack, PACK_FORMAT};

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
    /// Line and column (1-based) in the rendered manifest: not computed yet (always `None`).
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The schema version checked against (`1.37`).
    pub kube_version: String,
}

impl Finding {
    /// An error about a whole document (empty path, no head yet).
    fn error(pack: &SchemaPack, origin: &Origin, rule: &str, message: String) -> Finding {
        Finding {
            severity: Severity::Error,
            rule: rule.to_string(),
            message,
            file: origin.file.clone(),
            document: origin.document,
            path: String::new(),
            line: None,
            column: None,
            api_version: None,
            kind: None,
            namespace: None,
            name: None,
            kube_version: pack.kube_version().to_string(),
        }
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
/// [`rule::DOCUMENT`] errors; a document whose apiVersion and kind have no schema in the pack
/// is a [`rule::NO_SCHEMA`] info; otherwise one [`rule::SCHEMA`] error per violation.
pub fn validate_document(
    pack: &SchemaPack,
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
    let Some(root) = pack.kind_node(&stem) else {
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
        pack,
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
/// an empty document gives no findings.
pub fn lint_text(pack: &SchemaPack, text: &str, origin: &Origin, opts: &Options) -> Vec<Finding> {
    lint_one(pack, text, origin, opts).unwrap_or_default()
}

/// [`lint_text`]; `None` for an empty document (not counted as a resource).
fn lint_one(
    pack: &SchemaPack,
    text: &str,
    origin: &Origin,
    opts: &Options,
) -> Option<Vec<Finding>> {
    // from_yaml is from_yaml_go + go_to_value; the go-yaml view keeps duplicate keys.
    let parsed = chartroom_yaml::from_yaml_go(text).and_then(|go| match go {
        None => Ok((None, Value::Nil)),
        Some(g) => chartroom_yaml::go_to_value(&g).map(|v| (Some(g), v)),
    });
    match parsed {
        Ok((_, doc)) if is_empty_document(&doc) => None,
        Ok((go, doc)) => {
            let mut out = validate_document(pack, &doc, origin, opts);
            // go-yaml flattens merge keys (`<<: *base`) into the map's entries, so an
            // override of a merged key would look like a duplicate: documents with a merge
            // key are not searched.
            if let Some(go) = go.filter(|_| !text.contains("<<")) {
                let head = out.first().cloned().unwrap_or_else(|| {
                    let mut f = Finding::error(pack, origin, rule::DUPLICATE_KEY, String::new());
                    fill_head(&mut f, &doc);
                    f
                });
                for (path, key) in dupkeys::duplicate_keys(&go) {
                    let mut f = head.clone();
                    f.rule = rule::DUPLICATE_KEY.into();
                    f.severity = if opts.strict {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    f.message = format!("duplicate key {key:?} (the last value wins)");
                    f.path = path;
                    out.push(f);
                }
            }
            Some(out)
        }
        Err(e) => Some(vec![Finding::error(
            pack,
            origin,
            rule::YAML,
            e.to_string(),
        )]),
    }
}

/// Collects the findings of documents into a [`Report`].
#[derive(Default)]
struct Collector {
    findings: Vec<Finding>,
    resources: usize,
}

impl Collector {
    fn add(&mut self, found: Option<Vec<Finding>>) {
        if let Some(fs) = found {
            self.resources += 1;
            self.findings.extend(fs);
        }
    }

    fn manifests(&mut self, pack: &SchemaPack, file: &str, data: &[u8], opts: &Options) {
        for (i, piece) in split_manifests(data).into_iter().enumerate() {
            let origin = Origin {
                file: Some(file.to_string()),
                document: Some(i),
            };
            match std::str::from_utf8(piece) {
                Ok(text) => self.add(lint_one(pack, text, &origin, opts)),
                Err(_) => {
                    let problem = chartroom_yaml::utf8_reader_error(piece)
                        .unwrap_or("invalid leading UTF-8 octet");
                    let message = format!("error converting YAML to JSON: yaml: {problem}");
                    self.add(Some(vec![Finding::error(
                        pack,
                        &origin,
                        rule::YAML,
                        message,
                    )]));
                }
            }
        }
    }
}

/// Lints a stream of YAML documents (`---`-separated, split as Helm splits manifests), e.g. a
/// file of `chartroom lint --manifests`. Documents are numbered from 0 in file order (blank
/// ones skipped); a document that is not UTF-8 is a [`rule::YAML`] error with go-yaml's text.
pub fn lint_manifests(pack: &SchemaPack, file: &str, data: &[u8], opts: &Options) -> Report {
    let mut c = Collector::default();
    c.manifests(pack, file, data, opts);
    Report::new(c.findings, c.resources)
}

/// Lints every document of a rendered release: the files of the charts' `crds/` folders,
/// then manifests and hooks (named by their source template and document index).
pub fn lint_release(pack: &SchemaPack, release: &RenderedRelease, opts: &Options) -> Report {
    let mut c = Collector::default();
    for crd in &release.crds {
        c.manifests(pack, &crd.source, &crd.data, opts);
    }
    for m in release.all_manifests() {
        let origin = Origin {
            file: Some(m.source.clone()),
            document: Some(m.document),
        };
        c.add(lint_one(pack, &m.text, &origin, opts));
    }
    Report::new(c.findings, c.resources)
}
