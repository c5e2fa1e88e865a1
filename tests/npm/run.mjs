// Node tests of the npm package `chartroom` (web/npm/, built by scripts/lib.sh's build_site):
// imports the built package by path, instantiates it with initSync, and checks it against the
// release CLI (target/release/chartroom, built here if absent): a small in-test chart, errors,
// every option, a packaged golden chart, diff, the README's Node example and docs-playground
// embed (in Debian's Chromium, skipped when absent), and every case of
// ../shared/golden/cases.tsv (skipped with a message when the reference data is absent).
// Prints node:test's summary (`# tests N`, `# pass N`, `# fail N`).
//
// usage: node tests/npm/run.mjs [--only SUBSTR]   (--only limits the golden cases)

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const npmDir = join(root, "web", "npm");
const target = process.env.CARGO_TARGET_DIR ? resolve(root, process.env.CARGO_TARGET_DIR) : join(root, "target");
const cli = join(target, "release", "chartroom");
const golden = join(root, "..", "shared", "golden");
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : null;
const SEED = 20261204;

if (!existsSync(join(npmDir, "package.json"))) {
  console.error("web/npm/ is missing: run the wasm build first (bash scripts/test.sh --web builds it)");
  process.exit(1);
}
if (!existsSync(cli)) {
  console.log(`building the release CLI (${cli} is absent)`);
  execFileSync("cargo", ["build", "--release", "-q", "-p", "chartroom", "--bin", "chartroom"], { cwd: root, stdio: "inherit" });
}

const chartroom = await import(pathToFileURL(join(npmDir, "chartroom_wasm.js")).href);
chartroom.initSync({ module: readFileSync(join(npmDir, "chartroom_wasm_bg.wasm")) });

