//! Throughput of schema validation: loads each bundled pack (timed), then lints every file
//! given (e.g. ../shared/golden/expected/*.out) several times with the 1.37 pack, normal and
//! strict, and prints resources per second and the slowest file.
//!
//! `cargo run --release -p chartroom-lint --example lint-bench -- FILE...`

use std::time::{Duration, Instant};

use chartroom_lint::{lint_manifests, packs, Options};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    for v in packs::VERSIONS {
        let t = Instant::now();
        match packs::load_bundled(v) {
            Ok(p) => println!(
                "pack {v}: {} bytes gzip, {} schema files, loaded in {:.1} ms",
                packs::bundled(v).map_or(0, <[u8]>::len),
                p.kind_count(),
                t.elapsed().as_secs_f64() * 1e3
            ),
            Err(e) => {
                eprintln!("{v}: {e}");
                std::process::exit(2);
            }
        }
    }
    let pack = match packs::load_bundled(packs::DEFAULT_VERSION) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut inputs = Vec::new();
    for f in &files {
        match std::fs::read(f) {
            Ok(d) => inputs.push((f.clone(), d)),
            Err(e) => {
                eprintln!("{f}: {e}");
                std::process::exit(2);
            }
        }
    }
    // The YAML reading alone, for comparison.
    let start = Instant::now();
    let mut docs = 0;
    for (_, data) in &inputs {
        for piece in chartroom_render::manifest::split_manifests(data) {
            if let Ok(text) = std::str::from_utf8(piece) {
                if chartroom_yaml::from_yaml(text).is_ok() {
                    docs += 1;
                }
            }
        }
    }
    println!(
        "YAML reading only: {docs} documents in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    for strict in [false, true] {
        let opts = Options {
            strict,
            formats: true,
        };
        let rounds = 3;
        let mut resources = 0;
        let mut slowest = (Duration::ZERO, String::new());
        let start = Instant::now();
        let mut by_rule = std::collections::BTreeMap::new();
        for rounds_done in 0..rounds {
            for (name, data) in &inputs {
                let t = Instant::now();
                let r = lint_manifests(&pack, name, data, &opts);
                let el = t.elapsed();
                if el > slowest.0 {
                    slowest = (el, name.clone());
                }
                resources += r.summary.resources;
                if rounds_done == 0 {
                    for f in r
                        .findings
                        .iter()
                        .filter(|f| f.rule != "schema" && f.rule != "no-schema")
                    {
                        if !strict {
                            println!(
                                "  {name}: {} {} {}#{:?} {}: {}",
                                f.rule,
                                f.kind.as_deref().unwrap_or("-"),
                                f.file.as_deref().unwrap_or("-"),
                                f.document,
                                f.path,
                                f.message
                            );
                        }
                    }
                    for f in &r.findings {
                        *by_rule.entry(f.rule.clone()).or_insert(0usize) += 1;
                    }
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}: {resources} resources in {secs:.2} s = {:.0} resources/s (YAML parse included); slowest file {:.1} ms ({})",
            if strict { "strict" } else { "normal" },
            resources as f64 / secs,
            slowest.0.as_secs_f64() * 1e3,
            slowest.1
        );
        println!("  findings by rule: {by_rule:?}");
    }
}
