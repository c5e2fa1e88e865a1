//! Sprig's `nospace` walks bytes, not characters (goutils `DeleteWhiteSpace`). Every expected
//! text was recorded from `helm template` (Helm v4.3.1) on a one-template chart, through
//! `b64enc` so the bytes show.

use chartroom_template::{TemplateSet, Value};

const NAME: &str = "t/templates/t.yaml";

fn render(src: &str) -> String {
    let mut set = TemplateSet::with_name(NAME);
    set.add_funcs(chartroom_funcs::helm_functions());
    set.parse(NAME, src).expect("parse");
    set.execute(NAME, &Value::empty_map()).expect("execute")
}

#[test]
fn nospace_takes_each_byte_as_a_rune() {
    let cases = [
        // Nothing removed: the string comes back as it was, UTF-8 or not.
        (r#"{{ nospace "é" | b64enc }}"#, "w6k="),
        (r#"{{ nospace "a\u2003b" | b64enc }}"#, "YeKAg2I="),
        (
            r#"{{ nospace "\xe2\x80\x83x\xe2\x80" | b64enc }}"#,
            "4oCDeOKA",
        ),
        (r#"{{ nospace "" | b64enc }}"#, ""),
        // Something removed: every byte from 0x80 up is written as the rune of that number.
        (r#"{{ nospace "é x" | b64enc }}"#, "w4PCqXg="),
        (r#"{{ nospace "a \xff b\xc3" | b64enc }}"#, "YcO/YsOD"),
        // 0xA0 and 0x85 are spaces as bytes (so U+00A0 and U+0085 lose their second byte).
        (r#"{{ nospace "a\u00a0b" | b64enc }}"#, "YcOCYg=="),
        (r#"{{ nospace "a\u0085b" | b64enc }}"#, "YcOCYg=="),
        (r#"{{ nospace "a\x85b" | b64enc }}"#, "YWI="),
        (r#"{{ nospace "\v\f\t\r\n x" | b64enc }}"#, "eA=="),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(src, want)| {
            let got = render(src);
            (got != *want).then(|| format!("{src}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
