//! The seam to `chartroom-chart`: locating and loading the chart, values flags, dependency
//! processing, coalescing and schema validation, and the conversion of a loaded chart into an
//! [`EngineChart`] plus its CRDs.

use chartroom_chart::{Chart, ValueOptions};
use chartroom_template::{Limits, Map, Value};

use crate::engine::EngineChart;
use crate::release::CrdFile;
use crate::render_error::{ErrorKind, RenderError};
use crate::request::{ChartSource, ValueSource};

/// A loaded chart, before dependency processing.
pub struct Loaded {
    pub chart: Chart,
}

/// A chart ready to render.
pub struct Prepared {
    pub chart: EngineChart,
    pub crds: Vec<CrdFile>,
    pub values: Value,
    pub kube_version_constraint: String,
    /// What Helm logs while processing dependencies and coalescing values.
    pub warnings: Vec<String>,
}

/// Go's text for an `os.Open`/`os.ReadFile` failure.
pub fn go_io_error(op: &str, path: &str, e: &std::io::Error) -> String {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => return format!("read {path}: is a directory"),
        _ => e.to_string(),
    };
    format!("{op} {path}: {what}")
}

fn read_file(path: &str) -> Result<Vec<u8>, String> {
    if std::path::Path::new(path).is_dir() {
        return Err(format!("read {path}: is a directory"));
    }
    std::fs::read(path).map_err(|e| go_io_error("open", path, &e))
}

/// Helm's `values.Options.MergeValues` over the flags (files read from disk), values files
/// read under the YAML limits of `limits`.
pub fn merge_values(sources: &[ValueSource], limits: &Limits) -> Result<Value, String> {
    let mut opts = ValueOptions {
        limits: *limits,
        ..ValueOptions::default()
    };
    for s in sources {
        match s {
            ValueSource::File(path) => {
                let data = read_file(path)?;
                opts.values_files.push((path.clone(), data));
            }
            ValueSource::YamlText(name, text) => opts
                .values_files
                .push((name.clone(), text.as_bytes().to_vec())),
            ValueSource::Set(v) => opts.set.push(v.clone()),
            ValueSource::SetString(v) => opts.set_string.push(v.clone()),
            ValueSource::SetJson(v) => opts.set_json.push(v.clone()),
            ValueSource::SetLiteral(v) => opts.set_literal.push(v.clone()),
            ValueSource::SetFile(v) => opts.set_file.push(v.clone()),
        }
    }
    let mut reader = |p: &str| read_file(p);
    opts.merge_values_with(&mut reader).map_err(|e| e.message)
}

/// Helm's `LocateChart` (local paths only) then `loader.Load`, under the archive and YAML
/// limits of `limits`.
pub fn load(source: &ChartSource, limits: &Limits) -> Result<Loaded, String> {
    let chart = match source {
        ChartSource::Files(files) => {
            crate::cache::chart(crate::cache::Source::Files(files), limits, || {
                Chart::load_files_with_limits(files.clone(), limits).map_err(|e| e.message)
            })?
        }
        ChartSource::Archive(data) => {
            crate::cache::chart(crate::cache::Source::Archive(data), limits, || {
                Chart::load_archive_with_limits(data, limits).map_err(|e| e.message)
            })?
        }
        ChartSource::Path(name) => {
            let path = std::path::Path::new(name);
            if !path.exists() {
                if path.is_absolute() || name.starts_with('.') {
                    return Err(format!(
                        "path {} not found",
                        chartroom_template::fmt::quote(name)
                    ));
                }
                return match name.split_once('/') {
                    None => Err(format!(
                        "non-absolute URLs should be in form of repo_name/path_to_chart, got: {name}"
                    )),
                    Some((repo, _)) => Err(format!("repo {repo} not found")),
                };
            }
            if path.is_dir() {
                Chart::load_dir_with_limits(path, limits).map_err(|e| e.message)?
            } else {
                // Helm's LocateChart hands the loader an absolute path.
                let abs = if path.is_absolute() {
                    name.clone()
                } else {
                    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
                    cwd.join(path).to_string_lossy().into_owned()
                };
                let abs = chartroom_chart::archive::clean_path(&abs);
                let data = read_file(&abs)?;
                chartroom_chart::ensure_archive(&abs, &data).map_err(|e| e.message)?;
                Chart::load_archive_with_limits(&data, limits).map_err(|e| e.message)?
            }
        }
    };
    Ok(Loaded { chart })
}

