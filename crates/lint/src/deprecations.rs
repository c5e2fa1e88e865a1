//! Deprecated and removed apiVersions: facts from the Kubernetes "Deprecated API Migration
//! Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/, "Removed APIs by
//! release": v1.16, v1.22, v1.25, v1.26, v1.27, v1.29, v1.32; no removal is announced after
//! v1.32). The guide gives the release that stops serving each version and its replacement;
//! the release that deprecated it comes from the API's own deprecation warning
//! (`... is deprecated in v1.X+, unavailable in v1.Y+`, which the API server sends since 1.19)
//! and is `None` where no such warning exists (removed before 1.19). Every bundled schema
//! pack agrees with the removal column (a test checks that a removed apiVersion has no schema
//! in each version from its removal on, and a schema before it).

/// One deprecated group/version and the kinds the guide names for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deprecation {
    /// `batch/v1beta1` (`v1` for the core group).
    pub api_version: &'static str,
    pub kinds: &'static [&'static str],
    /// The minor version of 1.x that deprecated it, when known.
    pub deprecated_in: Option<u32>,
    /// The minor version of 1.x that stopped serving it.
    pub removed_in: u32,
    /// apiVersions to migrate to, preferred first (the first one the target serves is
    /// named); empty when the API has no successor.
    pub replacements: &'static [&'static str],
    /// Said instead of a replacement when there is none.
    pub note: &'static str,
}

const fn d(
    api_version: &'static str,
    kinds: &'static [&'static str],
    deprecated_in: Option<u32>,
    removed_in: u32,
    replacements: &'static [&'static str],
) -> Deprecation {
    Deprecation {
        api_version,
        kinds,
        deprecated_in,
        removed_in,
        replacements,
        note: "",
    }
}

const FLOWCONTROL: &[&str] = &["FlowSchema", "PriorityLevelConfiguration"];

