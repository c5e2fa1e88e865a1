// Assembles the static site in web/dist/: the page's files, the wasm-bindgen output from
// web/pkg/, example-chart.json (the embedded example chart: path -> text, plus base64 for
// any file that is not UTF-8) and warm-up.tgz (web/warm-up-chart, packaged). Any static file server can host web/dist/.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tgzOfDir } from "./tar.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const dist = join(web, "dist");
const pkg = join(web, "pkg");
const chartDir = join(web, "example-chart");
const PAGE_FILES = [
  "index.html",
  "style.css",
  "editor.css",
  "app.js",
  "worker.js",
  "keys.js",
  "key-worker.js",
  "highlight.js",
  "charts.js",
  "share.js",
  "errors.js",
  "favicon.svg",
];
const packsDir = join(root, "crates", "lint", "packs");

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function chartJson() {
  const chartYaml = readFileSync(join(chartDir, "Chart.yaml"), "utf8");
  const name = /^name:\s*["']?([^"'\s]+)/m.exec(chartYaml)?.[1] ?? "chart";
  const files = {};
  const binary = {};
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const full of walk(chartDir)) {
    const path = relative(chartDir, full).split(sep).join("/");
    const bytes = readFileSync(full);
    try {
      files[path] = decoder.decode(bytes);
    } catch {
      binary[path] = bytes.toString("base64");
    }
  }
  if (!("values.yaml" in files)) throw new Error("example chart has no values.yaml");
  return { name, files, binary };
}

// The editor (CodeMirror 6, from web/package-lock.json) bundled into one ES module, cm.js.
async function bundleEditor() {
  const esbuildEntry = join(web, "node_modules", "esbuild", "lib", "main.js");
  if (!existsSync(esbuildEntry)) {
    console.error("web/node_modules/ is missing: run `npm ci` in web/ (bash scripts/serve.sh does)");
    process.exit(1);
  }
  const esbuild = (await import(pathToFileURL(esbuildEntry).href)).default;
  await esbuild.build({
    entryPoints: [join(web, "src", "cm-editor.js")],
    outfile: join(dist, "cm.js"),
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2022",
    legalComments: "eof",
    logLevel: "warning",
  });
}

if (!existsSync(join(pkg, "chartroom_wasm.js"))) {
  console.error("web/pkg/ is missing: build the wasm first (bash scripts/serve.sh does)");
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const file of PAGE_FILES) cpSync(join(web, file), join(dist, file));
await bundleEditor();
// The TypeScript declarations are for the npm package (web/npm/), not the page.
cpSync(pkg, join(dist, "pkg"), {
  recursive: true,
  filter: (src) => !src.endsWith(".gitignore") && !src.endsWith(".d.ts"),
});
// The Kubernetes schema packs lint fetches on first use (the wasm module does not carry them).
mkdirSync(join(dist, "packs"));
for (const name of readdirSync(packsDir).filter((n) => n.endsWith(".json.gz"))) {
  cpSync(join(packsDir, name), join(dist, "packs", name));
}
const chart = JSON.stringify(chartJson(), null, 1);
writeFileSync(join(dist, "example-chart.json"), chart + "\n");
// The chart the worker renders while idle so V8 optimises the engine early (web/worker.js).
writeFileSync(join(dist, "warm-up.tgz"), tgzOfDir(join(web, "warm-up-chart"), "warm-up"));

// A build id (content hash) lets a server cache aggressively if it wants to.
const hash = createHash("sha256");
for (const full of walk(dist)) hash.update(readFileSync(full));
const id = hash.digest("hex").slice(0, 12);
writeFileSync(join(dist, "build-id.txt"), id + "\n");
console.log(`web/dist ready (build ${id}, ${walk(dist).length} files)`);
