//! The YAML reader as values files (`load_values`, every document merged) and `fromYaml` /
//! `fromYamlArray` / `fromJson` see it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chartroom_chart::load_values(data);
    let _ = chartroom_yaml::utf8_reader_error(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = chartroom_yaml::from_yaml(text);
    let _ = chartroom_yaml::from_yaml_map(text);
    let _ = chartroom_yaml::from_yaml_array(text);
    if let Ok(Some(g)) = chartroom_yaml::from_yaml_go(text) {
        let _ = chartroom_yaml::go_to_value(&g);
    }
    let _ = chartroom_yaml::from_json(text);
    let _ = chartroom_yaml::from_json_prefix(text, true);
});
