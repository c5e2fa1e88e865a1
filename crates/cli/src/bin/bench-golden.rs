//! Times `chartroom template` (whole processes) over every case of ../shared/golden and prints
//! per-chart and total times; with `--helm PATH` also times Helm on the same cases and prints
//! the ratio. Reports the peak resident memory of the largest case via /usr/bin/time.
//! With `--repeat N` every case runs N times (chartroom and Helm alternating) and the median
//! of each case counts: key generation makes single runs vary by 2x.
//!
//! Usage: cargo run --release -p chartroom --bin bench-golden -- [--golden DIR] [--helm PATH]
//!        [--bin PATH] [--only SUBSTR] [--repeat N]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Case {
    id: String,
    args: Vec<String>,
}

fn load_cases(golden: &Path, only: Option<&str>) -> Vec<Case> {
    let text = std::fs::read_to_string(golden.join("cases.tsv")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (id, args) = l.split_once('\t')?;
            if only.is_some_and(|o| !id.contains(o)) {
                return None;
            }
            Some(Case {
                id: id.to_string(),
                args: args.split_whitespace().map(|s| s.to_string()).collect(),
            })
        })
        .collect()
}

fn time_run(bin: &Path, case: &Case, dir: &Path) -> Duration {
    let start = Instant::now();
    let _ = Command::new(bin)
        .arg("template")
        .args(&case.args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    start.elapsed()
}

fn chart_of(id: &str) -> &str {
    match id.rfind("__") {
        Some(i) if id[..i].contains("__") => &id[..i],
        _ => id,
    }
}

fn peak_rss_kb(bin: &Path, case: &Case, dir: &Path) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(bin)
        .arg("template")
        .args(&case.args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines().last()?.trim().parse().ok()
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| {
        argv.iter()
            .position(|a| a == name)
            .and_then(|i| argv.get(i + 1).cloned())
    };
    let golden = PathBuf::from(opt("--golden").unwrap_or_else(|| "../shared/golden".into()));
    let golden = std::fs::canonicalize(&golden).unwrap_or(golden);
    let bin = opt("--bin").map(PathBuf::from).unwrap_or_else(|| {
        let me = std::env::current_exe().unwrap_or_default();
        me.with_file_name("chartroom")
    });
    let helm = opt("--helm").map(PathBuf::from);
    let only = opt("--only");
    let cases = load_cases(&golden, only.as_deref());
    if cases.is_empty() {
        eprintln!("no cases found under {}", golden.display());
        std::process::exit(1);
    }
    let mut per_chart: BTreeMap<String, (Duration, Duration)> = BTreeMap::new();
    let mut total = Duration::ZERO;
    let mut total_helm = Duration::ZERO;
    let repeat: usize = opt("--repeat")
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    for case in &cases {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for _ in 0..repeat {
            ours.push(time_run(&bin, case, &golden));
            if let Some(hb) = &helm {
                theirs.push(time_run(hb, case, &golden));
            }
        }
        let t = median(ours);
        total += t;
        let h = if theirs.is_empty() {
            Duration::ZERO
        } else {
            median(theirs)
        };
        total_helm += h;
        let e = per_chart.entry(chart_of(&case.id).to_string()).or_default();
        e.0 += t;
        e.1 += h;
    }
    println!(
        "{:<50} {:>12} {:>12} {:>8}",
        "chart", "chartroom ms", "helm ms", "ratio"
    );
    for (chart, (t, h)) in &per_chart {
        let ratio = if h.is_zero() {
            String::from("-")
        } else {
            format!("{:.2}", t.as_secs_f64() / h.as_secs_f64())
        };
        println!(
            "{:<50} {:>12.1} {:>12.1} {:>8}",
            chart,
            t.as_secs_f64() * 1000.0,
            h.as_secs_f64() * 1000.0,
            ratio
        );
    }
    println!(
        "total: {} cases, chartroom {:.2}s{}",
        cases.len(),
        total.as_secs_f64(),
        if helm.is_some() {
            format!(
                ", helm {:.2}s, ratio {:.3}",
                total_helm.as_secs_f64(),
                total.as_secs_f64() / total_helm.as_secs_f64().max(1e-9)
            )
        } else {
            String::new()
        }
    );
    // Peak memory of the largest case (by Helm's output size).
    let largest = cases.iter().max_by_key(|c| {
        std::fs::metadata(golden.join("expected").join(format!("{}.out", c.id)))
            .map(|m| m.len())
            .unwrap_or(0)
    });
    if let Some(c) = largest {
        match peak_rss_kb(&bin, c, &golden) {
            Some(kb) => println!("peak RSS of largest case {}: {} KiB", c.id, kb),
            None => println!("peak RSS: /usr/bin/time unavailable"),
        }
        if let Some(hb) = &helm {
            if let Some(kb) = peak_rss_kb(hb, c, &golden) {
                println!("helm peak RSS of largest case {}: {} KiB", c.id, kb);
            }
        }
    }
}
