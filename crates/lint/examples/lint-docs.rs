//! Validates every document of YAML streams and prints one JSON line per document, for
//! tests/lint-oracle.py: `{"file", "document", "verdict", "doc", "findings"}` where verdict is
//! `valid`, `invalid` (schema errors), `no-schema`, `skipped` (empty) or `yaml-error`, and
//! `doc` is the document as JSON (what the oracle validates too).
//!
//! `cargo run -p chartroom-lint --example lint-docs -- [--strict] [--formats] [--kube-version V] FILE...`

use chartroom_lint::{packs, rule, validate_document, Options, Origin};
use chartroom_render::manifest::split_manifests;
use chartroom_template::{Map, Value};

fn main() {
    let mut strict = false;
    let mut formats = false;
    let mut kube = packs::DEFAULT_VERSION.to_string();
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--strict" => strict = true,
            "--formats" => formats = true,
            "--kube-version" => kube = args.next().unwrap_or_default(),
            _ => files.push(a),
        }
    }
    let pack = match packs::load_bundled(&kube) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let opts = Options { strict, formats };
    let mut out = String::new();
    for file in &files {
        let data = match std::fs::read(file) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{file}: {e}");
                std::process::exit(2);
            }
        };
        for (i, piece) in split_manifests(&data).into_iter().enumerate() {
            let text = String::from_utf8_lossy(piece);
            let mut line = Map::new();
            line.insert("file".into(), Value::str(file));
            line.insert("document".into(), Value::Int(i as i64));
            let (verdict, findings) = match chartroom_yaml::from_yaml(&text) {
                Err(e) => ("yaml-error", vec![e.to_string()]),
                Ok(doc) => {
                    let empty = match &doc {
                        Value::Nil => true,
                        Value::Map(m, _) => m.borrow().is_empty(),
                        _ => false,
                    };
                    if empty {
                        ("skipped", Vec::new())
                    } else {
                        let origin = Origin {
                            file: Some(file.clone()),
                            document: Some(i),
                        };
                        let fs = validate_document(&pack, &doc, &origin, &opts);
                        line.insert("doc".into(), doc);
                        let verdict = if fs.iter().any(|f| f.rule == rule::SCHEMA) {
                            "invalid"
                        } else if fs.iter().any(|f| {
                            f.rule == rule::NO_SCHEMA
                                || (f.rule == rule::DEPRECATED_API
                                    && f.severity == chartroom_lint::Severity::Error)
                        }) {
                            // A removed apiVersion: kubernetes-validate has no schema for it.
                            "no-schema"
                        } else if fs
                            .iter()
                            .any(|f| f.path == "/apiVersion" || f.path == "/kind")
                        {
                            "no-head"
                        } else {
                            "valid"
                        };
                        let msgs = fs
                            .iter()
                            .map(|f| format!("{} {}: {}", f.rule, f.path, f.message))
                            .collect();
                        (verdict, msgs)
                    }
                }
            };
            line.insert("verdict".into(), Value::str(verdict));
            line.insert(
                "findings".into(),
                Value::list(findings.into_iter().map(Value::string).collect()),
            );
            match chartroom_yaml::to_json(&Value::map(line)) {
                Ok(j) => {
                    out.push_str(&j);
                    out.push('\n');
                }
                Err(e) => {
                    eprintln!("{file}#{i}: {e}");
                    std::process::exit(2);
                }
            }
        }
    }
    print!("{out}");
}
