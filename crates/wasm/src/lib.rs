//! WebAssembly bindings for the render core.
//!
//! `render(files, options)` takes the chart's files (an object mapping chart-relative paths to
//! text or `Uint8Array`, or `{ "chart.tgz": bytes }`) and an options object mirroring
//! `helm template`'s flags in camelCase ([`RenderOptions`]), builds the same
//! [`chartroom_render::RenderRequest`] the CLI builds, and returns a plain object
//! `{ ok, output, error, errorKind, warnings, manifests, notes }` ([`RenderOutcome`]). It never
//! throws for a render error; bad arguments (a file that is neither a string nor a
//! `Uint8Array`, an unknown option) also come back as `ok: false`, so callers have one error
//! path.
//!
//! On wasm32-unknown-unknown a panic aborts (traps) the instance; the render core is written not
//! to panic, the panic hook only makes a bug readable in the console, and the worker reloads the
//! module after a trap.

use std::collections::BTreeMap;

use chartroom_render::{
    ChartSource, ErrorKind, RenderError, RenderRequest, RenderedManifest, RenderedRelease, Seed,
    ValueSource,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub mod keygen;

/// `helm template`'s flags as a JavaScript options object (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RenderOptions {
    /// The NAME argument; empty means Helm's `release-name`.
    pub release_name: String,
    pub namespace: String,
    /// Values files' texts, applied in order like repeated `-f`.
    pub values: Vec<String>,
    /// The values files' names, as error messages name them (`-f prod.yaml`); default
    /// `values.yaml` for a single file, else `values-1.yaml`, `values-2.yaml`...
    pub values_names: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
    pub kube_version: String,
    pub api_versions: Vec<String>,
    pub is_upgrade: bool,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub skip_schema_validation: bool,
    pub show_only: Vec<String>,
    /// Errors without Helm's "Use --debug flag" hint.
    pub debug: bool,
    /// A fixed seed for the random functions: a number (reproducible, not secret, the CLI's
    /// `--seed`) or 32 bytes (a `Uint8Array` or 64 hex digits, e.g. drawn once per page load
    /// from `crypto.getRandomValues`: stable across renders and unguessable). Without one
    /// every render draws from `crypto.getRandomValues`.
    pub seed: Option<SeedOption>,
    /// chartroom's limits by name, the CLI's `--limit NAME=VALUE` names in camelCase
    /// (`steps`, `outputBytes`, `releaseBytes`, `includeDepth`, `archiveBytes`, `archiveFileBytes`,
    /// `archiveEntries`, `yamlDepth`, `yamlAliases`, `untilLength`, `stringBytes`: the table
    /// `chartroom_render::Limits::TABLE`; docs/notes/limits.md). An unknown name is an error.
    pub limits: BTreeMap<String, u64>,
    /// Trace errors to template lines (`--explain`): a failed render also returns the
    /// rendered lines around the failure with their origins (`excerpt`), the manifests of the
    /// templates that did render, and the failing template's output up to the failure.
    pub explain: bool,
    /// `render` only: a discovery render (web/keys.js; [`keygen`]): RSA keys a seeded render
    /// would generate and the memo lacks are listed in `keysWanted` instead, with stand-ins in
    /// their place; `standIns` counts them, and the output is the real one only when it is 0.
    pub discover_keys: bool,
}

/// The `seed` option: a number or bigint, or a 256-bit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedOption(pub Seed);

impl<'de> Deserialize<'de> for SeedOption {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SeedVisitor)
    }
}

struct SeedVisitor;

const SEED_EXPECTED: &str =
    "a non-negative integer, 32 bytes (Uint8Array) or 64 hexadecimal digits";

fn seed_key<E: serde::de::Error>(bytes: &[u8]) -> Result<SeedOption, E> {
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|_| E::custom(format!("seed: {} bytes, expected 32", bytes.len())))?;
    Ok(SeedOption(Seed::Key(key)))
}

