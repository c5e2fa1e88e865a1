//! Where rendered lines came from (issue 15's provenance at the release level): with
//! `RenderRequest::provenance` on, a render keeps each template's output with its
//! [`Provenance`], so a position in a rendered document (a lint finding, a YAML error) can be
//! traced to the template file and line that wrote it, the `include`/`template` chain that led
//! there and, for a printed value, the values key and where a values file sets it.

use std::collections::HashMap;
use std::rc::Rc;

use chartroom_template::provenance::Provenance;
use chartroom_template::Value;
use serde::Serialize;

/// A template position: chart-relative file (`chart/templates/_helpers.tpl`) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateLine {
    pub file: String,
    pub line: u32,
}

/// The values key a printed value came from (`image.tag`) and where it was set: a flag
/// (`--set`, `--set-string`...) or a values file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueOrigin {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// The origin of one rendered position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineOrigin {
    /// From the manifest's own template down to the position that wrote the line.
    pub trace: Vec<TemplateLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueOrigin>,
}

impl LineOrigin {
    /// The position that wrote the line (the last of the trace).
    pub fn position(&self) -> Option<&TemplateLine> {
        self.trace.last()
    }
}

/// One line of an excerpt of rendered output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExcerptLine {
    /// 1-based, in the document (or, for a failed template, in its output so far).
    pub rendered_line: u32,
    pub text: String,
    /// The line the problem is on.
    pub marked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<LineOrigin>,
}

/// Rendered lines around a failure, each with its origin (`chartroom template --explain`, the
/// page's error panel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    /// The template whose output this is (`chart/templates/x.yaml`).
    pub source: String,
    pub lines: Vec<ExcerptLine>,
}

impl LineOrigin {
    /// `file:line` of the writing position, then the chain that led there and the value.
    pub fn describe(&self) -> String {
        let mut s = match self.position() {
            Some(p) => format!("{}:{}", p.file, p.line),
            None => String::new(),
        };
        if self.trace.len() > 1 {
            let via: Vec<String> = self.trace[..self.trace.len() - 1]
                .iter()
                .map(|p| format!("{}:{}", p.file, p.line))
                .collect();
            s.push_str(&format!(" (via {})", via.join(" > ")));
        }
        if let Some(v) = &self.value {
            s.push_str(&format!(" value {}", v.key));
            if let Some(flag) = &v.flag {
                s.push_str(&format!(" from {flag}"));
            } else if let (Some(f), Some(l)) = (&v.file, v.line) {
                s.push_str(&format!(" from {f}:{l}"));
            }
        }
        s
    }
}

impl std::fmt::Display for Excerpt {
    /// The rendered lines, the marked one flagged with `>`, each followed by its origin.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Rendered {}:", self.source)?;
        let width = self
            .lines
            .iter()
            .map(|l| l.text.chars().count())
            .max()
            .unwrap_or(0)
            .min(60);
        for l in &self.lines {
            let origin = l.origin.as_ref().map(|o| o.describe()).unwrap_or_default();
            writeln!(
                f,
                "{} {:>4} | {:width$}  <- {}",
                if l.marked { ">" } else { " " },
                l.rendered_line,
                l.text,
                origin,
            )?;
        }
        Ok(())
    }
}

struct TracedOutput {
    output: Vec<u8>,
    provenance: Provenance,
}

/// A values file that may set a key: its name, text and the key prefix of the chart it
/// belongs to (a subchart's `values.yaml` sets `sub.*` of the parent's values).
struct ValuesText {
    name: String,
    text: Rc<[u8]>,
    prefix: Vec<String>,
}

/// Provenance of one render.
#[derive(Default)]
pub struct Origins {
    templates: HashMap<String, TracedOutput>,
    /// Maps of `.Values` by address, with their key path (valid: the maps were alive during
    /// the whole render, so no other map recorded then shared an address).
    value_paths: HashMap<usize, Vec<String>>,
    /// Highest priority first: user values files (last given first), then the charts'
    /// values.yaml files.
    values_texts: Vec<ValuesText>,
    /// What the `--set` family of flags set, by flag, highest priority first (they override
    /// values files).
    flags: Vec<(String, Value)>,
    /// Keys already looked up (each lookup reads a values file again).
    found: std::cell::RefCell<HashMap<Vec<String>, ValueOrigin>>,
}

impl std::fmt::Debug for Origins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Origins({} templates)", self.templates.len())
    }
}

/// How deep [`Origins::index_values`] follows nested maps.
const MAX_VALUES_DEPTH: usize = 100;

impl Origins {
    pub(crate) fn add_template(&mut self, name: String, output: Vec<u8>, provenance: Provenance) {
        self.templates
            .insert(name, TracedOutput { output, provenance });
    }

    pub(crate) fn add_values_text(&mut self, name: String, text: Rc<[u8]>, prefix: Vec<String>) {
        self.values_texts.push(ValuesText { name, text, prefix });
    }

