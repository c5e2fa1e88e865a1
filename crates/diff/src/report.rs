//! The diff as a person or a program reads it: text (coloured on a terminal), Markdown for a
//! pull-request comment (kept under GitHub's comment limit), and JSON.

use chartroom_template::Value;

use crate::{Change, ReleaseDiff, ResourceChange};

/// GitHub rejects comments over 65,536 characters; leave room for a header the caller adds.
pub const MARKDOWN_LIMIT: usize = 65_000;

fn yaml_of(v: Option<&Value>) -> String {
    v.map(|v| chartroom_yaml::to_yaml(v).unwrap_or_else(|e| format!("# {}\n", e.message())))
        .unwrap_or_default()
}

/// A unified diff of two resource bodies as normalized YAML (sorted keys).
pub fn unified(old: Option<&Value>, new: Option<&Value>, title: &str, context: usize) -> String {
    let (a, b) = (yaml_of(old), yaml_of(new));
    crate::udiff::unified(
        &a,
        &b,
        context,
        &format!("a/{title}"),
        &format!("b/{title}"),
    )
}

/// The one-line plan: `2 to add, 3 to change, 1 to destroy, 5 pods roll`.
pub fn plan(diff: &ReleaseDiff) -> String {
    if diff.changes.is_empty() {
        return "No changes.".to_string();
    }
    let s = &diff.summary;
    let mut parts = vec![
        format!("{} to add", s.added),
        format!("{} to change", s.modified),
        format!("{} to destroy", s.removed),
    ];
    let pods: u64 = diff.changes.iter().map(|c| c.pods_rolled).sum();
    if pods > 0 {
        parts.push(format!(
            "{pods} pod{} roll",
            if pods == 1 { "" } else { "s" }
        ));
    }
    let daemonsets = diff.changes.iter().filter(|c| c.daemonset_rolls).count();
    if daemonsets > 0 {
        parts.push(format!(
            "{daemonsets} daemonset{} roll{} on every node",
            if daemonsets == 1 { "" } else { "s" },
            if daemonsets == 1 { "s" } else { "" }
        ));
    }
    parts.join(", ")
}

fn sign(c: Change) -> &'static str {
    match c {
        Change::Added => "+",
        Change::Removed => "-",
        Change::Modified => "~",
    }
}

fn title(c: &ResourceChange) -> String {
    format!("{} {}/{} ({})", c.kind, c.namespace, c.name, c.source)
}

/// ANSI colours, or none.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Plain text, coloured when `color` (a terminal without `NO_COLOR`).
pub fn text(diff: &ReleaseDiff, color: bool) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    out.push_str(&p.wrap("1", &plan(diff)));
    out.push('\n');
    for c in &diff.changes {
        let code = match c.change {
            Change::Added => "32",
            Change::Removed => "31",
            Change::Modified => "33",
        };
        out.push('\n');
        out.push_str(&p.wrap(code, &format!("{} {}", sign(c.change), title(c))));
        out.push('\n');
        for i in &c.impact {
            out.push_str(&format!("  ! {}\n", p.wrap("35", i)));
        }
        if !c.values.is_empty() {
            out.push_str(&format!("  values: {}\n", c.values.join(", ")));
        }
        for f in &c.fields {
            out.push_str(&format!("  {f}\n"));
        }
        for line in c.diff.lines() {
            let painted = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++") => p.wrap("32", line),
                Some(b'-') if !line.starts_with("---") => p.wrap("31", line),
                Some(b'@') => p.wrap("36", line),
                _ => line.to_string(),
            };
            out.push_str("    ");
            out.push_str(&painted);
            out.push('\n');
        }
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown for a pull-request comment: the plan, a table of resources, and a collapsible
/// section per resource. Kept under [`MARKDOWN_LIMIT`] characters: the largest diffs are cut
/// first, each with a note.
pub fn markdown(diff: &ReleaseDiff) -> String {
    let mut head = String::new();
    head.push_str(&format!("**{}**\n\n", plan(diff)));
    if diff.changes.is_empty() {
        return head;
    }
    head.push_str("| | kind | namespace | name | impact | values |\n|---|---|---|---|---|---|\n");
    for c in &diff.changes {
        head.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            sign(c.change),
            md_escape(&c.kind),
            md_escape(&c.namespace),
            md_escape(&c.name),
            md_escape(&c.impact.join("; ")),
            md_escape(&c.values.join(", ")),
        ));
    }
    head.push('\n');
    let sections: Vec<(String, String)> = diff
        .changes
        .iter()
        .map(|c| {
            let summary = format!(
                "<details><summary>{} {}</summary>\n\n",
                sign(c.change),
                md_escape(&title(c))
            );
            (summary, c.diff.clone())
        })
        .collect();
    let fence = |body: &str| format!("```diff\n{body}```\n\n</details>\n\n");
    let total = |bodies: &[String]| -> usize {
        head.len()
            + sections
                .iter()
                .zip(bodies)
                .map(|((s, _), b)| s.len() + fence(b).len())
                .sum::<usize>()
    };
    let mut bodies: Vec<String> = sections.iter().map(|(_, d)| d.clone()).collect();
    // Cut the largest hunk text first until the comment fits.
    while total(&bodies) > MARKDOWN_LIMIT {
        let Some((i, _)) = bodies
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.starts_with("(diff of "))
            .max_by_key(|(_, b)| b.len())
        else {
            break;
        };
        let lines = bodies[i].lines().count();
        bodies[i] = format!("(diff of {lines} lines cut to keep this comment under GitHub's limit; run `chartroom diff` locally)\n");
    }
    let mut out = head;
    for ((summary, _), body) in sections.iter().zip(&bodies) {
        out.push_str(summary);
        out.push_str(&fence(body));
    }
    if out.len() > MARKDOWN_LIMIT {
        // Even the table is too long: keep a prefix cut at a line boundary.
        let mut cut = MARKDOWN_LIMIT - 100;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = out[..cut].rfind('\n').unwrap_or(cut);
        out.truncate(cut);
        out.push_str("\n\n(cut to keep this comment under GitHub's limit)\n");
    }
    out
}

/// The JSON the CLI prints and the wasm API returns.
pub fn json(diff: &ReleaseDiff) -> String {
    serde_json::to_string_pretty(diff)
        .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}
