//! Sprig's key and certificate functions: `genPrivateKey`, `genCA`, `genSelfSignedCert`,
//! `genSignedCert` (and their `WithKey` forms) and `buildCustomCert`, producing what Go's
//! `crypto/x509` produces for Sprig's certificate templates.

use std::rc::Rc;

use chartroom_template::{Map, Object, Value};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use rsa::{BigUint, RsaPrivateKey};
use sha2::{Digest, Sha256};

use crate::der::{self, bits, explicit, octets, oid, seq, tlv, uint};
use crate::gotime::GoTime;
use crate::rng;

pub enum Key {
    Rsa(Box<RsaPrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
    Dsa(Box<dsa::SigningKey>),
}

fn rsa_generate(bits: usize) -> Result<Key, String> {
    // Kept for the next render with the same seed (the page re-renders on every edit); a
    // discovery render goes on with a stand-in and leaves the key to the host's workers.
    rng::with_rng_memo_or_stand_in(
        &rsa_memo_tag(bits),
        |r| crate::rsagen::generate(r, bits),
        stand_in_rsa_key,
    )?
    .map(|k| Key::Rsa(Box::new(k)))
}

fn rsa_memo_tag(bits: usize) -> String {
    format!("rsa {bits}")
}

/// The RSA key size a memo tag names, for the keys a discovery render wants
/// ([`rng::Wanted::tag`]); `None` for other values.
pub fn rsa_bits_of_tag(tag: &str) -> Option<usize> {
    tag.strip_prefix("rsa ")?.parse().ok()
}

/// Hands in a key of `bits` bits that the call stream `seed` generates from word `before`
/// (leaving it at `after`), generated elsewhere from the same steps: the next render with this
/// seed uses it instead of generating it.
pub fn keep_rsa_key(bits: usize, seed: [u8; 32], before: u128, after: u128, key: RsaPrivateKey) {
    rng::memo_keep(
        &rsa_memo_tag(bits),
        seed,
        before,
        after,
        Ok::<RsaPrivateKey, String>(key),
    );
}

/// A discovery render's stand-in for every RSA key: one 512-bit key per thread (large enough
/// to sign a SHA-256 digest), and its PEM's second line, which marks arguments made from it.
fn stand_in_rsa_key() -> Result<(Result<RsaPrivateKey, String>, String), String> {
    use rand_core::SeedableRng;
    thread_local! {
        static STAND_IN: std::cell::OnceCell<(RsaPrivateKey, String)> =
            const { std::cell::OnceCell::new() };
    }
    STAND_IN.with(|cell| {
        if cell.get().is_none() {
            let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(0x0053_5441_4e44_494e);
            let key = crate::rsagen::generate(&mut rng, 512)?;
            let pem = key_pem(&Key::Rsa(Box::new(key.clone())));
            let marker = pem.lines().nth(2).unwrap_or_default().to_string();
            let _ = cell.set((key, marker));
        }
        let (key, marker) = cell.get().ok_or("no stand-in key")?;
        Ok((Ok(key.clone()), marker.clone()))
    })
}

/// Generates a key as Sprig's `genPrivateKey` does for `typ` (RSA is 4096 bits there).
pub fn generate_key(typ: &str, rsa_bits: usize) -> Result<Key, String> {
    match typ {
        "" | "rsa" => rsa_generate(rsa_bits),
        "dsa" => {
            let key = rng::with_rng_memo("dsa 2048 256", |r| {
                let c = dsa::Components::generate(r, dsa::KeySize::DSA_2048_256);
                dsa::SigningKey::generate(r, c)
            })?;
            Ok(Key::Dsa(Box::new(key)))
        }
        "ecdsa" => Ok(Key::Ec(rng::with_rng(p256::SecretKey::random)?)),
        "ed25519" => Ok(Key::Ed(rng::with_rng(ed25519_dalek::SigningKey::generate)?)),
        other => Err(format!("Unknown type {other}")),
    }
}

/// Sprig's `genPrivateKey`: its errors are the output text, as in Sprig, except a missing
/// random source, which is an error (nothing to show a user as a key).
pub fn gen_private_key(typ: &str) -> Result<String, String> {
    rng::ready()?;
    Ok(match generate_key(typ, 4096) {
        Ok(k) => key_pem(&k),
        Err(e) if e.starts_with("Unknown type") => e,
        Err(e) => format!("failed to generate private key: {e}"),
    })
}

fn big(b: &BigUint) -> Vec<u8> {
    uint(&b.to_bytes_be())
}

fn ec_point(k: &p256::SecretKey) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    k.public_key().to_encoded_point(false).as_bytes().to_vec()
}

