//! Regular expressions with Go's RE2 syntax and semantics, on the `regex` crate.
//!
//! A Go pattern is checked and translated before compiling: Go's `\d`, `\w`, `\s`, `\b` are
//! ASCII-only (Rust's are Unicode), `\<`/`\>` are plain characters, `\Q…\E` quotes, and the
//! common syntax errors are reported with Go's `regexp/syntax` texts. Matching loops
//! (`FindAll`, `ReplaceAll`, `Split`) follow Go's rules for empty matches, and replacement
//! templates use Go's `$name`/`${name}` expansion.

use regex::Regex;

use chartroom_template::{ArgType as A, Tag, Value};

use super::{arg_int, arg_str, Entry};

pub(crate) const ENTRIES: &[Entry] = &[
    ("regexMatch", &[A::String, A::String], None, |a| {
        Ok(Value::Bool(
            compile(arg_str(a, 0))
                .map(|r| r.is_match(arg_str(a, 1)))
                .unwrap_or(false),
        ))
    }),
    ("mustRegexMatch", &[A::String, A::String], None, |a| {
        Ok(Value::Bool(compile(arg_str(a, 0))?.is_match(arg_str(a, 1))))
    }),
    ("regexFindAll", &[A::String, A::String, A::Int], None, |a| {
        find_all(&must_compile(arg_str(a, 0))?, a)
    }),
    (
        "mustRegexFindAll",
        &[A::String, A::String, A::Int],
        None,
        |a| find_all(&compile(arg_str(a, 0))?, a),
    ),
    ("regexFind", &[A::String, A::String], None, |a| {
        find(&must_compile(arg_str(a, 0))?, a)
    }),
    ("mustRegexFind", &[A::String, A::String], None, |a| {
        find(&compile(arg_str(a, 0))?, a)
    }),
    (
        "regexReplaceAll",
        &[A::String, A::String, A::String],
        None,
        |a| {
            let re = must_compile(arg_str(a, 0))?;
            Ok(Value::string(replace_all(
                &re,
                arg_str(a, 1),
                arg_str(a, 2),
                false,
            )))
        },
    ),
    (
        "mustRegexReplaceAll",
        &[A::String, A::String, A::String],
        None,
        |a| {
            let re = compile(arg_str(a, 0))?;
            Ok(Value::string(replace_all(
                &re,
                arg_str(a, 1),
                arg_str(a, 2),
                false,
            )))
        },
    ),
    (
        "regexReplaceAllLiteral",
        &[A::String, A::String, A::String],
        None,
        |a| {
            let re = must_compile(arg_str(a, 0))?;
            Ok(Value::string(replace_all(
                &re,
                arg_str(a, 1),
                arg_str(a, 2),
                true,
            )))
        },
    ),
    (
        "mustRegexReplaceAllLiteral",
        &[A::String, A::String, A::String],
        None,
        |a| {
            let re = compile(arg_str(a, 0))?;
            Ok(Value::string(replace_all(
                &re,
                arg_str(a, 1),
                arg_str(a, 2),
                true,
            )))
        },
    ),
    ("regexSplit", &[A::String, A::String, A::Int], None, |a| {
        let pat = arg_str(a, 0);
        split(&must_compile(pat)?, pat, a)
    }),
    (
        "mustRegexSplit",
        &[A::String, A::String, A::Int],
        None,
        |a| {
            let pat = arg_str(a, 0);
            split(&compile(pat)?, pat, a)
        },
    ),
    ("regexQuoteMeta", &[A::String], None, |a| {
        Ok(Value::string(quote_meta(arg_str(a, 0))))
    }),
];

thread_local! {
    /// Compiled patterns: templates often apply the same regex in a loop.
    static CACHE: std::cell::RefCell<std::collections::HashMap<String, Regex>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

const CACHE_LIMIT: usize = 256;

/// Go's `regexp.Compile`: errors read `error parsing regexp: CODE: `EXPR``.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(re);
    }
    let re = compile_uncached(pattern)?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    });
    Ok(re)
}

fn compile_uncached(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern).map_err(|e| format!("error parsing regexp: {e}"))?;
    Regex::new(&translated).map_err(|e| {
        let msg = e.to_string();
        let detail = msg
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map(|l| l.trim_start_matches("error:").trim().to_string())
            .unwrap_or(msg);
        format!("error parsing regexp: {detail}: `{pattern}`")
    })
}

/// Go's `regexp.MustCompile`, whose panic text Sprig's non-`must` functions report.
fn must_compile(pattern: &str) -> Result<Regex, String> {
    compile(pattern).map_err(|e| format!("regexp: Compile({}): {e}", go_backquote(pattern)))
}

