//! Helm's Chart.yaml rules (`rules.Chartfile`), in Helm's order.

use chartroom_chart::Metadata;
use chartroom_template::fmt::quote;
use chartroom_template::Value;
use chartroom_yaml::GoVal;

use super::govalidator::{is_email, is_request_url, is_url};
use super::{Linter, Sev};

const FILE: &str = "Chart.yaml";

/// Go's `%T` of a value sigs.k8s.io/yaml decoded into `interface{}`.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Nil => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) | Value::Int64(_) | Value::Float(_) => "float64",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(..) => "[]interface {}",
        _ => "map[string]interface {}",
    }
}

fn check_string_type(raw: &Value, key: &str) -> Result<(), String> {
    let Value::Map(m, _) = raw else {
        return Ok(());
    };
    match m.borrow().get(key) {
        None => Ok(()),
        Some(Value::String(_)) => Ok(()),
        Some(v) => Err(format!(
            "{key} should be of type string but it's of type {}",
            go_type(v)
        )),
    }
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

fn known(fields: &[&str], key: &str) -> bool {
    fields.iter().any(|f| f.eq_ignore_ascii_case(key))
}

/// A YAML map as encoding/json walks it: string keys, later duplicates winning, sorted.
fn sorted_entries(entries: &[(GoVal, GoVal)]) -> Vec<(String, &GoVal)> {
    let mut m = std::collections::BTreeMap::new();
    for (k, v) in entries {
        m.insert(
            chartroom_yaml::go_scalar_as_string(k).unwrap_or_default(),
            v,
        );
    }
    m.into_iter().collect()
}

/// The first unknown field in encoding/json's order (`DisallowUnknownFields`).
fn unknown_field(doc: &GoVal) -> Option<String> {
    let GoVal::Map(entries) = doc else {
        return None;
    };
    for (key, v) in sorted_entries(entries) {
        if !known(METADATA_FIELDS, &key) {
            return Some(key);
        }
        let nested = if key.eq_ignore_ascii_case("maintainers") {
            MAINTAINER_FIELDS
        } else if key.eq_ignore_ascii_case("dependencies") {
            DEPENDENCY_FIELDS
        } else {
            continue;
        };
        if let GoVal::Seq(items) = v {
            for item in items {
                if let GoVal::Map(e) = item {
                    if let Some((k, _)) = sorted_entries(e)
                        .into_iter()
                        .find(|(k, _)| !known(nested, k))
                    {
                        return Some(k);
                    }
                }
            }
        }
    }
    None
}

/// The 1-based line of each key of a top-level block mapping, in order; `None` when the
/// document is not one this simple reading understands (flow or complex keys).
fn top_level_key_lines(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t.is_empty()
            || t.starts_with([' ', '\t', '#'])
            || t == "---"
            || t.starts_with("--- ")
            || t == "..."
        {
            continue;
        }
        if t.starts_with(['-', '?', '{', '[', '&', '*', '!', '|', '>']) {
            return None;
        }
        let key_end = match t.as_bytes()[0] {
            q @ (b'"' | b'\'') => t[1..].find(q as char).map(|j| j + 2)?,
            _ => 0,
        };
        let rest = &t[key_end..];
        let colon = rest
            .find(": ")
            .or_else(|| rest.ends_with(':').then(|| rest.len() - 1));
        colon?;
        out.push(i + 1);
    }
    Some(out)
}

/// yaml.v2's strict-mode error for keys repeated in the top-level mapping (`line N: key
/// "name" already set in map`, one line per repeat); nested mappings are not searched.
fn duplicate_keys(text: &str, doc: &GoVal) -> Option<String> {
    let GoVal::Map(entries) = doc else {
        return None;
    };
    let repeats: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[..i].iter().any(|(k, _)| *k == entries[i].0))
        .collect();
    if repeats.is_empty() {
        return None;
    }
    let lines = top_level_key_lines(text)?;
    if lines.len() != entries.len() {
        return None;
    }
    let mut msg = String::from("error converting YAML to JSON: yaml: unmarshal errors:");
    for i in repeats {
        let key = match &entries[i].0 {
            GoVal::Str(s) => quote(s),
            other => chartroom_yaml::go_scalar_as_string(other).unwrap_or_default(),
        };
        msg.push_str(&format!(
            "\n  line {}: key {key} already set in map",
            lines[i]
        ));
    }
    Some(msg)
}

