//! go-yaml v2's composer, resolver and decoder into `interface{}`, then sigs.k8s.io/yaml's
//! conversion to JSON-able values and the encoding/json round trip to a [`Value`].

use std::collections::HashMap;

use chartroom_template::value::{Map, Value};
use chartroom_template::Limits;

use crate::gofloat;
use crate::parser::{EventKind, Parser};
use crate::scanner::{ScalarStyle, SyntaxError};

const STR_TAG: &str = "tag:yaml.org,2002:str";
const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
const NULL_TAG: &str = "tag:yaml.org,2002:null";
const INT_TAG: &str = "tag:yaml.org,2002:int";
const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
const MERGE_TAG: &str = "tag:yaml.org,2002:merge";
const SEQ_TAG: &str = "tag:yaml.org,2002:seq";
const MAP_TAG: &str = "tag:yaml.org,2002:map";

/// Nesting limit while decoding (alias expansion counts too): the ceiling of the
/// `yaml-depth` limit, which the decoder's recursion needs.
const MAX_DEPTH: usize = chartroom_template::limits::YAML_DEPTH_CEILING;

/// The error for nesting deeper than `max`: go-yaml's wording at the ceiling (which cannot be
/// raised), the `yaml-depth` limit's text below it.
fn depth_error(max: usize) -> String {
    if max >= MAX_DEPTH {
        format!("yaml: exceeded max depth of {MAX_DEPTH}")
    } else {
        chartroom_template::limits::exceeded("yaml: nesting", "yaml-depth", max)
    }
}

/// A Go value as go-yaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoVal>),
    /// `map[interface{}]interface{}` in insertion order; later entries win.
    Map(Vec<(GoVal, GoVal)>),
}

#[derive(Debug)]
enum Node {
    Scalar {
        value: String,
        tag: String,
        implicit: bool,
    },
    Seq(Vec<usize>),
    Map(Vec<usize>),
    Alias {
        name: String,
        target: usize,
    },
}

/// Errors from reading YAML, split the way callers report them.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// A go-yaml error (`yaml: ...`), syntax or decoding.
    Yaml(String),
    /// A sigs.k8s.io/yaml conversion error (`unsupported map key ...`) or an encoding/json
    /// marshal error (`json: unsupported value: NaN`).
    Convert(String),
}

/// Parses the first document of `src` as go-yaml v2 `Unmarshal` into `interface{}` does.
/// `Ok(None)` when the stream has no document.
pub fn decode_first(src: &str) -> Result<Option<GoVal>, ReadError> {
    decode_first_with(src, &Limits::default())
}

