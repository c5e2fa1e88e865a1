//! Renders every chart under tests/charts/<case>/ with the `chartroom` binary and compares
//! with the output recorded from the real Helm by tests/record.sh: stdout byte for byte on
//! success, stderr from `Error: ` on failure, and the exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/charts")
}

fn run_case(dir: &Path) -> Result<(), String> {
    let args = std::fs::read_to_string(dir.join("args")).map_err(|e| e.to_string())?;
    let want_rc: i32 = std::fs::read_to_string(dir.join("expected.rc"))
        .map_err(|e| e.to_string())?
        .trim()
        .parse()
        .map_err(|e| format!("{e}"))?;
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .arg("template")
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .map_err(|e| e.to_string())?;
    let rc = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if (rc == 0) != (want_rc == 0) {
        return Err(format!("exit {rc}, Helm exits {want_rc}; stderr: {stderr}"));
    }
    if want_rc == 0 {
        // Bytes, not text: Helm's output carries whatever bytes the templates wrote.
        let want = std::fs::read(dir.join("expected.out")).map_err(|e| e.to_string())?;
        if out.stdout != want {
            return Err(format!(
                "stdout differs:\n--- want\n{}\n--- got\n{}",
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(&out.stdout)
            ));
        }
    } else {
        let want = std::fs::read_to_string(dir.join("expected.err")).map_err(|e| e.to_string())?;
        let got = stderr.find("Error: ").map(|i| &stderr[i..]).unwrap_or("");
        if got.trim_end() != want.trim_end() {
            return Err(format!("stderr differs:\n--- want\n{want}\n--- got\n{got}"));
        }
    }
    Ok(())
}

#[test]
fn charts_render_like_helm() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/charts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("args").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "expected the recorded test charts");
    let mut failures = Vec::new();
    for d in &dirs {
        if let Err(e) = run_case(d) {
            failures.push(format!("{}: {e}", d.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} charts differ from Helm:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}