/// Go's `strconv.Quote`-or-backquote choice in `MustCompile`'s panic (`quote(s)`): backquoted
/// when possible.
fn go_backquote(s: &str) -> String {
    if !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
        format!("`{s}`")
    } else {
        chartroom_template::fmt::quote(s)
    }
}

/// `regexp.QuoteMeta`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Go's `allMatches` loop: every match left to right, skipping an empty match that abuts the
/// previous match. Returns (start, end) byte offsets.
fn all_matches(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let n = if n < 0 { s.len() as i64 + 1 } else { n };
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut prev_end: Option<usize> = None;
    while (out.len() as i64) < n && pos <= s.len() {
        let Some(m) = re.find_at(s, pos) else {
            break;
        };
        let mut accept = true;
        if m.end() == pos {
            // An empty match.
            if Some(m.start()) == prev_end {
                accept = false;
            }
            pos += s[pos..].chars().next().map_or(1, |c| c.len_utf8());
        } else {
            pos = m.end();
        }
        prev_end = Some(m.end());
        if accept {
            out.push((m.start(), m.end()));
        }
    }
    out
}

fn find_all(re: &Regex, a: &[Value]) -> Result<Value, String> {
    let s = arg_str(a, 1);
    let n = arg_int(a, 2);
    // Go's FindAllString returns a nil slice for n == 0 and when nothing matches.
    if n == 0 {
        return Ok(nil_strings());
    }
    let found: Vec<String> = all_matches(re, s, n)
        .into_iter()
        .map(|(b, e)| s[b..e].to_string())
        .collect();
    if found.is_empty() {
        return Ok(nil_strings());
    }
    Ok(Value::string_list(found))
}

/// A nil `[]string`.
fn nil_strings() -> Value {
    Value::List(std::rc::Rc::new(Vec::new()), Tag::STRING.as_nil())
}

fn find(re: &Regex, a: &[Value]) -> Result<Value, String> {
    let s = arg_str(a, 1);
    Ok(Value::str(re.find(s).map_or("", |m| m.as_str())))
}

