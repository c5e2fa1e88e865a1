//! Deprecated and removed apiVersions, duplicate resources, line and column of findings, and
//! custom resources validated against the CRDs of the same input.

use std::sync::OnceLock;

use chartroom_lint::deprecations::{lookup, DEPRECATIONS};
use chartroom_lint::{
    is_cluster_scoped, lint_files, lint_manifests, lint_release, packs, rule, schema_name, Finding,
    Options, SchemaPack, Severity,
};
use chartroom_render::{CrdFile, ManifestHead, RenderedManifest, RenderedRelease};

fn pack(v: &str) -> &'static SchemaPack {
    static PACKS: OnceLock<Vec<SchemaPack>> = OnceLock::new();
    let all = PACKS.get_or_init(|| {
        packs::VERSIONS
            .iter()
            .map(|v| packs::load_bundled(v).expect("bundled pack"))
            .collect()
    });
    let i = packs::VERSIONS
        .iter()
        .position(|x| *x == v)
        .expect("a version");
    &all[i]
}

fn minor(v: &str) -> u32 {
    v.split('.').nth(1).unwrap().parse().unwrap()
}

fn lint(v: &str, yaml: &str, strict: bool) -> Vec<Finding> {
    let opts = Options {
        strict,
        ..Options::default()
    };
    lint_manifests(pack(v), "in.yaml", yaml.as_bytes(), &opts).findings
}

fn rules(fs: &[Finding]) -> Vec<(&str, Severity, &str)> {
    fs.iter()
        .map(|f| (f.rule.as_str(), f.severity, f.path.as_str()))
        .collect()
}

fn doc(api: &str, kind: &str) -> String {
    format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n")
}

#[test]
fn every_row_at_its_boundaries() {
    for row in DEPRECATIONS {
        for kind in row.kinds {
            for v in packs::VERSIONS {
                let m = minor(v);
                let fs = lint(v, &doc(row.api_version, kind), false);
                let dep: Vec<&Finding> = fs
                    .iter()
                    .filter(|f| f.rule == rule::DEPRECATED_API)
                    .collect();
                let removed = m >= row.removed_in;
                let deprecated = row.deprecated_in.is_some_and(|d| m >= d) && !removed;
                let want = if removed {
                    Some(Severity::Error)
                } else if deprecated {
                    Some(Severity::Warning)
                } else {
                    None
                };
                assert_eq!(
                    dep.first().map(|f| f.severity),
                    want,
                    "{} {kind} at {v}: {fs:?}",
                    row.api_version
                );
                if let Some(f) = dep.first() {
                    assert_eq!(f.path, "/apiVersion");
                    let when = if removed {
                        format!("was removed in Kubernetes 1.{}; ", row.removed_in)
                    } else {
                        format!(
                            "is deprecated since Kubernetes 1.{} and removed in 1.{}; ",
                            row.deprecated_in.unwrap(),
                            row.removed_in
                        )
                    };
                    assert!(
                        f.message
                            .starts_with(&format!("{} {kind} {when}", row.api_version)),
                        "{}",
                        f.message
                    );
                }
                // The packs agree: no schema once removed, a schema in the release before.
                let has = pack(v).has_schema(&schema_name(row.api_version, kind));
                if removed || m + 1 == row.removed_in {
                    assert_eq!(has, !removed, "{} {kind} at {v}", row.api_version);
                }
                // No "no schema" info beside the removal error.
                if removed {
                    assert!(!fs.iter().any(|f| f.rule == rule::NO_SCHEMA), "{fs:?}");
                }
            }
        }
    }
}

