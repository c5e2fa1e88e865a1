//! Chart archives (`.tgz`): gzip framing and a tar reader with Go's `compress/gzip` and
//! `archive/tar` behaviour and error texts, plus Helm's `LoadArchiveFiles` safety rules
//! (path checks, top-level folder stripping, the decompressed-size budget).

use chartroom_template::limits::{exceeded, HELM_ARCHIVE_BYTES};
use chartroom_template::Limits;
use flate2::{Decompress, FlushDecompress, Status};

/// Helm's `MaxDecompressedChartSize` (100 MiB): the total size of all files in a chart, the
/// default of the `archive-bytes` limit.
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = HELM_ARCHIVE_BYTES;

/// The error for a chart whose files together pass the `archive-bytes` limit: Helm's own text
/// (`helm`, which differs for archives and directories) while the limit is Helm's size.
pub(crate) fn chart_too_large(limit: u64, helm: impl FnOnce() -> String) -> String {
    if limit == HELM_ARCHIVE_BYTES {
        helm()
    } else {
        exceeded("the chart's decompressed size", "archive-bytes", limit)
    }
}

/// The `archive-file-bytes` limit (Helm has none) for file `name` of `size` bytes.
pub(crate) fn check_file_size(limits: &Limits, name: &str, size: u64) -> Result<(), String> {
    if size > limits.archive_file_bytes {
        return Err(exceeded(
            &format!("chart file {name:?} of {size} bytes"),
            "archive-file-bytes",
            limits.archive_file_bytes,
        ));
    }
    Ok(())
}

/// The `archive-entries` limit (Helm has none), checked before entry number `count` (from
/// 1) is taken.
pub(crate) fn check_entries(limits: &Limits, count: u64) -> Result<(), String> {
    if count > limits.archive_entries {
        return Err(exceeded(
            "the number of chart entries",
            "archive-entries",
            limits.archive_entries,
        ));
    }
    Ok(())
}

fn helm_archive_too_large() -> String {
    format!("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}")
}

/// Slack for tar headers and padding on top of the file budget when inflating.
const INFLATE_SLACK: u64 = 16 * 1024 * 1024;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Parses one gzip member header at the start of `h`, returning its length (Go's
/// `gzip.Reader.readHeader`).
fn gzip_header_len(h: &[u8]) -> Result<usize, String> {
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
    Ok(i)
}

/// A (possibly multi-member) gzip stream inflated on demand, the way Go's `tar.Reader` pulls
/// from a `gzip.Reader`: only as far as the reader asks. Damage beyond that point (a bad
/// trailer checksum, a cut-off trailer, garbage after the member, after the tar end marker)
/// is never seen, so Helm loads such archives and so do we; an error surfaces only when a
/// read needs bytes the stream cannot deliver.
struct Inflater<'a> {
    data: &'a [u8],
    /// Input position.
    pos: usize,
    /// Everything inflated so far.
    out: Vec<u8>,
    /// The member being inflated (`None` between members).
    member: Option<Member>,
    /// `Some(Ok)` at the clean end of the stream, `Some(Err)` after an error.
    end: Option<Result<(), String>>,
    limit: u64,
    /// The `archive-bytes` limit, for the error text.
    chart_limit: u64,
}

/// One gzip member in progress.
struct Member {
    dec: Decompress,
    /// Where its deflate data began in the input and its output began in `out`.
    in_start: usize,
    out_start: usize,
    crc: crc32fast::Hasher,
}

/// Why a read came up short: the clean end of the stream (Go's `io.EOF`) or an error.
enum Short {
    Eof,
    Err(String),
}

impl Member {
    fn new(in_start: usize, out_start: usize) -> Member {
        Member {
            dec: Decompress::new(false),
            in_start,
            out_start,
            crc: crc32fast::Hasher::new(),
        }
    }
}

