//! Helm's chart model: loading, dependencies, values coalescing, `--set` and values schema,
//! following Helm v4.3.1 (checked against the real binary; see docs/notes/chart.md).
//!
//! # Rendering pipeline (what `helm template` does, in order)
//!
//! ```text
//! let mut chart = Chart::load_dir(path)?            // or load_archive(bytes) / load_files(map)
//! check_dependencies(&chart)?                       // "found in Chart.yaml, but missing in charts/"
//! let user = opts.merge_values()?                   // -f, --set-json, --set, --set-string, --set-file, --set-literal
//! process_dependencies(&mut chart, &user)?          // conditions/tags, aliases, import-values
//! let values = coalesce_values(&chart, &user)?      // what .Values is (top chart)
//! validate_values_schema(&chart, &values)?          // unless --skip-schema-validation
//! check_kube_version(&chart, "v1.37.0")?            // Helm checks this after schema validation
//! ```
//!
//! For each chart in the tree (walk `chart.dependencies`), the render crate builds:
//! - `.Values`: for the top chart the coalesced values; for a subchart, the map under its name
//!   in its parent's values (`values["<dependency name>"]`).
//! - `.Chart`: [`Chart::metadata_value`] (`is_root` true only for the top chart). Helm 4 exposes
//!   a `map[string]interface{}` keyed by Go field names, not a struct.
//! - `.Files`: the chart's [`Chart::files`] as the render crate's `objects::Files` (`%T` is
//!   `engine.files`).
//! - Template names are `<parent path>/charts/<dependency name>/templates/...` (use
//!   [`Chart::name`], which is the alias after processing).
//!
//! Every error's `Display` is the text Helm prints after `Error: `; `Error::log` holds the
//! stderr lines Helm prints before it (slog format). Steps that log without failing have
//! `*_with_warnings` variants (`deps::process_dependencies_with_warnings`,
//! `values::coalesce_values_with_warnings`) returning those lines.
//!
//! Other entry points: [`ensure_archive`] (the CLI's "not a gzipped archive" check),
//! [`load_values`] (one values file), [`strvals`] (the `--set` parsers),
//! [`semver::is_compatible_range`], [`schema::validate_single`].

pub mod archive;
pub mod chart;
pub mod deps;
pub mod ignore;
pub mod metadata;
pub mod options;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;
mod yaml_read;

use std::fmt;

pub use chart::{ensure_archive, load_values, load_values_with, Chart, File};
pub use deps::{check_dependencies, check_kube_version, process_dependencies};
pub use metadata::{Dependency, Maintainer, Metadata};
pub use options::ValueOptions;
pub use schema::validate_values_schema;
pub use values::{coalesce_tables, coalesce_values, merge_tables, merge_values, Warnings};

/// An error with the exact text Helm prints after `Error: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    /// Log lines Helm writes to stderr before failing (slog text format, e.g. the warnings
    /// of the coalesce passes that ran and `level=ERROR msg="chart dependencies processing
    /// failed" ...`). Usually empty.
    pub log: Vec<String>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            log: Vec::new(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
