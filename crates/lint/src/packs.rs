//! Which pack serves a Kubernetes version, and (feature `bundled`, on by default) the packs
//! of `crates/lint/packs/` compiled into the library.

#[cfg(feature = "bundled")]
use crate::pack::{PackError, SchemaPack};

/// Kubernetes minor versions with a pack, oldest first.
pub const VERSIONS: [&str; 13] = [
    "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36",
    "1.37",
];

/// The version whose pack is complete; every other pack is a delta against it.
pub const BASE_VERSION: &str = "1.37";

/// The default target version (Helm 4.3.1's default `.Capabilities.KubeVersion` is v1.37.0).
pub const DEFAULT_VERSION: &str = "1.37";

/// The file name of a version's pack (`k8s-1.30.json.gz`).
pub fn pack_file_name(version: &str) -> String {
    format!("k8s-{version}.json.gz")
}

/// The files a loader needs for a pack version, in load order: the base pack, then the
/// version's delta (just the base for [`BASE_VERSION`]). What the browser fetches.
pub fn pack_files(version: &str) -> Vec<String> {
    if version == BASE_VERSION {
        vec![pack_file_name(BASE_VERSION)]
    } else {
        vec![pack_file_name(BASE_VERSION), pack_file_name(version)]
    }
}

/// The pack version for a Kubernetes version (`v1.30.2`, `1.30`, `1.30.0-gke.1`): the newest
/// pack not newer than its minor version, as kubernetes-validate picks schemas. An error
/// names the supported range when the version is older than the oldest pack, newer than the
/// newest, or not a version.
pub fn select_version(kube_version: &str) -> Result<&'static str, String> {
    let s = kube_version.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts = s.split('.');
    let major = parts.next().and_then(|p| p.parse::<u32>().ok());
    let minor = parts.next().and_then(|p| {
        let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u32>().ok()
    });
    let range = || {
        format!(
            "schemas cover Kubernetes {} to {}",
            VERSIONS[0],
            VERSIONS[VERSIONS.len() - 1]
        )
    };
    let (Some(major), Some(minor)) = (major, minor) else {
        return Err(format!(
            "invalid Kubernetes version {kube_version:?}: {}",
            range()
        ));
    };
    let minor_of = |v: &str| -> u32 {
        v.split('.')
            .nth(1)
            .and_then(|m| m.parse().ok())
            .unwrap_or(0)
    };
    if major != 1 || minor > minor_of(VERSIONS[VERSIONS.len() - 1]) || minor < minor_of(VERSIONS[0])
    {
        return Err(format!(
            "no schemas for Kubernetes {major}.{minor}: {}",
            range()
        ));
    }
    VERSIONS
        .iter()
        .rev()
        .find(|v| minor_of(v) <= minor)
        .copied()
        .ok_or_else(range)
}

/// The bundled pack file of a pack version (`1.30`), gzip-compressed; `None` for another
/// version.
#[cfg(feature = "bundled")]
pub fn bundled(version: &str) -> Option<&'static [u8]> {
    macro_rules! packs {
        ($($v:literal),*) => {
            match version {
                $($v => Some(include_bytes!(concat!("../packs/k8s-", $v, ".json.gz")) as &[u8]),)*
                _ => None,
            }
        };
    }
    packs!(
        "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35",
        "1.36", "1.37"
    )
}

/// Loads the bundled pack for a Kubernetes version (see [`select_version`]).
#[cfg(feature = "bundled")]
pub fn load_bundled(kube_version: &str) -> Result<SchemaPack, PackError> {
    let version = select_version(kube_version).map_err(PackError)?;
    let bytes = bundled(version).ok_or_else(|| PackError(format!("no pack for {version}")))?;
    if version == BASE_VERSION {
        return SchemaPack::load(bytes);
    }
    let base = bundled(BASE_VERSION).ok_or_else(|| PackError("no base pack".into()))?;
    SchemaPack::load_delta(base, bytes)
}
