//! RSA key generation over a small Montgomery-arithmetic prime search.
//!
//! The `rsa` crate's own `RsaPrivateKey::new` searches primes with num-bigint-dig, whose
//! modular exponentiation allocates at every step: a 2048-bit key took ~0.5-2 s, and charts
//! that call `genCA`/`genSignedCert` many times spent minutes there (Go needs ~0.1 s a key).
//! Here each candidate is sieved by the small primes, then tested with Miller-Rabin using
//! fixed-width Montgomery multiplication on `u64` limbs (no allocation in the inner loops).
//! The key itself is still assembled by `RsaPrivateKey::from_primes` (d from Euler's totient,
//! as `RsaPrivateKey::new` does), which validates it. Randomness comes from the caller's
//! generator (`rng::with_rng`), so a seeded run stays deterministic.

use rand_core::RngCore;
use rsa::{BigUint, RsaPrivateKey};

/// Odd primes below this bound sieve the candidates before Miller-Rabin.
const SIEVE_LIMIT: u32 = 1 << 17;
/// How far (in steps of 2) a random start is walked before drawing a new one.
const WINDOW: usize = 1 << 13;
/// Miller-Rabin rounds for a candidate that passed base 2 (random bases).
const EXTRA_ROUNDS: usize = 7;
const E: u64 = 65537;

fn small_primes() -> Vec<u32> {
    let n = SIEVE_LIMIT as usize;
    let mut composite = vec![false; n];
    let mut out = Vec::new();
    for i in 3..n {
        if i % 2 == 1 && !composite[i] {
            out.push(i as u32);
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    out
}

/// An odd modulus in Montgomery form: `limbs` little-endian `u64`s, R = 2^(64·k).
struct Mont {
    n: Vec<u64>,
    /// -n⁻¹ mod 2⁶⁴.
    ninv: u64,
    /// R² mod n.
    r2: Vec<u64>,
    /// R mod n (Montgomery 1) and n - R mod n (Montgomery -1).
    one: Vec<u64>,
    minus_one: Vec<u64>,
    scratch: Vec<u64>,
}

fn to_big(limbs: &[u64]) -> BigUint {
    let mut bytes = Vec::with_capacity(limbs.len() * 8);
    for l in limbs {
        bytes.extend_from_slice(&l.to_le_bytes());
    }
    BigUint::from_bytes_le(&bytes)
}

fn from_big(b: &BigUint, k: usize) -> Vec<u64> {
    let bytes = b.to_bytes_le();
    let mut out = vec![0u64; k];
    for (i, chunk) in bytes.chunks(8).enumerate().take(k) {
        let mut w = [0u8; 8];
        w[..chunk.len()].copy_from_slice(chunk);
        out[i] = u64::from_le_bytes(w);
    }
    out
}

/// a >= b for equal-length little-endian limbs.
fn geq(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// a -= b, returning the borrow.
fn sub_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        *x = d2;
        borrow = b1 || b2;
    }
    borrow
}

impl Mont {
    fn new(n: &[u64]) -> Mont {
        let k = n.len();
        // Newton iteration for n[0]⁻¹ mod 2⁶⁴ (n odd).
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        let nb = to_big(n);
        let r2 = from_big(&((BigUint::from(1u8) << (128 * k)) % &nb), k);
        let one = from_big(&((BigUint::from(1u8) << (64 * k)) % &nb), k);
        let mut minus_one = n.to_vec();
        sub_in_place(&mut minus_one, &one);
        Mont {
            n: n.to_vec(),
            ninv: inv.wrapping_neg(),
            r2,
            one,
            minus_one,
            scratch: vec![0; k + 2],
        }
    }

    /// out = a·b·R⁻¹ mod n, for a, b < n (fixed sizes let the compiler drop bounds checks).
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let k = self.n.len();
        match k {
            16 => mont_mul_fixed::<16>(&self.n, self.ninv, a, b, out),
            32 => mont_mul_fixed::<32>(&self.n, self.ninv, a, b, out),
            _ => mont_mul(&self.n, self.ninv, &mut self.scratch, a, b, out),
        }
    }

    /// base^exp in Montgomery form, for `base` < n in ordinary form.
    fn pow(&mut self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut table = vec![vec![0u64; k]; 16];
        table[0] = self.one.clone();
        let r2 = self.r2.clone();
        let mut tmp = vec![0u64; k];
        self.mul(base, &r2, &mut tmp);
        table[1] = tmp.clone();
        for i in 2..16 {
            let (lo, hi) = table.split_at_mut(i);
            self.mul(&lo[i - 1], &lo[1], &mut hi[0]);
        }
        let mut acc = self.one.clone();
        let mut started = false;
        for limb in exp.iter().rev() {
            for shift in (0..16).rev() {
                let w = ((limb >> (shift * 4)) & 15) as usize;
                if started {
                    for _ in 0..4 {
                        let sq = acc.clone();
                        self.mul(&sq, &sq, &mut tmp);
                        std::mem::swap(&mut acc, &mut tmp);
                    }
                }
                if w != 0 {
                    self.mul(&acc, &table[w], &mut tmp);
                    std::mem::swap(&mut acc, &mut tmp);
                    started = true;
                }
            }
        }
        acc
    }

    /// One Miller-Rabin round with base `a` (2 <= a < n-1); n - 1 = d·2^s.
    fn miller_rabin(&mut self, a: &[u64], d: &[u64], s: u32) -> bool {
        let k = self.n.len();
        let mut x = self.pow(a, d);
        if x == self.one || x == self.minus_one {
            return true;
        }
        let mut tmp = vec![0u64; k];
        for _ in 1..s {
            self.mul(&x, &x, &mut tmp);
            std::mem::swap(&mut x, &mut tmp);
            if x == self.minus_one {
                return true;
            }
            if x == self.one {
                return false;
            }
        }
        false
    }
}

