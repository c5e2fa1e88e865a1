//! Inputs the fuzz targets (fuzz/, `cargo +nightly fuzz run yaml_read`) found to hang or crash,
//! kept as regression cases: each must come back quickly with Helm's error.

use chartroom_yaml::{from_yaml, from_yaml_go};

/// A NUL inside a quoted scalar ended no run and was not the end of the buffer: the scanner
/// looped for ever. Helm: `yaml: control characters are not allowed`.
#[test]
fn nul_inside_quoted_scalar_is_a_reader_error() {
    for src in ["a: \"b\0c\"\n", "a: 'b\0c'\n", "\"\0", "- \"x\n  \0\"\n"] {
        let err = from_yaml(src).expect_err(src);
        assert_eq!(
            err.to_string(),
            "error converting YAML to JSON: yaml: control characters are not allowed",
            "{src:?}"
        );
        assert!(from_yaml_go(src).is_err(), "{src:?}");
    }
}

/// The fuzzer's original input: a Chart.yaml with a NUL deep in a quoted scalar, past a
/// 512-byte block.
#[test]
fn nul_past_the_first_block_is_a_reader_error() {
    let mut src = String::from("annotations:\n  \"");
    src.push_str(&"x".repeat(600));
    src.push_str("\u{FFFD}\0tail\n");
    let err = from_yaml(&src).expect_err("reader error");
    assert_eq!(
        err.to_string(),
        "error converting YAML to JSON: yaml: control characters are not allowed"
    );
}

/// Found by the `set_parse` fuzz target: go-yaml's `keyList.Less` is not a total order
/// (`001` < `00a` < `01` < `001`), and sorting a mapping's keys with it panicked
/// (`slice::sort_by` checks the order). Go's sort orders such keys from the map's random
/// iteration order, so Helm's own output varies; helm 4.3.1 printed the order below seven
/// times in eight for `{{ dict "001" "a" "00a" "b" "01" "c" | toYaml }}`.
#[test]
fn keys_go_yaml_cannot_order_are_written_without_a_panic() {
    let v = from_yaml("{'001': a, 00a: b, '01': c}").expect("reads");
    assert_eq!(
        chartroom_yaml::to_yaml(&v).expect("writes"),
        "\"001\": a\n00a: b\n\"01\": c\n"
    );
    // Many such keys (past the insertion-sorted runs, so merged): every key once, and the
    // same text every time.
    let mut keys = Vec::new();
    for len in 1..=4u32 {
        for n in 0..3usize.pow(len) {
            let key: String = (0..len)
                .map(|d| ['0', '1', 'a'][n / 3usize.pow(d) % 3])
                .collect();
            keys.push(key);
        }
    }
    let text: String = keys.iter().map(|k| format!("'{k}': x\n")).collect();
    let v = from_yaml(&text).expect("reads");
    let out = chartroom_yaml::to_yaml(&v).expect("writes");
    assert_eq!(out.lines().count(), keys.len());
    for k in &keys {
        let plain = format!("{k}: x");
        let quoted = format!("\"{k}\": x");
        assert_eq!(
            out.lines().filter(|l| *l == plain || *l == quoted).count(),
            1,
            "{k}"
        );
    }
    assert_eq!(chartroom_yaml::to_yaml(&v).expect("writes"), out);
}

/// Found by the manifest differential run (tests/differential/run.py --manifests over the
/// fuzz corpora, 2026-12-05): go-yaml v2 consumes the token after a bare `?` in a flow
/// sequence (`,`, `:` or `]`), so these are errors for Helm; chartroom read them as a map with
/// a null key. Expected texts are helm 4.3.1's.
#[test]
fn bare_key_in_a_flow_sequence_consumes_the_next_token() {
    for (src, want) in [
        ("a: [? : x]\n", "error converting YAML to JSON: yaml: did not find expected ',' or ']'"),
        ("a: [?]\n", "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"),
        ("[?,[\n", "error converting YAML to JSON: yaml: did not find expected ',' or ']'"),
        (
            "a: [? : ]\n",
            "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: <nil>",
        ),
    ] {
        assert_eq!(from_yaml(src).expect_err(src).to_string(), want, "{src:?}");
    }
    assert!(from_yaml("a: [? x : y]\n").is_ok());
}

/// The same run: a map printed in an error (`%#v`) sorts its keys as Go's fmt does, strings
/// by their bytes (not by their quoted text), numbers by value.
#[test]
fn printed_map_keys_sort_as_go_does() {
    let src = "? \n: {\"b c\": 2, b: 1, \"a\\t\": 3, -10: x, -5: y, 9.5: z, 10.5: w}\n";
    assert_eq!(
        from_yaml(src).expect_err(src).to_string(),
        "error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: \
         map[interface {}]interface {}{\"a\\t\":3, \"b\":1, \"b c\":2, -10:\"x\", -5:true, 9.5:\"z\", 10.5:\"w\"}"
    );
}
