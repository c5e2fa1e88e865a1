//! RSA key generation spread over Web Workers, for seeded renders.
//!
//! wasm32 has no threads (they need `SharedArrayBuffer`, so cross-origin isolation headers a
//! static host does not send), and a render cannot wait for other workers. So a host renders
//! with `discoverKeys` first: the keys the memo lacks are listed (`keysWanted`) and stand-ins
//! take their place. It then generates each wanted key with the steps below, the base-2
//! Miller-Rabin tests of each window spread over workers as the native build spreads them over
//! threads, hands the key in with [`keygen_keep`], and renders again until a render needs no
//! stand-in: that render's output is the one a plain render gives (web/keys.js runs the loop).
//! The steps draw from the same call streams in the same order as `rsagen::generate`, so the
//! keys are the same on every path.

use chartroom_funcs::rsagen;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A key a discovery render wanted (the render result's `keysWanted`).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WantedKey {
    /// RSA key size.
    pub bits: usize,
    /// The call stream's seed, 64 hexadecimal digits.
    pub seed: String,
    /// The stream's word position where generation starts.
    pub position: f64,
}

/// Positions cross to JavaScript as numbers: exact below 2^53 (a stream's position counts the
/// 32-bit words drawn from it, nowhere near that).
const MAX_POSITION: u128 = 1 << 53;

/// The keys of `found` that a host can generate (RSA, positions JavaScript numbers hold).
pub fn wanted_keys(found: &chartroom_funcs::rng::Discovery) -> Vec<WantedKey> {
    found
        .wanted
        .iter()
        .filter_map(|w| {
            let bits = chartroom_funcs::crypto::rsa_bits_of_tag(&w.tag)?;
            (w.position < MAX_POSITION).then(|| WantedKey {
                bits,
                seed: chartroom_funcs::encoding::hex(&w.seed),
                position: w.position as f64,
            })
        })
        .collect()
}

fn seed_from_hex(hex: &str) -> Result<[u8; 32], JsError> {
    crate::seed_from_hex(hex).map_err(|e| JsError::new(&e))
}

fn position(p: f64) -> Result<u128, JsError> {
    if p.fract() == 0.0 && p >= 0.0 && (p as u128) < MAX_POSITION {
        Ok(p as u128)
    } else {
        Err(JsError::new(&format!("keygen: bad stream position {p}")))
    }
}

fn set(o: &js_sys::Object, key: &str, value: &JsValue) -> Result<(), JsError> {
    js_sys::Reflect::set(o, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| JsError::new("keygen: could not build the result object"))
}

/// Draws the next prime-search window of `bits`-bit primes from the stream `seed` at
/// `position`: `{ base: Uint8Array, offsets: Uint32Array, end: number }` (the window's odd
/// start as little-endian bytes, the candidates' offsets in steps of 2 in test order, the
/// stream's position after the draw).
#[wasm_bindgen(js_name = "keygenWindow")]
pub fn keygen_window(seed: &str, position_: f64, bits: usize) -> Result<js_sys::Object, JsError> {
    let (window, end) = rsagen::draw_prime_window(seed_from_hex(seed)?, position(position_)?, bits)
        .map_err(|e| JsError::new(&e))?;
    let out = js_sys::Object::new();
    set(
        &out,
        "base",
        &js_sys::Uint8Array::from(&rsagen::limbs_to_le_bytes(&window.base)[..]),
    )?;
    set(
        &out,
        "offsets",
        &js_sys::Uint32Array::from(&window.offsets[..]),
    )?;
    set(&out, "end", &JsValue::from_f64(end as f64))?;
    Ok(out)
}

/// Of the candidates base + 2·offset, in the order given, the index of the first that passes
/// Miller-Rabin with base 2, or -1. This is the costly step a worker runs.
#[wasm_bindgen(js_name = "keygenFirstPassing")]
pub fn keygen_first_passing(base: &[u8], offsets: &[u32]) -> i32 {
    match rsagen::first_passing_base2_at(&rsagen::limbs_from_le_bytes(base), offsets) {
        Some(i) => i32::try_from(i).unwrap_or(-1),
        None => -1,
    }
}

/// The random-base Miller-Rabin rounds for candidate base + 2·offset (which passed base 2),
/// their bases drawn from the stream at `position`: `{ value: Uint8Array, bases: Uint8Array[],
/// ends: number[] }` (the candidate, each round's base, the stream's position after each
/// base). The candidate is prime when every round passes ([`keygen_round`], on workers); the
/// stream then ends after the last base, else after the first failing one.
#[wasm_bindgen(js_name = "keygenRoundBases")]
pub fn keygen_round_bases(
    seed: &str,
    position_: f64,
    base: &[u8],
    offset: u32,
) -> Result<js_sys::Object, JsError> {
    let cand = rsagen::window_candidate(&rsagen::limbs_from_le_bytes(base), offset)
        .ok_or_else(|| JsError::new("keygen: the offset runs past the window"))?;
    let rounds = rsagen::random_round_bases(seed_from_hex(seed)?, position(position_)?, &cand);
    if rounds.is_empty() {
        return Err(JsError::new("keygen: not a prime-search candidate"));
    }
    let bases = js_sys::Array::new();
    let ends = js_sys::Array::new();
    for (a, end) in &rounds {
        bases.push(&js_sys::Uint8Array::from(&rsagen::limbs_to_le_bytes(a)[..]));
        ends.push(&JsValue::from_f64(*end as f64));
    }
    let out = js_sys::Object::new();
    set(
        &out,
        "value",
        &js_sys::Uint8Array::from(&rsagen::limbs_to_le_bytes(&cand)[..]),
    )?;
    set(&out, "bases", &bases)?;
    set(&out, "ends", &ends)?;
    Ok(out)
}

/// Whether `value` passes a Miller-Rabin round with base `base` (little-endian bytes, as
/// [`keygen_round_bases`] gives them). A step a worker runs.
#[wasm_bindgen(js_name = "keygenRound")]
pub fn keygen_round(value: &[u8], base: &[u8]) -> bool {
    rsagen::passes_round(
        &rsagen::limbs_from_le_bytes(value),
        &rsagen::limbs_from_le_bytes(base),
    )
}

/// Makes the key of primes `p` then `q` (little-endian bytes) and keeps it for the next render
/// with this seed as the key the stream `seed` generates from `before` (leaving it at
/// `after`). False where generation would draw two more primes from `after` instead (equal
/// primes, or a modulus short of `bits`): the host then goes on searching.
#[wasm_bindgen(js_name = "keygenKeep")]
pub fn keygen_keep(
    seed: &str,
    before: f64,
    after: f64,
    bits: usize,
    p: &[u8],
    q: &[u8],
) -> Result<bool, JsError> {
    let (seed, before, after) = (seed_from_hex(seed)?, position(before)?, position(after)?);
    let (p, q) = (
        rsagen::limbs_from_le_bytes(p),
        rsagen::limbs_from_le_bytes(q),
    );
    match rsagen::key_from_primes(bits, &p, &q).map_err(|e| JsError::new(&e))? {
        Some(key) => {
            chartroom_funcs::crypto::keep_rsa_key(bits, seed, before, after, key);
            Ok(true)
        }
        None => Ok(false),
    }
}
