//! Generated RSA keys checked by code that shares nothing with the generator
//! (`src/extra/rsagen.rs`, the `rsa` crate's num-bigint-dig): the PEM text of
//! `genPrivateKey "rsa"` and `genCA` is decoded by a DER reader written here, and the key is
//! checked with `num-bigint` arithmetic (Miller-Rabin of our own, n = p*q, e*d = 1 mod λ(n),
//! the CRT parameters, a PKCS#1 v1.5 SHA-256 sign/verify round trip), then by
//! `openssl rsa -check` where `openssl` is installed.
//!
//! Also the randomness contract: unseeded renders differ, seeded renders repeat, and a missing
//! entropy source is an error rather than a weak seed.

use base64::Engine as _;
use chartroom_funcs::rng;
use chartroom_template::{TemplateSet, Value};
use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, Zero};
use sha2::{Digest, Sha256};

fn render(src: &str) -> Result<String, String> {
    let mut set = TemplateSet::with_name("t");
    set.add_funcs(chartroom_funcs::helm_functions());
    set.parse("t", src).map_err(|e| e.to_string())?;
    set.execute("t", &Value::empty_map())
        .map_err(|e| e.to_string())
}

/// The DER body of the single PEM block of type `kind` in `text`.
fn pem_body(text: &str, kind: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {kind}-----");
    let end = format!("-----END {kind}-----");
    let start = text.find(&begin).expect("PEM begin line") + begin.len();
    let stop = text[start..].find(&end).expect("PEM end line") + start;
    let b64: String = text[start..stop].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("PEM base64")
}

/// One DER TLV at the front of `data`: (tag, content, rest). Definite lengths only.
fn tlv(data: &[u8]) -> (u8, &[u8], &[u8]) {
    assert!(data.len() >= 2, "truncated DER");
    let tag = data[0];
    let (len, head) = match data[1] {
        l if l < 0x80 => (l as usize, 2),
        l => {
            let n = (l & 0x7f) as usize;
            assert!((1..=4).contains(&n), "DER length of {n} bytes");
            let len = data[2..2 + n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | *b as usize);
            (len, 2 + n)
        }
    };
    assert!(data.len() >= head + len, "DER content runs past the end");
    (tag, &data[head..head + len], &data[head + len..])
}

/// PKCS#1 `RSAPrivateKey`: version, n, e, d, p, q, dP, dQ, qInv.
fn parse_pkcs1(der: &[u8]) -> Vec<BigUint> {
    let (tag, body, rest) = tlv(der);
    assert_eq!(tag, 0x30, "RSAPrivateKey is a SEQUENCE");
    assert!(rest.is_empty(), "bytes after the key");
    let mut ints = Vec::new();
    let mut cur = body;
    while !cur.is_empty() {
        let (tag, content, next) = tlv(cur);
        assert_eq!(tag, 0x02, "RSAPrivateKey holds INTEGERs only");
        assert!(
            content.first().is_some_and(|b| b & 0x80 == 0),
            "negative INTEGER"
        );
        if content.len() > 1 {
            assert!(
                !(content[0] == 0 && content[1] & 0x80 == 0),
                "INTEGER not minimally encoded"
            );
        }
        ints.push(BigUint::from_bytes_be(content));
        cur = next;
    }
    assert_eq!(ints.len(), 9, "two-prime RSAPrivateKey has nine INTEGERs");
    ints
}

