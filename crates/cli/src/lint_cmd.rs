//! `chartroom lint [NAME] CHART... [flags]` and `chartroom lint --manifests FILE...`: rendered
//! manifests (or YAML files) validated against the bundled Kubernetes schemas by
//! `chartroom-lint`, reported as text (grouped per resource), JSON or SARIF. Several charts or
//! files are linted on all cores and reported in input order.

use std::io::{IsTerminal, Read};
use std::path::Path;

use chartroom_lint::run::{in_parallel, render_and_lint, Target};
use chartroom_lint::{lint_files_on, packs, Finding, Options, Report, SchemaPack, Severity};

use crate::args::{self, Parsed};
use crate::outcome::{Failure, Output};

/// Every `--kube-version` given, in order (each is linted against), or the default.
fn kube_versions(p: &Parsed) -> Vec<Option<String>> {
    let given: Vec<Option<String>> = p
        .flags
        .iter()
        .filter(|(n, _)| *n == "kube-version")
        .map(|(_, v)| Some(v.clone()))
        .collect();
    if given.is_empty() {
        vec![None]
    } else {
        given
    }
}

fn load_pack(version: Option<&str>) -> Result<SchemaPack, String> {
    packs::load_bundled(version.unwrap_or(packs::DEFAULT_VERSION)).map_err(|e| e.to_string())
}

/// How many threads to lint on: every core.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `[NAME] CHART...`: the release name and the charts. One argument is a chart; with more,
/// the first is the release name unless it names an existing file or folder (then every
/// argument is a chart).
fn name_and_charts(args: &[String]) -> (Option<String>, Vec<String>) {
    match args {
        [] => (None, Vec::new()),
        [chart] => (None, vec![chart.clone()]),
        [first, rest @ ..] if !Path::new(first).exists() => (Some(first.clone()), rest.to_vec()),
        all => (None, all.to_vec()),
    }
}

/// Reads the `--manifests` inputs (`-` is stdin), failing on the first unreadable one.
fn read_inputs(files: &[String]) -> Result<Vec<(String, Vec<u8>)>, Failure> {
    let mut inputs = Vec::new();
    for file in files {
        let data = if file == "-" {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("read stdin: {e}"))?;
            buf
        } else {
            std::fs::read(file)
                .map_err(|e| chartroom_render::load::go_io_error("open", file, &e))?
        };
        inputs.push((file.clone(), data));
    }
    Ok(inputs)
}