const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_RSA: &str = "1.2.840.113549.1.1.1";

/// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for ECDSA, Sprig's DSA structure, PKCS#8
/// for Ed25519.
pub fn key_pem(k: &Key) -> String {
    match k {
        Key::Rsa(k) => {
            let primes = k.primes();
            let (p, q) = (&primes[0], &primes[1]);
            let one = BigUint::from(1u8);
            let d = k.d();
            let dp = d % (p - &one);
            let dq = d % (q - &one);
            let two = BigUint::from(2u8);
            let pm2 = p - &two;
            let qinv = crate::rsagen::mod_pow_odd(q, &pm2, p).unwrap_or_else(|| q.modpow(&pm2, p));
            let body = seq(&[
                der::small_int(0),
                big(k.n()),
                big(k.e()),
                big(d),
                big(p),
                big(q),
                big(&dp),
                big(&dq),
                big(&qinv),
            ]);
            der::pem("RSA PRIVATE KEY", &body)
        }
        Key::Ec(k) => {
            let body = seq(&[
                der::small_int(1),
                octets(&k.to_bytes()),
                explicit(0, &oid(OID_P256)),
                explicit(1, &bits(&ec_point(k))),
            ]);
            der::pem("EC PRIVATE KEY", &body)
        }
        Key::Ed(k) => {
            let body = seq(&[
                der::small_int(0),
                seq(&[oid(OID_ED25519)]),
                octets(&octets(&k.to_bytes())),
            ]);
            der::pem("PRIVATE KEY", &body)
        }
        Key::Dsa(k) => {
            let vk = k.verifying_key();
            let c = vk.components();
            let body = seq(&[
                der::small_int(0),
                uint(&c.p().to_bytes_be()),
                uint(&c.q().to_bytes_be()),
                uint(&c.g().to_bytes_be()),
                uint(&vk.y().to_bytes_be()),
                uint(&k.x().to_bytes_be()),
            ]);
            der::pem("DSA PRIVATE KEY", &body)
        }
    }
}

fn int_content(el: &der::Element) -> Option<BigUint> {
    if el.0 != 0x02 {
        return None;
    }
    Some(BigUint::from_bytes_be(el.1))
}

/// Sprig's `parsePrivateKeyPEM`.
pub fn parse_private_key_pem(text: &str) -> Result<Key, String> {
    let (kind, bytes) = der::pem_decode(text).ok_or("no PEM data in input")?;
    if kind == "PRIVATE KEY" {
        return parse_pkcs8(&bytes).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(prefix) = kind.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {kind}"));
    };
    match prefix {
        "RSA" => parse_pkcs1(&bytes)
            .ok_or_else(|| "parsing RSA private key from PEM: x509: malformed private key".into()),
        "EC" => parse_sec1(&bytes).ok_or_else(|| {
            "parsing EC private key from PEM: x509: failed to parse EC private key".into()
        }),
        "DSA" => Err("parsing DSA private key from PEM: unsupported".into()),
        _ => Err(format!("invalid private key type {kind}")),
    }
}

fn parse_pkcs1(bytes: &[u8]) -> Option<Key> {
    let ((tag, content, _), _) = der::read(bytes)?;
    if tag != 0x30 {
        return None;
    }
    let els = der::children(content)?;
    if els.len() < 6 {
        return None;
    }
    let n = int_content(&els[1])?;
    let e = int_content(&els[2])?;
    let d = int_content(&els[3])?;
    let p = int_content(&els[4])?;
    let q = int_content(&els[5])?;
    RsaPrivateKey::from_components(n, e, d, vec![p, q])
        .ok()
        .map(|k| Key::Rsa(Box::new(k)))
}

fn parse_sec1(bytes: &[u8]) -> Option<Key> {
    let ((tag, content, _), _) = der::read(bytes)?;
    if tag != 0x30 {
        return None;
    }
    let els = der::children(content)?;
    let priv_el = els.get(1)?;
    if priv_el.0 != 0x04 {
        return None;
    }
    p256::SecretKey::from_slice(priv_el.1).ok().map(Key::Ec)
}

