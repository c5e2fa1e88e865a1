// chartroom playground: UI thread. The renderer (Rust compiled to WebAssembly) runs in
// worker.js; this file owns the editor, the URL-hash state and the output pane.

const DEBOUNCE_MS = 150;
const RENDER_TIMEOUT_MS = 10000;
const HIGHLIGHT_LIMIT = 400000; // characters; beyond this the output is shown uncoloured
const DEFAULT_RELEASE = "release-name";

const $ = (id) => document.getElementById(id);
const els = {
  tabs: $("tabs"),
  editor: $("editor"),
  values: $("values"),
  valuesHighlight: $("values-highlight"),
  valuesGutter: $("values-gutter"),
  viewer: $("viewer"),
  viewerCode: $("viewer-code"),
  viewerGutter: $("viewer-gutter"),
  release: $("release"),
  output: $("output"),
  outputGutter: $("output-gutter"),
  outputViewer: document.querySelector(".output-viewer"),
  command: $("command"),
  timing: $("timing"),
  diagnostics: $("diagnostics-text"),
  status: $("status"),
  version: $("version"),
  copyLink: $("copy-link"),
  copyOutput: $("copy-output"),
  reset: $("reset"),
};

let chart = null; // { name, files: {path: text}, binary: {path: base64} }
let worker = null;
let workerReady = false;
let nextId = 1;
let latestId = 0; // id of the newest request sent
let inflight = null; // { id, timer }
let pending = null; // newest request not yet sent because one is in flight
let debounceTimer = 0;
let renders = 0;
let lastOutput = "";
let notice = ""; // shown instead of the success message until the next edit

// ---------------------------------------------------------------------------------------------
// URL hash state: JSON {v: values, r: release}, deflate-raw compressed, base64url encoded.
// "#s=..." is compressed; "#u=..." is the uncompressed fallback for browsers without
// CompressionStream. An empty hash means the chart's own values.

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

async function pipeThrough(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (typeof CompressionStream === "function") {
    try {
      return "s=" + toBase64Url(await pipeThrough(json, new CompressionStream("deflate-raw")));
    } catch {
      // fall through to the uncompressed form
    }
  }
  return "u=" + toBase64Url(json);
}

async function decodeState(hash) {
  const text = hash.replace(/^#/, "");
  if (!text) return null;
  const [kind, payload] = [text.slice(0, 2), text.slice(2)];
  let bytes = fromBase64Url(payload);
  if (kind === "s=") {
    bytes = await pipeThrough(bytes, new DecompressionStream("deflate-raw"));
  } else if (kind !== "u=") {
    throw new Error("unrecognised link format");
  }
  const state = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof state !== "object" || state === null || typeof state.v !== "string") {
    throw new Error("link does not contain values");
  }
  return { values: state.v, release: typeof state.r === "string" ? state.r : DEFAULT_RELEASE };
}

let hashWrite = Promise.resolve();
function saveStateToHash() {
  const values = els.values.value;
  const release = els.release.value;
  hashWrite = hashWrite.then(async () => {
    const isDefault = values === chart.files["values.yaml"] && release === DEFAULT_RELEASE;
    const hash = isDefault ? "" : "#" + (await encodeState({ v: values, r: release }));
    if (hash !== location.hash) {
      const url = location.pathname + location.search + hash;
      history.replaceState(null, "", url);
    }
  });
  return hashWrite;
}

// ---------------------------------------------------------------------------------------------
// Rendering through the worker.

function startWorker() {
  workerReady = false;
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event) => onWorkerMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    crashed(`the renderer failed to start: ${event.message || "unknown error"}`);
  };
  worker.postMessage({ type: "init", files: chart.files, binary: chart.binary });
}

function crashed(message) {
  if (inflight) clearTimeout(inflight.timer);
  inflight = null;
  pending = null;
  if (worker) worker.terminate();
  worker = null;
  workerReady = false;
  showError(`internal error: ${message}`);
  setStatus("Renderer restarted after an internal error");
  startWorker();
}

function onWorkerMessage(msg) {
  if (msg.type === "ready") {
    workerReady = true;
    els.version.textContent = `chartroom ${msg.version} · wasm`;
    flush();
    return;
  }
  if (msg.type === "fatal") {
    crashed(msg.error);
    return;
  }
  if (msg.type !== "result") return;
  if (inflight && inflight.id === msg.id) {
    clearTimeout(inflight.timer);
    inflight = null;
  }
  if (msg.id === latestId) showResult(msg);
  flush();
}

