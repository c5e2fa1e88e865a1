// Colouring for the rendered YAML in the output view (the editors use CodeMirror, cm.js).

export const HIGHLIGHT_LIMIT = 400000; // characters; beyond this text is shown uncoloured

export function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function colourScalar(v) {
  if (v === "") return "";
  const m = /^(.*?)(\s+#.*)?$/.exec(v);
  const body = m[1];
  const comment = m[2] ? `<span class="c">${escapeHtml(m[2])}</span>` : "";
  if (/^(["']).*\1$/.test(body)) return `<span class="s">${escapeHtml(body)}</span>${comment}`;
  if (/^(-?\d+(\.\d+)?|true|false|null|~)$/.test(body)) return `<span class="n">${escapeHtml(body)}</span>${comment}`;
  return escapeHtml(body) + comment;
}

export function highlightYamlLine(line) {
  if (line === "---") return '<span class="sep">---</span>';
  if (line.startsWith("# Source: ")) return `<span class="c src">${escapeHtml(line)}</span>`;
  if (/^\s*#/.test(line)) return `<span class="c">${escapeHtml(line)}</span>`;
  const m = /^(\s*(?:- )*)([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s.*|)$/.exec(line);
  if (m) {
    const rest = m[3];
    const lead = rest.match(/^\s*/)[0];
    return `${escapeHtml(m[1])}<span class="k">${escapeHtml(m[2])}</span>:${lead}${colourScalar(rest.slice(lead.length))}`;
  }
  const item = /^(\s*- )(.*)$/.exec(line);
  if (item) return escapeHtml(item[1]) + colourScalar(item[2]);
  return escapeHtml(line);
}
