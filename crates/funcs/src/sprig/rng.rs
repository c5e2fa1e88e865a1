//! The random source behind Sprig's `shuffle` and `randInt`.
//!
//! Helm draws these from Go's `math/rand` global source, which Go seeds randomly at start-up,
//! so Helm's output differs from run to run and cannot be reproduced. Here they draw from the
//! crate's one per-thread generator ([`crate::rng`]), so a single
//! `extra::rng::set_seed(Some(n))` (or [`seed`]) makes every random function repeatable, as a
//! resource-aware diff needs.

/// Fixes the crate's random generator (shared with `randAlphaNum`, `uuidv4`...) to `seed`.
pub fn seed(seed: u64) {
    crate::rng::set_seed(Some(seed));
}

/// A uniform integer in `[0, n)` (0 when `n` is 0 or 1); an error when no random source is
/// available.
pub fn intn(n: u64) -> Result<u64, String> {
    crate::rng::below(n)
}
