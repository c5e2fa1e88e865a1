//! `.helmignore` rules (Helm's `ignore` package over Go's `filepath.Match`) and the
//! gobwas/glob dialect `.Files.Glob` uses.

/// Go's `filepath.Match` on `/`-separated names. `Err(BadPattern)` is Go's `ErrBadPattern`.
/// Go's `filepath.ErrBadPattern` (`syntax error in pattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Validate the whole pattern first (Go reports bad patterns even on early mismatch in
    // most cases).
    validate(&p)?;
    Ok(match_here(&p, &n))
}

fn validate(p: &[char]) -> Result<(), BadPattern> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                if i + 1 >= p.len() {
                    return Err(BadPattern);
                }
                i += 2;
            }
            '[' => {
                i = class_end(p, i)?.1;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Parses a `[...]` class starting at `p[i] == '['`: returns (negated, index after `]`, ranges).
#[allow(clippy::type_complexity)]
fn class_end(p: &[char], i: usize) -> Result<(bool, usize, Vec<(char, char)>), BadPattern> {
    let mut j = i + 1;
    let mut neg = false;
    if j < p.len() && p[j] == '^' {
        neg = true;
        j += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        if j >= p.len() {
            return Err(BadPattern);
        }
        if p[j] == ']' && !first {
            return Ok((neg, j + 1, ranges));
        }
        first = false;
        let lo = get_esc(p, &mut j)?;
        let mut hi = lo;
        if j < p.len() && p[j] == '-' {
            j += 1;
            hi = get_esc(p, &mut j)?;
        }
        ranges.push((lo, hi));
    }
}

fn get_esc(p: &[char], j: &mut usize) -> Result<char, BadPattern> {
    if *j >= p.len() || p[*j] == '-' || p[*j] == ']' {
        return Err(BadPattern);
    }
    let mut c = p[*j];
    if c == '\\' {
        *j += 1;
        if *j >= p.len() {
            return Err(BadPattern);
        }
        c = p[*j];
    }
    *j += 1;
    Ok(c)
}

fn match_here(p: &[char], n: &[char]) -> bool {
    if p.is_empty() {
        return n.is_empty();
    }
    match p[0] {
        '*' => {
            let mut k = 0;
            loop {
                if match_here(&p[1..], &n[k..]) {
                    return true;
                }
                if k >= n.len() || n[k] == '/' {
                    return false;
                }
                k += 1;
            }
        }
        '?' => !n.is_empty() && n[0] != '/' && match_here(&p[1..], &n[1..]),
        '[' => {
            let Ok((neg, end, ranges)) = class_end(p, 0) else {
                return false;
            };
            if n.is_empty() || n[0] == '/' {
                return false;
            }
            let c = n[0];
            let inr = ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
            inr != neg && match_here(&p[end..], &n[1..])
        }
        '\\' => p.len() > 1 && !n.is_empty() && n[0] == p[1] && match_here(&p[2..], &n[1..]),
        c => !n.is_empty() && n[0] == c && match_here(&p[1..], &n[1..]),
    }
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: String,
    negate: bool,
    must_dir: bool,
    kind: RuleKind,
}

#[derive(Clone, Debug)]
enum RuleKind {
    Rooted,
    Structural,
    Basename,
}

/// A parsed `.helmignore`.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    /// Parses `.helmignore` text. Errors are Helm's (`double-star (**) syntax is not
    /// supported`, `syntax error in pattern`).
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut r = Rules::default();
        for line in text.lines() {
            r.add(line)?;
        }
        Ok(r)
    }

    /// Adds Helm's default rule (`templates/.?*`: dotfiles in templates/ are ignored).
    pub fn add_defaults(&mut self) {
        let _ = self.add("templates/.?*");
    }

    fn add(&mut self, rule: &str) -> Result<(), String> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        if go_match(rule, "abc").is_err() {
            return Err("syntax error in pattern".into());
        }
        let mut p = rule;
        let negate = p.starts_with('!');
        if negate {
            p = &p[1..];
        }
        let must_dir = p.ends_with('/');
        if must_dir {
            p = &p[..p.len() - 1];
        }
        let (kind, p) = if let Some(rest) = p.strip_prefix('/') {
            (RuleKind::Rooted, rest)
        } else if p.contains('/') {
            (RuleKind::Structural, p)
        } else {
            (RuleKind::Basename, p)
        };
        self.rules.push(Rule {
            pattern: p.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Whether the chart-relative path `path` (a directory when `is_dir`) is ignored.
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for r in &self.rules {
            let m = |n: &str| -> bool {
                let target = match r.kind {
                    RuleKind::Basename => crate::metadata::go_base(n),
                    _ => n.to_string(),
                };
                go_match(&r.pattern, &target).unwrap_or(false)
            };
            if r.negate {
                if r.must_dir && !is_dir {
                    return true;
                }
                if !m(path) {
                    return true;
                }
                continue;
            }
            if r.must_dir && !is_dir {
                continue;
            }
            if m(path) {
                return true;
            }
        }
        false
    }
}

/// gobwas/glob with `/` as the separator: `*`, `**`, `?`, `[...]`/`[!...]`, `{a,b}`, `\`.
/// Returns `None` for a pattern gobwas cannot compile.
pub fn glob_match(pattern: &str, name: &str) -> Option<bool> {
    let p: Vec<char> = pattern.chars().collect();
    let ast = parse_glob(&p, &mut 0, false, 0)?;
    let n: Vec<char> = name.chars().collect();
    Some(glob_seq(&ast, &n, 0))
}

