//! Masterminds/semver v3 as Sprig uses it: `NewVersion` (coercing), `NewConstraint` and
//! `Constraints.Check`, and the `*semver.Version` object templates see.
//!
//! Masterminds defines its version and constraint syntax with regular expressions; `syntax`
//! scans the same grammar by hand, match for match, so no process pays for compiling them
//! (charts validate their `version`, so every render parses semver). The former regexes live
//! on, test-only, in `regex_reference`, against which `tests` runs a differential corpus.

pub(crate) use chartroom_template::fmt::quote as go_quote;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::rc::Rc;

use chartroom_template::{Object, Value};

#[cfg(test)]
mod regex_reference;
mod syntax;
#[cfg(test)]
mod tests;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

fn parse_u64(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "error parsing version segment: strconv.ParseUint: parsing \"{s}\": value out of range"
        )
    })
}

/// `semver.NewVersion` (with `CoerceNewVersion`, the v3 default).
pub fn parse_version(v: &str) -> Result<Version, String> {
    let t = syntax::loose_version(v).ok_or_else(|| "invalid semantic version".to_string())?;
    let major = parse_u64(t.major)?;
    let minor = match t.minor.get(1..) {
        Some(m) if !m.is_empty() => parse_u64(m)?,
        _ => 0,
    };
    let patch = match t.patch.get(1..) {
        Some(p) if !p.is_empty() => parse_u64(p)?,
        _ => 0,
    };
    let pre = t.pre.get(1..).unwrap_or("").to_string();
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
        metadata: t.meta.get(1..).unwrap_or("").to_string(),
        original: v.to_string(),
    })
}

