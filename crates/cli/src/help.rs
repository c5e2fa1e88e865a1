//! Usage texts in Helm's (cobra/pflag's) layout: a description, `Usage:`, the commands, then
//! `Flags:` / `Global Flags:` with the descriptions in one aligned column. Built from the flag
//! table in `args.rs`, so the help lists exactly what the parser accepts.

use crate::args::{FlagDef, Use, FLAGS};

/// The Helm version whose `helm template` chartroom reproduces.
pub const HELM_VERSION: &str = "v4.3.1";

/// The commands: name, one-line description, available now.
pub const COMMANDS: &[(&str, &str, bool)] = &[
    (
        "diff",
        "show what a values (or chart) change does to the rendered release",
        true,
    ),
    ("help", "Help about any command", true),
    (
        "lint",
        "validate rendered manifests against bundled Kubernetes schemas (Helm's own checks: not yet)",
        true,
    ),
    (
        "template",
        "locally render templates, exactly as `helm template` does",
        true,
    ),
    ("version", "print the chartroom version", true),
];

/// The `chartroom version` / `chartroom --version` text.
pub fn version() -> String {
    format!(
        "chartroom {} (renders as helm template {HELM_VERSION})\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// pflag's left column: `  -s, --long type` or `      --long type`.
fn left(f: &FlagDef) -> String {
    let mut s = match f.short {
        Some(c) => format!("  -{c}, --{}", f.long),
        None => format!("      --{}", f.long),
    };
    if !f.type_name.is_empty() {
        s.push(' ');
        s.push_str(f.type_name);
    }
    s
}

/// One flag section: rows aligned three spaces after the longest left column, as pflag does.
fn section(out: &mut String, title: &str, rows: &[(String, String)]) {
    if rows.is_empty() {
        return;
    }
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    out.push_str(title);
    out.push_str(":\n");
    for (l, d) in rows {
        out.push_str(&format!("{l:width$}   {d}\n"));
    }
    out.push('\n');
}

/// Rows in pflag's order: sorted by long name.
fn rows<'a>(flags: impl Iterator<Item = &'a FlagDef>) -> Vec<(String, String)> {
    let mut flags: Vec<&FlagDef> = flags.collect();
    flags.sort_by_key(|f| f.long);
    flags
        .into_iter()
        .map(|f| (left(f), f.help.to_string()))
        .collect()
}

fn help_row(command: &str) -> (String, String) {
    ("  -h, --help".to_string(), format!("help for {command}"))
}

/// Accepted-and-ignored flags (all of them for `template`, the global ones elsewhere).
fn ignored_section(out: &mut String, global_only: bool) {
    let ignored = rows(
        FLAGS
            .iter()
            .filter(|f| f.usage == Use::Ignored && (f.global || !global_only)),
    );
    section(
        out,
        "Accepted and Ignored Flags (Helm's repository, cluster and install flags: no effect on the output)",
        &ignored,
    );
}

fn refused_note(out: &mut String) {
    let refused: Vec<String> = FLAGS
        .iter()
        .filter(|f| matches!(f.usage, Use::Refused(_)))
        .map(|f| format!("--{}", f.long))
        .collect();
    out.push_str(&format!(
        "Not supported (these change Helm's output in ways chartroom cannot reproduce, so they are an error):\n  {}\n\n",
        refused.join(", ")
    ));
}

fn honoured_globals() -> Vec<(String, String)> {
    rows(
        FLAGS
            .iter()
            .filter(|f| f.global && f.usage == Use::Honoured),
    )
}

/// The root usage (`chartroom`, `chartroom --help`, `chartroom help`), without the
/// description when `usage_only` (after `Unknown help topic`).
pub fn root(usage_only: bool) -> String {
    let mut out = String::new();
    if !usage_only {
        out.push_str(&format!(
            "chartroom renders Helm charts exactly as `helm template` (Helm {HELM_VERSION}) does:\n\
             locally, with no cluster and no network. The same render core runs in the browser.\n\n"
        ));
    }
    out.push_str("Usage:\n  chartroom [command]\n\nAvailable Commands:\n");
    for (name, what, _) in COMMANDS {
        out.push_str(&format!("  {name:<11} {what}\n"));
    }
    out.push('\n');
    let mut flags = honoured_globals();
    flags.push(help_row("chartroom"));
    flags.push((
        "      --version".to_string(),
        "print the chartroom version".to_string(),
    ));
    let long = |row: &(String, String)| row.0.split("--").nth(1).unwrap_or("").to_string();
    flags.sort_by_key(long);
    section(&mut out, "Flags", &flags);
    ignored_section(&mut out, true);
    out.push_str("Use \"chartroom [command] --help\" for more information about a command.\n");
    out
}

/// The `--limit NAME=VALUE` names with their defaults and meanings (the one table,
/// `chartroom_template::limits::LIMITS`, which the wasm option reads too).
fn limits_section(out: &mut String) {
    let rows: Vec<(String, String)> = chartroom_template::limits::LIMITS
        .iter()
        .map(|(name, default, what)| (format!("  {name}"), format!("{what}; default {default}")))
        .collect();
    section(
        out,
        "Limits (--limit NAME=VALUE; each error names the limit it hit)",
        &rows,
    );
}

/// `chartroom template --help`.
pub fn template() -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Render chart templates locally and print them, byte for byte as `helm template`\n\
         (Helm {HELM_VERSION}) prints them. CHART is a chart folder or a packaged .tgz.\n\n\
         Random values (randAlphaNum, genCA, ...) are drawn from a generator seeded with 256 bits\n\
         from the operating system, so each run differs, as with Helm.\n\n\
         Usage:\n  chartroom template [NAME] [CHART] [flags]\n\n"
    ));
    let own = rows(
        FLAGS
            .iter()
            .filter(|f| !f.global && f.only.is_empty() && f.usage == Use::Honoured),
    );
    section(&mut out, "Flags", &own);
    limits_section(&mut out);
    section(&mut out, "Global Flags", &honoured_globals());
    ignored_section(&mut out, false);
    refused_note(&mut out);
    out
}