/// Go's `Regexp.Split(s, n)`.
fn split(re: &Regex, pattern: &str, a: &[Value]) -> Result<Value, String> {
    let s = arg_str(a, 1);
    let n = arg_int(a, 2);
    if n == 0 {
        return Ok(nil_strings());
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(Value::string_list(vec![String::new()]));
    }
    let mut out = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for (ms, me) in all_matches(re, s, n) {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = ms;
        if me != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = me;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    Ok(Value::string_list(out))
}

/// Go's `ReplaceAllString` / `ReplaceAllLiteralString`.
fn replace_all(re: &Regex, src: &str, repl: &str, literal: bool) -> String {
    let mut out = String::with_capacity(src.len());
    let mut last_end = 0usize;
    let mut search = 0usize;
    let names: Vec<Option<&str>> = re.capture_names().collect();
    while search <= src.len() {
        let Some(caps) = re.captures_at(src, search) else {
            break;
        };
        let Some(m) = caps.get(0) else {
            break;
        };
        out.push_str(&src[last_end..m.start()]);
        if m.end() > last_end || m.start() == 0 {
            if literal {
                out.push_str(repl);
            } else {
                expand(&mut out, repl, &caps, &names);
            }
        }
        last_end = m.end();
        let width = src[search..].chars().next().map_or(1, |c| c.len_utf8());
        if search + width > m.end() {
            search += width;
        } else if search + 1 > m.end() {
            search += 1;
        } else {
            search = m.end();
        }
    }
    if last_end <= src.len() {
        out.push_str(&src[last_end..]);
    }
    out
}

/// Go's `Regexp.Expand`: `$$`, `$1`, `$name`, `${name}` (names are the longest run of
/// letters, digits and `_`, so `$1x` is the group named `1x`).
fn expand(out: &mut String, template: &str, caps: &regex::Captures, names: &[Option<&str>]) {
    let mut t = template;
    while let Some(i) = t.find('$') {
        out.push_str(&t[..i]);
        t = &t[i + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            out.push('$');
            t = rest;
            continue;
        }
        match extract_name(t) {
            None => out.push('$'),
            Some((name, rest)) => {
                t = rest;
                if let Some(num) = group_number(name) {
                    if let Some(m) = caps.get(num) {
                        out.push_str(m.as_str());
                    }
                } else if let Some(idx) = names.iter().position(|n| *n == Some(name)) {
                    if let Some(m) = caps.get(idx) {
                        out.push_str(m.as_str());
                    }
                }
            }
        }
    }
    out.push_str(t);
}

fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let end = body
        .char_indices()
        .find(|(_, c)| !(c.is_alphabetic() || c.is_numeric() || *c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    if brace {
        let rest = body[end..].strip_prefix('}')?;
        Some((name, rest))
    } else {
        Some((name, &body[end..]))
    }
}

fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    if name.len() > 9 {
        return None;
    }
    name.parse().ok()
}

// ---- Go syntax checks and translation ---------------------------------------------------

const GO_ESCAPE_LETTERS: &str = "afnrtvxpPdDsSwWbBAzQE";

/// Checks `pattern` for the errors Go's parser reports and rewrites the constructs whose
/// meaning differs in the `regex` crate. Errors are Go's `CODE: `EXPR`` texts.
fn translate(p: &str) -> Result<String, String> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 8);
    let mut depth = 0usize;
    // Whether the previous item can take a repetition operator, and the text of the last
    // repetition operator (for Go's "invalid nested repetition operator").
    let mut can_repeat = false;
    let mut last_repeat: Option<String> = None;
    let mut i = 0;
    let text = |a: usize, b: usize| chars[a..b.min(chars.len())].iter().collect::<String>();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    let rest: String = chars[i..].iter().collect();
                    if rest.starts_with("(?P<") || rest.starts_with("(?<") {
                        let start = if rest.starts_with("(?P<") { 4 } else { 3 };
                        let close = chars[i + start..].iter().position(|c| *c == '>');
                        let Some(close) = close else {
                            return Err(format!("invalid named capture: `{rest}`"));
                        };
                        let name: String = chars[i + start..i + start + close].iter().collect();
                        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                        {
                            return Err(format!(
                                "invalid named capture: `{}`",
                                text(i, i + start + close + 1)
                            ));
                        }
                        out.push_str(&format!("(?P<{name}>"));
                        i += start + close + 1;
                        depth += 1;
                        can_repeat = false;
                        last_repeat = None;
                        continue;
                    }
                    // Flags: (?flags) or (?flags:
                    let mut j = i + 2;
                    let mut seen_minus = false;
                    let mut ok = false;
                    let mut group = false;
                    let mut any_flag = false;
                    while j < chars.len() {
                        match chars[j] {
                            'i' | 'm' | 's' | 'U' => any_flag = true,
                            '-' if !seen_minus => seen_minus = true,
                            ':' => {
                                ok = !seen_minus || any_flag;
                                group = true;
                                break;
                            }
                            ')' => {
                                ok = any_flag || !seen_minus;
                                ok = ok && j > i + 2 && chars[j - 1] != '-';
                                break;
                            }
                            _ => break,
                        }
                        j += 1;
                    }
                    if !ok || j >= chars.len() {
                        return Err(format!(
                            "invalid or unsupported Perl syntax: `{}`",
                            text(i, (j + 1).min(chars.len()))
                        ));
                    }
                    out.push_str(&text(i, j + 1));
                    i = j + 1;
                    if group {
                        depth += 1;
                    }
                    can_repeat = false;
                    last_repeat = None;
                    continue;
                }
                depth += 1;
                out.push('(');
                can_repeat = false;
                last_repeat = None;
            }
            ')' => {
                if depth == 0 {
                    return Err(format!("unexpected ): `{p}`"));
                }
                depth -= 1;
                out.push(')');
                can_repeat = true;
                last_repeat = None;
            }
            '|' => {
                out.push('|');
                can_repeat = false;
                last_repeat = None;
            }
            '*' | '+' | '?' | '{' => {
                let (op_end, is_repeat) = if c == '{' {
                    match parse_repeat(&chars, i) {
                        Some((end, lo, hi)) => {
                            if lo > 1000 || hi.is_some_and(|h| h > 1000 || h < lo) {
                                return Err(format!("invalid repeat count: `{}`", text(i, end)));
                            }
                            (end, true)
                        }
                        None => (i + 1, false),
                    }
                } else {
                    (i + 1, true)
                };
                if !is_repeat {
                    // A literal '{'.
                    out.push_str("\\{");
                    i += 1;
                    can_repeat = true;
                    last_repeat = None;
                    continue;
                }
                let mut end = op_end;
                if chars.get(end) == Some(&'?') {
                    end += 1;
                }
                let op = text(i, end);
                if let Some(prev) = &last_repeat {
                    return Err(format!(
                        "invalid nested repetition operator: `{prev}{}`",
                        text(i, op_end)
                    ));
                }
                if !can_repeat {
                    return Err(format!(
                        "missing argument to repetition operator: `{}`",
                        text(i, op_end)
                    ));
                }
                out.push_str(&op);
                last_repeat = Some(op);
                i = end;
                continue;
            }
            '[' => {
                let end = translate_class(&chars, i, &mut out)?;
                i = end;
                can_repeat = true;
                last_repeat = None;
                continue;
            }
            '\\' => {
                let (end, piece, repeatable) = translate_escape(&chars, i, false)?;
                out.push_str(&piece);
                i = end;
                can_repeat = repeatable;
                last_repeat = None;
                continue;
            }
            '^' | '$' => {
                out.push(c);
                can_repeat = true;
                last_repeat = None;
            }
            _ => {
                out.push(c);
                can_repeat = true;
                last_repeat = None;
            }
        }
        i += 1;
    }
    if depth > 0 {
        return Err(format!("missing closing ): `{p}`"));
    }
    Ok(out)
}

