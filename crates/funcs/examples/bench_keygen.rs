//! RSA key generation speed (what `genCA`, `genSignedCert`, `genSelfSignedCert` and
//! `genPrivateKey "rsa"` spend their time on), with a fixed seed so runs compare.
//!
//!     cargo run --release -p chartroom-funcs --example bench_keygen [KEYS] [SEED]
//!
//! Prints the mean time per 2048-bit and per 4096-bit key over KEYS keys of each size
//! (default 20). Prime search has a large variance, so compare means over the same seed.

use std::time::Instant;

use chartroom_funcs::{crypto, rng};

fn main() {
    let mut args = std::env::args().skip(1);
    let keys: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    for bits in [2048usize, 4096] {
        rng::set_seed(Some(seed));
        let start = Instant::now();
        for _ in 0..keys {
            if let Err(e) = crypto::generate_key("rsa", bits) {
                eprintln!("keygen failed: {e}");
                std::process::exit(1);
            }
        }
        let per_key = start.elapsed().as_secs_f64() / keys as f64;
        println!(
            "{bits}-bit: {keys} keys, {:.1} ms per key",
            per_key * 1000.0
        );
    }
}
