//! libyaml's parser state machine (as in go-yaml v2): tokens to events.

use crate::scanner::{ErrorKind, Mark, ScalarStyle, Scanner, SyntaxError, TokenKind};

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    Scalar {
        anchor: Option<String>,
        tag: String,
        value: String,
        style: ScalarStyle,
        /// Plain and untagged (or tagged `!`): go-yaml resolves it.
        plain_implicit: bool,
    },
    SequenceStart {
        anchor: Option<String>,
        tag: String,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
        tag: String,
    },
    MappingEnd,
}

#[derive(Clone, Debug)]
pub struct Event {
    pub kind: EventKind,
    /// Where the event starts (kept for diagnostics).
    #[allow(dead_code)]
    pub start: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    ImplicitDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    BlockNode,
    BlockSequenceFirstEntry,
    BlockSequenceEntry,
    IndentlessSequenceEntry,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingValue,
    FlowSequenceFirstEntry,
    FlowSequenceEntry,
    FlowSequenceEntryMappingKey,
    FlowSequenceEntryMappingValue,
    FlowSequenceEntryMappingEnd,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingValue,
    FlowMappingEmptyValue,
    End,
}

pub struct Parser {
    scanner: Scanner,
    state: State,
    states: Vec<State>,
    marks: Vec<Mark>,
    tag_directives: Vec<(String, String)>,
    error: Option<SyntaxError>,
}

type PResult<T> = Result<T, SyntaxError>;

fn perr<T>(problem: &str, context_mark: Mark, problem_mark: Mark) -> PResult<T> {
    Err(SyntaxError {
        kind: ErrorKind::Parser,
        problem: problem.to_string(),
        problem_mark,
        context_mark,
    })
}

impl Parser {
    pub fn new(src: &str) -> Parser {
        Parser {
            scanner: Scanner::new(src),
            state: State::StreamStart,
            states: Vec::new(),
            marks: Vec::new(),
            tag_directives: Vec::new(),
            error: None,
        }
    }

