//! Malformed input through the CLI binary: truncated and bogus archives, values that are not
//! UTF-8 or not YAML, unclosed actions, bad flags, bad kube versions, huge `--set` paths and
//! hostile values, for `template`, `lint` and `diff`. Every case must end with exactly one
//! `Error:` line on stderr and the expected exit status (1; 2 for `lint` and `diff`), never
//! panic text, and within a few seconds. Where Helm v4.3.1 has an error for the same input its
//! text is recorded (run from the fixture folder with the same arguments) and compared.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The fixture folder (charts, values files, archives), built once per test process.
fn fixtures() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("error-sweep");
    let _ = std::fs::remove_dir_all(&dir);
    let chart = |name: &str, chart_yaml: Option<&[u8]>, template: &[u8]| {
        let d = dir.join(name);
        std::fs::create_dir_all(d.join("templates")).unwrap();
        if let Some(c) = chart_yaml {
            std::fs::write(d.join("Chart.yaml"), c).unwrap();
        }
        std::fs::write(d.join("values.yaml"), "a: 1\n").unwrap();
        std::fs::write(d.join("templates/cm.yaml"), template).unwrap();
    };
    let good: &[u8] = b"apiVersion: v2\nname: ok\nversion: 0.1.0\n";
    let cm: &[u8] =
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"{{ .Values.a }}\"\n";
    chart("ok", Some(good), cm);
    chart("unclosed", Some(good), b"{{ .Values.a \n");
    chart("stray-end", Some(good), b"{{ end }}\n");
    chart("bad-chart-yaml", Some(b"name: [\n"), cm);
    chart("no-chart-yaml", None, cm);
    chart("bad-function", Some(good), b"{{ nosuchfunction 1 }}\n");
    chart("deep-parens", Some(good), b"");
    std::fs::write(
        dir.join("deep-parens/templates/cm.yaml"),
        format!("{{{{ {}1{} }}}}\n", "(".repeat(5000), ")".repeat(5000)),
    )
    .unwrap();
    chart(
        "loop",
        Some(good),
        b"{{ range until 1000000 }}{{ range until 1000000 }}{{ end }}{{ end }}\n",
    );
    chart(
        "big-output",
        Some(good),
        b"{{ range until 100000 }}{{ \"x\" | repeat 100000 }}{{ end }}\n",
    );
    // One action writing past the limit after the last step: checked when the template ends.
    chart(
        "big-output-once",
        Some(good),
        b"{{ repeat 2000000 \"x\" }}\n",
    );
    // For the lowered limits below (each of these renders with the defaults).
    let limited_chart = |name: &str, expr: &str| {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"{{{{ {expr} }}}}\"\n"
        );
        chart(name, Some(good), text.as_bytes());
    };
    limited_chart("until", "len (until 5000)");
    limited_chart("long-until", "len (until 10000000)");
    limited_chart("repeat", "repeat 5000 \"x\" | len");
    limited_chart("indent", "indent 5000 \"x\" | len");
    limited_chart("rand", "randAlphaNum 5000 | len");
    chart(
        "recursive-include",
        Some(good),
        b"{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}\n",
    );

    let tgz = targz(&[
        ("ok/Chart.yaml", good),
        ("ok/values.yaml", b"a: 1\n"),
        ("ok/templates/cm.yaml", cm),
    ]);
    std::fs::write(dir.join("ok.tgz"), &tgz).unwrap();
    std::fs::write(dir.join("truncated.tgz"), &tgz[..tgz.len() / 2]).unwrap();
    std::fs::write(dir.join("header-only.tgz"), &tgz[..10]).unwrap();
    std::fs::write(dir.join("not-gzip.tgz"), b"not a gzip file").unwrap();
    std::fs::write(dir.join("empty.tgz"), b"").unwrap();
    std::fs::write(dir.join("garbage-tar.tgz"), gzip(&[7u8; 1024])).unwrap();

    let write = |name: &str, data: &[u8]| std::fs::write(dir.join(name), data).unwrap();
    write("v2.yaml", b"a: 2\n");
    write("bad-utf8.yaml", b"a: \xff\xfe\n");
    write("broken.yaml", b"a: [1, 2\nb: :\n");
    write("list.yaml", b"- a\n- b\n");
    write("nul.yaml", b"a: \"b\0c\"\n");
    write("deep.yaml", "[".repeat(100_000).as_bytes());
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9u8 {
        let (p, n) = ((b'a' + i) as char, (b'b' + i) as char);
        laughs.push_str(&format!(
            "{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    write("laughs.yaml", laughs.as_bytes());
    write("broken-manifest.yaml", b"kind: [\n");
    write("nested.yaml", b"a: {b: {c: {d: {e: {f: 1}}}}}\n");
    write("aliases.yaml", b"a: &a {b: 1, c: 2}\nd: *a\ne: *a\n");
    dir
}

fn targz(files: &[(&str, &[u8])]) -> Vec<u8> {
    chartroom_chart::archive::write_tgz(files).unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    chartroom_chart::archive::gzip(data).unwrap()
}

struct Case {
    args: Vec<String>,
    exit: i32,
    /// Helm's text after `Error: ` for the same `helm template` command, when recorded.
    helm: Option<&'static str>,
    /// chartroom's limit the error must name (`NAME=VALUE`), for a limit Helm does not have.
    limit: Option<&'static str>,
}

fn case(args: &[&str], exit: i32, helm: Option<&'static str>) -> Case {
    Case {
        args: args.iter().map(|s| s.to_string()).collect(),
        exit,
        helm,
        limit: None,
    }
}

/// A case whose error must name chartroom's limit `limit` (`NAME=VALUE`).
fn limited(args: &[&str], exit: i32, limit: &'static str) -> Case {
    Case {
        limit: Some(limit),
        ..case(args, exit, None)
    }
}

fn cases() -> Vec<Case> {
    let deep_name = format!("{}=1", vec!["a"; 40_000].join("."));
    let deep_list = format!("a{}=1", "[0]".repeat(20_000));
    let huge_index = "a[99999999]=1".to_string();
    let long_key = format!("{}=1", "k".repeat(100_000));
    let t = |extra: &[&str], helm: Option<&'static str>| {
        let mut a = vec!["template"];
        a.extend_from_slice(extra);
        case(&a, 1, helm)
    };
    let mut v = vec![
        // Archives.
        t(&["truncated.tgz"], Some("unable to load chart archive")),
        t(&["header-only.tgz"], Some("unable to load chart archive")),
        t(&["not-gzip.tgz"], None),
        t(&["empty.tgz"], None),
        t(&["garbage-tar.tgz"], Some("unable to load chart archive")),
        // Values files.
        t(
            &["ok", "-f", "bad-utf8.yaml"],
            Some("failed to parse bad-utf8.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: invalid leading UTF-8 octet"),
        ),
        t(
            &["ok", "-f", "broken.yaml"],
            Some("failed to parse broken.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"),
        ),
        t(
            &["ok", "-f", "list.yaml"],
            Some("failed to parse list.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"),
        ),
        t(
            &["ok", "-f", "nul.yaml"],
            Some("failed to parse nul.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: control characters are not allowed"),
        ),
        t(&["ok", "-f", "deep.yaml"], None),
        t(&["ok", "-f", "missing.yaml"], Some("open missing.yaml: no such file or directory")),
        t(
            &["ok", "-f", "laughs.yaml"],
            Some("failed to parse laughs.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: document contains excessive aliasing"),
        ),
        // Templates and charts.
        t(
            &["unclosed"],
            Some("parse error at (ok/templates/cm.yaml:2): unclosed action started at ok/templates/cm.yaml:1"),
        ),
        t(&["stray-end"], Some("parse error at (ok/templates/cm.yaml:1): unexpected {{end}}")),
        t(
            &["bad-function"],
            Some("parse error at (ok/templates/cm.yaml:1): function \"nosuchfunction\" not defined"),
        ),
        t(&["deep-parens"], None),
        t(&["recursive-include"], None),
        t(
            &["bad-chart-yaml"],
            Some("cannot load Chart.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content"),
        ),
        t(&["no-chart-yaml"], None),
        t(
            &["missing-dir"],
            Some("non-absolute URLs should be in form of repo_name/path_to_chart, got: missing-dir"),
        ),
        // Flags.
        t(&["ok", "--bogus"], Some("unknown flag: --bogus")),
        t(&["ok", "--namespace"], Some("flag needs an argument: --namespace")),
        t(
            &["ok", "--kube-version", "abc"],
            Some("invalid kube version 'abc': could not parse \"abc\" as version"),
        ),
        t(
            &["ok", "--dry-run=bogus"],
            Some("invalid dry-run value (\"bogus\"). Must be \"none\", \"server\", or \"client\""),
        ),
        t(&["ok", "--set-json", "a={"], Some("failed parsing --set-json data a={")),
        t(&["ok", "--set", "a[-1]=1"], Some("failed parsing --set data: negative -1 index not allowed")),
        t(
            &["ok", "--set-file", "a=missing.txt"],
            Some("failed parsing --set-file data: open missing.txt: no such file or directory"),
        ),
        // chartroom's limits (Helm has none): the error names the limit.
        t(&["ok", "--limit", "bogus=1"], None),
        t(&["ok", "--limit", "steps"], None),
        // With the defaults these take ~1 s in a release build, much longer in a debug one.
        t(&["loop", "--limit", "steps=100000"], None),
        t(&["big-output", "--limit", "output-bytes=1000000"], None),
        t(&["big-output-once", "--limit", "output-bytes=1000000"], None),
        // Huge --set paths.
        t(
            &["ok", "--set", &huge_index],
            Some("failed parsing --set data: index of 99999999 is greater than maximum supported index of 65536"),
        ),
        t(
            &["ok", "--set", &deep_name],
            Some("failed parsing --set data: value name nested level is greater than maximum supported nested level of 30"),
        ),
        t(&["ok", "--set", &deep_list], None),
        t(
            &["ok", "--set-string", &deep_name],
            Some("failed parsing --set-string data: value name nested level is greater than maximum supported nested level of 30"),
        ),
    ];
    // Every limit lowered (the same charts render with the defaults, checked below), and the
    // defaults stopping a runaway: the error names the limit.
    for (args, limit) in [
        (
            &["until", "--limit", "until-length=1000"][..],
            "until-length=1000",
        ),
        (&["long-until"], "until-length=1000000"),
        (
            &["repeat", "--limit", "string-bytes=1000"],
            "string-bytes=1000",
        ),
        (
            &["indent", "--limit", "string-bytes=1000"],
            "string-bytes=1000",
        ),
        (
            &["rand", "--limit", "string-bytes=1000"],
            "string-bytes=1000",
        ),
        (
            &["ok", "-f", "nested.yaml", "--limit", "yaml-depth=3"],
            "yaml-depth=3",
        ),
        (
            &["ok", "-f", "aliases.yaml", "--limit", "yaml-aliases=2"],
            "yaml-aliases=2",
        ),
        (&["ok", "--limit", "yaml-depth=0"], "yaml-depth=0"),
        (
            &["ok.tgz", "--limit", "archive-bytes=10"],
            "archive-bytes=10",
        ),
        (
            &["ok.tgz", "--limit", "archive-file-bytes=10"],
            "archive-file-bytes=10",
        ),
        (
            &["ok.tgz", "--limit", "archive-entries=2"],
            "archive-entries=2",
        ),
        (&["ok", "--limit", "archive-bytes=10"], "archive-bytes=10"),
        (
            &["ok", "--limit", "archive-file-bytes=10"],
            "archive-file-bytes=10",
        ),
        (&["ok", "--limit", "archive-entries=2"], "archive-entries=2"),
        // The ConfigMap of `ok` is 76 bytes: the release's total is over 50.
        (&["ok", "--limit", "release-bytes=50"], "release-bytes=50"),
    ] {
        let mut a = vec!["template"];
        a.extend_from_slice(args);
        v.push(limited(&a, 1, limit));
    }
    // diff takes the same limits (lint too: `lint_takes_the_limits`).
    v.push(limited(
        &[
            "diff",
            "until",
            "v2.yaml",
            "v2.yaml",
            "--limit",
            "until-length=10",
        ],
        2,
        "until-length=10",
    ));
    for args in [
        &["until"][..],
        &["repeat"],
        &["indent"],
        &["rand"],
        &["ok", "-f", "nested.yaml", "-f", "aliases.yaml"],
        &["ok.tgz"],
    ] {
        let mut a = vec!["template"];
        a.extend_from_slice(args);
        v.push(case(&a, 0, None));
    }
    // No error for Helm either: these must render, not fail.
    v.push(case(&["template", "ok", "--set", &long_key], 0, None));
    v.push(case(&["template", "ok", "--kube-version", ""], 0, None));
    for extra in [
        &["ok", "--bogus"][..],
        &["truncated.tgz"],
        &["ok", "-f", "broken.yaml"],
        &["ok", "-f", "bad-utf8.yaml"],
        &["ok", "--kube-version", "abc"],
        &["ok", "--kube-version", "1.10"],
        &["ok", "--output", "xml"],
        &["--manifests"],
        &["--manifests", "missing.yaml"],
        &["ok", "--set", &deep_name],
    ] {
        let mut a = vec!["lint"];
        a.extend_from_slice(extra);
        v.push(case(&a, 2, None));
    }
    for extra in [
        &["ok"][..],
        &["ok", "v2.yaml", "v2.yaml", "--bogus"],
        &["ok", "broken.yaml", "v2.yaml"],
        &["ok", "v2.yaml", "bad-utf8.yaml"],
        &["ok", "missing.yaml", "v2.yaml"],
        &["truncated.tgz", "v2.yaml", "v2.yaml"],
        &["unclosed", "v2.yaml", "v2.yaml"],
        &["ok", "v2.yaml", "v2.yaml", "--kube-version", "abc"],
        &["ok", "v2.yaml", "v2.yaml", "--output", "xml"],
        &["ok", "v2.yaml", "deep.yaml"],
        &["ok", "v2.yaml", "v2.yaml", "--set", &huge_index],
    ] {
        let mut a = vec!["diff"];
        a.extend_from_slice(extra);
        v.push(case(&a, 2, None));
    }
    v
}

fn run(dir: &Path, args: &[String]) -> (i32, String, String, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("HELM_NAMESPACE")
        .env_remove("KUBECONFIG")
        .env_remove("HELM_DEBUG")
        .env("RUST_BACKTRACE", "1")
        .args(args)
        .output()
        .expect("run chartroom");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

fn short(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if a.len() > 40 {
                format!("{}...({} bytes)", &a[..20], a.len())
            } else {
                a.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn malformed_input_gives_one_error_line() {
    let dir = fixtures();
    let mut failures = Vec::new();
    let all = cases();
    for c in &all {
        let (code, _stdout, stderr, took) = run(&dir, &c.args);
        let what = short(&c.args);
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "internal error",
            "stack overflow",
        ] {
            if stderr.contains(bad) {
                failures.push(format!("{what}: panic text {bad:?} in stderr: {stderr}"));
            }
        }
        if code != c.exit {
            failures.push(format!("{what}: exit {code}, want {}: {stderr}", c.exit));
        }
        // Debug builds on a shared machine: generous; the release CLI takes milliseconds.
        if took > Duration::from_secs(20) {
            failures.push(format!("{what}: took {took:?}"));
        }
        if c.exit == 0 {
            continue;
        }
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("Error: "))
            .collect();
        if errors.len() != 1 {
            failures.push(format!("{what}: {} `Error:` lines: {stderr}", errors.len()));
            continue;
        }
        if errors[0].trim_end().len() <= "Error: ".len() {
            failures.push(format!("{what}: empty error: {stderr}"));
        }
        let joined = c.args.join(" ");
        if (joined.contains("loop") || joined.contains("big-output"))
            && !stderr.contains("exceeded the limit")
        {
            failures.push(format!(
                "{what}: the error does not name the limit: {stderr}"
            ));
        }
        if let Some(limit) = c.limit {
            let named = format!(
                "exceeded the limit {limit} (chartroom's, not Helm's; raise it with --limit {}=N)",
                limit.split('=').next().unwrap_or("")
            );
            if !errors[0].contains(&named) {
                failures.push(format!("{what}: the error does not name {limit}: {stderr}"));
            }
        }
        if let Some(helm) = c.helm {
            if errors[0] != format!("Error: {helm}") {
                failures.push(format!("{what}: {:?}, Helm says {helm:?}", errors[0]));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// `chartroom lint` loads the chart under the same limits; a chart it cannot load is reported
/// on stderr (exit 1, as lint reports a chart Helm cannot render), naming the limit.
#[test]
fn lint_takes_the_limits() {
    let dir = fixtures_once();
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .current_dir(&dir)
        .env("HOME", &dir)
        .args(["lint", "ok", "--limit", "archive-entries=1"])
        .output()
        .expect("run chartroom");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("exceeded the limit archive-entries=1 (chartroom's, not Helm's; raise it with --limit archive-entries=N)"),
        "{stderr}"
    );
}

/// Helm's lint rules render the chart under the request's limits too (they used the
/// defaults, so a lowered limit stopped only the manifest validation).
#[test]
fn lint_rules_render_under_the_limits() {
    let dir = fixtures_once();
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .current_dir(&dir)
        .env("HOME", &dir)
        .args(["lint", "ok", "--limit", "release-bytes=50"])
        .output()
        .expect("run chartroom");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let named = "exceeded the limit release-bytes=50 (chartroom's, not Helm's";
    let rule = stdout.lines().find(|l| l.contains("templates/:"));
    assert!(rule.is_some_and(|l| l.contains(named)), "{stdout}");
    assert!(stderr.contains(named), "{stderr}");
}

/// An argument that is not UTF-8 (`--set a=$'\xff'`) used to panic in `std::env::args`.
#[cfg(unix)]
#[test]
fn argument_that_is_not_utf8_is_no_panic() {
    use std::os::unix::ffi::OsStrExt;
    let dir = fixtures_once();
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .current_dir(&dir)
        .env("HOME", &dir)
        .args(["template", "ok", "--set"])
        .arg(std::ffi::OsStr::from_bytes(b"a=\xff"))
        .output()
        .expect("run chartroom");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("kind: ConfigMap"));
}

/// The second test builds its own copy (tests run in parallel).
fn fixtures_once() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("error-sweep-utf8");
    let d = dir.join("ok");
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::write(
        d.join("Chart.yaml"),
        "apiVersion: v2\nname: ok\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        d.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.a | quote }}\n",
    )
    .unwrap();
    dir
}

/// A template that does not parse is one of Helm's own lint findings (as `helm lint` reports
/// it), not a failure to run: exit 1, the finding in the report, stderr saying the manifests
/// were not validated, no panic.
#[test]
fn lint_reports_an_unclosed_action_as_a_finding() {
    // Its own folder: the sweep rebuilds `fixtures()` while this test may run.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("error-sweep-lint");
    let chart = dir.join("unclosed");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: ok\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/cm.yaml"), "{{ .Values.a \n").unwrap();
    let args: Vec<String> = ["lint", "unclosed", "-o", "json"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (code, stdout, stderr, _) = run(&dir, &args);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("manifests not validated: "), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings.iter().any(|f| f["rule"] == "helm"
            && f["severity"] == "error"
            && f["message"]
                .as_str()
                .is_some_and(|m| m.contains("unclosed action"))),
        "{stdout}"
    );
}
