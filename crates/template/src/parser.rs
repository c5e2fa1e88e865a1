//! The parser: Go's `text/template/parse` recursive descent, with the same three-token
//! lookahead (so error line numbers match), the same checks and the same error texts.

use std::rc::Rc;

use crate::ast::*;
use crate::error::{Error, ErrorKind};
use crate::gostr::Str;
use crate::lexer::{Item, ItemType, Lexer};
use crate::util::{parse_go_float, parse_go_int, parse_go_uint, unquote, unquote_char};

/// Deepest nesting of parenthesized pipelines (Go allows 10000, 1000 on wasm; we keep the
/// Rust stack small for wasm and test threads).
pub const MAX_PAREN_DEPTH: usize = 150;
/// Deepest nesting of `if`/`range`/`with`/`block` (Go has no limit; ours protects the stack).
pub const MAX_NESTING: usize = 200;

/// A successful parse: the top-level tree plus every `define`/`block`, in order.
pub(crate) struct Parsed {
    pub trees: Vec<Template>,
}

struct Buf<'s> {
    token: [Item<'s>; 3],
    peek_count: usize,
}

fn eof_item<'s>() -> Item<'s> {
    Item {
        typ: ItemType::Eof,
        pos: 0,
        val: std::borrow::Cow::Borrowed(b""),
        line: 0,
    }
}

impl<'s> Buf<'s> {
    fn new() -> Buf<'s> {
        Buf {
            token: [eof_item(), eof_item(), eof_item()],
            peek_count: 0,
        }
    }
}

enum End {
    End,
    Else(usize),
}

impl End {
    fn describe(&self) -> &'static str {
        match self {
            End::End => "{{end}}",
            End::Else(_) => "{{else}}",
        }
    }
}

enum Parsed1 {
    Node(Node),
    End(End),
}

struct Parser<'s, 'f> {
    lex: Lexer<'s>,
    buf: Buf<'s>,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    paren_depth: usize,
    nesting: usize,
    parse_name: Rc<str>,
    source: Rc<Source>,
    /// The source as text when it is valid UTF-8 (nearly always): text nodes are then cut from
    /// it without a second check.
    utf8: Option<&'s str>,
    has_func: &'f dyn Fn(&str) -> bool,
    trees: Vec<Template>,
}

type PResult<T> = Result<T, Box<Error>>;

/// A template's source: its bytes (a Go string, which need not be UTF-8), and the same as
/// text when the caller knows it is valid UTF-8.
#[derive(Clone, Copy)]
pub(crate) struct Input<'s> {
    bytes: &'s [u8],
    utf8: Option<&'s str>,
}

impl<'s> Input<'s> {
    /// Text known to be UTF-8 (no check).
    pub fn text(s: &'s str) -> Input<'s> {
        Input {
            bytes: s.as_bytes(),
            utf8: Some(s),
        }
    }

    /// Bytes: one UTF-8 check, so that the common case keeps its fast path.
    pub fn bytes(b: &'s [u8]) -> Input<'s> {
        Input {
            bytes: b,
            utf8: std::str::from_utf8(b).ok(),
        }
    }
}

/// Parses `text` as template `name` (Go's `parse.Parse` with the default delimiters).
pub(crate) fn parse(
    name: &str,
    text: Input<'_>,
    has_func: &dyn Fn(&str) -> bool,
) -> Result<Parsed, Error> {
    let parse_name: Rc<str> = Rc::from(name);
    let source = Rc::new(Source::new(parse_name.clone(), Rc::from(text.bytes)));
    let mut lex = Lexer::new(text.bytes);
    lex.break_ok = !has_func("break");
    lex.continue_ok = !has_func("continue");
    let mut p = Parser {
        lex,
        buf: Buf::new(),
        vars: vec!["$".into()],
        action_line: 0,
        range_depth: 0,
        paren_depth: 0,
        nesting: 0,
        parse_name: parse_name.clone(),
        source,
        utf8: text.utf8,
        has_func,
        trees: Vec::new(),
    };
    match p.parse_top(parse_name) {
        Ok(()) => Ok(Parsed { trees: p.trees }),
        Err(e) => Err(*e),
    }
}

impl<'s, 'f> Parser<'s, 'f> {
    fn next(&mut self) -> Item<'s> {
        if self.buf.peek_count > 0 {
            self.buf.peek_count -= 1;
        } else {
            self.buf.token[0] = self.lex.next_item();
        }
        self.buf.token[self.buf.peek_count].clone()
    }

    fn next_type(&mut self) -> ItemType {
        if self.buf.peek_count > 0 {
            self.buf.peek_count -= 1;
        } else {
            self.buf.token[0] = self.lex.next_item();
        }
        self.buf.token[self.buf.peek_count].typ
    }

    fn backup(&mut self) {
        self.buf.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'s>) {
        self.buf.token[1] = t1;
        self.buf.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'s>, t1: Item<'s>) {
        self.buf.token[1] = t1;
        self.buf.token[2] = t2;
        self.buf.peek_count = 3;
    }

    fn peek(&mut self) -> &Item<'s> {
        if self.buf.peek_count > 0 {
            return &self.buf.token[self.buf.peek_count - 1];
        }
        self.buf.peek_count = 1;
        self.buf.token[0] = self.lex.next_item();
        &self.buf.token[0]
    }