const scratch = mkdtempSync(join(tmpdir(), "chartroom-npm-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;
const scratchDir = (name) => {
  const dir = join(scratch, `${scratchCount++}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

// The CLI in a clean environment: no kubeconfig or HELM_* variables to change the namespace.
const cliEnv = { PATH: process.env.PATH, HOME: scratch, LANG: "C.UTF-8" };

/** Runs `chartroom template ARGS` in `cwd`; resolves to { code, stdout (Buffer), stderr }. */
function runCli(args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cli, ["template", ...args], { cwd, env: cliEnv });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Writes a chart's file map into a fresh folder `<dir>/<name>/` and returns its path. */
function writeChart(files, name = "demo") {
  const dir = join(scratchDir("chart"), name);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  return dir;
}

/** CLI flags for a package options object (the subset this test uses). Values files are
 * written to `valuesDir` (the CLI's working folder) under the names the package gives them in
 * error texts: `values.yaml` for one, `values-1.yaml`, `values-2.yaml`... for several. */
function cliArgs(options, valuesDir) {
  const args = [];
  if (options.releaseName) args.push(options.releaseName);
  const layers = options.values ?? [];
  layers.forEach((text, i) => {
    const name = layers.length === 1 ? "values.yaml" : `values-${i + 1}.yaml`;
    writeFileSync(join(valuesDir, name), text);
    args.push("-f", name);
  });
  for (const s of options.set ?? []) args.push("--set", s);
  for (const s of options.setString ?? []) args.push("--set-string", s);
  for (const s of options.setJson ?? []) args.push("--set-json", s);
  for (const s of options.showOnly ?? []) args.push("--show-only", s);
  for (const s of options.apiVersions ?? []) args.push("--api-versions", s);
  if (options.namespace) args.push("--namespace", options.namespace);
  if (options.kubeVersion) args.push("--kube-version", options.kubeVersion);
  if (options.includeCrds) args.push("--include-crds");
  if (options.isUpgrade) args.push("--is-upgrade");
  if (options.skipTests) args.push("--skip-tests");
  if (options.noHooks) args.push("--no-hooks");
  if (options.seed !== undefined) args.push("--seed", String(options.seed));
  return args;
}

/** The CLI's `Error: ...` text (from its first `Error: `, trailing white space dropped). */
const cliError = (stderr) => {
  const i = stderr.indexOf("Error: ");
  return i < 0 ? null : stderr.slice(i + "Error: ".length).trimEnd();
};

/** Renders `files` with the package and the CLI (chart folder written to disk) and asserts
 * that both agree: same output bytes, or the same error text. Returns the package result. */
async function sameAsCli(files, options = {}) {
  const chartDir = writeChart(files);
  const args = cliArgs(options, dirname(chartDir));
  // The CLI takes NAME before CHART.
  const name = options.releaseName ? [args.shift()] : [];
  const run = runCli([...name, chartDir, ...args], dirname(chartDir));
  const result = chartroom.render(files, options);
  const got = await run;
  if (got.code === 0) {
    assert.equal(result.ok, true, `the CLI succeeded, the package failed: ${result.error}`);
    assert.equal(Buffer.from(result.output, "utf8").toString("latin1"), got.stdout.toString("latin1"));
  } else {
    assert.equal(result.ok, false, `the CLI failed (${got.stderr.trim()}), the package succeeded`);
    assert.equal(result.error.trimEnd(), cliError(got.stderr));
  }
  return result;
}

// ---- the in-test chart ------------------------------------------------------------------------
const BINARY = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x80, 0x0a]);
const chart = () => ({
  "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1.2.3\"\n",
  "values.yaml": "replicaCount: 1\nimage: nginx\nlabels: {}\n",
  "templates/_helpers.tpl": '{{- define "demo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}\n',
  "templates/cm.yaml":
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"demo.name\" . }}\n" +
    "  namespace: {{ .Release.Namespace }}\n  labels:\n{{- range $k, $v := .Values.labels }}\n    {{ $k }}: {{ $v | quote }}\n{{- end }}\n" +
    "data:\n  replicas: {{ .Values.replicaCount | quote }}\n  image: {{ .Values.image }}\n" +
    "  upgrade: {{ .Release.IsUpgrade | quote }}\n  kube: {{ .Capabilities.KubeVersion.Version }}\n" +
    "binaryData:\n  logo: {{ .Files.Get \"files/logo.bin\" | b64enc }}\n",
  "templates/secret.yaml":
    "{{- if not .Values.noSecret }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-pw\n" +
    "stringData:\n  password: {{ randAlphaNum 24 | quote }}\n{{- end }}\n",
  "templates/NOTES.txt": "Release {{ .Release.Name }} in {{ .Release.Namespace }}.\n",
  "crds/widgets.yaml":
    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
  "files/logo.bin": BINARY,
});

test("package.json, files and TypeScript declarations", () => {
  const manifest = JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8"));
  const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
  const version = /\[workspace\.package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(cargo)[1];
  assert.equal(manifest.name, "chartroom");
  assert.equal(manifest.type, "module");
  assert.equal(manifest.version, version);
  assert.equal(manifest.license, "Apache-2.0");
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.exports["."].default, `./${manifest.main}`);
  assert.equal(manifest.exports["."].types, `./${manifest.types}`);
  assert.equal(manifest.exports["./packs/*"], "./packs/*");
  assert.ok(existsSync(join(npmDir, "packs", "k8s-1.37.json.gz")), "the schema packs are shipped");
  for (const file of [...manifest.files, manifest.main, manifest.module, manifest.types]) {
    assert.ok(existsSync(join(npmDir, file)), `${file} is listed but missing`);
  }
  assert.equal(chartroom.version(), version);
  const dts = readFileSync(join(npmDir, manifest.types), "utf8");
  for (const decl of [
    "export function render(files: ChartFiles, options?: RenderOptions): RenderResult;",
    "export function diff(files: ChartFiles, oldOptions: RenderOptions | undefined, newOptions: RenderOptions | undefined, diffOptions?: DiffOptions): DiffResult;",
    "export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;",
    "export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;",
    "export interface RenderOptions {",
    "export interface RenderResult {",
    "export interface DiffResult {",
    "errorKind?: ErrorKind;",
    "seed?: number | bigint | Uint8Array | string;",
    "export function lint(files: ChartFiles, options?: LintOptions): LintResult;",
    "export function loadSchemaPacks(packs: Record<string, Uint8Array>): string[];",
    "export function schemaPackFiles(kubeVersion?: string | null): string[];",
    "export interface LintResult {",
  ]) {
    assert.ok(dts.includes(decl), `${manifest.types} lacks: ${decl}`);
  }
  // The public functions are typed (only the raw `InitOutput` exports keep wasm-bindgen's `any`).
  for (const line of dts.split("\n").filter((l) => l.startsWith("export function"))) {
    assert.doesNotMatch(line, /\bany\b/, `untyped: ${line}`);
  }
  const readme = readFileSync(join(npmDir, "README.md"), "utf8");
  assert.match(readme, /initSync\(\{ module: /);
});

test("render of strings and a Uint8Array gives the CLI's bytes, manifests and notes", async () => {
  const result = await sameAsCli(chart(), { releaseName: "demo", seed: 1 });
  assert.equal(result.ok, true);
  assert.equal(result.error, "");
  assert.equal(result.errorKind, undefined);
  assert.match(result.output, /^# Source: demo\/templates\/cm\.yaml$/m);
  assert.match(result.output, new RegExp(`logo: ${Buffer.from(BINARY).toString("base64")}`));
  assert.deepEqual(
    result.manifests.map((m) => [m.source, m.head.kind, m.head.name]),
    [["demo/templates/secret.yaml", "Secret", "demo-pw"], ["demo/templates/cm.yaml", "ConfigMap", "demo-demo"]],
  );
  assert.equal(result.manifests[1].document, 0);
  assert.deepEqual(result.manifests[1].hookEvents, []);
  assert.equal(result.notes, "Release demo in default.\n");
  // No options at all: Helm's default release name.
  const bare = chartroom.render(chart());
  assert.equal(bare.ok, true, bare.error);
  assert.match(bare.output, /name: release-name-demo/);
});

test("errors come back as ok: false with errorKind and Helm's text", async () => {
  const badValues = await sameAsCli(chart(), { values: ["replicaCount: [\n"] });
  assert.equal(badValues.errorKind, "values");
  assert.equal(badValues.output, "");
  const failing = { ...chart(), "templates/fail.yaml": '{{ fail "no luck" }}\n' };
  const failed = await sameAsCli(failing, {});
  assert.equal(failed.errorKind, "template");
  assert.match(failed.error, /no luck/);
  const badYaml = { ...chart(), "templates/bad.yaml": "a: b\n  c: d\n" };
  assert.equal((await sameAsCli(badYaml, {})).errorKind, "manifest");
  assert.equal((await sameAsCli(chart(), { releaseName: "Bad_Name" })).errorKind, "usage");
  assert.equal((await sameAsCli(chart(), { showOnly: ["templates/none.yaml"] })).errorKind, "manifest");
  // Argument errors: the same single error path, never an exception.
  const notText = chartroom.render({ "Chart.yaml": 42 }, {});
  assert.deepEqual([notText.ok, notText.errorKind], [false, "usage"]);
  assert.match(notText.error, /Chart\.yaml: contents must be a string or a Uint8Array/);
  const wrongType = chartroom.render(chart(), { values: "replicaCount: 2" });
  assert.deepEqual([wrongType.ok, wrongType.errorKind], [false, "usage"]);
  assert.match(wrongType.error, /^render options: /);
  assert.equal(chartroom.render(null, {}).errorKind, "usage");
  // A misspelt option is an error naming it, not silently ignored.
  const typo = chartroom.render(chart(), { valuez: ["a: 1"] });
  assert.deepEqual([typo.ok, typo.errorKind], [false, "usage"]);
  assert.match(typo.error, /unknown option "valuez"/);
  const diffTypo = chartroom.diff(chart(), {}, {}, { showSecret: true });
  assert.deepEqual([diffTypo.ok, diffTypo.errorKind], [false, "usage"]);
  const noChart = chartroom.render({}, {});
  assert.equal(noChart.ok, false);
  assert.ok(noChart.errorKind, "an empty chart has an error kind");
});

test("options: values layers in order, set, namespace, flags, includeCrds, showOnly", async () => {
  const layered = await sameAsCli(chart(), {
    releaseName: "web",
    namespace: "prod",
    values: ["replicaCount: 2\nimage: base\nlabels: {tier: base}\n", "replicaCount: 4\nlabels: {env: prod}\n"],
    set: ["image=cli"],
    setString: ["labels.num=5"],
    setJson: ['labels.json={"a":1}'],
    kubeVersion: "1.29.3",
    isUpgrade: true,
    seed: 3,
  });
  assert.match(layered.output, /replicas: "4"/);
  assert.match(layered.output, /image: cli/);
  assert.match(layered.output, /namespace: prod/);
  assert.match(layered.output, /tier: "base"\n\s+env: "prod"|env: "prod"\n[^]*tier: "base"/);
  assert.match(layered.output, /num: "5"/);
  assert.match(layered.output, /upgrade: "true"/);
  assert.match(layered.output, /kube: v1\.29\.3/);
  assert.equal(layered.notes, "Release web in prod.\n");
  const later = chartroom.render(chart(), { values: ["replicaCount: 4\n", "replicaCount: 2\n"] });
  assert.match(later.output, /replicas: "2"/, "the last values layer wins");
  const crds = await sameAsCli(chart(), { includeCrds: true, seed: 3 });
  assert.match(crds.output, /kind: CustomResourceDefinition/);
  assert.doesNotMatch(chartroom.render(chart(), { seed: 3 }).output, /CustomResourceDefinition/);
  const only = await sameAsCli(chart(), { showOnly: ["templates/cm.yaml"], seed: 3 });
  assert.doesNotMatch(only.output, /kind: Secret/);
  assert.match(only.output, /kind: ConfigMap/);
  const hooks = { ...chart(), "templates/test.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    "helm.sh/hook": test\n' };
  const withHooks = await sameAsCli(hooks, { seed: 3 });
  assert.deepEqual(withHooks.manifests.at(-1).hookEvents, ["test"]);
  assert.doesNotMatch((await sameAsCli(hooks, { skipTests: true, seed: 3 })).output, /kind: Pod/);
});

test("seed: the same seed reproduces the CLI's random values; no seed draws fresh ones", async () => {
  const password = (r) => /password: "([^"]+)"/.exec(r.output)[1];
  const a = await sameAsCli(chart(), { seed: 42 });
  const b = chartroom.render(chart(), { seed: 42 });
  assert.equal(a.output, b.output);
  assert.notEqual(password(chartroom.render(chart(), { seed: 43 })), password(a));
  assert.equal(password(chartroom.render(chart(), { seed: 42n })), password(a), "a BigInt seed is the same seed");
  const fresh = new Set([1, 2, 3].map(() => password(chartroom.render(chart()))));
  assert.equal(fresh.size, 3, "renders without a seed draw from crypto.getRandomValues");
});

test("diff: identical inputs give no changes; a values change gives the expected change", () => {
  const same = chartroom.diff(chart(), { values: ["image: a\n"] }, { values: ["image: a\n"] });
  assert.equal(same.ok, true, same.error);
  assert.deepEqual(same.changes, []);
  assert.deepEqual(same.summary, { added: 0, removed: 0, modified: 0, unchanged: 2 });
  const changed = chartroom.diff(chart(), { values: ["image: a\n"] }, { values: ["image: b\n"] }, { context: 1 });
  assert.equal(changed.ok, true, changed.error);
  assert.deepEqual(changed.summary, { added: 0, removed: 0, modified: 1, unchanged: 1 });
  const [change] = changed.changes;
  assert.deepEqual(
    [change.change, change.kind, change.name, change.namespace, change.source],
    ["modified", "ConfigMap", "release-name-demo", "default", "demo/templates/cm.yaml"],
  );
  assert.deepEqual(change.fields, [{ path: "/data/image", from: "a", to: "b" }]);
  assert.deepEqual(change.values, ["image"]);
  assert.match(change.diff, /^-  image: a$/m);
  assert.match(change.diff, /^\+  image: b$/m);
  const removed = chartroom.diff(chart(), {}, { set: ["noSecret=true"] });
  assert.deepEqual(removed.summary, { added: 0, removed: 1, modified: 0, unchanged: 1 });
  assert.deepEqual([removed.changes[0].change, removed.changes[0].kind], ["removed", "Secret"]);
  const failed = chartroom.diff(chart(), {}, { values: ["a: [\n"] });
  assert.deepEqual([failed.ok, failed.errorKind], [false, "values"]);
  assert.match(failed.error, /^new: /);
});

/** Runs `chartroom lint ARGS --output json` in `cwd`; resolves to { code, json, stderr }. */
function runLintCli(args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cli, ["lint", ...args, "--output", "json"], { cwd, env: cliEnv });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      const text = Buffer.concat(out).toString("utf8");
      resolvePromise({ code, json: text ? JSON.parse(text) : null, stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

// The schema packs as the package ships them (packs/ beside the module; the page fetches the
// same files from its own packs/ folder).
const packsDir = join(npmDir, "packs");
const packFile = (name) => new Uint8Array(readFileSync(join(packsDir, name)));

test("lint: needs its schema packs, then gives exactly `chartroom lint --output json`", async () => {
  const files = {
    ...chart(),
    "templates/svc.yaml":
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - port: {{ .Values.port | default 80 }}\n    bogus: 1\n",
  };
  assert.deepEqual(chartroom.schemaPackFiles(), ["k8s-1.37.json.gz"]);
  assert.deepEqual(chartroom.schemaPackFiles("v1.30.2"), ["k8s-1.37.json.gz", "k8s-1.30.json.gz"]);
  assert.deepEqual(chartroom.schemaPackFiles("1.12"), []);
  // Before its packs are loaded, lint says which files it needs.
  const missing = chartroom.lint(files, { kubeVersions: ["1.29.0"] });
  assert.equal(missing.ok, false);
  assert.match(missing.error, /is not loaded .*needs k8s-1\.37\.json\.gz and k8s-1\.29\.json\.gz/);
  const names = ["k8s-1.37.json.gz", "k8s-1.29.json.gz", "k8s-1.30.json.gz"];
  assert.deepEqual(chartroom.loadSchemaPacks(Object.fromEntries(names.map((n) => [n, packFile(n)]))).sort(), [...names].sort());
  const chartDir = writeChart(files);
  const cases = [
    [{ releaseName: "demo", set: ["port=eighty"] }, ["demo", chartDir, "--set", "port=eighty"]],
    [{ strict: true, namespace: "ns1" }, [chartDir, "--strict", "--namespace", "ns1"]],
    [{ kubeVersions: ["1.29.0", "1.37.0"] }, [chartDir, "--kube-version", "1.29.0", "--kube-version", "1.37.0"]],
    [{ kubeVersion: "1.30.1" }, [chartDir, "--kube-version", "1.30.1"]],
  ];
  for (const [options, args] of cases) {
    const got = chartroom.lint(files, { seed: SEED, ...options });
    // Run where no `demo` folder exists: `chartroom lint NAME CHART` reads a first argument
    // that is an existing path as a chart (several charts in one call).
    const want = await runLintCli([...args, "--seed", String(SEED)], scratch);
    assert.equal(got.ok, true, got.error);
    assert.notEqual(want.json, null, want.stderr);
    assert.deepEqual({ findings: got.findings, summary: got.summary }, want.json, JSON.stringify(options));
    assert.equal(want.code, got.summary.errors ? 1 : 0);
  }
  const bad = chartroom.lint(files, { set: ["port=eighty"] });
  // Traced to the template line that printed the value (the rendered line is line 7 too).
  assert.ok(
    bad.findings.some((f) => f.rule === "schema" && f.path === "/spec/ports/0/port" && f.file.endsWith("templates/svc.yaml") && f.line === 7 && f.column === null && f.renderedLine === 7 && f.renderedColumn === 11 && f.value.key === "port"),
    JSON.stringify(bad.findings),
  );
  const failed = chartroom.lint(files, { values: ["a: [\n"] });
  assert.deepEqual([failed.ok, failed.errorKind], [false, "values"]);
  const typo = chartroom.lint(files, { stric: true });
  assert.deepEqual([typo.ok, typo.errorKind], [false, "usage"]);
  assert.match(typo.error, /"stric"/);
});

test("explain: a failed render traces its error to the template line; what rendered comes back", () => {
  const dir = join(root, "tests", "provenance", "explain-me");
  const files = {};
  for (const name of ["Chart.yaml", "values.yaml", "templates/_helpers.tpl", "templates/labels.yaml", "templates/motto.yaml", "templates/resources.yaml", "templates/port.yaml"]) {
    files[name] = readFileSync(join(dir, name));
  }
  const plain = chartroom.render(files, {});
  assert.equal(plain.ok, false);
  assert.deepEqual([plain.excerpt, plain.manifests.length], [undefined, 0]);
  const explained = chartroom.render(files, { explain: true });
  assert.equal(explained.ok, false);
  assert.equal(explained.error, plain.error, "Helm's text either way");
  const marked = explained.excerpt.lines.filter((l) => l.marked);
  assert.equal(marked.length, 1);
  assert.equal(marked[0].text, "     app.kubernetes.io/part-of: demo");
  assert.deepEqual(marked[0].origin.trace, [
    { file: "explain-me/templates/labels.yaml", line: 6 },
    { file: "explain-me/templates/_helpers.tpl", line: 4 },
  ]);
  // Every template rendered; the documents that are not YAML are kept, with empty heads.
  assert.deepEqual(explained.manifests.map((m) => m.source).sort(), [
    "explain-me/templates/labels.yaml",
    "explain-me/templates/motto.yaml",
    "explain-me/templates/port.yaml",
    "explain-me/templates/resources.yaml",
  ]);
  assert.equal(explained.failedTemplate, undefined, "no template failed while executing");
});

test("keys.js: a seeded render with its keys made on workers is the plain render, byte for byte", async () => {
  const glue = pathToFileURL(join(npmDir, "chartroom_wasm.js")).href;
  const module = new WebAssembly.Module(readFileSync(join(npmDir, "chartroom_wasm_bg.wasm")));
  const keys = await import(pathToFileURL(join(npmDir, "keys.js")).href);
  const manifest = JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8"));
  assert.ok(manifest.files.includes("keys.js") && manifest.files.includes("key-worker.js"), "the package ships keys.js");
  const pool = await keys.KeyWorkers.create({ module, glue, size: 2 });
  const files = {
    "Chart.yaml": "apiVersion: v2\nname: keys\nversion: 0.1.0\n",
    "templates/tls.yaml": [
      '{{- $ca := genCA "keys-ca" 365 }}',
      '{{- $a := genSignedCert "a.example" nil (list "a.example") 365 $ca }}',
      '{{- $b := genSignedCert "b.example" nil nil 365 $ca }}',
      "kind: Secret",
      "metadata:",
      "  name: tls",
      "stringData:",
      "  ca: {{ $ca.Cert | quote }}",
      "  a: {{ $a.Cert | quote }}",
      "  aKey: {{ $a.Key | quote }}",
      "  b: {{ $b.Cert | quote }}",
      "  jwt: {{ genPrivateKey \"rsa\" | quote }}",
      "  pass: {{ randAlphaNum 12 }}",
      "",
    ].join("\n"),
  };
  const realNow = Date.now;
  const pinned = realNow();
  try {
    Date.now = () => pinned;
    const rounds = [];
    const counting = { ...chartroom, render: (f, o) => { const r = chartroom.render(f, o); if (o.discoverKeys) rounds.push([r.keysWanted.length, r.standIns]); return r; } };
    const viaWorkers = await keys.renderWithKeys(counting, files, { seed: 4242 }, pool);
    assert.ok(viaWorkers.ok, viaWorkers.error);
    assert.equal(viaWorkers.keysWanted, undefined, "the discovery fields are not in the result");
    // Round 1 wants all four keys (a certificate stands for where its key is generated, so the
    // calls taking the stand-in CA are the real calls), round 2 is the real render.
    assert.deepEqual(rounds, [[4, 4], [0, 0]]);
    assert.match(viaWorkers.output, /BEGIN RSA PRIVATE KEY/);
    chartroom.render(files, { seed: 4243 }); // another seed empties the kept keys
    // A run that a newer one superseded ends with STALE before generating anything.
    assert.equal(await keys.renderWithKeys(chartroom, files, { seed: 4242 }, pool, { stale: () => true }), keys.STALE);
    const plain = chartroom.render(files, { seed: 4242 });
    assert.equal(viaWorkers.output, plain.output);
    // Unseeded: a plain render (nothing could be kept), fresh keys.
    const unseeded = await keys.renderWithKeys(chartroom, files, {}, pool);
    assert.ok(unseeded.ok);
    assert.notEqual(unseeded.output, plain.output);
    // Workers that fail (here: answer every test with an error) leave a plain render, and the
    // pool is closed so later renders do not try them again.
    const failing = () => {
      const handlers = {};
      return {
        on: (type, f) => { handlers[type] = f; },
        postMessage: (msg) => setTimeout(() => handlers.message?.(msg.type === "init" ? { id: msg.id } : { id: msg.id, error: "broken worker" })),
        terminate: () => {},
      };
    };
    const broken = await keys.KeyWorkers.create({ module, glue, size: 2, spawn: async () => failing() });
    chartroom.render(files, { seed: 4244 }); // empties the kept keys
    const fallback = await keys.renderWithKeys(chartroom, files, { seed: 4242 }, broken);
    assert.equal(fallback.output, plain.output);
    assert.equal(broken.size, 0);
  } finally {
    Date.now = realNow;
    pool.close();
  }
});

test("keys.js: every golden chart that generates keys renders through the key workers as plainly", async (t) => {
  const tsv = join(golden, "cases.tsv");
  if (!existsSync(tsv)) {
    t.skip("no ../shared/golden");
    return;
  }
  const glue = pathToFileURL(join(npmDir, "chartroom_wasm.js")).href;
  const module = new WebAssembly.Module(readFileSync(join(npmDir, "chartroom_wasm_bg.wasm")));
  const keys = await import(pathToFileURL(join(npmDir, "keys.js")).href);
  const pool = await keys.KeyWorkers.create({ module, glue, size: 2 });
  const charts = [...new Set(readFileSync(tsv, "utf8").split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => caseOptions(l.split("\t")[1].trim().split(/\s+/))?.chart)
    .filter(Boolean))];
  const realNow = Date.now;
  const pinned = realNow();
  let compared = 0;
  try {
    Date.now = () => pinned;
    for (const [n, chart] of charts.entries()) {
      const files = { "chart.tgz": new Uint8Array(readFileSync(join(golden, chart))) };
      const seed = 7000 + n;
      const viaWorkers = await keys.renderWithKeys(chartroom, files, { seed }, pool);
      // Charts whose output holds no key (PEM text or base64 of it) are not this test's.
      if (!viaWorkers.ok || !/-----BEGIN|LS0tLS1CRUdJTi/.test(viaWorkers.output)) continue;
      chartroom.render(files, { seed: seed + 100000 }); // another seed empties the kept keys
      const plain = chartroom.render(files, { seed });
      assert.ok(viaWorkers.output === plain.output, `${chart}: the key workers' render differs from the plain one`);
      compared++;
    }
  } finally {
    Date.now = realNow;
    pool.close();
  }
  console.log(`keys.js: ${compared} golden charts with keys identical through the key workers and plainly`);
  assert.ok(compared >= 5, `only ${compared} key-generating golden charts compared`);
});

