//! The executor: walks a parsed template against data, writing output, with Go's semantics
//! and error texts.
//!
//! Statements (lists, `if`, `range`, `with`, `{{template}}`) run on an explicit, heap-allocated
//! frame stack, so `{{template}}` recursion to Go's depth limit (100000) never grows the Rust
//! stack. Expressions recurse only as deep as their parentheses (bounded by the parser).
//! Functions that re-enter the engine (`include`, `tpl`) do use the Rust stack; their nesting
//! is bounded by [`TemplateSet::set_native_depth_limit`].

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::ast::{Arg, Branch, Command, List, Node, Pipe, Template};
use crate::builtins::{self, Builtin};
use crate::error::{Error, ErrorKind};
use crate::func::{ArgType, FuncMap, Function};
use crate::gostr::{Str, StrBuf};
use crate::parser::{self, Input};
use crate::provenance::{Captures, Lookup, Provenance, Recorder, SourceLine};
use crate::util::go_quote;
use crate::value::{ElemKind, MapRef, Object, Tag, Value};

/// Go's `missingkey` option.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default` / `invalid`: a missing map key yields an invalid value (printed
    /// `<no value>`).
    #[default]
    Default,
    /// `missingkey=zero`: the zero value of the map's element type (`<no value>` for
    /// `interface{}` elements, as Helm sees).
    Zero,
    /// `missingkey=error`: executing stops with `map has no entry for key "x"`.
    Error,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub missing_key: MissingKey,
    /// Nested template calls allowed before `exceeded maximum template depth (100000)`.
    pub max_depth: usize,
    /// Steps allowed for one top-level execution; `None` is unlimited (Go has no such limit).
    pub fuel: Option<u64>,
    /// Bytes one execution may write (each `include`/`tpl` buffer counted on its own);
    /// `None` is unlimited (Go has no such limit). See [`crate::Limits::output_bytes`].
    pub max_output: Option<u64>,
    /// The `release-bytes` limit for the top-level execution (not the `include`/`tpl` ones
    /// inside it): (bytes the release's earlier templates wrote, the limit).
    pub release_output: Option<(u64, u64)>,
    /// The limits functions check (`until-length`, `string-bytes`, the YAML ones for
    /// `fromYaml`...), as the render was given them. The executor's own are `fuel` and
    /// `max_output` above.
    pub limits: crate::Limits,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            missing_key: MissingKey::Default,
            max_depth: 100_000,
            fuel: None,
            max_output: None,
            release_output: None,
            limits: crate::Limits::default(),
        }
    }
}

/// Default bound on executions nested through functions (`include` inside `include`...),
/// which recurse on the Rust stack. Helm itself stops `include` recursion at 1000 per name.
pub const DEFAULT_NATIVE_DEPTH_LIMIT: usize = 100;

/// A set of named templates that can call each other, parsed once and executed many times
/// (Go's `*template.Template` with its associated templates).
#[derive(Clone)]
pub struct TemplateSet {
    name: Rc<str>,
    templates: Rc<HashMap<Rc<str>, Rc<Template>>>,
    funcs: Rc<FuncMap>,
    options: Options,
    native_depth_limit: usize,
    values_methods: Option<MapMethods>,
}

/// The methods of a named map type: Helm's `common.Values` (the type of `.`, `.Values` and
/// what `.Values.Table` returns) has `YAML`, `Table`, `AsMap`, `PathValue` and `Encode`, and
/// Go's `text/template` looks a method up before a map key (`.Values.AsMap` calls it even
/// where the values have an `AsMap` key).
#[derive(Clone, Copy)]
pub struct MapMethods {
    /// The method names.
    pub names: &'static [&'static str],
    /// The map as a receiver whose [`Object::call_method`] runs them.
    pub receiver: fn(MapRef) -> Rc<dyn Object>,
}

impl std::fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.templates.keys().map(|k| &**k).collect();
        names.sort_unstable();
        f.debug_struct("TemplateSet")
            .field("name", &self.name)
            .field("templates", &names)
            .field("funcs", &self.funcs.len())
            .field("options", &self.options)
            .finish()
    }
}

impl Default for TemplateSet {
    fn default() -> TemplateSet {
        TemplateSet {
            name: Rc::from(""),
            templates: Rc::new(HashMap::new()),
            funcs: Rc::new(FuncMap::new()),
            options: Options::default(),
            native_depth_limit: DEFAULT_NATIVE_DEPTH_LIMIT,
            values_methods: None,
        }
    }
}

impl TemplateSet {
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    /// A set whose root template is called `name` (Go's `template.New(name)`); the name only
    /// appears in `no template "x" associated with template "NAME"` errors. Helm uses
    /// `gotpl`.
    pub fn with_name(name: &str) -> TemplateSet {
        TemplateSet {
            name: Rc::from(name),
            ..TemplateSet::default()
        }
    }

    /// The root name given to [`TemplateSet::with_name`] (empty by default).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn set_name(&mut self, name: &str) {
        self.name = Rc::from(name);
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// Bounds executions nested through functions (`include`, `tpl`), which use the Rust
    /// stack (default [`DEFAULT_NATIVE_DEPTH_LIMIT`]).
    pub fn set_native_depth_limit(&mut self, limit: usize) {
        self.native_depth_limit = limit;
    }

    pub fn native_depth_limit(&self) -> usize {
        self.native_depth_limit
    }

    /// Installs the methods of maps tagged [`ElemKind::Values`] (Helm's `common.Values`).
    pub fn set_values_methods(&mut self, methods: MapMethods) {
        self.values_methods = Some(methods);
    }

    /// Registers (or replaces) a function, like Go's `Funcs`.
    pub fn add_func(&mut self, name: &str, func: Function) {
        Rc::make_mut(&mut self.funcs).insert(name.to_string(), func);
    }

    pub fn add_funcs(&mut self, funcs: FuncMap) {
        Rc::make_mut(&mut self.funcs).extend(funcs);
    }

    /// The registered function `name`, if any (builtins are not listed).
    pub fn func(&self, name: &str) -> Option<&Function> {
        self.funcs.get(name)
    }

