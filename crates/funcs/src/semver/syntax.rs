//! The string grammar of Masterminds/semver v3, scanned by hand.
//!
//! Masterminds states its grammar as Go regular expressions: a loose version, an operator
//! list `=||!=|>|<|>=|=>|<=|=<|~|~>|\^` (with an empty alternative), a constraint version
//! whose number class `[0-9|x|X|\*]` also admits `|`, and Go's ASCII `\s` (`[\t\n\f\r ]`).
//! These scanners return exactly the matches those regexes give under Go's (and the `regex`
//! crate's) leftmost-first semantics, without compiling anything:
//!
//! - Every piece of a version (`v`, the major run, `.minor`, `.patch`, `-pre`, `+meta`) is
//!   greedy, and the greedy reading is the only one the regexes can accept: stopping a piece
//!   early leaves a version character (digit, wildcard, `.`, `-`, `+`, identifier) where only
//!   whitespace, `,` or the end may follow. Whitespace runs are likewise taken whole. So one
//!   left-to-right scan, with no backtracking, decides each match.
//! - Operators are tried in the regex's alternation order. At any offset at most one of
//!   them can be followed by a version (`=` of `=>` leaves a `>` where a version must start;
//!   the empty one needs a version character, which no operator starts with), so the order
//!   never decides a match; it is kept for fidelity.
//! - Unanchored searches (`find`, `range`) try each start offset in turn and resume after
//!   each match, as `find_iter` does. Matches start and end at ASCII bytes, so slicing the
//!   input there never splits a character.
//!
//! The differential tests in `tests.rs` compare every scanner with the regex it replaces.

/// Go's `\s`.
fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A loose version's number characters.
fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

/// A constraint version's number characters: digits, wildcards, and `|` (a quirk of
/// Masterminds' character class `[0-9|x|X|\*]`).
fn is_wild(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'|' | b'x' | b'X' | b'*')
}

/// Prerelease and metadata identifier characters.
fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Operators in the regex's alternation order (the empty one second).
const OPS: [&str; 12] = [
    "=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

/// The end of the run of bytes satisfying `f` from `i`.
fn run(b: &[u8], mut i: usize, f: impl Fn(u8) -> bool) -> usize {
    while b.get(i).is_some_and(|&c| f(c)) {
        i += 1;
    }
    i
}

fn skip_ws(b: &[u8], i: usize) -> usize {
    run(b, i, is_ws)
}

/// `s[a..e]`; every caller passes offsets next to ASCII bytes, which are char boundaries.
fn slice(s: &str, a: usize, e: usize) -> &str {
    s.get(a..e).unwrap_or("")
}

/// A version's pieces as text; an absent piece is empty (as an unmatched regex group).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct VersionText<'a> {
    /// The whole version, `v` and metadata included.
    pub whole: &'a str,
    /// The major number (without `v`).
    pub major: &'a str,
    /// `.minor`, with its dot.
    pub minor: &'a str,
    /// `.patch`, with its dot.
    pub patch: &'a str,
    /// `-prerelease`, with its dash.
    pub pre: &'a str,
    /// `+metadata`, with its plus.
    pub meta: &'a str,
    /// Where the version ends in the scanned string.
    end: usize,
}

/// `sep` followed by a dotted list of identifiers, from `i`; returns its end.
fn dotted_idents(b: &[u8], i: usize, sep: u8) -> Option<usize> {
    if b.get(i) != Some(&sep) || !b.get(i + 1).is_some_and(|&c| is_ident(c)) {
        return None;
    }
    let mut j = run(b, i + 1, is_ident);
    while b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(|&c| is_ident(c)) {
        j = run(b, j + 1, is_ident);
    }
    Some(j)
}

/// `.` followed by a run of number characters, from `i`; returns its end.
fn dotted_number(b: &[u8], i: usize, num: impl Fn(u8) -> bool + Copy) -> Option<usize> {
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(|&c| num(c)) {
        Some(run(b, i + 1, num))
    } else {
        None
    }
}

