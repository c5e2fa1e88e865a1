//! Montgomery products on 32-bit limbs, for wasm32: WebAssembly has a 64-bit multiply
//! (`i64.mul`) but no 64×64→128 one, so each `u128` product of the 64-bit-limb code becomes a
//! call to `__multi3` (several multiplications and a call). A 32×32→64 product is one
//! `i64.mul`: four times as many word products, each several times cheaper (docs/notes/perf.md,
//! "wasm").
//!
//! The modulus and operands stay `u64` limbs everywhere else (the same `Mont` as on other
//! targets); a product splits its operands into 32-bit halves (little-endian, so the value is
//! the same number with twice the limbs and the same R = 2^(64·k) = 2^(32·2k)) and joins the
//! result. The result is fully reduced (< n), as the 64-bit code's is, so both give the same
//! number for the same operands: every Miller-Rabin verdict, and so every generated key, is
//! the same on every target (a test runs this code natively against the 64-bit code).
//!
//! (Product scanning with the low and high halves of the word products summed apart, which
//! needs no carry tests, measured the same in V8: 2.7 s for eight 2048-bit keys either way.)
//!
//! Products are "finely integrated operand scanning": for each word b[i], one pass adds
//! a·b[i] and m·n (m chosen so the low word vanishes) to t and shifts it down a word, the two
//! carry chains in two 64-bit variables (a 32×32 product plus two 32-bit words never overflows
//! 64 bits). Squares (nearly all of the prime search) compute each cross product once, double
//! them, add the squares, and reduce separately: 1.5·k² word products instead of 2·k².

/// -n⁻¹ mod 2³² for the low word of odd n, from the 64-bit inverse's low half.
pub(super) fn ninv32(ninv64: u64) -> u32 {
    ninv64 as u32
}

/// `n` as 32-bit limbs (little-endian).
pub(super) fn split(n: &[u64]) -> Vec<u32> {
    let mut out = Vec::with_capacity(2 * n.len());
    for &w in n {
        out.push(w as u32);
        out.push((w >> 32) as u32);
    }
    out
}

fn split_into(x: &[u64], out: &mut [u32]) {
    for (i, &w) in x.iter().enumerate() {
        out[2 * i] = w as u32;
        out[2 * i + 1] = (w >> 32) as u32;
    }
}

fn join_into(x: &[u32], out: &mut [u64]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = x[2 * i] as u64 | (x[2 * i + 1] as u64) << 32;
    }
}

/// out = a·b·R⁻¹ mod n (a², when `square`), for a, b < n, on the 64-bit limbs `a`, `b`,
/// `out` with `n32` the modulus as 32-bit limbs. `scratch` holds at least 4·len(n32) words
/// (used for sizes other than 32 and 64 limbs).
pub(super) fn product(
    n32: &[u32],
    ninv: u32,
    a: &[u64],
    b: &[u64],
    square: bool,
    scratch: &mut [u32],
    out: &mut [u64],
) {
    match n32.len() {
        32 => product_fixed::<32>(n32, ninv, a, b, square, out),
        64 => product_fixed::<64>(n32, ninv, a, b, square, out),
        k => {
            let (a32, rest) = scratch.split_at_mut(k);
            let (b32, rest) = rest.split_at_mut(k);
            let t = rest;
            split_into(a, a32);
            if square {
                sqr_sos(n32, ninv, a32, t);
            } else {
                split_into(b, b32);
                mul_fios(n32, ninv, a32, b32, t);
            }
            join_into(&t[..k], out);
        }
    }
}

/// `product` for K 32-bit limbs exactly (constant loop bounds).
fn product_fixed<const K: usize>(
    n32: &[u32],
    ninv: u32,
    a: &[u64],
    b: &[u64],
    square: bool,
    out: &mut [u64],
) {
    let mut a32 = [0u32; K];
    split_into(&a[..K / 2], &mut a32);
    // Room for the double-width square (the product only uses K + 2 words).
    let mut t = [[0u32; K]; 2];
    let Ok(n) = <&[u32; K]>::try_from(&n32[..K]) else {
        return;
    };
    if square {
        sqr_sos_fixed::<K>(n, ninv, &a32, &mut t);
    } else {
        let mut b32 = [0u32; K];
        split_into(&b[..K / 2], &mut b32);
        mul_fios_fixed::<K>(n, ninv, &a32, &b32, &mut t[0]);
    }
    join_into(&t[0], &mut out[..K / 2]);
}

/// a >= b for equal-length little-endian limbs.
#[inline(always)]
fn geq(a: &[u32], b: &[u32]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// a -= b (the borrow out of the top limb is dropped: callers know a >= b, or that the
/// dropped top word makes up for it).
#[inline(always)]
fn sub_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (x, &y) in a.iter_mut().zip(b) {
        let d = (*x as u64).wrapping_sub(y as u64).wrapping_sub(borrow);
        *x = d as u32;
        borrow = (d >> 63) & 1;
    }
}