    /// Parses `text` as the template `name`, adding it and every `define`/`block` it contains
    /// to the set (Go's `t.New(name).Parse(text)`). A definition replaces an existing
    /// template of the same name unless its body is empty (only space), as in Go. On error
    /// nothing is added.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.parse_tree(name, Input::text(text)).map(|_| ())
    }

    /// [`TemplateSet::parse`] for source bytes that need not be UTF-8 (a Go string): text
    /// between actions is kept byte for byte, as Go's parser does.
    pub fn parse_bytes(&mut self, name: &str, text: &[u8]) -> Result<(), Error> {
        self.parse_tree(name, Input::bytes(text)).map(|_| ())
    }

    /// Like [`TemplateSet::parse`], also returning the freshly parsed top-level tree even when
    /// the set kept an older non-empty template of that name (Go's `t.New(name).Parse(text)`
    /// returns that new template, and executing it runs the new tree).
    fn parse_tree(&mut self, name: &str, text: Input<'_>) -> Result<Rc<Template>, Error> {
        let funcs = self.funcs.clone();
        let has = move |n: &str| funcs.contains_key(n) || builtins::lookup(n).is_some();
        let parsed = parser::parse(name, text, &has)?;
        self.add_parsed(name, parsed)
    }

    /// Parses every `(name, source bytes)` in order, as [`TemplateSet::parse_bytes`] on each
    /// would, using a second thread for large inputs where threads exist (files parse
    /// independently; trees join the set in order). On error, the index of the first file
    /// that failed and its error; the files before it were added.
    pub fn parse_all(&mut self, files: &[(&str, &[u8])]) -> Result<(), (usize, Error)> {
        let names: std::collections::HashSet<&str> =
            self.funcs.keys().map(|k| k.as_str()).collect();
        let has = |n: &str| names.contains(n) || builtins::lookup(n).is_some();
        let results = crate::parallel::parse_files(files, &has);
        let mut added = Ok(());
        for (i, (result, (name, _))) in results.into_iter().zip(files).enumerate() {
            if added.is_err() {
                // Trees after a failure are dropped unused, as if never parsed.
                continue;
            }
            added = result
                .and_then(|parsed| self.add_parsed(name, parsed).map(|_| ()))
                .map_err(|e| (i, e));
        }
        added
    }

    /// Adds a parse result's trees to the set (Go's `associate`): the top-level tree of
    /// `name` is returned.
    fn add_parsed(&mut self, name: &str, parsed: parser::Parsed) -> Result<Rc<Template>, Error> {
        let map = Rc::make_mut(&mut self.templates);
        let mut top = None;
        for t in parsed.trees {
            let t = Rc::new(t);
            if &*t.name == name {
                top = Some(t.clone());
            }
            if map.contains_key(&t.name) && crate::ast::is_empty_list(&t.root) {
                continue;
            }
            map.insert(t.name.clone(), t);
        }
        match top {
            Some(t) => Ok(t),
            None => Err(self.lookup_error(name)),
        }
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    /// The parsed template `name`, if any.
    pub fn template(&self, name: &str) -> Option<&Template> {
        self.templates.get(name).map(|t| &**t)
    }

    /// Names of all templates in the set (unordered).
    pub fn template_names(&self) -> Vec<String> {
        self.templates.keys().map(|k| k.to_string()).collect()
    }

    /// Executes template `name` with `data` as dot, returning its output as text (lossy:
    /// bytes that are not UTF-8 read as U+FFFD; [`TemplateSet::execute_bytes`] keeps them).
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = StrBuf::new();
        self.execute_to(name, data, &mut out)?;
        Ok(out.finish().to_string_lossy())
    }

    /// Executes template `name` with `data` as dot, returning its output's bytes exactly (a Go
    /// template writes whatever bytes its strings hold).
    pub fn execute_bytes(&self, name: &str, data: &Value) -> Result<Vec<u8>, Error> {
        let mut out = StrBuf::new();
        self.execute_to(name, data, &mut out)?;
        Ok(out.into_bytes())
    }

    /// Executes template `name` with `data` as dot, appending to `out`. On error `out` holds
    /// the output written before the error, as with Go's writer.
    pub fn execute_to(&self, name: &str, data: &Value, out: &mut StrBuf) -> Result<(), Error> {
        let fuel = self.options.fuel.map(|f| Rc::new(Cell::new(f)));
        self.run(name, data, out, Nesting::top(fuel), None)
    }

    /// [`TemplateSet::execute_to`], recording where each stretch of output came from into
    /// `prov` (also when it fails: `prov` then describes the output written before the error).
    pub fn execute_traced(
        &self,
        name: &str,
        data: &Value,
        out: &mut StrBuf,
        prov: &mut Provenance,
    ) -> Result<(), Error> {
        let fuel = self.options.fuel.map(|f| Rc::new(Cell::new(f)));
        self.run(name, data, out, Nesting::top(fuel), Some(prov))
    }

    fn lookup_error(&self, name: &str) -> Error {
        Error {
            kind: ErrorKind::Lookup,
            name: Some(name.to_string()),
            line: None,
            col: None,
            message: format!(
                "template: no template {} associated with template {}",
                go_quote(name),
                go_quote(&self.name)
            ),
        }
    }

    fn run(
        &self,
        name: &str,
        data: &Value,
        out: &mut StrBuf,
        nesting: Nesting,
        record: Option<&mut Provenance>,
    ) -> Result<(), Error> {
        let tmpl = match self.templates.get(name) {
            Some(t) => t,
            None => return Err(self.lookup_error(name)),
        };
        self.run_template(tmpl, data, out, nesting, record)
    }

    fn run_template<'a>(
        &'a self,
        tmpl: &'a Template,
        data: &Value,
        out: &mut StrBuf,
        nesting: Nesting,
        record: Option<&mut Provenance>,
    ) -> Result<(), Error> {
        let Nesting {
            depth,
            native_depth,
            fuel,
        } = nesting;
        let dot = match data {
            Value::Nil => V::Invalid,
            v => V::Val(v.clone()),
        };
        let mut ex = Exec {
            st: State {
                set: self,
                template_name: tmpl.name.clone(),
                depth,
                native_depth,
                fuel,
                captures: record.is_some().then(Captures::default),
            },
            tmpl,
            node: None,
            vars: Vec::with_capacity(8),
            dollar: Rc::from("$"),
            out,
            frames: Vec::with_capacity(16),
            prov: record.is_some().then(Recorder::default),
        };
        ex.vars.push((ex.dollar.clone(), dot.clone()));
        let result = ex.run(dot).map_err(|e| *e);
        if let (Some(record), Some(rec)) = (record, ex.prov.take()) {
            record.spans = rec.spans;
        }
        result
    }
}

/// How deep an execution runs (template calls, executions through functions) and the step
/// budget it shares with its caller.
struct Nesting {
    depth: usize,
    native_depth: usize,
    fuel: Option<Rc<Cell<u64>>>,
}

