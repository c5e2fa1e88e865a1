//! Development aid: finds how deep each recursive function gets on a 1 MiB stack.
use chartroom_template::value::Value;
fn nest(n: usize) -> Value {
    let mut v = Value::Int(1);
    for _ in 0..n {
        v = Value::list(vec![v]);
    }
    v
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args[1].clone();
    let n: usize = args[2].parse().unwrap();
    let h = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || match what.as_str() {
            "json" => {
                let _ = chartroom_yaml::to_json(&nest(n));
            }
            "yaml" => {
                let _ = chartroom_yaml::to_yaml(&nest(n));
            }
            "parse" => {
                let s = format!("{}{}", "[".repeat(n), "]".repeat(n));
                let _ = chartroom_yaml::from_yaml(&s);
            }
            "pjson" => {
                let s = format!("{}{}", "[".repeat(n), "]".repeat(n));
                let _ = chartroom_yaml::from_json(&s);
            }
            _ => {}
        })
        .unwrap();
    h.join().unwrap();
    println!("ok");
}