impl<'de> serde::de::Visitor<'de> for SeedVisitor {
    type Value = SeedOption;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(SEED_EXPECTED)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SeedOption, E> {
        Ok(SeedOption(Seed::Number(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SeedOption, E> {
        u64::try_from(v)
            .map(|n| SeedOption(Seed::Number(n)))
            .map_err(|_| E::custom(format!("seed: {v} is negative")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<SeedOption, E> {
        if v.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&v) {
            Ok(SeedOption(Seed::Number(v as u64)))
        } else {
            Err(E::custom(format!("seed: {v} is not {SEED_EXPECTED}")))
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SeedOption, E> {
        seed_from_hex(v)
            .map(|key| SeedOption(Seed::Key(key)))
            .map_err(E::custom)
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<SeedOption, E> {
        seed_key(v)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<SeedOption, A::Error> {
        let mut bytes = Vec::new();
        while let Some(b) = seq.next_element::<u8>()? {
            if bytes.len() == 32 {
                return Err(serde::de::Error::custom("seed: more than 32 bytes"));
            }
            bytes.push(b);
        }
        seed_key(&bytes)
    }
}

/// A 256-bit seed from 64 hexadecimal digits.
pub fn seed_from_hex(v: &str) -> Result<[u8; 32], String> {
    let hex = v.trim();
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "seed: a string seed must be 64 hexadecimal digits, got {} characters",
            hex.len()
        ));
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
            .map_err(|_| "seed: not hexadecimal".to_string())?;
    }
    Ok(key)
}

impl RenderOptions {
    /// The limits the options ask for, or the error naming an unknown limit.
    pub fn limits(&self) -> Result<chartroom_render::Limits, String> {
        let mut limits = chartroom_render::Limits::default();
        for (name, value) in &self.limits {
            limits.set(name, *value)?;
        }
        Ok(limits)
    }

    /// The request the CLI would build for the same flags.
    pub fn to_request(&self, chart: ChartSource) -> RenderRequest {
        let mut req = RenderRequest::new(chart);
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        req.release_name = text(&self.release_name);
        req.namespace = text(&self.namespace);
        req.kube_version = text(&self.kube_version);
        for (i, v) in self.values.iter().enumerate() {
            let given = self.values_names.get(i).map(|n| n.trim()).unwrap_or("");
            let name = if !given.is_empty() {
                given.to_string()
            } else if self.values.len() == 1 {
                "values.yaml".to_string()
            } else {
                format!("values-{}.yaml", i + 1)
            };
            req.values.push(ValueSource::YamlText(name, v.clone()));
        }
        req.values
            .extend(self.set_json.iter().cloned().map(ValueSource::SetJson));
        req.values
            .extend(self.set.iter().cloned().map(ValueSource::Set));
        req.values
            .extend(self.set_string.iter().cloned().map(ValueSource::SetString));
        req.values.extend(
            self.set_literal
                .iter()
                .cloned()
                .map(ValueSource::SetLiteral),
        );
        req.api_versions = self.api_versions.clone();
        req.is_upgrade = self.is_upgrade;
        req.include_crds = self.include_crds;
        req.skip_tests = self.skip_tests;
        req.no_hooks = self.no_hooks;
        req.skip_schema_validation = self.skip_schema_validation;
        req.show_only = self.show_only.clone();
        req.debug = self.debug;
        req.seed = self.seed.map(|s| s.0);
        // Checked when the options are read (`options_from_js`).
        req.limits = self.limits().unwrap_or_default();
        req.provenance = self.explain;
        req.keep_going = self.explain;
        req
    }
}

/// What one render produced, as handed to JavaScript.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderOutcome {
    /// True when rendering succeeded.
    pub ok: bool,
    /// `helm template`'s standard output on success, empty otherwise.
    pub output: String,
    /// The error text (what Helm prints after `Error: `) on failure, empty otherwise.
    pub error: String,
    /// The failed step (`usage`, `values`, `chart`, `schema`, `template`, `manifest`...).
    pub error_kind: Option<ErrorKind>,
    /// Helm's log lines and chartroom's warnings, on success and on failure.
    pub warnings: Vec<String>,
    /// Every rendered manifest in print order (ordinary, then hooks), with its source
    /// template, document index, text and head.
    pub manifests: Vec<RenderedManifest>,
    /// The root chart's rendered NOTES.txt.
    pub notes: Option<String>,
    /// With `explain`, on failure: the rendered lines around it, each with its origin.
    pub excerpt: Option<chartroom_render::origins::Excerpt>,
    /// With `explain`, when a template failed while executing: its output up to there.
    pub failed_template: Option<chartroom_render::FailedTemplate>,
    /// With `discoverKeys`: the keys the render wanted and did not have.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys_wanted: Option<Vec<keygen::WantedKey>>,
    /// With `discoverKeys`: how many stand-ins took a key's place (0: the output is real).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stand_ins: Option<usize>,
}

impl RenderOutcome {
    fn failure(error: RenderError) -> Self {
        Self::failure_with(error, None)
    }

    /// A failure, with what did render (`explain`).
    fn failure_with(error: RenderError, partial: Option<RenderedRelease>) -> Self {
        RenderOutcome {
            ok: false,
            output: String::new(),
            error: error.message,
            error_kind: Some(error.kind),
            warnings: error.warnings,
            manifests: partial
                .as_ref()
                .map(|r| r.all_manifests().cloned().collect())
                .unwrap_or_default(),
            notes: partial.and_then(|r| r.notes),
            excerpt: error.excerpt.map(|e| *e),
            failed_template: error.failed_template.map(|f| *f),
            keys_wanted: None,
            stand_ins: None,
        }
    }

    fn usage(message: String) -> Self {
        RenderOutcome::failure(RenderError::new(ErrorKind::Usage, message))
    }
}

/// A lone `.tgz` (or `.tar.gz`) entry is a packaged chart; anything else is a chart folder.
fn chart_source(files: BTreeMap<String, Vec<u8>>) -> ChartSource {
    if files.len() == 1 {
        if let Some((name, data)) = files.iter().next() {
            if name.ends_with(".tgz") || name.ends_with(".tar.gz") {
                return ChartSource::Archive(data.clone());
            }
        }
    }
    ChartSource::Files(files)
}

/// Renders an in-memory chart; the platform-independent part of [`render`].
pub fn render_map(files: BTreeMap<String, Vec<u8>>, options: &RenderOptions) -> RenderOutcome {
    if !options.discover_keys {
        return render_map_plain(files, options);
    }
    chartroom_funcs::rng::begin_discovery();
    let mut outcome = render_map_plain(files, options);
    let found = chartroom_funcs::rng::end_discovery();
    outcome.keys_wanted = Some(keygen::wanted_keys(&found));
    outcome.stand_ins = Some(found.stand_ins);
    outcome
}

fn render_map_plain(files: BTreeMap<String, Vec<u8>>, options: &RenderOptions) -> RenderOutcome {
    let req = options.to_request(chart_source(files));
    let (result, partial) = chartroom_render::render_preview(&req);
    let result = result.and_then(|release| {
        let stdout = chartroom_render::print_template(&release, &req, &mut NoFiles)?;
        Ok((stdout, release))
    });
    match result {
        Ok((stdout, release)) => RenderOutcome {
            ok: true,
            // Helm's YAML parse of every manifest guarantees UTF-8, except in `crds/` files.
            output: chartroom_template::gostr::utf8_or_lossy(&stdout),
            error: String::new(),
            error_kind: None,
            warnings: release.warnings.clone(),
            manifests: release.all_manifests().cloned().collect(),
            notes: release.notes.clone(),
            excerpt: None,
            failed_template: None,
            keys_wanted: None,
            stand_ins: None,
        },
        Err(error) => RenderOutcome::failure_with(error, partial),
    }
}

/// `chartroom diff`'s own options as a JavaScript object (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct DiffJsOptions {
    pub ignore_chart_labels: bool,
    pub ignore: Vec<String>,
    pub show_secrets: bool,
    /// Lines of context in each resource's text diff (default 3).
    pub context: Option<usize>,
}

/// What one diff produced: the CLI's JSON (`changes`, `summary`) plus `ok`/`error`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffOutcome {
    pub ok: bool,
    /// The failing side's error (`old: ...` / `new: ...`), empty on success.
    pub error: String,
    pub error_kind: Option<ErrorKind>,
    pub warnings: Vec<String>,
    pub changes: Vec<chartroom_diff::ResourceChange>,
    pub summary: chartroom_diff::Summary,
}

impl DiffOutcome {
    fn failure(kind: ErrorKind, error: String, warnings: Vec<String>) -> Self {
        DiffOutcome {
            ok: false,
            error,
            error_kind: Some(kind),
            warnings,
            changes: Vec::new(),
            summary: chartroom_diff::Summary::default(),
        }
    }
}

/// Renders the chart with `old` and `new` options (one random seed and one clock for both,
/// so unchanged inputs give unchanged output) and compares the two releases.
pub fn diff_map(
    files: BTreeMap<String, Vec<u8>>,
    old: &RenderOptions,
    new: &RenderOptions,
    opts: &DiffJsOptions,
) -> DiffOutcome {
    use chartroom_funcs::rng;
    let seed = match new.seed.or(old.seed) {
        Some(s) => s.0,
        None => match rng::entropy_seed() {
            Ok(key) => Seed::Key(key),
            Err(e) => return DiffOutcome::failure(ErrorKind::Environment, e, Vec::new()),
        },
    };
    let now = rng::now();
    let mut warnings = Vec::new();
    let request = |options: &RenderOptions| {
        let mut req = options.to_request(chart_source(files.clone()));
        req.seed = Some(seed);
        req.now = Some(now);
        // As the CLI: the comparison parses only the resources whose texts differ.
        req
    };
    let (old_req, new_req) = (request(old), request(new));
    let mut render = |req: &RenderRequest, side: &str| match chartroom_render::render_release(req) {
        Ok(r) => {
            warnings.extend(r.warnings.iter().cloned());
            Ok(r)
        }
        Err(e) => Err((e.kind, format!("{side}: {}", e.message), e.warnings)),
    };
    let releases = render(&old_req, "old").and_then(|a| render(&new_req, "new").map(|b| (a, b)));
    let (old_release, new_release) = match releases {
        Ok(pair) => pair,
        Err((kind, error, w)) => return DiffOutcome::failure(kind, error, w),
    };
    let diff_opts = chartroom_diff::DiffOptions {
        ignore_chart_labels: opts.ignore_chart_labels,
        ignore: opts.ignore.clone(),
        show_secrets: opts.show_secrets,
        context: opts.context.unwrap_or(3),
        include_crd_files: new.include_crds,
    };
    warnings.dedup();
    match chartroom_diff::diff_releases(&old_release, &new_release, &diff_opts) {
        Ok(mut d) => {
            chartroom_diff::attribute_values(
                &old_req,
                &new_req,
                &old_release,
                &new_release,
                &mut d,
                &diff_opts,
            );
            DiffOutcome {
                ok: true,
                error: String::new(),
                error_kind: None,
                warnings,
                changes: d.changes,
                summary: d.summary,
            }
        }
        Err(e) => DiffOutcome::failure(ErrorKind::Manifest, e, warnings),
    }
}

/// `lint`'s options: the render options plus `kubeVersions` and `strict`.
#[derive(Debug, Clone, Default)]
pub struct LintJsOptions {
    pub render: RenderOptions,
    /// Kubernetes versions to lint against (each renders once with that version, like repeated
    /// `--kube-version`); empty means `render.kube_version` (or the default, 1.37).
    pub kube_versions: Vec<String>,
    /// `--strict`: unknown fields and duplicate keys are errors.
    pub strict: bool,
}

/// What one lint produced: `chartroom lint --output json` (`findings`, `summary`) plus
/// `ok`/`error` (`ok` is false only when the lint could not run; findings do not change it).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintOutcome {
    pub ok: bool,
    pub error: String,
    pub error_kind: Option<ErrorKind>,
    pub warnings: Vec<String>,
    pub findings: Vec<chartroom_lint::Finding>,
    pub summary: chartroom_lint::Summary,
}

impl LintOutcome {
    fn failure(kind: ErrorKind, error: String, warnings: Vec<String>) -> Self {
        LintOutcome {
            ok: false,
            error,
            error_kind: Some(kind),
            warnings,
            findings: Vec::new(),
            summary: chartroom_lint::Summary::default(),
        }
    }
}

/// Where lint finds the Kubernetes schema packs. The wasm module does not carry them (they
/// would add ~235 KB to every page load): the caller hands over the pack files it fetched
/// ([`load_schema_packs`]), and compiled packs are kept per version.
#[derive(Default)]
pub struct PackStore {
    files: BTreeMap<String, Vec<u8>>,
    compiled: BTreeMap<String, std::rc::Rc<chartroom_lint::SchemaPack>>,
}

impl PackStore {
    /// Stores pack files by name (`k8s-1.37.json.gz`); a file given again replaces the old one.
    pub fn add(&mut self, name: String, bytes: Vec<u8>) {
        self.compiled.clear();
        self.files.insert(name, bytes);
    }

    /// The compiled pack for a Kubernetes version (`1.30.2`, `v1.30`), from the stored files.
    pub fn pack(
        &mut self,
        kube_version: &str,
    ) -> Result<std::rc::Rc<chartroom_lint::SchemaPack>, String> {
        use chartroom_lint::packs;
        let version = packs::select_version(kube_version)?;
        if let Some(p) = self.compiled.get(version) {
            return Ok(p.clone());
        }
        let names = packs::pack_files(version);
        let mut data = Vec::new();
        for name in &names {
            let bytes = self.files.get(name).ok_or_else(|| {
                format!(
                    "the schema pack {name} is not loaded (lint against Kubernetes {version} needs {}): pass the files to loadSchemaPacks",
                    names.join(" and ")
                )
            })?;
            data.push(bytes.as_slice());
        }
        let pack = match data.as_slice() {
            [one] => chartroom_lint::SchemaPack::load(one),
            [base, delta] => chartroom_lint::SchemaPack::load_delta(base, delta),
            _ => return Err(format!("no schema pack files for {version}")),
        }
        .map_err(|e| e.to_string())?;
        let pack = std::rc::Rc::new(pack);
        self.compiled.insert(version.to_string(), pack.clone());
        Ok(pack)
    }
}

/// Renders the chart once per Kubernetes version and validates every manifest against that
/// version's schemas, as `chartroom lint [NAME] CHART --output json` does.
pub fn lint_map(
    files: BTreeMap<String, Vec<u8>>,
    options: &LintJsOptions,
    store: &mut PackStore,
) -> LintOutcome {
    let versions: Vec<Option<String>> = if options.kube_versions.is_empty() {
        let v = options.render.kube_version.trim();
        vec![(!v.is_empty()).then(|| v.to_string())]
    } else {
        options
            .kube_versions
            .iter()
            .map(|v| Some(v.clone()))
            .collect()
    };
    let opts = chartroom_lint::Options {
        strict: options.strict,
        ..chartroom_lint::Options::default()
    };
    let mut packs = Vec::new();
    for version in &versions {
        let name = version
            .as_deref()
            .unwrap_or(chartroom_lint::packs::DEFAULT_VERSION);
        match store.pack(name) {
            Ok(p) => packs.push(p),
            Err(e) => return LintOutcome::failure(ErrorKind::Usage, e, Vec::new()),
        }
    }
    let targets: Vec<chartroom_lint::run::Target<'_>> = versions
        .iter()
        .zip(&packs)
        .map(|(v, pack)| chartroom_lint::run::Target {
            kube_version: v.as_deref(),
            pack,
        })
        .collect();
    // The CLI's own run (Helm's checks, then each version's render and schemas), on this
    // thread.
    let req = options.render.to_request(chart_source(files));
    match chartroom_lint::run::render_and_lint(&req, &targets, &opts) {
        Ok(r) => LintOutcome {
            ok: true,
            error: String::new(),
            error_kind: None,
            warnings: r.warnings,
            findings: r.report.findings,
            summary: r.report.summary,
        },
        Err(e) => LintOutcome::failure(e.kind, e.message, e.warnings),
    }
}

/// TypeScript declarations for the objects [`render`] and [`diff`] take and return (the
/// generated `.d.ts` of the npm package `chartroom`); they describe the serde shapes above.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A chart's files by chart-relative path (`Chart.yaml`, `templates/x.yaml`...), as text or
 * bytes; or a packaged chart as the single entry `{ "chart.tgz": bytes }`. */
export type ChartFiles = Record<string, string | Uint8Array>;

/** `helm template`'s flags in camelCase; every field is optional. */
export interface RenderOptions {
  /** The NAME argument; empty or absent means Helm's `release-name`. */
  releaseName?: string;
  /** `--namespace` (default `default`). */
  namespace?: string;
  /** Values files' texts, applied in order like repeated `-f`. */
  values?: string[];
  /** The values files' names as errors name them (`-f prod.yaml`); default `values.yaml` for
   * one file, else `values-1.yaml`, `values-2.yaml`... */
  valuesNames?: string[];
  /** `--set` (applied after `setJson`, before `setString` and `setLiteral`). */
  set?: string[];
  /** `--set-string`. */
  setString?: string[];
  /** `--set-json`. */
  setJson?: string[];
  /** `--set-literal`. */
  setLiteral?: string[];
  /** `--kube-version`, e.g. `1.30.0`. */
  kubeVersion?: string;
  /** `--api-versions`. */
  apiVersions?: string[];
  /** `--is-upgrade`. */
  isUpgrade?: boolean;
  /** `--include-crds`. */
  includeCrds?: boolean;
  /** `--skip-tests`. */
  skipTests?: boolean;
  /** `--no-hooks`. */
  noHooks?: boolean;
  /** `--skip-schema-validation`. */
  skipSchemaValidation?: boolean;
  /** `--show-only` (template paths such as `templates/cm.yaml`). */
  showOnly?: string[];
  /** `--debug`: errors without Helm's "Use --debug flag" hint. */
  debug?: boolean;
  /** A fixed seed for the random functions: a number (reproducible, not secret; the CLI's
   * `--seed`), or 32 bytes as a `Uint8Array` or 64 hex digits (e.g. drawn once per page load
   * from `crypto.getRandomValues`: stable between renders, unguessable). Without one every
   * render draws a fresh seed from `crypto.getRandomValues`. */
  seed?: number | bigint | Uint8Array | string;
  /** chartroom's limits (the CLI's `--limit NAME=VALUE`, in camelCase; an unknown name is an
   * error, and each limit's error names it; docs/notes/limits.md):
   * `steps` (template execution steps per file, default 10000000),
   * `outputBytes` (bytes one template execution may write, default 67108864),
   * `releaseBytes` (bytes all rendered template files of a release hold together, default 16777216),
   * `includeDepth` (include/tpl nesting, default and most 100),
   * `archiveBytes` (bytes of all files of a chart archive, default Helm's 104857600),
   * `archiveFileBytes` (bytes of one file of a chart archive, default 104857600),
   * `archiveEntries` (entries of a chart archive, default 100000),
   * `yamlDepth` (YAML nesting in values files, fromYaml..., default and most 500),
   * `yamlAliases` (nodes one YAML document decodes through aliases, default 10000000),
   * `untilLength` (numbers until/untilStep/seq return, default 1000000),
   * `stringBytes` (bytes of a string repeat/indent/randAlpha... build, default 67108864). */
  limits?: {
    steps?: number;
    outputBytes?: number;
    releaseBytes?: number;
    includeDepth?: number;
    archiveBytes?: number;
    archiveFileBytes?: number;
    archiveEntries?: number;
    yamlDepth?: number;
    yamlAliases?: number;
    untilLength?: number;
    stringBytes?: number;
  };
  /** Trace errors to template lines (the CLI's `--explain`): a failed render then also
   * returns `excerpt`, the manifests of the templates that did render and `failedTemplate`. */
  explain?: boolean;
  /** `render` only, for hosts that generate keys on workers (`chartroom/keys.js` does it
   * all): RSA keys the seeded render would generate and has not kept are listed in
   * `keysWanted` instead, with stand-ins in their place; the output is the real one only
   * when `standIns` is 0. */
  discoverKeys?: boolean;
}

/** A template position: chart-relative file (`chart/templates/_helpers.tpl`) and line. */
export interface TemplateLine {
  file: string;
  line: number;
}

/** The values key a printed value came from, and what set it: a flag (`--set`...) or a
 * values file and line. */
export interface ValueOrigin {
  key: string;
  flag?: string;
  file?: string;
  line?: number;
}

/** Where a rendered line came from: the include/template chain from the manifest's own
 * template down to the line that wrote it (the last entry). */
export interface LineOrigin {
  trace: TemplateLine[];
  value?: ValueOrigin;
}

/** Rendered lines around a failure (`explain`), the failing one `marked`. */
export interface Excerpt {
  source: string;
  lines: { renderedLine: number; text: string; marked: boolean; origin?: LineOrigin }[];
}

/** Which step of the render failed. */
export type ErrorKind =
  | "usage" | "values" | "chart" | "schema" | "kubeVersion" | "template"
  | "manifest" | "cluster" | "output" | "environment" | "internal";

/** What Helm's manifest sorting reads from a rendered document. */
export interface ManifestHead {
  apiVersion: string;
  kind: string;
  /** Absent when the document has no `metadata.namespace` string. */
  namespace?: string;
  /** Absent when the document has no `metadata`. */
  name?: string;
}

/** One rendered YAML document. */
export interface RenderedManifest {
  /** The template that produced it, as `# Source:` prints it (`chart/templates/x.yaml`). */
  source: string;
  /** Its index among that template's documents, from 0. */
  document: number;
  /** The document's text as printed (no `---`). */
  text: string;
  head: ManifestHead;
  /** The `helm.sh/hook` events of a hook (`pre-install`, `test`...); empty otherwise. */
  hookEvents: string[];
}

/** What `render` returns; it never throws for a render or argument error. */
export interface RenderResult {
  ok: boolean;
  /** `helm template`'s standard output on success, empty otherwise. */
  output: string;
  /** What Helm prints after `Error: ` on failure, empty otherwise. */
  error: string;
  /** The failed step; absent on success. */
  errorKind?: ErrorKind;
  /** Helm's log lines and chartroom's warnings, on success and on failure. */
  warnings: string[];
  /** Every rendered manifest in print order (ordinary, then hooks). */
  manifests: RenderedManifest[];
  /** The root chart's rendered NOTES.txt, if any. */
  notes?: string;
  /** With `explain`, on failure: the rendered lines around it with their origins. */
  excerpt?: Excerpt;
  /** With `explain`, when a template failed while executing: its output up to there. */
  failedTemplate?: { source: string; text: string };
  /** With `discoverKeys`: the RSA keys the render wanted and had not kept. */
  keysWanted?: { bits: number; seed: string; position: number }[];
  /** With `discoverKeys`: how many stand-ins took a key's place (0: the output is real). */
  standIns?: number;
}

/** `chartroom diff`'s own options; every field is optional. */
export interface DiffOptions {
  /** Drop `helm.sh/chart` and `app.kubernetes.io/version` labels before comparing. */
  ignoreChartLabels?: boolean;
  /** JSON pointers to leave out (`/metadata/annotations/checksum~1config`; `*` matches one key). */
  ignore?: string[];
  /** Show Secret values instead of their sizes. */
  showSecrets?: boolean;
  /** Lines of context in each resource's text diff (default 3). */
  context?: number;
}

/** One changed field, by JSON pointer; `from`/`to` absent where the field is absent. */
export interface FieldChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

/** One resource that differs between the two renders. */
export interface ResourceChange {
  change: "added" | "removed" | "modified";
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  source: string;
  /** Changed fields (modified resources only). */
  fields: FieldChange[];
  /** What applying the change does (`rolls pods`, `needs replace: ...`). */
  impact: string[];
  /** Values keys whose change reaches this resource. */
  values: string[];
  /** A unified diff of the resource (secrets redacted unless shown). */
  diff: string;
}

export interface DiffSummary {
  added: number;
  removed: number;
  modified: number;
  unchanged: number;
}

/** `lint`'s options: the render options plus lint's own. */
export interface LintOptions extends RenderOptions {
  /** Kubernetes versions to lint against (1.25-1.37; each renders once with that version,
   * like repeated `--kube-version`); absent or empty: `kubeVersion`, else 1.37. */
  kubeVersions?: string[];
  /** `--strict`: unknown fields and duplicate keys are errors. */
  strict?: boolean;
}

/** One lint finding, as `chartroom lint --output json` writes it (absent values are `null`). */
export interface LintFinding {
  severity: "error" | "warning" | "info";
  /** `schema`, `format`, `duplicate-key`, `no-schema`, `document`, `yaml`. */
  rule: string;
  message: string;
  /** The template (`chart/templates/x.yaml`) the document came from; for a finding in a
   * rendered template, the template file that wrote the offending line (see `trace`). */
  file: string | null;
  /** The document's index in that template, from 0. */
  document: number | null;
  /** JSON pointer to the offending value; empty for the whole document. */
  path: string;
  line: number | null;
  column: number | null;
  apiVersion: string | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  /** The schema version checked against (`1.37`). */
  kubeVersion: string;
  /** Findings in rendered templates: `file`/`line` are the template line that wrote the
   * offending rendered line; these say where that is in the rendered document. */
  renderedLine?: number;
  renderedColumn?: number;
  renderedText?: string;
  /** The include/template chain from the manifest's own template down to `file`:`line`. */
  trace?: TemplateLine[];
  /** The values key printed there, and the values file line that sets it. */
  value?: ValueOrigin;
}

export interface LintSummary {
  resources: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** What `lint` returns: `chartroom lint --output json` plus `ok` (false only when the lint
 * could not run: a render error, a schema pack not loaded), `error` and `warnings`. */
export interface LintResult {
  ok: boolean;
  error: string;
  errorKind: ErrorKind | null;
  warnings: string[];
  findings: LintFinding[];
  summary: LintSummary;
}

/** What `diff` returns: the CLI's `chartroom diff --output json` plus `ok`/`error`. */
export interface DiffResult {
  ok: boolean;
  /** The failing side's error (`old: ...` / `new: ...`), empty on success. */
  error: string;
  errorKind?: ErrorKind;
  warnings: string[];
  changes: ResourceChange[];
  summary: DiffSummary;
}
"#;

/// The browser has no file system: `--output-dir` is not among the options, so nothing is
/// ever written; a write would be a bug, reported as an error.
struct NoFiles;

impl chartroom_render::OutputSink for NoFiles {
    fn write(&mut self, dir: &str, name: &str, _: &[u8], _: bool) -> Result<(), String> {
        Err(format!(
            "cannot write {dir}/{name}: no file system in the browser"
        ))
    }
    fn exists(&self, _: &str, _: &str) -> bool {
        false
    }
}

/// Installs a panic hook that reports Rust panics to the browser console, the browser's clock
/// for `now` and friends, and `crypto.getRandomValues` as the random generator's entropy
/// source (std has neither a clock nor OS entropy on wasm32-unknown-unknown), then seeds the
/// generator with 32 bytes from it. Where the host has no `crypto.getRandomValues`, nothing
/// weaker is used: every render that needs randomness fails with [`browser_entropy`]'s reason.
/// Cheap; runs once, by itself, when `init()`/`initSync()` instantiate the module.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    chartroom_funcs::rng::set_clock(Some(browser_now));
    chartroom_funcs::rng::set_entropy_source(Some(browser_entropy));
    // A failure here is reported again, as an error, by each random function that runs.
    let _ = chartroom_funcs::rng::ready();
}

/// `Date.now()` as Unix seconds and nanoseconds.
fn browser_now() -> (i64, u32) {
    let ms = js_sys::Date::now();
    let secs = (ms / 1000.0).floor();
    (secs as i64, ((ms - secs * 1000.0) * 1e6) as u32)
}

/// Fills `seed` from the global `crypto.getRandomValues`, or says why it cannot.
fn browser_entropy(seed: &mut [u8; 32]) -> Result<(), String> {
    const MISSING: &str = "crypto.getRandomValues is not available in this browser";
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| c.is_object())
        .ok_or(MISSING)?;
    let get_random_values = js_sys::Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or(MISSING)?;
    let buf = js_sys::Uint8Array::new_with_length(32);
    get_random_values
        .call1(&crypto, &buf)
        .map_err(|e| format!("crypto.getRandomValues failed: {e:?}"))?;
    buf.copy_to(seed);
    Ok(())
}

/// The crate version (the npm package's version), shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Renders a chart. `files` is an object `{ "Chart.yaml": "…", "templates/x.yaml": Uint8Array }`
/// (or `{ "chart.tgz": Uint8Array }`); `options` is a `RenderOptions` object (`helm template`'s
/// flags in camelCase) or `undefined`. Returns a `RenderResult` (Rust: [`RenderOutcome`]);
/// never throws for render or argument errors.
#[wasm_bindgen(unchecked_return_type = "RenderResult")]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "ChartFiles")] files: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: JsValue,
) -> JsValue {
    let outcome = match (files_from_js(&files), options_from_js(options)) {
        (Ok(map), Ok(options)) => render_map(map, &options),
        (Err(error), _) | (_, Err(error)) => RenderOutcome::usage(error),
    };
    outcome_to_js(&outcome)
}

/// Diffs two renders of a chart: `diff(files, oldOptions, newOptions, diffOptions?)`, the
/// options as for `render`, `diffOptions` a `DiffOptions` (Rust: [`DiffJsOptions`]). Returns a
/// `DiffResult` (Rust: [`DiffOutcome`]): the CLI's `--output json` plus `ok`/`error`; never
/// throws.
#[wasm_bindgen(unchecked_return_type = "DiffResult")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "ChartFiles")] files: JsValue,
    #[wasm_bindgen(
        js_name = "oldOptions",
        unchecked_param_type = "RenderOptions | undefined"
    )]
    old: JsValue,
    #[wasm_bindgen(
        js_name = "newOptions",
        unchecked_param_type = "RenderOptions | undefined"
    )]
    new: JsValue,
    #[wasm_bindgen(js_name = "diffOptions", unchecked_optional_param_type = "DiffOptions")]
    diff_options: JsValue,
) -> JsValue {
    let parsed = files_from_js(&files).and_then(|f| {
        let old = options_from_js(old)?;
        let new = options_from_js(new)?;
        let d: DiffJsOptions = if diff_options.is_undefined() || diff_options.is_null() {
            DiffJsOptions::default()
        } else {
            let keys = js_keys(&diff_options);
            unknown_option(
                keys.iter().map(String::as_str),
                DIFF_OPTION_NAMES,
                "diff options",
            )?;
            serde_wasm_bindgen::from_value(diff_options)
                .map_err(|e| format!("diff options: {e}"))?
        };
        Ok((f, old, new, d))
    });
    let outcome = match parsed {
        Ok((f, old, new, d)) => diff_map(f, &old, &new, &d),
        Err(e) => DiffOutcome::failure(ErrorKind::Usage, e, Vec::new()),
    };
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    outcome
        .serialize(&serializer)
        .unwrap_or_else(|_| JsValue::from_str(&outcome.error))
}

