//! The lexer: Go's `text/template/parse` scanner, item for item (positions, line numbers,
//! trim markers, error texts), with the default `{{` `}}` delimiters.
//!
//! Like Go's, it scans a string of bytes: text between actions is kept byte for byte whether
//! or not it is UTF-8, and inside actions a byte that does not start valid UTF-8 reads as
//! U+FFFD of width 1 (Go's `utf8.DecodeRuneInString`), so it is an `unrecognized character`
//! or `bad character` there, as in Go.

use std::borrow::Cow;

use crate::fmt::{decode_last_rune, decode_rune, quote_bytes};
use crate::util::{go_quote_prefix, go_sharp_u};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords appear after all the rest.
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

#[derive(Clone, Debug)]
pub(crate) struct Item<'s> {
    pub typ: ItemType,
    pub pos: usize,
    /// The item's bytes (for an error, the message).
    pub val: Cow<'s, [u8]>,
    pub line: usize,
}

impl Item<'_> {
    /// Go's `item.String()`, used in parse error messages.
    pub fn describe(&self) -> String {
        match self.typ {
            ItemType::Eof => "EOF".into(),
            ItemType::Error => self.text().into_owned(),
            t if t > ItemType::Keyword => format!("<{}>", self.text()),
            _ if self.val.len() > 10 => {
                format!("{}...", go_quote_prefix(&self.val, 10))
            }
            _ => quote_bytes(&self.val),
        }
    }

    /// The item as text: identifiers, fields, variables, numbers and keywords are always
    /// UTF-8 (borrowed, no copy); other bytes read as U+FFFD.
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.val)
    }
}

fn keyword(word: &[u8]) -> Option<ItemType> {
    Some(match word {
        b"." => ItemType::Dot,
        b"block" => ItemType::Block,
        b"break" => ItemType::Break,
        b"continue" => ItemType::Continue,
        b"define" => ItemType::Define,
        b"else" => ItemType::Else,
        b"end" => ItemType::End,
        b"if" => ItemType::If,
        b"range" => ItemType::Range,
        b"nil" => ItemType::Nil,
        b"template" => ItemType::Template,
        b"with" => ItemType::With,
        _ => return None,
    })
}

const LEFT_DELIM: &[u8] = b"{{";
const RIGHT_DELIM: &[u8] = b"}}";
const LEFT_COMMENT: &[u8] = b"/*";
const RIGHT_COMMENT: &[u8] = b"*/";
const TRIM_MARKER_LEN: usize = 2;
const EOF: Option<char> = None;

fn is_space(r: Option<char>) -> bool {
    matches!(r, Some(' ' | '\t' | '\r' | '\n'))
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

pub(crate) fn is_alnum(r: Option<char>) -> bool {
    match r {
        Some(c) if c.is_ascii() => c == '_' || c.is_ascii_alphanumeric(),
        Some(c) => c.is_alphabetic() || is_go_digit(c),
        None => false,
    }
}

fn is_go_digit(c: char) -> bool {
    // unicode.IsDigit: decimal digits (Nd).
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && is_nd(c))
}

fn is_nd(c: char) -> bool {
    // Rust has no direct Nd test; approximate with common decimal-digit blocks.
    let u = c as u32;
    matches!(u,
        0x0660..=0x0669 | 0x06F0..=0x06F9 | 0x07C0..=0x07C9 | 0x0966..=0x096F | 0x09E6..=0x09EF
        | 0x0A66..=0x0A6F | 0x0AE6..=0x0AEF | 0x0B66..=0x0B6F | 0x0BE6..=0x0BEF | 0x0C66..=0x0C6F
        | 0x0CE6..=0x0CEF | 0x0D66..=0x0D6F | 0x0E50..=0x0E59 | 0x0ED0..=0x0ED9 | 0x0F20..=0x0F29
        | 0x1040..=0x1049 | 0x17E0..=0x17E9 | 0x1810..=0x1819 | 0xFF10..=0xFF19)
}

