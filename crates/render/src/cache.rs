//! Reuse between renders of the same in-memory chart: what a values edit does not change.
//!
//! The browser page and the npm package render one chart again and again with new values
//! (`render(files, options)` on every keystroke). Two steps depend only on the chart's files:
//! - loading it (inflating and untarring a `.tgz`, reading Chart.yaml, values.yaml, every
//!   subchart): [`chart`] keeps the last loaded chart with the source it came from, and a
//!   request with the same source (compared byte for byte) gets a copy of it;
//! - parsing its templates: [`parsed_set`] keeps the last parsed template set with the
//!   templates' names and texts (and the engine switches the functions capture), and a render
//!   with the same list gets a clone of it (its trees are shared and never mutated; `tpl`
//!   parses into a clone of its own).
//!
//! - reading each rendered document's head (a full YAML parse, Helm's `SortManifests`):
//!   [`head`] keeps the last render's heads by document text, and a document whose text is
//!   the same (compared in full) gets its head back; a values edit changes few documents of
//!   a chart with megabytes of CRDs.
//!
//! Only in-memory sources (`ChartSource::Files`, `ChartSource::Archive`) are kept; the CLI's
//! charts on disk are rendered once per process and never pay for a copy. One chart per thread:
//! a different source replaces it, so memory stays at one chart's worth. Errors are not kept.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use chartroom_chart::Chart;
use chartroom_template::{Limits, TemplateSet};

use crate::head::SimpleHead;

/// What an in-memory chart was loaded from.
#[derive(PartialEq)]
pub(crate) enum Source<'a> {
    Files(&'a BTreeMap<String, Vec<u8>>),
    Archive(&'a [u8]),
}

enum OwnedSource {
    Files(BTreeMap<String, Vec<u8>>),
    Archive(Vec<u8>),
}

impl OwnedSource {
    fn matches(&self, s: &Source) -> bool {
        match (self, s) {
            (OwnedSource::Files(a), Source::Files(b)) => a == *b,
            (OwnedSource::Archive(a), Source::Archive(b)) => a.as_slice() == *b,
            _ => false,
        }
    }

    fn from(s: &Source) -> OwnedSource {
        match s {
            Source::Files(f) => OwnedSource::Files((*f).clone()),
            Source::Archive(a) => OwnedSource::Archive(a.to_vec()),
        }
    }
}

/// The switches the engine's functions capture, which a parsed set carries with it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct SetKey {
    pub strict: bool,
    pub lint_mode: bool,
    pub native_depth_limit: Option<usize>,
    /// The set carries its execution options (steps, output size): another limit is another
    /// set.
    pub limits: chartroom_template::Limits,
}

struct ParsedSet {
    key: SetKey,
    templates: Vec<(String, Vec<u8>)>,
    set: TemplateSet,
}

#[derive(Default)]
struct Cache {
    /// The source, the limits it was loaded under (another limit may fail to load it) and
    /// the chart.
    chart: Option<(OwnedSource, Limits, Chart)>,
    parsed: Option<ParsedSet>,
    /// The heads of the last render's documents (those that read without error).
    heads: HashMap<Vec<u8>, SimpleHead, BuildHasherDefault<TextHasher>>,
}

/// A fast hasher for the heads memo's keys, whole document texts (megabytes for charts of
/// CRDs): std's SipHash took ~7% of a cold render of 4.5 MB of CRDs in V8. Keys are still
/// compared in full, so a collision costs time, never a wrong head.
#[derive(Default)]
struct TextHasher(u64);

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut i = 0;
        // Eight bytes a step, in plain loops (the wasm build's size profile leaves iterator
        // adapters and short `copy_from_slice`s as calls).
        while i + 8 <= bytes.len() {
            let b = &bytes[i..i + 8];
            let word = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
            h = (h.rotate_left(5) ^ word).wrapping_mul(K);
            i += 8;
        }
        let mut tail = 0u64;
        let mut shift = 0;
        while i < bytes.len() {
            tail |= (bytes[i] as u64) << shift;
            shift += 8;
            i += 1;
        }
        self.0 = (h.rotate_left(5) ^ tail).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// The chart loaded from `source`: a copy of the kept one when the source is the same as last
