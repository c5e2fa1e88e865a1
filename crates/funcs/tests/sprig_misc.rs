//! Registration, seeded randomness and the Go signatures the executor converts to.

use chartroom_funcs::sprig::{self, call};
use chartroom_template::{ArgType, FuncMap, Value};

#[test]
fn registers_helms_sprig_families_without_env() {
    let mut funcs = FuncMap::new();
    sprig::register(&mut funcs);
    for name in [
        "trim",
        "trimAll",
        "trimPrefix",
        "trimSuffix",
        "trimall",
        "upper",
        "lower",
        "title",
        "untitle",
        "repeat",
        "substr",
        "nospace",
        "trunc",
        "abbrev",
        "abbrevboth",
        "initials",
        "wrap",
        "wrapWith",
        "contains",
        "hasPrefix",
        "hasSuffix",
        "quote",
        "squote",
        "cat",
        "indent",
        "nindent",
        "replace",
        "plural",
        "snakecase",
        "camelcase",
        "kebabcase",
        "swapcase",
        "shuffle",
        "toString",
        "toStrings",
        "split",
        "splitList",
        "splitn",
        "join",
        "sortAlpha",
        "atoi",
        "int",
        "int64",
        "float64",
        "toDecimal",
        "default",
        "empty",
        "coalesce",
        "ternary",
        "all",
        "any",
        "list",
        "tuple",
        "first",
        "mustFirst",
        "rest",
        "mustRest",
        "last",
        "mustLast",
        "initial",
        "mustInitial",
        "append",
        "push",
        "mustAppend",
        "mustPush",
        "prepend",
        "mustPrepend",
        "concat",
        "reverse",
        "mustReverse",
        "uniq",
        "mustUniq",
        "without",
        "mustWithout",
        "has",
        "mustHas",
        "compact",
        "mustCompact",
        "slice",
        "mustSlice",
        "chunk",
        "mustChunk",
        "until",
        "untilStep",
        "seq",
        "dict",
        "get",
        "set",
        "unset",
        "hasKey",
        "pluck",
        "dig",
        "keys",
        "values",
        "pick",
        "omit",
        "merge",
        "mergeOverwrite",
        "mustMerge",
        "mustMergeOverwrite",
        "deepCopy",
        "mustDeepCopy",
        "add",
        "add1",
        "sub",
        "div",
        "mod",
        "mul",
        "max",
        "min",
        "biggest",
        "floor",
        "ceil",
        "round",
        "addf",
        "add1f",
        "subf",
        "divf",
        "mulf",
        "maxf",
        "minf",
        "randInt",
        "typeOf",
        "typeIs",
        "typeIsLike",
        "kindOf",
        "kindIs",
        "deepEqual",
        "regexMatch",
        "mustRegexMatch",
        "regexFindAll",
        "mustRegexFindAll",
        "regexFind",
        "mustRegexFind",
        "regexReplaceAll",
        "mustRegexReplaceAll",
        "regexReplaceAllLiteral",
        "mustRegexReplaceAllLiteral",
        "regexSplit",
        "mustRegexSplit",
        "regexQuoteMeta",
        "base",
        "dir",
        "clean",
        "ext",
        "isAbs",
        "urlParse",
        "urlJoin",
        "hello",
    ] {
        assert!(funcs.contains_key(name), "{name} not registered");
    }
    for removed in ["env", "expandenv", "toInt", "toBool"] {
        assert!(!funcs.contains_key(removed), "{removed} must not exist");
    }
}

#[test]
fn signatures_use_sprigs_go_parameter_types() {
    use ArgType::*;
    assert_eq!(sprig::signature("trunc"), Some((vec![Int, String], None)));
    assert_eq!(sprig::signature("quote"), Some((vec![], Some(Any))));
    assert_eq!(sprig::signature("default"), Some((vec![Any], Some(Any))));
    assert_eq!(sprig::signature("repeat"), Some((vec![Int, String], None)));
    assert_eq!(sprig::signature("merge"), Some((vec![Map], Some(Map))));
    assert_eq!(
        sprig::signature("round"),
        Some((vec![Any, Int], Some(Float64)))
    );
    assert_eq!(
        sprig::signature("ternary"),
        Some((vec![Any, Any, Bool], None))
    );
    assert_eq!(sprig::signature("seq"), Some((vec![], Some(Int))));
}

#[test]
fn call_checks_arity() {
    assert!(call("trunc", &[Value::Int(1)]).is_err());
    assert!(call("nosuch", &[]).is_err());
}

#[test]
fn seeded_randomness_repeats() {
    let word = Value::str("abcdefghijklmnop");
    sprig::rng::seed(42);
    let a = call("shuffle", std::slice::from_ref(&word)).unwrap();
    let r1 = call("randInt", &[Value::Int(0), Value::Int(1000)]).unwrap();
    sprig::rng::seed(42);
    let b = call("shuffle", std::slice::from_ref(&word)).unwrap();
    let r2 = call("randInt", &[Value::Int(0), Value::Int(1000)]).unwrap();
    assert_eq!(a.as_str(), b.as_str());
    assert!(matches!((r1, r2), (Value::Int(x), Value::Int(y)) if x == y && (0..1000).contains(&x)));
    // A shuffle is a permutation of the runes.
    let mut got: Vec<char> = a.as_str().unwrap().chars().collect();
    got.sort();
    assert_eq!(got.into_iter().collect::<String>(), "abcdefghijklmnop");
    for _ in 0..100 {
        let Ok(Value::Int(n)) = call("randInt", &[Value::Int(-3), Value::Int(2)]) else {
            panic!()
        };
        assert!((-3..2).contains(&n));
    }
}

#[test]
fn go_int_lists_are_lists_of_ints() {
    // Go's []int has no element kind in the shared Value: typeOf says []interface {}.
    let l = call("until", &[Value::Int(3)]).unwrap();
    let Value::List(items, _) = &l else { panic!() };
    assert!(items.iter().all(|v| matches!(v, Value::Int(_))));
    assert_eq!(items.len(), 3);
}
