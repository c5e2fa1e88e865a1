//! What a values change (or a chart change) does to a rendered release: two
//! [`RenderedRelease`]s compared resource by resource.
//!
//! - Resources are matched by identity: API group, kind, namespace (the release namespace where
//!   the manifest has none) and name; each is added, removed, modified or unchanged.
//! - Modified resources list their changed fields by JSON pointer (`/spec/replicas: 2 → 3`),
//!   with list items matched by `name` where every item has a distinct one; key order and
//!   formatting are never changes ([`fields`]).
//! - Noise controls drop chart-version labels and any path the caller names, before anything
//!   counts as a change; Secret values are redacted unless asked for ([`normalize`]).
//! - Impact notes say what applying the change does: pods roll, a field is immutable, custom
//!   resources go with their CRD ([`impact`]).
//! - [`attribution`] names the values keys whose change reaches each resource.
//! - [`report`] prints the result as text, Markdown (for a pull-request comment) or JSON.

pub mod attribution;
pub mod fields;
pub mod impact;
pub mod normalize;
pub mod report;
mod udiff;

use std::collections::BTreeMap;

use chartroom_render::{RenderedManifest, RenderedRelease};
use chartroom_template::Value;
use serde::Serialize;

pub use attribution::attribute_values;
pub use fields::FieldChange;

/// What to compare and what to leave out.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Drop `helm.sh/chart` and `app.kubernetes.io/version` labels (they change with every
    /// chart version bump).
    pub ignore_chart_labels: bool,
    /// JSON pointers to leave out (`/metadata/annotations/checksum~1config`); `*` matches
    /// any one key or list index.
    pub ignore: Vec<String>,
    /// Show Secret `data`/`stringData` values instead of their sizes.
    pub show_secrets: bool,
    /// Lines of context around each hunk of the text diff.
    pub context: usize,
    /// Compare the `crds/` files too (what `--include-crds` prints).
    pub include_crd_files: bool,
}

/// How a resource changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Modified,
}

/// One resource that differs between the two renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceChange {
    pub change: Change,
    pub api_version: String,
    pub kind: String,
    /// The manifest's namespace, or the release namespace where it has none.
    pub namespace: String,
    pub name: String,
    /// The template that renders it (the new side's, or the old side's when removed).
    pub source: String,
    /// Changed fields by JSON pointer (modified resources only).
    pub fields: Vec<FieldChange>,
    /// What applying the change does (`rolls pods`, `needs replace: ...`).
    pub impact: Vec<String>,
    /// Values keys whose change reaches this resource.
    pub values: Vec<String>,
    /// A unified diff of the resource (normalized YAML, secrets redacted unless shown).
    pub diff: String,
    /// Pods replaced when the change rolls a Deployment, StatefulSet or ReplicaSet.
    #[serde(skip)]
    pub pods_rolled: u64,
    /// Whether the change rolls a DaemonSet (one pod per node).
    #[serde(skip)]
    pub daemonset_rolls: bool,
}

/// Counts of resources by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub modified: usize,
    pub unchanged: usize,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseDiff {
    pub changes: Vec<ResourceChange>,
    pub summary: Summary,
}

impl ReleaseDiff {
    /// Whether anything changed (after the noise controls).
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// A resource's identity: API group, kind, namespace, name (and an occurrence number for a
/// release that renders the same identity twice).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Identity {
    kind: String,
    namespace: String,
    name: String,
    group: String,
    occurrence: usize,
}

/// One side's resource: where it came from and its text (parsed only when the two sides'
/// texts differ: most resources of a diff are unchanged, and comparing text is cheap).
struct Resource<'a> {
    api_version: String,
    source: &'a str,
    text: std::borrow::Cow<'a, str>,
    /// The document as the render read it, when it kept it.
    parsed: Option<&'a Value>,
}

impl Resource<'_> {
    /// The body, shared with the release when the render kept it (callers copy before
    /// changing it).
    fn body(&self) -> Result<Value, String> {
        match self.parsed {
            Some(v) => Ok(v.clone()),
            // The reading lint uses: block-style documents go straight into the value
            // (a third of the memory of go-yaml's node tree and decoded copy).
            None => chartroom_yaml::from_yaml_with_duplicates(&self.text)
                .map(|(v, _)| v)
                .map_err(|e| format!("{}: {}", self.source, e.message())),
        }
    }
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

fn str_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v.clone();
    for key in path {
        let next = match &cur {
            Value::Map(m, _) => m.borrow().get(*key).cloned(),
            _ => None,
        }?;
        cur = next;
    }
    cur.as_str().map(str::to_string)
}

