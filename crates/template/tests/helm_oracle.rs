//! Cases whose expected results were recorded from Helm v4.3.1 (Go 1.27 text/template) with
//! `helm template` on a one-file chart (missingkey=zero, `<no value>` blanked as Helm does).
//! The template file is `gtc/templates/a.yaml`; values are built below to match the chart's
//! values.yaml (numbers are float64 there, as Helm reads them).

use std::rc::Rc;

use chartroom_template::*;

enum Expect {
    Out(&'static str),
    Fail(&'static str),
    /// A parse error: its prefix and the tail Helm showed after its last ": ".
    ParseFail(&'static str, &'static str),
}
use Expect::*;

const CASES: &[(&str, Expect)] = &include!("helm_cases.inc");

fn values() -> Value {
    let mut m = Map::new();
    m.insert("str".into(), Value::str("hello"));
    m.insert("int".into(), Value::Float(3.0));
    m.insert("flt".into(), Value::Float(1.5));
    m.insert("true".into(), Value::Bool(true));
    m.insert("nul".into(), Value::Nil);
    m.insert(
        "list".into(),
        Value::list(vec![Value::str("a"), Value::str("b"), Value::str("c")]),
    );
    m.insert(
        "ilist".into(),
        Value::list(vec![
            Value::Float(1.0),
            Value::Float(2.0),
            Value::Float(3.0),
        ]),
    );
    let mut mm = Map::new();
    mm.insert("k1".into(), Value::str("v1"));
    mm.insert("k2".into(), Value::str("v2"));
    m.insert("map".into(), Value::map(mm));
    m.insert("empty".into(), Value::str(""));
    m.insert("elist".into(), Value::list(vec![]));
    m.insert("emap".into(), Value::empty_map());
    let mut c = Map::new();
    c.insert("c".into(), Value::str("deep"));
    let mut b = Map::new();
    b.insert("b".into(), Value::map(c));
    let mut a = Map::new();
    a.insert("a".into(), Value::map(b));
    m.insert("nested".into(), Value::map(a));
    let mut root = Map::new();
    root.insert("Values".into(), Value::map(m));
    Value::map(root)
}

fn helm_like_set() -> TemplateSet {
    let mut s = TemplateSet::with_name("gotpl");
    s.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    s.add_func(
        "upper",
        Function::new(&[ArgType::String], None, |_, a| {
            Ok(Value::string(a[0].as_str().unwrap_or("").to_uppercase()))
        }),
    );
    s.add_func(
        "include",
        Function::new(&[ArgType::String, ArgType::Any], None, |st, a| {
            st.execute_template(a[0].as_str().unwrap_or(""), &a[1])
                .map(Value::String)
                .map_err(|e| e.to_string())
        }),
    );
    s.add_func(
        "tpl",
        Function::new(&[ArgType::String, ArgType::Any], None, |st, a| {
            // Helm's tpl: parse errors and execution errors are wrapped differently.
            let text = a[0].as_str().unwrap_or("").to_string();
            let opts = st.options().clone();
            match st.execute_text("gotpl", &Str::from(text.as_str()), &a[1], &opts) {
                Ok(s) => Ok(Value::String(s.replace(b"<no value>", b""))),
                Err(e) if e.kind == ErrorKind::Parse => Err(format!(
                    "cannot parse template {}: {}",
                    chartroom_template::fmt::quote(&text),
                    e
                )),
                Err(e) => Err(format!(
                    "error during tpl function execution for {}: {}",
                    chartroom_template::fmt::quote(&text),
                    e
                )),
            }
        }),
    );
    s.add_func(
        "rest",
        Function::new(&[ArgType::Any], None, |_, a| match &a[0] {
            Value::List(l, k) => Ok(Value::List(
                Rc::new(l.iter().skip(1).cloned().collect()),
                *k,
            )),
            _ => Err("rest: not a list".into()),
        }),
    );
    s.add_func(
        "kindOf",
        Function::new(&[ArgType::Any], None, |_, a| {
            Ok(Value::str(a[0].kind_name()))
        }),
    );
    s
}

fn run(tpl: &str) -> Result<String, Error> {
    let mut s = helm_like_set();
    s.parse("gtc/templates/a.yaml", tpl)?;
    s.execute("gtc/templates/a.yaml", &values())
        .map(|o| o.replace("<no value>", ""))
}

#[test]
fn helm_recorded_cases() {
    let mut failures = Vec::new();
    for (tpl, want) in CASES {
        let got = run(tpl);
        let ok = match (want, &got) {
            (Out(w), Ok(g)) => w == g,
            (Fail(w), Err(g)) => *w == g.to_string(),
            (ParseFail(pre, tail), Err(g)) => {
                let g = g.to_string();
                g.starts_with(pre) && g.ends_with(tail) && g.matches(": ").count() >= 1
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "template: {tpl:?}\n   want: {}\n   got:  {:?}",
                match want {
                    Out(w) => format!("Ok({w:?})"),
                    Fail(w) => format!("Err({w:?})"),
                    ParseFail(p, t) => format!("Parse({p:?} ... {t:?})"),
                },
                got.map_err(|e| e.to_string())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn include_and_tpl_errors_nest_like_helm() {
    let e = run(r#"{{ define "x" }}{{ .nope.x }}{{ end }}{{ include "x" .Values.str }}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "template: gtc/templates/a.yaml:1:41: executing \"gtc/templates/a.yaml\" at <include \"x\" .Values.str>: error calling include: template: gtc/templates/a.yaml:1:24: executing \"x\" at <.nope.x>: can't evaluate field nope in type string"
    );
    let e = run(r#"{{ tpl "{{ .Values.str.x }}" . }}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "template: gtc/templates/a.yaml:1:3: executing \"gtc/templates/a.yaml\" at <tpl \"{{ .Values.str.x }}\" .>: error calling tpl: error during tpl function execution for \"{{ .Values.str.x }}\": template: gotpl:1:10: executing \"gotpl\" at <.Values.str.x>: can't evaluate field x in type interface {}"
    );
    let e = run(r#"{{ include "nope" . }}"#).unwrap_err().to_string();
    assert!(
        e.ends_with("error calling include: template: no template \"nope\" associated with template \"gotpl\""),
        "{e}"
    );
}

#[test]
fn recursion_hits_go_depth_limit_without_overflow() {
    // Go: template: hc/templates/a.yaml:1:28: executing "t" at <{{template "t" .}}>:
    // exceeded maximum template depth (100000)
    let h = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let mut s = TemplateSet::new();
            s.parse(
                "hc/templates/a.yaml",
                r#"{{ define "t" }}{{ template "t" . }}{{ end }}{{ template "t" . }}"#,
            )
            .unwrap();
            s.execute("hc/templates/a.yaml", &Value::Nil)
                .unwrap_err()
                .to_string()
        })
        .unwrap();
    let e = h.join().unwrap();
    assert_eq!(
        e,
        "template: hc/templates/a.yaml:1:28: executing \"t\" at <{{template \"t\" .}}>: exceeded maximum template depth (100000)"
    );
}

#[test]
fn include_recursion_is_a_clean_error() {
    let h = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let mut s = helm_like_set();
            s.set_native_depth_limit(50);
            s.parse(
                "a",
                r#"{{ define "t" }}{{ include "t" . }}{{ end }}{{ include "t" . }}"#,
            )
            .unwrap();
            s.execute("a", &Value::Nil).unwrap_err().to_string()
        })
        .unwrap();
    let e = h.join().unwrap();
    assert!(
        e.contains("exceeded maximum nesting of template executions through functions (50)"),
        "{e}"
    );
}

#[test]
fn tpl_definitions_do_not_leak_and_include_sees_them() {
    let mut s = helm_like_set();
    s.parse(
        "a",
        r#"{{ tpl "{{ define \"inner\" }}IN{{ end }}{{ include \"inner\" . }}" . }}|{{ include "t2" . }}"#,
    )
    .unwrap();
    s.parse("b", r#"{{ define "t2" }}{{ tpl "{{ include \"t3\" . }}" . }}{{ end }}{{ define "t3" }}T3{{ end }}"#)
        .unwrap();
    assert_eq!(s.execute("a", &values()).unwrap(), "IN|T3");
    assert!(!s.has_template("inner"));
    let mut s2 = helm_like_set();
    s2.parse(
        "a",
        r#"{{ tpl "{{ define \"inner\" }}IN{{ end }}" . }}{{ include "inner" . }}"#,
    )
    .unwrap();
    assert!(s2
        .execute("a", &values())
        .unwrap_err()
        .to_string()
        .contains("no template \"inner\""));
}

#[test]
fn fuel_stops_runaway_loops() {
    let mut s = TemplateSet::new();
    s.set_options(Options {
        fuel: Some(10_000),
        ..Options::default()
    });
    s.parse(
        "a",
        "{{ range 1000000 }}{{ range 1000000 }}x{{ end }}{{ end }}",
    )
    .unwrap();
    let e = s.execute("a", &Value::Nil).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.to_string().contains("execution fuel exhausted"), "{e}");
}

#[derive(Debug)]
struct Caps(Rc<Vec<String>>);

impl Object for Caps {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn method_params(&self, name: &str) -> Option<(Vec<ArgType>, Option<ArgType>)> {
        (name == "Has").then(|| (vec![ArgType::String], None))
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "Has").then(|| {
            Ok(Value::Bool(
                self.0.iter().any(|v| Some(v.as_str()) == args[0].as_str()),
            ))
        })
    }
    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        Some(
            self.0
                .iter()
                .enumerate()
                .map(|(i, s)| (Value::Int(i as i64), Value::str(s)))
                .collect(),
        )
    }
    fn go_len(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn to_plain(&self) -> Value {
        Value::string_list(self.0.to_vec())
    }
    fn go_string(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn object_methods_with_go_argument_checks() {
    let caps = Value::Object(Rc::new(Caps(Rc::new(vec!["v1".into(), "apps/v1".into()]))));
    let mut root = Map::new();
    let mut c = Map::new();
    c.insert("APIVersions".into(), caps);
    root.insert("Capabilities".into(), Value::map(c));
    let data = Value::map(root);
    let run = |t: &str| {
        let mut s = TemplateSet::new();
        s.parse("a", t).unwrap();
        s.execute("a", &data).map_err(|e| e.to_string())
    };
    assert_eq!(
        run(
            r#"{{ .Capabilities.APIVersions.Has "v1" }}|{{ .Capabilities.APIVersions.Has "x" }}|{{ len .Capabilities.APIVersions }}|{{ range .Capabilities.APIVersions }}{{ . }};{{ end }}"#
        ),
        Ok("true|false|2|v1;apps/v1;".into())
    );
    // Recorded from Helm: "wrong number of args for Has: want 1 got 0" at the field node.
    assert_eq!(
        run("{{ .Capabilities.APIVersions.Has }}"),
        Err("template: a:1:16: executing \"a\" at <.Capabilities.APIVersions.Has>: wrong number of args for Has: want 1 got 0".into())
    );
    assert_eq!(
        run("{{ .Capabilities.APIVersions.Has 1 }}"),
        Err("template: a:1:33: executing \"a\" at <1>: expected string; found 1".into())
    );
    assert_eq!(
        run("{{ .Capabilities.APIVersions.Nope }}"),
        // The object sits in a map[string]interface{} slot here, so Go names the static type.
        Err("template: a:1:16: executing \"a\" at <.Capabilities.APIVersions.Nope>: can't evaluate field Nope in type interface {}".into())
    );
}

#[test]
fn errors_in_defines_report_their_file_and_name() {
    // Recorded from Helm: the location is in the file the define was parsed from, the
    // executing name is the define's.
    let mut s = helm_like_set();
    s.parse(
        "gtc/templates/_helpers.tpl",
        "{{/* helpers */}}\n{{- define \"gtc.name\" -}}\n{{ .Values.str.nope }}\n{{- end }}\n",
    )
    .unwrap();
    s.parse(
        "gtc/templates/a.yaml",
        "a: 1\nb: {{ include \"gtc.name\" . }}\n",
    )
    .unwrap();
    s.parse(
        "gtc/templates/b.yaml",
        "a: 1\nb: {{ template \"gtc.name\" . }}\n",
    )
    .unwrap();
    let inner = "template: gtc/templates/_helpers.tpl:3:10: executing \"gtc.name\" at <.Values.str.nope>: can't evaluate field nope in type interface {}";
    assert_eq!(
        s.execute("gtc/templates/a.yaml", &values()).unwrap_err().to_string(),
        format!("template: gtc/templates/a.yaml:2:6: executing \"gtc/templates/a.yaml\" at <include \"gtc.name\" .>: error calling include: {inner}")
    );
    assert_eq!(
        s.execute("gtc/templates/b.yaml", &values())
            .unwrap_err()
            .to_string(),
        inner
    );
    // Partial output before the error stays in the writer, as with Go's io.Writer.
    let mut out = chartroom_template::StrBuf::new();
    assert!(s
        .execute_to("gtc/templates/b.yaml", &values(), &mut out)
        .is_err());
    assert_eq!(out.as_bytes(), b"a: 1\nb: ");
}

#[test]
fn execute_text_uses_given_options_and_counts_depth() {
    let mut s = TemplateSet::with_name("gotpl");
    s.add_func(
        "strictTpl",
        Function::new(&[ArgType::String, ArgType::Any], None, |st, a| {
            let opts = Options {
                missing_key: MissingKey::Error,
                ..st.options().clone()
            };
            let text = a[0].as_gostr().cloned().unwrap_or_default();
            st.execute_text("gotpl", &text, &a[1], &opts)
                .map(Value::String)
                .map_err(|e| e.to_string())
        }),
    );
    s.add_func(
        "depth",
        Function::new(&[], None, |st, _| Ok(Value::Int(st.depth() as i64))),
    );
    s.parse(
        "a",
        "{{ .nope }}|{{ depth }}|{{ template \"d\" }}{{ define \"d\" }}{{ depth }}|{{ strictTpl \"{{ depth }}\" . }}{{ end }}",
    )
    .unwrap();
    assert_eq!(
        s.execute("a", &Value::empty_map()).unwrap(),
        "<no value>|0|1|2"
    );
    s.parse("b", "{{ strictTpl \"{{ .nope }}\" . }}").unwrap();
    assert_eq!(
        s.execute("b", &Value::empty_map()).unwrap_err().to_string(),
        "template: b:1:3: executing \"b\" at <strictTpl \"{{ .nope }}\" .>: error calling strictTpl: template: gotpl:1:3: executing \"gotpl\" at <.nope>: map has no entry for key \"nope\""
    );
}

#[test]
fn tpl_runs_the_freshly_parsed_tree() {
    // Go's tpl parses with t.New("gotpl").Parse(text) and executes that template: an empty or
    // definitions-only text runs as itself even inside another tpl whose text is "gotpl".
    let mut s = helm_like_set();
    s.parse(
        "a",
        r#"{{ tpl "outer[{{ tpl \"{{/* only a comment */}}\" . }}|{{ tpl \"{{ define \\\"q\\\" }}Q{{ end }}\" . }}]" . }}"#,
    )
    .unwrap();
    assert_eq!(s.execute("a", &values()).unwrap(), "outer[|]");
}

#[derive(Debug)]
struct EmptyFiles;

impl Object for EmptyFiles {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn kind_name(&self) -> &str {
        "map"
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn go_len(&self) -> Option<usize> {
        Some(0)
    }
    fn to_plain(&self) -> Value {
        Value::empty_map()
    }
    fn go_string(&self) -> String {
        "map[]".into()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn empty_map_like_objects_are_false() {
    // bitnami/apache: {{ if and (.Files.Glob "files/vhosts/*.conf") ... }} is false in Helm
    // when nothing matches (Glob returns an empty map type).
    let mut m = Map::new();
    m.insert("F".into(), Value::Object(Rc::new(EmptyFiles)));
    m.insert("C".into(), Value::Object(Rc::new(Caps(Rc::new(vec![])))));
    let mut s = TemplateSet::new();
    s.parse(
        "t",
        "{{ if .F }}yes{{ else }}no{{ end }}|{{ with .C }}yes{{ else }}no{{ end }}|{{ not .F }}",
    )
    .unwrap();
    assert_eq!(s.execute("t", &Value::map(m)).unwrap(), "no|no|true");
}