test("seed: 32 bytes (Uint8Array or 64 hex digits) are one reproducible, unguessable seed", () => {
  const password = (r) => /password: "([^"]+)"/.exec(r.output)[1];
  const key = new Uint8Array(32).map((_, i) => i * 7);
  const hex = Buffer.from(key).toString("hex");
  const a = chartroom.render(chart(), { seed: key });
  assert.equal(a.ok, true, a.error);
  assert.equal(password(chartroom.render(chart(), { seed: hex })), password(a), "hex and bytes are the same seed");
  assert.equal(password(chartroom.render(chart(), { seed: key })), password(a));
  assert.notEqual(password(chartroom.render(chart(), { seed: "ff".repeat(32) })), password(a));
  for (const bad of [new Uint8Array(31), "abc", -1]) {
    const r = chartroom.render(chart(), { seed: bad });
    assert.deepEqual([r.ok, r.errorKind], [false, "usage"], String(bad));
  }
  // diff renders both sides with that one key.
  const d = chartroom.diff(chart(), { seed: hex }, { seed: hex, values: ["image: b\n"] });
  assert.deepEqual(d.summary, { added: 0, removed: 0, modified: 1, unchanged: 1 });
});

test("valuesNames: values files named in errors as the CLI names them", () => {
  const r = chartroom.render(chart(), { values: ["a: 1\n", "b: [\n"], valuesNames: ["base.yaml", "prod.yaml"] });
  assert.equal(r.ok, false);
  assert.match(r.error, /prod\.yaml/);
});

