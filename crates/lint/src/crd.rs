//! Custom resource schemas from CustomResourceDefinitions (`apiextensions.k8s.io/v1`): each
//! served version's `openAPIV3Schema` converted into the validator's node form, so custom
//! resources go through the same validator as built-in kinds.
//!
//! Converted: `type`, `nullable` (adds null), `enum`, `required`, `properties`,
//! `additionalProperties` (boolean or schema), `items`, `allOf`/`anyOf`/`oneOf`, `format`
//! (an annotation, checked only with [`crate::Options::formats`]),
//! `x-kubernetes-int-or-string` (integer or string), `x-kubernetes-preserve-unknown-fields`
//! and `x-kubernetes-embedded-resource` (the object stays open), and the value constraints
//! `minimum`/`maximum` (with boolean `exclusiveMinimum`/`exclusiveMaximum`),
//! `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`, `pattern`
//! (Rust `regex`, close to the API server's RE2; a pattern it cannot compile is not checked). Objects are otherwise open
//! in normal mode (the API server prunes unknown fields of a structural schema silently) and
//! closed in strict mode (server-side strict field validation, `kubectl --validate=strict`,
//! rejects them). Not checked: `multipleOf`, `uniqueItems`, `not`, CEL rules
//! (`x-kubernetes-validations`), list-type uniqueness;
//! `metadata` is any object (the API server checks it as ObjectMeta).

use std::collections::HashMap;

use chartroom_template::{Map, Value};

use crate::pack::{lit, ty, Additional, Limits, Node, NodeId, SchemaPack};

/// Nesting limit of a converted schema.
const MAX_SCHEMA_DEPTH: usize = 128;

/// Schemas and scopes of the custom resources some CRDs define.
#[derive(Debug, Clone)]
pub struct CrdSchemas {
    nodes: SchemaPack,
    /// (`group/version`, kind) → root node.
    kinds: HashMap<(String, String), NodeId>,
    /// (group, kind) → namespaced.
    scopes: HashMap<(String, String), bool>,
    /// Compiled `pattern`s (`None`: not a pattern the `regex` crate compiles): CRD bundles
    /// repeat the same patterns in every version and many types, and compiling is costly.
    patterns: HashMap<String, Option<regex::Regex>>,
}

impl Default for CrdSchemas {
    fn default() -> CrdSchemas {
        CrdSchemas {
            nodes: SchemaPack::from_nodes("", Vec::new()),
            kinds: HashMap::new(),
            scopes: HashMap::new(),
            patterns: HashMap::new(),
        }
    }
}

fn get<'a>(m: &'a Map, key: &str) -> Option<&'a Value> {
    m.get(key)
}

fn get_map(v: Option<&Value>) -> Option<Map> {
    match v {
        Some(Value::Map(m, _)) => Some(m.borrow().clone()),
        _ => None,
    }
}

fn get_str(m: &Map, key: &str) -> Option<String> {
    get(m, key).and_then(Value::as_str).map(str::to_string)
}

