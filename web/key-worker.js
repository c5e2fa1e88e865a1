// A key worker for keys.js: instantiates the chartroom module it is sent and runs base-2
// Miller-Rabin tests of prime candidates (keygenFirstPassing), the costly step of RSA key
// generation. Runs as a browser module Worker or a Node worker_threads Worker.
//
// In: {id, type: "init", module, glue} (a compiled WebAssembly.Module and the URL of
// chartroom_wasm.js); {id, type: "test", base, offsets}; {id, type: "round", value, base}.
// Out: {id} / {id, index} / {id, prime} / {id, error}.

let port;
let post;
if (typeof self !== "undefined" && typeof self.postMessage === "function") {
  port = self;
  post = (msg) => self.postMessage(msg);
  self.addEventListener("message", (e) => onMessage(e.data));
} else {
  const { parentPort } = await import("node:worker_threads");
  port = parentPort;
  post = (msg) => port.postMessage(msg);
  port.on("message", onMessage);
}

let ready = null;

function onMessage(msg) {
  if (msg.type === "init") {
    ready = import(msg.glue).then((cr) => {
      cr.initSync({ module: msg.module });
      return cr;
    });
    ready.then(
      () => post({ id: msg.id }),
      (err) => post({ id: msg.id, error: String(err?.message ?? err) }),
    );
  } else if (msg.type === "test" || msg.type === "round") {
    if (!ready) return post({ id: msg.id, error: "key worker: not initialised" });
    ready.then(
      (cr) => {
        try {
          if (msg.type === "test") post({ id: msg.id, index: cr.keygenFirstPassing(msg.base, msg.offsets) });
          else post({ id: msg.id, prime: cr.keygenRound(msg.value, msg.base) });
        } catch (err) {
          post({ id: msg.id, error: String(err?.message ?? err) });
        }
      },
      (err) => post({ id: msg.id, error: String(err?.message ?? err) }),
    );
  }
}
