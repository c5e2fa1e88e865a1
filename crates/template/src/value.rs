//! The one dynamic value type that templates, functions, YAML and charts share.
//!
//! It models the Go values Helm hands to `text/template`: `nil`, `bool`, `string`, Go `int`
//! (template literals, `len`, most Sprig results), `int64`, `float64` (every number that comes
//! from YAML or JSON), `[]byte`, `[]interface{}`, `map[string]interface{}` and opaque Go objects
//! (`.Chart`, `.Capabilities`, `.Files`, semver versions) that expose fields and methods.
//!
//! Maps are shared and mutable because Go maps are reference types: Sprig's `set`, `unset` and
//! `merge` change a dict that other variables also point at, and charts depend on that.
//! Lists are shared and immutable: nothing in Sprig or Helm mutates a slice in place.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

pub use crate::gostr::Str;

/// A Go `map[string]interface{}`. Keys iterate in sorted order, which is the order Go's
/// `range`, `fmt` and both YAML and JSON encoders use.
pub use crate::map::Map;

/// A reference to a shared, mutable map (Go map semantics).
pub type MapRef = Rc<RefCell<Map>>;

/// The Go element type of a list or map, or the named map type it is. Only `%T`, `typeOf` and a
/// few reflection-driven functions can tell them apart; printing and encoding are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemKind {
    /// `[]interface{}` / `map[string]interface{}`
    Any,
    /// `[]string` / `map[string]string`
    String,
    /// `[]int` (Sprig's `until`, `untilStep`); lists only.
    Int,
    /// `[][]interface{}` (Sprig's `chunk`); lists only.
    AnyList,
    /// Helm's `common.Values`: a named `map[string]interface{}` (the root context `.`, `.Values`,
    /// `.Template`). Behaves as [`ElemKind::Any`] except for its type name; passing it to a
    /// `map[string]interface{}` parameter converts it (Go's assignability).
    Values,
}

/// What a list or map is in Go beyond its contents: its element (or named) type, and whether it
/// is a nil slice or map. A nil list or map is empty for every operation (`len` 0, `range` does
/// nothing, false, `%v` prints `[]`/`map[]`); `encoding/json` (so `toJson`/`toYaml`) writes it
/// as `null`, `%#v` as `[]interface {}(nil)`, and assigning into a nil map fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    pub elem: ElemKind,
    pub nil: bool,
}

impl Tag {
    /// `[]interface{}` / `map[string]interface{}`.
    pub const ANY: Tag = Tag::of(ElemKind::Any);
    /// `[]string` / `map[string]string`.
    pub const STRING: Tag = Tag::of(ElemKind::String);
    /// `common.Values`.
    pub const VALUES: Tag = Tag::of(ElemKind::Values);
    /// A nil `[]interface{}` / `map[string]interface{}`.
    pub const NIL_ANY: Tag = Tag::ANY.as_nil();

    pub const fn of(elem: ElemKind) -> Tag {
        Tag { elem, nil: false }
    }

    pub const fn as_nil(self) -> Tag {
        Tag {
            elem: self.elem,
            nil: true,
        }
    }

    /// Whether the elements are `interface{}` (a `range` or `index` yields them boxed).
    pub fn is_iface(self) -> bool {
        matches!(self.elem, ElemKind::Any | ElemKind::Values)
    }
}

#[derive(Clone)]
pub enum Value {
    /// Go `nil` (an untyped nil interface).
    Nil,
    Bool(bool),
    /// A Go `string`: bytes, usually UTF-8 (see [`Str`]).
    String(Str),
    /// Go `int` (64-bit on every platform Helm ships for).
    Int(i64),
    /// Go `int64`.
    Int64(i64),
    /// Go `float64`.
    Float(f64),
    /// Go `[]byte`.
    Bytes(Rc<[u8]>),
    /// A Go slice.
    List(Rc<Vec<Value>>, Tag),
    /// A Go map with string keys.
    Map(MapRef, Tag),
    /// An opaque Go value with fields and methods (`.Chart`, `.Files`, a semver version...).
    Object(Rc<dyn Object>),
}

