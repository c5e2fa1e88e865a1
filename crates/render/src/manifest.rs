//! What Helm does with rendered templates before printing them (pkg/release/v1/util):
//! splitting into YAML documents, reading each document's head, separating hooks, and sorting
//! by kind in install order.

use std::collections::BTreeMap;

use chartroom_template::Value;

use crate::head::{parse_document_kept, parse_head, SimpleHead};

/// `InstallOrder`: kinds in the order Helm installs (and prints) them.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

fn is_go_space(c: char) -> bool {
    // unicode.IsSpace
    matches!(
        c,
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

/// The length of the Unicode space (Go's `unicode.IsSpace`) that starts `b`, if any. Bytes
/// that are not UTF-8 are never space, as in Go's `strings.TrimSpace`.
fn space_at_start(b: &[u8]) -> Option<usize> {
    let first = *b.first()?;
    if first < 0x80 {
        return is_go_space(first as char).then_some(1);
    }
    let len = match first {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(b.get(..len)?).ok()?.chars().next()?;
    is_go_space(c).then_some(len)
}

/// The length of the Unicode space that ends `b`, if any.
fn space_at_end(b: &[u8]) -> Option<usize> {
    let last = *b.last()?;
    if last < 0x80 {
        return is_go_space(last as char).then_some(1);
    }
    // A multi-byte character: at most 4 bytes back to its lead byte.
    (2..=4.min(b.len())).find_map(|n| {
        let tail = &b[b.len() - n..];
        let c = std::str::from_utf8(tail).ok()?.chars().next()?;
        (c.len_utf8() == n && is_go_space(c)).then_some(n)
    })
}

/// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)` over bytes.
pub fn trim_start_space(mut b: &[u8]) -> &[u8] {
    while let Some(n) = space_at_start(b) {
        b = &b[n..];
    }
    b
}

/// Go's `strings.TrimSpace` over bytes.
pub fn trim_space(b: &[u8]) -> &[u8] {
    let mut b = trim_start_space(b);
    while let Some(n) = space_at_end(b) {
        b = &b[..b.len() - n];
    }
    b
}

/// Helm's `SplitManifests` for chart API v2: documents are separated by `---` at the start of
/// a line (whitespace after it is dropped); leading whitespace of each document is trimmed,
/// trailing whitespace is kept, blank documents are skipped. In file order. Works on bytes,
/// as Go's strings do.
pub fn split_manifests(big: &[u8]) -> Vec<&[u8]> {
    let text = trim_start_space(big);
    let mut start = 0;
    let mut pieces: Vec<&[u8]> = Vec::new();
    // Every `---` at the start of a line, in order (one vectorised search, not a scan per
    // line); none can start inside the white space a separator swallowed.
    let at_lines = text
        .starts_with(b"---")
        .then_some(0)
        .into_iter()
        .chain(memchr::memmem::find_iter(text, b"\n---").map(|p| p + 1));
    for i in at_lines {
        if i < start {
            continue;
        }
        pieces.push(&text[start..i]);
        start = separator_end(text, i);
    }
    pieces.push(&text[start..]);
    documents(pieces)
}

/// Where the document after a `---` at `i` starts: the white space after it is dropped.
fn separator_end(text: &[u8], i: usize) -> usize {
    let mut j = i + 3;
    while j < text.len() && matches!(text[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
        j += 1;
    }
    j
}

/// The pieces between separators that are documents: blank ones dropped, leading white space
/// trimmed.
fn documents(pieces: Vec<&[u8]>) -> Vec<&[u8]> {
    pieces
        .into_iter()
        .filter(|d| !trim_space(d).is_empty())
        .map(trim_start_space)
        .collect()
}

/// One rendered YAML document as Helm's `SortManifests` reads it.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Template path, e.g. `chart/templates/deployment.yaml` (what `# Source:` prints).
    pub name: String,
    /// The document's index among the documents of its template (from 0).
    pub document: usize,
    /// Where the document starts in its template's output (for provenance).
    pub offset: usize,
    pub content: String,
    pub head: SimpleHead,
    /// The document as read, when the caller asked to keep it.
    pub parsed: Option<Value>,
}

/// A manifest with a `helm.sh/hook` annotation naming known events.
#[derive(Debug, Clone)]
pub struct Hook {
    pub manifest: Manifest,
    pub events: Vec<String>,
}

impl Hook {
    pub fn is_test(&self) -> bool {
        self.events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

fn less_by_kind(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (kind_rank(a), kind_rank(b)) {
        (None, None) => a.as_bytes().cmp(b.as_bytes()),
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

/// A document read on one of [`sort_manifests`]'s two threads, moved as a whole to the caller.
struct ParsedDocument(Option<Value>);

// SAFETY: a `Value` is not `Send` only because it holds `Rc`s. `chartroom_yaml::from_yaml`
// creates every one of them for this document (no interner, cache or thread-local state) and
// keeps none once it returns, so they are owned only by this tree. Moving it moves every owner
// of those reference counts together; nothing on the reading thread can touch them afterwards.
unsafe impl Send for ParsedDocument {}

/// What [`sort_manifests`] returns: hooks and ordinary manifests, both sorted by kind
/// (stable), and the lines Helm logs while sorting.
pub struct Sorted {
    pub hooks: Vec<Hook>,
    pub manifests: Vec<Manifest>,
    pub log: Vec<String>,
}

/// A document Helm's sorting could not read.
#[derive(Debug, Clone)]
pub struct SortError {
    /// Helm's `YAML parse error on FILE: ...`.
    pub message: String,
    /// The template, and where the document starts in its output.
    pub source: String,
    pub offset: usize,
}

/// Helm's `SortManifests` over rendered templates (by name; partials and NOTES.txt already
/// removed). The error is Helm's `YAML parse error on FILE: ...`.
///
/// `lenient` (lint): a document that cannot be read is kept as an ordinary manifest with an
/// empty head instead of failing the render, so that the reader reports it where it is.
///
/// `reuse_heads` (in-memory charts, rendered again and again): heads of documents the last
/// such render read are taken from its memo (`cache::heads`) instead of parsed again; not
/// with `keep_parsed`, which needs each document's whole value.
pub fn sort_manifests<T: AsRef<[u8]>>(
    files: &BTreeMap<String, T>,
    keep_parsed: bool,
    lenient: bool,
    reuse_heads: bool,
) -> Result<Sorted, SortError> {
    let mut log = chartroom_chart::Warnings::default();
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    // BTreeMap iterates in byte order, as Go's sort.Strings.
    let mut docs: Vec<(&String, usize, &[u8])> = Vec::new();
    let mut offsets = Vec::new();
    for (path, content) in files {
        let content = content.as_ref();
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || trim_space(content).is_empty() {
            continue;
        }
        for (i, doc) in split_manifests(content).into_iter().enumerate() {
            // Each document is a slice of its template's output.
            offsets.push(doc.as_ptr() as usize - content.as_ptr() as usize);
            docs.push((path, i, doc));
        }
    }
    // Reading heads is a YAML parse of every document (one pass keeping only the head, or the
    // whole document where it is kept): spread over two threads, then taken in order (the
    // first error in file order is Helm's).
    fn read_text(doc: &[u8]) -> Result<&str, String> {
        // go-yaml's reader checks the encoding of the whole (small) input before the parser
        // sees it, so an invalid byte is the error even after a syntax error.
        let text = std::str::from_utf8(doc).map_err(|_| {
            let problem =
                chartroom_yaml::utf8_reader_error(doc).unwrap_or("invalid leading UTF-8 octet");
            format!("error converting YAML to JSON: yaml: {problem}")
        })?;
        Ok(text)
    }
    fn read(doc: &[u8]) -> Result<(&str, SimpleHead, Value), String> {
        let text = read_text(doc)?;
        parse_document_kept(text).map(|(head, value)| (text, head, value))
    }
    // Only the head, without holding the whole document.
    fn read_head(doc: &[u8]) -> Result<SimpleHead, String> {
        parse_head(read_text(doc)?)
    }
    let heads: Vec<Result<(String, SimpleHead, ParsedDocument), String>> =
        if reuse_heads && !keep_parsed {
            // The heads of documents the last render had too come from the memo.
            let texts: Vec<&[u8]> = docs.iter().map(|(_, _, doc)| *doc).collect();
            let heads = crate::cache::heads(&texts, |missing| {
                let todo: Vec<&[u8]> = missing.iter().map(|&i| texts[i]).collect();
                let bytes = todo.iter().map(|doc| doc.len()).sum();
                chartroom_template::parallel::ordered_map(&todo, bytes, |doc| read_head(doc))
            });
            heads
                .into_iter()
                .zip(&texts)
                .map(|(head, doc)| {
                    head.map(|head| {
                        let text = chartroom_template::gostr::utf8_or_lossy(doc);
                        (text, head, ParsedDocument(None))
                    })
                })
                .collect()
        } else {
            let bytes = docs.iter().map(|(_, _, doc)| doc.len()).sum();
            chartroom_template::parallel::ordered_map(&docs, bytes, |(_, _, doc)| {
                if !keep_parsed {
                    let text = read_text(doc)?;
                    return Ok((text.to_string(), parse_head(text)?, ParsedDocument(None)));
                }
                let (text, head, value) = read(doc)?;
                Ok::<_, String>((text.to_string(), head, ParsedDocument(Some(value))))
            })
        };
    for (((path, document, doc), head), offset) in docs.into_iter().zip(heads).zip(offsets) {
        let (content, head, ParsedDocument(parsed)) = match head {
            Ok(h) => h,
            Err(_) if lenient => {
                // The reader reports it again, with its position.
                generic.push(Manifest {
                    name: path.clone(),
                    document,
                    offset,
                    content: chartroom_template::gostr::utf8_or_lossy(doc),
                    head: SimpleHead::default(),
                    parsed: None,
                });
                continue;
            }
            Err(e) => {
                return Err(SortError {
                    message: format!("YAML parse error on {path}: {e}"),
                    source: path.clone(),
                    offset,
                })
            }
        };
        let hook_types = head.annotations.as_ref().and_then(|a| {
            if a.is_empty() {
                None
            } else {
                a.iter()
                    .rev()
                    .find(|(k, _)| k == "helm.sh/hook")
                    .map(|(_, v)| v.clone())
            }
        });
        let manifest = Manifest {
            name: path.clone(),
            document,
            offset,
            content,
            head,
            parsed,
        };
        let Some(hook_types) = hook_types else {
            generic.push(manifest);
            continue;
        };
        let mut events = Vec::new();
        let mut unknown = false;
        for t in hook_types.split(',') {
            let t = t.trim().to_lowercase();
            if HOOK_EVENTS.contains(&t.as_str()) {
                events.push(t);
            } else {
                unknown = true;
                break;
            }
        }
        if unknown {
            log.info_with("skipping unknown hooks", &[("hookTypes", &hook_types)]);
            continue;
        }
        hooks.push(Hook { manifest, events });
    }
    hooks.sort_by(|a, b| less_by_kind(&a.manifest.head.kind, &b.manifest.head.kind));
    generic.sort_by(|a, b| less_by_kind(&a.head.kind, &b.head.kind));
    Ok(Sorted {
        hooks,
        manifests: generic,
        log: log.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line-by-line scan `split_manifests` replaced, as the reference for its search.
    fn split_by_lines(big: &[u8]) -> Vec<&[u8]> {
        let text = trim_start_space(big);
        let (mut start, mut i) = (0, 0);
        let mut pieces: Vec<&[u8]> = Vec::new();
        while i < text.len() {
            if (i == 0 || text[i - 1] == b'\n') && text[i..].starts_with(b"---") {
                pieces.push(&text[start..i]);
                start = separator_end(text, i);
                i = start;
                continue;
            }
            match text[i..].iter().position(|&c| c == b'\n') {
                Some(n) => i += n + 1,
                None => break,
            }
        }
        pieces.push(&text[start..]);
        documents(pieces)
    }

    #[test]
    fn split_search_agrees_with_a_line_scan() {
        // Every string of up to 9 symbols over the separator's alphabet, and longer ones
        // from a fixed pseudo-random sequence.
        let alphabet: &[u8] = b"-\n a\t\r";
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=7 {
            let mut n = alphabet.len().pow(len);
            let step = (n / 4000).max(1);
            while n > 0 {
                n = n.saturating_sub(step);
                let (mut k, mut v) = (n, Vec::new());
                for _ in 0..len {
                    v.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                inputs.push(v);
            }
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3000 {
            let len = (x % 60) as usize;
            let mut v = Vec::new();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            inputs.push(v);
        }
        for input in &inputs {
            assert_eq!(split_manifests(input), split_by_lines(input), "{input:?}");
        }
    }

    #[test]
    fn split_like_helm4() {
        let docs = split_manifests(
            b"kind: A\n---\nkind: B\n---\n---\nkind: C\n\n\n---   \nkind: D\n---kind: E\n  ---\nkind: F\n--- # hi\nx: 1\n",
        );
        let want: Vec<&[u8]> = vec![
            b"kind: A\n",
            b"kind: B\n",
            b"kind: C\n\n\n",
            b"kind: D\n",
            b"kind: E\n  ---\nkind: F\n",
            b"# hi\nx: 1\n",
        ];
        assert_eq!(docs, want);
        assert!(split_manifests(b"\n  \n---\n").is_empty());
        // Go trims Unicode spaces, never bytes that are not UTF-8.
        assert_eq!(
            split_manifests("\u{a0}\u{2003}x\n".as_bytes()),
            vec![b"x\n"]
        );
        assert_eq!(split_manifests(b"\xa0x"), vec![b"\xa0x"]);
        assert_eq!(trim_space("\u{3000}a\u{85}".as_bytes()), b"a");
    }

    #[test]
    fn kinds_sort_stably() {
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/a.yaml".to_string(),
            "kind: Deployment\nmetadata:\n  name: d\n---\nkind: Zed\n---\nkind: Service\n---\nkind: Alpha\n".to_string(),
        );
        files.insert(
            "c/templates/h.yaml".to_string(),
            "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: test\n---\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: nonsense\n".to_string(),
        );
        let Sorted {
            hooks,
            manifests,
            log,
        } = sort_manifests(&files, false, false, false).unwrap();
        assert_eq!(
            log,
            vec!["level=INFO msg=\"skipping unknown hooks\" hookTypes=nonsense"]
        );
        let kinds: Vec<&str> = manifests.iter().map(|m| m.head.kind.as_str()).collect();
        assert_eq!(kinds, vec!["Service", "Deployment", "Alpha", "Zed"]);
        let indices: Vec<usize> = manifests.iter().map(|m| m.document).collect();
        assert_eq!(indices, vec![2, 0, 3, 1]);
        assert_eq!(hooks.len(), 1);
        assert!(hooks[0].is_test());
    }
}
