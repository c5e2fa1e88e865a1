//! Helm's `validateMetadataName`: `metadata.name` checked with the Kubernetes name rule of the
//! document's kind (k8s.io/apimachinery's validation functions and their message texts).

use chartroom_template::fmt::quote;

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` (with `first` deciding the first character).
fn is_label(s: &str, first: fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => first(f) && alnum(l) && b.iter().all(|&c| alnum(c) || c == b'-'),
        _ => false,
    }
}

fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len(253));
    }
    if !s.split('.').all(|l| is_label(l, alnum)) {
        errs.push(SUBDOMAIN_MSG.to_string());
    }
    errs
}

fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !is_label(s, alnum) {
        errs.push(LABEL_MSG.to_string());
    }
    errs
}

fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len(63));
    }
    if !is_label(s, |c| c.is_ascii_lowercase()) {
        errs.push(DNS1035_MSG.to_string());
    }
    errs
}

fn path_segment(s: &str) -> Vec<String> {
    for bad in [".", ".."] {
        if s == bad {
            return vec![format!("may not be '{bad}'")];
        }
    }
    ["/", "%"]
        .iter()
        .filter(|c| s.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// The problems of `name` for a document of `kind` (Helm's per-kind choice of rule).
fn problems(kind: &str, name: &str) -> Vec<String> {
    match kind.to_lowercase().as_str() {
        "service" => dns1035_label(name),
        "namespace" => dns1123_label(name),
        "certificatesigningrequest" => Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment(name),
        _ => dns1123_subdomain(name),
    }
}

/// Helm's warning text for the document's name, if it breaks its kind's rule.
pub(crate) fn check(kind: &str, name: &str) -> Option<String> {
    let errs = problems(kind, name);
    if errs.is_empty() {
        return None;
    }
    let q = quote(name);
    let each: Vec<String> = errs
        .iter()
        .map(|m| format!("metadata.name: Invalid value: {q}: {m}"))
        .collect();
    let agg = if each.len() == 1 {
        each[0].clone()
    } else {
        format!("[{}]", each.join(", "))
    };
    Some(format!(
        "object name does not conform to Kubernetes naming requirements: {q}: {agg}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_per_kind() {
        assert!(check("Deployment", "a.b-c").is_none());
        assert!(check("Service", "1abc").unwrap().contains("DNS-1035"));
        assert!(check("Namespace", "a.b")
            .unwrap()
            .contains("RFC 1123 label"));
        assert!(check("CertificateSigningRequest", "A_").is_none());
        assert_eq!(
            check("Role", "..").unwrap(),
            "object name does not conform to Kubernetes naming requirements: \"..\": metadata.name: Invalid value: \"..\": may not be '..'"
        );
        let long = check("Pod", &"A".repeat(260)).unwrap();
        assert!(long.contains(": [metadata.name: Invalid value: "), "{long}");
        assert!(check("Pod", "").is_some());
    }
}
