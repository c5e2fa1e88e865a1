//! Render a chart from memory, then lint the release.

use std::collections::BTreeMap;

use chartroom_lint::{lint_release, packs, rule, Options, Severity};
use chartroom_render::{render_release, ChartSource, RenderRequest};

fn chart() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    let mut add = |k: &str, v: &str| f.insert(k.to_string(), v.as_bytes().to_vec());
    add("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    add("values.yaml", "port: 80\ntarget: http\n");
    add(
        "templates/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: {{ .Release.Namespace }}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n      targetPort: {{ .Values.target }}\n---\n# only a comment\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
    );
    add(
        "templates/test.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n    - name: t\n      image: busybox\n      colour: blue\n",
    );
    add(
        "crds/widget.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: []\n",
    );
    f
}

fn render(values: &str) -> chartroom_render::RenderedRelease {
    let mut req = RenderRequest::new(ChartSource::Files(chart()));
    req.release_name = Some("rel".into());
    req.namespace = Some("prod".into());
    req.values.push(chartroom_render::ValueSource::YamlText(
        "extra.yaml".into(),
        values.into(),
    ));
    render_release(&req).expect("renders")
}

#[test]
fn a_rendered_chart_is_linted_per_template() {
    let pack = packs::load_bundled("1.37").expect("pack");
    let release = render("{}\n");
    let report = lint_release(&pack, &release, &Options::default());
    // CRD file, Service, Widget, test Pod; the comment-only document is not a resource.
    assert_eq!(report.summary.resources, 4);
    let got: Vec<(&str, Option<usize>, &str, Severity)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.file.as_deref().unwrap_or(""),
                f.document,
                f.rule.as_str(),
                f.severity,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![(
            "demo/templates/svc.yaml",
            Some(2),
            rule::NO_SCHEMA,
            Severity::Info
        )]
    );
    assert!(!report.has_errors());

    // Strict: the test hook's unknown field; a value of the wrong type from --set-like values.
    let strict = lint_release(
        &pack,
        &render("port: \"eighty\"\n"),
        &Options {
            strict: true,
            ..Options::default()
        },
    );
    let errors: Vec<(&str, &str, Option<&str>)> = strict
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            (
                f.file.as_deref().unwrap_or(""),
                f.path.as_str(),
                f.namespace.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (
                "demo/templates/svc.yaml",
                "/spec/ports/0/port",
                Some("prod")
            ),
            (
                "demo/templates/test.yaml",
                "/spec/containers/0/colour",
                None
            ),
        ]
    );
}
