//! RSA key generation as a bare wasm32 module, to time the wasm arithmetic in Node or a
//! browser without the bindings (docs/notes/perf.md, "wasm"):
//!
//!     cargo build --release --target wasm32-unknown-unknown -p chartroom-funcs --example wasm_keygen
//!
//! exports `keygen(bits, seed) -> u32` (0 on success) for a host to call and time, and
//! `keysum(bits, seed)`, a hash of the key's PEM, to compare with a native build of the same
//! functions (`cargo test -p chartroom-funcs --lib radix28` compares the arithmetic natively).

use chartroom_funcs::{crypto, rng};

/// One RSA key of `bits` bits from `seed`; 0 on success.
#[no_mangle]
pub extern "C" fn keygen(bits: u32, seed: u32) -> u32 {
    rng::set_seed(Some(seed as u64));
    match crypto::generate_key("rsa", bits as usize) {
        Ok(k) => crypto::key_pem(&k).is_empty() as u32,
        Err(_) => 2,
    }
}

/// The PEM of a key as a checksum-like number (sum of bytes), to compare builds.
#[no_mangle]
pub extern "C" fn keysum(bits: u32, seed: u32) -> u32 {
    rng::set_seed(Some(seed as u64));
    match crypto::generate_key("rsa", bits as usize) {
        Ok(k) => crypto::key_pem(&k)
            .bytes()
            .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32)),
        Err(_) => 0,
    }
}
