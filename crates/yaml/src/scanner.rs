//! A YAML scanner that follows libyaml's algorithm (as ported by go-yaml v2), so that the
//! tokens, the accepted inputs, the error texts and the error positions are the same.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};

/// A position in the input. `line` and `column` are 0-based, as in libyaml.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub index: usize,
    pub line: usize,
    pub column: usize,
}

/// Which stage found a problem; go-yaml numbers lines differently for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Reader,
    Scanner,
    Parser,
}

/// A libyaml error: the problem text and marks.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub kind: ErrorKind,
    pub problem: String,
    pub problem_mark: Mark,
    pub context_mark: Mark,
}

impl SyntaxError {
    /// The text go-yaml v2 gives: `yaml: line N: problem` (see go-yaml's `parser.fail`).
    pub fn go_message(&self) -> String {
        let mut line = 0;
        if self.kind != ErrorKind::Reader && self.problem_mark.line != 0 {
            line = self.problem_mark.line;
            if self.kind == ErrorKind::Scanner {
                line += 1;
            }
        } else if self.kind != ErrorKind::Reader && self.context_mark.line != 0 {
            line = self.context_mark.line;
        }
        if line != 0 {
            format!("yaml: line {line}: {}", self.problem)
        } else {
            format!("yaml: {}", self.problem)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    StreamStart,
    StreamEnd,
    VersionDirective,
    TagDirective(String, String),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(String),
    Anchor(String),
    Tag(String, String),
    Scalar(String, ScalarStyle),
}

#[derive(Clone, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub start: Mark,
    pub end: Mark,
}

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

/// Maximum flow nesting, a guard for untrusted input.
const MAX_FLOW_LEVEL: usize = 10_000;
/// Maximum block indentation levels, a guard for untrusted input.
const MAX_INDENTS: usize = 10_000;

pub struct Scanner {
    /// The input as UTF-8 bytes (a quarter of the memory of a `Vec<char>`, which mattered for
    /// multi-megabyte rendered CRDs); `pos` is a byte offset at a character boundary.
    buf: Vec<u8>,
    pos: usize,
    mark: Mark,
    tokens: VecDeque<Token>,
    tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    stream_end_produced: bool,
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    /// go-yaml's `simple_keys_by_tok`: token number -> index in `simple_keys`.
    simple_keys_by_tok: HashMap<usize, usize>,
    flow_level: usize,
    error: Option<SyntaxError>,
    /// go-yaml decodes (and checks) its input in 512-byte blocks as the scanner asks for
    /// characters. Index of the first character of the block holding the first character YAML
    /// refuses: reading that far fails with "control characters are not allowed".
    reader_limit: usize,
    reader_hit: Cell<bool>,
}

type SResult<T> = Result<T, SyntaxError>;

fn is_break_c(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
fn is_blank_c(c: char) -> bool {
    c == ' ' || c == '\t'
}
fn is_breakz_c(c: char) -> bool {
    is_break_c(c) || c == '\0'
}
fn is_blankz_c(c: char) -> bool {
    is_blank_c(c) || is_breakz_c(c)
}
fn is_alpha_c(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The character a double-quoted scalar's one-character escape `\e` stands for (libyaml's
/// table); `None` for `x`, `u`, `U` (hexadecimal codes) and unknown escapes.
pub(crate) fn simple_escape(e: char) -> Option<char> {
    Some(match e {
        '0' => '\0',
        'a' => '\x07',
        'b' => '\x08',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\x0B',
        'f' => '\x0C',
        'r' => '\r',
        'e' => '\x1B',
        ' ' => ' ',
        '"' => '"',
        '\'' => '\'',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{A0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        _ => return None,
    })
}

/// libyaml's joining of a block scalar's next content line to the text before it: the
/// pending line break (`leading_break`; in a folded scalar, between two lines that do not
/// start with a blank, a space, or nothing when blank lines follow it) and the breaks of the
/// blank lines between (`trailing_breaks`); both are emptied.
pub(crate) fn join_block_line(
    out: &mut String,
    literal: bool,
    leading_break: &mut String,
    trailing_breaks: &mut String,
    leading_blank: bool,
    trailing_blank: bool,
) {
    if !literal && leading_break.starts_with('\n') && !leading_blank && !trailing_blank {
        if trailing_breaks.is_empty() {
            out.push(' ');
        }
    } else {
        out.push_str(leading_break);
    }
    leading_break.clear();
    out.push_str(trailing_breaks);
    trailing_breaks.clear();
}

/// libyaml's reader check: the characters YAML allows in a stream.
fn is_allowed_input(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// The byte offset of the first character YAML does not allow, checking ASCII bytewise.
fn first_disallowed(src: &str) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if !matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E) {
                return Some(i);
            }
            i += 1;
        } else {
            let c = decode_utf8_at(bytes, i);
            if !is_allowed_input(c) {
                return Some(i);
            }
            i += c.len_utf8();
        }
    }
    None
}

/// The length of the UTF-8 sequence that starts with byte `b`.
#[inline]
fn utf8_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The character whose UTF-8 sequence starts at `buf[p]` (`buf` came from a `&str`, so the
/// sequence is complete and valid).
fn decode_utf8_at(buf: &[u8], p: usize) -> char {
    let end = (p + utf8_width(buf[p])).min(buf.len());
    std::str::from_utf8(&buf[p..end])
        .ok()
        .and_then(|s| s.chars().next())
        .unwrap_or('\u{FFFD}')
}

impl Scanner {
    pub fn new(src: &str) -> Scanner {
        let mut reader_limit = usize::MAX;
        if let Some(bad) = first_disallowed(src) {
            let block = bad / 512 * 512;
            // The first character not wholly inside the blocks before (a byte offset).
            reader_limit = src
                .char_indices()
                .find(|&(i, c)| i + c.len_utf8() > block)
                .map_or(0, |(i, _)| i);
        }
        let src = match src.strip_prefix('\u{FEFF}') {
            Some(rest) => {
                reader_limit = reader_limit.saturating_sub('\u{FEFF}'.len_utf8());
                rest
            }
            None => src,
        };
        let buf = src.as_bytes().to_vec();
        Scanner {
            buf,
            pos: 0,
            mark: Mark::default(),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: HashMap::new(),
            flow_level: 0,
            error: None,
            reader_limit,
            reader_hit: Cell::new(false),
        }
    }

    fn reader_error() -> SyntaxError {
        // go-yaml reports reader errors without a line.
        SyntaxError {
            kind: ErrorKind::Reader,
            problem: "control characters are not allowed".into(),
            problem_mark: Mark::default(),
            context_mark: Mark::default(),
        }
    }

    /// The character `k` characters ahead, or '\0' past the end.
    #[inline]
    fn ch(&self, k: usize) -> char {
        let mut p = self.pos;
        for _ in 0..k {
            p += self.buf.get(p).map_or(1, |&b| utf8_width(b));
        }
        if p >= self.reader_limit {
            self.reader_hit.set(true);
        }
        match self.buf.get(p) {
            Some(&b) if b < 0x80 => b as char,
            Some(_) => decode_utf8_at(&self.buf, p),
            None => '\0',
        }
    }

    /// The width in bytes of the current character (1 past the end).
    #[inline]
    fn cur_width(&self) -> usize {
        self.buf.get(self.pos).map_or(1, |&b| utf8_width(b))
    }
    #[inline]
    fn cur(&self) -> char {
        self.ch(0)
    }
    /// The end of the input, or of what the reader lets through: once a read went past the
    /// reader limit (a disallowed character's block), every loop that waits for the end stops
    /// there and the token fetch reports the reader error. (A NUL inside a quoted scalar
    /// otherwise looped for ever: it ends no run and is not the end of the buffer.)
    fn is_z(&self) -> bool {
        self.pos >= self.buf.len() || self.reader_hit.get()
    }
    fn blankz(&self, k: usize) -> bool {
        is_blankz_c(self.ch(k))
    }

    fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.pos += self.cur_width();
    }

    fn skip_line(&mut self) {
        if self.cur() == '\r' && self.ch(1) == '\n' {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += 2;
        } else if is_break_c(self.cur()) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += self.cur_width();
        }
    }

