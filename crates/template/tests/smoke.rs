use chartroom_template::*;

#[test]
fn smoke() {
    let mut s = TemplateSet::new();
    s.parse("a", "hello {{ .x }} {{ range $i, $v := .l }}[{{$i}}={{$v}}]{{end}} {{ if .y }}Y{{ else }}N{{ end }}{{ template \"d\" 3 }}{{ define \"d\" }}<{{.}}>{{ end }}").unwrap();
    let mut m = Map::new();
    m.insert("x".into(), Value::str("world"));
    m.insert(
        "l".into(),
        Value::list(vec![Value::str("a"), Value::str("b")]),
    );
    let out = s.execute("a", &Value::map(m)).unwrap();
    assert_eq!(out, "hello world [0=a][1=b] N<3>");
}
