//! Helm's rendering engine and `helm template`'s output assembly.
//!
//! - [`engine`]: one template set per render with every template of the chart and its enabled
//!   subcharts, the top-level data object, Helm's `include`/`tpl`/`required`/`fail`/`lookup`,
//!   and Helm's error texts.
//! - [`manifest`] and [`output`]: splitting rendered files into documents, hooks, kind order,
//!   CRDs, `--show-only`, `--output-dir`.
//! - [`template`]: the whole `helm template` command over a chart on disk or in memory.

pub mod chart_glue;
pub mod engine;
pub mod errors;
pub mod glob;
pub mod kube;
pub mod manifest;
pub mod objects;
pub mod output;
pub mod template;
pub mod yaml_glue;

use std::collections::BTreeMap;

pub use template::{run_template, ChartSource, TemplateRequest, ValueSource};

/// Renders an in-memory chart (paths relative to the chart root, e.g. `Chart.yaml`,
/// `templates/deployment.yaml`) the way `helm template RELEASE CHART -f values` does, with
/// `values_yaml` as one extra values file. Returns Helm's stdout, or the text after `Error: `.
pub fn render_files(
    files: &BTreeMap<String, Vec<u8>>,
    values_yaml: &str,
    release_name: &str,
) -> Result<String, String> {
    let mut req = TemplateRequest::new(ChartSource::Files(files.clone()));
    req.release_name = Some(release_name.to_string());
    if !values_yaml.trim().is_empty() {
        req.values.push(ValueSource::YamlText(
            "values.yaml".to_string(),
            values_yaml.to_string(),
        ));
    }
    let mut sink = output::FsSink;
    run_template(&req, &mut sink)
}
