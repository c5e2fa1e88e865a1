//! Schema packs: the Kubernetes JSON schemas of one minor version (normal and strict at once),
//! as `scripts/pack-schemas.py` writes them, loaded into an arena of compiled nodes.
//!
//! A pack is JSON, optionally gzip-compressed:
//! `{"format": "chartroom-schema-pack/1", "kubeVersion": "1.37", "defs": {name: node},
//! "kinds": {file stem: node}}`. A delta pack names a `"base"` version and carries only the
//! `defs`/`kinds` that differ from it plus `removedDefs`/`removedKinds`; it loads with
//! [`SchemaPack::load_delta`]. A node is a JSON-schema object restricted to `type`, `enum`,
//! `required`, `properties`, `additionalProperties`, `items`, `oneOf`, `anyOf`, `allOf`,
//! `format` and `$ref` (a definition name), plus `"sc": 1` where the strict schemas add
//! `additionalProperties: false`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Read;

use chartroom_template::{Map, Value};

/// The `format` field every pack carries.
pub const PACK_FORMAT: &str = "chartroom-schema-pack/1";

/// Largest decompressed pack accepted (packs are untrusted input in the browser).
const MAX_PACK_BYTES: u64 = 64 << 20;
/// Nesting limit of a node inside one definition.
const MAX_NODE_DEPTH: usize = 128;

/// Why a pack could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError(pub String);

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema pack: {}", self.0)
    }
}

impl std::error::Error for PackError {}

fn err<T>(msg: impl Into<String>) -> Result<T, PackError> {
    Err(PackError(msg.into()))
}

/// Index of a compiled node in [`SchemaPack::nodes`].
pub(crate) type NodeId = usize;

/// JSON types a schema's `type` names, as bits.
pub(crate) mod ty {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;

    pub fn from_name(s: &str) -> Option<u8> {
        Some(match s {
            "null" => NULL,
            "boolean" => BOOLEAN,
            "integer" => INTEGER,
            "number" => NUMBER,
            "string" => STRING,
            "array" => ARRAY,
            "object" => OBJECT,
            _ => return None,
        })
    }

    /// `string or integer` ...
    pub fn describe(bits: u8) -> String {
        let names = [
            (STRING, "string"),
            (INTEGER, "integer"),
            (NUMBER, "number"),
            (BOOLEAN, "boolean"),
            (OBJECT, "object"),
            (ARRAY, "array"),
            (NULL, "null"),
        ];
        let parts: Vec<&str> = names
            .iter()
            .filter(|(b, _)| bits & b != 0)
            .map(|(_, n)| *n)
            .collect();
        parts.join(" or ")
    }
}

/// A constant of an `enum`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists and maps in an enum (none of the Kubernetes schemas has one): never equal to a
    /// document value, so such an enum rejects everything rather than accepting wrongly.
    Other,
}

/// `additionalProperties`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Additional {
    /// Absent or `true`: any further property is allowed (closed in strict mode when
    /// [`Node::strict_closed`]).
    Any,
    False,
    Schema(NodeId),
}

/// One compiled schema node.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// `$ref`, resolved.
    pub reference: Option<NodeId>,
    /// Allowed types as [`ty`] bits; `None` when the node has no `type`.
    pub types: Option<u8>,
    pub enumeration: Option<Vec<Lit>>,
    pub required: Vec<String>,
    pub properties: BTreeMap<String, NodeId>,
    pub additional: Additional,
    /// The strict schemas add `additionalProperties: false` here.
    pub strict_closed: bool,
    pub items: Option<NodeId>,
    pub one_of: Vec<NodeId>,
    pub any_of: Vec<NodeId>,
    pub all_of: Vec<NodeId>,
    /// `format` as the schema states it (`int32`, `byte`, `date-time`...). An annotation:
    /// kubernetes-validate (Python jsonschema without a format checker) asserts none.
    pub format: Option<String>,
    /// Value constraints of CRD schemas (the Kubernetes packs have none).
    pub limits: Option<Box<Limits>>,
}