thread_local! {
    static PACKS: std::cell::RefCell<PackStore> = std::cell::RefCell::new(PackStore::default());
}

/// The schema pack files lint needs for a Kubernetes version (`1.30.2`; empty or absent: the
/// default, 1.37), in load order, e.g. `["k8s-1.37.json.gz", "k8s-1.30.json.gz"]`; empty
/// for a version outside 1.25-1.37 (lint then reports why).
#[wasm_bindgen(js_name = "schemaPackFiles")]
pub fn schema_pack_files(
    #[wasm_bindgen(js_name = "kubeVersion")] kube_version: Option<String>,
) -> Vec<String> {
    let v = kube_version.unwrap_or_default();
    let v = if v.trim().is_empty() {
        chartroom_lint::packs::DEFAULT_VERSION
    } else {
        v.trim()
    };
    chartroom_lint::packs::select_version(v)
        .map(chartroom_lint::packs::pack_files)
        .unwrap_or_default()
}

/// Hands schema pack files (`{ "k8s-1.37.json.gz": Uint8Array, ... }`, as shipped in the
/// page's `packs/` folder and the npm package's) to `lint`; they stay loaded for the
/// instance's lifetime. Returns the names stored; throws if `packs` is not such an object.
#[wasm_bindgen(js_name = "loadSchemaPacks")]
pub fn load_schema_packs(
    #[wasm_bindgen(unchecked_param_type = "Record<string, Uint8Array>")] packs: JsValue,
) -> Result<Vec<String>, JsError> {
    let map = files_from_js(&packs).map_err(|e| JsError::new(&format!("schema packs: {e}")))?;
    let names: Vec<String> = map.keys().cloned().collect();
    PACKS.with(|store| {
        let mut store = store.borrow_mut();
        for (name, bytes) in map {
            store.add(name, bytes);
        }
    });
    Ok(names)
}

