//! `Chart.yaml` (and v1 `requirements.yaml`) decoded the way Helm does it: sigs.k8s.io/yaml
//! turns YAML into JSON, converting scalars to strings where the Go field is a string, then
//! `encoding/json` fills Helm's `Metadata` struct (case-insensitive keys, Go's type errors).

use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_template::{ElemKind, Map, Tag, Value};
use chartroom_yaml::json_kind;

/// A chart maintainer (`maintainers:` entry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One `dependencies:` entry of Chart.yaml (or requirements.yaml for apiVersion v1).
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Raw `import-values` entries; after dependency processing each is a
    /// `{child, parent}` string map, as Helm rewrites them.
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Helm's `chart.Metadata`.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// `None` is Go's nil map (no `annotations:` key, or `annotations: null`).
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    /// `type:` (application or library; empty means application).
    pub chart_type: String,
    /// Whether `dependencies:` is a non-null list (Go's non-nil slice): Helm only processes
    /// conditions, aliases and import-values of charts that declare dependencies.
    pub dependencies_declared: bool,
    null_maintainer: bool,
    null_dependency: bool,
}

/// A decoding error with Go's `encoding/json` text (without Helm's prefixes).
fn type_error(json_kind: &str, path: &[String], go_type: &str) -> String {
    let joined: String = path.iter().map(|p| format!(".{p}")).collect();
    let in_slice = path
        .last()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if path.is_empty() {
        format!("json: cannot unmarshal {json_kind} into Go value of type {go_type}")
    } else if in_slice {
        format!("json: cannot unmarshal {json_kind} into {joined} of type {go_type}")
    } else {
        format!(
            "json: cannot unmarshal {json_kind} into Go struct field {joined} of type {go_type}"
        )
    }
}

/// sigs.k8s.io/yaml's conversion of a scalar landing in a Go string field, for the typed
/// reader's values (YAML ints are `Int64`, see `yaml_read::parse_yaml_typed`); the rule
/// itself is `chartroom_yaml::go_scalar_as_string`.
pub(crate) fn yaml_scalar_to_string(v: &Value) -> Option<String> {
    use chartroom_yaml::GoVal;
    let go = match v {
        Value::String(s) => GoVal::Str(s.to_string()),
        Value::Bool(b) => GoVal::Bool(*b),
        Value::Int(i) | Value::Int64(i) => GoVal::Int(*i),
        Value::Float(f) => GoVal::Float(*f),
        _ => return None,
    };
    chartroom_yaml::go_scalar_as_string(&go)
}

/// Finds a JSON object key the way encoding/json matches struct fields: exact first, then
/// case-insensitively.
fn lookup<'a>(m: &'a Map, key: &str) -> Option<&'a Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

struct Dec {
    path: Vec<String>,
}

impl Dec {
    fn err(&self, v: &Value, go_type: &str) -> String {
        type_error(json_kind(v), &self.path, go_type)
    }

    fn with<T>(
        &mut self,
        seg: &str,
        f: impl FnOnce(&mut Dec) -> Result<T, String>,
    ) -> Result<T, String> {
        self.path.push(seg.to_string());
        let r = f(self);
        self.path.pop();
        r
    }

    fn string(&mut self, v: &Value, target: &mut String) -> Result<(), String> {
        match v {
            Value::Nil => Ok(()),
            Value::List(..) | Value::Map(..) | Value::Object(_) => Err(self.err(v, "string")),
            other => {
                *target = yaml_scalar_to_string(other).unwrap_or_default();
                Ok(())
            }
        }
    }

    fn boolean(&mut self, v: &Value, target: &mut bool) -> Result<(), String> {
        match v {
            Value::Nil => Ok(()),
            Value::Bool(b) => {
                *target = *b;
                Ok(())
            }
            _ => Err(self.err(v, "bool")),
        }
    }

