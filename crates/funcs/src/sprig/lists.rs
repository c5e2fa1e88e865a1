//! List functions. Sprig reads any Go slice by reflection and (except `slice`) returns a new
//! `[]interface{}`; a non-slice argument is an error naming its reflect kind, and `nil` hits
//! Go's nil-pointer panic.

use std::rc::Rc;

use chartroom_template::{ArgType as A, ElemKind, Limits, Tag, Value};

use super::{arg, arg_int, deep_equal, empty, slice_items, to_int, Entry, LimitedEntry};

pub(crate) const ENTRIES: &[Entry] = &[
    ("list", &[], Some(A::Any), |a| Ok(Value::list(a.to_vec()))),
    ("tuple", &[], Some(A::Any), |a| Ok(Value::list(a.to_vec()))),
    ("append", &[A::Any, A::Any], None, push),
    ("push", &[A::Any, A::Any], None, push),
    ("mustAppend", &[A::Any, A::Any], None, push),
    ("mustPush", &[A::Any, A::Any], None, push),
    ("prepend", &[A::Any, A::Any], None, prepend),
    ("mustPrepend", &[A::Any, A::Any], None, prepend),
    ("first", &[A::Any], None, first),
    ("mustFirst", &[A::Any], None, first),
    ("last", &[A::Any], None, last),
    ("mustLast", &[A::Any], None, last),
    ("rest", &[A::Any], None, rest),
    ("mustRest", &[A::Any], None, rest),
    ("initial", &[A::Any], None, initial),
    ("mustInitial", &[A::Any], None, initial),
    ("reverse", &[A::Any], None, reverse),
    ("mustReverse", &[A::Any], None, reverse),
    ("uniq", &[A::Any], None, uniq),
    ("mustUniq", &[A::Any], None, uniq),
    ("without", &[A::Any], Some(A::Any), without),
    ("mustWithout", &[A::Any], Some(A::Any), without),
    ("has", &[A::Any, A::Any], None, has),
    ("mustHas", &[A::Any, A::Any], None, has),
    ("compact", &[A::Any], None, compact),
    ("mustCompact", &[A::Any], None, compact),
    ("slice", &[A::Any], Some(A::Any), slice),
    ("mustSlice", &[A::Any], Some(A::Any), slice),
    ("concat", &[], Some(A::Any), concat),
    ("chunk", &[A::Int, A::Any], None, chunk),
    ("mustChunk", &[A::Int, A::Any], None, chunk),
];

/// The list builders bounded by the `until-length` limit.
pub(crate) const LIMITED_ENTRIES: &[LimitedEntry] = &[
    ("until", &[A::Int], None, |l, a| {
        let n = arg_int(a, 0);
        Ok(int_list(until_step(l, 0, n, if n > 0 { 1 } else { -1 })?))
    }),
    ("untilStep", &[A::Int, A::Int, A::Int], None, |l, a| {
        Ok(int_list(until_step(
            l,
            arg_int(a, 0),
            arg_int(a, 1),
            arg_int(a, 2),
        )?))
    }),
    ("seq", &[], Some(A::Int), seq),
];

/// Elements of a slice argument, or Sprig's "Cannot ... on type KIND" error.
fn items(v: &Value, what: &str) -> Result<Vec<Value>, String> {
    match slice_items(v)? {
        Some(items) => Ok(items),
        None => Err(format!("Cannot {what} on type {}", v.kind_name())),
    }
}

fn push(a: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(a, 0), "push")?;
    l.push(arg(a, 1));
    Ok(Value::list(l))
}

fn prepend(a: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(a, 0), "prepend")?;
    l.insert(0, arg(a, 1));
    Ok(Value::list(l))
}

fn first(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "find first")?;
    Ok(l.into_iter().next().unwrap_or(Value::Nil))
}

fn last(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "find last")?;
    Ok(l.into_iter().last().unwrap_or(Value::Nil))
}

