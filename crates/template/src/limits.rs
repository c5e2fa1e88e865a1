//! Limits a render runs under, as options (`chartroom template --limit NAME=VALUE`, the wasm
//! option `limits: { NAME: VALUE }`). Helm has none of these: each bounds what a hostile chart
//! can make a render do (loop for ever, fill memory, recurse), with a default that no real
//! chart reaches (the 414 golden cases render unchanged). Every error names its limit.
//! The table with the fixed limits beside them: docs/notes/limits.md.

/// The configurable limits of one render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Execution steps (actions, range iterations) for one template file, the templates it
    /// includes and the text it `tpl`s counted together.
    pub steps: u64,
    /// Bytes one template execution (a file, an `include`, a `tpl`) may write.
    pub output_bytes: u64,
    /// Template executions nested through functions (`include`, `tpl`); `None` keeps the front
    /// end's default (CLI 4000, wasm 100: what its stack holds), which is also the most
    /// either accepts.
    pub include_depth: Option<usize>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps: 10_000_000,
            output_bytes: 64 << 20,
            include_depth: None,
        }
    }
}

/// Each limit's name (as `--limit NAME=VALUE` and the wasm option take it), default and meaning.
pub const LIMITS: &[(&str, &str, &str)] = &[
    (
        "steps",
        "10000000",
        "template execution steps per template file (its includes and tpl calls counted in)",
    ),
    (
        "output-bytes",
        "67108864",
        "bytes one template execution (a file, an include, a tpl) may write",
    ),
    (
        "include-depth",
        "4000 (CLI), 100 (wasm)",
        "template executions nested through include/tpl (at most the default)",
    ),
];

impl Limits {
    /// Sets one limit by name (`steps`, `output-bytes`, `include-depth`; `_` for `-` and
    /// camelCase are accepted too, as the wasm option names them).
    pub fn set(&mut self, name: &str, value: u64) -> Result<(), String> {
        let key: String = name
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() {
                    vec!['-', c.to_ascii_lowercase()]
                } else if c == '_' {
                    vec!['-']
                } else {
                    vec![c]
                }
            })
            .collect();
        match key.as_str() {
            "steps" => self.steps = value,
            "output-bytes" => self.output_bytes = value,
            "include-depth" => {
                self.include_depth = Some(usize::try_from(value).unwrap_or(usize::MAX))
            }
            _ => {
                let names: Vec<&str> = LIMITS.iter().map(|l| l.0).collect();
                return Err(format!(
                    "unknown limit {name:?} (known: {})",
                    names.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// `NAME=VALUE` as `--limit` takes it.
    pub fn set_assignment(&mut self, text: &str) -> Result<(), String> {
        let Some((name, value)) = text.split_once('=') else {
            return Err(format!("invalid --limit {text:?}: want NAME=VALUE"));
        };
        let value: u64 =
            value.trim().replace('_', "").parse().map_err(|_| {
                format!("invalid --limit {text:?}: the value must be a whole number")
            })?;
        self.set(name.trim(), value)
    }
}

/// The error text for a limit that was hit: what ran over, the limit's name and value.
pub fn exceeded(what: &str, name: &str, value: impl std::fmt::Display) -> String {
    format!("{what} exceeded the limit {name}={value} (chartroom's, not Helm's; raise it with --limit {name}=N)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        let mut l = Limits::default();
        l.set_assignment("steps=1_000").unwrap();
        l.set("outputBytes", 5).unwrap();
        l.set("include_depth", 7).unwrap();
        assert_eq!(
            l,
            Limits {
                steps: 1000,
                output_bytes: 5,
                include_depth: Some(7)
            }
        );
        assert!(l.set_assignment("steps").is_err());
        assert!(l.set_assignment("steps=x").is_err());
        let e = l.set("bogus", 1).unwrap_err();
        assert!(e.contains("steps, output-bytes, include-depth"), "{e}");
        assert_eq!(LIMITS.len(), 3);
    }
}
