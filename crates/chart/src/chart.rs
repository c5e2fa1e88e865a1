//! The chart model and Helm's loaders (directory, archive, in-memory files).

use std::collections::BTreeMap;
use std::path::Path;

use chartroom_template::{Limits, Map, Value};
use chartroom_yaml::json_kind;

use crate::archive::{self, MAX_DECOMPRESSED_CHART_SIZE};
use crate::ignore::Rules;
use crate::metadata::Metadata;
use crate::{Error, Result};

/// A file of a chart: a path relative to the chart root and its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

/// A loaded chart (Helm's `chart.Chart`).
#[derive(Clone, Debug)]
pub struct Chart {
    /// Contents of Chart.yaml (plus requirements.yaml for apiVersion v1).
    pub metadata: Metadata,
    /// Contents of Chart.lock / requirements.lock, parsed YAML.
    pub lock: Option<Value>,
    /// `templates/...` files, in load order (the engine sorts them).
    pub templates: Vec<File>,
    /// Default values (values.yaml, all documents merged). Always a map.
    pub values: Value,
    /// values.yaml as it is (to say where a value came from), if the chart has one.
    pub values_text: Option<std::rc::Rc<[u8]>>,
    /// values.schema.json bytes.
    pub schema: Option<Vec<u8>>,
    /// Every other file (what `.Files` sees): not Chart.yaml, values.yaml, values.schema.json,
    /// templates/ or subcharts. Includes `crds/...` and `.helmignore`.
    pub files: Vec<File>,
    /// Subcharts from charts/ (folders and .tgz archives), sorted by their folder/archive
    /// name. After [`crate::process_dependencies`] this is the enabled, aliased set.
    pub dependencies: Vec<Chart>,
}

fn yaml_err(e: String) -> String {
    if e.starts_with("error converting YAML to JSON") || e.starts_with("error unmarshaling JSON") {
        e
    } else {
        format!("error converting YAML to JSON: {e}")
    }
}

/// Parses one YAML document like sigs.k8s.io/yaml (error text prefixed as it does).
pub(crate) fn parse_yaml_doc(text: &str, limits: &Limits) -> std::result::Result<Value, String> {
    crate::yaml_read::parse_yaml(text, limits).map_err(yaml_err)
}

/// Like [`parse_yaml_doc`] for documents decoded into Go structs (ints stay ints).
pub(crate) fn parse_yaml_typed(text: &str, limits: &Limits) -> std::result::Result<Value, String> {
    crate::yaml_read::parse_yaml_typed(text, limits).map_err(yaml_err)
}

/// Splits a YAML stream into documents like k8s.io/apimachinery's `YAMLReader`.
pub(crate) fn split_documents(text: &str) -> std::result::Result<Vec<String>, String> {
    match yaml_reader_documents(text) {
        (docs, None) => Ok(docs),
        (_, Some(e)) => Err(e),
    }
}

/// k8s.io/apimachinery's `YAMLReader` as a reader sees it: the documents read before a bad
/// `---` line, and that line's error (`invalid Yaml document separator: ...`). `helm lint`
/// checks the documents one by one, so the ones before the error still count.
pub fn yaml_reader_documents(text: &str) -> (Vec<String>, Option<String>) {
    let mut docs = Vec::new();
    let mut buf = String::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                if !buf.is_empty() {
                    docs.push(std::mem::take(&mut buf));
                }
                return (
                    docs,
                    Some(format!("invalid Yaml document separator: {trimmed}")),
                );
            }
            if !buf.is_empty() {
                docs.push(std::mem::take(&mut buf));
            }
            continue;
        }
        buf.push_str(line);
    }
    if !buf.is_empty() {
        docs.push(buf);
    }
    (docs, None)
}

