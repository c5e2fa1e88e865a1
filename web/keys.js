// Seeded renders whose RSA keys are generated on several workers at once.
//
// WebAssembly here has no threads (they need SharedArrayBuffer, so cross-origin isolation
// headers a static host does not send), and the prime search that key generation spends its
// time in is what the native CLI spreads over threads. So this module renders a chart in
// rounds (crates/wasm/src/keygen.rs explains the Rust side):
//   1. a discovery render (`discoverKeys`): the RSA keys the render would generate and has not
//      kept are listed, stand-ins take their place;
//   2. each listed key is generated here step by step from its call stream: prime-search
//      windows drawn by the calling instance, each window's base-2 Miller-Rabin tests spread
//      over the key workers (worker t tests candidates t, t + T, ... in chunks and the smallest
//      passing index wins, as the native threads do), the random-base rounds and the key made
//      by the calling instance, and the key kept for the next render with this seed;
//   3. again, until a render needs no stand-in: its output is the plain render's, byte for
//      byte. Usually the second render: a certificate signed by a new CA is wanted in the first
//      round already (a CA stands for where its key is generated); keys whose calls take a
//      stand-in's text (a CA rebuilt from its PEM) come to light in the next round.
// Unseeded renders (nothing kept between renders) and a pool of one worker render plainly.
//
//   import * as chartroom from "chartroom";
//   import { KeyWorkers, renderWithKeys } from "chartroom/keys.js";
//   const module = await WebAssembly.compile(wasmBytes);
//   chartroom.initSync({ module });
//   const pool = await KeyWorkers.create({ module, glue: import.meta.resolve("chartroom") });
//   const result = await renderWithKeys(chartroom, files, { seed, ...options }, pool);

/** At most this many discovery rounds (a CA, its certificates, keys made from those...). */
const MAX_ROUNDS = 6;

/** Returned by renderWithKeys when `stale()` said a newer run superseded this one. */
export const STALE = Symbol("stale");

/**
 * Renders like `cr.render(files, options)`, generating the seeded render's RSA keys on the
 * pool's workers. `cr` is the chartroom module (its `render` and `keygen*` exports); `stale`,
 * when given, is asked between steps and ends the run with STALE (keys already made stay kept);
 * `onKeys(n)`, when given, hears how many keys a round is about to generate.
 */
export async function renderWithKeys(cr, files, options, pool, { stale, onKeys } = {}) {
  if (!pool || pool.size < 2 || options == null || options.seed == null || typeof cr.keygenWindow !== "function") {
    return cr.render(files, options);
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const r = cr.render(files, { ...options, discoverKeys: true });
    const wanted = r.keysWanted ?? [];
    if (!r.standIns) {
      delete r.keysWanted;
      delete r.standIns;
      return r;
    }
    if (!wanted.length) break;
    onKeys?.(wanted.length);
    try {
      for (const want of wanted) {
        if (stale?.()) return STALE;
        await pool.generate(cr, want, stale);
      }
    } catch {
      // A key worker failed (its error event rejected the calls): render plainly from now on.
      pool.close();
      break;
    }
    if (stale?.()) return STALE;
  }
  // Rounds to spare run out (or stand-ins led nowhere): the plain render generates the rest.
  return cr.render(files, options);
}

// A worker behind one interface: browsers' Worker or Node's worker_threads.Worker.
function wrapWorker(w) {
  const node = typeof w.on === "function";
  const pending = new Map();
  let nextId = 1;
  let failed = null;
  const onMessage = (msg) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.error) p.reject(new Error(msg.error));
    else p.resolve(msg);
  };
  const onError = (err) => {
    failed = new Error(`key worker failed: ${err?.message ?? err}`);
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  if (node) {
    w.on("message", onMessage);
    w.on("error", onError);
  } else {
    w.addEventListener("message", (e) => onMessage(e.data));
    w.addEventListener("error", (e) => onError(e.message ?? e));
  }
  return {
    call(msg) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ ...msg, id });
      });
    },
    terminate: () => w.terminate(),
  };
}

async function defaultSpawn() {
  const url = new URL("./key-worker.js", import.meta.url);
  if (typeof Worker === "function") return new Worker(url, { type: "module" });
  const { Worker: NodeWorker } = await import("node:worker_threads");
  return new NodeWorker(url);
}

/** The workers key generation runs on. */
export class KeyWorkers {
  constructor(workers) {
    this.workers = workers;
    this.size = workers.length;
  }