#[test]
fn messages_name_the_replacement_the_target_serves() {
    let fs = lint("1.25", &doc("policy/v1beta1", "PodDisruptionBudget"), false);
    assert_eq!(
        fs[0].message,
        "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25; use policy/v1"
    );
    let fs = lint("1.25", &doc("policy/v1beta1", "PodSecurityPolicy"), false);
    assert!(fs[0].message.ends_with("use Pod Security Admission"));
    // flowcontrol v1beta2 at 1.26 (deprecated): v1 is not served yet, v1beta3 is.
    let fs = lint(
        "1.26",
        &doc("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"),
        false,
    );
    assert_eq!(fs[0].severity, Severity::Warning);
    assert!(fs[0]
        .message
        .ends_with("removed in 1.29; use flowcontrol.apiserver.k8s.io/v1beta3"));
    let fs = lint(
        "1.29",
        &doc("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"),
        false,
    );
    assert!(fs[0]
        .message
        .ends_with("removed in Kubernetes 1.29; use flowcontrol.apiserver.k8s.io/v1"));
    // A deprecated but served version is still validated against its schema.
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {maxReplicas: many, scaleTargetRef: {kind: Deployment, name: d}}\n";
    let fs = lint("1.25", hpa, false);
    assert_eq!(
        rules(&fs),
        vec![
            ("deprecated-api", Severity::Warning, "/apiVersion"),
            ("schema", Severity::Error, "/spec/maxReplicas"),
        ]
    );
    assert!(lookup("apps/v1", "Deployment").is_none());
    assert!(
        lookup("batch/v1beta1", "Job").is_none(),
        "only the kinds named"
    );
}

const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";

fn duplicates(fs: &[Finding]) -> Vec<String> {
    fs.iter()
        .filter(|f| f.rule == rule::DUPLICATE_RESOURCE)
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn duplicate_resources_by_group_kind_namespace_and_name() {
    let lint_all = |docs: &[&str]| {
        let text = docs.join("---\n");
        lint("1.37", &text, false)
    };
    let with_ns = |d: &str, ns: &str| d.replace("  name:", &format!("  namespace: {ns}\n  name:"));
    let twice = lint_all(&[DEPLOY, DEPLOY]);
    assert_eq!(
        duplicates(&twice),
        vec!["Deployment.apps \"web\" (no namespace given) is defined twice; first in in.yaml (document 0)"]
    );
    let d = twice
        .iter()
        .find(|f| f.rule == rule::DUPLICATE_RESOURCE)
        .unwrap();
    assert_eq!(
        (d.severity, d.document, d.line),
        (Severity::Error, Some(1), Some(6))
    );
    // Other namespace, other name, other group, other kind: not the same object.
    assert!(duplicates(&lint_all(&[DEPLOY, &with_ns(DEPLOY, "b")])).is_empty());
    assert!(duplicates(&lint_all(&[DEPLOY, &DEPLOY.replace("web", "api")])).is_empty());
    let svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";
    assert!(duplicates(&lint_all(&[DEPLOY, svc])).is_empty());
    let other_group = DEPLOY.replace("apps/v1", "example.com/v1");
    assert!(duplicates(&lint_all(&[DEPLOY, &other_group])).is_empty());
    // Another version of the same group is the same object.
    let beta = DEPLOY.replace("apps/v1", "apps/v1beta2");
    assert_eq!(duplicates(&lint_all(&[DEPLOY, &beta])).len(), 1);
    // Cluster-scoped kinds ignore the namespace.
    let role =
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\n";
    assert!(is_cluster_scoped(
        "rbac.authorization.k8s.io/v1",
        "ClusterRole"
    ));
    assert!(!is_cluster_scoped("rbac.authorization.k8s.io/v1", "Role"));
    let dup = duplicates(&lint_all(&[&with_ns(role, "a"), &with_ns(role, "b")]));
    assert_eq!(
        dup,
        vec!["ClusterRole.rbac.authorization.k8s.io \"r\" (cluster-scoped) is defined twice; first in in.yaml (document 0)"]
    );
    // Across files of one call.
    let opts = Options::default();
    let r = lint_files(
        pack("1.37"),
        &[("a.yaml", DEPLOY.as_bytes()), ("b.yaml", DEPLOY.as_bytes())],
        &opts,
    );
    let dup: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| f.rule == rule::DUPLICATE_RESOURCE)
        .collect();
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].file.as_deref(), Some("b.yaml"));
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

fn release(crds: Vec<CrdFile>, manifests: Vec<RenderedManifest>) -> RenderedRelease {
    RenderedRelease {
        origins: None,
        name: "r".into(),
        namespace: "prod".into(),
        chart: "c".into(),
        kube_version: "v1.37.0".into(),
        crds,
        manifests,
        hooks: Vec::new(),
        notes: None,
        warnings: Vec::new(),
    }
}

