//! Schema packs: the bundled ones load (complete and delta), hand-made packs round-trip, and
//! bad packs are errors, never panics.

use std::io::{Read, Write};

use chartroom_lint::{packs, schema_name, validate_document, Options, Origin, SchemaPack};
use chartroom_template::{Map, Value};

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("bundled packs are gzip");
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

#[test]
fn every_bundled_version_loads() {
    let mut kinds = Vec::new();
    for v in packs::VERSIONS {
        let p = packs::load_bundled(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(p.kube_version(), v);
        assert!(p.has_schema("deployment-apps-v1"), "{v}");
        assert!(p.has_schema("configmap-v1"), "{v}");
        // Each schema file has a definition of the same type.
        assert_eq!(p.kind_count(), p.definition_count(), "{v}");
        kinds.push(p.kind_count());
    }
    // Versions only add kinds overall (516 schema files in 1.25, 862 in 1.37).
    assert_eq!(kinds.first(), Some(&516));
    assert_eq!(kinds.last(), Some(&862));
    // policy/v1beta1 PodSecurityPolicy was removed in 1.25: no schema anywhere.
    assert!(!packs::load_bundled("1.25")
        .expect("1.25")
        .has_schema("podsecuritypolicy-policy-v1beta1"));
}

#[test]
fn packs_are_small() {
    for v in packs::VERSIONS {
        let bytes = packs::bundled(v).expect("bundled");
        // Target: 300 KB gzip per version (a delta loads with the 1.37 base).
        let loaded = bytes.len()
            + if v == packs::BASE_VERSION {
                0
            } else {
                packs::bundled(packs::BASE_VERSION).expect("base").len()
            };
        assert!(loaded < 300_000, "{v}: {loaded} bytes");
    }
}

#[test]
fn plain_json_and_gzip_load_the_same() {
    let gz = packs::bundled("1.37").expect("1.37");
    let json = gunzip(gz);
    let a = SchemaPack::load(gz).expect("gzip");
    let b = SchemaPack::load(&json).expect("plain");
    assert_eq!(a.schema_names(), b.schema_names());
    assert_eq!(a.definition_count(), b.definition_count());
    // A delta loads over its base whether gzip or plain.
    let delta = gunzip(packs::bundled("1.30").expect("1.30"));
    let c = SchemaPack::load_delta(&json, &delta).expect("delta");
    assert_eq!(c.kube_version(), "1.30");
    let d = packs::load_bundled("1.30").expect("1.30");
    assert_eq!(c.schema_names(), d.schema_names());
}

#[test]
fn deltas_need_their_base() {
    let delta = packs::bundled("1.29").expect("1.29");
    let e = SchemaPack::load(delta).expect_err("a delta alone");
    assert!(e.to_string().contains("delta against 1.37"), "{e}");
    let other = packs::bundled("1.30").expect("1.30");
    let e = SchemaPack::load_delta(other, delta).expect_err("a delta as base");
    assert!(e.to_string().contains("itself a delta"), "{e}");
}

#[test]
fn version_selection() {
    assert_eq!(packs::select_version("v1.37.0"), Ok("1.37"));
    assert_eq!(packs::select_version("1.30"), Ok("1.30"));
    assert_eq!(packs::select_version("v1.28.3-gke.100"), Ok("1.28"));
    assert_eq!(packs::select_version("1.25.0"), Ok("1.25"));
    assert_eq!(packs::pack_files("1.37"), vec!["k8s-1.37.json.gz"]);
    assert_eq!(
        packs::pack_files("1.30"),
        vec!["k8s-1.37.json.gz", "k8s-1.30.json.gz"]
    );
    for bad in ["1.24", "1.38.0", "2.0", "latest", ""] {
        let e = packs::select_version(bad).expect_err(bad);
        assert!(e.contains("1.25 to 1.37"), "{bad}: {e}");
    }
}

#[test]
fn schema_file_names_follow_kubernetes_validate() {
    assert_eq!(schema_name("apps/v1", "Deployment"), "deployment-apps-v1");
    assert_eq!(schema_name("v1", "ConfigMap"), "configmap-v1");
    assert_eq!(
        schema_name("rbac.authorization.k8s.io/v1", "ClusterRole"),
        "clusterrole-rbac-v1"
    );
    assert_eq!(schema_name("example.com", "X"), "x-example.com");
    assert_eq!(schema_name("a/b/c", "X"), "x-a-b/c");
}

const TINY: &str = r#"{"format":"chartroom-schema-pack/1","kubeVersion":"9.9",
 "defs":{"Thing":{"type":"object","sc":1,"required":["size"],
   "properties":{"size":{"type":["integer","null"]},"name":{"type":"string"},
                 "child":{"$ref":"Thing"}}},
   "Loop":{"type":"object","additionalProperties":{"$ref":"Loop"}}},
 "kinds":{"thing-v1":{"$ref":"Thing"},"loop-v1":{"$ref":"Loop"}}}"#;

fn doc(yaml: &str) -> Value {
    chartroom_yaml::from_yaml(yaml).expect("parses")
}

