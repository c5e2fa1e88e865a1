//! `from_yaml_go_outline`: which documents it reads in one pass, and what it keeps.

use chartroom_yaml::{from_yaml_go, from_yaml_go_outline, GoVal, Pick};

fn pick_spec(path: &[String], key: &str) -> Pick {
    match (path.len(), key) {
        (0, "spec") => Pick::Map,
        (1, "keep") | (1, "list") | (1, "map") => Pick::Leaf,
        _ => Pick::Drop,
    }
}

fn s(v: &str) -> GoVal {
    GoVal::Str(v.into())
}

#[test]
fn keeps_only_the_picked_parts() {
    let doc = "spec:\n  keep: 1\n  list: [1, 2]\n  map: {a: b}\n  drop: x\nother: [y]\n";
    let got = from_yaml_go_outline(doc, &pick_spec)
        .expect("one pass")
        .expect("reads");
    let want = GoVal::Map(vec![(
        s("spec"),
        GoVal::Map(vec![
            (s("keep"), GoVal::Int(1)),
            (s("list"), GoVal::Seq(vec![])),
            (s("map"), GoVal::Map(vec![])),
        ]),
    )]);
    assert_eq!(got, Some(want));
    // A root that is not a mapping keeps its kind.
    assert_eq!(
        from_yaml_go_outline("[1, 2]", &pick_spec).unwrap().unwrap(),
        Some(GoVal::Seq(vec![]))
    );
    assert_eq!(
        from_yaml_go_outline("text", &pick_spec).unwrap().unwrap(),
        Some(s("text"))
    );
    assert_eq!(from_yaml_go_outline("", &pick_spec).unwrap().unwrap(), None);
    assert_eq!(
        from_yaml_go_outline("# c\n", &pick_spec).unwrap(),
        from_yaml_go("# c\n")
    );
}

#[test]
fn one_pass_unless_the_whole_document_is_needed() {
    for doc in [
        "a: &x 1\nb: [&y {c: d}]\n",
        "a: <<\n",
        "a: [~, null]\n",
        "a: !!int x\n",
        "a: .nan\n",
    ] {
        assert!(from_yaml_go_outline(doc, &pick_spec).is_some(), "{doc}");
    }
    for doc in [
        "a: &x 1\nb: *x\n",
        "<<: {a: b}\n",
        "spec:\n  !!merge <<: {a: b}\n",
        "~: a\n",
        "? [a]\n: b\n",
        "? {a: b}\n: c\n",
    ] {
        assert!(from_yaml_go_outline(doc, &pick_spec).is_none(), "{doc}");
    }
}

#[test]
fn errors_are_those_of_the_whole_document() {
    let full = |doc: &str| {
        from_yaml_go(doc).and_then(|g| match g {
            Some(g) => chartroom_yaml::go_to_value(&g).map(Some),
            None => Ok(None),
        })
    };
    for doc in [
        "a: !!int x\nb: !!bool y\n",
        "a: .nan\nb: !!int x\n",
        "a: .nan\nb: -.inf\n",
        "a: !!int x\nb: [\n",
        "a: !!binary '%%'\n",
    ] {
        let outline = from_yaml_go_outline(doc, &pick_spec).expect("one pass");
        let whole = full(doc);
        assert!(whole.is_err(), "{doc}");
        assert_eq!(outline.unwrap_err(), whole.unwrap_err(), "{doc}");
    }
}
