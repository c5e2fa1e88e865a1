// chartroom page: UI thread. The renderer (Rust compiled to WebAssembly) runs in worker.js;
// this file owns the chart's files, the values layers and flags, the editors, the URL-hash
// state and the result views (manifests, lint, diff, notes).

import { highlightYamlLine, escapeHtml, HIGHLIGHT_LIMIT } from "./highlight.js";
import { createEditor } from "./cm.js";
import { loadTgz, filesFromFileList, filesFromDrop } from "./charts.js";
import { encodeState, decodeState, MAX_LINK } from "./share.js";
import { parseErrorLocation, excerptLocation, placeOf } from "./errors.js";

// The debounce follows the last render's time (30-200 ms): small charts preview at once, large
// ones do not queue a render per keystroke.
let debounceMs = 60;
const RENDER_TIMEOUT_MS = 10000;
const DEFAULT_RELEASE = "release-name";
const KUBE_VERSIONS = ["1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37"];

// One seed per page load, drawn from the browser's secure generator: generated passwords and
// keys stay the same while you type, and nobody can guess them.
const SEED = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

const $ = (id) => document.getElementById(id);
const els = {
  tabs: $("tabs"),
  layers: $("layers"),
  addLayer: $("add-layer"),
  setLines: $("set-lines"),
  filePath: $("file-path"),
  fileNote: $("file-note"),
  valuesWrap: $("editor"),
  fileWrap: $("file-editor-wrap"),
  viewer: $("viewer"),
  viewerCode: $("viewer-code"),
  release: $("release"),
  namespace: $("namespace"),
  kubeVersion: $("kube-version"),
  apiVersions: $("api-versions"),
  showOnly: $("show-only"),
  isUpgrade: $("is-upgrade"),
  includeCrds: $("include-crds"),
  output: $("output"),
  outputViewer: document.querySelector(".output-viewer"),
  command: $("command"),
  timing: $("timing"),
  diagnostics: $("diagnostics-text"),
  gotoError: $("goto-error"),
  errorPanel: $("error-panel"),
  errorText: $("error-text"),
  excerpt: $("excerpt"),
  status: $("status"),
  shareNote: $("share-note"),
  version: $("version"),
  copyLink: $("copy-link"),
  copyOutput: $("copy-output"),
  downloadOutput: $("download-output"),
  toggleAll: $("toggle-all"),
  search: $("search"),
  reset: $("reset"),
  example: $("example"),
  openTgz: $("open-tgz"),
  openDir: $("open-dir"),
  chartName: $("chart-name"),
  dropOverlay: $("drop-overlay"),
  lint: $("lint"),
  lintStrict: $("lint-strict"),
  lintSummary: $("lint-summary"),
  diff: $("diff"),
  diffBase: $("diff-base"),
  diffSummary: $("diff-summary"),
  notes: $("notes"),
  help: $("help"),
  helpDialog: $("help-dialog"),
  helpClose: $("help-close"),
};

const valuesEditor = createEditor($("values"), { label: "values.yaml", onChange: () => onValuesInput() });
const fileEditor = createEditor($("file-editor"), { label: "chart file", onChange: () => onFileInput() });

// ---------------------------------------------------------------------------------------------
// State.

const state = {
  chart: null, // { name, ref, files: {path: string|Uint8Array}, archive: Uint8Array|null }
  files: {}, // current files (edited copies)
  layers: [], // [{ name, text }]
  selected: { kind: "file", path: "values.yaml" },
  view: "manifests",
  error: null, // { kind, path | index, line, col } of the last render error ("Go to error")
  errors: [], // every place the last render error is underlined, that one first
};
let pendingShared = null; // a link's state waiting for its chart (opened from disk)

function defaultFlags() {
  return { release: DEFAULT_RELEASE, namespace: "", kubeVersion: "", apiVersions: "", showOnly: "", isUpgrade: false, includeCrds: false };
}

function readFlags() {
  return {
    release: els.release.value,
    namespace: els.namespace.value,
    kubeVersion: els.kubeVersion.value,
    apiVersions: els.apiVersions.value,
    showOnly: els.showOnly.value,
    isUpgrade: els.isUpgrade.checked,
    includeCrds: els.includeCrds.checked,
  };
}

function writeFlags(f) {
  els.release.value = f.release;
  els.namespace.value = f.namespace;
  els.kubeVersion.value = f.kubeVersion;
  els.apiVersions.value = f.apiVersions;
  els.showOnly.value = f.showOnly;
  els.isUpgrade.checked = f.isUpgrade;
  els.includeCrds.checked = f.includeCrds;
}

const list = (text) => text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
const setLines = () => els.setLines.value.split("\n").map((s) => s.trim()).filter((s) => s && !s.startsWith("#"));

function renderOptions({ layers = state.layers, withSet = true } = {}) {
  const f = readFlags();
  const o = {
    releaseName: f.release,
    values: layers.map((l) => l.text),
    valuesNames: layers.map((l) => l.name),
    seed: SEED,
  };
  if (f.namespace.trim()) o.namespace = f.namespace.trim();
  if (f.kubeVersion) o.kubeVersion = f.kubeVersion;
  if (list(f.apiVersions).length) o.apiVersions = list(f.apiVersions);
  if (list(f.showOnly).length) o.showOnly = list(f.showOnly);
  if (f.isUpgrade) o.isUpgrade = true;
  if (f.includeCrds) o.includeCrds = true;
  if (withSet && setLines().length) o.set = setLines();
  return o;
}

function filesChanged() {
  const a = state.chart.files;
  const b = state.files;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return true;
  return ka.some((k) => a[k] !== b[k]);
}

// What the worker renders: the original archive while nothing was edited (exactly what
// `helm template chart.tgz` reads), else the edited files.
function chartFilesForRender() {
  if (state.chart.archive && !filesChanged()) return { "chart.tgz": state.chart.archive };
  return state.files;
}

// ---------------------------------------------------------------------------------------------
// Worker.

let worker = null;
let workerReady = false;
let nextId = 1;
let latestId = 0; // newest run requested
let sentId = 0; // newest run sent to the worker
let doneId = 0; // newest run the worker finished
let resultId = 0; // newest run whose render result arrived
let pending = null;
let debounceTimer = 0;
let watchdog = 0;
let renders = 0;
let lastOutput = "";
let lastEditAt = 0;
let firstPreviewMs = 0;
let notice = "";

