//! Verdicts on small hand-made documents against the bundled 1.37 pack.

use std::sync::OnceLock;

use chartroom_lint::{
    lint_manifests, lint_release, lint_text, packs, rule, validate_document, Finding, Options,
    Origin, SchemaPack, Severity, Summary,
};
use chartroom_render::{ManifestHead, RenderedManifest, RenderedRelease};

fn pack() -> &'static SchemaPack {
    static PACK: OnceLock<SchemaPack> = OnceLock::new();
    PACK.get_or_init(|| packs::load_bundled("v1.37.0").expect("bundled 1.37 pack"))
}

fn lint(yaml: &str, strict: bool) -> Vec<Finding> {
    let doc = chartroom_yaml::from_yaml(yaml).expect("test YAML parses");
    validate_document(
        pack(),
        &doc,
        &Origin::default(),
        &Options {
            strict,
            ..Options::default()
        },
    )
}

/// (rule, path) of every finding.
fn where_(fs: &[Finding]) -> Vec<(String, String)> {
    fs.iter()
        .map(|f| (f.rule.clone(), f.path.clone()))
        .collect()
}

fn deployment(container_extra: &str, spec_extra: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
{container_extra}{spec_extra}"
    )
}

#[test]
fn a_valid_deployment_has_no_findings() {
    assert_eq!(lint(&deployment("", ""), false), vec![]);
    assert_eq!(lint(&deployment("", ""), true), vec![]);
}

#[test]
fn a_wrong_type_names_the_path_and_the_resource() {
    let yaml = deployment("", "").replace("containerPort: 80", "containerPort: \"80\"");
    let fs = lint(&yaml, false);
    assert_eq!(fs.len(), 1, "{fs:?}");
    let f = &fs[0];
    assert_eq!(f.rule, rule::SCHEMA);
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(
        f.path,
        "/spec/template/spec/containers/0/ports/0/containerPort"
    );
    assert_eq!(f.message, "expected integer, got string \"80\"");
    assert_eq!(f.api_version.as_deref(), Some("apps/v1"));
    assert_eq!(f.kind.as_deref(), Some("Deployment"));
    assert_eq!(f.namespace.as_deref(), Some("shop"));
    assert_eq!(f.name.as_deref(), Some("web"));
    assert_eq!(f.kube_version, "1.37");
    assert_eq!(f.line, None);
}

#[test]
fn integers_are_numbers_without_a_fraction() {
    let float = deployment("", "").replace("containerPort: 80", "containerPort: 80.0");
    assert_eq!(lint(&float, false), vec![]);
    let frac = deployment("", "").replace("containerPort: 80", "containerPort: 80.5");
    assert_eq!(
        where_(&lint(&frac, false)),
        vec![(
            "schema".into(),
            "/spec/template/spec/containers/0/ports/0/containerPort".into()
        )]
    );
    let boolean = deployment("", "").replace("containerPort: 80", "containerPort: true");
    assert_eq!(lint(&boolean, false).len(), 1);
}

fn service(target_port: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  ports:
    - port: 80
      targetPort: {target_port}
"
    )
}

#[test]
fn int_or_string_takes_either_but_nothing_else() {
    assert_eq!(lint(&service("8080"), true), vec![]);
    assert_eq!(lint(&service("http"), true), vec![]);
    let fs = lint(&service("true"), false);
    assert_eq!(
        where_(&fs),
        vec![("schema".into(), "/spec/ports/0/targetPort".into())]
    );
    assert_eq!(
        fs[0].message,
        "expected string or integer, got boolean true"
    );
    // The schema is oneOf [string|null, integer|null]: null matches both, so it fails, as in
    // kubernetes-validate.
    let null = lint(&service("null"), false);
    assert_eq!(null.len(), 1, "{null:?}");
    assert!(
        null[0].message.contains("exactly one"),
        "{}",
        null[0].message
    );
    assert_eq!(lint(&service("[8080]"), false).len(), 1);
}

#[test]
fn unknown_fields_only_fail_in_strict_mode() {
    let yaml = deployment("          colour: blue\n", "  replica: 3\n");
    assert_eq!(lint(&yaml, false), vec![]);
    let fs = lint(&yaml, true);
    assert_eq!(
        where_(&fs),
        vec![
            ("schema".into(), "/spec/replica".into()),
            (
                "schema".into(),
                "/spec/template/spec/containers/0/colour".into()
            ),
        ]
    );
    assert_eq!(fs[0].message, "unknown field \"replica\"");
    // Free-form maps stay open in strict mode.
    let labels = deployment("", "").replace("{app: web}}", "{app: web, anything: goes}}");
    assert_eq!(lint(&labels, true), vec![]);
}