#[test]
fn a_release_defaults_the_namespace_to_its_own() {
    let explicit = DEPLOY.replace("  name:", "  namespace: prod\n  name:");
    let r = release(
        Vec::new(),
        vec![
            manifest("c/templates/a.yaml", 0, DEPLOY),
            manifest("c/templates/b.yaml", 0, &explicit),
        ],
    );
    let report = lint_release(pack("1.37"), &r, &Options::default());
    assert_eq!(
        duplicates(&report.findings),
        vec!["Deployment.apps \"web\" in namespace \"prod\" is defined twice; first in c/templates/a.yaml (document 0)"]
    );
}

fn at(f: &Finding) -> (u32, u32) {
    (f.line.unwrap(), f.column.unwrap())
}

#[test]
fn lines_and_columns_in_the_file() {
    let text = "# leading comment\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\
apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: eighty\n    bogus: 1\n  selector: {app: [x]}\n---\n\
apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\ndata:\n  k: v\n  k: w\n";
    let r = lint_manifests(
        pack("1.37"),
        "m.yaml",
        text.as_bytes(),
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    let got: Vec<(&str, &str, (u32, u32))> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.path.as_str(), at(f)))
        .collect();
    assert_eq!(
        got,
        vec![
            ("schema", "/spec/ports/0/port", (12, 11)),
            ("schema", "/spec/ports/0/bogus", (13, 5)),
            ("schema", "/spec/selector/app", (14, 19)),
            ("document", "/metadata/name", (19, 3)),
            ("duplicate-key", "/data/k", (22, 3)),
        ]
    );
}

#[test]
fn lines_through_aliases_and_multi_line_scalars() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    note: |\n      one\n      two\nspec:\n  containers:\n  - &c\n    name: a\n    image: x\n    ports: [{containerPort: \"80\"}]\n  - *c\n";
    let r = lint_manifests(pack("1.37"), "p.yaml", text.as_bytes(), &Options::default());
    let got: Vec<(&str, (u32, u32))> = r
        .findings
        .iter()
        .map(|f| (f.path.as_str(), at(f)))
        .collect();
    assert_eq!(
        got,
        vec![
            ("/spec/containers/0/ports/0/containerPort", (14, 29)),
            ("/spec/containers/1/ports/0/containerPort", (15, 5)),
        ]
    );
}

#[test]
fn yaml_errors_are_placed_at_their_document() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\na: b: c\n";
    let r = lint_manifests(pack("1.37"), "e.yaml", text.as_bytes(), &Options::default());
    assert_eq!(rules(&r.findings), vec![("yaml", Severity::Error, "")]);
    assert_eq!(at(&r.findings[0]), (5, 1));
}

const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer}
              port: {x-kubernetes-int-or-string: true}
              note: {type: string, nullable: true}
              mode: {type: string, enum: [fast, slow]}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
              tags: {type: array, items: {type: string}}
              labels: {type: object, additionalProperties: {type: string}}
              replicas: {type: integer, minimum: 1, maximum: 5, exclusiveMaximum: true}
              short: {type: string, pattern: '^[a-z]+$', maxLength: 5}
              few: {type: array, maxItems: 2, items: {type: integer}}
              some: {type: object, minProperties: 1, x-kubernetes-preserve-unknown-fields: true}
  - name: v0
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object}
";

fn widget(spec: &str) -> String {
    format!("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labels: {{a: b}}\nspec: {spec}\n")
}

fn crd_findings(spec: &str, strict: bool) -> Vec<(String, Severity, String)> {
    let r = release(
        vec![CrdFile {
            source: "c/crds/widget.yaml".into(),
            data: CRD.as_bytes().to_vec(),
        }],
        vec![manifest("c/templates/w.yaml", 0, &widget(spec))],
    );
    let opts = Options {
        strict,
        ..Options::default()
    };
    lint_release(pack("1.37"), &r, &opts)
        .findings
        .into_iter()
        .map(|f| (f.rule, f.severity, f.path))
        .collect()
}