// The smallest packaged golden chart, read in place.
function smallestGoldenChart() {
  const dir = join(golden, "charts");
  if (!existsSync(dir)) return null;
  const names = execFileSync("ls", [dir], { encoding: "utf8" }).split("\n").filter((n) => n.endsWith(".tgz"));
  names.sort((a, b) => statSync(join(dir, a)).size - statSync(join(dir, b)).size || a.localeCompare(b));
  return names.length ? join(dir, names[0]) : null;
}

test("{ \"chart.tgz\": bytes } renders a packaged golden chart as the CLI does", async (t) => {
  const tgz = smallestGoldenChart();
  if (!tgz) {
    console.log(`skipped: no golden charts at ${join(golden, "charts")}`);
    t.skip("no ../shared/golden/charts");
    return;
  }
  const bytes = new Uint8Array(readFileSync(tgz));
  const run = runCli(["my-release", tgz, "--namespace", "docs", "--seed", "9"], scratch);
  const result = chartroom.render({ "chart.tgz": bytes }, { releaseName: "my-release", namespace: "docs", seed: 9 });
  const got = await run;
  assert.equal(got.code, 0, got.stderr);
  assert.equal(result.ok, true, result.error);
  assert.ok(result.manifests.length > 0);
  assert.equal(Buffer.from(result.output, "utf8").compare(got.stdout), 0, `${tgz}: output differs from the CLI's`);
});

