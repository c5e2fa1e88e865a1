//! A failed render as data: what kind of failure it is, Helm's exact text, and the warnings
//! Helm would have logged before failing. Front ends print `Error: {message}` and the
//! warnings; none of them edits the text.

use std::fmt;

/// Which step of `helm template` failed. Helm's own text is in [`RenderError::message`]; the
/// kind lets a front end group or highlight failures without parsing that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// Arguments and flags: release name, `--name-template`, `--dry-run`, `--labels`, extra
    /// arguments, `--kube-version`, an option chartroom cannot honour.
    Usage,
    /// Reading or merging values (`-f`, the `--set` family).
    Values,
    /// Locating or loading the chart, its metadata, or its dependencies.
    Chart,
    /// The values do not meet the chart's `values.schema.json`.
    Schema,
    /// The chart's `kubeVersion` constraint excludes the target Kubernetes version.
    KubeVersion,
    /// Parsing or executing a template (`fail`, `required`, a bad call...).
    Template,
    /// A rendered manifest is not YAML Helm can read (`YAML parse error on ...`), or
    /// `--show-only` names no rendered template.
    Manifest,
    /// The flags ask for a cluster (`--dry-run=server`, `--validate`); chartroom has none.
    Cluster,
    /// Writing `--output-dir` files.
    Output,
    /// The platform could not provide what the render needs (e.g. entropy for random
    /// functions in a browser without `crypto.getRandomValues`).
    Environment,
    /// A bug in chartroom (a caught panic): reported, never hidden.
    Internal,
}

/// A render that failed: Helm's text after `Error: `, and its kind.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub kind: ErrorKind,
    /// Exactly what Helm prints after `Error: ` (its "Use --debug flag" hint included unless
    /// the request asked for `debug`).
    pub message: String,
    /// Lines Helm logs to stderr before the error (slog text format, e.g.
    /// `level=INFO msg="warning: skipped value for c.a: Not a table."`), and chartroom's own
    /// warnings about what it could not check.
    pub warnings: Vec<String>,
    /// With `RenderRequest::provenance`: the rendered lines around the failure, each with the
    /// template line that wrote it (`chartroom template --explain`).
    pub excerpt: Option<Box<crate::origins::Excerpt>>,
    /// With `keep_going`, when a template failed while executing: its output up to there.
    pub failed_template: Option<Box<FailedTemplate>>,
}

/// The output a template wrote before it failed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailedTemplate {
    /// `chart/templates/x.yaml`
    pub source: String,
    pub text: String,
}

impl RenderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> RenderError {
        RenderError {
            kind,
            message: message.into(),
            warnings: Vec::new(),
            excerpt: None,
            failed_template: None,
        }
    }
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// Tags a `Result<T, String>` error with its kind.
pub(crate) trait Kinded<T> {
    fn kind(self, kind: ErrorKind) -> Result<T, RenderError>;
}

impl<T> Kinded<T> for Result<T, String> {
    fn kind(self, kind: ErrorKind) -> Result<T, RenderError> {
        self.map_err(|message| RenderError::new(kind, message))
    }
}