function startWorker() {
  workerReady = false;
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event) => onWorkerMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    replaceWorker(`the renderer failed: ${event.message || "unknown error"}`);
  };
  worker.postMessage({ type: "init" });
}

function replaceWorker(message, { retry = false } = {}) {
  clearTimeout(watchdog);
  if (worker) worker.terminate();
  worker = null;
  doneId = sentId;
  resultId = Math.max(resultId, sentId);
  showError(message, null);
  renders++;
  document.body.dataset.renders = String(renders);
  if (!retry) document.body.dataset.settled = "true";
  startWorker();
  if (retry) requestRender(0);
}

function armWatchdog() {
  clearTimeout(watchdog);
  if (sentId > doneId) {
    watchdog = setTimeout(() => {
      setStatus("Renderer stopped and restarted");
      replaceWorker(
        `rendering took longer than ${RENDER_TIMEOUT_MS / 1000} s and was stopped (a runaway template?). The page restarted the renderer; edit to try again.`,
      );
    }, RENDER_TIMEOUT_MS);
  }
}

function onWorkerMessage(msg) {
  switch (msg.type) {
    case "ready":
      workerReady = true;
      els.version.textContent = `chartroom ${msg.version} · wasm`;
      // How many workers generate RSA keys (web/keys.js); 0 where the browser gave none.
      document.body.dataset.keyWorkers = String(msg.keyWorkers ?? 0);
      flush();
      return;
    case "fatal":
      setStatus("Renderer restarted after an internal error");
      replaceWorker(`internal error: ${msg.error}`);
      return;
    case "progress":
      if (msg.id === latestId) {
        setStatus(msg.text);
        // Before the first result the output pane is empty: say it there too.
        if (renders === 0) els.diagnostics.textContent = msg.text;
        document.body.dataset.lastProgress = msg.text;
      }
      break;
    case "result":
      resultId = Math.max(resultId, msg.id);
      if (msg.id === latestId) showResult(msg);
      break;
    case "lint":
      if (msg.id === latestId) showLint(msg.result, msg.ms);
      break;
    case "diff":
      if (msg.id === latestId) showDiff(msg.result, msg.ms);
      break;
    case "done":
      doneId = Math.max(doneId, msg.id);
      break;
  }
  armWatchdog();
  flush();
}

// `data-settled` on <body> is "true" once the page shows the result of its newest request (no
// edit waiting for its debounce or its render): tests and external checks wait for it rather
// than for a state an older render may also have left.
function requestRender(delay = debounceMs) {
  clearTimeout(debounceTimer);
  document.body.dataset.settled = "false";
  debounceTimer = setTimeout(() => {
    debounceTimer = 0;
    const options = renderOptions();
    const req = { type: "run", id: nextId++, files: chartFilesForRender(), options };
    if (state.view === "lint") req.lint = { strict: els.lintStrict.checked, kubeVersions: [] };
    if (state.view === "diff") {
      const base = els.diffBase.value === "last" ? state.layers.slice(0, -1) : [];
      req.diff = { oldOptions: renderOptions({ layers: base, withSet: false }) };
    }
    pending = req;
    latestId = req.id;
    if (document.body.dataset.state !== "error") document.body.dataset.state = "pending";
    updateCommand();
    saveStateToHash();
    flush();
  }, delay);
}

// Sends the newest request once the previous render has answered (older edits are dropped;
// lint and diff of an older run are skipped by the worker when a newer run is waiting).
function flush() {
  if (!worker || !workerReady || !pending || resultId < sentId) return;
  const req = pending;
  pending = null;
  sentId = req.id;
  worker.postMessage(req);
  armWatchdog();
}

// ---------------------------------------------------------------------------------------------
// Results.