/// Helm's `chartutil.LoadChartfile` over the file's bytes: Chart.yaml decoded into
/// `Metadata` (no validation, no `apiVersion` default). Errors read
/// `error converting YAML to JSON: ...` or `error unmarshaling JSON: while decoding JSON: ...`.
pub fn parse_chartfile(data: &[u8]) -> std::result::Result<Metadata, String> {
    let v = parse_yaml_typed(&String::from_utf8_lossy(data), &Limits::default())?;
    let mut md = Metadata::default();
    md.apply(&v, "v2.Metadata")
        .map_err(|e| format!("error unmarshaling JSON: while decoding JSON: {e}"))?;
    Ok(md)
}

/// Helm's `loader.LoadValues`: every YAML document must be a map; documents are merged in
/// order (maps deep, everything else replaced).
pub fn load_values(data: &[u8]) -> std::result::Result<Value, String> {
    load_values_with(data, &Limits::default())
}

/// [`load_values`] under the YAML limits of `limits` (`yaml-depth`, `yaml-aliases`).
pub fn load_values_with(data: &[u8], limits: &Limits) -> std::result::Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    let docs = split_documents(&text).map_err(|e| format!("error reading yaml document: {e}"))?;
    let mut out = Map::new();
    // go-yaml's reader rejects bytes that are not UTF-8 when it reaches the document holding
    // them (the first one whose text shows a replacement character here).
    let utf8_problem = chartroom_yaml::utf8_reader_error(data);
    for doc in docs {
        if let (Some(problem), true) = (utf8_problem, doc.contains('\u{FFFD}')) {
            return Err(format!(
                "cannot unmarshal yaml document: error converting YAML to JSON: yaml: {problem}"
            ));
        }
        let v = parse_yaml_doc(&doc, limits)
            .map_err(|e| format!("cannot unmarshal yaml document: {e}"))?;
        match v {
            Value::Nil => {}
            Value::Map(m, _) => {
                let m = m.borrow().clone();
                out = crate::values::merge_maps(out, m);
            }
            other => {
                return Err(format!(
                    "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_kind(&other)
                ))
            }
        }
    }
    Ok(Value::map(out))
}

impl Chart {
    /// The chart's name (`metadata.name`).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// This chart's CRD files (Helm's `CRDObjects` for one chart): files under `crds/` with
    /// a `.yaml`, `.yml` or `.json` extension (any case), in load order. Helm also collects
    /// the CRDs of every dependency, after the chart's own.
    pub fn crds(&self) -> Vec<&File> {
        self.files
            .iter()
            .filter(|f| {
                f.name.starts_with("crds/") && {
                    let base = crate::metadata::go_base(&f.name);
                    let ext = base.rfind('.').map(|i| &base[i..]).unwrap_or("");
                    [".yaml", ".yml", ".json"]
                        .iter()
                        .any(|e| ext.eq_ignore_ascii_case(e))
                }
            })
            .collect()
    }

    /// `.Chart` for this chart's templates: Helm 4 hands templates a
    /// `map[string]interface{}` keyed by Go field names (`Name`, `Version`, `IsRoot`...).
    pub fn metadata_value(&self, is_root: bool) -> Value {
        self.metadata.to_value(is_root)
    }

    /// Helm's v2 `LoadFiles`: builds a chart from chart-relative files (no .helmignore).
    pub fn load_buffered(files: Vec<(String, Vec<u8>)>) -> Result<Chart> {
        Chart::load_buffered_with_limits(files, &Limits::default())
    }

    /// [`Chart::load_buffered`] under `limits`: the YAML limits for Chart.yaml, values.yaml
    /// and the other YAML files, the archive limits for subcharts packaged as `.tgz`.
    pub fn load_buffered_with_limits(
        files: Vec<(String, Vec<u8>)>,
        limits: &Limits,
    ) -> Result<Chart> {
        load_files_inner(files, 0, limits)
    }

    /// Loads a chart archive (`.tgz` bytes) as `helm template chart.tgz` does.
    pub fn load_archive(data: &[u8]) -> Result<Chart> {
        Chart::load_archive_with_limits(data, &Limits::default())
    }

