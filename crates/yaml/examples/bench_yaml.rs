//! YAML decode and encode throughput on a multi-document file (e.g. a `chartroom template`
//! output), each document decoded as `yaml.Unmarshal` into an interface value and encoded back
//! with `toYaml`.
//!
//!     cargo run --release -p chartroom-yaml --example bench_yaml FILE.yaml [PASSES]

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench_yaml FILE.yaml [PASSES]");
        std::process::exit(2);
    };
    let passes: usize = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(20);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let docs: Vec<&str> = text.split("\n---").collect();
    let mb = text.len() as f64 / 1e6;
    let start = Instant::now();
    let mut values = Vec::new();
    for _ in 0..passes {
        values.clear();
        for d in &docs {
            if let Ok(v) = chartroom_yaml::from_yaml(d) {
                values.push(v);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "decode: {} documents, {:.1} MB/s",
        docs.len(),
        mb * passes as f64 / secs
    );
    let start = Instant::now();
    let mut out = 0;
    for _ in 0..passes {
        for v in &values {
            out += chartroom_yaml::to_yaml(v).map(|s| s.len()).unwrap_or(0);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("encode: {:.1} MB/s of output", out as f64 / 1e6 / secs);
}
