//! `chartroom diff [NAME] CHART OLD_VALUES NEW_VALUES [flags]`: the chart rendered with each
//! values set (same flags, same random seed), compared by `chartroom-diff`.

use std::io::IsTerminal;

use chartroom_diff::{diff_releases, report, DiffOptions};
use chartroom_render::{ChartSource, RenderError, RenderRequest, Seed, ValueSource};

use crate::args::{self, Parsed};
use crate::outcome::{Failure, Output};

/// One side's values files: comma-separated, applied in order; empty means chart defaults.
fn side_files(arg: &str) -> Vec<ValueSource> {
    arg.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| ValueSource::File(f.to_string()))
        .collect()
}

/// Renders one side, naming the side in the error.
fn render(req: &RenderRequest, side: &str) -> Result<chartroom_render::RenderedRelease, Failure> {
    chartroom_render::render_release(req).map_err(|e: RenderError| {
        let mut warnings = e.warnings;
        warnings.push(format!("chartroom diff: the {side} side failed to render"));
        Failure {
            message: e.message,
            warnings,
            exit: 2,
        }
    })
}

/// Runs the command over its parsed command line (failures exit with 2).
pub fn run(p: &Parsed, native_depth_limit: usize) -> Result<Output, Failure> {
    let (name, chart, old, new) = match p.args.as_slice() {
        [chart, old, new] => (None, chart, old, new),
        [name, chart, old, new] => (Some(name), chart, old, new),
        _ => {
            return Err(format!(
                "\"chartroom diff\" requires 3 or 4 arguments: [NAME] CHART OLD_VALUES NEW_VALUES (got {})",
                p.args.len()
            )
            .into())
        }
    };
    // The template flags, as `chartroom template NAME CHART [flags]` would read them.
    let template_args = Parsed {
        flags: p.flags.clone(),
        args: name.into_iter().chain([chart]).cloned().collect(),
    };
    let mut base = args::template_request(&template_args)?;
    base.native_depth_limit = Some(native_depth_limit);
    if base.output_dir.is_some() {
        return Err(String::from("--output-dir cannot be used with chartroom diff").into());
    }
    // Both sides draw the same random values: one 256-bit seed from the operating system,
    // unless --seed fixed one.
    if base.seed.is_none() {
        let key = chartroom_funcs::rng::entropy_seed()?;
        base.seed = Some(Seed::Key(key));
    }
    // And one clock: certificates carry their creation time.
    base.now = Some(chartroom_funcs::rng::now());
    // No `keep_parsed`: the sort reads only each document's head, and the comparison parses
    // a resource only where the two sides' texts differ, one pair at a time (keeping every
    // document's value cost ~20 bytes of memory per byte of output on each side).
    let mut old_req = base.clone();
    old_req.values.extend(side_files(old));
    if let Some(old_chart) = args::flag_value(p, "old-chart") {
        old_req.chart = ChartSource::Path(old_chart.to_string());
    }
    let mut new_req = base;
    new_req.values.extend(side_files(new));

    let context = match args::flag_value(p, "context") {
        None => 3,
        Some(v) => v.parse::<usize>().map_err(|_| {
            format!("invalid argument {v:?} for \"--context\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax")
        })?,
    };
    let opts = DiffOptions {
        ignore_chart_labels: args::flag_is_set(p, "ignore-chart-labels"),
        ignore: p
            .flags
            .iter()
            .filter(|(n, _)| *n == "ignore")
            .map(|(_, v)| v.clone())
            .collect(),
        show_secrets: args::flag_is_set(p, "show-secrets"),
        context,
        include_crd_files: new_req.include_crds,
    };
    let output = args::flag_value(p, "output").unwrap_or("text");
    if !matches!(output, "text" | "markdown" | "json") {
        return Err(format!(
            "invalid output format {output:?}: must be one of: text, markdown, json"
        )
        .into());
    }

    let old_release = render(&old_req, "old")?;
    let new_release = render(&new_req, "new")?;
    let mut diff = diff_releases(&old_release, &new_release, &opts)?;
    chartroom_diff::attribute_values(
        &old_req,
        &new_req,
        &old_release,
        &new_release,
        &mut diff,
        &opts,
    );
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let stdout = match output {
        "json" => report::json(&diff) + "\n",
        "markdown" => report::markdown(&diff),
        _ => report::text(&diff, color),
    };
    let mut warnings = old_release.warnings;
    warnings.extend(new_release.warnings);
    warnings.dedup();
    Ok(Output::Rendered {
        stdout: stdout.into_bytes(),
        warnings,
        exit: i32::from(diff.has_changes()),
    })
}
