//! Where a value sits in a YAML document: JSON Pointers (as the JSON step names keys) mapped
//! to 1-based lines and columns of the first document. A separate pass over the parser's
//! events (which carry their start marks anyway), so reading without positions costs nothing
//! extra; callers run it only for documents they report on.

use std::collections::HashMap;

use crate::decode::{json_key, scalar};
use crate::parser::{EventKind, Parser};
use crate::scanner::Mark;
use crate::YamlError;

/// Nesting limit of the composed tree and of a pointer walk (aliases count).
const MAX_DEPTH: usize = 500;

/// A 1-based line and column (columns count characters, as libyaml's marks do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl Position {
    fn of(m: Mark) -> Position {
        let clamp = |n: usize| u32::try_from(n.saturating_add(1)).unwrap_or(u32::MAX);
        Position {
            line: clamp(m.line),
            column: clamp(m.column),
        }
    }
}

/// Where a pointer leads: the node, and for a map entry also its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The value (for a path through an alias: the alias, since the text the value comes
    /// from is shared).
    pub value: Position,
    /// The key of the last step when it is a map entry reached without an alias.
    pub key: Option<Position>,
}

enum Node {
    Scalar {
        value: String,
        tag: String,
        implicit: bool,
        mark: Mark,
    },
    Seq(Vec<usize>, Mark),
    Map(Vec<usize>, Mark),
    Alias(usize, Mark),
}

impl Node {
    fn mark(&self) -> Mark {
        match self {
            Node::Scalar { mark, .. } | Node::Seq(_, mark) | Node::Map(_, mark) => *mark,
            Node::Alias(_, m) => *m,
        }
    }
}

/// The nodes of the first document and its root.
struct Tree {
    nodes: Vec<Node>,
    root: Option<usize>,
}

fn compose(src: &str) -> Result<Tree, YamlError> {
    let mut p = Parser::new(src);
    let syn = |e: crate::scanner::SyntaxError| YamlError::new(e.go_message());
    let mut nodes: Vec<Node> = Vec::new();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut root = None;
    let mut in_document = false;
    loop {
        let ev = p.next_event().map_err(syn)?;
        let id = nodes.len();
        let (node, anchor, opens) = match ev.kind {
            EventKind::StreamStart => continue,
            EventKind::DocumentStart => {
                in_document = true;
                continue;
            }
            EventKind::DocumentEnd | EventKind::StreamEnd => break,
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                stack.pop();
                continue;
            }
            EventKind::Alias(name) => match anchors.get(&name) {
                Some(&t) => (Node::Alias(t, ev.start), None, false),
                None => {
                    return Err(YamlError::new(format!(
                        "yaml: unknown anchor '{name}' referenced"
                    )))
                }
            },
            EventKind::Scalar {
                anchor,
                tag,
                value,
                plain_implicit,
                ..
            } => (
                Node::Scalar {
                    value,
                    tag,
                    implicit: plain_implicit,
                    mark: ev.start,
                },
                anchor,
                false,
            ),
            EventKind::SequenceStart { anchor, .. } => {
                (Node::Seq(Vec::new(), ev.start), anchor, true)
            }
            EventKind::MappingStart { anchor, .. } => {
                (Node::Map(Vec::new(), ev.start), anchor, true)
            }
        };
        if !in_document {
            continue;
        }
        nodes.push(node);
        if let Some(a) = anchor {
            anchors.insert(a, id);
        }
        match stack.last() {
            Some(&parent) => {
                if let Node::Seq(c, _) | Node::Map(c, _) = &mut nodes[parent] {
                    c.push(id);
                }
            }
            None if root.is_none() => root = Some(id),
            None => {}
        }
        if opens {
            if stack.len() >= MAX_DEPTH {
                return Err(YamlError::new(format!(
                    "yaml: exceeded max depth of {MAX_DEPTH}"
                )));
            }
            stack.push(id);
        }
    }
    Ok(Tree { nodes, root })
}

/// One step of a walk: the node reached, the key node if it was a map entry, and whether an
/// alias was passed (then `alias` is the outermost alias's mark).
#[derive(Clone, Copy)]
struct At {
    node: usize,
    key: Option<usize>,
    alias: Option<Mark>,
}

