//! The hand-made scanners against the regexes they replace (`regex_reference`), on a seeded
//! pseudo-random corpus, grammar by grammar and end to end; and hand-picked cases of
//! Masterminds/semver's documented behaviour (README, its tests), checked against Helm.

use std::collections::BTreeMap;

use super::regex_reference as reference;
use super::*;

/// SplitMix64: tiny and deterministic, so a failing string reproduces from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// The alphabet, weighted toward the grammar's own characters; a few bytes the grammar
/// never accepts (`\v`, which Go's `\s` excludes, and a multi-byte character) keep the
/// scanners honest about what they reject and where they may slice.
const WEIGHTED: &[(char, usize)] = &[
    ('0', 6),
    ('1', 7),
    ('2', 5),
    ('3', 3),
    ('9', 2),
    ('.', 9),
    ('v', 2),
    ('x', 2),
    ('X', 1),
    ('*', 2),
    ('-', 6),
    ('+', 3),
    ('~', 2),
    ('^', 2),
    ('=', 3),
    ('!', 1),
    ('>', 3),
    ('<', 3),
    ('|', 3),
    (',', 3),
    (' ', 7),
    ('\t', 1),
    ('\n', 1),
    ('\x0c', 1),
    ('\r', 1),
    ('\x0b', 1),
    ('a', 2),
    ('z', 1),
    ('A', 1),
    ('é', 1),
];

fn alphabet() -> Vec<char> {
    WEIGHTED
        .iter()
        .flat_map(|&(c, w)| std::iter::repeat_n(c, w))
        .collect()
}

/// A short string of weighted characters.
fn random_chars(rng: &mut Rng, alphabet: &[char]) -> String {
    let len = match rng.below(10) {
        0..=6 => rng.below(8),
        7 | 8 => rng.below(16),
        _ => rng.below(48),
    };
    (0..len)
        .map(|_| alphabet[rng.below(alphabet.len())])
        .collect()
}

/// A version-like token, often valid, sometimes bent.
fn random_version(rng: &mut Rng) -> String {
    const NUMS: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "10",
        "01",
        "x",
        "X",
        "*",
        "|",
        "1|2",
        "18446744073709551615",
        "18446744073709551616",
    ];
    const IDENTS: &[&str] = &[
        "alpha", "0", "01", "beta.2", "rc-1", "", "a..b", "gke.100", "-",
    ];
    let mut s = String::new();
    if rng.chance(15) {
        s.push('v');
    }
    let parts = 1 + rng.below(4);
    for i in 0..parts {
        if i > 0 {
            s.push('.');
        }
        s.push_str(rng.pick(NUMS));
    }
    if rng.chance(30) {
        s.push('-');
        s.push_str(rng.pick(IDENTS));
    }
    if rng.chance(15) {
        s.push('+');
        s.push_str(rng.pick(IDENTS));
    }
    s
}

/// A constraint-like string: operators, versions and separators.
fn random_constraint(rng: &mut Rng, alphabet: &[char]) -> String {
    const OPS: &[&str] = &[
        "", "", "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^", ">>", "==",
    ];
    const WS: &[&str] = &["", "", "", " ", "  ", "\t"];
    const SEPS: &[&str] = &[
        " ", " ", ", ", ",", " || ", "||", "|", " - ", " - ", "-", "  ", "\t", " ,", "", "\n",
    ];
    let items = if rng.chance(3) {
        10 + rng.below(120)
    } else {
        1 + rng.below(4)
    };
    // Long lists are often mostly alternatives, to reach the 32-group limit.
    let or_heavy = items > 10 && rng.chance(50);
    let mut s = String::new();
    for i in 0..items {
        if i > 0 {
            s.push_str(if or_heavy && rng.chance(70) {
                "||"
            } else {
                rng.pick(SEPS)
            });
        }
        s.push_str(rng.pick(WS));
        s.push_str(rng.pick(OPS));
        s.push_str(rng.pick(WS));
        if or_heavy && rng.chance(70) {
            s.push_str(rng.pick(&["1", "2.x", "*", "1.2", "x"]));
        } else {
            s.push_str(&random_version(rng));
        }
    }
    if rng.chance(20) {
        s.push_str(rng.pick(WS));
    }
    // Occasionally mutate one character.
    if rng.chance(15) && !s.is_empty() {
        let mut chars: Vec<char> = s.chars().collect();
        let at = rng.below(chars.len());
        chars[at] = alphabet[rng.below(alphabet.len())];
        s = chars.into_iter().collect();
    }
    s
}

