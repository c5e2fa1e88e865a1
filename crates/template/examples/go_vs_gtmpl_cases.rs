//! Prints this engine's results for the cases docs/notes/engine.md compares with `gtmpl`.
//!
//!     cargo run -p chartroom-template --example go_vs_gtmpl_cases

use chartroom_template::*;

fn main() {
    let mut m = Map::new();
    m.insert("a".into(), Value::Nil);
    m.insert(
        "l".into(),
        Value::list(vec![Value::str("a"), Value::str("b"), Value::str("c")]),
    );
    let data = Value::map(m);
    let cases = [
        ("A nil field", "{{ .a.b }}"),
        ("B number model", "{{ eq 1.5 1 }}"),
        (
            "C break",
            "{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}",
        ),
        ("D range int", "{{ range 3 }}{{ . }}{{ end }}"),
        (
            "E else with",
            "{{ with 0 }}x{{ else with \"y\" }}{{ . }}{{ end }}",
        ),
        ("F parse error", "{{ if }}"),
        ("G literals", "{{ 1_000 }} {{ 0x1F }} {{ 'a' }}"),
        ("H missing key", "{{ .missing.x }}"),
        ("I printf %T", "{{ printf \"%T\" 3 }}"),
        ("J index range", "{{ index .l 5 }}"),
        ("K trim+comment", "a  {{- /* c */ -}}  b"),
        (
            "L define/template",
            "{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" 1 }}",
        ),
    ];
    for (name, src) in cases {
        let mut s = TemplateSet::new();
        let r = match s.parse("t", src) {
            Err(e) => format!("PARSE ERROR: {e}"),
            Ok(()) => match s.execute("t", &data) {
                Ok(o) => format!("OK: {o:?}"),
                Err(e) => format!("EXEC ERROR: {e}"),
            },
        };
        println!("{name}\t{src}\t{r}");
    }
}
