//! The command line a newcomer meets: help and version texts (stdout, exit 0), Helm's error
//! texts for unknown commands and flags (stderr, exit 1), and clear errors for the Helm flags
//! chartroom cannot honour.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn chartroom(args: &[&str]) -> Run {
    chartroom_env(args, &[])
}

/// Runs chartroom with no namespace-related environment but `env`.
fn chartroom_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartroom"));
    for var in [
        "HELM_NAMESPACE",
        "HELM_KUBECONTEXT",
        "KUBECONFIG",
        "HELM_DEBUG",
    ] {
        cmd.env_remove(var);
    }
    // No ~/.kube/config of the machine running the tests.
    cmd.env("HOME", env!("CARGO_TARGET_TMPDIR"));
    let out = cmd
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run chartroom");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A chart with one template in a fresh folder under the target dir.
fn chart_with(name: &str, template: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: tiny\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("templates/a.yaml"), template).unwrap();
    dir.to_string_lossy().into_owned()
}

/// A minimal chart that renders one ConfigMap named after the release.
fn tiny_chart(name: &str) -> String {
    chart_with(
        name,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    )
}

/// Every row of a `Title:` section, up to the blank line that ends it.
fn section<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    let start = text
        .find(&format!("\n{title}:\n"))
        .unwrap_or_else(|| panic!("no {title} section in:\n{text}"));
    text[start + title.len() + 3..]
        .lines()
        .take_while(|l| !l.is_empty())
        .collect()
}

/// pflag's layout: descriptions start in one column, three spaces after the longest flag.
fn assert_aligned(rows: &[&str]) {
    // (end of the flag column, start of the description)
    let split = |row: &str| {
        let end = row[6..].find("   ").expect("gap before description") + 6;
        let start = end + row[end..].len() - row[end..].trim_start().len();
        (end, start)
    };
    let column = split(rows[0]).1;
    let longest = rows.iter().map(|r| split(r).0).max().unwrap();
    for r in rows {
        assert!(r.starts_with("  -") || r.starts_with("      --"), "{r:?}");
        assert_eq!(split(r).1, column, "misaligned: {r:?}");
        assert!(!r[column..].trim().is_empty(), "no description: {r:?}");
    }
    assert_eq!(column, longest + 3, "three spaces after the longest flag");
}