#[test]
fn missing_required_fields() {
    let no_name =
        deployment("", "").replace("        - name: web\n          image", "        - image");
    let fs = lint(&no_name, false);
    assert_eq!(
        where_(&fs),
        vec![("schema".into(), "/spec/template/spec/containers/0".into())]
    );
    assert_eq!(fs[0].message, "missing required field \"name\"");
    let no_spec = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n";
    let fs = lint(no_spec, false);
    assert_eq!(where_(&fs), vec![("schema".into(), "".into())]);
    assert_eq!(fs[0].message, "missing required field \"spec\"");
}

#[test]
fn enums_are_checked() {
    // The schema file is found case-insensitively (as kubernetes-validate finds it) but the
    // kind must be one of the schema's enum.
    let yaml = deployment("", "").replace("kind: Deployment", "kind: deployment");
    let fs = lint(&yaml, false);
    assert_eq!(where_(&fs), vec![("schema".into(), "/kind".into())]);
    assert_eq!(
        fs[0].message,
        "\"deployment\" is not one of [\"Deployment\"]"
    );
}

#[test]
fn nullable_fields_take_null() {
    let yaml = deployment("          imagePullPolicy: null\n", "  replicas: null\n");
    assert_eq!(lint(&yaml, true), vec![]);
    // ...but not where the schema does not allow it.
    let yaml =
        deployment("", "").replace("image: nginx:1.27", "image: nginx\n          name: null");
    assert!(!lint(&yaml, false).is_empty());
}

#[test]
fn documents_without_a_head_are_findings() {
    let list = lint("- a\n- b\n", false);
    assert_eq!(where_(&list), vec![("document".into(), "".into())]);
    assert_eq!(
        list[0].message,
        "the document is an array, not a map with apiVersion, kind and metadata"
    );
    let fs = lint("metadata: {name: x}\nspec: {}\n", false);
    assert_eq!(
        where_(&fs),
        vec![
            ("document".into(), "/apiVersion".into()),
            ("document".into(), "/kind".into())
        ]
    );
    let fs = lint("apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n", false);
    assert_eq!(
        where_(&fs),
        vec![("document".into(), "/metadata/name".into())]
    );
    let fs = lint(
        "apiVersion: 1\nkind: ConfigMap\nmetadata: {name: x}\n",
        false,
    );
    assert_eq!(where_(&fs), vec![("document".into(), "/apiVersion".into())]);
}

#[test]
fn unknown_kinds_have_no_schema() {
    let fs = lint(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n",
        true,
    );
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].rule, rule::NO_SCHEMA);
    assert_eq!(fs[0].severity, Severity::Info);
    assert_eq!(
        fs[0].message,
        "no schema for kind Widget with apiVersion example.com/v1 in Kubernetes 1.37"
    );
    // A removed apiVersion is an error naming its replacement, instead of no-schema.
    let old = deployment("", "").replace("apps/v1", "extensions/v1beta1");
    let fs = lint(&old, false);
    assert_eq!(
        where_(&fs),
        vec![("deprecated-api".into(), "/apiVersion".into())]
    );
    assert_eq!(fs[0].severity, Severity::Error);
    assert_eq!(
        fs[0].message,
        "extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1"
    );
}

#[test]
fn json_pointer_tokens_are_escaped() {
    let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    example.com/a~b: 1\n";
    let fs = lint(yaml, false);
    assert_eq!(
        where_(&fs),
        vec![(
            "schema".into(),
            "/metadata/annotations/example.com~1a~0b".into()
        )]
    );
}

#[test]
fn a_stream_keeps_going_after_a_broken_document() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [unclosed\n---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {num: 1}\n";
    let report = lint_manifests(pack(), "in.yaml", text.as_bytes(), &Options::default());
    assert_eq!(
        report.summary,
        Summary {
            resources: 3,
            errors: 2,
            warnings: 0,
            infos: 0
        }
    );
    assert!(report.has_errors());
    let fs = report.findings;
    let got: Vec<(String, Option<usize>, String)> = fs
        .iter()
        .map(|f| (f.rule.clone(), f.document, f.path.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("yaml".into(), Some(1), "".into()),
            ("schema".into(), Some(2), "/data/num".into())
        ]
    );
    assert!(fs.iter().all(|f| f.file.as_deref() == Some("in.yaml")));
    assert!(
        fs[0].message.starts_with("error converting YAML to JSON"),
        "{}",
        fs[0].message
    );
}

