//! Helm's own `helm lint` checks in `chartroom lint` (findings with rule "helm"), on small
//! charts built here. Every expectation below is what the real `helm lint` (Helm v4.3.1)
//! printed for the same chart and flags: one `(severity, message)` per `[SEVERITY] text` line,
//! continuation lines joined with `\n`, in Helm's order. `{CHART}` stands for the chart
//! directory's absolute path, which Helm prints in its dependency messages.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chart_dir(files: &[(&str, &str)]) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "helm-lint-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    let chart = d.join("chart");
    std::fs::create_dir_all(&chart).unwrap();
    for (name, text) in files {
        let p = chart.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    d
}

/// Lints the chart made of `files` with `args`; returns the rule "helm" findings.
fn helm_findings(files: &[(&str, &str)], args: &[&str]) -> (Vec<(String, String)>, PathBuf) {
    let d = chart_dir(files);
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(["lint", "chart", "--output", "json"])
        .args(args)
        .current_dir(&d)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let found = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "helm")
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (found, d)
}

fn check(files: &[(&str, &str)], args: &[&str], helm: &[(&str, &str)]) {
    let (found, d) = helm_findings(files, args);
    let abs = std::env::current_dir()
        .unwrap()
        .join(d.join("chart"))
        .to_string_lossy()
        .into_owned();
    let want: Vec<(String, String)> = helm
        .iter()
        .map(|(s, m)| (s.to_string(), m.replace("{CHART}", &abs)))
        .collect();
    assert_eq!(found, want);
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn release_name_namespace_and_missing_values_file() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: c1
version: 0.1.0
"#,
            ),
            (
                r#"templates/cm.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s|%s|%v|%v|%v|%s|%s" .Release.Name .Release.Namespace .Release.IsInstall .Release.IsUpgrade .Release.Revision .Capabilities.KubeVersion .Release.Service }}
"#,
            ),
        ],
        &[r#"--namespace"#, r#"foo"#],
        &[
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
            (r#"info"#, r#"values.yaml: file does not exist"#),
            (
                r#"warning"#,
                r#"templates/cm.yaml: object name does not conform to Kubernetes naming requirements: "test-release|foo|false|false|0|{v1.37.0 v1.37.0 1 37}|Helm": metadata.name: Invalid value: "test-release|foo|false|false|0|{v1.37.0 v1.37.0 1 37}|Helm": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
        ],
    );
}

#[test]
fn names_deprecations_selectors_extensions() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: c2
version: 0.1.0
icon: https://x.io/i.png
"#,
            ),
            (
                r#"templates/a.yaml"#,
                r#"apiVersion: v1
kind: Service
metadata:
  name: 1abc
---
apiVersion: v1
kind: Namespace
metadata:
  name: Foo.bar
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: "a_b"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: "a/b"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ".."
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ repeat 260 "a" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ repeat 70 "a" }}
---
apiVersion: v1
kind: Service
metadata:
  name: "A-"
---
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: "A_"
---
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: x
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: x
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: x
---
kind: List
apiVersion: v1
items:
- metadata:
    annotations:
      helm.sh/resource-policy: keep
"#,
            ),
            (
                r#"templates/b.txt"#,
                r#"hello
"#,
            ),
            (
                r#"templates/c.json"#,
                r#"{}
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "1abc": metadata.name: Invalid value: "1abc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "Foo.bar": metadata.name: Invalid value: "Foo.bar": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "a_b": metadata.name: Invalid value: "a_b": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "a/b": metadata.name: Invalid value: "a/b": may not contain '/'"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "..": metadata.name: Invalid value: "..": may not be '..'"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": metadata.name: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 253 characters"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": metadata.name: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": must be no more than 63 characters"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "A-": metadata.name: Invalid value: "A-": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress"#,
            ),
            (
                r#"error"#,
                r#"templates/a.yaml: a Deployment must contain matchLabels or matchExpressions, and "x" does not"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
            (
                r#"error"#,
                r#"templates/c.json: file extension '.json' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"#,
            ),
        ],
    );
}