function showResult(msg) {
  renders++;
  document.body.dataset.renders = String(renders);
  if (msg.id === latestId && !pending && !debounceTimer) document.body.dataset.settled = "true";
  debounceMs = Math.min(200, Math.max(30, msg.ms));
  els.timing.textContent = `${msg.ms.toFixed(1)} ms`;
  els.notes.textContent = msg.notes || "(this chart has no NOTES.txt)";
  if (msg.ok) {
    lastOutput = msg.output;
    setOutput(msg.output);
    els.outputViewer.classList.remove("stale");
    document.body.dataset.state = "ok";
    const docs = msg.manifests;
    const rendered = `Rendered ${docs} manifest${docs === 1 ? "" : "s"} without errors.`;
    const warned = msg.warnings.length ? ` Warning: ${msg.warnings.join(" · ")}` : "";
    els.diagnostics.textContent = (notice || rendered) + warned;
    setStatus(`Rendered in ${msg.ms.toFixed(1)} ms`);
    setErrorLocation(null);
    els.errorPanel.hidden = true;
  } else {
    const text = msg.warnings.length ? `${msg.error}\n${msg.warnings.join("\n")}` : msg.error;
    showError(text, failureLocations(msg));
    showExplained(msg, text);
    setStatus("Render failed");
  }
  const now = performance.now();
  if (!firstPreviewMs) {
    firstPreviewMs = now;
    document.body.dataset.firstPreviewMs = now.toFixed(0);
  }
  if (lastEditAt) {
    document.body.dataset.editToPreviewMs = (now - lastEditAt).toFixed(0);
    lastEditAt = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// A failed render, explained (the worker renders a failed template or manifest step again with
// `explain`): the error panel shows Helm's text and the rendered lines around the failure, each
// linked to the template line that wrote it; the output shows the documents that did render and
// the failing template's output up to the failure, with the error inline.

// The error's places in the editor, the first being where "Go to error" goes. A template error
// names the failing action's line and column (the innermost of nested includes): that first,
// then the template line behind the rendered line where the output stopped (an include's call
// site) when it is in another file. A manifest's YAML error counts lines in the rendered text,
// so there the template line behind the failing rendered line replaces it.
function failureLocations(msg) {
  const named = parseErrorLocation(msg.error, state.chart.name, targetsForErrors());
  const origin = excerptLocation(msg.excerpt, state.chart.name, targetsForErrors());
  if (!origin) return named ? [named] : [];
  if (!named || msg.errorKind === "manifest") return [origin];
  const sameFile = named.kind === origin.kind && named.path === origin.path && named.index === origin.index;
  return sameFile ? [named] : [named, origin];
}

// A place in a template or values file as a button that opens it in the editor, or plain text
// when the page cannot open that file.
function placeLink(entry, cls = "") {
  const p = placeOf(entry, state.chart.name, targetsForErrors());
  if (!p.target) return `<code class="place ${cls}">${escapeHtml(p.label)}</code>`;
  return jumpButton(p.target, p.label, cls);
}

// A button that opens `target` ({ kind: "file", path } or { kind: "layer", index }, and line).
function jumpButton(t, text, cls = "") {
  const where = t.kind === "layer" ? `data-layer="${t.index}"` : `data-path="${escapeHtml(t.path)}"`;
  const label = escapeHtml(text);
  return `<button type="button" class="jump ${cls}" ${where} data-line="${t.line}" aria-label="Open ${label} in the editor" title="Open ${label} in the editor">${label}</button>`;
}

// An include/template chain, outermost first: `templates/labels.yaml:6 → templates/_helpers.tpl:4`.
function traceLinks(trace) {
  return trace.map((e, i) => placeLink(e, i === trace.length - 1 ? "primary" : "via")).join(' <span class="arrow" aria-hidden="true">→</span> ');
}

// The values key a printed value came from, and the line that sets it.
function valueLink(value) {
  if (!value) return "";
  const where = value.flag
    ? ` from <code>${escapeHtml(value.flag)}</code>`
    : value.file
      ? ` from ${placeLink({ file: value.file, line: value.line })}`
      : "";
  return `<span class="value-origin">value <code>${escapeHtml(value.key)}</code>${where}</span>`;
}

function showExplained(msg, text) {
  els.errorText.textContent = text;
  const ex = msg.excerpt;
  let html = "";
  if (ex && ex.lines.length) {
    const src = placeOf({ file: ex.source }, state.chart.name, targetsForErrors()).label;
    const rows = ex.lines.map((l) => {
      const o = l.origin;
      // The marked line shows its whole chain; the others only the line that wrote them.
      const origin = !o?.trace?.length ? "" : l.marked ? `written by ${traceLinks(o.trace)}` : placeLink(o.trace.at(-1), "primary");
      const value = o?.value ? ` ${valueLink(o.value)}` : "";
      return `<li class="x-line${l.marked ? " marked" : ""}"${l.marked ? ' aria-current="true"' : ""}><span class="x-no">${l.renderedLine}</span><code class="x-text">${escapeHtml(l.text)}</code><span class="x-origin">${origin}${value}</span></li>`;
    });
    const show = msg.partial.length || msg.failedTemplate ? ' <button type="button" class="small show-failed">Show in output</button>' : "";
    html = `<p class="x-head">Rendered <code>${escapeHtml(src)}</code> around the failure; each line links to the template line that wrote it.${show}</p><ol class="excerpt">${rows.join("")}</ol>`;
  }
  const rendered = msg.partial.length || msg.failedTemplate;
  if (!html) {
    // No excerpt (a values, chart or schema error): where Helm's text points, and what the
    // output below is.
    const e = state.error;
    const at = e ? `At ${jumpButton(e, `${e.kind === "layer" ? state.layers[e.index].name : e.path}:${e.line}`, "primary")}. ` : "";
    const before = !rendered && els.output.textContent ? "Nothing rendered: the output below is the last render's." : "";
    if (at || before) html = `<p class="x-note">${at}${before}</p>`;
  }
  els.excerpt.innerHTML = html;
  els.errorPanel.hidden = false;
  if (rendered) showFailedOutput(msg);
}

// #output on failure: the failing document first (right under the error panel: the failing
// template's output up to the failure, or the document whose YAML failed), then the documents
// that did render in Helm's order, each under its `---` and `# Source:` lines as on success
// (a document's text ends with a newline). The inline error note adds no text (its words are
// CSS-generated from data-error; the panel above has them all).
function showFailedOutput(msg) {
  const withNewline = (t) => (t && !t.endsWith("\n") ? `${t}\n` : t);
  const docs = msg.partial.map((d) => ({ source: d.source, text: d.text }));
  const marked = msg.excerpt?.lines?.find((l) => l.marked);
  if (msg.failedTemplate) docs.unshift({ source: msg.failedTemplate.source, text: msg.failedTemplate.text });
  else if (marked) {
    const i = docs.findIndex((d) => d.source === msg.excerpt.source && d.text.split("\n").includes(marked.text));
    if (i > 0) docs.unshift(...docs.splice(i, 1));
  }
  const text = docs.map((d) => `---\n# Source: ${d.source}\n${withNewline(d.text)}`).join("");
  lastOutput = text;
  setOutput(text);
  els.outputViewer.classList.remove("stale");
  markFailure(msg);
}

// Finds the failing document in #output (the first of its template's: the failing template's
// partial output, or the document that is not YAML, found by the excerpt's marked line),
// highlights the failing line and puts the error right after it.
function markFailure(msg) {
  const marked = msg.excerpt?.lines?.find((l) => l.marked) ?? null;
  const source = msg.failedTemplate?.source ?? msg.excerpt?.source;
  if (!source) return;
  const docs = [...els.output.querySelectorAll("details.doc")].filter((d) => d.dataset.source === source);
  const bodyOf = (d) => d.dataset.text.slice(d.dataset.text.indexOf("\n", 4) + 1);
  const lineIn = (lines) => {
    if (!marked) return -1;
    if (lines[marked.renderedLine - 1] === marked.text) return marked.renderedLine - 1;
    return lines.indexOf(marked.text);
  };
  let target = null;
  let index = -1;
  if (msg.failedTemplate) {
    target = docs[0] ?? null;
    if (target) {
      const lines = bodyOf(target).split("\n");
      index = lineIn(lines);
      if (index < 0) for (index = lines.length - 1; index > 0 && !lines[index].trim(); index--);
    }
  } else {
    for (const d of docs) {
      index = lineIn(bodyOf(d).split("\n"));
      if (index >= 0) {
        target = d;
        break;
      }
    }
  }
  if (!target || index < 0) return;
  const body = bodyOf(target);
  const lines = body.split("\n");
  const colour = body.length <= HIGHLIGHT_LIMIT;
  const first = msg.error.split("\n")[0];
  const note = `<span class="inline-error" role="note" aria-label="${escapeHtml(`Render error: ${first}`)}" data-error="${escapeHtml(first)}"></span>`;
  const parts = [];
  lines.forEach((l, i) => {
    const h = colour ? highlightYamlLine(l) : escapeHtml(l);
    parts.push(i === index ? `<span class="marked-line">${h}</span>` : h);
    if (i < lines.length - 1) parts.push("\n");
    if (i === index) parts.push(note);
  });
  target.querySelector("pre.doc-body").innerHTML = parts.join("");
  target.classList.add("failed");
  target.open = true;
}

function showFailedDocument() {
  const d = els.output.querySelector("details.doc.failed");
  if (!d) return;
  d.open = true;
  (d.querySelector(".inline-error") ?? d).scrollIntoView({ block: "center" });
  d.classList.add("flash");
  setTimeout(() => d.classList.remove("flash"), 1200);
}

// Opens a file or layer at a line: cursor there, scrolled to it, the line highlighted until the
// next edit or jump.
function jumpTo(target) {
  valuesEditor.clearJump();
  fileEditor.clearJump();
  if (target.kind === "layer") selectLayer(target.index);
  else selectFile(target.path);
  const ed = target.kind === "file" && target.path === "values.yaml" ? valuesEditor : fileEditor;
  ed.jump(target.line);
}

function onJumpClick(event) {
  const b = event.target.closest("button.jump");
  if (!b) return;
  const line = Number(b.dataset.line);
  if (b.dataset.layer !== undefined) jumpTo({ kind: "layer", index: Number(b.dataset.layer), line });
  else jumpTo({ kind: "file", path: b.dataset.path, line });
}

function showError(text, location) {
  els.errorPanel.hidden = true;
  document.body.dataset.state = "error";
  els.outputViewer.classList.add("stale");
  // What stays on screen (faded) is no longer this error's: drop an earlier failure's marks.
  for (const el of els.output.querySelectorAll(".inline-error")) el.remove();
  for (const el of els.output.querySelectorAll(".marked-line")) el.classList.remove("marked-line");
  for (const el of els.output.querySelectorAll("details.doc.failed")) el.classList.remove("failed");
  els.diagnostics.textContent = `Error: ${text}`;
  setErrorLocation(location);
}

function setStatus(text) {
  els.status.textContent = text;
}

function updateCommand() {
  const f = readFlags();
  const parts = ["helm template", f.release.trim() || DEFAULT_RELEASE, `./${state.chart.name}`];
  if (f.namespace.trim()) parts.push(`-n ${f.namespace.trim()}`);
  if (f.kubeVersion) parts.push(`--kube-version ${f.kubeVersion}`);
  for (const a of list(f.apiVersions)) parts.push(`--api-versions ${a}`);
  if (f.isUpgrade) parts.push("--is-upgrade");
  if (f.includeCrds) parts.push("--include-crds");
  for (const s of list(f.showOnly)) parts.push(`-s ${s}`);
  for (const l of state.layers) parts.push(`-f ${l.name}`);
  for (const s of setLines()) parts.push(`--set ${s}`);
  els.command.textContent = parts.join(" ");
}

// The rendered text split per resource: each "---\n# Source: ..." starts one. #output's text
// stays exactly helm template's stdout (the header lines are in the summaries; labels and
// buttons add no text).
function splitDocs(text) {
  const starts = [];
  const re = /^---\n# Source: /gm;
  let m;
  while ((m = re.exec(text))) starts.push(m.index);
  const docs = [];
  if (!starts.length || starts[0] > 0) docs.push({ head: "", body: text.slice(0, starts[0] ?? text.length) });
  starts.forEach((s, i) => {
    const chunk = text.slice(s, starts[i + 1] ?? text.length);
    const nl = chunk.indexOf("\n", 4);
    docs.push({ head: chunk.slice(4, nl < 0 ? chunk.length : nl), body: nl < 0 ? "" : chunk.slice(nl + 1) });
  });
  return docs;
}

function docLabel(body) {
  const kind = /^kind:\s*["']?([^"'\s]+)/m.exec(body)?.[1] ?? "";
  const name = /^metadata:\n(?:[ ]{2}.*\n|[ ]{4,}.*\n)*?[ ]{2}name:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(body)?.[1] ?? "";
  return kind || name ? `${kind}${name ? " " + name : ""}` : "";
}

let allCollapsed = false;

function setOutput(text) {
  const colour = text.length <= HIGHLIGHT_LIMIT;
  const frag = document.createDocumentFragment();
  for (const doc of splitDocs(text)) {
    if (!doc.head) {
      const pre = document.createElement("pre");
      pre.className = "doc-body";
      pre.textContent = doc.body;
      frag.append(pre);
      continue;
    }
    const details = document.createElement("details");
    details.className = "doc";
    details.open = !allCollapsed;
    const summary = document.createElement("summary");
    const label = docLabel(doc.body);
    summary.innerHTML =
      `<span class="sep">---</span><span class="nl">\n</span>` +
      `<span class="c src">${escapeHtml(doc.head)}</span><span class="nl">\n</span>`;
    const tag = document.createElement("span");
    tag.className = "res-label";
    tag.dataset.label = label;
    summary.append(tag);
    for (const [cls, aria] of [["copy-doc", "Copy this resource"], ["download-doc", "Download this resource"]]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = `icon ${cls}`;
      b.setAttribute("aria-label", aria);
      b.title = aria;
      summary.append(b);
    }
    const pre = document.createElement("pre");
    pre.className = "doc-body";
    if (colour) pre.innerHTML = doc.body.split("\n").map(highlightYamlLine).join("\n");
    else pre.textContent = doc.body;
    details.dataset.text = `---\n${doc.head}\n${doc.body}`;
    details.dataset.source = doc.head.replace(/^# Source: /, "");
    details.dataset.label = label;
    details.append(summary, pre);
    frag.append(details);
  }
  els.output.replaceChildren(frag);
  applySearch();
}

function applySearch() {
  const q = els.search.value.trim().toLowerCase();
  let shown = 0;
  let total = 0;
  for (const d of els.output.querySelectorAll("details.doc")) {
    total++;
    const match = !q || d.dataset.text.toLowerCase().includes(q);
    d.hidden = !match;
    d.classList.toggle("match", Boolean(q) && match);
    if (match) shown++;
  }
  $("count-manifests").textContent = q ? `${shown}/${total}` : String(total);
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function onOutputClick(event) {
  const button = event.target.closest("button.icon");
  if (!button) return;
  event.preventDefault(); // not a toggle of the <details>
  const details = button.closest("details.doc");
  const text = details.dataset.text;
  if (button.classList.contains("copy-doc")) copyText(button, text);
  else {
    const name = (details.dataset.label || "resource").replace(/[^A-Za-z0-9._-]+/g, "-").toLowerCase();
    download(`${name}.yaml`, text);
  }
}

// ---------------------------------------------------------------------------------------------
// Lint and diff views (they run only while shown: the schema packs load on first use).

function showLint(r, ms) {
  if (!r.ok) {
    els.lint.innerHTML = `<p class="err-text">${escapeHtml(`Lint could not run: ${r.error}`)}</p>`;
    els.lintSummary.textContent = "";
    $("count-lint").textContent = "!";
    return;
  }
  const s = r.summary;
  const n = (k, word) => `${k} ${word}${k === 1 ? "" : "s"}`;
  els.lintSummary.textContent = `${n(s.resources, "resource")} · ${n(s.errors, "error")} · ${n(s.warnings, "warning")} · ${n(s.infos, "info")} · ${ms.toFixed(0)} ms`;
  $("count-lint").textContent = String(s.errors + s.warnings);
  if (!r.findings.length) {
    els.lint.innerHTML = `<p class="ok-text">No findings: every manifest is valid for Kubernetes ${escapeHtml(els.kubeVersion.value || "1.37")}.</p>`;
    return;
  }
  const rows = r.findings.map((f) => {
    const res = [f.kind, f.name].filter(Boolean).join(" ");
    // The manifest's own template (`# Source:`) heads the trace; `file`/`line` are the template
    // line that wrote the offending rendered line.
    const source = f.trace?.[0]?.file ?? f.file;
    const where = `${source ?? ""}${f.document != null ? ` #${f.document}` : ""}`;
    const show = source ? ` <button type="button" class="small show-doc" data-file="${escapeHtml(source)}" data-document="${f.document ?? 0}">Show</button>` : "";
    const rendered =
      f.renderedText != null
        ? `<div class="rendered"><span class="x-no" title="rendered line">${f.renderedLine ?? ""}</span><code class="x-text">${escapeHtml(f.renderedText)}</code></div>`
        : "";
    const trace = f.trace ?? [];
    const origin = trace.length || f.value ? `<div class="origin">${trace.length ? `written by ${traceLinks(trace)}` : ""}${f.value ? ` ${valueLink(f.value)}` : ""}</div>` : "";
    return `<li class="finding sev-${f.severity}"><span class="sev">${f.severity}</span> <span class="rule">[${escapeHtml(f.rule)}]</span> <b>${escapeHtml(res)}</b> <code>${escapeHtml(f.path)}</code>${show}<div class="msg">${escapeHtml(f.message)}</div>${rendered}${origin}<div class="where muted">${escapeHtml(where)} · Kubernetes ${escapeHtml(f.kubeVersion)}</div></li>`;
  });
  els.lint.innerHTML = `<ul class="findings">${rows.join("")}</ul>`;
}

function showDiff(r, ms) {
  if (!r.ok) {
    els.diff.innerHTML = `<p class="err-text">${escapeHtml(`Diff could not run: ${r.error}`)}</p>`;
    $("count-diff").textContent = "!";
    return;
  }
  const s = r.summary;
  els.diffSummary.textContent = `${s.added} added · ${s.removed} removed · ${s.modified} modified · ${s.unchanged} unchanged · ${ms.toFixed(0)} ms`;
  $("count-diff").textContent = String(s.added + s.removed + s.modified);
  if (!r.changes.length) {
    els.diff.innerHTML = `<p class="ok-text">No changes: the layers and --set lines change no resource.</p>`;
    return;
  }
  els.diff.innerHTML = r.changes
    .map((c) => {
      const lines = c.diff
        .split("\n")
        .map((l) => {
          const cls = l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "hunk" : "";
          return cls ? `<span class="${cls}">${escapeHtml(l)}</span>` : escapeHtml(l);
        })
        .join("\n");
      const impact = c.impact.length ? `<div class="impact">${c.impact.map(escapeHtml).join(" · ")}</div>` : "";
      const values = c.values.length ? `<div class="muted">values: ${c.values.map(escapeHtml).join(", ")}</div>` : "";
      return `<details class="change change-${c.change}" open><summary><span class="badge">${c.change}</span> ${escapeHtml(c.kind)} ${escapeHtml(c.name)}${c.namespace ? ` <span class="muted">in ${escapeHtml(c.namespace)}</span>` : ""}</summary>${impact}${values}<pre class="code">${lines}</pre></details>`;
    })
    .join("");
}

// Opens the Manifests view at a template's n-th document (a lint finding's resource).
function showDocument(file, index) {
  selectView("manifests");
  els.search.value = "";
  applySearch();
  const docs = [...els.output.querySelectorAll("details.doc")].filter((d) => d.dataset.text.startsWith(`---\n# Source: ${file}\n`));
  const d = docs[index] ?? docs[0];
  if (!d) return;
  d.open = true;
  d.scrollIntoView({ block: "start" });
  d.classList.add("flash");
  setTimeout(() => d.classList.remove("flash"), 1200);
  d.querySelector("summary").focus();
}

function selectView(view) {
  state.view = view;
  for (const b of document.querySelectorAll(".out-tabs [role=tab]")) {
    const on = b.dataset.view === view;
    b.setAttribute("aria-selected", String(on));
    b.tabIndex = on ? 0 : -1;
    $(`panel-${b.dataset.view}`).hidden = !on;
  }
  const manifests = view === "manifests";
  for (const el of [els.search, els.toggleAll, els.copyOutput, els.downloadOutput]) el.hidden = !manifests;
  if (view === "lint" || view === "diff") requestRender(0);
}

// ---------------------------------------------------------------------------------------------
// Errors at their file, line and column.

function targetsForErrors() {
  return { files: state.files, layers: state.layers.map((l) => l.name) };
}

// `loc`: one place, a list of places (the first is where "Go to error" goes), or null.
function setErrorLocation(loc) {
  const all = Array.isArray(loc) ? loc : loc ? [loc] : [];
  state.error = all[0] ?? null;
  state.errors = all;
  els.gotoError.hidden = !all.length;
  for (const tab of document.querySelectorAll(".tab")) tab.classList.remove("has-error");
  for (const e of all) {
    const sel = e.kind === "layer" ? `.tab[data-layer="${e.index}"]` : `.tab[data-path="${CSS.escape(e.path)}"]`;
    document.querySelector(sel)?.classList.add("has-error");
  }
  refreshEditors();
}

function errorFor(kind, key) {
  for (const e of state.errors) {
    if (kind === "file" && e.kind === "file" && e.path === key) return e;
    if (kind === "layer" && e.kind === "layer" && e.index === key) return e;
  }
  return null;
}

function refreshEditors() {
  valuesEditor.setError(errorFor("file", "values.yaml"));
  const sel = state.selected;
  fileEditor.setError(sel.kind === "layer" ? errorFor("layer", sel.index) : errorFor("file", sel.path));
}

function gotoError() {
  const e = state.error;
  if (!e) return;
  if (e.kind === "layer") selectLayer(e.index);
  else selectFile(e.path);
  const ed = e.kind === "file" && e.path === "values.yaml" ? valuesEditor : fileEditor;
  ed.goto(e.line, e.col);
}

// ---------------------------------------------------------------------------------------------
// File list and values layers.

function isText(v) {
  return typeof v === "string";
}

function tabOrder(paths) {
  const rank = (p) =>
    p === "values.yaml" ? 0 : p === "Chart.yaml" ? 1 : p.startsWith("templates/") ? 2 : p.startsWith("charts/") ? 4 : 3;
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function buildTabs() {
  const frag = document.createDocumentFragment();
  for (const path of tabOrder(Object.keys(state.files))) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tab";
    tab.setAttribute("role", "tab");
    tab.dataset.path = path;
    tab.textContent = path;
    tab.title = path;
    tab.addEventListener("click", () => selectFile(path));
    frag.append(tab);
  }
  els.tabs.replaceChildren(frag);
  markModified();
}

function markModified() {
  for (const tab of els.tabs.children) {
    const p = tab.dataset.path;
    tab.classList.toggle("modified", state.files[p] !== state.chart.files[p]);
  }
}

function buildLayers() {
  const frag = document.createDocumentFragment();
  state.layers.forEach((layer, index) => {
    const row = document.createElement("div");
    row.className = "layer";
    const tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tab";
    tab.setAttribute("role", "tab");
    tab.dataset.layer = String(index);
    tab.textContent = `${index + 1}. ${layer.name}`;
    tab.title = `-f ${layer.name} (applied ${index + 1}${["st", "nd", "rd"][index] ?? "th"})`;
    tab.addEventListener("click", () => selectLayer(index));
    const rename = document.createElement("button");
    rename.type = "button";
    rename.className = "icon rename-layer";
    rename.setAttribute("aria-label", `Rename ${layer.name}`);
    rename.title = "Rename";
    rename.addEventListener("click", () => renameLayer(index));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon remove-layer";
    remove.setAttribute("aria-label", `Remove ${layer.name}`);
    remove.title = "Remove";
    remove.addEventListener("click", () => removeLayer(index));
    row.append(tab, rename, remove);
    frag.append(row);
  });
  if (!state.layers.length) {
    const p = document.createElement("p");
    p.className = "muted small-text";
    p.textContent = "None: add base, environment and cluster files, applied in order like -f.";
    frag.append(p);
  }
  els.layers.replaceChildren(frag);
  markSelected();
}

const LAYER_NAMES = ["base.yaml", "environment.yaml", "cluster.yaml"];
let nextLayerId = 1; // a layer's editor state survives renames and removals of others

function addLayer(name, text) {
  const used = new Set(state.layers.map((l) => l.name));
  let n = name || LAYER_NAMES.find((x) => !used.has(x));
  for (let i = state.layers.length + 1; !n || used.has(n); i++) n = `layer-${i}.yaml`;
  state.layers.push({ id: nextLayerId++, name: n, text: text ?? `# ${n}: values applied after the chart's values.yaml\n` });
  buildLayers();
  selectLayer(state.layers.length - 1);
  requestRender();
}

function renameLayer(index) {
  const layer = state.layers[index];
  const name = prompt("Values file name", layer.name);
  if (!name || !name.trim() || name.trim() === layer.name) return;
  layer.name = name.trim();
  buildLayers();
  requestRender();
}

function removeLayer(index) {
  state.layers.splice(index, 1);
  if (state.selected.kind === "layer") state.selected = { kind: "file", path: "values.yaml" };
  buildLayers();
  showSelected();
  requestRender();
}

function markSelected() {
  const sel = state.selected;
  for (const tab of document.querySelectorAll(".tab")) {
    const on = sel.kind === "layer" ? tab.dataset.layer === String(sel.index) : tab.dataset.path === sel.path;
    tab.setAttribute("aria-selected", String(on));
  }
}

function selectFile(path) {
  state.selected = { kind: "file", path };
  showSelected(true);
}

function selectLayer(index) {
  state.selected = { kind: "layer", index };
  showSelected(true);
}

function modeFor(path) {
  if (/(^|\/)templates\//.test(path) || path.endsWith(".tpl")) return "template";
  if (/\.ya?ml$/.test(path)) return "yaml";
  return "plain";
}

function showSelected(focus = false) {
  markSelected();
  const sel = state.selected;
  els.valuesWrap.hidden = true;
  els.fileWrap.hidden = true;
  els.viewer.hidden = true;
  els.fileNote.textContent = "";
  if (sel.kind === "layer") {
    const layer = state.layers[sel.index];
    els.filePath.textContent = `-f ${layer.name}`;
    els.fileNote.textContent = `values layer ${sel.index + 1} of ${state.layers.length}`;
    els.fileWrap.hidden = false;
    fileEditor.open(`layer:${layer.id}`, layer.text, "yaml");
    fileEditor.setLabel(`values layer ${layer.name}`);
    if (focus) fileEditor.focus();
  } else if (sel.path === "values.yaml") {
    els.filePath.textContent = "values.yaml";
    els.fileNote.textContent = "the chart's default values";
    els.valuesWrap.hidden = false;
    if (focus) valuesEditor.focus();
  } else {
    const content = state.files[sel.path];
    els.filePath.textContent = sel.path;
    if (isText(content)) {
      els.fileWrap.hidden = false;
      fileEditor.open(`file:${sel.path}`, content, modeFor(sel.path));
      fileEditor.setLabel(sel.path);
      els.fileNote.textContent = content !== state.chart.files[sel.path] ? "edited" : "";
      if (focus) fileEditor.focus();
    } else {
      els.viewer.hidden = false;
      els.viewerCode.textContent = `Binary file, ${content.length} bytes (a packaged subchart or other non-text file): not editable here.`;
    }
  }
  refreshEditors();
}

function onFileInput() {
  const sel = state.selected;
  const text = fileEditor.value;
  if (sel.kind === "layer") state.layers[sel.index].text = text;
  else {
    state.files[sel.path] = text;
    markModified();
    els.fileNote.textContent = text !== state.chart.files[sel.path] ? "edited" : "";
  }
  edited();
}

function onValuesInput() {
  state.files["values.yaml"] = valuesEditor.value;
  markModified();
  edited();
}

function edited() {
  notice = "";
  lastEditAt = performance.now();
  requestRender();
}

// ---------------------------------------------------------------------------------------------
// Charts in: the example, a .tgz or folder (picker or drop), ?chart=URL (same origin).

function setChart(chart) {
  state.chart = chart;
  state.files = { ...chart.files };
  fileEditor.forget();
  state.layers = [];
  state.selected = { kind: "file", path: "values.yaml" in chart.files ? "values.yaml" : "Chart.yaml" };
  els.chartName.textContent = chart.name;
  els.chartName.title = `The chart being rendered (${chart.ref})`;
  valuesEditor.set(isText(chart.files["values.yaml"]) ? chart.files["values.yaml"] : "", "yaml");
  els.search.value = "";
  for (const id of ["count-lint", "count-diff"]) $(id).textContent = "";
  els.lint.textContent = "";
  els.lintSummary.textContent = "";
  els.diff.textContent = "";
  els.diffSummary.textContent = "";
  buildTabs();
  buildLayers();
  showSelected();
}

async function loadExample() {
  const response = await fetch("example-chart.json");
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const json = await response.json();
  const files = { ...json.files };
  for (const [p, b64] of Object.entries(json.binary || {})) files[p] = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return { name: json.name, ref: "example", files, archive: null };
}

async function openChart(load, { applyPending = true } = {}) {
  setStatus("Opening the chart…");
  try {
    const chart = await load();
    setChart(chart);
    writeFlags(defaultFlags());
    els.setLines.value = "";
    notice = `Opened ${chart.name} (${Object.keys(chart.files).length} files).`;
    if (applyPending && pendingShared && pendingShared.chart === chart.ref) {
      applyShared(pendingShared);
      pendingShared = null;
      notice = `Opened ${chart.name} and applied the link's edits.`;
    }
    els.diagnostics.textContent = notice;
    requestRender(0);
  } catch (err) {
    showError(`could not open the chart: ${err.message}`, null);
    setStatus("Could not open the chart");
  }
}

function chartFromFiles(files, label) {
  const chartYaml = files["Chart.yaml"];
  if (typeof chartYaml !== "string") throw new Error(`${label} has no Chart.yaml at its top level`);
  const name = /^name:\s*["']?([^"'\s#]+)/m.exec(chartYaml)?.[1] ?? "chart";
  return name;
}

async function openTgzBytes(bytes, label) {
  const files = await loadTgz(bytes);
  const name = chartFromFiles(files, label);
  return { name, ref: `local:${name}`, files, archive: bytes };
}

async function openFolder(files, label) {
  const name = chartFromFiles(files, label);
  return { name, ref: `local:${name}`, files, archive: null };
}

async function chartFromQuery() {
  const param = new URLSearchParams(location.search).get("chart");
  if (!param) return null;
  const url = new URL(param, location.href);
  if (url.origin !== location.origin) {
    throw new Error(`?chart= must name a chart on this site (${location.origin}), not ${url.origin}`);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const chart = await openTgzBytes(bytes, url.pathname);
  chart.ref = `url:${url.pathname}${url.search}`;
  return chart;
}

function setupDrop() {
  let depth = 0;
  window.addEventListener("dragenter", (e) => {
    if (!e.dataTransfer || ![...e.dataTransfer.types].includes("Files")) return;
    depth++;
    els.dropOverlay.hidden = false;
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) els.dropOverlay.hidden = true;
  });
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", async (e) => {
    e.preventDefault();
    depth = 0;
    els.dropOverlay.hidden = true;
    const dropped = await filesFromDrop(e.dataTransfer);
    if (!dropped) return;
    if (dropped.kind === "tgz") openChart(() => openTgzBytes(dropped.bytes, dropped.name));
    else openChart(() => openFolder(dropped.files, dropped.name));
  });
}

// ---------------------------------------------------------------------------------------------
// Share: the state that differs from the chart, in the URL hash.

function currentShared() {
  const changed = {};
  for (const [p, v] of Object.entries(state.files)) {
    if (isText(v) && v !== state.chart.files[p]) changed[p] = v;
  }
  const f = readFlags();
  const d = defaultFlags();
  const flags = {};
  for (const k of Object.keys(d)) if (f[k] !== d[k]) flags[k] = f[k];
  return { chart: state.chart.ref, files: changed, layers: state.layers.map((l) => [l.name, l.text]), set: els.setLines.value, flags };
}

function isDefaultShared(s) {
  return !Object.keys(s.files).length && !s.layers.length && !s.set && !Object.keys(s.flags).length;
}

function applyShared(s) {
  for (const [p, v] of Object.entries(s.files || {})) if (typeof v === "string") state.files[p] = v;
  state.layers = (s.layers || []).map(([name, text]) => ({ id: nextLayerId++, name: String(name), text: String(text) }));
  writeFlags({ ...defaultFlags(), ...(s.flags || {}) });
  els.setLines.value = s.set || "";
  valuesEditor.set(isText(state.files["values.yaml"]) ? state.files["values.yaml"] : "", "yaml");
  buildTabs();
  buildLayers();
  showSelected();
}

let hashWrite = Promise.resolve();
let shareTooLarge = false;
function saveStateToHash() {
  const s = currentShared();
  hashWrite = hashWrite.then(async () => {
    let hash = "";
    shareTooLarge = false;
    if (!isDefaultShared(s)) {
      hash = "#" + (await encodeState(s));
      if (location.href.length - location.hash.length + hash.length > MAX_LINK) {
        shareTooLarge = true;
        els.shareNote.textContent = `Too large to share as a link (${Math.round(hash.length / 1024)} KB > ${MAX_LINK / 1024} KB): the address holds no state.`;
        hash = "";
      }
    }
    if (!shareTooLarge) els.shareNote.textContent = "";
    if (hash !== location.hash) history.replaceState(null, "", location.pathname + location.search + hash);
  });
  return hashWrite;
}

async function applyHash() {
  let s = null;
  try {
    s = await decodeState(location.hash);
  } catch (err) {
    notice = `Could not read the link (${err.message}); showing the chart's own files.`;
    els.diagnostics.textContent = notice;
    return;
  }
  if (!s) return;
  if (s.chart !== state.chart.ref) {
    pendingShared = s;
    notice = s.chart.startsWith("local:")
      ? `This link was made with the chart ${s.chart.slice(6)} opened from disk: open the same chart to apply its edits.`
      : `This link was made with another chart (${s.chart}).`;
    els.diagnostics.textContent = notice;
    return;
  }
  applyShared(s);
}

// ---------------------------------------------------------------------------------------------

async function copyText(button, text) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.classList.add("done");
    if (label) button.textContent = "Copied";
  } catch {
    if (label) button.textContent = "Copy failed";
  }
  setTimeout(() => {
    if (label) button.textContent = label;
    button.classList.remove("done");
  }, 1200);
}

function resetAll() {
  setChart(state.chart);
  writeFlags(defaultFlags());
  els.setLines.value = "";
  requestRender(0);
}

function shortcuts(e) {
  const inEditor =
    e.target instanceof HTMLTextAreaElement ||
    e.target instanceof HTMLInputElement ||
    e.target instanceof HTMLSelectElement ||
    Boolean(e.target.closest && e.target.closest(".cm-host"));
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    e.preventDefault();
    requestRender(0);
  } else if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-4]$/.test(e.code)) {
    e.preventDefault();
    selectView(["manifests", "lint", "diff", "notes"][Number(e.code.slice(5)) - 1]);
  } else if (e.altKey && e.code === "KeyE") {
    e.preventDefault();
    (els.valuesWrap.hidden ? fileEditor : valuesEditor).focus();
  } else if (e.altKey && e.code === "KeyO") {
    e.preventDefault();
    els.openTgz.click();
  } else if (e.altKey && e.code === "KeyL") {
    e.preventDefault();
    els.copyLink.click();
  } else if (e.altKey && e.code === "KeyN") {
    e.preventDefault();
    addLayer();
  } else if (!inEditor && e.key === "/") {
    e.preventDefault();
    selectView("manifests");
    els.search.focus();
  } else if (!inEditor && e.key === "?") {
    e.preventDefault();
    els.helpDialog.showModal();
  }
}

