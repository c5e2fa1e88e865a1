//! The `chartroom` command line: a thin wrapper over the render crate.
fn main() {
    eprintln!("Error: not built yet");
    std::process::exit(1);
}