/// out = a·b·R⁻¹ mod n (CIOS, multiplication and reduction fused), for a, b < n.
fn mont_mul(n: &[u64], ninv: u64, scratch: &mut [u64], a: &[u64], b: &[u64], out: &mut [u64]) {
    let k = n.len();
    let a = &a[..k];
    let t = &mut scratch[..k + 1];
    t.fill(0);
    for &bi in &b[..k] {
        let bi = bi as u128;
        let s = t[0] as u128 + a[0] as u128 * bi;
        let m = (s as u64).wrapping_mul(ninv) as u128;
        let r = (s as u64) as u128 + m * n[0] as u128;
        let mut c1 = (s >> 64) as u64;
        let mut c2 = (r >> 64) as u64;
        for j in 1..k {
            let s = t[j] as u128 + a[j] as u128 * bi + c1 as u128;
            let r = (s as u64) as u128 + m * n[j] as u128 + c2 as u128;
            c1 = (s >> 64) as u64;
            c2 = (r >> 64) as u64;
            t[j - 1] = r as u64;
        }
        let s = t[k] as u128 + c1 as u128 + c2 as u128;
        t[k - 1] = s as u64;
        t[k] = (s >> 64) as u64;
    }
    out[..k].copy_from_slice(&t[..k]);
    if t[k] != 0 || geq(&out[..k], n) {
        sub_in_place(&mut out[..k], n);
    }
}

/// `mont_mul` for K limbs exactly.
fn mont_mul_fixed<const K: usize>(n: &[u64], ninv: u64, a: &[u64], b: &[u64], out: &mut [u64]) {
    let (Ok(n), Ok(a), Ok(b)) = (
        <&[u64; K]>::try_from(&n[..K]),
        <&[u64; K]>::try_from(&a[..K]),
        <&[u64; K]>::try_from(&b[..K]),
    ) else {
        return;
    };
    let mut t = [0u64; K];
    let mut top: u64 = 0;
    for &bi in b {
        let bi = bi as u128;
        let s = t[0] as u128 + a[0] as u128 * bi;
        let m = (s as u64).wrapping_mul(ninv) as u128;
        let r = (s as u64) as u128 + m * n[0] as u128;
        let mut c1 = (s >> 64) as u64;
        let mut c2 = (r >> 64) as u64;
        for j in 1..K {
            let s = t[j] as u128 + a[j] as u128 * bi + c1 as u128;
            let r = (s as u64) as u128 + m * n[j] as u128 + c2 as u128;
            c1 = (s >> 64) as u64;
            c2 = (r >> 64) as u64;
            t[j - 1] = r as u64;
        }
        let s = top as u128 + c1 as u128 + c2 as u128;
        t[K - 1] = s as u64;
        top = (s >> 64) as u64;
    }
    if top != 0 || geq(&t, n) {
        sub_in_place(&mut t, n);
    }
    out[..K].copy_from_slice(&t);
}

