//! Montgomery products on 28-bit limbs, for wasm32. WebAssembly has a 64-bit multiply
//! (`i64.mul`) but no 64×64→128 one (each `u128` product of the 64-bit-limb code is a call to
//! `__multi3`); its SIMD has `i64x2.extmul_{low,high}_i32x4_u`, two 32×32→64 products per
//! instruction. With 28-bit limbs a word product is below 2^56, so a whole column of them (up
//! to 2·120 products and the carry) sums in one `u64` without a carry test, and a column is a
//! plain dot product: on wasm32 four products a step in SIMD. That is ~1.3× the word products
//! of 32-bit limbs (74 limbs for a 2048-bit prime instead of 64) at a fraction of the cost of
//! each: 4096-bit keys twice as fast in V8 as the 32-bit-limb operand scanning this replaced
//! (docs/notes/perf.md, "wasm").
//!
//! The numbers are the same as the 64-bit code's, only written in another base: a `Mont`
//! that uses this module keeps its modulus, R = 2^(28·l) mod n, R² and every value in
//! Montgomery form in 28-bit limbs, and converts at its edges (an operand in ordinary form
//! coming in, a result going out). Results are fully reduced, so every exponentiation, every
//! Miller-Rabin verdict and so every generated key is the same on every target (tests run
//! this code natively against the 64-bit code; natively `dot` is a scalar loop).
//!
//! Products are "finely integrated product scanning": column by column, the a·b products of
//! the column and the m·n products of the reduction multipliers chosen so far are summed, the
//! column's multiplier is chosen so its low limb vanishes, and the sum moves down a limb.
//! Squares sum each cross product once and double it.

/// Bits per limb.
pub(super) const BITS: u32 = 28;
const MASK: u64 = (1 << BITS) - 1;
/// The most limbs a column sum can hold: 2·l products below 2^56 plus a carry below 2^36
/// stay below 2^64 for l up to 127; larger moduli (above 3,360 bits) take the 64-bit code.
pub(super) const MAX_LIMBS: usize = 120;

/// How many 28-bit limbs a modulus of `bits` bits takes.
pub(super) fn limbs_for_bits(bits: usize) -> usize {
    bits.div_ceil(BITS as usize).max(1)
}

/// `x` (64-bit limbs, little-endian) as `len` 28-bit limbs; bits beyond them are dropped
/// (callers pass values below the modulus).
pub(super) fn from_limbs64(x: &[u64], len: usize) -> Vec<u64> {
    let mut out = vec![0u64; len];
    for (i, o) in out.iter_mut().enumerate() {
        let bit = i * BITS as usize;
        let (w, s) = (bit / 64, (bit % 64) as u32);
        let lo = x.get(w).map_or(0, |v| v >> s);
        let hi = if s + BITS > 64 {
            x.get(w + 1).map_or(0, |v| v << (64 - s))
        } else {
            0
        };
        *o = (lo | hi) & MASK;
    }
    out
}

/// `x` (28-bit limbs) as `k` 64-bit limbs.
pub(super) fn to_limbs64(x: &[u64], k: usize) -> Vec<u64> {
    let mut out = vec![0u64; k];
    for (i, &v) in x.iter().enumerate() {
        let bit = i * BITS as usize;
        let (w, s) = (bit / 64, (bit % 64) as u32);
        if let Some(o) = out.get_mut(w) {
            *o |= v << s;
        }
        if s + BITS > 64 {
            if let Some(o) = out.get_mut(w + 1) {
                *o |= v >> (64 - s);
            }
        }
    }
    out
}

/// -n⁻¹ mod 2²⁸ from -n⁻¹ mod 2⁶⁴ (n odd).
pub(super) fn ninv28(ninv64: u64) -> u64 {
    ninv64 & MASK
}

/// a >= b for equal-length little-endian limbs.
#[inline(always)]
fn geq(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// a -= b on 28-bit limbs (the borrow out of the top limb is dropped: callers know a >= b,
/// or that a dropped top word makes up for it).
#[inline(always)]
pub(super) fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = x.wrapping_sub(y).wrapping_sub(borrow);
        *x = d & MASK;
        borrow = d >> 63;
    }
}