    /// The next event; after an error every call returns the same error.
    pub fn next_event(&mut self) -> PResult<Event> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.state == State::End {
            return Ok(Event {
                kind: EventKind::StreamEnd,
                start: Mark::default(),
            });
        }
        match self.state_machine() {
            Ok(ev) => Ok(ev),
            Err(e) => {
                self.error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// The next token's kind and marks. A scalar's text is left in the scanner (the kind
    /// carries an empty string): only `parse_node` reads it, with `take_scalar_text`, as it
    /// consumes the token; copying every scalar at every peek was a large part of parsing.
    fn peek_kind(&mut self) -> PResult<(TokenKind, Mark, Mark)> {
        let t = self.scanner.peek()?;
        let kind = match &t.kind {
            TokenKind::Scalar(_, style) => TokenKind::Scalar(String::new(), *style),
            other => other.clone(),
        };
        Ok((kind, t.start, t.end))
    }

    fn pop_state(&mut self) -> State {
        self.states.pop().unwrap_or(State::End)
    }

    fn pop_mark(&mut self) -> Mark {
        self.marks.pop().unwrap_or_default()
    }

    fn ev(kind: EventKind, start: Mark) -> PResult<Event> {
        Ok(Event { kind, start })
    }

    fn empty_scalar(mark: Mark) -> PResult<Event> {
        Self::ev(
            EventKind::Scalar {
                anchor: None,
                tag: String::new(),
                value: String::new(),
                style: ScalarStyle::Plain,
                plain_implicit: true,
            },
            mark,
        )
    }

    fn state_machine(&mut self) -> PResult<Event> {
        match self.state {
            State::StreamStart => {
                let (k, s, _) = self.peek_kind()?;
                if k != TokenKind::StreamStart {
                    return perr("did not find expected <stream-start>", Mark::default(), s);
                }
                self.state = State::ImplicitDocumentStart;
                self.scanner.skip_token();
                Self::ev(EventKind::StreamStart, s)
            }
            State::ImplicitDocumentStart => self.document_start(true),
            State::DocumentStart => self.document_start(false),
            State::DocumentContent => {
                let (k, s, _) = self.peek_kind()?;
                if matches!(
                    k,
                    TokenKind::VersionDirective
                        | TokenKind::TagDirective(..)
                        | TokenKind::DocumentStart
                        | TokenKind::DocumentEnd
                        | TokenKind::StreamEnd
                ) {
                    self.state = self.pop_state();
                    Self::empty_scalar(s)
                } else {
                    self.parse_node(true, false)
                }
            }
            State::DocumentEnd => {
                let (k, s, _) = self.peek_kind()?;
                if k == TokenKind::DocumentEnd {
                    self.scanner.skip_token();
                }
                self.tag_directives.clear();
                self.state = State::DocumentStart;
                Self::ev(EventKind::DocumentEnd, s)
            }
            State::BlockNode => self.parse_node(true, false),
            State::BlockSequenceFirstEntry => self.block_sequence_entry(true),
            State::BlockSequenceEntry => self.block_sequence_entry(false),
            State::IndentlessSequenceEntry => self.indentless_sequence_entry(),
            State::BlockMappingFirstKey => self.block_mapping_key(true),
            State::BlockMappingKey => self.block_mapping_key(false),
            State::BlockMappingValue => self.block_mapping_value(),
            State::FlowSequenceFirstEntry => self.flow_sequence_entry(true),
            State::FlowSequenceEntry => self.flow_sequence_entry(false),
            State::FlowSequenceEntryMappingKey => {
                let (k, s, e) = self.peek_kind()?;
                if !matches!(
                    k,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowSequenceEnd
                ) {
                    self.states.push(State::FlowSequenceEntryMappingValue);
                    self.parse_node(false, false)
                } else {
                    let _ = s;
                    // go-yaml v2 consumes the token here (libyaml's old behaviour): the `,`,
                    // `:` or `]` after a bare `?` in a flow sequence is skipped, so `[? : x]`
                    // and `[?]` are errors for Helm.
                    self.scanner.skip_token();
                    self.state = State::FlowSequenceEntryMappingValue;
                    Self::empty_scalar(e)
                }
            }
            State::FlowSequenceEntryMappingValue => {
                let (k, s, _) = self.peek_kind()?;
                if k == TokenKind::Value {
                    self.scanner.skip_token();
                    let (k, s, _) = self.peek_kind()?;
                    if !matches!(k, TokenKind::FlowEntry | TokenKind::FlowSequenceEnd) {
                        self.states.push(State::FlowSequenceEntryMappingEnd);
                        return self.parse_node(false, false);
                    }
                    self.state = State::FlowSequenceEntryMappingEnd;
                    return Self::empty_scalar(s);
                }
                self.state = State::FlowSequenceEntryMappingEnd;
                Self::empty_scalar(s)
            }
            State::FlowSequenceEntryMappingEnd => {
                let (_, s, _) = self.peek_kind()?;
                self.state = State::FlowSequenceEntry;
                Self::ev(EventKind::MappingEnd, s)
            }
            State::FlowMappingFirstKey => self.flow_mapping_key(true),
            State::FlowMappingKey => self.flow_mapping_key(false),
            State::FlowMappingValue => self.flow_mapping_value(false),
            State::FlowMappingEmptyValue => self.flow_mapping_value(true),
            State::End => Self::ev(EventKind::StreamEnd, Mark::default()),
        }
    }

    fn document_start(&mut self, implicit: bool) -> PResult<Event> {
        let (mut k, mut s, _) = self.peek_kind()?;
        if !implicit {
            while k == TokenKind::DocumentEnd {
                self.scanner.skip_token();
                (k, s, _) = self.peek_kind()?;
            }
        }
        if implicit
            && !matches!(
                k,
                TokenKind::VersionDirective
                    | TokenKind::TagDirective(..)
                    | TokenKind::DocumentStart
                    | TokenKind::StreamEnd
            )
        {
            self.tag_directives.clear();
            self.states.push(State::DocumentEnd);
            self.state = State::BlockNode;
            return Self::ev(EventKind::DocumentStart, s);
        }
        if k != TokenKind::StreamEnd {
            // Directives.
            loop {
                match k {
                    TokenKind::VersionDirective => {}
                    TokenKind::TagDirective(h, p) => {
                        if self.tag_directives.iter().any(|(hh, _)| *hh == h) {
                            return perr("found duplicate %TAG directive", Mark::default(), s);
                        }
                        self.tag_directives.push((h, p));
                    }
                    _ => break,
                }
                self.scanner.skip_token();
                (k, s, _) = self.peek_kind()?;
            }
            if k != TokenKind::DocumentStart {
                return perr("did not find expected <document start>", Mark::default(), s);
            }
            self.states.push(State::DocumentEnd);
            self.state = State::DocumentContent;
            self.scanner.skip_token();
            return Self::ev(EventKind::DocumentStart, s);
        }
        self.state = State::End;
        self.scanner.skip_token();
        Self::ev(EventKind::StreamEnd, s)
    }

    fn parse_node(&mut self, block: bool, indentless: bool) -> PResult<Event> {
        let (mut k, mut ts, mut te) = self.peek_kind()?;
        if let TokenKind::Alias(name) = k {
            self.state = self.pop_state();
            self.scanner.skip_token();
            return Self::ev(EventKind::Alias(name), ts);
        }
        let mut start = ts;
        let mut anchor = None;
        let mut tag_hs: Option<(String, String)> = None;
        let mut tag_mark = ts;
        match k.clone() {
            TokenKind::Anchor(a) => {
                anchor = Some(a);
                self.scanner.skip_token();
                (k, ts, te) = self.peek_kind()?;
                if let TokenKind::Tag(h, sfx) = k.clone() {
                    tag_hs = Some((h, sfx));
                    tag_mark = ts;
                    self.scanner.skip_token();
                    (k, ts, te) = self.peek_kind()?;
                }
            }
            TokenKind::Tag(h, sfx) => {
                tag_hs = Some((h, sfx));
                tag_mark = ts;
                start = ts;
                self.scanner.skip_token();
                (k, ts, te) = self.peek_kind()?;
                if let TokenKind::Anchor(a) = k.clone() {
                    anchor = Some(a);
                    self.scanner.skip_token();
                    (k, ts, te) = self.peek_kind()?;
                }
            }
            _ => {}
        }
        let _ = te;
        let mut tag = String::new();
        if let Some((h, sfx)) = tag_hs {
            if h.is_empty() {
                tag = sfx;
            } else {
                let prefix = self
                    .tag_directives
                    .iter()
                    .find(|(hh, _)| *hh == h)
                    .map(|(_, p)| p.clone())
                    .or_else(|| match h.as_str() {
                        "!" => Some("!".to_string()),
                        "!!" => Some("tag:yaml.org,2002:".to_string()),
                        _ => None,
                    });
                match prefix {
                    Some(p) => tag = format!("{p}{sfx}"),
                    None => return perr("found undefined tag handle", start, tag_mark),
                }
            }
        }
        if indentless && k == TokenKind::BlockEntry {
            self.state = State::IndentlessSequenceEntry;
            return Self::ev(EventKind::SequenceStart { anchor, tag }, start);
        }
        match k {
            TokenKind::Scalar(_, style) => {
                let plain_implicit = (style == ScalarStyle::Plain && tag.is_empty()) || tag == "!";
                self.state = self.pop_state();
                let value = self.scanner.take_scalar_text();
                self.scanner.skip_token();
                Self::ev(
                    EventKind::Scalar {
                        anchor,
                        tag,
                        value,
                        style,
                        plain_implicit,
                    },
                    start,
                )
            }
            TokenKind::FlowSequenceStart => {
                self.state = State::FlowSequenceFirstEntry;
                Self::ev(EventKind::SequenceStart { anchor, tag }, start)
            }
            TokenKind::FlowMappingStart => {
                self.state = State::FlowMappingFirstKey;
                Self::ev(EventKind::MappingStart { anchor, tag }, start)
            }
            TokenKind::BlockSequenceStart if block => {
                self.state = State::BlockSequenceFirstEntry;
                Self::ev(EventKind::SequenceStart { anchor, tag }, start)
            }
            TokenKind::BlockMappingStart if block => {
                self.state = State::BlockMappingFirstKey;
                Self::ev(EventKind::MappingStart { anchor, tag }, start)
            }
            _ if anchor.is_some() || !tag.is_empty() => {
                self.state = self.pop_state();
                let plain_implicit = tag.is_empty() || tag == "!";
                Self::ev(
                    EventKind::Scalar {
                        anchor,
                        tag,
                        value: String::new(),
                        style: ScalarStyle::Plain,
                        plain_implicit,
                    },
                    start,
                )
            }
            _ => perr("did not find expected node content", start, ts),
        }
    }

    fn block_sequence_entry(&mut self, first: bool) -> PResult<Event> {
        if first {
            let (_, s, _) = self.peek_kind()?;
            self.marks.push(s);
            self.scanner.skip_token();
        }
        let (k, s, e) = self.peek_kind()?;
        if k == TokenKind::BlockEntry {
            self.scanner.skip_token();
            let (k2, _, _) = self.peek_kind()?;
            if !matches!(k2, TokenKind::BlockEntry | TokenKind::BlockEnd) {
                self.states.push(State::BlockSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::BlockSequenceEntry;
            return Self::empty_scalar(e);
        }
        if k == TokenKind::BlockEnd {
            self.state = self.pop_state();
            self.pop_mark();
            self.scanner.skip_token();
            return Self::ev(EventKind::SequenceEnd, s);
        }
        let m = self.pop_mark();
        perr("did not find expected '-' indicator", m, s)
    }

    fn indentless_sequence_entry(&mut self) -> PResult<Event> {
        let (k, s, e) = self.peek_kind()?;
        if k == TokenKind::BlockEntry {
            self.scanner.skip_token();
            let (k2, _, _) = self.peek_kind()?;
            if !matches!(
                k2,
                TokenKind::BlockEntry | TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd
            ) {
                self.states.push(State::IndentlessSequenceEntry);
                return self.parse_node(true, false);
            }
            self.state = State::IndentlessSequenceEntry;
            return Self::empty_scalar(e);
        }
        self.state = self.pop_state();
        Self::ev(EventKind::SequenceEnd, s)
    }

    fn block_mapping_key(&mut self, first: bool) -> PResult<Event> {
        if first {
            let (_, s, _) = self.peek_kind()?;
            self.marks.push(s);
            self.scanner.skip_token();
        }
        let (k, s, e) = self.peek_kind()?;
        if k == TokenKind::Key {
            self.scanner.skip_token();
            let (k2, _, _) = self.peek_kind()?;
            if !matches!(k2, TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd) {
                self.states.push(State::BlockMappingValue);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingValue;
            return Self::empty_scalar(e);
        }
        if k == TokenKind::BlockEnd {
            self.state = self.pop_state();
            self.pop_mark();
            self.scanner.skip_token();
            return Self::ev(EventKind::MappingEnd, s);
        }
        let m = self.pop_mark();
        perr("did not find expected key", m, s)
    }

    fn block_mapping_value(&mut self) -> PResult<Event> {
        let (k, s, e) = self.peek_kind()?;
        if k == TokenKind::Value {
            self.scanner.skip_token();
            let (k2, _, _) = self.peek_kind()?;
            if !matches!(k2, TokenKind::Key | TokenKind::Value | TokenKind::BlockEnd) {
                self.states.push(State::BlockMappingKey);
                return self.parse_node(true, true);
            }
            self.state = State::BlockMappingKey;
            return Self::empty_scalar(e);
        }
        self.state = State::BlockMappingKey;
        Self::empty_scalar(s)
    }

    fn flow_sequence_entry(&mut self, first: bool) -> PResult<Event> {
        if first {
            let (_, s, _) = self.peek_kind()?;
            self.marks.push(s);
            self.scanner.skip_token();
        }
        let (mut k, mut s, _) = self.peek_kind()?;
        if k != TokenKind::FlowSequenceEnd {
            if !first {
                if k == TokenKind::FlowEntry {
                    self.scanner.skip_token();
                    (k, s, _) = self.peek_kind()?;
                } else {
                    let m = self.pop_mark();
                    return perr("did not find expected ',' or ']'", m, s);
                }
            }
            if k == TokenKind::Key {
                self.state = State::FlowSequenceEntryMappingKey;
                self.scanner.skip_token();
                return Self::ev(
                    EventKind::MappingStart {
                        anchor: None,
                        tag: String::new(),
                    },
                    s,
                );
            } else if k != TokenKind::FlowSequenceEnd {
                self.states.push(State::FlowSequenceEntry);
                return self.parse_node(false, false);
            }
        }
        self.state = self.pop_state();
        self.pop_mark();
        self.scanner.skip_token();
        Self::ev(EventKind::SequenceEnd, s)
    }

    fn flow_mapping_key(&mut self, first: bool) -> PResult<Event> {
        if first {
            let (_, s, _) = self.peek_kind()?;
            self.marks.push(s);
            self.scanner.skip_token();
        }
        let (mut k, mut s, _) = self.peek_kind()?;
        if k != TokenKind::FlowMappingEnd {
            if !first {
                if k == TokenKind::FlowEntry {
                    self.scanner.skip_token();
                    (k, s, _) = self.peek_kind()?;
                } else {
                    let m = self.pop_mark();
                    return perr("did not find expected ',' or '}'", m, s);
                }
            }
            if k == TokenKind::Key {
                self.scanner.skip_token();
                let (k2, s2, _) = self.peek_kind()?;
                if !matches!(
                    k2,
                    TokenKind::Value | TokenKind::FlowEntry | TokenKind::FlowMappingEnd
                ) {
                    self.states.push(State::FlowMappingValue);
                    return self.parse_node(false, false);
                }
                self.state = State::FlowMappingValue;
                return Self::empty_scalar(s2);
            } else if k != TokenKind::FlowMappingEnd {
                self.states.push(State::FlowMappingEmptyValue);
                return self.parse_node(false, false);
            }
        }
        self.state = self.pop_state();
        self.pop_mark();
        self.scanner.skip_token();
        Self::ev(EventKind::MappingEnd, s)
    }

    fn flow_mapping_value(&mut self, empty: bool) -> PResult<Event> {
        let (k, s, _) = self.peek_kind()?;
        if empty {
            self.state = State::FlowMappingKey;
            return Self::empty_scalar(s);
        }
        if k == TokenKind::Value {
            self.scanner.skip_token();
            let (k2, s2, _) = self.peek_kind()?;
            if !matches!(k2, TokenKind::FlowEntry | TokenKind::FlowMappingEnd) {
                self.states.push(State::FlowMappingKey);
                return self.parse_node(false, false);
            }
            self.state = State::FlowMappingKey;
            return Self::empty_scalar(s2);
        }
        self.state = State::FlowMappingKey;
        Self::empty_scalar(s)
    }
}
