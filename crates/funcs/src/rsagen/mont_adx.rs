//! Montgomery multiplication with the x86-64 BMI2/ADX instructions (`mulx`, `adcx`, `adox`),
//! used by the RSA prime search when the CPU has them.
//!
//! Operand scanning (CIOS): for each word b[i], t += a·b[i], then t += m·n with m chosen so
//! the low word vanishes, and t shifts down one word. `adcx` and `adox` keep two independent
//! carry chains (one adds the old t[j], the other the previous product's high word), which the
//! portable code cannot express: the portable product-scanning code needs ~1 ns per word
//! product here, this loop about half of that (docs/notes/perf.md).
//!
//! Squares (nearly all of the Miller-Rabin work) take a separate path, [`mont_sqr`]: the cross
//! products a[i]·a[j], i < j, once, then doubled with the squares a[i]² added, then a separate
//! reduction; a quarter fewer word products than [`mont_mul`].

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
        || k % 4 != 0
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

/// One word of the doubling pass: rdx = a[i], (r9, r8) = a[i]², then t[2i] and t[2i+1] (at
/// rdi + T_OFF) are doubled on the CF chain (`adcx x, x` shifts the whole number left by one
/// bit) and get the square's halves on the OF chain.
macro_rules! diag_step {
    ($a_off:literal, $t_off:literal, $t_off_hi:literal) => {
        concat!(
            "mov rdx, qword ptr [rsi + ",
            $a_off,
            "]\n",
            "mulx r9, r8, rdx\n",
            "mov r10, qword ptr [rdi + ",
            $t_off,
            "]\n",
            "adcx r10, r10\n",
            "adox r10, r8\n",
            "mov qword ptr [rdi + ",
            $t_off,
            "], r10\n",
            "mov r10, qword ptr [rdi + ",
            $t_off_hi,
            "]\n",
            "adcx r10, r10\n",
            "adox r10, r9\n",
            "mov qword ptr [rdi + ",
            $t_off_hi,
            "], r10\n",
        )
    };
}

