//! The Go objects Helm hands to templates that are not plain maps: `.Files`,
//! `.Capabilities` (with `KubeVersion`, `APIVersions`, `HelmVersion`).

use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_template::{ArgType, GoShape, Map, Object, Str, Tag, Value};

use crate::glob::FilesGlob;

fn bytes_go_string(b: &[u8]) -> String {
    let parts: Vec<String> = b.iter().map(|x| x.to_string()).collect();
    format!("[{}]", parts.join(" "))
}

fn str_arg(args: &[Value], method: &str, want: usize) -> Result<String, String> {
    if args.len() != want {
        return Err(format!(
            "wrong number of args for {method}: want {want} got {}",
            args.len()
        ));
    }
    match &args[0] {
        Value::String(s) => Ok(s.to_string_lossy()),
        other => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
    }
}

/// Helm's `toYAML`: sigs.k8s.io/yaml `Marshal` with the final newline trimmed; "" on error.
pub fn to_yaml_trimmed(v: &Value) -> String {
    match chartroom_yaml::to_yaml(v) {
        Ok(s) => s.strip_suffix('\n').unwrap_or(&s).to_string(),
        Err(_) => String::new(),
    }
}

/// Helm's `engine.files`: a `map[string][]byte` with helper methods.
#[derive(Debug, Clone, Default)]
pub struct Files {
    files: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    pub fn new(files: BTreeMap<String, Rc<[u8]>>) -> Files {
        Files { files }
    }

    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    /// `Get`: Go's `string(bytes)`, every byte kept.
    fn get(&self, name: &str) -> Str {
        self.files
            .get(name)
            .map(|b| Str::from_bytes(b))
            .unwrap_or_default()
    }

    fn glob(&self, pattern: &str) -> Files {
        let g = FilesGlob::new(pattern);
        Files {
            files: self
                .files
                .iter()
                .filter(|(k, _)| g.matches(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    fn base_map(&self, f: impl Fn(&[u8]) -> String) -> Value {
        let mut m = Map::new();
        for (k, v) in &self.files {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            m.insert(base, Value::string(f(v)));
        }
        Value::map(m)
    }

    fn as_config(&self) -> String {
        if self.files.is_empty() {
            // Helm marshals an empty map: "{}"
            return to_yaml_trimmed(&Value::empty_map());
        }
        to_yaml_trimmed(&self.base_map(|b| String::from_utf8_lossy(b).into_owned()))
    }

    fn as_secrets(&self) -> String {
        to_yaml_trimmed(&self.base_map(chartroom_yaml::base64::encode_std))
    }

    /// `Lines`: the file split at `\n` (one final newline dropped), each line's bytes kept.
    fn lines(&self, name: &str) -> Value {
        let lines: Vec<Value> = match self.files.get(name) {
            None => Vec::new(),
            // Go indexes s[len(s)-1] and panics; Helm never reaches it for real files.
            Some(b) if b.is_empty() => vec![Value::str("")],
            Some(b) => b
                .strip_suffix(b"\n")
                .unwrap_or(b)
                .split(|c| *c == b'\n')
                .map(|l| Value::String(Str::from_bytes(l)))
                .collect(),
        };
        Value::List(Rc::new(lines), Tag::STRING)
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "AsConfig" => Some(Value::string(self.as_config())),
            "AsSecrets" => Some(Value::string(self.as_secrets())),
            "Get" | "GetBytes" | "Glob" | "Lines" => None,
            // A map key lookup; a missing key is the zero []byte.
            _ => Some(Value::Bytes(
                self.files
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| Rc::from(Vec::new())),
            )),
        }
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let r = match name {
            "Get" => str_arg(args, name, 1).map(|n| Value::String(self.get(&n))),
            "GetBytes" => str_arg(args, name, 1).map(|n| {
                Value::Bytes(
                    self.files
                        .get(&n)
                        .cloned()
                        .unwrap_or_else(|| Rc::from(Vec::new())),
                )
            }),
            "Glob" => str_arg(args, name, 1).map(|p| self.glob(&p).value()),
            "Lines" => str_arg(args, name, 1).map(|p| self.lines(&p)),
            "AsConfig" | "AsSecrets" => {
                if !args.is_empty() {
                    Err(format!(
                        "wrong number of args for {name}: want 0 got {}",
                        args.len()
                    ))
                } else if name == "AsConfig" {
                    Ok(Value::string(self.as_config()))
                } else {
                    Ok(Value::string(self.as_secrets()))
                }
            }
            _ => return None,
        };
        Some(r)
    }

    fn method_params(&self, name: &str) -> Option<(Vec<ArgType>, Option<ArgType>)> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some((vec![ArgType::String], None)),
            "AsConfig" | "AsSecrets" => Some((vec![], None)),
            _ => None,
        }
    }

    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        Some(
            self.files
                .iter()
                .map(|(k, v)| (Value::str(k), Value::Bytes(v.clone())))
                .collect(),
        )
    }

    fn go_len(&self) -> Option<usize> {
        Some(self.files.len())
    }

    fn index(&self, key: &Value) -> Option<Result<Value, String>> {
        Some(match key {
            Value::String(k) => Ok(Value::Bytes(
                k.to_str()
                    .and_then(|k| self.files.get(k))
                    .cloned()
                    .unwrap_or_else(|| Rc::from(Vec::new())),
            )),
            other => Err(format!(
                "value has type {}; should be string",
                other.type_name()
            )),
        })
    }

    fn to_plain(&self) -> Value {
        let mut m = Map::new();
        for (k, v) in &self.files {
            m.insert(k.clone(), Value::Bytes(v.clone()));
        }
        Value::map(m)
    }

    fn go_string(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| format!("{k}:{}", bytes_go_string(v)))
            .collect();
        format!("map[{}]", parts.join(" "))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `common.KubeVersion`.
