//! One document read into the JSON-step [`Value`] together with the map keys it repeats
//! ([`crate::from_yaml_with_duplicates`]), with a fast path for the block-style YAML that
//! `helm template` prints.
//!
//! The general path is go-yaml's (scanner, parser, composer, decoder into Go values, the
//! JSON step) plus a walk of the Go values for repeated keys. The fast path reads the lines
//! of a document directly into the [`Value`] when everything in it is in a conservative
//! subset whose result is known to be the same: block mappings and sequences (indentless
//! ones too, and compact `- key: value` entries), plain scalars on one line (resolved with
//! go-yaml's own rules, [`crate::decode::scalar`]), single-line quoted scalars, literal and
//! folded block scalars (libyaml's algorithm, automatic indentation), `{}` and `[]`,
//! comments. Anything else (anchors, aliases, tags, merge keys, flow collections with
//! content, multi-line plain or quoted scalars, escapes, tabs, carriage returns, control
//! characters, non-string keys, explicit keys, directives, a second document, any
//! indentation that does not fit, values the JSON step refuses) sends the whole document to
//! the general path, which also gives every error. The fast path never decides an error.

use chartroom_template::value::{Map, Value};

use crate::decode::{self, GoVal};

/// Nesting the fast path handles (deeper documents take the general path, whose limits
/// apply).
const MAX_FAST_DEPTH: usize = 100;
/// Longest key the fast path reads (libyaml refuses simple keys longer than 1024
/// characters).
const MAX_FAST_KEY: usize = 1000;

/// (JSON Pointer, key) of each repeated map key.
pub(crate) type Duplicates = Vec<(String, String)>;

/// JSON Pointer escaping of one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_token(token: &str) -> String {
    if !token.contains(['~', '/']) {
        return token.to_string();
    }
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends `/` and the escaped `token` to a JSON Pointer.
fn push_token(path: &mut String, token: &str) {
    path.push('/');
    if token.contains(['~', '/']) {
        path.push_str(&escape_pointer_token(token));
    } else {
        path.push_str(token);
    }
}

/// The JSON-step value of a plain scalar (go-yaml's resolution, [`decode::scalar`]);
/// `None` for values the JSON step refuses (NaN, infinities).
fn plain_value(s: &str) -> Option<Value> {
    if decode::plain_is_string(s) {
        return Some(Value::string(s.to_string()));
    }
    match decode::scalar(s, "", true).ok()? {
        GoVal::Str(text) => Some(Value::string(text)),
        GoVal::Float(f) if !f.is_finite() => None,
        g => decode::to_value(&g).ok(),
    }
}

/// The key as the JSON step names it (sigs.k8s.io/yaml turns scalar keys into strings).
fn key_text(k: &GoVal) -> Option<String> {
    match k {
        GoVal::Nil => Some("null".into()),
        other => crate::go_scalar_as_string(other),
    }
}