#[test]
fn long_names_and_a_document_that_is_not_a_map() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: c3
version: 0.1.0
icon: https://x.io/i.png
"#,
            ),
            (
                r#"templates/a.yaml"#,
                r#"apiVersion: v1
kind: Pod
metadata:
  name: {{ repeat 260 "A" }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: "a/%b/c"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: "."
---
apiVersion: v1
kind: Namespace
metadata:
  name: {{ repeat 70 "A" }}
---
kind: Service
metadata:
  name: A
---
apiVersion: v1
kind: ConfigMap
---
- a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: 5
---
# just a comment
---
apiVersion: v1
kind: ConfigMap
metadata: {name: x, namespace: [1]}
"#,
            ),
        ],
        &[],
        &[
            (r#"info"#, r#"values.yaml: file does not exist"#),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": [metadata.name: Invalid value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": must be no more than 253 characters, metadata.name: Invalid value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "a/%b/c": [metadata.name: Invalid value: "a/%b/c": may not contain '/', metadata.name: Invalid value: "a/%b/c": may not contain '%']"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: ".": metadata.name: Invalid value: ".": may not be '.'"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": [metadata.name: Invalid value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": must be no more than 63 characters, metadata.name: Invalid value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "A": metadata.name: Invalid value: "A": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/a.yaml: object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
            (
                r#"error"#,
                r#"templates/a.yaml: unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type rules.k8sYamlStruct"#,
            ),
        ],
    );
}

#[test]
fn unknown_chart_yaml_field() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 1.0.0
engine: gotpl
foo: 1
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"Chart.yaml: failed to strictly parse chart metadata file
	error unmarshaling JSON: while decoding JSON: json: unknown field "engine""#,
            ),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
        ],
    );
}

#[test]
fn chart_name_api_version_type_and_dependencies() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"name: a/b
version: 0.0.0
type: library
dependencies:
- name: x
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (r#"error"#, r#"Chart.yaml: chart name "a/b" is invalid"#),
            (
                r#"error"#,
                r#"Chart.yaml: apiVersion is required. The value must be either "v1" or "v2""#,
            ),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
            (
                r#"error"#,
                r#"Chart.yaml: chart type is not valid in apiVersion ''. It is valid in apiVersion 'v2'"#,
            ),
            (
                r#"error"#,
                r#"Chart.yaml: dependencies are not valid in the Chart file with apiVersion ''. They are valid in apiVersion 'v2'"#,
            ),
            (
                r#"error"#,
                r#"templates/: validation: chart.metadata.name "a/b" is invalid"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	validation: chart.metadata.name "a/b" is invalid"#,
            ),
        ],
    );
}

#[test]
fn missing_name_and_version_of_the_wrong_type() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
version: 1.2
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (r#"error"#, r#"Chart.yaml: name is required"#),
            (
                r#"error"#,
                r#"Chart.yaml: version should be of type string but it's of type float64"#,
            ),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
            (
                r#"warning"#,
                r#"Chart.yaml: version '1.2' is not a valid SemVerV2"#,
            ),
            (
                r#"error"#,
                r#"templates/: validation: chart.metadata.name is required"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	validation: chart.metadata.name is required"#,
            ),
        ],
    );
}

#[test]
fn null_maintainer() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 1.0.0
maintainers: [null]
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (r#"error"#, r#"Chart.yaml: a maintainer entry is empty"#),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
            (
                r#"error"#,
                r#"templates/: validation: maintainers must not contain empty or null nodes"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	validation: maintainers must not contain empty or null nodes"#,
            ),
        ],
    );
}

#[test]
fn v1_chart_with_dependencies_and_bad_maintainer_url() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v1
name: x
version: 1.0.0-alpha.1
maintainers:
- name: b
  url: "not a url"
dependencies:
- name: q
  version: 1
  foo: 2
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"Chart.yaml: failed to strictly parse chart metadata file
	error unmarshaling JSON: while decoding JSON: json: unknown field "foo""#,
            ),
            (
                r#"error"#,
                r#"Chart.yaml: invalid url 'not a url' for maintainer 'b'"#,
            ),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
            (
                r#"error"#,
                r#"Chart.yaml: dependencies are not valid in the Chart file with apiVersion 'v1'. They are valid in apiVersion 'v2'"#,
            ),
            (
                r#"warning"#,
                r#"{CHART}: chart directory is missing these dependencies: q"#,
            ),
        ],
    );
}

