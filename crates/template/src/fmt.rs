//! Go's `fmt` for template values: `Sprintf`, `Sprint`, `Sprintln` and `%v`.
//! (Skeleton: the fmt work replaces the body; the public signatures are the contract.)

use crate::value::Value;

/// Go's `fmt.Sprintf(format, args...)`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = format.to_string();
    for a in args {
        out.push(' ');
        out.push_str(&format_value(a));
    }
    out
}

/// Go's `fmt.Sprint(args...)`: spaces between operands when neither side is a string.
pub fn sprint(args: &[Value]) -> String {
    args.iter().map(format_value).collect::<Vec<_>>().join(" ")
}

/// Go's `fmt.Sprintln(args...)`: always spaces between operands, newline at the end.
pub fn sprintln(args: &[Value]) -> String {
    let mut s = args.iter().map(format_value).collect::<Vec<_>>().join(" ");
    s.push('\n');
    s
}

/// Go's `%v` of one value, as `{{ . }}` prints it.
pub fn format_value(v: &Value) -> String {
    match v {
        Value::Nil => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.to_string(),
        Value::Int(i) | Value::Int64(i) => i.to_string(),
        Value::Float(f) => format_float_g(*f),
        _ => format!("{v:?}"),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` as `%v` uses it (`1e+06`, `0.25`, `3`).
pub fn format_float_g(f: f64) -> String {
    f.to_string()
}
