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

mod mont28;
#[cfg(target_arch = "x86_64")]
mod mont_adx;
use rsa::{BigUint, RsaPrivateKey};

/// Odd primes below this bound sieve the candidates of more than 1024 bits before
/// Miller-Rabin. About 1.12/ln(bound) of the odd numbers survive (Mertens), so each doubling
/// saves ~5% of the Miller-Rabin tests (seed 1: 135 base-2 tests per 4096-bit key at 2^20,
/// 129 at 2^21, 122 at 2^22), while a window's sieve work and the table (built once per
/// process) double. Measured with the residues by reciprocal (see [`Divisor`]): 2^21 was as
/// fast as 2^20, 2^22 ~3% faster over 20 keys but 6-11% slower for a process's first key.
const SIEVE_LIMIT: u32 = 1 << 20;
/// How far (in steps of 2) a random start is walked before drawing a new one.
const WINDOW: usize = 1 << 13;
/// Miller-Rabin rounds with random bases for a random candidate that passed base 2: the
/// average-case table (Damgård-Landrock-Pomerance, error below 2^-128 for random candidates)
/// that FIPS 186-5 Table B.1, OpenSSL and Go's crypto/rsa use: 4 rounds for 2048-bit primes
/// (4096-bit keys), 5 for 1024-bit ones (2048-bit keys). The base-2 round comes on top.
fn random_rounds(bits: usize) -> usize {
    match bits {
        3747.. => 3,
        1345.. => 4,
        476.. => 5,
        400.. => 6,
        347.. => 7,
        308.. => 8,
        55.. => 27,
        _ => 34,
    }
}
const E: u64 = 65537;

/// The sieving primes, grouped so that each group's product fits in a `u64`: a candidate's
/// residue modulo a whole group takes one pass over its limbs, then one division per prime.
struct SievePrimes {
    primes: Vec<u32>,
    /// (product, end index into `primes`) for consecutive groups.
    groups: Vec<(u64, usize)>,
    /// Each group's product shifted up to a normalized divisor (see [`Divisor`]).
    divisors: Vec<Divisor>,
}

/// A word divisor with its top bit set and a precomputed reciprocal, for remainders of
/// two-word numbers with a multiplication and a few adds (Möller and Granlund, "Improved
/// division by invariant integers", 2011, Algorithm 4): the candidate's residues modulo the
/// sieve groups took one 128-by-64-bit division (`__umodti3`) per limb and group, several
/// times slower, and these steps for four groups interleave where divisions would not.
#[derive(Clone, Copy)]
struct Divisor {
    d: u64,
    /// ⌊(2^128 - 1) / d⌋ - 2^64.
    v: u64,
}

impl Divisor {
    /// m·2^s with s the leading zero bits of m (m ≠ 0; the sieve's m are products of odd
    /// primes): remainders modulo it are remainders
    /// modulo every divisor of m too, so a group needs no reduction modulo its own product.
    fn normalized(m: u64) -> Divisor {
        let d = m << m.leading_zeros();
        // ⌊(2^128 - 1) / d⌋ lies in [2^64, 2^65) for d >= 2^63: dropping the top bit
        // subtracts 2^64.
        let v = (u128::MAX / d as u128) as u64;
        Divisor { d, v }
    }

    /// (u1·2^64 + u0) mod d, for u1 < d.
    #[inline(always)]
    fn rem(self, u1: u64, u0: u64) -> u64 {
        // The quotient estimate q1 is exact or one too large (then r wrapped, r > q0) or,
        // rarely, one too small (then r >= d).
        let q = (self.v as u128 * u1 as u128).wrapping_add(((u1 as u128 + 1) << 64) | u0 as u128);
        let (q1, q0) = ((q >> 64) as u64, q as u64);
        let mut r = u0.wrapping_sub(q1.wrapping_mul(self.d));
        if r > q0 {
            r = r.wrapping_add(self.d);
        }
        if r >= self.d {
            r -= self.d;
        }
        r
    }

    /// The residue of the number `limbs` (little-endian, non-empty) modulo d.
    #[inline(always)]
    fn rem_limbs(self, limbs: &[u64]) -> u64 {
        let Some((&top, rest)) = limbs.split_last() else {
            return 0;
        };
        let mut r = if top >= self.d { top - self.d } else { top }; // d > 2^63
        for &l in rest.iter().rev() {
            r = self.rem(r, l);
        }
        r
    }
}

/// The residues of `limbs` modulo each of `divisors`, four divisors at a time: each residue is
/// a chain of dependent multiplications, four independent chains keep the multiplier busy.
fn residues(limbs: &[u64], divisors: &[Divisor], out: &mut Vec<u64>) {
    out.clear();
    let Some((&top, rest)) = limbs.split_last() else {
        out.resize(divisors.len(), 0);
        return;
    };
    let mut chunks = divisors.chunks_exact(4);
    for ds in &mut chunks {
        let mut r = [0u64; 4];
        for g in 0..4 {
            r[g] = if top >= ds[g].d { top - ds[g].d } else { top };
        }
        for &l in rest.iter().rev() {
            for g in 0..4 {
                r[g] = ds[g].rem(r[g], l);
            }
        }
        out.extend_from_slice(&r);
    }
    for d in chunks.remainder() {
        out.push(d.rem_limbs(limbs));
    }
}

/// The sieve bound for primes of up to 1024 bits (2048-bit keys): their Miller-Rabin test is
/// about seven times cheaper than for 2048-bit primes, so the sieve pays off less deep (seed 1:
/// 61 base-2 tests per 2048-bit key at 2^17, 55 at 2^19, 51 at 2^20).
const SMALL_SIEVE_LIMIT: u32 = 1 << 19;

/// The sieving primes for candidates of `bits` bits. Each table is built once per process, on
/// first use: a chart that only makes 2048-bit keys never pays for the larger one.
fn sieve_primes(bits: usize) -> &'static SievePrimes {
    static SMALL: std::sync::OnceLock<SievePrimes> = std::sync::OnceLock::new();
    static LARGE: std::sync::OnceLock<SievePrimes> = std::sync::OnceLock::new();
    if bits <= 1024 {
        SMALL.get_or_init(|| group_primes(odd_primes_below(SMALL_SIEVE_LIMIT)))
    } else {
        LARGE.get_or_init(|| group_primes(odd_primes_below(SIEVE_LIMIT)))
    }
}

fn group_primes(primes: Vec<u32>) -> SievePrimes {
    let mut groups = Vec::new();
    let mut product: u64 = 1;
    for (i, &p) in primes.iter().enumerate() {
        match product.checked_mul(p as u64) {
            Some(q) => product = q,
            None => {
                groups.push((product, i));
                product = p as u64;
            }
        }
    }
    groups.push((product, primes.len()));
    let divisors = groups
        .iter()
        .map(|&(q, _)| Divisor::normalized(q))
        .collect();
    SievePrimes {
        primes,
        groups,
        divisors,
    }
}

