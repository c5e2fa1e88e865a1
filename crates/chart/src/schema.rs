//! values.schema.json validation with Helm 4's output (santhosh-tekuri/jsonschema v6 error
//! tree and texts): `- at '/path': message` lines, nested causes indented by two spaces.
//!
//! Implemented: boolean schemas, `type`, `const`, `enum`, `format` (asserted for draft-07 and
//! earlier: email, ipv4, ipv6, date, date-time, uuid), `$ref` inside the document (draft-07
//! `$ref` overrides its siblings; 2019+/2020 default applies both), object keywords
//! (`properties`, `patternProperties`, `additionalProperties`, `required`, min/max
//! properties, `dependencies`, `dependentRequired`, `dependentSchemas`, `propertyNames`),
//! array keywords (`items` schema or tuple, `prefixItems`, `additionalItems`, min/max
//! items, `uniqueItems`, `contains`, min/max contains), string keywords (min/max length,
//! `pattern`), number keywords (minimum, maximum, exclusive bounds, `multipleOf`), `not`,
//! `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`. Not implemented: metaschema validation of
//! the schema itself, remote `$ref`s, `unevaluated*`. Properties are checked in sorted order
//! (Helm follows Go's random map order).

use std::collections::HashMap;

use chartroom_template::Value;

use crate::chart::Chart;
use crate::{Error, Result};
use chartroom_template::fmt::quote as go_quote;

/// Validates the coalesced values of `chart` and, recursively, each subchart's values (the
/// map under its name) against their `values.schema.json`, as Helm's
/// `ToRenderValuesWithSchemaValidation` does. The error text is Helm's.
pub fn validate_values_schema(chart: &Chart, values: &Value) -> Result<()> {
    let text = validate_chart(chart, values, 0);
    if text.is_empty() {
        return Ok(());
    }
    Err(Error::new(format!(
        "values don't meet the specifications of the schema(s) in the following chart(s):\n{text}"
    )))
}

/// chartroom's warnings about what it cannot check offline: every `$ref` to another document
/// (a URL or file) in the values schemas of `chart` and its subcharts. Helm fetches those;
/// chartroom never goes to the network, so values are not checked against them.
pub fn unchecked_schema_refs(chart: &Chart) -> crate::Warnings {
    fn refs(v: &Value, out: &mut Vec<String>, depth: usize) {
        if depth > 256 {
            return;
        }
        match v {
            Value::Map(m, _) => {
                for (k, x) in m.borrow().iter() {
                    match x {
                        Value::String(r) if k == "$ref" && !r.as_str_lossy().starts_with('#') => {
                            let r = r.to_string_lossy();
                            if !out.contains(&r) {
                                out.push(r);
                            }
                        }
                        _ => refs(x, out, depth + 1),
                    }
                }
            }
            Value::List(l, _) => l.iter().for_each(|x| refs(x, out, depth + 1)),
            _ => {}
        }
    }
    fn walk(chart: &Chart, w: &mut crate::Warnings, depth: usize) {
        if depth > 64 {
            return;
        }
        if let Some(schema) = &chart.schema {
            let text = String::from_utf8_lossy(schema);
            if let Ok(root) = parse_schema_json(text.strip_prefix('\u{feff}').unwrap_or(&text)) {
                let mut found = Vec::new();
                refs(&root, &mut found, 0);
                for r in found {
                    w.warn(
                        "values schema $ref not checked: chartroom does not fetch schemas",
                        &[("chart", chart.name()), ("ref", &r)],
                    );
                }
            }
        }
        for sub in &chart.dependencies {
            walk(sub, w, depth + 1);
        }
    }
    let mut w = crate::Warnings::default();
    walk(chart, &mut w, 0);
    w
}

