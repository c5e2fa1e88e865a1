//! The one source of randomness and of the current time for every function in this crate.
//!
//! Both are per thread and can be fixed: `set_seed(Some(n))` makes every random function
//! (`randAlphaNum`, `uuidv4`, key generation...) deterministic, and `set_now(Some(..))` pins
//! `now`. Without a seed the generator is seeded once from whatever entropy the platform
//! offers without extra dependencies (clock, hasher keys, addresses). On
//! wasm32-unknown-unknown there is no clock and no OS entropy in `std`, so the host should call
//! `set_seed` (e.g. from `crypto.getRandomValues`) and `set_clock` (from `Date.now()`).

use std::cell::{Cell, RefCell};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

/// A wall-clock source: Unix seconds and nanoseconds.
pub type Clock = fn() -> (i64, u32);

thread_local! {
    static RNG: RefCell<Option<ChaCha20Rng>> = const { RefCell::new(None) };
    static FIXED_NOW: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
    static CLOCK: Cell<Option<Clock>> = const { Cell::new(None) };
    static START: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
}

/// Fixes the random generator to `seed`, or (with `None`) reseeds it from entropy.
pub fn set_seed(seed: Option<u64>) {
    let rng = match seed {
        Some(s) => ChaCha20Rng::seed_from_u64(s),
        None => ChaCha20Rng::from_seed(entropy_seed()),
    };
    RNG.with(|r| *r.borrow_mut() = Some(rng));
}

/// Fixes the random generator to a 256-bit seed (e.g. one drawn once and shared by the two
/// renders of a diff).
pub fn set_seed_bytes(seed: [u8; 32]) {
    RNG.with(|r| *r.borrow_mut() = Some(ChaCha20Rng::from_seed(seed)));
}

/// Drops a fixed seed: the next random call seeds the generator from entropy again.
pub fn forget_seed() {
    RNG.with(|r| *r.borrow_mut() = None);
}

/// Runs `f` with the thread's generator (seeding it from entropy on first use).
pub fn with_rng<R>(f: impl FnOnce(&mut ChaCha20Rng) -> R) -> R {
    RNG.with(|r| {
        let mut slot = r.borrow_mut();
        let rng = slot.get_or_insert_with(|| ChaCha20Rng::from_seed(entropy_seed()));
        f(rng)
    })
}

/// Fills `buf` with random bytes from the thread's generator.
pub fn fill_bytes(buf: &mut [u8]) {
    with_rng(|r| r.fill_bytes(buf));
}

/// A uniformly distributed number in `0..n` (`n > 0`), without modulo bias.
pub fn below(n: u64) -> u64 {
    if n <= 1 {
        return 0;
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

fn entropy_seed() -> [u8; 32] {
    use std::hash::{BuildHasher, Hasher};
    let mut seed = [0u8; 32];
    let local = 0u8;
    let (secs, nanos) = now();
    let parts = [
        secs as u64,
        nanos as u64,
        &local as *const u8 as usize as u64,
        entropy_seed as *const () as usize as u64,
    ];
    for (i, chunk) in seed.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(parts[i]);
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    seed
}