/// [`decode_first`] under the `yaml-depth` and `yaml-aliases` limits of `limits`.
pub fn decode_first_with(src: &str, limits: &Limits) -> Result<Option<GoVal>, ReadError> {
    let max_depth = limits.yaml_depth.min(MAX_DEPTH);
    let mut p = Parser::new(src);
    let syn = |e: SyntaxError| ReadError::Yaml(e.go_message());
    // STREAM-START
    p.next_event().map_err(syn)?;
    let ev = p.next_event().map_err(syn)?;
    match ev.kind {
        EventKind::DocumentStart => {}
        _ => return Ok(None),
    }
    let mut nodes: Vec<Node> = Vec::new();
    let mut anchors: HashMap<String, usize> = HashMap::new();
    // Stack of open collections: node index.
    let mut stack: Vec<usize> = Vec::new();
    let mut root: Option<usize> = None;
    loop {
        let ev = p.next_event().map_err(syn)?;
        let new_node: usize;
        let mut opened = false;
        match ev.kind {
            EventKind::DocumentEnd | EventKind::StreamEnd => break,
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                stack.pop();
                continue;
            }
            EventKind::Alias(name) => {
                let target = match anchors.get(&name) {
                    Some(t) => *t,
                    None => {
                        return Err(ReadError::Yaml(format!(
                            "yaml: unknown anchor '{name}' referenced"
                        )))
                    }
                };
                nodes.push(Node::Alias { name, target });
                new_node = nodes.len() - 1;
            }
            EventKind::Scalar {
                anchor,
                tag,
                value,
                style,
                plain_implicit,
            } => {
                let _ = style == ScalarStyle::Plain;
                nodes.push(Node::Scalar {
                    value,
                    tag,
                    implicit: plain_implicit,
                });
                new_node = nodes.len() - 1;
                if let Some(a) = anchor {
                    anchors.insert(a, new_node);
                }
            }
            EventKind::SequenceStart { anchor, tag } => {
                let _ = tag;
                nodes.push(Node::Seq(Vec::new()));
                new_node = nodes.len() - 1;
                if let Some(a) = anchor {
                    anchors.insert(a, new_node);
                }
                opened = true;
            }
            EventKind::MappingStart { anchor, tag } => {
                let _ = tag;
                nodes.push(Node::Map(Vec::new()));
                new_node = nodes.len() - 1;
                if let Some(a) = anchor {
                    anchors.insert(a, new_node);
                }
                opened = true;
            }
            EventKind::StreamStart | EventKind::DocumentStart => continue,
        }
        match stack.last() {
            Some(&parent) => match &mut nodes[parent] {
                Node::Seq(c) | Node::Map(c) => c.push(new_node),
                _ => {}
            },
            None => {
                if root.is_none() {
                    root = Some(new_node);
                }
            }
        }
        if opened {
            if stack.len() >= max_depth {
                return Err(ReadError::Yaml(depth_error(max_depth)));
            }
            stack.push(new_node);
        }
    }
    let root = match root {
        Some(r) => r,
        None => return Ok(Some(GoVal::Nil)),
    };
    let mut d = Decoder {
        nodes: &nodes,
        aliases: Vec::new(),
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
        max_depth,
        max_aliases: limits.yaml_aliases,
    };
    d.unmarshal(root, 0).map(Some).map_err(ReadError::Yaml)
}

struct Decoder<'a> {
    nodes: &'a [Node],
    aliases: Vec<usize>,
    decode_count: u64,
    alias_count: u64,
    alias_depth: u64,
    max_depth: usize,
    max_aliases: u64,
}

fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let c = decode_count as f64;
    if c <= LOW {
        0.99
    } else if c >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((c - LOW) / (HIGH - LOW))
    }
}