/// Whether `n` (odd, > 3) is probably prime: Miller-Rabin base 2 then `EXTRA_ROUNDS` random
/// bases.
fn probably_prime(n: &[u64], rng: &mut dyn RngCore) -> bool {
    let k = n.len();
    let mut mont = Mont::new(n);
    // d = (n - 1) >> s
    let mut nm1 = n.to_vec();
    nm1[0] -= 1; // n is odd
    let mut s = 0u32;
    for l in &nm1 {
        if *l == 0 {
            s += 64;
        } else {
            s += l.trailing_zeros();
            break;
        }
    }
    let d = shift_right(&nm1, s);
    let mut two = vec![0u64; k];
    two[0] = 2;
    if !mont.miller_rabin(&two, &d, s) {
        return false;
    }
    let mut rounds = 0;
    while rounds < EXTRA_ROUNDS {
        // A random base below n: as many bits as n has minus one.
        let mut a = vec![0u64; k];
        for l in a.iter_mut() {
            *l = rng.next_u64();
        }
        let top = 64 * k - leading_zero_bits(n) as usize;
        mask_to_bits(&mut a, top.saturating_sub(1));
        if a.iter().skip(1).all(|&l| l == 0) && a[0] < 2 {
            continue;
        }
        if !mont.miller_rabin(&a, &d, s) {
            return false;
        }
        rounds += 1;
    }
    true
}

fn leading_zero_bits(n: &[u64]) -> u32 {
    let mut z = 0;
    for l in n.iter().rev() {
        if *l == 0 {
            z += 64;
        } else {
            return z + l.leading_zeros();
        }
    }
    z
}

fn mask_to_bits(a: &mut [u64], bits: usize) {
    for (i, l) in a.iter_mut().enumerate() {
        let lo = i * 64;
        if lo >= bits {
            *l = 0;
        } else if bits - lo < 64 {
            *l &= (1u64 << (bits - lo)) - 1;
        }
    }
}

fn shift_right(a: &[u64], s: u32) -> Vec<u64> {
    let words = (s / 64) as usize;
    let bits = s % 64;
    let mut out = vec![0u64; a.len()];
    for i in 0..a.len().saturating_sub(words) {
        let lo = a[i + words] >> bits;
        let hi = if bits > 0 && i + words + 1 < a.len() {
            a[i + words + 1] << (64 - bits)
        } else {
            0
        };
        out[i] = lo | hi;
    }
    out
}

/// A random prime of exactly `bits` bits (>= 64) with its two top bits set and p mod e ≠ 1.
fn gen_prime(bits: usize, primes: &[u32], rng: &mut dyn RngCore) -> Vec<u64> {
    let k = bits.div_ceil(64);
    let top = bits - 1 - 64 * (k - 1); // index of the top bit in the last limb
    loop {
        let mut c = vec![0u64; k];
        for l in c.iter_mut() {
            *l = rng.next_u64();
        }
        mask_to_bits(&mut c, bits);
        c[k - 1] |= 1u64 << top;
        if top > 0 {
            c[k - 1] |= 1u64 << (top - 1);
        } else {
            c[k - 2] |= 1u64 << 63;
        }
        c[0] |= 1;
        // Sieve the odd numbers c, c + 2, ..., c + 2·(WINDOW - 1).
        let mut composite = vec![false; WINDOW];
        for &p in primes {
            let p = p as u64;
            let r = limbs_mod(&c, p);
            // first i with c + 2i ≡ 0 (mod p): 2i ≡ -r, i ≡ (p - r)·inv2, inv2 = (p + 1) / 2
            let mut i = ((p - r) % p * p.div_ceil(2) % p) as usize;
            while i < WINDOW {
                composite[i] = true;
                i += p as usize;
            }
        }
        let rem_e = limbs_mod(&c, E);
        for (i, &bad) in composite.iter().enumerate() {
            let delta = 2 * i as u64;
            if bad || (rem_e + delta) % E == 1 {
                continue;
            }
            let mut cand = c.clone();
            if add_small(&mut cand, delta) || cand[k - 1] >> top != 1 {
                break; // ran past `bits` bits: draw again
            }
            if probably_prime(&cand, rng) {
                return cand;
            }
        }
    }
}

