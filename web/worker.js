// chartroom playground: render worker. Loads the WebAssembly renderer and answers
// {type: "render", id, values, release} with
// {type: "result", id, ok, output, error, warnings, manifests, ms}.
// A trap inside WebAssembly (a Rust panic) is reported as {type: "fatal"}; the page then
// replaces this worker, because an instance that trapped may be left in a broken state.

import init, { render, version } from "./pkg/chartroom_wasm.js";

let files = null;
const ready = init();

function decodeBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === "init") {
    files = { ...msg.files };
    for (const [path, b64] of Object.entries(msg.binary || {})) files[path] = decodeBase64(b64);
    try {
      await ready;
      self.postMessage({ type: "ready", version: version() });
    } catch (err) {
      self.postMessage({ type: "fatal", error: `could not load the WebAssembly module: ${err}` });
    }
    return;
  }
  if (msg.type !== "render") return;
  try {
    await ready;
    const t0 = performance.now();
    // The editor holds the chart's values.yaml: it replaces the chart's file and is also
    // passed as the values file, i.e. `helm template RELEASE ./chart -f ./chart/values.yaml`.
    const chartFiles = { ...files, "values.yaml": msg.values };
    const result = render(chartFiles, { releaseName: msg.release, values: [msg.values] });
    const ms = performance.now() - t0;
    self.postMessage({
      type: "result",
      id: msg.id,
      ok: Boolean(result.ok),
      output: String(result.output ?? ""),
      error: String(result.error ?? ""),
      warnings: Array.isArray(result.warnings) ? result.warnings.map(String) : [],
      manifests: Array.isArray(result.manifests) ? result.manifests.length : 0,
      ms,
    });
  } catch (err) {
    self.postMessage({ type: "fatal", id: msg.id, error: String(err && err.message ? err.message : err) });
  }
};
