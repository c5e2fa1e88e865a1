//! Chart archives (`.tgz`): gzip framing and a tar reader with Go's `compress/gzip` and
//! `archive/tar` behaviour and error texts, plus Helm's `LoadArchiveFiles` safety rules
//! (path checks, top-level folder stripping, the decompressed-size budget).

use flate2::{Crc, Decompress, FlushDecompress, Status};

/// Helm's `MaxDecompressedChartSize` (100 MiB): the total size of all files in a chart.
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;

/// Slack for tar headers and padding on top of the file budget when inflating.
const INFLATE_SLACK: u64 = 16 * 1024 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Inflates a (possibly multi-member) gzip stream like Go's `gzip.Reader`.
pub fn gunzip(data: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    // The trailer's ISIZE (uncompressed size mod 2^32 of the last member) sizes the buffer
    // once, instead of growing it by copies; capped, since the trailer is untrusted.
    let size_hint = match data.len().checked_sub(4).and_then(|i| data.get(i..)) {
        Some(t) if data.len() >= 18 => u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as u64,
        _ => 0,
    };
    let mut out: Vec<u8> = Vec::with_capacity(size_hint.min(limit).min(64 << 20) as usize + 1);
    let mut pos = 0usize;
    let mut first = true;
    loop {
        if pos >= data.len() {
            if first {
                return Err("EOF".into());
            }
            return Ok(out);
        }
        // header
        let h = &data[pos..];
        if h.len() < 10 {
            return Err("unexpected EOF".into());
        }
        if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 {
            return Err("gzip: invalid header".into());
        }
        let flg = h[3];
        if flg & 0xe0 != 0 {
            return Err("gzip: invalid header".into());
        }
        let mut i = 10usize;
        if flg & 4 != 0 {
            if h.len() < i + 2 {
                return Err("unexpected EOF".into());
            }
            let xlen = u16::from_le_bytes([h[i], h[i + 1]]) as usize;
            i += 2 + xlen;
            if h.len() < i {
                return Err("unexpected EOF".into());
            }
        }
        for bit in [8u8, 16u8] {
            if flg & bit != 0 {
                match h[i..].iter().position(|&b| b == 0) {
                    Some(z) => i += z + 1,
                    None => return Err("unexpected EOF".into()),
                }
            }
        }
        if flg & 2 != 0 {
            i += 2;
            if h.len() < i {
                return Err("unexpected EOF".into());
            }
        }
        pos += i;
        // deflate body
        let mut dec = Decompress::new(false);
        let start_len = out.len();
        let start_pos = pos;
        let mut crc = Crc::new();
        loop {
            if out.len() as u64 > limit {
                return Err(format!(
                    "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
                ));
            }
            // Grow only when the buffer is full: `reserve` with room left would reallocate
            // (and copy) a buffer already sized from the trailer.
            if out.capacity() - out.len() < 4096 {
                out.reserve(64 * 1024);
            }
            let before_in = dec.total_in();
            let before_out = out.len();
            let input = &data[pos..];
            let status = dec
                .decompress_vec(input, &mut out, FlushDecompress::None)
                .map_err(|_| format!("flate: corrupt input before offset {}", pos - start_pos))?;
            let consumed = (dec.total_in() - before_in) as usize;
            pos += consumed;
            match status {
                Status::StreamEnd => break,
                Status::Ok | Status::BufError => {
                    if consumed == 0 && out.len() == before_out {
                        if pos >= data.len() {
                            return Err("unexpected EOF".into());
                        }
                        return Err(format!(
                            "flate: corrupt input before offset {}",
                            pos - start_pos
                        ));
                    }
                }
            }
        }
        crc.update(&out[start_len..]);
        if data.len() < pos + 8 {
            return Err("unexpected EOF".into());
        }
        let want_crc = u32::from_le_bytes([data[pos], data[pos + 1], data[pos + 2], data[pos + 3]]);
        let want_len =
            u32::from_le_bytes([data[pos + 4], data[pos + 5], data[pos + 6], data[pos + 7]]);
        pos += 8;
        if want_crc != crc.sum()
            || want_len != ((out.len() - start_len) as u64 & 0xffff_ffff) as u32
        {
            return Err("gzip: invalid checksum".into());
        }
        first = false;
    }
}

/// One tar entry as Go's `tar.Reader.Next` reports it.
struct TarEntry {
    name: String,
    typeflag: u8,
    is_dir: bool,
    data_start: usize,
    size: u64,
}

