//! A bounded randomized test: template text assembled from fragments is parsed and executed
//! against varied data. Nothing may panic or overflow the stack; every run must end in
//! output or an error.

use std::rc::Rc;

use chartroom_template::*;

const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    " ",
    " ",
    " ",
    ".",
    ".a",
    ".b.c",
    ".l",
    ".m",
    ".n",
    "$",
    "$x",
    "$x := ",
    "$x = ",
    "$i, $v := ",
    " | ",
    "(",
    ")",
    "if ",
    "else ",
    "else if ",
    "end",
    "range ",
    "with ",
    "define \"d\"",
    "template \"d\" ",
    "block \"b\" ",
    "break",
    "continue",
    "\"s\"",
    "`r`",
    "'c'",
    "1",
    "-1.5",
    "0x1F",
    "1_000",
    "nil",
    "true",
    "and ",
    "or ",
    "not ",
    "len ",
    "index ",
    "slice ",
    "print ",
    "printf \"%v\" ",
    "eq ",
    "lt ",
    "html ",
    "js ",
    "urlquery ",
    "call ",
    "text",
    "\n",
    "/*",
    "*/",
    ",",
    "1e3",
    "'",
    "\"",
    "\\",
    "é",
    "{{/* c */}}",
    "{{end}}",
    "{{else}}",
    "{{ .a }}",
    "{{ range .l }}",
    "{{ if . }}",
    "{{ with .m }}",
    "3",
    "{{ template \"d\" . }}",
    "\"\\0€\"",
    "'\\x4'",
    "'€'",
    "\"\\u00e9\"",
    "{{ define \"d\" }}",
    "ident",
    "}",
    "{",
    "0",
    "-",
    "=",
    ":",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn data() -> Value {
    let mut m = Map::new();
    m.insert("a".into(), Value::str("A"));
    let mut b = Map::new();
    b.insert("c".into(), Value::Float(2.5));
    m.insert("b".into(), Value::map(b));
    m.insert(
        "l".into(),
        Value::list(vec![
            Value::Int(1),
            Value::str("x"),
            Value::Nil,
            Value::Bool(false),
        ]),
    );
    m.insert("m".into(), Value::empty_map());
    m.insert("n".into(), Value::Nil);
    m.insert("bytes".into(), Value::Bytes(Rc::from(&b"hi"[..])));
    Value::map(m)
}

#[test]
fn random_templates_never_panic() {
    let start = std::time::Instant::now();
    let mut rng = Lcg(0x5eed);
    let d = data();
    let mut parsed = 0;
    let mut executed = 0;
    for round in 0..100_000 {
        if start.elapsed().as_secs() >= 6 {
            break;
        }
        let n = 1 + (rng.next() % 24) as usize;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(FRAGMENTS[(rng.next() as usize) % FRAGMENTS.len()]);
        }
        let mut set = TemplateSet::new();
        set.set_options(Options {
            missing_key: match round % 3 {
                0 => MissingKey::Default,
                1 => MissingKey::Zero,
                _ => MissingKey::Error,
            },
            max_depth: 200,
            fuel: Some(20_000),
            ..Options::default()
        });
        set.add_func(
            "ident",
            Function::new(&[], Some(ArgType::Any), |_, a| {
                Ok(a.first().cloned().unwrap_or(Value::Nil))
            }),
        );
        if set.parse("t", &text).is_ok() {
            parsed += 1;
            match set.execute("t", &d) {
                Ok(_) => executed += 1,
                Err(e) => assert!(e.to_string().starts_with("template: "), "{text:?}: {e}"),
            }
        }
    }
    assert!(parsed > 100, "generator too weak: {parsed} parsed");
    assert!(executed > 50, "generator too weak: {executed} executed");
}

#[test]
fn deepest_allowed_nesting_runs_on_a_small_stack() {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let text = "{{if 1}}".repeat(MAX_NESTING)
                + "{{ "
                + &"(".repeat(MAX_PAREN_DEPTH)
                + "print 1"
                + &")".repeat(MAX_PAREN_DEPTH)
                + " }}"
                + &"{{end}}".repeat(MAX_NESTING);
            let mut s = TemplateSet::new();
            s.parse("t", &text).unwrap();
            let out = s.execute("t", &Value::Nil).unwrap();
            // Error context strings of deep nodes are also bounded.
            let bad =
                "{{if 1}}".repeat(MAX_NESTING) + "{{ .x.y }}" + &"{{end}}".repeat(MAX_NESTING);
            s.parse("u", &bad).unwrap();
            let mut m = Map::new();
            m.insert("x".into(), Value::str("s"));
            let e = s.execute("u", &Value::map(m)).unwrap_err().to_string();
            (out, e)
        })
        .unwrap();
    let (out, e) = h.join().unwrap();
    assert_eq!(out, "1");
    assert!(
        e.ends_with("can't evaluate field y in type interface {}"),
        "{e}"
    );
}