/// x = 2·x mod n, for x < n.
pub(super) fn double(n: &[u64], x: &mut [u64]) {
    let mut carry = 0u64;
    for l in x.iter_mut() {
        let d = (*l << 1) | carry;
        *l = d & MASK;
        carry = d >> BITS;
    }
    if carry != 0 || geq(x, n) {
        sub_in_place(x, n);
    }
}

/// The modulus (28-bit limbs) as `u32`s, forwards then backwards: what [`product`] takes.
pub(super) fn forwards_and_backwards(n: &[u64]) -> Vec<u32> {
    let forwards = n.iter().map(|&w| w as u32);
    forwards.clone().chain(forwards.rev()).collect()
}

/// How many `u32`s of scratch [`product`] needs for l limbs.
pub(super) fn scratch_len(l: usize) -> usize {
    3 * l
}

/// out = a·b·R⁻¹ mod n (a²·R⁻¹ when `square`), for a, b < n as l 28-bit limbs, l <=
/// [`MAX_LIMBS`], with `n2` = [`forwards_and_backwards`]\(n) and `scratch` of
/// [`scratch_len`]\(l) words.
///
/// The operands are copied into `u32`s, b reversed (a reversed for a square) as n is in `n2`,
/// so that each column sum Σ x[j]·y[c-j] is a dot product of two slices read forwards: on
/// wasm32 it runs on SIMD (`i64x2.extmul_*_i32x4_u`, two 32×32→64 products per instruction).
/// (Zero padding so that every dot product is a multiple of four long, with no scalar tail,
/// measured 20-30% slower in V8.)
pub(super) fn product(
    n2: &[u32],
    ninv: u64,
    a: &[u64],
    b: &[u64],
    square: bool,
    scratch: &mut [u32],
    out: &mut [u64],
) {
    let (n32, nrev) = n2.split_at(n2.len() / 2);
    let l = n32.len();
    let (a32, rest) = scratch.split_at_mut(l);
    let (rev, rest) = rest.split_at_mut(l);
    let m = &mut rest[..l];
    let other = if square { a } else { b };
    for j in 0..l {
        a32[j] = a[j] as u32;
        rev[l - 1 - j] = other[j] as u32;
    }
    fips(n32, nrev, ninv, a32, rev, square, m, out);
}

/// What [`dot`] needs besides its slices: on wasm32 an all-ones vector the compiler cannot
/// see through (`black_box`), ANDed into each loaded vector. Without it LLVM folds the
/// widening into the loads (`v128.load32x2_u`) and multiplies with `i64x2.mul`, which V8
/// emulates with three 32-bit multiplies and shifts; `extmul` is one `pmuludq` and two
/// unpacks (4096-bit keys: 2.26 s → 1.61 s for two in Node).
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Copy)]
struct DotKeep(core::arch::wasm32::v128);
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy)]
struct DotKeep;

impl DotKeep {
    #[inline(always)]
    fn new() -> DotKeep {
        #[cfg(target_arch = "wasm32")]
        {
            DotKeep(core::hint::black_box(core::arch::wasm32::u32x4_splat(
                u32::MAX,
            )))
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            DotKeep
        }
    }
}

// Both `dot`s index in plain loops: the package builds with opt-level "z" for wasm, where
// iterator adapters (`zip`, `chunks_exact`) stayed calls per element (30× slower keys).

/// Σ x[i]·y[i] over two equal-length slices.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn dot(x: &[u32], y: &[u32], _keep: DotKeep) -> u64 {
    let len = x.len().min(y.len());
    let (x, y) = (&x[..len], &y[..len]);
    let mut s = 0u64;
    let mut i = 0;
    while i < len {
        s += x[i] as u64 * y[i] as u64;
        i += 1;
    }
    s
}