#[test]
fn maintainer_without_name() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 1.0.0
maintainers:
- email: a@b.c
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (r#"error"#, r#"Chart.yaml: each maintainer requires a name"#),
            (r#"info"#, r#"Chart.yaml: icon is recommended"#),
        ],
    );
}

#[test]
fn values_yaml_that_does_not_parse() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: b: c
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"values.yaml: unable to parse YAML: error converting YAML to JSON: yaml: mapping values are not allowed in this context"#,
            ),
            (
                r#"error"#,
                r#"templates/: cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: mapping values are not allowed in this context"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	cannot load values.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: mapping values are not allowed in this context"#,
            ),
        ],
    );
}

#[test]
fn values_yaml_that_is_a_list() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"- 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"values.yaml: unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type common.Values"#,
            ),
            (
                r#"error"#,
                r#"templates/: cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"#,
            ),
        ],
    );
}

#[test]
fn values_against_schema() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.schema.json"#,
                r#"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["b"]}"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: x
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"values.yaml: - at '': missing property 'b'
- at '/a': got string, want integer"#,
            ),
            (
                r#"error"#,
                r#"templates/: values don't meet the specifications of the schema(s) in the following chart(s):
x:
- at '': missing property 'b'
- at '/a': got string, want integer"#,
            ),
        ],
    );
}

#[test]
fn values_set_against_schema() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.schema.json"#,
                r#"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"}},"required":["b"]}"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
b: s
"#,
            ),
        ],
        &[r#"--set"#, r#"a=str"#],
        &[
            (
                r#"error"#,
                r#"values.yaml: - at '/a': got string, want integer"#,
            ),
            (
                r#"error"#,
                r#"templates/: values don't meet the specifications of the schema(s) in the following chart(s):
x:
- at '/a': got string, want integer"#,
            ),
        ],
    );
}

#[test]
fn schema_that_is_not_json() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (r#"values.schema.json"#, r#"{bad"#),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"values.yaml: invalid character 'b' looking for beginning of object key string"#,
            ),
            (
                r#"error"#,
                r#"templates/: values don't meet the specifications of the schema(s) in the following chart(s):
x:
invalid character 'b' looking for beginning of object key string"#,
            ),
        ],
    );
}

#[test]
fn values_yaml_with_several_documents() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
---
b: 2
---
- x
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"templates/: cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"#,
            ),
            (
                r#"error"#,
                r#": unable to load chart
	cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"#,
            ),
        ],
    );
}

#[test]
fn lint_mode_required_and_fail() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"{{ required "need x" .Values.y }}
{{ fail "boom" }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.nope.deeper }}
"#,
            ),
            (
                r#"values.yaml"#,
                r#"x: 1
"#,
            ),
        ],
        &[],
        &[(
            r#"error"#,
            r#"templates/: x/templates/t.yaml:6:18
  executing "x/templates/t.yaml" at <.Values.nope.deeper>:
    nil pointer evaluating interface {}.deeper"#,
        )],
    );
}

#[test]
fn undefined_include() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"{{ include "nope" . }}
"#,
            ),
            (
                r#"values.yaml"#,
                r#"x: 1
"#,
            ),
        ],
        &[],
        &[(
            r#"error"#,
            r#"templates/: x/templates/t.yaml:1:3
  executing "x/templates/t.yaml" at <include "nope" .>:
    error calling include:
template: no template "nope" associated with template "gotpl""#,
        )],
    );
}

#[test]
fn template_parse_error() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"{{ if }}
"#,
            ),
            (
                r#"values.yaml"#,
                r#"x: 1
"#,
            ),
        ],
        &[],
        &[(
            r#"error"#,
            r#"templates/: parse error at (x/templates/t.yaml:1): missing value for if"#,
        )],
    );
}

#[test]
fn list_annotations_and_json_documents() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/j.yaml"#,
                r#"{"kind":"Service","metadata":{"name":"A"}} {"kind": 5}"#,
            ),
            (
                r#"templates/l.yaml"#,
                r#"kind: List
items:
- metadata:
    annotations:
      helm.sh/resource-policy: keep
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: ok
---
apiVersion: v1
kind: List
items:
- metadata:
    annotations:
      helm.sh/resource-policy: keep
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"templates/j.yaml: object name does not conform to Kubernetes naming requirements: "A": metadata.name: Invalid value: "A": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/j.yaml: object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
            (
                r#"warning"#,
                r#"templates/l.yaml: object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
            (
                r#"error"#,
                r#"templates/l.yaml: annotation 'helm.sh/resource-policy' within List objects are ignored"#,
            ),
            (
                r#"warning"#,
                r#"templates/t.yaml: object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            ),
        ],
    );
}