/// `chartutil.StrictLoadChartfile`'s error, if any: keys repeated in the top-level mapping,
/// else the first unknown field.
fn strict_error(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    let doc = chartroom_yaml::from_yaml_go(&text).ok()??;
    if let Some(e) = duplicate_keys(&text, &doc) {
        return Some(e);
    }
    unknown_field(&doc).map(|k| {
        format!(
            "error unmarshaling JSON: while decoding JSON: json: unknown field {}",
            quote(&k)
        )
    })
}

/// Masterminds `StrictNewVersion` accepts `v` (SemVer 2.0.0, no `v` prefix).
fn strict_semver(v: &str) -> bool {
    let parts: Vec<&str> = v.splitn(3, '.').collect();
    if v.is_empty() || parts.len() != 3 {
        return false;
    }
    let mut last = parts[2];
    let ident_ok = |s: &str| s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if let Some((rest, meta)) = last.split_once('+') {
        if !meta.split('.').all(ident_ok) {
            return false;
        }
        last = rest;
    }
    if let Some((rest, pre)) = last.split_once('-') {
        for seg in pre.split('.') {
            let numeric = seg.bytes().all(|c| c.is_ascii_digit());
            if numeric && seg.len() > 1 && seg.starts_with('0') {
                return false;
            }
            if !ident_ok(seg) {
                return false;
            }
        }
        last = rest;
    }
    [parts[0], parts[1], last].iter().all(|p| {
        p.bytes().all(|c| c.is_ascii_digit())
            && !(p.len() > 1 && p.starts_with('0'))
            && p.parse::<u64>().is_ok()
    })
}

fn validate_name(md: &Metadata) -> Result<(), String> {
    if md.name.is_empty() {
        return Err("name is required".into());
    }
    let base = chartroom_funcs::go_path::base(&md.name);
    if base != md.name {
        return Err(format!("chart name {} is invalid", quote(&md.name)));
    }
    Ok(())
}

fn validate_api_version(md: &Metadata) -> Result<(), String> {
    match md.api_version.as_str() {
        "" => Err("apiVersion is required. The value must be either \"v1\" or \"v2\"".into()),
        "v1" | "v2" => Ok(()),
        other => Err(format!(
            "apiVersion '{other}' is not valid. The value must be either \"v1\" or \"v2\""
        )),
    }
}

fn validate_version(md: &Metadata) -> Result<(), String> {
    if md.version.is_empty() {
        return Err("version is required".into());
    }
    if !chartroom_chart::semver::is_valid_version(&md.version) {
        return Err(format!("version '{}' is not a valid SemVer", md.version));
    }
    Ok(())
}