fn parse_pkcs8(bytes: &[u8]) -> Result<Key, String> {
    let bad = || "x509: failed to parse private key".to_string();
    let ((_, content, _), _) = der::read(bytes).ok_or_else(bad)?;
    let els = der::children(content).ok_or_else(bad)?;
    let alg = els.get(1).ok_or_else(bad)?;
    let alg_els = der::children(alg.1).ok_or_else(bad)?;
    let alg_oid = alg_els.first().ok_or_else(bad)?.2.to_vec();
    let key_octets = els.get(2).ok_or_else(bad)?.1;
    if alg_oid == oid(OID_ED25519) {
        let ((_, seed, _), _) = der::read(key_octets).ok_or_else(bad)?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| bad())?;
        Ok(Key::Ed(ed25519_dalek::SigningKey::from_bytes(&seed)))
    } else if alg_oid == oid(OID_RSA) {
        parse_pkcs1(key_octets).ok_or_else(bad)
    } else if alg_oid == oid(OID_EC_PUBLIC_KEY) {
        parse_sec1(key_octets).ok_or_else(bad)
    } else {
        Err("x509: PKCS#8 wrapping contained private key with unknown algorithm".into())
    }
}

/// SubjectPublicKeyInfo and the public key bits inside it.
fn spki(k: &Key) -> Result<(Vec<u8>, Vec<u8>), String> {
    match k {
        Key::Rsa(k) => {
            let pk = seq(&[big(k.n()), big(k.e())]);
            Ok((seq(&[seq(&[oid(OID_RSA), der::null()]), bits(&pk)]), pk))
        }
        Key::Ec(k) => {
            let pt = ec_point(k);
            Ok((
                seq(&[seq(&[oid(OID_EC_PUBLIC_KEY), oid(OID_P256)]), bits(&pt)]),
                pt,
            ))
        }
        Key::Ed(k) => {
            let pk = k.verifying_key().to_bytes().to_vec();
            Ok((seq(&[seq(&[oid(OID_ED25519)]), bits(&pk)]), pk))
        }
        Key::Dsa(_) => Err("unable to get public key for type *dsa.PrivateKey".into()),
    }
}

fn signature_algorithm(k: &Key) -> Result<Vec<u8>, String> {
    match k {
        Key::Rsa(_) => Ok(seq(&[oid("1.2.840.113549.1.1.11"), der::null()])),
        Key::Ec(_) => Ok(seq(&[oid("1.2.840.10045.4.3.2")])),
        Key::Ed(_) => Ok(seq(&[oid(OID_ED25519)])),
        Key::Dsa(_) => Err("x509: certificate private key does not implement crypto.Signer".into()),
    }
}

fn sign(k: &Key, msg: &[u8]) -> Result<Vec<u8>, String> {
    match k {
        Key::Rsa(k) => {
            let mut digest_info = vec![
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ];
            digest_info.extend_from_slice(&Sha256::digest(msg));
            // rsagen's Montgomery code (the `rsa` crate's num-bigint-dig exponentiation was
            // most of a warm render in wasm); the signature is deterministic, so both give the
            // same bytes.
            if let Some(sig) = crate::rsagen::pkcs1v15_sign(k, &digest_info) {
                return Ok(sig);
            }
            k.sign(rsa::Pkcs1v15Sign::new_unprefixed(), &digest_info)
                .map_err(|e| e.to_string())
        }
        Key::Ec(k) => {
            use p256::ecdsa::signature::Signer;
            let sk = p256::ecdsa::SigningKey::from(k);
            let sig: p256::ecdsa::Signature = sk.sign(msg);
            let b = sig.to_bytes();
            Ok(seq(&[uint(&b[..32]), uint(&b[32..])]))
        }
        Key::Ed(k) => {
            use ed25519_dalek::Signer;
            Ok(k.sign(msg).to_bytes().to_vec())
        }
        Key::Dsa(_) => Err("x509: certificate private key does not implement crypto.Signer".into()),
    }
}

/// The parts of a parsed certificate that signing needs.
pub struct ParsedCert {
    pub subject: Vec<u8>,
    pub subject_key_id: Option<Vec<u8>>,
}