/// (JSON Pointer of the repeated key, key) for every key that appears again later in its
/// map: maps in the order they start in the document, each map's keys in order (go-yaml's
/// view keeps every entry of a map; the JSON step keeps the last). Depth-limited: deeper
/// levels are not searched.
pub(crate) fn duplicate_keys(doc: &GoVal) -> Duplicates {
    const MAX_DEPTH: usize = 512;
    let mut out = Vec::new();
    // (value, path, depth): an explicit stack, no recursion.
    let mut stack: Vec<(&GoVal, String, usize)> = vec![(doc, String::new(), 0)];
    while let Some((v, path, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            continue;
        }
        match v {
            GoVal::Map(entries) => {
                let mut seen = std::collections::HashSet::new();
                let mut children = Vec::new();
                for (k, val) in entries {
                    let Some(key) = key_text(k) else {
                        continue;
                    };
                    let child = format!("{path}/{}", escape_pointer_token(&key));
                    if !seen.insert(key.clone()) {
                        out.push((child.clone(), key));
                    }
                    children.push((val, child, depth + 1));
                }
                stack.extend(children.into_iter().rev());
            }
            GoVal::Seq(items) => {
                let children: Vec<_> = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (x, format!("{path}/{i}"), depth + 1))
                    .collect();
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

/// The fast path: `Some((value, duplicate keys))` when the document is in the subset (see
/// the module notes), `None` to take the general path.
pub(crate) fn read_fast(src: &str) -> Option<(Value, Duplicates)> {
    if !plain_input(src) {
        return None;
    }
    let mut lines: Vec<&str> = src.split('\n').collect();
    // A final line break ends the last line; it does not start another one.
    if lines.last() == Some(&"") {
        lines.pop();
    }
    // Document markers (`---`, `...`) and directives at the start of a line.
    if lines
        .iter()
        .any(|l| l.starts_with("---") || l.starts_with("...") || l.starts_with('%'))
    {
        return None;
    }
    let indents = lines.iter().map(|l| spaces(l)).collect();
    let mut r = Reader {
        lines,
        indents,
        i: 0,
        path: String::new(),
        maps: 0,
        dups: Vec::new(),
        depth: 0,
        ends_with_break: src.ends_with('\n'),
    };
    let value = match r.next_content() {
        None => Value::Nil,
        Some((ind, rest)) => {
            let v = if is_entry(rest) {
                r.sequence(ind, rest, false)?
            } else if let Some(key) = parse_key(rest) {
                r.mapping(ind, key)?
            } else {
                return None;
            };
            if r.next_content().is_some() {
                return None;
            }
            v
        }
    };
    // Stable: each map's keys stay in document order.
    r.dups.sort_by_key(|d| d.0);
    Some((value, r.dups.into_iter().map(|(_, p, k)| (p, k)).collect()))
}

/// Whether every character is one the fast path reads as go-yaml does: no control
/// characters (tabs and carriage returns included), no byte order mark, no Unicode line
/// breaks (NEL, LS, PS), nothing go-yaml's reader refuses.
fn plain_input(src: &str) -> bool {
    let b = src.as_bytes();
    let ctrl = |c: u8| (c < 0x20 && c != b'\n') || c == 0x7f;
    // Lead bytes of the refused characters beyond ASCII: U+0080-U+009F (C2 80-9F), U+2028
    // and U+2029 (E2 80 A8/A9), U+FEFF (EF BB BF), U+FFFE and U+FFFF (EF BF BE/BF).
    let lead = |c: u8| matches!(c, 0xc2 | 0xe2 | 0xef);
    let refused = |i: usize| {
        let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match b[i] {
            0xc2 => (0x80..=0x9f).contains(&at(1)),
            0xe2 => at(1) == 0x80 && matches!(at(2), 0xa8 | 0xa9),
            0xef => {
                (at(1) == 0xbb && at(2) == 0xbf) || (at(1) == 0xbf && matches!(at(2), 0xbe | 0xbf))
            }
            _ => false,
        }
    };
    // Chunks without an early exit per byte, so the scan vectorizes; a chunk with a lead
    // byte is looked at closely.
    for (n, chunk) in b.chunks(64).enumerate() {
        let (bad, leads) = chunk
            .iter()
            .fold((false, false), |(x, y), &c| (x | ctrl(c), y | lead(c)));
        if bad {
            return false;
        }
        if leads && (0..chunk.len()).any(|k| refused(n * 64 + k)) {
            return false;
        }
    }
    true
}

/// Whether the text (a line after its indentation) starts a block sequence entry.
fn is_entry(t: &str) -> bool {
    t == "-" || t.starts_with("- ")
}

fn spaces(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ').count()
}

/// Whether `t` (after a scalar) is only blanks and perhaps a comment.
fn only_comment(t: &str) -> bool {
    let rest = t.trim_start_matches(' ');
    rest.is_empty() || (rest.len() < t.len() && rest.starts_with('#'))
}

/// The character a double-quoted escape `\e` stands for, for the one-character escapes
/// (the scanner's table); `None` for the others (`\x`, `\u`, `\U`, an escaped line break)
/// and unknown ones, which the general path reads.
fn unescape(e: u8) -> Option<char> {
    crate::scanner::simple_escape(char::from(e)).filter(|_| e.is_ascii())
}

/// A single-line quoted scalar at the start of `t`: its value and the text after it. `None`
/// for scalars that continue on another line and escapes [`unescape`] does not know.
fn quoted(t: &str) -> Option<(String, &str)> {
    let q = t.as_bytes().first().copied()?;
    let body = &t[1..];
    if q == b'"' {
        let mut out = String::new();
        let mut rest = body;
        loop {
            let end = rest.find(['"', '\\'])?;
            out.push_str(&rest[..end]);
            if rest.as_bytes()[end] == b'"' {
                return Some((out, &rest[end + 1..]));
            }
            out.push(unescape(*rest.as_bytes().get(end + 1)?)?);
            rest = &rest[end + 2..];
        }
    }
    // Single-quoted: '' is a quote.
    let mut out = String::new();
    let mut rest = body;
    loop {
        let end = rest.find('\'')?;
        out.push_str(&rest[..end]);
        if rest[end + 1..].starts_with('\'') {
            out.push('\'');
            rest = &rest[end + 2..];
        } else {
            return Some((out, &rest[end + 1..]));
        }
    }
}

/// A flow sequence of scalars on one line (`[a, "b"]`, `[]`): plain scalars without flow
/// indicators, `:`, `#` or `?`, quoted scalars without escapes; no empty entries.
fn flow_sequence(t: &str) -> Option<Value> {
    let mut rest = t.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(']') {
        return only_comment(after).then(|| Value::list(items));
    }
    loop {
        let item = if rest.starts_with(['"', '\'']) {
            let (v, after) = quoted(rest)?;
            rest = after;
            Value::string(v)
        } else {
            let end = rest.find([',', ']'])?;
            let raw = rest[..end].trim_end_matches(' ');
            if raw.is_empty()
                || !plain_start(raw)
                || raw.contains(['[', '{', '}', ':', '#', '?', '\'', '"'])
            {
                return None;
            }
            rest = &rest[end..];
            plain_value(raw)?
        };
        items.push(item);
        rest = rest.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(']') {
            return only_comment(after).then(|| Value::list(items));
        }
        rest = rest.strip_prefix(',')?.trim_start_matches(' ');
        if rest.starts_with([']', ',']) {
            return None;
        }
    }
}

/// Whether a plain scalar may start with `t` in block context (not an indicator; `-`, `?`
/// and `:` only before a non-blank; not a document marker).
fn plain_start(t: &str) -> bool {
    let b = t.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    match c {
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => false,
        b'-' | b'?' | b':' => {
            b.get(1).is_some_and(|&n| n != b' ') && !t.starts_with("---") && !t.starts_with("...")
        }
        _ => true,
    }
}

/// A mapping key at the start of `t`: the key and the text after its `:` (which is empty or
/// starts with a space). `None` when `t` is not a key this reader handles.
fn parse_key(t: &str) -> Option<(String, &str)> {
    let (key, after) = match t.as_bytes().first()? {
        b'"' | b'\'' => {
            let (k, rest) = quoted(t)?;
            let rest = rest.trim_start_matches(' ');
            (k, rest.strip_prefix(':')?)
        }
        _ => {
            if !plain_start(t) {
                return None;
            }
            let b = t.as_bytes();
            let mut colon = None;
            for (i, &c) in b.iter().enumerate() {
                if c == b'#' && i > 0 && b[i - 1] == b' ' {
                    return None;
                }
                if c == b':' && b.get(i + 1).is_none_or(|&n| n == b' ') {
                    colon = Some(i);
                    break;
                }
            }
            let colon = colon?;
            let raw = &t[..colon];
            if raw.ends_with(' ') || raw == "<<" {
                return None;
            }
            // The key must resolve to a string as go-yaml reads it.
            if decode::plain_is_string(raw) {
                (raw.to_string(), &t[colon + 1..])
            } else {
                let GoVal::Str(k) = decode::scalar(raw, "", true).ok()? else {
                    return None;
                };
                (k, &t[colon + 1..])
            }
        }
    };
    if key.len() > MAX_FAST_KEY || !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after))
}

struct Reader<'a> {
    lines: Vec<&'a str>,
    /// Each line's indentation (leading spaces).
    indents: Vec<usize>,
    /// The next line to read.
    i: usize,
    /// JSON Pointer of the node being read.
    path: String,
    /// Maps started so far (orders duplicate keys as [`duplicate_keys`] does).
    maps: usize,
    /// (map number, pointer, key) of each repeated key.
    dups: Vec<(usize, String, String)>,
    depth: usize,
    /// Whether the text's last line ends with a line break.
    ends_with_break: bool,
}

