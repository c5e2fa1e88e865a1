//! Development aid: reads files and prints what the library makes of them, in the same
//! layout as the helm-side differential template (see tests/README in this crate).
//! Usage: ycheck MODE FILE...   MODE = fromyaml | toyaml | json
use chartroom_yaml::*;

/// Helm's `fromYaml`: errors go into an `Error` key.
fn helm_from_yaml(src: &str) -> chartroom_template::value::Value {
    match from_yaml_map(src) {
        Ok(v) => v,
        Err(e) => {
            let mut m = chartroom_template::value::Map::new();
            m.insert(
                "Error".into(),
                chartroom_template::value::Value::string(e.to_string()),
            );
            chartroom_template::value::Value::map(m)
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).cloned().unwrap_or_default();
    for path in &args[2..] {
        let src = std::fs::read_to_string(path).unwrap_or_default();
        let name = std::path::Path::new(path)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy();
        let out = match mode.as_str() {
            "toJson" => to_json(&helm_from_yaml(&src)).unwrap_or_default(),
            "toYaml" => to_yaml(&helm_from_yaml(&src))
                .map(|s| s.trim_end_matches('\n').to_string())
                .unwrap_or_default(),
            "toToml" => to_toml(&helm_from_yaml(&src))
                .map(|doc| String::from_utf8_lossy(&doc).into_owned())
                .unwrap_or_else(|e| e.to_string()),
            _ => String::new(),
        };
        println!("=== {name}");
        for l in out.lines().filter(|l| !l.is_empty()) {
            println!("{l}");
        }
    }
}