    /// The length of the run of ASCII bytes at the current position that `ok` accepts, up to
    /// the reader limit (so a reader error still fires where character-wise reading finds it).
    #[inline]
    fn ascii_run(&self, ok: impl Fn(u8) -> bool) -> usize {
        let end = self.buf.len().min(self.reader_limit);
        if self.pos >= end {
            return 0;
        }
        self.buf[self.pos..end]
            .iter()
            .position(|&b| !(b.is_ascii() && ok(b)))
            .unwrap_or(end - self.pos)
    }

    /// Copies `n` ASCII bytes (a run from [`Scanner::ascii_run`], no line breaks) into `s` and
    /// advances past them: what `n` calls of [`Scanner::read`] do, without a call per byte.
    fn read_run(&mut self, n: usize, s: &mut String) {
        // The run is ASCII, hence valid UTF-8 on its own.
        s.push_str(std::str::from_utf8(&self.buf[self.pos..self.pos + n]).unwrap_or_default());
        self.pos += n;
        self.mark.index += n;
        self.mark.column += n;
    }

    /// Copies the current character into `s` and advances.
    fn read(&mut self, s: &mut String) {
        s.push(self.cur());
        self.skip();
    }

    /// Reads a line break into `s`, normalised as libyaml does.
    fn read_line(&mut self, s: &mut String) {
        let c = self.cur();
        if c == '\r' && self.ch(1) == '\n' {
            s.push('\n');
            self.pos += 2;
            self.mark.index += 2;
        } else if c == '\r' || c == '\n' || c == '\u{85}' {
            s.push('\n');
            self.pos += self.cur_width();
            self.mark.index += 1;
        } else if c == '\u{2028}' || c == '\u{2029}' {
            s.push(c);
            self.pos += self.cur_width();
            self.mark.index += 1;
        } else {
            return;
        }
        self.mark.column = 0;
        self.mark.line += 1;
    }