/// t[..k] = a·b·R⁻¹ mod n (t has k + 2 words or more).
fn mul_fios(n: &[u32], ninv: u32, a: &[u32], b: &[u32], t: &mut [u32]) {
    let k = n.len();
    t[..k + 1].fill(0);
    let mut top = 0u32;
    for &bi in b.iter().take(k) {
        top = fios_row(n, ninv, a, bi as u64, &mut t[..k], top);
    }
    if top != 0 || geq(&t[..k], n) {
        sub_in_place(&mut t[..k], n);
    }
}

fn mul_fios_fixed<const K: usize>(
    n: &[u32; K],
    ninv: u32,
    a: &[u32; K],
    b: &[u32; K],
    t: &mut [u32; K],
) {
    *t = [0; K];
    let mut top = 0u32;
    for &bi in b.iter() {
        top = fios_row(n, ninv, a, bi as u64, t, top);
    }
    if top != 0 || geq(t, n) {
        sub_in_place(t, n);
    }
}

/// One row: (t + top·2^(32k) + a·bi + m·n) / 2³² into t, returning the new top word (0 or 1
/// for a, b < n: the running value stays below 2n).
#[inline(always)]
fn fios_row(n: &[u32], ninv: u32, a: &[u32], bi: u64, t: &mut [u32], top: u32) -> u32 {
    let k = t.len();
    let s = t[0] as u64 + a[0] as u64 * bi;
    let mut c1 = s >> 32;
    let lo = s as u32;
    let m = lo.wrapping_mul(ninv) as u64;
    let mut c2 = (lo as u64 + m * n[0] as u64) >> 32; // the low word is zero
    for j in 1..k {
        let s = t[j] as u64 + a[j] as u64 * bi + c1;
        c1 = s >> 32;
        let s2 = (s & 0xffff_ffff) + m * n[j] as u64 + c2;
        c2 = s2 >> 32;
        t[j - 1] = s2 as u32;
    }
    let s = top as u64 + c1 + c2;
    t[k - 1] = s as u32;
    (s >> 32) as u32
}

/// t[..k] = a²·R⁻¹ mod n, `t` at least 2k words: the square, then the reduction.
fn sqr_sos(n: &[u32], ninv: u32, a: &[u32], t: &mut [u32]) {
    let k = n.len();
    let t = &mut t[..2 * k];
    square_into(a, t);
    let top = reduce(n, ninv, t);
    finish(n, t, top);
}

fn sqr_sos_fixed<const K: usize>(n: &[u32; K], ninv: u32, a: &[u32; K], t: &mut [[u32; K]; 2]) {
    let t = t.as_flattened_mut();
    square_into(a, t);
    let top = reduce(n, ninv, t);
    finish(n, t, top);
}

/// t (2k words) = a²: cross products once, doubled, plus the squares of each word.
#[inline(always)]
fn square_into(a: &[u32], t: &mut [u32]) {
    let k = a.len();
    t.fill(0);
    // Cross products a[i]·a[j], i < j, row by row.
    for i in 0..k {
        let ai = a[i] as u64;
        let mut c = 0u64;
        for j in i + 1..k {
            let s = t[i + j] as u64 + ai * a[j] as u64 + c;
            t[i + j] = s as u32;
            c = s >> 32;
        }
        t[i + k] = c as u32;
    }
    // Double and add the squares.
    let mut carry = 0u64;
    for i in 0..k {
        let sq = a[i] as u64 * a[i] as u64;
        let lo = t[2 * i] as u64;
        let hi = t[2 * i + 1] as u64;
        let s = (lo << 1) + (sq & 0xffff_ffff) + carry;
        t[2 * i] = s as u32;
        let s2 = (hi << 1) + (sq >> 32) + (s >> 32);
        t[2 * i + 1] = s2 as u32;
        carry = s2 >> 32;
    }
    // The top bit of each doubled word went into the next: (lo << 1) keeps it as bit 32 of s,
    // added into the next word through s >> 32.
}

/// Montgomery reduction of the 2k-word t in place: afterwards t[k..2k] (plus the returned
/// top word) is t·R⁻¹, below 2n.
#[inline(always)]
fn reduce(n: &[u32], ninv: u32, t: &mut [u32]) -> u32 {
    let k = n.len();
    // The carry out of each row's top word rides into the next row's top word.
    let mut hi = 0u64;
    for i in 0..k {
        let m = t[i].wrapping_mul(ninv) as u64;
        let mut c = 0u64;
        for j in 0..k {
            let s = t[i + j] as u64 + m * n[j] as u64 + c;
            t[i + j] = s as u32;
            c = s >> 32;
        }
        let s = t[i + k] as u64 + c + hi;
        t[i + k] = s as u32;
        hi = s >> 32;
    }
    hi as u32
}

/// Moves the reduced value t[k..2k] (with its top word) down to t[..k], below n.
#[inline(always)]
fn finish(n: &[u32], t: &mut [u32], top: u32) {
    let k = n.len();
    t.copy_within(k..2 * k, 0);
    if top != 0 || geq(&t[..k], n) {
        sub_in_place(&mut t[..k], n);
    }
}
