//! Parse and execute throughput on real chart templates, read at run time from a chart
//! archive (never copied into the repository).
//!
//!     cargo run --release -p chartroom-template --example bench_parse [CHART.tgz]
//!
//! Default chart: `../shared/golden/charts/bitnami__kube-prometheus.tgz` beside the repository
//! root. Functions the
//! templates call (Sprig, Helm) are registered as stubs so parsing succeeds; execution is
//! measured on the templates that need no functions at all, plus a synthetic template.
//! Rates use process CPU time where /proc is available (robust on a shared machine).

use std::io::Read;
use std::time::Instant;

use chartroom_template::*;

/// Minimal ustar/GNU tar reader: (path, contents) of regular files.
fn untar(data: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut long_name: Option<String> = None;
    while pos + 512 <= data.len() {
        let h = &data[pos..pos + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let cstr = |b: &[u8]| {
            let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
            String::from_utf8_lossy(&b[..end]).into_owned()
        };
        let size_str = cstr(&h[124..136]);
        let size = usize::from_str_radix(size_str.trim(), 8).unwrap_or(0);
        let typ = h[156];
        let mut name = cstr(&h[0..100]);
        let prefix = cstr(&h[345..500]);
        if !prefix.is_empty() {
            name = format!("{prefix}/{name}");
        }
        let body = &data[pos + 512..(pos + 512 + size).min(data.len())];
        match typ {
            b'L' => long_name = Some(cstr(body)),
            b'0' | 0 => {
                let n = long_name.take().unwrap_or(name);
                out.push((n, String::from_utf8_lossy(body).into_owned()));
            }
            _ => long_name = None,
        }
        pos += 512 + size.div_ceil(512) * 512;
    }
    out
}

/// Process CPU seconds (user + system) from /proc on Linux, so numbers stay meaningful on a
/// loaded machine; `None` elsewhere.
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Runs `f` repeatedly for about `secs` of wall time; returns (iterations, seconds), where
/// seconds is CPU time when available.
fn measure(secs: f64, mut f: impl FnMut()) -> (u64, f64) {
    let c0 = cpu_secs();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs || n == 0 {
        f();
        n += 1;
    }
    let wall = start.elapsed().as_secs_f64();
    match (c0, cpu_secs()) {
        (Some(a), Some(b)) if b - a >= 0.2 => (n, b - a),
        _ => (n, wall),
    }
}

fn stub() -> Function {
    Function::new(&[], Some(ArgType::Any), |_, _| Ok(Value::str("")))
}

/// `--check-all DIR`: parses every template of every chart archive in DIR (functions stubbed)
/// and reports parse errors; the golden charts all render with Helm, so there should be none.
fn check_all(dir: &str) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tgz"))
        .collect();
    entries.sort();
    let (mut charts, mut files_n, mut errors) = (0, 0, 0);
    for p in entries {
        let mut gz = Vec::new();
        if std::fs::File::open(&p)
            .and_then(|f| flate2::read::GzDecoder::new(f).read_to_end(&mut gz))
            .is_err()
        {
            continue;
        }
        charts += 1;
        let mut funcs = FuncMap::new();
        for (name, text) in untar(&gz)
            .into_iter()
            .filter(|(n, _)| n.contains("/templates/"))
        {
            files_n += 1;
            loop {
                let mut s = TemplateSet::new();
                s.add_funcs(funcs.clone());
                match s.parse(&name, &text) {
                    Ok(()) => break,
                    Err(e) => {
                        let m = e.to_string();
                        match m
                            .split("function \"")
                            .nth(1)
                            .and_then(|r| r.split('"').next())
                        {
                            Some(f) if m.ends_with("not defined") => {
                                funcs.insert(f.to_string(), stub());
                            }
                            _ => {
                                errors += 1;
                                println!("{}: {m}", p.display());
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    println!("{charts} charts, {files_n} template files, {errors} parse errors");
}

/// `../shared/golden/charts` beside the repository root.
fn golden_charts() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/golden/charts").into()
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--check-all") {
        let dir = std::env::args().nth(2).unwrap_or_else(golden_charts);
        check_all(&dir);
        return;
    }
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| golden_charts() + "/bitnami__kube-prometheus.tgz");
    let mut gz = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| flate2::read::GzDecoder::new(f).read_to_end(&mut gz))
        .unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let files: Vec<(String, String)> = untar(&gz)
        .into_iter()
        .filter(|(n, _)| {
            n.contains("/templates/")
                && (n.ends_with(".yaml")
                    || n.ends_with(".tpl")
                    || n.ends_with(".txt")
                    || n.ends_with(".yml"))
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!(
        "{path}: {} template files, {:.2} MB",
        files.len(),
        bytes as f64 / 1e6
    );

    // Discover the functions the chart calls and stub them.
    let mut funcs = FuncMap::new();
    let mut no_func_files = Vec::new();
    for (name, text) in &files {
        let mut needed_funcs = false;
        loop {
            let mut s = TemplateSet::new();
            s.add_funcs(funcs.clone());
            match s.parse(name, text) {
                Ok(()) => break,
                Err(e) => {
                    let m = e.to_string();
                    match m
                        .split("function \"")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                    {
                        Some(f) if m.ends_with("not defined") => {
                            funcs.insert(f.to_string(), stub());
                            needed_funcs = true;
                        }
                        _ => {
                            println!("  parse error (skipped): {m}");
                            break;
                        }
                    }
                }
            }
        }
        let mut plain = TemplateSet::new();
        if !needed_funcs && plain.parse(name, text).is_ok() {
            no_func_files.push((name.clone(), text.clone()));
        }
    }
    println!("  {} functions stubbed", funcs.len());

    // Parse throughput: the whole chart into one set, repeatedly.
    let (iters, secs) = measure(3.0, || {
        let mut s = TemplateSet::new();
        s.add_funcs(funcs.clone());
        for (name, text) in &files {
            let _ = s.parse(name, text);
        }
    });
    println!(
        "parse: {:.0} templates/s, {:.1} MB/s ({} passes over the chart)",
        files.len() as f64 * iters as f64 / secs,
        bytes as f64 * iters as f64 / secs / 1e6,
        iters
    );

    // Execute throughput on the chart's templates: those needing no functions, then all of
    // them with the stubbed functions (which return "").
    let mut values = Map::new();
    values.insert("enabled".into(), Value::Bool(true));
    let mut release = Map::new();
    release.insert("Name".into(), Value::str("bench"));
    release.insert("Namespace".into(), Value::str("default"));
    let mut root = Map::new();
    root.insert("Values".into(), Value::map(values));
    root.insert("Release".into(), Value::map(release));
    let data = Value::map(root);
    for (label, with_stubs) in [
        ("without functions", false),
        ("with stubbed functions", true),
    ] {
        let mut set = TemplateSet::new();
        let chosen: Vec<&(String, String)> = if with_stubs {
            set.add_funcs(funcs.clone());
            files.iter().collect()
        } else {
            no_func_files.iter().collect()
        };
        for (name, text) in &chosen {
            let _ = set.parse(name, text);
        }
        let runnable: Vec<&String> = chosen
            .iter()
            .map(|(n, _)| n)
            .filter(|n| !n.ends_with(".tpl") && set.execute(n, &data).is_ok())
            .collect();
        let mut out_bytes = 0usize;
        let (passes, secs) = measure(if runnable.is_empty() { 0.0 } else { 2.0 }, || {
            for n in &runnable {
                out_bytes += set.execute(n, &data).map(|o| o.len()).unwrap_or(0);
            }
        });
        let runs = passes as usize * runnable.len();
        println!(
            "execute (chart templates {label}: {} of {} run): {:.0} executions/s, {:.1} MB/s output",
            runnable.len(),
            files.len(),
            runs as f64 / secs,
            out_bytes as f64 / secs / 1e6
        );
    }

    // Synthetic: range over 1000 maps, field access, if/with, printf-free.
    let mut s = TemplateSet::new();
    s.parse(
        "syn",
        "{{- range $i, $e := .items }}\n- name: {{ $e.name }}\n  {{- with $e.labels }}\n  labels:\n  {{- range $k, $v := . }}\n    {{ $k }}: {{ $v }}\n  {{- end }}{{ end }}\n  {{- if $e.enabled }}\n  enabled: true{{ end }}\n{{- end }}\n",
    )
    .unwrap();
    let items: Vec<Value> = (0..1000)
        .map(|i| {
            let mut m = Map::new();
            m.insert("name".into(), Value::string(format!("item-{i}")));
            m.insert("enabled".into(), Value::Bool(i % 2 == 0));
            let mut l = Map::new();
            l.insert("app".into(), Value::str("bench"));
            l.insert("tier".into(), Value::string(format!("t{}", i % 7)));
            m.insert("labels".into(), Value::map(l));
            Value::map(m)
        })
        .collect();
    let mut root = Map::new();
    root.insert("items".into(), Value::list(items));
    let data = Value::map(root);
    let mut out_bytes = 0usize;
    let (runs, secs) = measure(2.0, || {
        out_bytes += s.execute("syn", &data).map(|o| o.len()).unwrap_or(0);
    });
    println!(
        "execute (synthetic, 1000 items per run): {:.0} runs/s, {:.1} MB/s output",
        runs as f64 / secs,
        out_bytes as f64 / secs / 1e6
    );
}