#[test]
fn custom_resources_follow_the_crds_the_chart_ships() {
    let ok = "{size: 3, port: http, note: null, mode: fast, extra: {any: [1]}, tags: [a], labels: {x: z}}";
    assert_eq!(crd_findings(ok, true), vec![]);
    assert_eq!(crd_findings("{size: 3, port: 8080}", true), vec![]);
    let e = |p: &str| ("schema".to_string(), Severity::Error, p.to_string());
    assert_eq!(crd_findings("{size: three}", false), vec![e("/spec/size")]);
    assert_eq!(crd_findings("{port: 1}", false), vec![e("/spec")]);
    assert_eq!(
        crd_findings("{size: 1, port: 1.5}", false),
        vec![e("/spec/port")]
    );
    assert_eq!(
        crd_findings("{size: 1, mode: medium}", false),
        vec![e("/spec/mode")]
    );
    assert_eq!(
        crd_findings("{size: 1, tags: [1]}", false),
        vec![e("/spec/tags/0")]
    );
    assert_eq!(
        crd_findings("{size: 1, labels: {x: 1}}", false),
        vec![e("/spec/labels/x")]
    );
    assert_eq!(
        crd_findings("{size: 1, mode: null}", false),
        vec![e("/spec/mode")]
    );
    // Value constraints.
    assert_eq!(
        crd_findings(
            "{size: 1, replicas: 4, short: abc, few: [1, 2], some: {a: 1}}",
            true
        ),
        vec![]
    );
    assert_eq!(
        crd_findings("{size: 1, replicas: 0}", false),
        vec![e("/spec/replicas")]
    );
    assert_eq!(
        crd_findings("{size: 1, replicas: 5}", false),
        vec![e("/spec/replicas")]
    );
    assert_eq!(
        crd_findings("{size: 1, short: ABC}", false),
        vec![e("/spec/short")]
    );
    assert_eq!(
        crd_findings("{size: 1, short: abcdef}", false),
        vec![e("/spec/short")]
    );
    assert_eq!(
        crd_findings("{size: 1, few: [1, 2, 3]}", false),
        vec![e("/spec/few")]
    );
    assert_eq!(
        crd_findings("{size: 1, some: {}}", false),
        vec![e("/spec/some")]
    );
    // Unknown fields: pruned by the API server normally, rejected by strict validation;
    // never inside a preserve-unknown-fields object; metadata is always open.
    assert_eq!(crd_findings("{size: 1, bogus: 1}", false), vec![]);
    assert_eq!(
        crd_findings("{size: 1, bogus: 1}", true),
        vec![e("/spec/bogus")]
    );
    assert_eq!(crd_findings("{size: 1, extra: {b: {c: 1}}}", true), vec![]);
}

#[test]
fn crds_from_templates_and_unserved_versions() {
    let stream = format!(
        "{CRD}---\n{}---\n{}",
        widget("{size: x}"),
        widget("{}")
            .replace("example.com/v1", "example.com/v0")
            .replace("name: w", "name: w0")
    );
    let fs = lint("1.37", &stream, false);
    assert_eq!(
        rules(&fs),
        vec![
            ("schema", Severity::Error, "/spec/size"),
            ("no-schema", Severity::Info, ""),
        ]
    );
    // Without the CRD, the same resource has no schema.
    assert_eq!(
        rules(&lint("1.37", &widget("{size: x}"), false)),
        vec![("no-schema", Severity::Info, "")]
    );
    // A Cluster-scoped CRD makes its resources cluster-scoped for duplicates.
    let cluster = CRD.replace("scope: Namespaced", "scope: Cluster");
    let w = widget("{size: 1}");
    let stream = format!(
        "{cluster}---\n{}---\n{}",
        w.replace("  name: w", "  namespace: a\n  name: w"),
        w.replace("  name: w", "  namespace: b\n  name: w")
    );
    assert_eq!(duplicates(&lint("1.37", &stream, false)).len(), 1);
}

