//! The `--set` family parser: the first byte picks `--set`, `--set-string`, `--set-json`,
//! `--set-literal` or `--set-file` (reading a fixed text), the rest is the flag's value; two
//! lines go into one map, as repeated flags do.
#![no_main]
use chartroom_chart::strvals::{parse_into, parse_literal_into, Mode};
use chartroom_template::Value;
use libfuzzer_sys::fuzz_target;

mod common;

fn apply(selector: u8, line: &str, dest: &Value) {
    let _ = match selector % 5 {
        0 => parse_into(line, dest, &mut Mode::Typed),
        1 => parse_into(line, dest, &mut Mode::Str),
        2 => parse_into(line, dest, &mut Mode::Json),
        3 => parse_literal_into(line, dest),
        _ => {
            let mut read = |p: &str| -> Result<Vec<u8>, String> {
                if p.len() < 8 {
                    Ok(format!("contents of {p}").into_bytes())
                } else {
                    Err(format!("open {p}: no such file or directory"))
                }
            };
            parse_into(line, dest, &mut Mode::File(&mut read))
        }
    };
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let dest = Value::empty_map();
    let (a, b) = common::split(text.as_bytes(), b"\n");
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    apply(selector, &a, &dest);
    apply(selector / 5, &b, &dest);
    let _ = chartroom_yaml::to_yaml(&dest);
});