    /// [`Chart::load_archive`] under `limits` (the archive limits, then as
    /// [`Chart::load_buffered_with_limits`]). Helm reports any archive error as `unable to
    /// load chart archive`; an error of a chartroom limit also says which limit it hit.
    pub fn load_archive_with_limits(data: &[u8], limits: &Limits) -> Result<Chart> {
        let files = archive::load_archive_files_with(data, limits).map_err(|e| {
            if chartroom_template::limits::is_exceeded(&e) {
                Error::new(format!("unable to load chart archive: {e}"))
            } else {
                Error::new("unable to load chart archive")
            }
        })?;
        detect_version(&files, None, limits)?;
        Chart::load_buffered_with_limits(files, limits)
    }

    /// Loads a chart from an in-memory map path → bytes (paths relative to the chart root,
    /// as the browser hands them over). `.helmignore` is applied as for a directory. When
    /// there is no root `Chart.yaml` but every path sits in one folder that has one (a
    /// dropped chart folder, `mychart/Chart.yaml`), that folder is the chart root.
    pub fn load_files(files: BTreeMap<String, Vec<u8>>) -> Result<Chart> {
        Chart::load_files_with(files, true, &Limits::default())
    }

    /// [`Chart::load_files`] under `limits`: the files (after `.helmignore`) count against
    /// the archive limits as a chart directory's do (the browser's dropped folder is the
    /// CLI's directory), then as [`Chart::load_buffered_with_limits`].
    pub fn load_files_with_limits(
        files: BTreeMap<String, Vec<u8>>,
        limits: &Limits,
    ) -> Result<Chart> {
        Chart::load_files_with(files, true, limits)
    }

    /// [`Chart::load_files`] with Helm's v2 loader called directly, as `helm lint` does: no
    /// `apiVersion` detection first (`apiVersion: v3` loads as v2).
    pub fn load_files_v2(files: BTreeMap<String, Vec<u8>>) -> Result<Chart> {
        Chart::load_files_with(files, false, &Limits::default())
    }

    fn load_files_with(
        files: BTreeMap<String, Vec<u8>>,
        detect: bool,
        limits: &Limits,
    ) -> Result<Chart> {
        let files = strip_common_folder(files);
        let mut rules = match files.get(".helmignore") {
            Some(data) => Rules::parse(&String::from_utf8_lossy(data)).map_err(Error::new)?,
            None => Rules::default(),
        };
        rules.add_defaults();
        let mut kept = Vec::new();
        'files: for (name, data) in files {
            let name = name.trim_start_matches("./").to_string();
            // a file is skipped when it or any parent directory is ignored
            let parts: Vec<&str> = name.split('/').collect();
            for i in 1..parts.len() {
                if rules.ignore(&parts[..i].join("/"), true) {
                    continue 'files;
                }
            }
            if rules.ignore(&name, false) {
                continue;
            }
            let data = match data.strip_prefix(&[0xEF, 0xBB, 0xBF][..]) {
                Some(d) => d.to_vec(),
                None => data,
            };
            kept.push((name, data));
        }
        if !kept.iter().any(|(n, _)| n == "Chart.yaml") {
            return Err(Error::new("Chart.yaml file is missing"));
        }
        let mut remaining = limits.archive_bytes;
        let mut budget = Budget {
            limits,
            remaining: &mut remaining,
        };
        for (count, (name, data)) in kept.iter().enumerate() {
            budget.take(count as u64 + 1, name, data.len() as u64)?;
        }
        if detect {
            detect_version(&kept, None, limits)?;
        }
        Chart::load_buffered_with_limits(kept, limits)
    }

    /// Loads a chart directory as `helm template ./dir` does (`.helmignore`, symlinks
    /// followed, Helm's size budget).
    pub fn load_dir(path: &Path) -> Result<Chart> {
        Chart::load_dir_with(path, true, &Limits::default())
    }

    /// [`Chart::load_dir`] under `limits` (`archive-bytes`, `archive-file-bytes`,
    /// `archive-entries` for the directory's files, then as
    /// [`Chart::load_buffered_with_limits`]).
    pub fn load_dir_with_limits(path: &Path, limits: &Limits) -> Result<Chart> {
        Chart::load_dir_with(path, true, limits)
    }

    /// [`Chart::load_dir`] with Helm's v2 `loader.LoadDir` called directly, as `helm lint`
    /// does: no `apiVersion` detection first (a missing Chart.yaml is `Chart.yaml file is
    /// missing`, `apiVersion: v3` loads as v2).
    pub fn load_dir_v2(path: &Path) -> Result<Chart> {
        Chart::load_dir_with(path, false, &Limits::default())
    }

    fn load_dir_with(path: &Path, detect: bool, limits: &Limits) -> Result<Chart> {
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(|e| Error::new(e.to_string()))?
                .join(path)
        };
        let abs = Path::new(&archive::clean_path(&abs.to_string_lossy())).to_path_buf();
        let chart_yaml = abs.join("Chart.yaml");
        if detect && !chart_yaml.is_file() {
            return Err(Error::new(format!(
                "unable to detect chart at {p}: open {p}: no such file or directory",
                p = chart_yaml.display()
            )));
        }
        let mut rules = match std::fs::read(abs.join(".helmignore")) {
            Ok(data) => Rules::parse(&String::from_utf8_lossy(&data)).map_err(Error::new)?,
            Err(_) => Rules::default(),
        };
        rules.add_defaults();
        let mut files = Vec::new();
        let mut remaining = limits.archive_bytes;
        // Helm reads apiVersion from Chart.yaml on disk, before .helmignore applies.
        if detect {
            let raw = std::fs::read(&chart_yaml)
                .map_err(|e| Error::new(format!("open {}: {e}", chart_yaml.display())))?;
            detect_version(
                &[("Chart.yaml".to_string(), raw)],
                Some(&chart_yaml),
                limits,
            )?;
        }
        let mut budget = Budget {
            limits,
            remaining: &mut remaining,
        };
        walk(&abs, "", &rules, &mut files, &mut budget, 0)?;
        Chart::load_buffered_with_limits(files, limits)
    }
}

