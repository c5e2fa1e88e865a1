// Render-speed benchmark of the wasm build against the native CLI, over the golden charts.
//
//   node scripts/bench-browser.mjs [--node] [--only SUBSTR[,SUBSTR...]] [--limit N] [--warm N]
//                                  [--native N] [--pkg DIR] [--bin CLI] [--json FILE]
//                                  [--workers N]
//
// For each golden chart (its first case in ../shared/golden/cases.tsv, read in place) it
// renders the packaged chart through the built module (web/pkg by default) in Debian's
// Chromium (or, with --node, in Node: the same V8, for quick iteration):
// - cold: the first render of the chart (a seed of its own, so nothing from another chart is
//   reused), archive decompression and result conversion included;
// - warm: the median of N re-renders (default 5) after a values edit (an extra values layer
//   with a changed top-level key; a comment edit where the chart's schema rejects the key),
//   with the page's fixed seed;
// and runs the native CLI (target/release/chartroom, or --bin) on the same case N times
// (default 3) with the cold render's seed, whole processes, median wall time. Prints one
// line per chart, then medians per
// class: charts whose output holds PEM text or base64 of it ("keys") and the rest.
// The module is instantiated once; its time is printed apart. Renders go through
// web/keys.js as the page's do: seeded renders generate their RSA keys on N key workers
// (default: the number of cores, at most 4; `--workers 0` renders plainly on one thread).
// Before the first chart the module renders the warm-up chart (web/warm-up-chart) three times,
// as the page's worker does while idle after loading (`--warm-ups N`, 0 to skip): the first
// renders run V8's baseline code while it optimises the module in the background; then it
// waits half a second (`--settle MS`), a person's least time between the page coming up and
// their chart dropped on it, in which V8 finishes compiling in the background. Cold is thus a
// chart opened in a page that is up.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tgzOfDir } from "./tar.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const golden = join(root, "..", "shared", "golden");

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const inNode = flag("--node");
const only = opt("--only", "");
const limit = Number(opt("--limit", "0"));
const warmRuns = Number(opt("--warm", "5"));
const nativeRuns = Number(opt("--native", "3"));
const pkgDir = opt("--pkg", join(root, "web", "pkg"));
const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
const cli = opt("--bin", join(targetDir, "release", "chartroom"));
const jsonOut = opt("--json", "");
const workersOpt = opt("--workers", "");
const warmUps = Number(opt("--warm-ups", "3"));
const settleMs = Number(opt("--settle", "500"));
// The page's warm-up.tgz (scripts/build-web.mjs packages it the same way).
const warmUpFiles = () => ({ "warm-up.tgz": new Uint8Array(tgzOfDir(join(root, "web", "warm-up-chart"), "warm-up")) });

if (!existsSync(join(golden, "cases.tsv"))) {
  console.log(`bench: no reference data at ${golden}`);
  process.exit(0);
}
if (!existsSync(join(pkgDir, "chartroom_wasm_bg.wasm"))) {
  console.error(`bench: no wasm build in ${pkgDir} (run the build first: bash scripts/serve.sh or build_site)`);
  process.exit(2);
}

// ---- cases ----------------------------------------------------------------------------------
const FLAG_OPTIONS = {
  "--namespace": (o, v) => (o.namespace = v),
  "--kube-version": (o, v) => (o.kubeVersion = v),
  "--api-versions": (o, v) => (o.apiVersions = [...(o.apiVersions ?? []), v]),
  "-f": (o, v) => (o.values = [...(o.values ?? []), readFileSync(join(golden, v), "utf8")]),
  "--values": (o, v) => (o.values = [...(o.values ?? []), readFileSync(join(golden, v), "utf8")]),
  "--set": (o, v) => (o.set = [...(o.set ?? []), v]),
  "--set-string": (o, v) => (o.setString = [...(o.setString ?? []), v]),
  "--set-json": (o, v) => (o.setJson = [...(o.setJson ?? []), v]),
  "--show-only": (o, v) => (o.showOnly = [...(o.showOnly ?? []), v]),
};
const SWITCH_OPTIONS = {
  "--include-crds": "includeCrds",
  "--is-upgrade": "isUpgrade",
  "--skip-tests": "skipTests",
  "--no-hooks": "noHooks",
  "--skip-schema-validation": "skipSchemaValidation",
};

function caseOptions(args) {
  const options = {};
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (FLAG_OPTIONS[arg] && i + 1 < args.length) FLAG_OPTIONS[arg](options, args[++i]);
    else if (SWITCH_OPTIONS[arg]) options[SWITCH_OPTIONS[arg]] = true;
    else if (arg.startsWith("-")) return null;
    else positional.push(arg);
  }
  if (positional.length !== 2 || !positional[1].endsWith(".tgz")) return null;
  options.releaseName = positional[0];
  return { chart: positional[1], options };
}