#[test]
fn a_hand_made_pack_round_trips() {
    for bytes in [TINY.as_bytes().to_vec(), gzip(TINY.as_bytes())] {
        let p = SchemaPack::load(&bytes).expect("tiny pack");
        assert_eq!(p.kube_version(), "9.9");
        assert_eq!(p.schema_names(), vec!["loop-v1", "thing-v1"]);
        let d = doc("apiVersion: v1\nkind: Thing\nmetadata: {name: t}\nsize: 1\nchild: {size: x, extra: 1}\n");
        let normal = validate_document(&p, &d, &Origin::default(), &Options::default());
        let paths: Vec<&str> = normal.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["/child/size"]);
        let strict = validate_document(
            &p,
            &d,
            &Origin::default(),
            &Options {
                strict: true,
                ..Options::default()
            },
        );
        let paths: Vec<&str> = strict.iter().map(|f| f.path.as_str()).collect();
        // apiVersion, kind and metadata are not properties of Thing either.
        assert_eq!(
            paths,
            vec![
                "/apiVersion",
                "/child/extra",
                "/child/size",
                "/kind",
                "/metadata"
            ]
        );
    }
}

#[test]
fn deep_documents_hit_the_depth_limit_not_the_stack() {
    let p = SchemaPack::load(TINY.as_bytes()).expect("tiny pack");
    let mut v = Value::map(Map::new());
    for _ in 0..1000 {
        let mut m = Map::new();
        m.insert("k".into(), v);
        v = Value::map(m);
    }
    let Value::Map(top, _) = &v else {
        unreachable!()
    };
    top.borrow_mut()
        .insert("apiVersion".into(), Value::str("v1"));
    top.borrow_mut().insert("kind".into(), Value::str("Loop"));
    let fs = validate_document(&p, &v, &Origin::default(), &Options::default());
    assert!(
        fs.iter().any(|f| f.message.contains("nested deeper")),
        "{fs:?}"
    );
}

#[test]
fn bad_packs_are_errors() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "JSON"),
        (b"\x1f\x8b\x08\x00garbage", "gzip"),
        (b"[1,2]", "not a JSON object"),
        (br#"{"format":"other/1","kubeVersion":"1"}"#, "unsupported format"),
        (br#"{"format":"chartroom-schema-pack/1"}"#, "no kubeVersion"),
        (
            br#"{"format":"chartroom-schema-pack/1","kubeVersion":"1","defs":{},"kinds":{"a-v1":{"$ref":"Nope"}}}"#,
            "unknown definition",
        ),
        (
            br#"{"format":"chartroom-schema-pack/1","kubeVersion":"1","defs":{"A":{"$ref":"B"},"B":{"$ref":"A"}},"kinds":{}}"#,
            "cycle",
        ),
        (
            br#"{"format":"chartroom-schema-pack/1","kubeVersion":"1","defs":{},"kinds":{"a-v1":{"pattern":"x"}}}"#,
            "unsupported keyword",
        ),
        (
            br#"{"format":"chartroom-schema-pack/1","kubeVersion":"1","defs":{},"kinds":{"a-v1":{"type":"float"}}}"#,
            "unknown type",
        ),
    ];
    for (bytes, want) in cases {
        let e = SchemaPack::load(bytes).expect_err(want);
        let text = e.to_string().to_lowercase();
        assert!(
            text.contains(&want.to_lowercase()) || *want == "JSON",
            "{want}: {e}"
        );
    }
    // Truncated gzip of a real pack.
    let gz = packs::bundled("1.37").expect("1.37");
    assert!(SchemaPack::load(&gz[..gz.len() / 2]).is_err());
}

#[test]
fn packs_can_be_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SchemaPack>();
    let pack = std::sync::Arc::new(packs::load_bundled("1.37").expect("1.37"));
    let p = std::sync::Arc::clone(&pack);
    let names = std::thread::spawn(move || p.kind_count())
        .join()
        .expect("thread");
    assert_eq!(names, pack.kind_count());
}

#[test]
fn long_ref_chains_load_without_recursion() {
    let n = 5000;
    let mut defs: Vec<String> = (0..n)
        .map(|i| format!("\"D{i}\":{{\"$ref\":\"D{}\"}}", i + 1))
        .collect();
    defs.push(format!("\"D{n}\":{{\"type\":\"object\"}}"));
    let json = format!(
        "{{\"format\":\"chartroom-schema-pack/1\",\"kubeVersion\":\"1\",\"defs\":{{{}}},\"kinds\":{{\"x-v1\":{{\"$ref\":\"D0\"}}}}}}",
        defs.join(",")
    );
    let p = SchemaPack::load(json.as_bytes()).expect("a long chain is a valid pack");
    let fs = validate_document(
        &p,
        &doc("apiVersion: v1\nkind: X\nmetadata: {name: x}\n"),
        &Origin::default(),
        &Options::default(),
    );
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert!(fs[0].message.contains("nested deeper"), "{}", fs[0].message);
}
