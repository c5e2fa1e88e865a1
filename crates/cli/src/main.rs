//! The `chartroom` command line: a thin wrapper over the render crate.
//! `chartroom template [NAME] CHART [flags]` prints exactly what `helm template` prints.

mod args;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Executions nested through `include`/`tpl` (Helm stops one name at 1001 nested includes).
const NATIVE_DEPTH_LIMIT: usize = 4000;

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

use std::io::Write;

fn run(argv: Vec<String>) -> Result<String, String> {
    let Some(cmd) = argv.first() else {
        return Err("no command given; try `chartroom template [NAME] CHART`".into());
    };
    let rest = &argv[1..];
    match cmd.as_str() {
        "template" => {
            let parsed = args::parse(rest)?;
            if parsed
                .flags
                .iter()
                .any(|(n, v)| *n == "help" && args::is_true(v))
            {
                return Ok("Usage:  chartroom template [NAME] [CHART] [flags]\n".into());
            }
            let mut req = args::template_request(&parsed)?;
            // The worker thread has a 1 GiB stack: enough for Helm's include limit.
            req.native_depth_limit = Some(NATIVE_DEPTH_LIMIT);
            // The process exits after this one render.
            req.skip_free = true;
            let mut sink = chartroom_render::output::FsSink;
            let debug = parsed
                .flags
                .iter()
                .any(|(n, v)| *n == "debug" && args::is_true(v));
            chartroom_render::run_template(&req, &mut sink).map_err(|e| {
                // With --debug Helm prints the error without its hint.
                match e.strip_suffix(DEBUG_HINT) {
                    Some(stripped) if debug => stripped.to_string(),
                    _ => e,
                }
            })
        }
        "lint" | "diff" => Err(format!("{cmd} is not implemented yet")),
        "version" => Ok(format!("chartroom {}\n", env!("CARGO_PKG_VERSION"))),
        other => Err(format!(
            "unknown command {other:?} for \"chartroom\"\nRun 'chartroom --help' for usage."
        )),
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    // Never print a Rust panic message or backtrace; report it as an error instead.
    std::panic::set_hook(Box::new(|_| {}));
    // Deeply nested templates (Helm allows 1000 nested includes per name) need a large stack.
    let worker = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || std::panic::catch_unwind(move || run(argv)));
    let result = match worker {
        Ok(handle) => match handle.join() {
            Ok(Ok(r)) => r,
            Ok(Err(p)) | Err(p) => Err(format!("internal error: {}", panic_message(&*p))),
        },
        Err(e) => Err(format!("internal error: {e}")),
    };
    match result {
        Ok(out) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            let _ = lock.write_all(out.as_bytes());
            let _ = lock.flush();
        }
        Err(e) => {
            eprintln!("Error: {e}");
            std::process::exit(1);
        }
    }
}
