//! What Helm does with rendered templates before printing them (pkg/release/v1/util):
//! splitting into YAML documents, reading each document's head, separating hooks, and sorting
//! by kind in install order.

use std::collections::BTreeMap;

use crate::yaml_glue::{parse_head, SimpleHead};

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

/// Helm's `SplitManifests` for chart API v2: documents are separated by `---` at the start of
/// a line (whitespace after it is dropped); leading whitespace of each document is trimmed,
/// trailing whitespace is kept, blank documents are skipped. In file order.
pub fn split_manifests(big: &str) -> Vec<String> {
    let text = big.trim_start_matches(is_go_space);
    let mut docs = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut pieces: Vec<&str> = Vec::new();
    while i < bytes.len() {
        let at_line_start = i == 0 || bytes[i - 1] == b'\n';
        if at_line_start && text[i..].starts_with("---") {
            pieces.push(&text[start..i]);
            let mut j = i + 3;
            while j < bytes.len() && matches!(bytes[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                j += 1;
            }
            start = j;
            i = j;
            continue;
        }
        match text[i..].find('\n') {
            Some(n) => i += n + 1,
            None => break,
        }
    }
    pieces.push(&text[start..]);
    for d in pieces {
        if d.trim_matches(is_go_space).is_empty() {
            continue;
        }
        docs.push(d.trim_start_matches(is_go_space).to_string());
    }
    docs
}

#[derive(Debug, Clone)]
pub struct Manifest {
    /// Template path, e.g. `chart/templates/deployment.yaml`.
    pub name: String,
    pub content: String,
    pub head: SimpleHead,
}

#[derive(Debug, Clone)]
pub struct Hook {
    pub kind: String,
    pub path: String,
    pub manifest: String,
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

/// Helm's `SortManifests`: returns hooks and ordinary manifests, both sorted by kind (stable).
/// The error is Helm's `YAML parse error on FILE: ...`.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), String> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    // BTreeMap iterates in byte order, as Go's sort.Strings.
    let mut docs: Vec<(&String, String)> = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(is_go_space).is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            docs.push((path, doc));
        }
    }
    // Reading heads is a full YAML parse of every document: spread over two threads, then
    // taken in order (the first error in file order is Helm's).
    let bytes = docs.iter().map(|(_, doc)| doc.len()).sum();
    let heads = chartroom_template::parallel::ordered_map(&docs, bytes, |(_, doc)| parse_head(doc));
    for ((path, doc), head) in docs.into_iter().zip(heads) {
        let head = head.map_err(|e| format!("YAML parse error on {path}: {e}"))?;
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
        let Some(hook_types) = hook_types else {
            generic.push(Manifest {
                name: path.clone(),
                content: doc,
                head,
            });
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
            continue;
        }
        hooks.push(Hook {
            kind: head.kind.clone(),
            path: path.clone(),
            manifest: doc,
            events,
        });
    }
    hooks.sort_by(|a, b| less_by_kind(&a.kind, &b.kind));
    generic.sort_by(|a, b| less_by_kind(&a.head.kind, &b.head.kind));
    Ok((hooks, generic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helm4() {
        let docs = split_manifests(
            "kind: A\n---\nkind: B\n---\n---\nkind: C\n\n\n---   \nkind: D\n---kind: E\n  ---\nkind: F\n--- # hi\nx: 1\n",
        );
        assert_eq!(
            docs,
            vec![
                "kind: A\n",
                "kind: B\n",
                "kind: C\n\n\n",
                "kind: D\n",
                "kind: E\n  ---\nkind: F\n",
                "# hi\nx: 1\n"
            ]
        );
        assert!(split_manifests("\n  \n---\n").is_empty());
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
        let (hooks, manifests) = sort_manifests(&files).unwrap();
        let kinds: Vec<&str> = manifests.iter().map(|m| m.head.kind.as_str()).collect();
        assert_eq!(kinds, vec!["Service", "Deployment", "Alpha", "Zed"]);
        assert_eq!(hooks.len(), 1);
        assert!(hooks[0].is_test());
    }
}