// A README code block: the first ```LANG block after the heading that contains `heading`.
function readmeBlock(heading, lang) {
  const readme = readFileSync(join(npmDir, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf(heading));
  const m = new RegExp("```" + lang + "\\n([^]*?)```").exec(section);
  assert.ok(m, `README has no ${lang} block under ${heading}`);
  return m[1];
}

/** A folder with node_modules/chartroom pointing at the built package. */
function projectDir() {
  const dir = scratchDir("project");
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(npmDir, join(dir, "node_modules", "chartroom"), "dir");
  return dir;
}

test("the README's Node example runs against the package as installed", () => {
  const dir = projectDir();
  writeFileSync(join(dir, "example.mjs"), readmeBlock("## Node.js", "js"));
  const out = execFileSync(process.execPath, ["example.mjs"], { cwd: dir, encoding: "utf8" });
  assert.equal(out, "---\n# Source: demo/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: demo\n\n");
});

test("init() (async) instantiates from { module_or_path } bytes; the module then renders", () => {
  const dir = projectDir();
  writeFileSync(join(dir, "async.mjs"), [
    'import { readFileSync } from "node:fs";',
    'import init, { render } from "chartroom";',
    'const bytes = readFileSync(new URL(import.meta.resolve("chartroom/chartroom_wasm_bg.wasm")));',
    "const exports = await init({ module_or_path: bytes });",
    'const r = render({ "Chart.yaml": "apiVersion: v2\\nname: a\\nversion: 1.0.0\\n", "templates/x.yaml": "a: {{ .Chart.Version }}\\n" });',
    'console.log(typeof exports.memory, r.ok, JSON.stringify(r.output));',
  ].join("\n"));
  const out = execFileSync(process.execPath, ["async.mjs"], { cwd: dir, encoding: "utf8" });
  assert.equal(out, 'object true "---\\n# Source: a/templates/x.yaml\\na: 1.0.0\\n"\n');
});

const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm" };

function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] || "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

