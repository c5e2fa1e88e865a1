//! Dict functions. Dicts are Go maps: `set`, `unset`, `merge` and `mergeOverwrite` change the
//! map they are given (every variable pointing at it sees the change) and return it.

use chartroom_template::{ArgType as A, ElemKind, Map, MapRef, Value};

use super::{arg, arg_str, strval, Entry};

pub(crate) const ENTRIES: &[Entry] = &[
    ("dict", &[], Some(A::Any), dict),
    ("get", &[A::Map, A::String], None, |a| {
        let key = arg_str(a, 1);
        Ok(with_map(a, 0, |m| m.get(key).cloned()).unwrap_or_else(|| Value::str("")))
    }),
    ("set", &[A::Map, A::String, A::Any], None, |a| {
        match a.first() {
            Some(Value::Map(m, t)) if !t.nil => {
                m.borrow_mut().insert(arg_str(a, 1).to_string(), arg(a, 2));
                Ok(arg(a, 0))
            }
            _ => Err("assignment to entry in nil map".into()),
        }
    }),
    ("unset", &[A::Map, A::String], None, |a| match a.first() {
        Some(Value::Map(m, _)) => {
            m.borrow_mut().remove(arg_str(a, 1));
            Ok(arg(a, 0))
        }
        // A nil map (never a nil interface: the parameter is a map): deleting is a no-op.
        _ => Ok(Value::nil_map()),
    }),
    ("hasKey", &[A::Map, A::String], None, |a| {
        let key = arg_str(a, 1);
        Ok(Value::Bool(
            with_map(a, 0, |m| Some(m.contains_key(key))).unwrap_or(false),
        ))
    }),
    ("pluck", &[A::String], Some(A::Map), |a| {
        let key = arg_str(a, 0);
        let out: Vec<Value> = a[1.min(a.len())..]
            .iter()
            .filter_map(|d| match d {
                Value::Map(m, _) => m.borrow().get(key).cloned(),
                _ => None,
            })
            .collect();
        Ok(Value::list(out))
    }),
    ("keys", &[], Some(A::Map), |a| {
        let mut out = Vec::new();
        for d in a {
            if let Value::Map(m, _) = d {
                out.extend(m.borrow().keys().cloned());
            }
        }
        Ok(Value::string_list(out))
    }),
    ("values", &[A::Map], None, |a| {
        Ok(Value::list(
            with_map(a, 0, |m| Some(m.values().cloned().collect())).unwrap_or_default(),
        ))
    }),
    ("pick", &[A::Map], Some(A::String), |a| {
        let keys = &a[1.min(a.len())..];
        let out: Map = with_map(a, 0, |m| {
            Some(
                keys.iter()
                    .filter_map(|k| {
                        let k = k.as_str()?;
                        m.get(k).map(|v| (k.to_string(), v.clone()))
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
        Ok(Value::map(out))
    }),
    ("omit", &[A::Map], Some(A::String), |a| {
        let keys: Vec<&str> = a[1.min(a.len())..]
            .iter()
            .filter_map(|k| k.as_str())
            .collect();
        let out: Map = with_map(a, 0, |m| {
            Some(
                m.iter()
                    .filter(|(k, _)| !keys.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .unwrap_or_default();
        Ok(Value::map(out))
    }),
    ("merge", &[A::Map], Some(A::Map), |a| merge(a, false)),
    ("mustMerge", &[A::Map], Some(A::Map), |a| merge(a, false)),
    ("mergeOverwrite", &[A::Map], Some(A::Map), |a| {
        merge(a, true)
    }),
    ("mustMergeOverwrite", &[A::Map], Some(A::Map), |a| {
        merge(a, true)
    }),
    ("dig", &[], Some(A::Any), dig),
    ("deepCopy", &[A::Any], None, deep_copy),
    ("mustDeepCopy", &[A::Any], None, deep_copy),
];

fn with_map<T>(a: &[Value], i: usize, f: impl FnOnce(&Map) -> Option<T>) -> Option<T> {
    match a.get(i) {
        Some(Value::Map(m, _)) => f(&m.borrow()),
        _ => None,
    }
}

fn dict(a: &[Value]) -> Result<Value, String> {
    let mut m = Map::new();
    let mut i = 0;
    while i < a.len() {
        let key = strval(&a[i]);
        let v = a.get(i + 1).cloned().unwrap_or_else(|| Value::str(""));
        m.insert(key, v);
        i += 2;
    }
    Ok(Value::map(m))
}

fn deep_copy(a: &[Value]) -> Result<Value, String> {
    let v = arg(a, 0);
    if v.is_nil() {
        return Err("reflect: call of reflect.Value.Type on zero Value".into());
    }
    Ok(v.deep_copy())
}

fn go_type_of(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        other => other.type_name(),
    }
}

/// Sprig's `dig KEY... DEFAULT DICT`.
fn dig(a: &[Value]) -> Result<Value, String> {
    if a.len() < 3 {
        return Err("dig needs at least three arguments".into());
    }
    let n = a.len();
    let mut current = match &a[n - 1] {
        Value::Map(m, t) if t.elem == ElemKind::Any => m.clone(),
        other => return Err(conversion_error(other, "map[string]interface {}")),
    };
    let default = a[n - 2].clone();
    let mut keys = Vec::with_capacity(n - 2);
    for k in &a[..n - 2] {
        match k {
            Value::String(s) => keys.push(s.to_string()),
            other => return Err(conversion_error(other, "string")),
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let step = match current.borrow().get(k) {
            Some(v) => v.clone(),
            None => return Ok(default),
        };
        if i == keys.len() - 1 {
            return Ok(step);
        }
        current = match step {
            Value::Map(m, t) if t.elem == ElemKind::Any => m,
            other => return Err(conversion_error(&other, "map[string]interface {}")),
        };
    }
    Ok(default)
}

fn conversion_error(v: &Value, want: &str) -> String {
    format!(
        "interface conversion: interface {{}} is {}, not {want}",
        go_type_of(v)
    )
}

/// Deepest map nesting `merge` follows (mergo has no limit; this guards recursion).
const MAX_MERGE_DEPTH: usize = 1000;

fn merge(a: &[Value], overwrite: bool) -> Result<Value, String> {
    // A nil dst: mergo allocates a new map (and Sprig returns it).
    let dst_value = match a.first() {
        Some(v @ Value::Map(_, t)) if !t.nil => v.clone(),
        _ => Value::empty_map(),
    };
    let Value::Map(dst, _) = &dst_value else {
        return Ok(dst_value);
    };
    for src in &a[1..] {
        if let Value::Map(src, _) = src {
            if !std::rc::Rc::ptr_eq(dst, src) {
                merge_maps(dst, src, overwrite, 0)?;
            }
        }
    }
    Ok(dst_value.clone())
}

/// mergo's emptiness test for a map element (`isEmptyValue` through the interface).
fn is_empty_value(v: &Value) -> bool {
    super::empty(v)
}

/// mergo `Merge(&dst, src)` / `Merge(&dst, src, WithOverride)` for `map[string]interface{}`:
/// - a key missing or empty (`""`, `0`, `false`, empty list or map, nil) in `dst` takes the
///   value from `src`; with override, any `src` value replaces a non-map `dst` value (even an
///   empty one), and `nil` in `src` replaces `dst`;
/// - without override, a `nil` in `src` is never copied, even to a missing key;
/// - maps on both sides merge recursively, in place;
/// - lists are never merged element-wise: override replaces, otherwise `dst` keeps its list
///   unless it is empty.
fn merge_maps(dst: &MapRef, src: &MapRef, overwrite: bool, depth: usize) -> Result<(), String> {
    if depth > MAX_MERGE_DEPTH {
        return Err("merge: maps nested too deeply".into());
    }
    let entries: Vec<(String, Value)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, sv) in entries {
        if sv.is_nil() {
            if overwrite {
                dst.borrow_mut().insert(key, Value::Nil);
            }
            continue;
        }
        let dv = dst.borrow().get(&key).cloned();
        // A nil map in dst is empty: it is replaced, never filled in.
        if let (Some(Value::Map(dm, dt)), Value::Map(sm, _)) = (&dv, &sv) {
            if !dt.nil {
                if !std::rc::Rc::ptr_eq(dm, sm) {
                    merge_maps(dm, sm, overwrite, depth + 1)?;
                }
                if !dm.borrow().is_empty() {
                    continue;
                }
            }
        }
        let dst_empty = dv.as_ref().is_none_or(is_empty_value);
        if !dst_empty && matches!(sv, Value::List(..)) {
            if overwrite {
                dst.borrow_mut().insert(key, sv);
            }
            continue;
        }
        if overwrite || dst_empty {
            dst.borrow_mut().insert(key, sv);
        }
    }
    Ok(())
}
