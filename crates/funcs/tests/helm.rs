//! Helm's encoding functions; expectations recorded from Helm v4.3.1.

use chartroom_funcs::{helm, toml};
use chartroom_template::{Map, Value};

/// `toToml`'s encoder.
fn encode(v: &Value) -> Result<String, String> {
    chartroom_yaml::to_toml(v)
        .map(|doc| String::from_utf8(doc).expect("UTF-8 in, UTF-8 out"))
        .map_err(|e| e.to_string())
}

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.to_string(), v);
    }
    Value::map(m)
}

#[test]
fn to_toml_matches_burntsushi_layout() {
    let v = dict(vec![
        ("s", Value::str("x\"y\n")),
        ("i", Value::Int(1)),
        ("f", Value::Float(1.5)),
        ("b", Value::Bool(true)),
        ("n", Value::Nil),
        ("l", Value::list(vec![Value::Int(1), Value::Int(2)])),
        ("e", Value::list(vec![])),
        ("ls", Value::list(vec![Value::str("a"), Value::str("b")])),
        (
            "m",
            dict(vec![
                ("k", Value::str("v")),
                ("sub", dict(vec![("z", Value::Int(1))])),
            ]),
        ),
        (
            "lm",
            Value::list(vec![
                dict(vec![("a", Value::Int(1))]),
                dict(vec![("b", Value::Int(2))]),
            ]),
        ),
        ("key with space", Value::Int(1)),
        ("big", Value::Float(1e20)),
        ("whole", Value::Float(3.0)),
        ("mixed", Value::list(vec![Value::Int(1), Value::str("a")])),
    ]);
    assert_eq!(
        encode(&v).unwrap(),
        "b = true\nbig = 1e+20\ne = []\nf = 1.5\ni = 1\n\"key with space\" = 1\nl = [1, 2]\nls = [\"a\", \"b\"]\nmixed = [1, \"a\"]\ns = \"x\\\"y\\n\"\nwhole = 3.0\n\n[[lm]]\n  a = 1\n\n[[lm]]\n  b = 2\n\n[m]\n  k = \"v\"\n  [m.sub]\n    z = 1\n"
    );
    assert_eq!(
        encode(&Value::list(vec![Value::Int(1), Value::Int(2)])).unwrap(),
        "[1, 2]"
    );
    assert_eq!(encode(&Value::str("x")).unwrap(), "\"x\"");
    assert_eq!(
        encode(&Value::Nil).unwrap_err(),
        "reflect: call of reflect.Value.Type on zero Value"
    );
    assert_eq!(
        encode(&dict(vec![("a", Value::list(vec![Value::Nil]))])).unwrap_err(),
        "toml: cannot encode array with nil element"
    );
    let nested = dict(vec![(
        "a",
        Value::list(vec![
            Value::list(vec![Value::Int(1), Value::Int(2)]),
            dict(vec![("x", Value::Int(1))]),
        ]),
    )]);
    assert_eq!(encode(&nested).unwrap(), "a = [[1, 2], {x = 1}]\n");
    let keys = dict(vec![
        ("a-b_C9", Value::Int(1)),
        ("é", Value::Int(2)),
        ("", Value::Int(3)),
        ("a.b", Value::Int(4)),
    ]);
    assert_eq!(
        encode(&keys).unwrap(),
        "\"\" = 3\na-b_C9 = 1\n\"a.b\" = 4\n\"é\" = 2\n"
    );
    let esc = dict(vec![("s", Value::str("tab\there\u{1}\u{7f}\\ é"))]);
    assert_eq!(
        encode(&esc).unwrap(),
        "s = \"tab\\there\\u0001\\u007f\\\\ é\"\n"
    );
    let tables = dict(vec![(
        "l",
        Value::list(vec![
            dict(vec![
                ("a", Value::Nil),
                ("b", dict(vec![("c", Value::Int(1))])),
            ]),
            dict(vec![]),
        ]),
    )]);
    assert_eq!(
        encode(&tables).unwrap(),
        "[[l]]\n  [l.b]\n    c = 1\n\n[[l]]\n"
    );
    let deep = dict(vec![(
        "a",
        dict(vec![(
            "b",
            Value::list(vec![dict(vec![("c", Value::Int(1))])]),
        )]),
    )]);
    assert_eq!(encode(&deep).unwrap(), "[a]\n\n  [[a.b]]\n    c = 1\n");
    assert_eq!(encode(&dict(vec![("a", dict(vec![]))])).unwrap(), "[a]\n");
}

