//! Where output came from. With [`crate::Options::provenance`] on, an execution records for
//! every stretch of its output the template file and line that wrote it, with the chain of
//! call sites that led there (`{{ template }}` inline, `include`/`tpl` through functions), and
//! the map lookup whose value an action printed (so a caller can name the values key).
//! What `tpl` prints is the calling action's: its text is not a chart file (it usually
//! comes from values), so its own lines would point nowhere useful.
//!
//! Text an action prints after string functions moved it around (`include ... | nindent 4`,
//! `trim`, `quote`, `toYaml` of included text) is traced line by line: each printed line is
//! matched, white space and quotes aside, against the lines of the `include`/`tpl` results
//! the execution produced (those of the same action first), whose own origins are known. A
//! line no included text explains is the printing action's own.
//!
//! Off, an execution pays one branch per text node and action.

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::Source;
use crate::gostr::Str;

/// A line of a template source: its parse name (the chart-relative file) and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SourceLine {
    pub file: Rc<str>,
    pub line: u32,
}

/// Call sites from the outermost template down to the position that wrote the output.
pub type Trace = Rc<[SourceLine]>;

/// A map lookup (`.Values.image.tag` ends with the lookup of `tag` in the `image` map): the
/// map by address, which identifies it while the data it belongs to is alive, and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    pub map: usize,
    pub key: Rc<str>,
}

/// One stretch of output, from `start` to the next span's start.
#[derive(Clone, Debug)]
pub struct Span {
    pub start: usize,
    pub trace: Trace,
    /// Template text copied verbatim: the last call site's line advances with every newline
    /// after `start`.
    pub verbatim: bool,
    /// The lookup whose value the printing action wrote, if the action printed one.
    pub lookup: Option<Lookup>,
}

/// The spans of one execution's output, in output order.
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    pub spans: Vec<Span>,
}

/// The origin of one output byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Outermost first; the last entry is the position that wrote the byte.
    pub trace: Vec<SourceLine>,
    pub lookup: Option<Lookup>,
}