impl Tree {
    /// Follows aliases to the node they name (bounded), recording the first alias mark.
    fn resolve(&self, mut at: At) -> Option<At> {
        for _ in 0..MAX_DEPTH {
            match self.nodes.get(at.node)? {
                Node::Alias(t, m) => {
                    at.alias = at.alias.or(Some(*m));
                    at.node = *t;
                }
                _ => return Some(at),
            }
        }
        None
    }

    fn key_text(&self, n: usize) -> Option<String> {
        match self.nodes.get(n)? {
            Node::Scalar {
                value,
                tag,
                implicit,
                ..
            } => json_key(&scalar(value, tag, *implicit).ok()?),
            Node::Alias(t, _) => self.key_text(*t),
            _ => None,
        }
    }

    fn is_merge_key(&self, n: usize) -> bool {
        matches!(self.nodes.get(n), Some(Node::Scalar { value, tag, implicit, .. })
            if value == "<<" && (*implicit || tag == "tag:yaml.org,2002:merge"))
    }

    /// The entry `key` of map `at` (resolved), as go-yaml flattens merge keys and the JSON
    /// step keeps the last entry of a key: the last match in document order, merged entries
    /// counted where their `<<` stands (reached through the merge's alias).
    fn entry(&self, at: At, key: &str, depth: usize) -> Option<At> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Node::Map(children, _) = self.nodes.get(at.node)? else {
            return None;
        };
        let mut found = None;
        for pair in children.chunks(2) {
            let [k, v] = *pair else { continue };
            if self.is_merge_key(k) {
                let Some(src) = self.resolve(At {
                    node: v,
                    key: None,
                    alias: at.alias,
                }) else {
                    continue;
                };
                // A map, or a list of maps merged last to first (earlier ones win).
                let sources: Vec<At> = match self.nodes.get(src.node) {
                    Some(Node::Seq(items, _)) => items
                        .iter()
                        .rev()
                        .filter_map(|&i| {
                            self.resolve(At {
                                node: i,
                                key: None,
                                alias: src.alias,
                            })
                        })
                        .collect(),
                    _ => vec![src],
                };
                for s in sources {
                    let merged = At {
                        alias: s.alias.or(Some(self.nodes[v].mark())),
                        ..s
                    };
                    if let Some(hit) = self.entry(merged, key, depth + 1) {
                        found = Some(hit);
                    }
                }
            } else if self.key_text(k).as_deref() == Some(key) {
                found = Some(At {
                    node: v,
                    key: Some(k),
                    alias: at.alias,
                });
            }
        }
        found
    }

    fn walk(&self, pointer: &str) -> Option<At> {
        let root = self.root?;
        let mut at = At {
            node: root,
            key: None,
            alias: None,
        };
        if pointer.is_empty() {
            return Some(at);
        }
        let tokens = pointer.strip_prefix('/')?.split('/');
        for (depth, raw) in tokens.enumerate() {
            if depth > MAX_DEPTH {
                return None;
            }
            let token = raw.replace("~1", "/").replace("~0", "~");
            let here = self.resolve(at)?;
            at = match self.nodes.get(here.node)? {
                Node::Map(..) => self.entry(here, &token, 0)?,
                Node::Seq(items, _) => {
                    let i: usize = token.parse().ok()?;
                    At {
                        node: *items.get(i)?,
                        key: None,
                        alias: here.alias,
                    }
                }
                _ => return None,
            };
        }
        Some(at)
    }

    fn position(&self, at: At) -> Located {
        match at.alias {
            Some(m) => Located {
                value: Position::of(m),
                key: None,
            },
            None => Located {
                value: Position::of(self.nodes[at.node].mark()),
                key: at.key.map(|k| Position::of(self.nodes[k].mark())),
            },
        }
    }
}