/// A Go value with named fields and methods, for things that are structs or named types in
/// Helm rather than plain maps.
pub trait Object: fmt::Debug {
    /// Go's `%T` name, e.g. `*chart.Metadata`, `chartutil.Files`, `*semver.Version`.
    fn type_name(&self) -> &str;

    /// Go's `reflect.Kind` name: `struct`, `ptr`, `map`...
    fn kind_name(&self) -> &str {
        "ptr"
    }

    /// A field, or a niladic method, by its exported Go name (`Name`, `AppVersion`, `Major`).
    /// `None` when there is no such field or method.
    fn field(&self, name: &str) -> Option<Value>;

    /// Whether `name` is a method (so it may take arguments).
    fn has_method(&self, _name: &str) -> bool {
        false
    }

    /// Calls method `name` with arguments. `None` if there is no such method; `Some(Err(msg))`
    /// is reported by the executor as Go reports a method's returned error.
    fn call_method(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }

    /// The value as `encoding/json` would see it (json struct tags, omitempty applied). Used by
    /// `toYaml`, `toJson` and by functions that want a plain map.
    fn to_plain(&self) -> Value;

    /// For structs: the fields `encoding/json` writes, in declaration order (json tags and
    /// omitempty applied), so `toJson` keeps Go's field order. `None` (the default): encoders
    /// use [`Object::to_plain`], whose map keys sort like a Go map's.
    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        None
    }

    /// How Go's `%v` prints it (`{a b}` for a struct, `&{a b}` for a pointer to a struct, or
    /// the result of a `String()` method).
    fn go_string(&self) -> String;

    /// The Go `String()` method result if the type has one (used by `%s`/`%v`/`print`).
    fn stringer(&self) -> Option<String> {
        None
    }

    /// The `String()` method of `*T` for a type `T` whose `String` has a pointer receiver
    /// (`common.KubeVersion`). Go's text/template calls it only when an action prints an
    /// addressable value directly (`{{ .Capabilities.KubeVersion }}`, a variable or `with` dot
    /// holding that field); a copy (a function's argument or result, a value taken out of an
    /// `interface{}`) is printed field by field ([`Object::go_string`]). Copies made by
    /// [`Object::unaddressable`] return `None`.
    fn addressed_stringer(&self) -> Option<String> {
        None
    }

    /// For objects with an [`Object::addressed_stringer`]: the value as a non-addressable copy.
    /// The executor applies it where Go copies a value (function results, values unboxed from
    /// an `interface{}`). `None` (the default) keeps the value as it is.
    fn unaddressable(&self) -> Option<Value> {
        None
    }

    /// Whether the value is its type's zero value, for objects that are not collections
    /// (a `complex128` `0i`): such a value is false for `if`, `and`, `or` and Sprig's `empty`.
    fn is_zero_value(&self) -> bool {
        false
    }

    /// For Go structs, pointers to structs and named slices: their parts, so `fmt` prints
    /// them as Go does under every verb and flag (`{a b}`, `%+v` `{A:a B:b}`, `%#v`
    /// `pkg.T{A:"a", B:"b"}`, `&{...}` for a pointer, `%d` applied to each field). `None` (the
    /// default): `fmt` prints [`Object::go_string`] whatever the verb.
    fn go_shape(&self) -> Option<GoShape> {
        None
    }

    /// Lets functions downcast to a concrete type (e.g. `semverCompare` receiving a version).
    fn as_any(&self) -> &dyn std::any::Any;

    /// The Go parameter types of method `name` (fixed, then the element type of a final
    /// `...T`), so the executor can check and convert arguments with Go's rules and error
    /// texts. `None` (the default) passes every argument as `interface{}` unchecked.
    fn method_params(
        &self,
        _name: &str,
    ) -> Option<(Vec<crate::func::ArgType>, Option<crate::func::ArgType>)> {
        None
    }

    /// For objects that are Go slices or maps (`.Capabilities.APIVersions`, `.Files`): the
    /// (key, element) pairs `range` visits, in Go's order. `None` (the default) means `range`
    /// fails with `range can't iterate over ...`.
    fn range_items(&self) -> Option<Vec<(Value, Value)>> {
        None
    }

    /// For objects that are Go slices or maps: what the `len` builtin returns.
    fn go_len(&self) -> Option<usize> {
        None
    }

    /// For objects that are Go slices or maps: what the `index` builtin returns for one key
    /// (`Some(Err(msg))` for a bad key). `None` (the default): `can't index item of type T`.
    fn index(&self, _key: &Value) -> Option<Result<Value, String>> {
        None
    }

    /// For objects that are Go slices: `s[start:end]` (bounds already checked against
    /// [`Object::go_len`]), a value of the same type. `None` (the default): not sliceable.
    fn subslice(&self, _start: usize, _end: usize) -> Option<Value> {
        None
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Str::from(s))
    }

    pub fn string(s: String) -> Value {
        Value::String(Str::from(s))
    }

    /// A Go string holding exactly these bytes (valid UTF-8 or not).
    pub fn bytes_string(b: Vec<u8>) -> Value {
        Value::String(Str::from_vec(b))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items), Tag::ANY)
    }

    /// A nil `[]interface{}` (what `rest` of an empty list returns in Go).
    pub fn nil_list() -> Value {
        Value::List(Rc::new(Vec::new()), Tag::NIL_ANY)
    }

    /// A nil `map[string]interface{}`.
    pub fn nil_map() -> Value {
        Value::Map(Rc::new(RefCell::new(Map::new())), Tag::NIL_ANY)
    }

    pub fn string_list(items: Vec<String>) -> Value {
        Value::List(
            Rc::new(items.into_iter().map(Value::string).collect()),
            Tag::STRING,
        )
    }

    pub fn map(map: Map) -> Value {
        Value::Map(Rc::new(RefCell::new(map)), Tag::ANY)
    }

    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Whether the value is a nil slice or map (not the untyped `nil`, see [`Value::is_nil`]).
    pub fn is_nil_collection(&self) -> bool {
        matches!(self, Value::List(_, t) | Value::Map(_, t) if t.nil)
    }

    /// A string's text, lossy: invalid UTF-8 reads as U+FFFD (see [`Str::as_str_lossy`]).
    /// Right for functions that read characters where Go decodes them the same way; use
    /// [`Value::as_gostr`] or [`Value::as_str_bytes`] to keep the bytes.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str_lossy()),
            _ => None,
        }
    }

    /// The Go string, if the value is one.
    pub fn as_gostr(&self) -> Option<&Str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string's bytes.
    pub fn as_str_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// Go's notion of truth used by `if`, `and`, `or`, `not`: false for the zero value of the
    /// type and for empty lists, maps and strings (including objects that report a zero
    /// [`Object::go_len`]).
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::String(s) => !s.is_empty(),
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.borrow().is_empty(),
            // Objects that are Go maps or slices (they report a length) are true when
            // non-empty; pointers and structs are always true.
            Value::Object(o) => !o.is_zero_value() && o.go_len().is_none_or(|n| n > 0),
        }
    }

    /// Go's `%T` of the value.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::String(_) => "string".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Float(_) => "float64".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(_, t) => match t.elem {
                ElemKind::String => "[]string".into(),
                ElemKind::Int => "[]int".into(),
                ElemKind::AnyList => "[][]interface {}".into(),
                ElemKind::Any | ElemKind::Values => "[]interface {}".into(),
            },
            Value::Map(_, t) => match t.elem {
                ElemKind::String => "map[string]string".into(),
                ElemKind::Values => "common.Values".into(),
                ElemKind::Any | ElemKind::Int | ElemKind::AnyList => {
                    "map[string]interface {}".into()
                }
            },
            Value::Object(o) => o.type_name().into(),
        }
    }

    /// Go's `reflect.Kind` name, as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::String(_) => "string",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Bytes(_) | Value::List(..) => "slice",
            Value::Map(..) => "map",
            Value::Object(o) => o.kind_name(),
        }
    }

    /// A deep copy: maps become new maps, so mutating the copy leaves the original alone
    /// (what Helm's `copystructure`-based value handling and Sprig's `deepCopy` do).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l, k) => {
                Value::List(Rc::new(l.iter().map(|v| v.deep_copy()).collect()), *k)
            }
            Value::Map(m, k) => Value::Map(
                Rc::new(RefCell::new(
                    m.borrow()
                        .iter()
                        .map(|(key, v)| (key.clone(), v.deep_copy()))
                        .collect(),
                )),
                *k,
            ),
            other => other.clone(),
        }
    }

    /// The value with every `Object` replaced by its `to_plain()` form, recursively: what
    /// encoders see.
    pub fn to_plain(&self) -> Value {
        match self {
            Value::Object(o) => o.to_plain(),
            Value::List(l, k) => Value::List(Rc::new(l.iter().map(|v| v.to_plain()).collect()), *k),
            Value::Map(m, k) => {
                if m.borrow().values().any(|v| v.contains_object()) {
                    Value::Map(
                        Rc::new(RefCell::new(
                            m.borrow()
                                .iter()
                                .map(|(key, v)| (key.clone(), v.to_plain()))
                                .collect(),
                        )),
                        *k,
                    )
                } else {
                    self.clone()
                }
            }
            other => other.clone(),
        }
    }

    fn contains_object(&self) -> bool {
        match self {
            Value::Object(_) => true,
            Value::List(l, _) => l.iter().any(|v| v.contains_object()),
            Value::Map(m, _) => m.borrow().values().any(|v| v.contains_object()),
            _ => false,
        }
    }
}