/// The documents of one side that are resources (they have a kind and a name), by identity:
/// manifests by the head Helm's sorting read, `crds/` files (when compared) by parsing.
fn resources<'a>(
    release: &'a RenderedRelease,
    opts: &DiffOptions,
) -> Result<BTreeMap<Identity, Resource<'a>>, String> {
    let mut out = BTreeMap::new();
    let mut add = |api_version: String,
                   kind: String,
                   namespace: Option<String>,
                   name: String,
                   r: Resource<'a>| {
        let mut id = Identity {
            group: group_of(&api_version).to_string(),
            kind,
            namespace: namespace.unwrap_or_else(|| release.namespace.clone()),
            name,
            occurrence: 0,
        };
        while out.contains_key(&id) {
            id.occurrence += 1;
        }
        out.insert(id, r);
    };
    for m in release.all_manifests() {
        let m: &'a RenderedManifest = m;
        let (kind, Some(name)) = (&m.head.kind, &m.head.name) else {
            continue;
        };
        if kind.is_empty() || name.is_empty() {
            continue;
        }
        add(
            m.head.api_version.clone(),
            kind.clone(),
            m.head.namespace.clone(),
            name.clone(),
            Resource {
                api_version: m.head.api_version.clone(),
                source: &m.source,
                text: std::borrow::Cow::Borrowed(&m.text),
                parsed: m.parsed.as_ref(),
            },
        );
    }
    if opts.include_crd_files {
        for crd in &release.crds {
            for doc in chartroom_render::manifest::split_manifests(&crd.data) {
                let text = String::from_utf8_lossy(doc).into_owned();
                let body = chartroom_yaml::from_yaml(&text)
                    .map_err(|e| format!("{}: {}", crd.source, e.message()))?;
                let (Some(kind), Some(name)) = (
                    str_at(&body, &["kind"]),
                    str_at(&body, &["metadata", "name"]),
                ) else {
                    continue;
                };
                let api_version = str_at(&body, &["apiVersion"]).unwrap_or_default();
                add(
                    api_version.clone(),
                    kind,
                    str_at(&body, &["metadata", "namespace"]),
                    name,
                    Resource {
                        api_version,
                        source: &crd.source,
                        text: std::borrow::Cow::Owned(text),
                        parsed: None,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// Compares two renders. The error names a manifest chartroom could not read back.
pub fn diff_releases(
    old: &RenderedRelease,
    new: &RenderedRelease,
    opts: &DiffOptions,
) -> Result<ReleaseDiff, String> {
    let old_res = resources(old, opts)?;
    let new_res = resources(new, opts)?;
    let ignore: Vec<Vec<String>> = opts
        .ignore
        .iter()
        .map(|p| normalize::pointer_segments(p))
        .collect();
    let mut summary = Summary::default();
    let mut changes = Vec::new();
    let ids: std::collections::BTreeSet<&Identity> = old_res.keys().chain(new_res.keys()).collect();
    for id in ids {
        let (before, after) = (old_res.get(id), new_res.get(id));
        if let (Some(a), Some(b)) = (before, after) {
            // The same text is the same resource, whatever the noise controls.
            if a.text == b.text {
                summary.unchanged += 1;
                continue;
            }
        }
        let prepare = |r: &Resource| -> Result<Value, String> {
            Ok(normalize::prepared(r.body()?, &id.kind, opts, &ignore))
        };
        let change = match (before, after) {
            (None, None) => continue,
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(_), Some(_)) => Change::Modified,
        };
        let old_body = before.map(prepare).transpose()?;
        let new_body = after.map(prepare).transpose()?;
        let field_changes = match (&old_body, &new_body) {
            (Some(a), Some(b)) => fields::compare(a, b),
            _ => Vec::new(),
        };
        if change == Change::Modified && field_changes.is_empty() {
            summary.unchanged += 1;
            continue;
        }
        let (shown_old, shown_new, shown_fields) = if id.kind == "Secret" && !opts.show_secrets {
            normalize::redact_secrets(old_body.as_ref(), new_body.as_ref(), &field_changes)
        } else {
            (old_body.clone(), new_body.clone(), field_changes.clone())
        };
        let diff = report::unified(
            shown_old.as_ref(),
            shown_new.as_ref(),
            &format!("{}/{}", id.kind, id.name),
            opts.context,
        );
        let main = after.or(before).map(|r| (r.api_version.clone(), r.source));
        let (api_version, source) = main.unwrap_or_default();
        let impact = impact::notes(
            change,
            &id.kind,
            &shown_fields,
            new_body.as_ref().or(old_body.as_ref()),
        );
        let rolls = impact.iter().any(|i| i == impact::ROLLS_PODS);
        let pods = impact::pods_rolled(&id.kind, new_body.as_ref());
        match change {
            Change::Added => summary.added += 1,
            Change::Removed => summary.removed += 1,
            Change::Modified => summary.modified += 1,
        }
        changes.push(ResourceChange {
            change,
            api_version,
            kind: id.kind.clone(),
            namespace: id.namespace.clone(),
            name: id.name.clone(),
            source: source.to_string(),
            fields: shown_fields,
            impact,
            values: Vec::new(),
            diff,
            pods_rolled: if rolls { pods.unwrap_or(0) } else { 0 },
            daemonset_rolls: rolls && pods.is_none(),
        });
    }
    Ok(ReleaseDiff { changes, summary })
}
