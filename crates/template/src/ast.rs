//! The parse tree, shaped like Go's `text/template/parse` nodes. `Display` of each node is
//! Go's `Node.String()`, which execution errors quote as their context (`at <...>`).

use std::fmt::{self, Write};
use std::rc::Rc;

use crate::fmt::quote_bytes;
use crate::gostr::Str;
use crate::util::go_quote;

/// The text a tree was parsed from (its bytes, UTF-8 or not) and the name it was parsed under
/// (Go's `ParseName`): execution errors locate nodes against it.
#[derive(Debug)]
pub struct Source {
    pub parse_name: Rc<str>,
    pub text: Rc<[u8]>,
    /// Offsets where lines start, built when provenance first asks for a line.
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl Source {
    pub fn new(parse_name: Rc<str>, text: Rc<[u8]>) -> Source {
        Source {
            parse_name,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// Offsets of the first byte of each line (0 first).
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    self.text
                        .iter()
                        .enumerate()
                        .filter(|&(_, &b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        })
    }
}

/// One named template: its tree and where it came from.
#[derive(Debug)]
pub struct Template {
    pub name: Rc<str>,
    pub source: Rc<Source>,
    pub root: List,
}

#[derive(Debug, Default)]
pub struct List {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
    /// Text between actions, byte for byte as in the source (Go prints it verbatim).
    Text {
        pos: usize,
        text: Str,
    },
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template(Box<TemplateCall>),
    Break {
        pos: usize,
    },
    Continue {
        pos: usize,
    },
}

#[derive(Debug)]
pub struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug)]
pub struct TemplateCall {
    pub pos: usize,
    pub name: Rc<str>,
    pub pipe: Option<Pipe>,
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    /// Declared or assigned variables (each a `$name`, possibly with fields in odd input).
    pub decl: Vec<Rc<str>>,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug)]
pub struct Number {
    pub pos: usize,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
    /// The value of a complex constant (`1i`, `1+2i`), when `is_complex`.
    pub complex: (f64, f64),
    pub text: Box<str>,
}

/// An operand of a command.
#[derive(Debug)]
pub enum Arg {
    /// `.A.B`: the identifiers without dots.
    Field {
        pos: usize,
        idents: Box<[Rc<str>]>,
    },
    /// `$x.A.B`: `$x` then the fields.
    Variable {
        pos: usize,
        idents: Box<[Rc<str>]>,
    },
    /// `(pipe).A.B` or `fn.A`.
    Chain {
        pos: usize,
        node: Box<Arg>,
        fields: Box<[Rc<str>]>,
    },
    Identifier {
        pos: usize,
        name: Rc<str>,
    },
    Dot {
        pos: usize,
    },
    Nil {
        pos: usize,
    },
    Bool {
        pos: usize,
        val: bool,
    },
    Number(Box<Number>),
    String {
        pos: usize,
        /// The literal as written (Go's `Quoted`; `Display` shows bytes that are not UTF-8 as
        /// U+FFFD).
        quoted: Str,
        text: Str,
    },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::String { pos, .. } => *pos,
            Arg::Number(n) => n.pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl Node {
    pub fn pos(&self) -> usize {
        match self {
            Node::Text { pos, .. }
            | Node::Action { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
            Node::Template(t) => t.pos,
        }
    }
}

/// Reports whether a list holds nothing but space (Go's `parse.IsEmptyTree`).
pub fn is_empty_list(l: &List) -> bool {
    l.nodes.iter().all(|n| match n {
        // bytes.TrimSpace: an invalid byte decodes as U+FFFD, which is not space.
        Node::Text { text, .. } => text.as_str_lossy().chars().all(go_space),
        _ => false,
    })
}

fn go_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{85}' || c == '\u{a0}'
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => {
                for id in idents.iter() {
                    f.write_char('.')?;
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Variable { idents, .. } => {
                for (i, id) in idents.iter().enumerate() {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({p})")?;
                } else {
                    write!(f, "{node}")?;
                }
                for id in fields.iter() {
                    f.write_char('.')?;
                    f.write_str(id)?;
                }
                Ok(())
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => f.write_str(if *val { "true" } else { "false" }),
            Arg::Number(n) => f.write_str(&n.text),
            Arg::String { quoted, .. } => f.write_str(quoted.as_str_lossy()),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({p})")?;
            } else {
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(v)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

fn write_branch(f: &mut fmt::Formatter<'_>, name: &str, b: &Branch) -> fmt::Result {
    write!(f, "{{{{{name} {}}}}}{}", b.pipe, b.list)?;
    if let Some(e) = &b.else_list {
        write!(f, "{{{{else}}}}{e}")?;
    }
    f.write_str("{{end}}")
}

thread_local! {
    /// Go's tests print text nodes with `%q`; `List::to_string_quoted` turns this on.
    static QUOTE_TEXT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl List {
    /// The tree as Go's `String()` prints it with `textFormat = "%q"` (as Go's parse tests
    /// compare trees).
    pub fn to_string_quoted(&self) -> String {
        QUOTE_TEXT.with(|q| q.set(true));
        let s = self.to_string();
        QUOTE_TEXT.with(|q| q.set(false));
        s
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text, .. } => {
                if QUOTE_TEXT.with(|q| q.get()) {
                    f.write_str(&quote_bytes(text.as_bytes()))
                } else {
                    f.write_str(text.as_str_lossy())
                }
            }
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If(b) => write_branch(f, "if", b),
            Node::Range(b) => write_branch(f, "range", b),
            Node::With(b) => write_branch(f, "with", b),
            Node::Template(t) => {
                write!(f, "{{{{template {}", go_quote(&t.name))?;
                if let Some(p) = &t.pipe {
                    write!(f, " {p}")?;
                }
                f.write_str("}}")
            }
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}
