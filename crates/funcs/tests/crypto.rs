//! Shapes of Sprig's key and certificate output (the values are random), as Helm v4.3.1 shows
//! them: PEM block types, 64-column base64, certificate fields.

use chartroom_funcs::crypto::{self, Key};
use chartroom_funcs::{der, rng};
use chartroom_template::{Object, Value};

fn assert_pem(text: &str, kind: &str) -> Vec<u8> {
    let begin = format!("-----BEGIN {kind}-----\n");
    let end = format!("-----END {kind}-----\n");
    assert!(text.starts_with(&begin), "{text}");
    assert!(text.ends_with(&end), "{text}");
    let body = &text[begin.len()..text.len() - end.len()];
    let lines: Vec<&str> = body.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        if i + 1 < lines.len() {
            assert_eq!(l.len(), 64);
        } else {
            assert!(!l.is_empty() && l.len() <= 64);
        }
    }
    der::pem_decode(text).unwrap().1
}

#[test]
fn private_keys_have_sprig_pem_types() {
    rng::set_seed(Some(1));
    let ec = crypto::gen_private_key("ecdsa").unwrap();
    let der_bytes = assert_pem(&ec, "EC PRIVATE KEY");
    assert_eq!(der_bytes.len(), 121);
    let ed = crypto::gen_private_key("ed25519").unwrap();
    assert_eq!(assert_pem(&ed, "PRIVATE KEY").len(), 48);
    assert_eq!(crypto::gen_private_key("foo").unwrap(), "Unknown type foo");
    // Keys read back.
    assert!(matches!(crypto::parse_private_key_pem(&ec), Ok(Key::Ec(_))));
    assert!(matches!(crypto::parse_private_key_pem(&ed), Ok(Key::Ed(_))));
    assert_eq!(
        crypto::parse_private_key_pem("nope").err().unwrap(),
        "no PEM data in input"
    );
}

#[test]
fn rsa_ca_and_signed_certificate() {
    rng::set_seed(Some(2));
    let ca = crypto::gen_ca("my-ca", 365, crypto::generate_key("rsa", 2048).unwrap()).unwrap();
    let ca_der = assert_pem(&ca.cert, "CERTIFICATE");
    assert_pem(&ca.key, "RSA PRIVATE KEY");
    let parsed = crypto::parse_certificate(&ca_der).unwrap();
    assert_eq!(parsed.subject_key_id.as_ref().map(|k| k.len()), Some(20));
    let ca_value = ca.clone().value();
    let ips = Value::list(vec![Value::str("10.0.0.1"), Value::str("::1")]);
    let dns = Value::list(vec![Value::str("a.example")]);
    let leaf_key =
        crypto::parse_private_key_pem(&crypto::gen_private_key("ecdsa").unwrap()).unwrap();
    let leaf = crypto::gen_signed("svc", &ips, &dns, 30, &ca_value, move || Ok(leaf_key)).unwrap();
    let leaf_der = assert_pem(&leaf.cert, "CERTIFICATE");
    assert_pem(&leaf.key, "EC PRIVATE KEY");
    let leaf_parsed = crypto::parse_certificate(&leaf_der).unwrap();
    assert!(leaf_parsed.subject_key_id.is_none());
    // The issuer of the leaf is the CA's subject.
    assert!(leaf_der
        .windows(parsed.subject.len())
        .any(|w| w == parsed.subject));
    // The object exposes Cert and Key like Sprig's struct.
    let obj = chartroom_funcs::crypto::Certificate {
        cert: ca.cert.clone(),
        key: ca.key.clone(),
        key_origin: None,
    };
    assert_eq!(obj.type_name(), "sprig.certificate");
    assert_eq!(obj.field("Cert").unwrap().as_str(), Some(ca.cert.as_str()));
    assert!(obj.field("Nope").is_none());
    // buildCustomCert accepts base64 PEMs it can read.
    let b64 = chartroom_yaml::base64::encode_std;
    let built =
        crypto::build_custom_cert(&b64(ca.cert.as_bytes()), &b64(ca.key.as_bytes())).unwrap();
    assert_eq!(built.cert, ca.cert);
    assert_eq!(
        crypto::build_custom_cert("!!", "").err().unwrap(),
        "unable to decode base64 certificate"
    );
    assert_eq!(
        crypto::build_custom_cert(&b64(b"x"), &b64(b"y"))
            .err()
            .unwrap(),
        "unable to decode certificate"
    );
}

#[test]
fn self_signed_errors() {
    let key =
        || crypto::parse_private_key_pem(&crypto::gen_private_key("ed25519").unwrap()).unwrap();
    let bad_ip = Value::list(vec![Value::str("300.1.1.1")]);
    assert_eq!(
        crypto::gen_self_signed("x", &bad_ip, &Value::Nil, 1, key())
            .err()
            .unwrap(),
        "error parsing ip: 300.1.1.1"
    );
    let not_str = Value::list(vec![Value::Int(5)]);
    assert_eq!(
        crypto::gen_self_signed("x", &Value::Nil, &not_str, 1, key())
            .err()
            .unwrap(),
        "error processing alternate dns name: 5 is not a string"
    );
    let ok = crypto::gen_self_signed("x", &Value::Nil, &Value::Nil, 1, key()).unwrap();
    assert_pem(&ok.cert, "CERTIFICATE");
    assert_pem(&ok.key, "PRIVATE KEY");
}
