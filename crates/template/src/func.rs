//! Functions callable from templates, with Go's argument typing.
//!
//! Go's `text/template` checks and converts every argument against the Go signature of the
//! function it calls, and its error texts name those types (`wrong type for value; expected
//! string; got float64`). A `Function` therefore declares its Go parameter types; the executor
//! applies Go's rules before `call` runs, so `call` receives arguments of the declared kinds
//! (an `ArgType::Int` parameter always arrives as `Value::Int`, and so on).

use std::rc::Rc;

use crate::exec::State;
use crate::value::Value;

/// A Go parameter type, as far as template calls can tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgType {
    /// `interface{}`: anything, passed as is (untyped constants become `int`, `float64`,
    /// `string`, `bool`; `nil` stays `Nil`).
    Any,
    /// `string`
    String,
    /// `int`
    Int,
    /// `int64`
    Int64,
    /// `float64`
    Float64,
    /// `bool`
    Bool,
    /// `[]interface{}`
    List,
    /// `[]string`
    StringList,
    /// `map[string]interface{}`
    Map,
    /// `[]byte`
    Bytes,
    /// `io.Writer` (`common.Values.Encode`'s parameter): an interface no template value
    /// implements, so only `nil` gets through.
    Writer,
}

impl ArgType {
    /// Go's spelling of the type, for error messages.
    pub fn go_name(self) -> &'static str {
        match self {
            ArgType::Any => "interface {}",
            ArgType::String => "string",
            ArgType::Int => "int",
            ArgType::Int64 => "int64",
            ArgType::Float64 => "float64",
            ArgType::Bool => "bool",
            ArgType::List => "[]interface {}",
            ArgType::StringList => "[]string",
            ArgType::Map => "map[string]interface {}",
            ArgType::Bytes => "[]uint8",
            ArgType::Writer => "io.Writer",
        }
    }
}

/// What a function body receives: the execution state (to run other templates, as `include`
/// and `tpl` do) and the converted arguments. An `Err(message)` is reported the way Go reports
/// a function's returned error: `error calling NAME: message`.
pub type NativeFn = dyn Fn(&mut State, &[Value]) -> Result<Value, String>;

#[derive(Clone)]
pub struct Function {
    /// Fixed parameters, in order.
    pub params: Vec<ArgType>,
    /// The element type of a final `...T` parameter, if the function is variadic.
    pub variadic: Option<ArgType>,
    pub call: Rc<NativeFn>,
}

impl Function {
    pub fn new(
        params: &[ArgType],
        variadic: Option<ArgType>,
        call: impl Fn(&mut State, &[Value]) -> Result<Value, String> + 'static,
    ) -> Function {
        Function {
            params: params.to_vec(),
            variadic,
            call: Rc::new(call),
        }
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Function({:?}, {:?})", self.params, self.variadic)
    }
}

/// Functions by name. Builtins (`and`, `or`, `len`, `index`, `printf`...) are the executor's;
/// a registered function with the same name replaces the builtin, as Go's `Funcs` does.
pub type FuncMap = std::collections::HashMap<String, Function>;
