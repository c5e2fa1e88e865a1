//! Diff of two renders: a fixed chart whose template prints two values (given with
//! `--set-literal`, so any text is a manifest), rendered twice (old and new halves of the input,
//! split at `---8<---`), compared and reported in every format.
#![no_main]
use std::collections::BTreeMap;

use chartroom_diff::{diff_releases, report, DiffOptions};
use chartroom_render::{render_release, ChartSource, RenderRequest, Seed, ValueSource};
use libfuzzer_sys::fuzz_target;

mod common;

fn chart() -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "Chart.yaml".to_string(),
        b"apiVersion: v2\nname: fuzz\nversion: 0.1.0\n".to_vec(),
    );
    files.insert("values.yaml".to_string(), b"doc: \"\"\n".to_vec());
    files.insert(
        "templates/doc.yaml".to_string(),
        b"{{ .Values.doc }}\n".to_vec(),
    );
    files
}

fn render(doc: &[u8]) -> Option<chartroom_render::RenderedRelease> {
    let doc = std::str::from_utf8(doc).ok()?;
    let mut req = RenderRequest::new(ChartSource::Files(chart()));
    req.release_name = Some("fuzz".into());
    req.values.push(ValueSource::SetLiteral(format!("doc={doc}")));
    req.seed = Some(Seed::Number(1));
    req.now = Some((1_700_000_000, 0));
    req.keep_parsed = true;
    render_release(&req).ok()
}

fuzz_target!(|data: &[u8]| {
    let (old, new) = common::split(data, b"\n---8<---\n");
    let (Some(old), Some(new)) = (render(old), render(new)) else {
        return;
    };
    let opts = DiffOptions {
        ignore_chart_labels: data.len() % 2 == 0,
        ignore: vec!["/metadata/labels".into(), "/spec/*/name".into()],
        show_secrets: data.len() % 3 == 0,
        context: 3,
        include_crd_files: true,
    };
    if let Ok(d) = diff_releases(&old, &new, &opts) {
        let _ = report::text(&d, false);
        let _ = report::markdown(&d);
        let _ = report::json(&d);
        let _ = report::plan(&d);
    }
});