/// `{n}`, `{n,}`, `{n,m}` at `i`: (end index, n, m). `None` if it is a literal brace.
fn parse_repeat(chars: &[char], i: usize) -> Option<(usize, u64, Option<u64>)> {
    let mut j = i + 1;
    let num = |j: &mut usize| -> Option<u64> {
        let start = *j;
        while *j < chars.len() && chars[*j].is_ascii_digit() {
            *j += 1;
        }
        if *j == start {
            return None;
        }
        let s: String = chars[start..*j].iter().collect();
        Some(s.parse().unwrap_or(u64::MAX))
    };
    let lo = num(&mut j)?;
    let hi = if chars.get(j) == Some(&',') {
        j += 1;
        if chars.get(j) == Some(&'}') {
            None
        } else {
            Some(num(&mut j)?)
        }
    } else {
        Some(lo)
    };
    if chars.get(j) != Some(&'}') {
        return None;
    }
    Some((j + 1, lo, hi))
}

/// An escape at `i`: (end index, Rust text, whether it can be repeated).
fn translate_escape(
    chars: &[char],
    i: usize,
    in_class: bool,
) -> Result<(usize, String, bool), String> {
    let Some(&n) = chars.get(i + 1) else {
        return Err("trailing backslash at end of expression: ``".into());
    };
    let piece = |s: &str| -> String { s.to_string() };
    let r = match n {
        'd' => piece("[0-9]"),
        'D' => piece("[^0-9]"),
        'w' => piece("[0-9A-Za-z_]"),
        'W' => piece("[^0-9A-Za-z_]"),
        's' => piece("[\\t\\n\\f\\r ]"),
        'S' => piece("[^\\t\\n\\f\\r ]"),
        'b' if !in_class => return Ok((i + 2, piece("(?-u:\\b)"), false)),
        'B' if !in_class => return Ok((i + 2, piece("(?-u:\\B)"), false)),
        'A' | 'z' if !in_class => return Ok((i + 2, format!("\\{n}"), false)),
        'Q' if !in_class => {
            let rest: String = chars[i + 2..].iter().collect();
            let (lit, consumed) = match rest.find("\\E") {
                Some(p) => (rest[..p].to_string(), p + 2),
                None => (rest.clone(), rest.len()),
            };
            let n_chars = rest[..consumed].chars().count();
            return Ok((i + 2 + n_chars, regex::escape(&lit), !lit.is_empty()));
        }
        'p' | 'P' => {
            if chars.get(i + 2) == Some(&'{') {
                let close = chars[i + 2..].iter().position(|c| *c == '}');
                let Some(close) = close else {
                    let t: String = chars[i..].iter().collect();
                    return Err(format!("invalid character class range: `{t}`"));
                };
                let t: String = chars[i..i + 3 + close].iter().collect();
                check_property(&t)?;
                return Ok((i + 3 + close, t, true));
            }
            let t: String = chars[i..(i + 3).min(chars.len())].iter().collect();
            check_property(&t)?;
            return Ok(((i + 3).min(chars.len()), t, true));
        }
        'x' => {
            // \xHH or \x{HHHH}
            if chars.get(i + 2) == Some(&'{') {
                let close = chars[i + 2..].iter().position(|c| *c == '}').unwrap_or(0);
                let t: String = chars[i..(i + 3 + close).min(chars.len())].iter().collect();
                return Ok(((i + 3 + close).min(chars.len()), t, true));
            }
            let t: String = chars[i..(i + 4).min(chars.len())].iter().collect();
            return Ok(((i + 4).min(chars.len()), t, true));
        }
        '0'..='7' if n != '0' && !chars.get(i + 2).is_some_and(|c| ('0'..='7').contains(c)) => {
            return Err(format!("invalid escape sequence: `\\{n}`"));
        }
        '0'..='7' => {
            // Octal: up to three digits.
            let mut j = i + 1;
            let mut v = 0u32;
            while j < chars.len() && j < i + 4 && ('0'..='7').contains(&chars[j]) {
                v = v * 8 + chars[j] as u32 - '0' as u32;
                j += 1;
            }
            return Ok((j, format!("\\x{{{v:x}}}"), true));
        }
        '8' | '9' => return Err(format!("invalid escape sequence: `\\{n}`")),
        c if c.is_ascii_alphabetic() => {
            if !GO_ESCAPE_LETTERS.contains(c) {
                return Err(format!("invalid escape sequence: `\\{c}`"));
            }
            format!("\\{c}")
        }
        // Escaped punctuation is the character itself (`\<` is not a word boundary in Go).
        c if c.is_ascii_punctuation() => {
            if c == '<' || c == '>' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        }
        c if c.is_ascii() => return Err(format!("invalid escape sequence: `\\{c}`")),
        c => return Err(format!("invalid escape sequence: `\\{c}`")),
    };
    Ok((i + 2, r, true))
}