impl CrdSchemas {
    /// Whether no CRD was added.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty() && self.scopes.is_empty()
    }

    /// Adds a document if it is an `apiextensions.k8s.io/v1` CustomResourceDefinition:
    /// `Ok(versions added)` (0 for any other document), or an error naming what in the CRD
    /// could not be converted (its other versions are still added).
    pub fn add(&mut self, doc: &Value) -> Result<usize, String> {
        self.add_if(doc, |_, _| true)
    }

    /// [`CrdSchemas::add`], converting the schemas only when `wanted(group, kind)` (a
    /// document of that kind is in the input); the scope is recorded either way. Converting
    /// is most of the cost of a CRD bundle, and most charts ship CRDs without resources.
    pub fn add_if(
        &mut self,
        doc: &Value,
        wanted: impl Fn(&str, &str) -> bool,
    ) -> Result<usize, String> {
        let Value::Map(m, _) = doc else {
            return Ok(0);
        };
        let m = m.borrow();
        if get_str(&m, "kind").as_deref() != Some("CustomResourceDefinition")
            || get_str(&m, "apiVersion").as_deref() != Some("apiextensions.k8s.io/v1")
        {
            return Ok(0);
        }
        let Some(spec) = get_map(get(&m, "spec")) else {
            return Err("CustomResourceDefinition without spec".into());
        };
        let group = get_str(&spec, "group").unwrap_or_default();
        let Some(kind) = get_map(get(&spec, "names")).and_then(|n| get_str(&n, "kind")) else {
            return Err("CustomResourceDefinition without spec.names.kind".into());
        };
        let namespaced = get_str(&spec, "scope").as_deref() != Some("Cluster");
        self.scopes
            .insert((group.clone(), kind.clone()), namespaced);
        if !wanted(&group, &kind) {
            return Ok(0);
        }
        let Some(Value::List(versions, _)) = get(&spec, "versions") else {
            return Ok(0);
        };
        let mut added = 0;
        let mut problems = Vec::new();
        for version in versions.iter() {
            let Some(v) = get_map(Some(version)) else {
                continue;
            };
            let Some(name) = get_str(&v, "name") else {
                continue;
            };
            if matches!(get(&v, "served"), Some(Value::Bool(false))) {
                continue;
            }
            let Some(schema) =
                get_map(get(&v, "schema")).and_then(|s| get(&s, "openAPIV3Schema").cloned())
            else {
                continue;
            };
            let api_version = if group.is_empty() {
                name.clone()
            } else {
                format!("{group}/{name}")
            };
            match self.compile(&schema, 0, true) {
                Ok(root) => {
                    self.kinds.insert((api_version, kind.clone()), root);
                    added += 1;
                }
                Err(e) => problems.push(format!("version {name}: {e}")),
            }
        }
        if problems.is_empty() {
            Ok(added)
        } else {
            Err(problems.join("; "))
        }
    }

    /// The schema of a custom resource's apiVersion and kind, if a CRD defined one.
    pub(crate) fn schema(&self, api_version: &str, kind: &str) -> Option<NodeId> {
        self.kinds
            .get(&(api_version.to_string(), kind.to_string()))
            .copied()
    }

    /// Whether a custom resource kind of `group` is namespaced, if a CRD says.
    pub fn namespaced(&self, group: &str, kind: &str) -> Option<bool> {
        self.scopes
            .get(&(group.to_string(), kind.to_string()))
            .copied()
    }

    /// Whether a CRD defined a schema for this apiVersion and kind.
    pub fn has_schema(&self, api_version: &str, kind: &str) -> bool {
        self.schema(api_version, kind).is_some()
    }

    pub(crate) fn pack(&self) -> &SchemaPack {
        &self.nodes
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.nodes.push(node);
        self.nodes.nodes.len() - 1
    }

    fn compile(&mut self, v: &Value, depth: usize, root: bool) -> Result<NodeId, String> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(format!("schema nested deeper than {MAX_SCHEMA_DEPTH}"));
        }
        let Value::Map(m, _) = v else {
            return Err("a schema is not an object".into());
        };
        let m = m.borrow();
        let mut node = Node::empty();
        let flag = |key: &str| matches!(get(&m, key), Some(Value::Bool(true)));
        let mut open =
            flag("x-kubernetes-preserve-unknown-fields") || flag("x-kubernetes-embedded-resource");
        let mut bits = match get(&m, "type") {
            None => None,
            Some(Value::String(s)) => Some(
                ty::from_name(s.as_str_lossy())
                    .ok_or_else(|| format!("unknown type {:?}", s.as_str_lossy()))?,
            ),
            Some(_) => return Err("type is not a string".into()),
        };
        if flag("x-kubernetes-int-or-string") {
            bits = Some(ty::INTEGER | ty::STRING);
        }
        if let (Some(b), true) = (bits.as_mut(), flag("nullable")) {
            *b |= ty::NULL;
        }
        node.types = bits;
        if let Some(Value::List(items, _)) = get(&m, "enum") {
            let mut lits: Vec<_> = items.iter().map(lit).collect();
            if flag("nullable") {
                lits.push(crate::pack::Lit::Null);
            }
            node.enumeration = Some(lits);
        }
        if let Some(Value::List(items, _)) = get(&m, "required") {
            node.required = items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect();
        }
        if let Some(Value::Map(props, _)) = get(&m, "properties") {
            for (name, sub) in props.borrow().iter() {
                let id = self.compile(sub, depth + 1, false)?;
                if root && name == "metadata" {
                    // Checked by the API server as ObjectMeta, whatever the CRD says.
                    self.nodes.nodes[id].strict_closed = false;
                }
                node.properties.insert(name.clone(), id);
            }
        }
        match get(&m, "additionalProperties") {
            Some(Value::Bool(false)) => node.additional = Additional::False,
            Some(Value::Bool(true)) => open = true,
            Some(sub @ Value::Map(..)) => {
                node.additional = Additional::Schema(self.compile(sub, depth + 1, false)?);
            }
            _ => {}
        }
        match get(&m, "items") {
            Some(sub @ Value::Map(..)) => node.items = Some(self.compile(sub, depth + 1, false)?),
            Some(Value::List(subs, _)) if !subs.is_empty() => {
                node.items = Some(self.compile(&subs[0], depth + 1, false)?);
            }
            _ => {}
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::List(subs, _)) = get(&m, key) {
                let mut ids = Vec::with_capacity(subs.len());
                for sub in subs.iter() {
                    ids.push(self.compile(sub, depth + 1, false)?);
                }
                match key {
                    "allOf" => node.all_of = ids,
                    "anyOf" => node.any_of = ids,
                    _ => node.one_of = ids,
                }
            }
        }
        node.format = get_str(&m, "format");
        node.limits = limits(&m, &mut self.patterns);
        if root {
            // apiVersion, kind and metadata are always allowed at the top of a resource.
            for (field, t) in [
                ("apiVersion", ty::STRING),
                ("kind", ty::STRING),
                ("metadata", ty::OBJECT),
            ] {
                if !node.properties.contains_key(field) {
                    let mut n = Node::empty();
                    n.types = Some(t);
                    let id = self.push(n);
                    node.properties.insert(field.to_string(), id);
                }
            }
        }
        let is_object = bits.is_some_and(|b| b & ty::OBJECT != 0) || !node.properties.is_empty();
        node.strict_closed = is_object && !open && matches!(node.additional, Additional::Any);
        Ok(self.push(node))
    }
}

