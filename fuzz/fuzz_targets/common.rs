// Shared by the fuzz targets (included with `#[path]`/`mod`): the Helm function library minus
// the functions that are slow by design (RSA/ECDSA key generation, bcrypt, scrypt), so that a
// timeout means a real hang, not a 4096-bit key.
#![allow(dead_code)]

use chartroom_template::{FuncMap, TemplateSet, Value};

pub const SLOW_FUNCTIONS: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "bcrypt",
    "htpasswd",
    "derivePassword",
];

pub fn functions() -> FuncMap {
    let mut funcs = chartroom_funcs::helm_functions();
    for name in SLOW_FUNCTIONS {
        funcs.remove(*name);
    }
    funcs
}

thread_local! {
    static BASE: TemplateSet = {
        let mut set = TemplateSet::new();
        set.add_funcs(functions());
        set
    };
}

/// A fresh template set with [`functions`] (a clone of one built once: the sets share the
/// function map, and parsing into the clone copies its template map on write).
pub fn template_set() -> TemplateSet {
    BASE.with(TemplateSet::clone)
}

/// Splits `data` at the first occurrence of `sep` (the whole input and an empty rest without it).
pub fn split<'a>(data: &'a [u8], sep: &[u8]) -> (&'a [u8], &'a [u8]) {
    match data.windows(sep.len()).position(|w| w == sep) {
        Some(i) => (&data[..i], &data[i + sep.len()..]),
        None => (data, &[]),
    }
}

/// The fixed data the executor target runs over: a values tree like a chart's.
pub fn fixed_data() -> Value {
    let values = chartroom_yaml::from_yaml(
        "replicaCount: 2\nimage:\n  repository: nginx\n  tag: \"1.25\"\n  pullPolicy: IfNotPresent\n\
         service: {type: ClusterIP, port: 80}\nlist: [1, two, 3.5, true, null, {a: b}]\n\
         empty: {}\nnested: {a: {b: {c: [x, y]}}}\nenabled: true\nnum: 12345678901234567890\n",
    )
    .unwrap_or(Value::Nil);
    let mut top = chartroom_template::Map::new();
    top.insert("Values".to_string(), values);
    let mut release = chartroom_template::Map::new();
    release.insert("Name".to_string(), Value::from("rel"));
    release.insert("Namespace".to_string(), Value::from("default"));
    top.insert("Release".to_string(), Value::map(release));
    Value::map(top)
}
