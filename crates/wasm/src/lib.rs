//! WebAssembly bindings for the render core.
//!
//! The browser page calls [`render`] from a Web Worker with the chart's files (an object mapping
//! chart-relative paths to text or bytes), the edited values YAML and a release name. The call
//! never throws for a render error: it returns a plain object
//! `{ ok: boolean, output: string, error: string }`. Bad arguments (a file that is neither a
//! string nor a `Uint8Array`) also come back as `ok: false`, so the page has one error path.
//!
//! On wasm32-unknown-unknown a panic aborts (traps) the instance; the render core is written not
//! to panic, the panic hook only makes a bug readable in the console, and the worker reloads the
//! module after a trap.

use std::collections::BTreeMap;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Release name used when the caller passes an empty one (what `helm template` uses by default).
pub const DEFAULT_RELEASE_NAME: &str = "release-name";

/// What one render produced, as handed to JavaScript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderOutcome {
    /// True when rendering succeeded.
    pub ok: bool,
    /// `helm template`'s standard output on success, empty otherwise.
    pub output: String,
    /// The error text (what Helm prints after `Error: `) on failure, empty otherwise.
    pub error: String,
}

impl RenderOutcome {
    fn failure(error: String) -> Self {
        RenderOutcome {
            ok: false,
            output: String::new(),
            error,
        }
    }
}

/// Renders an in-memory chart; the platform-independent part of [`render`].
pub fn render_map(
    files: &BTreeMap<String, Vec<u8>>,
    values_yaml: &str,
    release_name: &str,
) -> RenderOutcome {
    let release = if release_name.trim().is_empty() {
        DEFAULT_RELEASE_NAME
    } else {
        release_name.trim()
    };
    match chartroom_render::render_files(files, values_yaml, release) {
        Ok(output) => RenderOutcome {
            ok: true,
            output,
            error: String::new(),
        },
        Err(error) => RenderOutcome::failure(error),
    }
}

/// Installs a panic hook that reports Rust panics to the browser console, the browser's clock
/// for `now` and friends, and `crypto.getRandomValues` as the random generator's entropy
/// source (std has neither a clock nor OS entropy on wasm32-unknown-unknown), then seeds the
/// generator with 32 bytes from it. Where the host has no `crypto.getRandomValues`, nothing
/// weaker is used: every render that needs randomness fails with [`browser_entropy`]'s reason.
/// Cheap; runs once when the module loads.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    chartroom_funcs::extra::rng::set_clock(Some(browser_now));
    chartroom_funcs::extra::rng::set_entropy_source(Some(browser_entropy));
    // A failure here is reported again, as an error, by each random function that runs.
    let _ = chartroom_funcs::extra::rng::ready();
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

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Renders a chart. `files` is an object `{ "Chart.yaml": "…", "templates/x.yaml": Uint8Array }`.
/// Returns `{ ok, output, error }`; never throws for render or argument errors.
#[wasm_bindgen]
pub fn render(files: JsValue, values_yaml: &str, release_name: &str) -> JsValue {
    let outcome = match files_from_js(&files) {
        Ok(map) => render_map(&map, values_yaml, release_name),
        Err(error) => RenderOutcome::failure(error),
    };
    outcome_to_js(&outcome)
}

fn outcome_to_js(outcome: &RenderOutcome) -> JsValue {
    match serde_wasm_bindgen::to_value(outcome) {
        Ok(value) => value,
        // Serializing three plain fields cannot realistically fail; fall back to the text.
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
            b"kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n".to_vec(),
        );
        files
    }

    #[test]
    fn success_fills_output_and_leaves_error_empty() {
        let outcome = render_map(&chart(), "replicaCount: 3\n", "demo");
        assert!(outcome.ok, "{outcome:?}");
        assert!(outcome.error.is_empty());
        assert!(
            outcome.output.contains("kind: ConfigMap"),
            "{}",
            outcome.output
        );
        assert!(outcome.output.contains("demo"), "{}", outcome.output);
    }

    #[test]
    fn empty_release_name_uses_helm_default() {
        let outcome = render_map(&chart(), "", "  ");
        assert!(outcome.ok, "{outcome:?}");
        assert!(
            outcome.output.contains(DEFAULT_RELEASE_NAME),
            "{}",
            outcome.output
        );
    }

    #[test]
    fn failure_carries_error_and_no_output() {
        let outcome = RenderOutcome::failure("boom".to_string());
        assert!(!outcome.ok);
        assert_eq!(outcome.error, "boom");
        assert!(outcome.output.is_empty());
    }

    #[test]
    fn version_matches_package() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
