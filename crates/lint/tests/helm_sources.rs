//! `helm_lint` over the chart sources other than a directory: a packaged chart (Helm extracts
//! it to a temporary directory first) and in-memory files. Expected texts are what
//! `helm lint` (Helm v4.3.1) printed for the same chart, except the chart directory, which
//! Helm names by its random extraction folder (`/tmp/helm-lint3373737173/fx`) and chartroom
//! by the chart's name.

use std::collections::BTreeMap;

use chartroom_lint::{helm_lint, rule, Severity};
use chartroom_render::{ChartSource, RenderRequest};

const CHART_YAML: &str = "apiVersion: v2\nname: fx\nversion: 0.1.0\nicon: https://a.b/c.png\ndependencies:\n- name: gone\n  version: 1.0.0\n";
const TEMPLATE: &str =
    "{{ fail \"stop here\" }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n";

fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    chartroom_chart::archive::write_tgz(entries).unwrap()
}

#[test]
fn packaged_chart_with_a_missing_dependency_and_fail_in_lint_mode() {
    let data = tgz(&[
        ("fx/Chart.yaml", CHART_YAML.as_bytes()),
        ("fx/values.yaml", b"a: 1\n"),
        ("fx/templates/t.yaml", TEMPLATE.as_bytes()),
    ]);
    let found = helm_lint(&RenderRequest::new(ChartSource::Archive(data))).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f.rule, rule::HELM);
    assert_eq!(f.severity, Severity::Warning);
    // helm: [WARNING] /tmp/helm-lint3373737173/fx: chart directory is missing these dependencies: gone
    assert_eq!(
        f.message,
        "fx: chart directory is missing these dependencies: gone"
    );
    assert_eq!(f.file, None);
    assert_eq!(f.kube_version, "1.37");
}

#[test]
fn in_memory_files_and_kube_version() {
    let mut files = BTreeMap::new();
    files.insert(
        "Chart.yaml".to_string(),
        b"apiVersion: v2\nname: m\nversion: 1.0\n".to_vec(),
    );
    files.insert(
        "templates/pdb.yaml".to_string(),
        b"apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\n".to_vec(),
    );
    let mut req = RenderRequest::new(ChartSource::Files(files));
    let messages = |req: &RenderRequest| -> Vec<(Severity, String)> {
        helm_lint(req)
            .unwrap()
            .into_iter()
            .map(|f| (f.severity, f.message))
            .collect()
    };
    // helm lint (4.3.1) on the same files in a directory:
    let common = vec![
        (
            Severity::Error,
            "Chart.yaml: version should be of type string but it's of type float64".to_string(),
        ),
        (
            Severity::Info,
            "Chart.yaml: icon is recommended".to_string(),
        ),
        (
            Severity::Warning,
            "Chart.yaml: version '1' is not a valid SemVerV2".to_string(),
        ),
        (
            Severity::Info,
            "values.yaml: file does not exist".to_string(),
        ),
    ];
    let mut want = common.clone();
    want.push((
        Severity::Warning,
        "templates/pdb.yaml: policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget".to_string(),
    ));
    assert_eq!(messages(&req), want);
    // --kube-version 1.20: not deprecated yet.
    req.kube_version = Some("1.20".into());
    assert_eq!(messages(&req), common);
    // A kube version that does not parse: helm lint stops before its rules.
    req.kube_version = Some("x".into());
    assert!(helm_lint(&req).is_none());
}