    /// Values a flag (`--set`...) set; call in priority order, highest first.
    pub(crate) fn add_flag_values(&mut self, flag: &str, values: Value) {
        self.flags.push((flag.to_string(), values));
    }

    /// Records the key path of every map in `values` (the top-level `.Values`).
    pub(crate) fn index_values(&mut self, values: &Value) {
        fn walk(v: &Value, path: &mut Vec<String>, out: &mut HashMap<usize, Vec<String>>) {
            match v {
                Value::Map(m, _) => {
                    let addr = Rc::as_ptr(m) as *const () as usize;
                    if out.contains_key(&addr) || path.len() > MAX_VALUES_DEPTH {
                        return;
                    }
                    out.insert(addr, path.clone());
                    for (k, v) in m.borrow().iter() {
                        path.push(k.to_string());
                        walk(v, path, out);
                        path.pop();
                    }
                }
                Value::List(items, _) => {
                    if path.len() > MAX_VALUES_DEPTH {
                        return;
                    }
                    for (i, v) in items.iter().enumerate() {
                        path.push(i.to_string());
                        walk(v, path, out);
                        path.pop();
                    }
                }
                _ => {}
            }
        }
        walk(values, &mut Vec::new(), &mut self.value_paths);
    }

    /// The origin of 1-based `line` and `column` (characters; `None`: the line's first
    /// non-blank character) of the document that starts at byte `offset` of template
    /// `source`'s output.
    pub fn locate(
        &self,
        source: &str,
        offset: usize,
        line: u32,
        column: Option<u32>,
    ) -> Option<LineOrigin> {
        let t = self.templates.get(source)?;
        match column {
            Some(_) => self.origin_at(t, position_offset(&t.output, offset, line, column)?),
            None => self.line_origin(t, line_start(&t.output, offset, line)?),
        }
    }

    /// The rendered text of `line` of the document at `offset` of `source`'s output.
    pub fn rendered_line(&self, source: &str, offset: usize, line: u32) -> Option<String> {
        let t = self.templates.get(source)?;
        let start = line_start(&t.output, offset, line)?;
        Some(line_text(&t.output, start))
    }

    /// `context` lines either side of `line` of the document at `offset` of `source`'s
    /// output (which ends at the first `---` line after it or at the end), `line` marked.
    pub fn excerpt(&self, source: &str, offset: usize, line: u32, context: u32) -> Option<Excerpt> {
        let t = self.templates.get(source)?;
        Some(self.excerpt_of(source, t, offset, line, context))
    }

    fn excerpt_of(
        &self,
        source: &str,
        t: &TracedOutput,
        offset: usize,
        line: u32,
        context: u32,
    ) -> Excerpt {
        let first = line.saturating_sub(context).max(1);
        let mut lines = Vec::new();
        for n in first..=line.saturating_add(context) {
            let Some(start) = line_start(&t.output, offset, n) else {
                break;
            };
            let text = line_text(&t.output, start);
            if (n > line && text.starts_with("---")) || (start == t.output.len() && n != line) {
                break;
            }
            lines.push(ExcerptLine {
                rendered_line: n,
                marked: n == line,
                origin: self.line_origin(t, start),
                text,
            });
            if start >= t.output.len() {
                break;
            }
        }
        Excerpt {
            source: source.to_string(),
            lines,
        }
    }

    fn origin_at(&self, t: &TracedOutput, at: usize) -> Option<LineOrigin> {
        self.resolve(t.provenance.origin_at(&t.output, at)?)
    }

    fn line_origin(&self, t: &TracedOutput, start: usize) -> Option<LineOrigin> {
        self.resolve(t.provenance.line_origin(&t.output, start)?)
    }

    fn resolve(&self, origin: chartroom_template::provenance::Origin) -> Option<LineOrigin> {
        let trace = origin
            .trace
            .iter()
            .map(|s| TemplateLine {
                file: s.file.to_string(),
                line: s.line,
            })
            .collect();
        let value = origin.lookup.and_then(|l| {
            let mut path = self.value_paths.get(&l.map)?.clone();
            path.push(l.key.to_string());
            Some(self.value_origin(path))
        });
        Some(LineOrigin { trace, value })
    }

    fn value_origin(&self, path: Vec<String>) -> ValueOrigin {
        if let Some(v) = self.found.borrow().get(&path) {
            return v.clone();
        }
        let v = self.find_value(&path);
        self.found.borrow_mut().insert(path, v.clone());
        v
    }