fn strip_common_folder(files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    if files.contains_key("Chart.yaml") {
        return files;
    }
    let Some(first) = files
        .keys()
        .next()
        .and_then(|k| k.split_once('/'))
        .map(|(a, _)| a.to_string())
    else {
        return files;
    };
    let prefix = format!("{first}/");
    if !files.contains_key(&format!("{prefix}Chart.yaml"))
        || !files.keys().all(|k| k.starts_with(&prefix))
    {
        return files;
    }
    files
        .into_iter()
        .map(|(k, v)| (k[prefix.len()..].to_string(), v))
        .collect()
}

/// What a directory walk may still read: the limits and the bytes left of `archive-bytes`.
struct Budget<'a> {
    limits: &'a Limits,
    remaining: &'a mut u64,
}

impl Budget<'_> {
    /// Helm's `error reading NAME: chart exceeds maximum decompressed size of N bytes` (the
    /// `archive-bytes` limit's text after the same prefix when it is not Helm's size).
    fn too_large(&self, name: &str) -> Error {
        let why = archive::chart_too_large(self.limits.archive_bytes, || {
            format!(
                "chart exceeds maximum decompressed size of {MAX_DECOMPRESSED_CHART_SIZE} bytes"
            )
        });
        Error::new(format!("error reading {name}: {why}"))
    }

    /// File number `count` (from 1), `name` of `size` bytes: checks the file count, its size
    /// and the bytes left (`archive-entries`, `archive-file-bytes`, `archive-bytes`).
    fn check(&self, count: u64, name: &str, size: u64) -> Result<()> {
        archive::check_entries(self.limits, count).map_err(Error::new)?;
        if size > *self.remaining {
            return Err(self.too_large(name));
        }
        archive::check_file_size(self.limits, name, size).map_err(Error::new)
    }

    /// [`Budget::check`], then the file's bytes are spent.
    fn take(&mut self, count: u64, name: &str, size: u64) -> Result<()> {
        self.check(count, name, size)?;
        *self.remaining -= size;
        Ok(())
    }
}

