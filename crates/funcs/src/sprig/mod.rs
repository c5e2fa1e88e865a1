//! Sprig's general-purpose functions: strings, lists, dicts, defaults, math, conversion,
//! regular expressions, reflection, paths and URLs, as Sprig v3 defines them and Helm 4
//! registers them (without `env` and `expandenv`).
//!
//! Every function is a plain `fn(&[Value]) -> Result<Value, String>` in a table with its Go
//! signature, or, for the few bounded by a render limit (`until`, `seq`, `repeat`, `indent`...),
//! a `fn(&Limits, &[Value])`; [`register`] wraps them as [`Function`]s (handing the limited
//! ones the running set's `Options::limits`). [`call`] runs one directly under the default
//! limits ([`call_with`] under others; arguments must already have the declared Go types),
//! which is what the tests use.
//!
//! Where Sprig panics (Go's template engine turns a panic inside a function into the same
//! `error calling NAME: ...` as a returned error), the function returns `Err` with the panic's
//! text, e.g. `runtime error: integer divide by zero`.

mod case;
mod conv;
mod decimal;
mod dicts;
mod lists;
mod math;
mod paths;
mod regexp;
pub mod rng;
mod strings;
mod url;

use chartroom_template::{ArgType, FuncMap, Function, Limits, Value};

pub(crate) use conv::{empty, strval, to_float64, to_int, to_int64};
pub(crate) use strings::check_string_bytes;

/// A Sprig function body: arguments arrive converted to the declared Go types.
pub(crate) type Raw = fn(&[Value]) -> Result<Value, String>;

/// One table entry: template name, fixed Go parameters, variadic element type, body.
pub(crate) type Entry = (&'static str, &'static [ArgType], Option<ArgType>, Raw);

/// A Sprig function body that checks one of the render's [`Limits`] (`until-length`,
/// `string-bytes`); the executor hands it the limits of the running template set.
pub(crate) type LimitedRaw = fn(&Limits, &[Value]) -> Result<Value, String>;

/// A table entry whose body checks a limit.
pub(crate) type LimitedEntry = (
    &'static str,
    &'static [ArgType],
    Option<ArgType>,
    LimitedRaw,
);

#[derive(Clone, Copy)]
enum Body {
    Plain(Raw),
    Limited(LimitedRaw),
}

impl Body {
    fn call(self, limits: &Limits, args: &[Value]) -> Result<Value, String> {
        match self {
            Body::Plain(f) => f(args),
            Body::Limited(f) => f(limits, args),
        }
    }
}

/// Go's text of a nil-pointer panic, which Sprig hits when reflecting on `nil`.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

type Row = (&'static str, &'static [ArgType], Option<ArgType>, Body);

fn table() -> Vec<Row> {
    let mut t: Vec<Row> = Vec::new();
    for entries in [
        strings::ENTRIES,
        conv::ENTRIES,
        lists::ENTRIES,
        dicts::ENTRIES,
        math::ENTRIES,
        regexp::ENTRIES,
        paths::ENTRIES,
        url::ENTRIES,
    ] {
        t.extend(entries.iter().map(|e| (e.0, e.1, e.2, Body::Plain(e.3))));
    }
    for entries in [strings::LIMITED_ENTRIES, lists::LIMITED_ENTRIES] {
        t.extend(entries.iter().map(|e| (e.0, e.1, e.2, Body::Limited(e.3))));
    }
    t
}

/// Registers every Sprig function this module implements.
pub fn register(funcs: &mut FuncMap) {
    for (name, params, variadic, body) in table() {
        funcs.insert(
            name.to_string(),
            Function::new(params, variadic, move |state, args| {
                body.call(&state.options().limits, args)
            }),
        );
    }
}

/// The names this module registers.
pub fn names() -> Vec<&'static str> {
    table().into_iter().map(|e| e.0).collect()
}

/// Calls function `name` directly, without a template, under the default [`Limits`]. `args`
/// must already have the Go types the function declares (what the executor guarantees); only
/// the count is checked here.
pub fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    call_with(&Limits::default(), name, args)
}