impl Provenance {
    /// The origin of byte `offset` of `out` (the output these spans describe).
    pub fn origin_at(&self, out: &[u8], offset: usize) -> Option<Origin> {
        let i = self
            .spans
            .partition_point(|s| s.start <= offset)
            .checked_sub(1)?;
        let span = &self.spans[i];
        if span.trace.is_empty() {
            return None; // past [`MAX_SPANS`]
        }
        let mut trace = span.trace.to_vec();
        if span.verbatim {
            let end = offset.min(out.len()).max(span.start.min(out.len()));
            let newlines = out[span.start.min(out.len())..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            if let Some(last) = trace.last_mut() {
                last.line += newlines as u32;
            }
        }
        Some(Origin {
            trace,
            lookup: span.lookup.clone(),
        })
    }

    /// The origin of the line starting at `start`: that of its first non-blank byte, with the
    /// first lookup printed anywhere on the line.
    pub fn line_origin(&self, out: &[u8], start: usize) -> Option<Origin> {
        let start = start.min(out.len());
        let end = out[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(out.len(), |i| start + i);
        let first = out[start..end]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map_or(start, |i| start + i);
        let mut origin = self.origin_at(out, first)?;
        if origin.lookup.is_none() {
            let from = self
                .spans
                .partition_point(|s| s.start <= start)
                .saturating_sub(1);
            origin.lookup = self.spans[from..]
                .iter()
                .take_while(|s| s.start < end)
                .find_map(|s| s.lookup.clone());
        }
        Some(origin)
    }

    /// Shifts every span by `by` bytes (the output was appended after `by` earlier bytes) and
    /// puts `prefix` call sites before each trace.
    fn appended(&self, by: usize, prefix: &[SourceLine]) -> impl Iterator<Item = Span> + '_ {
        let prefix = prefix.to_vec();
        self.spans.iter().map(move |s| Span {
            start: s.start + by,
            trace: prefix.iter().chain(s.trace.iter()).cloned().collect(),
            verbatim: s.verbatim,
            lookup: s.lookup.clone(),
        })
    }

    /// The spans after removing `cut` byte ranges (sorted, disjoint) from the output, as
    /// Helm's engine removes every `<no value>`.
    pub fn remove_ranges(&mut self, cut: &[(usize, usize)]) {
        if cut.is_empty() {
            return;
        }
        for s in &mut self.spans {
            let mut removed = 0;
            for &(a, b) in cut {
                if b <= s.start {
                    removed += b - a;
                } else if a < s.start {
                    removed += s.start - a;
                } else {
                    break;
                }
            }
            s.start -= removed;
        }
    }
}

/// Where a source offset lies: 1-based line, computed from a table built once per source.
pub(crate) fn line_of(source: &Source, pos: usize) -> u32 {
    let starts = source.line_starts();
    starts.partition_point(|&s| s <= pos) as u32
}

/// The most spans one execution records. Past it the rest of the output is traced to no
/// template line (one span with an empty trace): a loop writing millions of short pieces
/// would otherwise keep ~100 bytes per piece (a 54 MB manifest of small maps took 900 MB
/// linting). No execution of the golden charts records 2,000 (`chartroom lint`, 2026-12-05).
pub const MAX_SPANS: usize = 1 << 16;

/// What the executor keeps while recording.
#[derive(Default)]
pub(crate) struct Recorder {
    pub spans: Vec<Span>,
    /// `{{ template }}` call sites of the running template (executed inline).
    pub calls: Vec<SourceLine>,
    /// The last map lookup of the running action.
    pub lookup: Option<Lookup>,
    /// Traces made lately, by line (a loop writes from the same few lines again and again:
    /// they share one allocation).
    recent: Vec<Option<Trace>>,
    /// [`MAX_SPANS`] was reached: nothing more is recorded.
    full: bool,
}

/// How many recent traces [`Recorder::here`] keeps (by line, modulo).
const RECENT_TRACES: usize = 64;

/// The `include`/`tpl` results an execution has seen so far (the most recent
/// [`KEEP_CAPTURES`]), with their own provenance.
#[derive(Default)]
pub(crate) struct Captures {
    pub list: Vec<(Str, Provenance)>,
    /// How many were made in total (the index of the next one, for [`Recorder::action`]).
    pub made: usize,
}

impl Captures {
    pub fn capture(&mut self, text: Str, prov: Provenance) {
        if self.list.len() >= KEEP_CAPTURES {
            self.list.remove(0);
        }
        self.list.push((text, prov));
        self.made += 1;
    }
}

/// Captured `include` results kept for actions that print them later through a variable.
const KEEP_CAPTURES: usize = 32;

impl Recorder {
    fn push(&mut self, span: Span) {
        if self.full {
            return;
        }
        if self.spans.len() >= MAX_SPANS {
            self.full = true;
            self.spans.push(Span {
                start: span.start,
                trace: Rc::from(Vec::new()),
                verbatim: false,
                lookup: None,
            });
            return;
        }
        if let Some(last) = self.spans.last_mut() {
            if last.start == span.start {
                *last = span;
                return;
            }
            if !last.verbatim
                && !span.verbatim
                && last.trace == span.trace
                && last.lookup == span.lookup
            {
                return;
            }
        }
        self.spans.push(span);
    }

    fn here(&mut self, source: &Source, pos: usize) -> Trace {
        let line = line_of(source, pos);
        if self.recent.is_empty() {
            self.recent = vec![None; RECENT_TRACES];
        }
        let slot = line as usize % RECENT_TRACES;
        if let Some(t) = &self.recent[slot] {
            let n = self.calls.len();
            let same = t.len() == n + 1
                && t[n].line == line
                && Rc::ptr_eq(&t[n].file, &source.parse_name)
                && t[..n] == self.calls[..];
            if same {
                return t.clone();
            }
        }
        let trace: Trace = self
            .calls
            .iter()
            .cloned()
            .chain(std::iter::once(SourceLine {
                file: source.parse_name.clone(),
                line,
            }))
            .collect();
        self.recent[slot] = Some(trace.clone());
        trace
    }

    pub fn text(&mut self, at: usize, source: &Source, pos: usize) {
        let trace = self.here(source, pos);
        self.push(Span {
            start: at,
            trace,
            verbatim: true,
            lookup: None,
        });
    }