impl Nesting {
    fn top(fuel: Option<Rc<Cell<u64>>>) -> Nesting {
        Nesting {
            depth: 0,
            native_depth: 0,
            fuel,
        }
    }
}

/// What a running function sees of the execution: the template set (to run other templates,
/// as Helm's `include` does, or to parse new text, as `tpl` does) and the options.
pub struct State<'a> {
    set: &'a TemplateSet,
    template_name: Rc<str>,
    depth: usize,
    native_depth: usize,
    fuel: Option<Rc<Cell<u64>>>,
    /// `include`/`tpl` results with their provenance, when the execution records it.
    captures: Option<Captures>,
}

impl<'a> State<'a> {
    /// The set being executed.
    pub fn template_set(&self) -> &TemplateSet {
        self.set
    }

    /// Name of the top-level template being executed (Go's `Template.Name()` of the template
    /// `Execute` was called on).
    pub fn template_name(&self) -> &str {
        &self.template_name
    }

    /// Current nesting depth of template calls.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The options of the running set.
    pub fn options(&self) -> &Options {
        &self.set.options
    }

    fn nested(&self) -> Nesting {
        Nesting {
            depth: self.depth + 1,
            native_depth: self.native_depth + 1,
            fuel: self.fuel.clone(),
        }
    }

    fn check_nesting(&self) -> Result<(), Error> {
        let max = self.set.options.max_depth;
        if self.depth >= max {
            return Err(Error::new(
                ErrorKind::Limit,
                format!("exceeded maximum template depth ({max})"),
            ));
        }
        if self.native_depth + 1 > self.set.native_depth_limit {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "exceeded maximum nesting of template executions through functions ({})",
                    self.set.native_depth_limit
                ),
            ));
        }
        Ok(())
    }

    /// Executes the named template of the current set with `data` as dot and returns its output
    /// (Helm's `include`). Counts toward the depth limit.
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<Str, Error> {
        self.check_nesting()?;
        let mut out = StrBuf::new();
        let mut prov = self.captures.as_ref().map(|_| Provenance::default());
        self.set
            .run(name, data, &mut out, self.nested(), prov.as_mut())?;
        let out = out.finish();
        if let (Some(c), Some(p)) = (self.captures.as_mut(), prov) {
            c.capture(out.clone(), p);
        }
        Ok(out)
    }

    /// Parses `text` (a Go string: any bytes) as template `name` into a copy of the current
    /// set (with `options`) and executes the freshly parsed tree with `data` (Helm's `tpl`:
    /// `t.New(name).Parse(text)` then `Execute`, so an empty or definitions-only text runs as
    /// itself even when the copy keeps an older template of that name). Definitions it makes
    /// do not leak into the running set. Counts toward the depth limit.
    pub fn execute_text(
        &mut self,
        name: &str,
        text: &Str,
        data: &Value,
        options: &Options,
    ) -> Result<Str, Error> {
        self.check_nesting()?;
        let mut set = self.set.clone();
        set.set_options(options.clone());
        let input = match text.to_str() {
            Some(t) => Input::text(t),
            None => Input::bytes(text.as_bytes()),
        };
        let tmpl = set.parse_tree(name, input)?;
        let mut out = StrBuf::new();
        // Not traced inside: the text's lines are not lines of a chart file (it usually
        // comes from values), so what it prints is the calling action's.
        set.run_template(&tmpl, data, &mut out, self.nested(), None)?;
        Ok(out.finish())
    }
}

// ---------------------------------------------------------------------------------------
// Execution internals.

/// A value as the executor sees it: Go's `reflect.Value`, which may be invalid (a missing
/// key, a nil dot), hold a value in an `interface{}`-typed slot (a map or slice element of
/// `map[string]interface{}`/`[]interface{}`), or hold a concrete value.
#[derive(Clone, Debug)]
pub(crate) enum V {
    Invalid,
    Iface(Value),
    Val(Value),
}

impl V {
    /// Go's `indirectInterface`, also what a pipeline does to its result.
    pub(crate) fn concrete(self) -> V {
        match self {
            V::Iface(Value::Nil) | V::Val(Value::Nil) => V::Invalid,
            // Unboxing copies the value: it is no longer addressable.
            V::Iface(v) => V::Val(unaddressable(v)),
            v => v,
        }
    }

    /// The value as an `interface{}` argument receives it.
    pub(crate) fn into_value(self) -> Value {
        match self {
            V::Invalid => Value::Nil,
            V::Iface(v) | V::Val(v) => v,
        }
    }

    pub(crate) fn truth(&self) -> bool {
        match self {
            V::Invalid => false,
            V::Iface(v) | V::Val(v) => v.is_true(),
        }
    }

    fn from_result(v: Value) -> V {
        match v {
            Value::Nil => V::Iface(Value::Nil),
            v => V::Val(v),
        }
    }
}

/// The value as a Go copy sees it (see [`Object::unaddressable`]).
fn unaddressable(v: Value) -> Value {
    if let Value::Object(o) = &v {
        if let Some(c) = o.unaddressable() {
            return c;
        }
    }
    v
}

/// A parameter type of a callee: Go's `reflect.Value` (builtins) or a declared type.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PT {
    RV,
    T(ArgType),
}

#[derive(Clone, Copy)]
enum NodeRef<'a> {
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
}

impl NodeRef<'_> {
    fn pos(&self) -> usize {
        match self {
            NodeRef::Node(n) => n.pos(),
            NodeRef::Pipe(p) => p.pos,
            NodeRef::Cmd(c) => c.pos,
            NodeRef::Arg(a) => a.pos(),
        }
    }

    fn context(&self) -> String {
        match self {
            NodeRef::Node(n) => n.to_string(),
            NodeRef::Pipe(p) => p.to_string(),
            NodeRef::Cmd(c) => c.to_string(),
            NodeRef::Arg(a) => a.to_string(),
        }
    }
}

enum Items {
    List(Rc<Vec<Value>>, bool),
    Bytes(Rc<[u8]>),
    Pairs(Vec<(Value, V)>),
    Int(i64, bool),
}

impl Items {
    fn len(&self) -> usize {
        match self {
            Items::List(l, _) => l.len(),
            Items::Bytes(b) => b.len(),
            Items::Pairs(p) => p.len(),
            Items::Int(n, _) => (*n).max(0) as usize,
        }
    }