/// Sprig's `rest`: a nil slice for an empty list.
fn rest(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "find rest")?;
    if l.is_empty() {
        return Ok(Value::nil_list());
    }
    Ok(Value::list(l.into_iter().skip(1).collect()))
}

/// Sprig's `initial`: a nil slice for an empty list.
fn initial(a: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(a, 0), "find initial")?;
    if l.is_empty() {
        return Ok(Value::nil_list());
    }
    l.pop();
    Ok(Value::list(l))
}

fn reverse(a: &[Value]) -> Result<Value, String> {
    let mut l = items(&arg(a, 0), "find reverse")?;
    l.reverse();
    Ok(Value::list(l))
}

fn uniq(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "find uniq")?;
    let mut out: Vec<Value> = Vec::new();
    for v in l {
        if !out.iter().any(|x| deep_equal(x, &v)) {
            out.push(v);
        }
    }
    Ok(Value::list(out))
}

fn without(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "find without")?;
    let omit = &a[1.min(a.len())..];
    Ok(Value::list(
        l.into_iter()
            .filter(|v| !omit.iter().any(|o| deep_equal(o, v)))
            .collect(),
    ))
}

fn has(a: &[Value]) -> Result<Value, String> {
    let (needle, hay) = (arg(a, 0), arg(a, 1));
    if hay.is_nil() {
        return Ok(Value::Bool(false));
    }
    let l = items(&hay, "find has")?;
    Ok(Value::Bool(l.iter().any(|v| deep_equal(&needle, v))))
}

fn compact(a: &[Value]) -> Result<Value, String> {
    let l = items(&arg(a, 0), "compact")?;
    Ok(Value::list(l.into_iter().filter(|v| !empty(v)).collect()))
}