/// The table, grouped by the release that removed the rows.
pub const DEPRECATIONS: &[Deprecation] = &[
    // v1.32
    d(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        FLOWCONTROL,
        Some(29),
        32,
        &["flowcontrol.apiserver.k8s.io/v1"],
    ),
    // v1.29
    d(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        FLOWCONTROL,
        Some(26),
        29,
        &[
            "flowcontrol.apiserver.k8s.io/v1",
            "flowcontrol.apiserver.k8s.io/v1beta3",
        ],
    ),
    // v1.27
    d(
        "storage.k8s.io/v1beta1",
        &["CSIStorageCapacity"],
        Some(24),
        27,
        &["storage.k8s.io/v1"],
    ),
    // v1.26
    d(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        FLOWCONTROL,
        Some(23),
        26,
        &[
            "flowcontrol.apiserver.k8s.io/v1",
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "flowcontrol.apiserver.k8s.io/v1beta2",
        ],
    ),
    d(
        "autoscaling/v2beta2",
        &["HorizontalPodAutoscaler"],
        Some(23),
        26,
        &["autoscaling/v2"],
    ),
    // v1.25
    d("batch/v1beta1", &["CronJob"], Some(21), 25, &["batch/v1"]),
    d(
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        Some(21),
        25,
        &["discovery.k8s.io/v1"],
    ),
    d(
        "events.k8s.io/v1beta1",
        &["Event"],
        Some(22),
        25,
        &["events.k8s.io/v1"],
    ),
    d(
        "autoscaling/v2beta1",
        &["HorizontalPodAutoscaler"],
        Some(22),
        25,
        &["autoscaling/v2"],
    ),
    d(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        Some(21),
        25,
        &["policy/v1"],
    ),
    Deprecation {
        api_version: "policy/v1beta1",
        kinds: &["PodSecurityPolicy"],
        deprecated_in: Some(21),
        removed_in: 25,
        replacements: &[],
        note: "PodSecurityPolicy has no successor API; use Pod Security Admission",
    },
    d(
        "node.k8s.io/v1beta1",
        &["RuntimeClass"],
        Some(22),
        25,
        &["node.k8s.io/v1"],
    ),
    // v1.22
    d(
        "admissionregistration.k8s.io/v1beta1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
        ],
        Some(16),
        22,
        &["admissionregistration.k8s.io/v1"],
    ),
    d(
        "apiextensions.k8s.io/v1beta1",
        &["CustomResourceDefinition"],
        Some(16),
        22,
        &["apiextensions.k8s.io/v1"],
    ),
    d(
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        Some(19),
        22,
        &["apiregistration.k8s.io/v1"],
    ),
    d(
        "authentication.k8s.io/v1beta1",
        &["TokenReview"],
        Some(19),
        22,
        &["authentication.k8s.io/v1"],
    ),
    d(
        "authorization.k8s.io/v1beta1",
        &[
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SubjectAccessReview",
        ],
        Some(19),
        22,
        &["authorization.k8s.io/v1"],
    ),
    d(
        "certificates.k8s.io/v1beta1",
        &["CertificateSigningRequest"],
        Some(19),
        22,
        &["certificates.k8s.io/v1"],
    ),
    d(
        "coordination.k8s.io/v1beta1",
        &["Lease"],
        Some(19),
        22,
        &["coordination.k8s.io/v1"],
    ),
    d(
        "extensions/v1beta1",
        &["Ingress"],
        Some(14),
        22,
        &["networking.k8s.io/v1"],
    ),
    d(
        "networking.k8s.io/v1beta1",
        &["Ingress", "IngressClass"],
        Some(19),
        22,
        &["networking.k8s.io/v1"],
    ),
    d(
        "rbac.authorization.k8s.io/v1beta1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        Some(17),
        22,
        &["rbac.authorization.k8s.io/v1"],
    ),
    d(
        "scheduling.k8s.io/v1beta1",
        &["PriorityClass"],
        Some(14),
        22,
        &["scheduling.k8s.io/v1"],
    ),
    d(
        "storage.k8s.io/v1beta1",
        &["CSIDriver", "StorageClass", "VolumeAttachment"],
        Some(19),
        22,
        &["storage.k8s.io/v1"],
    ),
    d(
        "storage.k8s.io/v1beta1",
        &["CSINode"],
        Some(17),
        22,
        &["storage.k8s.io/v1"],
    ),
    // v1.16
    d(
        "extensions/v1beta1",
        &["NetworkPolicy"],
        None,
        16,
        &["networking.k8s.io/v1"],
    ),
    Deprecation {
        api_version: "extensions/v1beta1",
        kinds: &["PodSecurityPolicy"],
        deprecated_in: None,
        removed_in: 16,
        replacements: &[],
        note: "PodSecurityPolicy has no successor API; use Pod Security Admission",
    },
    d(
        "extensions/v1beta1",
        &["DaemonSet", "Deployment", "ReplicaSet"],
        None,
        16,
        &["apps/v1"],
    ),
    d(
        "apps/v1beta1",
        &["Deployment", "StatefulSet", "ReplicaSet"],
        None,
        16,
        &["apps/v1"],
    ),
    d(
        "apps/v1beta2",
        &["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"],
        None,
        16,
        &["apps/v1"],
    ),
];

/// The table's row for an apiVersion and kind, if it has one.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static Deprecation> {
    DEPRECATIONS
        .iter()
        .find(|d| d.api_version == api_version && d.kinds.contains(&kind))
}

/// The minor version of a pack version (`1.30` → 30).
pub(crate) fn minor(kube_version: &str) -> Option<u32> {
    kube_version.split('.').nth(1)?.parse().ok()
}

/// What the table says about `api_version`/`kind` at Kubernetes `1.<target>`: `Some((true,
/// message))` when it is no longer served, `Some((false, message))` when deprecated but
/// served, `None` otherwise. `served` tells which replacement apiVersions the target knows
/// (the first one it serves is named).
pub(crate) fn check(
    api_version: &str,
    kind: &str,
    target: u32,
    served: impl Fn(&str) -> bool,
) -> Option<(bool, String)> {
    let row = lookup(api_version, kind)?;
    let instead = || {
        if row.replacements.is_empty() {
            return row.note.to_string();
        }
        let to = row
            .replacements
            .iter()
            .find(|r| served(r))
            .unwrap_or(&row.replacements[0]);
        format!("use {to}")
    };
    if target >= row.removed_in {
        return Some((
            true,
            format!(
                "{api_version} {kind} was removed in Kubernetes 1.{}; {}",
                row.removed_in,
                instead()
            ),
        ));
    }
    match row.deprecated_in {
        Some(dep) if target >= dep => Some((
            false,
            format!(
                "{api_version} {kind} is deprecated since Kubernetes 1.{dep} and removed in 1.{}; {}",
                row.removed_in,
                instead()
            ),
        )),
        _ => None,
    }
}
