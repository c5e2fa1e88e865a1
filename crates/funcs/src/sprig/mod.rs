//! Sprig's general-purpose functions: strings, lists, dicts, defaults, math, conversion,
//! regular expressions, reflection, paths and URLs.

use chartroom_template::FuncMap;

pub fn register(_funcs: &mut FuncMap) {}
