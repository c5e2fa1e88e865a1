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

mod crd;
pub mod deprecations;
mod dupkeys;
mod pack;
pub mod packs;
mod resources;
pub mod run;
pub mod sarif;
mod validate;

use std::collections::HashMap;

use chartroom_render::manifest::split_manifests;
use chartroom_render::RenderedRelease;
use chartroom_template::Value;
use serde::Serialize;

pub use crd::CrdSchemas;
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

/// Where a document starts in the file its line numbers refer to: lines before it and the
/// column (0-based) of its first character.
#[derive(Debug, Clone, Copy, Default)]
struct Base {
    lines: u32,
    column: u32,
}

impl Base {
    /// The start of `piece`, a subslice of `data` at or after `from` (the start of an
    /// earlier piece, whose base is `from_base`): counted from there, so a stream's pieces
    /// cost one pass over the data in all.
    fn after(data: &[u8], piece: &[u8], from: usize, from_base: Base) -> (usize, Base) {
        let offset = (piece.as_ptr() as usize)
            .saturating_sub(data.as_ptr() as usize)
            .clamp(from, data.len());
        let between = &data[from..offset];
        let newlines = between.iter().filter(|&&b| b == b'\n').count();
        let column = match between.iter().rposition(|&b| b == b'\n') {
            Some(i) => String::from_utf8_lossy(&between[i + 1..]).chars().count(),
            None => from_base.column as usize + String::from_utf8_lossy(between).chars().count(),
        };
        let base = Base {
            lines: from_base
                .lines
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX)),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        };
        (offset, base)
    }

    fn place(&self, p: chartroom_yaml::Position) -> (u32, u32) {
        let column = if p.line == 1 {
            p.column.saturating_add(self.column)
        } else {
            p.column
        };
        (p.line.saturating_add(self.lines), column)
    }
}

/// A document read for linting.
struct Doc<'a> {
    text: &'a str,
    origin: Origin,
    base: Base,
    /// The go-yaml view (for duplicate keys) and the JSON-step value; or the findings of a
    /// document that could not be read.
    read: Result<(Option<chartroom_yaml::GoVal>, Value), Vec<Finding>>,
}

/// Reads every document first (so CRDs anywhere in the input serve custom resources
/// anywhere), then validates them in order.
struct Collector<'a> {
    pack: &'a SchemaPack,
    opts: &'a Options,
    /// Namespace of namespaced resources without one (the release's; `""` for files).
    namespace: String,
    docs: Vec<Doc<'a>>,
    crds: CrdSchemas,
}