function requestRender() {
  clearTimeout(debounceTimer);
  debounceTimer = setTimeout(() => {
    pending = {
      type: "render",
      id: nextId++,
      values: els.values.value,
      release: els.release.value,
    };
    latestId = pending.id;
    document.body.dataset.state = document.body.dataset.state === "error" ? "error" : "pending";
    updateCommand();
    saveStateToHash();
    flush();
  }, DEBOUNCE_MS);
}

// Sends the newest pending request when the worker is idle (older edits are dropped).
function flush() {
  if (!worker || !workerReady || inflight || !pending) return;
  const req = pending;
  pending = null;
  inflight = {
    id: req.id,
    timer: setTimeout(
      () => crashed(`rendering took longer than ${RENDER_TIMEOUT_MS / 1000} s and was stopped`),
      RENDER_TIMEOUT_MS,
    ),
  };
  worker.postMessage(req);
}

function showResult(msg) {
  renders++;
  document.body.dataset.renders = String(renders);
  els.timing.textContent = `${msg.ms.toFixed(1)} ms`;
  if (msg.ok) {
    lastOutput = msg.output;
    setOutput(msg.output);
    els.outputViewer.classList.remove("stale");
    document.body.dataset.state = "ok";
    const docs = msg.manifests;
    const rendered = `Rendered ${docs} manifest${docs === 1 ? "" : "s"} without errors.`;
    // Warnings (what Helm logs, what chartroom cannot check offline) are never hidden.
    const warned = msg.warnings.length ? ` Warning: ${msg.warnings.join(" · ")}` : "";
    els.diagnostics.textContent = (notice || rendered) + warned;
    setStatus(`Rendered in ${msg.ms.toFixed(1)} ms`);
  } else {
    showError(msg.warnings.length ? `${msg.error}\n${msg.warnings.join("\n")}` : msg.error);
    setStatus("Render failed");
  }
}

function showError(text) {
  document.body.dataset.state = "error";
  els.outputViewer.classList.add("stale");
  els.diagnostics.textContent = `Error: ${text}`;
}

function setStatus(text) {
  els.status.textContent = text;
}

function updateCommand() {
  const release = els.release.value.trim() || DEFAULT_RELEASE;
  els.command.textContent = `helm template ${release} ./${chart.name} -f values.yaml`;
}

// ---------------------------------------------------------------------------------------------
// Output: light YAML colouring, line numbers.