/// `chartroom diff --help`.
pub fn diff() -> String {
    let mut out = String::new();
    out.push_str(
        "Render a chart twice, with OLD_VALUES and with NEW_VALUES, and show what changes:
         resources added, removed and modified (by field), what applying it does (pods roll,
         immutable fields), without noise: both sides use the same random seed, key order and
         formatting are not changes, Secret values are redacted.

         OLD_VALUES and NEW_VALUES are values files; several separated by commas apply in order
         like repeated -f, and an empty argument means the chart's defaults. Every template flag
         applies to both sides. Exit status: 0 no changes, 1 changes, 2 error.

         Usage:
  chartroom diff [NAME] CHART OLD_VALUES NEW_VALUES [flags]

",
    );
    let own = rows(
        FLAGS
            .iter()
            .filter(|f| f.only.contains(&"diff") && f.usage == Use::Honoured),
    );
    section(&mut out, "Flags", &own);
    let shared = rows(
        FLAGS
            .iter()
            .filter(|f| !f.global && f.only.is_empty() && f.usage == Use::Honoured),
    );
    section(&mut out, "Template Flags (both sides)", &shared);
    limits_section(&mut out);
    section(&mut out, "Global Flags", &honoured_globals());
    out
}

/// `chartroom lint --help`.
pub fn lint() -> String {
    let mut out = String::new();
    out.push_str(
        "Render a chart (as `chartroom template` does) and validate every manifest against the\n\
         Kubernetes JSON schemas bundled for 1.25-1.37 (default 1.37, or --kube-version, repeatable),\n\
         offline. With --manifests, validate YAML files (- for stdin) instead. Also reported:\n\
         deprecated and removed apiVersions, duplicate resources, duplicate keys, and custom\n\
         resources checked against the CRDs in the chart or files. Findings name the template or\n\
         file, the document, the JSON path and the line and column. Several charts or files are\n\
         linted on all cores (with several arguments, the first is the release name unless it\n\
         is an existing path). Exit status: 0 without errors, 1 with errors, 2 when it could not run.\n\n\
         Usage:\n  chartroom lint [NAME] CHART... [flags]\n  chartroom lint --manifests FILE... [flags]\n\n",
    );
    let own = rows(
        FLAGS
            .iter()
            .filter(|f| f.only.contains(&"lint") && f.usage == Use::Honoured),
    );
    section(&mut out, "Flags", &own);
    let shared = rows(
        FLAGS
            .iter()
            .filter(|f| !f.global && f.only.is_empty() && f.usage == Use::Honoured),
    );
    section(&mut out, "Template Flags", &shared);
    limits_section(&mut out);
    section(&mut out, "Global Flags", &honoured_globals());
    out
}

/// Help for the commands other than `template`; `None` for an unknown name.
pub fn command(name: &str) -> Option<String> {
    if name == "template" {
        return Some(template());
    }
    if name == "diff" {
        return Some(diff());
    }
    if name == "lint" {
        return Some(lint());
    }
    let (_, what, available) = COMMANDS.iter().find(|(n, _, _)| *n == name)?;
    let mut out = String::new();
    let first = what.to_string();
    out.push_str(&first);
    out.push_str("\n\n");
    if !available {
        out.push_str(&format!(
            "`chartroom {name}` is announced but not implemented in this version: running it is an error.\n\n"
        ));
    }
    let usage = if name == "help" {
        "chartroom help [command]"
    } else {
        &format!("chartroom {name} [flags]")
    };
    out.push_str(&format!("Usage:\n  {usage}\n\n"));
    section(&mut out, "Flags", &[help_row(name)]);
    section(&mut out, "Global Flags", &honoured_globals());
    ignored_section(&mut out, true);
    Some(out)
}