fn validate_chart(chart: &Chart, values: &Value, depth: usize) -> String {
    let mut sb = String::new();
    if depth > 64 {
        return sb;
    }
    if let Some(schema) = &chart.schema {
        if let Err(e) = validate_single(values, schema) {
            sb.push_str(&format!("{}:\n", chart.name()));
            sb.push_str(&e);
        }
    }
    for sub in &chart.dependencies {
        let raw = match values {
            Value::Map(m, _) => m.borrow().get(sub.name()).cloned(),
            _ => None,
        };
        match raw {
            None | Some(Value::Nil) => continue,
            Some(v @ Value::Map(..)) => sb.push_str(&validate_chart(sub, &v, depth + 1)),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    sb
}

/// jsonschema's `UnmarshalJSON`: one value read by a `json.Decoder` with `UseNumber`, then
/// anything but white space after it is an error.
fn parse_schema_json(text: &str) -> std::result::Result<Value, String> {
    let (v, end) = chartroom_yaml::from_json_prefix(text, true).map_err(|e| e.to_string())?;
    if !text[end..]
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .is_empty()
    {
        return Err("invalid character after top-level value".into());
    }
    Ok(v)
}

/// Validates `values` against one schema document; `Err` carries Helm's text for it (the
/// `- at ...` lines, ending with a newline).
pub fn validate_single(values: &Value, schema_json: &[u8]) -> std::result::Result<(), String> {
    let text = String::from_utf8_lossy(schema_json);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let root = parse_schema_json(text)?;
    let draft = draft_of(&root);
    let v = Validator {
        root: &root,
        draft,
        stack: std::cell::RefCell::new(Vec::new()),
        regex_cache: std::cell::RefCell::new(HashMap::new()),
    };
    match v.validate(&root, values, &mut Vec::new(), 0) {
        Ok(()) => Ok(()),
        Err(e) => {
            let causes = match e.kind {
                Kind::Group => e.causes,
                _ => vec![e],
            };
            let mut out = String::new();
            for c in &causes {
                display(c, 0, &mut out);
            }
            Err(out)
        }
    }
}

fn draft_of(root: &Value) -> u32 {
    let s = match root {
        Value::Map(m, _) => m
            .borrow()
            .get("$schema")
            .and_then(|v| v.as_str().map(|s| s.to_string())),
        _ => None,
    };
    match s {
        Some(s) if s.contains("draft-04") => 4,
        Some(s) if s.contains("draft-06") => 6,
        Some(s) if s.contains("draft-07") => 7,
        Some(s) if s.contains("2019-09") => 2019,
        _ => 2020,
    }
}

#[derive(Debug)]
enum Kind {
    Group,
    Reference,
    Msg(String),
}

#[derive(Debug)]
struct VErr {
    loc: Vec<String>,
    kind: Kind,
    causes: Vec<VErr>,
}

fn display(e: &VErr, indent: usize, out: &mut String) {
    if let Kind::Reference = e.kind {
        if e.causes.len() == 1 {
            display(&e.causes[0], indent, out);
            return;
        }
    }
    let msg = match &e.kind {
        Kind::Group | Kind::Reference => "validation failed".to_string(),
        Kind::Msg(m) => m.clone(),
    };
    let loc: String = e
        .loc
        .iter()
        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
        .collect();
    out.push_str(&"  ".repeat(indent));
    out.push_str(&format!("- at {}: {msg}\n", quote(&loc)));
    for c in &e.causes {
        display(c, indent + 1, out);
    }
}

/// jsonschema's `quote`: Go `%q` turned into single quotes (its own rule, built on
/// `strconv.Quote`).
fn quote(s: &str) -> String {
    let q = go_quote(s);
    let inner = &q[1..q.len() - 1];
    let inner = inner.replace("\\\"", "\"").replace('\'', "\\'");
    format!("'{inner}'")
}

fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s.as_str_lossy()),
        Value::List(..) | Value::Map(..) => "value".into(),
        // jsonschema prints the number's JSON text (`value must be 0.00001`).
        Value::Float(f) => chartroom_yaml::gofloat::format_json(*f)
            .unwrap_or_else(|| chartroom_template::fmt::format_value(v).to_string_lossy()),
        other => chartroom_template::fmt::format_value(other).to_string_lossy(),
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Int64(_) | Value::Float(_) => "number",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(..) => "array",
        _ => "object",
    }
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A number in a keyword error (`minimum: got 123,456.5, want 1×10⁰⁹`): the jsonschema
/// library prints it through golang.org/x/text's message printer, which takes Go's `%v`
/// (shortest `%g`) and writes the exponent as `×10` with superscript digits (at least two)
/// and groups the integer digits of a plain number in threes.
fn fmt_num(f: f64) -> String {
    let g = chartroom_template::fmt::format_float_g(f);
    if !f.is_finite() {
        return g;
    }
    if let Some((mant, exp)) = g.split_once('e') {
        let mut s = format!("{mant}×10");
        for c in exp.chars() {
            s.push(match c {
                '-' => '⁻',
                '+' => continue,
                d => SUPERSCRIPT_DIGITS[d.to_digit(10).unwrap_or(0) as usize],
            });
        }
        return s;
    }
    let (sign, body) = match g.strip_prefix('-') {
        Some(b) => ("-", b),
        None => ("", g.as_str()),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let mut s = sign.to_string();
    for (n, c) in int.chars().enumerate() {
        if n > 0 && (int.len() - n) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    if let Some(frac) = frac {
        s.push('.');
        s.push_str(frac);
    }
    s
}

const SUPERSCRIPT_DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x, _), Value::List(y, _)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| json_equal(p, q))
        }
        (Value::Map(x, _), Value::Map(y, _)) => {
            let x = x.borrow();
            let y = y.borrow();
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

struct Validator<'a> {
    root: &'a Value,
    draft: u32,
    /// (schema identity, instance depth) of the schemas being evaluated, for cycle detection.
    stack: std::cell::RefCell<Vec<(usize, usize)>>,
    regex_cache: std::cell::RefCell<HashMap<String, Option<regex::Regex>>>,
}

type VResult = std::result::Result<(), VErr>;

fn get(s: &Value, k: &str) -> Option<Value> {
    match s {
        Value::Map(m, _) => m.borrow().get(k).cloned(),
        _ => None,
    }
}

fn get_usize(s: &Value, k: &str) -> Option<usize> {
    get(s, k).and_then(|v| num(&v)).map(|f| f.max(0.0) as usize)
}

