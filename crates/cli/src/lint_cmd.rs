//! `chartroom lint [NAME] CHART [flags]` and `chartroom lint --manifests FILE...`: rendered
//! manifests (or YAML files) validated against the bundled Kubernetes schemas by
//! `chartroom-lint`, reported as text (grouped per resource) or JSON.

use std::io::{IsTerminal, Read};

use chartroom_lint::{lint_manifests, lint_release, packs, Finding, Options, Report, Severity};

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

fn load_pack(version: Option<&str>) -> Result<chartroom_lint::SchemaPack, String> {
    packs::load_bundled(version.unwrap_or("1.37")).map_err(|e| e.to_string())
}

/// Runs the command over its parsed command line (failures exit with 2).
pub fn run(p: &Parsed, native_depth_limit: usize) -> Result<Output, Failure> {
    let output = args::flag_value(p, "output").unwrap_or("text");
    if !matches!(output, "text" | "json") {
        return Err(format!("invalid output format {output:?}: must be one of: text, json").into());
    }
    let opts = Options {
        strict: args::flag_is_set(p, "strict"),
        ..Options::default()
    };
    let mut report = Report::default();
    let mut warnings = Vec::new();
    let mut render_failed = false;
    if args::flag_is_set(p, "manifests") {
        if p.args.is_empty() {
            return Err(String::from("--manifests needs at least one FILE (- for stdin)").into());
        }
        let mut inputs = Vec::new();
        for file in &p.args {
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
        for version in kube_versions(p) {
            let pack = load_pack(version.as_deref())?;
            for (file, data) in &inputs {
                report.merge(lint_manifests(&pack, file, data, &opts));
            }
        }
    } else {
        let template_args = Parsed {
            flags: p.flags.clone(),
            args: p.args.clone(),
        };
        for version in kube_versions(p) {
            let mut req = args::template_request(&template_args)?;
            req.native_depth_limit = Some(native_depth_limit);
            req.kube_version = version.clone();
            // Render for the version linted against (its .Capabilities), as Helm would.
            let pack = load_pack(version.as_deref())?;
            // Helm's own `helm lint` checks (rule "helm") first. A chart `helm template`
            // cannot render still gets them; its manifests are then not validated.
            let helm = chartroom_lint::helm_lint(&req);
            let helm_ran = helm.is_some();
            report.merge(Report::new(helm.unwrap_or_default(), 0));
            match chartroom_render::render_release(&req) {
                Ok(release) => {
                    warnings.extend(release.warnings.iter().cloned());
                    report.merge(lint_release(&pack, &release, &opts));
                }
                Err(e) if !helm_ran => return Err(e.into()),
                Err(e) => {
                    render_failed = true;
                    warnings.extend(e.warnings.iter().cloned());
                    warnings.push(format!("manifests not validated: {}", e.message));
                }
            }
        }
    }
    warnings.dedup();
    let stdout = match output {
        "json" => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        _ => text(
            &report,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
    };
    Ok(Output::Rendered {
        stdout: stdout.into_bytes(),
        warnings,
        exit: i32::from(report.has_errors() || render_failed),
    })
}

fn resource_title(f: &Finding) -> String {
    let mut t = String::new();
    if let Some(file) = &f.file {
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
        let path = if f.path.is_empty() {
            String::new()
        } else {
            format!(" {}", f.path)
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
