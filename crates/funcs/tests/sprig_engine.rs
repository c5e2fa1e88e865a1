//! The helm-recorded Sprig cases run through the real template engine: parsing, argument
//! conversion to the declared Go types, the call, and Go's `error calling` wrapping.

use chartroom_template::{TemplateSet, Value};

const NAME: &str = "c/templates/t.yaml";

/// Documented deviations (docs/notes/sprig.md): Go's random map order in `keys`/`values`.
const SKIP: &[&str] = &[
    "keys (dict \"b\" 1 \"a\" 2) (dict \"a\" 3)",
    "values (dict \"b\" 1 \"a\" 2)",
];

#[test]
fn helm_recorded_cases_through_the_engine() {
    let data = include_str!("data/sprig_helm_oracle.txt");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in data.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (expr, expected) = line.split_once(" => ").expect("separator");
        if SKIP.contains(&expr) {
            continue;
        }
        let mut set = TemplateSet::with_name(NAME);
        set.add_funcs(chartroom_funcs::helm_functions());
        let src = format!(
            "v: {{{{ $x := ({expr}) }}}}{{{{ $x | toString | toJson }}}}\nt: {{{{ typeOf $x | toJson }}}}\n"
        );
        if let Err(e) = set.parse(NAME, &src) {
            failures.push(format!("{expr}\n   parse error: {e}"));
            continue;
        }
        checked += 1;
        let got = set.execute(NAME, &Value::empty_map());
        if let Some(err) = expected.strip_prefix("ERR ") {
            let want = format!("template: {NAME}:1:13: executing \"{NAME}\" at <{expr}>: {err}");
            match got {
                Err(e) if e.to_string() == want => {}
                Err(e) => failures.push(format!("{expr}\n   want {want}\n   got  {e}")),
                Ok(out) => failures.push(format!("{expr}\n   want {want}\n   got  {out:?}")),
            }
            continue;
        }
        let (val, ty) = expected.split_once(" :: ").expect("type");
        let want = format!("v: {val}\nt: {ty}\n");
        match got {
            Ok(out) if out == want => {}
            Ok(out) => failures.push(format!("{expr}\n   want {want:?}\n   got  {out:?}")),
            Err(e) => failures.push(format!("{expr}\n   want {want:?}\n   got  ERR {e}")),
        }
    }
    assert!(checked > 300, "only {checked} cases read");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