const cases = [];
const seenCharts = new Set();
for (const line of readFileSync(join(golden, "cases.tsv"), "utf8").split("\n")) {
  if (!line.trim() || line.startsWith("#")) continue;
  const [id, argText] = line.split("\t");
  if (only && !only.split(",").some((o) => id.includes(o))) continue;
  const args = argText.trim().split(/\s+/);
  const parsed = caseOptions(args);
  if (!parsed || seenCharts.has(parsed.chart)) continue;
  seenCharts.add(parsed.chart);
  cases.push({ id, args, ...parsed });
}
if (limit > 0) cases.splice(limit);

// ---- the measured part (runs in Node or, as source text, in the page) ------------------------
// Renders `bytes` cold once and warm `warm` times; returns times in ms and what it saw.
async function benchOne(cr, bytes, options, seed, warm, render) {
  const files = { "chart.tgz": bytes };
  const now = () => performance.now();
  let t = now();
  const first = await render(files, { ...options, seed });
  const cold = now() - t;
  const out = first.ok ? first.output : "";
  const keys = out.includes("-----BEGIN") || out.includes("LS0tLS1CRUdJTi");
  const times = [];
  // A case whose render fails (as Helm's does) is timed too, with comment edits.
  let edit = first.ok ? "key" : "comment";
  let warmError = "";
  for (let i = 0; i < warm; i++) {
    const layer = edit === "key" ? `chartroomBenchEdit: ${i + 1}\n` : `# chartroom bench edit ${i + 1}\n`;
    const edited = { ...options, seed, values: [...(options.values ?? []), layer] };
    t = now();
    let r = await render(files, edited);
    let dt = now() - t;
    if (!r.ok && edit === "key") {
      // A schema that rejects unknown keys: edit a comment instead.
      edit = "comment";
      i--;
      continue;
    }
    if (!r.ok && first.ok) warmError = r.error.split("\n")[0];
    times.push(dt);
  }
  times.sort((a, b) => a - b);
  return {
    ok: first.ok,
    error: first.ok ? "" : first.error.split("\n")[0],
    cold,
    warm: times.length ? times[Math.floor(times.length / 2)] : null,
    warmMax: times.length ? times[times.length - 1] : null,
    edit,
    warmError,
    keys,
    outLen: out.length,
  };
}

// ---- the native CLI --------------------------------------------------------------------------
// With the cold render's seed (`--seed`), so both sides search the same prime candidates: a key's
// cost varies several-fold from one seed to the next.
function nativeMs(args, seed) {
  const times = [];
  for (let i = 0; i < nativeRuns; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cli, ["template", ...args, "--seed", String(seed)], {
      cwd: golden,
      maxBuffer: 1 << 30,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const dt = Number(process.hrtime.bigint() - t) / 1e6;
    if (r.error) return null;
    times.push(dt);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// ---- engines ---------------------------------------------------------------------------------
async function nodeEngine() {
  const glue = pathToFileURL(join(pkgDir, "chartroom_wasm.js")).href;
  const mod = await import(glue);
  const keys = await import(pathToFileURL(join(root, "web", "keys.js")).href);
  const t = performance.now();
  const module = new WebAssembly.Module(readFileSync(join(pkgDir, "chartroom_wasm_bg.wasm")));
  const out = mod.initSync({ module });
  const init = performance.now() - t;
  const example = warmUpFiles();
  for (let i = 0; i < warmUps; i++) mod.render(example, { values: [`warmUpRound: ${i}\n`] });
  await new Promise((ok) => setTimeout(ok, settleMs));
  const size = workersOpt === "" ? undefined : Number(workersOpt);
  const pool = size === 0 ? null : await keys.KeyWorkers.create({ module, glue, size });
  const render = (files, options) => keys.renderWithKeys(mod, files, options, pool);
  return {
    name: `node ${process.version}, ${pool ? pool.size : 0} key workers`,
    init,
    run: (c, seed) => benchOne(mod, new Uint8Array(readFileSync(join(golden, c.chart))), c.options, seed, warmRuns, render),
    memory: () => out.memory.buffer.byteLength,
    close: async () => pool?.close(),
  };
}

const MIME = { ".js": "text/javascript", ".wasm": "application/wasm", ".tgz": "application/gzip" };

async function chromiumEngine() {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-extensions"],
  });
  const page = await browser.newPage();
  const origin = "http://bench.invalid";
  await page.route(`${origin}/**`, async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    let base;
    let rel;
    if (path === "/") return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>bench</title>" });
    if (path.startsWith("/pkg/")) [base, rel] = [pkgDir, path.slice(5)];
    else if (path === "/keys.js" || path === "/key-worker.js") [base, rel] = [join(root, "web"), path.slice(1)];
    else if (path.startsWith("/golden/")) [base, rel] = [golden, path.slice(8)];
    else return route.fulfill({ status: 404, body: "" });
    const file = normalize(join(base, rel));
    if (!file.startsWith(base + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: "" });
    return route.fulfill({
      status: 200,
      contentType: MIME[extname(file)] || "application/octet-stream",
      body: readFileSync(file),
    });
  });
  await page.goto(`${origin}/`);
  const { init, workers } = await page.evaluate(async ({ size, example, warmUps, settleMs }) => {
    const mod = await import("/pkg/chartroom_wasm.js");
    const keys = await import("/keys.js");
    const bytes = await (await fetch("/pkg/chartroom_wasm_bg.wasm")).arrayBuffer();
    const t = performance.now();
    const module = await WebAssembly.compile(bytes);
    window.__out = mod.initSync({ module });
    const init = performance.now() - t;
    for (let i = 0; i < warmUps; i++) mod.render(example, { values: [`warmUpRound: ${i}\n`] });
    await new Promise((ok) => setTimeout(ok, settleMs));
    window.__cr = mod;
    const pool = size === 0 ? null : await keys.KeyWorkers.create({ module, glue: new URL("/pkg/chartroom_wasm.js", location.href).href, size: size ?? undefined });
    window.__render = (files, options) => keys.renderWithKeys(mod, files, options, pool);
    return { init, workers: pool ? pool.size : 0 };
  }, { size: workersOpt === "" ? null : Number(workersOpt), example: warmUpFiles(), warmUps, settleMs });
  await page.evaluate(`window.__benchOne = ${benchOne.toString()}`);
  const version = browser.version();
  return {
    name: `chromium ${version}, ${workers} key workers`,
    init,
    run: (c, seed) =>
      page.evaluate(
        async ({ chart, options, seed, warm }) => {
          const bytes = new Uint8Array(await (await fetch(`/golden/${chart}`)).arrayBuffer());
          return window.__benchOne(window.__cr, bytes, options, seed, warm, window.__render);
        },
        { chart: c.chart, options: c.options, seed, warm: warmRuns },
      ),
    memory: () => page.evaluate(() => window.__out.memory.buffer.byteLength),
    close: () => browser.close(),
  };
}

