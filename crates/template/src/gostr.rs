//! [`Str`]: a Go `string`, an immutable sequence of bytes that is usually, but not always,
//! UTF-8.
//!
//! Go keeps whatever bytes a string holds: `.Files.Get` of a binary file, `b64dec` of binary
//! data, `trunc`/`substr` cutting a character in two, `"\xff"` literals. Helm's output then
//! carries those bytes (`.Files.Get "x.tgz" | b64enc` is the file's exact base64). Almost every
//! string is valid UTF-8, so that case is an `Rc<str>` exactly as before (no extra allocation
//! or check); only strings that are not valid UTF-8 take the other representation, which
//! keeps the bytes and, computed once, their lossy (U+FFFD) text for the functions that read
//! characters the way Go does when it decodes invalid UTF-8 (`strings.ToUpper`,
//! `encoding/json`...).
//!
//! Invariant: the `Raw` representation is used if and only if the bytes are not valid UTF-8,
//! so equality and hashing can compare representations directly.

use std::fmt;
use std::rc::Rc;

/// A Go string: bytes, with a fast path for valid UTF-8.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    Utf8(Rc<str>),
    Raw(Rc<Raw>),
}

/// Bytes that are not valid UTF-8, and their lossy text.
struct Raw {
    bytes: Box<[u8]>,
    lossy: Box<str>,
}

impl Str {
    /// The empty string.
    pub fn empty() -> Str {
        Str::from("")
    }

    /// A string holding exactly these bytes.
    pub fn from_bytes(bytes: &[u8]) -> Str {
        match std::str::from_utf8(bytes) {
            Ok(s) => Str(Repr::Utf8(Rc::from(s))),
            Err(_) => Str::raw(bytes.into()),
        }
    }

    /// A string holding exactly these bytes (taking the vector: one UTF-8 check, then the one
    /// copy into the shared allocation).
    pub fn from_vec(bytes: Vec<u8>) -> Str {
        match String::from_utf8(bytes) {
            Ok(s) => Str(Repr::Utf8(Rc::from(s))),
            Err(e) => Str::raw(e.into_bytes().into_boxed_slice()),
        }
    }

    fn raw(bytes: Box<[u8]>) -> Str {
        let lossy = String::from_utf8_lossy(&bytes)
            .into_owned()
            .into_boxed_str();
        Str(Repr::Raw(Rc::new(Raw { bytes, lossy })))
    }

    /// The bytes, as Go sees them (`len`, `index`, slicing, hashing, base64).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Utf8(s) => s.as_bytes(),
            Repr::Raw(r) => &r.bytes,
        }
    }

    /// The text if the bytes are valid UTF-8 (the common case; no check is made, the
    /// representation already knows).
    pub fn to_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Utf8(s) => Some(s),
            Repr::Raw(_) => None,
        }
    }

    /// The text with every invalid byte sequence replaced by U+FFFD (as Go's `range` over a
    /// string, `strings.Map`, `encoding/json` and `[]rune(s)` decode it). Borrowed, no work: for
    /// valid UTF-8 it is the string itself.
    pub fn as_str_lossy(&self) -> &str {
        match &self.0 {
            Repr::Utf8(s) => s,
            Repr::Raw(r) => &r.lossy,
        }
    }

    /// Whether the bytes are valid UTF-8.
    pub fn is_utf8(&self) -> bool {
        matches!(self.0, Repr::Utf8(_))
    }

    /// Go's `len(s)`: the number of bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes `s[start..end]` as a new string (Go's `s[i:j]`); `None` if out of range.
    pub fn slice(&self, start: usize, end: usize) -> Option<Str> {
        let b = self.as_bytes().get(start..end)?;
        if let Repr::Utf8(s) = &self.0 {
            if let Some(sub) = s.get(start..end) {
                return Some(Str::from(sub));
            }
        }
        Some(Str::from_bytes(b))
    }

    /// The text, lossy for invalid UTF-8, as an owned `String`.
    pub fn to_string_lossy(&self) -> String {
        self.as_str_lossy().to_string()
    }

    /// Whether `needle` occurs in the bytes.
    pub fn contains(&self, needle: &str) -> bool {
        match &self.0 {
            Repr::Utf8(s) => s.contains(needle),
            Repr::Raw(r) => find(&r.bytes, needle.as_bytes(), 0).is_some(),
        }
    }

    /// Go's `strings.ReplaceAll(s, from, to)` over bytes (bytes around the matches are kept as
    /// they are). `from` must not be empty; an empty `from` returns the string unchanged.
    pub fn replace(&self, from: &[u8], to: &[u8]) -> Str {
        if from.is_empty() {
            return self.clone();
        }
        if let (Repr::Utf8(s), Ok(f), Ok(t)) =
            (&self.0, std::str::from_utf8(from), std::str::from_utf8(to))
        {
            if !s.contains(f) {
                return self.clone();
            }
            return Str::from(s.replace(f, t));
        }
        let b = self.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut at = 0;
        while let Some(i) = find(b, from, at) {
            out.extend_from_slice(&b[at..i]);
            out.extend_from_slice(to);
            at = i + from.len();
        }
        out.extend_from_slice(&b[at..]);
        Str::from_vec(out)
    }

    /// Concatenates byte strings.
    pub fn concat(parts: &[&[u8]]) -> Str {
        let mut b = StrBuf::new();
        for p in parts {
            b.push_bytes(p);
        }
        b.finish()
    }
}