/// Go accepts the Unicode general categories and scripts; an unknown name is its
/// "invalid character class range".
fn check_property(t: &str) -> Result<(), String> {
    if Regex::new(t).is_err() {
        return Err(format!("invalid character class range: `{t}`"));
    }
    Ok(())
}

/// A bracket class at `i`; writes its Rust form and returns the index after `]`.
fn translate_class(chars: &[char], i: usize, out: &mut String) -> Result<usize, String> {
    let missing = || {
        let t: String = chars[i..].iter().collect();
        format!("missing closing ]: `{t}`")
    };
    let mut j = i + 1;
    let mut body = String::from("[");
    if chars.get(j) == Some(&'^') {
        body.push('^');
        j += 1;
    }
    let mut first = true;
    // The last single character (for range checks), and its start index.
    let mut prev_char: Option<(char, usize)> = None;
    loop {
        let Some(&c) = chars.get(j) else {
            return Err(missing());
        };
        if c == ']' && !first {
            body.push(']');
            j += 1;
            break;
        }
        first = false;
        if c == '[' && chars.get(j + 1) == Some(&':') {
            let rest: String = chars[j..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let n = rest[..end + 2].chars().count();
                body.push_str(&rest[..end + 2]);
                j += n;
                prev_char = None;
                continue;
            }
        }
        // A range a-b?
        if c == '-' && prev_char.is_some() && chars.get(j + 1).is_some_and(|n| *n != ']') {
            let (lo, lo_at) = prev_char.unwrap_or(('\0', j));
            let (hi, next) = if chars[j + 1] == '\\' {
                let (end, piece, _) = translate_escape(chars, j + 1, true)?;
                let Some(hi) = single_char_escape(&piece) else {
                    let t: String = chars[j + 1..end].iter().collect();
                    return Err(format!("invalid escape sequence: `{t}`"));
                };
                body.push('-');
                body.push_str(&piece);
                (hi, end)
            } else {
                let hi = chars[j + 1];
                body.push('-');
                push_class_char(&mut body, hi);
                (hi, j + 2)
            };
            if hi < lo {
                let t: String = chars[lo_at..next].iter().collect();
                return Err(format!("invalid character class range: `{t}`"));
            }
            j = next;
            prev_char = None;
            continue;
        }
        if c == '\\' {
            let (end, piece, _) = translate_escape(chars, j, true)?;
            prev_char = single_char_escape(&piece).map(|ch| (ch, j));
            body.push_str(&piece);
            j = end;
            continue;
        }
        push_class_char(&mut body, c);
        prev_char = Some((c, j));
        j += 1;
    }
    out.push_str(&body);
    Ok(j)
}

/// Characters that are special inside a Rust class but literal in Go's.
fn push_class_char(body: &mut String, c: char) {
    if matches!(c, '[' | '&' | '~' | '-') {
        body.push('\\');
    }
    body.push(c);
}

/// The character an escape stands for, when it is a single character.
fn single_char_escape(piece: &str) -> Option<char> {
    let mut it = piece.chars();
    match (it.next(), it.next(), it.next()) {
        (Some(c), None, None) => Some(c),
        (Some('\\'), Some(c), None) if c.is_ascii_punctuation() => Some(c),
        (Some('\\'), Some('n'), None) => Some('\n'),
        (Some('\\'), Some('t'), None) => Some('\t'),
        (Some('\\'), Some('r'), None) => Some('\r'),
        (Some('\\'), Some('f'), None) => Some('\u{c}'),
        (Some('\\'), Some('v'), None) => Some('\u{b}'),
        (Some('\\'), Some('a'), None) => Some('\u{7}'),
        _ => None,
    }
}