/// What a corpus exercised; asserted on so that a generator gone stale fails the test.
#[derive(Default, Debug)]
struct Stats {
    strings: usize,
    versions_ok: usize,
    constraints_ok: usize,
    valid_parts: usize,
    ranges: usize,
    checks_true: usize,
    checks_false: usize,
    errors: BTreeMap<String, usize>,
}

impl Stats {
    fn error(&mut self, e: &str) {
        let kind = e.split(':').next().unwrap_or(e).to_string();
        *self.errors.entry(kind).or_default() += 1;
    }
}

/// Versions the parsed constraints are checked against (prereleases included).
const CHECKED: &[&str] = &[
    "0.0.0",
    "0.0.0-0",
    "0.0.1-alpha",
    "0.1.0",
    "0.2.3",
    "1.0.0",
    "1.0.0-alpha",
    "1.2.0",
    "1.2.3",
    "1.2.3-alpha.1",
    "1.2.4-beta.2",
    "1.3.0",
    "2.0.0",
    "2.0.0-rc.1",
    "3.0.0",
    "4.1.0",
    "v1.29.3",
    "1.21.0-gke.100",
    "10.20.30+build.5",
    "11.1.0",
];

/// Compares the scanners with the reference regexes on `s`, piece by piece and end to end.
fn compare(s: &str, versions: &[Version], st: &mut Stats) {
    st.strings += 1;

    let ours = syntax::loose_version(s).map(|t| {
        let inner = |p: &'_ str| p.get(1..).unwrap_or("").to_string();
        [
            t.major.to_string(),
            t.minor.to_string(),
            t.patch.to_string(),
            inner(t.pre),
            inner(t.meta),
        ]
    });
    let theirs = reference::version_groups(s).map(|g| g.map(str::to_string));
    assert_eq!(ours, theirs, "version groups of {s:?}");
    let v = parse_version(s);
    assert_eq!(v, reference::parse_version(s), "parse_version({s:?})");
    match &v {
        Ok(_) => st.versions_ok += 1,
        Err(e) => st.error(e),
    }

    let ours = syntax::constraint(s).map(|(op, t)| [op, t.whole, t.major, t.minor, t.patch, t.pre]);
    assert_eq!(
        ours,
        reference::constraint_groups(s),
        "constraint groups of {s:?}"
    );
    assert_eq!(
        syntax::is_valid(s),
        reference::is_valid(s),
        "validity of {s:?}"
    );
    assert_eq!(syntax::find_all(s), reference::find_all(s), "find in {s:?}");
    let ranges = syntax::ranges(s);
    assert_eq!(ranges, reference::ranges(s), "ranges in {s:?}");
    st.ranges += ranges.len();
    let rewritten = rewrite_range(s);
    assert_eq!(
        rewritten,
        reference::rewrite_range(s),
        "rewrite_range({s:?})"
    );
    // The parts `parse_constraints` actually validates and searches.
    for part in rewritten.split("||") {
        let valid = syntax::is_valid(part);
        assert_eq!(valid, reference::is_valid(part), "validity of {part:?}");
        assert_eq!(
            syntax::find_all(part),
            reference::find_all(part),
            "find in {part:?}"
        );
        st.valid_parts += usize::from(valid);
    }

    let c = parse_constraints(s);
    let r = reference::parse_constraints(s);
    assert_eq!(c, r, "parse_constraints({s:?})");
    match (&c, &r) {
        (Ok(c), Ok(r)) => {
            st.constraints_ok += 1;
            for v in versions {
                let got = c.check(v);
                assert_eq!(got, r.check(v), "{s:?} checking {:?}", v.original);
                if got {
                    st.checks_true += 1;
                } else {
                    st.checks_false += 1;
                }
            }
        }
        (Err(e), _) => st.error(e),
        _ => {}
    }
}

fn checked_versions() -> Vec<Version> {
    CHECKED
        .iter()
        .map(|v| parse_version(v).expect("listed versions parse"))
        .collect()
}

