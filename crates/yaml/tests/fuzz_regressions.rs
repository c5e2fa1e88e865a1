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