#[test]
fn indented_document_and_yaml_error_stop_the_rule() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"  apiVersion: v1
  kind: Service
  metadata:
    name: Bad
"#,
            ),
            (
                r#"templates/z.yaml"#,
                r#"x: [
"#,
            ),
            (
                r#"templates/zz.yaml"#,
                r#"a: 1
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"templates/t.yaml: document starts with an illegal indent: "  apiVersion: v1", which may cause parsing problems"#,
            ),
            (
                r#"warning"#,
                r#"templates/t.yaml: object name does not conform to Kubernetes naming requirements: "Bad": metadata.name: Invalid value: "Bad": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"error"#,
                r#"templates/z.yaml: unable to parse YAML: error converting YAML to JSON: yaml: line 1: did not find expected node content"#,
            ),
        ],
    );
}

#[test]
fn no_templates_directory() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[(r#"warning"#, r#"templates/: directory does not exist"#)],
    );
}

#[test]
fn templates_is_a_file() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates"#,
                r#"x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[(r#"error"#, r#"templates/: not a directory"#)],
    );
}

#[test]
fn dependencies_missing_and_undeclared() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
dependencies:
- name: sub
  version: 0.1.0
- name: gone
  version: 1.0.0
"#,
            ),
            (
                r#"charts/other/Chart.yaml"#,
                r#"apiVersion: v2
name: other
version: 0.1.0
"#,
            ),
            (
                r#"charts/sub/Chart.yaml"#,
                r#"apiVersion: v2
name: sub
version: 0.1.0
"#,
            ),
            (
                r#"charts/sub/templates/cm.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: BAD
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"{CHART}: chart metadata is missing these dependencies: other"#,
            ),
            (
                r#"warning"#,
                r#"{CHART}: chart directory is missing these dependencies: gone"#,
            ),
        ],
    );
}

#[test]
fn crds_checked() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"crds/a.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: y
"#,
            ),
            (r#"crds/c.txt"#, r#"x"#),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"crds/a.yaml: apiVersion is not in 'apiextensions.k8s.io'"#,
            ),
            (
                r#"error"#,
                r#"crds/a.yaml: object kind is not 'CustomResourceDefinition'"#,
            ),
        ],
    );
}

#[test]
fn library_chart() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
type: library
"#,
            ),
            (r#"templates/_h.tpl"#, r#"{{- define "x" }}a{{ end }}"#),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[],
    );
}

#[test]
fn extensions_notes_and_deprecation() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (r#"templates/NOTES.txt"#, r#"hello {{ .Release.Name }}"#),
            (r#"templates/README"#, r#"x"#),
            (
                r#"templates/pdb.YML"#,
                r#"apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: p
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: s
spec:
  selector:
    matchLabels: {a: b}
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"templates/README: file extension '' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"#,
            ),
            (
                r#"error"#,
                r#"templates/pdb.YML: file extension '.YML' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt"#,
            ),
            (
                r#"warning"#,
                r#"templates/pdb.YML: policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget"#,
            ),
        ],
    );
}
#[test]
fn a_chart_helm_template_cannot_render_still_gets_helms_findings() {
    // helm lint (4.3.1) on this chart directory prints only
    // [WARNING] {CHART}: chart directory is missing these dependencies: gone
    // (`fail` returns "" in lint mode) and succeeds; helm template fails.
    let d = chart_dir(&[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: fx\nversion: 0.1.0\nicon: https://a.b/c.png\ndependencies:\n- name: gone\n  version: 1.0.0\n",
        ),
        ("values.yaml", "a: 1\n"),
        (
            "templates/t.yaml",
            "{{ fail \"stop here\" }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
        ),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom"))
        .args(["lint", "chart", "--output", "json"])
        .current_dir(&d)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "manifests not validated: an error occurred while checking for chart dependencies"
        ),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    assert_eq!(findings[0]["rule"], "helm");
    assert_eq!(findings[0]["severity"], "warning");
    let abs = std::env::current_dir().unwrap().join(d.join("chart"));
    assert_eq!(
        findings[0]["message"],
        format!(
            "{}: chart directory is missing these dependencies: gone",
            abs.display()
        )
    );
    assert_eq!(findings[0]["file"], serde_json::Value::Null);
    let _ = std::fs::remove_dir_all(d);
}
#[test]
fn chart_yaml_errors_and_unknown_api_version_loaded_as_v2() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v3
name: X_y
version: v1.0
appVersion: 1.0
maintainers:
- name: a
  email: bad
