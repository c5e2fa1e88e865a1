//! Inputs and expected outputs carried over (as facts) from Go's text/template exec_test.go,
//! restated over the value model: Go's struct `tVal` becomes a map with the same field
//! names, so cases that depend on struct-only behaviour (methods, unexported fields,
//! pointers, typed maps) are left out or adapted where noted.

use chartroom_template::*;

fn ints(v: &[i64]) -> Value {
    Value::list(v.iter().map(|i| Value::Int(*i)).collect())
}

fn imap(kv: &[(&str, i64)]) -> Value {
    Value::map(
        kv.iter()
            .map(|(k, v)| (k.to_string(), Value::Int(*v)))
            .collect(),
    )
}

fn tval() -> Value {
    let mut m = Map::new();
    m.insert("True".into(), Value::Bool(true));
    m.insert("I".into(), Value::Int(17));
    m.insert("X".into(), Value::str("x"));
    m.insert("S".into(), Value::str("xyz"));
    m.insert(
        "U".into(),
        Value::map([("V".to_string(), Value::str("v"))].into()),
    );
    m.insert("SI".into(), ints(&[3, 4, 5]));
    m.insert("SIEmpty".into(), ints(&[]));
    m.insert(
        "SB".into(),
        Value::list(vec![Value::Bool(true), Value::Bool(false)]),
    );
    m.insert("MSI".into(), imap(&[("one", 1), ("two", 2), ("three", 3)]));
    m.insert("MSIone".into(), imap(&[("one", 1)]));
    m.insert("MSIEmpty".into(), Value::empty_map());
    m.insert("MXI".into(), Value::empty_map());
    m.insert(
        "SMSI".into(),
        Value::list(vec![
            imap(&[("one", 1), ("two", 2)]),
            imap(&[("eleven", 11), ("twelve", 12)]),
        ]),
    );
    m.insert("Empty0".into(), Value::Nil);
    m.insert("Empty1".into(), Value::Int(3));
    m.insert("Empty2".into(), Value::str("empty2"));
    m.insert("Empty3".into(), ints(&[7, 8]));
    m.insert("FloatZero".into(), Value::Float(0.0));
    m.insert("PS".into(), Value::str("a string"));
    Value::map(m)
}

fn set() -> TemplateSet {
    let mut s = TemplateSet::new();
    s.add_func(
        "add",
        Function::new(&[ArgType::Int, ArgType::Int], None, |_, a| {
            match (&a[0], &a[1]) {
                (Value::Int(x), Value::Int(y)) => Ok(Value::Int(x + y)),
                _ => Err("bad".into()),
            }
        }),
    );
    s.add_func(
        "echo",
        Function::new(&[ArgType::Any], None, |_, a| Ok(a[0].clone())),
    );
    s.add_func("die", Function::new(&[], None, |_, _| Err("die".into())));
    s.add_func(
        "makemap",
        Function::new(&[], Some(ArgType::String), |_, a| {
            let mut m = Map::new();
            for p in a.chunks(2) {
                if let [k, v] = p {
                    m.insert(k.as_str().unwrap_or("").to_string(), v.clone());
                }
            }
            Ok(Value::map(m))
        }),
    );
    s
}

fn exec(tpl: &str, data: &Value) -> Result<String, String> {
    let mut s = set();
    s.parse("test", tpl).map_err(|e| e.to_string())?;
    s.execute("test", data).map_err(|e| e.to_string())
}

