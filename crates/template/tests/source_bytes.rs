//! Template source that is not UTF-8 (a Latin-1 template file, `tpl` over `.Files.Get` of
//! one): Go's text/template lexes a Go string, so text between actions is printed byte for
//! byte. Every expectation was checked with `helm template` (Helm v4.3.1) on a one-template
//! chart.

use chartroom_template::*;

fn run_bytes(src: &[u8]) -> Result<Vec<u8>, String> {
    let mut s = TemplateSet::new();
    s.parse_bytes("t", src).map_err(|e| e.message)?;
    s.execute_bytes("t", &Value::empty_map())
        .map_err(|e| e.message)
}

#[test]
fn text_is_printed_byte_for_byte() {
    assert_eq!(
        run_bytes(b"caf\xe9 {{ \"x\" }} \xff\n").unwrap(),
        b"caf\xe9 x \xff\n"
    );
    // Valid UTF-8 next to invalid bytes is kept too.
    assert_eq!(
        run_bytes(b"\xc3\xa9\x80{{ 1 }}\xe2\x80\x83\xc2").unwrap(),
        b"\xc3\xa9\x801\xe2\x80\x83\xc2"
    );
    let mut raw = b"\xe9{{ 1 }}".to_vec();
    raw.extend_from_slice("é".as_bytes());
    assert_eq!(run_bytes(&raw).unwrap(), b"\xe91\xc3\xa9");
}

#[test]
fn string_literals_decode_bad_bytes_as_go() {
    // A double-quoted literal goes through strconv.Unquote, whose UnquoteChar reads a bad
    // byte as U+FFFD; a raw string keeps it; a character constant is the rune U+FFFD.
    assert_eq!(
        run_bytes(b"{{ \"q\xe9q\" }}|{{ len \"\xff\" }}|{{ \"\\x41\xe9\" }}").unwrap(),
        "q\u{fffd}q|3|A\u{fffd}".as_bytes()
    );
    assert_eq!(
        run_bytes(b"{{ `r\xe9r` }}|{{ len `\xff` }}|{{ `a\r\xffb` }}").unwrap(),
        b"r\xe9r|1|a\xffb"
    );
    assert_eq!(run_bytes(b"{{ '\xff' }}").unwrap(), b"65533");
    // `\xff` written as an escape is still the byte itself.
    assert_eq!(run_bytes(b"{{ \"\\xff\" }}").unwrap(), b"\xff");
}

#[test]
fn comments_and_trim_markers_around_bad_bytes() {
    assert_eq!(run_bytes(b"a{{/* c\xffc */}}\xfe").unwrap(), b"a\xfe");
    // Trimming removes ASCII space only: a bad byte (or 0xA0, not UTF-8 on its own) stays.
    assert_eq!(
        run_bytes(b"\xe9 \n {{- \"x\" -}} \n\t\xff\t {{- /* \xfe */ -}} \xa0 {{ 1 }}").unwrap(),
        b"\xe9x\xff\xa0 1"
    );
    assert_eq!(
        run_bytes(b"{{ if true -}} \xe9 \n {{- end }}").unwrap(),
        b"\xe9"
    );
}

#[test]
fn definitions_with_bad_bytes() {
    // bytes.TrimSpace does not trim a bad byte, so a body of 0xA0 alone is not empty and
    // redefines; U+00A0 (valid UTF-8) is space, and the empty body is ignored.
    assert_eq!(
        run_bytes(b"{{ define \"x\" }}A{{ end }}{{ define \"x\" }}\xa0{{ end }}").unwrap_err(),
        "template: t:1: template: multiple definition of template \"x\""
    );
    assert_eq!(
        run_bytes(
            "{{ define \"x\" }}A{{ end }}{{ define \"x\" }}\u{a0}{{ end }}{{ template \"x\" }}"
                .as_bytes()
        )
        .unwrap(),
        b"A"
    );
    assert_eq!(
        run_bytes(b"{{ define \"x\" }}\xe9{{ end }}[{{ template \"x\" }}]").unwrap(),
        b"[\xe9]"
    );
}

#[test]
fn errors_with_bad_bytes_keep_go_texts_and_byte_columns() {
    assert_eq!(
        run_bytes(b"a: {{ \xff }}").unwrap_err(),
        "template: t:1: unrecognized character in action: U+FFFD '\u{fffd}'"
    );
    assert_eq!(
        run_bytes(b"a: {{ .x\xff }}").unwrap_err(),
        "template: t:1: bad character U+FFFD '\u{fffd}'"
    );
    assert_eq!(
        run_bytes(b"a: {{ 12\xff }}").unwrap_err(),
        "template: t:1: unrecognized character in action: U+FFFD '\u{fffd}'"
    );
    assert_eq!(
        run_bytes(b"\xe9 {{ end }}").unwrap_err(),
        "template: t:1: unexpected {{end}}"
    );
    assert_eq!(
        run_bytes(b"a: {{ .x `\xe9\xe9`.y }}").unwrap_err(),
        "template: t:1: unexpected . after term \"`\\xe9\\xe9`\""
    );
    // Execution errors locate nodes by byte: two Latin-1 bytes count as two, two `é` as four.
    let err = |src: &[u8]| {
        let mut s = TemplateSet::new();
        s.parse_bytes("t", src).unwrap();
        let mut m = Map::new();
        m.insert("x".into(), Value::Nil);
        s.execute_bytes("t", &Value::map(m)).unwrap_err().message
    };
    assert!(err(b"\xe9\xe9{{ .x.y }}").starts_with("template: t:1:7: "));
    assert!(err("éé{{ .x.y }}".as_bytes()).starts_with("template: t:1:9: "));
    assert!(err(b"\xe9\n\xe9\xe9{{ .x.y }}").starts_with("template: t:2:7: "));
}

#[test]
fn execute_text_takes_any_bytes() {
    // Helm's tpl parses a Go string: run it through a function that calls execute_text.
    let mut s = TemplateSet::new();
    s.add_func(
        "tpl",
        Function::new(&[ArgType::String], None, |st, a| {
            let text = a[0].as_gostr().cloned().unwrap_or_default();
            let opts = st.options().clone();
            st.execute_text("gotpl", &text, &Value::Nil, &opts)
                .map(Value::String)
                .map_err(|e| e.message)
        }),
    );
    s.parse("t", "[{{ tpl \"x\\xe9 {{- 1 -}} \\xfe\" }}]")
        .unwrap();
    assert_eq!(s.execute_bytes("t", &Value::Nil).unwrap(), b"[x\xe91\xfe]");
    s.parse("u", "{{ tpl \"\\xe9{{ \\xff }}\" }}").unwrap();
    assert_eq!(
        s.execute_bytes("u", &Value::Nil).unwrap_err().message,
        "template: u:1:3: executing \"u\" at <tpl \"\\xe9{{ \\xff }}\">: error calling tpl: \
         template: gotpl:1: unrecognized character in action: U+FFFD '\u{fffd}'"
    );
}