/// For each JSON Pointer (`/spec/ports/0/port`, `~0`/`~1` escaped; `""` for the whole
/// document), where the value it names starts in the first document of `src`: `None` for a
/// pointer that names nothing there. Keys match as sigs.k8s.io/yaml names them (`1`, `true`
/// and `"1"` are the string keys they become); of repeated keys the last counts; merge keys
/// (`<<`) are followed, and a value reached through an alias is reported at the alias.
/// Errors are the reader's (the same as [`crate::from_yaml`]'s syntax errors).
pub fn locate(src: &str, pointers: &[&str]) -> Result<Vec<Option<Located>>, YamlError> {
    let tree = compose(src)?;
    Ok(pointers
        .iter()
        .map(|p| tree.walk(p).map(|at| tree.position(at)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, p: &str) -> Option<(u32, u32)> {
        locate(src, &[p]).unwrap()[0].map(|l| (l.value.line, l.value.column))
    }

    #[test]
    fn block_and_flow() {
        let src = "a:\n  b: 1\n  c: [x, {d: 2}]\nlist:\n- one\n-   two\n";
        assert_eq!(at(src, ""), Some((1, 1)));
        assert_eq!(at(src, "/a"), Some((2, 3)));
        assert_eq!(at(src, "/a/b"), Some((2, 6)));
        assert_eq!(at(src, "/a/c/1/d"), Some((3, 14)));
        assert_eq!(at(src, "/list/1"), Some((6, 5)));
        assert_eq!(at(src, "/list/2"), None);
        assert_eq!(at(src, "/nope"), None);
        let key = locate(src, &["/a/b"]).unwrap()[0].unwrap().key;
        assert_eq!(key, Some(Position { line: 2, column: 3 }));
    }

    #[test]
    fn multi_line_scalars_and_escapes() {
        let src = "k: |\n  one\n  two\nm: >-\n  x\n  y\nafter: \"é\"\n\"a/b\": {\"~x\": 1}\n";
        assert_eq!(at(src, "/k"), Some((1, 4)));
        assert_eq!(at(src, "/after"), Some((7, 8)));
        assert_eq!(at(src, "/a~1b/~0x"), Some((8, 15)));
        // Columns count characters: the value after "é" starts one column later.
        assert_eq!(at("é: [1, 2]\n", "/é/1"), Some((1, 8)));
    }

    #[test]
    fn crlf_line_breaks_and_documents_after_the_first() {
        assert_eq!(at("a:\r\n  b: 1\r\n", "/a/b"), Some((2, 6)));
        // Only the first document counts; a leading comment and `---` are skipped.
        let src = "# c\n--- \nx: 1\n---\nx: 2\n";
        assert_eq!(at(src, "/x"), Some((3, 4)));
        assert_eq!(at(src, ""), Some((3, 1)));
    }

    #[test]
    fn keys_as_the_json_step_names_them() {
        let src = "1: a\ntrue: b\nx: 1\nx: 2\n";
        assert_eq!(at(src, "/1"), Some((1, 4)));
        assert_eq!(at(src, "/true"), Some((2, 7)));
        assert_eq!(at(src, "/x"), Some((4, 4)), "the last of repeated keys");
    }

    #[test]
    fn aliases_and_merge_keys_report_the_alias() {
        let src = "base: &b\n  port: 80\n  deep: {x: 1}\nuse: *b\nm:\n  <<: *b\n  own: 2\n";
        assert_eq!(at(src, "/base/port"), Some((2, 9)));
        assert_eq!(at(src, "/use"), Some((4, 6)));
        assert_eq!(at(src, "/use/deep/x"), Some((4, 6)));
        assert_eq!(at(src, "/m/port"), Some((6, 7)));
        assert_eq!(at(src, "/m/own"), Some((7, 8)));
    }

    #[test]
    fn errors_and_limits() {
        assert!(locate("a: b: c\n", &[""]).is_err());
        assert!(locate("a: *nope\n", &[""]).is_err());
        let deep = "[".repeat(600);
        assert!(locate(&deep, &[""]).is_err());
        // An alias cycle is refused by the parser or ends the walk without a position.
        let r = locate("a: &x [*x]\n", &["/a/0/0/0"]);
        assert!(r.is_err() || r.unwrap()[0].is_some());
        assert_eq!(locate("", &["", "/a"]).unwrap(), vec![None, None]);
    }
}