/// (template, expected output or None for "must fail", data is tVal unless `nil_data`).
const CASES: &[(&str, Option<&str>)] = &[
    ("", Some("")),
    ("hello", Some("hello")),
    ("-{{.}}-", Some("-<no value>-")), // nil data
    ("{{.foo}}", Some("<no value>")),
    ("{{(.).foo}}", Some("<no value>")),
    ("{{1 2}}", None),
    ("{{(1) 2}}", None),
    ("{{(1)}}", Some("1")),
    (
        "{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}",
        Some("1 5 15"),
    ),
    ("{{if true}}TRUE{{end}}", Some("TRUE")),
    ("{{if false}}TRUE{{else}}FALSE{{end}}", Some("FALSE")),
    ("{{if nil}}TRUE{{end}}", None),
    ("{{if 1}}NON-ZERO{{else}}ZERO{{end}}", Some("NON-ZERO")),
    ("{{if 0}}NON-ZERO{{else}}ZERO{{end}}", Some("ZERO")),
    ("{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", Some("NON-ZERO")),
    ("{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", Some("EMPTY")),
    (
        "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}",
        Some("NON-EMPTY"),
    ),
    ("{{if false}}FALSE{{else if true}}TRUE{{end}}", Some("TRUE")),
    (
        "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}",
        Some("3"),
    ),
    ("{{print \"hello, print\"}}", Some("hello, print")),
    ("{{print 1 2 3}}", Some("1 2 3")),
    ("{{print nil}}", Some("<nil>")),
    ("{{println 1 2 3}}", Some("1 2 3\n")),
    ("{{printf \"%04x\" 127}}", Some("007f")),
    ("{{printf \"%g\" 3.5}}", Some("3.5")),
    ("{{printf \"%s\" \"hello\"}}", Some("hello")),
    (
        "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}",
        Some("&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
    ),
    (
        "{{printf \"<script>alert(\\\"XSS\\\");</script>\" | html}}",
        Some("&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"),
    ),
    (
        "{{\"http://www.example.org/\"|urlquery}}",
        Some("http%3A%2F%2Fwww.example.org%2F"),
    ),
    ("{{not true}} {{not false}}", Some("false true")),
    (
        "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}",
        Some("false 0 0 1"),
    ),
    (
        "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}",
        Some("0 1 true 1"),
    ),
    ("{{or 0 1 (die)}}", Some("1")),
    ("{{and 1 0 (die)}}", Some("0")),
    ("{{or 0 0 (die)}}", None),
    ("{{and 1 1 (die)}}", None),
    ("{{1 | and 1}}", Some("1")),
    ("{{0 | and 1}}", Some("0")),
    ("{{1 | or 0}}", Some("1")),
    ("{{0 | or 0}}", Some("0")),
    ("{{and 1 .Unknown}}", Some("<no value>")),
    ("{{or 0 .Unknown}}", Some("<no value>")),
    (
        "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}",
        Some("TRUE"),
    ),
    (
        "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}",
        Some("FALSE"),
    ),
    (
        "{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}",
        Some("FALSE"),
    ),
    ("{{index .SI 0}}", Some("3")),
    ("{{index .SI 1}}", Some("4")),
    ("{{index .SI 10}}", None),
    ("{{index .SI `hello`}}", None),
    ("{{index .SI nil}}", None),
    ("{{index .MSI `one`}}", Some("1")),
    ("{{index .MSI `two`}}", Some("2")),
    ("{{index .MSI `XXX`}}", Some("<no value>")), // Go's map[string]int gives 0
    ("{{index .MSI nil}}", None),
    ("{{index .MSI 10}}", None),
    ("{{index .SMSI 1 `eleven`}}", Some("11")),
    ("{{index nil 1}}", None),
    ("{{index .Empty3 0}}", Some("7")),
    ("{{slice .SI}}", Some("[3 4 5]")),
    ("{{slice .SI 1}}", Some("[4 5]")),
    ("{{slice .SI 1 2}}", Some("[4]")),
    ("{{slice .SI -1}}", None),
    ("{{slice .SI 1 -2}}", None),
    ("{{slice .SI 1 2 -1}}", None),
    ("{{slice .SI 2 1}}", None),
    ("{{slice .SI 2 2 1}}", None),
    ("{{slice .SI 4 5}}", None),
    ("{{slice .SI 2 2 5}}", None),
    ("{{slice .S}}", Some("xyz")),
    ("{{slice .S 0 1}}", Some("x")),
    ("{{slice .S 1}}", Some("yz")),
    ("{{slice .S 1 2}}", Some("y")),
    ("{{slice .S 1 5}}", None),
    ("{{slice .S 1 2 2}}", None),
    ("{{slice .Empty3 0 1}}", Some("[7]")),
    ("{{len .SI}}", Some("3")),
    ("{{len .MSI }}", Some("3")),
    ("{{len 3}}", None),
    ("{{len .Empty0}}", None),
    ("{{len .Empty3}}", Some("2")),
    ("{{with true}}{{.}}{{end}}", Some("true")),
    ("{{with false}}{{.}}{{else}}FALSE{{end}}", Some("FALSE")),
    ("{{with 1}}{{.}}{{else}}ZERO{{end}}", Some("1")),
    ("{{with 0}}{{.}}{{else}}ZERO{{end}}", Some("ZERO")),
    ("{{with 1.5}}{{.}}{{else}}ZERO{{end}}", Some("1.5")),
    ("{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}", Some("ZERO")),
    ("{{with ``}}{{.}}{{else}}EMPTY{{end}}", Some("EMPTY")),
    (
        "{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}",
        Some("notempty"),
    ),
    ("{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}", Some("EMPTY")),
    ("{{with .SI}}{{.}}{{else}}EMPTY{{end}}", Some("[3 4 5]")),
    ("{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}", Some("EMPTY")),
    (
        "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}",
        Some("map[one:1]"),
    ),
    ("{{with $x := .I}}{{$x}}{{end}}", Some("17")),
    ("{{with $x := $}}{{$x.U.V}}{{end}}", Some("v")),
    ("{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", Some("v")),
    (
        "{{with 0}}{{.}}{{else with true}}{{.}}{{end}}",
        Some("true"),
    ),
    (
        "{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}",
        Some("notempty"),
    ),
    ("{{range .SI}}-{{.}}-{{end}}", Some("-3--4--5-")),
    ("{{range .SIEmpty}}-{{.}}-{{end}}", Some("")),
    (
        "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}",
        Some("-3--4--5-"),
    ),
    (
        "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}",
        Some("EMPTY"),
    ),
    (
        "{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}",
        Some("-3-"),
    ),
    (
        "{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}",
        Some("-3--4--5-"),
    ),
    ("{{range .SB}}-{{.}}-{{end}}", Some("-true--false-")),
    ("{{range .MSI}}-{{.}}-{{end}}", Some("-1--3--2-")),
    ("{{range .MSIEmpty}}-{{.}}-{{end}}", Some("")),
    ("{{range $x := .SI}}<{{$x}}>{{end}}", Some("<3><4><5>")),
    (
        "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}",
        Some("<0=3><1=4><2=5>"),
    ),
    (
        "{{range $x, $y := .MSI}}<{{$x}}={{$y}}>{{end}}",
        Some("<one=1><three=3><two=2>"),
    ),
    ("{{range 5}}{{.}}{{end}}", Some("01234")),
    ("{{range $i := 3}}{{$i}}{{end}}", Some("012")),
    ("{{range $i, $v := 3}}{{end}}", None),
    (
        "{{$x := 0}}{{range $i := .SI}}{{$x = $i}}{{end}}{{$x}}",
        Some("5"),
    ),
    (
        "{{$x := 0}}{{$y := 0}}{{range $x, $y = .SI}}{{end}}{{$x}},{{$y}}",
        Some("2,5"),
    ),
    (
        "{{range .SI}}{{if ge . 4}}{{break}}{{end}}{{.}}{{end}}",
        Some("3"),
    ),
    (
        "{{range $i, $v := .SMSI}}{{range $v}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}};{{end}}",
        Some("1;1112;"),
    ),
    (
        "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}",
        Some("true,17"),
    ),
    (
        "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}",
        Some("17,true"),
    ),
    ("{{($).X}}", Some("x")),
    ("{{($ | echo).X}}", Some("x")),
    (
        "{{(makemap \"up\" \"down\" \"left\" \"right\").left}}",
        Some("right"),
    ),
    (
        "{{template `x` .}}{{define `x`}}[{{.X}}]{{end}}",
        Some("[x]"),
    ),
    (
        "{{template `x`}}{{define `x`}}[{{.}}]{{end}}",
        Some("[<no value>]"),
    ),
    (
        "{{$x := 1}}{{template `x` .}}{{define `x`}}{{$x}}{{end}}",
        None,
    ),
    (
        "{{eq .I 17}} {{eq .X `x`}} {{ne .I 1}} {{lt .I 20}} {{gt .S `a`}}",
        Some("true true true true true"),
    ),
    ("{{eq 1 2 3 1}}", Some("true")),
    ("{{eq}}", None),
    ("{{eq 1}}", None),
    ("{{lt 1 1.5}}", None),
    ("{{eq `x` 1}}", None),
    ("{{js .X}}", Some("x")),
    ("{{call .X}}", None),
    ("{{call nil}}", None),
    ("{{call}}", None),
    ("{{1 | call}}", None),
    ("{{nonexistent}}", None),
];

#[test]
fn go_exec_cases() {
    let data = tval();
    let mut fails = Vec::new();
    for (tpl, want) in CASES {
        let d = if tpl.starts_with("-{{.}}-") {
            Value::Nil
        } else {
            data.clone()
        };
        let got = exec(tpl, &d);
        let ok = match want {
            Some(w) => got.as_deref() == Ok(*w),
            None => got.is_err(),
        };
        if !ok {
            fails.push(format!("{tpl:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(
        fails.is_empty(),
        "{} failures:\n{}",
        fails.len(),
        fails.join("\n")
    );
}

#[test]
fn missingkey_modes() {
    let run = |mk: MissingKey, t: &str| {
        let mut s = TemplateSet::new();
        s.set_options(Options {
            missing_key: mk,
            ..Options::default()
        });
        s.parse("t", t).unwrap();
        s.execute("t", &tval()).map_err(|e| e.to_string())
    };
    assert_eq!(
        run(MissingKey::Default, "{{.Nope}}"),
        Ok("<no value>".into())
    );
    assert_eq!(run(MissingKey::Zero, "{{.Nope}}"), Ok("<no value>".into()));
    assert_eq!(
        run(MissingKey::Error, "{{.Nope}}"),
        Err(
            "template: t:1:2: executing \"t\" at <.Nope>: map has no entry for key \"Nope\"".into()
        )
    );
    // Default: the invalid value flows on silently; Zero: a nil interface, so a further field
    // is a nil pointer evaluation (as Helm reports it).
    assert_eq!(
        run(MissingKey::Default, "{{.Nope.x}}"),
        Ok("<no value>".into())
    );
    assert_eq!(
        run(MissingKey::Zero, "{{.Nope.x}}"),
        Err(
            "template: t:1:7: executing \"t\" at <.Nope.x>: nil pointer evaluating interface {}.x"
                .into()
        )
    );
    assert_eq!(
        run(MissingKey::Error, "{{$x := .Empty0}}{{$x.y}}"),
        Err("template: t:1:21: executing \"t\" at <$x.y>: nil data; no entry for key \"y\"".into())
    );
}

#[test]
fn user_function_overrides_builtin_and_errors_wrap() {
    let mut s = TemplateSet::new();
    s.add_func(
        "len",
        Function::new(&[ArgType::Any], None, |_, _| Ok(Value::Int(42))),
    );
    s.add_func(
        "fail",
        Function::new(&[ArgType::String], None, |_, a| {
            Err(format!("boom {:?}", a[0]))
        }),
    );
    s.parse("t", "{{ len 3 }}").unwrap();
    assert_eq!(s.execute("t", &Value::Nil).unwrap(), "42");
    s.parse("u", "{{ fail \"x\" }}").unwrap();
    assert_eq!(
        s.execute("u", &Value::Nil).unwrap_err().to_string(),
        "template: u:1:3: executing \"u\" at <fail \"x\">: error calling fail: boom \"x\""
    );
    s.parse("v", "{{ fail 1 2 }}").unwrap();
    assert_eq!(
        s.execute("v", &Value::Nil).unwrap_err().to_string(),
        "template: v:1:3: executing \"v\" at <fail>: wrong number of args for fail: want 1 got 2"
    );
    s.add_func(
        "f64",
        Function::new(&[ArgType::Float64, ArgType::Int64], None, |_, a| {
            Ok(Value::list(a.to_vec()))
        }),
    );
    s.parse(
        "w",
        "{{ printf \"%T %T\" (index (f64 1 2) 0) (index (f64 1 2) 1) }}|{{ f64 1.5 2.5 }}",
    )
    .unwrap();
    assert_eq!(
        s.execute("w", &Value::Nil).unwrap_err().to_string(),
        "template: w:1:72: executing \"w\" at <2.5>: expected integer; found 2.5"
    );
    s.parse(
        "x",
        "{{ printf \"%T %T\" (index (f64 1 2) 0) (index (f64 1 2) 1) }}",
    )
    .unwrap();
    assert_eq!(s.execute("x", &Value::Nil).unwrap(), "float64 int64");
}

#[test]
fn call_builtin_errors() {
    assert_eq!(
        exec("{{ 1 | call }}", &Value::Nil),
        Err("template: test:1:7: executing \"test\" at <call>: error calling call: non-function <int Value> of type int".into())
    );
    assert_eq!(
        exec("{{ call .X 1 }}", &tval()),
        Err("template: test:1:3: executing \"test\" at <call .X 1>: error calling call: non-function .X of type string".into())
    );
}

#[test]
fn go_number_constants() {
    assert_eq!(
        exec("{{1_000}} {{0x1F}} {{0o17}} {{017}} {{0b101}} {{'a'}} {{'\\n'}} {{1e3}} {{0x1p4}} {{-0}} {{.5}} {{1.0}} {{-7}}", &Value::Nil),
        Ok("1000 31 15 15 5 97 10 1000 16 0 0.5 1 -7".into())
    );
    assert_eq!(
        exec("{{ 99999999999999999999 }}", &Value::Nil),
        Err("template: test:1: integer overflow: \"99999999999999999999\"".into())
    );
    assert_eq!(
        exec("{{ 'ab' }}", &Value::Nil),
        Err("template: test:1: malformed character constant: 'ab'".into())
    );
}
