//! Sprig's encoding, hashing and password functions, and the random-string family.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::rng;
use chartroom_template::Str;

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Go's `string(bytes)`: every byte kept, valid UTF-8 or not.
pub fn go_string(bytes: Vec<u8>) -> Str {
    Str::from_vec(bytes)
}

/// Go's `base32.StdEncoding.EncodeToString`.
pub fn b32enc(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, b| acc << 8 | *b as u64);
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(B32[((v >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` with its error positions.
pub fn b32decode(src: &str) -> Result<Vec<u8>, String> {
    let mut decode_map = [0xffu8; 256];
    for (i, c) in B32.iter().enumerate() {
        decode_map[*c as usize] = i as u8;
    }
    // Decode strips newlines before decoding.
    let src: Vec<u8> = src.bytes().filter(|c| *c != b'\n' && *c != b'\r').collect();
    let olen = src.len();
    let corrupt = |n: usize| format!("illegal base32 data at input byte {n}");
    let mut out = Vec::new();
    let mut rest: &[u8] = &src;
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut dbuf = [0u8; 8];
        let mut dlen = 8usize;
        let mut j = 0usize;
        while j < 8 {
            if rest.is_empty() {
                return Err(corrupt(olen - j));
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(corrupt(olen));
                }
                for k in 0..(7 - j) {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(corrupt(olen - rest.len() + k - 1));
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(corrupt(olen - rest.len() - 1));
                }
                break;
            }
            let v = decode_map[c as usize];
            if v == 0xff {
                return Err(corrupt(olen - rest.len() - 1));
            }
            dbuf[j] = v;
            j += 1;
        }
        let d = dbuf;
        let bytes = [
            d[0] << 3 | d[1] >> 2,
            d[1] << 6 | d[2] << 1 | d[3] >> 4,
            d[3] << 4 | d[4] >> 1,
            d[4] << 7 | d[5] << 2 | d[6] >> 3,
            d[6] << 5 | d[7],
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

/// Lower-case hexadecimal digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha1sum(s: &[u8]) -> String {
    hex(&Sha1::digest(s))
}

pub fn sha256sum(s: &[u8]) -> String {
    hex(&Sha256::digest(s))
}

pub fn sha512sum(s: &[u8]) -> String {
    hex(&Sha512::digest(s))
}

/// Go's `hash/adler32` checksum, printed in decimal as Sprig does.
pub fn adler32sum(s: &[u8]) -> String {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in s.chunks(5552) {
        for &c in chunk {
            a += c as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16 | a).to_string()
}

const BCRYPT_ALPHABET: &[u8; 64] =
    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn bcrypt_b64(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let mut buf = [0u8; 3];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = (buf[0] as u32) << 16 | (buf[1] as u32) << 8 | buf[2] as u32;
        for i in 0..=chunk.len() {
            out.push(BCRYPT_ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// `golang.org/x/crypto/bcrypt.GenerateFromPassword(password, cost)` with a given salt.
pub fn bcrypt_hash(password: &[u8], cost: u32, salt: &[u8; 16]) -> Result<String, String> {
    if password.len() > 72 {
        return Err("bcrypt: password length exceeds 72 bytes".into());
    }
    let mut key = password.to_vec();
    key.push(0);
    let mut state = blowfish::Blowfish::bc_init_state();
    state.salted_expand_key(salt, &key);
    for _ in 0..(1u64 << cost) {
        state.bc_expand_key(&key);
        state.bc_expand_key(salt);
    }
    let magic = b"OrpheanBeholderScryDoubt";
    let mut words = [0u32; 6];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u32::from_be_bytes([
            magic[4 * i],
            magic[4 * i + 1],
            magic[4 * i + 2],
            magic[4 * i + 3],
        ]);
    }
    for i in (0..6).step_by(2) {
        for _ in 0..64 {
            let [l, r] = state.bc_encrypt([words[i], words[i + 1]]);
            words[i] = l;
            words[i + 1] = r;
        }
    }
    let mut raw = Vec::with_capacity(24);
    for w in words {
        raw.extend_from_slice(&w.to_be_bytes());
    }
    Ok(format!(
        "$2a${cost:02}${}{}",
        bcrypt_b64(salt),
        bcrypt_b64(&raw[..23])
    ))
}

/// Sprig's `bcrypt`: cost 10, hashing errors as text (as Sprig returns them); an error only
/// when no random salt can be drawn.
///
/// Its 2^10 Blowfish key expansions take ~50 ms natively and ~70 ms in wasm, so a seeded call
/// keeps its hash like a generated key ([`rng::with_rng_memo`]: the same call of the next
/// render draws the same salt, and the hash is a function of salt and password).
pub fn bcrypt(input: &str) -> Result<String, String> {
    let hashed = rng::with_rng_memo(&format!("bcrypt 10 {input}"), |r| {
        let mut salt = [0u8; 16];
        rand_core::RngCore::fill_bytes(r, &mut salt);
        bcrypt_hash(input.as_bytes(), 10, &salt)
    })?;
    Ok(match hashed {
        Ok(h) => h,
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    })
}

/// Sprig's `htpasswd`.
pub fn htpasswd(user: &str, password: &str) -> Result<String, String> {
    if user.contains(':') {
        return Ok(format!("invalid username: {user}"));
    }
    Ok(format!("{user}:{}", bcrypt(password)?))
}

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static str {
    match c {
        b'V' => "AEIOU",
        b'C' => "BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => "aeiou",
        b'c' => "bcdfghjklmnpqrstvwxyz",
        b'A' => "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => "0123456789",
        b'o' => "@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => "",
    }
}

/// Sprig's `derivePassword`: the Master Password algorithm (scrypt N=32768 r=8 p=2, then
/// HMAC-SHA256 selecting a template and its characters).
pub fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    const SEED: &[u8] = b"com.lyndir.masterpassword";
    let mut salt = SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2, 64) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = SEED.to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()];
    template
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_chars(c).as_bytes();
            let s = seed.get(i + 1).copied().unwrap_or(0) as usize;
            chars.get(s % chars.len().max(1)).copied().unwrap_or(b'?') as char
        })
        .collect()
}

fn aes_key(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    key
}

/// Sprig's `encryptAES`: AES-256-CBC, key = password zero-padded/truncated to 32 bytes,
/// PKCS#7 padding, random IV prepended, base64.
pub fn encrypt_aes(password: &str, plaintext: &str) -> Result<String, String> {
    use aes::cipher::{BlockEncryptMut, KeyIvInit};
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let key = aes_key(password);
    let mut iv = [0u8; 16];
    rng::fill_bytes(&mut iv)?;
    let enc = cbc::Encryptor::<aes::Aes256>::new(&key.into(), &iv.into());
    let ct = enc.encrypt_padded_vec_mut::<aes::cipher::block_padding::Pkcs7>(plaintext.as_bytes());
    let mut out = iv.to_vec();
    out.extend_from_slice(&ct);
    Ok(chartroom_yaml::base64::encode_std(&out))
}

/// Sprig's `decryptAES`, including the texts of the Go runtime panics that malformed input
/// causes (text/template reports a recovered panic as the function's error).
pub fn decrypt_aes(password: &str, crypt64: &str) -> Result<Str, String> {
    use aes::cipher::{BlockDecryptMut, KeyIvInit};
    if crypt64.is_empty() {
        return Ok(Str::empty());
    }
    let key = aes_key(password);
    let crypt = chartroom_yaml::base64::decode_std(crypt64)?;
    if crypt.len() < 16 {
        // crypt[:16] on a buffer of DecodedLen(len(s)) capacity.
        let cap = crypt64.len() / 4 * 3;
        return Err(format!(
            "runtime error: slice bounds out of range [:16] with capacity {cap}"
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    if body.is_empty() {
        return Err("runtime error: index out of range [-1]".into());
    }
    let mut iv_arr = [0u8; 16];
    iv_arr.copy_from_slice(iv);
    let mut dec = cbc::Decryptor::<aes::Aes256>::new(&key.into(), &iv_arr.into());
    let mut buf = body.to_vec();
    for block in buf.chunks_mut(16) {
        dec.decrypt_block_mut(aes::Block::from_mut_slice(block));
    }
    let pad = *buf.last().unwrap_or(&0) as usize;
    if pad > buf.len() {
        return Err(format!(
            "runtime error: slice bounds out of range [:{}]",
            buf.len() as i64 - pad as i64
        ));
    }
    buf.truncate(buf.len() - pad);
    Ok(go_string(buf))
}

/// Sprig's `randBytes`: `count` random bytes, base64-encoded.
pub fn rand_bytes(count: i64) -> Result<String, String> {
    if count < 0 {
        return Err("runtime error: makeslice: len out of range".into());
    }
    let mut buf = vec![0u8; count as usize];
    rng::fill_bytes(&mut buf)?;
    Ok(chartroom_yaml::base64::encode_std(&buf))
}

pub const ALPHA: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const NUMERIC: &str = "0123456789";
pub const ALPHANUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `count` characters drawn uniformly from `alphabet` (ASCII); empty for `count <= 0`, as
/// Sprig's wrappers of goutils return "" on its errors; an error only when no random source
/// is available.
pub fn rand_string(count: i64, alphabet: &[u8]) -> Result<String, String> {
    if count <= 0 || alphabet.is_empty() {
        return Ok(String::new());
    }
    (0..count)
        .map(|_| Ok(alphabet[rng::below(alphabet.len() as u64)? as usize] as char))
        .collect()
}

/// Printable ASCII, 32 through 126, as goutils' `CryptoRandomAscii` draws.
pub fn ascii_alphabet() -> Vec<u8> {
    (32u8..127).collect()
}

/// `github.com/google/uuid`'s `NewString` (version 4, RFC 4122 variant).
pub fn uuidv4() -> Result<String, String> {
    let mut b = [0u8; 16];
    rng::fill_bytes(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}