/// Lints a chart: `lint(files, options)`, `options` being the render options plus
/// `kubeVersions` (string[]) and `strict` (boolean). Returns a `LintResult`: exactly
/// `chartroom lint --output json`'s `findings` and `summary` plus `ok`/`error`/`warnings`;
/// never throws. The schema packs must be loaded first ([`load_schema_packs`]).
#[wasm_bindgen(unchecked_return_type = "LintResult")]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "ChartFiles")] files: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LintOptions")] options: JsValue,
) -> JsValue {
    let parsed = files_from_js(&files).and_then(|f| lint_options_from_js(options).map(|o| (f, o)));
    let outcome = match parsed {
        Ok((f, o)) => PACKS.with(|store| lint_map(f, &o, &mut store.borrow_mut())),
        Err(e) => LintOutcome::failure(ErrorKind::Usage, e, Vec::new()),
    };
    // `null` for absent fields, as serde_json writes them in the CLI's JSON.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    outcome
        .serialize(&serializer)
        .unwrap_or_else(|_| JsValue::from_str(&outcome.error))
}

/// The option names `lint` reads besides [`RENDER_OPTION_NAMES`].
pub const LINT_OPTION_NAMES: &[&str] = &["kubeVersions", "strict"];

fn lint_options_from_js(options: JsValue) -> Result<LintJsOptions, String> {
    if options.is_undefined() || options.is_null() {
        return Ok(LintJsOptions::default());
    }
    let keys = js_keys(&options);
    let known: Vec<&str> = RENDER_OPTION_NAMES
        .iter()
        .chain(LINT_OPTION_NAMES)
        .copied()
        .collect();
    unknown_option(keys.iter().map(String::as_str), &known, "lint options")?;
    let get = |name: &str| js_sys::Reflect::get(&options, &JsValue::from_str(name)).ok();
    let kube_versions: Vec<String> = match get("kubeVersions") {
        Some(v) if !v.is_undefined() && !v.is_null() => serde_wasm_bindgen::from_value(v)
            .map_err(|e| format!("lint options: kubeVersions: {e}"))?,
        _ => Vec::new(),
    };
    let strict = match get("strict") {
        Some(v) if !v.is_undefined() && !v.is_null() => v
            .as_bool()
            .ok_or_else(|| "lint options: strict: expected a boolean".to_string())?,
        _ => false,
    };
    // The render options are the same object without lint's own keys.
    let render_only = js_sys::Object::new();
    for k in keys
        .iter()
        .filter(|k| !LINT_OPTION_NAMES.contains(&k.as_str()))
    {
        if let Some(v) = get(k) {
            let _ = js_sys::Reflect::set(&render_only, &JsValue::from_str(k), &v);
        }
    }
    let render = options_from_js(render_only.into())?;
    Ok(LintJsOptions {
        render,
        kube_versions,
        strict,
    })
}