impl Decoder<'_> {
    fn unmarshal(&mut self, n: usize, depth: usize) -> Result<GoVal, String> {
        if depth > self.max_depth {
            return Err(depth_error(self.max_depth));
        }
        self.decode_count += 1;
        if self.alias_depth > 0 {
            self.alias_count += 1;
        }
        if self.alias_count > 100
            && self.decode_count > 1000
            && (self.alias_count as f64 / self.decode_count as f64)
                > allowed_alias_ratio(self.decode_count)
        {
            return Err("yaml: document contains excessive aliasing".into());
        }
        if self.alias_count > self.max_aliases {
            return Err(chartroom_template::limits::exceeded(
                "yaml: nodes decoded through aliases",
                "yaml-aliases",
                self.max_aliases,
            ));
        }
        match &self.nodes[n] {
            Node::Scalar {
                value,
                tag,
                implicit,
            } => scalar(value, tag, *implicit),
            Node::Alias { name, target } => {
                if self.aliases.contains(&n) {
                    return Err(format!("yaml: anchor '{name}' value contains itself"));
                }
                self.aliases.push(n);
                self.alias_depth += 1;
                let r = self.unmarshal(*target, depth + 1);
                self.alias_depth -= 1;
                self.aliases.retain(|&a| a != n);
                r
            }
            Node::Seq(children) => {
                let mut out = Vec::with_capacity(children.len());
                for &c in children {
                    out.push(self.unmarshal(c, depth + 1)?);
                }
                Ok(GoVal::Seq(out))
            }
            Node::Map(children) => {
                let mut out: Vec<(GoVal, GoVal)> = Vec::new();
                self.mapping_into(children, &mut out, depth)?;
                Ok(GoVal::Map(out))
            }
        }
    }

    fn mapping_into(
        &mut self,
        children: &[usize],
        out: &mut Vec<(GoVal, GoVal)>,
        depth: usize,
    ) -> Result<(), String> {
        let mut i = 0;
        while i + 1 < children.len() {
            let kn = children[i];
            let vn = children[i + 1];
            i += 2;
            if self.is_merge(kn) {
                self.merge(vn, out, depth)?;
                continue;
            }
            let k = self.unmarshal(kn, depth + 1)?;
            if matches!(k, GoVal::Map(_) | GoVal::Seq(_)) {
                return Err(format!("yaml: invalid map key: {}", go_sharp_v(&k, false)));
            }
            let v = self.unmarshal(vn, depth + 1)?;
            out.push((k, v));
        }
        Ok(())
    }

    fn is_merge(&self, n: usize) -> bool {
        match &self.nodes[n] {
            Node::Scalar {
                value,
                tag,
                implicit,
            } => value == "<<" && (*implicit || tag == MERGE_TAG),
            _ => false,
        }
    }

    fn target_is_map(&self, n: usize) -> bool {
        match &self.nodes[n] {
            Node::Map(_) => true,
            Node::Alias { target, .. } => matches!(self.nodes[*target], Node::Map(_)),
            _ => false,
        }
    }

    fn merge_one(
        &mut self,
        n: usize,
        out: &mut Vec<(GoVal, GoVal)>,
        depth: usize,
    ) -> Result<(), String> {
        match self.unmarshal(n, depth + 1)? {
            GoVal::Map(entries) => {
                out.extend(entries);
                Ok(())
            }
            _ => Err(want_map()),
        }
    }

    fn merge(
        &mut self,
        n: usize,
        out: &mut Vec<(GoVal, GoVal)>,
        depth: usize,
    ) -> Result<(), String> {
        match &self.nodes[n] {
            Node::Map(_) => self.merge_one(n, out, depth),
            Node::Alias { .. } => {
                if !self.target_is_map(n) {
                    return Err(want_map());
                }
                self.merge_one(n, out, depth)
            }
            Node::Seq(children) => {
                let children = children.clone();
                for &c in children.iter().rev() {
                    if !self.target_is_map(c) {
                        return Err(want_map());
                    }
                    self.merge_one(c, out, depth)?;
                }
                Ok(())
            }
            Node::Scalar { .. } => Err(want_map()),
        }
    }
}

fn want_map() -> String {
    "yaml: map merge requires map or sequence of maps as the value".into()
}

pub(crate) fn scalar(value: &str, tag: &str, implicit: bool) -> Result<GoVal, String> {
    if tag.is_empty() && !implicit {
        return Ok(GoVal::Str(value.to_string()));
    }
    let (rtag, out) = resolve(tag, value)?;
    if rtag == BINARY_TAG {
        let s = match &out {
            GoVal::Str(s) => s.clone(),
            _ => value.to_string(),
        };
        return match crate::base64::decode_std(&s) {
            Ok(bytes) => Ok(GoVal::Str(String::from_utf8_lossy(&bytes).into_owned())),
            Err(_) => Err("yaml: !!binary value contains invalid base64 data".into()),
        };
    }
    if rtag == TIMESTAMP_TAG {
        // Decoding into interface{} keeps timestamps as their text.
        return Ok(GoVal::Str(value.to_string()));
    }
    Ok(out)
}

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix("tag:yaml.org,2002:") {
        Some(s) => format!("!!{s}"),
        None => tag.to_string(),
    }
}

fn resolvable_tag(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | NULL_TAG | FLOAT_TAG | INT_TAG | TIMESTAMP_TAG
    )
}

