//! Renders of the same in-memory chart reuse its loaded form and parsed templates
//! (`chartroom_render::cache`): every render must print what a render from scratch prints,
//! whatever the renders before it changed (values coalesced into the chart, dependencies
//! disabled and enabled again, `tpl` parsing into the set, documents whose heads or
//! readability change).

use std::collections::BTreeMap;

use chartroom_render::{cache, run_template, ChartSource, FsSink, RenderRequest, ValueSource};

fn files() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    let mut add = |p: &str, t: &str| f.insert(p.to_string(), t.as_bytes().to_vec());
    add(
        "Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n    import-values:\n      - child: exported\n        parent: imported\n",
    );
    add(
        "values.yaml",
        "greeting: hello\nlist: [a, b]\nsub:\n  enabled: true\n",
    );
    add(
        "templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  list: {{ .Values.list | join \",\" | quote }}\n  imported: {{ .Values.imported | toJson | quote }}\n  tpl: {{ tpl \"{{ .Values.greeting }}-{{ .Release.Name }}\" . | quote }}\n  {{- $_ := set .Values \"mutated\" \"yes\" }}\n",
    );
    // Its head (kind, hook annotations) follows the values, and a value can make it YAML
    // that does not read: the kept heads of the last render must never stand in for it.
    add(
        "templates/h.yaml",
        "apiVersion: v1\nkind: {{ .Values.kind | default \"ConfigMap\" }}\nmetadata:\n  name: h\n  {{- with .Values.ann }}\n  annotations: {{ toYaml . | nindent 4 }}\n  {{- end }}\ndata:\n  raw: {{ .Values.raw | default \"x\" }}\n",
    );
    add(
        "charts/sub/Chart.yaml",
        "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    );
    add(
        "charts/sub/values.yaml",
        "enabled: true\nexported:\n  color: blue\nname: sub\n",
    );
    add(
        "charts/sub/templates/s.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.name }}\nstringData:\n  color: {{ .Values.exported.color | quote }}\n  mutated: {{ .Values.mutated | default \"no\" | quote }}\n",
    );
    f
}

fn render(chart: ChartSource, values: &[&str]) -> String {
    let mut req = RenderRequest::new(chart);
    req.release_name = Some("r".into());
    for v in values {
        req.values
            .push(ValueSource::YamlText("v.yaml".into(), v.to_string()));
    }
    match run_template(&req, &mut FsSink) {
        Ok((out, _)) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => format!("ERROR {}", e.message),
    }
}

fn fresh(chart: ChartSource, values: &[&str]) -> String {
    cache::clear();
    let out = render(chart, values);
    cache::clear();
    out
}

#[test]
fn reused_renders_print_what_fresh_renders_print() {
    let edits: &[&[&str]] = &[
        &[],
        &["greeting: hi\n"],
        &["sub:\n  enabled: false\n"],
        &["sub:\n  exported:\n    color: red\n"],
        &["list: [x]\nimported: {a: 1}\n"],
        &[],
        &["greeting: {{ oops\n"],
        &["greeting: [1, 2]\n"],
        &["ann:\n  helm.sh/hook: pre-install\n"],
        &["kind: Secret\nann:\n  helm.sh/hook: pre-install\n"],
        &["kind: Secret\n"],
        &["raw: 'a: b'\n"],
        &["kind: Secret\n"],
        &["ann:\n  helm.sh/hook: post-install\n  helm.sh/hook-weight: '2'\n"],
    ];
    let source = ChartSource::Files(files());
    {
        cache::clear();
        for (i, values) in edits.iter().enumerate() {
            let want = fresh(source.clone(), values);
            // The edits to h.yaml do what they are meant to.
            if values.iter().any(|v| v.starts_with("raw:")) {
                assert!(
                    want.contains("YAML parse error on c/templates/h.yaml"),
                    "{want}"
                );
            }
            if values.iter().any(|v| v.contains("hook")) {
                assert!(want.contains("helm.sh/hook"), "{want}");
            }
            // Warm the cache with the previous edit, then render this one from it.
            if i > 0 {
                render(source.clone(), edits[i - 1]);
            }
            let got = render(source.clone(), values);
            assert_eq!(got, want, "edit {i}: {values:?}");
            // And once more, now that this edit itself ran against the cache.
            assert_eq!(render(source.clone(), values), want, "edit {i} again");
        }
    }
    // A different chart replaces the kept one.
    let mut other = files();
    other.insert(
        "templates/extra.yaml".into(),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n".to_vec(),
    );
    let got = render(ChartSource::Files(other.clone()), &[]);
    assert!(got.contains("name: extra"), "{got}");
    assert_eq!(got, fresh(ChartSource::Files(other), &[]));
    let back = render(ChartSource::Files(files()), &[]);
    assert!(!back.contains("name: extra"));
}