/// The greedy version starting at `at`: `v?`, a number run, optional `.minor` and
/// `.patch`, optional `-pre` and `+meta`. `num` is the number class (loose or wildcard).
fn scan_version(s: &str, at: usize, num: impl Fn(u8) -> bool + Copy) -> Option<VersionText<'_>> {
    let b = s.as_bytes();
    let mut i = at;
    if b.get(i) == Some(&b'v') {
        i += 1;
    }
    let major_start = i;
    i = run(b, i, num);
    if i == major_start {
        return None;
    }
    let major = slice(s, major_start, i);
    let piece = |next: Option<usize>, i: &mut usize| match next {
        Some(e) => {
            let t = slice(s, *i, e);
            *i = e;
            t
        }
        None => "",
    };
    let minor = piece(dotted_number(b, i, num), &mut i);
    let patch = piece(dotted_number(b, i, num), &mut i);
    let pre = piece(dotted_idents(b, i, b'-'), &mut i);
    let meta = piece(dotted_idents(b, i, b'+'), &mut i);
    Some(VersionText {
        whole: slice(s, at, i),
        major,
        minor,
        patch,
        pre,
        meta,
        end: i,
    })
}

/// Masterminds' loose version regex, anchored: the whole of `s` is one version.
pub(super) fn loose_version(s: &str) -> Option<VersionText<'_>> {
    scan_version(s, 0, is_digit).filter(|v| v.end == s.len())
}

/// An operator and a wildcard version from `at` (`(OPS)\s*(CV)`), the first operator in
/// alternation order for which a version follows and `accept` takes its end.
fn op_version(
    s: &str,
    at: usize,
    accept: impl Fn(usize) -> bool,
) -> Option<(&'static str, VersionText<'_>)> {
    let b = s.as_bytes();
    let rest = b.get(at..)?;
    OPS.iter().find_map(|&op| {
        if !rest.starts_with(op.as_bytes()) {
            return None;
        }
        let v = scan_version(s, skip_ws(b, at + op.len()), is_wild)?;
        accept(v.end).then_some((op, v))
    })
}

/// The constraint regex, anchored: `\s* (OPS) \s* (CV) \s*` is the whole of `s`.
pub(super) fn constraint(s: &str) -> Option<(&'static str, VersionText<'_>)> {
    let b = s.as_bytes();
    op_version(s, skip_ws(b, 0), |end| skip_ws(b, end) == b.len())
}

/// The `find` regex's successive matches `(OPS)\s*(CV)` in `s`.
pub(super) fn find_all(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        match op_version(s, p, |_| true) {
            Some((_, v)) => {
                out.push(slice(s, p, v.end));
                p = v.end;
            }
            None => p += 1,
        }
    }
    out
}

/// The validity regex: `s` is a list of `\s* (OPS) \s* (CV) \s*` items separated by
/// whitespace or by a comma, with nothing else around them.
pub(super) fn is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    // Each item's version must be followed by whitespace, a comma or the end.
    let item_end = |end: usize| b.get(end).is_none_or(|&c| c == b',' || is_ws(c));
    let mut i = skip_ws(b, 0);
    loop {
        let Some((_, v)) = op_version(s, i, item_end) else {
            return false;
        };
        let j = skip_ws(b, v.end);
        match b.get(j) {
            None => return true,
            Some(b',') => i = skip_ws(b, j + 1),
            // A whitespace separator (`item_end` let nothing else follow the version).
            Some(_) if j > v.end => i = j,
            Some(_) => return false,
        }
    }
}

/// One hyphen range `\s* (CV) \s+ - \s+ (CV) \s*` starting exactly at `p`:
/// (end, first version, second version).
fn range_at(s: &str, p: usize) -> Option<(usize, &str, &str)> {
    let b = s.as_bytes();
    let a = scan_version(s, skip_ws(b, p), is_wild)?;
    let dash = skip_ws(b, a.end);
    if dash == a.end || b.get(dash) != Some(&b'-') {
        return None;
    }
    let second = skip_ws(b, dash + 1);
    if second == dash + 1 {
        return None;
    }
    let z = scan_version(s, second, is_wild)?;
    Some((skip_ws(b, z.end), a.whole, z.whole))
}

/// The range regex's successive matches in `s`: (whole match, first, second version).
pub(super) fn ranges(s: &str) -> Vec<(&str, &str, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    // Every match holds whitespace, `-`, whitespace; most constraints have none.
    if !b
        .windows(3)
        .any(|w| is_ws(w[0]) && w[1] == b'-' && is_ws(w[2]))
    {
        return out;
    }
    let mut p = 0;
    while p < b.len() {
        match range_at(s, p) {
            Some((end, first, second)) => {
                out.push((slice(s, p, end), first, second));
                p = end;
            }
            None => p += 1,
        }
    }
    out
}
