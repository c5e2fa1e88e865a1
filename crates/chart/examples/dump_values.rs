//! Debug aid: prints `toJson` of the coalesced `.Values` and `.Chart` of a chart
//! (`dump_values CHART [-f values.yaml]...`), for comparison with helm.

use chartroom_chart::{check_dependencies, Chart, ValueOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: dump_values CHART [-f FILE]... [--set X]...");
        std::process::exit(2);
    };
    let mut opts = ValueOptions::default();
    let mut i = 1;
    while i + 1 < args.len() {
        let v = args[i + 1].clone();
        match args[i].as_str() {
            "-f" => {
                let data = std::fs::read(&v).expect("read values");
                opts.values_files.push((v, data));
            }
            "--set" => opts.set.push(v),
            "--set-string" => opts.set_string.push(v),
            "--set-json" => opts.set_json.push(v),
            "--set-literal" => opts.set_literal.push(v),
            _ => {}
        }
        i += 2;
    }
    let p = std::path::Path::new(path);
    let res = (|| {
        let mut chart = if p.is_dir() {
            Chart::load_dir(p)?
        } else {
            Chart::load_archive(&std::fs::read(p).expect("read chart"))?
        };
        check_dependencies(&chart)?;
        let user = opts.merge_values()?;
        let w = chartroom_chart::deps::process_dependencies_with_warnings(&mut chart, &user)?;
        let (v, w2) = chartroom_chart::values::coalesce_values_with_warnings(&chart, &user)?;
        for line in w.0.iter().chain(w2.0.iter()) {
            eprintln!("{line}");
        }
        chartroom_chart::validate_values_schema(&chart, &v)?;
        fn subs(c: &Chart, out: &mut Vec<String>) {
            for d in &c.dependencies {
                out.push(chartroom_yaml::to_json(&d.metadata_value(false)).unwrap_or_default());
                subs(d, out);
            }
        }
        let mut all = Vec::new();
        subs(&chart, &mut all);
        if std::env::var("DUMP_SUBCHARTS").is_ok() {
            for line in &all {
                eprintln!("SUBC {line}");
            }
        }
        Ok::<_, chartroom_chart::Error>((v, chart.metadata_value(true)))
    })();
    match res {
        Ok((v, c)) => {
            println!("{}", chartroom_yaml::to_json(&v).unwrap_or_default());
            println!("{}", chartroom_yaml::to_json(&c).unwrap_or_default());
        }
        Err(e) => {
            for line in &e.log {
                eprintln!("{line}");
            }
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}
