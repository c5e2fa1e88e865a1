//! Go's `text/template`, faithful to Go's output and error texts, with no Helm knowledge.
//!
//! Layers: `lexer` → `parser` (AST in `ast`) → `exec` (walks the tree over [`Value`]s), with
//! Go's `fmt` in [`fmt`]. Functions are registered [`Function`] values that receive the
//! execution [`State`], so a function can run another template of the set (Helm's `include`)
//! or parse and run new text against it (`tpl`).

pub mod ast;
mod builtins;
pub mod error;
pub mod exec;
pub mod fmt;
pub mod func;
pub mod gostr;
mod lexer;
pub mod limits;
pub mod map;
pub mod parallel;
mod parser;
pub mod provenance;
mod util;
pub mod value;

pub use builtins::{html_escape, js_escape, query_escape};
pub use error::{Error, ErrorKind};
pub use exec::{MapMethods, MissingKey, Options, State, TemplateSet};
pub use func::{ArgType, FuncMap, Function};
pub use gostr::{Str, StrBuf};
pub use limits::Limits;
pub use parser::{MAX_NESTING, MAX_PAREN_DEPTH};
pub use value::{ElemKind, GoShape, Map, MapRef, Object, Tag, Value};