function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function colourScalar(v) {
  if (v === "") return "";
  const m = /^(.*?)(\s+#.*)?$/.exec(v);
  const body = m[1];
  const comment = m[2] ? `<span class="c">${escapeHtml(m[2])}</span>` : "";
  if (/^(["']).*\1$/.test(body)) return `<span class="s">${escapeHtml(body)}</span>${comment}`;
  if (/^(-?\d+(\.\d+)?|true|false|null|~)$/.test(body)) {
    return `<span class="n">${escapeHtml(body)}</span>${comment}`;
  }
  return escapeHtml(body) + comment;
}

function highlightLine(line) {
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

// Template files: colour the {{ actions }} (and YAML comments outside them).
function highlightTemplate(text) {
  return text
    .split("\n")
    .map((line) => {
      if (/^\s*#/.test(line)) return `<span class="c">${escapeHtml(line)}</span>`;
      return line
        .split(/(\{\{.*?\}\})/)
        .map((part, i) => (i % 2 ? `<span class="t">${escapeHtml(part)}</span>` : escapeHtml(part)))
        .join("");
    })
    .join("\n");
}

function lineNumbers(text) {
  const count = text === "" ? 1 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  let s = "";
  for (let i = 1; i <= count; i++) s += i + "\n";
  return s;
}

function setOutput(text) {
  els.output.dataset.raw = "1";
  if (text.length <= HIGHLIGHT_LIMIT) {
    els.output.innerHTML = text.split("\n").map(highlightLine).join("\n");
  } else {
    els.output.textContent = text;
  }
  els.outputGutter.textContent = lineNumbers(text);
}

// Keep a gutter aligned with the scroll position of its text.
function syncGutter(scroller, gutter) {
  scroller.addEventListener("scroll", () => {
    gutter.scrollTop = scroller.scrollTop;
  });
}

// ---------------------------------------------------------------------------------------------
// Chart file tabs: values.yaml is editable, the other files are shown read-only.

function tabOrder(paths) {
  const rank = (p) =>
    p === "values.yaml" ? 0 : p === "Chart.yaml" ? 1 : p.startsWith("templates/") ? 2 : 3;
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function buildTabs() {
  els.tabs.textContent = "";
  for (const path of tabOrder(Object.keys(chart.files))) {
    const tab = document.createElement("button");
    tab.type = "button";
    tab.className = "tab";
    tab.role = "tab";
    tab.dataset.path = path;
    tab.textContent = path.replace(/^templates\//, "");
    tab.title = path;
    if (path === "values.yaml") {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "edit";
      tab.append(badge);
    }
    tab.addEventListener("click", () => selectTab(path));
    els.tabs.append(tab);
  }
  selectTab("values.yaml");
}

function selectTab(path) {
  for (const tab of els.tabs.children) {
    tab.setAttribute("aria-selected", String(tab.dataset.path === path));
  }
  const editing = path === "values.yaml";
  els.editor.hidden = !editing;
  els.viewer.hidden = editing;
  if (editing) {
    els.values.focus({ preventScroll: true });
  } else {
    const text = chart.files[path] ?? "";
    if (path.startsWith("templates/") && text.length <= HIGHLIGHT_LIMIT) {
      els.viewerCode.innerHTML = highlightTemplate(text);
    } else if (/\.ya?ml$/.test(path) && text.length <= HIGHLIGHT_LIMIT) {
      els.viewerCode.innerHTML = text.split("\n").map(highlightLine).join("\n");
    } else {
      els.viewerCode.textContent = text;
    }
    els.viewerGutter.textContent = lineNumbers(text);
    els.viewerCode.scrollTop = 0;
    els.viewerGutter.scrollTop = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Editor behaviour.

function refreshValuesGutter() {
  const text = els.values.value;
  els.valuesGutter.textContent = lineNumbers(text);
  // A trailing newline in a <pre> adds no line box; a space keeps the heights equal.
  els.valuesHighlight.innerHTML =
    text.length <= HIGHLIGHT_LIMIT
      ? text.split("\n").map(highlightLine).join("\n") + " "
      : escapeHtml(text) + " ";
  syncEditorScroll();
}

function syncEditorScroll() {
  els.valuesGutter.scrollTop = els.values.scrollTop;
  els.valuesHighlight.scrollTop = els.values.scrollTop;
  els.valuesHighlight.scrollLeft = els.values.scrollLeft;
}

function insertText(text) {
  // execCommand keeps the browser's undo stack; fall back to setRangeText.
  if (!document.execCommand || !document.execCommand("insertText", false, text)) {
    els.values.setRangeText(text, els.values.selectionStart, els.values.selectionEnd, "end");
    els.values.dispatchEvent(new Event("input"));
  }
}

function onEditorKey(event) {
  if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    insertText("  ");
  } else if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
    // Keep the current line's indentation (YAML is all about indentation).
    const { value, selectionStart } = els.values;
    const lineStart = value.lastIndexOf("\n", selectionStart - 1) + 1;
    const indent = /^[ ]*/.exec(value.slice(lineStart, selectionStart))[0];
    event.preventDefault();
    insertText("\n" + indent);
  }
}

async function copyText(button, text) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed";
  }
  button.classList.add("done");
  setTimeout(() => {
    button.textContent = label;
    button.classList.remove("done");
  }, 1200);
}

async function applyHash() {
  try {
    const state = await decodeState(location.hash);
    els.values.value = state ? state.values : chart.files["values.yaml"];
    els.release.value = state ? state.release : DEFAULT_RELEASE;
  } catch (err) {
    els.values.value = chart.files["values.yaml"];
    els.release.value = DEFAULT_RELEASE;
    notice = `Could not read the link (${err.message}); showing the chart's own values.`;
    els.diagnostics.textContent = notice;
  }
  refreshValuesGutter();
}

// ---------------------------------------------------------------------------------------------

async function main() {
  try {
    const response = await fetch("example-chart.json");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    chart = await response.json();
  } catch (err) {
    showError(`could not load the example chart: ${err.message}`);
    return;
  }
  buildTabs();
  await applyHash();
  updateCommand();

  els.values.addEventListener("input", () => {
    notice = "";
    refreshValuesGutter();
    requestRender();
  });
  els.values.addEventListener("keydown", onEditorKey);
  els.release.addEventListener("input", () => {
    notice = "";
    requestRender();
  });
  els.values.addEventListener("scroll", syncEditorScroll);
  syncGutter(els.viewerCode, els.viewerGutter);
  syncGutter(els.output, els.outputGutter);
  els.copyOutput.addEventListener("click", () => copyText(els.copyOutput, lastOutput));
  els.copyLink.addEventListener("click", async () => {
    await saveStateToHash();
    copyText(els.copyLink, location.href);
  });
  els.reset.addEventListener("click", () => {
    els.values.value = chart.files["values.yaml"];
    els.release.value = DEFAULT_RELEASE;
    refreshValuesGutter();
    requestRender();
  });
  window.addEventListener("hashchange", async () => {
    await applyHash();
    requestRender();
  });

  setStatus("Loading the renderer…");
  startWorker();
  requestRender();
}

main();