impl Version {
    pub fn to_go_string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }

    fn v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self) -> Version {
        self.original = format!("{}{}", self.v_prefix(), self.to_go_string());
        self
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let d = compare_pre_part(
            ap.get(i).copied().unwrap_or(""),
            bp.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(a), Ok(b)) => {
            if a > b {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Constraint {
    con: Version,
    op: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint set: OR groups of AND-ed constraints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraints(Vec<Vec<Constraint>>);

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// Rewrites each hyphen range `a - b` as `>= a, <= b `, replacing the first occurrence of
/// the matched text each time (Masterminds' `strings.Replace(.., 1)`).
fn rewrite_range(c: &str) -> Cow<'_, str> {
    let ranges = syntax::ranges(c);
    if ranges.is_empty() {
        return Cow::Borrowed(c);
    }
    let mut out = c.to_string();
    for (whole, a, b) in ranges {
        out = out.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    Cow::Owned(out)
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
    let (op, v) =
        syntax::constraint(c).ok_or_else(|| format!("improper constraint: {}", go_quote(c)))?;
    let (m3, m4, m5, m6) = (v.major, v.minor, v.patch, v.pre);
    let mut ver = v.whole.to_string();
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
        op: op.to_string(),
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
    let parts: Vec<&str> = c.split("||").collect();
    if parts.len() > 32 {
        return Err("too many constraint groups (max 32)".into());
    }
    let mut ors = Vec::new();
    for part in parts {
        if !syntax::is_valid(part) {
            return Err(format!("improper constraint: {}", go_quote(part)));
        }
        let mut found = syntax::find_all(part);
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

impl Constraints {
    pub fn check(&self, v: &Version) -> bool {
        // A prerelease version can only satisfy an AND group in which some constraint names
        // a prerelease (semver v3.4 semantics).
        self.0.iter().any(|ands| {
            let include_pre = ands.iter().any(|c| !c.con.pre.is_empty());
            ands.iter().all(|c| c.check(v, include_pre))
        })
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        let c = &self.con;
        let pre_blocked = !v.pre.is_empty() && !include_pre;
        let cmp = v.compare(c);
        match self.op.as_str() {
            "" | "=" => {
                if pre_blocked {
                    false
                } else if self.dirty {
                    self.tilde(v, include_pre)
                } else {
                    cmp == Ordering::Equal
                }
            }
            "!=" => {
                if pre_blocked {
                    return false;
                }
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                cmp != Ordering::Equal
            }
            ">" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return cmp == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    cmp == Ordering::Greater
                }
            }
            "<" => !pre_blocked && cmp == Ordering::Less,
            ">=" | "=>" => !pre_blocked && cmp != Ordering::Less,
            "<=" | "=<" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return cmp != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => !pre_blocked && self.tilde(v, include_pre),
            "^" => !pre_blocked && self.caret(v),
            _ => false,
        }
    }

    fn tilde(&self, v: &Version, include_pre: bool) -> bool {
        let c = &self.con;
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

/// Sprig's `semverCompare`.
pub fn semver_compare(constraint: &str, version: &str) -> Result<bool, String> {
    let c = parse_constraints(constraint)?;
    let v = parse_version(version)?;
    Ok(c.check(&v))
}

/// The `*semver.Version` templates receive from `semver`.
#[derive(Debug)]
pub struct VersionObject(pub Version);

impl VersionObject {
    pub fn value(v: Version) -> Value {
        Value::Object(Rc::new(VersionObject(v)))
    }
}

fn other_version(args: &[Value]) -> Result<Version, String> {
    match args.first() {
        Some(Value::Object(o)) => match o.as_any().downcast_ref::<VersionObject>() {
            Some(v) => Ok(v.0.clone()),
            None => Err(format!(
                "wrong type for value; expected *semver.Version; got {}",
                o.type_name()
            )),
        },
        Some(other) => Err(format!(
            "wrong type for value; expected *semver.Version; got {}",
            other.type_name()
        )),
        None => Err("wrong number of args: got 0 want 1".into()),
    }
}

fn str_arg(args: &[Value]) -> Result<String, String> {
    match args.first() {
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
        None => Err("wrong number of args: got 0 want 1".into()),
    }
}

const METHODS: &[&str] = &[
    "Major",
    "Minor",
    "Patch",
    "Prerelease",
    "Metadata",
    "Original",
    "String",
    "IncPatch",
    "IncMinor",
    "IncMajor",
    "SetPrerelease",
    "SetMetadata",
    "LessThan",
    "LessThanEqual",
    "GreaterThan",
    "GreaterThanEqual",
    "Equal",
    "Compare",
];

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.0;
        Some(match name {
            // Go's uint64 prints like an int.
            "Major" => Value::Int(v.major as i64),
            "Minor" => Value::Int(v.minor as i64),
            "Patch" => Value::Int(v.patch as i64),
            "Prerelease" => Value::string(v.pre.clone()),
            "Metadata" => Value::string(v.metadata.clone()),
            "Original" => Value::string(v.original.clone()),
            "String" => Value::string(v.to_go_string()),
            "IncPatch" => {
                let mut n = v.clone();
                if n.pre.is_empty() {
                    n.patch += 1;
                }
                n.pre.clear();
                n.metadata.clear();
                VersionObject::value(n.with_original())
            }
            "IncMinor" => {
                let mut n = v.clone();
                n.pre.clear();
                n.metadata.clear();
                n.patch = 0;
                n.minor += 1;
                VersionObject::value(n.with_original())
            }
            "IncMajor" => {
                let mut n = v.clone();
                n.pre.clear();
                n.metadata.clear();
                n.patch = 0;
                n.minor = 0;
                n.major += 1;
                VersionObject::value(n.with_original())
            }
            _ => return None,
        })
    }

    fn has_method(&self, name: &str) -> bool {
        METHODS.contains(&name)
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let v = &self.0;
        let cmp = |args: &[Value]| other_version(args).map(|o| v.compare(&o));
        Some(match name {
            "LessThan" => cmp(args).map(|c| Value::Bool(c == Ordering::Less)),
            "LessThanEqual" => cmp(args).map(|c| Value::Bool(c != Ordering::Greater)),
            "GreaterThan" => cmp(args).map(|c| Value::Bool(c == Ordering::Greater)),
            "GreaterThanEqual" => cmp(args).map(|c| Value::Bool(c != Ordering::Less)),
            "Equal" => cmp(args).map(|c| Value::Bool(c == Ordering::Equal)),
            "Compare" => cmp(args).map(|c| Value::Int(c as i64)),
            "SetPrerelease" => str_arg(args).and_then(|p| {
                if !p.is_empty() {
                    for part in p.split('.') {
                        let digits = part.bytes().all(|b| b.is_ascii_digit());
                        if digits && part.len() > 1 && part.starts_with('0') {
                            return Err("version segment starts with 0".to_string());
                        }
                        if !digits && !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        {
                            return Err("invalid prerelease string".to_string());
                        }
                    }
                }
                let mut n = v.clone();
                n.pre = p;
                Ok(VersionObject::value(n.with_original()))
            }),
            "SetMetadata" => str_arg(args).and_then(|p| {
                if !p.is_empty()
                    && !p
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                {
                    return Err("invalid build string".to_string());
                }
                let mut n = v.clone();
                n.metadata = p;
                Ok(VersionObject::value(n.with_original()))
            }),
            other => match self.field(other) {
                Some(v) if args.is_empty() => Ok(v),
                Some(_) => Err(format!(
                    "wrong number of args for {other}: want 0 got {}",
                    args.len()
                )),
                None => return None,
            },
        })
    }

    fn to_plain(&self) -> Value {
        // MarshalJSON: the version string.
        Value::string(self.0.to_go_string())
    }

    fn go_string(&self) -> String {
        self.0.to_go_string()
    }

    fn stringer(&self) -> Option<String> {
        Some(self.0.to_go_string())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