/// `checkIfInstallable`: only application charts render.
pub fn check_installable(c: &Loaded) -> Result<(), String> {
    match c.chart.metadata.chart_type.as_str() {
        "" | "application" => Ok(()),
        t => Err(format!("{t} charts are not installable")),
    }
}

/// `action.CheckDependencies` (the caller adds Helm's prefix).
pub fn check_dependencies(c: &Loaded) -> Result<(), String> {
    chartroom_chart::check_dependencies(&c.chart).map_err(|e| e.message)
}

const DEPS_PREFIX: &str = "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: ";

/// Strips the prefix the chart crate already adds, so the caller can add it once.
pub fn strip_deps_prefix(msg: &str) -> &str {
    msg.strip_prefix(DEPS_PREFIX).unwrap_or(msg)
}

/// The engine's view of the chart. Template sources are moved out of `c` (the loaded chart is
/// not used after this), bytes as they are (the parser keeps text that is not UTF-8).
fn engine_chart(c: &mut Chart) -> EngineChart {
    let mut metadata = match c.metadata_value(false) {
        Value::Map(m, _) => m.borrow().clone(),
        _ => Map::new(),
    };
    metadata.remove("IsRoot");
    EngineChart {
        name: c.name().to_string(),
        metadata,
        is_library: c.metadata.chart_type.eq_ignore_ascii_case("library"),
        templates: c
            .templates
            .iter_mut()
            .map(|f| (f.name.clone(), std::mem::take(&mut f.data)))
            .collect(),
        files: c
            .files
            .iter()
            .map(|f| (f.name.clone(), std::rc::Rc::from(f.data.as_slice())))
            .collect(),
        dependencies: c.dependencies.iter_mut().map(engine_chart).collect(),
    }
}

fn has_manifest_extension(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
}

/// `Chart.CRDObjects()`: this chart's `crds/` manifests, then each dependency's.
fn crd_objects(c: &Chart, full_path: &str, out: &mut Vec<CrdFile>) {
    for f in &c.files {
        if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
            out.push(CrdFile {
                source: format!("{full_path}/{}", f.name),
                data: f.data.clone(),
            });
        }
    }
    for d in &c.dependencies {
        crd_objects(d, &format!("{full_path}/charts/{}", d.name()), out);
    }
}

/// Install.Run from `ProcessDependencies` to `ToRenderValuesWithSchemaValidation`.
pub fn prepare(
    c: &mut Loaded,
    user_values: Value,
    skip_schema: bool,
) -> Result<Prepared, RenderError> {
    let fail = |kind: ErrorKind, e: chartroom_chart::Error, warnings: &[String]| RenderError {
        excerpt: None,
        failed_template: None,
        kind,
        message: e.message,
        warnings: warnings.iter().cloned().chain(e.log).collect(),
    };
    let mut warnings = Vec::new();
    let deps =
        chartroom_chart::deps::process_dependencies_with_warnings(&mut c.chart, &user_values)
            .map_err(|e| fail(ErrorKind::Chart, e, &warnings))?;
    warnings.extend(deps.0);
    let (values, coalesce) =
        chartroom_chart::values::coalesce_values_with_warnings(&c.chart, &user_values)
            .map_err(|e| fail(ErrorKind::Values, e, &warnings))?;
    warnings.extend(coalesce.0);
    if !skip_schema {
        warnings.extend(chartroom_chart::schema::unchecked_schema_refs(&c.chart).0);
        chartroom_chart::validate_values_schema(&c.chart, &values)
            .map_err(|e| fail(ErrorKind::Schema, e, &warnings))?;
    }
    let mut crds = Vec::new();
    crd_objects(&c.chart, c.chart.name(), &mut crds);
    Ok(Prepared {
        chart: engine_chart(&mut c.chart),
        crds,
        values,
        kube_version_constraint: c.chart.metadata.kube_version.clone(),
        warnings,
    })
}

/// `chartutil.IsCompatibleRange`.
pub fn kube_version_compatible(constraint: &str, version: &str) -> bool {
    chartroom_chart::semver::is_compatible_range(constraint, version)
}
