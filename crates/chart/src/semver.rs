//! Semantic versions and constraints as Masterminds/semver v3 (what Helm uses) parses and
//! checks them: loose versions (`v1`, `1.2`), `||` alternatives, `,`/space conjunctions,
//! hyphen ranges, wildcards, `~`, `^`, and the rule that prerelease versions only satisfy
//! constraints that mention a prerelease.

use std::cmp::Ordering;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn valid_dotted(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(is_ident_char))
}

impl Version {
    /// Masterminds' `NewVersion` (the coercing parser).
    pub fn parse(s: &str) -> Option<Version> {
        let rest = s.strip_prefix('v').unwrap_or(s);
        let (core, metadata) = match rest.find('+') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let (nums, pre) = match core.find('-') {
            Some(i) => (&core[..i], &core[i + 1..]),
            None => (core, ""),
        };
        if rest.contains('+') && !valid_dotted(metadata) {
            return None;
        }
        if core.contains('-') {
            if !valid_dotted(pre) {
                return None;
            }
            for part in pre.split('.') {
                if part.len() > 1
                    && part.starts_with('0')
                    && part.bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
            }
        }
        let parts: Vec<&str> = nums.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut v = [0u64; 3];
        for (i, p) in parts.iter().enumerate() {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            v[i] = p.parse().ok()?;
        }
        Some(Version {
            major: v[0],
            minor: v[1],
            patch: v[2],
            pre: pre.to_string(),
            metadata: metadata.to_string(),
        })
    }

    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| compare_pre(&self.pre, &o.pre))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for i in 0..pa.len().max(pb.len()) {
        let (x, y) = match (pa.get(i), pb.get(i)) {
            (Some(x), Some(y)) => (*x, *y),
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (None, None) => break,
        };
        let xn = x
            .parse::<u64>()
            .ok()
            .filter(|_| x.bytes().all(|c| c.is_ascii_digit()));
        let yn = y
            .parse::<u64>()
            .ok()
            .filter(|_| y.bytes().all(|c| c.is_ascii_digit()));
        let o = match (xn, yn) {
            (Some(p), Some(q)) => p.cmp(&q),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Clone, Debug)]
struct Term {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint: alternatives (`||`) of conjunctions.
#[derive(Clone, Debug)]
pub struct Constraints {
    alts: Vec<Vec<Term>>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// Scans one version-ish token (`v?N(.N)?(.N)?(-pre)?(+meta)?` with wildcards) at the start of
/// `s`; returns its parts and length.
struct VerTok<'a> {
    major: &'a str,
    minor: Option<&'a str>,
    patch: Option<&'a str>,
    pre: Option<&'a str>,
    len: usize,
}

fn scan_version(s: &str) -> Option<VerTok<'_>> {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'v') {
        i = 1;
    }
    let numx = |i: usize| -> usize {
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_digit() || matches!(b[j], b'x' | b'X' | b'*' | b'|')) {
            // `|` is in Masterminds' character class but `||` separates alternatives; stop there.
            if b[j] == b'|' {
                break;
            }
            j += 1;
        }
        j
    };
    let j = numx(i);
    if j == i {
        return None;
    }
    let major = &s[i..j];
    i = j;
    let mut minor = None;
    let mut patch = None;
    for slot in 0..2 {
        if b.get(i) == Some(&b'.') {
            let j = numx(i + 1);
            if j == i + 1 {
                break;
            }
            if slot == 0 {
                minor = Some(&s[i + 1..j]);
            } else {
                patch = Some(&s[i + 1..j]);
            }
            i = j;
        } else {
            break;
        }
    }
    let dotted = |i: usize| -> usize {
        // [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*
        let mut j = i;
        loop {
            let st = j;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
                j += 1;
            }
            if j == st {
                return if st == i { i } else { st - 1 };
            }
            if b.get(j) == Some(&b'.')
                && b.get(j + 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
            {
                j += 1;
            } else {
                return j;
            }
        }
    };
    let mut pre = None;
    if b.get(i) == Some(&b'-') {
        let j = dotted(i + 1);
        if j > i + 1 {
            pre = Some(&s[i + 1..j]);
            i = j;
        }
    }
    if b.get(i) == Some(&b'+') {
        let j = dotted(i + 1);
        if j > i + 1 {
            i = j;
        }
    }
    Some(VerTok {
        major,
        minor,
        patch,
        pre,
        len: i,
    })
}

fn scan_op(s: &str) -> (Op, usize) {
    for (t, op) in [
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("<=", Op::Le),
        ("=<", Op::Le),
        ("~>", Op::Tilde),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("~", Op::Tilde),
        ("^", Op::Caret),
        ("=", Op::Eq),
    ] {
        if s.starts_with(t) {
            return (op, t.len());
        }
    }
    (Op::Eq, 0)
}

