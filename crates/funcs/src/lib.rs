//! Helm's template function library: Sprig v3 as Helm 4 registers it, plus Helm's own
//! encoding functions (`toYaml`, `fromJson`, `toToml`...). Functions that need the render
//! context (`include`, `tpl`, `required`, `lookup`) live in the render crate.

//!
//! - [`sprig`]: Sprig's string, list, dict, math, regexp, path and URL functions.
//! - [`crypto`] (keys, certificates; RSA primes in `rsagen`), [`semver`], [`dates`] (over
//!   [`gotime`]), [`encoding`] (base32, hashes, bcrypt, AES...), [`helm`] (`toYaml`,
//!   `fromJson`...), [`toml`] (`fromToml`): the rest of Sprig and Helm's own functions,
//!   registered with their Go parameter types by [`registry`].
//! - [`rng`]: the one random generator (seeded from the OS, or explicitly) and clock.

pub mod crypto;
pub mod dates;
pub mod der;
pub mod encoding;
pub mod go_path;
pub mod gotime;
pub mod helm;
pub mod registry;
pub mod rng;
pub mod rsagen;
pub mod semver;
pub mod sprig;
pub mod toml;

use chartroom_template::FuncMap;

pub use rng::{set_clock, set_entropy_source, set_now, set_seed, set_seed_bytes};

/// Every function of this crate, keyed by its template name.
pub fn helm_functions() -> FuncMap {
    let mut funcs = FuncMap::new();
    sprig::register(&mut funcs);
    registry::register(&mut funcs);
    rng::scope_random_functions(&mut funcs);
    funcs
}
