//! Expectations recorded from Helm v4.3.1 (`semverCompare`, `semver`).

use chartroom_funcs::semver::{parse_version, semver_compare};

#[test]
fn semver_compare_matches_helm() {
    let cases: &[(&str, &str, bool)] = &[
        (">=1.21-0", "v1.31.0", true),
        (">=1.21-0", "v1.20.5", false),
        (">=1.21-0", "v1.21.0-gke.100", true),
        (">=1.21", "v1.21.0-gke.100", false),
        (">=1.21.0", "1.21.0", true),
        ("<1.19-0", "v1.18.9-eks-d1db3c", true),
        ("^1.2", "1.9.9", true),
        ("^1.2", "2.0.0", false),
        ("^0.2.3", "0.2.9", true),
        ("^0.2.3", "0.3.0", false),
        ("~1.2", "1.2.9", true),
        ("~1.2", "1.3.0", false),
        ("~1", "1.9.0", true),
        ("1.x", "1.5.0", true),
        ("1.x", "2.0.0", false),
        ("*", "1.0.0-alpha", false),
        ("*", "1.0.0", true),
        (">1.2 <2 || 3.x", "3.1.0", true),
        (">1.2, <2", "1.5.0", true),
        (">1.2,<2", "2.0.0", false),
        ("1.2 - 1.4.5", "1.4.5", true),
        ("1.2 - 1.4.5", "1.4.6", false),
        ("!=1.2.3", "1.2.3", false),
        ("!=1.2.x", "1.2.5", false),
        ("=1.2.3", "1.2.3+meta", true),
        (">11", "11.5.0", false),
        (">11.1", "11.1.9", false),
        ("<=1.2", "1.2.9", true),
        ("<=1.2", "1.3.0", false),
        (">= 1.2.3", "1.2.3", true),
        ("x", "1.0.0", true),
        (">=1.0.0-beta.2", "1.0.0-beta.10", true),
        (">=1.0.0-beta.11", "1.0.0-beta.10", false),
        (">=1.0.0-alpha", "1.0.0-alpha.1", true),
        (">=1.0.0-0 <2.0.0", "1.5.0-beta", true),
        ("<2.0.0 || >=3.0.0-0", "1.5.0-beta", false),
        ("1.2.3 1.2.3", "1.2.3", true),
        ("x", "1.0.0", true),
    ];
    for (c, v, want) in cases {
        assert_eq!(semver_compare(c, v), Ok(*want), "semverCompare {c:?} {v:?}");
    }
}

#[test]
fn semver_compare_errors_match_helm() {
    assert_eq!(
        semver_compare("", "1.0.0").unwrap_err(),
        "improper constraint: \"\""
    );
    assert_eq!(
        semver_compare("foo", "1.0.0").unwrap_err(),
        "improper constraint: \"foo\""
    );
    assert_eq!(
        semver_compare("foo\n", "1.0.0").unwrap_err(),
        "improper constraint: \"foo\\n\""
    );
    assert_eq!(
        semver_compare(">>1", "1.0.0").unwrap_err(),
        "improper constraint: \">>1\""
    );
    assert_eq!(
        semver_compare(">=1.2 ||| <1", "1.0.0").unwrap_err(),
        "constraint parser error"
    );
    assert_eq!(
        semver_compare(">1", "x").unwrap_err(),
        "invalid semantic version"
    );
    let many = format!("{}1", "1||".repeat(40));
    assert_eq!(
        semver_compare(&many, "1.0.0").unwrap_err(),
        "too many constraint groups (max 32)"
    );
    let long = ">=1 ".repeat(130);
    assert_eq!(
        semver_compare(&long, "1.0.0").unwrap_err(),
        "constraint string is too long (max 512 bytes)"
    );
    assert_eq!(semver_compare(&">=1 ".repeat(110), "1.0.0"), Ok(true));
}

#[test]
fn versions_parse_like_masterminds() {
    let v = parse_version("01.2.3").unwrap();
    assert_eq!((v.major, v.minor, v.patch), (1, 2, 3));
    assert_eq!(v.to_go_string(), "1.2.3");
    assert_eq!(v.original, "01.2.3");
    assert_eq!(parse_version("v1.2").unwrap().to_go_string(), "1.2.0");
    assert_eq!(parse_version("1").unwrap().to_go_string(), "1.0.0");
    let v = parse_version("1.2.3-alpha+b").unwrap();
    assert_eq!((v.pre.as_str(), v.metadata.as_str()), ("alpha", "b"));
    assert_eq!(parse_version("1.2.3+meta.01").unwrap().metadata, "meta.01");
    assert_eq!(parse_version("1.2.3-0a").unwrap().pre, "0a");
    for bad in ["V1.2", "1.2.3.4", "1.2.3-a..b", " 1.2.3", ""] {
        assert_eq!(
            parse_version(bad).unwrap_err(),
            "invalid semantic version",
            "{bad:?}"
        );
    }
    assert_eq!(
        parse_version("1.2.3-01").unwrap_err(),
        "version segment starts with 0"
    );
    assert_eq!(
        parse_version("99999999999999999999.0.0").unwrap_err(),
        "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"
    );
}
