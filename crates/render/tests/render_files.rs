//! `render_files` (what the wasm bindings call) renders an in-memory chart like
//! `helm template NAME CHART -f values.yaml`.

use std::collections::BTreeMap;
use std::path::Path;

fn chart_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).expect("readable chart dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                out.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    std::fs::read(&p).expect("readable file"),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn basic() -> (BTreeMap<String, Vec<u8>>, String) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/charts/basic");
    let files = chart_files(&case.join("chart"));
    let expected = std::fs::read_to_string(case.join("expected.out")).expect("recorded output");
    (files, expected)
}

#[test]
fn renders_the_acceptance_chart_like_helm() {
    let (files, expected) = basic();
    let out = chartroom_render::render_files(&files, "", "my-release").expect("renders");
    assert_eq!(out, expected);
}

#[test]
fn extra_values_override_defaults() {
    let (files, expected) = basic();
    let out = chartroom_render::render_files(&files, "x: bye\n", "my-release").expect("renders");
    assert_eq!(out, expected.replace("x: hello", "x: bye"));
}

#[test]
fn errors_are_helm_texts() {
    let (mut files, _) = basic();
    files.insert(
        "templates/bad.yaml".into(),
        b"x: {{ required \"x is needed\" .Values.nope }}\n".to_vec(),
    );
    let err = chartroom_render::render_files(&files, "", "my-release").unwrap_err();
    assert_eq!(
        err,
        "execution error at (basic/templates/bad.yaml:1:6): x is needed\n\nUse --debug flag to render out invalid YAML"
    );
    let err = chartroom_render::render_files(&files, "a: [", "my-release").unwrap_err();
    assert!(err.starts_with("failed to parse values.yaml: "), "{err}");
}
