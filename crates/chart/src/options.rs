//! User-supplied values: `-f` files and the `--set` family, merged in Helm 4.3.1's order
//! (values files, `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal`).

use std::collections::BTreeMap;

use chartroom_template::Value;

use crate::strvals::{self, Mode};
use crate::{Error, Result};

/// Values given on the command line (or by the browser). File contents are passed in, so the
/// caller decides how files are read.
#[derive(Clone, Debug, Default)]
pub struct ValueOptions {
    /// `-f/--values`: (name as given, contents), in order.
    pub values_files: Vec<(String, Vec<u8>)>,
    /// `--set-json` arguments.
    pub set_json: Vec<String>,
    /// `--set` arguments.
    pub set: Vec<String>,
    /// `--set-string` arguments.
    pub set_string: Vec<String>,
    /// `--set-file` arguments (`key=path,key2=path2`); paths are resolved through
    /// `set_file_contents`, or the reader given to [`ValueOptions::merge_values_with`].
    pub set_file: Vec<String>,
    /// Contents for the paths named in `set_file`.
    pub set_file_contents: BTreeMap<String, Vec<u8>>,
    /// `--set-literal` arguments.
    pub set_literal: Vec<String>,
    /// The render's limits: the YAML ones apply to the values files.
    pub limits: chartroom_template::Limits,
}

impl ValueOptions {
    /// Helm's `values.Options.MergeValues`, resolving `--set-file` paths from
    /// `set_file_contents` (a missing path fails like Go's `os.ReadFile`).
    pub fn merge_values(&self) -> Result<Value> {
        let contents = self.set_file_contents.clone();
        let mut reader = move |p: &str| -> std::result::Result<Vec<u8>, String> {
            contents
                .get(p)
                .cloned()
                .ok_or_else(|| format!("open {p}: no such file or directory"))
        };
        self.merge_values_with(&mut reader)
    }

    /// Like [`ValueOptions::merge_values`] with a custom `--set-file` reader.
    pub fn merge_values_with(
        &self,
        read_file: &mut dyn FnMut(&str) -> std::result::Result<Vec<u8>, String>,
    ) -> Result<Value> {
        let mut base = chartroom_template::Map::new();
        for (name, data) in &self.values_files {
            let v = crate::chart::load_values_with(data, &self.limits)
                .map_err(|e| Error::new(format!("failed to parse {name}: {e}")))?;
            if let Value::Map(m, _) = v {
                let m = m.borrow().clone();
                base = crate::values::merge_maps(base, m);
            }
        }
        let mut base = Value::map(base);
        for value in &self.set_json {
            let trimmed = value.trim();
            if trimmed.starts_with('{') {
                let parsed = chartroom_yaml::from_json(trimmed).ok();
                match parsed {
                    Some(Value::Map(m, _)) => {
                        let cur = match &base {
                            Value::Map(b, _) => b.borrow().clone(),
                            _ => chartroom_template::Map::new(),
                        };
                        base = Value::map(crate::values::merge_maps(cur, m.borrow().clone()));
                    }
                    _ => {
                        return Err(Error::new(format!(
                            "failed parsing --set-json data JSON: {value}"
                        )))
                    }
                }
            } else if strvals::parse_into(value, &base, &mut Mode::Json).is_err() {
                return Err(Error::new(format!(
                    "failed parsing --set-json data {value}"
                )));
            }
        }
        for value in &self.set {
            strvals::parse_into(value, &base, &mut Mode::Typed)
                .map_err(|e| Error::new(format!("failed parsing --set data: {e}")))?;
        }
        for value in &self.set_string {
            strvals::parse_into(value, &base, &mut Mode::Str)
                .map_err(|e| Error::new(format!("failed parsing --set-string data: {e}")))?;
        }
        for value in &self.set_file {
            strvals::parse_into(value, &base, &mut Mode::File(read_file))
                .map_err(|e| Error::new(format!("failed parsing --set-file data: {e}")))?;
        }
        for value in &self.set_literal {
            strvals::parse_literal_into(value, &base)
                .map_err(|e| Error::new(format!("failed parsing --set-literal data: {e}")))?;
        }
        Ok(base)
    }
}
