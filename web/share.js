// The page state in the URL hash: JSON, deflate-raw compressed (CompressionStream) and
// base64url encoded as "#s=..."; "#u=..." is the uncompressed fallback for browsers without
// CompressionStream. Version 2 holds { chart, files (edited texts), layers, set, flags };
// version 1 links ({ v: values.yaml, r: release }) still open.

export const MAX_LINK = 64 * 1024; // characters of URL; a longer state gets a warning instead

function toBase64Url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

async function pipeThrough(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function encodeState(s) {
  const json = new TextEncoder().encode(JSON.stringify({ v: 2, c: s.chart, f: s.files, l: s.layers, s: s.set, g: s.flags }));
  if (typeof CompressionStream === "function") {
    try {
      return "s=" + toBase64Url(await pipeThrough(json, new CompressionStream("deflate-raw")));
    } catch {
      // fall through to the uncompressed form
    }
  }
  return "u=" + toBase64Url(json);
}

const isObject = (x) => typeof x === "object" && x !== null && !Array.isArray(x);

export async function decodeState(hash) {
  const text = hash.replace(/^#/, "");
  if (!text) return null;
  const [kind, payload] = [text.slice(0, 2), text.slice(2)];
  let bytes = fromBase64Url(payload);
  if (kind === "s=") bytes = await pipeThrough(bytes, new DecompressionStream("deflate-raw"));
  else if (kind !== "u=") throw new Error("unrecognised link format");
  const j = JSON.parse(new TextDecoder().decode(bytes));
  if (!isObject(j)) throw new Error("link holds no state");
  if (typeof j.v === "string") {
    // Version 1: the example's values.yaml and the release name.
    const flags = typeof j.r === "string" ? { release: j.r } : {};
    return { chart: "example", files: { "values.yaml": j.v }, layers: [], set: "", flags };
  }
  if (j.v !== 2 || typeof j.c !== "string") throw new Error("link holds no state");
  const files = {};
  for (const [p, t] of Object.entries(isObject(j.f) ? j.f : {})) if (typeof t === "string") files[p] = t;
  const layers = Array.isArray(j.l) ? j.l.filter((l) => Array.isArray(l) && l.length === 2).map(([n, t]) => [String(n), String(t)]) : [];
  const flags = {};
  for (const [k, v] of Object.entries(isObject(j.g) ? j.g : {})) {
    if (["release", "namespace", "kubeVersion", "apiVersions", "showOnly"].includes(k) && typeof v === "string") flags[k] = v;
    if (["isUpgrade", "includeCrds"].includes(k) && typeof v === "boolean") flags[k] = v;
  }
  return { chart: j.c, files, layers, set: typeof j.s === "string" ? j.s : "", flags };
}