/// `minimum`/`maximum` (with OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`),
/// `minLength`/`maxLength` (in characters), `minItems`/`maxItems`,
/// `minProperties`/`maxProperties`, `pattern` (compiled; an invalid pattern is not checked).
#[derive(Debug, Clone, Default)]
pub(crate) struct Limits {
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub pattern: Option<(String, regex::Regex)>,
}

impl Node {
    pub(crate) fn empty() -> Node {
        Node {
            reference: None,
            types: None,
            enumeration: None,
            required: Vec::new(),
            properties: BTreeMap::new(),
            additional: Additional::Any,
            strict_closed: false,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            format: None,
            limits: None,
        }
    }
}

/// The schemas of one Kubernetes minor version, normal and strict.
#[derive(Debug, Clone)]
pub struct SchemaPack {
    kube_version: String,
    pub(crate) nodes: Vec<Node>,
    defs: HashMap<String, NodeId>,
    kinds: HashMap<String, NodeId>,
}

/// The parsed JSON of a pack (full or delta).
struct RawPack {
    kube_version: String,
    base: Option<String>,
    defs: Map,
    kinds: Map,
    removed_defs: Vec<String>,
    removed_kinds: Vec<String>,
}

fn decompress(bytes: &[u8]) -> Result<String, PackError> {
    let data = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_PACK_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| PackError(format!("gzip: {e}")))?;
        if out.len() as u64 > MAX_PACK_BYTES {
            return err("larger than 64 MiB uncompressed");
        }
        out
    } else {
        bytes.to_vec()
    };
    String::from_utf8(data).map_err(|_| PackError("not UTF-8".into()))
}

fn str_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, PackError> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::List(items, _)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| PackError(format!("{what}: not a list of strings")))
            })
            .collect(),
        Some(_) => err(format!("{what}: not a list")),
    }
}

fn map_of(v: Option<&Value>, what: &str) -> Result<Map, PackError> {
    match v {
        None => Ok(Map::new()),
        Some(Value::Map(m, _)) => Ok(m.borrow().clone()),
        Some(_) => err(format!("{what}: not an object")),
    }
}

impl RawPack {
    fn parse(bytes: &[u8]) -> Result<RawPack, PackError> {
        let text = decompress(bytes)?;
        let root = chartroom_yaml::from_json(&text).map_err(|e| PackError(e.to_string()))?;
        let Value::Map(m, _) = root else {
            return err("not a JSON object");
        };
        let m = m.borrow();
        match m.get("format").and_then(Value::as_str) {
            Some(PACK_FORMAT) => {}
            Some(other) => return err(format!("unsupported format {other:?}")),
            None => return err("no format field"),
        }
        let kube_version = m
            .get("kubeVersion")
            .and_then(Value::as_str)
            .ok_or_else(|| PackError("no kubeVersion".into()))?
            .to_string();
        Ok(RawPack {
            kube_version,
            base: m.get("base").and_then(Value::as_str).map(str::to_string),
            defs: map_of(m.get("defs"), "defs")?,
            kinds: map_of(m.get("kinds"), "kinds")?,
            removed_defs: str_list(m.get("removedDefs"), "removedDefs")?,
            removed_kinds: str_list(m.get("removedKinds"), "removedKinds")?,
        })
    }
}

struct Compiler {
    nodes: Vec<Node>,
    defs: HashMap<String, NodeId>,
}

