//! Go's predefined template functions (`and`, `or`, `not`, `len`, `index`, `slice`, `print`,
//! `printf`, `println`, `html`, `js`, `urlquery`, `call`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`)
//! with Go's semantics and error texts. `and`/`or` short-circuit in the executor.

use std::rc::Rc;

use crate::exec::{PT, V};
use crate::func::ArgType;
use crate::gostr::Str;
use crate::value::{Complex128, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Call,
    Html,
    Js,
    UrlQuery,
    Print,
    Printf,
    Println,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

pub(crate) fn lookup(name: &str) -> Option<Builtin> {
    Some(match name {
        "and" => Builtin::And,
        "or" => Builtin::Or,
        "not" => Builtin::Not,
        "len" => Builtin::Len,
        "index" => Builtin::Index,
        "slice" => Builtin::Slice,
        "call" => Builtin::Call,
        "html" => Builtin::Html,
        "js" => Builtin::Js,
        "urlquery" => Builtin::UrlQuery,
        "print" => Builtin::Print,
        "printf" => Builtin::Printf,
        "println" => Builtin::Println,
        "eq" => Builtin::Eq,
        "ne" => Builtin::Ne,
        "lt" => Builtin::Lt,
        "le" => Builtin::Le,
        "gt" => Builtin::Gt,
        "ge" => Builtin::Ge,
        _ => return None,
    })
}

const RV1: &[PT] = &[PT::RV];
const RV2: &[PT] = &[PT::RV, PT::RV];
const STR1: &[PT] = &[PT::T(ArgType::String)];

impl Builtin {
    /// Fixed parameters and variadic element type, as Go declares them.
    pub(crate) fn signature(self) -> (&'static [PT], Option<PT>) {
        use Builtin::*;
        match self {
            And | Or | Index | Slice | Call | Eq => (RV1, Some(PT::RV)),
            Not | Len => (RV1, None),
            Html | Js | UrlQuery | Print | Println => (&[], Some(PT::T(ArgType::Any))),
            Printf => (STR1, Some(PT::T(ArgType::Any))),
            Ne | Lt | Le | Gt | Ge => (RV2, None),
        }
    }
}

pub(crate) fn call(b: Builtin, mut argv: Vec<V>, callee_name: &str) -> Result<V, String> {
    use Builtin::*;
    match b {
        And | Or => Ok(argv.pop().unwrap_or(V::Invalid)),
        Not => Ok(V::Val(Value::Bool(!first(&argv).truth()))),
        Len => length(&first(&argv)).map(|n| V::Val(Value::Int(n as i64))),
        Index => {
            let mut it = argv.into_iter();
            let item = it.next().unwrap_or(V::Invalid);
            index(item, it.collect())
        }
        Slice => {
            let mut it = argv.into_iter();
            let item = it.next().unwrap_or(V::Invalid);
            slice(item, it.collect())
        }
        Call => {
            let f = first(&argv).concrete();
            match f {
                V::Invalid => Err("call of nil".into()),
                V::Val(v) | V::Iface(v) => Err(format!(
                    "non-function {callee_name} of type {}",
                    v.type_name()
                )),
            }
        }
        Html => Ok(V::Val(Value::string(html_escape(&eval_args(argv))))),
        Js => Ok(V::Val(Value::string(js_escape(&eval_args(argv))))),
        UrlQuery => Ok(V::Val(Value::string(query_escape(&eval_args(argv))))),
        Print => Ok(V::Val(Value::String(crate::fmt::sprint(&values(argv))))),
        Println => Ok(V::Val(Value::String(crate::fmt::sprintln(&values(argv))))),
        Printf => {
            let mut vals = values(argv);
            let format = match vals.first() {
                Some(Value::String(s)) => s.clone(),
                _ => Str::empty(),
            };
            if !vals.is_empty() {
                vals.remove(0);
            }
            Ok(V::Val(Value::String(crate::fmt::sprintf(
                format.as_bytes(),
                &vals,
            ))))
        }
        Eq => {
            let mut it = argv.into_iter();
            let a1 = it.next().unwrap_or(V::Invalid);
            let rest: Vec<V> = it.collect();
            eq(a1, &rest).map(|b| V::Val(Value::Bool(b)))
        }
        Ne => {
            let (a, b) = two(argv);
            eq(a, &[b]).map(|e| V::Val(Value::Bool(!e)))
        }
        Lt => {
            let (a, b) = two(argv);
            lt(a, b).map(|r| V::Val(Value::Bool(r)))
        }
        Le => {
            let (a, b) = two(argv);
            le(a, b).map(|r| V::Val(Value::Bool(r)))
        }
        Gt => {
            let (a, b) = two(argv);
            le(a, b).map(|r| V::Val(Value::Bool(!r)))
        }
        Ge => {
            let (a, b) = two(argv);
            lt(a, b).map(|r| V::Val(Value::Bool(!r)))
        }
    }
}

fn first(argv: &[V]) -> V {
    argv.first().cloned().unwrap_or(V::Invalid)
}

fn two(argv: Vec<V>) -> (V, V) {
    let mut it = argv.into_iter();
    (
        it.next().unwrap_or(V::Invalid),
        it.next().unwrap_or(V::Invalid),
    )
}

fn values(argv: Vec<V>) -> Vec<Value> {
    argv.into_iter().map(V::into_value).collect()
}

fn strip_ptr(t: String) -> String {
    match t.strip_prefix('*') {
        Some(s) => s.to_string(),
        None => t,
    }
}

fn length(item: &V) -> Result<usize, String> {
    let v = match item {
        V::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        V::Iface(Value::Nil) | V::Val(Value::Nil) => return Err("len of nil pointer".into()),
        V::Iface(v) | V::Val(v) => v,
    };
    match v {
        Value::String(s) => Ok(s.len()),
        Value::List(l, _) => Ok(l.len()),
        Value::Map(m, _) => Ok(m.borrow().len()),
        Value::Bytes(b) => Ok(b.len()),
        Value::Object(o) => o
            .go_len()
            .ok_or_else(|| format!("len of type {}", strip_ptr(o.type_name().to_string()))),
        v => Err(format!("len of type {}", v.type_name())),
    }
}

fn index_arg(index: &V, cap: usize) -> Result<usize, String> {
    let x = match index {
        V::Val(Value::Int(x)) | V::Val(Value::Int64(x)) => *x,
        V::Invalid => return Err("cannot index slice/array with nil".into()),
        V::Val(v) | V::Iface(v) => {
            return Err(format!(
                "cannot index slice/array with type {}",
                v.type_name()
            ))
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: V, indexes: Vec<V>) -> Result<V, String> {
    let mut item = item.concrete();
    if let V::Invalid = item {
        return Err("index of untyped nil".into());
    }
    for index in indexes {
        let index = index.concrete();
        let v = match item {
            V::Iface(Value::Nil) | V::Val(Value::Nil) | V::Invalid => {
                return Err("index of nil pointer".into())
            }
            V::Iface(v) | V::Val(v) => v,
        };
        item = match &v {
            Value::List(l, k) => {
                let x = index_arg(&index, l.len())?;
                let e = l.get(x).ok_or("reflect: slice index out of range")?.clone();
                if k.is_iface() {
                    V::Iface(e)
                } else {
                    V::Val(e)
                }
            }
            Value::Bytes(b) => {
                let x = index_arg(&index, b.len())?;
                V::Val(Value::Int(
                    *b.get(x).ok_or("reflect: slice index out of range")? as i64,
                ))
            }
            Value::String(s) => {
                let x = index_arg(&index, s.len())?;
                V::Val(Value::Int(
                    *s.as_bytes()
                        .get(x)
                        .ok_or("reflect: string index out of range")? as i64,
                ))
            }
            Value::Map(m, k) => {
                let key = match &index {
                    V::Invalid => return Err("value is nil; should be of type string".into()),
                    V::Val(Value::String(s)) => s.clone(),
                    V::Val(x) | V::Iface(x) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            x.type_name()
                        ))
                    }
                };
                let any = k.is_iface();
                // Map keys are Rust strings: a key that is not UTF-8 is never present.
                match key.to_str().and_then(|k| m.borrow().get(k).cloned()) {
                    Some(e) => {
                        if any {
                            V::Iface(e)
                        } else {
                            V::Val(e)
                        }
                    }
                    None => {
                        if any {
                            V::Iface(Value::Nil)
                        } else {
                            V::Val(Value::str(""))
                        }
                    }
                }
            }
            Value::Object(o) => match o.index(&index.clone().into_value()) {
                Some(r) => V::Val(r?),
                None => {
                    return Err(format!(
                        "can't index item of type {}",
                        strip_ptr(o.type_name().to_string())
                    ))
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: V, indexes: Vec<V>) -> Result<V, String> {
    let v = match item.concrete() {
        V::Invalid => return Err("slice of untyped nil".into()),
        V::Iface(v) | V::Val(v) => v,
    };
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &v {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l, _) => l.len(),
        Value::Bytes(b) => b.len(),
        Value::Object(o) if o.kind_name() == "slice" && o.go_len().is_some() => {
            o.go_len().unwrap_or(0)
        }
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(&index.clone().concrete(), len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(V::Val(match &v {
        Value::String(s) => Value::String(s.slice(i, j).unwrap_or_default()),
        Value::List(l, k) => Value::List(Rc::new(l[i..j].to_vec()), *k),
        Value::Bytes(b) => Value::Bytes(Rc::from(&b[i..j])),
        Value::Object(o) => match o.subslice(i, j) {
            Some(s) => s,
            None => return Err(format!("can't slice item of type {}", o.type_name())),
        },
        _ => Value::Nil,
    }))
}

// ---- comparison ------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    Complex,
    String,
}

fn complex_of(v: &V) -> Option<Complex128> {
    match v {
        V::Val(Value::Object(o)) => o.as_any().downcast_ref::<Complex128>().copied(),
        _ => None,
    }
}

fn basic_kind(v: &V) -> Kind {
    match v {
        V::Val(Value::Bool(_)) => Kind::Bool,
        V::Val(Value::Int(_)) | V::Val(Value::Int64(_)) => Kind::Int,
        V::Val(Value::Float(_)) => Kind::Float,
        V::Val(Value::String(_)) => Kind::String,
        v if complex_of(v).is_some() => Kind::Complex,
        _ => Kind::Invalid,
    }
}

fn type_of(v: &V) -> String {
    match v {
        V::Invalid => "<nil>".into(),
        V::Iface(_) => "interface {}".into(),
        V::Val(v) => v.type_name(),
    }
}

fn reflect_kind(v: &V) -> &'static str {
    match v {
        V::Invalid => "invalid",
        V::Iface(_) => "interface",
        V::Val(Value::List(..)) | V::Val(Value::Bytes(_)) => "slice",
        V::Val(Value::Map(..)) => "map",
        V::Val(Value::Object(_)) => "ptr",
        V::Val(_) => "basic",
    }
}

fn fmt_s(v: &V) -> String {
    crate::fmt::sprintf("%s", &[v.clone().into_value()]).to_string_lossy()
}

fn fmt_v(v: &V) -> String {
    crate::fmt::format_value(&v.clone().into_value()).to_string_lossy()
}

fn eq(a1: V, rest: &[V]) -> Result<bool, String> {
    let a1 = a1.concrete();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(&a1);
    for arg in rest {
        let a = arg.clone().concrete();
        let k2 = basic_kind(&a);
        let truth = if k1 != k2 {
            if !matches!(a1, V::Invalid) && !matches!(a, V::Invalid) {
                return Err(format!(
                    "incompatible types for comparison: {} and {}",
                    type_of(&a1),
                    type_of(&a)
                ));
            }
            false
        } else {
            match (&a1, &a) {
                (V::Val(Value::Bool(x)), V::Val(Value::Bool(y))) => x == y,
                (V::Val(Value::Float(x)), V::Val(Value::Float(y))) => x == y,
                (
                    V::Val(Value::Int(x) | Value::Int64(x)),
                    V::Val(Value::Int(y) | Value::Int64(y)),
                ) => x == y,
                (V::Val(Value::String(x)), V::Val(Value::String(y))) => x == y,
                _ if k1 == Kind::Complex => complex_of(&a1) == complex_of(&a),
                _ => {
                    let (r1, r2) = (reflect_kind(&a1), reflect_kind(&a));
                    if r1 != r2 && r1 != "invalid" && r2 != "invalid" {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            fmt_s(&a1),
                            type_of(&a1),
                            type_of(&a),
                            fmt_v(&a)
                        ));
                    }
                    let n1 = matches!(a1, V::Invalid);
                    let n2 = matches!(a, V::Invalid);
                    if n1 || n2 {
                        n1 == n2
                    } else {
                        match (&a1, &a) {
                            (V::Val(Value::Object(x)), V::Val(Value::Object(y))) => {
                                std::ptr::addr_eq(Rc::as_ptr(x), Rc::as_ptr(y))
                            }
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    fmt_s(&a),
                                    type_of(&a)
                                ))
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a1: V, a2: V) -> Result<bool, String> {
    let a1 = a1.concrete();
    let k1 = basic_kind(&a1);
    if k1 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    let a2 = a2.concrete();
    let k2 = basic_kind(&a2);
    if k2 == Kind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return Err(format!(
            "incompatible types for comparison: {} and {}",
            type_of(&a1),
            type_of(&a2)
        ));
    }
    Ok(match (&a1, &a2) {
        (V::Val(Value::Float(x)), V::Val(Value::Float(y))) => x < y,
        (V::Val(Value::Int(x) | Value::Int64(x)), V::Val(Value::Int(y) | Value::Int64(y))) => x < y,
        (V::Val(Value::String(x)), V::Val(Value::String(y))) => x.as_bytes() < y.as_bytes(),
        _ => return Err("invalid type for comparison".into()),
    })
}

fn le(a1: V, a2: V) -> Result<bool, String> {
    let l = lt(a1.clone(), a2.clone())?;
    if l {
        return Ok(true);
    }
    eq(a1, &[a2])
}

// ---- escaping --------------------------------------------------------------------------

/// Go's `evalArgs`: one string argument as is, otherwise `fmt.Sprint` with nil arguments
/// shown as `<no value>`. Lossy: the escapers read characters.
fn eval_args(argv: Vec<V>) -> String {
    if argv.len() == 1 {
        if let V::Val(Value::String(s)) | V::Iface(Value::String(s)) = &argv[0] {
            return s.to_string_lossy();
        }
    }
    let vals: Vec<Value> = argv
        .into_iter()
        .map(|v| match v.into_value() {
            Value::Nil => Value::str("<no value>"),
            v => v,
        })
        .collect();
    crate::fmt::sprint(&vals).to_string_lossy()
}

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if crate::util::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
