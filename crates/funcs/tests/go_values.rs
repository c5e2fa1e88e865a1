//! Go values the shared `Value` models beyond plain JSON data: nil slices and maps as Sprig
//! and Helm's functions produce them, and complex constants, run through the template engine. Every expected text was recorded from `helm template` (Helm v4.3.1) on a
//! one-template chart (`# {{ ... }}`).

use chartroom_template::{TemplateSet, Value};

const NAME: &str = "t/templates/t.yaml";

fn render(src: &str) -> Result<String, String> {
    let mut set = TemplateSet::with_name(NAME);
    set.add_funcs(chartroom_funcs::helm_functions());
    set.parse(NAME, src).map_err(|e| e.to_string())?;
    set.execute(NAME, &Value::empty_map())
        .map_err(|e| e.to_string())
}

fn check(cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (src, want) in cases {
        match render(src) {
            Ok(got) if got == *want => {}
            Ok(got) => failures.push(format!("{src}\n   want {want:?}\n   got  {got:?}")),
            Err(e) => failures.push(format!("{src}\n   want {want:?}\n   got ERR {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sprig_functions_return_nil_slices_where_go_does() {
    check(&[
        (
            r#"{{ rest (list) | toJson }} {{ rest (list) }} {{ rest (list) | len }} {{ typeOf (rest (list)) }} {{ kindIs "slice" (rest (list)) }} {{ if rest (list) }}T{{ else }}F{{ end }} {{ empty (rest (list)) }}"#,
            "null [] 0 []interface {} true F true",
        ),
        ("{{ rest (list) | toYaml }}", "null"),
        (
            "{{ mustRest (list) | toJson }} {{ rest (list 1) | toJson }} {{ mustRest (list 1) | toJson }}",
            "null [] []",
        ),
        (
            "{{ initial (list) | toJson }} {{ mustInitial (list) | toJson }} {{ initial (list 1) | toJson }} {{ mustInitial (list 1) | toJson }}",
            "null null [] []",
        ),
        (
            r#"{{ regexFindAll "x" "abc" -1 | toJson }} {{ regexFindAll "b" "abc" 0 | toJson }} {{ regexFindAll "b" "abc" -1 | toJson }} {{ mustRegexFindAll "x" "abc" -1 | toJson }}"#,
            r#"null null ["b"] null"#,
        ),
        (
            r#"{{ regexSplit "z+" "pizza" 0 | toJson }} {{ regexSplit "z+" "pizza" -1 | toJson }} {{ regexSplit "z+" "" -1 | toJson }} {{ mustRegexSplit "z+" "pizza" 0 | toJson }}"#,
            r#"null ["pi","a"] [""] null"#,
        ),
        (
            "{{ concat | toJson }} {{ concat (list) | toJson }} {{ concat (list) (list) | toJson }} {{ concat (list 1) | toJson }}",
            "null null null [1]",
        ),
        (
            "{{ without (list) 1 | toJson }} {{ without (list 1) 1 | toJson }} {{ compact (list) | toJson }} {{ uniq (list) | toJson }}",
            "[] [] [] []",
        ),
        (
            r#"{{ splitList "," "" | toJson }} {{ list | toJson }} {{ keys (dict) | toJson }} {{ values (dict) | toJson }} {{ pluck "a" (dict) | toJson }}"#,
            r#"[""] [] [] [] []"#,
        ),
        (
            r#"{{ fromYamlArray "null" | toJson }} {{ fromJsonArray "null" | toJson }} {{ fromJsonArray "[]" | toJson }}"#,
            "[] null []",
        ),
        (
            "{{ chunk 2 (list) | toJson }} {{ slice (list) | toJson }} {{ slice (list 1 2) 2 | toJson }} {{ append (list) 1 | toJson }} {{ reverse (list) | toJson }}",
            "[] null [] [1] []",
        ),
        (
            r#"{{ deepCopy (rest (list)) | toJson }} {{ list (rest (list)) | toJson }} {{ dict "a" (rest (list)) | toJson }}"#,
            r#"null [null] {"a":null}"#,
        ),
        (
            r#"{{ rest (list) | toPrettyJson }} {{ rest (list) | toRawJson }} {{ rest (list) | toString }} {{ printf "%v %d %s" (rest (list)) (rest (list)) (rest (list)) }}"#,
            "null null [] [] [] []",
        ),
        (
            r#"{{ printf "%#v" (rest (list)) }} {{ printf "%#v" (list) }} {{ printf "%p" (rest (list)) }}"#,
            "[]interface {}(nil) []interface {}{} 0x0",
        ),
        (
            r#"{{ range rest (list) }}x{{ else }}none{{ end }} {{ default "d" (rest (list)) }} {{ coalesce (rest (list)) "c" }} {{ has 1 (rest (list)) }}"#,
            "none d c false",
        ),
        (
            "{{ deepEqual (rest (list)) (list) }} {{ deepEqual (rest (list)) (rest (list)) }} {{ deepEqual (fromJson \"null\") (dict) }}",
            "false true false",
        ),
    ]);
}

#[test]
fn nil_maps_from_fromjson_and_map_parameters() {
    check(&[
        (
            r#"{{ fromJson "null" | toJson }} {{ fromJson "null" }} {{ typeOf (fromJson "null") }} {{ fromJson "null" | len }}"#,
            "null map[] map[string]interface {} 0",
        ),
        (
            r#"{{ fromYaml "null" | toJson }} {{ fromYaml "" | toJson }} {{ fromYaml "~" | toJson }}"#,
            "{} {} {}",
        ),
        (
            r#"{{ printf "%#v|%v" (fromJson "null") (fromJson "null") }}"#,
            "map[string]interface {}(nil)|map[]",
        ),
        (r#"{{ unset nil "a" | toJson }}"#, "null"),
        (
            r#"{{ unset (fromJson "null") "a" | toJson }} {{ hasKey (fromJson "null") "a" }} {{ get (fromJson "null") "a" | toJson }} {{ keys (fromJson "null") | toJson }} {{ pick (fromJson "null") "a" | toJson }}"#,
            r#"null false "" [] {}"#,
        ),
        (
            r#"{{ merge nil (dict "a" 1) | toJson }} {{ mergeOverwrite nil (dict "a" 1) | toJson }} {{ merge (fromJson "null") (dict "a" 1) | toJson }}"#,
            r#"{"a":1} {"a":1} {"a":1}"#,
        ),
        (
            r#"{{ dig "a" 1 (fromJson "null") }} {{ deepCopy (fromJson "null") | toJson }} {{ toYaml (dict "a" (rest (list)) "b" (fromJson "null")) }}"#,
            "1 null a: null\nb: null",
        ),
    ]);
}

#[test]
fn assignment_into_a_nil_map_fails() {
    for src in [
        r#"{{ set nil "a" 1 }}"#,
        r#"{{ $m := fromJson "null" }}{{ set $m "a" 1 }}"#,
    ] {
        let err = render(src).expect_err(src);
        assert!(
            err.ends_with("error calling set: assignment to entry in nil map"),
            "{src}: {err}"
        );
    }
}

#[test]
fn complex_constants_through_sprig() {
    check(&[
        (
            r#"{{ 1i | toJson }}|{{ 1i | toYaml }}|{{ 1i | toPrettyJson }}|{{ list 1i | toJson }}"#,
            "|||",
        ),
        (
            r#"{{ typeOf 1i }} {{ kindOf 1i }} {{ empty 0i }} {{ empty 1i }} {{ default 5 0i }} {{ toString 0i }} {{ int 1i }} {{ float64 1i }} {{ add 2i 1 }}"#,
            "complex128 complex128 true false 5 (0+0i) 0 0 1",
        ),
        (
            r#"{{ list 1i 2 }} {{ 1i | quote }} {{ dict "a" 1i }} {{ deepEqual 1i 1i }} {{ has 1i (list 1i) }} {{ until 2+0i }}"#,
            r#"[(0+1i) 2] "(0+1i)" map[a:(0+1i)] true true [0 1]"#,
        ),
        (
            r#"{{ 1i | toToml }}|{{ dict "a" 1i | toToml }}|{{ list 1i | toToml }}"#,
            "unsupported type for key '': complex128|unsupported type: complex128|unsupported type: complex128",
        ),
    ]);
    let err = render("{{ mustToJson 1i }}").expect_err("mustToJson");
    assert!(
        err.ends_with("error calling mustToJson: json: unsupported type: complex128"),
        "{err}"
    );
}

#[test]
fn typed_slices_from_until_and_chunk() {
    check(&[
        (
            r#"{{ typeOf (until 3) }} {{ typeOf (untilStep 0 3 1) }} {{ typeOf (chunk 2 (list 1 2 3)) }} {{ typeOf (index (chunk 2 (list 1 2 3)) 0) }} {{ printf "%#v" (until 2) }} {{ printf "%#v" (chunk 1 (list 1)) }}"#,
            "[]int []int [][]interface {} []interface {} []int{0, 1} [][]interface {}{[]interface {}{1}}",
        ),
        (
            r#"{{ typeOf (first (until 3)) }} {{ typeOf (append (until 3) 4) }} {{ typeOf (slice (until 3) 1) }} {{ deepEqual (until 2) (list 0 1) }} {{ has 1 (until 3) }} {{ range until 2 }}{{ typeOf . }}{{ end }} {{ typeOf (index (until 2) 1) }}"#,
            "int []interface {} []int false true intint int",
        ),
        (
            r#"{{ typeOf (until 0) }} {{ until 0 | toJson }} {{ printf "%#v" (until 0) }} {{ typeOf (chunk 2 (list)) }} {{ printf "%#v" (dict "a" (until 1)) }} {{ typeOf (deepCopy (until 3)) }}"#,
            r#"[]int [] []int{} [][]interface {} map[string]interface {}{"a":[]int{0}} []int"#,
        ),
    ]);
}
