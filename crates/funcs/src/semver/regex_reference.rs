//! The regex-based grammar `semver.rs` used before its hand-made scanners, kept verbatim
//! as the reference the differential tests compare against. Test-only: compiling these five
//! regexes is what the scanners avoid in every process.
//!
//! Besides the reference `parse_version` and `parse_constraints`, it exposes each regex's
//! raw matches (`valid`, `find`, `range`, anchored `constraint`) so the tests can compare
//! the scanners one grammar at a time.

use std::sync::OnceLock;

use regex::Regex;

use super::{go_quote, parse_u64, Constraint, Constraints, Version};

// Go's `\s` is ASCII-only: [\t\n\f\r ].
const S: &str = r"[\t\n\f\r ]";
const LOOSE: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Regexes {
    version: Regex,
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

fn regexes() -> &'static Regexes {
    static R: OnceLock<Regexes> = OnceLock::new();
    R.get_or_init(|| {
        let re = |s: String| Regex::new(&s).unwrap_or_else(|_| Regex::new("$^").expect("trivial"));
        Regexes {
            version: re(format!("^{LOOSE}$")),
            constraint: re(format!(r"^{S}*({OPS}){S}*({CV}){S}*$")),
            range: re(format!(r"{S}*({CV}){S}+-{S}+({CV}){S}*")),
            find: re(format!(r"({OPS}){S}*({CV})")),
            valid: re(format!(
                r"^({S}*({OPS}){S}*({CV}){S}*)((?:{S}+|,{S}*)({OPS}){S}*({CV}){S}*)*$"
            )),
        }
    })
}

/// `semver.NewVersion` (with `CoerceNewVersion`, the v3 default).
pub fn parse_version(v: &str) -> Result<Version, String> {
    let caps = regexes()
        .version
        .captures(v)
        .ok_or_else(|| "invalid semantic version".to_string())?;
    let get = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
    let major = parse_u64(get(1))?;
    let minor = if get(2).is_empty() {
        0
    } else {
        parse_u64(&get(2)[1..])?
    };
    let patch = if get(3).is_empty() {
        0
    } else {
        parse_u64(&get(3)[1..])?
    };
    let pre = get(5).to_string();
    if !pre.is_empty() {
        for part in pre.split('.') {
            if part.bytes().all(|b| b.is_ascii_digit()) && part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        }
    }
    Ok(Version {
        major,
        minor,
        patch,
        pre,
        metadata: get(8).to_string(),
        original: v.to_string(),
    })
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

pub fn rewrite_range(c: &str) -> String {
    let r = &regexes().range;
    let mut out = c.to_string();
    for caps in r.captures_iter(c) {
        let whole = caps.get(0).map(|m| m.as_str()).unwrap_or("");
        let a = caps.get(1).map(|m| m.as_str()).unwrap_or("");
        let b = caps.get(11).map(|m| m.as_str()).unwrap_or("");
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    out
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: parse_version("0.0.0")?,
            op: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let caps = regexes()
        .constraint
        .captures(c)
        .ok_or_else(|| format!("improper constraint: {}", go_quote(c)))?;
    let get = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
    let (m3, m4, m5, m6) = (get(3), get(4), get(5), get(6));
    let mut ver = get(2).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    if is_x(m3) || m3.is_empty() {
        ver = format!("0.0.0{m6}");
        dirty = true;
    } else if is_x(m4.trim_start_matches('.')) || m4.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{m3}.0.0{m6}");
    } else if is_x(m5.trim_start_matches('.')) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{m3}{m4}.0{m6}");
    }
    let con = parse_version(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        op: get(1).to_string(),
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

/// `semver.NewConstraint`.
pub fn parse_constraints(c: &str) -> Result<Constraints, String> {
    if c.len() > 512 {
        return Err("constraint string is too long (max 512 bytes)".into());
    }
    let c = rewrite_range(c);
    let r = regexes();
    let parts: Vec<&str> = c.split("||").collect();
    if parts.len() > 32 {
        return Err("too many constraint groups (max 32)".into());
    }
    let mut ors = Vec::new();
    for part in parts {
        if !r.valid.is_match(part) {
            return Err(format!("improper constraint: {}", go_quote(part)));
        }
        let mut found: Vec<&str> = r.find.find_iter(part).map(|m| m.as_str()).collect();
        if found.is_empty() {
            found.push(part);
        }
        let mut ands = Vec::new();
        for s in found {
            ands.push(parse_constraint(s)?);
        }
        ors.push(ands);
    }
    Ok(Constraints(ors))
}

// The raw matches of each regex, for comparing the scanners grammar by grammar.

/// The `valid` regex accepts `s`.
pub fn is_valid(s: &str) -> bool {
    regexes().valid.is_match(s)
}

/// The `find` regex's successive matches.
pub fn find_all(s: &str) -> Vec<&str> {
    regexes().find.find_iter(s).map(|m| m.as_str()).collect()
}

/// The `range` regex's successive matches: (whole match, first version, second version).
pub fn ranges(s: &str) -> Vec<(&str, &str, &str)> {
    regexes()
        .range
        .captures_iter(s)
        .map(|caps| {
            let get = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
            (get(0), get(1), get(11))
        })
        .collect()
}

/// The anchored `constraint` regex's groups: operator, whole version, major, `.minor`,
/// `.patch`, `-prerelease` (empty when absent).
pub fn constraint_groups(s: &str) -> Option<[&str; 6]> {
    let caps = regexes().constraint.captures(s)?;
    let get = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
    Some([get(1), get(2), get(3), get(4), get(5), get(6)])
}

/// The anchored `version` regex's groups: major, `.minor`, `.patch`, prerelease, metadata.
pub fn version_groups(s: &str) -> Option<[&str; 5]> {
    let caps = regexes().version.captures(s)?;
    let get = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
    Some([get(1), get(2), get(3), get(5), get(8)])
}
