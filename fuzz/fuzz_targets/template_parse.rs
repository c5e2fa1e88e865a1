//! The template parser (lexer + parser) over any text, with Helm's function names defined.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut set = common::template_set();
    let _ = set.parse("fuzz", text);
});
