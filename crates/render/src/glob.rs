//! The two glob dialects Helm uses: gobwas/glob with `/` as separator (`.Files.Glob`) and Go's
//! `path/filepath.Match` (`--show-only`).

#[derive(Debug, Clone)]
enum Tok {
    Lit(char),
    /// `*`: any run of non-separator characters.
    Star,
    /// `**` (gobwas only): any run of characters.
    Super,
    /// `?`: one non-separator character.
    One,
    Class {
        negate: bool,
        items: Vec<(char, char)>,
    },
    /// `{a,b}` (gobwas only).
    Alt(Vec<Vec<Tok>>),
}

fn parse_class(chars: &[char], mut i: usize, neg_chars: &[char]) -> Option<(Tok, usize)> {
    // chars[i] is just after '['
    let mut negate = false;
    if i < chars.len() && neg_chars.contains(&chars[i]) {
        negate = true;
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class { negate, items }, i + 1));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        i += 1;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|c| *c != ']') {
            let mut hi = chars[i + 1];
            i += 2;
            if hi == '\\' {
                hi = *chars.get(i)?;
                i += 1;
            }
            items.push((lo, hi));
        } else {
            items.push((lo, lo));
        }
    }
}

/// Parses a gobwas pattern up to one of `stops` (for alternatives); returns tokens and position.
fn parse_gobwas(chars: &[char], mut i: usize, in_alt: bool) -> Option<(Vec<Tok>, usize)> {
    let mut toks = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' => {
                if chars.get(i + 1) == Some(&'*') {
                    toks.push(Tok::Super);
                    i += 2;
                    while chars.get(i) == Some(&'*') {
                        i += 1;
                    }
                } else {
                    toks.push(Tok::Star);
                    i += 1;
                }
            }
            '?' => {
                toks.push(Tok::One);
                i += 1;
            }
            '[' => {
                let (t, n) = parse_class(chars, i + 1, &['!'])?;
                toks.push(t);
                i = n;
            }
            '{' => {
                let mut alts = Vec::new();
                i += 1;
                loop {
                    let (alt, n) = parse_gobwas(chars, i, true)?;
                    alts.push(alt);
                    match chars.get(n) {
                        Some(',') => i = n + 1,
                        Some('}') => {
                            i = n + 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                toks.push(Tok::Alt(alts));
            }
            ',' | '}' if in_alt => return Some((toks, i)),
            '\\' => {
                toks.push(Tok::Lit(*chars.get(i + 1)?));
                i += 2;
            }
            c => {
                toks.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    if in_alt {
        return None;
    }
    Some((toks, i))
}

fn parse_filepath(pattern: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            '?' => {
                toks.push(Tok::One);
                i += 1;
            }
            '[' => {
                let (t, n) = parse_class(&chars, i + 1, &['^'])?;
                toks.push(t);
                i = n;
            }
            '\\' => {
                toks.push(Tok::Lit(*chars.get(i + 1)?));
                i += 2;
            }
            c => {
                toks.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    Some(toks)
}

fn match_toks(toks: &[Tok], s: &[char], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = toks.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..], budget),
        Tok::One => s.first().is_some_and(|c| *c != '/') && match_toks(rest, &s[1..], budget),
        Tok::Class { negate, items } => match s.first() {
            Some(c) => {
                let inside = items.iter().any(|(lo, hi)| lo <= c && c <= hi);
                inside != *negate && match_toks(rest, &s[1..], budget)
            }
            None => false,
        },
        Tok::Star => {
            for n in 0..=s.len() {
                if n > 0 && s[n - 1] == '/' {
                    break;
                }
                if match_toks(rest, &s[n..], budget) {
                    return true;
                }
            }
            false
        }
        Tok::Super => (0..=s.len()).any(|n| match_toks(rest, &s[n..], budget)),
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_toks(&joined, s, budget)
        }),
    }
}

/// A compiled `.Files.Glob` pattern (gobwas/glob, separator `/`). An invalid pattern matches
/// everything, as Helm falls back to `**`.
pub struct FilesGlob {
    toks: Vec<Tok>,
}

impl FilesGlob {
    pub fn new(pattern: &str) -> FilesGlob {
        let chars: Vec<char> = pattern.chars().collect();
        let toks = parse_gobwas(&chars, 0, false)
            .map(|(t, _)| t)
            .unwrap_or_else(|| vec![Tok::Super]);
        FilesGlob { toks }
    }

    pub fn matches(&self, name: &str) -> bool {
        let s: Vec<char> = name.chars().collect();
        let mut budget = 1_000_000;
        match_toks(&self.toks, &s, &mut budget)
    }
}

/// Go's `filepath.Match` on `/`-separated paths; a malformed pattern matches nothing.
pub fn filepath_match(pattern: &str, name: &str) -> bool {
    match parse_filepath(pattern) {
        Some(toks) => {
            let s: Vec<char> = name.chars().collect();
            let mut budget = 1_000_000;
            match_toks(&toks, &s, &mut budget)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gobwas() {
        assert!(FilesGlob::new("conf/*").matches("conf/a.yaml"));
        assert!(!FilesGlob::new("conf/*").matches("conf/x/a.yaml"));
        assert!(FilesGlob::new("conf/**").matches("conf/x/a.yaml"));
        assert!(FilesGlob::new("**.yaml").matches("conf/x/a.yaml"));
        assert!(FilesGlob::new("*.{yaml,json}").matches("a.json"));
        assert!(!FilesGlob::new("*.{yaml,json}").matches("a.txt"));
        assert!(FilesGlob::new("[!b]*").matches("a"));
        assert!(!FilesGlob::new("[!b]*").matches("b"));
        assert!(FilesGlob::new("{").matches("anything/at/all"));
    }

    #[test]
    fn filepath() {
        assert!(filepath_match("templates/*.yaml", "templates/a.yaml"));
        assert!(!filepath_match("templates/*", "templates/x/a.yaml"));
        assert!(filepath_match("templates/[^b]?.yaml", "templates/ab.yaml"));
        assert!(!filepath_match("[", "["));
    }
}
