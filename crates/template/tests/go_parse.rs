//! Inputs and expected results carried over from Go's text/template/parse tests
//! (parse_test.go: parseTests, errorTests, isEmptyTests, TestBlock), as facts.

use chartroom_template::*;

fn parse_tree(input: &str) -> Result<String, String> {
    let mut s = TemplateSet::new();
    s.parse("t", input).map_err(|e| e.to_string())?;
    Ok(s.template("t")
        .map(|t| t.root.to_string_quoted())
        .unwrap_or_default())
}

const PARSE_OK: &[(&str, &str)] = &[
    ("", ""),
    ("{{/*\n\n\n*/}}", ""),
    (" \t\n", "\" \\t\\n\""),
    ("some text", "\"some text\""),
    ("{{.X}}", "{{.X}}"),
    ("{{printf}}", "{{printf}}"),
    ("{{$}}", "{{$}}"),
    (
        "{{with $x := 3}}{{$x 23}}{{end}}",
        "{{with $x := 3}}{{$x 23}}{{end}}",
    ),
    ("{{$.I}}", "{{$.I}}"),
    ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
    ("{{.X|.Y}}", "{{.X | .Y}}"),
    ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
    (
        "{{.X (.Y .Z) (.A | .B .C) (.E)}}",
        "{{.X (.Y .Z) (.A | .B .C) (.E)}}",
    ),
    ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
    ("{{if .X}}hello{{end}}", "{{if .X}}\"hello\"{{end}}"),
    (
        "{{if .X}}true{{else}}false{{end}}",
        "{{if .X}}\"true\"{{else}}\"false\"{{end}}",
    ),
    (
        "{{if .X}}true{{else if .Y}}false{{end}}",
        "{{if .X}}\"true\"{{else}}{{if .Y}}\"false\"{{end}}{{end}}",
    ),
    (
        "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
        "\"+\"{{if .X}}\"X\"{{else}}{{if .Y}}\"Y\"{{else}}{{if .Z}}\"Z\"{{end}}{{end}}{{end}}\"+\"",
    ),
    ("{{range .X}}hello{{end}}", "{{range .X}}\"hello\"{{end}}"),
    (
        "{{range .X.Y.Z}}hello{{end}}",
        "{{range .X.Y.Z}}\"hello\"{{end}}",
    ),
    (
        "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
        "{{range .X}}\"hello\"{{range .Y}}\"goodbye\"{{end}}{{end}}",
    ),
    (
        "{{range .X}}true{{else}}false{{end}}",
        "{{range .X}}\"true\"{{else}}\"false\"{{end}}",
    ),
    (
        "{{range .X|.M}}true{{else}}false{{end}}",
        "{{range .X | .M}}\"true\"{{else}}\"false\"{{end}}",
    ),
    ("{{range .SI}}{{.}}{{end}}", "{{range .SI}}{{.}}{{end}}"),
    (
        "{{range $x := .SI}}{{.}}{{end}}",
        "{{range $x := .SI}}{{.}}{{end}}",
    ),
    (
        "{{range $x, $y := .SI}}{{.}}{{end}}",
        "{{range $x, $y := .SI}}{{.}}{{end}}",
    ),
    (
        "{{range .SI}}{{.}}{{break}}{{end}}",
        "{{range .SI}}{{.}}{{break}}{{end}}",
    ),
    (
        "{{range .SI}}{{.}}{{continue}}{{end}}",
        "{{range .SI}}{{.}}{{continue}}{{end}}",
    ),
    (
        "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
        "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
    ),
    ("{{template `x`}}", "{{template \"x\"}}"),
    ("{{template `x` .Y}}", "{{template \"x\" .Y}}"),
    ("{{with .X}}hello{{end}}", "{{with .X}}\"hello\"{{end}}"),
    (
        "{{with .X}}hello{{else}}goodbye{{end}}",
        "{{with .X}}\"hello\"{{else}}\"goodbye\"{{end}}",
    ),
    (
        "{{with .X}}hello{{else with .Y}}goodbye{{end}}",
        "{{with .X}}\"hello\"{{else}}{{with .Y}}\"goodbye\"{{end}}{{end}}",
    ),
    (
        "{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}",
        "{{with .X}}\"X\"{{else}}{{with .Y}}\"Y\"{{else}}{{with .Z}}\"Z\"{{end}}{{end}}{{end}}",
    ),
    ("x \r\n\t{{- 3}}", "\"x\"{{3}}"),
    ("{{3 -}}\n\n\ty", "{{3}}\"y\""),
    ("x \r\n\t{{- 3 -}}\n\n\ty", "\"x\"{{3}}\"y\""),
    ("x\n{{-  3   -}}\ny", "\"x\"{{3}}\"y\""),
    ("x \r\n\t{{- /* hi */}}", "\"x\""),
    ("{{/* hi */ -}}\n\n\ty", "\"y\""),
    ("x \r\n\t{{- /* */ -}}\n\n\ty", "\"x\"\"y\""),
    ("{{block \"foo\" .}}hello{{end}}", "{{template \"foo\" .}}"),
    ("{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
    ("{{\n\"x\"\n|\nprintf\n}}", "{{\"x\" | printf}}"),
    ("{{/*\nhello\n*/}}", ""),
    ("{{-\n/*\nhello\n*/\n-}}", ""),
    (
        "{{range .SI}}{{.}}{{ continue }}{{end}}",
        "{{range .SI}}{{.}}{{continue}}{{end}}",
    ),
    (
        "{{range .SI}}{{.}}{{ break }}{{end}}",
        "{{range .SI}}{{.}}{{break}}{{end}}",
    ),
    ("{{$x := 0}}{{$x}}", "{{$x := 0}}{{$x}}"),
    ("{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
    (
        "{{range $x := 0}}{{$x}}{{end}}",
        "{{range $x := 0}}{{$x}}{{end}}",
    ),
    (
        "{{range $x = 0}}{{$x}}{{end}}",
        "{{range $x = 0}}{{$x}}{{end}}",
    ),
    ("{{ (( 1 )) }}", "{{((1))}}"),
    ("{{ ((( 1 ))) | printf }}", "{{(((1))) | printf}}"),
    (
        "{{ if ((( true ))) }}YES{{ end }}",
        "{{if (((true)))}}\"YES\"{{end}}",
    ),
];

const PARSE_ERR: &[&str] = &[
    "{{}}",
    "{{\n}}",
    "hello{{range",
    "{{end}}",
    "{{else}}",
    "{{if .X}}hello{{end}}{{else}}",
    "{{if .X}}1{{else}}2{{else}}3{{end}}",
    "hello{{range .x}}",
    "hello{{range .x}}{{else}}",
    "hello{{undefined}}",
    "{{$x}}",
    "{{with $x := 4}}{{end}}{{$x}}",
    "{{template $v}}",
    "{{with $x.Y := 4}}{{end}}",
    "{{template .X}}",
    "{{printf 3, 4}}",
    "{{with $v, $u := 3}}{{end}}",
    "{{range $u, $v, $w := 3}}{{end}}",
    "{{printf (printf .).}}",
    "{{printf 3`x`}}",
    "{{printf `x`.}}",
    "{{if .X}}a{{else if .Y}}b{{end}}{{end}}",
    "{{range .}}{{end}} {{break}}",
    "{{range .}}{{end}} {{continue}}",
    "{{range .}}{{else}}{{break}}{{end}}",
    "{{range .}}{{else}}{{continue}}{{end}}",
    "{{$x += 1}}{{$x}}",
    "{{$x ! 2}}{{$x}}",
    "{{$x % 3}}{{$x}}",
    "{{range $x := $y := 3}}{{end}}",
    "{{$x:=.}}{{$x!2}}",
    "{{$x:=.}}{{$x+2}}",
    "{{1.E}}",
    "{{0.1.E}}",
    "{{true.E}}",
    "{{'a'.any}}",
    "{{\"hello\".guys}}",
    "{{..E}}",
    "{{nil.E}}",
    "{{12|.}}",
    "{{.|12|printf}}",
    "{{.|printf|\"error\"}}",
    "{{12|printf|'e'}}",
    "{{.|true}}",
    "{{'c'|nil}}",
    "{{printf \"%d\" ( ) }}",
    "{{block \"foo\"}}hello{{end}}",
];

#[test]
fn go_parse_tests_ok() {
    for (input, want) in PARSE_OK {
        assert_eq!(parse_tree(input).as_deref(), Ok(*want), "input {input:?}");
    }
}

#[test]
fn go_parse_tests_err() {
    for input in PARSE_ERR {
        assert!(parse_tree(input).is_err(), "expected error for {input:?}");
    }
}

const ERROR_TESTS: &[(&str, &str, &str)] = &[
    ("unclosed1", "line1\n{{", "unclosed1:2: unclosed action"),
    (
        "unclosed2",
        "line1\n{{define `x`}}line2\n{{",
        "unclosed2:3: unclosed action",
    ),
    (
        "unclosed3",
        "line1\n{{\"x\"\n\"y\"\n",
        "unclosed3:4: unclosed action started at unclosed3:2",
    ),
    (
        "unclosed4",
        "{{\n\n\n\n\n",
        "unclosed4:6: unclosed action started at unclosed4:1",
    ),
    (
        "var1",
        "line1\n{{\nx\n}}",
        "var1:3: function \"x\" not defined",
    ),
    ("function", "{{foo}}", "function \"foo\" not defined"),
    ("comment1", "{{/*}}", "comment1:1: unclosed comment"),
    (
        "comment2",
        "{{/*\nhello\n}}",
        "comment2:1: unclosed comment",
    ),
    ("lparen", "{{.X (1 2 3}}", "unclosed left paren"),
    ("rparen", "{{.X 1 2 3 ) }}", "unexpected right paren"),
    ("rparen2", "{{(.X 1 2 3", "unclosed action"),
    ("space", "{{`x`3}}", "in operand"),
    ("idchar", "{{a#}}", "'#'"),
    ("charconst", "{{'a}}", "unterminated character constant"),
    ("stringconst", "{{\"a}}", "unterminated quoted string"),
    ("rawstringconst", "{{`a}}", "unterminated raw quoted string"),
    ("number", "{{0xi}}", "number syntax"),
    (
        "multidefine",
        "{{define `a`}}a{{end}}{{define `a`}}b{{end}}",
        "multiple definition of template",
    ),
    ("eof", "{{range .X}}", "unexpected EOF"),
    (
        "variable",
        "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}",
        "unexpected \":=\"",
    ),
    ("multidecl", "{{$a,$b,$c := 23}}", "too many declarations"),
    ("undefvar", "{{$a}}", "undefined variable"),
    ("wrongdot", "{{true.any}}", "unexpected . after term"),
    (
        "wrongpipeline",
        "{{12|false}}",
        "non executable command in pipeline",
    ),
    (
        "emptypipeline",
        "{{ ( ) }}",
        "missing value for parenthesized pipeline",
    ),
    (
        "multilinerawstring",
        "{{ $v := `\n` }} {{",
        "multilinerawstring:2: unclosed action",
    ),
    ("rangeundefvar", "{{range $k}}{{end}}", "undefined variable"),
    (
        "rangeundefvars",
        "{{range $k, $v}}{{end}}",
        "undefined variable",
    ),
    (
        "rangemissingvalue1",
        "{{range $k,}}{{end}}",
        "missing value for range",
    ),
    (
        "rangemissingvalue2",
        "{{range $k, $v := }}{{end}}",
        "missing value for range",
    ),
    (
        "rangenotvariable1",
        "{{range $k, .}}{{end}}",
        "range can only initialize variables",
    ),
    (
        "rangenotvariable2",
        "{{range $k, 123 := .}}{{end}}",
        "range can only initialize variables",
    ),
];

#[test]
fn go_error_tests() {
    for (name, input, want) in ERROR_TESTS {
        let mut s = TemplateSet::new();
        let e = s.parse(name, input).unwrap_err().to_string();
        assert!(e.contains(want), "{name}: {e:?} does not contain {want:?}");
        assert!(e.starts_with(&format!("template: {name}:")), "{e}");
    }
}

#[test]
fn is_empty_and_redefinition() {
    // Go's isEmptyTests: a file of only definitions (and space) does not replace a
    // non-empty template of the same name; text or an action does.
    let cases = [
        ("", true),
        ("hello", false),
        (" \t\n \t\n", true),
        ("{{/* comment */}}", true),
        ("{{define \"x\"}}something{{end}}", true),
        (
            "{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n",
            true,
        ),
        (
            "{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n",
            false,
        ),
        ("{{define `x`}}something{{end}}{{if 3}}foo{{end}}", false),
    ];
    for (input, empty) in cases {
        let mut s = TemplateSet::new();
        s.parse("root", "ORIGINAL").unwrap();
        s.parse("root", input).unwrap();
        let out = s.execute("root", &Value::Nil).unwrap();
        assert_eq!(out == "ORIGINAL", empty, "{input:?} gave {out:?}");
    }
    // A later define replaces an earlier one; an empty one does not.
    let mut s = TemplateSet::new();
    s.parse("a", "{{define \"d\"}}one{{end}}").unwrap();
    s.parse("b", "{{define \"d\"}}two{{end}}").unwrap();
    s.parse("c", "{{define \"d\"}}  {{end}}{{template \"d\"}}")
        .unwrap();
    assert_eq!(s.execute("c", &Value::Nil).unwrap(), "two");
}

#[test]
fn block_defines_template() {
    let mut s = TemplateSet::new();
    s.parse("outer", "a{{block \"inner\" .}}bar{{.}}baz{{end}}b")
        .unwrap();
    assert_eq!(
        s.template("outer").unwrap().root.to_string_quoted(),
        "\"a\"{{template \"inner\" .}}\"b\""
    );
    assert_eq!(s.template("inner").unwrap().root.to_string(), "bar{{.}}baz");
    assert_eq!(s.execute("outer", &Value::str("X")).unwrap(), "abarXbazb");
}

#[test]
fn keywords_and_funcs() {
    let inp = "{{range .X}}{{break 20}}{{end}}";
    let mut s = TemplateSet::new();
    assert!(s.parse("a", inp).is_err());
    s.add_func(
        "break",
        Function::new(&[ArgType::Any], None, |_, a| Ok(a[0].clone())),
    );
    assert!(s.parse("a", inp).is_ok());
}

#[test]
fn paren_depth_is_bounded() {
    let deep = format!(
        "{{{{ {}1{} }}}}",
        "(".repeat(MAX_PAREN_DEPTH + 1),
        ")".repeat(MAX_PAREN_DEPTH + 1)
    );
    let e = parse_tree(&deep).unwrap_err();
    assert_eq!(e, "template: t:1: max expression depth exceeded");
    let ok = format!(
        "{{{{ {}1{} }}}}",
        "(".repeat(MAX_PAREN_DEPTH),
        ")".repeat(MAX_PAREN_DEPTH)
    );
    assert!(parse_tree(&ok).is_ok());
    let nested = "{{if 1}}".repeat(MAX_NESTING + 1) + &"{{end}}".repeat(MAX_NESTING + 1);
    assert!(parse_tree(&nested)
        .unwrap_err()
        .contains("max nesting depth exceeded"));
}
