//! Resource identity for duplicate detection: group, kind, namespace, name.
//!
//! The schema packs do not say which kinds are namespaced (kubernetes-validate's schemas
//! carry no scope), so built-in kinds are decided by the list below (the cluster-scoped
//! kinds of the Kubernetes API, 1.25-1.37, by group), custom resources by the scope of a CRD
//! in the same release or call, and any other kind counts as namespaced (most custom
//! resources are).

use crate::crd::CrdSchemas;

/// Cluster-scoped built-in kinds: (group, kinds). The core group is `""`.
const CLUSTER_SCOPED: &[(&str, &[&str])] = &[
    (
        "",
        &["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
    ),
    (
        "admissionregistration.k8s.io",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding",
        ],
    ),
    ("apiextensions.k8s.io", &["CustomResourceDefinition"]),
    ("apiregistration.k8s.io", &["APIService"]),
    (
        "authentication.k8s.io",
        &["TokenReview", "SelfSubjectReview"],
    ),
    (
        "authorization.k8s.io",
        &[
            "SubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
        ],
    ),
    (
        "certificates.k8s.io",
        &["CertificateSigningRequest", "ClusterTrustBundle"],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    ("internal.apiserver.k8s.io", &["StorageVersion"]),
    (
        "networking.k8s.io",
        &["IngressClass", "IPAddress", "ServiceCIDR"],
    ),
    ("node.k8s.io", &["RuntimeClass"]),
    ("policy", &["PodSecurityPolicy"]),
    (
        "rbac.authorization.k8s.io",
        &["ClusterRole", "ClusterRoleBinding"],
    ),
    (
        "resource.k8s.io",
        &["DeviceClass", "ResourceSlice", "DeviceTaintRule"],
    ),
    ("scheduling.k8s.io", &["PriorityClass"]),
    (
        "storage.k8s.io",
        &[
            "StorageClass",
            "CSIDriver",
            "CSINode",
            "VolumeAttachment",
            "VolumeAttributesClass",
        ],
    ),
    ("storagemigration.k8s.io", &["StorageVersionMigration"]),
];

/// The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``).
pub(crate) fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}

/// Whether a built-in kind of this apiVersion is cluster-scoped (see the module notes).
pub fn is_cluster_scoped(api_version: &str, kind: &str) -> bool {
    let group = group_of(api_version);
    CLUSTER_SCOPED
        .iter()
        .any(|(g, kinds)| *g == group && kinds.contains(&kind))
}

/// What makes two documents the same object: group, kind, namespace (`None` for
/// cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ResourceKey {
    pub group: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ResourceKey {
    /// The key of a document with this head; a namespaced kind without
    /// `metadata.namespace` is in `default_namespace` (the release namespace; `""` for
    /// files, meaning whatever namespace they are applied to).
    pub fn new(
        api_version: &str,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
        default_namespace: &str,
        crds: &CrdSchemas,
    ) -> ResourceKey {
        let group = group_of(api_version);
        let namespaced = crds
            .namespaced(group, kind)
            .unwrap_or_else(|| !is_cluster_scoped(api_version, kind));
        ResourceKey {
            group: group.to_string(),
            kind: kind.to_string(),
            namespace: namespaced.then(|| namespace.unwrap_or(default_namespace).to_string()),
            name: name.to_string(),
        }
    }

    /// `Deployment web in namespace shop` / `ClusterRole admin` (group named when not core).
    pub fn describe(&self) -> String {
        let kind = if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        };
        match &self.namespace {
            Some(ns) if !ns.is_empty() => format!("{kind} {:?} in namespace {ns:?}", self.name),
            Some(_) => format!("{kind} {:?} (no namespace given)", self.name),
            None => format!("{kind} {:?} (cluster-scoped)", self.name),
        }
    }
}