async function main() {
  // The worker compiles the WebAssembly module while the chart loads.
  startWorker();
  for (const v of KUBE_VERSIONS) {
    const o = document.createElement("option");
    o.value = `${v}.0`;
    o.textContent = v;
    els.kubeVersion.append(o);
  }
  const def = document.createElement("option");
  def.value = "";
  def.textContent = "default (1.37)";
  els.kubeVersion.prepend(def);
  els.kubeVersion.value = "";

  try {
    const fromQuery = await chartFromQuery();
    setChart(fromQuery ?? (await loadExample()));
  } catch (err) {
    try {
      setChart(await loadExample());
      notice = `Could not load the chart from the address: ${err.message}. Showing the example.`;
      els.diagnostics.textContent = notice;
    } catch (err2) {
      showError(`could not load the example chart: ${err2.message}`, null);
      return;
    }
  }
  await applyHash();
  updateCommand();

  for (const el of [els.release, els.namespace, els.apiVersions, els.showOnly, els.setLines]) el.addEventListener("input", edited);
  for (const el of [els.kubeVersion, els.isUpgrade, els.includeCrds, els.lintStrict, els.diffBase]) el.addEventListener("change", edited);
  els.addLayer.addEventListener("click", () => addLayer());
  els.output.addEventListener("click", onOutputClick);
  els.lint.addEventListener("click", (e) => {
    const b = e.target.closest("button.show-doc");
    if (b) showDocument(b.dataset.file, Number(b.dataset.document));
    onJumpClick(e);
  });
  els.errorPanel.addEventListener("click", (e) => {
    if (e.target.closest("button.show-failed")) showFailedDocument();
    onJumpClick(e);
  });
  els.search.addEventListener("input", applySearch);
  els.toggleAll.addEventListener("click", () => {
    allCollapsed = !allCollapsed;
    for (const d of els.output.querySelectorAll("details.doc")) d.open = !allCollapsed;
    els.toggleAll.textContent = allCollapsed ? "Expand all" : "Collapse all";
  });
  els.copyOutput.addEventListener("click", () => copyText(els.copyOutput, lastOutput));
  els.downloadOutput.addEventListener("click", () => download(`${state.chart.name}.yaml`, lastOutput));
  els.copyLink.addEventListener("click", async () => {
    await saveStateToHash();
    if (shareTooLarge) {
      els.copyLink.textContent = "Too large";
      setTimeout(() => (els.copyLink.textContent = "Copy link"), 1500);
      return;
    }
    copyText(els.copyLink, location.href);
  });
  els.reset.addEventListener("click", resetAll);
  els.example.addEventListener("click", () => {
    history.replaceState(null, "", location.pathname);
    openChart(loadExample, { applyPending: false });
  });
  els.gotoError.addEventListener("click", gotoError);
  els.openTgz.addEventListener("change", () => {
    const file = els.openTgz.files[0];
    if (file) openChart(async () => openTgzBytes(new Uint8Array(await file.arrayBuffer()), file.name));
    els.openTgz.value = "";
  });
  els.openDir.addEventListener("change", () => {
    const picked = [...els.openDir.files];
    if (picked.length) openChart(async () => openFolder(await filesFromFileList(picked), picked[0].webkitRelativePath.split("/")[0]));
    els.openDir.value = "";
  });
  for (const b of document.querySelectorAll(".out-tabs [role=tab]")) b.addEventListener("click", () => selectView(b.dataset.view));
  els.help.addEventListener("click", () => els.helpDialog.showModal());
  els.helpClose.addEventListener("click", () => els.helpDialog.close());
  document.addEventListener("keydown", shortcuts);
  window.addEventListener("hashchange", async () => {
    await applyHash();
    requestRender(0);
  });
  setupDrop();

  setStatus("Loading the renderer…");
  requestRender(0);
}

main();
