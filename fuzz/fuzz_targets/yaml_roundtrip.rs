//! The writers round trip: whatever the YAML (or JSON) reader accepts, `toYaml` writes text that
//! reads back to the same value (compared through a second `toYaml`, since YAML and JSON cannot
//! tell `1.0` from `1` once written), and the same for `toJson` / `fromJson`.
#![no_main]
use libfuzzer_sys::fuzz_target;

use chartroom_yaml::{from_json, from_yaml, to_json, to_pretty_json, to_raw_json, to_toml, to_yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = match from_yaml(text) {
        Ok(v) => v,
        Err(_) => match from_json(text) {
            Ok(v) => v,
            Err(_) => return,
        },
    };
    let _ = to_toml(&value);
    let _ = to_pretty_json(&value);
    let _ = to_raw_json(&value);
    if let Ok(y1) = to_yaml(&value) {
        let back = from_yaml(&y1)
            .unwrap_or_else(|e| panic!("toYaml output does not read back: {e:?}\n{y1}"));
        let y2 = to_yaml(&back).expect("second toYaml");
        if y2 != y1 {
            // One more pass must be a fixed point (the first may turn 1.0 into 1).
            let back2 = from_yaml(&y2).expect("second read");
            let y3 = to_yaml(&back2).expect("third toYaml");
            assert_eq!(y3, y2, "toYaml/fromYaml is not stable:\n{y1}\n---\n{y2}");
        }
    }
    if let Ok(j1) = to_json(&value) {
        let back = from_json(&j1)
            .unwrap_or_else(|e| panic!("toJson output does not read back: {e:?}\n{j1}"));
        let j2 = to_json(&back).expect("second toJson");
        let back2 = from_json(&j2).expect("second fromJson");
        let j3 = to_json(&back2).expect("third toJson");
        assert_eq!(j3, j2, "toJson/fromJson is not stable:\n{j1}");
    }
});