/// [`call`] under the given limits.
pub fn call_with(limits: &Limits, name: &str, args: &[Value]) -> Result<Value, String> {
    let Some((_, params, variadic, body)) = table().into_iter().find(|e| e.0 == name) else {
        return Err(format!("function {name:?} not defined"));
    };
    let ok = if variadic.is_some() {
        args.len() >= params.len()
    } else {
        args.len() == params.len()
    };
    if !ok {
        return Err(format!(
            "wrong number of args for {name}: want {} got {}",
            params.len(),
            args.len()
        ));
    }
    body.call(limits, args)
}

/// The Go signature a function declares: fixed parameters and variadic element type.
pub fn signature(name: &str) -> Option<(Vec<ArgType>, Option<ArgType>)> {
    table()
        .into_iter()
        .find(|e| e.0 == name)
        .map(|e| (e.1.to_vec(), e.2))
}

// ---- small shared helpers -------------------------------------------------------------

/// A string argument's text, lossy (invalid UTF-8 reads as U+FFFD): for functions that read
/// characters. [`arg_bytes`] keeps the bytes.
pub(crate) fn arg_str(args: &[Value], i: usize) -> &str {
    match args.get(i) {
        Some(Value::String(s)) => s.as_str_lossy(),
        _ => "",
    }
}

/// A string argument's bytes (Go string operations that do not decode characters).
pub(crate) fn arg_bytes(args: &[Value], i: usize) -> &[u8] {
    match args.get(i) {
        Some(Value::String(s)) => s.as_bytes(),
        _ => b"",
    }
}

pub(crate) fn arg_int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n)) | Some(Value::Int64(n)) => *n,
        Some(v) => to_int64(v),
        None => 0,
    }
}

pub(crate) fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Nil)
}

/// The elements of a Go slice or array argument, for Sprig's reflection-driven list
/// functions. `Ok(None)` means "not a slice" (callers build their own message with the
/// reflect kind); `nil` is the nil-pointer panic Sprig hits on `reflect.TypeOf(nil).Kind()`.
pub(crate) fn slice_items(v: &Value) -> Result<Option<Vec<Value>>, String> {
    match v {
        Value::Nil => Err(NIL_DEREF.to_string()),
        Value::List(l, _) => Ok(Some(l.as_ref().clone())),
        Value::Bytes(b) => Ok(Some(b.iter().map(|x| Value::Int(*x as i64)).collect())),
        Value::Object(_) => Ok(object_slice(v)),
        _ => Ok(None),
    }
}

/// The elements of an object that is a Go slice (`.Capabilities.APIVersions`, a
/// `common.VersionSet`), which Sprig's reflection reads like any slice.
pub(crate) fn object_slice(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::Object(o) if o.kind_name() == "slice" => {
            Some(o.range_items()?.into_iter().map(|(_, item)| item).collect())
        }
        _ => None,
    }
}

/// Go's `reflect.DeepEqual` over template values: same Go type and deeply equal contents.
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_depth(a, b, 0)
}

fn deep_equal_depth(a: &Value, b: &Value, depth: usize) -> bool {
    if depth > 10_000 {
        return false;
    }
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Bytes(x), Value::Bytes(y)) => x == y,
        (Value::List(x, kx), Value::List(y, ky)) => {
            kx == ky
                && x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| deep_equal_depth(p, q, depth + 1))
        }
        (Value::Map(x, kx), Value::Map(y, ky)) => {
            if kx != ky {
                return false;
            }
            if std::rc::Rc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len()
                && x.iter().all(|(k, v)| match y.get(k) {
                    Some(w) => deep_equal_depth(v, w, depth + 1),
                    None => false,
                })
        }
        (Value::Object(x), Value::Object(y)) => {
            std::ptr::addr_eq(std::rc::Rc::as_ptr(x), std::rc::Rc::as_ptr(y))
                || (x.type_name() == y.type_name() && x.go_string() == y.go_string())
        }
        _ => false,
    }
}

/// Go's `%v` of a value.
pub(crate) fn go_v(v: &Value) -> String {
    chartroom_template::fmt::format_value(v).to_string_lossy()
}
