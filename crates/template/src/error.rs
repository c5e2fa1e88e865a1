//! The engine's one error type. Its `Display` is byte-identical to the text Go's
//! `text/template` produces, because Helm prints that text to the user.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `template: NAME:LINE: ...` from the parser.
    Parse,
    /// `template: NAME:LINE:COL: executing "NAME" at <...>: ...` from the executor.
    Exec,
    /// `template: no template "x" associated with template "y"` and similar set-level errors.
    Lookup,
    /// A hard limit (depth, fuel, size) was reached.
    Limit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// Name of the template the error is in, if known.
    pub name: Option<String>,
    /// 1-based line and column, if known.
    pub line: Option<usize>,
    pub col: Option<usize>,
    /// The complete Go-formatted message, e.g.
    /// `template: a:1:2: executing "a" at <.x>: nil pointer evaluating interface {}.y`.
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            name: None,
            line: None,
            col: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
