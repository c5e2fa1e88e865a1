//! Development aid: Helm's `toJson (fromJson x)` and `toJson (fromJsonArray x)` per file.
use chartroom_template::value::Value;
use chartroom_yaml::*;

fn main() {
    for path in std::env::args().skip(1) {
        let src = std::fs::read_to_string(&path).unwrap_or_default();
        let name = std::path::Path::new(&path)
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (m, err) = from_json_map_partial(&src);
        if let (Some(e), Value::Map(mm, _)) = (err, &m) {
            mm.borrow_mut()
                .insert("Error".into(), Value::string(e.to_string()));
        }
        let a = from_json_array(&src)
            .unwrap_or_else(|e| Value::list(vec![Value::string(e.to_string())]));
        println!("=== {name}");
        println!("{}", to_json(&m).unwrap_or_default());
        println!("{}", to_json(&a).unwrap_or_default());
    }
}