/// go-yaml v2 `resolve(tag, in)`: the implicit type of a plain scalar.
pub fn resolve(tag: &str, input: &str) -> Result<(&'static str, GoVal), String> {
    if !resolvable_tag(tag) {
        let t: &'static str = match tag {
            BINARY_TAG => BINARY_TAG,
            _ => "",
        };
        return Ok((
            if t.is_empty() { "!custom" } else { t },
            GoVal::Str(input.into()),
        ));
    }
    let (rtag, out) = resolve_plain(tag, input);
    // The deferred check in go-yaml.
    if tag.is_empty() || tag == rtag || tag == STR_TAG {
        return Ok((rtag, out));
    }
    if tag == FLOAT_TAG && rtag == INT_TAG {
        let f = match out {
            GoVal::Int(i) => i as f64,
            GoVal::Uint(u) => u as f64,
            _ => 0.0,
        };
        return Ok((FLOAT_TAG, GoVal::Float(f)));
    }
    Err(format!(
        "yaml: cannot decode {} `{}` as a {}",
        short_tag(rtag),
        input,
        short_tag(tag)
    ))
}

/// go-yaml v2's resolve table hint for a plain scalar's first character: 0 when no
/// implicit type but string can start with it.
fn resolve_hint(input: &str) -> u8 {
    match input.as_bytes().first() {
        None => b'N',
        Some(b'+') | Some(b'-') => b'S',
        Some(c) if c.is_ascii_digit() => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    }
}

/// Whether an untagged plain scalar surely resolves to a string (what [`scalar`] gives it
/// without looking further): its first character starts no other implicit type.
pub(crate) fn plain_is_string(input: &str) -> bool {
    resolve_hint(input) == 0
}

fn resolve_plain(tag: &str, input: &str) -> (&'static str, GoVal) {
    let hint = resolve_hint(input);
    if hint != 0 && tag != STR_TAG && tag != BINARY_TAG {
        match input {
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                return (BOOL_TAG, GoVal::Bool(true))
            }
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off"
            | "OFF" => return (BOOL_TAG, GoVal::Bool(false)),
            "" | "~" | "null" | "Null" | "NULL" => return (NULL_TAG, GoVal::Nil),
            ".nan" | ".NaN" | ".NAN" => return (FLOAT_TAG, GoVal::Float(f64::NAN)),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                return (FLOAT_TAG, GoVal::Float(f64::INFINITY))
            }
            "-.inf" | "-.Inf" | "-.INF" => return (FLOAT_TAG, GoVal::Float(f64::NEG_INFINITY)),
            "<<" => return (MERGE_TAG, GoVal::Str("<<".into())),
            _ => {}
        }
        match hint {
            b'.' => {
                if let Some(f) = gofloat::parse_float(input) {
                    return (FLOAT_TAG, GoVal::Float(f));
                }
            }
            b'D' | b'S' => {
                if (tag.is_empty() || tag == TIMESTAMP_TAG) && is_timestamp(input) {
                    return (TIMESTAMP_TAG, GoVal::Str(input.into()));
                }
                let plain: String = input.chars().filter(|&c| c != '_').collect();
                if let Some(i) = gofloat::parse_int_base0(&plain) {
                    return (INT_TAG, GoVal::Int(i));
                }
                if let Some(u) = gofloat::parse_uint_base0(&plain) {
                    return (INT_TAG, GoVal::Uint(u));
                }
                if is_yaml_style_float(&plain) {
                    if let Some(f) = gofloat::parse_float(&plain) {
                        return (FLOAT_TAG, GoVal::Float(f));
                    }
                }
                if let Some(rest) = plain.strip_prefix("0b") {
                    if let Some(v) = gofloat::parse_radix_i64(rest, 2, false) {
                        return (INT_TAG, GoVal::Int(v));
                    }
                    if let Some(v) = gofloat::parse_radix_u64(rest, 2) {
                        return (INT_TAG, GoVal::Uint(v));
                    }
                } else if let Some(rest) = plain.strip_prefix("-0b") {
                    if let Some(v) = gofloat::parse_radix_i64(rest, 2, true) {
                        return (INT_TAG, GoVal::Int(v));
                    }
                }
            }
            _ => {}
        }
    }
    (STR_TAG, GoVal::Str(input.into()))
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
pub fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        if i + 1 < b.len() && (b'0'..=b'5').contains(&b[i]) && b[i + 1].is_ascii_digit() {
            i += 2;
        } else if i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v2 `parseTimestamp`: the four formats it accepts.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    crate::gotime::parse_yaml_timestamp(s)
}

