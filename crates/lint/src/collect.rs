//! Reading documents for linting and validating them as a set: CRDs anywhere in the input
//! serve custom resources anywhere, duplicates are found across documents, and findings get
//! their line and column.

use std::collections::HashMap;

use chartroom_render::manifest::split_manifests;
use chartroom_template::Value;

use crate::resources::ResourceKey;
use crate::{
    fill_head, is_empty_document, rule, validate_in, CrdSchemas, Finding, Options, Origin, Report,
    SchemaPack, Severity,
};

/// Where a document starts in the file its line numbers refer to: lines before it and the
/// column (0-based) of its first character.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Base {
    lines: u32,
    column: u32,
}

impl Base {
    /// The start of `piece`, a subslice of `data` at or after `from` (the start of an
    /// earlier piece, whose base is `from_base`): counted from there, so a stream's pieces
    /// cost one pass over the data in all.
    fn after(data: &[u8], piece: &[u8], from: usize, from_base: Base) -> (usize, Base) {
        let offset = (piece.as_ptr() as usize)
            .saturating_sub(data.as_ptr() as usize)
            .clamp(from, data.len());
        let between = &data[from..offset];
        let newlines = between.iter().filter(|&&b| b == b'\n').count();
        let column = match between.iter().rposition(|&b| b == b'\n') {
            Some(i) => String::from_utf8_lossy(&between[i + 1..]).chars().count(),
            None => from_base.column as usize + String::from_utf8_lossy(between).chars().count(),
        };
        let base = Base {
            lines: from_base
                .lines
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX)),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        };
        (offset, base)
    }

    fn place(&self, p: chartroom_yaml::Position) -> (u32, u32) {
        let column = if p.line == 1 {
            p.column.saturating_add(self.column)
        } else {
            p.column
        };
        (p.line.saturating_add(self.lines), column)
    }
}

/// (JSON Pointer, key) of each repeated map key of a document.
type DuplicateKeys = Vec<(String, String)>;

/// A document read: its duplicate keys and the JSON-step value (`None` for an empty
/// document, which is not a resource); or the findings of a document that could not be read.
type Read = Result<Option<(DuplicateKeys, Value)>, Vec<Finding>>;

/// A document for linting.
pub(crate) struct Doc<'a> {
    text: &'a str,
    origin: Origin,
    base: Base,
    /// (API group, kind) of its head, for the CRDs to convert.
    kind: Option<(String, String)>,
    /// The document as the first pass read it, kept only for CRDs and documents that failed:
    /// the others are read again when validated, one at a time, so a release's documents are
    /// never all held as values at once.
    read: Option<Read>,
}

