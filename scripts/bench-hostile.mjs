// Hostile inputs through the wasm package (issue 14: "every hostile input class is rejected
// within 2 s and 200 MB of memory, native and wasm"; the native figures are in
// docs/notes/limits.md). Each class runs in its own Node process with a fresh module, so the
// wasm memory's size afterwards is that class's high-water mark (wasm memory never shrinks).
// Prints, per class: the error's first line, wall time of the render call, the wasm memory
// and the process's peak RSS (Node itself included, ~50 MB).
//
//   node scripts/bench-hostile.mjs        (needs web/npm: bash scripts/test.sh --web builds it)

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tgz } from "./tar.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const npmDir = join(root, "web", "npm");

const chart = (template) => ({
  "Chart.yaml": "apiVersion: v2\nname: hostile\nversion: 1.0.0\n",
  "templates/t.yaml": template,
});

function laughs() {
  let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 0; i < 9; i++) {
    const p = String.fromCharCode(97 + i);
    const n = String.fromCharCode(98 + i);
    s += `${n}: &${n} [${Array(9).fill(`*${p}`).join(",")}]\n`;
  }
  return s;
}

/** A ConfigMap-like manifest with 2n entries `- a: bI\n  c:\n  - 1\n  - 2`. */
function dense(n) {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\nitems:\n{{- range until ${n} }}{{ $i := . }}{{- range until 2 }}\n- a: b{{ $i }}{{ . }}\n  c:\n  - 1\n  - 2\n{{- end }}{{- end }}\n`;
}

/** A ustar archive of one file of `size` zero bytes (plus Chart.yaml), gzipped. */
function bomb(size) {
  return tgz([
    ["bomb/Chart.yaml", "apiVersion: v2\nname: bomb\nversion: 1.0.0\n"],
    ["bomb/templates/zeros.yaml", Buffer.alloc(size)],
  ]);
}

const CASES = {
  "nested until loops (steps)": () => [chart("{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}"), {}],
  "repeat in a loop (release-bytes)": () => [chart('{{ range until 100000 }}{{ "x" | repeat 100000 }}{{ end }}'), {}],
  // Dense YAML (a list of small maps): 54 MB, over the release's limit; then 16.5 MB, within it
  // (rendered, its heads read by the manifest sort).
  "54 MB of structured YAML (release-bytes)": () => [chart(dense(1000000)), {}],
  "16.5 MB of structured YAML (within the limits)": () => [chart(dense(270000)), {}],
  "until 10,000,000 (until-length)": () => [chart("{{ range until 10000000 }}{{ end }}"), {}],
  "recursive include (include-depth)": () => [chart('{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}'), {}],
  "billion laughs values (YAML aliases)": () => [chart("a: 1\n"), { values: [laughs()] }],
  "[ x 100,000 values (YAML depth)": () => [chart("a: 1\n"), { values: ["[".repeat(100000)] }],
  "5000 nested parentheses (parser depth)": () => [chart(`{{ ${"(".repeat(5000)}1${")".repeat(5000)} }}`), {}],
  "--set with 100,000 path segments": () => [chart("a: 1\n"), { set: [`${"a.".repeat(100000)}b=1`] }],
  "truncated .tgz (archive reader)": () => [{ "chart.tgz": bomb(1024).subarray(0, 40) }, {}],
  "150 MB of zeros in a .tgz (archive-bytes)": () => [{ "chart.tgz": readFileSync(process.env.BOMB) }, {}],
};

if (process.argv[2] === "--one") {
  const name = process.argv[3];
  const chartroom = await import(pathToFileURL(join(npmDir, "chartroom_wasm.js")).href);
  const wasm = chartroom.initSync({ module: readFileSync(join(npmDir, "chartroom_wasm_bg.wasm")) });
  const [files, options] = CASES[name]();
  const t0 = performance.now();
  const result = chartroom.render(files, options);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({
    ms,
    ok: result.ok,
    error: (result.error || "").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("Use --debug")).join(" ").slice(-150),
    wasmMB: wasm.memory.buffer.byteLength / 2 ** 20,
    rssMB: process.resourceUsage().maxRSS / 1024,
  }));
} else {
  const scratch = mkdtempSync(join(tmpdir(), "chartroom-hostile-"));
  const bombPath = join(scratch, "bomb.tgz");
  writeFileSync(bombPath, bomb(150 * 2 ** 20));
  console.log("class | time | wasm memory | peak RSS | error");
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--one", name], {
      env: { ...process.env, BOMB: bombPath },
      encoding: "utf8",
      timeout: 60000,
    });
    let line;
    try {
      const r = JSON.parse(child.stdout.trim().split("\n").pop());
      line = `${r.ms.toFixed(0)} ms | ${r.wasmMB.toFixed(0)} MB | ${r.rssMB.toFixed(0)} MB | ${r.ok ? "(rendered)" : r.error}`;
    } catch {
      line = `did not finish: ${child.error || child.stderr.trim().split("\n").pop()}`;
    }
    console.log(`${name} | ${line}`);
  }
  rmSync(scratch, { recursive: true, force: true });
}