fn make_term(op: Op, t: &VerTok<'_>) -> Option<Term> {
    let pre = t.pre.map(|p| format!("-{p}")).unwrap_or_default();
    let (ver, minor_dirty, patch_dirty, dirty) = if is_x(t.major) {
        (format!("0.0.0{pre}"), false, false, true)
    } else if t.minor.is_none_or(is_x) {
        (format!("{}.0.0{pre}", t.major), true, false, true)
    } else if t.patch.is_none_or(is_x) {
        (
            format!("{}.{}.0{pre}", t.major, t.minor.unwrap_or("0")),
            false,
            true,
            true,
        )
    } else {
        (
            format!(
                "{}.{}.{}{pre}",
                t.major,
                t.minor.unwrap_or("0"),
                t.patch.unwrap_or("0")
            ),
            false,
            false,
            false,
        )
    };
    let con = Version::parse(&ver)?;
    Some(Term {
        op,
        con,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

fn skip_ws(s: &str, i: usize) -> usize {
    let b = s.as_bytes();
    let mut j = i;
    while j < b.len() && (b[j] as char).is_ascii_whitespace() {
        j += 1;
    }
    j
}

/// Parses one `||` segment, rewriting `a - b` into `>= a, <= b`.
fn parse_segment(seg: &str) -> Option<Vec<Term>> {
    let mut terms = Vec::new();
    let mut i = skip_ws(seg, 0);
    let mut first = true;
    loop {
        if i >= seg.len() {
            break;
        }
        if !first {
            // delimiter: whitespace already skipped, optional comma
            if seg.as_bytes()[i] == b',' {
                i = skip_ws(seg, i + 1);
            }
        }
        let (op, n) = scan_op(&seg[i..]);
        let j = skip_ws(seg, i + n);
        let tok = scan_version(&seg[j..])?;
        let end = j + tok.len;
        // Hyphen range: `a - b` (only without an operator)
        let after = skip_ws(seg, end);
        if n == 0
            && after > end
            && seg[after..].starts_with('-')
            && seg[after + 1..].starts_with(|c: char| c.is_ascii_whitespace())
        {
            let k = skip_ws(seg, after + 1);
            let tok2 = scan_version(&seg[k..])?;
            terms.push(make_term(Op::Ge, &tok)?);
            terms.push(make_term(Op::Le, &tok2)?);
            i = skip_ws(seg, k + tok2.len);
        } else {
            terms.push(make_term(op, &tok)?);
            let next = skip_ws(seg, end);
            if next < seg.len() && next == end && seg.as_bytes()[next] != b',' {
                // two constraints must be separated by whitespace or a comma
                return None;
            }
            i = next;
        }
        first = false;
    }
    if terms.is_empty() {
        return None;
    }
    Some(terms)
}

impl Constraints {
    /// Masterminds' `NewConstraint`; `None` for an improper constraint.
    pub fn parse(s: &str) -> Option<Constraints> {
        let mut alts = Vec::new();
        for seg in s.split("||") {
            alts.push(parse_segment(seg)?);
        }
        Some(Constraints { alts })
    }

    pub fn check(&self, v: &Version) -> bool {
        self.alts
            .iter()
            .any(|terms| terms.iter().all(|t| t.check(v)))
    }
}

impl Term {
    fn check(&self, v: &Version) -> bool {
        let c = &self.con;
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        match self.op {
            Op::Eq => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::Ne => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_pre(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            Op::Gt => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            Op::Lt => v.compare(c) == Ordering::Less,
            Op::Ge => v.compare(c) != Ordering::Less,
            Op::Le => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
                if v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    let Some(v) = Version::parse(version) else {
        return false;
    };
    let Some(c) = Constraints::parse(constraint) else {
        return false;
    };
    c.check(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loose_versions() {
        assert!(Version::parse("1.2").is_some());
        assert!(Version::parse("v1").is_some());
        assert!(Version::parse("01.2.3").is_some());
        assert!(Version::parse("1.2.3-alpha.1+b5").is_some());
        assert!(Version::parse("x").is_none());
        assert!(Version::parse("1.2.3-01").is_none());
        assert!(Version::parse("").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
    }

    #[test]
    fn checks_constraints() {
        assert!(is_compatible_range(">=1.20.0-0", "v1.29.3"));
        assert!(!is_compatible_range(">=1.30", "v1.29.3"));
        assert!(is_compatible_range(">=1.30", "v1.37.0"));
        assert!(is_compatible_range("^1.2.0", "1.9.0"));
        assert!(!is_compatible_range("^1.2.0", "2.0.0"));
        assert!(is_compatible_range("~1.2.0", "1.2.9"));
        assert!(!is_compatible_range("~1.2.0", "1.3.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "0.1.0"));
        assert!(is_compatible_range(">= 1.2, < 3.0.0 || >= 4.2.3", "4.5.0"));
        assert!(!is_compatible_range(">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0"));
        assert!(is_compatible_range("1.1 - 2", "1.5.0"));
        assert!(!is_compatible_range(">=1.19", "1.29.3-gke.1"));
        assert!(is_compatible_range(">=1.19-0", "1.29.3-gke.1"));
        assert!(!is_compatible_range("garbage", "1.29.3"));
        assert!(is_compatible_range("1.2", "1.2.7"));
    }
}
