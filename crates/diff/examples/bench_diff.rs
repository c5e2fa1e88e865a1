//! Times `chartroom diff` on the golden chart with the largest rendered output: both renders,
//! the comparison, and the values attribution (one probe render per changed key), each the
//! median of several runs, in one process.
//!
//! Usage: cargo run --release -p chartroom-diff --example bench_diff -- [GOLDEN_DIR] [RUNS]
//! (GOLDEN_DIR defaults to ../shared/golden beside the repository.)

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chartroom_diff::{attribute_values, diff_releases, DiffOptions};
use chartroom_render::{render_release, ChartSource, RenderRequest, Seed, ValueSource};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let golden = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(9);
    let Ok(cases) = std::fs::read_to_string(golden.join("cases.tsv")) else {
        println!(
            "bench_diff: no golden data at {} (skipped)",
            golden.display()
        );
        return;
    };
    // The chart whose default render is largest (Helm's recorded output).
    let mut best: Option<(u64, String, Vec<String>)> = None;
    for line in cases.lines() {
        let Some((id, rest)) = line.split_once('\t') else {
            continue;
        };
        if id.ends_with("__enabled") || id.ends_with("__flags") {
            continue;
        }
        let size = std::fs::metadata(golden.join("expected").join(format!("{id}.out")))
            .map(|m| m.len())
            .unwrap_or(0);
        if best.as_ref().is_none_or(|(s, _, _)| size > *s) {
            best = Some((
                size,
                id.to_string(),
                rest.split_whitespace().map(String::from).collect(),
            ));
        }
    }
    let Some((size, id, case_args)) = best else {
        println!("bench_diff: no cases");
        return;
    };
    let chart = golden.join(&case_args[1]).to_string_lossy().into_owned();
    let enabled = golden.join("values").join(format!("{id}__enabled.yaml"));
    let mut old = RenderRequest::new(ChartSource::Path(chart));
    old.release_name = Some(case_args[0].clone());
    old.seed = Some(Seed::Number(1));
    old.now = Some((1_700_000_000, 0));
    // As `chartroom diff` renders: the documents the render parsed are kept for the diff.
    old.keep_parsed = true;
    let mut new = old.clone();
    // The new side: the __enabled values, or a replica count change.
    let new_values = match std::fs::read_to_string(&enabled) {
        Ok(text) => text,
        Err(_) => "replicaCount: 3\n".to_string(),
    };
    new.values
        .push(ValueSource::YamlText("new.yaml".into(), new_values));
    let opts = DiffOptions {
        context: 3,
        ..Default::default()
    };

    let (mut t_old, mut t_new, mut t_diff, mut t_attr) = (vec![], vec![], vec![], vec![]);
    let mut t_full = vec![];
    let mut summary = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let a = render_release(&old).expect("old side renders");
        t_old.push(t.elapsed());
        let t = Instant::now();
        let b = match render_release(&new) {
            Ok(b) => b,
            Err(_) => render_release(&old).expect("renders"),
        };
        t_new.push(t.elapsed());
        let t = Instant::now();
        let mut d = diff_releases(&a, &b, &opts).expect("diffs");
        t_diff.push(t.elapsed());
        let t = Instant::now();
        attribute_values(&old, &new, &a, &b, &mut d, &opts);
        t_attr.push(t.elapsed());
        // The worst case for the comparison itself: every manifest's text differs (a trailing
        // comment), so every resource is compared field by field.
        let mut touched = b.clone();
        for m in &mut touched.manifests {
            m.text.push_str("# touched\n");
        }
        let t = Instant::now();
        let full = diff_releases(&a, &touched, &opts).expect("diffs");
        t_full.push(t.elapsed());
        assert_eq!(full.summary.modified, d.summary.modified);
        summary = format!(
            "{} resources: +{} -{} ~{} ={}",
            a.manifests.len() + a.hooks.len(),
            d.summary.added,
            d.summary.removed,
            d.summary.modified,
            d.summary.unchanged
        );
    }
    println!("bench_diff: {id} (Helm's default output {size} bytes), median of {runs} runs");
    println!("  {summary}");
    println!("  render old side          {}", ms(median(t_old)));
    println!("  render new side          {}", ms(median(t_new)));
    println!("  diff (beyond the renders) {}", ms(median(t_diff)));
    println!("  values attribution       {}", ms(median(t_attr)));
    println!(
        "  diff, every resource compared field by field {}",
        ms(median(t_full))
    );
}
