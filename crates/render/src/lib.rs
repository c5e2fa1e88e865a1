//! Helm's rendering engine and `helm template`, as data and as text.
//!
//! - [`request`]: [`RenderRequest`], one request type mirroring `helm template`'s flags, built
//!   by the CLI, the wasm bindings, lint and diff.
//! - [`release`]: [`render_release`] runs Helm's steps and returns a [`RenderedRelease`]:
//!   every manifest with its source template, document index, text and head; hooks, CRDs and
//!   NOTES.txt apart; warnings. Failures are a [`RenderError`] (kind, Helm's text, warnings).
//! - [`print`]: `helm template`'s stdout (and `--output-dir`) over that result.
//! - [`engine`]: one template set per render with every template of the chart and its enabled
//!   subcharts, the top-level data object, Helm's `include`/`tpl`/`required`/`fail`/`lookup`,
//!   and Helm's error texts.
//! - [`manifest`]: splitting rendered files into documents, reading heads, hooks, kind order.
//! - [`cache`]: the last in-memory chart and its parsed templates, reused when only the
//!   values change (the page re-rendering as you type).

pub mod cache;
pub mod engine;
pub mod errors;
pub mod glob;
pub mod head;
pub mod kube;
pub mod lint;
pub mod load;
pub mod manifest;
pub mod objects;
pub mod origins;
pub mod print;
pub mod release;
pub mod render_error;
pub mod request;

use std::collections::BTreeMap;

/// chartroom's limits (`RenderRequest::limits`), re-exported for the front ends.
pub use chartroom_template::Limits;
pub use print::{print_template, FsSink, OutputSink};
pub use release::{
    render_preview, render_release, CrdFile, ManifestHead, RenderedManifest, RenderedRelease,
};
pub use render_error::{ErrorKind, FailedTemplate, RenderError};
pub use request::{ChartSource, RenderRequest, Seed, ValueSource};

/// `helm template`: renders `req` and prints it as Helm does (`--output-dir` files through
/// `sink`). Returns stdout, or the error Helm prints after `Error: `.
pub fn run_template(
    req: &RenderRequest,
    sink: &mut dyn OutputSink,
) -> Result<(Vec<u8>, RenderedRelease), RenderError> {
    let release = render_release(req)?;
    let stdout = print_template(&release, req, sink)?;
    Ok((stdout, release))
}

/// Renders an in-memory chart (paths relative to the chart root, e.g. `Chart.yaml`,
/// `templates/deployment.yaml`) the way `helm template RELEASE CHART -f values` does, with
/// `values_yaml` as one extra values file. Returns Helm's stdout, or the text after `Error: `.
pub fn render_files(
    files: &BTreeMap<String, Vec<u8>>,
    values_yaml: &str,
    release_name: &str,
) -> Result<String, String> {
    let mut req = RenderRequest::new(ChartSource::Files(files.clone()));
    req.release_name = Some(release_name.to_string());
    if !values_yaml.trim().is_empty() {
        req.values.push(ValueSource::YamlText(
            "values.yaml".to_string(),
            values_yaml.to_string(),
        ));
    }
    run_template(&req, &mut FsSink)
        .map(|(out, _)| String::from_utf8_lossy(&out).into_owned())
        .map_err(|e| e.message)
}
