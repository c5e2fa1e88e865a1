// Assembles the npm package `chartroom` in web/npm/ in wasm-pack's layout, from the
// wasm-bindgen output in web/pkg/ (the same optimised .wasm the page ships, so wasm-opt runs
// once): the ES module entry, its TypeScript declarations, the .wasm, a package.json
// (version from the workspace Cargo.toml) and the package README (crates/wasm/README.md, as
// wasm-pack copies the crate's README). `npm publish web/npm` publishes it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "web", "pkg");
const out = join(root, "web", "npm");
const NAME = "chartroom_wasm";
const FILES = [`${NAME}.js`, `${NAME}.d.ts`, `${NAME}_bg.wasm`, `${NAME}_bg.wasm.d.ts`];
// Seeded renders with their RSA keys made on several workers (web/keys.js), as the page does.
const KEY_FILES = ["keys.js", "keys.d.ts", "key-worker.js"];

// The workspace version: `version = "..."` in Cargo.toml's [workspace.package] table.
function workspaceVersion() {
  const toml = readFileSync(join(root, "Cargo.toml"), "utf8");
  const table = toml.split(/^\[workspace\.package\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  const version = /^version\s*=\s*"([^"]+)"/m.exec(table)?.[1];
  if (!version) throw new Error("no version in Cargo.toml's [workspace.package]");
  return version;
}

for (const file of FILES) {
  if (!existsSync(join(pkg, file))) {
    console.error(`web/pkg/${file} is missing: run wasm-bindgen with TypeScript output first (scripts/lib.sh build_site)`);
    process.exit(1);
  }
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of FILES) copyFileSync(join(pkg, file), join(out, file));
for (const file of KEY_FILES) copyFileSync(join(root, "web", file), join(out, file));
copyFileSync(join(root, "crates", "wasm", "README.md"), join(out, "README.md"));
// The Kubernetes schema packs lint() needs (schemaPackFiles(v) names them; loadSchemaPacks()
// takes their bytes): shipped beside the module, not inside it, so render-only users never
// load them.
const packsSrc = join(root, "crates", "lint", "packs");
const PACKS = readdirSync(packsSrc).filter((f) => f.endsWith(".json.gz")).sort();
mkdirSync(join(out, "packs"));
for (const file of PACKS) copyFileSync(join(packsSrc, file), join(out, "packs", file));

const manifest = {
  name: "chartroom",
  version: workspaceVersion(),
  description: "Renders Helm charts exactly as `helm template` (Helm v4.3.1) does, in WebAssembly: no Go, no cluster.",
  license: "Apache-2.0",
  keywords: ["helm", "kubernetes", "chart", "template", "wasm"],
  type: "module",
  main: `${NAME}.js`,
  module: `${NAME}.js`,
  types: `${NAME}.d.ts`,
  exports: {
    ".": { types: `./${NAME}.d.ts`, default: `./${NAME}.js` },
    [`./${NAME}_bg.wasm`]: `./${NAME}_bg.wasm`,
    "./keys.js": { types: "./keys.d.ts", default: "./keys.js" },
    "./packs/*": "./packs/*",
    "./package.json": "./package.json",
  },
  files: [...FILES, ...KEY_FILES, "README.md", "packs/"],
  // Importing the module runs nothing; init()/initSync() instantiate the .wasm.
  sideEffects: false,
  engines: { node: ">=20" },
};
writeFileSync(join(out, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`web/npm ready (chartroom ${manifest.version}, ${FILES.length + KEY_FILES.length + 2} files, ${PACKS.length} schema packs)`);