    /// An action at `pos` printed `printed` at output offset `at`; `made_before` is
    /// [`Captures::made`] when it started.
    pub fn action(
        &mut self,
        at: usize,
        printed: &[u8],
        source: &Source,
        pos: usize,
        captures: &Captures,
        made_before: usize,
    ) {
        let trace = self.here(source, pos);
        let lookup = self.lookup.take();
        let own = Span {
            start: at,
            trace: trace.clone(),
            verbatim: false,
            lookup: lookup.clone(),
        };
        if printed.is_empty() {
            return;
        }
        let list = &captures.list;
        let new = (captures.made - made_before).min(list.len());
        let candidates: Vec<usize> = if new > 0 {
            (list.len() - new..list.len()).collect()
        } else {
            (0..list.len()).rev().collect()
        };
        if candidates.is_empty() {
            self.push(own);
            return;
        }
        // Whole output of one capture printed as it is: its spans, shifted.
        if let [only] = candidates[..] {
            let (text, prov) = &list[only];
            if text.as_bytes() == printed {
                let spans: Vec<Span> = prov.appended(at, &trace).collect();
                self.push(own);
                for s in spans {
                    self.push(s);
                }
                return;
            }
        }
        let index = LineIndex::new(list, &candidates);
        let mut cursor = 0;
        let mut start = 0;
        while start < printed.len() {
            let end = printed[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(printed.len(), |i| start + i + 1);
            let line = &printed[start..end];
            let found = index.find(line, &mut cursor);
            let span = match found {
                Some(origin) => Span {
                    start: at + start,
                    trace: trace.iter().chain(origin.trace.iter()).cloned().collect(),
                    verbatim: false,
                    lookup: origin.lookup.or_else(|| lookup.clone()),
                },
                None => Span {
                    start: at + start,
                    ..own.clone()
                },
            };
            self.push(span);
            start = end;
        }
    }
}

/// Lines of captured outputs by their trimmed text, in capture order.
struct LineIndex {
    lines: Vec<Origin>,
    by_text: HashMap<Vec<u8>, Vec<usize>>,
}

fn trim_line(line: &[u8]) -> &[u8] {
    let s = line
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(line.len());
    let e = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &line[s..e.max(s)]
}

fn unquote(line: &[u8]) -> &[u8] {
    match line {
        [b'"', inner @ .., b'"'] | [b'\'', inner @ .., b'\''] => inner,
        [b'"', inner @ ..] | [b'\'', inner @ ..] => inner,
        [inner @ .., b'"'] | [inner @ .., b'\''] => inner,
        _ => line,
    }
}

impl LineIndex {
    fn new(captures: &[(Str, Provenance)], which: &[usize]) -> LineIndex {
        let mut lines = Vec::new();
        let mut by_text: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
        for &c in which {
            let (text, prov) = &captures[c];
            let bytes = text.as_bytes();
            let mut start = 0;
            while start < bytes.len() {
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |i| start + i + 1);
                let line = &bytes[start..end];
                let key = trim_line(line);
                if !key.is_empty() {
                    if let Some(origin) = prov.line_origin(bytes, start) {
                        by_text.entry(key.to_vec()).or_default().push(lines.len());
                        lines.push(origin);
                    }
                }
                start = end;
            }
        }
        LineIndex { lines, by_text }
    }

    /// The origin of a printed line: the first captured line with the same text at or after
    /// `cursor` (printing keeps the captured order), else the first anywhere.
    fn find(&self, line: &[u8], cursor: &mut usize) -> Option<Origin> {
        let key = trim_line(line);
        if key.is_empty() {
            return None;
        }
        let hits = self
            .by_text
            .get(key)
            .or_else(|| self.by_text.get(trim_line(unquote(key))))?;
        let pick = hits
            .iter()
            .copied()
            .find(|&i| i >= *cursor)
            .or_else(|| hits.first().copied())?;
        *cursor = pick + 1;
        self.lines.get(pick).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sl(file: &str, line: u32) -> SourceLine {
        SourceLine {
            file: Rc::from(file),
            line,
        }
    }

    #[test]
    fn verbatim_spans_count_lines() {
        let out = b"a\nb\nc";
        let p = Provenance {
            spans: vec![Span {
                start: 0,
                trace: Rc::from(vec![sl("t", 3)]),
                verbatim: true,
                lookup: None,
            }],
        };
        assert_eq!(p.origin_at(out, 0).unwrap().trace, vec![sl("t", 3)]);
        assert_eq!(p.origin_at(out, 4).unwrap().trace, vec![sl("t", 5)]);
    }

    #[test]
    fn removed_ranges_shift_later_spans() {
        let mut p = Provenance {
            spans: vec![
                Span {
                    start: 0,
                    trace: Rc::from(vec![sl("t", 1)]),
                    verbatim: true,
                    lookup: None,
                },
                Span {
                    start: 20,
                    trace: Rc::from(vec![sl("t", 2)]),
                    verbatim: true,
                    lookup: None,
                },
            ],
        };
        p.remove_ranges(&[(5, 15)]);
        assert_eq!(p.spans[1].start, 10);
    }

    #[test]
    fn quotes_and_spaces_do_not_hide_a_line() {
        assert_eq!(trim_line(b"   a: b  \n"), b"a: b");
        assert_eq!(unquote(b"\"x\""), b"x");
    }
}