    fn get(&self, i: usize) -> (V, V) {
        match self {
            Items::List(l, iface) => {
                let e = l[i].clone();
                (
                    V::Val(Value::Int(i as i64)),
                    if *iface { V::Iface(e) } else { V::Val(e) },
                )
            }
            Items::Bytes(b) => (
                V::Val(Value::Int(i as i64)),
                V::Val(Value::Int(b[i] as i64)),
            ),
            Items::Pairs(p) => (V::Val(p[i].0.clone()), p[i].1.clone()),
            Items::Int(_, is64) => (
                V::Invalid,
                V::Val(if *is64 {
                    Value::Int64(i as i64)
                } else {
                    Value::Int(i as i64)
                }),
            ),
        }
    }
}

struct RangeState<'a> {
    node: &'a Branch,
    items: Items,
    next: usize,
    mark: usize,
    outer_mark: usize,
}

enum Frame<'a> {
    List {
        nodes: &'a [Node],
        i: usize,
        dot: V,
    },
    Pop(usize),
    Range(Box<RangeState<'a>>),
    Template {
        vars: Vec<(Rc<str>, V)>,
        tmpl: &'a Template,
    },
}

type R<T> = Result<T, Box<Error>>;

enum Callee<'f> {
    Builtin(Builtin),
    User(&'f Function),
    Method(Rc<dyn Object>),
}

struct Exec<'a, 'o> {
    st: State<'a>,
    tmpl: &'a Template,
    node: Option<NodeRef<'a>>,
    vars: Vec<(Rc<str>, V)>,
    dollar: Rc<str>,
    out: &'o mut StrBuf,
    frames: Vec<Frame<'a>>,
    /// Where output came from, when the caller asked ([`TemplateSet::execute_traced`]).
    prov: Option<Recorder>,
}

fn arg_type_name(t: ArgType) -> &'static str {
    t.go_name()
}

fn can_be_nil(t: ArgType) -> bool {
    matches!(
        t,
        ArgType::Any
            | ArgType::List
            | ArgType::StringList
            | ArgType::Map
            | ArgType::Bytes
            | ArgType::Writer
    )
}

fn zero_of(t: ArgType) -> V {
    match t {
        // Go passes a nil slice or map (`set` on a nil map fails with "assignment to entry
        // in nil map"; `toJson` of one prints `null`).
        ArgType::List => V::Val(Value::nil_list()),
        ArgType::StringList => V::Val(Value::List(Rc::new(Vec::new()), Tag::STRING.as_nil())),
        ArgType::Map => V::Val(Value::nil_map()),
        ArgType::Bytes => V::Val(Value::Bytes(Rc::from(Vec::new()))),
        _ => V::Invalid,
    }
}

fn assignable(v: &Value, t: ArgType) -> bool {
    matches!(
        (t, v),
        (ArgType::Any, _)
            | (ArgType::String, Value::String(_))
            | (ArgType::Int, Value::Int(_))
            | (ArgType::Int64, Value::Int64(_))
            | (ArgType::Float64, Value::Float(_))
            | (ArgType::Bool, Value::Bool(_))
            | (ArgType::Bytes, Value::Bytes(_))
    ) || match (t, v) {
        (ArgType::List, Value::List(_, k)) => k.elem == ElemKind::Any,
        (ArgType::StringList, Value::List(_, k)) => k.elem == ElemKind::String,
        // `common.Values` is assignable to `map[string]interface{}`.
        (ArgType::Map, Value::Map(_, k)) => matches!(k.elem, ElemKind::Any | ElemKind::Values),
        _ => false,
    }
}

/// What a parameter of type `t` receives: Go converts a `common.Values` argument to the
/// parameter's `map[string]interface{}` (the same map).
fn convert_arg(v: Value, t: ArgType) -> Value {
    match v {
        Value::Map(m, k) if t == ArgType::Map && k.elem == ElemKind::Values => Value::Map(
            m,
            Tag {
                elem: ElemKind::Any,
                nil: k.nil,
            },
        ),
        v => v,
    }
}

fn is_hex_int(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') && !s.contains(['p', 'P'])
}