#[test]
fn root_help_in_all_its_spellings() {
    let reference = chartroom(&["--help"]);
    assert_eq!(reference.code, 0);
    assert!(reference.stderr.is_empty());
    for args in [&[][..], &["-h"], &["help"]] {
        let r = chartroom(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert_eq!(r.stdout, reference.stdout, "{args:?}");
    }
    let text = &reference.stdout;
    assert!(text.contains("Usage:\n  chartroom [command]\n"), "{text}");
    let commands = section(text, "Available Commands");
    let names: Vec<&str> = commands
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(names, ["diff", "help", "lint", "template", "version"]);
    for c in &commands {
        assert!(!c.contains("not available yet"), "{c}");
    }
    let flags = section(text, "Flags");
    assert_aligned(&flags);
    for f in [
        "--debug",
        "-h, --help",
        "-n, --namespace string",
        "--version",
    ] {
        assert!(
            flags.iter().any(|r| r.contains(f)),
            "{f} missing: {flags:?}"
        );
    }
    assert!(text
        .ends_with("Use \"chartroom [command] --help\" for more information about a command.\n"));
}

#[test]
fn template_help_lists_every_flag_once() {
    let reference = chartroom(&["template", "--help"]);
    assert_eq!(reference.code, 0);
    for args in [
        &["template", "-h"][..],
        &["help", "template"],
        &["-h", "template"],
    ] {
        let r = chartroom(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert_eq!(r.stdout, reference.stdout, "{args:?}");
    }
    let text = &reference.stdout;
    assert!(text.contains("Usage:\n  chartroom template [NAME] [CHART] [flags]\n"));
    let own = section(text, "Flags");
    let global = section(text, "Global Flags");
    let ignored = section(
        text,
        "Accepted and Ignored Flags (Helm's repository, cluster and install flags: no effect on the output)",
    );
    for rows in [&own, &global, &ignored] {
        assert_aligned(rows);
    }
    // Honoured flags are listed as such; cluster and repository flags as ignored.
    for f in [
        "-f, --values strings",
        "--set stringArray",
        "-s, --show-only stringArray",
        "--include-crds",
        "--kube-version string",
        "--dry-run string[=\"unset\"]",
        "-h, --help",
    ] {
        assert!(own.iter().any(|r| r.contains(f)), "{f} missing: {own:?}");
    }
    assert!(global.iter().any(|r| r.contains("-n, --namespace string")));
    for f in [
        "--kube-token string",
        "--ca-file string",
        "--wait",
        "--version string",
    ] {
        assert!(ignored.iter().any(|r| r.contains(f)), "{f} not ignored");
        assert!(!own.iter().any(|r| r.contains(f)), "{f} listed as honoured");
    }
    // Not supported flags are named once, not listed as flags.
    for f in ["--post-renderer", "--enable-dns", "--verify", "--repo"] {
        let listed = |r: &&str| r.split_whitespace().take(3).any(|w| w == f);
        assert!(!own.iter().chain(&ignored).any(listed), "{f}");
    }
    assert!(text.contains("Not supported"));
    assert!(text.contains("--post-renderer, --post-renderer-args"));
    // Every flag helm template has appears exactly once in the help.
    let helm_flags = [
        "api-versions",
        "ca-file",
        "cert-file",
        "create-namespace",
        "dependency-update",
        "description",
        "devel",
        "disable-openapi-validation",
        "dry-run",
        "force-conflicts",
        "force-replace",
        "generate-name",
        "help",
        "include-crds",
        "insecure-skip-tls-verify",
        "is-upgrade",
        "key-file",
        "keyring",
        "kube-version",
        "labels",
        "name-template",
        "no-hooks",
        "output-dir",
        "pass-credentials",
        "password",
        "plain-http",
        "release-name",
        "replace",
        "rollback-on-failure",
        "server-side",
        "set",
        "set-file",
        "set-json",
        "set-literal",
        "set-string",
        "show-only",
        "skip-crds",
        "skip-schema-validation",
        "skip-tests",
        "take-ownership",
        "timeout",
        "username",
        "values",
        "version",
        "wait",
        "wait-for-jobs",
        "burst-limit",
        "color",
        "colour",
        "content-cache",
        "debug",
        "kube-apiserver",
        "kube-as-group",
        "kube-as-user",
        "kube-ca-file",
        "kube-context",
        "kube-insecure-skip-tls-verify",
        "kube-tls-server-name",
        "kube-token",
        "kubeconfig",
        "namespace",
        "qps",
        "registry-config",
        "repository-cache",
        "repository-config",
    ];
    let rows: Vec<&str> = own.iter().chain(&global).chain(&ignored).copied().collect();
    for f in helm_flags {
        let n = rows
            .iter()
            .filter(|r| {
                r.split_whitespace()
                    .take(3)
                    .any(|w| w == format!("--{f}") || w.starts_with(&format!("--{f}[")))
            })
            .count();
        assert_eq!(n, 1, "--{f} listed {n} times");
    }
}

#[test]
fn version_texts() {
    for args in [&["--version"][..], &["version"]] {
        let r = chartroom(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert_eq!(
            r.stdout,
            format!(
                "chartroom {} (renders as helm template v4.3.1)\n",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
    let r = chartroom(&["version", "--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("Usage:\n  chartroom version [flags]\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn unknown_commands_and_flags_keep_helms_texts() {
    // helm templat
    let r = chartroom(&["templat"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: unknown command \"templat\" for \"chartroom\"\n\nDid you mean this?\n\ttemplate\n\nRun 'chartroom --help' for usage.\n"
    );
    let r = chartroom(&["frobnicate"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "Error: unknown command \"frobnicate\" for \"chartroom\"\nRun 'chartroom --help' for usage.\n"
    );
    // helm template --bogus / -Z
    let r = chartroom(&["template", "--bogus"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: unknown flag: --bogus\n")
    );
    let r = chartroom(&["template", "-Z", "x"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: unknown shorthand flag: 'Z' in -Z\n")
    );
    let r = chartroom(&["--bogus"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: unknown flag: --bogus\n")
    );
    // Template-only flags are not root flags.
    let r = chartroom(&["version", "--include-crds"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "Error: unknown flag: --include-crds\n")
    );
    // helm help templat: the topic error and the root usage on stderr, exit 0.
    let r = chartroom(&["help", "templat"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("Unknown help topic [`templat`]\nUsage:\n  chartroom [command]\n"),
        "{}",
        r.stderr
    );
    // helm template with no chart
    let r = chartroom(&["template"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .starts_with("Error: \"helm template\" requires at least 1 argument"));
}

#[test]
fn every_command_has_its_help() {
    for cmd in ["lint", "diff", "template"] {
        let h = chartroom(&["help", cmd]);
        assert_eq!(h.code, 0, "{cmd}");
        assert!(
            h.stdout.contains(&format!("chartroom {cmd} [NAME]")),
            "{}",
            h.stdout
        );
        let h2 = chartroom(&[cmd, "--help"]);
        assert_eq!(h2.stdout, h.stdout, "{cmd}");
    }
}

#[test]
fn flags_chartroom_cannot_honour_are_errors() {
    let chart = tiny_chart("refused");
    let ok = chartroom(&["template", "x", &chart]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.contains("name: x"));
    for (flag, needle) in [
        (
            &["--post-renderer", "myplugin"][..],
            "--post-renderer is not supported",
        ),
        (
            &["--post-renderer-args", "a"],
            "--post-renderer-args is not supported",
        ),
        (&["--enable-dns"], "--enable-dns is not supported"),
        (&["--verify"], "--verify is not supported"),
        (
            &["--repo", "https://charts.example"],
            "--repo is not supported",
        ),
    ] {
        let mut args = vec!["template", "x", chart.as_str()];
        args.extend_from_slice(flag);
        let r = chartroom(&args);
        assert_eq!(r.code, 1, "{flag:?}");
        assert!(r.stdout.is_empty(), "{flag:?} printed output");
        assert!(
            r.stderr.starts_with("Error: ") && r.stderr.contains(needle),
            "{}",
            r.stderr
        );
    }
    // Ignored cluster and repository flags leave the output as it is, as in Helm.
    let r = chartroom(&[
        "template",
        "x",
        &chart,
        "--kubeconfig",
        "/nonexistent",
        "--version",
        "9.9.9",
        "--wait",
        "--skip-crds",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, ok.stdout);
    // Global flags before the command count.
    let r = chartroom(&["-n", "prod", "--debug", "template", "x", &chart]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, ok.stdout);
}

#[test]
fn tls_files_are_checked_as_helm_checks_them() {
    // Texts recorded from helm v4.3.1 (`helm template x ./chart --ca-file ...`).
    let chart = tiny_chart("tls");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tls-files");
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.txt");
    std::fs::write(&junk, "junk\n").unwrap();
    let junk = junk.to_string_lossy().into_owned();
    let missing = dir.join("missing.pem").to_string_lossy().into_owned();
    let dir_s = dir.to_string_lossy().into_owned();
    let prefix = "Error: missing registry client: can't create TLS config for client: ";
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["--ca-file", &missing],
            format!("can't read CA file: {missing:?}: open {missing}: no such file or directory"),
        ),
        (
            vec!["--ca-file", &dir_s],
            format!("can't read CA file: {dir_s:?}: read {dir_s}: is a directory"),
        ),
        (
            vec!["--ca-file", &junk],
            "failed to append certificates from pem block".to_string(),
        ),
        (
            vec!["--cert-file", &junk, "--key-file", &junk],
            "unable to load cert from key pair: tls: failed to find any PEM data in certificate input"
                .to_string(),
        ),
        (
            vec!["--cert-file", &missing, "--key-file", &junk, "--ca-file", &missing],
            format!(
                "unable to read cert file: {missing:?}: open {missing}: no such file or directory\ncan't read CA file: {missing:?}: open {missing}: no such file or directory"
            ),
        ),
        // Contents are checked only once every file could be read.
        (
            vec!["--ca-file", &junk, "--cert-file", &missing, "--key-file", &junk],
            format!("unable to read cert file: {missing:?}: open {missing}: no such file or directory"),
        ),
        (
            vec!["--cert-file", &junk, "--key-file", &junk, "--ca-file", &junk],
            "unable to load cert from key pair: tls: failed to find any PEM data in certificate input"
                .to_string(),
        ),
    ];
    for (flags, want) in cases {
        let mut args = vec!["template", "x", chart.as_str()];
        args.extend_from_slice(&flags);
        let r = chartroom(&args);
        assert_eq!(r.code, 1, "{flags:?}");
        assert_eq!(r.stderr, format!("{prefix}{want}\n"), "{flags:?}");
    }
    // A lone --cert-file or --key-file is not read, as in Helm.
    let r = chartroom(&["template", "x", &chart, "--cert-file", &missing]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn namespace_defaults_come_from_the_environment_as_in_helm() {
    // Outputs recorded from helm v4.3.1 with the same kubeconfig files.
    let chart = chart_with("ns-chart", "ns: {{ .Release.Namespace }}\n");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kubeconfigs");
    std::fs::create_dir_all(&dir).unwrap();
    let kc = dir.join("kc.yaml");
    std::fs::write(
        &kc,
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: \"http://127.0.0.1:1\"}\n  name: c\n\
         contexts:\n- context: {cluster: c, namespace: fromkc}\n  name: ctx\n\
         - context: {cluster: c, namespace: other}\n  name: ctx2\ncurrent-context: ctx\nusers: []\n",
    )
    .unwrap();
    let only_current = dir.join("kc2.yaml");
    std::fs::write(
        &only_current,
        "apiVersion: v1\nkind: Config\ncurrent-context: ctx2\n",
    )
    .unwrap();
    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "{bad: [\n").unwrap();
    let kc = kc.to_string_lossy().into_owned();
    let list = format!("{}:{kc}", only_current.display());
    let broken = broken.to_string_lossy().into_owned();
    let ns = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["template", "x", chart.as_str()];
        all.extend_from_slice(args);
        let r = chartroom_env(&all, env);
        assert_eq!(r.code, 0, "{args:?} {env:?}: {}", r.stderr);
        r.stdout.lines().last().unwrap_or("").to_string()
    };
    assert_eq!(ns(&[], &[]), "ns: default");
    assert_eq!(ns(&["--kubeconfig", &kc], &[]), "ns: fromkc");
    assert_eq!(
        ns(&["--kubeconfig", &kc, "--kube-context", "ctx2"], &[]),
        "ns: other"
    );
    assert_eq!(
        ns(&["--kubeconfig", &kc, "--kube-context", "nope"], &[]),
        "ns: default"
    );
    assert_eq!(
        ns(&["--kubeconfig", &kc], &[("HELM_KUBECONTEXT", "ctx2")]),
        "ns: other"
    );
    assert_eq!(
        ns(&["--kubeconfig", &kc, "-n", "flagns"], &[]),
        "ns: flagns"
    );
    assert_eq!(
        ns(&["--kubeconfig", &kc], &[("HELM_NAMESPACE", "envns")]),
        "ns: envns"
    );
    assert_eq!(ns(&[], &[("KUBECONFIG", &kc)]), "ns: fromkc");
    // The first file that sets current-context wins; contexts come from any file.
    assert_eq!(ns(&[], &[("KUBECONFIG", &list)]), "ns: other");
    // An explicit file that is missing or broken leaves the default, even with $KUBECONFIG.
    assert_eq!(
        ns(&["--kubeconfig", "/nonexistent/kc"], &[("KUBECONFIG", &kc)]),
        "ns: default"
    );
    assert_eq!(ns(&["--kubeconfig", &broken], &[]), "ns: default");
}

#[test]
fn helm_debug_environment_variable_is_debug_mode() {
    // helm v4.3.1: the error keeps its "Use --debug flag" hint unless debug mode is on.
    let chart = chart_with("debug-chart", "a: b\n c: d: e\n");
    let hint = "Use --debug flag to render out invalid YAML";
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["template", "x", chart.as_str()];
        all.extend_from_slice(args);
        let r = chartroom_env(&all, env);
        assert_eq!(r.code, 1, "{args:?} {env:?}");
        r.stderr.contains(hint)
    };
    assert!(run(&[], &[]));
    assert!(!run(&["--debug"], &[]));
    assert!(!run(&[], &[("HELM_DEBUG", "1")]));
    assert!(run(&[], &[("HELM_DEBUG", "bogus")]));
    assert!(run(&["--debug=false"], &[("HELM_DEBUG", "true")]));
}
