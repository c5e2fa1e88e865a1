//! Lint over manifests (`chartroom lint --manifests`): any YAML stream against the bundled
//! schemas, plain and strict with formats.
#![no_main]
use chartroom_lint::{lint_manifests, Options, SchemaPack};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static PACK: Option<SchemaPack> = chartroom_lint::packs::load_bundled("1.33.0").ok();
}

fuzz_target!(|data: &[u8]| {
    PACK.with(|pack| {
        let Some(pack) = pack else {
            panic!("no bundled schema pack");
        };
        let strict = data.first().is_some_and(|b| b & 1 == 1);
        let opts = Options {
            strict,
            formats: strict,
        };
        let report = lint_manifests(pack, "fuzz.yaml", data, &opts);
        let _ = report.has_errors();
    });
});