/// Reads every document's head first (so CRDs anywhere in the input serve custom resources
/// anywhere), then reads and validates them in order.
pub(crate) struct Collector<'a> {
    pack: &'a SchemaPack,
    opts: &'a Options,
    /// Namespace of namespaced resources without one (the release's; `""` for files).
    namespace: String,
    docs: Vec<Doc<'a>>,
    crds: CrdSchemas,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(pack: &'a SchemaPack, opts: &'a Options, namespace: &str) -> Collector<'a> {
        Collector {
            pack,
            opts,
            namespace: namespace.to_string(),
            docs: Vec::new(),
            crds: CrdSchemas::default(),
        }
    }

    /// Starts with the CRDs of other inputs already known.
    pub(crate) fn with_crds(mut self, crds: CrdSchemas) -> Collector<'a> {
        self.crds = crds;
        self
    }

    /// Takes one document: its head now (a CRD whole), the rest when it is validated.
    pub(crate) fn read(&mut self, text: &'a str, origin: Origin, base: Base) {
        // The head's apiVersion and kind in one pass that holds no value (the reader gives
        // up on aliases, merge keys and odd keys: those documents are read whole).
        let pick = |path: &[String], key: &str| match (path.is_empty(), key) {
            (true, "apiVersion" | "kind") => chartroom_yaml::Pick::Leaf,
            _ => chartroom_yaml::Pick::Drop,
        };
        let head = match chartroom_yaml::from_yaml_go_outline(text, &pick) {
            Some(Ok(Some(chartroom_yaml::GoVal::Map(entries)))) => {
                let text = |name: &str| {
                    entries.iter().rev().find_map(|(k, v)| match (k, v) {
                        (chartroom_yaml::GoVal::Str(k), chartroom_yaml::GoVal::Str(v))
                            if k == name =>
                        {
                            Some(v.clone())
                        }
                        _ => None,
                    })
                };
                Some((text("apiVersion"), text("kind")))
            }
            Some(Ok(_)) => Some((None, None)),
            Some(Err(_)) | None => None,
        };
        let (kind, read) = match head {
            Some((api, kind)) if kind.as_deref() != Some("CustomResourceDefinition") => {
                (api.zip(kind), None)
            }
            _ => {
                let read = self.read_value(text, &origin);
                let kind = match &read {
                    Ok(Some((_, v))) => head_kind(v),
                    _ => None,
                };
                // Kept: a CRD (converted before anything is validated), or a document that
                // failed or is empty (nothing to read again).
                let keep = match (&read, &kind) {
                    (Ok(Some(_)), Some((_, k))) => k == "CustomResourceDefinition",
                    (Ok(Some(_)), None) => false,
                    _ => true,
                };
                (kind, keep.then_some(read))
            }
        };
        let kind = kind.map(|(api, kind)| (crate::resources::group_of(&api).to_string(), kind));
        self.docs.push(Doc {
            text,
            origin,
            base,
            kind,
            read,
        });
    }

    /// Reads a document whole: the value and the repeated keys in one reading (the fast path
    /// of the YAML crate reads block-style documents straight into the value).
    fn read_value(&self, text: &str, origin: &Origin) -> Read {
        match chartroom_yaml::from_yaml_with_duplicates(text) {
            Ok((doc, _)) if is_empty_document(&doc) => Ok(None),
            Ok((doc, dups)) => {
                // go-yaml flattens merge keys (`<<: *base`) into the map's entries, so an
                // override of a merged key would look like a duplicate: documents with a
                // merge key are not searched.
                let dups = if text.contains("<<") {
                    Vec::new()
                } else {
                    dups
                };
                Ok(Some((dups, doc)))
            }
            Err(e) => Err(vec![Finding::error(
                self.pack,
                origin,
                rule::YAML,
                e.to_string(),
            )]),
        }
    }

    /// Reads the documents of a YAML stream, split as Helm splits manifests.
    pub(crate) fn read_stream(&mut self, file: &str, data: &'a [u8]) {
        let mut cursor = (0, Base::default());
        for (i, piece) in split_manifests(data).into_iter().enumerate() {
            let origin = Origin {
                file: Some(file.to_string()),
                document: Some(i),
            };
            cursor = Base::after(data, piece, cursor.0, cursor.1);
            let base = cursor.1;
            match std::str::from_utf8(piece) {
                Ok(text) => self.read(text, origin, base),
                Err(_) => {
                    let problem = chartroom_yaml::utf8_reader_error(piece)
                        .unwrap_or("invalid leading UTF-8 octet");
                    let message = format!("error converting YAML to JSON: yaml: {problem}");
                    let f = Finding::error(self.pack, &origin, rule::YAML, message);
                    self.docs.push(Doc {
                        text: "",
                        origin,
                        base,
                        kind: None,
                        read: Some(Err(vec![f])),
                    });
                }
            }
        }
    }

    /// Converts the schemas of the CRDs read whose kinds some document has (all CRDs give
    /// their scope). A CRD that cannot be converted leaves its resources without a schema
    /// (`no-schema` info); the CRD itself is validated like any document.
    fn collect_crds(&mut self) {
        let kinds: std::collections::HashSet<&(String, String)> =
            self.docs.iter().filter_map(|d| d.kind.as_ref()).collect();
        for doc in &self.docs {
            if let Some(Ok(Some((_, v)))) = &doc.read {
                let _ = self
                    .crds
                    .add_if(v, |g, k| kinds.contains(&(g.to_string(), k.to_string())));
            }
        }
    }

    /// Validates every document read, in order.
    pub(crate) fn finish(self) -> Report {
        self.finish_with_keys().0
    }

    /// [`Collector::finish`], plus each resource's identity and a finding about it (for
    /// duplicates across inputs linted apart), first occurrences only.
    pub(crate) fn finish_with_keys(mut self) -> (Report, Vec<(ResourceKey, Finding)>) {
        self.collect_crds();
        let mut keys = Vec::new();
        let mut findings = Vec::new();
        let mut seen: HashMap<ResourceKey, Origin> = HashMap::new();
        let mut resources = 0;
        for doc in &self.docs {
            let reread;
            let read = match &doc.read {
                Some(read) => read,
                None => {
                    reread = self.read_value(doc.text, &doc.origin);
                    &reread
                }
            };
            let (go, value) = match read {
                Ok(None) => continue,
                Ok(Some(r)) => {
                    resources += 1;
                    r
                }
                Err(fs) => {
                    resources += 1;
                    findings.extend(fs.iter().cloned().map(|mut f| {
                        // go-yaml names the line (not the column) of a syntax error.
                        match chartroom_yaml::message_line(&f.message) {
                            Some(n) => {
                                f.line = Some(doc.base.lines.saturating_add(n));
                                f.column = None;
                            }
                            None => {
                                f.line = Some(doc.base.lines.saturating_add(1));
                                f.column = Some(doc.base.column.saturating_add(1));
                            }
                        }
                        f
                    }));
                    continue;
                }
            };
            let mut out = validate_in(self.pack, &self.crds, value, &doc.origin, self.opts);
            let mut head = out.first().cloned().unwrap_or_else(|| {
                let mut f = Finding::error(self.pack, &doc.origin, rule::DUPLICATE_KEY, "".into());
                fill_head(&mut f, value);
                f
            });
            for (path, key) in go {
                let mut f = head.clone();
                f.rule = rule::DUPLICATE_KEY.into();
                f.severity = if self.opts.strict {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                f.message = format!("duplicate key {key:?} (the last value wins)");
                f.path = path.clone();
                out.push(f);
            }
            if let (Some(api), Some(kind), Some(name)) = (&head.api_version, &head.kind, &head.name)
            {
                let key = ResourceKey::new(
                    api,
                    kind,
                    head.namespace.as_deref(),
                    name,
                    &self.namespace,
                    &self.crds,
                );
                if let Some(first) = seen.get(&key) {
                    make_duplicate(&mut head, &key, first);
                    out.push(head);
                } else {
                    seen.insert(key.clone(), doc.origin.clone());
                    let mut f = head.clone();
                    let (line, column) = doc.base.place(root_position(doc.text));
                    f.line = Some(line);
                    f.column = Some(column);
                    keys.push((key, f));
                }
            }
            if !out.is_empty() {
                locate_findings(doc, &mut out);
                // In the order of the text (stable: equal places keep the validator's order).
                out.sort_by_key(|f| (f.line, f.column));
            }
            findings.extend(out);
        }
        (Report::new(findings, resources), keys)
    }
}