  /**
   * Starts `size` workers (default: the number of cores, at most 4; none below two), each instantiating
   * `module` (a compiled WebAssembly.Module of chartroom) through the module script `glue`
   * (the URL of chartroom_wasm.js). `spawn()` may make the workers (default: key-worker.js
   * beside this file, as a module Worker in browsers or a worker_threads Worker in Node).
   */
  static async create({ module, glue, size, spawn = defaultSpawn }) {
    const cores = globalThis.navigator?.hardwareConcurrency ?? (await nodeCores());
    const n = Math.max(1, Math.min(4, size ?? cores ?? 1));
    // One worker would only add messages to the same single-threaded search.
    if (n < 2) return new KeyWorkers([]);
    const workers = [];
    try {
      for (let i = 0; i < n; i++) workers.push(wrapWorker(await spawn()));
      await Promise.all(workers.map((w) => w.call({ type: "init", module, glue: String(glue) })));
    } catch (err) {
      for (const w of workers) w.terminate();
      throw err;
    }
    return new KeyWorkers(workers);
  }

  close() {
    for (const w of this.workers) w.terminate();
    this.workers = [];
    this.size = 0;
  }

  /** Generates the key a discovery render wanted and keeps it in `cr`'s instance. */
  async generate(cr, want, stale) {
    const half = want.bits / 2;
    let pos = want.position;
    for (;;) {
      const p = await this.prime(cr, want.seed, pos, half, stale);
      if (!p) return;
      const q = await this.prime(cr, want.seed, p.end, half, stale);
      if (!q) return;
      pos = q.end;
      if (cr.keygenKeep(want.seed, want.position, pos, want.bits, p.value, q.value)) return;
    }
  }

  async prime(cr, seed, pos, bits, stale) {
    for (;;) {
      if (stale?.()) return null;
      const w = cr.keygenWindow(seed, pos, bits);
      pos = w.end;
      let from = 0;
      for (;;) {
        const i = await this.firstPassing(w.base, w.offsets, from, bits);
        if (i < 0) break;
        // The random-base rounds (bases drawn here, in order) run on the workers side by side.
        const r = cr.keygenRoundBases(seed, pos, w.base, w.offsets[i]);
        const T = this.workers.length;
        const passed = await Promise.all(
          r.bases.map((b, k) => this.workers[k % T].call({ type: "round", value: r.value, base: b }).then((m) => m.prime)),
        );
        const failing = passed.indexOf(false);
        pos = r.ends[failing < 0 ? r.ends.length - 1 : failing];
        if (failing < 0) return { value: r.value, end: pos };
        from = i + 1;
      }
    }
  }

  // The smallest index >= from whose candidate passes base 2, or -1: worker t tests from + t,
  // from + t + T, ... in chunks, and stops once past the smallest passing index found. (A
  // second chunk queued per worker, so none waits for the next, measured slower: the chunks
  // past the answer are wasted.) `__chartroomKeyTune` overrides both, for measurements.
  firstPassing(base, offsets, from, bits) {
    const T = this.workers.length;
    const n = offsets.length;
    // A few ms of work a message: a base-2 test of a 2048-bit candidate takes ~6 ms in V8, of
    // a 1024-bit one ~1.3 ms (Node 20, this 2-core VM).
    const tune = globalThis.__chartroomKeyTune;
    const chunk = tune?.chunk?.(bits) ?? (bits > 1536 ? 1 : bits > 768 ? 2 : 8);
    const depth = tune?.depth ?? 1;
    return new Promise((resolve, reject) => {
      let best = Infinity;
      let busy = 0;
      let done = false;
      const next = Array.from({ length: T }, (_, t) => from + t);
      const dispatch = (t) => {
        const idx = [];
        for (let i = next[t]; idx.length < chunk && i < n && i < best; i += T) idx.push(i);
        if (!idx.length) {
          if (busy === 0 && !done) {
            done = true;
            resolve(best === Infinity ? -1 : best);
          }
          return;
        }
        next[t] = idx[idx.length - 1] + T;
        busy++;
        this.workers[t]
          .call({ type: "test", base, offsets: Uint32Array.from(idx, (i) => offsets[i]) })
          .then((reply) => {
            busy--;
            if (reply.index >= 0) best = Math.min(best, idx[reply.index]);
            dispatch(t);
          })
          .catch((err) => {
            done = true;
            reject(err);
          });
      };
      for (let d = 0; d < depth; d++) for (let t = 0; t < T; t++) dispatch(t);
    });
  }
}

async function nodeCores() {
  try {
    const os = await import("node:os");
    return os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    return 1;
  }
}