/// `bytes` as text, every invalid sequence replaced by U+FFFD. Valid UTF-8 (the usual case)
/// is checked once by `str::from_utf8`, several times faster than `String::from_utf8_lossy`'s
/// chunked walk, which showed in profiles of multi-megabyte outputs in V8.
pub fn utf8_or_lossy(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The first index at or after `from` where `needle` (not empty) starts in `hay`.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    while at + needle.len() <= hay.len() {
        // Scan for the first byte (a fast loop), then compare the rest.
        let i = at
            + hay[at..=hay.len() - needle.len()]
                .iter()
                .position(|&b| b == first)?;
        if &hay[i + 1..i + needle.len()] == rest {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

impl Default for Str {
    fn default() -> Str {
        Str::empty()
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str(Repr::Utf8(Rc::from(s)))
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(Repr::Utf8(Rc::from(s)))
    }
}

impl From<Rc<str>> for Str {
    fn from(s: Rc<str>) -> Str {
        Str(Repr::Utf8(s))
    }
}

impl From<Vec<u8>> for Str {
    fn from(b: Vec<u8>) -> Str {
        Str::from_vec(b)
    }
}

impl From<&[u8]> for Str {
    fn from(b: &[u8]) -> Str {
        Str::from_bytes(b)
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    /// Go's string order: bytewise.
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::hash::Hash for Str {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state)
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Utf8(s) => write!(f, "{:?}", &**s),
            Repr::Raw(r) => f.write_str(&crate::fmt::quote_bytes(&r.bytes)),
        }
    }
}

/// Lossy text (what a Rust `Display` can carry); use [`Str::as_bytes`] to keep the bytes.
impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str_lossy())
    }
}

/// A growing Go string (the template executor's output, `fmt`'s buffer): a byte buffer that
/// remembers whether everything pushed so far was known to be UTF-8, so finishing it needs no
/// second check in the usual case.
#[derive(Default, Debug, Clone)]
pub struct StrBuf {
    buf: Vec<u8>,
    /// Every push so far was `&str` or a UTF-8 [`Str`].
    utf8: bool,
}

impl StrBuf {
    pub fn new() -> StrBuf {
        StrBuf {
            buf: Vec::new(),
            utf8: true,
        }
    }

