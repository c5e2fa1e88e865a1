//! Limits a render runs under, as options (`chartroom template --limit NAME=VALUE`, the wasm
//! option `limits: { NAME: VALUE }`). Helm has none of these: each bounds what a hostile chart
//! can make a render do (loop for ever, fill memory, recurse), with a default that no real
//! chart reaches (the 414 golden cases render unchanged). Every error names its limit.
//! The table with the fixed limits beside them: docs/notes/limits.md.

/// Helm's `MaxDecompressedChartSize` (100 MiB): the default of `archive-bytes`, for which
/// the loader gives Helm's own error texts.
pub const HELM_ARCHIVE_BYTES: u64 = 100 << 20;

/// The deepest YAML nesting the reader can follow without risking the stack (the decoder
/// recurses per level): the default of `yaml-depth` and the most it accepts.
pub const YAML_DEPTH_CEILING: usize = 500;

/// The configurable limits of one render.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Execution steps (actions, range iterations) for one template file, the templates it
    /// includes and the text it `tpl`s counted together.
    pub steps: u64,
    /// Bytes one template execution (a file, an `include`, a `tpl`) may write.
    pub output_bytes: u64,
    /// Bytes the rendered template files of one release may hold together (what the manifest
    /// sort then reads): bounds a release's memory where `output_bytes` bounds one file's.
    pub release_bytes: u64,
    /// Template executions nested through functions (`include`, `tpl`); `None` keeps the front
    /// end's default (CLI 4000, wasm 100: what its stack holds), which is also the most
    /// either accepts.
    pub include_depth: Option<usize>,
    /// Bytes of all files of one chart archive (or chart directory) together; Helm's
    /// `MaxDecompressedChartSize` ([`HELM_ARCHIVE_BYTES`]) by default.
    pub archive_bytes: u64,
    /// Bytes of one file of a chart archive or directory (Helm has no such limit).
    pub archive_file_bytes: u64,
    /// Files in one chart archive or directory (Helm has no such limit).
    pub archive_entries: u64,
    /// YAML nesting (values files, `fromYaml`, Chart.yaml...), aliases counted; at most
    /// [`YAML_DEPTH_CEILING`] (a larger value is lowered to it).
    pub yaml_depth: usize,
    /// Nodes one YAML document may decode through aliases (on top of go-yaml's own alias
    /// ratio, which Helm has).
    pub yaml_aliases: u64,
    /// Numbers `until`, `untilStep` and `seq` may return.
    pub until_length: u64,
    /// Bytes of a string one function call builds: `repeat`, the padding of
    /// `indent`/`nindent`, the random strings of `randAlpha`/`randAlphaNum`/`randNumeric`/
    /// `randAscii`/`randBytes`.
    pub string_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            steps: 10_000_000,
            output_bytes: 64 << 20,
            release_bytes: 16 << 20,
            include_depth: None,
            archive_bytes: HELM_ARCHIVE_BYTES,
            archive_file_bytes: HELM_ARCHIVE_BYTES,
            archive_entries: 100_000,
            yaml_depth: YAML_DEPTH_CEILING,
            yaml_aliases: 10_000_000,
            until_length: 1_000_000,
            string_bytes: 64 << 20,
        }
    }
}

/// Each limit's name (as `--limit NAME=VALUE` takes it; the wasm option takes the camelCase
/// spelling, see [`camel_case`]), default and meaning. The one table the CLI's help, the
/// wasm option and [`Limits::set`] use.
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
        "release-bytes",
        "16777216",
        "bytes all rendered template files of a release may hold together",
    ),
    (
        "include-depth",
        "4000 (CLI), 100 (wasm)",
        "template executions nested through include/tpl (at most the default)",
    ),
    (
        "archive-bytes",
        "104857600",
        "bytes of all files of a chart archive or directory (Helm's limit by default)",
    ),
    (
        "archive-file-bytes",
        "104857600",
        "bytes of one file of a chart archive or directory",
    ),
    (
        "archive-entries",
        "100000",
        "files in one chart archive or directory",
    ),
    (
        "yaml-depth",
        "500",
        "YAML nesting in values files, fromYaml, Chart.yaml... (at most the default)",
    ),
    (
        "yaml-aliases",
        "10000000",
        "nodes one YAML document decodes through aliases",
    ),
    (
        "until-length",
        "1000000",
        "numbers until/untilStep/seq return",
    ),
    (
        "string-bytes",
        "67108864",
        "bytes of a string repeat, indent/nindent padding or randAlpha/randBytes... build",
    ),
];