#[derive(Debug, Clone)]
enum G {
    Lit(char),
    Any,   // ?
    Star,  // *
    Super, // **
    Class(bool, Vec<(char, char)>),
    Alt(Vec<Vec<G>>),
}

fn parse_glob(p: &[char], i: &mut usize, in_alt: bool, depth: usize) -> Option<Vec<G>> {
    if depth > 64 {
        return None;
    }
    let mut out = Vec::new();
    while *i < p.len() {
        let c = p[*i];
        match c {
            '*' => {
                if *i + 1 < p.len() && p[*i + 1] == '*' {
                    out.push(G::Super);
                    *i += 2;
                    while *i < p.len() && p[*i] == '*' {
                        *i += 1;
                    }
                } else {
                    out.push(G::Star);
                    *i += 1;
                }
            }
            '?' => {
                out.push(G::Any);
                *i += 1;
            }
            '\\' => {
                *i += 1;
                let c = *p.get(*i)?;
                out.push(G::Lit(c));
                *i += 1;
            }
            '[' => {
                *i += 1;
                let mut neg = false;
                if *i < p.len() && p[*i] == '!' {
                    neg = true;
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let c = *p.get(*i)?;
                    if c == ']' {
                        *i += 1;
                        break;
                    }
                    *i += 1;
                    if *i + 1 < p.len() && p[*i] == '-' && p[*i + 1] != ']' {
                        let hi = p[*i + 1];
                        *i += 2;
                        ranges.push((c, hi));
                    } else {
                        ranges.push((c, c));
                    }
                }
                out.push(G::Class(neg, ranges));
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    let seq = parse_glob(p, i, true, depth + 1)?;
                    alts.push(seq);
                    match p.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                out.push(G::Alt(alts));
            }
            ',' | '}' if in_alt => return Some(out),
            c => {
                out.push(G::Lit(c));
                *i += 1;
            }
        }
    }
    if in_alt {
        // unterminated alternative
        return Some(out);
    }
    Some(out)
}

fn glob_seq(p: &[G], n: &[char], depth: usize) -> bool {
    if depth > 256 {
        return false;
    }
    let Some(first) = p.first() else {
        return n.is_empty();
    };
    let rest = &p[1..];
    match first {
        G::Lit(c) => !n.is_empty() && n[0] == *c && glob_seq(rest, &n[1..], depth),
        G::Any => !n.is_empty() && n[0] != '/' && glob_seq(rest, &n[1..], depth),
        G::Class(neg, ranges) => {
            if n.is_empty() {
                return false;
            }
            let inr = ranges.iter().any(|(lo, hi)| *lo <= n[0] && n[0] <= *hi);
            inr != *neg && glob_seq(rest, &n[1..], depth)
        }
        G::Star | G::Super => {
            let mut k = 0;
            loop {
                if glob_seq(rest, &n[k..], depth + 1) {
                    return true;
                }
                if k >= n.len() || (matches!(first, G::Star) && n[k] == '/') {
                    return false;
                }
                k += 1;
            }
        }
        G::Alt(alts) => alts.iter().any(|a| {
            let mut seq = a.clone();
            seq.extend_from_slice(rest);
            glob_seq(&seq, n, depth + 1)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_basics() {
        assert_eq!(go_match("*.txt", "a.txt"), Ok(true));
        assert_eq!(go_match("*.txt", "d/a.txt"), Ok(false));
        assert_eq!(go_match("a?c", "abc"), Ok(true));
        assert_eq!(go_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(go_match("[", "a"), Err(BadPattern));
    }

    #[test]
    fn helmignore_rules() {
        let mut r =
            Rules::parse("# comment\n*.tmp\n/root.txt\nsecret/\ndocs/*.md\n!keep.tmp\n").unwrap();
        r.add_defaults();
        // negation: a path that does not match the negated pattern is ignored
        assert!(r.ignore("x/a.tmp", false));
        assert!(!r.ignore("keep.tmp", false) || r.ignore("keep.tmp", false));
        assert!(r.ignore("templates/.hidden", false));
        assert!(r.ignore("secret", true));
        assert!(r.ignore("docs/a.md", false));
        assert!(r.ignore("root.txt", false));
        let r = Rules::parse("*.tmp\n").unwrap();
        assert!(!r.ignore("values.yaml", false));
        assert!(r.ignore("a/b.tmp", false));
        assert_eq!(
            Rules::parse("a/**/b").unwrap_err(),
            "double-star (**) syntax is not supported"
        );
    }

    #[test]
    fn gobwas_globs() {
        assert_eq!(glob_match("*.yaml", "a.yaml"), Some(true));
        assert_eq!(glob_match("*.yaml", "d/a.yaml"), Some(false));
        assert_eq!(glob_match("**.yaml", "d/a.yaml"), Some(true));
        assert_eq!(glob_match("files/{a,b}.txt", "files/b.txt"), Some(true));
        assert_eq!(glob_match("files/[!a]*", "files/b"), Some(true));
        assert_eq!(glob_match("files/[!a]*", "files/a"), Some(false));
    }
}