#[test]
fn scanners_match_the_regexes_on_random_characters() {
    let alphabet = alphabet();
    let versions = checked_versions();
    let mut rng = Rng(0x5eed_0001);
    let mut st = Stats::default();
    for _ in 0..40_000 {
        let s = random_chars(&mut rng, &alphabet);
        compare(&s, &versions, &mut st);
    }
    // The corpus reaches every outcome, not just rejections.
    assert!(st.versions_ok > 1_000, "{st:?}");
    assert!(st.constraints_ok > 1_000, "{st:?}");
    assert!(st.valid_parts > 2_000, "{st:?}");
    assert!(st.ranges > 20, "{st:?}");
    assert!(st.checks_true > 1_000 && st.checks_false > 1_000, "{st:?}");
    for kind in [
        "invalid semantic version",
        "improper constraint",
        "constraint parser error",
    ] {
        assert!(
            st.errors.get(kind).is_some_and(|&n| n > 10),
            "{kind}: {st:?}"
        );
    }
    assert!(
        st.errors.contains_key("version segment starts with 0"),
        "{st:?}"
    );
}

#[test]
fn scanners_match_the_regexes_on_random_constraints() {
    let alphabet = alphabet();
    let mut versions = checked_versions();
    let mut rng = Rng(0x5eed_0002);
    let mut st = Stats::default();
    for i in 0..30_000 {
        let s = random_constraint(&mut rng, &alphabet);
        compare(&s, &versions, &mut st);
        // Versions the corpus produced join the checked ones (a bounded, rotating few).
        let v = random_version(&mut rng);
        compare(&v, &versions, &mut st);
        if let Ok(v) = parse_version(&v) {
            if versions.len() < CHECKED.len() + 12 {
                versions.push(v);
            } else {
                versions[CHECKED.len() + i % 12] = v;
            }
        }
    }
    assert!(st.versions_ok > 5_000, "{st:?}");
    assert!(st.constraints_ok > 5_000, "{st:?}");
    assert!(st.ranges > 1_000, "{st:?}");
    assert!(
        st.checks_true > 20_000 && st.checks_false > 20_000,
        "{st:?}"
    );
    for kind in [
        "invalid semantic version",
        "improper constraint",
        "constraint parser error",
        "version segment starts with 0",
        "error parsing version segment",
        "constraint string is too long (max 512 bytes)",
        "too many constraint groups (max 32)",
    ] {
        assert!(
            st.errors.get(kind).is_some_and(|&n| n > 10),
            "{kind}: {st:?}"
        );
    }
}

// Hand-picked cases: the behaviour Masterminds/semver documents (README) and tests, and the
// quirks of its grammar. The checks, errors and versions were confirmed against Helm v4.3.1;
// range rewrites are not observable there except through error texts (which agree).