    fn strings(&mut self, v: &Value, target: &mut Vec<String>) -> Result<(), String> {
        match v {
            Value::Nil => {
                target.clear();
                Ok(())
            }
            Value::List(items, _) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let mut s = String::new();
                    self.with(&i.to_string(), |d| d.string(item, &mut s))?;
                    out.push(s);
                }
                *target = out;
                Ok(())
            }
            _ => Err(self.err(v, "[]string")),
        }
    }

    /// A `map[string]string` field: `null` makes it nil (`None`); a mapping adds its
    /// entries to the map (making one if it was nil), as encoding/json does.
    fn opt_string_map(
        &mut self,
        v: &Value,
        target: &mut Option<BTreeMap<String, String>>,
    ) -> Result<(), String> {
        match v {
            Value::Nil => {
                *target = None;
                Ok(())
            }
            Value::Map(m, _) => {
                let target = target.get_or_insert_with(BTreeMap::new);
                for (k, item) in m.borrow().iter() {
                    let mut s = String::new();
                    self.with(k, |d| d.string(item, &mut s))?;
                    target.insert(k.clone(), s);
                }
                Ok(())
            }
            _ => Err(self.err(v, "map[string]string")),
        }
    }
}

impl Metadata {
    /// Decodes Chart.yaml content (already parsed YAML) into a fresh `Metadata`.
    /// `go_type` names the Go type in whole-document errors (`v2.Metadata`).
    pub fn from_value(v: &Value) -> Result<Metadata, String> {
        let mut md = Metadata::default();
        md.apply(v, "v2.Metadata")?;
        Ok(md)
    }

    /// Unmarshals `v` over this metadata (fields present in `v` replace existing ones), as
    /// `yaml.Unmarshal(data, c.Metadata)` does for requirements.yaml.
    pub fn apply(&mut self, v: &Value, go_type: &str) -> Result<(), String> {
        let mut d = Dec { path: Vec::new() };
        let m = match v {
            Value::Nil => return Ok(()),
            Value::Map(m, _) => m.borrow().clone(),
            other => return Err(type_error(json_kind(other), &[], go_type)),
        };
        macro_rules! field {
            ($key:literal, $f:ident, $method:ident) => {
                if let Some(x) = lookup(&m, $key) {
                    d.with($key, |d| d.$method(x, &mut self.$f))?;
                }
            };
        }
        field!("name", name, string);
        field!("home", home, string);
        field!("sources", sources, strings);
        field!("version", version, string);
        field!("description", description, string);
        field!("keywords", keywords, strings);
        if let Some(x) = lookup(&m, "maintainers") {
            d.with("maintainers", |d| self.decode_maintainers(d, x))?;
        }
        field!("icon", icon, string);
        field!("apiVersion", api_version, string);
        field!("condition", condition, string);
        field!("tags", tags, string);
        field!("appVersion", app_version, string);
        field!("deprecated", deprecated, boolean);
        field!("annotations", annotations, opt_string_map);
        field!("kubeVersion", kube_version, string);
        if let Some(x) = lookup(&m, "dependencies") {
            d.with("dependencies", |d| self.decode_dependencies(d, x))?;
        }
        field!("type", chart_type, string);
        Ok(())
    }