#[test]
fn empty_documents_are_skipped() {
    for text in ["", "# only a comment\n", "{}\n", "null\n"] {
        assert_eq!(
            lint_text(pack(), text, &Origin::default(), &Options::default()),
            vec![]
        );
    }
}

fn manifest(source: &str, document: usize, text: &str) -> RenderedManifest {
    RenderedManifest {
        offset: 0,
        source: source.into(),
        document,
        text: text.into(),
        head: ManifestHead::default(),
        hook_events: Vec::new(),
        parsed: None,
    }
}

#[test]
fn a_release_is_linted_with_its_sources() {
    let release = RenderedRelease {
        origins: None,
        name: "r".into(),
        namespace: "default".into(),
        chart: "c".into(),
        kube_version: "v1.37.0".into(),
        crds: Vec::new(),
        manifests: vec![
            manifest("c/templates/svc.yaml", 0, &service("http")),
            manifest(
                "c/templates/svc.yaml",
                1,
                &service("{a: 1}").replace("name: web", "name: web2"),
            ),
        ],
        hooks: vec![manifest(
            "c/templates/tests/t.yaml",
            0,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec: {containers: [{name: t, image: busybox, args: [1]}]}\n",
        )],
        notes: None,
        warnings: Vec::new(),
    };
    let report = lint_release(pack(), &release, &Options::default());
    assert_eq!(report.summary.resources, 3);
    assert_eq!(report.summary.errors, 2);
    let fs = report.findings;
    let got: Vec<(Option<&str>, Option<usize>, &str)> = fs
        .iter()
        .map(|f| (f.file.as_deref(), f.document, f.path.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("c/templates/svc.yaml"),
                Some(1),
                "/spec/ports/0/targetPort"
            ),
            (
                Some("c/templates/tests/t.yaml"),
                Some(0),
                "/spec/containers/0/args/0"
            ),
        ]
    );
}

#[test]
fn other_versions_use_their_own_schemas() {
    // batch/v1 CronJob exists in every packed version; resource.k8s.io/v1 DeviceClass only
    // in recent ones.
    let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '* * * * *'\n  jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: b}]}}}}\n";
    let dc = "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: d}\nspec: {}\n";
    let old = packs::load_bundled("1.25").expect("1.25 pack");
    let doc = |y: &str| chartroom_yaml::from_yaml(y).expect("parses");
    let o = Options::default();
    assert_eq!(
        validate_document(&old, &doc(cron), &Origin::default(), &o),
        vec![]
    );
    let fs = validate_document(&old, &doc(dc), &Origin::default(), &o);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].rule, rule::NO_SCHEMA);
    assert_eq!(fs[0].kube_version, "1.25");
    assert_eq!(
        validate_document(pack(), &doc(dc), &Origin::default(), &o),
        vec![]
    );
}

#[test]
fn bytes_that_are_not_utf8_are_a_yaml_finding() {
    let data = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"\xff\"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n";
    let report = lint_manifests(pack(), "x.yaml", data, &Options::default());
    assert_eq!(report.summary.resources, 2);
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    assert_eq!(report.findings[0].rule, rule::YAML);
    assert_eq!(report.findings[0].document, Some(0));
    assert!(
        report.findings[0].message.contains("invalid"),
        "{}",
        report.findings[0].message
    );
}

#[test]
fn reports_merge() {
    let a = lint_manifests(pack(), "a", service("true").as_bytes(), &Options::default());
    let mut b = lint_manifests(pack(), "b", service("1").as_bytes(), &Options::default());
    b.merge(a);
    assert_eq!(b.summary.resources, 2);
    assert_eq!(b.summary.errors, 1);
    assert_eq!(b.findings[0].file.as_deref(), Some("a"));
}

fn lint_formats(yaml: &str) -> Vec<Finding> {
    let doc = chartroom_yaml::from_yaml(yaml).expect("test YAML parses");
    let opts = Options {
        formats: true,
        ..Options::default()
    };
    validate_document(pack(), &doc, &Origin::default(), &opts)
}