impl<'a> Inflater<'a> {
    /// Go's `gzip.NewReader`: the first header is read at once.
    fn new(data: &'a [u8], limit: u64, chart_limit: u64) -> Result<Inflater<'a>, String> {
        if data.is_empty() {
            return Err("EOF".into());
        }
        let header = gzip_header_len(data)?;
        // The trailer's ISIZE (uncompressed size mod 2^32 of the last member) sizes the
        // buffer once, instead of growing it by copies; capped, since it is untrusted.
        let size_hint = match data.len().checked_sub(4).and_then(|i| data.get(i..)) {
            Some(t) if data.len() >= 18 => u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as u64,
            _ => 0,
        };
        let out = Vec::with_capacity(size_hint.min(limit).min(64 << 20) as usize + 1);
        Ok(Inflater {
            data,
            pos: header,
            out,
            member: Some(Member::new(header, 0)),
            end: None,
            limit,
            chart_limit,
        })
    }

    /// Inflates until at least `n` bytes exist or the stream ends.
    fn fill(&mut self, n: usize) {
        while self.out.len() < n && self.end.is_none() {
            if let Err(e) = self.step() {
                self.end = Some(Err(e));
            }
        }
    }

    fn step(&mut self) -> Result<(), String> {
        let Some(m) = &mut self.member else {
            // Between members: the next header, or the clean end.
            if self.pos >= self.data.len() {
                self.end = Some(Ok(()));
                return Ok(());
            }
            self.pos += gzip_header_len(&self.data[self.pos..])?;
            self.member = Some(Member::new(self.pos, self.out.len()));
            return Ok(());
        };
        if self.out.len() as u64 > self.limit {
            return Err(chart_too_large(self.chart_limit, helm_archive_too_large));
        }
        // Grow only when the buffer is full: `reserve` with room left would reallocate (and
        // copy) a buffer already sized from the trailer.
        if self.out.capacity() - self.out.len() < 4096 {
            self.out.reserve(64 * 1024);
        }
        let before_in = m.dec.total_in();
        let before_out = self.out.len();
        let status = m
            .dec
            .decompress_vec(&self.data[self.pos..], &mut self.out, FlushDecompress::None)
            .map_err(|_| {
                format!(
                    "flate: corrupt input before offset {}",
                    self.pos - m.in_start
                )
            })?;
        let consumed = (m.dec.total_in() - before_in) as usize;
        self.pos += consumed;
        m.crc.update(&self.out[before_out..]);
        let in_start = m.in_start;
        match status {
            Status::StreamEnd => {
                let produced = self.out.len() - m.out_start;
                let crc = std::mem::replace(&mut m.crc, crc32fast::Hasher::new()).finalize();
                self.member = None;
                let t = self
                    .data
                    .get(self.pos..self.pos + 8)
                    .ok_or_else(|| "unexpected EOF".to_string())?;
                let want_crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                let want_len = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
                self.pos += 8;
                if want_crc != crc || want_len != (produced as u64 & 0xffff_ffff) as u32 {
                    return Err("gzip: invalid checksum".into());
                }
                Ok(())
            }
            Status::Ok | Status::BufError => {
                if consumed == 0 && self.out.len() == before_out {
                    if self.pos >= self.data.len() {
                        return Err("unexpected EOF".into());
                    }
                    return Err(format!(
                        "flate: corrupt input before offset {}",
                        self.pos - in_start
                    ));
                }
                Ok(())
            }
        }
    }

    /// Go's `io.ReadFull` of `len` bytes at `at`: all of them, the clean end (nothing left
    /// at `at`), or an error (`unexpected EOF` for a partial read at the end).
    fn read_full(&mut self, at: usize, len: usize) -> Result<&[u8], Short> {
        if len == 0 {
            return Ok(&[]);
        }
        self.fill(at.saturating_add(len));
        if let Some(b) = self.out.get(at..at.saturating_add(len)) {
            return Ok(b);
        }
        match &self.end {
            Some(Err(e)) => Err(Short::Err(e.clone())),
            _ if self.out.len() <= at => Err(Short::Eof),
            _ => Err(Short::Err("unexpected EOF".into())),
        }
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

/// Go's `tar.Reader` over an [`Inflater`]: entries one at a time, reading only what each
/// step needs.
struct TarReader {
    /// Where the next header starts once the previous entry's data and padding are skipped.
    pos: usize,
    /// The previous entry's data end and padded end, still to be skipped.
    skip: Option<(usize, usize)>,
}

fn short_err(s: Short) -> String {
    match s {
        Short::Eof => "unexpected EOF".into(),
        Short::Err(e) => e,
    }
}

impl TarReader {
    fn new() -> TarReader {
        TarReader { pos: 0, skip: None }
    }

    /// Go's `Next`: the next entry, `None` at the end of the archive.
    fn next(&mut self, src: &mut Inflater) -> Result<Option<TarEntry>, String> {
        let mut long_name: Option<String> = None;
        let mut pax: Vec<(String, String)> = Vec::new();
        loop {
            if let Some((data_end, padded_end)) = self.skip.take() {
                // The unread data must be there; for the padding, a clean end right after
                // the data is the end of the archive (Go's `tryReadFull`).
                if data_end > 0 {
                    src.read_full(data_end - 1, 1).map_err(short_err)?;
                }
                match src.read_full(data_end, padded_end - data_end) {
                    Ok(_) => {}
                    Err(Short::Eof) => return Ok(None),
                    Err(e) => return Err(short_err(e)),
                }
                self.pos = padded_end;
            }
            let pos = self.pos;
            let blk: [u8; 512] = match src.read_full(pos, 512) {
                Ok(b) => b.try_into().map_err(|_| "unexpected EOF".to_string())?,
                Err(Short::Eof) => return Ok(None),
                Err(e) => return Err(short_err(e)),
            };
            if blk.iter().all(|&b| b == 0) {
                return match src.read_full(pos + 512, 512) {
                    Ok(b) if b.iter().all(|&b| b == 0) => Ok(None),
                    Ok(_) => Err("archive/tar: invalid tar header".into()),
                    Err(Short::Eof) => Ok(None),
                    Err(e) => Err(short_err(e)),
                };
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
            let mut name = cstr(&blk[0..100]);
            let magic = &blk[257..263];
            if magic == b"ustar\0" {
                let prefix = cstr(&blk[345..500]);
                if !prefix.is_empty() {
                    name = format!("{prefix}/{name}");
                }
            }
            if matches!(typeflag, b'x' | b'L' | b'K') {
                let len = usize::try_from(size)
                    .map_err(|_| "archive/tar: invalid tar header".to_string())?;
                let body = src.read_full(data_start, len).map_err(short_err)?;
                if typeflag == b'x' {
                    pax = parse_pax(body)?;
                } else if typeflag == b'L' {
                    long_name = Some(cstr(body));
                }
                self.skip = Some(data_span(data_start, size)?);
                continue;
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
            let mode = parse_numeric(&blk[100..108]).unwrap_or(0);
            let is_dir = typeflag == b'5'
                || mode & 0o40000 != 0
                || ((typeflag == b'0' || typeflag == 0) && name.ends_with('/'));
            self.skip = Some(data_span(data_start, size)?);
            return Ok(Some(TarEntry {
                name,
                typeflag,
                is_dir,
                data_start,
                size,
            }));
        }
    }
}

/// An entry's data end and its end padded to the 512-byte block.
fn data_span(data_start: usize, size: u64) -> Result<(usize, usize), String> {
    let too_big = || "archive/tar: invalid tar header".to_string();
    let size = usize::try_from(size).map_err(|_| too_big())?;
    let end = data_start.checked_add(size).ok_or_else(too_big)?;
    let padded = end.checked_add(511).ok_or_else(too_big)? / 512 * 512;
    Ok((end, padded))
}

/// Go's `path.Clean` (one home: `chartroom_funcs::go_path`).
pub use chartroom_funcs::go_path::clean as clean_path;

fn is_drive_path(n: &str) -> bool {
    let b = n.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Helm's `LoadArchiveFiles`: the chart's files with the top-level folder stripped, in archive
/// order. Errors carry Go's/Helm's texts.
pub fn load_archive_files(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    load_archive_files_with(data, &Limits::default())
}

/// [`load_archive_files`] under the archive limits of `limits` (`archive-bytes`,
/// `archive-file-bytes`, `archive-entries`; every tar entry counts).
pub fn load_archive_files_with(
    data: &[u8],
    limits: &Limits,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let budget = limits.archive_bytes;
    let mut src = Inflater::new(data, budget.saturating_add(INFLATE_SLACK), budget)?;
    let mut tar = TarReader::new();
    let mut files = Vec::new();
    let mut remaining: i64 = i64::try_from(budget).unwrap_or(i64::MAX);
    let mut entries: u64 = 0;
    while let Some(e) = tar.next(&mut src)? {
        entries += 1;
        check_entries(limits, entries)?;
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
                chartroom_template::fmt::quote(&e.name)
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
            return Err(chart_too_large(budget, helm_archive_too_large));
        }
        check_file_size(limits, &n, e.size)?;
        let body = src
            .read_full(e.data_start, e.size as usize)
            .map_err(short_err)?;
        remaining -= body.len() as i64;
        let body = body.strip_prefix(UTF8_BOM).unwrap_or(body);
        files.push((n, body.to_vec()));
    }
    if files.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(files)
}

/// A ustar archive of regular files `(path, contents)` as `helm package` lays a chart out
/// (mode 0644, owner 0, mtime 0), ending with the two zero blocks. For charts built in memory
/// (tests, fuzz seeds). A path longer than the 100-byte name field is an error.
pub fn write_tar(entries: &[(&str, &[u8])]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for (name, data) in entries {
        if name.len() > 100 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("tar: name longer than 100 bytes: {name}"),
            ));
        }
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        // The checksum is computed with its own field as spaces.
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    Ok(out)
}

/// `data` in one gzip member.
pub fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data)?;
    enc.finish()
}

/// A chart archive (`.tgz`) of `entries`: [`write_tar`] then [`gzip`].
pub fn write_tgz(entries: &[(&str, &[u8])]) -> std::io::Result<Vec<u8>> {
    gzip(&write_tar(entries)?)
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn helms_size_keeps_helms_text() {
        let helm = || "Helm's own".to_string();
        assert_eq!(
            super::chart_too_large(MAX_DECOMPRESSED_CHART_SIZE, helm),
            "Helm's own"
        );
        assert!(super::chart_too_large(10, helm).contains("the limit archive-bytes=10 "));
    }

    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    pub fn tar_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
        write_tar(entries).unwrap()
    }