/// The odd primes below `limit`: a sieve of Eratosthenes over odd numbers only (entry i
/// stands for 2i + 1), half the memory of a plain one.
fn odd_primes_below(limit: u32) -> Vec<u32> {
    let half = (limit / 2) as usize;
    let mut composite = vec![false; half];
    let mut out = Vec::new();
    for i in 1..half {
        if composite[i] {
            continue;
        }
        let p = 2 * i + 1;
        out.push(p as u32);
        // p² = 2j + 1 with j = 2i(i + 1); multiples of p step by 2p, i.e. p entries.
        let mut j = 2 * i * (i + 1);
        while j < half {
            composite[j] = true;
            j += p;
        }
    }
    out
}

/// Whether a k-limb modulus can use the BMI2/ADX products on this machine.
fn adx_usable(k: usize) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        k >= 4 && k % 4 == 0 && mont_adx::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = k;
        false
    }
}

/// An odd modulus in Montgomery form: little-endian limbs of 64 bits, R = 2^(64·k); or of 28
/// bits ([`mont28`], wasm32), R = 2^(28·l). Every value it holds (the modulus, R², one, minus
/// one, and the Montgomery forms its products work on) is in its own limbs; `import` and
/// `export` convert ordinary 64-bit-limb numbers at its edges.
struct Mont {
    n: Vec<u64>,
    /// How many 64-bit limbs the modulus had (the size of what `export` returns).
    k64: usize,
    /// -n⁻¹ mod 2⁶⁴ (mod 2²⁸ for 28-bit limbs).
    ninv: u64,
    /// R² mod n.
    r2: Vec<u64>,
    /// R mod n (Montgomery 1) and n - R mod n (Montgomery -1).
    one: Vec<u64>,
    minus_one: Vec<u64>,
    /// The reduction multipliers of one product (k limbs).
    m: Vec<u64>,
    /// Whether products run on the BMI2/ADX code (x86-64 CPUs that have it, k a multiple
    /// of 4), and its scratch: k + 2 words for a product, 2k for a square. Unused where
    /// there is no ADX code (wasm32 and other targets).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    adx: bool,
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    scratch: Vec<u64>,
    /// Whether this Mont works in 28-bit limbs ([`mont28`]), with the modulus as `u32`s
    /// as `mont28::product` takes it and scratch words for a product.
    radix28: bool,
    n32: Vec<u32>,
    scratch32: Vec<u32>,
}

/// Whether a Mont works in 28-bit limbs: on wasm32 (moduli up to [`mont28::MAX_LIMBS`]
/// limbs), and in tests that run the wasm arithmetic natively.
fn use_radix28() -> bool {
    #[cfg(test)]
    if tests::FORCE_RADIX28.with(|f| f.get()) {
        return true;
    }
    cfg!(target_arch = "wasm32")
}

fn to_big(limbs: &[u64]) -> BigUint {
    BigUint::from_bytes_le(&limbs_to_le_bytes(limbs))
}

fn from_big(b: &BigUint, k: usize) -> Vec<u64> {
    let mut out = limbs_from_le_bytes(&b.to_bytes_le());
    out.resize(k, 0);
    out
}

/// Limbs (least significant first) as little-endian bytes, as the search's steps hand numbers
/// to a host and back.
pub fn limbs_to_le_bytes(limbs: &[u64]) -> Vec<u8> {
    limbs.iter().flat_map(|l| l.to_le_bytes()).collect()
}