    fn next_non_space(&mut self) -> Item<'s> {
        loop {
            if self.next_type() != ItemType::Space {
                break;
            }
        }
        self.buf.token[self.buf.peek_count].clone()
    }

    fn next_non_space_type(&mut self) -> ItemType {
        loop {
            let t = self.next_type();
            if t != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'s> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn peek_non_space_type(&mut self) -> (ItemType, usize) {
        self.next_non_space_type();
        self.backup();
        let t = &self.buf.token[self.buf.peek_count - 1];
        (t.typ, t.pos)
    }

    /// An item's bytes (text, a literal as written) as a string, cut from the UTF-8 source
    /// without a check when the source is valid UTF-8.
    fn item_str(&self, t: &Item<'s>) -> Str {
        match self.source_text(t) {
            Some(s) => Str::from(s),
            None => Str::from_bytes(&t.val),
        }
    }

    /// The item's text cut from the source when the source is UTF-8 (so no check is needed).
    fn source_text(&self, t: &Item<'s>) -> Option<&'s str> {
        match &t.val {
            std::borrow::Cow::Borrowed(b) => self.utf8?.get(t.pos..t.pos + b.len()),
            std::borrow::Cow::Owned(_) => None,
        }
    }

    /// An identifier, field, variable or number item as text. The lexer only puts characters
    /// it decoded into these, so they are UTF-8; cut from the UTF-8 source when there is one
    /// (no check, no copy).
    fn word<'t>(&self, t: &'t Item<'s>) -> std::borrow::Cow<'t, str> {
        match self.source_text(t) {
            Some(w) => std::borrow::Cow::Borrowed(w),
            None => t.text(),
        }
    }

    fn errorf(&self, msg: impl Into<String>) -> Box<Error> {
        let line = self.buf.token[0].line;
        let msg = msg.into();
        Box::new(Error {
            kind: ErrorKind::Parse,
            name: Some(self.parse_name.to_string()),
            line: Some(line),
            col: None,
            message: format!("template: {}:{}: {}", self.parse_name, line, msg),
        })
    }

    fn unexpected(&self, token: &Item<'_>, context: &str) -> Box<Error> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.action_line
                );
                if token.val.ends_with(b" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", token.describe(), extra));
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item<'s>> {
        let t = self.next_non_space();
        if t.typ != expected {
            return Err(self.unexpected(&t, context));
        }
        Ok(t)
    }

    /// Runs `f` as a fresh Go `Tree` sharing the lexer: its own token buffer, variables,
    /// range depth and action line.
    fn sub_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved_buf = std::mem::replace(&mut self.buf, Buf::new());
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let saved_action = std::mem::replace(&mut self.action_line, 0);
        let saved_paren = std::mem::replace(&mut self.paren_depth, 0);
        let r = f(self);
        self.buf = saved_buf;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        self.action_line = saved_action;
        self.paren_depth = saved_paren;
        r
    }

    /// Adds a finished tree (Go's `Tree.add` into the parse's tree set).
    fn add(&mut self, t: Template) -> PResult<()> {
        if let Some(i) = self.trees.iter().position(|x| x.name == t.name) {
            if is_empty_list(&self.trees[i].root) {
                self.trees[i] = t;
                return Ok(());
            }
            if !is_empty_list(&t.root) {
                return Err(self.errorf(format!(
                    "template: multiple definition of template {}",
                    crate::util::go_quote(&t.name)
                )));
            }
            return Ok(());
        }
        self.trees.push(t);
        Ok(())
    }

    fn parse_top(&mut self, name: Rc<str>) -> PResult<()> {
        let pos = self.peek().pos;
        let mut root = List {
            pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space_type() == ItemType::Define {
                    self.sub_tree(|p| p.parse_definition())?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed1::End(e) => {
                    return Err(self.errorf(format!("unexpected {}", e.describe())));
                }
                Parsed1::Node(n) => root.nodes.push(n),
            }
        }
        let t = Template {
            name,
            source: self.source.clone(),
            root,
        };
        self.add(t)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let name = self.next_non_space();
        if name.typ != ItemType::String && name.typ != ItemType::RawString {
            return Err(self.unexpected(&name, CONTEXT));
        }
        let tname = match unquote(&name.val) {
            // Template names are Rust strings: a name with invalid UTF-8 reads lossily.
            Some(s) => String::from_utf8_lossy(&s).into_owned(),
            None => return Err(self.errorf("invalid syntax")),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (list, end) = self.item_list()?;
        if let End::Else(_) = end {
            return Err(self.errorf(format!("unexpected {} in {}", end.describe(), CONTEXT)));
        }
        self.add(Template {
            name: Rc::from(tname),
            source: self.source.clone(),
            root: list,
        })
    }

    fn item_list(&mut self) -> PResult<(List, End)> {
        let (_, pos) = self.peek_non_space_type();
        let mut list = List {
            pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space_type().0 != ItemType::Eof {
            match self.text_or_action()? {
                Parsed1::End(e) => return Ok((list, e)),
                Parsed1::Node(n) => list.nodes.push(n),
            }
        }
        Err(self.errorf("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Parsed1> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed1::Node(Node::Text {
                pos: token.pos,
                text: self.item_str(&token),
            })),
            ItemType::LeftDelim => {
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed1> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Parsed1::Node),
            ItemType::Break | ItemType::Continue => {
                let what = if token.typ == ItemType::Break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let t = self.next_non_space();
                if t.typ != ItemType::RightDelim {
                    return Err(self.unexpected(&t, what));
                }
                if self.range_depth == 0 {
                    return Err(self.errorf(format!("{what} outside {{{{range}}}}")));
                }
                return Ok(Parsed1::Node(if token.typ == ItemType::Break {
                    Node::Break { pos: token.pos }
                } else {
                    Node::Continue { pos: token.pos }
                }));
            }
            ItemType::Else => return self.else_control().map(Parsed1::End),
            ItemType::End => {
                let t = self.expect(ItemType::RightDelim, "end")?;
                let _ = t;
                return Ok(Parsed1::End(End::End));
            }
            ItemType::If => return self.control("if").map(Parsed1::Node),
            ItemType::Range => return self.control("range").map(Parsed1::Node),
            ItemType::Template => return self.template_control().map(Parsed1::Node),
            ItemType::With => return self.control("with").map(Parsed1::Node),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed1::Node(Node::Action { pos, pipe }))
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let (_, pos) = self.peek_non_space_type();
        let mut pipe = Pipe {
            pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            let token_after = self.peek().clone();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                let name = self.word(&v);
                pipe.decl.push(Rc::from(&*name));
                self.vars.push(name.into_owned());
            } else if next.typ == ItemType::Char && *next.val == *b"," {
                self.next_non_space();
                let name = self.word(&v);
                pipe.decl.push(Rc::from(&*name));
                self.vars.push(name.into_owned());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space_type().0 {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue 'decls;
                        }
                        _ => return Err(self.errorf("range can only initialize variables")),
                    }
                }
                return Err(self.errorf(format!("too many declarations in {context}")));
            } else if token_after.typ == ItemType::Space {
                self.backup3(v, token_after);
            } else {
                self.backup2(v);
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return Err(self.unexpected(&token, context)),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(
                    Arg::Bool { .. }
                        | Arg::Dot { .. }
                        | Arg::Nil { .. }
                        | Arg::Number(_)
                        | Arg::String { .. }
                )
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    fn control(&mut self, context: &'static str) -> PResult<Node> {
        if self.nesting >= MAX_NESTING {
            return Err(self.errorf("max nesting depth exceeded"));
        }
        self.nesting += 1;
        let mark = self.vars.len();
        let r = self.parse_control(context);
        self.vars.truncate(mark);
        self.nesting -= 1;
        let b = Box::new(r?);
        Ok(match context {
            "if" => Node::If(b),
            "range" => Node::Range(b),
            _ => Node::With(b),
        })
    }

    fn parse_control(&mut self, context: &'static str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        if let End::Else(else_pos) = next {
            let pt = self.peek().typ;
            if context == "if" && pt == ItemType::If {
                self.next();
                let n = self.control("if")?;
                else_list = Some(List {
                    pos: else_pos,
                    nodes: vec![n],
                });
            } else if context == "with" && pt == ItemType::With {
                self.next();
                let n = self.control("with")?;
                else_list = Some(List {
                    pos: else_pos,
                    nodes: vec![n],
                });
            } else {
                let (el, next) = self.item_list()?;
                if let End::Else(_) = next {
                    return Err(self.errorf(format!("expected end; found {}", next.describe())));
                }
                else_list = Some(el);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list,
            else_list,
        })
    }

    fn else_control(&mut self) -> PResult<End> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If || peek.typ == ItemType::With {
            return Ok(End::Else(peek.pos));
        }
        let t = self.expect(ItemType::RightDelim, "else")?;
        Ok(End::Else(t.pos))
    }

    fn block_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        if self.nesting >= MAX_NESTING {
            return Err(self.errorf("max nesting depth exceeded"));
        }
        self.nesting += 1;
        let r = self.sub_tree(|p| p.item_list());
        self.nesting -= 1;
        let (list, end) = r?;
        if let End::Else(_) = end {
            return Err(self.errorf(format!("unexpected {} in {}", end.describe(), CONTEXT)));
        }
        let name: Rc<str> = Rc::from(name);
        let t = Template {
            name: name.clone(),
            source: self.source.clone(),
            root: list,
        };
        self.add(t)?;
        Ok(Node::Template(Box::new(TemplateCall {
            pos: token.pos,
            name,
            pipe: Some(pipe),
        })))
    }

    fn template_control(&mut self) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space_type() != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
        }
        Ok(Node::Template(Box::new(TemplateCall {
            pos: token.pos,
            name: Rc::from(name),
            pipe,
        })))
    }

    fn parse_template_name(&self, token: &Item<'_>, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Some(s) => Ok(String::from_utf8_lossy(&s).into_owned()),
                None => Err(self.errorf("invalid syntax")),
            },
            _ => Err(self.unexpected(token, context)),
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let (_, pos) = self.peek_non_space_type();
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space_type();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return Err(self.unexpected(&token, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.errorf("empty command"));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let node = match self.term()? {
            Some(n) => n,
            None => return Ok(None),
        };
        if self.peek().typ == ItemType::Field {
            let chain_pos = self.peek().pos;
            let mut fields: Vec<Rc<str>> = Vec::new();
            while self.peek().typ == ItemType::Field {
                let f = self.next();
                fields.push(Rc::from(self.word(&f).get(1..).unwrap_or_default()));
            }
            return Ok(Some(match node {
                Arg::Field { idents, .. } => {
                    let mut v = idents.into_vec();
                    v.extend(fields);
                    Arg::Field {
                        pos: chain_pos,
                        idents: v.into_boxed_slice(),
                    }
                }
                Arg::Variable { idents, .. } => {
                    let mut v = idents.into_vec();
                    v.extend(fields);
                    Arg::Variable {
                        pos: chain_pos,
                        idents: v.into_boxed_slice(),
                    }
                }
                Arg::Bool { .. }
                | Arg::String { .. }
                | Arg::Number(_)
                | Arg::Nil { .. }
                | Arg::Dot { .. } => {
                    // %q of the term's String(): a string literal as written, any bytes.
                    let term = match &node {
                        Arg::String { quoted, .. } => quoted.clone(),
                        other => Str::from(other.to_string()),
                    };
                    return Err(self.errorf(format!(
                        "unexpected . after term {}",
                        crate::fmt::quote_bytes(term.as_bytes())
                    )));
                }
                other => Arg::Chain {
                    pos: chain_pos,
                    node: Box::new(other),
                    fields: fields.into_boxed_slice(),
                },
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                let name = self.word(&token);
                if !(self.has_func)(&name) {
                    return Err(self.errorf(format!(
                        "function {} not defined",
                        crate::util::go_quote(&name)
                    )));
                }
                Arg::Identifier {
                    pos: token.pos,
                    name: Rc::from(&*name),
                }
            }
            ItemType::Dot => Arg::Dot { pos: token.pos },
            ItemType::Nil => Arg::Nil { pos: token.pos },
            ItemType::Variable => {
                let idents: Vec<Rc<str>> = self.word(&token).split('.').map(Rc::from).collect();
                if !self.vars.iter().any(|v| *v == *idents[0]) {
                    return Err(self.errorf(format!(
                        "undefined variable {}",
                        crate::util::go_quote(&idents[0])
                    )));
                }
                Arg::Variable {
                    pos: token.pos,
                    idents: idents.into_boxed_slice(),
                }
            }
            ItemType::Field => Arg::Field {
                pos: token.pos,
                idents: self
                    .word(&token)
                    .get(1..)
                    .unwrap_or_default()
                    .split('.')
                    .map(Rc::from)
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            },
            ItemType::Bool => Arg::Bool {
                pos: token.pos,
                val: *token.val == *b"true",
            },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(token.pos, &token.val, token.typ) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(e) => return Err(self.errorf(e)),
                }
            }
            ItemType::LeftParen => {
                if self.paren_depth >= MAX_PAREN_DEPTH {
                    return Err(self.errorf("max expression depth exceeded"));
                }
                self.paren_depth += 1;
                let r = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.paren_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Some(s) => Arg::String {
                    pos: token.pos,
                    quoted: self.item_str(&token),
                    text: Str::from_vec(s),
                },
                None => return Err(self.errorf("invalid syntax")),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// `fmt.Sscan` of a lexed complex constant `REAL±IMAGi` (how Go's parser reads it), with its
/// error texts: the float tokens are scanned as fmt does (so `0b1+1i` is a syntax error),
/// then converted by `strconv.ParseFloat`.
fn scan_complex(text: &str) -> Result<(f64, f64), String> {
    const ERR_COMPLEX: &str = "syntax error scanning complex number";
    let b = text.as_bytes();
    let mut i = 0;
    let real = float_token(b, &mut i);
    if !accept(b, &mut i, b"+-") {
        return Err(ERR_COMPLEX.into());
    }
    let sign_at = i - 1;
    let imag_end = {
        float_token(b, &mut i);
        i
    };
    if !accept(b, &mut i, b"i") {
        return Err(ERR_COMPLEX.into());
    }
    let re = parse_float_token(&text[real])?;
    let im = parse_float_token(&text[sign_at..imag_end])?;
    Ok((re, im))
}

fn accept(b: &[u8], i: &mut usize, set: &[u8]) -> bool {
    if *i < b.len() && set.contains(&b[*i]) {
        *i += 1;
        true
    } else {
        false
    }
}

/// fmt's `floatToken`: the byte range of a float starting at `i` (NaN, Inf, decimal or hex
/// with underscores, fraction, exponent).
fn float_token(b: &[u8], i: &mut usize) -> std::ops::Range<usize> {
    let start = *i;
    if accept(b, i, b"nN") && accept(b, i, b"aA") && accept(b, i, b"nN") {
        return start..*i;
    }
    accept(b, i, b"+-");
    if accept(b, i, b"iI") && accept(b, i, b"nN") && accept(b, i, b"fF") {
        return start..*i;
    }
    let mut digits: &[u8] = b"0123456789_";
    let mut exp: &[u8] = b"eEpP";
    if accept(b, i, b"0") && accept(b, i, b"xX") {
        digits = b"0123456789aAbBcCdDeEfF_";
        exp = b"pP";
    }
    while accept(b, i, digits) {}
    if accept(b, i, b".") {
        while accept(b, i, digits) {}
    }
    if accept(b, i, exp) {
        accept(b, i, b"+-");
        while accept(b, i, b"0123456789_") {}
    }
    start..*i
}

/// `strconv.ParseFloat` with the text of its error (as fmt reports it).
fn parse_float_token(s: &str) -> Result<f64, String> {
    match parse_go_float(s) {
        Some(f) => Ok(f),
        None => {
            let clean: String = s.chars().filter(|&c| c != '_').collect();
            match clean.parse::<f64>() {
                Ok(f) if f.is_infinite() => Err("value out of range".into()),
                _ => Err("invalid syntax".into()),
            }
        }
    }
}

/// Go's `simplifyComplex`: a complex constant with no imaginary part is also a float (and an
/// integer when it is integral), so it can be passed to float and int parameters.
fn simplify_complex(n: &mut Number) {
    let (re, im) = n.complex;
    n.is_float = im == 0.0;
    if n.is_float {
        n.float = re;
        n.is_int = re.fract() == 0.0 && re.abs() < 9.2e18;
        if n.is_int {
            n.int = re as i64;
        }
        n.is_uint = re >= 0.0 && re.fract() == 0.0 && re < 1.8e19;
        if n.is_uint {
            n.uint = re as u64;
        }
    }
}

/// Go's `newNumber`: the value under every type that can represent it.
fn new_number(pos: usize, raw: &[u8], typ: ItemType) -> Result<Number, String> {
    // Numbers are ASCII; a character constant may hold any bytes (`'\xff'` written raw).
    let text = &*String::from_utf8_lossy(raw);
    let mut n = Number {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int: 0,
        uint: 0,
        float: 0.0,
        complex: (0.0, 0.0),
        text: text.into(),
    };
    match typ {
        ItemType::CharConstant => {
            let (c, tail) =
                unquote_char(raw.get(1..).unwrap_or_default(), b'\'').ok_or("invalid syntax")?;
            if tail != b"'" {
                return Err(format!("malformed character constant: {text}"));
            }
            let c = c.rune();
            n.int = i64::from(c);
            n.is_int = true;
            n.uint = u64::from(c);
            n.is_uint = true;
            n.float = f64::from(c);
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            // `REAL±IMAGi`, as fmt.Sscan reads it.
            let (re, im) = scan_complex(text)?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    // Imaginary constants can only be complex unless they are zero.
    if let Some(imag) = text.strip_suffix('i') {
        if let Some(f) = parse_go_float(imag) {
            n.is_complex = true;
            n.complex = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = parse_go_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = parse_go_int(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", crate::util::go_quote(text)));
        }
        n.is_float = true;
        n.float = f;
        if !n.is_int && (f as i64) as f64 == f && f.fract() == 0.0 && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.85e19 {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!(
            "illegal number syntax: {}",
            crate::util::go_quote(text)
        ));
    }
    Ok(n)
}