    pub fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        write_tgz(entries).unwrap()
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
    }

    fn gzip_of(raw: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(raw).unwrap();
        enc.finish().unwrap()
    }

    /// Go's tar reader stops at the end-of-archive blocks and never asks the gzip reader for
    /// more, so damage after them goes unnoticed (Helm 4.3.1 loads these archives); without
    /// the end blocks the reader reads on and meets it.
    #[test]
    fn damage_after_the_tar_end_is_never_read() {
        let with_end = tar_bytes(&[("c/Chart.yaml", b"name: c")]);
        let without_end = &with_end[..with_end.len() - 1024];
        for (tar, ends) in [(&with_end[..], true), (without_end, false)] {
            let good = gzip_of(tar);
            assert!(load_archive_files(&good).is_ok());
            let n = good.len();
            let mut bad_crc = good.clone();
            bad_crc[n - 6] ^= 0xff;
            let cut_trailer = &good[..n - 8];
            let mut garbage = good.clone();
            garbage.extend_from_slice(b"garbage-garbage");
            let cases: [(&[u8], &str); 3] = [
                (&bad_crc, "gzip: invalid checksum"),
                (cut_trailer, "unexpected EOF"),
                (&garbage, "gzip: invalid header"),
            ];
            for (data, err) in cases {
                match load_archive_files(data) {
                    Ok(files) => {
                        assert!(ends, "{err}: loaded without end blocks");
                        assert_eq!(files[0].1, b"name: c");
                    }
                    Err(e) => {
                        assert!(!ends, "{err}: failed with end blocks: {e}");
                        assert_eq!(e, err);
                    }
                }
            }
        }
    }

    #[test]
    fn cleans_paths_like_go() {
        assert_eq!(clean_path("a/./b/../c"), "a/c");
        assert_eq!(clean_path("../x"), "../x");
        assert_eq!(clean_path(""), ".");
        assert_eq!(clean_path("/a/.."), "/");
    }
}
