//! Loads every chart archive of the shared reference set (read in place: `../shared/golden`
//! beside the repository root, or the folder `CHARTROOM_GOLDEN` names; skipped with a message
//! when absent) and checks the model is complete.

use std::path::{Path, PathBuf};

use chartroom_chart::{check_dependencies, coalesce_values, process_dependencies, Chart};
use chartroom_template::Value;

fn count_templates(c: &Chart) -> usize {
    c.templates.len() + c.dependencies.iter().map(count_templates).sum::<usize>()
}

/// The reference set: `$CHARTROOM_GOLDEN`, else `../shared/golden` from the repository root.
fn golden_dir() -> PathBuf {
    match std::env::var_os("CHARTROOM_GOLDEN") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden"),
    }
}

#[test]
fn loads_all_golden_archives() {
    let golden = golden_dir();
    let dir = golden.join("charts");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            // Absent reference data is a skip; a folder that exists but cannot be read is not.
            assert!(
                !golden.exists(),
                "{} exists but cannot be read: {e}",
                dir.display()
            );
            println!(
                "skipped: no reference data at {} ({e}); set CHARTROOM_GOLDEN or put it at \
                 ../shared/golden beside the repository root",
                golden.display()
            );
            return;
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tgz"))
        .collect();
    paths.sort();
    let mut loaded = 0;
    let mut with_deps = 0;
    let mut missing_deps = 0;
    for p in &paths {
        let data = std::fs::read(p).unwrap();
        let chart = Chart::load_archive(&data).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(!chart.name().is_empty(), "{}", p.display());
        assert!(count_templates(&chart) > 0, "{}: no templates", p.display());
        assert!(matches!(chart.values, Value::Map(..)));
        if !chart.dependencies.is_empty() {
            with_deps += 1;
        }
        let mut chart = chart;
        if let Err(e) = check_dependencies(&chart) {
            missing_deps += 1;
            // the reference run of the same chart with default values failed the same way
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let err = dir.join("../expected").join(format!("{stem}.err"));
            if let Ok(text) = std::fs::read_to_string(err) {
                assert_eq!(text.lines().next().unwrap_or(""), format!("Error: {e}"));
            }
            continue;
        }
        let user = Value::empty_map();
        process_dependencies(&mut chart, &user).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let v = coalesce_values(&chart, &user).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(matches!(v, Value::Map(..)));
        loaded += 1;
    }
    assert!(!paths.is_empty(), "no chart archives in {}", dir.display());
    eprintln!(
        "{} archives, {loaded} processed, {with_deps} with subcharts, {missing_deps} with missing dependencies",
        paths.len()
    );
    assert_eq!(loaded + missing_deps, paths.len());
}