/// Runs the command over its parsed command line (failures exit with 2).
pub fn run(p: &Parsed, native_depth_limit: usize) -> Result<Output, Failure> {
    let output = args::flag_value(p, "output").unwrap_or("text");
    if !matches!(output, "text" | "json" | "sarif") {
        return Err(
            format!("invalid output format {output:?}: must be one of: text, json, sarif").into(),
        );
    }
    let opts = Options {
        strict: args::flag_is_set(p, "strict"),
        ..Options::default()
    };
    let versions = kube_versions(p);
    let mut loaded = Vec::new();
    for v in &versions {
        loaded.push(load_pack(v.as_deref())?);
    }
    let mut report = Report::default();
    let mut warnings = Vec::new();
    let mut render_failed = false;
    if args::flag_is_set(p, "manifests") {
        if p.args.is_empty() {
            return Err(String::from("--manifests needs at least one FILE (- for stdin)").into());
        }
        let inputs = read_inputs(&p.args)?;
        let files: Vec<(&str, &[u8])> = inputs
            .iter()
            .map(|(f, d)| (f.as_str(), d.as_slice()))
            .collect();
        for pack in &loaded {
            report.merge(lint_files_on(pack, &files, &opts, threads()));
        }
    } else {
        let (name, charts) = name_and_charts(&p.args);
        if charts.is_empty() {
            // Helm's "requires at least 1 argument".
            args::template_request(p)?;
        }
        let mut requests = Vec::new();
        for chart in &charts {
            let one = Parsed {
                flags: p.flags.clone(),
                args: name.iter().chain([chart]).cloned().collect(),
            };
            let mut req = args::template_request(&one)?;
            req.native_depth_limit = Some(native_depth_limit);
            requests.push(req);
        }
        // Each chart renders for the version it is linted against (its .Capabilities).
        let targets: Vec<Target<'_>> = versions
            .iter()
            .zip(&loaded)
            .map(|(v, pack)| Target {
                kube_version: v.as_deref(),
                pack,
            })
            .collect();
        let results = in_parallel(requests.len(), threads(), |i| {
            render_and_lint(&requests[i], &targets, &opts)
        });
        for (chart, result) in charts.iter().zip(results) {
            match result {
                Ok(mut r) => {
                    if output == "sarif" {
                        repository_paths(&mut r.report, chart);
                    }
                    render_failed |= r.render_failed;
                    warnings.extend(r.warnings);
                    report.merge(r.report);
                }
                Err(e) if charts.len() > 1 => {
                    return Err(Failure {
                        message: format!("{chart}: {}", e.message),
                        warnings: e.warnings,
                        exit: 2,
                    })
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    warnings.dedup();
    let stdout = match output {
        "json" => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        "sarif" => {
            let log = chartroom_lint::sarif::to_sarif(&report, env!("CARGO_PKG_VERSION"));
            serde_json::to_string_pretty(&log).map_err(|e| e.to_string())? + "\n"
        }
        _ => text(
            &report,
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        ),
    };
    Ok(Output::Rendered {
        stdout: stdout.into_bytes(),
        warnings,
        exit: i32::from(report.has_errors() || render_failed),
    })
}

/// For SARIF (whose URIs code scanning resolves against the repository): a chart given as a
/// folder has its findings' files (`# Source:` paths, which start with the chart's name) put
/// under that folder (`app/templates/x.yaml` → `charts/app/templates/x.yaml` for
/// `charts/app`), so they name files of the repository. Charts given as archives keep the
/// `# Source:` paths.
fn repository_paths(report: &mut Report, chart: &str) {
    if !Path::new(chart).is_dir() {
        return;
    }
    let dir = chart.trim_end_matches('/');
    let dir = dir.strip_prefix("./").unwrap_or(dir);
    let in_repository = |file: &mut String| {
        if let Some((_, rest)) = file.split_once('/') {
            *file = if dir == "." || dir.is_empty() {
                rest.to_string()
            } else {
                format!("{dir}/{rest}")
            };
        }
    };
    for f in &mut report.findings {
        if let Some(file) = &mut f.file {
            in_repository(file);
        }
        for t in &mut f.trace {
            in_repository(&mut t.file);
        }
        if let Some(file) = f.value.as_mut().and_then(|v| v.file.as_mut()) {
            in_repository(file);
        }
    }
}

fn resource_title(f: &Finding) -> String {
    let mut t = String::new();
    // A finding traced to a helper still belongs to the manifest's own template.
    let file = f.trace.first().map(|t| &t.file).or(f.file.as_ref());
    if let Some(file) = file {
        t.push_str(file);
        if let Some(d) = f.document {
            t.push_str(&format!(" (document {d})"));
        }
    }
    if let (Some(kind), Some(name)) = (&f.kind, &f.name) {
        if !t.is_empty() {
            t.push_str(": ");
        }
        t.push_str(&format!("{kind}/{name}"));
        if let Some(ns) = &f.namespace {
            t.push_str(&format!(" in {ns}"));
        }
    }
    if t.is_empty() {
        t.push_str("(input)");
    }
    t
}

/// Findings grouped per resource, in input order, then the summary line.
fn text(report: &Report, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let mut current = String::new();
    for f in &report.findings {
        let title = resource_title(f);
        if title != current {
            out.push_str(&paint("1", &title));
            out.push('\n');
            current = title;
        }
        let (code, word) = match f.severity {
            Severity::Error => ("31", "error"),
            Severity::Warning => ("33", "warning"),
            Severity::Info => ("36", "info"),
        };
        let place = match (f.line, f.column, f.rendered_line) {
            (Some(l), _, Some(r)) => {
                let file = f.file.as_deref().unwrap_or("");
                match f.rendered_column {
                    Some(c) => format!(" {file}:{l} (rendered {r}:{c})"),
                    None => format!(" {file}:{l} (rendered line {r})"),
                }
            }
            (Some(l), Some(c), None) => format!(" {l}:{c}"),
            _ => String::new(),
        };
        let path = if f.path.is_empty() {
            place
        } else {
            format!("{place} {}", f.path)
        };
        out.push_str(&format!(
            "  {} [{} {}]{path}: {}\n",
            paint(code, word),
            f.rule,
            f.kube_version,
            f.message
        ));
    }
    let s = &report.summary;
    out.push_str(&format!(
        "{} resources: {} errors, {} warnings, {} infos\n",
        s.resources, s.errors, s.warnings, s.infos
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let mut f = chartroom_lint::lint_text(
            &packs::load_bundled("1.37").unwrap(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: 1\n",
            &chartroom_lint::Origin::default(),
            &Options::default(),
        );
        f.truncate(1);
        let report = Report::new(f, 1);
        let plain = text(&report, false);
        assert_eq!(
            plain,
            "ConfigMap/a\n  error [schema 1.37] 4:7 /data: expected object or null, got integer 1\n\
             1 resources: 1 errors, 0 warnings, 0 infos\n"
        );
        let coloured = text(&report, true);
        assert!(coloured.starts_with("\x1b[1mConfigMap/a\x1b[0m\n  \x1b[31merror\x1b[0m"));
        assert_eq!(
            coloured
                .replace("\x1b[1m", "")
                .replace("\x1b[31m", "")
                .replace("\x1b[0m", ""),
            plain
        );
    }

    #[test]
    fn release_name_or_charts() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(name_and_charts(&s(&["c"])), (None, s(&["c"])));
        assert_eq!(
            name_and_charts(&s(&["no-such-path-here", "c", "d"])),
            (Some("no-such-path-here".into()), s(&["c", "d"]))
        );
        // "." exists: every argument is a chart.
        assert_eq!(name_and_charts(&s(&[".", "c"])), (None, s(&[".", "c"])));
    }
}