test("the README's ten-line docs-playground embed works in Chromium", async (t) => {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    chromium = null;
  }
  if (!chromium || !existsSync(executablePath)) {
    console.log("skipped: the embed test needs playwright-core and Chromium");
    t.skip("no Chromium");
    return;
  }
  const embed = readmeBlock("## Docs-playground embed", "html");
  assert.equal(embed.trimEnd().split("\n").length, 10, "the embed is ten lines");
  const site = projectDir();
  writeFileSync(join(site, "index.html"), `<!doctype html>\n<meta charset="utf-8">\n${embed}`);
  const chartDir = writeChart(chart());
  execFileSync("tar", ["czf", join(site, "mychart.tgz"), "-C", dirname(chartDir), "demo"]);
  const values = "replicaCount: 7\nimage: typed\n";
  const server = await serve(site);
  const profile = scratchDir("chromium-profile");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => document.getElementById("out").textContent.includes("kind: ConfigMap"), null, { timeout: 20000 });
    const first = await page.textContent("#out");
    assert.match(first, /replicas: "2"/, "the embed renders the textarea's initial values");
    await page.fill("#values", values);
    await page.waitForFunction(() => document.getElementById("out").textContent.includes('replicas: "7"'), null, { timeout: 20000 });
    const typed = await page.textContent("#out");
    // Same as the CLI for the same values, apart from the random password (no seed in the embed).
    const valuesFile = join(site, "typed.yaml");
    writeFileSync(valuesFile, values);
    const cliTyped = await runCli(["release-name", join(site, "mychart.tgz"), "-f", valuesFile], site);
    const mask = (s) => s.replace(/password: "[^"]*"/, 'password: "*"');
    assert.equal(mask(typed), mask(cliTyped.stdout.toString("utf8")));
    await page.fill("#values", "replicaCount: [");
    await page.waitForFunction(() => document.getElementById("out").textContent.startsWith("Error: "), null, { timeout: 20000 });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    server.close();
  }
});

