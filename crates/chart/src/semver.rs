//! Semantic versions and constraints as Helm checks them for charts (`version` validity,
//! `kubeVersion` ranges). A thin layer over the one Masterminds/semver v3 implementation in
//! `chartroom-funcs`, which also backs `semverCompare`, so charts and templates agree.

use chartroom_funcs::semver::{parse_version, semver_compare};

/// Masterminds' `NewVersion` (the coercing parser) accepts `s`.
pub fn is_valid_version(s: &str) -> bool {
    parse_version(s).is_ok()
}

/// Helm's `IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    semver_compare(constraint, version).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_loose_versions() {
        assert!(is_valid_version("1.2"));
        assert!(is_valid_version("v1"));
        assert!(is_valid_version("01.2.3"));
        assert!(is_valid_version("1.2.3-alpha.1+b5"));
        assert!(!is_valid_version("x"));
        assert!(!is_valid_version("1.2.3-01"));
        assert!(!is_valid_version(""));
        assert!(!is_valid_version("1.2.3.4"));
    }

    #[test]
    fn checks_constraints() {
        assert!(is_compatible_range(">=1.20.0-0", "v1.29.3"));
        assert!(!is_compatible_range(">=1.30", "v1.29.3"));
        assert!(is_compatible_range(">=1.30", "v1.37.0"));
        assert!(is_compatible_range("^1.2.0", "1.9.0"));
        assert!(!is_compatible_range("^1.2.0", "2.0.0"));
        assert!(is_compatible_range("~1.2.0", "1.2.9"));
        assert!(!is_compatible_range("~1.2.0", "1.3.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "0.1.0"));
        assert!(is_compatible_range(">= 1.2, < 3.0.0 || >= 4.2.3", "4.5.0"));
        assert!(!is_compatible_range(">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0"));
        assert!(is_compatible_range("1.1 - 2", "1.5.0"));
        assert!(!is_compatible_range(">=1.19", "1.29.3-gke.1"));
        assert!(is_compatible_range(">=1.19-0", "1.29.3-gke.1"));
        assert!(!is_compatible_range("garbage", "1.29.3"));
        assert!(is_compatible_range("1.2", "1.2.7"));
    }
}
