//! The values-schema validator: a JSON schema and a values document, split at the first
//! line `---8<---`.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let (schema, values) = common::split(data, b"\n---8<---\n");
    let Ok(values) = chartroom_chart::load_values(values) else {
        return;
    };
    let _ = chartroom_chart::schema::validate_single(&values, schema);
});