// ---- every golden case ------------------------------------------------------------------------
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

/** A case's `template` arguments as { chart, options }, or null when a flag has no option. */
function caseOptions(args) {
  const options = { seed: SEED };
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

test("every golden case renders byte-identically to the CLI", async (t) => {
  const tsv = join(golden, "cases.tsv");
  if (!existsSync(tsv)) {
    console.log(`skipped: no reference data at ${golden}`);
    t.skip("no ../shared/golden");
    return;
  }
  const cases = readFileSync(tsv, "utf8").split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.split("\t"))
    .filter(([id]) => !only || id.includes(only));
  const charts = new Map();
  const skipped = [];
  const differ = [];
  const clockBound = [];
  let matched = 0;
  let retried = 0;
  const begun = Date.now();
  for (const [id, argText] of cases) {
    // Arguments are separated by single spaces, without quoting (as cases.tsv writes them).
    const args = argText.trim().split(/\s+/);
    const parsed = caseOptions(args);
    if (!parsed) {
      skipped.push(id);
      continue;
    }
    if (!charts.has(parsed.chart)) charts.set(parsed.chart, new Uint8Array(readFileSync(join(golden, parsed.chart))));
    const files = { "chart.tgz": charts.get(parsed.chart) };
    // Both sides seed the random functions alike (`--seed`, `seed`). Certificates also hold
    // the clock's time (seconds): the CLI runs until one run stays within one second (again
    // from the start of a second: slow key-generating charts take most of one), and the
    // package's clock (`Date.now`) is pinned to the time that run started.
    let got;
    let started;
    let oneSecond = false;
    for (let attempt = 0; attempt < 8 && !oneSecond; attempt++) {
      if (attempt > 0) {
        retried++;
        await new Promise((ok) => setTimeout(ok, 1002 - (Date.now() % 1000)));
      }
      started = Date.now();
      got = await runCli([...args, "--seed", String(SEED)], golden);
      oneSecond = Math.floor(started / 1000) === Math.floor(Date.now() / 1000);
    }
    const realNow = Date.now;
    let result;
    try {
      Date.now = () => started;
      result = chartroom.render(files, parsed.options);
    } catch (e) {
      result = { ok: false, error: `threw ${e}`, output: "" };
    } finally {
      Date.now = realNow;
    }
    let why;
    if (got.code === 0 && !result.ok) why = `the CLI succeeded, the package failed: ${result.error.split("\n")[0]}`;
    else if (got.code !== 0 && result.ok) why = `the CLI failed (${(cliError(got.stderr) ?? got.stderr).split("\n")[0]}), the package succeeded`;
    else if (got.code === 0) why = Buffer.from(result.output, "utf8").equals(got.stdout) ? null : "output differs";
    else why = result.error.trimEnd() === cliError(got.stderr) ? null : "error text differs";
    if (why === null) matched++;
    // On a machine too busy for the CLI to finish within one second, the two clocks differ,
    // and so do certificates: such a case is reported, not counted as a difference.
    else if (!oneSecond && why === "output differs") clockBound.push(id);
    else differ.push(`${id}: ${why}`);
  }
  const total = cases.length - skipped.length;
  console.log(`npm package: ${matched}/${total} golden cases byte-identical to the CLI` +
    ` (${skipped.length} skipped for flags without an option, ${retried} retries, ${((Date.now() - begun) / 1000).toFixed(1)} s)`);
  for (const line of differ) console.log(`  ${line}`);
  if (clockBound.length) {
    console.log(`  not compared (the CLI never finished within one second, so certificate times differ): ${clockBound.join(", ")}`);
  }
  assert.ok(total > 0, "no golden case was compared");
  assert.deepEqual(differ, []);
});

