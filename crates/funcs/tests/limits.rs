//! The render limits functions check (`until-length`, `string-bytes`, the YAML limits of
//! `fromYaml`): the defaults pass what real charts do, a lowered limit fails with an error
//! that names it.

use chartroom_template::{Limits, TemplateSet, Value};

/// Runs `text` with Helm's functions under `limits`: the output or the error text.
fn run(text: &str, limits: Limits) -> Result<String, String> {
    let mut set = TemplateSet::with_name("t");
    set.add_funcs(chartroom_funcs::helm_functions());
    let mut options = set.options().clone();
    options.limits = limits;
    set.set_options(options);
    set.parse("t", text).map_err(|e| e.to_string())?;
    set.execute("t", &Value::empty_map())
        .map_err(|e| e.to_string())
}

fn lowered(name: &str, value: u64) -> Limits {
    let mut l = Limits::default();
    l.set(name, value).expect("known limit");
    l
}

#[test]
fn until_length_default_and_lowered() {
    // A golden-sized loop: a few hundred numbers.
    let ok = run(
        "{{ len (until 500) }} {{ len (untilStep 0 500 1) }} {{ len (splitList \" \" (seq 500)) }}",
        Limits::default(),
    );
    assert_eq!(ok.as_deref(), Ok("500 500 500"));
    // The default still stops a runaway range.
    let e = run("{{ until 10000000 }}", Limits::default()).unwrap_err();
    assert!(e.contains("exceeded the limit until-length=1000000"), "{e}");
    for text in [
        "{{ until 500 }}",
        "{{ untilStep 0 500 1 }}",
        "{{ seq 500 }}",
    ] {
        let e = run(text, lowered("until-length", 100)).unwrap_err();
        assert!(
            e.contains("a list of 500 numbers exceeded the limit until-length=100 (chartroom's, not Helm's; raise it with --limit until-length=N)"),
            "{text}: {e}"
        );
    }
    assert!(run("{{ until 100 }}", lowered("until-length", 100)).is_ok());
}

#[test]
fn string_bytes_default_and_lowered() {
    let ok = run(
        "{{ repeat 1000 \"ab\" | len }} {{ indent 40 \"x\" | len }} {{ randAlphaNum 64 | len }} {{ randBytes 30 | len }}",
        Limits::default(),
    );
    assert_eq!(ok.as_deref(), Ok("2000 41 64 40"));
    let cases = [
        ("{{ repeat 1000 \"ab\" }}", "repeat: a string of 2000 bytes"),
        ("{{ indent 2000 \"x\" }}", "indent: a string of 2000 bytes"),
        ("{{ nindent 2000 \"x\" }}", "indent: a string of 2000 bytes"),
        (
            "{{ randAlphaNum 2000 }}",
            "randAlphaNum: a string of 2000 bytes",
        ),
        ("{{ randAlpha 2000 }}", "randAlpha: a string of 2000 bytes"),
        (
            "{{ randNumeric 2000 }}",
            "randNumeric: a string of 2000 bytes",
        ),
        ("{{ randAscii 2000 }}", "randAscii: a string of 2000 bytes"),
        ("{{ randBytes 2000 }}", "randBytes: a string of 2000 bytes"),
    ];
    for (text, what) in cases {
        let e = run(text, lowered("string-bytes", 1000)).unwrap_err();
        assert!(
            e.contains(&format!(
                "{what} exceeded the limit string-bytes=1000 (chartroom's"
            )),
            "{text}: {e}"
        );
    }
    // The default bounds a huge random string before allocating it.
    let e = run("{{ randAlphaNum 100000000000 }}", Limits::default()).unwrap_err();
    assert!(e.contains("the limit string-bytes=67108864"), "{e}");
}

#[test]
fn from_yaml_under_the_yaml_limits() {
    let doc = "a: &x {b: {c: 1}}\\nd: *x\\ne: *x\\n";
    let text = format!("{{{{ (fromYaml \"{doc}\").e.b.c }}}}");
    assert_eq!(run(&text, Limits::default()).as_deref(), Ok("1"));
    // fromYaml reports a parse error in the map's Error key, as Helm does.
    let text = format!("{{{{ (fromYaml \"{doc}\").Error }}}}");
    let out = run(&text, lowered("yaml-aliases", 2)).unwrap();
    assert!(out.contains("exceeded the limit yaml-aliases=2"), "{out}");
    let out = run(&text, lowered("yaml-depth", 2)).unwrap();
    assert!(out.contains("exceeded the limit yaml-depth=2"), "{out}");
    let text = "{{ index (fromYamlArray \"[[[1]]]\") 0 }}";
    let out = run(text, lowered("yaml-depth", 2)).unwrap();
    assert!(out.contains("exceeded the limit yaml-depth=2"), "{out}");
}