fn number(m: &Map, key: &str) -> Option<f64> {
    match m.get(key)? {
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn count(m: &Map, key: &str) -> Option<usize> {
    number(m, key).filter(|n| *n >= 0.0).map(|n| n as usize)
}

/// The value constraints of a CRD schema node, if it has any.
fn limits(m: &Map, patterns: &mut HashMap<String, Option<regex::Regex>>) -> Option<Box<Limits>> {
    let exclusive = |key: &str| matches!(m.get(key), Some(Value::Bool(true)));
    let pattern = m.get("pattern").and_then(Value::as_str).and_then(|p| {
        let re = patterns
            .entry(p.to_string())
            .or_insert_with(|| regex::Regex::new(p).ok());
        re.clone().map(|re| (p.to_string(), re))
    });
    let l = Limits {
        minimum: number(m, "minimum").map(|n| (n, exclusive("exclusiveMinimum"))),
        maximum: number(m, "maximum").map(|n| (n, exclusive("exclusiveMaximum"))),
        min_length: count(m, "minLength"),
        max_length: count(m, "maxLength"),
        min_items: count(m, "minItems"),
        max_items: count(m, "maxItems"),
        min_properties: count(m, "minProperties"),
        max_properties: count(m, "maxProperties"),
        pattern,
    };
    let any = l.minimum.is_some()
        || l.maximum.is_some()
        || l.min_length.is_some()
        || l.max_length.is_some()
        || l.min_items.is_some()
        || l.max_items.is_some()
        || l.min_properties.is_some()
        || l.max_properties.is_some()
        || l.pattern.is_some();
    any.then(|| Box::new(l))
}
