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

/// The key a call stream generates from `position`, made as a host without threads makes it
/// (windows drawn, base-2 tests spread over two "workers" in chunks, the first passing
/// candidate's random-base rounds run apart), and the stream's position after it.
fn generate_stepwise(bits: usize, seed: [u8; 32], position: u128) -> (rsa::RsaPrivateKey, u128) {
    use chartroom_funcs::rsagen;
    let mut pos = position;
    let prime = |pos: &mut u128| -> Vec<u64> {
        loop {
            let (window, after) = rsagen::draw_prime_window(seed, *pos, bits / 2).expect("window");
            *pos = after;
            let mut from = 0;
            loop {
                // Worker t tests from + t, from + t + 2, ... in chunks of 3; the answer is the
                // smallest index either found.
                let n = window.offsets.len();
                let mut best = None::<usize>;
                for t in 0..2 {
                    let mut i = from + t;
                    'chunks: while i < n && best.is_none_or(|b| i < b) {
                        let chunk: Vec<usize> =
                            (0..3).map(|j| i + 2 * j).filter(|&j| j < n).collect();
                        let offsets: Vec<u32> = chunk.iter().map(|&j| window.offsets[j]).collect();
                        if let Some(k) = rsagen::first_passing_base2_at(&window.base, &offsets) {
                            best = Some(best.map_or(chunk[k], |b: usize| b.min(chunk[k])));
                            break 'chunks;
                        }
                        i += 6;
                    }
                }
                let Some(i) = best else { break };
                let cand = window.candidate(i).expect("a candidate of the window");
                // The rounds apart (as workers run them); the first failing one ends the draws.
                let bases = rsagen::random_round_bases(seed, *pos, &cand);
                assert!(bases.len() >= 3);
                let failing = bases
                    .iter()
                    .position(|(a, _)| !rsagen::passes_round(&cand, a));
                *pos = bases[failing.unwrap_or(bases.len() - 1)].1;
                if failing.is_none() {
                    return cand;
                }
                from = i + 1;
            }
        }
    };
    loop {
        let p = prime(&mut pos);
        let q = prime(&mut pos);
        if let Some(key) = rsagen::key_from_primes(bits, &p, &q).expect("key") {
            return (key, pos);
        }
    }
}

/// Renders `src` with `seed` as a host without threads does: discovery renders, the wanted
/// keys made step by step and kept, until a render needs no stand-in. Returns that render's
/// output and, per round, (keys wanted, stand-ins taken).
fn render_in_rounds(seed: u64, src: &str) -> (String, Vec<(usize, usize)>) {
    let mut rounds = Vec::new();
    loop {
        assert!(rounds.len() < 4, "rounds: {rounds:?}");
        rng::set_seed(Some(seed));
        rng::begin_discovery();
        let out = render(src);
        let found = rng::end_discovery();
        rng::set_seed(None);
        rounds.push((found.wanted.len(), found.stand_ins));
        if found.stand_ins == 0 {
            return (out, rounds);
        }
        for w in found.wanted {
            let bits = chartroom_funcs::crypto::rsa_bits_of_tag(&w.tag).expect("an RSA key");
            let (key, after) = generate_stepwise(bits, w.seed, w.position);
            chartroom_funcs::crypto::keep_rsa_key(bits, w.seed, w.position, after, key);
        }
    }
}

#[test]
fn discovery_rounds_with_keys_made_elsewhere_give_the_plain_render() {
    rng::set_now(Some((1_800_000_000, 0)));
    const T: &str = r#"{{ $ca := genCA "disc-ca" 30 }}{{ $ca.Cert }}{{ $c := genSignedCert "x" nil nil 30 $ca }}{{ $c.Cert }}{{ $c.Key }}{{ randAlphaNum 9 }}"#;
    let plain = seeded(31, T);
    rng::set_seed(Some(32)); // another seed empties the memo
    rng::set_seed(None);
    let (out, rounds) = render_in_rounds(31, T);
    // Round 1 wants both keys: the signed certificate's call takes the stand-in CA, but a CA
    // stands for where its key is generated, so that call's stream is the real one. Round 2 is
    // the real render.
    assert_eq!(rounds, vec![(2, 2), (0, 0)]);
    assert_eq!(out, plain);
    rng::set_now(None);
}

#[test]
fn a_call_whose_arguments_hold_a_stand_in_waits_for_the_next_round() {
    // A CA rebuilt from its PEM texts (`buildCustomCert`) stands for its key's text: while that
    // is a stand-in's, the certificate it signs has not its real stream, so its key is not
    // wanted in that round (it would be generated for nothing).
    rng::set_now(Some((1_800_000_000, 0)));
    const T: &str = r#"{{ $ca := genCA "pem-ca" 30 }}{{ $copy := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ (genSignedCert "y" nil nil 30 $copy).Key }}{{ (genSignedCert "z" nil nil 30 $ca).Key }}"#;
    let plain = seeded(41, T);
    rng::set_seed(Some(42));
    rng::set_seed(None);
    let (out, rounds) = render_in_rounds(41, T);
    // Round 1: the CA's key and z's, three stand-ins; round 2: y's; round 3 is real.
    assert_eq!(rounds, vec![(2, 3), (1, 1), (0, 0)]);
    assert_eq!(out, plain);
    rng::set_now(None);
}