fn walk(
    dir: &Path,
    rel: &str,
    rules: &Rules,
    out: &mut Vec<(String, Vec<u8>)>,
    budget: &mut Budget<'_>,
    depth: usize,
) -> Result<()> {
    if depth > 64 {
        return Err(Error::new(format!(
            "{}: too many levels of symbolic links or nested directories",
            dir.display()
        )));
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::new(format!("open {}: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    for name in entries {
        let full = dir.join(&name);
        let n = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        let meta = std::fs::metadata(&full)
            .map_err(|e| Error::new(format!("stat {}: {e}", full.display())))?;
        if meta.is_dir() {
            if rules.ignore(&n, true) {
                continue;
            }
            walk(&full, &n, rules, out, budget, depth + 1)?;
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(Error::new(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                full.display()
            )));
        }
        // Checked before reading (the size on disk) and after (the file may have grown).
        let count = out.len() as u64 + 1;
        budget.check(count, &n, meta.len())?;
        let data = std::fs::read(&full)
            .map_err(|e| Error::new(format!("open {}: {e}", full.display())))?;
        budget.take(count, &n, data.len() as u64)?;
        let data = match data.strip_prefix(&[0xEF, 0xBB, 0xBF][..]) {
            Some(d) => d.to_vec(),
            None => data,
        };
        out.push((n, data));
    }
    Ok(())
}

/// Helm 4's top-level loader first reads `apiVersion` to pick a chart loader.
fn detect_version(
    files: &[(String, Vec<u8>)],
    _path: Option<&Path>,
    limits: &Limits,
) -> Result<()> {
    let Some((_, data)) = files.iter().find(|(n, _)| n == "Chart.yaml") else {
        return Err(Error::new(
            "unable to detect chart version, no Chart.yaml found",
        ));
    };
    let v = parse_yaml_typed(&String::from_utf8_lossy(data), limits)
        .map_err(|e| Error::new(format!("cannot load Chart.yaml: {e}")))?;
    let api = match &v {
        Value::Nil => String::new(),
        Value::Map(m, _) => {
            let m = m.borrow();
            let found = m.get("apiVersion").or_else(|| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("apiVersion"))
                    .map(|(_, v)| v)
            });
            match found {
                None | Some(Value::Nil) => String::new(),
                Some(x) => crate::metadata::yaml_scalar_to_string(x).unwrap_or_default(),
            }
        }
        other => {
            return Err(Error::new(format!(
                "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type loader.chartBase",
                json_kind(other)
            )))
        }
    };
    match api.as_str() {
        "" | "v1" | "v2" => Ok(()),
        "v3" => Err(Error::new("invalid chart apiVersion")),
        _ => Err(Error::new("unsupported chart version")),
    }
}

const MAX_NESTING: usize = 64;