/// Sprig's `slice list [start [end]]`: a sub-slice of the same Go type.
fn slice(a: &[Value]) -> Result<Value, String> {
    let list = arg(a, 0);
    let (items, kind) = match &list {
        Value::Nil => return Err(super::NIL_DEREF.into()),
        Value::List(l, k) => (l.as_ref().clone(), *k),
        Value::Bytes(b) => {
            let b = b.clone();
            return slice_bytes(&b, &a[1..]);
        }
        Value::Object(o) if o.kind_name() == "slice" => {
            let len = o.go_len().unwrap_or(0) as i64;
            if len == 0 {
                return Ok(Value::Nil);
            }
            let (start, end) = bounds(&a[1..], len);
            if start < 0 || end < start || end > len {
                return Err("reflect.Value.Slice: slice index out of bounds".into());
            }
            return o.subslice(start as usize, end as usize).ok_or_else(|| {
                format!(
                    "list should be type of slice or array but {}",
                    o.kind_name()
                )
            });
        }
        other => {
            return Err(format!(
                "list should be type of slice or array but {}",
                other.kind_name()
            ))
        }
    };
    let len = items.len() as i64;
    if len == 0 {
        return Ok(Value::Nil);
    }
    let (start, end) = bounds(&a[1..], len);
    if start < 0 || end < start || end > len {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    Ok(Value::List(
        Rc::new(items[start as usize..end as usize].to_vec()),
        kind,
    ))
}

fn bounds(indices: &[Value], len: i64) -> (i64, i64) {
    let start = indices.first().map(to_int).unwrap_or(0);
    let end = if indices.len() < 2 {
        len
    } else {
        to_int(&indices[1])
    };
    (start, end)
}

fn slice_bytes(b: &[u8], indices: &[Value]) -> Result<Value, String> {
    let len = b.len() as i64;
    if len == 0 {
        return Ok(Value::Nil);
    }
    let (start, end) = bounds(indices, len);
    if start < 0 || end < start || end > len {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    Ok(Value::Bytes(Rc::from(&b[start as usize..end as usize])))
}

fn concat(a: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for v in a {
        match super::slice_items(v)? {
            Some(items) => out.extend(items),
            None => return Err(format!("Cannot concat type {} as list", v.kind_name())),
        }
    }
    // Sprig appends to a nil slice: no elements leave it nil.
    if out.is_empty() {
        return Ok(Value::nil_list());
    }
    Ok(Value::list(out))
}

/// Go's int conversion of a float64 on amd64 (NaN and overflow give the minimum int).
fn go_int(f: f64) -> i64 {
    super::conv::float_to_i64(f)
}

/// Sprig's `chunk`, including its float arithmetic for the chunk count, so that sizes of
/// zero or below fail (or not) as Go does.
fn chunk(a: &[Value]) -> Result<Value, String> {
    let size = arg_int(a, 0);
    let l = items(&arg(a, 1), "chunk")?;
    let n = l.len() as i64;
    const MAKESLICE: &str = "runtime error: makeslice: len out of range";
    let count = go_int(((n - 1) as f64 / size as f64).floor()).wrapping_add(1);
    if count < 0 {
        return Err(MAKESLICE.into());
    }
    let mut out = Vec::with_capacity(count.min(n + 1) as usize);
    for i in 0..count {
        let mut clen = size;
        if i == count - 1 {
            clen = go_int((n as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(MAKESLICE.into());
        }
        let mut part = Vec::new();
        for j in 0..clen {
            let ix = i * size + j;
            match usize::try_from(ix).ok().and_then(|ix| l.get(ix)) {
                Some(v) => part.push(v.clone()),
                None => return Err("reflect: slice index out of range".into()),
            }
        }
        out.push(Value::list(part));
    }
    // A `[][]interface{}`.
    Ok(Value::List(Rc::new(out), Tag::of(ElemKind::AnyList)))
}

/// Sprig's `untilStep`: from `start` towards `stop` (exclusive) by `step`; empty when the
/// step points the wrong way. Go has no limit on the length (it would try to allocate and
/// likely run out of memory); here a list longer than the `until-length` limit (default a
/// million numbers, ~40 MB as values) is an error rather than a hang (docs/notes/limits.md).
pub(crate) fn until_step(
    limits: &Limits,
    start: i64,
    stop: i64,
    step: i64,
) -> Result<Vec<i64>, String> {
    if (stop < start && step >= 0) || (stop >= start && step <= 0) {
        return Ok(Vec::new());
    }
    let span = (stop as i128 - start as i128).abs();
    let count = (span + step.unsigned_abs() as i128 - 1) / step.unsigned_abs() as i128;
    if count > limits.until_length as i128 {
        return Err(chartroom_template::limits::exceeded(
            &format!("a list of {count} numbers"),
            "until-length",
            limits.until_length,
        ));
    }
    let mut v = Vec::with_capacity(count as usize);
    let mut i = start as i128;
    while (step > 0 && i < stop as i128) || (step < 0 && i > stop as i128) {
        v.push(i as i64);
        i += step as i128;
    }
    Ok(v)
}

/// A Go `[]int`.
fn int_list(v: Vec<i64>) -> Value {
    Value::List(
        Rc::new(v.into_iter().map(Value::Int).collect()),
        Tag::of(ElemKind::Int),
    )
}

/// Sprig's `seq`, like the Unix command: `seq END`, `seq START END`, `seq START STEP END`.
fn seq(l: &Limits, a: &[Value]) -> Result<Value, String> {
    let p: Vec<i64> = a.iter().map(to_int).collect();
    let nums = match p.len() {
        1 => {
            let (start, end) = (1, p[0]);
            let inc = if end < start { -1 } else { 1 };
            until_step(l, start, end.saturating_add(inc), inc)?
        }
        2 => {
            let (start, end) = (p[0], p[1]);
            let step = if end < start { -1 } else { 1 };
            until_step(l, start, end.saturating_add(step), step)?
        }
        3 => {
            let (start, step, end) = (p[0], p[1], p[2]);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(Value::str(""));
                }
            }
            until_step(l, start, end.saturating_add(inc), step)?
        }
        _ => Vec::new(),
    };
    let parts: Vec<String> = nums.iter().map(|n| n.to_string()).collect();
    Ok(Value::string(parts.join(" ")))
}
