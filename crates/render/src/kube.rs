//! `--kube-version` parsing (Helm's `common.ParseKubeVersion` over Kubernetes'
//! `version.ParseGeneric`) and the default Kubernetes version of `helm template`.

use crate::objects::KubeVersion;

pub fn default_kube_version() -> KubeVersion {
    KubeVersion::new("v1.37.0".into(), "v1.37.0".into(), "1".into(), "37".into())
}

/// Parses like Kubernetes' `ParseGeneric`; the error is the text after
/// `invalid kube version 'X': `.
pub fn parse_kube_version(input: &str) -> Result<KubeVersion, String> {
    let s = input.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let s2 = s.strip_prefix('v').unwrap_or(s);
    let digits_end = {
        // ([0-9]+(?:\.[0-9]+)*)
        let b = s2.as_bytes();
        let mut i = 0;
        let mut end = 0;
        loop {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                break;
            }
            end = i;
            if i < b.len() && b[i] == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit() {
                i += 1;
            } else {
                break;
            }
        }
        end
    };
    if digits_end == 0 {
        return Err(format!(
            "could not parse {} as version",
            chartroom_template::fmt::quote(input)
        ));
    }
    let numbers = &s2[..digits_end];
    let components: Vec<&str> = numbers.split('.').collect();
    if components.len() < 2 {
        return Err(format!(
            "illegal version string {}",
            chartroom_template::fmt::quote(input)
        ));
    }
    let mut nums = Vec::new();
    for (i, comp) in components.iter().enumerate() {
        if i == 0 && comp.starts_with('0') && *comp != "0" {
            return Err(format!(
                "illegal zero-prefixed version component {} in {}",
                chartroom_template::fmt::quote(comp),
                chartroom_template::fmt::quote(input)
            ));
        }
        let n: u64 = comp.parse().map_err(|_| {
            format!(
                "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                chartroom_template::fmt::quote(comp),
                chartroom_template::fmt::quote(input),
                chartroom_template::fmt::quote(comp)
            )
        })?;
        nums.push(n);
    }
    let version = if input.starts_with('v') {
        input.to_string()
    } else {
        format!("v{input}")
    };
    let normalized = format!(
        "v{}",
        nums.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(".")
    );
    Ok(KubeVersion::new(
        version,
        normalized,
        nums[0].to_string(),
        nums[1].to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_helm() {
        let k = parse_kube_version("1.29.3").unwrap();
        assert_eq!(
            (
                k.version.as_str(),
                k.normalized.as_str(),
                k.major.as_str(),
                k.minor.as_str()
            ),
            ("v1.29.3", "v1.29.3", "1", "29")
        );
        let k = parse_kube_version("1.29.3-eks+abc").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str()),
            ("v1.29.3-eks+abc", "v1.29.3")
        );
        let k = parse_kube_version(" 1.2.3").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str()),
            ("v 1.2.3", "v1.2.3")
        );
        assert_eq!(
            parse_kube_version("abc").unwrap_err(),
            "could not parse \"abc\" as version"
        );
        assert_eq!(
            parse_kube_version("1").unwrap_err(),
            "illegal version string \"1\""
        );
        assert_eq!(
            parse_kube_version("01.02.03").unwrap_err(),
            "illegal zero-prefixed version component \"01\" in \"01.02.03\""
        );
        assert_eq!(
            parse_kube_version("v1.30.0.5").unwrap().normalized,
            "v1.30.0.5"
        );
    }
}