/// Little-endian bytes as limbs (least significant first; a short last limb zero-padded).
pub fn limbs_from_le_bytes(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks(8)
        .map(|c| {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(w)
        })
        .collect()
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
        let l = mont28::limbs_for_bits(nb.bits());
        if use_radix28() && l <= mont28::MAX_LIMBS {
            return Mont::new_radix28(&nb, k, inv.wrapping_neg(), l);
        }
        let r2 = from_big(&((BigUint::from(1u8) << (128 * k)) % &nb), k);
        let one = from_big(&((BigUint::from(1u8) << (64 * k)) % &nb), k);
        let mut minus_one = n.to_vec();
        sub_in_place(&mut minus_one, &one);
        let ninv = inv.wrapping_neg();
        Mont {
            n: n.to_vec(),
            k64: k,
            ninv,
            r2,
            one,
            minus_one,
            m: vec![0; k],
            adx: adx_usable(k),
            scratch: vec![0; 2 * k + 2],
            radix28: false,
            n32: Vec::new(),
            scratch32: Vec::new(),
        }
    }

    /// `new` in l 28-bit limbs, R = 2^(28·l), for the modulus `nb` of k 64-bit limbs.
    fn new_radix28(nb: &BigUint, k: usize, ninv64: u64, l: usize) -> Mont {
        let in28 = |b: &BigUint| mont28::from_limbs64(&from_big(b, (28 * l).div_ceil(64)), l);
        let r_bits = mont28::BITS as usize * l;
        let n = in28(nb);
        let one = in28(&((BigUint::from(1u8) << r_bits) % nb));
        let mut minus_one = n.clone();
        mont28::sub_in_place(&mut minus_one, &one);
        Mont {
            r2: in28(&((BigUint::from(1u8) << (2 * r_bits)) % nb)),
            n32: mont28::forwards_and_backwards(&n),
            n,
            k64: k,
            ninv: mont28::ninv28(ninv64),
            one,
            minus_one,
            m: Vec::new(),
            adx: false,
            scratch: Vec::new(),
            radix28: true,
            scratch32: vec![0; mont28::scratch_len(l)],
        }
    }

    /// An ordinary number below n (64-bit limbs) in this Mont's limbs.
    fn import(&self, x: &[u64]) -> Vec<u64> {
        if self.radix28 {
            mont28::from_limbs64(x, self.n.len())
        } else {
            x.to_vec()
        }
    }

    /// A number in this Mont's limbs as `k64` 64-bit limbs.
    fn export(&self, x: &[u64]) -> Vec<u64> {
        if self.radix28 {
            mont28::to_limbs64(x, self.k64)
        } else {
            x.to_vec()
        }
    }

    /// out = a·b·R⁻¹ mod n, for a, b < n.
    fn mul(&mut self, a: &[u64], b: &[u64], out: &mut [u64]) {
        self.product(a, b, false, out);
    }

    /// out = a²·R⁻¹ mod n, for a < n (both the portable and the ADX code need about 3/4 of
    /// the word products of `mul`).
    fn sqr(&mut self, a: &[u64], out: &mut [u64]) {
        self.product(a, a, true, out);
    }

    /// `mul`, or `sqr` when `square` (then `b` is `a`).
    fn product(&mut self, a: &[u64], b: &[u64], square: bool, out: &mut [u64]) {
        if self.adx_product(a, b, square, out) {
            return;
        }
        if self.radix28 {
            mont28::product(&self.n32, self.ninv, a, b, square, &mut self.scratch32, out);
            return;
        }
        // Fixed sizes (the 1024- and 2048-bit primes of 2048- and 4096-bit keys) let the
        // compiler unroll and drop bounds checks; other sizes take the slice path.
        match self.n.len() {
            16 => mont_fips_fixed::<16>(&self.n, self.ninv, a, b, square, out),
            32 => mont_fips_fixed::<32>(&self.n, self.ninv, a, b, square, out),
            _ => mont_fips(&self.n, self.ninv, a, b, square, &mut self.m, out),
        }
    }

    /// `product` on the BMI2/ADX code when this modulus uses it; false otherwise.
    #[cfg(target_arch = "x86_64")]
    fn adx_product(&mut self, a: &[u64], b: &[u64], square: bool, out: &mut [u64]) -> bool {
        self.adx
            && if square {
                mont_adx::mont_sqr(&self.n, self.ninv, a, &mut self.scratch, out)
            } else {
                mont_adx::mont_mul(&self.n, self.ninv, a, b, &mut self.scratch, out)
            }
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn adx_product(&mut self, _a: &[u64], _b: &[u64], _square: bool, _out: &mut [u64]) -> bool {
        false
    }

    /// x = 2·x mod n, for x < n (Montgomery form is linear, so this doubles the value).
    fn double(&self, x: &mut [u64]) {
        if self.radix28 {
            mont28::double(&self.n, x);
            return;
        }
        let mut top = 0u64;
        for l in x.iter_mut() {
            let next = *l >> 63;
            *l = (*l << 1) | top;
            top = next;
        }
        if top != 0 || geq(x, &self.n) {
            sub_in_place(x, &self.n);
        }
    }

    /// 2^exp in Montgomery form: squarings and doublings only, the cheapest base for the
    /// first Miller-Rabin round that rejects nearly every composite candidate.
    fn pow2(&mut self, exp: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; k];
        let mut started = false;
        for limb in exp.iter().rev() {
            for bit in (0..64).rev() {
                if started {
                    self.sqr(&acc, &mut tmp);
                    std::mem::swap(&mut acc, &mut tmp);
                }
                if (limb >> bit) & 1 == 1 {
                    self.double(&mut acc);
                    started = true;
                }
            }
        }
        acc
    }

    /// base^exp in Montgomery form, for `base` < n in ordinary form (4-bit fixed window).
    fn pow(&mut self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut table = vec![vec![0u64; k]; 16];
        table[0] = self.one.clone();
        let r2 = self.r2.clone();
        let mut tmp = vec![0u64; k];
        let base = self.import(base);
        self.mul(&base, &r2, &mut tmp);
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
                        self.sqr(&acc, &mut tmp);
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

    /// The end of a Miller-Rabin round: `x` = a^d in Montgomery form, n - 1 = d·2^s.
    fn miller_rabin_tail(&mut self, mut x: Vec<u64>, s: u32) -> bool {
        if x == self.one || x == self.minus_one {
            return true;
        }
        let mut tmp = vec![0u64; self.n.len()];
        for _ in 1..s {
            self.sqr(&x, &mut tmp);
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

    /// One Miller-Rabin round with base `a` (2 <= a < n-1).
    fn miller_rabin(&mut self, a: &[u64], d: &[u64], s: u32) -> bool {
        let x = self.pow(a, d);
        self.miller_rabin_tail(x, s)
    }

    /// One Miller-Rabin round with base 2.
    fn miller_rabin_base2(&mut self, d: &[u64], s: u32) -> bool {
        let x = self.pow2(d);
        self.miller_rabin_tail(x, s)
    }
}

/// A three-word column accumulator for product scanning: `lo` + `hi`·2¹²⁸.
#[derive(Clone, Copy)]
struct Acc {
    lo: u128,
    hi: u64,
}

impl Acc {
    #[inline(always)]
    fn mac(&mut self, x: u64, y: u64) {
        let (s, o) = self.lo.overflowing_add(x as u128 * y as u128);
        self.lo = s;
        self.hi += o as u64;
    }

    #[inline(always)]
    fn add(&mut self, other: Acc) {
        let (s, o) = self.lo.overflowing_add(other.lo);
        self.lo = s;
        self.hi += other.hi + o as u64;
    }

    #[inline(always)]
    fn doubled(self) -> Acc {
        Acc {
            lo: self.lo << 1,
            hi: (self.hi << 1) | (self.lo >> 127) as u64,
        }
    }

    /// The low word, and the accumulator shifted down one word.
    #[inline(always)]
    fn shift(&mut self) -> u64 {
        let w = self.lo as u64;
        self.lo = (self.lo >> 64) | ((self.hi as u128) << 64);
        self.hi = 0;
        w
    }
}

/// out = a·b·R⁻¹ mod n (or a²·R⁻¹ when `square`), for a, b < n: Montgomery multiplication
/// with product and reduction interleaved column by column ("finely integrated product
/// scanning"), so each word product is one multiply and three adds into registers instead of
/// a load and store of a partial-product row. `m` holds the k reduction multipliers.
#[inline(always)]
fn mont_fips(
    n: &[u64],
    ninv: u64,
    a: &[u64],
    b: &[u64],
    square: bool,
    m: &mut [u64],
    out: &mut [u64],
) {
    let k = n.len();
    let mut acc = Acc { lo: 0, hi: 0 };
    for c in 0..k {
        column(&mut acc, a, b, square, c, 0, c + 1);
        for j in 0..c {
            acc.mac(m[j], n[c - j]);
        }
        let mc = (acc.lo as u64).wrapping_mul(ninv);
        m[c] = mc;
        acc.mac(mc, n[0]);
        acc.shift(); // the low word is now zero
    }
    for c in k..2 * k - 1 {
        column(&mut acc, a, b, square, c, c + 1 - k, k);
        for j in c + 1 - k..k {
            acc.mac(m[j], n[c - j]);
        }
        out[c - k] = acc.shift();
    }
    out[k - 1] = acc.shift();
    let overflow = acc.lo != 0;
    let out = &mut out[..k];
    if overflow || geq(out, n) {
        sub_in_place(out, n);
    }
}

/// Adds column c of a·b (or of a² when `square`) over j in from..to: Σ a[j]·b[c-j].
/// Squaring adds each cross product a[j]·a[c-j] (j < c-j) once, doubled.
#[inline(always)]
fn column(acc: &mut Acc, a: &[u64], b: &[u64], square: bool, c: usize, from: usize, to: usize) {
    if square {
        let mid = c.div_ceil(2); // first j with j >= c - j
        let mut cross = Acc { lo: 0, hi: 0 };
        for j in from..mid.min(to) {
            cross.mac(a[j], a[c - j]);
        }
        acc.add(cross.doubled());
        if c % 2 == 0 && c / 2 >= from && c / 2 < to {
            acc.mac(a[c / 2], a[c / 2]);
        }
    } else {
        for j in from..to {
            acc.mac(a[j], b[c - j]);
        }
    }
}

/// `mont_fips` for K limbs exactly, so loops have constant bounds.
fn mont_fips_fixed<const K: usize>(
    n: &[u64],
    ninv: u64,
    a: &[u64],
    b: &[u64],
    square: bool,
    out: &mut [u64],
) {
    let (Ok(n), Ok(a), Ok(b), Ok(out)) = (
        <&[u64; K]>::try_from(&n[..K]),
        <&[u64; K]>::try_from(&a[..K]),
        <&[u64; K]>::try_from(&b[..K]),
        <&mut [u64; K]>::try_from(&mut out[..K]),
    ) else {
        return;
    };
    let mut m = [0u64; K];
    if square {
        mont_fips(n, ninv, a, a, true, &mut m, out);
    } else {
        mont_fips(n, ninv, a, b, false, &mut m, out);
    }
}

/// n - 1 = d·2^s for odd n: (d, s).
fn split_n_minus_one(n: &[u64]) -> (Vec<u64>, u32) {
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
    (shift_right(&nm1, s), s)
}

/// Whether odd `n` > 3 passes a Miller-Rabin round with base 2. Nearly every composite that
/// survives the sieve fails here, so this is where the prime search spends its time.
fn passes_base2(n: &[u64]) -> bool {
    let (d, s) = split_n_minus_one(n);
    Mont::new(n).miller_rabin_base2(&d, s)
}

/// Whether `n` (odd, > 3, already through base 2) passes `random_rounds` Miller-Rabin rounds
/// with random bases.
fn passes_random_bases(n: &[u64], rng: &mut dyn RngCore) -> bool {
    let k = n.len();
    let (d, s) = split_n_minus_one(n);
    let mut mont = Mont::new(n);
    for _ in 0..random_rounds(64 * k - leading_zero_bits(n) as usize) {
        let a = next_round_base(n, rng);
        if !mont.miller_rabin(&a, &d, s) {
            return false;
        }
    }
    true
}

/// The next random base of a Miller-Rabin round on `n`: as many bits as n has minus one (so
/// below n), drawn again when it is 0 or 1.
fn next_round_base(n: &[u64], rng: &mut dyn RngCore) -> Vec<u64> {
    let k = n.len();
    let top = 64 * k - leading_zero_bits(n) as usize;
    loop {
        let mut a = vec![0u64; k];
        for l in a.iter_mut() {
            *l = rng.next_u64();
        }
        mask_to_bits(&mut a, top.saturating_sub(1));
        if !(a.iter().skip(1).all(|&l| l == 0) && a[0] < 2) {
            return a;
        }
    }
}

/// Whether `n` (odd, > 3) is probably prime: Miller-Rabin base 2 then `random_rounds` random
/// bases.
#[cfg(test)]
fn probably_prime(n: &[u64], rng: &mut dyn RngCore) -> bool {
    passes_base2(n) && passes_random_bases(n, rng)
}

/// How many threads test candidates at once: the prime search is the one place where a
/// render can use more than one core (2048-bit keys for `genCA` take tens of milliseconds,
/// 4096-bit ones for `genPrivateKey` hundreds). wasm32 has no threads.
fn search_threads() -> usize {
    if use_radix28() {
        return 1; // wasm32, or a test of its arithmetic (whose switch is per thread)
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *THREADS.get_or_init(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 4)
        })
    }
}

