//! `parse_head` reads only the head's parts of a manifest (the YAML outline reader), and
//! `parse_document_kept` the value through the block-style fast path; they must give exactly
//! what reading the whole document gives (`parse_document`), error texts included, on
//! hand-made documents for every stage of go-yaml's and encoding/json's errors and on every
//! document of the recorded Helm outputs (`../shared/golden`, read in place).

use std::path::{Path, PathBuf};

use chartroom_render::head::{parse_document, parse_document_kept, parse_head};
use chartroom_render::manifest::split_manifests;

fn assert_same(doc: &str) {
    let whole = parse_document(doc);
    let whole_head = whole
        .as_ref()
        .map(|(head, _)| head.clone())
        .map_err(Clone::clone);
    assert_eq!(parse_head(doc), whole_head, "document:\n{doc}");
    // The kept document (diff, wasm lint): the same head and value.
    let kept = parse_document_kept(doc);
    assert_eq!(
        format!("{kept:?}"),
        format!("{whole:?}"),
        "document:\n{doc}"
    );
}

#[test]
fn hand_made_documents_read_alike() {
    let docs = [
        // Plain heads, case variants and repeated keys (the last wins; the exact name first).
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n",
        "apiversion: v1\nKIND: Secret\nMetadata:\n  NAME: x\n",
        "kind: A\nKind: B\nkind: C\n",
        "Kind: B\nkind: A\n",
        "metadata:\n  name: a\nmetadata:\n  namespace: b\n",
        "metadata:\n  name: 1.10\n  annotations:\n    helm.sh/hook: pre-install\n    b: 2\n    c: true\n",
        "kind: 12\napiVersion: 1e3\nmetadata: {name: 0x1F}\n",
        "metadata:\n  annotations:\n    a: [1]\n",
        "metadata:\n  annotations:\n    a: {b: c}\n    z: [1]\n",
        "metadata:\n  annotations: [a]\n",
        "metadata:\n  annotations: text\n",
        "metadata:\n  annotations:\n",
        "metadata: [a, b]\n",
        "metadata: text\n",
        "metadata:\n",
        "metadata:\n  name: [a]\n",
        "metadata:\n  name: {a: b}\n",
        "metadata:\n  name: ~\n",
        "metadata:\n  namespace: 5\n",
        "kind: [a]\n",
        "kind: {a: [1, 2]}\n",
        "apiVersion: {a: b}\n",
        "- a\n- b\n",
        "just text\n",
        "12\n",
        "",
        "# only a comment\n",
        "~\n",
        // Nested parts the head does not read, with and without errors.
        "kind: A\nspec:\n  a: [1, {b: [c, d]}]\n  e: {f: g}\n",
        "kind: A\nspec:\n  a: !!int x\n",
        "kind: A\nspec:\n  a: !!binary '!!'\n",
        "kind: A\nspec: [.nan]\n",
        "kind: A\nspec: [.inf, -.inf]\nmore: .nan\n",
        "kind: A\nspec: {.nan: 1}\n",
        "kind: .nan\n",
        "metadata:\n  annotations:\n    a: .inf\n",
        "kind: A\nspec: [.nan, !!int x]\n",
        "kind: A\nspec: !!float 1\nother: !!bool yes\n",
        "kind: A\nspec: !!str 1\nt: !!timestamp 2001-12-14\n",
        "kind: A\nspec: !custom x\nb: !!binary aGVsbG8=\n",
        "1: a\ntrue: b\n1.5: c\n",
        // Syntax and depth errors win over decoding errors earlier in the document.
        "kind: A\nspec: !!int x\nbad: [\n",
        "kind: A\nspec: !!int x\n  bad: indentation\n",
        "kind: A\na: b: c\n",
        "kind: \"unterminated\n",
        "kind: A\n\tb: tab\n",
        "kind: A\n---\nkind: [\n",
        // Anchors without aliases are read in one pass; aliases and merges take the full path.
        "kind: &k A\nmetadata: &m {name: x}\n",
        "kind: &k A\nother: *k\n",
        "kind: *nothing\n",
        "base: &b {kind: K}\n<<: *b\n",
        "<<: {kind: K, metadata: {name: n}}\n",
        "<<: [{kind: K}, {kind: L}]\n",
        "<<: x\n",
        "metadata:\n  <<: {name: n}\n",
        "a: &a [*a]\n",
        // Keys the JSON step cannot name, and collections as keys.
        "~: a\nkind: K\n",
        "? [a, b]\n: c\n",
        "? {a: b}\n: c\n",
        "kind: A\n? \n: x\n",
        "kind: A\nspec:\n  ? [a]\n  : b\n",
    ];
    for doc in docs {
        assert_same(doc);
    }
    // Nesting at and past the YAML depth ceiling (500).
    for depth in [499, 500, 501] {
        let deep = format!(
            "kind: A\nspec: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_same(&deep);
        let deep = format!(
            "kind: A\nspec: {}1{}\n",
            "{a: ".repeat(depth),
            "}".repeat(depth)
        );
        assert_same(&deep);
    }
}

/// The reference set: `$CHARTROOM_GOLDEN`, else `../shared/golden` from the repository root.
fn golden_dir() -> PathBuf {
    match std::env::var_os("CHARTROOM_GOLDEN") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/golden"),
    }
}

#[test]
fn every_recorded_helm_document_reads_alike() {
    let golden = golden_dir();
    let dir = golden.join("expected");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            assert!(
                !golden.exists(),
                "{} exists but cannot be read: {e}",
                dir.display()
            );
            println!("skipped: no reference data at {} ({e})", golden.display());
            return;
        }
    };
    let mut documents = 0;
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("out") {
            continue;
        }
        let out = std::fs::read(&path).expect("recorded output");
        for doc in split_manifests(&out) {
            let Ok(text) = std::str::from_utf8(doc) else {
                continue;
            };
            assert_same(text);
            documents += 1;
        }
    }
    assert!(documents > 5_000, "only {documents} documents read");
    println!("{documents} recorded documents read alike");
}