/// Σ x[i]·y[i] over two equal-length slices, eight products per step in two `i64x2` sums.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn dot(x: &[u32], y: &[u32], keep: DotKeep) -> u64 {
    use core::arch::wasm32::{
        i64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane,
        u64x2_splat, v128, v128_and, v128_load,
    };
    /// Four elements from `p[at..at + 4]` as one vector.
    #[inline(always)]
    fn four(p: &[u32], at: usize, keep: DotKeep) -> v128 {
        let four = &p[at..at + 4];
        // SAFETY: `four` is four in-bounds u32s (16 bytes, checked by the slicing above), and
        // wasm's v128.load has no alignment requirement.
        let v = unsafe { v128_load(four.as_ptr().cast::<v128>()) };
        v128_and(v, keep.0)
    }
    let len = x.len().min(y.len());
    let (mut acc0, mut acc1) = (u64x2_splat(0), u64x2_splat(0));
    let mut i = 0;
    while i + 8 <= len {
        let (p, q) = (four(x, i, keep), four(y, i, keep));
        let (p1, q1) = (four(x, i + 4, keep), four(y, i + 4, keep));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(p, q));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(p, q));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(p1, q1));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(p1, q1));
        i += 8;
    }
    if i + 4 <= len {
        let (p, q) = (four(x, i, keep), four(y, i, keep));
        acc0 = i64x2_add(acc0, u64x2_extmul_low_u32x4(p, q));
        acc1 = i64x2_add(acc1, u64x2_extmul_high_u32x4(p, q));
        i += 4;
    }
    let acc = i64x2_add(acc0, acc1);
    let mut s = u64x2_extract_lane::<0>(acc) + u64x2_extract_lane::<1>(acc);
    while i < len {
        s += x[i] as u64 * y[i] as u64;
        i += 1;
    }
    s
}

/// Column c of a·b (a² when `square`) over j in from..to: Σ a[j]·rev[l-1-c+j], `rev` being
/// the second operand reversed. A square sums each cross product a[j]·a[c-j] (j < c - j)
/// once, doubled, then the square of the middle limb.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn column(
    a: &[u32],
    rev: &[u32],
    square: bool,
    c: usize,
    from: usize,
    to: usize,
    keep: DotKeep,
) -> u64 {
    // rev[l-1-c+j] for j = from: never below zero (from = 0 in the first l columns, c + 1 - l
    // after), though l-1-c alone is in the others.
    let start = rev.len() - 1 + from - c;
    if square {
        let mid = c.div_ceil(2).min(to);
        let mut s = 0;
        if from < mid {
            s = 2 * dot(&a[from..mid], &rev[start..start + (mid - from)], keep);
        }
        if c % 2 == 0 && c / 2 >= from && c / 2 < to {
            s += a[c / 2] as u64 * a[c / 2] as u64;
        }
        s
    } else {
        dot(&a[from..to], &rev[start..start + (to - from)], keep)
    }
}

/// The finely integrated product scanning itself, on `u32` limbs: `rev` is b reversed (a
/// reversed for a square), `nrev` n reversed; `m` receives the l reduction multipliers.
/// Column c of a·b is Σ a[j]·b[c-j] = Σ a[j]·rev[l-1-c+j]; the reduction's Σ m[j]·n[c-j] =
/// Σ m[j]·nrev[l-1-c+j].
#[allow(clippy::too_many_arguments)]
fn fips(
    n: &[u32],
    nrev: &[u32],
    ninv: u64,
    a: &[u32],
    rev: &[u32],
    square: bool,
    m: &mut [u32],
    out: &mut [u64],
) {
    let l = n.len();
    let keep = DotKeep::new();
    let mut acc = 0u64;
    for c in 0..l {
        acc += column(a, rev, square, c, 0, c + 1, keep);
        acc += dot(&m[..c], &nrev[l - 1 - c..l - 1], keep);
        let mc = ((acc & MASK) * ninv) & MASK;
        m[c] = mc as u32;
        acc += mc * n[0] as u64;
        acc >>= BITS; // the low limb is now zero
    }
    for c in l..2 * l - 1 {
        acc += column(a, rev, square, c, c + 1 - l, l, keep);
        acc += dot(&m[c + 1 - l..l], &nrev[..2 * l - 1 - c], keep);
        out[c - l] = acc & MASK;
        acc >>= BITS;
    }
    out[l - 1] = acc & MASK;
    let top = acc >> BITS;
    let out = &mut out[..l];
    let at_least_n = || {
        for i in (0..l).rev() {
            if out[i] != n[i] as u64 {
                return out[i] > n[i] as u64;
            }
        }
        true
    };
    if top != 0 || at_least_n() {
        let mut borrow = 0u64;
        for (x, &y) in out.iter_mut().zip(n) {
            let d = x.wrapping_sub(y as u64).wrapping_sub(borrow);
            *x = d & MASK;
            borrow = d >> 63;
        }
    }
}