fn cstr(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn parse_numeric(b: &[u8]) -> Result<u64, String> {
    if let Some(&first) = b.first() {
        if first & 0x80 != 0 {
            // base-256
            let mut v: u64 = (first & 0x7f) as u64;
            for &c in &b[1..] {
                v = v
                    .checked_mul(256)
                    .and_then(|x| x.checked_add(c as u64))
                    .ok_or_else(|| "archive/tar: invalid tar header".to_string())?;
            }
            return Ok(v);
        }
    }
    let s = cstr(b);
    let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
    if s.is_empty() {
        return Ok(0);
    }
    u64::from_str_radix(s, 8).map_err(|_| "archive/tar: invalid tar header".to_string())
}

fn parse_pax(data: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let sp = rest
            .iter()
            .position(|&c| c == b' ')
            .ok_or_else(|| "archive/tar: invalid tar header".to_string())?;
        let len: usize = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| "archive/tar: invalid tar header".to_string())?;
        if len <= sp + 1 || len > rest.len() {
            return Err("archive/tar: invalid tar header".into());
        }
        let rec = &rest[sp + 1..len];
        let rec = rec.strip_suffix(b"\n").unwrap_or(rec);
        if let Some(eq) = rec.iter().position(|&c| c == b'=') {
            out.push((
                String::from_utf8_lossy(&rec[..eq]).into_owned(),
                String::from_utf8_lossy(&rec[eq + 1..]).into_owned(),
            ));
        }
        rest = &rest[len..];
    }
    Ok(out)
}

