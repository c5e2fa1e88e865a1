// Charts from the user's disk: a packaged chart (.tgz: gzip + tar, unpacked here so every file
// can be edited) or a chart folder (a directory picker or a dropped folder). Files become
// { chart-relative path: string (UTF-8 text) | Uint8Array (anything else, e.g. charts/x.tgz) }.

const MAX_FILES = 20000;
const MAX_BYTES = 64 * 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

function asContent(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

async function gunzip(bytes) {
  if (!(bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes; // a plain .tar
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function cstring(bytes, start, length) {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(start, end));
}

function octal(bytes, start, length) {
  const text = cstring(bytes, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

// pax extended header records: "LEN key=value\n".
function paxPath(data) {
  const text = new TextDecoder().decode(data);
  let i = 0;
  let path = null;
  while (i < text.length) {
    const sp = text.indexOf(" ", i);
    if (sp < 0) break;
    const len = parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
    const record = text.slice(sp + 1, i + len - 1);
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") path = record.slice(eq + 1);
    i += len;
  }
  return path;
}

/// The entries of a tar archive: [{ path, data }] for regular files.
export function untar(tar) {
  const out = [];
  let offset = 0;
  let longName = null;
  let paxName = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const magic = cstring(header, 257, 6);
    let name = cstring(header, 0, 100);
    if (magic === "ustar") {
      const prefix = cstring(header, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = cstring(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      paxName = paxPath(data);
      continue;
    }
    if (type === "g") continue;
    const path = paxName ?? longName ?? name;
    paxName = null;
    longName = null;
    if (type === "0" || type === "\0" || type === "7") out.push({ path, data });
    if (out.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} files`);
  }
  return out;
}

// Chart-relative paths: the archive's (or folder's) top-level directory is the chart's.
function stripTop(entries) {
  const files = {};
  let total = 0;
  for (const { path, data } of entries) {
    const clean = path.replace(/^\.\//, "");
    const slash = clean.indexOf("/");
    if (slash < 0) continue;
    total += data.length;
    if (total > MAX_BYTES) throw new Error(`the chart is larger than ${MAX_BYTES / 1024 / 1024} MB`);
    files[clean.slice(slash + 1)] = asContent(data);
  }
  return files;
}

/// A packaged chart (gzip-compressed tar) as chart-relative files.
export async function loadTgz(bytes) {
  let tar;
  try {
    tar = await gunzip(bytes);
  } catch (err) {
    throw new Error(`not a gzip file: ${err.message}`);
  }
  const files = stripTop(untar(tar));
  if (!Object.keys(files).length) throw new Error("the archive holds no chart files");
  return files;
}

/// Files from <input type=file webkitdirectory> (their webkitRelativePath starts with the folder).
export async function filesFromFileList(list) {
  const entries = [];
  for (const file of list) {
    if (entries.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} files`);
    entries.push({ path: file.webkitRelativePath || file.name, data: new Uint8Array(await file.arrayBuffer()) });
  }
  return stripTop(entries);
}

function readAllEntries(dir) {
  const reader = dir.createReader();
  const all = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walkEntry(entry, prefix, out) {
  if (out.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} files`);
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ path: prefix + entry.name, data: new Uint8Array(await file.arrayBuffer()) });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry)) await walkEntry(child, `${prefix}${entry.name}/`, out);
  }
}

/// What was dropped: { kind: "tgz", bytes, name } or { kind: "folder", files, name }, or null.
export async function filesFromDrop(dataTransfer) {
  const items = [...(dataTransfer.items || [])];
  const entry = items.length && items[0].webkitGetAsEntry ? items[0].webkitGetAsEntry() : null;
  if (entry && entry.isDirectory) {
    const out = [];
    await walkEntry(entry, "", out);
    return { kind: "folder", files: stripTop(out), name: entry.name };
  }
  const file = dataTransfer.files && dataTransfer.files[0];
  if (!file) return null;
  return { kind: "tgz", bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
}
