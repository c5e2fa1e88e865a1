// chartroom page: the worker that owns the WebAssembly renderer.
//
// Page -> worker: {type: "init"}; {type: "run", id, files, options, lint?, diff?}.
// Worker -> page: {type: "ready", version, keyWorkers}; {type: "progress", id, text} while a
// render generates keys; {type: "result", id, ...render}; then, unless a newer
// run arrived meanwhile (stale work is dropped), {type: "lint", id, ...} and {type: "diff", id,
// ...} when asked for; always {type: "done", id} last. A failed template or manifest step is
// rendered again with `explain` (provenance costs 0-25% of a render, so the first render goes
// without it): the result then also carries `partial` (the documents that did render),
// `excerpt` (the rendered lines around the failure with the template line behind each) and
// `failedTemplate` (the failing template's output up to the failure). A trap inside WebAssembly (a Rust panic)
// is reported as {type: "fatal"}; the page then replaces this worker. A runaway template never
// answers: the page terminates the worker after its timeout.
//
// The Kubernetes schema packs lint needs are fetched from ./packs/ the first time lint runs for
// a version (the wasm module does not carry them).
//
// Renders are seeded (one seed per page load), and the RSA keys a render generates are made on
// key workers (keys.js: the prime search spread over the cores, as the native CLI spreads it
// over threads); without them (a browser that refuses nested workers) renders run here alone.

import * as chartroom from "./pkg/chartroom_wasm.js";
import { KeyWorkers, renderWithKeys } from "./keys.js";

const { diff, lint, loadSchemaPacks, render, schemaPackFiles, version } = chartroom;
let keyWorkers = null;
const ready = (async () => {
  const response = await fetch(new URL("./pkg/chartroom_wasm_bg.wasm", import.meta.url));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const module = await WebAssembly.compile(await response.arrayBuffer());
  await chartroom.default({ module_or_path: module });
  try {
    const glue = new URL("./pkg/chartroom_wasm.js", import.meta.url).href;
    keyWorkers = await KeyWorkers.create({ module, glue });
  } catch {
    keyWorkers = null;
  }
})();
let latest = 0; // id of the newest run received
let queued = null; // newest run not started yet (older queued runs are dropped)
let running = false;
const packsLoaded = new Set();

const post = (msg) => self.postMessage(msg);
// Lets messages that arrived during a long step be delivered before the next step.
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));
const errText = (err) => String(err && err.message ? err.message : err);

// The module's first renders run V8's baseline code while it compiles the hot functions
// optimised in the background. While the worker is idle after loading (the page still fetching
// a chart, a person looking at the example), it renders its own warm-up chart
// (web/warm-up-chart: helpers, tpl, toYaml, a subchart, a schema, a large document, packaged)
// a few times, one render per idle turn, stopping as soon as a run arrives: measured in
// Chromium, argo-events' first render went from 3-4x native to ~1x after a rich warm-up, and
// the example chart alone was too small to have that effect. scripts/bench-browser.mjs does
// the same before it measures.
const WARM_UP_RENDERS = 3;
async function warmUp() {
  let bytes;
  try {
    const response = await fetch(new URL("./warm-up.tgz", import.meta.url));
    if (!response.ok) return;
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch {
    return; // (Only a warm-up.)
  }
  for (let i = 0; i < WARM_UP_RENDERS; i++) {
    await yieldToMessages();
    if (running || queued) return;
    render({ "warm-up.tgz": bytes }, { values: [`warmUpRound: ${i}\n`] });
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    ready.then(
      () => {
        post({ type: "ready", version: version(), keyWorkers: keyWorkers ? keyWorkers.size : 0 });
        warmUp();
      },
      (err) => post({ type: "fatal", error: `could not load the WebAssembly module: ${errText(err)}` }),
    );
  } else if (msg.type === "run") {
    latest = msg.id;
    queued = msg;
    if (!running) pump();
  }
};

async function pump() {
  running = true;
  try {
    while (queued) {
      const msg = queued;
      queued = null;
      await run(msg);
    }
  } catch (err) {
    post({ type: "fatal", error: errText(err) });
  } finally {
    running = false;
  }
}

async function ensurePacks(kubeVersion) {
  const names = schemaPackFiles(kubeVersion || undefined).filter((n) => !packsLoaded.has(n));
  if (!names.length) return;
  const packs = {};
  for (const name of names) {
    const response = await fetch(new URL(`./packs/${name}`, import.meta.url));
    if (!response.ok) throw new Error(`could not fetch the schema pack ${name}: HTTP ${response.status}`);
    packs[name] = new Uint8Array(await response.arrayBuffer());
  }
  loadSchemaPacks(packs);
  for (const name of names) packsLoaded.add(name);
}

async function run(msg) {
  await ready;
  const { id, files, options } = msg;
  const t0 = performance.now();
  // A chart's first render may generate keys for a second or two: the page says so.
  const onKeys = (n) => post({ type: "progress", id, text: `Generating ${n} RSA key${n === 1 ? "" : "s"}…` });
  const r = await renderWithKeys(chartroom, files, options, keyWorkers, { onKeys });
  let explained = null;
  if (!r.ok && (r.errorKind === "template" || r.errorKind === "manifest")) {
    const e = render(files, { ...options, explain: true });
    // (A module without the option answers with a usage error: then there is nothing to add.)
    if (!e.ok && e.errorKind !== "usage") explained = e;
  }
  post({
    type: "result",
    id,
    ok: Boolean(r.ok),
    output: String(r.output ?? ""),
    error: String(r.error ?? ""),
    errorKind: r.errorKind ?? null,
    warnings: Array.isArray(r.warnings) ? r.warnings.map(String) : [],
    manifests: Array.isArray(r.manifests) ? r.manifests.length : 0,
    notes: typeof r.notes === "string" ? r.notes : "",
    partial: explained ? explained.manifests.map((m) => ({ source: m.source, document: m.document, text: m.text })) : [],
    excerpt: explained?.excerpt ?? null,
    failedTemplate: explained?.failedTemplate ?? null,
    ms: performance.now() - t0,
  });
  if (msg.lint) {
    await yieldToMessages();
    if (id !== latest) return post({ type: "done", id });
    const t1 = performance.now();
    try {
      const kube = msg.lint.kubeVersions?.[0] ?? options.kubeVersion;
      await ensurePacks(kube);
      const l = lint(files, { ...options, strict: Boolean(msg.lint.strict), kubeVersions: msg.lint.kubeVersions ?? [] });
      post({ type: "lint", id, result: l, ms: performance.now() - t1 });
    } catch (err) {
      post({ type: "lint", id, result: { ok: false, error: errText(err), findings: [], summary: null }, ms: 0 });
    }
  }
  if (msg.diff) {
    await yieldToMessages();
    if (id !== latest) return post({ type: "done", id });
    const t2 = performance.now();
    const d = diff(files, msg.diff.oldOptions, options, msg.diff.diffOptions);
    post({ type: "diff", id, result: d, ms: performance.now() - t2 });
  }
  post({ type: "done", id });
}
