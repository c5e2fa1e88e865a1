// A light code editor: a transparent <textarea> over a highlighted <pre> (same font metrics),
// with a line-number gutter, YAML and Go-template colouring, Tab/Enter indentation and an
// error underline at a line and column.

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

// Go-template actions ({{ ... }}, also across lines), their keywords, strings, variables and
// fields; YAML keys and comments outside them.
const TEMPLATE_WORDS = /\b(if|else|end|range|with|define|template|block|include|tpl|break|continue|and|or|not|eq|ne|lt|le|gt|ge|nil|true|false)\b/g;

function highlightAction(action) {
  let out = "";
  const re = /("(?:[^"\\]|\\.)*"|`[^`]*`|\$[A-Za-z0-9_]*|\.[A-Za-z0-9_.]+|\b[A-Za-z_][A-Za-z0-9_]*\b)|([^"`$.A-Za-z_]+|.)/g;
  let m;
  while ((m = re.exec(action))) {
    const tok = m[0];
    if (m[1]) {
      if (tok.startsWith('"') || tok.startsWith("`")) out += `<span class="s">${escapeHtml(tok)}</span>`;
      else if (tok.startsWith("$")) out += `<span class="v">${escapeHtml(tok)}</span>`;
      else if (tok.startsWith(".")) out += `<span class="f">${escapeHtml(tok)}</span>`;
      else if (TEMPLATE_WORDS.test(tok)) out += `<span class="kw">${escapeHtml(tok)}</span>`;
      else out += `<span class="fn">${escapeHtml(tok)}</span>`;
      TEMPLATE_WORDS.lastIndex = 0;
    } else out += escapeHtml(tok);
  }
  return out;
}

export function highlightTemplate(text) {
  const parts = text.split(/(\{\{[\s\S]*?\}\})/);
  return parts
    .map((part, i) => {
      if (i % 2) {
        if (/^\{\{-?\s*\/\*/.test(part)) return `<span class="t c">${escapeHtml(part)}</span>`;
        return `<span class="t">${highlightAction(part)}</span>`;
      }
      return part
        .split("\n")
        .map((line) => (/^\s*#/.test(line) ? `<span class="c">${escapeHtml(line)}</span>` : highlightYamlKeys(line)))
        .join("\n");
    })
    .join("");
}

function highlightYamlKeys(line) {
  const m = /^(\s*(?:- )*)([A-Za-z0-9_.\/-]+):(\s|$)/.exec(line);
  if (!m) return escapeHtml(line);
  return `${escapeHtml(m[1])}<span class="k">${escapeHtml(m[2])}</span>:${escapeHtml(line.slice(m[0].length - m[3].length))}`;
}

function highlight(text, mode) {
  if (text.length > HIGHLIGHT_LIMIT || mode === "plain") return escapeHtml(text);
  if (mode === "template") return highlightTemplate(text);
  return text.split("\n").map(highlightYamlLine).join("\n");
}

function lineCount(text) {
  return text === "" ? 1 : text.split("\n").length;
}

// The highlighted HTML with the error line replaced by an underlined, uncoloured copy.
function withError(text, html, mode, error) {
  const lines = text.split("\n");
  const n = error.line;
  if (!(n >= 1 && n <= lines.length)) return html;
  const htmlLines = mode === "template" ? null : html.split("\n");
  const line = lines[n - 1];
  const col = Math.min(Math.max((error.col || 1) - 1, 0), line.length);
  const marked =
    escapeHtml(line.slice(0, col)) +
    `<span class="err-mark" data-line="${n}" data-col="${col + 1}">${escapeHtml(line.slice(col) || " ")}</span>`;
  if (htmlLines) {
    htmlLines[n - 1] = marked;
    return htmlLines.join("\n");
  }
  // Templates are coloured across lines: rebuild with the error line uncoloured.
  const before = lines.slice(0, n - 1).join("\n");
  const after = lines.slice(n).join("\n");
  return (
    (n > 1 ? highlightTemplate(before) + "\n" : "") + marked + (n < lines.length ? "\n" + highlightTemplate(after) : "")
  );
}

export function editorFor(textarea, highlightEl, gutter) {
  let mode = "yaml";
  let error = null;

  function refresh() {
    const text = textarea.value;
    let html = highlight(text, mode);
    if (error) html = withError(text, html, mode, error);
    // A trailing newline in a <pre> adds no line box; a space keeps the heights equal.
    highlightEl.innerHTML = html + " ";
    const count = lineCount(text);
    let g = "";
    for (let i = 1; i <= count; i++) g += error && error.line === i ? `<span class="err-gutter">${i}</span>\n` : `${i}\n`;
    gutter.innerHTML = g;
    textarea.setAttribute("aria-invalid", String(Boolean(error)));
    sync();
  }

  function sync() {
    gutter.scrollTop = textarea.scrollTop;
    highlightEl.scrollTop = textarea.scrollTop;
    highlightEl.scrollLeft = textarea.scrollLeft;
  }

  function insertText(text) {
    // execCommand keeps the browser's undo stack; fall back to setRangeText.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input"));
    }
  }

  let tabMovesFocus = false;
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      tabMovesFocus = true;
      return;
    }
    if (event.key === "Tab" && !tabMovesFocus && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      insertText("  ");
    } else if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // Keep the current line's indentation (YAML is all about indentation).
      const { value, selectionStart } = textarea;
      const lineStart = value.lastIndexOf("\n", selectionStart - 1) + 1;
      const indent = /^[ ]*/.exec(value.slice(lineStart, selectionStart))[0];
      event.preventDefault();
      insertText("\n" + indent);
    }
    if (event.key !== "Tab") tabMovesFocus = false;
  });
  textarea.addEventListener("blur", () => (tabMovesFocus = false));
  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", sync);

  return {
    textarea,
    refresh,
    set(text, m) {
      mode = m;
      if (textarea.value !== text) textarea.value = text;
      textarea.scrollTop = 0;
      refresh();
    },
    setError(e) {
      const same = (e && error && e.line === error.line && e.col === error.col) || (!e && !error);
      error = e;
      if (!same) refresh();
    },
    goto(line, col) {
      const lines = textarea.value.split("\n");
      let pos = 0;
      for (let i = 0; i < Math.min(line - 1, lines.length); i++) pos += lines[i].length + 1;
      pos += Math.max(0, (col || 1) - 1);
      textarea.focus();
      textarea.setSelectionRange(pos, pos);
      const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, (line - 5) * lh);
      sync();
    },
  };
}