/// `semverCompare` results.
const CHECKS: &[(&str, &str, bool)] = &[
    // Hyphen ranges: `1.2 - 1.4.5` is `>= 1.2, <= 1.4.5`.
    ("1.2 - 1.4.5", "1.2.0", true),
    ("1.2 - 1.4.5", "1.4.5", true),
    ("1.2 - 1.4.5", "1.4.6", false),
    ("1.2 - 1.4.5", "1.1.9", false),
    ("2.3.4 - 4.5", "2.3.3", false),
    ("2.3.4 - 4.5", "4.5.9", true),
    ("2.3.4 - 4.5", "4.6.0", false),
    ("3 - 4 || => 3.0, < 4", "4.0.0", true),
    ("1 - 2 || 1 - 2", "1.5.0", true),
    // `1.1-3` is a prerelease, not a range.
    ("1.1-3", "4.3.2", false),
    // Wildcards.
    ("1.2.x", "1.2.9", true),
    ("1.2.x", "1.3.0", false),
    (">= 1.2.x", "1.2.0", true),
    (">= 1.2.x", "1.1.9", false),
    ("<= 2.x", "2.9.9", true),
    ("<= 2.x", "3.0.0", false),
    ("*", "0.0.0", true),
    ("*", "1.0.0-alpha", false),
    ("*-0", "1.2.3-alpha.1", true),
    ("2.1.*", "2.2.1", false),
    ("<1.1.x", "1.1.500", false),
    ("<=1.1.x", "1.2.500", false),
    ("~*", "2.1.1", true),
    // Tilde.
    ("~1.2.3", "1.2.9", true),
    ("~1.2.3", "1.3.0", false),
    ("~1", "1.9.9", true),
    ("~1", "2.0.0", false),
    ("~2.3", "2.3.9", true),
    ("~2.3", "2.4.0", false),
    ("~1.2.x", "1.2.0", true),
    ("~1.2.x", "1.3.0", false),
    ("~1.x", "1.9.0", true),
    ("~1.x", "2.0.0", false),
    ("~> 1.2", "1.2.7", true),
    ("~1.2.3-beta.2", "1.2.4-beta.2", true),
    // Caret.
    ("^1.2.3", "1.9.9", true),
    ("^1.2.3", "2.0.0", false),
    ("^1.2.3", "1.2.2", false),
    ("^1.2.x", "1.2.0", true),
    ("^1.2.x", "2.0.0", false),
    ("^2.3", "2.9.0", true),
    ("^2.3", "3.0.0", false),
    ("^2.x", "2.0.0", true),
    ("^2.x", "3.0.0", false),
    ("^0.2.3", "0.2.9", true),
    ("^0.2.3", "0.3.0", false),
    ("^0.2", "0.2.0", true),
    ("^0.2", "0.3.0", false),
    ("^0.0.3", "0.0.3", true),
    ("^0.0.3", "0.0.4", false),
    ("^0.0", "0.0.9", true),
    ("^0.0", "0.1.0", false),
    ("^0", "0.9.9", true),
    ("^0", "1.0.0", false),
    ("^0.2.3-beta.2", "0.3.4-beta.2", false),
    // AND lists (commas or whitespace) and OR groups.
    (">= 1.2, < 3.0.0 || >= 4.2.3", "2.5.0", true),
    (">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0", false),
    (">= 1.2, < 3.0.0 || >= 4.2.3", "4.2.3", true),
    ("<= 1.2.3, >= 1.4", "1.3", false),
    (">1.1    <3", "4.3.2", false),
    (">= 1.1, <     2, !=1.2.3", "1.2.3", false),
    ("12.3.34 ~1.2.3", "1.2.3", false),
    ("\t>=\n1.2\r", "1.3.0", true),
    // Operators and their aliases.
    ("!=4.1", "4.1.1", false),
    ("!=4.1-alpha", "4.1.0", true),
    ("=> 1.2", "1.2.0", true),
    ("=< 1.2", "1.2.5", true),
    ("1.2.3+build", "1.2.3", true),
    // Prereleases match only constraints that name one; ASCII order.
    (">=1.2.3", "1.2.4-beta", false),
    (">=1.2.3-0", "1.2.4-beta", true),
    (">=1.2.3-BETA", "1.2.3-alpha", true),
    (">0", "0.0.1-alpha", false),
    (">0.0.0-0", "0.0.0-alpha", true),
    ("<0-z", "0.0.0-alpha", true),
    (">=1.0.0-alpha.1 <1.0.0", "1.0.0-alpha.2", true),
    (
        "v2.3.5-20161202202307-sha.e8fc5e5",
        "2.3.5-20161202202307-sha.e8fc5e5",
        true,
    ),
];

