//! The executor over fixed data with the Helm function library (minus the slow key generators),
//! a fixed random seed and a step budget, as a render has.
#![no_main]
use chartroom_template::Options;
use libfuzzer_sys::fuzz_target;

mod common;

thread_local! {
    static DATA: chartroom_template::Value = common::fixed_data();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    chartroom_funcs::set_seed(Some(7));
    chartroom_funcs::set_now(Some((1_700_000_000, 0)));
    let mut set = common::template_set();
    set.set_options(Options {
        fuel: Some(200_000),
        ..Options::default()
    });
    if set.parse("fuzz", text).is_err() {
        return;
    }
    DATA.with(|d| {
        let _ = set.execute_bytes("fuzz", d);
    });
});
