// chartroom page: the worker that owns the WebAssembly renderer.
//
// Page -> worker: {type: "init"}; {type: "run", id, files, options, lint?, diff?}.
// Worker -> page: {type: "ready", version}; {type: "result", id, ...render}; then, unless a newer
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

import init, { diff, lint, loadSchemaPacks, render, schemaPackFiles, version } from "./pkg/chartroom_wasm.js";

const ready = init();
let latest = 0; // id of the newest run received
let queued = null; // newest run not started yet (older queued runs are dropped)
let running = false;
const packsLoaded = new Set();

const post = (msg) => self.postMessage(msg);
// Lets messages that arrived during a long step be delivered before the next step.
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));
const errText = (err) => String(err && err.message ? err.message : err);

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    ready.then(
      () => post({ type: "ready", version: version() }),
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
  const r = render(files, options);
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