impl Compiler {
    fn compile(&mut self, v: &Value, at: &str, depth: usize) -> Result<NodeId, PackError> {
        if depth > MAX_NODE_DEPTH {
            return err(format!("{at}: nested too deep"));
        }
        let Value::Map(m, _) = v else {
            return err(format!("{at}: a schema node is not an object"));
        };
        let m = m.borrow();
        let mut node = Node::empty();
        for (key, val) in m.iter() {
            let here = || format!("{at}/{key}");
            match key.as_str() {
                "$ref" => {
                    let name = val
                        .as_str()
                        .ok_or_else(|| PackError(format!("{}: not a string", here())))?;
                    node.reference = Some(self.def(name, &here())?);
                }
                "type" => {
                    let names = match val {
                        Value::String(s) => vec![s.to_string()],
                        _ => str_list(Some(val), &here())?,
                    };
                    let mut bits = 0;
                    for n in &names {
                        bits |= ty::from_name(n)
                            .ok_or_else(|| PackError(format!("{}: unknown type {n:?}", here())))?;
                    }
                    node.types = Some(bits);
                }
                "enum" => {
                    let Value::List(items, _) = val else {
                        return err(format!("{}: not a list", here()));
                    };
                    node.enumeration = Some(items.iter().map(lit).collect());
                }
                "required" => node.required = str_list(Some(val), &here())?,
                "properties" => {
                    let Value::Map(props, _) = val else {
                        return err(format!("{}: not an object", here()));
                    };
                    let props = props.borrow();
                    for (name, sub) in props.iter() {
                        let id = self.compile(sub, &format!("{at}/{name}"), depth + 1)?;
                        node.properties.insert(name.clone(), id);
                    }
                }
                "additionalProperties" => {
                    node.additional = match val {
                        Value::Bool(true) => Additional::Any,
                        Value::Bool(false) => Additional::False,
                        _ => Additional::Schema(self.compile(val, &here(), depth + 1)?),
                    }
                }
                "sc" => node.strict_closed = true,
                "items" => node.items = Some(self.compile(val, &here(), depth + 1)?),
                "oneOf" | "anyOf" | "allOf" => {
                    let Value::List(items, _) = val else {
                        return err(format!("{}: not a list", here()));
                    };
                    let mut ids = Vec::with_capacity(items.len());
                    for (i, sub) in items.iter().enumerate() {
                        ids.push(self.compile(sub, &format!("{}/{i}", here()), depth + 1)?);
                    }
                    match key.as_str() {
                        "oneOf" => node.one_of = ids,
                        "anyOf" => node.any_of = ids,
                        _ => node.all_of = ids,
                    }
                }
                "format" => node.format = val.as_str().map(str::to_string),
                other => return err(format!("{at}: unsupported keyword {other:?}")),
            }
        }
        self.nodes.push(node);
        Ok(self.nodes.len() - 1)
    }

    /// The node of definition `name` (a slot reserved before any body is compiled, so
    /// definitions can refer to each other in any order and in cycles without recursion).
    fn def(&mut self, name: &str, at: &str) -> Result<NodeId, PackError> {
        match self.defs.get(name) {
            Some(&id) => Ok(id),
            None => err(format!("{at}: $ref to unknown definition {name:?}")),
        }
    }
}

pub(crate) fn lit(v: &Value) -> Lit {
    match v {
        Value::Nil => Lit::Null,
        Value::Bool(b) => Lit::Bool(*b),
        Value::Int(i) | Value::Int64(i) => Lit::Number(*i as f64),
        Value::Float(f) => Lit::Number(*f),
        Value::String(s) => Lit::String(s.to_string()),
        _ => Lit::Other,
    }
}

impl SchemaPack {
    /// Loads a complete pack (JSON, or gzip of it).
    pub fn load(bytes: &[u8]) -> Result<SchemaPack, PackError> {
        let raw = RawPack::parse(bytes)?;
        if let Some(base) = raw.base {
            return err(format!(
                "the {} pack is a delta against {base}: load it with load_delta",
                raw.kube_version
            ));
        }
        SchemaPack::compile(raw.kube_version, &raw.defs, &raw.kinds)
    }

    /// Loads a delta pack over the complete pack it names as its base (both JSON or gzip).
    /// A complete pack given as `delta` loads on its own.
    pub fn load_delta(base: &[u8], delta: &[u8]) -> Result<SchemaPack, PackError> {
        let d = RawPack::parse(delta)?;
        let Some(base_version) = d.base else {
            return SchemaPack::compile(d.kube_version, &d.defs, &d.kinds);
        };
        let b = RawPack::parse(base)?;
        if b.base.is_some() {
            return err(format!(
                "the base pack {} is itself a delta",
                b.kube_version
            ));
        }
        if b.kube_version != base_version {
            return err(format!(
                "the {} pack needs base {base_version}, got {}",
                d.kube_version, b.kube_version
            ));
        }
        let mut defs = b.defs;
        let mut kinds = b.kinds;
        for name in &d.removed_defs {
            defs.remove(name);
        }
        for name in &d.removed_kinds {
            kinds.remove(name);
        }
        defs.extend(d.defs);
        kinds.extend(d.kinds);
        SchemaPack::compile(d.kube_version, &defs, &kinds)
    }