/// What `fmt` needs to print an [`Object`] that is a Go struct or named slice.
pub enum GoShape {
    /// A struct (`ptr`: a pointer to one, printed `&{...}` at the top level) and its fields in
    /// declaration order, unexported ones included (`%v` prints them too).
    Struct {
        ptr: bool,
        fields: Vec<(&'static str, Value)>,
    },
    /// A named slice type (`common.VersionSet`) and its elements.
    Slice(Vec<Value>),
}

/// A Go `complex128`: only template constants (`1i`, `1+2i`) make one. It prints as Go does
/// (`(1+2i)`, each part formatted by the verb), compares with `eq`, is false when zero, and
/// `encoding/json` refuses it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex128 {
    pub re: f64,
    pub im: f64,
}

impl Complex128 {
    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }
}

impl Object for Complex128 {
    fn type_name(&self) -> &str {
        "complex128"
    }

    fn kind_name(&self) -> &str {
        "complex128"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    /// Itself: encoders report `json: unsupported type: complex128`.
    fn to_plain(&self) -> Value {
        self.value()
    }

    fn go_string(&self) -> String {
        crate::fmt::format_value(&self.value()).to_string_lossy()
    }

    fn is_zero_value(&self) -> bool {
        self.re == 0.0 && self.im == 0.0
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Int64(i) => write!(f, "int64({i})"),
            Value::Float(x) => write!(f, "float64({x})"),
            Value::Bytes(b) => write!(f, "bytes({b:?})"),
            Value::List(l, _) => f.debug_list().entries(l.iter()).finish(),
            Value::Map(m, _) => f.debug_map().entries(m.borrow().iter()).finish(),
            Value::Object(o) => write!(f, "{o:?}"),
        }
    }
}