impl<'a> Reader<'a> {
    /// The next line with content (blank and comment lines skipped): its indentation and
    /// text after it. `self.i` is left at that line.
    fn next_content(&mut self) -> Option<(usize, &'a str)> {
        while let Some(&line) = self.lines.get(self.i) {
            let ind = self.indents[self.i];
            let rest = &line[ind..];
            if rest.is_empty() || rest.starts_with('#') {
                self.i += 1;
                continue;
            }
            return Some((ind, rest));
        }
        None
    }

    /// A block mapping whose keys are at column `col`, its first key already read from the
    /// current line (`parse_key`: the key and the text after its `:`).
    fn mapping(&mut self, col: usize, first: (String, &'a str)) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_FAST_DEPTH {
            return None;
        }
        let id = self.maps;
        self.maps += 1;
        let mut m = Map::new();
        let mut entry = first;
        loop {
            let (key, after) = entry;
            let len = self.path.len();
            push_token(&mut self.path, &key);
            let value = self.value_after_key(col, after)?;
            if m.contains_key(key.as_str()) {
                self.dups.push((id, self.path.clone(), key.clone()));
            }
            m.insert(key, value);
            self.path.truncate(len);
            match self.next_content() {
                Some((ind, rest)) if ind == col && !is_entry(rest) => entry = parse_key(rest)?,
                Some((ind, _)) if ind >= col => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        Some(Value::map(m))
    }

    /// A block sequence whose `-` are at column `col`, the first entry at the start of
    /// `first`. An indentless sequence (a mapping value at the mapping's column) ends at
    /// a line of that column that is not an entry.
    fn sequence(&mut self, col: usize, first: &'a str, indentless: bool) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_FAST_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        let mut text = first;
        loop {
            let len = self.path.len();
            {
                use std::fmt::Write;
                let _ = write!(self.path, "/{}", items.len());
            }
            // `-` then spaces: the entry's node starts after them.
            let after = &text[1..];
            let gap = spaces(after);
            let body = &after[gap..];
            let item = if body.is_empty() || body.starts_with('#') {
                self.i += 1;
                self.nested(col, false)?
            } else if is_entry(body) {
                return None;
            } else if let Some(key) = parse_key(body) {
                self.mapping(col + 1 + gap, key)?
            } else {
                self.inline(col, body)?
            };
            self.path.truncate(len);
            items.push(item);
            match self.next_content() {
                Some((ind, rest)) if ind == col && is_entry(rest) => text = rest,
                Some((ind, _)) if ind > col || (ind == col && !indentless) => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        Some(Value::list(items))
    }

    /// The value of a key of a mapping at column `col`; `after` is the text after the `:`.
    fn value_after_key(&mut self, col: usize, after: &'a str) -> Option<Value> {
        let body = after.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            self.i += 1;
            return self.nested(col, true);
        }
        self.inline(col, body)
    }

    /// A node on the lines after a key or `-` of a collection at column `col` (null when
    /// none is indented further; an indentless sequence when `seq_here`).
    fn nested(&mut self, col: usize, seq_here: bool) -> Option<Value> {
        match self.next_content() {
            Some((ind, rest)) if ind > col => {
                if is_entry(rest) {
                    self.sequence(ind, rest, false)
                } else if let Some(key) = parse_key(rest) {
                    self.mapping(ind, key)
                } else if rest.starts_with(['{', '[', '"', '\'']) {
                    // `{}`, `[a, b]` or a quoted scalar on a line of its own.
                    self.inline(col, rest)
                } else {
                    None
                }
            }
            Some((ind, rest)) if ind == col && seq_here && is_entry(rest) => {
                self.sequence(ind, rest, true)
            }
            _ => Some(Value::Nil),
        }
    }

    /// A scalar (or `{}`/`[]`) starting at `t` on the current line, in a collection at
    /// column `col`; the reader moves past it.
    fn inline(&mut self, col: usize, t: &'a str) -> Option<Value> {
        let v = match t.as_bytes().first()? {
            b'|' | b'>' => return self.block_scalar(col, t),
            b'"' | b'\'' => {
                let (s, rest) = match quoted(t) {
                    Some(q) => q,
                    None => self.quoted_lines(col, t)?,
                };
                if !only_comment(rest) {
                    return None;
                }
                Value::string(s)
            }
            b'{' => {
                let inner = t[1..].trim_start_matches(' ');
                if !only_comment(inner.strip_prefix('}')?) {
                    return None;
                }
                Value::empty_map()
            }
            b'[' => flow_sequence(t)?,
            _ => {
                if !plain_start(t) {
                    return None;
                }
                let b = t.as_bytes();
                let mut end = b.len();
                for (i, &c) in b.iter().enumerate() {
                    if c == b'#' && b[i - 1] == b' ' {
                        end = i;
                        break;
                    }
                    if c == b':' && b.get(i + 1).is_none_or(|&n| n == b' ') {
                        return None;
                    }
                }
                let first = t[..end].trim_end_matches(' ');
                let v = if end == b.len() && self.continues(col) {
                    let mut s = first.to_string();
                    self.continuation(col, &mut s)?;
                    plain_value(&s)?
                } else {
                    plain_value(first)?
                };
                // The scalar's last line is the current one.
                self.i += 1;
                return Some(v);
            }
        };
        self.i += 1;
        Some(v)
    }

    /// A quoted scalar that starts at `t` on the current line and ends on a later one
    /// (libyaml's `yaml_parser_scan_flow_scalar`: blanks around a line break go, a single
    /// break becomes a space, each blank line a line break): its value and the text after
    /// it on its last line, where `self.i` is left. Continuation lines must be indented
    /// beyond `col`; double-quoted escapes as [`unescape`] knows them.
    fn quoted_lines(&mut self, col: usize, t: &'a str) -> Option<(String, &'a str)> {
        let single = t.starts_with('\'');
        let mut s = String::new();
        let mut text = &t[1..];
        let mut j = self.i;
        loop {
            let b = text.as_bytes();
            let mut k = 0;
            let mut start = 0;
            while k < b.len() {
                match b[k] {
                    b'\\' if !single => {
                        s.push_str(&text[start..k]);
                        s.push(unescape(*b.get(k + 1)?)?);
                        k += 2;
                        start = k;
                    }
                    b'"' if !single => {
                        s.push_str(&text[start..k]);
                        self.i = j;
                        return Some((s, &text[k + 1..]));
                    }
                    b'\'' if single => {
                        s.push_str(&text[start..k]);
                        if b.get(k + 1) == Some(&b'\'') {
                            s.push('\'');
                            k += 2;
                            start = k;
                            continue;
                        }
                        self.i = j;
                        return Some((s, &text[k + 1..]));
                    }
                    _ => k += 1,
                }
            }
            s.push_str(text[start..].trim_end_matches(' '));
            // The line break, then blank lines, then the next line's text.
            let mut blank = 0;
            loop {
                j += 1;
                let line = *self.lines.get(j)?;
                let ind = self.indents[j];
                if ind == line.len() {
                    blank += 1;
                    continue;
                }
                if ind <= col {
                    return None;
                }
                text = &line[ind..];
                break;
            }
            if blank == 0 {
                s.push(' ');
            } else {
                s.extend(std::iter::repeat_n('\n', blank));
            }
        }
    }

    /// Whether a plain scalar ending the current line continues on a later one (the next
    /// line that is not blank is indented beyond `col` and is not a comment).
    fn continues(&self, col: usize) -> bool {
        for (line, &ind) in self.lines[self.i + 1..]
            .iter()
            .zip(&self.indents[self.i + 1..])
        {
            let rest = line[ind..].trim_end_matches(' ');
            if !rest.is_empty() {
                return ind > col && !rest.starts_with('#');
            }
        }
        false
    }

    /// The lines of a multi-line plain scalar after its first (in `s`), in a collection at
    /// column `col`: libyaml's `yaml_parser_scan_plain_scalar` in block context. Lines
    /// indented beyond `col` continue it (joined by a space, or by a line break per blank
    /// line between them) until a line that is not, or a comment. Leaves `self.i` at the
    /// scalar's last line.
    fn continuation(&mut self, col: usize, s: &mut String) -> Option<()> {
        let mut j = self.i + 1;
        let mut blank = 0;
        while let Some(&line) = self.lines.get(j) {
            let ind = self.indents[j];
            let rest = line[ind..].trim_end_matches(' ');
            if rest.is_empty() {
                blank += 1;
                j += 1;
                continue;
            }
            if ind <= col || rest.starts_with('#') {
                break;
            }
            let b = rest.as_bytes();
            for (k, &c) in b.iter().enumerate() {
                if (c == b'#' && k > 0 && b[k - 1] == b' ')
                    || (c == b':' && b.get(k + 1).is_none_or(|&n| n == b' '))
                {
                    return None;
                }
            }
            if blank == 0 {
                s.push(' ');
            } else {
                s.extend(std::iter::repeat_n('\n', blank));
            }
            s.push_str(rest);
            blank = 0;
            self.i = j;
            j += 1;
        }
        Some(())
    }

    /// A literal (`|`) or folded (`>`) block scalar whose header starts `t`, in a collection
    /// at column `col`: libyaml's `yaml_parser_scan_block_scalar` with automatic
    /// indentation.
    fn block_scalar(&mut self, col: usize, t: &str) -> Option<Value> {
        let literal = t.starts_with('|');
        let mut header = &t[1..];
        // Chomping: -1 strip, 0 clip, 1 keep. An indentation indicator is not handled.
        let chomp = match header.as_bytes().first() {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        if chomp != 0 {
            header = &header[1..];
        }
        if !only_comment(header) && !header.starts_with('#') {
            return None;
        }
        // The header line's break; then the lines of the scalar.
        self.i += 1;
        let mut s = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut indent = 0usize;
        // Where reading stands: the line and the column reached in it.
        let mut col_at = self.breaks(&mut indent, &mut trailing_breaks, col);
        let mut leading_blank = false;
        while col_at == indent {
            let Some(&line) = self.lines.get(self.i) else {
                break;
            };
            let content = &line[col_at..];
            if content.is_empty() && !self.has_break(self.i) {
                // The end of the input.
                break;
            }
            let trailing_blank = content.starts_with(' ');
            crate::scanner::join_block_line(
                &mut s,
                literal,
                &mut leading_break,
                &mut trailing_breaks,
                leading_blank,
                trailing_blank,
            );
            leading_blank = trailing_blank;
            s.push_str(content);
            if self.i + 1 >= self.lines.len() && !self.has_break(self.i) {
                // The end of the input, without a line break.
                self.i = self.lines.len();
                break;
            }
            leading_break.push('\n');
            self.i += 1;
            col_at = self.breaks(&mut indent, &mut trailing_breaks, col);
        }
        if chomp != -1 {
            s.push_str(&leading_break);
        }
        if chomp == 1 {
            s.push_str(&trailing_breaks);
        }
        Some(Value::string(s))
    }

    /// libyaml's `yaml_parser_scan_block_scalar_breaks`: from the start of line `self.i`,
    /// eats the indentation (all of it while `indent` is 0, still to be detected) of lines
    /// that are only a line break, adding a break to `breaks` for each; stops at the first
    /// other line (or the end) and returns the column reached in it. Sets an undetected
    /// `indent` to the largest indentation seen, at least one more than `parent`'s.
    fn breaks(&mut self, indent: &mut usize, breaks: &mut String, parent: usize) -> usize {
        let mut max_indent = 0;
        let mut reached = 0;
        while let Some(&line) = self.lines.get(self.i) {
            let sp = self.indents[self.i];
            let eat = if *indent == 0 { sp } else { sp.min(*indent) };
            max_indent = max_indent.max(eat);
            reached = eat;
            if eat < line.len() || !self.has_break(self.i) {
                break;
            }
            breaks.push('\n');
            self.i += 1;
            reached = 0;
        }
        if *indent == 0 {
            *indent = max_indent.max(parent + 1).max(1);
        }
        reached
    }

    /// Whether line `i` ends with a line break (every line but perhaps the last does).
    fn has_break(&self, i: usize) -> bool {
        // `lines` dropped the empty piece after a final break, so the last line ended with
        // one exactly when the text did; the caller only asks about the last line.
        i + 1 < self.lines.len() || self.ends_with_break
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path reads `src` and agrees with go-yaml's path.
    fn agrees(src: &str) -> Duplicates {
        let (v, d) = read_fast(src).unwrap_or_else(|| panic!("not on the fast path: {src:?}"));
        let (gv, gd) = crate::from_yaml_with_duplicates_general(src).expect("go-yaml reads it");
        assert_eq!(format!("{v:?}"), format!("{gv:?}"), "{src:?}");
        assert_eq!(d, gd, "{src:?}");
        d
    }

    #[test]
    fn block_documents_read_as_go_yaml_does() {
        for src in [
            "# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: \"v\"\n",
            "a:\n- 1\n- x: 2\n  w: [a, \"b c\", 3]\n-\n- z\nb: {}\nc: []\nd: { }\n",
            "a: |\n  line 1\n\n   more\n  end\nb: |-\n  x\n\nc: |+\n  y\n\n\nd: >\n  f1\n  f2\n\n  f3\n   g\n",
            "a: 'it''s\n  folded\n\n  here'\nb: \"x\\ty\\n\\\"q\\\"\n   next\"\nc: plain\n  continued\n\n  again\n",
            "num: 010\nfl: 1.5e3\ntr: yes\nem:\nnul: ~\nts: 2024-01-01\nhex: 0x1F\nneg: -.5\nbig: 18446744073709551615\n",
            "  indented: root\n  other: 1 # comment\n# trailing\n",
            "list:\n  - a # c\n  - 'b'\n  -   c: 1\n      d: 2\n",
            "",
            "# only a comment\n",
            "key: no final break",
            "key: |\n  no final break",
            "k\u{e9}: caf\u{e9} \u{2027}\u{a0}\u{fffd}\n",
        ] {
            agrees(src);
        }
    }

    #[test]
    fn repeated_keys_in_the_order_go_yaml_shows_them() {
        let d = agrees("a:\n  x: 1\n  x: 2\na: 3\nb/c: 1\nb/c: 2\n");
        assert_eq!(
            d,
            vec![
                ("/a".to_string(), "a".to_string()),
                ("/b~1c".to_string(), "b/c".to_string()),
                ("/a/x".to_string(), "x".to_string()),
            ]
        );
    }

    #[test]
    fn anything_else_takes_the_general_path() {
        for src in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: {b: 1}\n",
            "a:\tb\n",
            "a: b\r\n",
            "--- \na: 1\n",
            "a: 1\n...\n",
            "? a\n: b\n",
            "1: a\n",
            "a: b: c\n",
            "a: 1\n  b: 2\n",
            "a: \"\\x41\"\n",
            "a: |2\n   x\n",
            "a: .nan\n",
            "- a\nb: 1\n",
            "just a scalar\n",
            "a: b\u{2028}c\n",
            "a: b\u{85}c\n",
            "a: \u{feff}b\n",
            "a: b\u{ffff}\n",
        ] {
            assert!(read_fast(src).is_none(), "{src:?}");
        }
    }
}