impl Validator<'_> {
    fn err(&self, loc: &[String], msg: String) -> VErr {
        VErr {
            loc: loc.to_vec(),
            kind: Kind::Msg(msg),
            causes: Vec::new(),
        }
    }

    fn resolve(&self, r: &str) -> Option<Value> {
        let frag = r.strip_prefix('#')?;
        let mut cur = self.root.clone();
        if frag.is_empty() {
            return Some(cur);
        }
        let frag = frag.strip_prefix('/')?;
        for tok in frag.split('/') {
            let tok = percent_decode(tok).replace("~1", "/").replace("~0", "~");
            cur = match &cur {
                Value::Map(m, _) => m.borrow().get(&tok).cloned()?,
                Value::List(l, _) => l.get(tok.parse::<usize>().ok()?).cloned()?,
                _ => return None,
            };
        }
        Some(cur)
    }

    fn regex(&self, pat: &str) -> Option<regex::Regex> {
        self.regex_cache
            .borrow_mut()
            .entry(pat.to_string())
            .or_insert_with(|| regex::Regex::new(pat).ok())
            .clone()
    }

    fn validate(&self, s: &Value, v: &Value, loc: &mut Vec<String>, depth: usize) -> VResult {
        if depth > 256 {
            return Err(self.err(loc, "schema nesting too deep (reference cycle?)".into()));
        }
        let id = match s {
            Value::Map(m, _) => std::rc::Rc::as_ptr(m) as usize,
            _ => 0,
        };
        if id != 0 {
            let cycle = self
                .stack
                .borrow()
                .iter()
                .rev()
                .take_while(|(_, d)| *d == loc.len())
                .any(|(p, _)| *p == id);
            if cycle {
                return Err(self.err(loc, "schema reference cycle".into()));
            }
            self.stack.borrow_mut().push((id, loc.len()));
        }
        let r = self.validate_inner(s, v, loc, depth);
        if id != 0 {
            self.stack.borrow_mut().pop();
        }
        r
    }

    fn validate_inner(&self, s: &Value, v: &Value, loc: &mut Vec<String>, depth: usize) -> VResult {
        match s {
            Value::Bool(true) => return Ok(()),
            Value::Bool(false) => return Err(self.err(loc, "false schema".into())),
            Value::Map(..) => {}
            _ => return Ok(()),
        }
        let t = type_of(v);
        // type
        if let Some(ty) = get(s, "type") {
            let types: Vec<String> = match &ty {
                Value::String(x) => vec![x.to_string()],
                Value::List(l, _) => l
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => Vec::new(),
            };
            if !types.is_empty() {
                let is_int = num(v).is_some_and(|f| f.fract() == 0.0);
                let matched = types.iter().any(|x| x == t)
                    || (types.iter().any(|x| x == "integer") && t == "number" && is_int);
                if !matched {
                    const ORDER: [&str; 7] = [
                        "null", "boolean", "number", "integer", "string", "array", "object",
                    ];
                    let want: Vec<&str> = ORDER
                        .iter()
                        .copied()
                        .filter(|o| types.iter().any(|x| x == o))
                        .collect();
                    return Err(self.err(loc, format!("got {t}, want {}", want.join(" or "))));
                }
            }
        }
        // const
        if let Some(c) = get(s, "const") {
            if !json_equal(v, &c) {
                let msg = match c {
                    Value::List(..) | Value::Map(..) => "'const' failed".to_string(),
                    other => format!("value must be {}", display_value(&other)),
                };
                return Err(self.err(loc, msg));
            }
        }
        // enum
        if let Some(Value::List(items, _)) = get(s, "enum") {
            if !items.iter().any(|i| json_equal(v, i)) {
                let primitive = !items
                    .iter()
                    .any(|i| matches!(i, Value::List(..) | Value::Map(..)));
                let msg = if !primitive {
                    "'enum' failed".to_string()
                } else if items.len() == 1 {
                    format!("value must be {}", display_value(&items[0]))
                } else {
                    format!(
                        "value must be one of {}",
                        items
                            .iter()
                            .map(display_value)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                return Err(self.err(loc, msg));
            }
        }
        // format (asserted up to draft-07)
        if self.draft <= 7 {
            if let Some(Value::String(f)) = get(s, "format") {
                if let Some(e) = check_format(f.as_str_lossy(), v) {
                    return Err(
                        self.err(loc, format!("{} is not valid {f}: {e}", display_value(v)))
                    );
                }
            }
        }
        let mut errors: Vec<VErr> = Vec::new();
        // $ref
        if let Some(Value::String(r)) = get(s, "$ref") {
            let res = match self.resolve(r.as_str_lossy()) {
                Some(target) => self.validate(&target, v, loc, depth + 1),
                None => Ok(()),
            };
            let res = res.map_err(|e| VErr {
                loc: loc.clone(),
                kind: Kind::Reference,
                causes: match e.kind {
                    Kind::Group => e.causes,
                    _ => vec![e],
                },
            });
            if self.draft < 2019 {
                return res;
            }
            if let Err(e) = res {
                errors.push(e);
            }
        }
        match v {
            Value::Map(..) => self.obj(s, v, loc, depth, &mut errors),
            Value::List(..) => self.arr(s, v, loc, depth, &mut errors),
            Value::String(x) => self.str_(s, x.as_str_lossy(), loc, &mut errors),
            _ => {
                if let Some(n) = num(v) {
                    self.num_(s, n, loc, &mut errors);
                }
            }
        }
        self.cond(s, v, loc, depth, &mut errors);
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.pop().expect("one error")),
            _ => Err(VErr {
                loc: loc.clone(),
                kind: Kind::Group,
                causes: errors,
            }),
        }
    }

    fn sub(&self, s: &Value, v: &Value, loc: &mut Vec<String>, tok: &str, depth: usize) -> VResult {
        loc.push(tok.to_string());
        let r = self.validate(s, v, loc, depth + 1);
        loc.pop();
        r
    }

    fn obj(
        &self,
        s: &Value,
        v: &Value,
        loc: &mut Vec<String>,
        depth: usize,
        errors: &mut Vec<VErr>,
    ) {
        let Value::Map(m, _) = v else { return };
        let obj = m.borrow().clone();
        if let Some(min) = get_usize(s, "minProperties") {
            if obj.len() < min {
                errors.push(self.err(loc, format!("minProperties: got {}, want {min}", obj.len())));
            }
        }
        if let Some(max) = get_usize(s, "maxProperties") {
            if obj.len() > max {
                errors.push(self.err(loc, format!("maxProperties: got {}, want {max}", obj.len())));
            }
        }
        if let Some(Value::List(req, _)) = get(s, "required") {
            let missing: Vec<String> = req
                .iter()
                .filter_map(|r| r.as_str())
                .filter(|r| !obj.contains_key(*r))
                .map(String::from)
                .collect();
            if missing.len() == 1 {
                errors.push(self.err(loc, format!("missing property {}", quote(&missing[0]))));
            } else if !missing.is_empty() {
                errors.push(self.err(
                    loc,
                    format!(
                        "missing properties {}",
                        missing.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        if let Some(Value::Map(deps, _)) = get(s, "dependencies") {
            for (pname, dep) in deps.borrow().iter() {
                if !obj.contains_key(pname) {
                    continue;
                }
                match dep {
                    Value::List(l, _) => {
                        let missing: Vec<String> = l
                            .iter()
                            .filter_map(|r| r.as_str())
                            .filter(|r| !obj.contains_key(*r))
                            .map(String::from)
                            .collect();
                        if !missing.is_empty() {
                            errors.push(self.err(
                                loc,
                                format!(
                                    "properties {} required, if {} exists",
                                    missing.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", "),
                                    quote(pname)
                                ),
                            ));
                        }
                    }
                    sch => {
                        if let Err(e) = self.validate(sch, v, loc, depth + 1) {
                            errors.push(e);
                        }
                    }
                }
            }
        }
        let props = get(s, "properties");
        let pattern_props = get(s, "patternProperties");
        let additional = get(s, "additionalProperties");
        let mut not_allowed = Vec::new();
        for (pname, pvalue) in &obj {
            let mut evaluated = false;
            if let Some(ps) = props.as_ref().and_then(|p| get(p, pname)) {
                evaluated = true;
                if let Err(e) = self.sub(&ps, pvalue, loc, pname, depth) {
                    errors.push(e);
                }
            }
            if let Some(Value::Map(pp, _)) = &pattern_props {
                for (re, ps) in pp.borrow().iter() {
                    if self.regex(re).is_some_and(|r| r.is_match(pname)) {
                        evaluated = true;
                        if let Err(e) = self.sub(ps, pvalue, loc, pname, depth) {
                            errors.push(e);
                        }
                    }
                }
            }
            if !evaluated {
                match &additional {
                    Some(Value::Bool(false)) => not_allowed.push(pname.clone()),
                    Some(a @ Value::Map(..)) => {
                        if let Err(e) = self.sub(a, pvalue, loc, pname, depth) {
                            errors.push(e);
                        }
                    }
                    _ => {}
                }
            }
        }
        if !not_allowed.is_empty() {
            errors.push(self.err(
                loc,
                format!(
                    "additional properties {} not allowed",
                    not_allowed.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if self.draft == 4 {
            return;
        }
        if let Some(pn) = get(s, "propertyNames") {
            for pname in obj.keys() {
                if let Err(e) = self.validate(&pn, &Value::str(pname), &mut Vec::new(), depth + 1) {
                    errors.push(VErr {
                        loc: loc.clone(),
                        kind: Kind::Msg(format!("invalid propertyName {}", quote(pname))),
                        causes: match e.kind {
                            Kind::Group => e.causes,
                            _ => vec![e],
                        },
                    });
                }
            }
        }
        if self.draft == 6 {
            return;
        }
        if let Some(Value::Map(ds, _)) = get(s, "dependentSchemas") {
            for (pname, sch) in ds.borrow().iter() {
                if obj.contains_key(pname) {
                    if let Err(e) = self.validate(sch, v, loc, depth + 1) {
                        errors.push(e);
                    }
                }
            }
        }
        if let Some(Value::Map(dr, _)) = get(s, "dependentRequired") {
            for (pname, reqd) in dr.borrow().iter() {
                if !obj.contains_key(pname) {
                    continue;
                }
                if let Value::List(l, _) = reqd {
                    let missing: Vec<String> = l
                        .iter()
                        .filter_map(|r| r.as_str())
                        .filter(|r| !obj.contains_key(*r))
                        .map(String::from)
                        .collect();
                    if !missing.is_empty() {
                        errors.push(self.err(
                            loc,
                            format!(
                                "properties {} required, if {} exists",
                                missing.iter().map(|x| quote(x)).collect::<Vec<_>>().join(", "),
                                quote(pname)
                            ),
                        ));
                    }
                }
            }
        }
    }

    fn arr(
        &self,
        s: &Value,
        v: &Value,
        loc: &mut Vec<String>,
        depth: usize,
        errors: &mut Vec<VErr>,
    ) {
        let Value::List(arr, _) = v else { return };
        if let Some(min) = get_usize(s, "minItems") {
            if arr.len() < min {
                errors.push(self.err(loc, format!("minItems: got {}, want {min}", arr.len())));
            }
        }
        if let Some(max) = get_usize(s, "maxItems") {
            if arr.len() > max {
                errors.push(self.err(loc, format!("maxItems: got {}, want {max}", arr.len())));
            }
        }
        if matches!(get(s, "uniqueItems"), Some(Value::Bool(true))) && arr.len() > 1 {
            'outer: for i in 0..arr.len() {
                for j in i + 1..arr.len() {
                    if json_equal(&arr[i], &arr[j]) {
                        errors.push(self.err(loc, format!("items at {i} and {j} are equal")));
                        break 'outer;
                    }
                }
            }
        }
        let mut evaluated = 0usize;
        let prefix = if self.draft >= 2020 {
            get(s, "prefixItems")
        } else {
            None
        };
        let items = get(s, "items");
        let tuple = match (&prefix, &items) {
            (Some(Value::List(p, _)), _) => Some(p.clone()),
            (None, Some(Value::List(p, _))) => Some(p.clone()),
            _ => None,
        };
        if let Some(tuple) = &tuple {
            let n = tuple.len().min(arr.len());
            for i in 0..n {
                if let Err(e) = self.sub(&tuple[i], &arr[i], loc, &i.to_string(), depth) {
                    errors.push(e);
                }
            }
            evaluated = n;
        }
        let rest_schema = if prefix.is_some() {
            items.filter(|i| !matches!(i, Value::List(..)))
        } else if tuple.is_some() {
            get(s, "additionalItems")
        } else {
            items
        };
        match rest_schema {
            Some(Value::Bool(false))
                if tuple.is_some() && prefix.is_none() && evaluated != arr.len() =>
            {
                errors.push(self.err(
                    loc,
                    format!(
                        "last {} additionalItem(s) not allowed",
                        arr.len() - evaluated
                    ),
                ));
            }
            Some(sch) => {
                for (i, item) in arr.iter().enumerate().skip(evaluated) {
                    if let Err(e) = self.sub(&sch, item, loc, &i.to_string(), depth) {
                        errors.push(e);
                    }
                }
            }
            None => {}
        }
        if let Some(cs) = get(s, "contains") {
            let mut errs = Vec::new();
            let mut matched = Vec::new();
            for (i, item) in arr.iter().enumerate() {
                match self.sub(&cs, item, loc, &i.to_string(), depth) {
                    Ok(()) => matched.push(i),
                    Err(e) => errs.push(e),
                }
            }
            let fmt_list = |m: &[usize]| {
                m.iter()
                    .map(|x| x.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if let Some(min) = get_usize(s, "minContains").filter(|_| self.draft >= 2019) {
                if matched.len() < min {
                    let msg = if matched.is_empty() {
                        format!(
                            "min {min} items required to match contains schema, but none matched"
                        )
                    } else {
                        format!(
                            "min {min} items required to match contains schema, but matched {} items at {}",
                            matched.len(),
                            fmt_list(&matched)
                        )
                    };
                    errors.push(VErr {
                        loc: loc.clone(),
                        kind: Kind::Msg(msg),
                        causes: errs,
                    });
                }
            } else if matched.is_empty() {
                errors.push(VErr {
                    loc: loc.clone(),
                    kind: Kind::Msg("no items match contains schema".into()),
                    causes: errs,
                });
            }
            if let Some(max) = get_usize(s, "maxContains").filter(|_| self.draft >= 2019) {
                if matched.len() > max {
                    errors.push(self.err(
                        loc,
                        format!(
                            "max {max} items required to match contains schema, but matched {} items at {}",
                            matched.len(),
                            fmt_list(&matched)
                        ),
                    ));
                }
            }
        }
    }

    fn str_(&self, s: &Value, x: &str, loc: &[String], errors: &mut Vec<VErr>) {
        let len = x.chars().count();
        if let Some(min) = get_usize(s, "minLength") {
            if len < min {
                errors.push(self.err(loc, format!("minLength: got {len}, want {min}")));
            }
        }
        if let Some(max) = get_usize(s, "maxLength") {
            if len > max {
                errors.push(self.err(loc, format!("maxLength: got {len}, want {max}")));
            }
        }
        if let Some(Value::String(p)) = get(s, "pattern") {
            if let Some(re) = self.regex(p.as_str_lossy()) {
                if !re.is_match(x) {
                    errors.push(self.err(
                        loc,
                        format!(
                            "{} does not match pattern {}",
                            quote(x),
                            quote(p.as_str_lossy())
                        ),
                    ));
                }
            }
        }
    }

    fn num_(&self, s: &Value, n: f64, loc: &[String], errors: &mut Vec<VErr>) {
        let bound = |k: &str| get(s, k).and_then(|v| num(&v));
        // draft-04: boolean exclusiveMinimum/Maximum turn minimum/maximum exclusive
        let excl = |k: &str| matches!(get(s, k), Some(Value::Bool(true)));
        let (mut minimum, mut maximum) = (bound("minimum"), bound("maximum"));
        let (mut ex_min, mut ex_max) = (bound("exclusiveMinimum"), bound("exclusiveMaximum"));
        if excl("exclusiveMinimum") {
            ex_min = minimum.take();
        }
        if excl("exclusiveMaximum") {
            ex_max = maximum.take();
        }
        if let Some(m) = minimum {
            if n < m {
                errors.push(self.err(
                    loc,
                    format!("minimum: got {}, want {}", fmt_num(n), fmt_num(m)),
                ));
            }
        }
        if let Some(m) = maximum {
            if n > m {
                errors.push(self.err(
                    loc,
                    format!("maximum: got {}, want {}", fmt_num(n), fmt_num(m)),
                ));
            }
        }
        if let Some(m) = ex_min {
            if n <= m {
                errors.push(self.err(
                    loc,
                    format!("exclusiveMinimum: got {}, want {}", fmt_num(n), fmt_num(m)),
                ));
            }
        }
        if let Some(m) = ex_max {
            if n >= m {
                errors.push(self.err(
                    loc,
                    format!("exclusiveMaximum: got {}, want {}", fmt_num(n), fmt_num(m)),
                ));
            }
        }
        if let Some(m) = bound("multipleOf") {
            if m != 0.0 {
                let q = n / m;
                let ok = (q - q.round()).abs() <= 1e-9 * q.abs().max(1.0);
                if !ok {
                    errors.push(self.err(
                        loc,
                        format!("multipleOf: got {}, want {}", fmt_num(n), fmt_num(m)),
                    ));
                }
            }
        }
    }

    fn cond(
        &self,
        s: &Value,
        v: &Value,
        loc: &mut Vec<String>,
        depth: usize,
        errors: &mut Vec<VErr>,
    ) {
        if let Some(n) = get(s, "not") {
            if self.validate(&n, v, loc, depth + 1).is_ok() {
                errors.push(self.err(loc, "'not' failed".into()));
            }
        }
        if let Some(Value::List(all, _)) = get(s, "allOf") {
            let errs: Vec<VErr> = all
                .iter()
                .filter_map(|sch| self.validate(sch, v, loc, depth + 1).err())
                .collect();
            if !errs.is_empty() {
                errors.push(VErr {
                    loc: loc.clone(),
                    kind: Kind::Msg("'allOf' failed".into()),
                    causes: errs,
                });
            }
        }
        if let Some(Value::List(any, _)) = get(s, "anyOf") {
            let mut errs = Vec::new();
            let mut matched = false;
            for sch in any.iter() {
                match self.validate(sch, v, loc, depth + 1) {
                    Ok(()) => {
                        matched = true;
                        break;
                    }
                    Err(e) => errs.push(e),
                }
            }
            if !matched {
                errors.push(VErr {
                    loc: loc.clone(),
                    kind: Kind::Msg("'anyOf' failed".into()),
                    causes: errs,
                });
            }
        }
        if let Some(Value::List(one, _)) = get(s, "oneOf") {
            let mut errs = Vec::new();
            let mut matched: Option<usize> = None;
            for (i, sch) in one.iter().enumerate() {
                match self.validate(sch, v, loc, depth + 1) {
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(first) => {
                            errors.push(self.err(
                                loc,
                                format!("'oneOf' failed, subschemas {first}, {i} matched"),
                            ));
                            break;
                        }
                    },
                    Err(e) => {
                        if matched.is_none() {
                            errs.push(e);
                        }
                    }
                }
            }
            if matched.is_none() {
                errors.push(VErr {
                    loc: loc.clone(),
                    kind: Kind::Msg("'oneOf' failed, none matched".into()),
                    causes: errs,
                });
            }
        }
        if let Some(i) = get(s, "if") {
            if self.validate(&i, v, loc, depth + 1).is_ok() {
                if let Some(t) = get(s, "then") {
                    if let Err(e) = self.validate(&t, v, loc, depth + 1) {
                        errors.push(e);
                    }
                }
            } else if let Some(e) = get(s, "else") {
                if let Err(e) = self.validate(&e, v, loc, depth + 1) {
                    errors.push(e);
                }
            }
        }
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && b[i + 1].is_ascii() && b[i + 2].is_ascii() {
            if let Ok(x) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(x);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `format` checks with jsonschema v6's rules and messages; `None` when valid or unknown.
fn check_format(f: &str, v: &Value) -> Option<String> {
    let s = v.as_str()?;
    match f {
        "email" => check_email(s),
        "ipv4" => check_ipv4(s),
        "ipv6" => check_ipv6(s),
        "hostname" => check_hostname(s),
        "uuid" => check_uuid(s),
        "date" => check_date(s),
        "time" => check_time(s),
        "date-time" => check_date_time(s),
        "duration" => check_duration(s),
        "uri" => check_uri(s, false),
        "uri-reference" => check_uri(s, true),
        "json-pointer" => check_json_pointer(s),
        _ => None,
    }
}

fn go_q_rune(c: char) -> String {
    let q = go_quote(&c.to_string());
    let inner = &q[1..q.len() - 1];
    let inner = if inner == "\\\"" {
        "\""
    } else if inner == "'" {
        "\\'"
    } else {
        inner
    };
    format!("'{inner}'")
}

fn check_ipv4(s: &str) -> Option<String> {
    let groups: Vec<&str> = s.split('.').collect();
    if groups.len() != 4 {
        return Some("expected four decimals".into());
    }
    for g in groups {
        if g.len() > 1 && g.starts_with('0') {
            return Some("leading zeros".into());
        }
        let digits = g.strip_prefix(['+', '-']).unwrap_or(g);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                go_quote(g)
            ));
        }
        match g.parse::<i64>() {
            Ok(n) if (0..=255).contains(&n) => {}
            Ok(_) => return Some("decimal must be between 0 and 255".into()),
            Err(_) => {
                return Some(format!(
                    "strconv.Atoi: parsing {}: value out of range",
                    go_quote(g)
                ))
            }
        }
    }
    None
}

fn check_ipv6(s: &str) -> Option<String> {
    if !s.contains(':') {
        return Some("missing colon".into());
    }
    if s.contains('%') {
        return Some("zone id is not a part of ipv6 address".into());
    }
    if s.parse::<std::net::Ipv6Addr>().is_err() {
        return Some(format!("ParseAddr({}): unable to parse IP", go_quote(s)));
    }
    None
}

fn check_hostname(s: &str) -> Option<String> {
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.len() > 253 {
        return Some("more than 253 characters long".into());
    }
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Some("label must be 1 to 63 characters long".into());
        }
        if label.starts_with('-') {
            return Some("label starts with hyphen".into());
        }
        if label.ends_with('-') {
            return Some("label ends with hyphen".into());
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Some(format!("invalid character {}", go_q_rune(c)));
        }
    }
    None
}

fn check_email(s: &str) -> Option<String> {
    if s.len() > 254 {
        return Some("more than 255 characters long".into());
    }
    let Some(at) = s.rfind('@') else {
        return Some("missing @".into());
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.len() > 64 {
        return Some("local part more than 64 characters long".into());
    }
    if local.len() > 1 && local.starts_with('"') && local.ends_with('"') {
        let inner = &local[1..local.len() - 1];
        if inner.contains('\\') || inner.contains('"') {
            return Some("backslash and quote are not allowed within quoted local part".into());
        }
    } else {
        if local.starts_with('.') {
            return Some("starts with dot".into());
        }
        if local.ends_with('.') {
            return Some("ends with dot".into());
        }
        if local.contains("..") {
            return Some("consecutive dots".into());
        }
        if let Some(c) = local
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || ".!#$%&'*+-/=?^_`{|}~".contains(*c)))
        {
            return Some(format!("invalid character {}", go_q_rune(c)));
        }
    }
    if domain.len() >= 2 && domain.starts_with('[') && domain.ends_with(']') {
        let d = &domain[1..domain.len() - 1];
        if let Some(rem) = d.strip_prefix("IPv6:") {
            return check_ipv6(rem).map(|e| format!("invalid ipv6 address: {e}"));
        }
        return check_ipv4(d).map(|e| format!("invalid ipv4 address: {e}"));
    }
    check_hostname(domain).map(|e| format!("invalid domain: {e}"))
}

fn check_uuid(s: &str) -> Option<String> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let groups: Vec<&str> = s.split('-').collect();
    if groups.len() != GROUPS.len() {
        return Some(format!("must have {} elements", GROUPS.len()));
    }
    for (i, g) in groups.iter().enumerate() {
        if g.len() != GROUPS[i] {
            return Some(format!(
                "element {} must be {} characters long",
                i + 1,
                GROUPS[i]
            ));
        }
        if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Some(format!("non-hex character {}", go_q_rune(c)));
        }
    }
    None
}

/// Go's `time.Parse("2006-01-02", s)` error text, or `None`.
fn check_date(s: &str) -> Option<String> {
    let layout = "2006-01-02";
    let cannot = |rest: &str, elem: &str| {
        Some(format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(s),
            go_quote(layout),
            go_quote(rest),
            go_quote(elem)
        ))
    };
    let range = |what: &str| Some(format!("parsing time {}: {what} out of range", go_quote(s)));
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        if b.len() < from + n || !b[from..from + n].iter().all(|c| c.is_ascii_digit()) {
            return None;
        }
        std::str::from_utf8(&b[from..from + n]).ok()?.parse().ok()
    };
    let rest =
        |from: usize| -> String { String::from_utf8_lossy(&b[from.min(b.len())..]).into_owned() };
    let Some(year) = digits(0, 4) else {
        return cannot(&rest(0), "2006");
    };
    if b.get(4) != Some(&b'-') {
        return cannot(&rest(4), "-");
    }
    let Some(month) = digits(5, 2) else {
        return cannot(&rest(5), "01");
    };
    if !(1..=12).contains(&month) {
        return range("month");
    }
    if b.get(7) != Some(&b'-') {
        return cannot(&rest(7), "-");
    }
    let Some(day) = digits(8, 2) else {
        return cannot(&rest(8), "02");
    };
    if b.len() > 10 {
        return Some(format!(
            "parsing time {}: extra text: {}",
            go_quote(s),
            go_quote(&rest(10))
        ));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if day < 1 || day > days[(month - 1) as usize] {
        return range("day");
    }
    None
}

fn check_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 9 {
        return Some("less than 9 characters long".into());
    }
    if b[2] != b':' || b[5] != b':' {
        return Some("missing colon in correct place".into());
    }
    let num = |x: &[u8]| -> Option<i64> { std::str::from_utf8(x).ok()?.parse().ok() };
    let (Some(h), Some(m), Some(sec)) = (num(&b[0..2]), num(&b[3..5]), num(&b[6..8])) else {
        return Some("invalid hour/min/sec".into());
    };
    if h < 0 || m < 0 || sec < 0 {
        return Some("non-positive hour/min/sec".into());
    }
    if h > 23 || m > 59 || sec > 60 {
        return Some("hour/min/sec out of range".into());
    }
    let mut rest = &b[8..];
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return Some("no digits in second fraction".into());
        }
        rest = &rest[1 + n..];
    }
    let (mut hh, mut mm) = (h, m);
    if rest != b"z" && rest != b"Z" {
        if rest.len() != 6 {
            return Some("offset must be 6 characters long".into());
        }
        let sign = match rest[0] {
            b'+' => -1,
            b'-' => 1,
            _ => return Some("offset must begin with plus/minus".into()),
        };
        if rest[3] != b':' {
            return Some("missing colon in offset in correct place".into());
        }
        let (Some(zh), Some(zm)) = (num(&rest[1..3]), num(&rest[4..6])) else {
            return Some("invalid hour/min in offset".into());
        };
        if zh < 0 || zm < 0 {
            return Some("non-positive hour/min in offset".into());
        }
        if zh > 23 || zm > 59 {
            return Some("hour/min in offset out of range".into());
        }
        let mut hm = (h * 60 + m) + sign * (zh * 60 + zm);
        if hm < 0 {
            hm += 24 * 60;
        }
        hh = hm / 60;
        mm = hm % 60;
    }
    if sec >= 60 && (hh != 23 || mm != 59) {
        return Some("invalid leap second".into());
    }
    None
}