fn load_files_inner(files: Vec<(String, Vec<u8>)>, depth: usize, limits: &Limits) -> Result<Chart> {
    if depth > MAX_NESTING {
        return Err(Error::new("chart dependencies are nested too deeply"));
    }
    let mut metadata: Option<Metadata> = None;
    for (name, data) in &files {
        if name == "Chart.yaml" {
            let v = parse_yaml_typed(&String::from_utf8_lossy(data), limits)
                .map_err(|e| Error::new(format!("cannot load Chart.yaml: {e}")))?;
            let mut md = metadata.take().unwrap_or_default();
            md.apply(&v, "v2.Metadata").map_err(|e| {
                Error::new(format!(
                    "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: {e}"
                ))
            })?;
            if md.api_version.is_empty() {
                md.api_version = "v1".into();
            }
            metadata = Some(md);
        }
    }
    let mut lock = None;
    let mut values = Value::empty_map();
    let mut values_text = None;
    let mut schema = None;
    let mut templates = Vec::new();
    let mut other = Vec::new();
    let mut subcharts: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for (name, data) in files {
        match name.as_str() {
            "Chart.yaml" => {}
            "Chart.lock" => {
                lock = Some(
                    parse_yaml_doc(&String::from_utf8_lossy(&data), limits)
                        .map_err(|e| Error::new(format!("cannot load Chart.lock: {e}")))?,
                );
            }
            "values.yaml" => {
                values = load_values_with(&data, limits)
                    .map_err(|e| Error::new(format!("cannot load values.yaml: {e}")))?;
                values_text = Some(std::rc::Rc::from(data.as_slice()));
            }
            "values.schema.json" => schema = Some(data),
            "requirements.yaml" => {
                let md = metadata.get_or_insert_with(Metadata::default);
                let v = parse_yaml_typed(&String::from_utf8_lossy(&data), limits)
                    .map_err(|e| Error::new(format!("cannot load requirements.yaml: {e}")))?;
                md.apply(&v, "v2.Metadata").map_err(|e| {
                    Error::new(format!(
                        "cannot load requirements.yaml: error unmarshaling JSON: while decoding JSON: {e}"
                    ))
                })?;
                if md.api_version == "v1" {
                    other.push(File { name, data });
                }
            }
            "requirements.lock" => {
                lock = Some(
                    parse_yaml_doc(&String::from_utf8_lossy(&data), limits)
                        .map_err(|e| Error::new(format!("cannot load requirements.lock: {e}")))?,
                );
                let md = metadata.get_or_insert_with(Metadata::default);
                if md.api_version == "v1" {
                    other.push(File { name, data });
                }
            }
            n if n.starts_with("templates/") => templates.push(File { name, data }),
            n if n.starts_with("charts/") => {
                if n.ends_with(".prov") {
                    other.push(File { name, data });
                    continue;
                }
                let fname = &n["charts/".len()..];
                let cname = fname.split('/').next().unwrap_or("").to_string();
                let fname = fname.to_string();
                subcharts.entry(cname).or_default().push((fname, data));
            }
            _ => other.push(File { name, data }),
        }
    }
    let Some(mut metadata) = metadata else {
        return Err(Error::new("Chart.yaml file is missing"));
    };
    metadata
        .validate()
        .map_err(|e| Error::new(format!("validation: {e}")))?;
    let chart_name = metadata.name.clone();
    let mut dependencies = Vec::new();
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let sc = if n.ends_with(".tgz") {
            let (fname, data) = &files[0];
            if *fname != n {
                return Err(Error::new(format!(
                    "error unpacking subchart tar in {chart_name}: expected {n}, got {fname}"
                )));
            }
            archive::load_archive_files_with(data, limits)
                .map_err(Error::new)
                .and_then(|f| load_files_inner(f, depth + 1, limits))
        } else {
            let buff: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .filter_map(|(fname, data)| {
                    fname
                        .split_once('/')
                        .map(|(_, rest)| (rest.to_string(), data))
                })
                .collect();
            load_files_inner(buff, depth + 1, limits)
        };
        let sc = sc.map_err(|e| {
            Error::new(format!(
                "error unpacking subchart {n} in {chart_name}: {}",
                e.message
            ))
        })?;
        dependencies.push(sc);
    }
    Ok(Chart {
        metadata,
        values_text,
        lock,
        templates,
        values,
        schema,
        files: other,
        dependencies,
    })
}

/// Helm's `EnsureArchive` check on a chart path given as a file: a readable message when the
/// bytes are not gzip (e.g. a values file passed as the chart).
pub fn ensure_archive(name: &str, data: &[u8]) -> Result<()> {
    if data.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(Error::new(format!(
            "file '{name}' seems to be a YAML file, but expected a gzipped archive"
        )));
    }
    // Go sniffs a zero-padded 512-byte buffer, so short files always look binary.
    let ct = if data.len() >= 512
        && std::str::from_utf8(&data[..512]).is_ok()
        && !data[..512]
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | 0x1b))
    {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    Err(Error::new(format!(
        "file '{name}' does not appear to be a gzipped archive; got '{ct}'"
    )))
}
