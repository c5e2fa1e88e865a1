//! Cases recorded from Helm v4.3.1 (`helm install --dry-run` printing `[{{ EXPR }}]` as
//! NOTES.txt; an error keeps the text after `at <EXPR>: `), run through the template engine.

use chartroom_template::{TemplateSet, Value};

const NAME: &str = "c/templates/NOTES.txt";

#[test]
fn helm_recorded_cases_through_the_engine() {
    // Seeded, so key generation (and so the test's run time) is repeatable.
    chartroom_funcs::rng::set_seed(Some(7));
    let data = include_str!("data/helm_oracle.jsonl");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let Value::List(item, _) = chartroom_yaml::from_json(line).expect("json line") else {
            panic!("not a list: {line}");
        };
        let expr = item[0].as_str().expect("expr").to_string();
        let mut set = TemplateSet::with_name(NAME);
        set.add_funcs(chartroom_funcs::helm_functions());
        if let Err(e) = set.parse(NAME, &format!("[{{{{ {expr} }}}}]")) {
            failures.push(format!("{expr}\n   parse error: {e}"));
            continue;
        }
        checked += 1;
        let got = set.execute(NAME, &Value::empty_map());
        match (item.get(1), got) {
            (Some(Value::String(want)), Ok(out)) => {
                let out = out
                    .strip_prefix('[')
                    .and_then(|o| o.strip_suffix(']'))
                    .unwrap_or(&out);
                if *want != out {
                    failures.push(format!("{expr}\n   want {want:?}\n   got  {out:?}"));
                }
            }
            (Some(Value::String(want)), Err(e)) => {
                failures.push(format!("{expr}\n   want {want:?}\n   got ERR {e}"))
            }
            (_, got) => {
                let full = item
                    .get(2)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                let want = full
                    .split_once(">: ")
                    .map(|x| x.1)
                    .unwrap_or(&full)
                    .to_string();
                match got {
                    Err(e) if e.to_string().ends_with(&format!(">: {want}")) => {}
                    Err(e) => failures.push(format!("{expr}\n   want ERR {want}\n   got  ERR {e}")),
                    Ok(out) => {
                        failures.push(format!("{expr}\n   want ERR {want}\n   got  {out:?}"))
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} cases read");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