/// The option names [`RenderOptions`] reads (camelCase, as JavaScript passes them).
pub const RENDER_OPTION_NAMES: &[&str] = &[
    "releaseName",
    "namespace",
    "values",
    "valuesNames",
    "set",
    "setString",
    "setJson",
    "setLiteral",
    "kubeVersion",
    "apiVersions",
    "isUpgrade",
    "includeCrds",
    "skipTests",
    "noHooks",
    "skipSchemaValidation",
    "showOnly",
    "debug",
    "seed",
    "limits",
    "explain",
    "discoverKeys",
];

/// The option names [`DiffJsOptions`] reads.
pub const DIFF_OPTION_NAMES: &[&str] = &["ignoreChartLabels", "ignore", "showSecrets", "context"];

/// An option name that is not one of `known` (a typo must not be ignored silently), with the
/// name of the options object for the error.
pub fn unknown_option<'a>(
    keys: impl IntoIterator<Item = &'a str>,
    known: &[&str],
    what: &str,
) -> Result<(), String> {
    for k in keys {
        if !known.contains(&k) {
            return Err(format!(
                "{what}: unknown option {k:?} (known: {})",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// `Object.keys(value)` of a JavaScript options object.
fn js_keys(value: &JsValue) -> Vec<String> {
    match value.dyn_ref::<js_sys::Object>() {
        Some(o) => js_sys::Object::keys(o)
            .iter()
            .filter_map(|k| k.as_string())
            .collect(),
        None => Vec::new(),
    }
}

fn options_from_js(options: JsValue) -> Result<RenderOptions, String> {
    if options.is_undefined() || options.is_null() {
        return Ok(RenderOptions::default());
    }
    // serde-wasm-bindgen reads only the fields it knows, so unknown names are checked here.
    let keys = js_keys(&options);
    unknown_option(
        keys.iter().map(String::as_str),
        RENDER_OPTION_NAMES,
        "render options",
    )?;
    let options: RenderOptions =
        serde_wasm_bindgen::from_value(options).map_err(|e| format!("render options: {e}"))?;
    options
        .limits()
        .map_err(|e| format!("render options: limits: {e}"))?;
    Ok(options)
}

fn outcome_to_js(outcome: &RenderOutcome) -> JsValue {
    // Plain objects (not `Map`s) for nested structs, so callers can read `m.head.kind`.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    match outcome.serialize(&serializer) {
        Ok(value) => value,
        // Serializing plain fields cannot realistically fail; fall back to the text.
        Err(_) => JsValue::from_str(&outcome.error),
    }
}

/// Converts `{ path: string | Uint8Array }` into the render core's file map.
fn files_from_js(files: &JsValue) -> Result<BTreeMap<String, Vec<u8>>, String> {
    if !files.is_object() || files.is_null() {
        return Err("chart files must be an object mapping paths to contents".to_string());
    }
    let object: &js_sys::Object = files.unchecked_ref();
    let mut map = BTreeMap::new();
    for entry in js_sys::Object::entries(object).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0);
        let value = pair.get(1);
        let Some(path) = key.as_string() else {
            return Err("chart file path is not a string".to_string());
        };
        let bytes = if let Some(text) = value.as_string() {
            text.into_bytes()
        } else if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
            array.to_vec()
        } else {
            return Err(format!(
                "chart file {path}: contents must be a string or a Uint8Array"
            ));
        };
        map.insert(path, bytes);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        files.insert(
            "Chart.yaml".to_string(),
            b"apiVersion: v2\nname: demo\nversion: 0.1.0\n".to_vec(),
        );
        files.insert("values.yaml".to_string(), b"replicaCount: 1\n".to_vec());
        files.insert(
            "templates/cm.yaml".to_string(),
            b"kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  n: {{ .Values.replicaCount | quote }}\n  ns: {{ .Release.Namespace }}\n".to_vec(),
        );
        files
    }

    fn options(values: &str, release: &str) -> RenderOptions {
        RenderOptions {
            values: vec![values.to_string()],
            release_name: release.to_string(),
            ..Default::default()
        }
    }

    #[test]
    fn explain_returns_what_rendered_the_excerpt_and_the_failed_template() {
        let mut files = chart();
        files.insert(
            "templates/bad.yaml".to_string(),
            b"kind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: {{ required \"set a\" .Values.a }}\n"
                .to_vec(),
        );
        let plain = render_map(files.clone(), &options("", "demo"));
        assert!(!plain.ok);
        assert!(plain.manifests.is_empty() && plain.excerpt.is_none());
        let explained = render_map(
            files,
            &RenderOptions {
                explain: true,
                ..options("", "demo")
            },
        );
        assert!(!explained.ok);
        assert_eq!(explained.error, plain.error, "Helm's text either way");
        let sources: Vec<&str> = explained
            .manifests
            .iter()
            .map(|m| m.source.as_str())
            .collect();
        assert_eq!(sources, ["demo/templates/cm.yaml"]);
        let failed = explained
            .failed_template
            .expect("the failing template's output");
        assert_eq!(failed.source, "demo/templates/bad.yaml");
        assert_eq!(
            failed.text,
            "kind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: "
        );
        let excerpt = explained.excerpt.expect("an excerpt");
        let marked: Vec<_> = excerpt.lines.iter().filter(|l| l.marked).collect();
        assert_eq!(marked.len(), 1);
        assert_eq!(marked[0].rendered_line, 5);
        let origin = marked[0].origin.as_ref().unwrap();
        assert_eq!(origin.trace.last().unwrap().file, "demo/templates/bad.yaml");
        assert_eq!(origin.trace.last().unwrap().line, 5);
    }

    #[test]
    fn success_fills_output_manifests_and_leaves_error_empty() {
        let outcome = render_map(chart(), &options("replicaCount: 3\n", "demo"));
        assert!(outcome.ok, "{outcome:?}");
        assert!(outcome.error.is_empty());
        assert_eq!(outcome.error_kind, None);
        assert!(outcome.output.contains("n: \"3\""), "{}", outcome.output);
        assert_eq!(outcome.manifests.len(), 1);
        let m = &outcome.manifests[0];
        assert_eq!(m.source, "demo/templates/cm.yaml");
        assert_eq!(m.head.kind, "ConfigMap");
        assert_eq!(m.head.name.as_deref(), Some("demo"));
    }

    #[test]
    fn options_mirror_the_cli_flags() {
        let opts = RenderOptions {
            namespace: "prod".into(),
            values: vec!["replicaCount: 2\n".into(), "replicaCount: 4\n".into()],
            set: vec!["replicaCount=5".into()],
            ..Default::default()
        };
        let outcome = render_map(chart(), &opts);
        assert!(outcome.output.contains("n: \"5\""), "{}", outcome.output);
        assert!(outcome.output.contains("ns: prod"), "{}", outcome.output);
        let opts = RenderOptions {
            values: vec!["replicaCount: 2\n".into(), "replicaCount: 4\n".into()],
            ..Default::default()
        };
        assert!(render_map(chart(), &opts).output.contains("n: \"4\""));
    }

    #[test]
    fn limits_option_bounds_a_runaway_template() {
        let mut files = chart();
        files.insert(
            "templates/loop.yaml".into(),
            b"{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}".to_vec(),
        );
        let mut opts = RenderOptions::default();
        opts.limits.insert("steps".into(), 5000);
        let outcome = render_map(files.clone(), &opts);
        assert!(!outcome.ok);
        assert!(
            outcome.error.contains("the limit steps=5000"),
            "{}",
            outcome.error
        );
        assert!(render_map(files, &RenderOptions::default()).ok);
        opts.limits.insert("bogus".into(), 1);
        assert!(opts
            .limits()
            .unwrap_err()
            .contains("unknown limit \"bogus\""));
    }

    #[test]
    fn limits_option_takes_every_cli_limit_in_camel_case() {
        // `#[wasm_bindgen(typescript_custom_section)]` takes `TS_TYPES` away: read the source.
        let ts_types = include_str!("lib.rs");
        for (name, _, _) in chartroom_render::Limits::TABLE {
            let camel = chartroom_render::Limits::wasm_name(name);
            let mut opts = RenderOptions::default();
            opts.limits.insert(camel.clone(), 3);
            let limits = opts.limits().unwrap();
            assert_ne!(limits, chartroom_render::Limits::default(), "{camel}");
            assert!(
                ts_types.contains(&format!("    {camel}?: number;")),
                "{camel} missing from the RenderOptions type"
            );
            assert!(
                ts_types.contains(&format!("`{camel}` (")),
                "{camel} undocumented"
            );
        }
        let mut opts = RenderOptions::default();
        opts.limits.insert("archiveBites".into(), 1);
        assert!(opts
            .limits()
            .unwrap_err()
            .contains("unknown limit \"archiveBites\""));
    }

    #[test]
    fn each_new_limit_lowered_names_itself() {
        let mut files = chart();
        files.insert(
            "templates/fns.yaml".into(),
            b"kind: ConfigMap\nmetadata:\n  name: f\ndata:\n  a: \"{{ len (until 500) }}\"\n  b: \"{{ repeat 500 \"x\" | len }}\"\n".to_vec(),
        );
        files.insert(
            "values.yaml".into(),
            b"replicaCount: 1\nx: &x {a: {b: 1}}\ny: *x\n".to_vec(),
        );
        let outcome = render_map(files.clone(), &RenderOptions::default());
        assert!(outcome.ok, "{outcome:?}");
        let cases: &[(&str, u64, &str)] = &[
            ("untilLength", 100, "until-length=100"),
            ("stringBytes", 100, "string-bytes=100"),
            ("yamlDepth", 1, "yaml-depth=1"),
            ("yamlAliases", 1, "yaml-aliases=1"),
            ("archiveBytes", 100, "archive-bytes=100"),
            ("archiveFileBytes", 100, "archive-file-bytes=100"),
            ("archiveEntries", 2, "archive-entries=2"),
        ];
        for (name, value, named) in cases {
            let mut opts = RenderOptions::default();
            opts.limits.insert(name.to_string(), *value);
            let outcome = render_map(files.clone(), &opts);
            assert!(!outcome.ok, "{name}");
            assert!(
                outcome
                    .error
                    .contains(&format!("exceeded the limit {named} (chartroom's")),
                "{name}: {}",
                outcome.error
            );
        }
    }

    #[test]
    fn empty_release_name_uses_helm_default() {
        let outcome = render_map(chart(), &options("", "  "));
        assert!(outcome.ok, "{outcome:?}");
        assert!(
            outcome.output.contains("release-name"),
            "{}",
            outcome.output
        );
    }

    #[test]
    fn failure_carries_kind_error_and_no_output() {
        let outcome = render_map(chart(), &options("a: [", "demo"));
        assert!(!outcome.ok);
        assert_eq!(outcome.error_kind, Some(ErrorKind::Values));
        assert!(outcome.error.contains("values.yaml"), "{}", outcome.error);
        assert!(outcome.output.is_empty());
        let outcome = render_map(chart(), &options("", "Bad_Name"));
        assert_eq!(outcome.error_kind, Some(ErrorKind::Usage));
    }

    #[test]
    fn diff_of_two_values_sets() {
        let mut files = chart();
        files.insert(
            "templates/pw.yaml".into(),
            b"kind: Secret\nmetadata:\n  name: pw\ndata:\n  pw: {{ randAlphaNum 9 | b64enc }}\n"
                .to_vec(),
        );
        let same = diff_map(
            files.clone(),
            &options("", "r"),
            &options("", "r"),
            &DiffJsOptions::default(),
        );
        assert!(same.ok, "{same:?}");
        assert!(same.changes.is_empty(), "{same:?}");
        assert_eq!(same.summary.unchanged, 2);
        let changed = diff_map(
            files.clone(),
            &options("", "r"),
            &options("replicaCount: 4\n", "r"),
            &DiffJsOptions::default(),
        );
        assert_eq!(changed.changes.len(), 1, "{changed:?}");
        // go-yaml v2 reads the key `n` as YAML 1.1's false, as the cluster would.
        assert_eq!(changed.changes[0].fields[0].path, "/data/false");
        assert_eq!(changed.changes[0].values, vec!["replicaCount"]);
        let failed = diff_map(
            files,
            &options("", "r"),
            &options("a: [", "r"),
            &DiffJsOptions::default(),
        );
        assert!(!failed.ok);
        assert!(
            failed.error.starts_with("new: failed to parse"),
            "{}",
            failed.error
        );
    }

    #[test]
    fn option_names_match_the_structs_and_typos_are_errors() {
        // Every listed name is a field serde reads (a misspelt list would reject good options).
        // (The structs deny unknown fields, so serde_json names a misspelt one.)
        for name in RENDER_OPTION_NAMES {
            let json = format!("{{\"{name}\": null}}");
            if let Err(e) = serde_json::from_str::<RenderOptions>(&json) {
                assert!(!e.to_string().contains("unknown field"), "{name}: {e}");
            }
        }
        for name in DIFF_OPTION_NAMES {
            let json = format!("{{\"{name}\": null}}");
            if let Err(e) = serde_json::from_str::<DiffJsOptions>(&json) {
                assert!(!e.to_string().contains("unknown field"), "{name}: {e}");
            }
        }
        assert!(serde_json::from_str::<RenderOptions>("{\"nope\": 1}")
            .unwrap_err()
            .to_string()
            .contains("unknown field"));
        assert!(unknown_option(
            ["releaseName", "values"],
            RENDER_OPTION_NAMES,
            "render options"
        )
        .is_ok());
        assert_eq!(
            unknown_option(["releaseNmae"], RENDER_OPTION_NAMES, "render options")
                .unwrap_err()
                .split(" (known")
                .next(),
            Some("render options: unknown option \"releaseNmae\"")
        );
        assert!(unknown_option(["showSecrets"], DIFF_OPTION_NAMES, "diff options").is_ok());
    }

    fn pack_store() -> PackStore {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lint/packs");
        let mut store = PackStore::default();
        for v in ["1.37", "1.30"] {
            let name = chartroom_lint::packs::pack_file_name(v);
            store.add(name.clone(), std::fs::read(dir.join(&name)).unwrap());
        }
        store
    }

    #[test]
    fn lint_reports_schema_findings_per_version_and_needs_loaded_packs() {
        let mut files = chart();
        files.insert(
            "templates/bad.yaml".into(),
            b"apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: \"eighty\"\n"
                .to_vec(),
        );
        let mut store = pack_store();
        let opts = LintJsOptions::default();
        let out = lint_map(files.clone(), &opts, &mut store);
        assert!(out.ok, "{out:?}");
        assert_eq!(out.summary.resources, 2, "{out:?}");
        assert!(out.summary.errors >= 1, "{out:?}");
        let f = out.findings.iter().find(|f| f.rule == "schema").unwrap();
        assert_eq!(f.file.as_deref(), Some("demo/templates/bad.yaml"));
        assert_eq!(f.kube_version, "1.37");
        let two = LintJsOptions {
            kube_versions: vec!["1.30.2".into(), "1.37.0".into()],
            ..Default::default()
        };
        let out2 = lint_map(files.clone(), &two, &mut store);
        assert_eq!(out2.summary.resources, 4, "{out2:?}");
        assert!(out2.findings.iter().any(|f| f.kube_version == "1.30"));
        let missing = LintJsOptions {
            kube_versions: vec!["1.26".into()],
            ..Default::default()
        };
        let out3 = lint_map(files.clone(), &missing, &mut store);
        assert!(!out3.ok);
        assert!(out3.error.contains("k8s-1.26.json.gz"), "{}", out3.error);
        let out4 = lint_map(files, &opts, &mut PackStore::default());
        assert!(
            out4.error.contains("k8s-1.37.json.gz is not loaded"),
            "{}",
            out4.error
        );
    }

    #[test]
    fn seed_is_a_number_or_32_bytes() {
        let n: RenderOptions = serde_json::from_str("{\"seed\": 42}").unwrap();
        assert_eq!(n.seed, Some(SeedOption(Seed::Number(42))));
        let hex = "00ff".repeat(16);
        let k: RenderOptions = serde_json::from_str(&format!("{{\"seed\": \"{hex}\"}}")).unwrap();
        let mut want = [0u8; 32];
        for i in 0..16 {
            want[2 * i + 1] = 0xff;
        }
        assert_eq!(k.seed, Some(SeedOption(Seed::Key(want))));
        let arr: RenderOptions =
            serde_json::from_str(&format!("{{\"seed\": {:?}}}", want.to_vec())).unwrap();
        assert_eq!(arr.seed, k.seed);
        assert!(serde_json::from_str::<RenderOptions>("{\"seed\": \"abc\"}").is_err());
        assert!(serde_json::from_str::<RenderOptions>("{\"seed\": -1}").is_err());
        assert!(serde_json::from_str::<RenderOptions>("{\"seed\": [1, 2]}").is_err());
        // The same key renders the same random text; another key another one.
        let mut files = chart();
        files.insert(
            "templates/r.yaml".into(),
            b"kind: Secret\nmetadata:\n  name: r\ndata:\n  p: {{ randAlphaNum 20 | b64enc }}\n"
                .to_vec(),
        );
        let a = render_map(files.clone(), &k);
        let b = render_map(files.clone(), &k);
        assert!(a.ok, "{a:?}");
        assert_eq!(a.output, b.output);
        let other: RenderOptions =
            serde_json::from_str(&format!("{{\"seed\": \"{}\"}}", "11".repeat(32))).unwrap();
        assert_ne!(render_map(files, &other).output, a.output);
    }

    #[test]
    fn version_matches_package() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