// ---- hostile and malformed input (issue 14's error sweep, wasm side) ----------------------------
// Each input goes through the package and the CLI: the package never throws or traps, and
// gives the CLI's exact `Error:` text (or the same output where the CLI succeeds).
test("every recorded test chart (tests/charts) renders as the CLI does", async () => {
  const chartsDir = join(root, "tests", "charts");
  const walk = (dir, rel = "") =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name), `${rel}${e.name}/`) : [[`${rel}${e.name}`, new Uint8Array(readFileSync(join(dir, e.name)))]]);
  const flags = {
    ...FLAG_OPTIONS,
    "-s": FLAG_OPTIONS["--show-only"],
  };
  const switches = { ...SWITCH_OPTIONS, "--debug": "debug" };
  let compared = 0;
  const skipped = [];
  const differ = [];
  for (const name of readdirSync(chartsDir).sort()) {
    const caseDir = join(chartsDir, name);
    if (!existsSync(join(caseDir, "args"))) continue;
    const args = readFileSync(join(caseDir, "args"), "utf8").trim().split(/\s+/);
    const options = { seed: SEED };
    const positional = [];
    let ok = true;
    for (let i = 0; i < args.length && ok; i++) {
      if (flags[args[i]] && i + 1 < args.length && !args[i].startsWith("-f")) flags[args[i]](options, args[++i]);
      else if (switches[args[i]]) options[switches[args[i]]] = true;
      else if (args[i].startsWith("-")) ok = false;
      else positional.push(args[i]);
    }
    const chart = positional[positional.length - 1];
    if (!ok || !chart || !existsSync(join(caseDir, chart)) || args.some((a) => a === "-f" || a === "--values")) {
      skipped.push(name);
      continue;
    }
    if (positional.length === 2) options.releaseName = positional[0];
    const files = Object.fromEntries(walk(join(caseDir, chart)));
    const got = await runCli([...args, "--seed", String(SEED)], caseDir);
    const result = chartroom.render(files, options);
    let why = null;
    if (got.code === 0 && !result.ok) why = `the CLI succeeded, the package failed: ${result.error.split("\n")[0]}`;
    else if (got.code !== 0 && result.ok) why = "the CLI failed, the package succeeded";
    else if (got.code === 0) why = Buffer.from(result.output, "utf8").equals(got.stdout) ? null : "output differs";
    else why = result.error.trimEnd() === cliError(got.stderr) ? null : `error text differs: ${result.error.split("\n")[0]}`;
    if (why) differ.push(`${name}: ${why}`);
    else compared++;
  }
  console.log(`npm package: ${compared} recorded test charts as the CLI renders them (${skipped.length} skipped for flags without an option: ${skipped.join(", ")})`);
  assert.deepEqual(differ, []);
  assert.ok(compared >= 30, `only ${compared} compared`);
});

test("malformed input: the package fails as the CLI does, never throws", async () => {
  const base = chart();
  const withTemplate = (text) => ({ ...base, "templates/bad.yaml": text });
  const laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 0; i < 8; i++) {
    const p = String.fromCharCode(98 + i);
    const q = String.fromCharCode(97 + i);
    laughs.push(`${p}: &${p} [*${q}, *${q}, *${q}, *${q}, *${q}, *${q}, *${q}, *${q}, *${q}]`);
  }
  const cases = [
    // values
    [base, { values: [new TextDecoder("latin1").decode(new Uint8Array([0x61, 0x3a, 0x20, 0xe9, 0x0a]))] }],
    [base, { values: ["a: [\n"] }],
    [base, { values: ["- a\n- b\n"] }],
    [base, { values: ["a: \"b\u0000c\"\n"] }],
    [base, { values: ["[".repeat(100000)] }],
    [base, { values: [laughs.join("\n") + "\n"] }],
    // templates
    [withTemplate("{{ .Values.a \n"), {}],
    [withTemplate("{{ end }}\n"), {}],
    [withTemplate("{{ nosuchfunction 1 }}\n"), {}],
    [withTemplate(`{{ ${"(".repeat(5000)}1${")".repeat(5000)} }}\n`), {}],
    // kube versions
    [base, { kubeVersion: "abc" }],
    [base, { kubeVersion: "1.10" }],
    // --set family
    [base, { set: ["a[99999999]=1"] }],
    [base, { set: [`${Array(40000).fill("a").join(".")}=1`] }],
    [base, { set: [`a${"[0]".repeat(20000)}=1`] }],
    [base, { set: [`${"k".repeat(100000)}=1`] }],
    [base, { setJson: ["a={"] }],
    [base, { set: ["a[-1]=1"] }],
  ];
  for (const [files, options] of cases) {
    await sameAsCli(files, { seed: SEED, ...options });
  }
  // Archives: the same bytes as a file for the CLI and as { "chart.tgz": bytes }: both fail.
  const tgz = smallestGoldenChart();
  const archives = [new Uint8Array(0), new TextEncoder().encode("not gzip"), new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])];
  if (tgz) archives.push(new Uint8Array(readFileSync(tgz)).slice(0, 300));
  for (const bytes of archives) {
    const dir = scratchDir("archive");
    writeFileSync(join(dir, "chart.tgz"), bytes);
    const got = await runCli(["chart.tgz"], dir);
    const result = chartroom.render({ "chart.tgz": bytes }, {});
    assert.equal(got.code, 1, got.stderr);
    assert.equal(result.ok, false);
    // The CLI's text names the file (Helm's, with its path); bytes in memory have none.
    assert.match(result.error, /archive/, `archive of ${bytes.length} bytes`);
    assert.match(cliError(got.stderr), /archive/);
  }
  // chartroom's own limits stop runaways with an error naming the limit; diff and lint report
  // the same inputs as errors, never by throwing.
  const loop = withTemplate("{{ range until 1000000 }}{{ end }}{{ range until 1000000 }}{{ end }}\n");
  const stopped = chartroom.render(loop, { limits: { steps: 5000 } });
  assert.equal(stopped.ok, false);
  assert.match(stopped.error, /steps/);
  const big = chartroom.render(withTemplate("{{ repeat 2000000 \"x\" }}\n"), { limits: { outputBytes: 1000000 } });
  assert.equal(big.ok, false);
  assert.match(big.error, /output/i);
  const release = chartroom.render(withTemplate("{{ repeat 2000 \"x\" }}\n"), { limits: { releaseBytes: 1000 } });
  assert.equal(release.ok, false);
  assert.match(release.error, /exceeded the limit release-bytes=1000 /);
  const unknown = chartroom.render(base, { limits: { bogus: 1 } });
  assert.deepEqual([unknown.ok, unknown.errorKind], [false, "usage"]);
  const d = chartroom.diff(withTemplate("{{ .Values.a \n"), {}, { values: ["a: 1\n"] });
  assert.equal(d.ok, false);
  assert.match(d.error, /unclosed action/);
});
