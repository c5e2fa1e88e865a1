//! The one source of randomness and of the current time for every function in this crate.
//!
//! Both are per thread and can be fixed. Randomness comes from a ChaCha20 generator:
//! - unseeded (the default), it is seeded on first use with 256 bits from the operating system
//!   (`getrandom`), so generated passwords and keys are as unpredictable as Helm's, which draws
//!   them from Go's `crypto/rand`. If the operating system cannot deliver, every random
//!   function fails with [`NO_ENTROPY`]'s text; there is no weaker fallback.
//! - `set_seed(Some(n))` (tests, `--seed`) or [`set_seed_bytes`] (one 256-bit seed a front end
//!   draws with [`entropy_seed`] and reuses, e.g. for the two renders of a diff) make every
//!   random function (`randAlphaNum`, `uuidv4`, key generation...) deterministic.
//!
//! wasm32-unknown-unknown has no operating-system entropy (and this crate does not link
//! `getrandom` there, so nothing can fall back silently): the host installs a source with
//! [`set_entropy_source`] (the wasm bindings read `crypto.getRandomValues`); without one,
//! random functions fail. `set_now(Some(..))` pins `now`, and `set_clock` installs a clock
//! where `std` has none.

use std::cell::{Cell, RefCell};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A wall-clock source: Unix seconds and nanoseconds.
pub type Clock = fn() -> (i64, u32);

/// A source of 32 secure random bytes, installed by a host that has no operating-system
/// entropy (or wants its own). Returns a readable reason when it cannot deliver.
pub type EntropySource = fn(&mut [u8; 32]) -> Result<(), String>;

/// The start of every error a random function returns when no secure seed can be had.
pub const NO_ENTROPY: &str = "no secure random source";

thread_local! {
    static RNG: RefCell<Option<ChaCha20Rng>> = const { RefCell::new(None) };
    static ENTROPY: Cell<Option<EntropySource>> = const { Cell::new(None) };
    static FIXED_NOW: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
    static CLOCK: Cell<Option<Clock>> = const { Cell::new(None) };
    static START: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
}

/// Fixes the random generator to `seed` (tests, `--seed`), or (with `None`) drops the current
/// state so the next random function seeds it afresh from entropy.
pub fn set_seed(seed: Option<u64>) {
    RNG.with(|r| *r.borrow_mut() = seed.map(ChaCha20Rng::seed_from_u64));
}

/// Fixes the random generator to a full 256-bit seed, e.g. one drawn once with
/// [`entropy_seed`] and reused so that two renders produce the same random values.
pub fn set_seed_bytes(seed: [u8; 32]) {
    RNG.with(|r| *r.borrow_mut() = Some(ChaCha20Rng::from_seed(seed)));
}

/// Installs (or with `None` removes) the thread's entropy source. Where one is installed it is
/// used instead of the operating system's.
pub fn set_entropy_source(source: Option<EntropySource>) {
    ENTROPY.with(|e| e.set(source));
}

/// 256 fresh bits from the installed entropy source or else the operating system; an error
/// (starting with [`NO_ENTROPY`]) when neither can deliver.
pub fn entropy_seed() -> Result<[u8; 32], String> {
    let mut seed = [0u8; 32];
    match ENTROPY.with(|e| e.get()) {
        Some(source) => source(&mut seed).map_err(|e| format!("{NO_ENTROPY}: {e}"))?,
        None => os_entropy(&mut seed)?,
    }
    Ok(seed)
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn os_entropy(seed: &mut [u8; 32]) -> Result<(), String> {
    getrandom::fill(seed)
        .map_err(|e| format!("{NO_ENTROPY}: the operating system's random generator failed: {e}"))
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn os_entropy(_seed: &mut [u8; 32]) -> Result<(), String> {
    Err(format!(
        "{NO_ENTROPY}: wasm32-unknown-unknown has no operating-system entropy and the host \
         installed no entropy source"
    ))
}

/// Seeds the thread's generator from entropy if it is not seeded yet. Once this succeeds,
/// random functions on this thread cannot fail until `set_seed(None)`.
pub fn ready() -> Result<(), String> {
    with_rng(|_| ())
}

/// Runs `f` with the thread's generator, seeding it from entropy on first use; an error when
/// no secure seed can be had.
pub fn with_rng<R>(f: impl FnOnce(&mut ChaCha20Rng) -> R) -> Result<R, String> {
    RNG.with(|r| {
        let mut slot = r.borrow_mut();
        let rng = match &mut *slot {
            Some(rng) => rng,
            empty => empty.insert(ChaCha20Rng::from_seed(entropy_seed()?)),
        };
        Ok(f(rng))
    })
}

/// Fills `buf` with random bytes from the thread's generator.
pub fn fill_bytes(buf: &mut [u8]) -> Result<(), String> {
    with_rng(|r| r.fill_bytes(buf))
}

/// A uniformly distributed number in `0..n` (`n > 0`), without modulo bias.
pub fn below(n: u64) -> Result<u64, String> {
    if n <= 1 {
        return Ok(0);
    }
    let zone = u64::MAX - (u64::MAX % n);
    with_rng(|r| loop {
        let v = r.next_u64();
        if v < zone {
            return v % n;
        }
    })
}

/// Pins the wall clock (`now`, `ago`, `durationRound` of a date) to a Unix time in seconds and
/// nanoseconds, or (with `None`) releases it.
pub fn set_now(now: Option<(i64, u32)>) {
    FIXED_NOW.with(|c| c.set(now));
}

/// Installs the wall-clock source used where `std` has none (wasm32-unknown-unknown).
pub fn set_clock(clock: Option<Clock>) {
    CLOCK.with(|c| c.set(clock));
}

/// The current Unix time (seconds, nanoseconds).
pub fn now() -> (i64, u32) {
    if let Some(t) = FIXED_NOW.with(|c| c.get()) {
        return t;
    }
    if let Some(clock) = CLOCK.with(|c| c.get()) {
        return clock();
    }
    system_now()
}

/// Seconds since the first clock reading of this thread, for Go's `m=+0.001` monotonic
/// suffix when a `now` value is printed.
pub fn monotonic(t: (i64, u32)) -> f64 {
    let start = START.with(|s| match s.get() {
        Some(v) => v,
        None => {
            s.set(Some(t));
            t
        }
    });
    (t.0 - start.0) as f64 + (t.1 as f64 - start.1 as f64) / 1e9
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn system_now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            if d.subsec_nanos() == 0 {
                (-(d.as_secs() as i64), 0)
            } else {
                (-(d.as_secs() as i64) - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn system_now() -> (i64, u32) {
    (0, 0)
}