    fn decode_maintainers(&mut self, d: &mut Dec, v: &Value) -> Result<(), String> {
        self.null_maintainer = false;
        match v {
            Value::Nil => {
                self.maintainers.clear();
                Ok(())
            }
            Value::List(items, _) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    d.with(&i.to_string(), |d| match item {
                        Value::Nil => {
                            self.null_maintainer = true;
                            Ok(())
                        }
                        Value::Map(mm, _) => {
                            let mm = mm.borrow();
                            let mut mt = Maintainer::default();
                            for (k, f) in [
                                ("name", &mut mt.name),
                                ("email", &mut mt.email),
                                ("url", &mut mt.url),
                            ] {
                                if let Some(x) = lookup(&mm, k) {
                                    d.with(k, |d| d.string(x, f))?;
                                }
                            }
                            out.push(mt);
                            Ok(())
                        }
                        other => Err(d.err(other, "v2.Maintainer")),
                    })?;
                }
                self.maintainers = out;
                Ok(())
            }
            other => Err(d.err(other, "[]*v2.Maintainer")),
        }
    }

    fn decode_dependencies(&mut self, d: &mut Dec, v: &Value) -> Result<(), String> {
        self.null_dependency = false;
        self.dependencies_declared = matches!(v, Value::List(..));
        match v {
            Value::Nil => {
                self.dependencies.clear();
                Ok(())
            }
            Value::List(items, _) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    d.with(&i.to_string(), |d| match item {
                        Value::Nil => {
                            self.null_dependency = true;
                            Ok(())
                        }
                        Value::Map(mm, _) => {
                            let mm = mm.borrow();
                            let mut dep = Dependency::default();
                            for (k, f) in [
                                ("name", &mut dep.name),
                                ("version", &mut dep.version),
                                ("repository", &mut dep.repository),
                                ("condition", &mut dep.condition),
                                ("alias", &mut dep.alias),
                            ] {
                                if let Some(x) = lookup(&mm, k) {
                                    d.with(k, |d| d.string(x, f))?;
                                }
                            }
                            if let Some(x) = lookup(&mm, "tags") {
                                d.with("tags", |d| d.strings(x, &mut dep.tags))?;
                            }
                            if let Some(x) = lookup(&mm, "enabled") {
                                d.with("enabled", |d| d.boolean(x, &mut dep.enabled))?;
                            }
                            if let Some(x) = lookup(&mm, "import-values") {
                                d.with("import-values", |d| match x {
                                    Value::Nil => Ok(()),
                                    Value::List(l, _) => {
                                        dep.import_values = l.iter().cloned().collect();
                                        Ok(())
                                    }
                                    other => Err(d.err(other, "[]interface {}")),
                                })?;
                            }
                            out.push(dep);
                            Ok(())
                        }
                        other => Err(d.err(other, "v2.Dependency")),
                    })?;
                }
                self.dependencies = out;
                Ok(())
            }
            other => Err(d.err(other, "[]*v2.Dependency")),
        }
    }

    /// Helm's `Metadata.Validate` (which also sanitizes strings in place). Returns the message
    /// after `validation: `.
    pub fn validate(&mut self) -> Result<(), String> {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        if self.api_version.is_empty() {
            return Err("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return Err("chart.metadata.name is required".into());
        }
        if self.name != go_base(&self.name) {
            return Err(format!(
                "chart.metadata.name {} is invalid",
                chartroom_template::fmt::quote(&self.name)
            ));
        }
        if self.version.is_empty() {
            return Err("chart.metadata.version is required".into());
        }
        if !crate::semver::is_valid_version(&self.version) {
            return Err(format!(
                "chart.metadata.version {} is invalid",
                chartroom_template::fmt::quote(&self.version)
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err("chart.metadata.type must be application or library".into());
        }
        if self.null_maintainer {
            return Err("maintainers must not contain empty or null nodes".into());
        }
        for m in &mut self.maintainers {
            m.name = sanitize(&m.name);
            m.email = sanitize(&m.email);
            m.url = sanitize(&m.url);
        }
        if self.null_dependency {
            return Err("dependencies must not contain empty or null nodes".into());
        }
        let mut seen = std::collections::HashSet::new();
        for dep in &mut self.dependencies {
            for s in [
                &mut dep.name,
                &mut dep.version,
                &mut dep.repository,
                &mut dep.condition,
                &mut dep.alias,
            ] {
                *s = sanitize(s);
            }
            for t in &mut dep.tags {
                *t = sanitize(t);
            }
            if !dep.alias.is_empty()
                && !dep
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "dependency {} has disallowed characters in the alias",
                    chartroom_template::fmt::quote(&dep.name)
                ));
            }
            let key = if dep.alias.is_empty() {
                dep.name.clone()
            } else {
                dep.alias.clone()
            };
            if !seen.insert(key.clone()) {
                return Err(format!(
                    "more than one dependency with name or alias {}",
                    chartroom_template::fmt::quote(&key)
                ));
            }
        }
        Ok(())
    }

    /// `.Chart` as Helm 4 exposes it to templates: a `map[string]interface{}` keyed by the Go
    /// field names, nil slices as empty lists (checked against helm 4.3.1 with `%T`/`toJson`).
    pub fn to_value(&self, is_root: bool) -> Value {
        let mut m = Map::new();
        let s = |x: &str| Value::str(x);
        let strs = |v: &[String]| Value::list(v.iter().map(|x| Value::str(x)).collect());
        m.insert("APIVersion".into(), s(&self.api_version));
        // A map[string]string, nil without annotations (`toJson` prints `null`).
        let annotations = self.annotations.as_ref();
        m.insert(
            "Annotations".into(),
            Value::Map(
                Rc::new(std::cell::RefCell::new(
                    annotations
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| (k.clone(), Value::str(v)))
                        .collect(),
                )),
                Tag {
                    elem: ElemKind::String,
                    nil: annotations.is_none(),
                },
            ),
        );
        m.insert("AppVersion".into(), s(&self.app_version));
        m.insert("Condition".into(), s(&self.condition));
        m.insert(
            "Dependencies".into(),
            Value::list(self.dependencies.iter().map(|d| d.to_value()).collect()),
        );
        m.insert("Deprecated".into(), Value::Bool(self.deprecated));
        m.insert("Description".into(), s(&self.description));
        m.insert("Home".into(), s(&self.home));
        m.insert("Icon".into(), s(&self.icon));
        m.insert("IsRoot".into(), Value::Bool(is_root));
        m.insert("Keywords".into(), strs(&self.keywords));
        m.insert("KubeVersion".into(), s(&self.kube_version));
        m.insert(
            "Maintainers".into(),
            Value::list(
                self.maintainers
                    .iter()
                    .map(|mt| {
                        let mut mm = Map::new();
                        mm.insert("Email".into(), s(&mt.email));
                        mm.insert("Name".into(), s(&mt.name));
                        mm.insert("URL".into(), s(&mt.url));
                        Value::map(mm)
                    })
                    .collect(),
            ),
        );
        m.insert("Name".into(), s(&self.name));
        m.insert("Sources".into(), strs(&self.sources));
        m.insert("Tags".into(), s(&self.tags));
        m.insert("Type".into(), s(&self.chart_type));
        m.insert("Version".into(), s(&self.version));
        Value::map(m)
    }
}