fn count_newlines(s: &[u8]) -> usize {
    s.iter().filter(|&&b| b == b'\n').count()
}

/// How many ASCII spaces (Go's `spaceChars`) end `s`.
fn right_trim_length(s: &[u8]) -> usize {
    s.len()
        - s.iter()
            .rposition(|&b| !is_space_byte(b))
            .map_or(0, |i| i + 1)
}

/// How many ASCII spaces start `s`.
fn left_trim_length(s: &[u8]) -> usize {
    s.iter().position(|&b| !is_space_byte(b)).unwrap_or(s.len())
}

/// The offset of the first `{{` (a byte scan for `{`: cheaper than a substring searcher for
/// the many short texts between actions).
fn find_left_delim(s: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].iter().position(|&b| b == b'{') {
        let at = from + i;
        match s.get(at + 1) {
            Some(b'{') => return Some(at),
            Some(_) => from = at + 1,
            None => return None,
        }
    }
    None
}

fn has_left_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == b'-' && is_space_byte(s[1])
}

fn has_right_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && is_space_byte(s[0]) && s[1] == b'-'
}

#[derive(Clone, Copy)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

pub(crate) struct Lexer<'s> {
    input: &'s [u8],
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: usize,
    line: usize,
    start_line: usize,
    item: Option<Item<'s>>,
    inside_action: bool,
    pub break_ok: bool,
    pub continue_ok: bool,
    done: bool,
}

enum Step {
    Go(State),
    Emit,
}

impl<'s> Lexer<'s> {
    pub fn new(input: &'s [u8]) -> Lexer<'s> {
        Lexer {
            input,
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            item: None,
            inside_action: false,
            break_ok: true,
            continue_ok: true,
            done: false,
        }
    }

    fn rest(&self) -> &'s [u8] {
        &self.input[self.pos..]
    }

    fn next(&mut self) -> Option<char> {
        // Templates are nearly all ASCII: decode a UTF-8 sequence only when one starts here.
        match self.input.get(self.pos) {
            None => {
                self.at_eof = true;
                EOF
            }
            Some(&b) if b.is_ascii() => {
                self.pos += 1;
                if b == b'\n' {
                    self.line += 1;
                }
                Some(b as char)
            }
            Some(_) => {
                // Go's DecodeRuneInString: an invalid byte is U+FFFD of width 1.
                let (r, w) = decode_rune(&self.input[self.pos..]);
                self.pos += w;
                Some(char::from_u32(r).unwrap_or(char::REPLACEMENT_CHARACTER))
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        if !self.at_eof && self.pos > 0 {
            let b = self.input[self.pos - 1];
            if b.is_ascii() {
                self.pos -= 1;
                if b == b'\n' {
                    self.line -= 1;
                }
                return;
            }
            // Go's DecodeLastRuneInString (never a newline here).
            let (_, w) = decode_last_rune(&self.input[..self.pos]);
            self.pos -= w;
        }
    }

    fn this_item(&mut self, t: ItemType) -> Item<'s> {
        let input: &'s [u8] = self.input;
        let i = Item {
            typ: t,
            pos: self.start,
            val: Cow::Borrowed(&input[self.start..self.pos]),
            line: self.start_line,
        };
        self.start = self.pos;
        self.start_line = self.line;
        i
    }

    fn emit(&mut self, t: ItemType) -> Step {
        let i = self.this_item(t);
        self.item = Some(i);
        Step::Emit
    }

    fn emit_item(&mut self, i: Item<'s>) -> Step {
        self.item = Some(i);
        Step::Emit
    }

    fn ignore(&mut self) {
        self.line += count_newlines(&self.input[self.start..self.pos]);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.next() {
            Some(c) if valid.contains(c) => true,
            _ => {
                self.backup();
                false
            }
        }
    }

    fn accept_run(&mut self, valid: &str) {
        loop {
            match self.next() {
                Some(c) if valid.contains(c) => {}
                _ => break,
            }
        }
        self.backup();
    }

    fn errorf(&mut self, msg: String) -> Step {
        self.item = Some(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: Cow::Owned(msg.into_bytes()),
            line: self.start_line,
        });
        self.start = 0;
        self.pos = 0;
        self.input = b"";
        self.done = true;
        Step::Emit
    }

