//! Seeded template function calls draw from streams of their own (seed, function, arguments,
//! occurrence), so an edit elsewhere leaves their output alone, and generated keys are reused
//! by the next render with the same seed; unseeded renders stay fresh.

use chartroom_funcs::rng;
use chartroom_template::{TemplateSet, Value};

fn render(src: &str) -> String {
    let mut set = TemplateSet::with_name("t");
    set.add_funcs(chartroom_funcs::helm_functions());
    set.parse("t", src).expect("parses");
    set.execute("t", &Value::empty_map()).expect("executes")
}

/// Renders `src` as one seeded render does (the seed set first, released after).
fn seeded(seed: u64, src: &str) -> String {
    rng::set_seed(Some(seed));
    let out = render(src);
    rng::set_seed(None);
    out
}

#[test]
fn a_call_keeps_its_value_when_other_calls_come_and_go() {
    let alone = seeded(5, "{{ randAlphaNum 16 }}|{{ uuidv4 }}");
    let with_others = seeded(
        5,
        "{{ randAlpha 3 }}{{ randInt 0 9 }}{{ shuffle \"abc\" }}|{{ randAlphaNum 16 }}|{{ uuidv4 }}",
    );
    let tail: Vec<&str> = with_others.splitn(2, '|').collect();
    assert_eq!(tail[1], alone);
    // The same call twice in one render: two values (the occurrence counts), each repeatable.
    let twice = seeded(5, "{{ randAlphaNum 16 }}|{{ randAlphaNum 16 }}");
    let (a, b) = twice.split_once('|').expect("two values");
    assert_ne!(a, b);
    assert_eq!(a, alone.split('|').next().expect("first"));
    assert_eq!(
        seeded(5, "{{ randAlphaNum 16 }}|{{ randAlphaNum 16 }}"),
        twice
    );
    // Other arguments or another seed: another value.
    assert_ne!(seeded(5, "{{ randAlphaNum 17 }}")[..16], alone[..16]);
    assert_ne!(seeded(6, "{{ randAlphaNum 16 }}"), alone[..16]);
}

#[test]
fn generated_keys_are_reused_by_the_next_render_with_the_same_seed() {
    rng::set_now(Some((1_800_000_000, 0)));
    const T: &str = r#"{{ $ca := genCA "memo-ca" 30 }}{{ $ca.Cert }}{{ $ca.Key }}{{ $c := genSignedCert "x" nil nil 30 $ca }}{{ $c.Cert }}"#;
    let first = seeded(11, T);
    let kept = rng::memo_len();
    assert!(kept >= 2, "the two keys are kept ({kept})");
    // Again: the kept keys (and the generator positions after them, so the serial numbers
    // drawn next are the same too) give the same output without new entries.
    assert_eq!(seeded(11, T), first);
    assert_eq!(rng::memo_len(), kept);
    // A second later the CA certificate's text differs (its validity starts then), but the
    // signed certificate's call is the same call: its key is reused too.
    rng::set_now(Some((1_800_000_001, 0)));
    let later = seeded(11, T);
    assert_ne!(later, first);
    assert_eq!(rng::memo_len(), kept);
    rng::set_now(Some((1_800_000_000, 0)));
    // Another seed empties the memo; coming back recomputes the same keys from scratch.
    assert_ne!(seeded(12, T), first);
    assert_eq!(seeded(11, T), first);
    // An edit before the calls changes nothing in them.
    let edited = seeded(11, &format!("{{{{ randAlphaNum 8 }}}}{T}"));
    assert_eq!(&edited[8..], first);
    rng::set_now(None);
}

#[test]
fn unseeded_renders_are_fresh_and_keep_nothing() {
    rng::set_seed(None);
    let before = rng::memo_len();
    let a = render("{{ randAlphaNum 24 }}{{ genPrivateKey \"ecdsa\" }}");
    let b = render("{{ randAlphaNum 24 }}{{ genPrivateKey \"ecdsa\" }}");
    assert_ne!(a, b);
    assert_eq!(rng::memo_len(), before);
}

#[test]
fn bcrypt_hashes_are_reused_by_the_next_render_with_the_same_seed() {
    const T: &str = r#"{{ bcrypt "secret" }}|{{ htpasswd "me" "pw" }}|{{ randAlphaNum 8 }}"#;
    // Another seed first: the memo holds nothing of seed 21.
    seeded(20, "{{ randAlphaNum 1 }}");
    let before = rng::memo_len();
    let first = seeded(21, T);
    assert!(first.starts_with("$2a$10$"), "{first}");
    assert!(first.contains("|me:$2a$10$"), "{first}");
    assert_eq!(rng::memo_len(), before + 2, "both hashes are kept");
    // Again: the same hashes (and the stream after them, so the next value is the same).
    assert_eq!(seeded(21, T), first);
    assert_eq!(rng::memo_len(), before + 2);
    // Another seed empties the memo; coming back hashes from scratch to the same text.
    assert_ne!(seeded(22, T), first);
    assert_eq!(seeded(21, T), first);
    // Another password is another call: its own salt and hash.
    let other = seeded(21, r#"{{ bcrypt "secret2" }}"#);
    assert_ne!(other[..29], first[..29]);
    // Unseeded: fresh salts, nothing kept.
    let n = rng::memo_len();
    assert_ne!(
        render(r#"{{ bcrypt "secret" }}"#),
        render(r#"{{ bcrypt "secret" }}"#)
    );
    assert_eq!(rng::memo_len(), n);
}