/// Go's `%#v` of a decoded value, for error messages.
pub fn go_sharp_v(v: &GoVal, in_iface: bool) -> String {
    match v {
        GoVal::Nil => "interface {}(nil)".into(),
        GoVal::Bool(b) => b.to_string(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => {
            if in_iface {
                format!("0x{u:x}")
            } else {
                u.to_string()
            }
        }
        GoVal::Float(f) => chartroom_template::fmt::format_float_g(*f),
        GoVal::Str(s) => chartroom_template::fmt::quote(s),
        GoVal::Seq(items) => {
            let parts: Vec<String> = items.iter().map(|x| go_sharp_v(x, true)).collect();
            format!("[]interface {{}}{{{}}}", parts.join(", "))
        }
        GoVal::Map(entries) => {
            // A Go map: the last value of a key wins; fmt sorts the keys (internal/fmtsort:
            // by value within a type: strings by their bytes, numbers numerically, NaN
            // first, false before true; between types by the address of their type
            // descriptors, which is not specified: strings were seen before ints in helm's
            // output).
            let rank = |k: &GoVal| match k {
                GoVal::Nil => 0,
                GoVal::Str(_) => 1,
                GoVal::Int(_) => 2,
                GoVal::Uint(_) => 3,
                GoVal::Float(_) => 4,
                GoVal::Bool(_) => 5,
                _ => 6,
            };
            let order = |a: &GoVal, b: &GoVal| {
                use std::cmp::Ordering;
                rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
                    (GoVal::Str(x), GoVal::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
                    (GoVal::Int(x), GoVal::Int(y)) => x.cmp(y),
                    (GoVal::Uint(x), GoVal::Uint(y)) => x.cmp(y),
                    (GoVal::Float(x), GoVal::Float(y)) => match (x.is_nan(), y.is_nan()) {
                        (true, true) => Ordering::Equal,
                        (true, false) => Ordering::Less,
                        (false, true) => Ordering::Greater,
                        _ => x.partial_cmp(y).unwrap_or(Ordering::Equal),
                    },
                    (GoVal::Bool(x), GoVal::Bool(y)) => x.cmp(y),
                    _ => Ordering::Equal,
                })
            };
            // Sorted (stably: a repeated key's entries stay in order, and NaN keys, all
            // distinct in Go, keep theirs), then the last entry of each key.
            let mut sorted: Vec<&(GoVal, GoVal)> = entries.iter().collect();
            sorted.sort_by(|a, b| order(&a.0, &b.0));
            let parts: Vec<String> = sorted
                .iter()
                .enumerate()
                .filter(|(i, (k, _))| sorted.get(i + 1).is_none_or(|next| next.0 != *k))
                .map(|(_, (k, v))| format!("{}:{}", go_sharp_v(k, true), go_sharp_v(v, true)))
                .collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", parts.join(", "))
        }
    }
}