    /// The next item. After an error or EOF, keeps returning EOF.
    pub fn next_item(&mut self) -> Item<'s> {
        if self.done {
            return Item {
                typ: ItemType::Eof,
                pos: self.pos,
                val: Cow::Borrowed(b"EOF"),
                line: self.start_line,
            };
        }
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        loop {
            let step = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Space => self.lex_space(),
                State::Identifier => self.lex_identifier(),
                State::Field => self.lex_field_or_variable(ItemType::Field),
                State::Variable => self.lex_variable(),
                State::Char => self.lex_char(),
                State::Number => self.lex_number(),
                State::Quote => self.lex_quote(),
                State::RawQuote => self.lex_raw_quote(),
            };
            match step {
                Step::Go(s) => state = s,
                Step::Emit => {
                    let item = self.item.take().unwrap_or(Item {
                        typ: ItemType::Eof,
                        pos: self.pos,
                        val: Cow::Borrowed(b"EOF"),
                        line: self.start_line,
                    });
                    if item.typ == ItemType::Eof {
                        self.done = true;
                    }
                    return item;
                }
            }
        }
    }

    fn lex_text(&mut self) -> Step {
        if let Some(x) = find_left_delim(self.rest()) {
            if x > 0 {
                self.pos += x;
                let mut trim = 0;
                let delim_end = self.pos + LEFT_DELIM.len();
                if has_left_trim_marker(&self.input[delim_end..]) {
                    trim = right_trim_length(&self.input[self.start..self.pos]);
                }
                self.pos -= trim;
                self.line += count_newlines(&self.input[self.start..self.pos]);
                let i = self.this_item(ItemType::Text);
                self.pos += trim;
                self.ignore();
                if !i.val.is_empty() {
                    return self.emit_item(i);
                }
            }
            return Step::Go(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += count_newlines(&self.input[self.start..self.pos]);
            return self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof)
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim_marker(r) && r[TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM) {
            return (true, true);
        }
        if r.starts_with(RIGHT_DELIM) {
            return (true, false);
        }
        (false, false)
    }

    fn left_trim_length(&self) -> usize {
        left_trim_length(self.rest())
    }

    fn lex_left_delim(&mut self) -> Step {
        self.pos += LEFT_DELIM.len();
        let trim = has_left_trim_marker(self.rest());
        let after = if trim { TRIM_MARKER_LEN } else { 0 };
        if self.input[self.pos + after..].starts_with(LEFT_COMMENT) {
            self.pos += after;
            self.ignore();
            return Step::Go(State::Comment);
        }
        let i = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(i)
    }

    fn lex_comment(&mut self) -> Step {
        self.pos += LEFT_COMMENT.len();
        let x = match crate::gostr::find(self.rest(), RIGHT_COMMENT, 0) {
            Some(x) => x,
            None => return self.errorf("unclosed comment".into()),
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        self.line += count_newlines(&self.input[self.start..self.pos]);
        let _comment = self.this_item(ItemType::Comment);
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += RIGHT_DELIM.len();
        if trim {
            self.pos += self.left_trim_length();
        }
        self.ignore();
        Step::Go(State::Text)
    }

    fn lex_right_delim(&mut self) -> Step {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += RIGHT_DELIM.len();
        let i = self.this_item(ItemType::RightDelim);
        if trim {
            self.pos += self.left_trim_length();
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(i)
    }

    fn lex_inside_action(&mut self) -> Step {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Step::Go(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let r = self.next();
        match r {
            None => self.errorf("unclosed action".into()),
            Some(c) => match c {
                ' ' | '\t' | '\r' | '\n' => {
                    self.backup();
                    Step::Go(State::Space)
                }
                '=' => self.emit(ItemType::Assign),
                ':' => {
                    if self.next() != Some('=') {
                        return self.errorf("expected :=".into());
                    }
                    self.emit(ItemType::Declare)
                }
                '|' => self.emit(ItemType::Pipe),
                '"' => Step::Go(State::Quote),
                '`' => Step::Go(State::RawQuote),
                '$' => Step::Go(State::Variable),
                '\'' => Step::Go(State::Char),
                '.' => {
                    if let Some(&b) = self.input.get(self.pos) {
                        if !b.is_ascii_digit() {
                            return Step::Go(State::Field);
                        }
                    }
                    self.backup();
                    Step::Go(State::Number)
                }
                '+' | '-' | '0'..='9' => {
                    self.backup();
                    Step::Go(State::Number)
                }
                c if is_alnum(Some(c)) => {
                    self.backup();
                    Step::Go(State::Identifier)
                }
                '(' => {
                    self.paren_depth += 1;
                    self.emit(ItemType::LeftParen)
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return self.errorf("unexpected right paren".into());
                    }
                    self.paren_depth -= 1;
                    self.emit(ItemType::RightParen)
                }
                c if c.is_ascii() && crate::util::is_print(c) => self.emit(ItemType::Char),
                c => self.errorf(format!(
                    "unrecognized character in action: {}",
                    go_sharp_u(c)
                )),
            },
        }
    }

    fn lex_space(&mut self) -> Step {
        let mut num = 0;
        while is_space(self.peek()) {
            self.next();
            num += 1;
        }
        let b = self.input;
        if self.pos >= 1
            && has_right_trim_marker(&b[self.pos - 1..])
            && b[self.pos - 1 + TRIM_MARKER_LEN..].starts_with(RIGHT_DELIM)
        {
            self.backup();
            if num == 1 {
                return Step::Go(State::RightDelim);
            }
        }
        self.emit(ItemType::Space)
    }

    fn at_terminator(&mut self) -> bool {
        let r = self.peek();
        if is_space(r) {
            return true;
        }
        match r {
            None | Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT_DELIM),
        }
    }

    fn lex_identifier(&mut self) -> Step {
        loop {
            let r = self.next();
            if is_alnum(r) {
                continue;
            }
            self.backup();
            let word = &self.input[self.start..self.pos];
            if !self.at_terminator() {
                return self.bad_char(r);
            }
            if let Some(k) = keyword(word) {
                if k > ItemType::Keyword {
                    if (k == ItemType::Break && !self.break_ok)
                        || (k == ItemType::Continue && !self.continue_ok)
                    {
                        return self.emit(ItemType::Identifier);
                    }
                    return self.emit(k);
                }
            }
            if word == b"true" || word == b"false" {
                return self.emit(ItemType::Bool);
            }
            return self.emit(ItemType::Identifier);
        }
    }

    fn bad_char(&mut self, r: Option<char>) -> Step {
        let desc = match r {
            Some(c) => go_sharp_u(c),
            None => "U+FFFFFFFFFFFFFFFF".into(),
        };
        self.errorf(format!("bad character {desc}"))
    }

    fn lex_variable(&mut self) -> Step {
        if self.at_terminator() {
            return self.emit(ItemType::Variable);
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    fn lex_field_or_variable(&mut self, typ: ItemType) -> Step {
        if self.at_terminator() {
            if typ == ItemType::Variable {
                return self.emit(ItemType::Variable);
            }
            return self.emit(ItemType::Dot);
        }
        let mut r;
        loop {
            r = self.next();
            if !is_alnum(r) {
                self.backup();
                break;
            }
        }
        if !self.at_terminator() {
            return self.bad_char(r);
        }
        self.emit(typ)
    }

    fn lex_char(&mut self) -> Step {
        loop {
            match self.next() {
                Some('\\') => {
                    let r = self.next();
                    if r.is_some() && r != Some('\n') {
                        continue;
                    }
                    return self.errorf("unterminated character constant".into());
                }
                None | Some('\n') => {
                    return self.errorf("unterminated character constant".into());
                }
                Some('\'') => break,
                _ => {}
            }
        }
        self.emit(ItemType::CharConstant)
    }

    fn lex_number(&mut self) -> Step {
        if !self.scan_number() {
            let s = quote_bytes(&self.input[self.start..self.pos]);
            return self.errorf(format!("bad number syntax: {s}"));
        }
        let sign = self.peek();
        if sign == Some('+') || sign == Some('-') {
            if !self.scan_number() || !self.input[..self.pos].ends_with(b"i") {
                let s = quote_bytes(&self.input[self.start..self.pos]);
                return self.errorf(format!("bad number syntax: {s}"));
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if is_alnum(self.peek()) {
            self.next();
            return false;
        }
        true
    }

    fn lex_quote(&mut self) -> Step {
        loop {
            match self.next() {
                Some('\\') => {
                    let r = self.next();
                    if r.is_some() && r != Some('\n') {
                        continue;
                    }
                    return self.errorf("unterminated quoted string".into());
                }
                None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                Some('"') => break,
                _ => {}
            }
        }
        self.emit(ItemType::String)
    }

    fn lex_raw_quote(&mut self) -> Step {
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(ItemType::RawString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex_all(s: &str) -> Vec<(ItemType, String, usize)> {
        lex_bytes(s.as_bytes())
            .into_iter()
            .map(|(t, v, l)| (t, String::from_utf8_lossy(&v).into_owned(), l))
            .collect()
    }

    fn lex_bytes(s: &[u8]) -> Vec<(ItemType, Vec<u8>, usize)> {
        let mut l = Lexer::new(s);
        let mut v = Vec::new();
        loop {
            let i = l.next_item();
            let t = i.typ;
            v.push((i.typ, i.val.to_vec(), i.line));
            if t == ItemType::Eof || t == ItemType::Error {
                break;
            }
        }
        v
    }

    #[test]
    fn trim_and_items() {
        let v = lex_all("a \n{{- .x -}}\n b");
        let types: Vec<_> = v.iter().map(|x| x.0).collect();
        assert_eq!(
            types,
            vec![
                ItemType::Text,
                ItemType::LeftDelim,
                ItemType::Field,
                ItemType::RightDelim,
                ItemType::Text,
                ItemType::Eof
            ]
        );
        assert_eq!(v[0].1, "a");
        assert_eq!(v[4].1, "b");
        assert_eq!(v[4].2, 3);
    }

    #[test]
    fn errors() {
        assert_eq!(
            lex_all("{{ 3k }}").last().unwrap().1,
            "bad number syntax: \"3k\""
        );
        assert_eq!(
            lex_all("{{ \"abc }}").last().unwrap().1,
            "unterminated quoted string"
        );
        assert_eq!(lex_all("{{ /* x */ }}")[2].0, ItemType::Char);
        assert_eq!(
            lex_all("{{/* x */ a}}").last().unwrap().1,
            "comment ends before closing delimiter"
        );
        assert_eq!(
            lex_all("{{ ) }}").last().unwrap().1,
            "unexpected right paren"
        );
        assert_eq!(
            lex_all("{{ \u{1} }}").last().unwrap().1,
            "unrecognized character in action: U+0001"
        );
    }

    #[test]
    fn text_keeps_bytes_that_are_not_utf8() {
        let v = lex_bytes(b"caf\xe9 {{ .x }} \xff\xfe");
        let types: Vec<_> = v.iter().map(|x| x.0).collect();
        assert_eq!(
            types,
            vec![
                ItemType::Text,
                ItemType::LeftDelim,
                ItemType::Space,
                ItemType::Field,
                ItemType::Space,
                ItemType::RightDelim,
                ItemType::Text,
                ItemType::Eof
            ]
        );
        assert_eq!(v[0].1, b"caf\xe9 ");
        assert_eq!(v[6].1, b" \xff\xfe");
    }

    #[test]
    fn literals_and_comments_with_bytes_that_are_not_utf8() {
        // Quoted and raw strings, character constants: the item is the source bytes.
        let v = lex_bytes(b"{{ \"q\xe9q\" `r\xe9\xffr` '\xff' }}");
        let items: Vec<_> = v
            .iter()
            .filter(|x| x.0 != ItemType::Space)
            .map(|x| (x.0, x.1.clone()))
            .collect();
        assert_eq!(
            items,
            vec![
                (ItemType::LeftDelim, b"{{".to_vec()),
                (ItemType::String, b"\"q\xe9q\"".to_vec()),
                (ItemType::RawString, b"`r\xe9\xffr`".to_vec()),
                (ItemType::CharConstant, b"'\xff'".to_vec()),
                (ItemType::RightDelim, b"}}".to_vec()),
                (ItemType::Eof, Vec::new()),
            ]
        );
        // A comment is skipped whatever it holds; the line count goes on.
        let v = lex_bytes(b"a{{/* \xff\n\xfe */}}b\xe9");
        assert_eq!(v[0].1, b"a");
        assert_eq!(
            (v[1].0, v[1].1.as_slice(), v[1].2),
            (ItemType::Text, &b"b\xe9"[..], 2)
        );
    }

    #[test]
    fn trim_markers_next_to_bytes_that_are_not_utf8() {
        // Only ASCII space is trimmed: 0xA0 (not UTF-8 here) stays, and a bad byte stops the
        // trim.
        let v = lex_bytes(b"\xe9 \n {{- \"x\" -}} \n\t\xff\t {{- /* \xfe */ -}} \xa0 {{ end }}");
        let texts: Vec<&[u8]> = v
            .iter()
            .filter(|x| x.0 == ItemType::Text)
            .map(|x| x.1.as_slice())
            .collect();
        assert_eq!(texts, vec![&b"\xe9"[..], b"\xff", b"\xa0 "]);
    }

    #[test]
    fn bad_bytes_inside_actions_are_u_fffd() {
        // Go decodes an invalid byte as U+FFFD of width 1: not a letter, not printable ASCII.
        assert_eq!(
            lex_all_bytes_last(b"{{ \xff }}"),
            "unrecognized character in action: U+FFFD '\u{fffd}'"
        );
        assert_eq!(
            lex_all_bytes_last(b"{{ .x\xff }}"),
            "bad character U+FFFD '\u{fffd}'"
        );
        assert_eq!(
            lex_all_bytes_last(b"{{ x\xc3 }}"),
            "bad character U+FFFD '\u{fffd}'"
        );
        assert_eq!(
            lex_all_bytes_last(b"{{ \"ab\xff"),
            "unterminated quoted string"
        );
        assert_eq!(
            lex_all_bytes_last(b"{{ `ab\xff"),
            "unterminated raw quoted string"
        );
        assert_eq!(lex_all_bytes_last(b"{{/* \xff"), "unclosed comment");
        // A valid character after an invalid prefix byte is still read whole.
        assert_eq!(
            lex_all_bytes_last(b"{{ .x\xe2\x80\x83 }}"),
            "bad character U+2003"
        );
    }

    fn lex_all_bytes_last(s: &[u8]) -> String {
        let v = lex_bytes(s);
        String::from_utf8_lossy(&v.last().unwrap().1).into_owned()
    }

    #[test]
    fn describe() {
        let i = Item {
            typ: ItemType::Text,
            pos: 0,
            val: Cow::Borrowed(b"hello world!"),
            line: 1,
        };
        assert_eq!(i.describe(), "\"hello worl\"...");
        let i = Item {
            typ: ItemType::End,
            pos: 0,
            val: Cow::Borrowed(b"end"),
            line: 1,
        };
        assert_eq!(i.describe(), "<end>");
    }
}
