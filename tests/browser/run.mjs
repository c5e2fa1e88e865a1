// Chromium tests of the chartroom page: serves web/dist/ on a loopback port, drives Debian's
// Chromium through playwright-core (never playwright's own browser download), and checks what a
// person sees: the first render, typing into values.yaml, the shareable URL hash, reloading a
// link, the release name, errors, and the read-only file tabs. Screenshots go to
// tests/artifacts/. The last line printed is "N passed, N failed".
//
// Works with the render stub (which echoes the values and prints the raw templates) and with
// the real renderer; the checks that only make sense for real output are skipped on the stub.

import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dist = join(root, "web", "dist");
const artifacts = join(root, "tests", "artifacts");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const expectedDefault = readFileSync(join(here, "lighthouse.expected.yaml"), "utf8");
const TAG = "9.9.9-chartroom-test";
const STEP_TIMEOUT = 20000;

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file)] || "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- tiny test harness ----------------------------------------------------------------------
const results = { passed: 0, failed: 0, skipped: 0 };
async function test(name, fn) {
  const t0 = Date.now();
  try {
    const skip = await fn();
    if (typeof skip === "string") {
      results.skipped++;
      console.log(`skip - ${name} (${skip})`);
    } else {
      results.passed++;
      console.log(`ok   - ${name} (${Date.now() - t0} ms)`);
    }
  } catch (err) {
    results.failed++;
    console.log(`FAIL - ${name}\n       ${String(err && err.stack ? err.stack : err).split("\n").join("\n       ")}`);
  }
}
function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function summary() {
  const skipped = results.skipped ? `, ${results.skipped} skipped` : "";
  console.log(`${results.passed} passed, ${results.failed} failed${skipped}`);
}

// ---- page helpers -------------------------------------------------------------------------------
const outputText = (page) => page.$eval("#output", (el) => el.textContent);
const rendersDone = (page) => page.evaluate(() => Number(document.body.dataset.renders || 0));

async function waitForRenderAfter(page, before) {
  await page.waitForFunction(
    (n) => Number(document.body.dataset.renders || 0) > n && document.body.dataset.state !== "pending",
    before,
    { timeout: STEP_TIMEOUT },
  );
}

async function waitForOutput(page, needle) {
  await page.waitForFunction(
    (s) => document.getElementById("output").textContent.includes(s),
    needle,
    { timeout: STEP_TIMEOUT },
  );
}

// Puts the caret in values.yaml right after `prefix` (first match), replacing `replaceLen` chars.
async function selectInValues(page, prefix, replaceLen) {
  const ok = await page.$eval(
    "#values",
    (el, [p, n]) => {
      const at = el.value.indexOf(p);
      if (at < 0) return false;
      el.focus();
      el.setSelectionRange(at + p.length, at + p.length + n);
      return true;
    },
    [prefix, replaceLen],
  );
  assert(ok, `values.yaml does not contain ${JSON.stringify(prefix)}`);
}