#[test]
fn threads_do_not_change_the_result() {
    use chartroom_lint::run::in_parallel;
    assert_eq!(
        in_parallel(50, 4, |i| i * 2),
        (0..50).map(|i| i * 2).collect::<Vec<_>>()
    );
    assert_eq!(in_parallel(3, 1, |i| i), vec![0, 1, 2]);
    let a = format!("{CRD}---\n{}", widget("{size: x}"));
    let b = widget("{size: y}");
    let c = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".to_string();
    let files: Vec<(&str, &[u8])> = vec![
        ("a.yaml", a.as_bytes()),
        ("b.yaml", b.as_bytes()),
        ("c.yaml", c.as_bytes()),
        ("d.yaml", c.as_bytes()),
    ];
    let one = chartroom_lint::lint_files_on(pack("1.37"), &files, &Options::default(), 1);
    let four = chartroom_lint::lint_files_on(pack("1.37"), &files, &Options::default(), 4);
    assert_eq!(one, four);
    let got: Vec<(&str, &str)> = one
        .findings
        .iter()
        .map(|f| (f.file.as_deref().unwrap(), f.rule.as_str()))
        .collect();
    // b.yaml's Widget is checked against a.yaml's CRD, and duplicates a.yaml's.
    assert_eq!(
        got,
        vec![
            ("a.yaml", "schema"),
            ("b.yaml", "schema"),
            ("b.yaml", "duplicate-resource"),
            ("d.yaml", "duplicate-resource"),
        ]
    );
    assert_eq!(one.summary.errors, 4);
}

#[test]
fn sarif_log_shape() {
    let r = lint_manifests(
        pack("1.37"),
        "s.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {containers: 1}\n---\napiVersion: example.com/v1\nkind: X\nmetadata: {name: x}\n",
        &Options::default(),
    );
    let log = serde_json::to_value(chartroom_lint::sarif::to_sarif(&r, "9.9.9")).unwrap();
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["version"], "9.9.9");
    let results = run["results"].as_array().unwrap();
    let note = results.iter().find(|r| r["ruleId"] == "no-schema").unwrap();
    assert_eq!(note["level"], "note");
    let index = note["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "no-schema");

    let loc = &run["results"][0]["locations"][0];
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 4);
    assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 20);
    assert_eq!(loc["logicalLocations"][0]["fullyQualifiedName"], "ns/Pod/p");
    assert_eq!(run["results"][0]["properties"]["path"], "/spec/containers");
}

#[test]
fn whole_document_findings_at_the_first_node() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---   \n# Source: x/templates/w.yaml\n\n  # indented comment\napiVersion: example.com/v1\nkind: W\nmetadata: {name: w}\n--- {apiVersion: example.com/v1, kind: V, metadata: {name: v}}\n";
    let r = lint_manifests(pack("1.37"), "w.yaml", text.as_bytes(), &Options::default());
    let got: Vec<(Option<usize>, &str, (u32, u32))> = r
        .findings
        .iter()
        .map(|f| (f.document, f.rule.as_str(), at(f)))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(1), "no-schema", (8, 1)),
            (Some(2), "no-schema", (11, 5))
        ]
    );
}

/// Documents are validated one at a time after a first pass over their heads: a CRD later
/// in the stream still serves a custom resource before it, whether the resource's head is
/// read in one pass or (with an alias) whole, and empty documents are not resources.
#[test]
fn a_crd_later_in_the_stream_serves_resources_before_it() {
    let plain = widget("{size: three}");
    let aliased = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: v\n  labels: &l {a: b}\nspec: {size: x, extra: *l}\n";
    let text = format!("{plain}---\n{aliased}---\n{{}}\n---\n{CRD}");
    let r = lint_manifests(pack("1.37"), "s.yaml", text.as_bytes(), &Options::default());
    let got: Vec<(Option<usize>, String, String)> = r
        .findings
        .iter()
        .map(|f| (f.document, f.rule.clone(), f.path.clone()))
        .collect();
    let schema = |d: usize| (Some(d), "schema".to_string(), "/spec/size".to_string());
    assert_eq!(got, vec![schema(0), schema(1)]);
    assert_eq!(r.summary.resources, 3);
}
