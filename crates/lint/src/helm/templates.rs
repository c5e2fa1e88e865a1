//! Helm's template rule (`rules.Templates`): the chart renders (in lint mode), every template
//! has an allowed extension, and each YAML template's documents parse and pass the name,
//! deprecation, selector and List checks. A document that does not parse ends the rule.

use chartroom_render::lint::LintRender;
use chartroom_template::fmt::quote;
use chartroom_template::Value;

use super::docs::{decode_stream, Head};
use super::{deprecations, names, Linter, Sev};

const DIR: &str = "templates/";

/// Go's `filepath.Ext`.
fn ext(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) => &base[i..],
        None => "",
    }
}

fn is_yaml(name: &str) -> bool {
    let e = ext(name).to_ascii_lowercase();
    e == ".yaml" || e == ".yml"
}

/// `validateTopIndentLevel`: the first non-blank line must not start with a space or tab.
/// bufio.Scanner gives up on lines of 64 KiB or more.
fn top_indent(content: &str) -> Result<(), String> {
    for line in content.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.len() >= 64 * 1024 {
            return Err("bufio.Scanner: token too long".into());
        }
        let body = body.strip_suffix('\r').unwrap_or(body);
        if body.trim().is_empty() {
            continue;
        }
        if body.starts_with(' ') || body.starts_with('\t') {
            return Err(format!(
                "document starts with an illegal indent: {}, which may cause parsing problems",
                quote(body)
            ));
        }
        return Ok(());
    }
    Ok(())
}

fn get_ci<'a>(m: &'a chartroom_template::Map, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// `validateListAnnotations`: Helm reads the whole file's first document as a List.
fn list_annotations(content: &str) -> Result<(), String> {
    let v = match chartroom_yaml::from_yaml(content) {
        Ok(v) => v,
        Err(e) => return Err(format!("unable to parse YAML: {e}")),
    };
    let Value::Map(m, _) = &v else {
        return Ok(());
    };
    let m = m.borrow();
    let Some(Value::List(items, _)) = get_ci(&m, "items") else {
        return Ok(());
    };
    for item in items.iter() {
        let Value::Map(im, _) = item else { continue };
        let im = im.borrow();
        let Some(Value::Map(meta, _)) = get_ci(&im, "metadata") else {
            continue;
        };
        let meta = meta.borrow();
        if let Some(Value::Map(ann, _)) = get_ci(&meta, "annotations") {
            if ann.borrow().contains_key("helm.sh/resource-policy") {
                return Err(
                    "annotation 'helm.sh/resource-policy' within List objects are ignored".into(),
                );
            }
        }
    }
    Ok(())
}

fn check_document(l: &mut Linter, file: &str, h: &Head, content: &str, major: &str, minor: &str) {
    if let Some(w) = names::check(&h.kind, &h.name) {
        l.add(Sev::Warning, file, w);
    }
    if let Some(w) = deprecations::deprecation(&h.api_version, &h.kind, major, minor) {
        l.add(Sev::Warning, file, w);
    }
    if matches!(
        h.kind.as_str(),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet"
    ) && !content.contains("matchLabels")
        && !content.contains("matchExpressions")
    {
        l.add(
            Sev::Error,
            file,
            format!(
                "a {} must contain matchLabels or matchExpressions, and {} does not",
                h.kind,
                quote(&h.name)
            ),
        );
    }
    if h.kind == "List" {
        if let Err(e) = list_annotations(content) {
            l.add(Sev::Error, file, e);
        }
    }
}

/// Runs the rule. `dir` says whether `templates` exists and is a directory.
pub(crate) fn lint(
    l: &mut Linter,
    dir: Option<bool>,
    render: impl FnOnce() -> LintRender,
    major: &str,
    minor: &str,
) {
    match dir {
        None => {
            l.add(Sev::Warning, DIR, "directory does not exist".into());
            return;
        }
        Some(false) => {
            l.add(Sev::Error, DIR, "not a directory".into());
            return;
        }
        Some(true) => {}
    }
    let rendered = match render() {
        LintRender::LoadFailed(e) | LintRender::SchemaFailed(e) | LintRender::RenderFailed(e) => {
            l.add(Sev::Error, DIR, e);
            return;
        }
        LintRender::Skipped => return,
        LintRender::Rendered(r) => r,
    };
    for name in &rendered.templates {
        let e = ext(name);
        if !matches!(e, ".yaml" | ".yml" | ".tpl" | ".txt") {
            l.add(
                Sev::Error,
                name,
                format!("file extension '{e}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"),
            );
        }
        if !is_yaml(name) {
            continue;
        }
        let key = format!("{}/{name}", rendered.chart);
        let content = rendered
            .files
            .get(&key)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        if content.trim().is_empty() {
            continue;
        }
        if let Err(w) = top_indent(&content) {
            l.add(Sev::Warning, name, w);
        }
        let (docs, err) = decode_stream(&content);
        for h in docs.iter().flatten() {
            check_document(l, name, h, &content, major, minor);
        }
        if let Some(e) = err {
            l.add(Sev::Error, name, format!("unable to parse YAML: {e}"));
            return;
        }
    }
}
