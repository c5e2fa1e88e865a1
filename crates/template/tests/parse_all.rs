//! `TemplateSet::parse_all` (two threads for large inputs) must behave exactly like calling
//! `parse` on each file in order: same templates, same `define` precedence, same first error.

use chartroom_template::{TemplateSet, Value};

/// Enough files and text to take the two-thread path (over 64 KB in total).
fn files() -> Vec<(String, String)> {
    let filler = "line {{ .x }} text\n".repeat(200);
    (0..60)
        .map(|i| {
            let text = format!(
                "{{{{ define \"shared\" }}}}from {i}{{{{ end }}}}{{{{ define \"own{i}\" }}}}own {i}{{{{ end }}}}{filler}"
            );
            (format!("f{i:02}"), text)
        })
        .collect()
}

fn borrowed(files: &[(String, String)]) -> Vec<(&str, &[u8])> {
    files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect()
}

#[test]
fn parse_all_matches_parsing_in_order() {
    let files = files();
    let mut one_by_one = TemplateSet::new();
    for (name, text) in &files {
        one_by_one.parse(name, text).unwrap();
    }
    let mut all = TemplateSet::new();
    all.parse_all(&borrowed(&files)).unwrap();

    let mut a = one_by_one.template_names();
    let mut b = all.template_names();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(b.len(), 60 + 60 + 1);
    // The last file's definition of a shared name wins, as in sequential parsing.
    let data = Value::Nil;
    assert_eq!(all.execute("shared", &data).unwrap(), "from 59");
    assert_eq!(
        all.execute("shared", &data).unwrap(),
        one_by_one.execute("shared", &data).unwrap()
    );
    assert_eq!(all.execute("own7", &data).unwrap(), "own 7");
}

#[test]
fn parse_all_reports_the_first_failing_file() {
    let mut files = files();
    files[41].1.push_str("{{ if }}");
    files[17].1.push_str("{{ end }}");
    let mut set = TemplateSet::new();
    let (index, err) = set.parse_all(&borrowed(&files)).unwrap_err();
    assert_eq!(index, 17);
    let mut alone = TemplateSet::new();
    let want = alone.parse(&files[17].0, &files[17].1).unwrap_err();
    assert_eq!(err.message, want.message);
    // Files before the failure were added; the failing one and those after were not.
    assert!(set.has_template("own16"));
    assert!(!set.has_template("own17"));
    assert!(!set.has_template("own41"));
}