pub fn parse_certificate(der_bytes: &[u8]) -> Option<ParsedCert> {
    let ((t, cert, _), rest) = der::read(der_bytes)?;
    if t != 0x30 || !rest.is_empty() {
        return None;
    }
    let parts = der::children(cert)?;
    if parts.len() != 3 {
        return None;
    }
    let tbs = der::children(parts[0].1)?;
    let mut i = 0;
    if tbs.first()?.0 == 0xa0 {
        i = 1;
    }
    // serial, signature, issuer, validity, subject, spki, [extensions]
    let subject = tbs.get(i + 4)?;
    if subject.0 != 0x30 || tbs.get(i + 5)?.0 != 0x30 {
        return None;
    }
    let mut skid = None;
    for el in &tbs[i + 6..] {
        if el.0 == 0xa3 {
            let ((_, exts, _), _) = der::read(el.1)?;
            for ext in der::children(exts)? {
                let fields = der::children(ext.1)?;
                if fields.first()?.2 == oid("2.5.29.14").as_slice() {
                    let value = fields.last()?.1;
                    let ((_, id, _), _) = der::read(value)?;
                    skid = Some(id.to_vec());
                }
            }
        }
    }
    Some(ParsedCert {
        subject: subject.2.to_vec(),
        subject_key_id: skid,
    })
}

fn name(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return seq(&[]);
    }
    let printable = cn
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b));
    let value = tlv(if printable { 0x13 } else { 0x0c }, cn.as_bytes());
    seq(&[der::set(&[seq(&[oid("2.5.4.3"), value])])])
}

fn asn1_time(t: &GoTime) -> Vec<u8> {
    let f = t.fields();
    if (1950..2050).contains(&f.year) {
        tlv(0x17, crate::gotime::format(t, "060102150405Z").as_bytes())
    } else {
        tlv(0x18, crate::gotime::format(t, "20060102150405Z").as_bytes())
    }
}

fn extension(id: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xff]);
    }
    parts.push(octets(&value));
    seq(&parts)
}

/// Go's `net.ParseIP`, as the bytes x509 writes (4 bytes for IPv4).
pub fn parse_ip(s: &str) -> Option<Vec<u8>> {
    if let Ok(v4) = s.parse::<std::net::Ipv4Addr>() {
        return Some(v4.octets().to_vec());
    }
    if s.contains('%') {
        return None;
    }
    let v6 = s.parse::<std::net::Ipv6Addr>().ok()?;
    match v6.to_ipv4_mapped() {
        Some(v4) => Some(v4.octets().to_vec()),
        None => Some(v6.octets().to_vec()),
    }
}

pub struct Template {
    pub cn: String,
    pub ips: Vec<Vec<u8>>,
    pub dns: Vec<String>,
    pub days: i64,
    pub is_ca: bool,
}

/// Sprig's `getNetIPs` and `getAlternateDNSStrs` over template lists.
pub fn base_template(cn: &str, ips: &Value, dns: &Value, days: i64) -> Result<Template, String> {
    let list = |v: &Value| -> Vec<Value> {
        match v {
            Value::List(l, _) => l.to_vec(),
            _ => Vec::new(),
        }
    };
    let mut ip_bytes = Vec::new();
    for ip in list(ips) {
        let Value::String(s) = &ip else {
            return Err(format!(
                "error parsing ip: {} is not a string",
                chartroom_template::fmt::format_value(&ip)
            ));
        };
        ip_bytes.push(parse_ip(s.as_str_lossy()).ok_or_else(|| format!("error parsing ip: {s}"))?);
    }
    let mut names = Vec::new();
    for d in list(dns) {
        let Value::String(s) = &d else {
            return Err(format!(
                "error processing alternate dns name: {} is not a string",
                chartroom_template::fmt::format_value(&d)
            ));
        };
        names.push(s.to_string());
    }
    Ok(Template {
        cn: cn.to_string(),
        ips: ip_bytes,
        dns: names,
        days,
        is_ca: false,
    })
}