impl Dependency {
    /// The dependency as a `.Chart.Dependencies` entry (Go field names).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("Alias".into(), Value::str(&self.alias));
        m.insert("Condition".into(), Value::str(&self.condition));
        m.insert("Enabled".into(), Value::Bool(self.enabled));
        m.insert(
            "ImportValues".into(),
            Value::list(self.import_values.to_vec()),
        );
        m.insert("Name".into(), Value::str(&self.name));
        m.insert("Repository".into(), Value::str(&self.repository));
        m.insert(
            "Tags".into(),
            Value::list(self.tags.iter().map(|t| Value::str(t)).collect()),
        );
        m.insert("Version".into(), Value::str(&self.version));
        Value::map(m)
    }
}

/// Helm's `sanitizeString`: whitespace becomes a space, non-printable characters are dropped.
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() || is_format_char(c) {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

fn is_format_char(c: char) -> bool {
    matches!(c as u32, 0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB)
}

/// Go's `filepath.Base` on a Unix path (one home: `chartroom_funcs::go_path`).
pub(crate) use chartroom_funcs::go_path::base as go_base;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_strings_match_go() {
        assert_eq!(
            yaml_scalar_to_string(&Value::Float(2021.1)).unwrap(),
            "2021.1"
        );
        assert_eq!(
            yaml_scalar_to_string(&Value::Float(1000.0)).unwrap(),
            "1000"
        );
        assert_eq!(yaml_scalar_to_string(&Value::Float(1.5)).unwrap(), "1.5");
        // A float32 tie rounds to even: helm renders `appVersion: 161832.125` as 161832.12.
        assert_eq!(
            yaml_scalar_to_string(&Value::Float(1294657.0 / 8.0)).unwrap(),
            "161832.12"
        );
        assert_eq!(
            yaml_scalar_to_string(&Value::Float(0.0001)).unwrap(),
            "0.0001"
        );
        assert_eq!(
            yaml_scalar_to_string(&Value::Float(0.00001)).unwrap(),
            "1e-05"
        );
        assert_eq!(yaml_scalar_to_string(&Value::Bool(true)).unwrap(), "true");
    }

    #[test]
    fn errors_name_the_go_path() {
        assert_eq!(
            type_error("string", &["keywords".into()], "[]string"),
            "json: cannot unmarshal string into Go struct field .keywords of type []string"
        );
        assert_eq!(
            type_error("array", &["keywords".into(), "0".into()], "string"),
            "json: cannot unmarshal array into .keywords.0 of type string"
        );
    }

    #[test]
    fn sanitizes_whitespace() {
        assert_eq!(sanitize("multi\nline\ttab\n"), "multi line tab ");
    }
}