/// t[0..len] += a[0..len]·b, then t[len] = the row's carry word, for any len >= 1 (the rows
/// of a square's cross products have every length from 1 to k - 1). The 4-word loop is
/// entered in the middle (Duff's device): the pointers move back by `back` = (4 - len mod 4)
/// mod 4 words and the first block starts at word `back`, so that block counts as a full one.
///
/// # Safety
/// `t` must be valid for reads and writes of len + 1 words, `a` for reads of len words, t[len]
/// must be zero (it is stored, not added to), and the CPU must support BMI2 and ADX.
#[inline(always)]
unsafe fn row_cross(t: *mut u64, a: *const u64, b: u64, len: usize) {
    let back = (4 - len % 4) % 4;
    let blocks = len.div_ceil(4);
    // SAFETY: the caller guarantees the pointer ranges and the CPU features. The pointers are
    // moved back by `back` words, but the entry at word `back` only touches offsets 8·back
    // and up, so the asm reads t[0..len] and a[0..len], writes t[0..len + 1] and nothing else.
    unsafe {
        core::arch::asm!(
            "shl rax, 3",
            "sub rsi, rax",
            "sub rdi, rax",
            // The comparisons set CF/OF, so every entry clears them (and both high-word
            // registers) with `xor` after its branch; `jmp` leaves them alone.
            "cmp rax, 8",
            "je 7f",
            "cmp rax, 16",
            "je 8f",
            "cmp rax, 24",
            "je 9f",
            "xor r8d, r8d",
            "xor r10d, r10d",
            "2:",
            word_step!("0", "+ 0", "r10", "r8"),
            "4:",
            word_step!("8", "+ 8", "r8", "r10"),
            "5:",
            word_step!("16", "+ 16", "r10", "r8"),
            "6:",
            word_step!("24", "+ 24", "r8", "r10"),
            next_block!(),
            "jmp 2b",
            "7:",
            "xor r8d, r8d",
            "xor r10d, r10d",
            "jmp 4b",
            "8:",
            "xor r8d, r8d",
            "xor r10d, r10d",
            "jmp 5b",
            "9:",
            "xor r8d, r8d",
            "xor r10d, r10d",
            "jmp 6b",
            "3:",
            // rdi points at t[len]. The row's sum fits len + 1 words (t[0..len] < 2^(64·len)
            // and a·b < 2^(64·(len + 1)) - 2^(64·len)), so hi + CF + OF does not overflow.
            "mov r9d, 0",
            "adcx r8, r9",
            "adox r8, r9",
            "mov qword ptr [rdi], r8",
            inout("rax") back => _,
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

/// t[0..2k] = 2·t[0..2k] + Σ a[i]²·2^(128·i): turns the cross products of a square into the
/// square, for k a positive multiple of 4 and 2·t + the squares < 2^(128·k) (true when t holds
/// the cross products of a, so neither carry chain leaves the top word).
///
/// # Safety
/// `t` must be valid for reads and writes of 2k words, `a` for reads of k words, and the CPU
/// must support BMI2 and ADX.
#[inline(always)]
unsafe fn double_add_squares(t: *mut u64, a: *const u64, blocks: usize) {
    // SAFETY: the caller guarantees the pointer ranges and the CPU features; block j reads
    // a[4j..4j+4] and reads and writes t[8j..8j+8], j < blocks = k / 4.
    unsafe {
        core::arch::asm!(
            "xor r8d, r8d",
            "2:",
            diag_step!("0", "0", "8"),
            diag_step!("8", "16", "24"),
            diag_step!("16", "32", "40"),
            diag_step!("24", "48", "56"),
            "lea rsi, [rsi + 32]",
            "lea rdi, [rdi + 64]",
            "lea rcx, [rcx - 1]",
            "jrcxz 3f",
            "jmp 2b",
            "3:",
            inout("rsi") a => _,
            inout("rdi") t => _,
            inout("rcx") blocks => _,
            out("rdx") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            options(nostack),
        );
    }
}

/// One row of a separate Montgomery reduction: t[0..k] += m·n, then the row's carry word
/// (high word + CF + OF, which fits a word) and the previous rows' carry `carry` are added to
/// t[k]; returns the carry out of t[k] (0 or 1), which belongs to t[k + 1] and is passed to
/// the next row instead of being propagated. k is a positive multiple of 4.
///
/// # Safety
/// `t` must be valid for reads and writes of k + 1 words, `n` for reads of k words, and the
/// CPU must support BMI2 and ADX.
#[inline(always)]
unsafe fn row_reduce_sos(t: *mut u64, n: *const u64, m: u64, blocks: usize, carry: u64) -> u64 {
    let mut carry = carry;
    // SAFETY: the caller guarantees the pointer ranges and the CPU features; the asm reads
    // n[0..k], reads and writes t[0..k + 1] (k = 4·blocks) and the registers it declares.
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
            // rdi points at t[k]: t[k] += (r8 + CF + OF) + carry, carry = the carry out.
            "mov r9d, 0",
            "adcx r8, r9",
            "adox r8, r9",
            "add r8, r11",
            "mov r11d, 0",
            "adc r11, 0",
            "add qword ptr [rdi], r8",
            "adc r11, 0",
            inout("rdx") m => _,
            inout("rsi") n => _,
            inout("rdi") t => _,
            inout("rcx") blocks => _,
            inout("r11") carry,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            options(nostack),
        );
    }
    carry
}

/// out = a²·R⁻¹ mod n for a < n, k = n.len() a positive multiple of 4, `t` scratch of at
/// least 2k words. Squaring first, reduction after (SOS): each cross product a[i]·a[j], i < j,
/// is computed once and the sum doubled, k(k-1)/2 + k + k² word products instead of the 2k² of
/// [`mont_mul`]. Returns false (and leaves `out` alone) if the sizes do not fit or the CPU
/// lacks BMI2/ADX, so callers can fall back to other code.
pub fn mont_sqr(n: &[u64], ninv: u64, a: &[u64], t: &mut [u64], out: &mut [u64]) -> bool {
    let k = n.len();
    if k == 0 || k % 4 != 0 || a.len() < k || t.len() < 2 * k || out.len() < k || !available() {
        return false;
    }
    let t = &mut t[..2 * k];
    t.fill(0);
    let blocks = k / 4;
    for i in 0..k - 1 {
        // Row i: t[2i+1..i+k] += a[i]·a[i+1..k], carry word to t[i+k] (still zero: earlier
        // rows reach t[i+k-1] at most).
        // SAFETY: t has 2k words and a at least k (checked above), so t[2i+1..=i+k] and
        // a[i+1..k] are in range; `available()` confirmed BMI2 and ADX.
        unsafe {
            row_cross(
                t.as_mut_ptr().add(2 * i + 1),
                a.as_ptr().add(i + 1),
                a[i],
                k - 1 - i,
            )
        };
    }
    // SAFETY: t has 2k words, a at least k = 4·blocks; BMI2 and ADX checked above. t holds
    // the cross products of a, so 2·t + the squares = a² < 2^(128·k).
    unsafe { double_add_squares(t.as_mut_ptr(), a.as_ptr(), blocks) };
    let mut carry = 0;
    for i in 0..k {
        let m = t[i].wrapping_mul(ninv);
        // SAFETY: row i touches t[i..=i+k] ⊂ t[..2k] and n[0..k] (lengths checked above,
        // k = 4·blocks); BMI2 and ADX checked above.
        carry = unsafe { row_reduce_sos(t.as_mut_ptr().add(i), n.as_ptr(), m, blocks, carry) };
    }
    // a² + Σ m_i·n·2^(64i) = (t[k..2k] + carry·R)·R, which is below 2n.
    let out = &mut out[..k];
    out.copy_from_slice(&t[k..]);
    if carry != 0 || super::geq(out, n) {
        super::sub_in_place(out, n);
    }
    true
}
