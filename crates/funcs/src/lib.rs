//! Helm's template function library: Sprig v3 as Helm 4 registers it, plus Helm's own
//! encoding functions (`toYaml`, `fromJson`, `toToml`...). Functions that need the render
//! context (`include`, `tpl`, `required`, `lookup`) live in the render crate.

pub mod extra;
pub mod sprig;

use chartroom_template::FuncMap;

/// Every function of this crate, keyed by its template name.
pub fn helm_functions() -> FuncMap {
    let mut funcs = FuncMap::new();
    sprig::register(&mut funcs);
    extra::register(&mut funcs);
    funcs
}