- {}
sources: ["", "x"]
icon: notaurl
type: application
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"Chart.yaml: apiVersion 'v3' is not valid. The value must be either "v1" or "v2""#,
            ),
            (
                r#"error"#,
                r#"Chart.yaml: appVersion should be of type string but it's of type float64"#,
            ),
            (
                r#"error"#,
                r#"Chart.yaml: invalid email 'bad' for maintainer 'a'"#,
            ),
            (r#"error"#, r#"Chart.yaml: invalid source URL ''"#),
            (r#"error"#, r#"Chart.yaml: invalid icon URL 'notaurl'"#),
            (
                r#"error"#,
                r#"Chart.yaml: chart type is not valid in apiVersion 'v3'. It is valid in apiVersion 'v2'"#,
            ),
            (
                r#"warning"#,
                r#"Chart.yaml: version 'v1.0' is not a valid SemVerV2"#,
            ),
        ],
    );
}
#[test]
fn json_streams_fall_back_to_yaml() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"templates/t.yaml"#,
                r#"{"kind": "Service", "metadata": {"name": "B"},}
"#,
            ),
            (
                r#"templates/u.yaml"#,
                r#"{"kind": "Service", "metadata": {"name": "C"}}
{"kind": "Service", "metadata": {"name": D}}
"#,
            ),
            (
                r#"templates/v.yaml"#,
                r#"{"kind": "Service", "metadata": {"name": "F"}}
---
kind: Service
metadata:
  name: G
"#,
            ),
            (
                r#"templates/w.yaml"#,
                r#"{"kind": "Service", "metadata": {"name": "E"}} junk"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"warning"#,
                r#"templates/t.yaml: object name does not conform to Kubernetes naming requirements: "B": metadata.name: Invalid value: "B": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/u.yaml: object name does not conform to Kubernetes naming requirements: "C": metadata.name: Invalid value: "C": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/u.yaml: object name does not conform to Kubernetes naming requirements: "D": metadata.name: Invalid value: "D": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/v.yaml: object name does not conform to Kubernetes naming requirements: "F": metadata.name: Invalid value: "F": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/v.yaml: object name does not conform to Kubernetes naming requirements: "G": metadata.name: Invalid value: "G": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"warning"#,
                r#"templates/w.yaml: object name does not conform to Kubernetes naming requirements: "E": metadata.name: Invalid value: "E": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"#,
            ),
            (
                r#"error"#,
                r#"templates/w.yaml: unable to parse YAML: json: offset 48: invalid character 'j' looking for beginning of value"#,
            ),
        ],
    );
}

#[test]
fn crds_with_a_json_syntax_error() {
    check(
        &[
            (
                r#"Chart.yaml"#,
                r#"apiVersion: v2
name: x
version: 0.1.0
icon: https://a.b/c.png
"#,
            ),
            (
                r#"crds/a.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: y
"#,
            ),
            (
                r#"crds/b.yaml"#,
                r#"{{ bad }}
"#,
            ),
            (r#"crds/c.txt"#, r#"x"#),
            (
                r#"templates/t.yaml"#,
                r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: x
"#,
            ),
            (
                r#"values.yaml"#,
                r#"a: 1
"#,
            ),
        ],
        &[],
        &[
            (
                r#"error"#,
                r#"crds/a.yaml: apiVersion is not in 'apiextensions.k8s.io'"#,
            ),
            (
                r#"error"#,
                r#"crds/a.yaml: object kind is not 'CustomResourceDefinition'"#,
            ),
            (
                r#"error"#,
                r#"crds/b.yaml: unable to parse YAML: json: offset 2: invalid character '{' looking for beginning of object key string"#,
            ),
        ],
    );
}