/// time, otherwise `load()`'s (kept for next time when it succeeds).
pub(crate) fn chart(
    source: Source,
    limits: &Limits,
    load: impl FnOnce() -> Result<Chart, String>,
) -> Result<Chart, String> {
    let hit = CACHE.with(|c| {
        c.borrow()
            .chart
            .as_ref()
            .filter(|(s, l, _)| s.matches(&source) && l == limits)
            .map(|(_, _, chart)| fresh_copy(chart))
    });
    if let Some(chart) = hit {
        return Ok(chart);
    }
    // A new chart: whatever was kept belongs to another one (drop it before loading).
    CACHE.with(|c| *c.borrow_mut() = Cache::default());
    let chart = load()?;
    let kept = fresh_copy(&chart);
    CACHE.with(|c| c.borrow_mut().chart = Some((OwnedSource::from(&source), *limits, kept)));
    Ok(chart)
}

/// A copy that shares nothing mutable with `c`: values are maps behind `Rc`s, and dependency
/// processing and coalescing change the copy's.
fn fresh_copy(c: &Chart) -> Chart {
    let mut out = c.clone();
    deepen(&mut out);
    out
}

fn deepen(c: &mut Chart) {
    c.values = c.values.deep_copy();
    if let Some(lock) = &c.lock {
        c.lock = Some(lock.deep_copy());
    }
    for d in &mut c.metadata.dependencies {
        for v in &mut d.import_values {
            *v = v.deep_copy();
        }
    }
    for d in &mut c.dependencies {
        deepen(d);
    }
}

/// A template set with `templates` parsed (each `(name, text)` in order): a clone of the kept
/// one when the list and `key` are the same as last time, otherwise `parse(set)`'s result,
/// kept for next time when it succeeds. `set` holds the functions, nothing parsed yet.
pub(crate) fn parsed_set<E>(
    key: SetKey,
    templates: &[(&str, &[u8])],
    mut set: TemplateSet,
    parse: impl FnOnce(&mut TemplateSet) -> Result<(), E>,
) -> Result<TemplateSet, E> {
    let same = |p: &ParsedSet| {
        p.key == key
            && p.templates.len() == templates.len()
            && p.templates
                .iter()
                .zip(templates)
                .all(|((n, t), (n2, t2))| n == n2 && t == t2)
    };
    if let Some(set) = CACHE.with(|c| {
        c.borrow()
            .parsed
            .as_ref()
            .filter(|p| same(p))
            .map(|p| p.set.clone())
    }) {
        return Ok(set);
    }
    CACHE.with(|c| c.borrow_mut().parsed = None);
    parse(&mut set)?;
    let kept = ParsedSet {
        key,
        templates: templates
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_vec()))
            .collect(),
        set: set.clone(),
    };
    CACHE.with(|c| c.borrow_mut().parsed = Some(kept));
    Ok(set)
}

/// The heads of a render's documents, read with `parse` except those whose text the last
/// render read too; keeps this render's (read without error) for the next one, so the memo
/// holds one render's documents.
pub(crate) fn heads<E>(
    texts: &[&[u8]],
    parse: impl FnOnce(&[usize]) -> Vec<Result<SimpleHead, E>>,
) -> Vec<Result<SimpleHead, E>> {
    let mut kept = CACHE.with(|c| std::mem::take(&mut c.borrow_mut().heads));
    let mut out: Vec<Option<Result<SimpleHead, E>>> =
        texts.iter().map(|t| kept.remove(*t).map(Ok)).collect();
    drop(kept);
    let missing: Vec<usize> = (0..texts.len()).filter(|&i| out[i].is_none()).collect();
    for (i, head) in missing.iter().zip(parse(&missing)) {
        out[*i] = Some(head);
    }
    let mut next = HashMap::default();
    let out: Vec<Result<SimpleHead, E>> = out.into_iter().flatten().collect();
    for (text, head) in texts.iter().zip(&out) {
        if let Ok(head) = head {
            next.insert(text.to_vec(), head.clone());
        }
    }
    CACHE.with(|c| c.borrow_mut().heads = next);
    out
}

/// Forgets the kept chart and template set (tests; a host that wants the memory back).
pub fn clear() {
    CACHE.with(|c| *c.borrow_mut() = Cache::default());
}