fn check_date_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 20 {
        return Some("less than 20 characters long".into());
    }
    if b[10] != b't' && b[10] != b'T' {
        return Some("11th character must be t or T".into());
    }
    if !s.is_char_boundary(10) || !s.is_char_boundary(11) {
        return Some("invalid date element".into());
    }
    if let Some(e) = check_date(&s[..10]) {
        return Some(format!("invalid date element: {e}"));
    }
    check_time(&s[11..]).map(|e| format!("invalid time element: {e}"))
}

fn check_duration(s: &str) -> Option<String> {
    let Some(s) = s.strip_prefix('P') else {
        return Some("must start with P".into());
    };
    if s.is_empty() {
        return Some("nothing after P".into());
    }
    if let Some(w) = s.strip_suffix('W') {
        if w.is_empty() {
            return Some("no number in week".into());
        }
        if !w.bytes().all(|c| c.is_ascii_digit()) {
            return Some("invalid week".into());
        }
        return None;
    }
    let all = ["YMD", "HMS"];
    for (i, part) in s.split('T').enumerate() {
        if i != 0 && part.is_empty() {
            return Some("no time elements".into());
        }
        if i >= all.len() {
            return Some("more than one T".into());
        }
        let mut units = all[i];
        let mut p = part;
        while !p.is_empty() {
            let n = p.bytes().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Some("missing number".into());
            }
            p = &p[n..];
            let Some(unit) = p.chars().next() else {
                return Some("missing unit".into());
            };
            match units.find(unit) {
                Some(j) => units = &units[j + 1..],
                None => {
                    return Some(if all[i].contains(unit) {
                        format!("unit {} out of order", go_q_rune(unit))
                    } else {
                        format!("invalid unit {}", go_q_rune(unit))
                    })
                }
            }
            p = &p[unit.len_utf8()..];
        }
    }
    None
}