#[test]
fn from_toml_values_and_errors() {
    let v = toml::from_toml("a = 1\nb = 1.5\nc = [1, \"x\"]\n[t]\nx = true");
    let Value::Map(m, _) = &v else {
        panic!("not a map")
    };
    let m = m.borrow();
    assert!(matches!(m.get("a"), Some(Value::Int64(1))));
    assert!(matches!(m.get("b"), Some(Value::Float(f)) if *f == 1.5));
    assert!(matches!(m.get("t"), Some(Value::Map(..))));
    let e = toml::from_toml("a = ");
    let Value::Map(m, _) = &e else {
        panic!("not a map")
    };
    assert!(m
        .borrow()
        .get("Error")
        .and_then(|v| v.as_str())
        .is_some_and(|s| s.starts_with("toml: ")));
}

#[test]
fn yaml_pretty_indents_sequences_under_keys() {
    let v2 = "a:\n- 1\n- 2\n- x: \"y\"\n  z: 1.5\nb: |-\n  multi\n  line\nc: null\nd: \"yes\"\ne: {}\nf: []\n";
    assert_eq!(
        helm::indent_sequences(v2),
        "a:\n  - 1\n  - 2\n  - x: \"y\"\n    z: 1.5\nb: |-\n  multi\n  line\nc: null\nd: \"yes\"\ne: {}\nf: []\n"
    );
    let nested = "- items:\n  - a\n  - sub:\n    - b\n- c\n";
    assert_eq!(
        helm::indent_sequences(nested),
        "- items:\n    - a\n    - sub:\n        - b\n- c\n"
    );
    let literal = "k: |\n  text:\n  - not a list\nl:\n- x\n";
    assert_eq!(
        helm::indent_sequences(literal),
        "k: |\n  text:\n  - not a list\nl:\n  - x\n"
    );
}

#[test]
fn json_wrappers_shape_errors_like_helm() {
    // Type mismatches are reported in the Error key / as the only element.
    let got = helm::from_json("[1]");
    let Value::Map(m, _) = &got else {
        panic!("not a map")
    };
    assert_eq!(
        m.borrow().get("Error").and_then(|v| v.as_str()),
        Some("json: cannot unmarshal array into Go value of type map[string]interface {}")
    );
    let got = helm::from_json_array("{}");
    let Value::List(l, _) = &got else {
        panic!("not a list")
    };
    assert_eq!(
        l[0].as_str(),
        Some("json: cannot unmarshal object into Go value of type []interface {}")
    );
    let Value::Map(m, _) = helm::from_json("null") else {
        panic!("not a map")
    };
    assert!(m.borrow().is_empty());
}

#[test]
fn from_json_keeps_partial_data_with_the_error() {
    // helm: {"Error":"json: cannot unmarshal number 1e400 into Go struct field .a of type
    // float64","a":0,"b":2}
    let got = helm::from_json("{\"a\":1e400, \"b\": 2}");
    assert_eq!(
        helm::to_json(&got),
        "{\"Error\":\"json: cannot unmarshal number 1e400 into Go struct field .a of type \
         float64\",\"a\":0,\"b\":2}"
    );
}

/// Found by the `template_exec` fuzz target: joining a long folded scalar's lines rescanned
/// the joined text for its closing quote after every line (1.27 MB took 4.2 s). The quoted
/// forms (single, and double with escapes and a `\ ` continuation) of a long string must
/// unfold back to one line, as helm prints it (checked with helm 4.3.1 on 1.3 MB).
#[test]
fn yaml_pretty_unfolds_long_quoted_strings() {
    let long = "it's ".repeat(40_000);
    let v = dict(vec![("s", Value::string(long.clone()))]);
    let quoted = long.replace('\'', "''");
    assert_eq!(helm::to_yaml_pretty(&v), format!("s: '{quoted}'"));
    let escaped = "tab\there ".repeat(20_000);
    let v = dict(vec![("e", Value::string(escaped.clone()))]);
    let got = helm::to_yaml_pretty(&v);
    assert_eq!(got.lines().count(), 1, "unfolded to one line");
    assert_eq!(got, format!("e: \"{}\"", escaped.replace('\t', "\\t")));
}

#[test]
fn yaml_pretty_unfolds_and_formats_floats_like_v3() {
    let long = "ab ".repeat(100);
    let v = dict(vec![("long", Value::string(long.clone()))]);
    assert_eq!(helm::to_yaml_pretty(&v), format!("long: '{long}'"));
    let v = dict(vec![
        ("big", Value::Float(1e7)),
        ("f", Value::Float(1.0)),
        ("neg", Value::Float(-2e6)),
        (
            "l",
            Value::list(vec![Value::Float(3e6), Value::Int(10_000_000)]),
        ),
    ]);
    assert_eq!(
        helm::to_yaml_pretty(&v),
        "big: 1e+07\nf: 1\nl:\n  - 3e+06\n  - 10000000\nneg: -2e+06"
    );
    let items = Value::list(vec![
        dict(vec![("items", Value::list(vec![Value::str("a")]))]),
        Value::str("c"),
    ]);
    assert_eq!(helm::to_yaml_pretty(&items), "- items:\n    - a\n- c");
}
