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

// `targets` is { files: {path: string|Uint8Array}, layers: [name] }: what the page can open.

// A chart path as the core and Helm write it (`chart/templates/x.yaml`, a subchart's
// `chart/charts/sub/templates/x.yaml`) as the page's file path (`templates/x.yaml`,
// `charts/sub/templates/x.yaml`), when that file is editable; else null.
function chartPath(p, chartName, targets) {
  const rel = p.startsWith(`${chartName}/`) ? p.slice(chartName.length + 1) : p.replace(/^[^/]+\//, "");
  return rel in targets.files && typeof targets.files[rel] === "string" ? rel : null;
}

// Where a file named by the core opens in the page: { kind: "file", path } for a chart file
// (`chart/values.yaml` is the values.yaml tab), { kind: "layer", index } for a values layer (by
// the name the page passed as valuesNames), else null (not editable here, e.g. a packaged
// subchart's file).
export function editorTarget(file, chartName, targets) {
  if (!file) return null;
  if (!file.startsWith(`${chartName}/`)) {
    const index = targets.layers.indexOf(file);
    if (index >= 0) return { kind: "layer", index };
  }
  const path = chartPath(file, chartName, targets);
  return path ? { kind: "file", path } : null;
}

// A provenance entry ({ file, line }) as a place in the editor plus the label the page shows
// (`templates/_helpers.tpl:4`; the core's path when the file cannot be opened).
export function placeOf(entry, chartName, targets) {
  const target = editorTarget(entry.file, chartName, targets);
  const name = !target ? entry.file : target.kind === "layer" ? targets.layers[target.index] : target.path;
  return { target: target && entry.line ? { ...target, line: entry.line, col: 0 } : null, label: entry.line ? `${name}:${entry.line}` : name };
}

// The template line behind the failing rendered line of an `explain` excerpt (the last entry of
// the marked line's trace), as an error location; null when there is none or it is not editable.
export function excerptLocation(excerpt, chartName, targets) {
  const marked = excerpt?.lines?.find((l) => l.marked);
  const last = marked?.origin?.trace?.at(-1);
  return last ? placeOf(last, chartName, targets).target : null;
}

export function parseErrorLocation(error, chartName, targets) {
  // Helm 4 nests include/tpl errors, outermost first ("path:line:col\n  executing ...\n
  // error calling include:\npath:line:col ..."): the last location in an editable file is where
  // the fault is.
  let found = null;
  const re = /([A-Za-z0-9_.\/-]+\.(?:ya?ml|tpl|txt|json|toml)):(\d+)(?::(\d+))?/g;
  let m;
  while ((m = re.exec(error))) {
    const path = chartPath(m[1], chartName, targets);
    if (path) found = { kind: "file", path, line: Number(m[2]), col: m[3] ? Number(m[3]) : 0 };
  }
  if (found) return found;
  m = /YAML parse error on ([^\s:]+):.*?\bline (\d+)(?::(\d+))?/s.exec(error);
  if (m) {
    const path = chartPath(m[1], chartName, targets);
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