/// Go's `x509.CreateCertificate` for Sprig's template, signed by `signer` (with `parent` the
/// issuer certificate, or self-signed when `None`). Returns the certificate and key PEMs.
pub fn create_certificate(
    t: &Template,
    key: &Key,
    parent: Option<&ParsedCert>,
    signer: &Key,
) -> Result<(String, String), String> {
    let (spki, pub_bits) =
        spki(key).map_err(|e| format!("error retrieving public key from signee key: {e}"))?;
    let sig_alg =
        signature_algorithm(signer).map_err(|e| format!("error creating certificate: {e}"))?;
    let mut serial = [0u8; 16];
    rng::fill_bytes(&mut serial)?;
    let now = GoTime::now();
    let now = GoTime::utc(now.secs, 0);
    let not_after = now.add(t.days.saturating_mul(86_400_000_000_000));
    let subject = name(&t.cn);
    let issuer = parent
        .map(|p| p.subject.clone())
        .unwrap_or_else(|| subject.clone());

    let mut exts = Vec::new();
    let ku: u8 = if t.is_ca { 0xa4 } else { 0xa0 };
    let unused = if t.is_ca { 2 } else { 5 };
    exts.push(extension("2.5.29.15", true, tlv(0x03, &[unused, ku])));
    exts.push(extension(
        "2.5.29.37",
        false,
        seq(&[oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2")]),
    ));
    let bc = if t.is_ca {
        seq(&[vec![0x01, 0x01, 0xff]])
    } else {
        seq(&[])
    };
    exts.push(extension("2.5.29.19", true, bc));
    if t.is_ca {
        let skid = &Sha256::digest(&pub_bits)[..20];
        exts.push(extension("2.5.29.14", false, octets(skid)));
    }
    if let Some(p) = parent {
        if let Some(akid) = &p.subject_key_id {
            if p.subject != subject {
                exts.push(extension("2.5.29.35", false, seq(&[tlv(0x80, akid)])));
            }
        }
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = Vec::new();
        for d in &t.dns {
            names.push(tlv(0x82, d.as_bytes()));
        }
        for ip in &t.ips {
            names.push(tlv(0x87, ip));
        }
        exts.push(extension("2.5.29.17", false, seq(&names)));
    }

    let tbs = seq(&[
        explicit(0, &der::small_int(2)),
        uint(&serial),
        sig_alg.clone(),
        issuer,
        seq(&[asn1_time(&now), asn1_time(&not_after)]),
        subject,
        spki,
        explicit(3, &seq(&exts)),
    ]);
    let sig = sign(signer, &tbs).map_err(|e| format!("error creating certificate: {e}"))?;
    let cert = seq(&[tbs, sig_alg, bits(&sig)]);
    Ok((der::pem("CERTIFICATE", &cert), key_pem(key)))
}

/// Sprig's `certificate` struct: `.Cert` and `.Key` PEM strings.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub cert: String,
    pub key: String,
    /// Where its key was generated ([`rng::next_draw_origin`]), for keys a seeded call
    /// generated; a call that takes the certificate is seeded by this rather than by the key's
    /// text, so a discovery render knows that call's stream before the key exists.
    pub key_origin: Option<[u8; 32]>,
}

impl Certificate {
    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    fn with_key_origin(self, key_origin: Option<[u8; 32]>) -> Certificate {
        Certificate { key_origin, ..self }
    }
}

impl Object for Certificate {
    fn type_name(&self) -> &str {
        "sprig.certificate"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::string(self.cert.clone())),
            "Key" => Some(Value::string(self.key.clone())),
            _ => None,
        }
    }

    fn to_plain(&self) -> Value {
        let mut m = Map::new();
        m.insert("Cert".into(), Value::string(self.cert.clone()));
        m.insert("Key".into(), Value::string(self.key.clone()));
        Value::map(m)
    }

    fn go_string(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn cert_arg(v: &Value) -> Result<Certificate, String> {
    match v {
        Value::Object(o) => o
            .as_any()
            .downcast_ref::<Certificate>()
            .cloned()
            .ok_or_else(|| {
                format!(
                    "wrong type for value; expected sprig.certificate; got {}",
                    o.type_name()
                )
            }),
        other => Err(format!(
            "wrong type for value; expected sprig.certificate; got {}",
            other.type_name()
        )),
    }
}

fn new_rsa_2048() -> Result<Key, String> {
    rsa_generate(2048).map_err(|e| format!("error generating rsa key: {e}"))
}

/// A new 2048-bit key and where it was generated (see [`Certificate::key_origin`]).
fn new_rsa_2048_with_origin() -> Result<(Key, Option<[u8; 32]>), String> {
    let origin = rng::next_draw_origin();
    Ok((new_rsa_2048()?, origin))
}

fn with_pem_key(pem: &str) -> Result<Key, String> {
    parse_private_key_pem(pem).map_err(|e| format!("parsing private key: {e}"))
}

pub fn gen_ca(cn: &str, days: i64, key: Key) -> Result<Certificate, String> {
    let mut t = base_template(cn, &Value::Nil, &Value::Nil, days)?;
    t.is_ca = true;
    let (cert, key) = create_certificate(&t, &key, None, &key)?;
    Ok(Certificate {
        cert,
        key,
        key_origin: None,
    })
}

pub fn gen_self_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    key: Key,
) -> Result<Certificate, String> {
    let t = base_template(cn, ips, dns, days)?;
    let (cert, key) = create_certificate(&t, &key, None, &key)?;
    Ok(Certificate {
        cert,
        key,
        key_origin: None,
    })
}