#[test]
fn formats_are_warnings_on_request() {
    let big = deployment("", "").replace("containerPort: 80", "containerPort: 3000000000");
    // kubernetes-validate asserts no format: valid by default.
    assert_eq!(lint(&big, false), vec![]);
    let fs = lint_formats(&big);
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert_eq!(fs[0].rule, rule::FORMAT);
    assert_eq!(fs[0].severity, Severity::Warning);
    assert_eq!(
        fs[0].path,
        "/spec/template/spec/containers/0/ports/0/containerPort"
    );
    assert_eq!(fs[0].message, "3000000000 does not fit in an int32");

    let secret = |data: &str| {
        format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata: {{k: {data:?}}}\n")
    };
    assert_eq!(lint_formats(&secret("aGVsbG8=")), vec![]);
    assert_eq!(lint_formats(&secret("aGVs\nbG8=")), vec![]);
    let fs = lint_formats(&secret("hello"));
    assert_eq!(where_(&fs), vec![("format".into(), "/data/k".into())]);
    assert_eq!(fs[0].message, "\"hello\" is not base64 (format byte)");
    assert_eq!(lint_formats(&secret("aGVsbG8===")).len(), 1);

    let event = |t: &str| {
        format!("apiVersion: v1\nkind: Event\nmetadata: {{name: e}}\ninvolvedObject: {{}}\nfirstTimestamp: {t:?}\n")
    };
    for good in ["2024-02-03T04:05:06Z", "2024-02-03T04:05:06.123+02:00"] {
        assert_eq!(lint_formats(&event(good)), vec![], "{good}");
    }
    for bad in [
        "2024-02-03",
        "2024-13-03T04:05:06Z",
        "2024-02-03 04:05:06Z",
        "yesterday",
    ] {
        let fs = lint_formats(&event(bad));
        assert_eq!(
            where_(&fs),
            vec![("format".into(), "/firstTimestamp".into())],
            "{bad}"
        );
    }
}

#[test]
fn duplicate_keys_are_errors_in_strict_mode() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  k: x\n  \"k\": y\n  list: [{q: 1, q: 2}]\n";
    let strict = lint_text(
        pack(),
        text,
        &Origin::default(),
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    // data.list is a schema error too (a list where a string is required).
    let got: Vec<(&str, Severity, &str)> = strict
        .iter()
        .filter(|f| f.rule == rule::DUPLICATE_KEY)
        .map(|f| (f.path.as_str(), f.severity, f.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "/metadata/name",
                Severity::Error,
                "duplicate key \"name\" (the last value wins)"
            ),
            (
                "/data/k",
                Severity::Error,
                "duplicate key \"k\" (the last value wins)"
            ),
            (
                "/data/list/0/q",
                Severity::Error,
                "duplicate key \"q\" (the last value wins)"
            ),
        ]
    );
    // The last value is the one validated and named.
    assert!(strict.iter().all(|f| f.name.as_deref() == Some("b")));
    let normal = lint_text(pack(), text, &Origin::default(), &Options::default());
    assert!(normal
        .iter()
        .filter(|f| f.rule == rule::DUPLICATE_KEY)
        .all(|f| f.severity == Severity::Warning));
    assert_eq!(
        normal
            .iter()
            .filter(|f| f.rule == rule::DUPLICATE_KEY)
            .count(),
        3
    );
    // A merge key's override is not a duplicate.
    let merged = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  base: &b {x: \"1\"}\n  over:\n    <<: *b\n    x: \"2\"\n";
    let fs = lint_text(
        pack(),
        merged,
        &Origin::default(),
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    assert!(fs.iter().all(|f| f.rule != rule::DUPLICATE_KEY), "{fs:?}");
}

#[test]
fn hostile_documents_are_findings_and_the_rest_is_linted() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(",");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("---\n");
    text.push_str(&"[".repeat(10_000));
    text.push_str(&"]".repeat(10_000));
    text.push_str("\n---\n\u{0}\u{1}garbage: [\n---\n42\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n");
    let report = lint_manifests(pack(), "bad.yaml", text.as_bytes(), &Options::default());
    let got: Vec<(Option<usize>, &str)> = report
        .findings
        .iter()
        .map(|f| (f.document, f.rule.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(0), "yaml"),
            (Some(1), "yaml"),
            (Some(2), "yaml"),
            (Some(3), "document")
        ]
    );
    assert!(report.findings[0].message.contains("excessive aliasing"));
    assert_eq!(report.summary.resources, 5);
}

#[test]
fn findings_serialize_in_the_issue_json_shape() {
    let yaml = service("true");
    let report = lint_manifests(pack(), "svc.yaml", yaml.as_bytes(), &Options::default());
    let json = serde_json::to_value(&report).expect("serializes");
    let want = serde_json::json!({
        "findings": [{
            "severity": "error",
            "rule": "schema",
            "message": "expected string or integer, got boolean true",
            "file": "svc.yaml",
            "document": 0,
            "path": "/spec/ports/0/targetPort",
            "line": 7,
            "column": 19,
            "apiVersion": "v1",
            "kind": "Service",
            "namespace": null,
            "name": "web",
            "kubeVersion": "1.37"
        }],
        "summary": {"resources": 1, "errors": 1, "warnings": 0, "infos": 0}
    });
    assert_eq!(json, want);
}