    fn compile(kube_version: String, defs: &Map, kinds: &Map) -> Result<SchemaPack, PackError> {
        let mut c = Compiler {
            nodes: Vec::new(),
            defs: HashMap::new(),
        };
        // A definition's node is a reference to its compiled body.
        for name in defs.keys() {
            c.nodes.push(Node::empty());
            c.defs.insert(name.clone(), c.nodes.len() - 1);
        }
        for (name, raw) in defs {
            let body = c.compile(raw, name, 0)?;
            if let Some(&slot) = c.defs.get(name) {
                c.nodes[slot].reference = Some(body);
            }
        }
        let mut kind_ids = HashMap::new();
        for (stem, raw) in kinds {
            let id = c.compile(raw, stem, 0)?;
            kind_ids.insert(stem.clone(), id);
        }
        let pack = SchemaPack {
            kube_version,
            nodes: c.nodes,
            defs: c.defs,
            kinds: kind_ids,
        };
        pack.check_ref_cycles()?;
        Ok(pack)
    }

    /// A `$ref` chain that comes back to itself without descending into the document would
    /// make validation loop; refuse such packs.
    fn check_ref_cycles(&self) -> Result<(), PackError> {
        for start in 0..self.nodes.len() {
            let mut at = start;
            let mut steps = 0;
            while let Some(next) = self.nodes[at].reference {
                at = next;
                steps += 1;
                if steps > self.nodes.len() {
                    return err("a $ref cycle");
                }
            }
        }
        Ok(())
    }

    /// The Kubernetes minor version (`1.37`).
    pub fn kube_version(&self) -> &str {
        &self.kube_version
    }

    /// Number of definitions (`io.k8s.api.core.v1.Pod`...).
    pub fn definition_count(&self) -> usize {
        self.defs.len()
    }

    /// Number of schema files (`deployment-apps-v1`...), which is what documents are looked
    /// up by.
    pub fn kind_count(&self) -> usize {
        self.kinds.len()
    }

    /// Whether the pack has the schema file `stem` (`deployment-apps-v1`).
    pub fn has_schema(&self, stem: &str) -> bool {
        self.kinds.contains_key(stem)
    }

    /// Schema file stems, sorted.
    pub fn schema_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.kinds.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// A pack of nodes compiled elsewhere (CRD schemas), with no definitions or kinds.
    pub(crate) fn from_nodes(kube_version: &str, nodes: Vec<Node>) -> SchemaPack {
        SchemaPack {
            kube_version: kube_version.to_string(),
            nodes,
            defs: HashMap::new(),
            kinds: HashMap::new(),
        }
    }

    pub(crate) fn kind_node(&self, stem: &str) -> Option<NodeId> {
        self.kinds.get(stem).copied()
    }
}

/// The schema file a document is checked against, as kubernetes-validate names it:
/// `<kind lower-cased>-<apiVersion>` where a group's domain is dropped and `/` becomes `-`
/// (`apps/v1` → `apps-v1`, `rbac.authorization.k8s.io/v1` → `rbac-v1`, `v1` → `v1`).
pub fn schema_name(api_version: &str, kind: &str) -> String {
    // Python: re.sub(r'^([^./]*)(?:\.[^/]*)?/', r'\1-', api_version)
    let api = match api_version.find(['.', '/']) {
        Some(i) => {
            let (group, rest) = api_version.split_at(i);
            let after_domain = if rest.starts_with('.') {
                rest.find('/').map(|j| &rest[j..])
            } else {
                Some(rest)
            };
            match after_domain {
                Some(r) => format!("{group}-{}", &r[1..]),
                None => api_version.to_string(),
            }
        }
        None => api_version.to_string(),
    };
    format!("{}-{api}", kind.to_lowercase())
}
