//! What applying a change does in a cluster, from Kubernetes' documented rules: a change to a
//! workload's pod template rolls its pods; some fields are immutable, so changing them needs
//! the object replaced; removing a CRD deletes every custom resource of that type.

use chartroom_template::Value;

use crate::fields::FieldChange;
use crate::normalize::pointer_segments;
use crate::Change;

/// Note for a change under a workload's pod template.
pub const ROLLS_PODS: &str = "rolls pods";
/// Note for a removed CustomResourceDefinition.
pub const DELETES_CUSTOM_RESOURCES: &str = "deletes custom resources";

/// Where each workload kind keeps its pod template.
fn pod_template(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" => {
            Some(&["spec", "template"])
        }
        _ => None,
    }
}

/// Immutable fields per kind (Kubernetes API validation rejects updates to them).
fn immutable(kind: &str) -> &'static [&'static [&'static str]] {
    match kind {
        "Service" => &[&["spec", "clusterIP"], &["spec", "clusterIPs"]],
        "Deployment" | "DaemonSet" | "ReplicaSet" => &[&["spec", "selector"]],
        "StatefulSet" => &[
            &["spec", "selector"],
            &["spec", "volumeClaimTemplates"],
            &["spec", "serviceName"],
            &["spec", "podManagementPolicy"],
        ],
        "Job" => &[&["spec", "selector"], &["spec", "template"]],
        "PersistentVolumeClaim" => &[
            &["spec", "storageClassName"],
            &["spec", "volumeName"],
            &["spec", "accessModes"],
            &["spec", "selector"],
        ],
        _ => &[],
    }
}

fn under(path: &[String], prefix: &[&str]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

/// The impact notes of one resource change, most severe first.
pub fn notes(
    change: Change,
    kind: &str,
    fields: &[FieldChange],
    _body: Option<&Value>,
) -> Vec<String> {
    let mut out = Vec::new();
    match change {
        Change::Removed if kind == "CustomResourceDefinition" => {
            out.push(DELETES_CUSTOM_RESOURCES.to_string());
        }
        Change::Modified => {
            let paths: Vec<Vec<String>> =
                fields.iter().map(|f| pointer_segments(&f.path)).collect();
            for field in immutable(kind) {
                if paths.iter().any(|p| under(p, field)) {
                    out.push(format!("needs replace: /{} is immutable", field.join("/")));
                }
            }
            if let Some(template) = pod_template(kind) {
                if paths.iter().any(|p| under(p, template)) {
                    out.push(ROLLS_PODS.to_string());
                }
            }
        }
        _ => {}
    }
    out
}

/// How many pods a rolled workload replaces: its replicas (1 when unset), `None` for a
/// DaemonSet (one per node).
pub fn pods_rolled(kind: &str, body: Option<&Value>) -> Option<u64> {
    if kind == "DaemonSet" {
        return None;
    }
    let replicas = body.and_then(|b| match b {
        Value::Map(m, _) => match m.borrow().get("spec") {
            Some(Value::Map(spec, _)) => spec.borrow().get("replicas").cloned(),
            _ => None,
        },
        _ => None,
    });
    Some(match replicas {
        Some(Value::Float(f)) if f >= 0.0 => f as u64,
        Some(Value::Int(i) | Value::Int64(i)) if i >= 0 => i as u64,
        _ => 1,
    })
}