fn limbs_mod(a: &[u64], m: u64) -> u64 {
    let mut r: u64 = 0;
    for l in a.iter().rev() {
        r = (((r as u128) << 64 | *l as u128) % m as u128) as u64;
    }
    r
}

/// a += v, returning the carry out of the top limb.
fn add_small(a: &mut [u64], v: u64) -> bool {
    let mut carry = v;
    for l in a.iter_mut() {
        let (s, o) = l.overflowing_add(carry);
        *l = s;
        carry = o as u64;
        if carry == 0 {
            return false;
        }
    }
    carry != 0
}

/// A two-prime RSA key of exactly `bits` bits with e = 65537.
pub fn generate(rng: &mut dyn RngCore, bits: usize) -> Result<RsaPrivateKey, String> {
    if bits < 128 || !bits.is_multiple_of(2) {
        return Err(format!("crypto/rsa: unsupported key size {bits}"));
    }
    let primes = small_primes();
    loop {
        let p = gen_prime(bits / 2, &primes, rng);
        let q = gen_prime(bits / 2, &primes, rng);
        if p == q {
            continue;
        }
        let (p, q) = (to_big(&p), to_big(&q));
        let n_bits = (&p * &q).bits();
        if n_bits != bits {
            continue;
        }
        return RsaPrivateKey::from_primes(vec![p, q], BigUint::from(E)).map_err(|e| e.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    #[test]
    fn small_prime_sieve() {
        let p = small_primes();
        assert_eq!(&p[..6], &[3, 5, 7, 11, 13, 17]);
        assert!(!p.contains(&9));
    }

    #[test]
    fn miller_rabin_known_values() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        // 2^127 - 1 is prime; 2^127 + 1 is divisible by 3; (2^61-1)(2^67-1)... use a
        // Carmichael number: 3215031751 = 151·751·28351 fools base 2 Fermat tests.
        let m127 = [u64::MAX, (1u64 << 63) - 1];
        assert!(probably_prime(&m127, &mut rng));
        assert!(!probably_prime(&[3_215_031_751, 0], &mut rng));
        assert!(!probably_prime(&[561, 0], &mut rng));
        let mut c = m127;
        c[1] ^= 1u64 << 40; // odd, almost surely composite
        assert!(!probably_prime(&c, &mut rng));
    }

    #[test]
    fn montgomery_pow_matches_biguint() {
        let n = [
            0xffff_ffff_ffff_ffc5u64,
            0x1234_5678_9abc_def1,
            0x8000_0000_0000_0001,
        ];
        let b = [7u64, 99, 3];
        let e = [65537u64, 12345, 0];
        let mut m = Mont::new(&n);
        let x = m.pow(&b, &e);
        let mut one = vec![0u64; 3];
        one[0] = 1;
        let mut plain = vec![0u64; 3];
        m.mul(&x, &one, &mut plain);
        let expect = to_big(&b).modpow(&to_big(&e), &to_big(&n));
        assert_eq!(to_big(&plain), expect);
    }

    #[test]
    fn keys_have_exact_size_and_validate() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for bits in [512usize, 1024, 2048] {
            let k = generate(&mut rng, bits).expect("key");
            assert_eq!(k.n().bits(), bits);
            assert_eq!(k.e(), &BigUint::from(65537u32));
            assert_eq!(k.primes().len(), 2);
            assert!(k.validate().is_ok());
        }
    }

    #[test]
    fn seeded_generation_is_deterministic() {
        let a = generate(&mut ChaCha20Rng::seed_from_u64(3), 512).expect("key");
        let b = generate(&mut ChaCha20Rng::seed_from_u64(3), 512).expect("key");
        assert_eq!(a.n(), b.n());
    }
}