#[derive(Debug, Clone)]
pub struct KubeVersion {
    /// `Version` and `GitVersion()`: the user's text with a `v` prefix.
    pub version: String,
    /// What `String()` prints: `v` + the parsed numeric components.
    pub normalized: String,
    pub major: String,
    pub minor: String,
    /// Whether this is the addressable field `.Capabilities.KubeVersion` (printed through its
    /// pointer-receiver `String()`) rather than a copy of it (printed as the struct).
    pub addressable: bool,
}

impl KubeVersion {
    pub fn new(version: String, normalized: String, major: String, minor: String) -> Self {
        KubeVersion {
            version,
            normalized,
            major,
            minor,
            addressable: true,
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" | "GitVersion" => Some(Value::str(&self.version)),
            "String" => Some(Value::str(&self.normalized)),
            "Major" => Some(Value::str(&self.major)),
            "Minor" => Some(Value::str(&self.minor)),
            _ => None,
        }
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "GitVersion" | "String")
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if !self.has_method(name) {
            return None;
        }
        if !args.is_empty() {
            return Some(Err(format!(
                "wrong number of args for {name}: want 0 got {}",
                args.len()
            )));
        }
        Some(Ok(Value::str(if name == "String" {
            &self.normalized
        } else {
            &self.version
        })))
    }

    fn to_plain(&self) -> Value {
        Value::map(self.json_fields().unwrap_or_default().into_iter().collect())
    }

    fn go_shape(&self) -> Option<GoShape> {
        Some(GoShape::Struct {
            ptr: false,
            fields: vec![
                ("Version", Value::str(&self.version)),
                ("normalizedVersion", Value::str(&self.normalized)),
                ("Major", Value::str(&self.major)),
                ("Minor", Value::str(&self.minor)),
            ],
        })
    }

    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            ("Version".into(), Value::str(&self.version)),
            ("Major".into(), Value::str(&self.major)),
            ("Minor".into(), Value::str(&self.minor)),
        ])
    }

    fn go_string(&self) -> String {
        format!(
            "{{{} {} {} {}}}",
            self.version, self.normalized, self.major, self.minor
        )
    }

    // `String()` has a pointer receiver: only an addressable KubeVersion printed by an action
    // uses it; function arguments see the struct (`{v1.37.0 v1.37.0 1 37}`).
    fn addressed_stringer(&self) -> Option<String> {
        self.addressable.then(|| self.normalized.clone())
    }

    fn unaddressable(&self) -> Option<Value> {
        self.addressable.then(|| {
            Value::Object(Rc::new(KubeVersion {
                addressable: false,
                ..self.clone()
            }))
        })
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `common.VersionSet`: a `[]string` with `Has`.
#[derive(Debug, Clone)]
pub struct VersionSet {
    pub versions: Vec<String>,
}

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }

    fn kind_name(&self) -> &str {
        "slice"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        Some(str_arg(args, name, 1).map(|v| Value::Bool(self.versions.contains(&v))))
    }

    fn to_plain(&self) -> Value {
        Value::string_list(self.versions.clone())
    }

    fn method_params(&self, name: &str) -> Option<(Vec<ArgType>, Option<ArgType>)> {
        (name == "Has").then(|| (vec![ArgType::String], None))
    }

    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        Some(
            self.versions
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Int(i as i64), Value::str(v)))
                .collect(),
        )
    }

    fn go_len(&self) -> Option<usize> {
        Some(self.versions.len())
    }

    fn index(&self, key: &Value) -> Option<Result<Value, String>> {
        Some(match key {
            Value::Int(i) | Value::Int64(i) => {
                match usize::try_from(*i).ok().and_then(|i| self.versions.get(i)) {
                    Some(v) => Ok(Value::str(v)),
                    None => Err(format!("index out of range: {i}")),
                }
            }
            other => Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )),
        })
    }

    fn go_shape(&self) -> Option<GoShape> {
        Some(GoShape::Slice(
            self.versions.iter().map(|v| Value::str(v)).collect(),
        ))
    }

    fn subslice(&self, start: usize, end: usize) -> Option<Value> {
        let versions = self.versions.get(start..end)?.to_vec();
        Some(Value::Object(Rc::new(VersionSet { versions })))
    }

    fn go_string(&self) -> String {
        format!("[{}]", self.versions.join(" "))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `version.BuildInfo` of the Helm we imitate.
#[derive(Debug, Clone)]
pub struct BuildInfo;

const HELM_VERSION: &str = "v4.3.1";
const HELM_GIT_COMMIT: &str = "c0d08d0d6d9424d4a14febb5e8a3e51b0dd00dff";
const HELM_GIT_TREE_STATE: &str = "clean";
const HELM_GO_VERSION: &str = "go1.27.2";
const HELM_KUBE_CLIENT_VERSION: &str = "v1.37";

impl Object for BuildInfo {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => HELM_VERSION,
            "GitCommit" => HELM_GIT_COMMIT,
            "GitTreeState" => HELM_GIT_TREE_STATE,
            "GoVersion" => HELM_GO_VERSION,
            "KubeClientVersion" => HELM_KUBE_CLIENT_VERSION,
            _ => return None,
        }))
    }

    fn to_plain(&self) -> Value {
        Value::map(self.json_fields().unwrap_or_default().into_iter().collect())
    }

    fn go_shape(&self) -> Option<GoShape> {
        Some(GoShape::Struct {
            ptr: false,
            fields: [
                ("Version", HELM_VERSION),
                ("GitCommit", HELM_GIT_COMMIT),
                ("GitTreeState", HELM_GIT_TREE_STATE),
                ("GoVersion", HELM_GO_VERSION),
                ("KubeClientVersion", HELM_KUBE_CLIENT_VERSION),
            ]
            .into_iter()
            .map(|(k, v)| (k, Value::str(v)))
            .collect(),
        })
    }

    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(
            [
                ("version", HELM_VERSION),
                ("git_commit", HELM_GIT_COMMIT),
                ("git_tree_state", HELM_GIT_TREE_STATE),
                ("go_version", HELM_GO_VERSION),
                ("kube_client_version", HELM_KUBE_CLIENT_VERSION),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::str(v)))
            .collect(),
        )
    }

    fn go_string(&self) -> String {
        format!(
            "{{{HELM_VERSION} {HELM_GIT_COMMIT} {HELM_GIT_TREE_STATE} {HELM_GO_VERSION} {HELM_KUBE_CLIENT_VERSION}}}"
        )
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `*common.Capabilities`.
#[derive(Debug, Clone)]
pub struct Capabilities {
    pub kube_version: Rc<KubeVersion>,
    pub api_versions: Rc<VersionSet>,
}

impl Capabilities {
    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube_version.clone())),
            "APIVersions" => Some(Value::Object(self.api_versions.clone())),
            "HelmVersion" => Some(Value::Object(Rc::new(BuildInfo))),
            _ => None,
        }
    }

    fn to_plain(&self) -> Value {
        let mut m = Map::new();
        m.insert("APIVersions".into(), self.api_versions.to_plain());
        m.insert("HelmVersion".into(), BuildInfo.to_plain());
        m.insert("KubeVersion".into(), self.kube_version.to_plain());
        Value::map(m)
    }

    fn go_shape(&self) -> Option<GoShape> {
        Some(GoShape::Struct {
            ptr: true,
            fields: vec![
                ("KubeVersion", Value::Object(self.kube_version.clone())),
                ("APIVersions", Value::Object(self.api_versions.clone())),
                ("HelmVersion", Value::Object(Rc::new(BuildInfo))),
            ],
        })
    }

    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            (
                "KubeVersion".into(),
                Value::Object(self.kube_version.clone()),
            ),
            (
                "APIVersions".into(),
                Value::Object(self.api_versions.clone()),
            ),
            ("HelmVersion".into(), Value::Object(Rc::new(BuildInfo))),
        ])
    }

    fn go_string(&self) -> String {
        format!(
            "&{{{} {} {}}}",
            self.kube_version.go_string(),
            self.api_versions.go_string(),
            BuildInfo.go_string()
        )
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The API versions `helm template` assumes without a cluster (Helm 4.3.1's
/// `DefaultVersionSet`), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "lifecycle.k8s.io/v1alpha1",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_methods() {
        let mut m = BTreeMap::new();
        m.insert("conf/a.yaml".to_string(), Rc::from(b"a: 1\n".to_vec()));
        m.insert("conf/b.txt".to_string(), Rc::from(b"x\ny".to_vec()));
        let f = Files::new(m);
        assert_eq!(f.get("conf/a.yaml"), "a: 1\n");
        assert_eq!(f.get("nope"), "");
        let Value::List(lines, _) = f.lines("conf/b.txt") else {
            panic!("a list")
        };
        assert_eq!(
            lines.iter().filter_map(|l| l.as_str()).collect::<Vec<_>>(),
            vec!["x", "y"]
        );
        assert_eq!(f.glob("conf/*.txt").files.len(), 1);
        assert_eq!(f.as_secrets(), "a.yaml: YTogMQo=\nb.txt: eAp5");
        assert_eq!(
            f.glob("conf/a.yaml").go_string(),
            "map[conf/a.yaml:[97 58 32 49 10]]"
        );
    }
}
