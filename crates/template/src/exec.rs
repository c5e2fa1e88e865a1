//! The executor: walks a parsed template against data, writing output.
//! (Skeleton: the engine issue replaces the body; the public signatures are the contract.)

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, ErrorKind};
use crate::func::{FuncMap, Function};
use crate::value::Value;

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
}

impl Default for Options {
    fn default() -> Options {
        Options {
            missing_key: MissingKey::Default,
            max_depth: 100_000,
            fuel: None,
        }
    }
}

/// A set of named templates that can call each other, parsed once and executed many times
/// (Go's `*template.Template` with its associated templates).
#[derive(Clone, Default)]
pub struct TemplateSet {
    sources: HashMap<String, Rc<str>>,
    funcs: Rc<FuncMap>,
    options: Options,
}

impl TemplateSet {
    pub fn new() -> TemplateSet {
        TemplateSet::default()
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// Registers (or replaces) a function, like Go's `Funcs`.
    pub fn add_func(&mut self, name: &str, func: Function) {
        Rc::make_mut(&mut self.funcs).insert(name.to_string(), func);
    }

    pub fn add_funcs(&mut self, funcs: FuncMap) {
        Rc::make_mut(&mut self.funcs).extend(funcs);
    }

    /// Parses `text` as the template `name`, adding it and every `define`/`block` it contains
    /// to the set (Go's `t.New(name).Parse(text)`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.sources.insert(name.to_string(), Rc::from(text));
        Ok(())
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Executes template `name` with `data` as dot, returning its output.
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        let mut out = String::new();
        self.execute_to(name, data, &mut out)?;
        Ok(out)
    }

    pub fn execute_to(&self, name: &str, _data: &Value, out: &mut String) -> Result<(), Error> {
        match self.sources.get(name) {
            Some(src) => {
                out.push_str(src);
                Ok(())
            }
            None => Err(Error::new(
                ErrorKind::Lookup,
                format!("template: no template {name:?} associated with template {name:?}"),
            )),
        }
    }
}

/// What a running function sees of the execution: the template set (to run other templates,
/// as Helm's `include` does, or to parse new text, as `tpl` does) and the options.
pub struct State<'a> {
    set: &'a TemplateSet,
    template_name: String,
    depth: usize,
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

    /// Executes the named template of the current set with `data` as dot and returns its output
    /// (Helm's `include`). Counts toward the depth limit.
    pub fn execute_template(&mut self, name: &str, data: &Value) -> Result<String, Error> {
        self.set.execute(name, data)
    }

    /// Parses `text` as template `name` into a copy of the current set (with `options`) and
    /// executes it with `data` (Helm's `tpl`). Definitions it makes do not leak into the
    /// running set. Counts toward the depth limit.
    pub fn execute_text(
        &mut self,
        name: &str,
        text: &str,
        data: &Value,
        options: &Options,
    ) -> Result<String, Error> {
        let mut set = self.set.clone();
        set.set_options(options.clone());
        set.parse(name, text)?;
        set.execute(name, data)
    }
}