// ---- run -------------------------------------------------------------------------------------
const median = (xs) => {
  const s = xs.filter((x) => x != null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const fmt = (x, w = 8) => (x == null || Number.isNaN(x) ? "-" : x.toFixed(x < 10 ? 1 : 0)).padStart(w);

const engine = inNode ? await nodeEngine() : await chromiumEngine();
const haveCli = existsSync(cli);
console.log(`bench: ${cases.length} charts, ${engine.name}, module ${(readFileSync(join(pkgDir, "chartroom_wasm_bg.wasm")).length / 1024).toFixed(0)} KiB, instantiate ${engine.init.toFixed(0)} ms; native ${haveCli ? cli : "(no CLI)"} x${nativeRuns}; warm x${warmRuns}`);
console.log(`${"chart".padEnd(44)} ${"class".padEnd(5)} ${"native".padStart(8)} ${"cold".padStart(8)} ${"x".padStart(6)} ${"warm".padStart(8)} ${"warmMax".padStart(8)}  (ms)`);
const rows = [];
let seed = 1000;
const started = Date.now();
for (const c of cases) {
  seed++;
  const r = await engine.run(c, seed);
  const native = haveCli ? nativeMs(c.args, seed) : null;
  const row = { chart: c.chart.replace(/^charts\//, "").replace(/\.tgz$/, ""), native, ...r };
  row.ratio = native ? r.cold / native : null;
  rows.push(row);
  const note = r.ok ? (r.warmError ? `  warm error: ${r.warmError}` : r.edit === "comment" ? "  (comment edit)" : "") : `  (error, as recorded: ${r.error.slice(0, 60)})`;
  console.log(`${row.chart.slice(0, 44).padEnd(44)} ${(r.keys ? "keys" : "").padEnd(5)} ${fmt(native)} ${fmt(r.cold)} ${fmt(row.ratio, 6)} ${fmt(r.warm)} ${fmt(r.warmMax)}${note}`);
}
const memory = await engine.memory();
await engine.close();

// Cases that fail in Helm too (the golden data records errors) count: their render is timed.
const ok = rows;
function summary(label, set) {
  if (!set.length) return;
  const coldRatio = median(set.map((r) => r.ratio));
  const worstRatio = Math.max(...set.map((r) => r.ratio ?? 0));
  console.log(`${label.padEnd(10)} n=${String(set.length).padStart(3)}  native median ${fmt(median(set.map((r) => r.native)))} ms  cold median ${fmt(median(set.map((r) => r.cold)))} ms  cold/native median ${fmt(coldRatio, 5)} worst ${fmt(worstRatio, 5)}  warm median ${fmt(median(set.map((r) => r.warm)))} ms  warm worst ${fmt(Math.max(...set.map((r) => r.warm ?? 0)))} ms`);
}
console.log("");
summary("all", ok);
summary("keys", ok.filter((r) => r.keys));
summary("no keys", ok.filter((r) => !r.keys));
const over = (xs, f) => xs.filter(f).map((r) => r.chart).join(", ") || "none";
console.log(`cold over target (2x native without keys, 4x with): ${over(ok, (r) => r.ratio != null && r.ratio > (r.keys ? 4 : 2))}`);
console.log(`warm over 100 ms: ${over(ok, (r) => (r.warm ?? 0) > 100)}`);
console.log(`render errors (as recorded from Helm): ${over(rows, (r) => !r.ok)}`);
console.log(`wasm memory at the end: ${(memory / 1048576).toFixed(0)} MiB; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ engine: engine.name, init: engine.init, memory, rows }, null, 1));