impl<'a> Collector<'a> {
    fn new(pack: &'a SchemaPack, opts: &'a Options, namespace: &str) -> Collector<'a> {
        Collector {
            pack,
            opts,
            namespace: namespace.to_string(),
            docs: Vec::new(),
            crds: CrdSchemas::default(),
        }
    }

    /// Starts with the CRDs of other inputs already known.
    fn with_crds(mut self, crds: CrdSchemas) -> Collector<'a> {
        self.crds = crds;
        self
    }

    /// Reads one document (empty ones are dropped: not resources).
    fn read(&mut self, text: &'a str, origin: Origin, base: Base) {
        // from_yaml is from_yaml_go + go_to_value; the go-yaml view keeps duplicate keys.
        let parsed = chartroom_yaml::from_yaml_go(text).and_then(|go| match go {
            None => Ok((None, Value::Nil)),
            Some(g) => chartroom_yaml::go_to_value(&g).map(|v| (Some(g), v)),
        });
        let read = match parsed {
            Ok((_, doc)) if is_empty_document(&doc) => return,
            Ok((go, doc)) => {
                // A CRD that cannot be converted leaves its resources without a schema
                // (no-schema info); the CRD itself is validated like any document.
                let _ = self.crds.add(&doc);
                Ok((go, doc))
            }
            Err(e) => Err(vec![Finding::error(
                self.pack,
                &origin,
                rule::YAML,
                e.to_string(),
            )]),
        };
        self.docs.push(Doc {
            text,
            origin,
            base,
            read,
        });
    }

    /// Reads the documents of a YAML stream, split as Helm splits manifests.
    fn read_stream(&mut self, file: &str, data: &'a [u8]) {
        let mut cursor = (0, Base::default());
        for (i, piece) in split_manifests(data).into_iter().enumerate() {
            let origin = Origin {
                file: Some(file.to_string()),
                document: Some(i),
            };
            cursor = Base::after(data, piece, cursor.0, cursor.1);
            let base = cursor.1;
            match std::str::from_utf8(piece) {
                Ok(text) => self.read(text, origin, base),
                Err(_) => {
                    let problem = chartroom_yaml::utf8_reader_error(piece)
                        .unwrap_or("invalid leading UTF-8 octet");
                    let message = format!("error converting YAML to JSON: yaml: {problem}");
                    let f = Finding::error(self.pack, &origin, rule::YAML, message);
                    self.docs.push(Doc {
                        text: "",
                        origin,
                        base,
                        read: Err(vec![f]),
                    });
                }
            }
        }
    }

    /// Validates every document read, in order.
    fn finish(self) -> Report {
        self.finish_with_keys().0
    }

    /// [`Collector::finish`], plus each resource's identity and a finding about it (for
    /// duplicates across inputs linted apart), first occurrences only.
    fn finish_with_keys(self) -> (Report, Vec<(ResourceKey, Finding)>) {
        let mut keys = Vec::new();
        let mut findings = Vec::new();
        let mut seen: HashMap<ResourceKey, Origin> = HashMap::new();
        let resources = self.docs.len();
        for doc in &self.docs {
            let (go, value) = match &doc.read {
                Ok(r) => r,
                Err(fs) => {
                    findings.extend(fs.iter().cloned().map(|mut f| {
                        f.line = Some(doc.base.lines.saturating_add(1));
                        f.column = Some(doc.base.column.saturating_add(1));
                        f
                    }));
                    continue;
                }
            };
            let mut out = validate_in(self.pack, &self.crds, value, &doc.origin, self.opts);
            let mut head = out.first().cloned().unwrap_or_else(|| {
                let mut f = Finding::error(self.pack, &doc.origin, rule::DUPLICATE_KEY, "".into());
                fill_head(&mut f, value);
                f
            });
            // go-yaml flattens merge keys (`<<: *base`) into the map's entries, so an
            // override of a merged key would look like a duplicate: documents with a merge
            // key are not searched.
            if let Some(go) = go.as_ref().filter(|_| !doc.text.contains("<<")) {
                for (path, key) in dupkeys::duplicate_keys(go) {
                    let mut f = head.clone();
                    f.rule = rule::DUPLICATE_KEY.into();
                    f.severity = if self.opts.strict {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    f.message = format!("duplicate key {key:?} (the last value wins)");
                    f.path = path;
                    out.push(f);
                }
            }
            if let (Some(api), Some(kind), Some(name)) = (&head.api_version, &head.kind, &head.name)
            {
                let key = ResourceKey::new(
                    api,
                    kind,
                    head.namespace.as_deref(),
                    name,
                    &self.namespace,
                    &self.crds,
                );
                if let Some(first) = seen.get(&key) {
                    head.rule = rule::DUPLICATE_RESOURCE.into();
                    head.severity = Severity::Error;
                    head.path = String::new();
                    head.message = format!(
                        "{} is defined twice; first in {}",
                        key.describe(),
                        describe_origin(first)
                    );
                    out.push(head);
                } else {
                    seen.insert(key.clone(), doc.origin.clone());
                    let mut f = head.clone();
                    let (line, column) = doc.base.place(root_position(doc.text));
                    f.line = Some(line);
                    f.column = Some(column);
                    keys.push((key, f));
                }
            }
            if !out.is_empty() {
                locate_findings(doc, &mut out);
                // In the order of the text (stable: equal places keep the validator's order).
                out.sort_by_key(|f| (f.line, f.column));
            }
            findings.extend(out);
        }
        (Report::new(findings, resources), keys)
    }
}