/// The index of the first candidate in `cands` that passes base 2, or `None`.
///
/// With several threads, thread t tests indices t, t + T, t + 2T, ... in order and stops once
/// its next index is past the smallest passing index found so far; every smaller index has
/// then been tested, so the answer (and with it a seeded key) does not depend on timing.
fn first_passing_base2(cands: &[Vec<u64>]) -> Option<usize> {
    first_passing_base2_on(cands, search_threads())
}

fn first_passing_base2_on(cands: &[Vec<u64>], threads: usize) -> Option<usize> {
    let threads = threads.min(cands.len().max(1));
    if threads <= 1 || cfg!(target_arch = "wasm32") {
        return cands.iter().position(|c| passes_base2(c));
    }
    #[cfg(target_arch = "wasm32")]
    {
        None // unreachable: no threads on wasm32 (handled above)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let found = AtomicUsize::new(usize::MAX);
        let worker = |t: usize| {
            let mut i = t;
            while i < cands.len() && i < found.load(Ordering::Relaxed) {
                if passes_base2(&cands[i]) {
                    found.fetch_min(i, Ordering::Relaxed);
                    return;
                }
                i += threads;
            }
        };
        std::thread::scope(|scope| {
            for t in 1..threads {
                let worker = &worker;
                // A thread that cannot be spawned leaves its indices untested: fall back to
                // testing them here after the others finish.
                if std::thread::Builder::new()
                    .spawn_scoped(scope, move || worker(t))
                    .is_err()
                {
                    let mut i = t;
                    while i < cands.len() && i < found.load(Ordering::Relaxed) {
                        if passes_base2(&cands[i]) {
                            found.fetch_min(i, Ordering::Relaxed);
                            break;
                        }
                        i += threads;
                    }
                }
            }
            worker(0);
        });
        match found.into_inner() {
            usize::MAX => None,
            i => Some(i),
        }
    }
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
fn gen_prime(bits: usize, rng: &mut dyn RngCore) -> Vec<u64> {
    loop {
        let cands = PrimeWindow::draw(bits, rng).candidates;
        let mut from = 0;
        while let Some(i) = first_passing_base2(&cands[from..]) {
            let cand = &cands[from + i];
            if passes_random_bases(cand, rng) {
                return cand.clone();
            }
            from += i + 1;
        }
    }
}

/// One window of a prime search: a random odd start with the two top bits set (drawn from the
/// generator) and the offsets (in steps of 2, ascending) of the numbers after it that no
/// sieving prime divides, that are not 1 modulo e and that still have `bits` bits. The
/// search tests these in order with base 2; the first that also passes the random-base rounds
/// is the prime.
///
/// `gen_prime` runs the whole search; a host without threads (the page's wasm) runs the same
/// steps itself, spreading each window's base-2 tests and random-base rounds over workers
/// ([`draw_prime_window`], [`first_passing_base2_at`], [`random_round_bases`],
/// [`passes_round`]), and gets the same prime from the same generator state.
pub struct PrimeWindow {
    pub base: Vec<u64>,
    pub offsets: Vec<u32>,
    /// base + 2·offset for each offset, built once while drawing (the draw checks each
    /// survivor's size on it).
    candidates: Vec<Vec<u64>>,
}

impl PrimeWindow {
    fn draw(bits: usize, rng: &mut dyn RngCore) -> PrimeWindow {
        let sieve = sieve_primes(bits);
        let k = bits.div_ceil(64);
        let top = bits - 1 - 64 * (k - 1); // index of the top bit in the last limb
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
        let composite = sieve_window(&c, sieve);
        let rem_e = limbs_mod(&c, E);
        let mut offsets = Vec::new();
        let mut candidates = Vec::new();
        for (i, &bad) in composite.iter().enumerate() {
            let delta = 2 * i as u64;
            if bad || (rem_e + delta) % E == 1 {
                continue;
            }
            let mut cand = c.clone();
            if add_small(&mut cand, delta) || cand[k - 1] >> top != 1 {
                break; // ran past `bits` bits
            }
            offsets.push(i as u32);
            candidates.push(cand);
        }
        PrimeWindow {
            base: c,
            offsets,
            candidates,
        }
    }

    /// The `i`th candidate of the window: base + 2·`offsets[i]`; `None` past the last.
    pub fn candidate(&self, i: usize) -> Option<Vec<u64>> {
        self.candidates.get(i).cloned()
    }
}

/// The candidate base + 2·offset of a window starting at `base`; `None` where it carries out
/// of the top limb (no candidate of the window).
pub fn window_candidate(base: &[u64], offset: u32) -> Option<Vec<u64>> {
    let mut cand = base.to_vec();
    (!add_small(&mut cand, 2 * offset as u64)).then_some(cand)
}

/// The prime-search window a generator at `seed` and word position `pos` draws next, and the
/// position after the draw.
pub fn draw_prime_window(
    seed: [u8; 32],
    pos: u128,
    bits: usize,
) -> Result<(PrimeWindow, u128), String> {
    if !(64..=8192).contains(&bits) {
        return Err(format!("prime search: unsupported prime size {bits}"));
    }
    let mut rng = stream_at(seed, pos);
    let window = PrimeWindow::draw(bits, &mut rng);
    Ok((window, rng.get_word_pos()))
}

/// Of the candidates base + 2·offset (in the order given), the index of the first that passes
/// Miller-Rabin with base 2, or `None`. `base` is a window's start (odd, as many limbs as its
/// prime size needs).
pub fn first_passing_base2_at(base: &[u64], offsets: &[u32]) -> Option<usize> {
    if !searchable(base) {
        return None;
    }
    offsets
        .iter()
        .position(|&o| window_candidate(base, o).is_some_and(|c| passes_base2(&c)))
}

/// Whether `n` is a number the prime search tests: odd, more than 64 bits, its top limb not
/// zero, at most 8192 bits (the limb sizes the Montgomery code is built for).
fn searchable(n: &[u64]) -> bool {
    n.len() >= 2 && n.len() <= 128 && n[0] & 1 == 1 && n[n.len() - 1] != 0
}

/// The bases of the random-base rounds for `cand` (which passed base 2), as `gen_prime`
/// draws them from the generator at `seed`/`pos`, each with the position after it. The rounds
/// can then run apart ([`passes_round`]); as in `gen_prime`, the candidate is prime when all
/// pass, and the generator ends after the first failing base, or else after the last.
pub fn random_round_bases(seed: [u8; 32], pos: u128, cand: &[u64]) -> Vec<(Vec<u64>, u128)> {
    if !searchable(cand) {
        return Vec::new();
    }
    let mut rng = stream_at(seed, pos);
    (0..random_rounds(64 * cand.len() - leading_zero_bits(cand) as usize))
        .map(|_| {
            let a = next_round_base(cand, &mut rng);
            (a, rng.get_word_pos())
        })
        .collect()
}

/// Whether `n` passes one Miller-Rabin round with base `a` (below n, as many limbs).
pub fn passes_round(n: &[u64], a: &[u64]) -> bool {
    if !searchable(n) || a.len() != n.len() || !geq(n, a) || n == a {
        return false;
    }
    let (d, s) = split_n_minus_one(n);
    Mont::new(n).miller_rabin(a, &d, s)
}

fn stream_at(seed: [u8; 32], pos: u128) -> rand_chacha::ChaCha20Rng {
    use rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    rng.set_word_pos(pos);
    rng
}

/// Which of the odd numbers c, c + 2, ..., c + 2·(WINDOW - 1) have a sieving prime factor.
/// A large table is split between the search threads (the window comes before any
/// Miller-Rabin test, so they would wait for it).
fn sieve_window(c: &[u64], sieve: &SievePrimes) -> Vec<bool> {
    let threads = if sieve.groups.len() >= PARALLEL_SIEVE_GROUPS {
        search_threads()
    } else {
        1
    };
    sieve_window_on(c, sieve, threads)
}

/// Below this many groups a window takes well under a millisecond: not worth a thread.
const PARALLEL_SIEVE_GROUPS: usize = 1 << 13;

fn sieve_window_on(c: &[u64], sieve: &SievePrimes, threads: usize) -> Vec<bool> {
    let mut composite = vec![false; WINDOW];
    let groups = sieve.groups.len();
    let threads = threads.clamp(1, groups.max(1));
    if threads == 1 || cfg!(target_arch = "wasm32") {
        sieve_groups(c, sieve, 0..groups, &mut composite);
        return composite;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let chunk = groups.div_ceil(threads);
        std::thread::scope(|scope| {
            let spawned: Vec<_> = (1..threads)
                .map(|t| {
                    let range = (t * chunk).min(groups)..((t + 1) * chunk).min(groups);
                    let mine = range.clone();
                    let handle = std::thread::Builder::new().spawn_scoped(scope, move || {
                        let mut part = vec![false; WINDOW];
                        sieve_groups(c, sieve, mine, &mut part);
                        part
                    });
                    (range, handle)
                })
                .collect();
            sieve_groups(c, sieve, 0..chunk.min(groups), &mut composite);
            for (range, handle) in spawned {
                match handle.map(|h| h.join()) {
                    Ok(Ok(part)) => {
                        for (x, y) in composite.iter_mut().zip(part) {
                            *x |= y;
                        }
                    }
                    // A thread that could not be spawned (or failed) leaves its groups to
                    // this one: the marks must not depend on the machine's state.
                    _ => sieve_groups(c, sieve, range, &mut composite),
                }
            }
        });
    }
    composite
}

/// Marks in `composite` the offsets that the primes of groups `range` divide.
fn sieve_groups(
    c: &[u64],
    sieve: &SievePrimes,
    range: std::ops::Range<usize>,
    composite: &mut [bool],
) {
    let mut rq = Vec::with_capacity(range.len());
    residues(c, &sieve.divisors[range.clone()], &mut rq);
    let mut start = match range.start {
        0 => 0,
        g => sieve.groups[g - 1].1,
    };
    for (&(_, end), &rq) in sieve.groups[range].iter().zip(&rq) {
        for &p in &sieve.primes[start..end] {
            let p = p as u64;
            // rq is c modulo a multiple of p.
            let r = rq % p;
            // The first i with c + 2i ≡ 0 (mod p): i = (p - r)/2 for odd r, p - r/2 for even
            // r > 0 (p is odd), 0 for r = 0.
            let mut i = if r == 0 {
                0
            } else if r & 1 == 1 {
                ((p - r) / 2) as usize
            } else {
                (p - r / 2) as usize
            };
            while i < composite.len() {
                composite[i] = true;
                i += p as usize;
            }
        }
        start = end;
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
    if bits < 128 || bits % 2 != 0 {
        return Err(format!("crypto/rsa: unsupported key size {bits}"));
    }
    loop {
        let p = gen_prime(bits / 2, rng);
        let q = gen_prime(bits / 2, rng);
        if let Some(key) = key_from_primes(bits, &p, &q)? {
            return Ok(key);
        }
    }
}

/// The key [`generate`] makes of the primes `p` then `q` (limbs, least significant first), or
/// `None` where it would draw two more primes (equal primes, or a modulus short of `bits`).
pub fn key_from_primes(bits: usize, p: &[u64], q: &[u64]) -> Result<Option<RsaPrivateKey>, String> {
    if p == q {
        return Ok(None);
    }
    let (p, q) = (to_big(p), to_big(q));
    if (&p * &q).bits() != bits {
        return Ok(None);
    }
    RsaPrivateKey::from_primes(vec![p, q], BigUint::from(E))
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The RSA private-key operation c^d mod n by the Chinese remainder theorem, on this module's
/// Montgomery products (32-bit limbs on wasm32, where num-bigint-dig's code spent most of a
/// warm render signing certificates): m1 = c^dp mod p, m2 = c^dq mod q, m = m2 + q·(qinv·(m1 -
/// m2) mod p). The result is the unique c^d mod n, so the same as the `rsa` crate's; `None`
/// when the key lacks its precomputed CRT values or is not a two-prime key (callers fall back).
pub fn private_op(key: &RsaPrivateKey, c: &BigUint) -> Option<BigUint> {
    use rsa::traits::PrivateKeyParts;
    let primes = key.primes();
    if primes.len() != 2 {
        return None;
    }
    let (p, q) = (&primes[0], &primes[1]);
    let (dp, dq) = (key.dp()?, key.dq()?);
    let qinv = key.qinv()?.to_biguint()?;
    let exp_mod = |prime: &BigUint, d: &BigUint| mod_pow_odd(c, d, prime);
    let m1 = exp_mod(p, dp)?;
    let m2 = exp_mod(q, dq)?;
    let diff = if m1 >= m2 {
        m1 - &m2
    } else {
        p - ((&m2 - m1) % p)
    };
    let h = (qinv * diff) % p;
    Some(m2 + h * q)
}

/// base^exp mod m for odd m > 1 on this module's Montgomery products (num-bigint-dig's
/// `modpow` took most of a warm render in wasm, e.g. for a key's CRT coefficient); `None` for
/// an even or too small modulus.
pub fn mod_pow_odd(base: &BigUint, exp: &BigUint, m: &BigUint) -> Option<BigUint> {
    if m.bits() < 2 || m.to_bytes_le().first().is_none_or(|b| b & 1 == 0) {
        return None;
    }
    let k = m.bits().div_ceil(64);
    let n = from_big(m, k);
    let mut mont = Mont::new(&n);
    let b = from_big(&(base % m), k);
    let e = from_big(exp, exp.bits().div_ceil(64).max(1));
    let x = mont.pow(&b, &e);
    // 1 is the same limbs in every radix.
    let mut one = vec![0u64; mont.n.len()];
    one[0] = 1;
    let mut plain = vec![0u64; mont.n.len()];
    mont.mul(&x, &one, &mut plain);
    Some(to_big(&mont.export(&plain)))
}

/// A PKCS #1 v1.5 signature of `digest_info` (an encoded DigestInfo): 00 01 FF.. 00
/// DigestInfo raised to d with [`private_op`], as many bytes as the modulus. `None` when the
/// key is too small for it or lacks its CRT values.
pub fn pkcs1v15_sign(key: &RsaPrivateKey, digest_info: &[u8]) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;
    let size = key.size();
    if size < digest_info.len() + 11 {
        return None;
    }
    let mut em = vec![0xffu8; size];
    em[0] = 0;
    em[1] = 1;
    em[size - digest_info.len() - 1] = 0;
    em[size - digest_info.len()..].copy_from_slice(digest_info);
    let sig = private_op(key, &BigUint::from_bytes_be(&em))?.to_bytes_be();
    let mut out = vec![0u8; size.checked_sub(sig.len())?];
    out.extend_from_slice(&sig);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    use std::cell::Cell;

    thread_local! {
        /// Makes this thread's `Mont`s use the wasm32 arithmetic (28-bit limbs).
        pub(super) static FORCE_RADIX28: Cell<bool> = const { Cell::new(false) };
    }

    #[test]
    fn radix28_products_match_biguint() {
        let mut rng = ChaCha20Rng::seed_from_u64(22);
        FORCE_RADIX28.with(|f| f.set(true));
        // 37 and 74 limbs take the fixed-size code; 3,360 bits is the most 28-bit limbs hold.
        for bits in [
            3usize, 28, 29, 56, 64, 100, 512, 1024, 1036, 2048, 2072, 3000, 3360,
        ] {
            let k = bits.div_ceil(64);
            for round in 0..12 {
                let mut n: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                mask_to_bits(&mut n, bits);
                match round % 3 {
                    0 => {}
                    1 => n.iter_mut().for_each(|l| *l = u64::MAX),
                    _ => n[0] = 0,
                }
                mask_to_bits(&mut n, bits);
                n[(bits - 1) / 64] |= 1 << ((bits - 1) % 64);
                n[0] |= 1;
                let nb = to_big(&n);
                let mut mont = Mont::new(&n);
                assert!(mont.radix28, "bits={bits}");
                let l = mont.n.len();
                assert_eq!(l, bits.div_ceil(28));
                let r = BigUint::from(1u8) << (28 * l);
                let mut xs: Vec<Vec<u64>> = Vec::new();
                for _ in 0..3 {
                    let x: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                    xs.push(from_big(&(to_big(&x) % &nb), k));
                }
                xs.push(from_big(&(&nb - 1u8), k));
                xs.push(vec![0; k]);
                xs.push(from_big(&(&r % &nb), k));
                for x in &xs {
                    for y in &xs {
                        for square in [false, true] {
                            let y = if square { x } else { y };
                            let (xi, yi) = (mont.import(x), mont.import(y));
                            let mut out = vec![0u64; l];
                            mont.product(&xi, &yi, square, &mut out);
                            assert!(out.iter().all(|&w| w < 1 << 28), "bits={bits}: limbs");
                            let got = to_big(&mont.export(&out));
                            assert!(got < nb, "bits={bits}: not reduced");
                            assert_eq!(
                                (got * &r) % &nb,
                                (to_big(x) * to_big(y)) % &nb,
                                "bits={bits} round={round} square={square}"
                            );
                        }
                    }
                }
                // Doubling, and the conversions both ways.
                for x in &xs {
                    let mut d = mont.import(x);
                    assert_eq!(mont.export(&d), *x);
                    mont.double(&mut d);
                    assert_eq!(to_big(&mont.export(&d)), (to_big(x) * 2u8) % &nb);
                }
            }
        }
        // Past the limit the 64-bit code takes over.
        let mut n = vec![u64::MAX; 53];
        n[52] = 1; // 3,329 bits: 119 limbs
        assert!(Mont::new(&n).radix28);
        let n = vec![u64::MAX; 60]; // 3,840 bits
        assert!(!Mont::new(&n).radix28);
        FORCE_RADIX28.with(|f| f.set(false));
    }

    #[test]
    fn crt_private_op_matches_plain_exponentiation() {
        let mut rng = ChaCha20Rng::seed_from_u64(31);
        for bits in [512usize, 1024, 2048] {
            let key = generate(&mut rng, bits).expect("key");
            let n = key.n().clone();
            for round in 0..6 {
                let mut bytes = vec![0u8; bits / 8];
                rng.fill_bytes(&mut bytes);
                let c = BigUint::from_bytes_be(&bytes) % &n;
                let c = match round {
                    0 => BigUint::from(0u8),
                    1 => BigUint::from(1u8),
                    2 => &n - 1u8,
                    _ => c,
                };
                let want = c.modpow(key.d(), &n);
                assert_eq!(private_op(&key, &c), Some(want.clone()), "bits={bits}");
                FORCE_RADIX28.with(|f| f.set(true));
                let wasm = private_op(&key, &c);
                FORCE_RADIX28.with(|f| f.set(false));
                assert_eq!(wasm, Some(want), "28-bit limbs, bits={bits}");
            }
        }
    }

    #[test]
    fn mod_pow_matches_biguint() {
        let mut rng = ChaCha20Rng::seed_from_u64(41);
        for bits in [3usize, 64, 65, 130, 1024, 2048] {
            for round in 0..8 {
                let mut m = (0..bits.div_ceil(64))
                    .map(|_| rng.next_u64())
                    .collect::<Vec<_>>();
                mask_to_bits(&mut m, bits);
                m[0] |= 1;
                let m = to_big(&m) | (BigUint::from(1u8) << (bits - 1));
                let base = to_big(&[rng.next_u64(), rng.next_u64(), rng.next_u64()]);
                let exp = match round {
                    0 => BigUint::from(0u8),
                    1 => BigUint::from(1u8),
                    _ => to_big(&[rng.next_u64(), rng.next_u64(), rng.next_u64(), 7]),
                };
                let want = base.modpow(&exp, &m);
                assert_eq!(
                    mod_pow_odd(&base, &exp, &m),
                    Some(want.clone()),
                    "bits={bits}"
                );
                FORCE_RADIX28.with(|f| f.set(true));
                let wasm = mod_pow_odd(&base, &exp, &m);
                FORCE_RADIX28.with(|f| f.set(false));
                assert_eq!(wasm, Some(want), "28-bit limbs, bits={bits}");
            }
        }
        assert_eq!(
            mod_pow_odd(
                &BigUint::from(3u8),
                &BigUint::from(2u8),
                &BigUint::from(8u8)
            ),
            None
        );
    }

    #[test]
    fn signatures_match_the_rsa_crate() {
        let mut rng = ChaCha20Rng::seed_from_u64(37);
        for bits in [1024usize, 2048] {
            let key = generate(&mut rng, bits).expect("key");
            for len in [0usize, 19, 51, 83] {
                let mut msg = vec![0u8; len];
                rng.fill_bytes(&mut msg);
                let want = key
                    .sign(rsa::Pkcs1v15Sign::new_unprefixed(), &msg)
                    .expect("signs");
                assert_eq!(
                    pkcs1v15_sign(&key, &msg),
                    Some(want),
                    "bits={bits} len={len}"
                );
            }
        }
    }

    #[test]
    fn radix28_keys_are_the_64_bit_keys() {
        for (seed, bits) in [(3u64, 512usize), (4, 1024), (5, 2048)] {
            let native = generate(&mut ChaCha20Rng::seed_from_u64(seed), bits).expect("key");
            FORCE_RADIX28.with(|f| f.set(true));
            let wasm = generate(&mut ChaCha20Rng::seed_from_u64(seed), bits);
            FORCE_RADIX28.with(|f| f.set(false));
            let wasm = wasm.expect("key");
            assert_eq!(wasm.n(), native.n(), "28-bit limbs, bits={bits}");
            assert_eq!(wasm.primes(), native.primes(), "28-bit limbs, bits={bits}");
        }
    }

    #[test]
    fn small_prime_sieve() {
        let p = odd_primes_below(100);
        assert_eq!(
            p,
            [
                3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79,
                83, 89, 97
            ]
        );
        // π(2^17) = 12251, π(2^19) = 43390 and π(2^20) = 82025 primes, less the prime 2.
        assert_eq!(odd_primes_below(1 << 17).len(), 12250);
        assert_eq!(odd_primes_below(1 << 19).len(), 43389);
        assert_eq!(odd_primes_below(1 << 20).len(), 82024);
        // Small and odd limits, against trial division.
        for limit in 0..2000u32 {
            let expect: Vec<u32> = (3..limit)
                .step_by(2)
                .filter(|&n| {
                    (3..n)
                        .step_by(2)
                        .take_while(|d| d * d <= n)
                        .all(|d| n % d != 0)
                })
                .collect();
            assert_eq!(odd_primes_below(limit), expect, "limit={limit}");
        }
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
    fn adx_products_match_portable_ones() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        for k in [4usize, 8, 16, 32] {
            if !adx_usable(k) {
                continue; // the CPU lacks BMI2/ADX: nothing to compare
            }
            for round in 0..200 {
                let mut n: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                n[0] |= 1;
                if round % 2 == 0 {
                    n[k - 1] |= 1 << 63; // full-size modulus
                } else {
                    n[k - 1] = u64::MAX; // top word all ones: the largest carries
                }
                let mut mont = Mont::new(&n);
                assert!(mont.adx);
                let mut x: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                let mut y: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                x[k - 1] &= n[k - 1] >> 1; // x, y < n
                y[k - 1] &= n[k - 1] >> 1;
                if round % 3 == 0 {
                    y = mont.minus_one.clone(); // n - R mod n: large operands
                }
                let (mut fast, mut portable) = (vec![0u64; k], vec![0u64; k]);
                assert!(mont.adx_product(&x, &y, false, &mut fast));
                let mut m = vec![0u64; k];
                mont_fips(&n, mont.ninv, &x, &y, false, &mut m, &mut portable);
                assert_eq!(fast, portable, "k={k} round={round}");
                assert!(mont.adx_product(&x, &x, false, &mut fast));
                mont_fips(&n, mont.ninv, &x, &x, true, &mut m, &mut portable);
                assert_eq!(fast, portable, "square k={k} round={round}");
            }
        }
    }

    /// The ADX square of `x` against the portable one and against BigUint (out·R ≡ x² mod n).
    #[cfg(target_arch = "x86_64")]
    fn check_adx_square(mont: &mut Mont, x: &[u64], what: &str) {
        let k = mont.n.len();
        let (mut fast, mut portable, mut m) = (vec![0u64; k], vec![0u64; k], vec![0u64; k]);
        assert!(mont.adx_product(x, x, true, &mut fast));
        mont_fips(&mont.n, mont.ninv, x, x, true, &mut m, &mut portable);
        assert_eq!(fast, portable, "{what}");
        let nb = to_big(&mont.n);
        let xb = to_big(x);
        assert!(to_big(&fast) < nb, "{what}");
        assert_eq!(
            (to_big(&fast) << (64 * k)) % &nb,
            (&xb * &xb) % &nb,
            "{what}"
        );
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn adx_squares_match_portable_ones() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        for k in [4usize, 8, 12, 16, 32] {
            if !adx_usable(k) {
                continue; // the CPU lacks BMI2/ADX: nothing to compare
            }
            for round in 0..300 {
                let mut n: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                n[0] |= 1;
                match round % 4 {
                    0 => n[k - 1] |= 1 << 63,       // full-size modulus
                    1 => n[k - 1] = u64::MAX,       // top word all ones: the largest carries
                    2 => n[k / 2..].fill(u64::MAX), // all-ones high half
                    _ => n.fill(u64::MAX),          // 2^(64k) - 1
                }
                let mut mont = Mont::new(&n);
                assert!(mont.adx);
                let mut x: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
                x[k - 1] &= n[k - 1] >> 1; // x < n
                check_adx_square(&mut mont, &x, &format!("k={k} round={round}"));
                if round % 10 == 0 {
                    let mut nm1 = n.clone();
                    nm1[0] -= 1;
                    let mut one = vec![0u64; k];
                    one[0] = 1;
                    let mut ones = vec![u64::MAX; k];
                    ones[k - 1] = n[k - 1] - 1; // all-ones words below n's top word
                    let edges = [
                        ("zero", vec![0u64; k]),
                        ("one", one),
                        ("n-1", nm1),
                        ("all ones", ones),
                        ("R mod n", mont.one.clone()),
                        ("n-R mod n", mont.minus_one.clone()),
                    ];
                    for (name, x) in edges {
                        check_adx_square(&mut mont, &x, &format!("k={k} round={round} {name}"));
                    }
                }
            }
        }
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn adx_square_refuses_what_it_cannot_run() {
        let n = vec![u64::MAX; 6]; // not a multiple of 4 words
        let (mut t, mut out) = (vec![0u64; 14], vec![7u64; 6]);
        assert!(!mont_adx::mont_sqr(&n, 1, &n, &mut t, &mut out));
        let n = vec![u64::MAX; 8];
        let (mut t, mut out) = (vec![0u64; 15], vec![7u64; 8]); // scratch below 2k
        assert!(!mont_adx::mont_sqr(&n, 1, &n, &mut t, &mut out));
        assert_eq!(out, [7u64; 8]);
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
    fn the_stepwise_api_refuses_what_is_no_search_state() {
        // What a host hands back could be anything: no panic, no endless loop, no verdict.
        assert_eq!(first_passing_base2_at(&[], &[0]), None);
        assert_eq!(first_passing_base2_at(&[4, 1], &[0, 1]), None); // even
        assert_eq!(first_passing_base2_at(&[5, 0], &[0, 1]), None); // top limb zero
        assert_eq!(first_passing_base2_at(&[7], &[0]), None); // 64 bits or fewer
        assert_eq!(first_passing_base2_at(&vec![1; 129], &[0]), None); // over 8192 bits
                                                                       // An offset that carries out of the top limb is no candidate.
        assert_eq!(first_passing_base2_at(&[u64::MAX, u64::MAX], &[1]), None);
        assert!(random_round_bases([1; 32], 0, &[4, 1]).is_empty());
        assert!(!passes_round(&[5, 1], &[3])); // lengths differ
        assert!(!passes_round(&[5, 1], &[5, 1])); // base not below n
        assert!(draw_prime_window([1; 32], 0, 63).is_err());
        assert!(draw_prime_window([1; 32], 0, 8193).is_err());
        assert!(matches!(key_from_primes(128, &[3, 1], &[3, 1]), Ok(None)));
        // A real window: its first passing candidate is found, and its rounds pass.
        let (window, end) = draw_prime_window([9; 32], 0, 256).expect("window");
        assert!(end > 0 && !window.offsets.is_empty());
        let i = first_passing_base2_at(&window.base, &window.offsets)
            .expect("a prime in 4096 odd numbers");
        let cand = window.candidate(i).expect("a candidate");
        let bases = random_round_bases([9; 32], end, &cand);
        assert!(!bases.is_empty() && bases.iter().all(|(a, _)| passes_round(&cand, a)));
        assert!(
            bases.windows(2).all(|w| w[0].1 < w[1].1),
            "positions advance"
        );
    }

    #[test]
    fn parallel_search_finds_the_first_passing_candidate() {
        // Odd numbers around 2^127: the first prime among them must be found whatever the
        // number of threads, so that a seeded key never depends on timing.
        let mut cands = Vec::new();
        let mut c = [1u64, 1u64 << 63];
        for _ in 0..400 {
            cands.push(c.to_vec());
            add_small(&mut c, 2);
        }
        let expect = cands.iter().position(|c| passes_base2(c));
        assert!(expect.is_some());
        for threads in 1..=4 {
            assert_eq!(first_passing_base2_on(&cands, threads), expect);
            let from = expect.unwrap() + 1;
            let next = cands[from..].iter().position(|c| passes_base2(c));
            assert_eq!(first_passing_base2_on(&cands[from..], threads), next);
        }
        assert_eq!(first_passing_base2_on(&cands[..expect.unwrap()], 2), None);
    }

    #[test]
    fn sieve_groups_cover_every_prime_once() {
        for (bits, largest) in [(1024, 524_287), (2048, 1_048_573)] {
            let sieve = sieve_primes(bits);
            let mut start = 0;
            for &(product, end) in &sieve.groups {
                let expect = sieve.primes[start..end]
                    .iter()
                    .try_fold(1u64, |acc, &p| acc.checked_mul(p as u64));
                assert_eq!(expect, Some(product));
                start = end;
            }
            assert_eq!(start, sieve.primes.len());
            // The largest primes below 2^19 and 2^20.
            assert_eq!(*sieve.primes.last().unwrap(), largest);
        }
    }

    #[test]
    fn divisor_remainders_match_division() {
        let mut rng = ChaCha20Rng::seed_from_u64(13);
        let mut ms = vec![3u64, 65537, 1 << 63, u64::MAX, (1 << 63) + 1, 3 << 62];
        ms.extend(sieve_primes(2048).groups.iter().take(50).map(|&(q, _)| q));
        for _ in 0..50 {
            ms.push(rng.next_u64() >> (rng.next_u64() % 60) | 1);
        }
        for &m in &ms {
            let div = Divisor::normalized(m);
            assert!(div.d >> 63 == 1 && div.d % m == 0, "m={m}");
            for round in 0..200 {
                let u1 = match round {
                    0 => 0,
                    1 => div.d - 1,
                    _ => rng.next_u64() % div.d,
                };
                let u0 = if round == 2 { u64::MAX } else { rng.next_u64() };
                let expect = ((u128::from(u1) << 64 | u128::from(u0)) % u128::from(div.d)) as u64;
                assert_eq!(div.rem(u1, u0), expect, "m={m} u1={u1} u0={u0}");
            }
        }
        // Whole numbers, four divisors at a time and the rest one by one.
        let divs: Vec<Divisor> = ms.iter().map(|&m| Divisor::normalized(m)).collect();
        for k in [0usize, 1, 2, 16, 32] {
            let mut c: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
            if k > 1 {
                c[k - 1] = u64::MAX; // top limb above every d
            }
            let mut out = Vec::new();
            residues(&c, &divs, &mut out);
            assert_eq!(out.len(), divs.len());
            for ((&m, div), &r) in ms.iter().zip(&divs).zip(&out) {
                assert_eq!(limbs_mod(&c, div.d), r, "k={k} m={m}");
                assert_eq!(r % m, limbs_mod(&c, m), "k={k} m={m}");
            }
        }
    }

    #[test]
    fn sieve_window_marks_exactly_the_multiples() {
        let mut rng = ChaCha20Rng::seed_from_u64(17);
        let sieve = group_primes(odd_primes_below(2000));
        for k in [1usize, 2, 4] {
            let mut c: Vec<u64> = (0..k).map(|_| rng.next_u64()).collect();
            c[0] |= 1;
            c[k - 1] >>= 1; // room for c + 2·WINDOW
            let composite = sieve_window_on(&c, &sieve, 1);
            for (i, &bad) in composite.iter().enumerate() {
                let mut x = c.clone();
                add_small(&mut x, 2 * i as u64);
                let divisible = sieve.primes.iter().any(|&p| limbs_mod(&x, p as u64) == 0);
                assert_eq!(bad, divisible, "k={k} i={i}");
            }
            // Split between threads (more threads than groups too): the same marks.
            for threads in [2, 3, 4, sieve.groups.len() + 1] {
                assert_eq!(
                    sieve_window_on(&c, &sieve, threads),
                    composite,
                    "threads={threads}"
                );
            }
        }
    }

    #[test]
    fn seeded_generation_is_deterministic() {
        let a = generate(&mut ChaCha20Rng::seed_from_u64(3), 512).expect("key");
        let b = generate(&mut ChaCha20Rng::seed_from_u64(3), 512).expect("key");
        assert_eq!(a.n(), b.n());
    }
}