pub fn gen_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    ca: &Value,
    key: impl FnOnce() -> Result<Key, String>,
) -> Result<Certificate, String> {
    let ca = cert_arg(ca)?;
    let key = key()?;
    let (_, ca_der) = der::pem_decode(&ca.cert).ok_or("unable to decode certificate")?;
    let parent = parse_certificate(&ca_der)
        .ok_or("error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate")?;
    let signer =
        parse_private_key_pem(&ca.key).map_err(|e| format!("error parsing private key: {e}"))?;
    let t = base_template(cn, ips, dns, days)?;
    let (cert, key) = create_certificate(&t, &key, Some(&parent), &signer)?;
    Ok(Certificate {
        cert,
        key,
        key_origin: None,
    })
}

/// Sprig's `buildCustomCert`.
pub fn build_custom_cert(b64cert: &str, b64key: &str) -> Result<Certificate, String> {
    let cert = chartroom_yaml::base64::decode_std(b64cert)
        .map_err(|_| "unable to decode base64 certificate")?;
    let key = chartroom_yaml::base64::decode_std(b64key)
        .map_err(|_| "unable to decode base64 private key")?;
    // PEM is text: bytes that are not UTF-8 cannot be part of a valid block.
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, cert_der) = der::pem_decode(&cert).ok_or("unable to decode certificate")?;
    if parse_certificate(&cert_der).is_none() {
        return Err(
            "error parsing certificate: decodedCert.Bytes: x509: malformed certificate".into(),
        );
    }
    let (_, key_der) = der::pem_decode(&key).ok_or("unable to decode key")?;
    if parse_pkcs1(&key_der).is_none() {
        return Err(
            "error parsing prive key: decodedKey.Bytes: x509: failed to parse private key".into(),
        );
    }
    Ok(Certificate {
        cert,
        key,
        key_origin: None,
    })
}

pub fn register(funcs: &mut chartroom_template::FuncMap) {
    use crate::registry::{add, int, s};
    use chartroom_template::ArgType::*;

    add(funcs, "genPrivateKey", &[String], |_, a| {
        gen_private_key(s(a, 0)).map(Value::string)
    });
    add(funcs, "genCA", &[String, Int], |_, a| {
        let (key, origin) = new_rsa_2048_with_origin()?;
        gen_ca(s(a, 0), int(a, 1), key).map(|c| c.with_key_origin(origin).value())
    });
    add(funcs, "genCAWithKey", &[String, Int, String], |_, a| {
        gen_ca(s(a, 0), int(a, 1), with_pem_key(s(a, 2))?).map(Certificate::value)
    });
    add(
        funcs,
        "genSelfSignedCert",
        &[String, List, List, Int],
        |_, a| {
            let (key, origin) = new_rsa_2048_with_origin()?;
            gen_self_signed(s(a, 0), &a[1], &a[2], int(a, 3), key)
                .map(|c| c.with_key_origin(origin).value())
        },
    );
    add(
        funcs,
        "genSelfSignedCertWithKey",
        &[String, List, List, Int, String],
        |_, a| {
            gen_self_signed(s(a, 0), &a[1], &a[2], int(a, 3), with_pem_key(s(a, 4))?)
                .map(Certificate::value)
        },
    );
    add(
        funcs,
        "genSignedCert",
        &[String, List, List, Int, Any],
        |_, a| {
            // (Nothing is drawn before the key: its origin is where the call stands now.)
            let origin = rng::next_draw_origin();
            gen_signed(s(a, 0), &a[1], &a[2], int(a, 3), &a[4], new_rsa_2048)
                .map(|c| c.with_key_origin(origin).value())
        },
    );
    add(
        funcs,
        "genSignedCertWithKey",
        &[String, List, List, Int, Any, String],
        |_, a| {
            let pem = s(a, 5).to_string();
            gen_signed(s(a, 0), &a[1], &a[2], int(a, 3), &a[4], move || {
                with_pem_key(&pem)
            })
            .map(Certificate::value)
        },
    );
    add(funcs, "buildCustomCert", &[String, String], |_, a| {
        build_custom_cert(s(a, 0), s(a, 1)).map(Certificate::value)
    });
}
