//! Helm's rendering engine and `helm template`'s output assembly.

use std::collections::BTreeMap;

/// Renders an in-memory chart (paths relative to the chart root, e.g. `Chart.yaml`,
/// `templates/deployment.yaml`) the way `helm template RELEASE CHART -f values` does, with
/// `values_yaml` as one extra values file. Returns Helm's stdout, or the text after `Error: `.
/// (Skeleton: the render issue replaces the body; the signature is what the wasm bindings use.)
pub fn render_files(
    files: &BTreeMap<String, Vec<u8>>,
    values_yaml: &str,
    release_name: &str,
) -> Result<String, String> {
    let mut out = String::new();
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            out.push_str("---\n# Source: chart/templates/");
            out.push_str(name);
            out.push('\n');
            out.push_str(
                &String::from_utf8_lossy(bytes).replace("{{ .Release.Name }}", release_name),
            );
        }
    }
    out.push_str(values_yaml);
    Ok(out)
}
