//! Provenance: which template line wrote each output line, through `template`, an
//! `include`-like function and functions that move included text around.

use chartroom_template::provenance::{Provenance, SourceLine};
use chartroom_template::{ArgType, Function, Map, StrBuf, TemplateSet, Value};

fn set(files: &[(&str, &str)]) -> TemplateSet {
    let mut set = TemplateSet::new();
    set.add_func(
        "include",
        Function::new(&[ArgType::String, ArgType::Any], None, |st, args| {
            let name = args[0].as_str().unwrap_or("").to_string();
            st.execute_template(&name, &args[1])
                .map(Value::String)
                .map_err(|e| e.message)
        }),
    );
    set.add_func(
        "nindent",
        Function::new(&[ArgType::Int, ArgType::String], None, |_, args| {
            let n = match args[0] {
                Value::Int(n) => n as usize,
                _ => 0,
            };
            let pad = " ".repeat(n);
            let s = args[1].as_str().unwrap_or("");
            let body: Vec<String> = s.split('\n').map(|l| format!("{pad}{l}")).collect();
            Ok(Value::str(&format!("\n{}", body.join("\n"))))
        }),
    );
    let bytes: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    set.parse_all(&bytes).map_err(|(_, e)| e.message).unwrap();
    set
}

/// `file:line` of each output line (the trace, outermost first, joined by ` > `).
fn lines(set: &TemplateSet, name: &str, data: &Value) -> Vec<(String, String)> {
    let mut out = StrBuf::new();
    let mut prov = Provenance::default();
    set.execute_traced(name, data, &mut out, &mut prov).unwrap();
    let out = out.into_bytes();
    let mut result = Vec::new();
    let mut start = 0;
    for line in out.split(|&b| b == b'\n') {
        let first = start + (line.len() - line.trim_ascii_start().len());
        let origin = prov.origin_at(&out, first).unwrap();
        let trace: Vec<String> = origin
            .trace
            .iter()
            .map(|SourceLine { file, line }| format!("{file}:{line}"))
            .collect();
        result.push((
            String::from_utf8_lossy(line).into_owned(),
            trace.join(" > "),
        ));
        start += line.len() + 1;
    }
    result
}

#[test]
fn text_and_actions_name_their_lines() {
    let set = set(&[(
        "t.yaml",
        "a: 1\nb: {{ .x }}\n{{- if true }}\nc: 3\n{{- end }}\n",
    )]);
    let mut m = Map::new();
    m.insert("x".into(), Value::str("two"));
    let got = lines(&set, "t.yaml", &Value::map(m));
    assert_eq!(got[0], ("a: 1".into(), "t.yaml:1".into()));
    assert_eq!(got[1], ("b: two".into(), "t.yaml:2".into()));
    assert_eq!(got[2], ("c: 3".into(), "t.yaml:4".into()));
}

#[test]
fn include_through_nindent_keeps_the_helper_lines() {
    let set = set(&[
        (
            "_helpers.tpl",
            "{{- define \"labels\" -}}\napp: x\ntier: {{ .tier }}\n{{- end }}\n",
        ),
        (
            "t.yaml",
            "metadata:\n  labels: {{- include \"labels\" . | nindent 4 }}\nspec: {}\n",
        ),
    ]);
    let mut m = Map::new();
    m.insert("tier".into(), Value::str("web"));
    let got = lines(&set, "t.yaml", &Value::map(m));
    assert_eq!(got[0], ("metadata:".into(), "t.yaml:1".into()));
    assert_eq!(got[1], ("  labels:".into(), "t.yaml:2".into()));
    assert_eq!(
        got[2],
        ("    app: x".into(), "t.yaml:2 > _helpers.tpl:2".into())
    );
    assert_eq!(
        got[3],
        ("    tier: web".into(), "t.yaml:2 > _helpers.tpl:3".into())
    );
    assert_eq!(got[4], ("spec: {}".into(), "t.yaml:3".into()));
}

#[test]
fn template_calls_and_variables_keep_their_origin() {
    let set = set(&[
        (
            "_helpers.tpl",
            "{{- define \"h\" }}\nx: 1\n{{- end }}\n{{- define \"i\" }}y: 2{{ end }}\n",
        ),
        (
            "t.yaml",
            "{{- $i := include \"i\" . -}}\nfirst: {{ template \"h\" . }}\nsecond: {{ $i }}\n",
        ),
    ]);
    let got = lines(&set, "t.yaml", &Value::map(Map::new()));
    assert_eq!(got[0], ("first: ".into(), "t.yaml:2".into()));
    assert_eq!(got[1], ("x: 1".into(), "t.yaml:2 > _helpers.tpl:2".into()));
    assert_eq!(
        got[2],
        ("second: y: 2".into(), "t.yaml:3".into()),
        "a line's first byte decides"
    );
}

#[test]
fn the_printed_lookup_is_recorded() {
    let set = set(&[("t.yaml", "a: {{ .v.port }}\n")]);
    let mut inner = Map::new();
    inner.insert("port".into(), Value::Int(80));
    let inner = Value::map(inner);
    let ptr = match &inner {
        Value::Map(m, _) => std::rc::Rc::as_ptr(m) as *const () as usize,
        _ => unreachable!(),
    };
    let mut m = Map::new();
    m.insert("v".into(), inner);
    let mut out = StrBuf::new();
    let mut prov = Provenance::default();
    set.execute_traced("t.yaml", &Value::map(m), &mut out, &mut prov)
        .unwrap();
    let out = out.into_bytes();
    let origin = prov.origin_at(&out, 3).unwrap();
    let lookup = origin.lookup.unwrap();
    assert_eq!((lookup.map, &*lookup.key), (ptr, "port"));
    assert!(prov.origin_at(&out, 0).unwrap().lookup.is_none());
}

/// An execution records at most `MAX_SPANS` spans; the output after them has no origin
/// (rather than the last recorded line's), the output before keeps its own.
#[test]
fn spans_stop_at_their_limit() {
    use chartroom_template::provenance::MAX_SPANS;
    // Two spans per item (the number, then the text after it).
    let s = set(&[("t", "{{ range . }}{{ . }}\n{{ end }}")]);
    let items = Value::list((0..MAX_SPANS as i64).map(Value::Int).collect());
    let mut out = StrBuf::new();
    let mut prov = Provenance::default();
    s.execute_traced("t", &items, &mut out, &mut prov).unwrap();
    let out = out.into_bytes();
    assert_eq!(prov.spans.len(), MAX_SPANS + 1);
    let first = prov.origin_at(&out, 0).expect("traced");
    assert_eq!(first.trace.last().map(|l| l.line), Some(1));
    assert!(prov.origin_at(&out, out.len() - 1).is_none());
}