async function main() {
  assert(existsSync(join(dist, "index.html")), "web/dist is missing: run the wasm build first");
  assert(existsSync(executablePath), `no Chromium at ${executablePath}`);
  mkdirSync(artifacts, { recursive: true });
  const server = await serve(dist);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), "chartroom-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      "--no-sandbox",
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const problems = [];
  const watch = (page) => {
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
  };

  try {
    const page = context.pages()[0] || (await context.newPage());
    watch(page);
    let stub = false;
    let editedValues = "";
    let sharedUrl = "";

    await test("page loads and shows the first render", async () => {
      await page.goto(base);
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      const state = await page.evaluate(() => document.body.dataset.state);
      const out = await outputText(page);
      const diag = await page.textContent("#diagnostics");
      assert(state === "ok", `state is ${state}: ${diag}`);
      assert(out.includes("# Source: "), `output has no '# Source:' line:\n${out.slice(0, 400)}`);
      const values = await page.inputValue("#values");
      assert(values.includes("replicaCount: 2"), "values.yaml editor does not hold the chart's values");
      const hash = await page.evaluate(() => location.hash);
      assert(hash === "", `default state should leave the hash empty, got ${hash}`);
      stub = out.includes("{{");
      console.log(`       (renderer: ${stub ? "stub (raw templates in output)" : "real"})`);
      await page.screenshot({ path: join(artifacts, "initial.png") });
    });

    await test("default output equals helm template's (tests/browser/lighthouse.expected.yaml)", async () => {
      if (stub) return "render core is still a stub";
      const out = await outputText(page);
      if (out !== expectedDefault) {
        const a = out.split("\n");
        const b = expectedDefault.split("\n");
        const i = a.findIndex((line, k) => line !== b[k]);
        throw new Error(`first difference at line ${i + 1}:\n  got:  ${a[i]}\n  want: ${b[i]}`);
      }
    });

    await test("typing an image tag into values.yaml re-renders with it", async () => {
      const before = await rendersDone(page);
      await selectInValues(page, 'tag: "', 0);
      await page.keyboard.type(TAG, { delay: 5 });
      await waitForOutput(page, TAG);
      await waitForRenderAfter(page, before);
      const out = await outputText(page);
      if (!stub) {
        assert(
          out.includes(`image: "ghcr.io/example/lighthouse:${TAG}"`),
          "the deployment's image does not use the typed tag",
        );
      }
    });

    await test("changing replicaCount shows the new count", async () => {
      await selectInValues(page, "replicaCount: ", 1);
      await page.keyboard.type("7");
      await waitForOutput(page, stub ? "replicaCount: 7" : "replicas: 7");
      editedValues = await page.inputValue("#values");
      assert(editedValues.includes("replicaCount: 7") && editedValues.includes(`tag: "${TAG}"`), "editor lost an edit");
      await page.screenshot({ path: join(artifacts, "edited.png") });
    });

    await test("the URL hash records the edited values", async () => {
      await page.waitForFunction(() => location.hash.length > 3, null, { timeout: STEP_TIMEOUT });
      const hash = await page.evaluate(() => location.hash);
      assert(/^#[su]=[A-Za-z0-9_-]+$/.test(hash), `unexpected hash ${hash}`);
      sharedUrl = page.url();
    });

    await test("reloading the page with that hash restores the edited values", async () => {
      await page.reload();
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      assert((await page.inputValue("#values")) === editedValues, "values after reload differ from the edited ones");
      assert((await outputText(page)).includes(TAG), "output after reload lacks the edited tag");
    });

    await test("the shared link reproduces the view in a new tab", async () => {
      const other = await context.newPage();
      watch(other);
      await other.goto(sharedUrl);
      await other.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      assert((await other.inputValue("#values")) === editedValues, "values in the new tab differ");
      assert((await outputText(other)) === (await outputText(page)), "output in the new tab differs");
      await other.close();
    });

    await test("the release name field changes the release", async () => {
      await page.fill("#release", "harbor");
      await waitForOutput(page, stub ? "instance: harbor" : "name: harbor-lighthouse");
      const cmd = await page.textContent("#command");
      assert(cmd.includes("helm template harbor "), `command line shows ${cmd}`);
      await page.waitForFunction(() => location.hash.length > 3, null, { timeout: STEP_TIMEOUT });
      await page.fill("#release", "release-name");
      await waitForOutput(page, stub ? "instance: release-name" : "name: release-name-lighthouse");
    });

    await test("invalid values show an error in the diagnostics area", async () => {
      if (stub) return "the stub never fails";
      const good = await page.inputValue("#values");
      await page.fill("#values", good + "\nbroken: [1, 2\n");
      await page.waitForFunction(() => document.body.dataset.state === "error", null, { timeout: STEP_TIMEOUT });
      const diag = (await page.textContent("#diagnostics-text")).trim();
      assert(diag.startsWith("Error: ") && diag.length > 10, `diagnostics: ${diag}`);
      await page.screenshot({ path: join(artifacts, "error.png") });
      await page.fill("#values", good);
      await page.waitForFunction(() => document.body.dataset.state === "ok", null, { timeout: STEP_TIMEOUT });
    });

    await test("a template tab opens the file in the editor", async () => {
      await page.click('.tab[data-path="templates/deployment.yaml"]');
      const text = await page.inputValue("#file-editor");
      assert(text.includes("kind: Deployment") && text.includes("{{"), "deployment.yaml not shown");
      assert(await page.isHidden("#values"), "the values editor should be hidden on another tab");
      await page.screenshot({ path: join(artifacts, "template-tab.png") });
      await page.click('.tab[data-path="values.yaml"]');
      assert(await page.isVisible("#values"), "the values editor did not come back");
    });

    await test("Reset restores the chart's values and clears the hash", async () => {
      await page.click("#reset");
      await page.waitForFunction(() => location.hash === "", null, { timeout: STEP_TIMEOUT });
      await page.waitForFunction(
        (t) => !document.getElementById("output").textContent.includes(t),
        TAG,
        { timeout: STEP_TIMEOUT },
      );
      assert((await page.inputValue("#values")).includes('tag: ""'), "values were not reset");
      if (!stub) assert((await outputText(page)) === expectedDefault, "output after reset differs from helm's");
    });

    await test("a damaged link falls back to the chart's values with a message", async () => {
      await page.goto(base + "#s=not-valid-deflate");
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      assert((await page.inputValue("#values")).includes("replicaCount: 2"), "values not the chart's");
      const diag = await page.textContent("#diagnostics-text");
      assert(/Could not read the link/.test(diag), `diagnostics: ${diag}`);
      problems.splice(0); // the failed decode may log; that is the point of this test
    });

    await test("wasm API: render and diff with options objects, string and Uint8Array files, bad input as an error object", async () => {
      await page.goto(base);
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      const r = await page.evaluate(async () => {
        const m = await import("./pkg/chartroom_wasm.js");
        await m.default();
        const chartYaml = "apiVersion: v2\nname: probe\nversion: 1.0.0\n";
        const enc = new TextEncoder();
        const opts = { releaseName: "probe-release" };
        const asText = m.render(
          { "Chart.yaml": chartYaml, "templates/cm.yaml": "kind: ConfigMap\nname: {{ .Release.Name }}\n" },
          opts,
        );
        const asBytes = m.render(
          { "Chart.yaml": enc.encode(chartYaml), "templates/cm.yaml": enc.encode("kind: ConfigMap\nname: {{ .Release.Name }}\n") },
          opts,
        );
        // Functions that read the clock or randomness must not trap in wasm32-unknown-unknown.
        const clock = m.render(
          {
            "Chart.yaml": chartYaml,
            "templates/t.yaml": 'y: {{ now | date "2006" }}\nr: {{ randAlphaNum 5 | len }}\nu: {{ uuidv4 | len }}\n',
          },
          opts,
        );
        const badFile = m.render({ "Chart.yaml": 42 }, opts);
        const notObject = m.render("nope", opts);
        const badOption = m.render({ "Chart.yaml": chartYaml }, { releaseNmae: "typo" });
        // Diff: the same inputs are no changes even with random values; a values change is one.
        const files = {
          "Chart.yaml": chartYaml,
          "templates/s.yaml": "kind: Secret\nmetadata:\n  name: s\ndata:\n  p: {{ randAlphaNum 8 | b64enc }}\n  num: {{ .Values.num | toString | b64enc }}\n",
        };
        const same = m.diff(files, { values: ["num: 1"] }, { values: ["num: 1"] });
        const changed = m.diff(files, { values: ["num: 1"] }, { values: ["num: 2"] });
        return { asText, asBytes, clock, badFile, notObject, badOption, same, changed, version: m.version() };
      });
      for (const k of ["asText", "asBytes"]) {
        assert(r[k].ok === true && r[k].error === "", `${k}: ${JSON.stringify(r[k])}`);
        assert(r[k].output.includes("kind: ConfigMap") && r[k].output.includes("probe-release"), `${k}: ${r[k].output}`);
      }
      assert(r.asText.output === r.asBytes.output, "string and Uint8Array files render differently");
      assert(typeof r.clock.ok === "boolean", `clock: ${JSON.stringify(r.clock)}`);
      if (!stub) {
        // The module's start function installs the browser's clock and entropy.
        assert(r.clock.ok, `clock: ${JSON.stringify(r.clock)}`);
        assert(r.clock.output.includes(`y: ${new Date().getUTCFullYear()}`), `now: ${r.clock.output}`);
        assert(/r: 5/.test(r.clock.output) && /u: 36/.test(r.clock.output), `random: ${r.clock.output}`);
      }
      assert(r.badFile.ok === false && /Chart\.yaml/.test(r.badFile.error), `badFile: ${JSON.stringify(r.badFile)}`);
      assert(r.notObject.ok === false && r.notObject.error.length > 0, `notObject: ${JSON.stringify(r.notObject)}`);
      assert(r.badOption.ok === false && r.badOption.errorKind === "usage" && /releaseNmae/.test(r.badOption.error),
        `badOption: ${JSON.stringify(r.badOption)}`);
      assert(r.asText.manifests.length === 1 && r.asText.manifests[0].head.kind === "ConfigMap",
        `manifests: ${JSON.stringify(r.asText.manifests)}`);
      if (!stub) {
        assert(r.same.ok && r.same.changes.length === 0, `same: ${JSON.stringify(r.same)}`);
        assert(r.changed.ok && r.changed.summary.modified === 1 && r.changed.changes[0].values.join() === "num",
          `changed: ${JSON.stringify(r.changed)}`);
        assert(!JSON.stringify(r.changed).includes("MQ=="), "a secret value leaked into the diff");
      }
      assert(/^\d+\.\d+\.\d+/.test(r.version), `version ${r.version}`);
    });

    await test("no page errors or console errors", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.log("FAIL - browser tests timed out after 5 minutes");
  results.failed++;
  summary();
  process.exit(1);
}, 5 * 60 * 1000);

main()
  .catch((err) => {
    results.failed++;
    console.log(`FAIL - harness: ${err && err.stack ? err.stack : err}`);
  })
  .finally(() => {
    clearTimeout(watchdog);
    summary();
    process.exitCode = results.failed ? 1 : 0;
  });