/// Miller-Rabin with the given bases (all below `n`).
fn probably_prime(n: &BigUint, bases: &[u32]) -> bool {
    let two = BigUint::from(2u32);
    if *n < two {
        return false;
    }
    for small in [2u32, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
        if *n == BigUint::from(small) {
            return true;
        }
        if (n % small).is_zero() {
            return false;
        }
    }
    let n1 = n - 1u32;
    let s = n1.trailing_zeros().expect("n - 1 is not zero");
    let d = &n1 >> s;
    'bases: for &a in bases {
        let mut x = BigUint::from(a).modpow(&d, n);
        if x.is_one() || x == n1 {
            continue;
        }
        for _ in 1..s {
            x = (&x * &x) % n;
            if x == n1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

const BASES: [u32; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

/// PKCS#1 v1.5 encoding of a SHA-256 digest for a modulus of `k` bytes.
fn emsa_pkcs1_sha256(msg: &[u8], k: usize) -> BigUint {
    const PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let digest = Sha256::digest(msg);
    let t_len = PREFIX.len() + digest.len();
    let mut em = vec![0x00, 0x01];
    em.resize(k - t_len - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(&PREFIX);
    em.extend_from_slice(&digest);
    assert_eq!(em.len(), k);
    BigUint::from_bytes_be(&em)
}

fn check_rsa_key(pem: &str, bits: u64) {
    let k = parse_pkcs1(&pem_body(pem, "RSA PRIVATE KEY"));
    let [version, n, e, d, p, q, dp, dq, qinv] = <[BigUint; 9]>::try_from(k).expect("nine");
    assert!(version.is_zero(), "two-prime keys are version 0");
    assert_eq!(n.bits(), bits, "modulus size");
    assert_eq!(e, BigUint::from(65537u32), "Go's public exponent");
    assert_ne!(p, q, "p and q differ");
    assert_eq!(p.bits(), bits / 2);
    assert_eq!(q.bits(), bits / 2);
    assert!(probably_prime(&p, &BASES), "p is not prime");
    assert!(probably_prime(&q, &BASES), "q is not prime");
    assert_eq!(&p * &q, n, "n = p*q");
    let one = BigUint::one();
    let (p1, q1) = (&p - &one, &q - &one);
    let lambda = p1.lcm(&q1);
    let phi = &p1 * &q1;
    assert!(((&e * &d) % &lambda).is_one(), "e*d = 1 mod λ(n)");
    assert!(d < phi, "d reduced below φ(n)");
    assert_eq!(dp, &d % &p1, "dP = d mod (p-1)");
    assert_eq!(dq, &d % &q1, "dQ = d mod (q-1)");
    assert!(qinv < p, "qInv below p");
    assert!(((&qinv * &q) % &p).is_one(), "qInv*q = 1 mod p");

    // Sign with the CRT parameters, check against the plain exponent and verify with (n, e).
    let k_bytes = n.bits().div_ceil(8) as usize;
    let m = emsa_pkcs1_sha256(b"chartroom signs this", k_bytes);
    let m1 = (&m % &p).modpow(&dp, &p);
    let m2 = (&m % &q).modpow(&dq, &q);
    let h = (&qinv * ((&m1 + &p) - (&m2 % &p))) % &p;
    let sig = &m2 + &h * &q;
    assert_eq!(sig, m.modpow(&d, &n), "CRT signature = m^d mod n");
    assert_eq!(
        sig.modpow(&e, &n),
        m,
        "signature verifies with the public key"
    );
    let other = emsa_pkcs1_sha256(b"something else", k_bytes);
    assert_ne!(sig.modpow(&e, &n), other, "signature binds its message");

    openssl_check(pem);
}

/// `openssl rsa -check -noout` on the key, where openssl is installed.
fn openssl_check(pem: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let child = Command::new("openssl")
        .args(["rsa", "-check", "-noout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            println!("skipping the openssl check: cannot run openssl ({e})");
            return;
        }
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(pem.as_bytes())
        .expect("write key to openssl");
    let out = child.wait_with_output().expect("openssl runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("RSA key ok"),
        "openssl rejects the key: {stdout}{stderr}"
    );
}

#[test]
fn gen_private_key_rsa_is_a_valid_4096_bit_key() {
    rng::set_seed(None);
    let pem = render(r#"{{ genPrivateKey "rsa" }}"#).expect("genPrivateKey");
    check_rsa_key(&pem, 4096);
}

#[test]
fn gen_ca_key_is_a_valid_2048_bit_key_matching_its_certificate() {
    rng::set_seed(None);
    let out =
        render(r#"{{ $ca := genCA "test-ca" 30 }}{{ $ca.Key }}{{ $ca.Cert }}"#).expect("genCA");
    check_rsa_key(&out, 2048);
    // The certificate's public key is the key's modulus: find n's bytes in the certificate.
    let key = parse_pkcs1(&pem_body(&out, "RSA PRIVATE KEY"));
    let cert = pem_body(&out, "CERTIFICATE");
    let n = key[1].to_bytes_be();
    assert!(
        cert.windows(n.len()).any(|w| w == n.as_slice()),
        "certificate carries the key's modulus"
    );
}

#[test]
fn unseeded_renders_differ_and_seeded_renders_repeat() {
    const T: &str = "{{ randAlphaNum 32 }}";
    rng::set_seed(None);
    let a = render(T).unwrap();
    rng::set_seed(None);
    let b = render(T).unwrap();
    assert_eq!(a.len(), 32);
    // 62^32 outcomes: a collision means the seed is not random.
    assert_ne!(a, b, "two unseeded renders gave the same password");

    rng::set_seed(Some(99));
    let c = render(T).unwrap();
    rng::set_seed(Some(99));
    assert_eq!(render(T).unwrap(), c, "a u64 seed repeats");

    let seed = rng::entropy_seed().expect("OS entropy");
    rng::set_seed_bytes(seed);
    let d = render(T).unwrap();
    rng::set_seed_bytes(seed);
    assert_eq!(render(T).unwrap(), d, "a 256-bit seed repeats");
    let mut other = seed;
    other[31] ^= 1;
    rng::set_seed_bytes(other);
    assert_ne!(
        render(T).unwrap(),
        d,
        "another 256-bit seed gives another value"
    );
    rng::set_seed(None);
}

#[test]
fn unseeded_output_is_not_visibly_biased() {
    rng::set_seed(None);
    let s = render("{{ randNumeric 20000 }}").unwrap();
    let mut counts = [0u32; 10];
    for b in s.bytes() {
        counts[(b - b'0') as usize] += 1;
    }
    // Expected 2000 per digit, standard deviation about 42: 6 sigma either side.
    for (digit, c) in counts.iter().enumerate() {
        assert!((1750..=2250).contains(c), "digit {digit} drawn {c} times");
    }
}

fn failing_source(_: &mut [u8; 32]) -> Result<(), String> {
    Err("test source is empty".into())
}

#[test]
fn missing_entropy_is_an_error_not_a_weak_seed() {
    rng::set_entropy_source(Some(failing_source));
    rng::set_seed(None);
    for expr in [
        "randAlphaNum 8",
        "randBytes 8",
        "uuidv4",
        "shuffle \"abcdef\"",
        "randInt 0 10",
        "bcrypt \"pw\"",
        "htpasswd \"u\" \"pw\"",
        "encryptAES \"k\" \"text\"",
        "genPrivateKey \"ecdsa\"",
        "genCA \"x\" 1",
    ] {
        let err = render(&format!("{{{{ {expr} }}}}")).expect_err(expr);
        assert!(
            err.contains(rng::NO_ENTROPY) && err.contains("test source is empty"),
            "{expr}: {err}"
        );
    }
    // Functions that draw nothing still work.
    assert_eq!(render("{{ randAlphaNum 0 }}").unwrap(), "");
    // An explicit seed needs no entropy.
    rng::set_seed(Some(1));
    assert_eq!(render("{{ randAlphaNum 8 }}").unwrap().len(), 8);
    rng::set_entropy_source(None);
    rng::set_seed(None);
    assert_eq!(render("{{ randAlphaNum 8 }}").unwrap().len(), 8);
}
