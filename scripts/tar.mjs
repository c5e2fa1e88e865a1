// A gzipped ustar archive of in-memory files, for the scripts that package charts: the page's
// warm-up chart (build-web.mjs, bench-browser.mjs) and the hostile archives of bench-hostile.mjs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

function header(name, length) {
  const h = Buffer.alloc(512);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name longer than 100 bytes: ${name}`);
  h.write(name, 0);
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(length.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148);
  h.write("0", 156);
  h.write("ustar\0" + "00", 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

/** gzip(tar) of `entries`: [archive path, Buffer | string][] in the order given. */
export function tgz(entries) {
  const parts = [];
  for (const [name, content] of entries) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    parts.push(header(name, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** gzip(tar) of every file under `dir`, as `${top}/relative/path` (sorted), like `helm package`. */
export function tgzOfDir(dir, top) {
  const entries = [];
  const walk = (d, rel) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else entries.push([`${top}/${rel}${name}`, readFileSync(full)]);
    }
  };
  walk(dir, "");
  return tgz(entries);
}