/// A limit's name as the wasm option spells it (`output-bytes` → `outputBytes`).
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl Limits {
    /// [`LIMITS`], for front ends that see this type only through a re-export.
    pub const TABLE: &'static [(&'static str, &'static str, &'static str)] = LIMITS;

    /// A limit's name as the wasm option spells it ([`camel_case`]).
    pub fn wasm_name(name: &str) -> String {
        camel_case(name)
    }

    /// Sets one limit by name (the names of [`LIMITS`]; `_` for `-` and camelCase are
    /// accepted too, as the wasm option names them). `include-depth` and `yaml-depth` above
    /// their ceilings are lowered to them.
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
        let size = usize::try_from(value).unwrap_or(usize::MAX);
        match key.as_str() {
            "steps" => self.steps = value,
            "output-bytes" => self.output_bytes = value,
            "release-bytes" => self.release_bytes = value,
            "include-depth" => self.include_depth = Some(size),
            "archive-bytes" => self.archive_bytes = value,
            "archive-file-bytes" => self.archive_file_bytes = value,
            "archive-entries" => self.archive_entries = value,
            "yaml-depth" => self.yaml_depth = size.min(YAML_DEPTH_CEILING),
            "yaml-aliases" => self.yaml_aliases = value,
            "until-length" => self.until_length = value,
            "string-bytes" => self.string_bytes = value,
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

/// What every error of [`exceeded`] says after the limit's name and value.
const NOT_HELMS: &str = "(chartroom's, not Helm's; raise it with --limit ";

/// The error text for a limit that was hit: what ran over, the limit's name and value.
pub fn exceeded(what: &str, name: &str, value: impl std::fmt::Display) -> String {
    format!("{what} exceeded the limit {name}={value} {NOT_HELMS}{name}=N)")
}

/// The `release-bytes` error: the release's rendered templates reached `total` bytes.
pub fn release_exceeded(total: u64, limit: u64) -> String {
    exceeded(
        &format!("the rendered templates of the release ({total} bytes with this one)"),
        "release-bytes",
        limit,
    )
}

/// Whether `message` is (or ends with) an error of [`exceeded`], for callers that replace
/// other errors by a summary (Helm's `unable to load chart archive`) but keep a limit's.
pub fn is_exceeded(message: &str) -> bool {
    message.contains(NOT_HELMS)
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
                include_depth: Some(7),
                ..Limits::default()
            }
        );
        assert!(l.set_assignment("steps").is_err());
        assert!(l.set_assignment("steps=x").is_err());
        let e = l.set("bogus", 1).unwrap_err();
        assert!(
            e.contains("steps, output-bytes, release-bytes, include-depth, archive-bytes"),
            "{e}"
        );
    }

    #[test]
    fn every_name_in_the_table_sets_its_own_field() {
        for (name, _, _) in LIMITS {
            for spelling in [name.to_string(), camel_case(name), name.replace('-', "_")] {
                let mut l = Limits::default();
                l.set(&spelling, 3).unwrap();
                assert_ne!(l, Limits::default(), "{spelling}");
                let mut again = l;
                again.set(&spelling, 3).unwrap();
                assert_eq!(again, l);
            }
        }
        assert_eq!(camel_case("archive-file-bytes"), "archiveFileBytes");
        assert_eq!(LIMITS.len(), 11);
    }

    #[test]
    fn ceilings_lower_larger_values() {
        let mut l = Limits::default();
        l.set("yaml-depth", 100_000).unwrap();
        assert_eq!(l.yaml_depth, YAML_DEPTH_CEILING);
        l.set("yamlDepth", 20).unwrap();
        assert_eq!(l.yaml_depth, 20);
    }

    #[test]
    fn defaults_match_the_table() {
        let d = Limits::default();
        let shown = |n: &str| LIMITS.iter().find(|l| l.0 == n).map(|l| l.1).unwrap();
        assert_eq!(shown("archive-bytes"), d.archive_bytes.to_string());
        assert_eq!(
            shown("archive-file-bytes"),
            d.archive_file_bytes.to_string()
        );
        assert_eq!(shown("archive-entries"), d.archive_entries.to_string());
        assert_eq!(shown("yaml-depth"), d.yaml_depth.to_string());
        assert_eq!(shown("yaml-aliases"), d.yaml_aliases.to_string());
        assert_eq!(shown("until-length"), d.until_length.to_string());
        assert_eq!(shown("string-bytes"), d.string_bytes.to_string());
        assert_eq!(shown("steps"), d.steps.to_string());
        assert_eq!(shown("output-bytes"), d.output_bytes.to_string());
        assert_eq!(shown("release-bytes"), d.release_bytes.to_string());
    }
}
