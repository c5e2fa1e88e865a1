//! The YAML reader as values files (`load_values`, every document merged) and `fromYaml` /
//! `fromYamlArray` / `fromJson` see it; and lint's block-style fast path
//! (`from_yaml_with_duplicates`), which must read every document it accepts exactly as
//! go-yaml's general path does; and the one-pass outline reader behind manifest heads
//! (`parse_head`), which must give what reading the whole document gives, errors included.
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
    if let Some((value, duplicates)) = chartroom_yaml::from_yaml_with_duplicates_fast(text) {
        let (general, general_duplicates) = chartroom_yaml::from_yaml_with_duplicates_general(text)
            .expect("the fast path read a document go-yaml rejects");
        assert_eq!(format!("{value:?}"), format!("{general:?}"), "fast path value differs");
        assert_eq!(duplicates, general_duplicates, "fast path duplicate keys differ");
    }
    let whole = chartroom_render::head::parse_document(text).map(|(head, _)| head);
    assert_eq!(
        chartroom_render::head::parse_head(text),
        whole,
        "the outline reader's head differs"
    );
    let _ = chartroom_yaml::from_json(text);
    let _ = chartroom_yaml::from_json_prefix(text, true);
});