impl<'a> Exec<'a, '_> {
    fn errorf(&self, msg: impl std::fmt::Display) -> Box<Error> {
        self.error_kind(ErrorKind::Exec, msg)
    }

    fn error_kind(&self, kind: ErrorKind, msg: impl std::fmt::Display) -> Box<Error> {
        let name = &self.tmpl.name;
        match self.node {
            None => Box::new(Error {
                kind,
                name: Some(name.to_string()),
                line: None,
                col: None,
                message: format!("template: {name}: {msg}"),
            }),
            Some(n) => {
                let src = &self.tmpl.source;
                let pos = n.pos().min(src.text.len());
                let text = &src.text[..pos];
                let col = match text.iter().rposition(|&b| b == b'\n') {
                    None => pos,
                    Some(i) => pos - (i + 1),
                };
                let line = 1 + text.iter().filter(|&&b| b == b'\n').count();
                Box::new(Error {
                    kind,
                    name: Some(name.to_string()),
                    line: Some(line),
                    col: Some(col),
                    message: format!(
                        "template: {}:{}:{}: executing {} at <{}>: {}",
                        src.parse_name,
                        line,
                        col,
                        go_quote(name),
                        n.context(),
                        msg
                    ),
                })
            }
        }
    }

    #[inline]
    fn at(&mut self, n: NodeRef<'a>) {
        self.node = Some(n);
    }

    fn burn(&mut self) -> R<()> {
        if let Some(f) = &self.st.fuel {
            let left = f.get();
            if left == 0 {
                let total = self.st.set.options.fuel.unwrap_or(0);
                let msg = crate::limits::exceeded(
                    "execution fuel exhausted: template execution",
                    "steps",
                    total,
                );
                return Err(self.error_kind(ErrorKind::Limit, &msg));
            }
            f.set(left - 1);
        }
        self.check_output()
    }

    /// The `output-bytes` limit: checked at every step and once more when the template ends
    /// (a single action can write a large value after the last step).
    fn check_output(&mut self) -> R<()> {
        self.check_room(0)
    }

    /// The `output-bytes` and (top-level execution) `release-bytes` limits before writing `n`
    /// more bytes: a large write checked only after it would first grow the buffer past the
    /// limit (to twice its size).
    fn check_room(&mut self, n: usize) -> R<()> {
        let after = self.out.len().saturating_add(n) as u64;
        // The most this buffer may hold: the `output-bytes` limit, and for the top-level
        // execution what is left of the release's `release-bytes`.
        let mut ceiling = None;
        if let Some(max) = self.st.set.options.max_output {
            if after > max {
                let msg = crate::limits::exceeded("template output", "output-bytes", max);
                return Err(self.error_kind(ErrorKind::Limit, &msg));
            }
            ceiling = Some(max);
        }
        if let (Some((before, max)), 0) = (self.st.set.options.release_output, self.st.native_depth)
        {
            let total = before.saturating_add(after);
            if total > max {
                let msg = crate::limits::release_exceeded(total, max);
                return Err(self.error_kind(ErrorKind::Limit, &msg));
            }
            let room = max - before;
            ceiling = Some(ceiling.map_or(room, |c: u64| c.min(room)));
        }
        if let Some(c) = ceiling {
            // A large output grows to its ceiling in one step (see `reserve_within`).
            self.out
                .reserve_within(n, usize::try_from(c).unwrap_or(usize::MAX));
        }
        Ok(())
    }

    // ---- statements ------------------------------------------------------------------

    fn run(&mut self, dot: V) -> R<()> {
        let root: &'a List = &self.tmpl.root;
        self.frames.push(Frame::List {
            nodes: &root.nodes,
            i: 0,
            dot,
        });
        while let Some(top) = self.frames.last_mut() {
            match top {
                Frame::List { nodes, i, dot } => {
                    if *i >= nodes.len() {
                        self.frames.pop();
                        continue;
                    }
                    let nodes: &'a [Node] = nodes;
                    let n = &nodes[*i];
                    *i += 1;
                    if let Node::Text { text, pos } = n {
                        if let Some(p) = self.prov.as_mut() {
                            p.text(self.out.len(), &self.tmpl.source, *pos);
                        }
                        self.check_room(text.len())?;
                        self.out.push_gostr(text);
                        continue;
                    }
                    let dot = dot.clone();
                    self.burn()?;
                    self.step(n, dot)?;
                }
                Frame::Pop(mark) => {
                    let m = *mark;
                    self.vars.truncate(m);
                    self.frames.pop();
                }
                Frame::Range(rs) => {
                    if rs.next >= rs.items.len() {
                        let m = rs.outer_mark;
                        self.frames.pop();
                        self.vars.truncate(m);
                        continue;
                    }
                    let (index, elem) = rs.items.get(rs.next);
                    rs.next += 1;
                    let node: &'a Branch = rs.node;
                    let mark = rs.mark;
                    self.burn()?;
                    self.vars.truncate(mark);
                    self.set_range_vars(node, index, elem.clone())?;
                    self.frames.push(Frame::List {
                        nodes: &node.list.nodes,
                        i: 0,
                        dot: elem,
                    });
                }
                Frame::Template { .. } => {
                    if let Some(Frame::Template { vars, tmpl }) = self.frames.pop() {
                        self.vars = vars;
                        self.tmpl = tmpl;
                        self.st.depth -= 1;
                        if let Some(p) = self.prov.as_mut() {
                            p.calls.pop();
                        }
                    }
                }
            }
        }
        self.check_output()
    }

    fn set_range_vars(&mut self, r: &'a Branch, index: V, elem: V) -> R<()> {
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0], index.clone())?;
                } else {
                    self.set_var(&decl[0], elem.clone())?;
                }
            } else {
                let n = self.vars.len();
                self.vars[n - 1].1 = elem.clone();
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1], elem)?;
            } else {
                let n = self.vars.len();
                self.vars[n - 2].1 = index;
            }
        }
        Ok(())
    }

    fn step(&mut self, node: &'a Node, dot: V) -> R<()> {
        self.at(NodeRef::Node(node));
        match node {
            Node::Text { text, pos } => {
                if let Some(p) = self.prov.as_mut() {
                    p.text(self.out.len(), &self.tmpl.source, *pos);
                }
                self.check_room(text.len())?;
                self.out.push_gostr(text)
            }
            Node::Action { pipe, pos } => {
                let made_before = match (&mut self.prov, &self.st.captures) {
                    (Some(p), Some(c)) => {
                        p.lookup = None;
                        c.made
                    }
                    _ => 0,
                };
                let val = self.eval_pipeline(&dot, pipe)?;
                if pipe.decl.is_empty() {
                    let at = self.out.len();
                    self.print_value(node, val)?;
                    if let (Some(p), Some(c)) = (self.prov.as_mut(), self.st.captures.as_ref()) {
                        let printed = &self.out.as_bytes()[at..];
                        p.action(at, printed, &self.tmpl.source, *pos, c, made_before);
                    }
                }
            }
            Node::If(b) | Node::With(b) => {
                let mark = self.vars.len();
                let val = self.eval_pipeline(&dot, &b.pipe)?;
                if val.truth() {
                    let d = if matches!(node, Node::With(_)) {
                        val
                    } else {
                        dot
                    };
                    self.frames.push(Frame::Pop(mark));
                    self.frames.push(Frame::List {
                        nodes: &b.list.nodes,
                        i: 0,
                        dot: d,
                    });
                } else if let Some(e) = &b.else_list {
                    self.frames.push(Frame::Pop(mark));
                    self.frames.push(Frame::List {
                        nodes: &e.nodes,
                        i: 0,
                        dot,
                    });
                } else {
                    self.vars.truncate(mark);
                }
            }
            Node::Range(r) => self.walk_range(node, r, dot)?,
            Node::Template(t) => {
                let tmpl: &'a Template = match self.st.set.templates.get(&t.name) {
                    Some(t) => t,
                    None => {
                        return Err(
                            self.errorf(format_args!("template {} not defined", go_quote(&t.name)))
                        )
                    }
                };
                let max = self.st.set.options.max_depth;
                if self.st.depth >= max {
                    return Err(self.error_kind(
                        ErrorKind::Limit,
                        format_args!("exceeded maximum template depth ({max})"),
                    ));
                }
                let new_dot = match &t.pipe {
                    Some(p) => self.eval_pipeline(&dot, p)?,
                    None => V::Invalid,
                };
                let vars =
                    std::mem::replace(&mut self.vars, vec![(self.dollar.clone(), new_dot.clone())]);
                self.frames.push(Frame::Template {
                    vars,
                    tmpl: self.tmpl,
                });
                if let Some(p) = self.prov.as_mut() {
                    let line = crate::provenance::line_of(&self.tmpl.source, t.pos);
                    p.calls.push(SourceLine {
                        file: self.tmpl.source.parse_name.clone(),
                        line,
                    });
                }
                self.tmpl = tmpl;
                self.st.depth += 1;
                self.frames.push(Frame::List {
                    nodes: &tmpl.root.nodes,
                    i: 0,
                    dot: new_dot,
                });
            }
            Node::Break { .. } | Node::Continue { .. } => {
                let is_break = matches!(node, Node::Break { .. });
                loop {
                    match self.frames.last() {
                        Some(Frame::Range(rs)) => {
                            if is_break {
                                let m = rs.outer_mark;
                                self.frames.pop();
                                self.vars.truncate(m);
                            }
                            break;
                        }
                        Some(Frame::Pop(m)) => {
                            let m = *m;
                            self.vars.truncate(m);
                            self.frames.pop();
                        }
                        Some(Frame::List { .. }) => {
                            self.frames.pop();
                        }
                        Some(Frame::Template { .. }) | None => {
                            return Err(self.errorf("break or continue outside range"));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn walk_range(&mut self, node: &'a Node, r: &'a Branch, dot: V) -> R<()> {
        self.at(NodeRef::Node(node));
        let outer_mark = self.vars.len();
        let val = self.eval_pipeline(&dot, &r.pipe)?;
        let mark = self.vars.len();
        let items = match &val {
            V::Val(Value::Int(n)) | V::Val(Value::Int64(n)) => {
                if r.pipe.decl.len() > 1 {
                    return Err(self.errorf(format_args!(
                        "can't use {} to iterate over more than one variable",
                        crate::fmt::format_value(&Value::Int(*n))
                    )));
                }
                Some(Items::Int(*n, matches!(val, V::Val(Value::Int64(_)))))
            }
            V::Val(Value::List(l, k)) => Some(Items::List(l.clone(), k.is_iface())),
            V::Val(Value::Bytes(b)) => Some(Items::Bytes(b.clone())),
            V::Val(Value::Map(m, k)) => {
                let iface = k.is_iface();
                Some(Items::Pairs(
                    m.borrow()
                        .iter()
                        .map(|(key, v)| {
                            (
                                Value::str(key),
                                if iface {
                                    V::Iface(v.clone())
                                } else {
                                    V::Val(v.clone())
                                },
                            )
                        })
                        .collect(),
                ))
            }
            V::Invalid => None,
            V::Val(Value::Object(o)) => match o.range_items() {
                Some(items) => Some(Items::Pairs(
                    items
                        .into_iter()
                        .map(|(k, v)| (k, V::from_result(v)))
                        .collect(),
                )),
                None => {
                    return Err(self.errorf(format_args!(
                        "range can't iterate over {}",
                        crate::fmt::format_value(&Value::Object(o.clone()))
                    )))
                }
            },
            V::Val(v) | V::Iface(v) => {
                return Err(self.errorf(format_args!(
                    "range can't iterate over {}",
                    crate::fmt::format_value(v)
                )))
            }
        };
        match items {
            Some(items) if items.len() > 0 => {
                self.frames.push(Frame::Range(Box::new(RangeState {
                    node: r,
                    items,
                    next: 0,
                    mark,
                    outer_mark,
                })));
            }
            _ => {
                if let Some(e) = &r.else_list {
                    self.frames.push(Frame::Pop(outer_mark));
                    self.frames.push(Frame::List {
                        nodes: &e.nodes,
                        i: 0,
                        dot,
                    });
                } else {
                    self.vars.truncate(outer_mark);
                }
            }
        }
        Ok(())
    }

    fn print_value(&mut self, node: &'a Node, v: V) -> R<()> {
        self.at(NodeRef::Node(node));
        match v {
            V::Invalid => self.out.push_str("<no value>"),
            V::Val(Value::String(s)) | V::Iface(Value::String(s)) => {
                self.check_room(s.len())?;
                self.out.push_gostr(&s)
            }
            // Go prints an addressable value through its pointer, so a `String()` method with
            // a pointer receiver applies here only.
            V::Val(v) | V::Iface(v) => {
                let addressed = match &v {
                    Value::Object(o) => o.addressed_stringer(),
                    _ => None,
                };
                match addressed {
                    Some(s) => self.out.push_str(&s),
                    None => self.out.push_gostr(&crate::fmt::format_action_value(&v)),
                }
            }
        }
        Ok(())
    }

    // ---- variables -------------------------------------------------------------------

    fn set_var(&mut self, name: &str, value: V) -> R<()> {
        for i in (0..self.vars.len()).rev() {
            if &*self.vars[i].0 == name {
                self.vars[i].1 = value;
                return Ok(());
            }
        }
        Err(self.errorf(format_args!("undefined variable: {name}")))
    }

    fn var_value(&self, name: &str) -> R<V> {
        for (n, v) in self.vars.iter().rev() {
            if &**n == name {
                return Ok(v.clone());
            }
        }
        Err(self.errorf(format_args!("undefined variable: {name}")))
    }

    // ---- expressions -----------------------------------------------------------------

    fn eval_pipeline(&mut self, dot: &V, pipe: &'a Pipe) -> R<V> {
        self.at(NodeRef::Pipe(pipe));
        let mut value: Option<V> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            value = Some(v.concrete());
        }
        let value = value.unwrap_or(V::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(var, value.clone())?;
            } else {
                self.vars.push((var.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: Option<&'a [Arg]>, fin: &Option<V>) -> R<()> {
        if let Some(args) = args {
            if args.len() > 1 || fin.is_some() {
                return Err(self.errorf(format_args!(
                    "can't give argument to non-function {}",
                    args[0]
                )));
            }
        } else if fin.is_some() {
            return Err(self.errorf("can't give argument to non-function"));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &V, cmd: &'a Command, fin: Option<V>) -> R<V> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                return self.eval_field_node(dot, first, idents, Some(&cmd.args), fin)
            }
            Arg::Chain { node, fields, .. } => {
                return self.eval_chain_node(dot, first, node, fields, Some(&cmd.args), fin)
            }
            Arg::Identifier { name, .. } => {
                self.at(NodeRef::Arg(first));
                return self.eval_function(dot, name, NodeRef::Cmd(cmd), Some(&cmd.args), fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(Some(&cmd.args), &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { idents, .. } => {
                return self.eval_variable_node(dot, first, idents, Some(&cmd.args), fin)
            }
            _ => {}
        }
        self.at(NodeRef::Arg(first));
        self.not_a_function(Some(&cmd.args), &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(V::Val(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => Err(self.errorf("nil is not a command")),
            Arg::Number(_) => self.ideal_constant(first),
            Arg::String { text, .. } => Ok(V::Val(Value::String(text.clone()))),
            _ => Err(self.errorf(format_args!(
                "can't evaluate command {}",
                go_quote(&first.to_string())
            ))),
        }
    }

    fn ideal_constant(&mut self, arg: &'a Arg) -> R<V> {
        self.at(NodeRef::Arg(arg));
        let n = match arg {
            Arg::Number(n) => n,
            _ => return Ok(V::Invalid),
        };
        if n.is_complex {
            let (re, im) = n.complex;
            return Ok(V::Val(crate::value::Complex128 { re, im }.value()));
        }
        if n.is_float
            && !is_hex_int(&n.text)
            && !n.text.starts_with('\'')
            && n.text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(V::Val(Value::Float(n.float)));
        }
        if n.is_int {
            return Ok(V::Val(Value::Int(n.int)));
        }
        if n.is_uint {
            return Err(self.errorf(format_args!("{} overflows int", n.text)));
        }
        Ok(V::Invalid)
    }

    fn eval_field_node(
        &mut self,
        dot: &V,
        field: &'a Arg,
        idents: &'a [Rc<str>],
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(field));
        self.eval_field_chain(dot, dot.clone(), NodeRef::Arg(field), idents, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &V,
        chain: &'a Arg,
        node: &'a Arg,
        fields: &'a [Rc<str>],
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(chain));
        if fields.is_empty() {
            return Err(self.errorf("internal error: no fields in evalChainNode"));
        }
        if let Arg::Nil { .. } = node {
            return Err(self.errorf(format_args!("indirection through explicit nil in {chain}")));
        }
        let pipe = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, pipe, NodeRef::Arg(chain), fields, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &V,
        var: &'a Arg,
        idents: &'a [Rc<str>],
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        self.at(NodeRef::Arg(var));
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, NodeRef::Arg(var), &idents[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &V,
        mut receiver: V,
        node: NodeRef<'a>,
        idents: &'a [Rc<str>],
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            receiver = self.eval_field(dot, id, node, None, None, receiver)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, receiver)
    }

    fn eval_field(
        &mut self,
        dot: &V,
        name: &str,
        node: NodeRef<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<V>,
        receiver: V,
    ) -> R<V> {
        let (iface, recv) = match receiver {
            V::Invalid => {
                if self.st.set.options.missing_key == MissingKey::Error {
                    return Err(self.errorf(format_args!(
                        "nil data; no entry for key {}",
                        go_quote(name)
                    )));
                }
                return Ok(V::Invalid);
            }
            V::Iface(Value::Nil) | V::Val(Value::Nil) => {
                return Err(
                    self.errorf(format_args!("nil pointer evaluating interface {{}}.{name}"))
                );
            }
            V::Iface(v) => (true, v),
            V::Val(v) => (false, v),
        };
        if let Value::Object(o) = &recv {
            if o.has_method(name) {
                let o = o.clone();
                return self.eval_call(dot, Callee::Method(o), node, name, args, fin);
            }
        }
        if let Value::Map(m, tag) = &recv {
            if tag.elem == ElemKind::Values {
                if let Some(methods) = self.st.set.values_methods {
                    if methods.names.contains(&name) {
                        let o = (methods.receiver)(m.clone());
                        return self.eval_call(dot, Callee::Method(o), node, name, args, fin);
                    }
                }
            }
        }
        let has_args = args.map_or(0, |a| a.len()) > 1 || fin.is_some();
        match &recv {
            Value::Map(m, kind) => {
                if has_args {
                    return Err(
                        self.errorf(format_args!("{name} is not a method but has arguments"))
                    );
                }
                let any = kind.is_iface();
                let found = m.borrow().get(name).cloned();
                if let Some(p) = self.prov.as_mut() {
                    p.lookup = Some(Lookup {
                        map: Rc::as_ptr(m) as *const () as usize,
                        key: Rc::from(name),
                    });
                }
                return match found {
                    Some(v) => Ok(if any { V::Iface(v) } else { V::Val(v) }),
                    None => match self.st.set.options.missing_key {
                        MissingKey::Default => Ok(V::Invalid),
                        MissingKey::Zero => Ok(if any {
                            V::Iface(Value::Nil)
                        } else {
                            V::Val(Value::str(""))
                        }),
                        MissingKey::Error => Err(self
                            .errorf(format_args!("map has no entry for key {}", go_quote(name)))),
                    },
                };
            }
            Value::Object(o) => {
                if let Some(v) = o.field(name) {
                    if has_args {
                        return Err(self.errorf(format_args!(
                            "{name} has arguments but cannot be invoked as function"
                        )));
                    }
                    return Ok(V::from_result(v));
                }
            }
            _ => {}
        }
        let tn = if iface {
            "interface {}".to_string()
        } else {
            recv.type_name()
        };
        Err(self.errorf(format_args!("can't evaluate field {name} in type {tn}")))
    }

    fn eval_function(
        &mut self,
        dot: &V,
        name: &'a str,
        cmd: NodeRef<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        let set: &'a TemplateSet = self.st.set;
        if let Some(f) = set.funcs.get(name) {
            return self.eval_call(dot, Callee::User(f), cmd, name, args, fin);
        }
        if let Some(b) = builtins::lookup(name) {
            return self.eval_call(dot, Callee::Builtin(b), cmd, name, args, fin);
        }
        Err(self.errorf(format_args!("{} is not a defined function", go_quote(name))))
    }

    fn eval_call(
        &mut self,
        dot: &V,
        callee: Callee<'a>,
        node: NodeRef<'a>,
        name: &str,
        args: Option<&'a [Arg]>,
        fin: Option<V>,
    ) -> R<V> {
        let all_args = args;
        let args: &'a [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let method_sig;
        let (params, variadic): (&[PT], Option<PT>) = match &callee {
            Callee::Builtin(b) => b.signature(),
            Callee::User(f) => {
                method_sig = f.params.iter().map(|t| PT::T(*t)).collect::<Vec<_>>();
                (&method_sig[..], f.variadic.map(PT::T))
            }
            Callee::Method(o) => match o.method_params(name) {
                Some((p, v)) => {
                    method_sig = p.iter().map(|t| PT::T(*t)).collect::<Vec<_>>();
                    (&method_sig[..], v.map(PT::T))
                }
                None => (&[], Some(PT::T(ArgType::Any))),
            },
        };
        let num_in = args.len() + fin.is_some() as usize;
        let num_fixed;
        if variadic.is_some() {
            num_fixed = params.len();
            if num_in < num_fixed {
                return Err(self.errorf(format_args!(
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                )));
            }
        } else {
            num_fixed = args.len();
            if num_in != params.len() {
                return Err(self.errorf(format_args!(
                    "wrong number of args for {name}: want {} got {num_in}",
                    params.len()
                )));
            }
        }
        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = callee {
            let is_or = b == Builtin::Or;
            let mut v = V::Invalid;
            for a in args {
                v = self.eval_arg(dot, Some(PT::RV), a)?;
                if v.truth() == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = f;
            }
            return Ok(v);
        }
        let mut argv: Vec<V> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let v = self.eval_arg(dot, Some(params[i]), &args[i])?;
            argv.push(v);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                let v = self.eval_arg(dot, Some(vt), &args[i])?;
                argv.push(v);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        params[num_in - 1]
                    } else {
                        vt
                    }
                }
                None => params[params.len() - 1],
            };
            let v = self.validate_type(f, Some(t))?;
            argv.push(v);
        }
        let result: Result<V, String> = match callee {
            Callee::Builtin(b) => {
                let callee_name = match args.first() {
                    Some(a) => a.to_string(),
                    None => argv
                        .last()
                        .map(|v| match v {
                            // Go's reflect.Value.String().
                            V::Val(Value::String(s)) => s.to_string_lossy(),
                            V::Invalid => "<invalid Value>".to_string(),
                            V::Iface(_) => "<interface {} Value>".to_string(),
                            V::Val(v) => format!("<{} Value>", v.type_name()),
                        })
                        .unwrap_or_default(),
                };
                let _ = all_args;
                builtins::call(b, argv, &callee_name)
            }
            Callee::User(f) => {
                let vals: Vec<Value> = argv.into_iter().map(V::into_value).collect();
                (f.call)(&mut self.st, &vals).map(V::from_result)
            }
            Callee::Method(o) => {
                let vals: Vec<Value> = argv.into_iter().map(V::into_value).collect();
                match o.call_method(name, &vals) {
                    Some(r) => r.map(V::from_result),
                    None => Err(format!("method {name} not found")),
                }
            }
        };
        match result {
            // A function's result is a copy.
            Ok(V::Val(v)) => Ok(V::Val(unaddressable(v))),
            Ok(v) => Ok(v),
            Err(msg) => {
                self.at(node);
                Err(self.errorf(format_args!("error calling {name}: {msg}")))
            }
        }
    }

    fn validate_type(&self, value: V, pt: Option<PT>) -> R<V> {
        let t = match pt {
            None | Some(PT::RV) | Some(PT::T(ArgType::Any)) => return Ok(value),
            Some(PT::T(t)) => t,
        };
        match value {
            V::Invalid => {
                if can_be_nil(t) {
                    Ok(zero_of(t))
                } else {
                    Err(self.errorf(format_args!("invalid value; expected {}", arg_type_name(t))))
                }
            }
            V::Iface(Value::Nil) | V::Val(Value::Nil) => Err(self.errorf(format_args!(
                "wrong type for value; expected {}; got interface {{}}",
                arg_type_name(t)
            ))),
            V::Iface(v) | V::Val(v) => {
                if assignable(&v, t) {
                    Ok(V::Val(convert_arg(v, t)))
                } else {
                    Err(self.errorf(format_args!(
                        "wrong type for value; expected {}; got {}",
                        arg_type_name(t),
                        v.type_name()
                    )))
                }
            }
        }
    }

    fn eval_arg(&mut self, dot: &V, pt: Option<PT>, n: &'a Arg) -> R<V> {
        self.at(NodeRef::Arg(n));
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), pt),
            Arg::Nil { .. } => {
                return match pt {
                    None | Some(PT::RV) => Ok(V::Invalid),
                    Some(PT::T(t)) if can_be_nil(t) => Ok(zero_of(t)),
                    Some(PT::T(t)) => {
                        Err(self.errorf(format_args!("cannot assign nil to {}", arg_type_name(t))))
                    }
                };
            }
            Arg::Field { idents, .. } => {
                let v =
                    self.eval_field_node(dot, n, idents, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, pt);
            }
            Arg::Variable { idents, .. } => {
                let v = self.eval_variable_node(dot, n, idents, None, None)?;
                return self.validate_type(v, pt);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, pt);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, name, NodeRef::Arg(n), None, None)?;
                return self.validate_type(v, pt);
            }
            Arg::Chain { node, fields, .. } => {
                let v = self.eval_chain_node(dot, n, node, fields, None, None)?;
                return self.validate_type(v, pt);
            }
            _ => {}
        }
        let t = match pt {
            None | Some(PT::RV) | Some(PT::T(ArgType::Any)) => return self.eval_constant(n),
            Some(PT::T(t)) => t,
        };
        match (t, n) {
            (ArgType::Bool, Arg::Bool { val, .. }) => Ok(V::Val(Value::Bool(*val))),
            (ArgType::Bool, _) => Err(self.errorf(format_args!("expected bool; found {n}"))),
            (ArgType::String, Arg::String { text, .. }) => Ok(V::Val(Value::String(text.clone()))),
            (ArgType::String, _) => Err(self.errorf(format_args!("expected string; found {n}"))),
            (ArgType::Int | ArgType::Int64, Arg::Number(num)) if num.is_int => {
                Ok(V::Val(if t == ArgType::Int {
                    Value::Int(num.int)
                } else {
                    Value::Int64(num.int)
                }))
            }
            (ArgType::Int | ArgType::Int64, _) => {
                Err(self.errorf(format_args!("expected integer; found {n}")))
            }
            (ArgType::Float64, Arg::Number(num)) if num.is_float => {
                Ok(V::Val(Value::Float(num.float)))
            }
            (ArgType::Float64, _) => Err(self.errorf(format_args!("expected float; found {n}"))),
            _ => Err(self.errorf(format_args!(
                "can't handle {n} for arg of type {}",
                arg_type_name(t)
            ))),
        }
    }

    /// Go's `evalEmptyInterface` for constants.
    fn eval_constant(&mut self, n: &'a Arg) -> R<V> {
        self.at(NodeRef::Arg(n));
        match n {
            Arg::Bool { val, .. } => Ok(V::Val(Value::Bool(*val))),
            Arg::Number(_) => self.ideal_constant(n),
            Arg::String { text, .. } => Ok(V::Val(Value::String(text.clone()))),
            _ => Err(self.errorf(format_args!(
                "can't handle assignment of {n} to empty interface argument"
            ))),
        }
    }
}