/// The string sigs.k8s.io/yaml makes of a scalar map key (`None` for null and collections,
/// which it refuses).
pub(crate) fn json_key(k: &GoVal) -> Option<String> {
    Some(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Uint(u) => u.to_string(),
        GoVal::Float(f) => {
            match chartroom_template::fmt::format_float32(*f as f32, 'g', -1).as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                s => s.to_string(),
            }
        }
        GoVal::Bool(b) => b.to_string(),
        GoVal::Nil | GoVal::Seq(_) | GoVal::Map(_) => return None,
    })
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` plus the encoding/json round trip into
/// `interface{}`: keys become strings, numbers become float64.
pub fn to_value(v: &GoVal) -> Result<Value, ReadError> {
    let mut nan: Option<String> = None;
    let out = convert(v, &mut nan, 0)?;
    if let Some(n) = nan {
        return Err(ReadError::Convert(format!("json: unsupported value: {n}")));
    }
    Ok(out)
}

fn convert(v: &GoVal, nan: &mut Option<String>, depth: usize) -> Result<Value, ReadError> {
    if depth > MAX_DEPTH {
        return Err(ReadError::Yaml(format!(
            "yaml: exceeded max depth of {MAX_DEPTH}"
        )));
    }
    Ok(match v {
        GoVal::Nil => Value::Nil,
        GoVal::Bool(b) => Value::Bool(*b),
        GoVal::Int(i) => Value::Float(*i as f64),
        GoVal::Uint(u) => Value::Float(*u as f64),
        GoVal::Float(f) => {
            if !f.is_finite() && nan.is_none() {
                *nan = Some(chartroom_template::fmt::format_float_g(*f));
            }
            Value::Float(*f)
        }
        GoVal::Str(s) => Value::string(s.clone()),
        GoVal::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                out.push(convert(it, nan, depth + 1)?);
            }
            Value::list(out)
        }
        GoVal::Map(entries) => {
            let mut m = Map::new();
            for (k, val) in entries {
                let key = match json_key(k) {
                    Some(key) => key,
                    None => {
                        let other = k;
                        let tname = match other {
                            GoVal::Nil => "%!s(<nil>)",
                            GoVal::Seq(_) => "[]interface {}",
                            _ => "map[interface {}]interface {}",
                        };
                        let kdesc = match other {
                            GoVal::Nil => "<nil>".to_string(),
                            o => go_sharp_v(o, false),
                        };
                        // A Go map holds the last value given for a key.
                        let val = entries
                            .iter()
                            .rev()
                            .find(|(k2, _)| k2 == other)
                            .map(|(_, v)| v)
                            .unwrap_or(val);
                        return Err(ReadError::Convert(format!(
                            "unsupported map key of type: {tname}, key: {kdesc}, value: {}",
                            match val {
                                GoVal::Nil => "<nil>".to_string(),
                                v => go_sharp_v(v, false),
                            }
                        )));
                    }
                };
                let cv = convert(val, nan, depth + 1)?;
                m.insert(key, cv);
            }
            Value::map(m)
        }
    })
}

/// Whether a node tag names a collection (unused tags are accepted as go-yaml does).
#[allow(dead_code)]
fn is_collection_tag(t: &str) -> bool {
    t == SEQ_TAG || t == MAP_TAG
}

/// What to keep of a mapping entry in [`decode_first_outline`], by the entry's path of keys
/// (as the JSON step names them) and its own key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Read (every error reported) but not kept.
    Drop,
    /// A scalar is kept; a collection is kept empty (its kind only).
    Leaf,
    /// A mapping is kept with the entries its own picks keep; anything else as [`Pick::Leaf`].
    Map,
}

/// One open collection of [`decode_first_outline`].
struct OutlineFrame {
    is_map: bool,
    /// Kept entries (maps) or nothing (sequences are only ever kept empty); `None` when the
    /// collection itself is not kept.
    kept: Option<Vec<(GoVal, GoVal)>>,
    /// The collection's path of keys, when it is a kept mapping whose entries are picked.
    path: Option<Vec<String>>,
    /// A mapping's key read, waiting for its value: the key, and what its value's pick is.
    key: Option<(GoVal, Pick)>,
}

/// [`decode_first_with`] then [`to_value`], for documents too large to hold whole: one pass
/// over the parser's events that keeps only the picked parts of the first document (the root
/// is picked as [`Pick::Map`] with path `[]`) and no node arena, and fails with exactly the
/// error the two steps would give for the whole document. `None` where that cannot be told
/// without the whole document (an alias, a merge key, a null key or a collection as a key):
/// the caller takes the full path.
pub fn decode_first_outline(
    src: &str,
    limits: &Limits,
    pick: &dyn Fn(&[String], &str) -> Pick,
) -> Option<Result<Option<GoVal>, ReadError>> {
    let max_depth = limits.yaml_depth.min(MAX_DEPTH);
    let mut p = Parser::new(src);
    let syn = |e: SyntaxError| Some(Err(ReadError::Yaml(e.go_message())));
    if let Err(e) = p.next_event() {
        return syn(e);
    }
    match p.next_event() {
        Err(e) => return syn(e),
        Ok(ev) if ev.kind == EventKind::DocumentStart => {}
        Ok(_) => return Some(Ok(None)),
    }
    // go-yaml composes the whole document (syntax and depth errors) before it decodes
    // (scalar errors), and encoding/json's NaN check comes last: the first error of each
    // stage is kept and the earliest stage wins.
    let mut decode_error: Option<String> = None;
    let mut nan: Option<String> = None;
    let mut stack: Vec<OutlineFrame> = Vec::new();
    let mut root: Option<GoVal> = None;
    loop {
        let ev = match p.next_event() {
            Ok(ev) => ev,
            Err(e) => return syn(e),
        };
        // The finished node's value (`None` where it is not kept).
        let value: Option<GoVal> = match ev.kind {
            EventKind::DocumentEnd | EventKind::StreamEnd => break,
            EventKind::StreamStart | EventKind::DocumentStart => continue,
            EventKind::Alias(_) => return None,
            EventKind::Scalar {
                tag,
                value,
                plain_implicit,
                ..
            } => {
                let in_key = stack.last().is_some_and(|f| f.is_map && f.key.is_none());
                if in_key && value == "<<" && (plain_implicit || tag == MERGE_TAG) {
                    return None;
                }
                match scalar(&value, &tag, plain_implicit) {
                    Ok(v) => {
                        if in_key && v == GoVal::Nil {
                            return None;
                        }
                        if let GoVal::Float(f) = v {
                            if !in_key && !f.is_finite() && nan.is_none() {
                                nan = Some(chartroom_template::fmt::format_float_g(f));
                            }
                        }
                        Some(v)
                    }
                    Err(e) => {
                        decode_error.get_or_insert(e);
                        Some(GoVal::Nil)
                    }
                }
            }
            EventKind::SequenceStart { .. } | EventKind::MappingStart { .. } => {
                let is_map = matches!(ev.kind, EventKind::MappingStart { .. });
                if stack.len() >= max_depth {
                    return Some(Err(ReadError::Yaml(depth_error(max_depth))));
                }
                let (kept, path) = match stack.last() {
                    None => (true, Some(Vec::new())),
                    Some(f) if f.is_map => match &f.key {
                        // A collection as a key.
                        None => return None,
                        Some((k, pick)) => match (pick, &f.path) {
                            (Pick::Drop, _) => (false, None),
                            (Pick::Map, Some(parent)) if is_map => {
                                let mut path = parent.clone();
                                path.push(json_key(k).unwrap_or_default());
                                (true, Some(path))
                            }
                            _ => (true, None),
                        },
                    },
                    // Sequences keep nothing of their items.
                    Some(_) => (false, None),
                };
                stack.push(OutlineFrame {
                    is_map,
                    kept: kept.then(Vec::new),
                    path: if is_map { path } else { None },
                    key: None,
                });
                continue;
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                let Some(f) = stack.pop() else {
                    continue;
                };
                f.kept.map(|entries| {
                    if f.is_map {
                        GoVal::Map(entries)
                    } else {
                        GoVal::Seq(Vec::new())
                    }
                })
            }
        };
        let Some(parent) = stack.last_mut() else {
            root.get_or_insert(value.unwrap_or(GoVal::Nil));
            continue;
        };
        if !parent.is_map {
            continue;
        }
        match parent.key.take() {
            None => {
                let k = value.unwrap_or(GoVal::Nil);
                let pick = match (&parent.path, json_key(&k)) {
                    (Some(path), Some(name)) if parent.kept.is_some() => pick(path, &name),
                    _ => Pick::Drop,
                };
                parent.key = Some((k, pick));
            }
            Some((k, pick)) => {
                if let (Some(entries), false, Some(v)) =
                    (parent.kept.as_mut(), pick == Pick::Drop, value)
                {
                    entries.push((k, v));
                }
            }
        }
    }
    if let Some(e) = decode_error {
        return Some(Err(ReadError::Yaml(e)));
    }
    if let Some(n) = nan {
        return Some(Err(ReadError::Convert(format!(
            "json: unsupported value: {n}"
        ))));
    }
    Some(Ok(Some(root.unwrap_or(GoVal::Nil))))
}