fn describe_origin(o: &Origin) -> String {
    match (&o.file, o.document) {
        (Some(f), Some(d)) => format!("{f} (document {d})"),
        (Some(f), None) => f.clone(),
        (None, Some(d)) => format!("document {d}"),
        (None, None) => "an earlier document".into(),
    }
}

/// Fills `line`/`column`: the key of an unknown field or duplicate key, the value for other
/// paths, the document start for whole-document findings.
/// Where the root node of a document starts, without parsing it: the first line that is not
/// blank, a comment, a directive or a `---`/`...` marker, at its first non-blank character.
/// (What `locate` gives for the empty pointer on documents that parse.)
fn root_position(text: &str) -> chartroom_yaml::Position {
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '\t']);
        let marker = |m: &str| {
            body.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if body.is_empty()
            || body.starts_with('#')
            || (i == 0 || line == body) && body.starts_with('%')
            || marker("---")
            || marker("...")
        {
            continue;
        }
        let column = line.chars().count() - body.chars().count() + 1;
        return chartroom_yaml::Position {
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        };
    }
    chartroom_yaml::Position { line: 1, column: 1 }
}

fn locate_findings(doc: &Doc<'_>, out: &mut [Finding]) {
    if out.iter().all(|f| f.path.is_empty()) {
        // Whole-document findings only (no-schema, duplicate resources): no second parse.
        let (line, column) = doc.base.place(root_position(doc.text));
        for f in out.iter_mut() {
            f.line = Some(line);
            f.column = Some(column);
        }
        return;
    }
    // A path that names nothing (a missing field) is placed at its nearest existing parent.
    let mut pointers: Vec<String> = Vec::new();
    for f in out.iter() {
        let mut p = f.path.as_str();
        pointers.push(p.to_string());
        while let Some((parent, _)) = p.rsplit_once('/') {
            pointers.push(parent.to_string());
            p = parent;
        }
    }
    pointers.sort_unstable();
    pointers.dedup();
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let Ok(places) = chartroom_yaml::locate(doc.text, &refs) else {
        return;
    };
    let found: HashMap<String, chartroom_yaml::Located> = pointers
        .into_iter()
        .zip(places)
        .filter_map(|(p, l)| Some((p, l?)))
        .collect();
    for f in out.iter_mut() {
        let mut place = found.get(f.path.as_str()).copied();
        let mut p = f.path.as_str();
        while place.is_none() {
            let Some((parent, _)) = p.rsplit_once('/') else {
                break;
            };
            place = found.get(parent).copied();
            p = parent;
        }
        let pos = match place {
            Some(l) if f.path.is_empty() => Some(l.value),
            Some(l) if f.rule == rule::DUPLICATE_KEY || f.message.starts_with("unknown field") => {
                Some(l.key.unwrap_or(l.value))
            }
            Some(l) => Some(l.value),
            None => None,
        };
        let pos = pos.or_else(|| {
            f.path
                .is_empty()
                .then_some(chartroom_yaml::Position { line: 1, column: 1 })
        });
        if let Some(p) = pos {
            let (line, column) = doc.base.place(p);
            f.line = Some(line);
            f.column = Some(column);
        }
    }
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
            if let Ok(doc) = chartroom_yaml::from_yaml(text) {
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
                    f.rule = rule::DUPLICATE_RESOURCE.into();
                    f.severity = Severity::Error;
                    f.path = String::new();
                    f.message = format!(
                        "{} is defined twice; first in {}",
                        key.describe(),
                        describe_origin(first)
                    );
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

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
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
    c.finish()
}