fn check_uri(s: &str, reference: bool) -> Option<String> {
    // Go's url.Parse: a scheme is letters/digits/+-. after a leading letter, before ':'
    let scheme_end = s.find(':');
    let has_scheme = scheme_end.is_some_and(|i| {
        i > 0
            && s.as_bytes()[0].is_ascii_alphabetic()
            && s[..i]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    });
    if scheme_end == Some(0) {
        return Some(format!("parse {}: missing protocol scheme", go_quote(s)));
    }
    if let Some(rest) = s.split_once("://").map(|(_, r)| r).filter(|_| has_scheme) {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority
            .rsplit_once('@')
            .map(|(_, h)| h)
            .unwrap_or(authority);
        if let Some(c) = host.chars().find(|c| {
            matches!(
                c,
                ' ' | '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`'
            )
        }) {
            return Some(format!(
                "parse {}: invalid character {} in host name",
                go_quote(s),
                go_quote(&c.to_string())
            ));
        }
    }
    if !reference && !has_scheme {
        return Some("relative url".into());
    }
    None
}

fn check_json_pointer(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if !s.starts_with('/') {
        return Some("not starting with /".into());
    }
    for tok in s.split('/').skip(1) {
        let mut esc = false;
        for c in tok.chars() {
            if esc {
                esc = false;
                if c != '0' && c != '1' {
                    return Some("~ must be followed by 0 or 1".into());
                }
                continue;
            }
            if c == '~' {
                esc = true;
            }
        }
        if esc {
            return Some("~ must be followed by 0 or 1".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(schema: &str, values: &str) -> String {
        let v = chartroom_yaml::from_yaml(values).unwrap();
        match validate_single(&v, schema.as_bytes()) {
            Ok(()) => String::new(),
            Err(e) => e,
        }
    }

    #[test]
    fn reference_cycles_terminate() {
        let s = r##"{"anyOf": [{"$ref": "#"}, {"$ref": "#"}, {"$ref": "#"}]}"##;
        assert!(!check(s, "a: 1\n").is_empty());
    }

    #[test]
    fn odd_input_does_not_panic() {
        let s = r#"{"properties": {"d": {"format": "date"}, "t": {"format": "date-time"}}, "$schema": "http://json-schema.org/draft-07/schema#"}"#;
        assert!(!check(s, "d: \"2é2-01-01\"\n").is_empty());
        assert!(!check(s, "t: \"2020-01-0é1T00:00:00Z\"\n").is_empty());
        let s = r##"{"properties": {"r": {"$ref": "#/definitions/%é1"}}}"##;
        assert_eq!(check(s, "r: 1\n"), "");
    }

    #[test]
    fn schema_json_errors_match_helm() {
        // helm 4.3.1 prints these under `s1:` (jsonschema reads with a json.Decoder).
        for (schema, want) in [
            (r#"{"a": "\x"}"#, "invalid escape sequence `\\x` in string"),
            (
                r#"{"a": "\uZZ"}"#,
                "invalid escape sequence `\\uZZ\"}` in string",
            ),
            (r#"{"a": 1.x}"#, "invalid character 'x' in numeric literal"),
            (
                r#"{"a": tru}"#,
                "invalid character '}' in literal true (expecting 'e')",
            ),
            (r#"{"a""#, "unexpected EOF"),
            ("", "EOF"),
            ("{} x", "invalid character after top-level value"),
        ] {
            assert_eq!(check(schema, "a: 1\n"), want, "{schema}");
        }
        // UseNumber: a number beyond float64 is no error.
        let s = r#"{"properties": {"a": {"maximum": 1e400}}}"#;
        assert_eq!(check(s, "a: 1\n"), "");
        let deep = "[".repeat(100_000);
        assert_eq!(check(&deep, "a: 1\n"), "exceeded max depth");
    }

    #[test]
    fn numbers_in_messages_match_helm() {
        // helm 4.3.1: `maximum: got 1.234567895×10⁰⁸, want -1×10⁰⁹`, `got 123,456.5`,
        // `got -2.5×10⁻⁰⁹`, `got 0.0001`; `value must be 0.00001` (the JSON text).
        let s = r#"{"properties": {"a": {"maximum": -1e9}}}"#;
        for (v, want) in [
            ("123456789.5", "1.234567895×10⁰⁸"),
            ("123456.5", "123,456.5"),
            ("-123456", "-123,456"),
            ("-2.5e-9", "-2.5×10⁻⁰⁹"),
            ("0.0001", "0.0001"),
            ("1e21", "1×10²¹"),
        ] {
            assert_eq!(
                check(s, &format!("a: {v}\n")),
                format!("- at '/a': maximum: got {want}, want -1×10⁰⁹\n")
            );
        }
        let s = r#"{"properties": {"a": {"const": 0.00001}}}"#;
        assert_eq!(check(s, "a: 1\n"), "- at '/a': value must be 0.00001\n");
    }

    #[test]
    fn messages_match_helm() {
        // recorded with helm 4.3.1 (one property per case: Helm orders properties randomly)
        let s = r##"{"$schema": "http://json-schema.org/draft-07/schema#", "required": ["image", "name"],
            "properties": {"replicas": {"type": "integer", "minimum": 1, "maximum": 5}}}"##;
        assert_eq!(
            check(s, "image: {}\nreplicas: 7\n"),
            "- at '': missing property 'name'\n- at '/replicas': maximum: got 7, want 5\n"
        );
        let s = r#"{"required": ["q"], "properties": {"mul": {"multipleOf": 2, "exclusiveMaximum": 10}}}"#;
        // a lone failing property's group is flattened into the root's list
        assert_eq!(
            check(s, "q: 1\nmul: 11\n"),
            "- at '/mul': exclusiveMaximum: got 11, want 10\n- at '/mul': multipleOf: got 11, want 2\n"
        );
        assert_eq!(
            check(s, "mul: 11\n"),
            "- at '': missing property 'q'\n- at '/mul': validation failed\n  - at '/mul': exclusiveMaximum: got 11, want 10\n  - at '/mul': multipleOf: got 11, want 2\n"
        );
        let s = r#"{"properties": {"any": {"anyOf": [{"type": "string"}, {"type": "boolean"}]}}}"#;
        assert_eq!(
            check(s, "any: 3\n"),
            "- at '/any': 'anyOf' failed\n  - at '/any': got number, want string\n  - at '/any': got number, want boolean\n"
        );
        let s = r#"{"properties": {"mode": {"enum": ["a", "b", 3]}, "c": {"const": "x"}}}"#;
        assert_eq!(
            check(s, "mode: z\n"),
            "- at '/mode': value must be one of 'a', 'b', 3\n"
        );
        assert_eq!(check(s, "c: y\n"), "- at '/c': value must be 'x'\n");
        let s = r#"{"additionalProperties": false, "properties": {"a": {}}}"#;
        assert_eq!(
            check(s, "a: 1\nextra: 1\n"),
            "- at '': additional properties 'extra' not allowed\n"
        );
        let s = r#"{"properties": {"t2": {"type": ["object", "string"]}, "k~/x": {"type": "string"}, "f": false}}"#;
        assert_eq!(
            check(s, "t2: 1\n"),
            "- at '/t2': got number, want string or object\n"
        );
        assert_eq!(
            check(s, "\"k~/x\": 1\n"),
            "- at '/k~0~1x': got number, want string\n"
        );
        assert_eq!(check(s, "f: 1\n"), "- at '/f': false schema\n");
    }

    #[test]
    fn refs_follow_the_draft() {
        let defs = r#""definitions": {"p": {"type": "integer", "minimum": 1}}"#;
        let s7 = format!(
            r##"{{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {{"r": {{"$ref": "#/definitions/p", "minimum": 100}}}}, {defs}}}"##
        );
        assert_eq!(check(&s7, "r: 0\n"), "- at '/r': minimum: got 0, want 1\n");
        let s20 = format!(
            r##"{{"required": ["q"], "properties": {{"r": {{"$ref": "#/definitions/p", "minimum": 100}}}}, {defs}}}"##
        );
        assert_eq!(
            check(&s20, "r: 0\n"),
            "- at '': missing property 'q'\n- at '/r': validation failed\n  - at '/r': minimum: got 0, want 1\n  - at '/r': minimum: got 0, want 100\n"
        );
    }
}
