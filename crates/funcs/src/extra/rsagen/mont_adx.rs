//! Montgomery multiplication with the x86-64 BMI2/ADX instructions (`mulx`, `adcx`, `adox`),
//! used by the RSA prime search when the CPU has them.
//!
//! Operand scanning (CIOS): for each word b[i], t += a·b[i], then t += m·n with m chosen so
//! the low word vanishes, and t shifts down one word. `adcx` and `adox` keep two independent
//! carry chains (one adds the old t[j], the other the previous product's high word), which the
//! portable code cannot express: the portable product-scanning code needs ~1 ns per word
//! product here, this loop about half of that (docs/notes/perf.md).

/// One word of a row: `mulx` a[j]·rdx into (r9, HI_OUT), add t[j] on the CF chain and the
/// previous high word HI_IN on the OF chain, store at rdi STORE (a signed displacement). Offsets are from rsi (a or n) and
/// rdi (t); the two high-word registers alternate between r8 and r10.
macro_rules! word_step {
    ($off:literal, $store:literal, $hi_out:literal, $hi_in:literal) => {
        concat!(
            "mulx ",
            $hi_out,
            ", r9, qword ptr [rsi + ",
            $off,
            "]\n",
            "adcx r9, qword ptr [rdi + ",
            $off,
            "]\n",
            "adox r9, ",
            $hi_in,
            "\n",
            "mov qword ptr [rdi ",
            $store,
            "], r9\n",
        )
    };
}

/// Advances rsi and rdi by four words and counts a block down; jumps to `3f` after the last
/// one (`lea` and `jrcxz` leave CF and OF alone).
macro_rules! next_block {
    () => {
        concat!(
            "lea rsi, [rsi + 32]\n",
            "lea rdi, [rdi + 32]\n",
            "lea rcx, [rcx - 1]\n",
            "jrcxz 3f\n",
        )
    };
}

/// After a row: r8 (the last high word) + CF + OF as the two-word value r9:r8, ending both
/// carry chains (hi + CF cannot overflow: a high word is at most 2^64 - 2).
macro_rules! fold_carries {
    () => {
        concat!(
            "mov r9, 0\n",
            "mov r10, 0\n",
            "adcx r8, r9\n",
            "adox r10, r9\n",
            "add r8, r10\n",
            "mov r9, 0\n",
            "adc r9, 0\n",
        )
    };
}

/// Whether this CPU can run [`mont_mul`].
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("adx")
}

/// t[0..k+2] += a[0..k]·b, for k a positive multiple of 4.
///
/// # Safety
/// `t` must be valid for reads and writes of k + 2 words, `a` for reads of k words, and the
/// CPU must support BMI2 and ADX.
#[inline(always)]
unsafe fn row_mul_add(t: *mut u64, a: *const u64, b: u64, blocks: usize) {
    // SAFETY: the caller guarantees the pointer ranges and the CPU features; the asm touches
    // only t[0..k+2] and a[0..k] (k = 4·blocks) and the registers it declares.
    unsafe {
        core::arch::asm!(
            "xor r8d, r8d",
            "2:",
            word_step!("0", "+ 0", "r10", "r8"),
            word_step!("8", "+ 8", "r8", "r10"),
            word_step!("16", "+ 16", "r10", "r8"),
            word_step!("24", "+ 24", "r8", "r10"),
            next_block!(),
            "jmp 2b",
            "3:",
            // rdi points at t[k]: t[k] += r8, t[k+1] += r9 + carry.
            fold_carries!(),
            "add qword ptr [rdi], r8",
            "adc qword ptr [rdi + 8], r9",
            inout("rdx") b => _,
            inout("rsi") a => _,
            inout("rdi") t => _,
            inout("rcx") blocks => _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            options(nostack),
        );
    }
}

/// t = (t + m·n) / 2^64 over k + 2 words (the low word of t + m·n is zero by the choice of m),
/// for k a positive multiple of 4; t[k+1] becomes 0.
///
/// # Safety
/// As for [`row_mul_add`], with `n` for reads of k words.
#[inline(always)]
unsafe fn row_reduce(t: *mut u64, n: *const u64, m: u64, blocks: usize) {
    // SAFETY: as in `row_mul_add`; stores go to t[j - 1] after t[j - 1] was read.
    unsafe {
        core::arch::asm!(
            "xor r8d, r8d",
            // First block: by the choice of m, word 0's sum is 0 mod 2^64; only its carries
            // matter, so it is not stored. Word j is stored at t[j - 1] (the shift).
            "mulx r10, r9, qword ptr [rsi]",
            "adcx r9, qword ptr [rdi]",
            "adox r9, r8",
            word_step!("8", "+ 0", "r8", "r10"),
            word_step!("16", "+ 8", "r10", "r8"),
            word_step!("24", "+ 16", "r8", "r10"),
            next_block!(),
            "2:",
            word_step!("0", "- 8", "r10", "r8"),
            word_step!("8", "+ 0", "r8", "r10"),
            word_step!("16", "+ 8", "r10", "r8"),
            word_step!("24", "+ 16", "r8", "r10"),
            next_block!(),
            "jmp 2b",
            "3:",
            // rdi points at t[k]: t[k-1] = t[k] + hi + CF + OF, t[k] = t[k+1] + carry.
            fold_carries!(),
            "mov r10, qword ptr [rdi]",
            "add r10, r8",
            "mov qword ptr [rdi - 8], r10",
            "mov r10, qword ptr [rdi + 8]",
            "adc r10, r9",
            "mov qword ptr [rdi], r10",
            "mov qword ptr [rdi + 8], 0",
            inout("rdx") m => _,
            inout("rsi") n => _,
            inout("rdi") t => _,
            inout("rcx") blocks => _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            options(nostack),
        );
    }
}

/// out = a·b·R⁻¹ mod n for a, b < n, k = n.len() a positive multiple of 4, `t` scratch of at
/// least k + 2 words. Returns false (and leaves `out` alone) if the sizes do not fit or the
/// CPU lacks BMI2/ADX, so callers can fall back to portable code.
pub fn mont_mul(
    n: &[u64],
    ninv: u64,
    a: &[u64],
    b: &[u64],
    t: &mut [u64],
    out: &mut [u64],
) -> bool {
    let k = n.len();
    if k == 0
        || !k.is_multiple_of(4)
        || a.len() < k
        || b.len() < k
        || t.len() < k + 2
        || out.len() < k
        || !available()
    {
        return false;
    }
    let t = &mut t[..k + 2];
    t.fill(0);
    let blocks = k / 4;
    for &bi in &b[..k] {
        // SAFETY: lengths checked above (t has k + 2 words, a and n at least k), k = 4·blocks,
        // and `available()` confirmed BMI2 and ADX.
        unsafe {
            row_mul_add(t.as_mut_ptr(), a.as_ptr(), bi, blocks);
            let m = t[0].wrapping_mul(ninv);
            row_reduce(t.as_mut_ptr(), n.as_ptr(), m, blocks);
        }
    }
    let out = &mut out[..k];
    out.copy_from_slice(&t[..k]);
    if t[k] != 0 || super::geq(out, n) {
        super::sub_in_place(out, n);
    }
    true
}
