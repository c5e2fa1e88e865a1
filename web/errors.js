// Where a render error points: Helm's error texts name the template (as
// `chart/templates/x.yaml`, subcharts as `chart/charts/sub/templates/x.yaml`) or the values
// file, with a line and sometimes a column:
//   template: chart/templates/x.yaml:12:3: executing "chart/templates/x.yaml" at <.Values.x>: ...
//   parse error at (chart/templates/x.yaml:7): unexpected "}" in operand
//   YAML parse error on chart/templates/x.yaml: error converting YAML to JSON: yaml: line 5: ...
//   failed to parse prod.yaml: error converting YAML to JSON: yaml: line 3: ...
// Returns { kind: "file", path, line, col } or { kind: "layer", index, line, col } for a file the
// page can show, else null. (A YAML error's line counts in the template's rendered text, which
// is where the page underlines it too: the nearest the source has.)

export function parseErrorLocation(error, chartName, targets) {
  const chartPath = (p) => {
    const rel = p.startsWith(`${chartName}/`) ? p.slice(chartName.length + 1) : p.replace(/^[^/]+\//, "");
    return rel in targets.files && typeof targets.files[rel] === "string" ? rel : null;
  };
  // Helm 4 nests include/tpl errors, outermost first ("path:line:col\n  executing ...\n
  // error calling include:\npath:line:col ..."): the last location in an editable file is where
  // the fault is.
  let found = null;
  const re = /([A-Za-z0-9_.\/-]+\.(?:ya?ml|tpl|txt|json|toml)):(\d+)(?::(\d+))?/g;
  let m;
  while ((m = re.exec(error))) {
    const path = chartPath(m[1]);
    if (path) found = { kind: "file", path, line: Number(m[2]), col: m[3] ? Number(m[3]) : 0 };
  }
  if (found) return found;
  m = /YAML parse error on ([^\s:]+):.*?\bline (\d+)(?::(\d+))?/s.exec(error);
  if (m) {
    const path = chartPath(m[1]);
    if (path) return { kind: "file", path, line: Number(m[2]), col: m[3] ? Number(m[3]) : 0 };
  }
  // A values file: a layer by its name, or the chart's values.yaml.
  for (const [index, name] of targets.layers.entries()) {
    const re = new RegExp(`(?:^|[\\s"'(])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b[^\\n]*?\\bline (\\d+)(?::(\\d+))?`);
    const v = re.exec(error);
    if (v) return { kind: "layer", index, line: Number(v[1]), col: v[2] ? Number(v[2]) : 0 };
  }
  m = /values\.yaml\b[^\n]*?\bline (\d+)(?::(\d+))?/.exec(error);
  if (m && typeof targets.files["values.yaml"] === "string") {
    return { kind: "file", path: "values.yaml", line: Number(m[1]), col: m[2] ? Number(m[2]) : 0 };
  }
  return null;
}
