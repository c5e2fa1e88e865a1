//! Lints one file over and over (for a profiler), then prints the best time of one lint.
//!
//! `cargo run --release -p chartroom-lint --example lint-profile -- FILE [ROUNDS] [--strict] [--lint-only]`
//! (`--lint-only`: no breakdown by stage after the lint rounds).

/// The `chartroom` binary's allocator (see the dev-dependency).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use chartroom_lint::{lint_manifests, packs, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: lint-profile FILE [ROUNDS] [--strict]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(50);
    let strict = args.iter().any(|a| a == "--strict");
    let data = match std::fs::read(file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::exit(2);
        }
    };
    let t = Instant::now();
    let pack = match packs::load_bundled(packs::DEFAULT_VERSION) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("pack loaded in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let opts = Options {
        strict,
        formats: false,
    };
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let r = lint_manifests(&pack, file, &data, &opts);
        best = best.min(t.elapsed().as_secs_f64());
        n = r.findings.len();
    }
    println!(
        "{} bytes: {:.2} ms (best of {rounds}), {n} findings",
        data.len(),
        best * 1e3
    );
    if !args.iter().any(|a| a == "--lint-only") {
        breakdown(&pack, &data, rounds, &opts);
    }
}

/// Best-of times of the stages lint runs, each on its own: splitting, go-yaml's reading, the
/// JSON step, schema validation (CRD schemas converted first).
fn breakdown(pack: &chartroom_lint::SchemaPack, data: &[u8], rounds: usize, opts: &Options) {
    let best = |f: &mut dyn FnMut()| {
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let t = Instant::now();
            f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        best * 1e3
    };
    let pieces = chartroom_render::manifest::split_manifests(data);
    let texts: Vec<&str> = pieces
        .iter()
        .filter_map(|p| std::str::from_utf8(p).ok())
        .collect();
    let split = best(&mut || {
        std::hint::black_box(chartroom_render::manifest::split_manifests(data));
    });
    let go: Vec<_> = texts
        .iter()
        .filter_map(|t| chartroom_yaml::from_yaml_go(t).ok().flatten())
        .collect();
    let read_go = best(&mut || {
        for t in &texts {
            let _ = std::hint::black_box(chartroom_yaml::from_yaml_go(t));
        }
    });
    let json = best(&mut || {
        for g in &go {
            let _ = std::hint::black_box(chartroom_yaml::go_to_value(g));
        }
    });
    let docs: Vec<_> = go
        .iter()
        .filter_map(|g| chartroom_yaml::go_to_value(g).ok())
        .collect();
    let mut crds = chartroom_lint::CrdSchemas::default();
    let crd_ms = best(&mut || {
        let mut c = chartroom_lint::CrdSchemas::default();
        for d in &docs {
            let _ = c.add(d);
        }
        crds = c;
    });
    let origin = chartroom_lint::Origin::default();
    let validate = best(&mut || {
        for d in &docs {
            std::hint::black_box(chartroom_lint::validate_with_crds(
                pack, &crds, d, &origin, opts,
            ));
        }
    });
    println!(
        "split {split:.2} ms; go-yaml read {read_go:.2} ms; JSON step {json:.2} ms; \
         CRD schemas (all) {crd_ms:.2} ms; validation {validate:.2} ms"
    );
}