/// `NewConstraint` errors; the text names the part after range rewriting.
const CONSTRAINT_ERRORS: &[(&str, &str)] = &[
    ("foo", r#"improper constraint: "foo""#),
    (">= bar", r#"improper constraint: ">= bar""#),
    ("BAR >= 1.2.3", r#"improper constraint: "BAR >= 1.2.3""#),
    // Four parts.
    ("12.3.4.1234", r#"improper constraint: "12.3.4.1234""#),
    ("12.3.34~ 1.2.3", r#"improper constraint: "12.3.34~ 1.2.3""#),
    ("", r#"improper constraint: """#),
    (" ", r#"improper constraint: " ""#),
    ("1,,2", r#"improper constraint: "1,,2""#),
    ("=1.2 -", r#"improper constraint: "=1.2 -""#),
    (">= 1.2.3-", r#"improper constraint: ">= 1.2.3-""#),
    // `\v` is not whitespace to Go's `\s`.
    (">=1.2.3\x0b", r#"improper constraint: ">=1.2.3\v""#),
    // The range regex finds `2.3.4 - 5` inside `1.2.3.4 - 5`.
    ("1.2.3.4 - 5", r#"improper constraint: "1.>= 2.3.4, <= 5 ""#),
    ("1 - 2 - 3", r#"improper constraint: ">= 1, <= 2 - 3""#),
    (
        "1 - 2 - 3 - 4",
        r#"improper constraint: ">= 1, <= 2 ->= 3, <= 4 ""#,
    ),
    // `|` is in the wildcard class: valid syntax, then not a version.
    ("1|2", "constraint parser error"),
    ("1 |", "constraint parser error"),
];

/// `rewrite_range`: each match replaced by `>= a, <= b ` at its text's first occurrence.
const REWRITES: &[(&str, &str)] = &[
    ("2 - 3", ">= 2, <= 3 "),
    ("2 - 3, 2 - 3", ">= 2, <= 3 ,>= 2, <= 3 "),
    ("2 - 3, 4.0.0 - 5.1", ">= 2, <= 3 ,>= 4.0.0, <= 5.1 "),
    ("  v1.x -\t2 ", ">= v1.x, <= 2 "),
    ("1 - 2 || 1 - 2", ">= 1, <= 2 ||>= 1, <= 2 "),
    ("1.2.3.4 - 5", "1.>= 2.3.4, <= 5 "),
    ("1 - 2 - 3 - 4", ">= 1, <= 2 ->= 3, <= 4 "),
    ("1-2 - 3", ">= 1-2, <= 3 "),
    ("1 -2", "1 -2"),
    (">=1.2", ">=1.2"),
];

/// `NewVersion`: (major, minor, patch, prerelease, metadata) or the error.
type Parsed = Result<(u64, u64, u64, &'static str, &'static str), &'static str>;
const VERSIONS: &[(&str, Parsed)] = &[
    ("1.2.3", Ok((1, 2, 3, "", ""))),
    ("v1.2.3", Ok((1, 2, 3, "", ""))),
    ("1.0", Ok((1, 0, 0, "", ""))),
    ("v1.0", Ok((1, 0, 0, "", ""))),
    ("1", Ok((1, 0, 0, "", ""))),
    ("01.02.03", Ok((1, 2, 3, "", ""))),
    ("1.2-5", Ok((1, 2, 0, "5", ""))),
    ("1.2-beta.5", Ok((1, 2, 0, "beta.5", ""))),
    ("1.2.0-x.Y.0+metadata", Ok((1, 2, 0, "x.Y.0", "metadata"))),
    ("1.2.3-rc1-with-hypen", Ok((1, 2, 3, "rc1-with-hypen", ""))),
    ("1.2.3-0a.b-c", Ok((1, 2, 3, "0a.b-c", ""))),
    ("1.2.3+01", Ok((1, 2, 3, "", "01"))),
    ("1.2.2147483648", Ok((1, 2, 2147483648, "", ""))),
    ("2147483648.3.0", Ok((2147483648, 3, 0, "", ""))),
    (
        "20221209-update-renovatejson-v4",
        Ok((20221209, 0, 0, "update-renovatejson-v4", "")),
    ),
    ("1.2.beta", Err("invalid semantic version")),
    ("v1.2.beta", Err("invalid semantic version")),
    ("foo", Err("invalid semantic version")),
    ("\n1.2", Err("invalid semantic version")),
    ("v1.2.3 ", Err("invalid semantic version")),
    ("1.2.3.4", Err("invalid semantic version")),
    ("1.2.3-", Err("invalid semantic version")),
    ("1.2.3+", Err("invalid semantic version")),
    ("1.2.3-a..b", Err("invalid semantic version")),
    ("V1.2.3", Err("invalid semantic version")),
    (".1.2", Err("invalid semantic version")),
    ("1.2.3-01", Err("version segment starts with 0")),
    (
        "18446744073709551616",
        Err("error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
    ),
];

#[test]
fn documented_checks() {
    for &(c, v, want) in CHECKS {
        assert_eq!(semver_compare(c, v), Ok(want), "semverCompare {c:?} {v:?}");
        let r = reference::parse_constraints(c).map(|r| r.check(&parse_version(v).unwrap()));
        assert_eq!(r, Ok(want), "reference: {c:?} {v:?}");
    }
}

#[test]
fn documented_constraint_errors() {
    for &(c, want) in CONSTRAINT_ERRORS {
        assert_eq!(parse_constraints(c).unwrap_err(), want, "{c:?}");
        assert_eq!(
            reference::parse_constraints(c).unwrap_err(),
            want,
            "reference: {c:?}"
        );
    }
}

#[test]
fn documented_range_rewrites() {
    for &(c, want) in REWRITES {
        assert_eq!(rewrite_range(c), want, "{c:?}");
        assert_eq!(reference::rewrite_range(c), want, "reference: {c:?}");
    }
}

#[test]
fn documented_versions() {
    for (s, want) in VERSIONS {
        let got =
            |v: Result<Version, String>| v.map(|v| (v.major, v.minor, v.patch, v.pre, v.metadata));
        let want = want
            .map(|(a, b, c, p, m)| (a, b, c, p.to_string(), m.to_string()))
            .map_err(str::to_string);
        assert_eq!(got(parse_version(s)), want, "{s:?}");
        assert_eq!(got(reference::parse_version(s)), want, "reference: {s:?}");
    }
}