    fn err<T>(&mut self, context_mark: Mark, problem: &str) -> SResult<T> {
        if self.reader_hit.get() {
            let e = Self::reader_error();
            self.error = Some(e.clone());
            return Err(e);
        }
        let e = SyntaxError {
            kind: ErrorKind::Scanner,
            problem: problem.to_string(),
            problem_mark: self.mark,
            context_mark,
        };
        self.error = Some(e.clone());
        Err(e)
    }

    /// The next token without consuming it.
    pub fn peek(&mut self) -> SResult<&Token> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        match self.tokens.front() {
            Some(t) => Ok(t),
            None => Err(SyntaxError {
                kind: ErrorKind::Parser,
                problem: "unexpected end of token stream".into(),
                problem_mark: self.mark,
                context_mark: Mark::default(),
            }),
        }
    }

    /// Moves the text out of the scalar token returned by `peek` (empty for other tokens).
    pub fn take_scalar_text(&mut self) -> String {
        match self.tokens.front_mut() {
            Some(Token {
                kind: TokenKind::Scalar(text, _),
                ..
            }) => std::mem::take(text),
            _ => String::new(),
        }
    }

    /// Consumes the token returned by `peek`.
    pub fn skip_token(&mut self) {
        self.token_available = false;
        // Only the head token's number is ever looked up, and token numbers only grow: an
        // entry for the consumed token is dead. go-yaml leaves such entries (a key found stale
        // is marked impossible but not removed), and the map grew with the document: every
        // lookup then missed the cache (most of the time of reading a large manifest).
        self.simple_keys_by_tok.remove(&self.tokens_parsed);
        self.tokens_parsed += 1;
        if let Some(t) = self.tokens.pop_front() {
            if t.kind == TokenKind::StreamEnd {
                self.stream_end_produced = true;
            }
        }
    }

    fn fetch_more_tokens(&mut self) -> SResult<()> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.stream_end_produced && self.tokens.is_empty() {
            return Ok(());
        }
        loop {
            // go-yaml v2.3+: scan further only while the head token may still start a
            // simple key, found through the token-number index (which can point at a newer
            // key saved at the same level, as in go-yaml).
            if !self.tokens.is_empty() {
                match self.simple_keys_by_tok.get(&self.tokens_parsed) {
                    None => break,
                    Some(&i) => {
                        if i >= self.simple_keys.len() || !self.simple_key_is_valid(i)? {
                            break;
                        }
                    }
                }
            }
            self.fetch_next_token()?;
            if self.reader_hit.get() {
                let e = Self::reader_error();
                self.error = Some(e.clone());
                return Err(e);
            }
        }
        self.token_available = true;
        Ok(())
    }

    fn push_token(&mut self, kind: TokenKind, start: Mark, end: Mark) {
        self.tokens.push_back(Token { kind, start, end });
    }

    fn fetch_next_token(&mut self) -> SResult<()> {
        let _ = self.ch(0);
        if !self.stream_start_produced {
            self.fetch_stream_start();
            return Ok(());
        }
        self.scan_to_next_token();
        self.unroll_indent(self.mark.column as isize);
        // libyaml makes sure 4 characters are available here.
        let _ = self.ch(3);
        if self.is_z() {
            return self.fetch_stream_end();
        }
        let c = self.cur();
        if self.mark.column == 0 {
            if c == '%' {
                return self.fetch_directive();
            }
            if c == '-' && self.ch(1) == '-' && self.ch(2) == '-' && self.blankz(3) {
                return self.fetch_document_indicator(TokenKind::DocumentStart);
            }
            if c == '.' && self.ch(1) == '.' && self.ch(2) == '.' && self.blankz(3) {
                return self.fetch_document_indicator(TokenKind::DocumentEnd);
            }
        }
        match c {
            '[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            '{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            ']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            '}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            _ => {}
        }
        if c == '-' && self.blankz(1) {
            return self.fetch_block_entry();
        }
        if c == '?' && (self.flow_level > 0 || self.blankz(1)) {
            return self.fetch_key();
        }
        if c == ':' && (self.flow_level > 0 || self.blankz(1)) {
            return self.fetch_value();
        }
        match c {
            '*' => return self.fetch_anchor(true),
            '&' => return self.fetch_anchor(false),
            '!' => return self.fetch_tag(),
            '|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            '>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            '\'' => return self.fetch_flow_scalar(true),
            '"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        );
        if !(is_blankz_c(c) || indicator)
            || (c == '-' && !is_blank_c(self.ch(1)))
            || (self.flow_level == 0 && (c == '?' || c == ':') && !self.blankz(1))
        {
            return self.fetch_plain_scalar();
        }
        let m = self.mark;
        self.err(m, "found character that cannot start any token")
    }

    /// go-yaml's `yaml_simple_key_is_valid`: a key stays possible while on the same line and
    /// within 1024 characters.
    fn simple_key_is_valid(&mut self, i: usize) -> SResult<bool> {
        let k = self.simple_keys[i];
        if !k.possible {
            return Ok(false);
        }
        if k.mark.line < self.mark.line || k.mark.index + 1024 < self.mark.index {
            if k.required {
                return self.err(k.mark, "could not find expected ':'");
            }
            self.simple_keys[i].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn save_simple_key(&mut self) -> SResult<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column as isize;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            if let Some(last) = self.simple_keys.last_mut() {
                *last = key;
                self.simple_keys_by_tok
                    .insert(key.token_number, self.simple_keys.len() - 1);
            }
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> SResult<()> {
        if let Some(k) = self.simple_keys.last().copied() {
            if k.possible && k.required {
                return self.err(k.mark, "could not find expected ':'");
            }
            if k.possible {
                if let Some(last) = self.simple_keys.last_mut() {
                    last.possible = false;
                }
                self.simple_keys_by_tok.remove(&k.token_number);
            }
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> SResult<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.mark;
            return self.err(m, "exceeded max depth of 10000");
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(k) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(&k.token_number);
            }
        }
    }

    fn roll_indent(
        &mut self,
        column: isize,
        number: Option<usize>,
        kind: TokenKind,
        mark: Mark,
    ) -> SResult<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let m = self.mark;
                return self.err(m, "exceeded max depth of 10000");
            }
            let tok = Token {
                kind,
                start: mark,
                end: mark,
            };
            match number {
                None => self.tokens.push_back(tok),
                Some(n) => {
                    let at = n.saturating_sub(self.tokens_parsed).min(self.tokens.len());
                    self.tokens.insert(at, tok);
                }
            }
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let m = self.mark;
            self.push_token(TokenKind::BlockEnd, m, m);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_start(&mut self) {
        self.indent = -1;
        self.simple_key_allowed = true;
        self.simple_keys.push(SimpleKey::default());
        self.stream_start_produced = true;
        let m = self.mark;
        self.push_token(TokenKind::StreamStart, m, m);
    }

    fn fetch_stream_end(&mut self) -> SResult<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark;
        self.push_token(TokenKind::StreamEnd, m, m);
        Ok(())
    }

    fn fetch_directive(&mut self) -> SResult<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        self.scan_directive()
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind) -> SResult<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark;
        self.push_token(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind) -> SResult<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind) -> SResult<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(kind, start, end);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(TokenKind::FlowEntry, start, end);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return self.err(m, "block sequence entries are not allowed in this context");
            }
            let m = self.mark;
            self.roll_indent(m.column as isize, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(TokenKind::BlockEntry, start, end);
        Ok(())
    }

    fn fetch_key(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                let m = self.mark;
                return self.err(m, "mapping keys are not allowed in this context");
            }
            let m = self.mark;
            self.roll_indent(m.column as isize, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(TokenKind::Key, start, end);
        Ok(())
    }

    fn fetch_value(&mut self) -> SResult<()> {
        let last = self.simple_keys.len().saturating_sub(1);
        let valid = !self.simple_keys.is_empty() && self.simple_key_is_valid(last)?;
        let sk = self.simple_keys.last().copied().unwrap_or_default();
        if valid {
            let tok = Token {
                kind: TokenKind::Key,
                start: sk.mark,
                end: sk.mark,
            };
            let at = sk
                .token_number
                .saturating_sub(self.tokens_parsed)
                .min(self.tokens.len());
            self.tokens.insert(at, tok);
            self.roll_indent(
                sk.mark.column as isize,
                Some(sk.token_number),
                TokenKind::BlockMappingStart,
                sk.mark,
            )?;
            if let Some(last) = self.simple_keys.last_mut() {
                last.possible = false;
            }
            self.simple_keys_by_tok.remove(&sk.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    let m = self.mark;
                    return self.err(m, "mapping values are not allowed in this context");
                }
                let m = self.mark;
                self.roll_indent(m.column as isize, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push_token(TokenKind::Value, start, end);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let mut s = String::new();
        while is_alpha_c(self.cur()) {
            self.read(&mut s);
        }
        let c = self.cur();
        if s.is_empty()
            || !(is_blankz_c(c) || matches!(c, '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'))
        {
            return self.err(
                start,
                "did not find expected alphabetic or numeric character",
            );
        }
        let end = self.mark;
        let kind = if alias {
            TokenKind::Alias(s)
        } else {
            TokenKind::Anchor(s)
        };
        self.push_token(kind, start, end);
        Ok(())
    }

    fn fetch_tag(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        let handle;
        let suffix;
        if self.ch(1) == '<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, "", start)?;
            if self.cur() != '>' {
                return self.err(start, "did not find the expected '>'");
            }
            self.skip();
            handle = String::new();
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.len() > 1 && h.starts_with('!') && h.ends_with('!') {
                handle = h;
                suffix = self.scan_tag_uri(false, "", start)?;
            } else {
                let s = self.scan_tag_uri(false, &h, start)?;
                if s.is_empty() {
                    handle = String::new();
                    suffix = "!".into();
                } else {
                    handle = "!".into();
                    suffix = s;
                }
            }
        }
        if !self.blankz(0) {
            return self.err(start, "did not find expected whitespace or line break");
        }
        let end = self.mark;
        self.push_token(TokenKind::Tag(handle, suffix), start, end);
        Ok(())
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> SResult<String> {
        if self.cur() != '!' {
            return self.err(start, "did not find expected '!'");
        }
        let mut s = String::new();
        self.read(&mut s);
        while is_alpha_c(self.cur()) {
            self.read(&mut s);
        }
        if self.cur() == '!' {
            self.read(&mut s);
        } else if directive && s != "!" {
            return self.err(start, "did not find expected '!'");
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &str, start: Mark) -> SResult<String> {
        let mut s = String::new();
        // libyaml counts the head (with its '!') towards the length checked below.
        let mut length = head.len();
        if head.len() > 1 {
            s.push_str(&head[1..]);
        }
        loop {
            let c = self.cur();
            let ok = is_alpha_c(c)
                || matches!(
                    c,
                    ';' | '/'
                        | '?'
                        | ':'
                        | '@'
                        | '&'
                        | '='
                        | '+'
                        | '$'
                        | ','
                        | '.'
                        | '!'
                        | '~'
                        | '*'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '%'
                );
            if !ok {
                break;
            }
            if c == '%' {
                self.scan_uri_escapes(&mut s, start)?;
            } else {
                self.read(&mut s);
            }
            length += 1;
        }
        if length == 0 {
            let _ = directive;
            return self.err(start, "did not find expected tag URI");
        }
        Ok(s)
    }

    fn scan_uri_escapes(&mut self, s: &mut String, start: Mark) -> SResult<()> {
        let mut bytes = Vec::new();
        let mut width = 0usize;
        loop {
            if !(self.cur() == '%'
                && self.ch(1).is_ascii_hexdigit()
                && self.ch(2).is_ascii_hexdigit())
            {
                return self.err(start, "did not find URI escaped octet");
            }
            let hi = self.ch(1).to_digit(16).unwrap_or(0);
            let lo = self.ch(2).to_digit(16).unwrap_or(0);
            let octet = (hi * 16 + lo) as u8;
            if width == 0 {
                width = if octet & 0x80 == 0 {
                    1
                } else if octet & 0xE0 == 0xC0 {
                    2
                } else if octet & 0xF0 == 0xE0 {
                    3
                } else if octet & 0xF8 == 0xF0 {
                    4
                } else {
                    return self.err(start, "found an incorrect leading UTF-8 octet");
                };
            } else if octet & 0xC0 != 0x80 {
                return self.err(start, "found an incorrect trailing UTF-8 octet");
            }
            bytes.push(octet);
            self.skip();
            self.skip();
            self.skip();
            if bytes.len() == width {
                break;
            }
        }
        s.push_str(&String::from_utf8_lossy(&bytes));
        Ok(())
    }

    fn scan_to_next_token(&mut self) {
        loop {
            while self.cur() == ' '
                || ((self.flow_level > 0 || !self.simple_key_allowed) && self.cur() == '\t')
            {
                self.skip();
            }
            if self.cur() == '#' {
                while !is_breakz_c(self.cur()) {
                    self.skip();
                }
            }
            if is_break_c(self.cur()) {
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
    }

    fn scan_directive(&mut self) -> SResult<()> {
        let start = self.mark;
        self.skip();
        let mut name = String::new();
        while is_alpha_c(self.cur()) {
            self.read(&mut name);
        }
        if name.is_empty() {
            return self.err(start, "could not find expected directive name");
        }
        if !self.blankz(0) {
            return self.err(start, "found unexpected non-alphabetical character");
        }
        let kind;
        if name == "YAML" {
            while is_blank_c(self.cur()) {
                self.skip();
            }
            self.scan_version_number(start)?;
            if self.cur() != '.' {
                return self.err(start, "did not find expected digit or '.' character");
            }
            self.skip();
            self.scan_version_number(start)?;
            kind = TokenKind::VersionDirective;
        } else if name == "TAG" {
            while is_blank_c(self.cur()) {
                self.skip();
            }
            let handle = self.scan_tag_handle(true, start)?;
            if !is_blank_c(self.cur()) {
                return self.err(start, "did not find expected whitespace");
            }
            while is_blank_c(self.cur()) {
                self.skip();
            }
            let prefix = self.scan_tag_uri(true, "", start)?;
            if !self.blankz(0) {
                return self.err(start, "did not find expected whitespace or line break");
            }
            kind = TokenKind::TagDirective(handle, prefix);
        } else {
            return self.err(start, "found unknown directive name");
        }
        let end = self.mark;
        while is_blank_c(self.cur()) {
            self.skip();
        }
        if self.cur() == '#' {
            while !is_breakz_c(self.cur()) {
                self.skip();
            }
        }
        if !is_breakz_c(self.cur()) {
            return self.err(start, "did not find expected comment or line break");
        }
        if is_break_c(self.cur()) {
            self.skip_line();
        }
        self.push_token(kind, start, end);
        Ok(())
    }

    fn scan_version_number(&mut self, start: Mark) -> SResult<()> {
        let mut n = 0;
        while self.cur().is_ascii_digit() {
            n += 1;
            if n > 9 {
                return self.err(start, "found extremely long version number");
            }
            self.skip();
        }
        if n == 0 {
            return self.err(start, "did not find expected version number");
        }
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let mut chomping = 0i32;
        let mut increment = 0usize;
        let c = self.cur();
        if c == '+' || c == '-' {
            chomping = if c == '+' { 1 } else { -1 };
            self.skip();
            if self.cur().is_ascii_digit() {
                if self.cur() == '0' {
                    return self.err(start, "found an indentation indicator equal to 0");
                }
                increment = self.cur().to_digit(10).unwrap_or(1) as usize;
                self.skip();
            }
        } else if c.is_ascii_digit() {
            if c == '0' {
                return self.err(start, "found an indentation indicator equal to 0");
            }
            increment = c.to_digit(10).unwrap_or(1) as usize;
            self.skip();
            let c = self.cur();
            if c == '+' || c == '-' {
                chomping = if c == '+' { 1 } else { -1 };
                self.skip();
            }
        }
        while is_blank_c(self.cur()) {
            self.skip();
        }
        if self.cur() == '#' {
            while !is_breakz_c(self.cur()) {
                self.skip();
            }
        }
        if !is_breakz_c(self.cur()) {
            return self.err(start, "did not find expected comment or line break");
        }
        if is_break_c(self.cur()) {
            let mut tmp = String::new();
            self.read_line(&mut tmp);
        }
        let mut end = self.mark;
        let mut indent: usize = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent as usize + increment
            } else {
                increment
            };
        }
        let mut string = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        let mut leading_blank = false;
        while self.mark.column == indent && !self.is_z() {
            let trailing_blank = is_blank_c(self.cur());
            join_block_line(
                &mut string,
                literal,
                &mut leading_break,
                &mut trailing_breaks,
                leading_blank,
                trailing_blank,
            );
            leading_blank = trailing_blank;
            while !is_breakz_c(self.cur()) {
                let n = self.ascii_run(|b| b >= b' ' || b == b'\t');
                if n > 1 {
                    self.read_run(n, &mut string);
                } else {
                    self.read(&mut string);
                }
            }
            if self.is_z() {
                break;
            }
            self.read_line(&mut leading_break);
            self.block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            string.push_str(&leading_break);
        }
        if chomping == 1 {
            string.push_str(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.push_token(TokenKind::Scalar(string, style), start, end);
        Ok(())
    }

    fn block_scalar_breaks(
        &mut self,
        indent: &mut usize,
        breaks: &mut String,
        start: Mark,
        end: &mut Mark,
    ) -> SResult<()> {
        let mut max_indent = 0;
        *end = self.mark;
        loop {
            while (*indent == 0 || self.mark.column < *indent) && self.cur() == ' ' {
                self.skip();
            }
            if self.mark.column > max_indent {
                max_indent = self.mark.column;
            }
            if (*indent == 0 || self.mark.column < *indent) && self.cur() == '\t' {
                return self.err(
                    start,
                    "found a tab character where an indentation space is expected",
                );
            }
            if !is_break_c(self.cur()) {
                break;
            }
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            let min = (self.indent + 1).max(1) as usize;
            if *indent < min {
                *indent = min;
            }
        }
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let mut string = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        loop {
            if self.mark.column == 0
                && ((self.cur() == '-' && self.ch(1) == '-' && self.ch(2) == '-')
                    || (self.cur() == '.' && self.ch(1) == '.' && self.ch(2) == '.'))
                && self.blankz(3)
            {
                return self.err(start, "found unexpected document indicator");
            }
            if self.is_z() {
                return self.err(start, "found unexpected end of stream");
            }
            let mut leading_blanks = false;
            while !self.blankz(0) {
                let c = self.cur();
                if single && c == '\'' && self.ch(1) == '\'' {
                    string.push('\'');
                    self.skip();
                    self.skip();
                } else if c == if single { '\'' } else { '"' } {
                    break;
                } else if !single && c == '\\' && is_break_c(self.ch(1)) {
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == '\\' {
                    let mut code_length = 0;
                    let e = self.ch(1);
                    match e {
                        'x' => code_length = 2,
                        'u' => code_length = 4,
                        'U' => code_length = 8,
                        _ => match simple_escape(e) {
                            Some(c) => string.push(c),
                            None => return self.err(start, "found unknown escape character"),
                        },
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            match self.ch(k).to_digit(16) {
                                Some(d) => value = (value << 4) + d,
                                None => {
                                    return self
                                        .err(start, "did not find expected hexdecimal number")
                                }
                            }
                        }
                        match char::from_u32(value) {
                            Some(ch) => string.push(ch),
                            None => {
                                return self
                                    .err(start, "found invalid Unicode character escape code")
                            }
                        }
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else {
                    let n = self.ascii_run(|b| b > b' ' && !matches!(b, b'\'' | b'"' | b'\\'));
                    if n > 1 {
                        self.read_run(n, &mut string);
                    } else {
                        self.read(&mut string);
                    }
                }
            }
            if self.cur() == if single { '\'' } else { '"' } {
                break;
            }
            while is_blank_c(self.cur()) || is_break_c(self.cur()) {
                if is_blank_c(self.cur()) {
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }
            if leading_blanks {
                if leading_break.starts_with('\n') {
                    if trailing_breaks.is_empty() {
                        string.push(' ');
                    } else {
                        string.push_str(&trailing_breaks);
                        trailing_breaks.clear();
                    }
                    leading_break.clear();
                } else {
                    string.push_str(&leading_break);
                    string.push_str(&trailing_breaks);
                    leading_break.clear();
                    trailing_breaks.clear();
                }
            } else {
                string.push_str(&whitespaces);
                whitespaces.clear();
            }
        }
        self.skip();
        let end = self.mark;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        self.push_token(TokenKind::Scalar(string, style), start, end);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        let mut end = self.mark;
        let mut string = String::new();
        let mut leading_break = String::new();
        let mut trailing_breaks = String::new();
        let mut whitespaces = String::new();
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        loop {
            let _ = self.ch(3);
            if self.mark.column == 0
                && ((self.cur() == '-' && self.ch(1) == '-' && self.ch(2) == '-')
                    || (self.cur() == '.' && self.ch(1) == '.' && self.ch(2) == '.'))
                && self.blankz(3)
            {
                break;
            }
            if self.cur() == '#' {
                break;
            }
            while !self.blankz(0) {
                let c = self.cur();
                if (c == ':' && self.blankz(1))
                    || (self.flow_level > 0 && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'))
                {
                    break;
                }
                if leading_blanks || !whitespaces.is_empty() {
                    if leading_blanks {
                        if leading_break.starts_with('\n') {
                            if trailing_breaks.is_empty() {
                                string.push(' ');
                            } else {
                                string.push_str(&trailing_breaks);
                                trailing_breaks.clear();
                            }
                            leading_break.clear();
                        } else {
                            string.push_str(&leading_break);
                            string.push_str(&trailing_breaks);
                            leading_break.clear();
                            trailing_breaks.clear();
                        }
                        leading_blanks = false;
                    } else {
                        string.push_str(&whitespaces);
                        whitespaces.clear();
                    }
                }
                let n = self.ascii_run(|b| {
                    b > b' ' && !matches!(b, b':' | b',' | b'?' | b'[' | b']' | b'{' | b'}')
                });
                if n > 1 {
                    self.read_run(n, &mut string);
                } else {
                    self.read(&mut string);
                }
                end = self.mark;
            }
            if !(is_blank_c(self.cur()) || is_break_c(self.cur())) {
                break;
            }
            while is_blank_c(self.cur()) || is_break_c(self.cur()) {
                if is_blank_c(self.cur()) {
                    if leading_blanks && (self.mark.column as isize) < indent && self.cur() == '\t'
                    {
                        return self.err(start, "found a tab character that violates indentation");
                    }
                    if !leading_blanks {
                        self.read(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else if !leading_blanks {
                    whitespaces.clear();
                    self.read_line(&mut leading_break);
                    leading_blanks = true;
                } else {
                    self.read_line(&mut trailing_breaks);
                }
            }
            if self.flow_level == 0 && (self.mark.column as isize) < indent {
                break;
            }
        }
        self.push_token(TokenKind::Scalar(string, ScalarStyle::Plain), start, end);
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simple-key index holds live keys only: it stayed at one entry per stale key before,
    /// growing with the document.
    #[test]
    fn simple_key_index_stays_small() {
        let doc = "items:\n".to_string() + &"- a: b\n  c:\n  - 1\n  - [x, {y: z}]\n".repeat(5000);
        let mut s = Scanner::new(&doc);
        let mut most = 0;
        loop {
            let end = s.peek().expect("scans").kind == TokenKind::StreamEnd;
            most = most.max(s.simple_keys_by_tok.len());
            s.skip_token();
            if end {
                break;
            }
        }
        assert!(most <= 4, "{most} entries");
    }
}