fn tar_entries(tar: &[u8]) -> Result<Vec<TarEntry>, String> {
    let mut entries = Vec::new();
    let mut pos = 0usize;
    let mut long_name: Option<String> = None;
    let mut pax: Vec<(String, String)> = Vec::new();
    loop {
        if pos >= tar.len() {
            break;
        }
        if tar.len() - pos < 512 {
            return Err("unexpected EOF".into());
        }
        let blk = &tar[pos..pos + 512];
        if blk.iter().all(|&b| b == 0) {
            let next = pos + 512;
            if next >= tar.len() {
                break;
            }
            if tar.len() - next < 512 {
                return Err("unexpected EOF".into());
            }
            if tar[next..next + 512].iter().all(|&b| b == 0) {
                break;
            }
            return Err("archive/tar: invalid tar header".into());
        }
        // checksum
        let stored = parse_numeric(&blk[148..156])?;
        let mut unsigned: u64 = 0;
        let mut signed: i64 = 0;
        for (i, &b) in blk.iter().enumerate() {
            let c = if (148..156).contains(&i) { b' ' } else { b };
            unsigned += c as u64;
            signed += (c as i8) as i64;
        }
        if stored != unsigned && stored as i64 != signed {
            return Err("archive/tar: invalid tar header".into());
        }
        let typeflag = blk[156];
        let size = parse_numeric(&blk[124..136])?;
        let data_start = pos + 512;
        let padded = size
            .checked_add(511)
            .map(|s| s / 512 * 512)
            .ok_or_else(|| "archive/tar: invalid tar header".to_string())?;
        let data_end = (data_start as u64).saturating_add(padded);
        let mut name = cstr(&blk[0..100]);
        let magic = &blk[257..263];
        if magic == b"ustar\0" {
            let prefix = cstr(&blk[345..500]);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        match typeflag {
            b'x' | b'L' | b'K' => {
                if (tar.len() as u64) < data_start as u64 + size {
                    return Err("unexpected EOF".into());
                }
                let body = &tar[data_start..data_start + size as usize];
                if typeflag == b'x' {
                    pax = parse_pax(body)?;
                } else if typeflag == b'L' {
                    long_name = Some(cstr(body));
                }
                pos = data_end.min(tar.len() as u64) as usize;
                if data_end > tar.len() as u64 {
                    return Err("unexpected EOF".into());
                }
                continue;
            }
            _ => {}
        }
        let mut size = size;
        if let Some(n) = long_name.take() {
            name = n;
        }
        for (k, v) in pax.drain(..) {
            match k.as_str() {
                "path" => name = v,
                "size" => {
                    size = v
                        .parse()
                        .map_err(|_| "archive/tar: invalid tar header".to_string())?
                }
                _ => {}
            }
        }
        let padded = size.saturating_add(511) / 512 * 512;
        let data_end = (data_start as u64).saturating_add(padded);
        let mode = parse_numeric(&blk[100..108]).unwrap_or(0);
        let is_dir = typeflag == b'5'
            || mode & 0o40000 != 0
            || ((typeflag == b'0' || typeflag == 0) && name.ends_with('/'));
        entries.push(TarEntry {
            name,
            typeflag,
            is_dir,
            data_start,
            size,
        });
        if data_end > tar.len() as u64 {
            // the data is cut short; Go reports it when the body is read
            if (tar.len() as u64) < data_start as u64 + size {
                return Err("unexpected EOF".into());
            }
            break;
        }
        pos = data_end as usize;
    }
    Ok(entries)
}

/// Go's `path.Clean`.
pub fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Helm's `LoadArchiveFiles`: the chart's files with the top-level folder stripped, in archive
/// order. Errors carry Go's/Helm's texts.
pub fn load_archive_files(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let tar = gunzip(data, MAX_DECOMPRESSED_CHART_SIZE + INFLATE_SLACK)?;
    let entries = tar_entries(&tar)?;
    let mut files = Vec::new();
    let mut remaining: i64 = MAX_DECOMPRESSED_CHART_SIZE as i64;
    for e in entries {
        if e.is_dir {
            continue;
        }
        if e.typeflag == b'g' || e.typeflag == b'x' {
            continue;
        }
        let delim = if e.name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = e.name.split(delim).collect();
        let n = parts[1..].join(&delim.to_string());
        let n = n.replace(delim, "/");
        if n.starts_with('/') {
            return Err("chart illegally contains absolute paths".into());
        }
        let n = clean_path(&n);
        if n == "." {
            return Err(format!(
                "chart illegally contains content outside the base directory: {}",
                crate::metadata::go_quote(&e.name)
            ));
        }
        if n.starts_with("..") {
            return Err("chart illegally references parent directory".into());
        }
        if is_drive_path(&n) {
            return Err("chart contains illegally named files".into());
        }
        if parts[0] == "Chart.yaml" {
            return Err("chart yaml not in base directory".into());
        }
        if e.size as i64 > remaining || e.size > i64::MAX as u64 {
            return Err(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            ));
        }
        let end = e.data_start + e.size as usize;
        if end > tar.len() {
            return Err("unexpected EOF".into());
        }
        let body = &tar[e.data_start..end];
        remaining -= body.len() as i64;
        let body = body.strip_prefix(UTF8_BOM).unwrap_or(body);
        files.push((n, body.to_vec()));
    }
    if files.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(files)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    /// Builds a ustar archive (test helper).
    pub fn tar_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, data) in entries {
            let mut h = [0u8; 512];
            h[..name.len()].copy_from_slice(name.as_bytes());
            h[100..107].copy_from_slice(b"0000644");
            h[108..115].copy_from_slice(b"0000000");
            h[116..123].copy_from_slice(b"0000000");
            let size = format!("{:011o}", data.len());
            h[124..135].copy_from_slice(size.as_bytes());
            h[136..147].copy_from_slice(b"00000000000");
            h[156] = b'0';
            h[257..263].copy_from_slice(b"ustar\0");
            h[263..265].copy_from_slice(b"00");
            h[148..156].copy_from_slice(b"        ");
            let sum: u32 = h.iter().map(|&b| b as u32).sum();
            let cs = format!("{sum:06o}\0 ");
            h[148..156].copy_from_slice(cs.as_bytes());
            out.extend_from_slice(&h);
            out.extend_from_slice(data);
            let pad = (512 - data.len() % 512) % 512;
            out.extend(std::iter::repeat_n(0u8, pad));
        }
        out.extend(std::iter::repeat_n(0u8, 1024));
        out
    }

    pub fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&tar_bytes(entries)).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn strips_top_folder_and_bom() {
        let data = tgz(&[
            ("c/Chart.yaml", b"\xEF\xBB\xBFname: c"),
            ("c/templates/a.yaml", b"x"),
        ]);
        let files = load_archive_files(&data).unwrap();
        assert_eq!(files[0].0, "Chart.yaml");
        assert_eq!(files[0].1, b"name: c");
        assert_eq!(files[1].0, "templates/a.yaml");
    }

    #[test]
    fn rejects_unsafe_paths() {
        let e = |entries: &[(&str, &[u8])]| load_archive_files(&tgz(entries)).unwrap_err();
        assert_eq!(
            e(&[("c//etc/x", b"x")]),
            "chart illegally contains absolute paths"
        );
        assert_eq!(
            e(&[("c/../x", b"x")]),
            "chart illegally references parent directory"
        );
        assert_eq!(
            e(&[("Chart.yaml", b"x")]),
            "chart illegally contains content outside the base directory: \"Chart.yaml\""
        );
        assert_eq!(e(&[]), "no files in chart archive");
    }

    #[test]
    fn corrupt_input_gives_go_errors() {
        let data = tgz(&[("c/Chart.yaml", b"name: c")]);
        assert_eq!(
            load_archive_files(b"hello world").unwrap_err(),
            "gzip: invalid header"
        );
        assert_eq!(
            load_archive_files(&data[..data.len() / 2]).unwrap_err(),
            "unexpected EOF"
        );
        let mut bad = data.clone();
        let n = bad.len();
        bad[n - 6] ^= 0xff;
        assert_eq!(
            load_archive_files(&bad).unwrap_err(),
            "gzip: invalid checksum"
        );
    }

    #[test]
    fn cleans_paths_like_go() {
        assert_eq!(clean_path("a/./b/../c"), "a/c");
        assert_eq!(clean_path("../x"), "../x");
        assert_eq!(clean_path(""), ".");
        assert_eq!(clean_path("/a/.."), "/");
    }
}
