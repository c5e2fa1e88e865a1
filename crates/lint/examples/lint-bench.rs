//! Throughput of schema validation: loads each bundled pack (timed), then lints every file
//! given (e.g. ../shared/golden/expected/*.out) several times with the 1.37 pack, normal and
//! strict, and prints resources per second and the slowest file.
//!
//! `cargo run --release -p chartroom-lint --example lint-bench -- [--threads N] FILE...`
//! (`--threads N`: a last run over all files, each linted on its own, on N threads, printed
//! as `RESULT threads= resources= seconds= rate=` for scripts/bench-lint.py).

/// The `chartroom` binary's allocator (see the dev-dependency).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

use chartroom_lint::{lint_manifests, packs, Options};

fn main() {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    // `--threads N`: also time lint_files_on over all files on N threads.
    let threads = match files.iter().position(|a| a == "--threads") {
        Some(i) if i + 1 < files.len() => {
            let n = files[i + 1].parse().unwrap_or(1);
            files.drain(i..i + 2);
            n
        }
        _ => 0,
    };
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
    // Validation only, every file's documents read beforehand (CRDs of each file collected,
    // then every document validated), best of 3.
    let parsed: Vec<Vec<chartroom_template::Value>> = inputs
        .iter()
        .map(|(_, data)| {
            chartroom_render::manifest::split_manifests(data)
                .into_iter()
                .filter_map(|p| std::str::from_utf8(p).ok())
                .filter_map(|t| chartroom_yaml::from_yaml(t).ok())
                .filter(|v| !matches!(v, chartroom_template::Value::Nil))
                .collect()
        })
        .collect();
    let count: usize = parsed.iter().map(Vec::len).sum();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        for docs in &parsed {
            let crds = crds_for(docs);
            let origin = chartroom_lint::Origin::default();
            for d in docs {
                chartroom_lint::validate_with_crds(&pack, &crds, d, &origin, &Options::default());
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "validation only: {count} resources in {best:.3} s = {:.0} resources/s (documents already read, best of 3)",
        count as f64 / best
    );
    // Per file, best of 5 (the lint of one chart's rendered output, YAML reading included).
    let opts = Options::default();
    let mut per_file: Vec<(f64, usize, &str)> = inputs
        .iter()
        .map(|(name, data)| {
            let mut best = f64::MAX;
            let mut n = 0;
            for _ in 0..5 {
                let t = Instant::now();
                n = lint_manifests(&pack, name, data, &opts).summary.resources;
                best = best.min(t.elapsed().as_secs_f64());
            }
            (best, n, name.as_str())
        })
        .collect();
    per_file.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (secs, n, name) in per_file.iter().take(3) {
        println!("slowest: {:.1} ms, {n} resources: {name}", secs * 1e3);
    }
    if let Some((name, data)) = inputs.iter().max_by_key(|(_, d)| d.len()) {
        let best = per_file.iter().find(|p| p.2 == name).map_or(0.0, |p| p.0);
        println!(
            "largest file: {} bytes, {:.1} ms (best of 5): {name}",
            data.len(),
            best * 1e3
        );
        // Its documents read once, then only validated (CRDs collected, schemas checked).
        let docs: Vec<chartroom_template::Value> =
            chartroom_render::manifest::split_manifests(data)
                .into_iter()
                .filter_map(|p| std::str::from_utf8(p).ok())
                .filter_map(|t| chartroom_yaml::from_yaml(t).ok())
                .collect();
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let crds = crds_for(&docs);
            let origin = chartroom_lint::Origin::default();
            for d in &docs {
                chartroom_lint::validate_with_crds(&pack, &crds, d, &origin, &opts);
            }
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "largest file, documents already read: {:.1} ms (best of 5) for {} documents",
            best * 1e3,
            docs.len()
        );
    }
    if threads > 0 {
        // Each file on its own (as separate charts are), on `threads` threads.
        let t = Instant::now();
        let counts = chartroom_lint::run::in_parallel(inputs.len(), threads, |i| {
            let (name, data) = &inputs[i];
            lint_manifests(&pack, name, data, &opts).summary.resources
        });
        let secs = t.elapsed().as_secs_f64();
        let resources: usize = counts.iter().sum();
        println!(
            "RESULT threads={threads} resources={resources} seconds={secs:.4} rate={:.0}",
            resources as f64 / secs
        );
    }
}

/// The CRD schemas lint converts for these documents: those of kinds some document has.
fn crds_for(docs: &[chartroom_template::Value]) -> chartroom_lint::CrdSchemas {
    let head = |d: &chartroom_template::Value| -> Option<(String, String)> {
        let chartroom_template::Value::Map(m, _) = d else {
            return None;
        };
        let m = m.borrow();
        let api = m.get("apiVersion")?.as_str()?;
        let kind = m.get("kind")?.as_str()?;
        let group = api.rsplit_once('/').map_or("", |(g, _)| g);
        Some((group.to_string(), kind.to_string()))
    };
    let kinds: std::collections::HashSet<(String, String)> = docs.iter().filter_map(head).collect();
    let mut crds = chartroom_lint::CrdSchemas::default();
    for d in docs {
        let _ = crds.add_if(d, |g, k| kinds.contains(&(g.to_string(), k.to_string())));
    }
    crds
}