fn validate_maintainers(md: &Metadata, raw: &Value) -> Result<(), String> {
    let raw_items = match raw {
        Value::Map(m, _) => match m.borrow().get("maintainers") {
            Some(Value::List(l, _)) => l.to_vec(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let mut decoded = md.maintainers.iter();
    let count = raw_items.len().max(md.maintainers.len());
    for i in 0..count {
        if matches!(raw_items.get(i), Some(Value::Nil)) {
            return Err("a maintainer entry is empty".into());
        }
        let Some(m) = decoded.next() else {
            break;
        };
        if m.name.is_empty() {
            return Err("each maintainer requires a name".into());
        } else if !m.email.is_empty() && !is_email(&m.email) {
            return Err(format!(
                "invalid email '{}' for maintainer '{}'",
                m.email, m.name
            ));
        } else if !m.url.is_empty() && !is_url(&m.url) {
            return Err(format!(
                "invalid url '{}' for maintainer '{}'",
                m.url, m.name
            ));
        }
    }
    Ok(())
}

/// Runs the Chart.yaml rules. `data` is the file (`None`: a directory named Chart.yaml);
/// `chart_dir` the path Helm names the chart directory by.
pub(crate) fn lint(l: &mut Linter, data: Option<&[u8]>, chart_dir: &str) {
    let Some(data) = data else {
        l.add(Sev::Error, FILE, "should be a file, not a directory".into());
        l.add(
            Sev::Error,
            FILE,
            format!("unable to parse YAML\n\tread {chart_dir}/Chart.yaml: is a directory"),
        );
        return;
    };
    let md = match chartroom_chart::chart::parse_chartfile(data) {
        Ok(md) => md,
        Err(e) => {
            l.add(Sev::Error, FILE, format!("unable to parse YAML\n\t{e}"));
            return;
        }
    };
    if let Some(e) = strict_error(data) {
        l.add(
            Sev::Warning,
            FILE,
            format!("failed to strictly parse chart metadata file\n\t{e}"),
        );
    }
    let raw = chartroom_yaml::from_yaml(&String::from_utf8_lossy(data)).unwrap_or(Value::Nil);
    let mut rule = |sev: Sev, r: Result<(), String>| {
        if let Err(e) = r {
            l.add(sev, FILE, e);
        }
    };
    rule(Sev::Error, validate_name(&md));
    rule(Sev::Error, validate_api_version(&md));
    rule(Sev::Error, check_string_type(&raw, "version"));
    rule(Sev::Error, validate_version(&md));
    rule(Sev::Error, check_string_type(&raw, "appVersion"));
    rule(Sev::Error, validate_maintainers(&md, &raw));
    rule(
        Sev::Error,
        match md
            .sources
            .iter()
            .find(|s| s.is_empty() || !is_request_url(s))
        {
            Some(s) => Err(format!("invalid source URL '{s}'")),
            None => Ok(()),
        },
    );
    rule(
        Sev::Info,
        if md.icon.is_empty() {
            Err("icon is recommended".into())
        } else {
            Ok(())
        },
    );
    rule(
        Sev::Error,
        if !md.icon.is_empty() && !is_request_url(&md.icon) {
            Err(format!("invalid icon URL '{}'", md.icon))
        } else {
            Ok(())
        },
    );
    rule(
        Sev::Error,
        if !md.chart_type.is_empty() && md.api_version != "v2" {
            Err(format!(
                "chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'",
                md.api_version
            ))
        } else {
            Ok(())
        },
    );
    rule(
        Sev::Error,
        if !md.dependencies.is_empty() && md.api_version != "v2" {
            Err(format!(
                "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
                md.api_version
            ))
        } else {
            Ok(())
        },
    );
    rule(
        Sev::Warning,
        if strict_semver(&md.version) {
            Ok(())
        } else {
            Err(format!("version '{}' is not a valid SemVerV2", md.version))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_versions() {
        assert!(strict_semver("1.0.0"));
        assert!(strict_semver("1.0.0-alpha.1+b.5"));
        assert!(!strict_semver("v1.0.0"));
        assert!(!strict_semver("1.0"));
        assert!(!strict_semver("01.0.0"));
        assert!(!strict_semver("1.0.0-01"));
    }

    #[test]
    fn duplicate_top_level_keys() {
        // helm lint 4.3.1 on this Chart.yaml: [WARNING] Chart.yaml: failed to strictly parse
        // chart metadata file, then this text.
        let text = "apiVersion: v2\nname: x\n# c\nversion: 1.0.0\n\"name\": y\nicon: https://a.b/c.png\nversion: 2.0.0\nfoo: 1\n";
        assert_eq!(
            strict_error(text.as_bytes()).as_deref(),
            Some("error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key \"name\" already set in map\n  line 7: key \"version\" already set in map")
        );
    }

    #[test]
    fn unknown_fields_in_json_order() {
        let doc = chartroom_yaml::from_yaml_go("name: x\nzeta: 1\nengine: gotpl\n")
            .unwrap()
            .unwrap();
        assert_eq!(unknown_field(&doc).as_deref(), Some("engine"));
        let doc = chartroom_yaml::from_yaml_go("Name: x\ndependencies:\n- name: a\n  foo: 1\n")
            .unwrap()
            .unwrap();
        assert_eq!(unknown_field(&doc).as_deref(), Some("foo"));
    }
}
