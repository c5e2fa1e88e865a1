//! Helm's `validateNoDeprecations`: a document whose apiVersion and kind are a Kubernetes type
//! with a deprecation lifecycle (k8s.io/apiserver's `deprecation.IsDeprecated` and
//! `WarningMessage`) is reported with the API server's warning text.

/// One deprecated type: `(apiVersion, kind, deprecated minor, removed minor, replacement)`.
struct Entry<'a> {
    api_version: &'a str,
    kind: &'a str,
    deprecated: u32,
    removed: u32,
    replacement: Option<(&'a str, &'a str)>,
}

const TABLE: &str = include_str!("deprecated-apis.txt");

fn lookup(api_version: &str, kind: &str) -> Option<Entry<'static>> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(' ').collect::<Vec<_>>())
        .find(|f| f.len() >= 4 && f[0] == api_version && f[1] == kind)
        .and_then(|f| {
            Some(Entry {
                api_version: f[0],
                kind: f[1],
                deprecated: f[2].parse().ok()?,
                removed: f[3].parse().ok()?,
                replacement: match (f.get(4), f.get(5)) {
                    (Some(g), Some(k)) => Some((*g, *k)),
                    _ => None,
                },
            })
        })
}

/// The warning for `api_version`/`kind` at Kubernetes `major.minor`, if deprecated there.
/// `major`/`minor` are the strings of the lint's Kubernetes version; Helm reports a number
/// that does not parse with Go's `strconv.Atoi` text.
pub(crate) fn deprecation(
    api_version: &str,
    kind: &str,
    major: &str,
    minor: &str,
) -> Option<String> {
    if api_version.is_empty() || kind.is_empty() {
        return None;
    }
    let e = lookup(api_version, kind)?;
    let atoi = |s: &str| -> Result<i64, String> {
        s.parse::<i64>().map_err(|_| {
            format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                chartroom_template::fmt::quote(s)
            )
        })
    };
    let major = match atoi(major) {
        Ok(m) => m,
        Err(e) => return Some(e),
    };
    let minor = match atoi(minor) {
        Ok(m) => m,
        Err(e) => return Some(e),
    };
    let at_or_after = |m: u32| 1 < major || (major == 1 && i64::from(m) <= minor);
    if !(at_or_after(e.removed) || at_or_after(e.deprecated)) {
        return None;
    }
    let mut msg = format!(
        "{} {} is deprecated in v1.{}+, unavailable in v1.{}+",
        e.api_version, e.kind, e.deprecated, e.removed
    );
    if let Some((g, k)) = e.replacement {
        msg.push_str(&format!("; use {g} {k}"));
    }
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::deprecation;

    #[test]
    fn table_and_versions() {
        assert_eq!(
            deprecation("policy/v1beta1", "PodDisruptionBudget", "1", "37").as_deref(),
            Some("policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget")
        );
        assert_eq!(
            deprecation("policy/v1beta1", "PodDisruptionBudget", "1", "20"),
            None
        );
        assert!(deprecation("policy/v1beta1", "PodDisruptionBudget", "1", "21").is_some());
        assert_eq!(
            deprecation("policy/v1", "PodDisruptionBudget", "1", "37"),
            None
        );
        assert_eq!(
            deprecation("events.k8s.io/v1beta1", "Event", "1", "30").as_deref(),
            Some("events.k8s.io/v1beta1 Event is deprecated in v1.22+, unavailable in v1.25+")
        );
    }
}