    pub fn push_str(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub fn push_bytes(&mut self, b: &[u8]) {
        if self.utf8 && !b.is_ascii() {
            self.utf8 = false;
        }
        self.buf.extend_from_slice(b);
    }

    pub fn push_gostr(&mut self, s: &Str) {
        match &s.0 {
            Repr::Utf8(t) => self.push_str(t),
            Repr::Raw(r) => {
                self.utf8 = false;
                self.buf.extend_from_slice(&r.bytes);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Makes room for `additional` more bytes of a buffer that will never hold more than
    /// `ceiling`: past [`StrBuf::DIRECT_GROWTH`] it grows straight to the ceiling instead of
    /// doubling. Each doubling copies the buffer into a new block and leaves the old one
    /// behind, and wasm's allocator cannot give that memory back: a template running into a
    /// 64 MiB output limit in small writes took 254 MB of wasm memory.
    pub fn reserve_within(&mut self, additional: usize, ceiling: usize) {
        let needed = self.buf.len().saturating_add(additional);
        if needed <= self.buf.capacity() || needed > ceiling {
            return;
        }
        let doubled = self.buf.capacity().saturating_mul(2).max(needed);
        if doubled > Self::DIRECT_GROWTH {
            self.buf.reserve_exact(ceiling - self.buf.len());
        }
    }

    /// The size past which [`StrBuf::reserve_within`] grows to its ceiling at once.
    pub const DIRECT_GROWTH: usize = 8 << 20;

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// The finished string.
    pub fn finish(self) -> Str {
        if self.utf8 {
            // Only `&str` values and ASCII bytes were pushed, so the buffer is UTF-8; the
            // checked conversion below is then a fast scan that cannot fail, and keeps this
            // code free of `unsafe`.
            match String::from_utf8(self.buf) {
                Ok(s) => Str::from(s),
                Err(e) => Str::from_vec(e.into_bytes()),
            }
        } else {
            Str::from_vec(self.buf)
        }
    }
}

impl fmt::Write for StrBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_raw() {
        let a = Str::from("héllo");
        assert!(a.is_utf8());
        assert_eq!(a.len(), 6);
        assert_eq!(a.to_str(), Some("héllo"));
        let cut = a.slice(0, 2).unwrap();
        assert!(!cut.is_utf8());
        assert_eq!(cut.as_bytes(), b"h\xc3");
        assert_eq!(cut.to_str(), None);
        assert_eq!(cut.as_str_lossy(), "h\u{fffd}");
        assert_eq!(format!("{cut:?}"), "\"h\\xc3\"");
        assert!(a.slice(0, 9).is_none());
        // Joining the halves of a character gives valid UTF-8 again (one representation).
        let rest = a.slice(2, 6).unwrap();
        let joined = Str::concat(&[cut.as_bytes(), rest.as_bytes()]);
        assert!(joined.is_utf8());
        assert_eq!(joined, a);
        assert_eq!(joined, "héllo");
    }

    #[test]
    fn from_vec_and_order() {
        let raw = Str::from_vec(vec![0xff, b'a']);
        assert_eq!(raw.as_bytes(), &[0xff, b'a']);
        assert_eq!(raw.as_str_lossy(), "\u{fffd}a");
        assert_eq!(Str::from("z").cmp(&raw), std::cmp::Ordering::Less);
        assert_eq!(Str::from_vec(b"ok".to_vec()).to_str(), Some("ok"));
        assert_eq!(Str::default(), Str::empty());
        assert!(Str::empty().is_empty());
    }

    #[test]
    fn replace_keeps_bytes() {
        let raw = Str::from_vec(b"a\xffb<no value>\xfe".to_vec());
        assert!(raw.contains("<no value>"));
        let r = raw.replace(b"<no value>", b"");
        assert_eq!(r.as_bytes(), b"a\xffb\xfe");
        assert_eq!(
            Str::from("aXa").replace(b"a", b"\xc3").as_bytes(),
            b"\xc3X\xc3"
        );
        assert_eq!(Str::from("abc").replace(b"", b"x"), "abc");
        assert_eq!(find(b"abcabc", b"bc", 2), Some(4));
        assert_eq!(find(b"abcabc", b"bc", 0), Some(1));
        assert_eq!(find(b"abcab", b"abc", 1), None);
        assert_eq!(find(b"ab", b"abc", 0), None);
        assert_eq!(find(b"abc", b"c", 2), Some(2));
        assert_eq!(find(b"abc", b"c", 9), None);
        assert_eq!(find(b"abc", b"", 0), None);
    }

    #[test]
    fn buffer() {
        let mut b = StrBuf::new();
        b.push_str("é");
        b.push_bytes(b"ab");
        assert!(b.clone().finish().is_utf8());
        b.push_bytes(&[0xc3]);
        assert!(!b.clone().finish().is_utf8());
        b.push_bytes(&[0xa9]);
        let s = b.finish();
        assert!(s.is_utf8());
        assert_eq!(s, "éabé");
    }

    #[test]
    fn large_buffers_grow_to_their_ceiling_at_once() {
        const CEILING: usize = 64 << 20;
        let mut b = StrBuf::new();
        let chunk = "y".repeat(1 << 20);
        // Small: left to the vector's own growth.
        b.reserve_within(1000, CEILING);
        b.push_str("x");
        assert!(b.buf.capacity() < StrBuf::DIRECT_GROWTH);
        // Past the threshold: one step to the ceiling, and no growth after it.
        while b.len() + chunk.len() <= StrBuf::DIRECT_GROWTH + chunk.len() {
            b.reserve_within(chunk.len(), CEILING);
            b.push_str(&chunk);
        }
        assert_eq!(b.buf.capacity(), CEILING);
        let at = b.buf.as_ptr();
        while b.len() + chunk.len() <= CEILING {
            b.reserve_within(chunk.len(), CEILING);
            b.push_str(&chunk);
        }
        assert_eq!(b.buf.as_ptr(), at, "moved after reaching the ceiling");
        // A write past the ceiling reserves nothing (the caller reports the limit).
        b.reserve_within(CEILING, CEILING);
        assert_eq!(b.buf.capacity(), CEILING);
    }

    #[test]
    fn value_stays_small() {
        assert_eq!(std::mem::size_of::<Str>(), 16);
        assert_eq!(std::mem::size_of::<crate::Value>(), 24);
    }
}