    fn find_value(&self, path: &[String]) -> ValueOrigin {
        let key = path.join(".");
        for (flag, values) in &self.flags {
            if has_path(values, path) {
                return ValueOrigin {
                    key,
                    flag: Some(flag.clone()),
                    file: None,
                    line: None,
                };
            }
        }
        for v in &self.values_texts {
            let Some(rest) = path.strip_prefix(v.prefix.as_slice()) else {
                continue;
            };
            let Ok(text) = std::str::from_utf8(&v.text) else {
                continue;
            };
            let pointer: String = rest
                .iter()
                .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
                .collect();
            if let Ok(found) = chartroom_yaml::locate(text, &[pointer.as_str()]) {
                if let Some(Some(at)) = found.into_iter().next() {
                    return ValueOrigin {
                        key,
                        flag: None,
                        file: Some(v.name.clone()),
                        line: Some(at.key.unwrap_or(at.value).line),
                    };
                }
            }
        }
        ValueOrigin {
            key,
            flag: None,
            file: None,
            line: None,
        }
    }
}

/// Whether `values` has an entry at `path` (map keys, list indices).
fn has_path(values: &Value, path: &[String]) -> bool {
    let mut cur = values.clone();
    for k in path {
        let next = match &cur {
            Value::Map(m, _) => m.borrow().get(k.as_str()).cloned(),
            Value::List(items, _) => k.parse::<usize>().ok().and_then(|i| items.get(i).cloned()),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return false,
        }
    }
    true
}

/// Byte offset where 1-based `line` starts, counting from `offset`.
fn line_start(out: &[u8], offset: usize, line: u32) -> Option<usize> {
    let mut at = offset.min(out.len());
    for _ in 1..line {
        let nl = out[at..].iter().position(|&b| b == b'\n')?;
        at += nl + 1;
    }
    Some(at)
}

fn line_text(out: &[u8], start: usize) -> String {
    let end = out[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(out.len(), |i| start + i);
    String::from_utf8_lossy(&out[start..end]).into_owned()
}

/// The byte offset of `line`/`column` (characters) counted from `offset`; the column past the
/// line's end is its end; no column: the first non-blank byte.
fn position_offset(out: &[u8], offset: usize, line: u32, column: Option<u32>) -> Option<usize> {
    let start = line_start(out, offset, line)?;
    let text = line_text(out, start);
    let within = match column {
        Some(c) => text
            .char_indices()
            .nth(c.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| i),
        None => text.len() - text.trim_start().len(),
    };
    Some(start + within.min(text.len()))
}

/// Rendered lines of a template that failed, up to the failure (the last `context` + 1 lines
/// of its partial output, the last one marked).
///
/// `error` is Go's error text: the positions it names (`template: FILE:LINE:COL:`, the failing
/// action, then inside each `include` the error went through) end the marked line's trace, so
/// an error inside a helper names the helper's line.
pub fn partial_excerpt(
    template: &str,
    output: Vec<u8>,
    provenance: Provenance,
    error: &str,
    context: u32,
) -> Excerpt {
    let lines = 1 + output.iter().filter(|&&b| b == b'\n').count() as u32;
    let mut origins = Origins::default();
    origins.add_template(template.to_string(), output, provenance);
    let t = &origins.templates[template];
    let mut e = origins.excerpt_of(template, t, 0, lines, context);
    e.lines.retain(|l| l.rendered_line <= lines);
    let nested = error_positions(error);
    if let Some(origin) = e
        .lines
        .iter_mut()
        .find(|l| l.marked)
        .and_then(|l| l.origin.as_mut())
    {
        if !nested.is_empty() {
            // The call sites of `{{ template }}` stay; the last position is the error's.
            origin.trace.pop();
            origin.trace.extend(nested);
        }
    }
    e
}

/// The positions Go's execution errors name, outermost first (`template: FILE:LINE:COL: ...`).
fn error_positions(error: &str) -> Vec<TemplateLine> {
    let mut out = Vec::new();
    let mut rest = error;
    while let Some(i) = rest.find("template: ") {
        rest = &rest[i + "template: ".len()..];
        let mut parts = rest.splitn(4, ':');
        let (Some(file), Some(line), Some(col)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if file.is_empty() || file.contains(' ') || !digits(line) || !digits(col) {
            continue;
        }
        if let Ok(line) = line.parse() {
            out.push(TemplateLine {
                file: file.to_string(),
                line,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_error_positions_outermost_first() {
        let e = "template: c/templates/d.yaml:15:28: executing \"c/templates/d.yaml\" at <include \"x\" .>: error calling include: template: c/templates/_h.tpl:4:10: executing \"x\" at <required>: error calling required: set a";
        let got: Vec<(String, u32)> = error_positions(e)
            .into_iter()
            .map(|p| (p.file, p.line))
            .collect();
        assert_eq!(
            got,
            [
                ("c/templates/d.yaml".to_string(), 15),
                ("c/templates/_h.tpl".to_string(), 4)
            ]
        );
        assert!(error_positions("template: no template \"x\" associated").is_empty());
    }

    #[test]
    fn positions_count_characters() {
        let out = "a: 1\nbé: x\n".as_bytes();
        assert_eq!(position_offset(out, 0, 2, Some(3)), Some(8));
        assert_eq!(position_offset(out, 0, 2, None), Some(5));
        assert_eq!(line_start(out, 0, 4), None);
    }
}