/// Turns a finding about a resource into the `duplicate-resource` error naming where the
/// resource was defined first.
pub(crate) fn make_duplicate(f: &mut Finding, key: &ResourceKey, first: &Origin) {
    f.rule = rule::DUPLICATE_RESOURCE.into();
    f.severity = Severity::Error;
    f.path = String::new();
    f.message = format!(
        "{} is defined twice; first in {}",
        key.describe(),
        describe_origin(first)
    );
}

fn describe_origin(o: &Origin) -> String {
    match (&o.file, o.document) {
        (Some(f), Some(d)) => format!("{f} (document {d})"),
        (Some(f), None) => f.clone(),
        (None, Some(d)) => format!("document {d}"),
        (None, None) => "an earlier document".into(),
    }
}

/// Fills `line`/`column`: the key of an unknown field or duplicate key, the value for other
/// paths, the document start for whole-document findings.
/// Where the root node of a document starts, without parsing it: the first line that is not
/// blank, a comment, a directive or a `---`/`...` marker, at its first non-blank character.
/// (What `locate` gives for the empty pointer on documents that parse.)
fn root_position(text: &str) -> chartroom_yaml::Position {
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '\t']);
        let marker = |m: &str| {
            body.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        if body.is_empty()
            || body.starts_with('#')
            || (i == 0 || line == body) && body.starts_with('%')
            || marker("---")
            || marker("...")
        {
            continue;
        }
        let column = line.chars().count() - body.chars().count() + 1;
        return chartroom_yaml::Position {
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        };
    }
    chartroom_yaml::Position { line: 1, column: 1 }
}

fn locate_findings(doc: &Doc<'_>, out: &mut [Finding]) {
    if out.iter().all(|f| f.path.is_empty()) {
        // Whole-document findings only (no-schema, duplicate resources): no second parse.
        let (line, column) = doc.base.place(root_position(doc.text));
        for f in out.iter_mut() {
            f.line = Some(line);
            f.column = Some(column);
        }
        return;
    }
    // A path that names nothing (a missing field) is placed at its nearest existing parent.
    let mut pointers: Vec<String> = Vec::new();
    for f in out.iter() {
        let mut p = f.path.as_str();
        pointers.push(p.to_string());
        while let Some((parent, _)) = p.rsplit_once('/') {
            pointers.push(parent.to_string());
            p = parent;
        }
    }
    pointers.sort_unstable();
    pointers.dedup();
    let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
    let Ok(places) = chartroom_yaml::locate(doc.text, &refs) else {
        return;
    };
    let found: HashMap<String, chartroom_yaml::Located> = pointers
        .into_iter()
        .zip(places)
        .filter_map(|(p, l)| Some((p, l?)))
        .collect();
    for f in out.iter_mut() {
        let mut place = found.get(f.path.as_str()).copied();
        let mut p = f.path.as_str();
        while place.is_none() {
            let Some((parent, _)) = p.rsplit_once('/') else {
                break;
            };
            place = found.get(parent).copied();
            p = parent;
        }
        let pos = match place {
            Some(l) if f.path.is_empty() => Some(l.value),
            Some(l) if f.rule == rule::DUPLICATE_KEY || f.message.starts_with("unknown field") => {
                Some(l.key.unwrap_or(l.value))
            }
            Some(l) => Some(l.value),
            None => None,
        };
        let pos = pos.or_else(|| {
            f.path
                .is_empty()
                .then_some(chartroom_yaml::Position { line: 1, column: 1 })
        });
        if let Some(p) = pos {
            let (line, column) = doc.base.place(p);
            f.line = Some(line);
            f.column = Some(column);
        }
    }
}

/// Whether `needle` occurs in `hay`.
pub(crate) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// (apiVersion, kind) of a document read whole, when both are strings.
fn head_kind(v: &Value) -> Option<(String, String)> {
    let Value::Map(m, _) = v else {
        return None;
    };
    let m = m.borrow();
    let text = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    text("apiVersion").zip(text("kind"))
}
