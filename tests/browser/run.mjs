// Chromium tests of the chartroom page: serves web/dist/ on a loopback port, drives Debian's
// Chromium through playwright-core (never playwright's own browser download), and checks what a
// person sees: the first render, typing into values.yaml and templates, the shareable URL hash
// (round trip, too-large warning), reloading a link, the release name and flags, values
// layers, errors underlined at their line, charts opened from a .tgz (dropped or picked, golden
// charts from ../shared read in place and compared with Helm's output), a folder and
// ?chart=URL, lint and diff views, a runaway template, dark mode, keyboard and labels, and that
// no request leaves the origin. Screenshots of each state go to tests/artifacts/. The last line
// printed is "N passed, N failed".
//
// Works with the render stub (which echoes the values and prints the raw templates) and with
// the real renderer; the checks that only make sense for real output are skipped on the stub.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
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
const golden = join(root, "..", "shared", "golden");

// Golden cases rendered with the chart's defaults that Helm renders the same way every run:
// the smallest such chart, and the smallest with a packaged dependency (charts/*.tgz inside).
function goldenCharts() {
  if (!existsSync(join(golden, "cases.tsv"))) return null;
  const picks = [];
  for (const line of readFileSync(join(golden, "cases.tsv"), "utf8").split("\n")) {
    const [id, args] = line.split("\t");
    const m = /^release-name (charts\/[^ ]+\.tgz)$/.exec(args || "");
    if (!m) continue;
    const exp = join(golden, "expected", id);
    if (readFileSync(`${exp}.rc`, "utf8").trim() !== "0" || existsSync(`${exp}.volatile.json`)) continue;
    const tgz = join(golden, m[1]);
    picks.push({ id, tgz, size: statSync(tgz).size, expected: readFileSync(`${exp}.out`, "utf8") });
  }
  picks.sort((a, b) => a.size - b.size);
  const withDep = picks.find((p) => p.size < 300000 && /^[^/]+\/charts\/[^/]+\//m.test(execFileSync("tar", ["tzf", p.tgz], { encoding: "utf8" })));
  return { small: picks[0], withDep };
}
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

// Serves dir; /__golden/NAME.tgz serves a golden chart in place (a docs site's own chart, for
// ?chart=URL).
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const g = /^\/__golden\/([A-Za-z0-9_.-]+\.tgz)$/.exec(path);
    if (g && existsSync(join(golden, "charts", g[1]))) {
      res.writeHead(200, { "content-type": "application/gzip", "cache-control": "no-store" });
      createReadStream(join(golden, "charts", g[1])).pipe(res);
      return;
    }
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

// The editors are CodeMirror views in shadow roots; each host element carries its editor
// object (value, setValueAsUser, select), so tests read and replace text through it and type
// with the keyboard like a person.
const editorValue = (page, id) => page.$eval(`#${id}`, (el) => el.editor.value);
const setEditor = (page, id, text) => page.$eval(`#${id}`, (el, t) => el.editor.setValueAsUser(t), text);

// Puts the caret in an editor right after `prefix` (first match), selecting `replaceLen` chars.
async function selectIn(page, id, prefix, replaceLen) {
  const ok = await page.$eval(
    `#${id}`,
    (el, [p, n]) => {
      const at = el.editor.value.indexOf(p);
      if (at < 0) return false;
      el.editor.select(at + p.length, at + p.length + n);
      return true;
    },
    [prefix, replaceLen],
  );
  assert(ok, `${id} does not contain ${JSON.stringify(prefix)}`);
}
const selectInValues = (page, prefix, replaceLen) => selectIn(page, "values", prefix, replaceLen);

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
  // Every request the pages make: none may leave the test server's origin (checked last).
  const requests = [];
  const origin = new URL(base).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin) return route.continue();
    return route.abort();
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
      const values = await editorValue(page, "values");
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
      editedValues = await editorValue(page, "values");
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
      assert((await editorValue(page, "values")) === editedValues, "values after reload differ from the edited ones");
      assert((await outputText(page)).includes(TAG), "output after reload lacks the edited tag");
    });

    await test("the shared link reproduces the view in a new tab", async () => {
      const other = await context.newPage();
      watch(other);
      await other.goto(sharedUrl);
      await other.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      assert((await editorValue(other, "values")) === editedValues, "values in the new tab differ");
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
      const good = await editorValue(page, "values");
      await setEditor(page, "values", good + "\nbroken: [1, 2\n");
      await page.waitForFunction(() => document.body.dataset.state === "error", null, { timeout: STEP_TIMEOUT });
      const diag = (await page.textContent("#diagnostics-text")).trim();
      assert(diag.startsWith("Error: ") && diag.length > 10, `diagnostics: ${diag}`);
      await page.screenshot({ path: join(artifacts, "error.png") });
      await setEditor(page, "values", good);
      await page.waitForFunction(() => document.body.dataset.state === "ok", null, { timeout: STEP_TIMEOUT });
    });

    await test("a template tab opens the file in the editor", async () => {
      await page.click('.tab[data-path="templates/deployment.yaml"]');
      const text = await editorValue(page, "file-editor");
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
      assert((await editorValue(page, "values")).includes('tag: ""'), "values were not reset");
      if (!stub) assert((await outputText(page)) === expectedDefault, "output after reset differs from helm's");
    });

    await test("a damaged link falls back to the chart's values with a message", async () => {
      await page.goto(base + "#s=not-valid-deflate");
      await page.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1, null, {
        timeout: 60000,
      });
      assert((await editorValue(page, "values")).includes("replicaCount: 2"), "values not the chart's");
      const diag = await page.textContent("#diagnostics-text");
      assert(/Could not read the link/.test(diag), `diagnostics: ${diag}`);
      problems.splice(0); // the failed decode may log; that is the point of this test
    });


    // ---- issue 13: charts in, every file editable, layers, flags, errors, worker, share --------
    const charts = goldenCharts();
    const gotoFresh = async (p, url) => {
      await p.goto(url);
      await p.waitForFunction(() => Number(document.body.dataset.renders || 0) >= 1 && document.body.dataset.state !== "pending", null, { timeout: 60000 });
    };
    const waitState = (p, st) => p.waitForFunction((s) => document.body.dataset.state === s, st, { timeout: STEP_TIMEOUT });
    // Replaces the whole text of the file editor (a chart file or a layer) like typing would.
    const setFileText = async (p, text) => {
      await setEditor(p, "file-editor", text);
    };

    await test("first preview and edit-to-preview times (the page's own measurements)", async () => {
      const firsts = [];
      for (let i = 0; i < 3; i++) {
        await gotoFresh(page, base);
        firsts.push(Number(await page.evaluate(() => document.body.dataset.firstPreviewMs)));
      }
      firsts.sort((a, b) => a - b);
      const first = firsts[1];
      const times = [];
      for (const n of [3, 4, 5, 6, 7]) {
        await selectInValues(page, "replicaCount: ", 1);
        await page.keyboard.type(String(n));
        await waitForOutput(page, `replicas: ${n}`);
        await page.waitForFunction(() => document.body.dataset.editToPreviewMs, null, { timeout: STEP_TIMEOUT });
        times.push(Number(await page.evaluate(() => document.body.dataset.editToPreviewMs)));
      }
      times.sort((a, b) => a - b);
      console.log(`       (first preview median ${first} ms of 3 loads (${firsts.join(", ")}) after navigation; edit-to-preview median ${times[2]} ms, max ${times[4]} ms, debounce included)`);
      assert(first > 0 && times[2] > 0, "the page recorded no timings");
      await page.click("#reset");
      await page.waitForFunction(() => location.hash === "", null, { timeout: STEP_TIMEOUT });
    });

    await test("editing a template re-renders with the edit", async () => {
      await page.click('.tab[data-path="templates/configmap.yaml"]');
      const text = await editorValue(page, "file-editor");
      await selectIn(page, "file-editor", "data:\n", 0);
      await page.keyboard.type('  EDITED_IN_BROWSER: "yes"');
      await page.keyboard.insertText("\n"); // a plain newline (Enter would auto-indent)
      await waitForOutput(page, 'EDITED_IN_BROWSER: "yes"');
      assert((await editorValue(page, "file-editor")).length > text.length, "the edit is not in the editor");
      assert(await page.$eval('.tab[data-path="templates/configmap.yaml"]', (el) => el.classList.contains("modified")), "the tab is not marked as edited");
      await page.screenshot({ path: join(artifacts, "template-edited.png") });
      // Each file keeps its undo history while another file is shown.
      await page.click('.tab[data-path="Chart.yaml"]');
      await page.click('.tab[data-path="templates/configmap.yaml"]');
      const edited = await editorValue(page, "file-editor");
      await page.focus("#file-editor .cm-content");
      let undos = 0;
      while ((await editorValue(page, "file-editor")) !== text && undos < 20) {
        await page.keyboard.press("Control+z");
        undos++;
      }
      assert((await editorValue(page, "file-editor")) === text, "undo did not restore the file");
      await page.waitForFunction(() => !document.getElementById("output").textContent.includes("EDITED_IN_BROWSER"), null, { timeout: STEP_TIMEOUT });
      for (let i = 0; i < undos; i++) await page.keyboard.press("Control+Shift+z");
      assert((await editorValue(page, "file-editor")) === edited, "redo did not bring the edit back");
      await waitForOutput(page, 'EDITED_IN_BROWSER: "yes"');
    });

    await test("a template error is underlined at its file, line and column", async () => {
      const good = await editorValue(page, "file-editor");
      const lines = good.split("\n");
      // Line 4 gets a nil-pointer evaluation after 8 characters: Helm reports line:column.
      lines.splice(3, 0, '  bad: {{ .Values.nothing.here.deeper }}');
      await setFileText(page, lines.join("\n"));
      await waitState(page, "error");
      const diag = await page.textContent("#diagnostics-text");
      assert(/configmap\.yaml:4:\d+/.test(diag), `diagnostics: ${diag}`);
      const col = Number(/configmap\.yaml:4:(\d+)/.exec(diag)[1]);
      const mark = await page.$eval("#file-editor .err-mark", (el) => ({ line: Number(el.dataset.line), col: Number(el.dataset.col), text: el.textContent }));
      assert(mark.line === 4 && mark.col === col, `underline at ${JSON.stringify(mark)}, error at 4:${col}`);
      assert(mark.text.startsWith(lines[3].slice(col - 1)), `underlined text ${mark.text}`);
      const gutter = await page.$eval("#file-editor .err-gutter", (el) => el.textContent);
      assert(gutter === "4", `gutter marks line ${gutter}`);
      assert(await page.$eval('.tab[data-path="templates/configmap.yaml"]', (el) => el.classList.contains("has-error")), "the file is not marked");
      // The underline is drawn on line 4 of the text as displayed.
      const geo = await page.evaluate(() => {
        const root = document.getElementById("file-editor").shadowRoot;
        const m = root.querySelector(".err-mark").getBoundingClientRect();
        const line = root.querySelectorAll(".cm-line")[3].getBoundingClientRect();
        return { top: m.top, want: line.top, bottom: m.bottom, lineBottom: line.bottom };
      });
      assert(geo.top >= geo.want - 1 && geo.bottom <= geo.lineBottom + 1, `underline drawn at y=${geo.top}-${geo.bottom}, line 4 is at y=${geo.want}-${geo.lineBottom}`);
      await page.screenshot({ path: join(artifacts, "template-error-underline.png") });
      // A parse error (no column) is underlined at its line too.
      lines[3] = "  bad: {{ if }}";
      await setFileText(page, lines.join("\n"));
      await page.waitForFunction(() => /parse error/.test(document.getElementById("diagnostics-text").textContent), null, { timeout: STEP_TIMEOUT });
      await page.waitForSelector('#file-editor .err-mark[data-line="4"]', { timeout: STEP_TIMEOUT });
      // From another file, "Go to error" opens the file at the error.
      await page.click('.tab[data-path="Chart.yaml"]');
      await page.click("#goto-error");
      assert((await page.textContent("#file-path")) === "templates/configmap.yaml", "Go to error did not open the file");
      await setFileText(page, good);
      await waitState(page, "ok");
      assert((await page.$$("#file-editor .err-mark")).length === 0, "the underline stayed after the fix");
    });

    await test("values layers apply in order, with --set lines last; rename and remove", async () => {
      await page.click("#add-layer");
      await page.waitForSelector('.tab[data-layer="0"][aria-selected="true"]');
      await setFileText(page, "replicaCount: 5\n");
      await waitForOutput(page, "replicas: 5");
      await page.click("#add-layer");
      await setFileText(page, "replicaCount: 9\nservice:\n  port: 8081\n");
      await waitForOutput(page, "replicas: 9");
      assert((await outputText(page)).includes("port: 8081"), "the second layer's port is missing");
      await page.fill("#set-lines", "replicaCount=11");
      await waitForOutput(page, "replicas: 11");
      page.once("dialog", (d) => d.accept("prod.yaml"));
      await page.click('.layer:nth-child(2) .rename-layer');
      await page.waitForFunction(() => document.getElementById("command").textContent.includes("-f base.yaml -f prod.yaml --set replicaCount=11"), null, { timeout: STEP_TIMEOUT });
      // A broken layer: the error names it and the layer is underlined at the line.
      await page.click('.tab[data-layer="1"]');
      await setFileText(page, "replicaCount: 9\nservice:\n  port: [8081\n");
      await waitState(page, "error");
      const diag = await page.textContent("#diagnostics-text");
      assert(/prod\.yaml/.test(diag), `diagnostics: ${diag}`);
      await page.waitForSelector("#file-editor .err-mark", { timeout: STEP_TIMEOUT });
      assert(await page.$eval('.tab[data-layer="1"]', (el) => el.classList.contains("has-error")), "the layer is not marked");
      await page.screenshot({ path: join(artifacts, "layer-error.png") });
      await setFileText(page, "replicaCount: 9\nservice:\n  port: 8081\n");
      await waitState(page, "ok");
      await page.fill("#set-lines", "");
      await waitForOutput(page, "replicas: 9");
      await page.screenshot({ path: join(artifacts, "layers.png") });
    });

    await test("flags: namespace, Kubernetes version, api versions, is-upgrade, include-crds, show-only", async () => {
      await page.fill("#namespace", "prod-ns");
      await page.selectOption("#kube-version", "1.30.0");
      await page.fill("#api-versions", "monitoring.coreos.com/v1");
      await page.check("#is-upgrade");
      await page.check("#include-crds");
      await page.fill("#show-only", "templates/service.yaml");
      await page.waitForFunction(() => {
        const out = document.getElementById("output").textContent;
        return out.includes("kind: Service") && !out.includes("kind: Deployment");
      }, null, { timeout: STEP_TIMEOUT });
      const cmd = await page.textContent("#command");
      for (const part of ["-n prod-ns", "--kube-version 1.30.0", "--api-versions monitoring.coreos.com/v1", "--is-upgrade", "--include-crds", "-s templates/service.yaml"]) {
        assert(cmd.includes(part), `command lacks ${part}: ${cmd}`);
      }
      await page.fill("#show-only", "");
      await waitForOutput(page, "kind: Deployment");
    });

    let shareUrl = "";
    let shareOutput = "";
    await test("the share URL carries edited files, layers, --set and flags (round trip)", async () => {
      await page.waitForFunction(() => location.hash.startsWith("#s="), null, { timeout: STEP_TIMEOUT });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      shareUrl = page.url();
      shareOutput = await outputText(page);
      const cmd = await page.textContent("#command");
      const other = await context.newPage();
      watch(other);
      await gotoFresh(other, shareUrl);
      await other.waitForFunction((t) => document.getElementById("output").textContent === t, shareOutput, { timeout: STEP_TIMEOUT });
      assert((await other.textContent("#command")) === cmd, `command in the new tab: ${await other.textContent("#command")}`);
      assert((await other.inputValue("#namespace")) === "prod-ns", "namespace not restored");
      assert(await other.isChecked("#include-crds"), "include-crds not restored");
      assert((await other.$$(".layers .layer")).length === 2, "layers not restored");
      await other.click('.tab[data-path="templates/configmap.yaml"]');
      assert((await editorValue(other, "file-editor")).includes("EDITED_IN_BROWSER"), "the edited template is not restored");
      await other.screenshot({ path: join(artifacts, "share-round-trip.png") });
      await other.close();
    });

    await test("a state too large for a link gets a warning instead of a broken link", async () => {
      const before = page.url();
      // 150 KB of incompressible text in a comment.
      const noise = randomBytes(110000).toString("base64");
      await page.click('.tab[data-path="values.yaml"]');
      const good = await editorValue(page, "values");
      await setEditor(page, "values", `${good}\n# ${noise}\n`);
      await page.waitForFunction(() => /Too large to share/.test(document.getElementById("share-note").textContent), null, { timeout: STEP_TIMEOUT });
      assert((await page.evaluate(() => location.hash)) === "", "the address kept a hash");
      await page.screenshot({ path: join(artifacts, "share-too-large.png") });
      await setEditor(page, "values", good);
      await page.waitForFunction((u) => location.href === u, before, { timeout: STEP_TIMEOUT });
      assert((await page.textContent("#share-note")) === "", "the warning stayed");
    });

    await test("the lint view validates the manifests against the chosen Kubernetes version", async () => {
      await page.fill("#set-lines", "service.port=eighty");
      await page.click("#view-lint");
      await page.waitForFunction(() => /resource/.test(document.getElementById("lint-summary").textContent), null, { timeout: 30000 });
      await page.waitForFunction(() => /port/.test(document.getElementById("lint").textContent), null, { timeout: STEP_TIMEOUT });
      const lint = await page.textContent("#lint");
      assert(/error/.test(lint) && /Kubernetes 1\.30/.test(lint), `lint view: ${lint.slice(0, 400)}`);
      assert(requests.some((u) => u.endsWith("/packs/k8s-1.30.json.gz")), "the 1.30 schema pack was not fetched");
      await page.screenshot({ path: join(artifacts, "lint.png") });
      // "Show" opens the resource the finding is about.
      await page.click("#lint .finding.sev-error button.show-doc");
      assert((await page.getAttribute("#view-manifests", "aria-selected")) === "true", "Show did not open Manifests");
      const focused = await page.evaluate(() => document.activeElement.closest("details.doc")?.dataset.label);
      assert(/^Service /.test(focused || ""), `Show focused ${focused}`);
      await page.click("#view-lint");
      await page.fill("#set-lines", "");
    });

    await test("the diff view compares the chart defaults with the layers", async () => {
      await page.click("#view-diff");
      await page.waitForFunction(() => /modified/.test(document.getElementById("diff-summary").textContent), null, { timeout: 30000 });
      const diff = await page.textContent("#diff");
      assert(/Deployment/.test(diff) && /replicas/.test(diff), `diff view: ${diff.slice(0, 400)}`);
      await page.screenshot({ path: join(artifacts, "diff.png") });
      await page.click("#view-manifests");
    });

    await test("resources are collapsible and searchable, with copy and download", async () => {
      await page.click("#reset");
      await page.waitForFunction(() => location.hash === "", null, { timeout: STEP_TIMEOUT });
      await waitForOutput(page, "kind: Deployment");
      assert((await outputText(page)) === expectedDefault, "#output is not the full rendered text");
      const total = (await page.$$("#output details.doc")).length;
      assert(total === 3, `${total} resources`);
      await page.fill("#search", "kind: service");
      const shown = await page.$$eval("#output details.doc", (ds) => ds.filter((d) => !d.hidden).length);
      assert(shown === 1, `${shown} resources match "kind: service"`);
      await page.fill("#search", "");
      await page.click("#toggle-all");
      assert(await page.$$eval("#output details.doc", (ds) => ds.every((d) => !d.open)), "not collapsed");
      await page.screenshot({ path: join(artifacts, "collapsed.png") });
      await page.click("#toggle-all");
      assert((await outputText(page)) === expectedDefault, "#output text changed by collapsing");
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#output details.doc:nth-of-type(2) .download-doc")]);
      const saved = readFileSync(await download.path(), "utf8");
      assert(saved.startsWith("---\n# Source: lighthouse/templates/") && saved.includes("kind: "), `downloaded ${saved.slice(0, 100)}`);
    });

    await test("a .tgz dropped on the page renders exactly as helm template (golden)", async () => {
      if (!charts) return "../shared/golden is absent";
      const c = charts.small;
      const b64 = readFileSync(c.tgz).toString("base64");
      const name = c.tgz.split(sep).pop();
      await page.evaluate(([data, fileName]) => {
        const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], fileName, { type: "application/gzip" }));
        window.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true }));
        window.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, [b64, name]);
      await page.waitForFunction((t) => document.getElementById("output").textContent === t, c.expected, { timeout: 30000 }).catch(() => {});
      const out = await outputText(page);
      assert(out === c.expected, `${c.id}: output differs from Helm's\n${out.slice(0, 300)}`);
      assert(await page.isHidden("#drop-overlay"), "the drop overlay stayed");
      await page.screenshot({ path: join(artifacts, "dropped-tgz.png") });
    });

    await test("a .tgz with a dependency opens through the file picker, and its files are editable", async () => {
      if (!charts || !charts.withDep) return "no golden chart with a dependency under 300 KB";
      const c = charts.withDep;
      await page.setInputFiles("#open-tgz", c.tgz);
      await page.waitForFunction((t) => document.getElementById("output").textContent === t, c.expected, { timeout: 60000 }).catch(() => {});
      const out = await outputText(page);
      assert(out === c.expected, `${c.id}: output differs from Helm's\n${out.slice(0, 300)}`);
      const dep = await page.$$eval(".tab[data-path^='charts/']", (ts) => ts.map((t) => t.dataset.path));
      assert(dep.length > 0, "no dependency files listed");
      // Edit values.yaml: the edited files (not the archive) render now.
      const before = await rendersDone(page);
      await setEditor(page, "values", (await editorValue(page, "values")) + "\nchartroomProbe: 1\n");
      await waitForRenderAfter(page, before);
      assert((await page.evaluate(() => document.body.dataset.state)) === "ok", await page.textContent("#diagnostics-text"));
      await page.screenshot({ path: join(artifacts, "picked-tgz.png") });
    });

    await test("a chart folder opens through the folder picker", async () => {
      await page.setInputFiles("#open-dir", join(root, "web", "example-chart"));
      await page.waitForFunction((t) => document.getElementById("output").textContent === t, expectedDefault, { timeout: STEP_TIMEOUT });
      assert((await page.textContent("#chart-name")) === "lighthouse", "chart name");
    });

    // ---- issue 15: errors that explain themselves (tests/provenance/explain-me) ---------------
    // The chart's mistakes: a helper line indented one space too far (templates/_helpers.tpl:4,
    // included from templates/labels.yaml:6), a value with ": " printed unquoted, toYaml without
    // nindent, and `.Values.port | quote` into an integer field (templates/port.yaml:7).
    const explainMe = join(root, "tests", "provenance", "explain-me");
    const HELPER_LINE = " app.kubernetes.io/part-of: demo"; // templates/_helpers.tpl line 4
    const MARKED = "     app.kubernetes.io/part-of: demo"; // its rendered line (labels.yaml, line 7)
    // The file editor's highlighted (jumped-to) lines, its active line and cursor line.
    const editorJump = (p, id) =>
      p.$eval(`#${id}`, (el) => {
        const root = el.shadowRoot;
        return {
          jumped: [...root.querySelectorAll(".cm-jump-line")].map((l) => l.textContent),
          active: [...root.querySelectorAll(".cm-activeLine")].map((l) => l.textContent),
          cursorLine: el.editor.cursorLine,
          jumpLine: el.editor.jumpLine,
        };
      });

    await test("a render error shows the rendered lines around it, each linked to the template line that wrote it; a link opens that line", async () => {
      if (stub) return "the stub never fails";
      await page.setInputFiles("#open-dir", explainMe);
      await page.waitForFunction(() => document.getElementById("chart-name").textContent === "explain-me", null, { timeout: STEP_TIMEOUT });
      await waitState(page, "error");
      await page.waitForSelector("#error-panel:not([hidden]) .x-line.marked", { timeout: STEP_TIMEOUT });
      // Helm's own text first, unchanged (the diagnostics line shows the same text).
      const errorText = await page.textContent("#error-text");
      assert(errorText.startsWith("YAML parse error on explain-me/templates/labels.yaml: "), `error text: ${errorText}`);
      assert((await page.textContent("#diagnostics-text")) === `Error: ${errorText}`, "the panel's text differs from Helm's");
      const rows = await page.$$eval("#error-panel .x-line", (ls) =>
        ls.map((l) => ({
          no: l.querySelector(".x-no").textContent,
          text: l.querySelector(".x-text").textContent,
          marked: l.classList.contains("marked"),
          origin: [...l.querySelectorAll(".x-origin button.jump")].map((b) => b.textContent),
        })),
      );
      const marked = rows.filter((r) => r.marked);
      assert(marked.length === 1, `marked rows: ${JSON.stringify(rows)}`);
      assert(marked[0].text === MARKED && marked[0].no === "7", `marked row: ${JSON.stringify(marked[0])}`);
      assert(marked[0].origin.join(" → ") === "templates/labels.yaml:6 → templates/_helpers.tpl:4", `marked origin: ${marked[0].origin}`);
      assert(rows.some((r) => r.text === "data:" && r.origin.join() === "templates/labels.yaml:7"), `rows: ${JSON.stringify(rows)}`);
      // The error underline is on the template line that caused it (not only where Helm's text points).
      assert(await page.$eval('.tab[data-path="templates/_helpers.tpl"]', (el) => el.classList.contains("has-error")), "_helpers.tpl is not marked");
      await page.screenshot({ path: join(artifacts, "explain-error-panel.png") });
      await page.click("#error-panel .x-line.marked button.jump.primary");
      assert((await page.textContent("#file-path")) === "templates/_helpers.tpl", `editor shows ${await page.textContent("#file-path")}`);
      assert((await page.getAttribute('.tab[data-path="templates/_helpers.tpl"]', "aria-selected")) === "true", "the tab is not selected");
      let ed = await editorJump(page, "file-editor");
      assert(ed.jumped.length === 1 && ed.jumped[0] === HELPER_LINE && ed.jumpLine === 4, `highlighted: ${JSON.stringify(ed)}`);
      assert(ed.cursorLine === 4 && ed.active.includes(HELPER_LINE), `cursor: ${JSON.stringify(ed)}`);
      const under = await page.$eval("#file-editor .err-mark", (el) => Number(el.dataset.line));
      assert(under === 4, `underline on line ${under}`);
      // The highlighted line is on screen, in the editor's viewport.
      const seen = await page.$eval("#file-editor", (el) => {
        const line = el.shadowRoot.querySelector(".cm-jump-line").getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return line.top >= box.top && line.bottom <= box.bottom;
      });
      assert(seen, "the highlighted line is scrolled out of view");
      await page.screenshot({ path: join(artifacts, "explain-jump.png") });
      // By keyboard: Tab to a link, Enter opens it (line 6 of the excerpt: _helpers.tpl:3).
      await page.focus('#error-panel button.jump[data-path="templates/_helpers.tpl"][data-line="3"]');
      await page.keyboard.press("Enter");
      ed = await editorJump(page, "file-editor");
      assert(ed.jumpLine === 3 && ed.cursorLine === 3 && ed.jumped.length === 1, `keyboard jump: ${JSON.stringify(ed)}`);
      assert(await page.evaluate(() => document.activeElement.id === "file-editor"), "the editor does not have the focus");
      // An edit drops the highlight; undo brings the text back.
      await page.keyboard.press("End");
      await page.keyboard.type("x");
      ed = await editorJump(page, "file-editor");
      assert(ed.jumped.length === 0 && ed.jumpLine === null, `highlight after an edit: ${JSON.stringify(ed)}`);
      await page.keyboard.press("Control+z");
      await page.waitForFunction(() => !document.querySelector('.tab[data-path="templates/_helpers.tpl"]').classList.contains("modified"), null, { timeout: STEP_TIMEOUT });
      // The page shows the undo's render (not the edit's, which may still be on screen).
      await page.waitForFunction(() => document.body.dataset.settled === "true", null, { timeout: STEP_TIMEOUT });
    });

    await test("with a render error the output shows every manifest that rendered, and the failing one with the error inline", async () => {
      if (stub) return "the stub never fails";
      // The render of the undo above may have been on its way (the edit's own render, shown
      // before it, passed every check below but the failed document's): wait for the newest.
      await page.waitForFunction(() => document.body.dataset.settled === "true", null, { timeout: STEP_TIMEOUT });
      await page.waitForFunction(() => document.body.dataset.state === "error" && !document.getElementById("error-panel").hidden, null, { timeout: STEP_TIMEOUT });
      await page.waitForSelector("#error-panel .x-line.marked", { timeout: STEP_TIMEOUT });
      const out = await outputText(page);
      assert(out.includes("# Source: explain-me/templates/port.yaml\n") && out.includes('    - port: "8080"\n'), `output: ${out.slice(0, 300)}`);
      const docs = await page.$$eval("#output details.doc", (ds) => ds.map((d) => ({ source: d.dataset.source, failed: d.classList.contains("failed") })));
      assert(docs.length === 4, `documents: ${JSON.stringify(docs)}`);
      const failed = docs.filter((d) => d.failed).map((d) => d.source);
      assert(
        failed.join() === "explain-me/templates/labels.yaml" && docs[0].failed,
        `failed documents: ${JSON.stringify(docs)}; state ${await page.evaluate(() => `${document.body.dataset.state}, renders ${document.body.dataset.renders}, stale ${document.querySelector(".output-viewer").classList.contains("stale")}`)}; error ${await page.textContent("#error-text")}; panel ${await page.textContent("#excerpt")}`,
      );
      const mark = await page.$eval("#output details.doc.failed", (d) => ({
        line: d.querySelector(".marked-line").textContent,
        note: d.querySelector(".inline-error").dataset.error,
        after: d.querySelector(".inline-error").previousSibling?.textContent,
      }));
      assert(mark.line === MARKED, `marked line ${JSON.stringify(mark.line)}`);
      assert(mark.note.startsWith("YAML parse error on explain-me/templates/labels.yaml"), `inline error ${mark.note}`);
      // #output's text is the documents' text only: the inline note adds none.
      assert(!out.includes("mapping values are not allowed"), "#output's text holds the error");
      assert(out.includes(`${MARKED}\ndata:\n`), "the failing document's text is not whole");
      assert((await page.$eval(".output-viewer", (el) => el.classList.contains("stale"))) === false, "the output is faded");
      await page.click("#error-panel .show-failed");
      const visible = await page.$eval("#output details.doc.failed .inline-error", (el) => {
        const r = el.getBoundingClientRect();
        const box = document.getElementById("output").getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom;
      });
      assert(visible, "Show in output did not bring the error into view");
      await page.screenshot({ path: join(artifacts, "explain-output.png") });
    });

    await test("an execution error shows the failing template's output up to the failure, the error inline", async () => {
      if (stub) return "the stub never fails";
      await page.click('.tab[data-path="templates/port.yaml"]');
      const good = await editorValue(page, "file-editor");
      await setFileText(page, `${good}  type: {{ required "set type" .Values.type }}\n`);
      await page.waitForFunction(() => /execution error/.test(document.getElementById("error-text").textContent), null, { timeout: STEP_TIMEOUT });
      const text = await page.textContent("#error-text");
      assert(/explain-me\/templates\/port\.yaml:8:\d+\): set type/.test(text), `error: ${text}`);
      const last = await page.$eval("#output details.doc.failed", (d) => ({ source: d.dataset.source, text: d.dataset.text, note: d.querySelector(".inline-error")?.dataset.error }));
      assert(last.source === "explain-me/templates/port.yaml" && last.text.endsWith('    - port: "8080"\n  type: \n'), `failed document: ${JSON.stringify(last)}`);
      assert(/set type/.test(last.note || ""), `inline error: ${last.note}`);
      // The failing document first (under the error panel), then the ones that rendered.
      const order = await page.$$eval("#output details.doc", (ds) => ds.map((d) => `${d.dataset.source}${d.classList.contains("failed") ? " (failed)" : ""}`));
      assert(order[0] === "explain-me/templates/port.yaml (failed)" && order.includes("explain-me/templates/motto.yaml"), `documents: ${order}`);
      const under = await page.$eval("#file-editor .err-mark", (el) => Number(el.dataset.line));
      assert(under === 8, `underline on line ${under}`);
      await page.$eval("#output", (el) => el.scrollTo(0, 0));
      await page.screenshot({ path: join(artifacts, "explain-exec-error.png") });
      await setFileText(page, good);
      await page.waitForFunction(() => /YAML parse error/.test(document.getElementById("error-text").textContent), null, { timeout: STEP_TIMEOUT });
    });

    await test("lint findings show the rendered line and link to the template line, with the trace and the values line", async () => {
      if (stub) return "the stub never fails";
      await page.click("#view-lint");
      await page.waitForFunction(() => document.querySelectorAll("#lint .finding").length >= 4, null, { timeout: 30000 });
      const findings = await page.$$eval("#lint .finding", (fs) =>
        fs.map((f) => ({
          text: f.textContent,
          rendered: f.querySelector(".rendered .x-text")?.textContent ?? null,
          links: [...f.querySelectorAll(".origin button.jump")].map((b) => b.textContent),
          value: f.querySelector(".value-origin")?.textContent ?? null,
        })),
      );
      const port = findings.find((f) => f.text.includes("/spec/ports/0/port"));
      assert(port, `no finding for the port: ${JSON.stringify(findings)}`);
      assert(port.rendered === '    - port: "8080"', `rendered text ${port.rendered}`);
      assert(port.links[0] === "templates/port.yaml:7", `port links ${port.links}`);
      assert(port.value === "value port from values.yaml:2" && port.links.includes("values.yaml:2"), `value ${port.value}`);
      const labels = findings.find((f) => f.rendered === MARKED);
      assert(labels && labels.links.join(" → ") === "templates/labels.yaml:6 → templates/_helpers.tpl:4", `labels finding: ${JSON.stringify(labels)}`);
      await page.screenshot({ path: join(artifacts, "explain-lint.png") });
      const portFinding = page.locator("#lint .finding", { hasText: "/spec/ports/0/port" });
      await portFinding.locator('button.jump[data-path="templates/port.yaml"]').click();
      assert((await page.textContent("#file-path")) === "templates/port.yaml", `editor shows ${await page.textContent("#file-path")}`);
      let ed = await editorJump(page, "file-editor");
      assert(ed.jumpLine === 7 && ed.cursorLine === 7 && ed.jumped.join() === "    - port: {{ .Values.port | quote }}", `port.yaml: ${JSON.stringify(ed)}`);
      await page.screenshot({ path: join(artifacts, "explain-lint-jump.png") });
      // The values line: values.yaml opens at line 2; the other highlight goes.
      await portFinding.locator('button.jump[data-path="values.yaml"]').click();
      assert((await page.textContent("#file-path")) === "values.yaml", "values.yaml did not open");
      ed = await editorJump(page, "values");
      assert(ed.jumpLine === 2 && ed.cursorLine === 2 && ed.jumped.join() === "port: 8080", `values.yaml: ${JSON.stringify(ed)}`);
      await page.click('.tab[data-path="templates/port.yaml"]');
      ed = await editorJump(page, "file-editor");
      assert(ed.jumped.length === 0, `port.yaml kept its highlight after another jump: ${JSON.stringify(ed)}`);
      await page.click("#view-manifests");
    });

    await test("an error before any template ran (values) links to the values line and says the output is the last render's", async () => {
      if (stub) return "the stub never fails";
      await page.click('.tab[data-path="values.yaml"]');
      const good = await editorValue(page, "values");
      await setEditor(page, "values", `${good}broken: [1, 2\n`);
      await page.waitForFunction(() => /values\.yaml/.test(document.getElementById("error-text").textContent), null, { timeout: STEP_TIMEOUT });
      const line = good.split("\n").length; // the broken line
      const head = await page.textContent("#error-panel .x-note");
      assert(head.startsWith(`At values.yaml:${line}.`) && /Nothing rendered/.test(head), `panel: ${head}`);
      assert(await page.$eval(".output-viewer", (el) => el.classList.contains("stale")), "the last output is not faded");
      assert((await page.$$("#output .inline-error")).length === 0, "an earlier failure's note stayed");
      await page.click("#error-panel .x-note button.jump");
      const ed = await editorJump(page, "values");
      assert(ed.jumpLine === line && ed.cursorLine === line && ed.jumped.join() === "broken: [1, 2", `values.yaml: ${JSON.stringify(ed)}`);
      await page.screenshot({ path: join(artifacts, "explain-values-error.png") });
      await setEditor(page, "values", good);
      await page.waitForFunction(() => /YAML parse error/.test(document.getElementById("error-text").textContent), null, { timeout: STEP_TIMEOUT });
    });

    await test("core paths map to the page's files: chart and subchart files, values layers, files it cannot open", async () => {
      const r = await page.evaluate(async () => {
        const { editorTarget, placeOf } = await import("./errors.js");
        const targets = {
          files: { "values.yaml": "", "templates/a.yaml": "", "charts/sub/templates/b.yaml": "", "charts/sub/values.yaml": "", "charts/dep.tgz": new Uint8Array(1) },
          layers: ["base.yaml", "prod.yaml"],
        };
        return {
          template: editorTarget("mychart/templates/a.yaml", "mychart", targets),
          sub: editorTarget("mychart/charts/sub/templates/b.yaml", "mychart", targets),
          subValues: editorTarget("mychart/charts/sub/values.yaml", "mychart", targets),
          values: editorTarget("mychart/values.yaml", "mychart", targets),
          layer: editorTarget("prod.yaml", "mychart", targets),
          packaged: editorTarget("mychart/charts/dep/templates/c.yaml", "mychart", targets),
          binary: editorTarget("mychart/charts/dep.tgz", "mychart", targets),
          place: placeOf({ file: "mychart/charts/sub/templates/b.yaml", line: 3 }, "mychart", targets),
          layerPlace: placeOf({ file: "base.yaml", line: 2 }, "mychart", targets),
          unknown: placeOf({ file: "mychart/charts/dep/templates/c.yaml", line: 9 }, "mychart", targets),
        };
      });
      const want = {
        template: { kind: "file", path: "templates/a.yaml" },
        sub: { kind: "file", path: "charts/sub/templates/b.yaml" },
        subValues: { kind: "file", path: "charts/sub/values.yaml" },
        values: { kind: "file", path: "values.yaml" },
        layer: { kind: "layer", index: 1 },
        packaged: null,
        binary: null,
        place: { target: { kind: "file", path: "charts/sub/templates/b.yaml", line: 3, col: 0 }, label: "charts/sub/templates/b.yaml:3" },
        layerPlace: { target: { kind: "layer", index: 0, line: 2, col: 0 }, label: "base.yaml:2" },
        unknown: { target: null, label: "mychart/charts/dep/templates/c.yaml:9" },
      };
      for (const [k, v] of Object.entries(want)) assert(JSON.stringify(r[k]) === JSON.stringify(v), `${k}: ${JSON.stringify(r[k])}, want ${JSON.stringify(v)}`);
    });

    await test("?chart=URL opens a same-origin .tgz; another origin is refused without a request", async () => {
      if (!charts) return "../shared/golden is absent";
      const c = charts.small;
      const name = c.tgz.split(sep).pop();
      await gotoFresh(page, `${base}?chart=__golden/${name}`);
      await page.waitForFunction((t) => document.getElementById("output").textContent === t, c.expected, { timeout: STEP_TIMEOUT });
      const n = requests.length;
      await gotoFresh(page, `${base}?chart=https://example.com/evil.tgz`);
      const diag = await page.textContent("#diagnostics-text");
      assert(/must name a chart on this site/.test(diag), `diagnostics: ${diag}`);
      assert(!requests.slice(n).some((u) => new URL(u).hostname === "example.com"), "a request went to example.com");
      await page.goto(base);
    });

    await test("a chart that generates keys renders with them made on the key workers", async () => {
      const tgz = join(golden, "charts", "bitnami__apisix.tgz");
      if (!existsSync(tgz)) return "../shared/golden is absent";
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      await page.goto(`${base}?chart=__golden/bitnami__apisix.tgz`);
      if (cores >= 2) {
        // While its keys are made (about a second), the status bar and the empty output say so.
        await page.waitForFunction(() => /^Generating \d+ RSA keys?…$/.test(document.getElementById("status").textContent), null, { timeout: STEP_TIMEOUT, polling: 10 });
        const diag = await page.textContent("#diagnostics-text");
        assert(/^Generating \d+ RSA keys?…$/.test(diag), `diagnostics while generating: ${diag}`);
        await page.screenshot({ path: join(artifacts, "keys-generating.png") });
      }
      await page.waitForFunction(() => document.body.dataset.state === "ok" && document.getElementById("output").textContent.includes("kind: Secret"), null, { timeout: STEP_TIMEOUT });
      const workers = Number(await page.evaluate(() => document.body.dataset.keyWorkers));
      const progress = await page.evaluate(() => document.body.dataset.lastProgress ?? "");
      assert(cores < 2 || /^Generating \d+ RSA keys?…$/.test(progress), `progress: ${JSON.stringify(progress)}`);
      assert(cores < 2 || workers >= 2, `key workers: ${workers} on ${cores} cores`);
      // The TLS secret's certificate and key (base64 of PEM text) are in the output.
      const out = await outputText(page);
      assert(/tls\.crt: "?LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t/.test(out), "no certificate in the output");
      assert(/tls\.key: "?LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tL/.test(out), "no RSA key in the output");
      await page.screenshot({ path: join(artifacts, "keys-chart.png") });
      await page.goto(base);
    });

    await test("a runaway template is stopped, reported, and the page stays responsive", async () => {
      await gotoFresh(page, base);
      await page.click('.tab[data-path="templates/configmap.yaml"]');
      const good = await editorValue(page, "file-editor");
      // Few steps, each slow (bcrypt's key schedule): the engine's step limit (`steps`, which
      // stops loops of cheap steps with an error) never fires, so only the watchdog can stop it.
      await setFileText(page, good + "{{- range $i := until 100000 }}{{- $_ := bcrypt \"runaway\" }}{{- end }}\n");
      await page.waitForFunction(() => document.body.dataset.state === "pending" || document.body.dataset.state === "error", null, { timeout: STEP_TIMEOUT });
      await page.evaluate(() => new Promise((r) => setTimeout(r, 1000))); // the worker is now busy
      // The UI thread answers while the worker loops: a button opens the shortcuts dialog.
      const t0 = Date.now();
      await page.click("#help", { timeout: 2000 });
      await page.waitForSelector("#help-dialog[open]", { timeout: 2000 });
      const clickMs = Date.now() - t0;
      await page.click("#help-close");
      await page.screenshot({ path: join(artifacts, "runaway-running.png") });
      await page.waitForFunction(() => /took longer than/.test(document.getElementById("diagnostics-text").textContent), null, { timeout: 20000 });
      console.log(`       (button answered in ${clickMs} ms while the worker looped)`);
      assert(clickMs < 1000, `the page took ${clickMs} ms to answer a click`);
      await page.screenshot({ path: join(artifacts, "runaway-stopped.png") });
      // The replacement worker renders the next edit.
      await setFileText(page, good);
      await waitState(page, "ok");
      assert((await outputText(page)) === expectedDefault, "output after recovery differs");
    });

    await test("dark mode follows the system", async () => {
      await page.emulateMedia({ colorScheme: "dark" });
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: join(artifacts, "dark.png") });
      await page.emulateMedia({ colorScheme: "light" });
      const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert(bg !== light, `the same background in dark and light: ${bg}`);
    });

    await test("keyboard: shortcuts switch views and every control has a name", async () => {
      await page.focus("#output");
      await page.keyboard.press("Alt+2");
      assert((await page.getAttribute("#view-lint", "aria-selected")) === "true", "Alt+2 did not open Lint");
      await page.keyboard.press("Alt+1");
      await page.focus("#output");
      await page.keyboard.press("/");
      assert(await page.evaluate(() => document.activeElement.id === "search"), "/ did not focus the search");
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll("button, input, select, textarea")]
          .filter((el) => !el.closest("[hidden]") && el.type !== "file")
          .filter((el) => {
            const label = el.getAttribute("aria-label") || el.textContent.trim() || el.title || (el.labels && el.labels.length && el.labels[0].textContent.trim()) || el.placeholder;
            return !label;
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
      assert(unnamed.length === 0, `controls without a name: ${unnamed.join(" | ")}`);
    });

    await test("no request left the page's origin", async () => {
      const outside = requests.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
      assert(requests.length > 10, `only ${requests.length} requests seen`);
      assert(outside.length === 0, `requests outside ${origin}: ${outside.join(", ")}`);
      // The worker's warm-up chart comes from the page's origin too. (Requests of the key
      // workers, which the worker starts, are not seen here: they import only the module
      // script the worker names, web/keys.js.)
      assert(requests.some((u) => u.endsWith("/warm-up.tgz")), "the worker never fetched warm-up.tgz");
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
  console.log("FAIL - browser tests timed out after 10 minutes");
  results.failed++;
  summary();
  process.exit(1);
}, 10 * 60 * 1000);

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
