//! Dict mutation and sharing, as recorded from helm v4.3.1: `set`/`unset`/`merge` change the
//! map every variable points at; `merge` shares nested maps it copies from a source;
//! `deepCopy` does not; `append` never changes its list.

use chartroom_funcs::sprig::call;
use chartroom_template::Value;

fn s(x: &str) -> Value {
    Value::str(x)
}

fn i(n: i64) -> Value {
    Value::Int(n)
}

fn c(name: &str, args: &[Value]) -> Value {
    call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Go's `%v` of a value (what `toString` returns).
fn v(x: &Value) -> String {
    c("toString", std::slice::from_ref(x))
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn set_and_unset_mutate_the_shared_map() {
    let d = c("dict", &[s("a"), i(1)]);
    let e = d.clone();
    c("set", &[d.clone(), s("b"), i(2)]);
    assert_eq!(v(&e), "map[a:1 b:2]");
    c("unset", &[e.clone(), s("a")]);
    assert_eq!(v(&d), "map[b:2]");
}

#[test]
fn merge_mutates_dst_and_shares_nested_source_maps() {
    let dst = c(
        "dict",
        &[
            s("x"),
            c("dict", &[s("y"), i(1)]),
            s("l"),
            c("list", &[i(1)]),
        ],
    );
    let src = c(
        "dict",
        &[
            s("x"),
            c("dict", &[s("z"), i(2)]),
            s("n"),
            c("dict", &[s("k"), i(1)]),
        ],
    );
    let r = c("merge", &[dst.clone(), src.clone()]);
    assert_eq!(v(&dst), "map[l:[1] n:map[k:1] x:map[y:1 z:2]]");
    assert_eq!(v(&r), v(&dst));
    // dst.n is src.n: changing one changes the other (as in Go).
    let Value::Map(m, _) = &src else { panic!() };
    let n = m.borrow().get("n").cloned().unwrap();
    c("set", &[n, s("k"), i(99)]);
    assert_eq!(v(&dst), "map[l:[1] n:map[k:99] x:map[y:1 z:2]]");
    // deepCopy is independent.
    let copy = c("deepCopy", std::slice::from_ref(&dst));
    let Value::Map(cm, _) = &copy else { panic!() };
    let x = cm.borrow().get("x").cloned().unwrap();
    c("set", &[x, s("y"), i(100)]);
    assert_eq!(v(&dst), "map[l:[1] n:map[k:99] x:map[y:1 z:2]]");
    assert_eq!(v(&copy), "map[l:[1] n:map[k:99] x:map[y:100 z:2]]");
}

#[test]
fn merge_overwrite_into_empty_shares_nested_maps() {
    let m1 = c("dict", &[s("a"), c("dict", &[s("b"), i(1)])]);
    let m2 = c("mergeOverwrite", &[c("dict", &[]), m1.clone()]);
    let Value::Map(m, _) = &m2 else { panic!() };
    let a = m.borrow().get("a").cloned().unwrap();
    c("set", &[a, s("b"), i(7)]);
    assert_eq!(v(&m1), "map[a:map[b:7]]");
}

#[test]
fn merge_fills_empty_values_from_the_first_source_only() {
    let p = c("dict", &[s("k"), s("")]);
    c(
        "merge",
        &[
            p.clone(),
            c("dict", &[s("k"), s("v")]),
            c("dict", &[s("k"), s("w")]),
        ],
    );
    assert_eq!(v(&p), "map[k:v]");
    // Merging a map into itself changes nothing.
    let d = c("dict", &[s("a"), i(1)]);
    c("merge", &[d.clone(), d.clone()]);
    assert_eq!(v(&d), "map[a:1]");
}

#[test]
fn append_returns_a_new_list() {
    let l = c("list", &[i(1), i(2)]);
    let l2 = c("append", &[l.clone(), i(3)]);
    assert_eq!(v(&l), "[1 2]");
    assert_eq!(v(&l2), "[1 2 3]");
}

#[test]
fn dig_get_haskey_pluck_default() {
    let inner = c("dict", &[s("c"), s("found")]);
    let d = c("dict", &[s("a"), c("dict", &[s("b"), inner])]);
    assert_eq!(v(&c("dig", &[s("a"), s("b"), s("c"), s("d"), d])), "found");
    let with_nil = c("dict", &[s("a"), Value::Nil]);
    assert!(c("get", &[with_nil.clone(), s("a")]).is_nil());
    assert!(matches!(
        c("hasKey", &[with_nil, s("a")]),
        Value::Bool(true)
    ));
    let one = c("dict", &[s("a"), i(1)]);
    assert_eq!(v(&c("pluck", &[s("a"), one.clone(), one])), "[1 1]");
    let def = c("dict", &[s("x"), i(1)]);
    assert_eq!(v(&c("default", &[def, c("dict", &[])])), "map[x:1]");
    // A list holding only nil is not empty.
    assert!(matches!(
        c("empty", &[c("list", &[Value::Nil])]),
        Value::Bool(false)
    ));
}

#[test]
fn keys_are_sorted_per_dict_and_values_follow_key_order() {
    // Go's map order is random; we return each dict's keys sorted (documented deviation).
    let a = c("dict", &[s("b"), i(1), s("a"), i(2)]);
    let b = c("dict", &[s("a"), i(3)]);
    let k = c("keys", &[a.clone(), b]);
    assert_eq!(k.type_name(), "[]string");
    assert_eq!(v(&k), "[a b a]");
    assert_eq!(v(&c("values", &[a])), "[2 1]");
}

#[test]
fn deep_copy_keeps_types() {
    let l = c("splitList", &[s(","), s("a,b")]);
    let copy = c("deepCopy", &[l]);
    assert_eq!(copy.type_name(), "[]string");
    let sp = c("split", &[s(","), s("a,b")]);
    assert_eq!(c("deepCopy", &[sp]).type_name(), "map[string]string");
}
