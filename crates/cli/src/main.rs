//! The `chartroom` command line: a thin wrapper over the render crate.
//! `chartroom template [NAME] CHART [flags]` prints exactly what `helm template` prints.

mod args;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Executions nested through `include`/`tpl` (Helm stops one name at 1001 nested includes).
const NATIVE_DEPTH_LIMIT: usize = 4000;

use std::io::Write;

/// What a run prints: stdout bytes and the stderr lines before it (Helm's warnings).
struct Printed {
    stdout: Vec<u8>,
    warnings: Vec<String>,
}

fn run(argv: Vec<String>) -> Result<Printed, chartroom_render::RenderError> {
    use chartroom_render::{ErrorKind, RenderError};
    let usage = |m: String| RenderError::new(ErrorKind::Usage, m);
    let text = |s: String| Printed {
        stdout: s.into_bytes(),
        warnings: Vec::new(),
    };
    let Some(cmd) = argv.first() else {
        return Err(usage(
            "no command given; try `chartroom template [NAME] CHART`".into(),
        ));
    };
    let rest = &argv[1..];
    match cmd.as_str() {
        "template" => {
            let parsed = args::parse(rest).map_err(usage)?;
            // cobra prints its deprecation notice as soon as the flag is parsed.
            if parsed.flags.iter().any(|(n, _)| *n == "validate") {
                print_warnings(&[
                    "Flag --validate has been deprecated, use '--dry-run=server' instead".into(),
                ]);
            }
            if parsed
                .flags
                .iter()
                .any(|(n, v)| *n == "help" && args::is_true(v))
            {
                return Ok(text(
                    "Usage:  chartroom template [NAME] [CHART] [flags]\n".into(),
                ));
            }
            let mut req = args::template_request(&parsed).map_err(usage)?;
            // The worker thread has a 1 GiB stack: enough for Helm's include limit.
            req.native_depth_limit = Some(NATIVE_DEPTH_LIMIT);
            // The process exits after this one render.
            req.skip_free = true;
            let (stdout, release) =
                chartroom_render::run_template(&req, &mut chartroom_render::FsSink)?;
            Ok(Printed {
                stdout,
                warnings: release.warnings,
            })
        }
        "lint" | "diff" => Err(usage(format!("{cmd} is not implemented yet"))),
        "version" => Ok(text(format!("chartroom {}\n", env!("CARGO_PKG_VERSION")))),
        other => Err(usage(format!(
            "unknown command {other:?} for \"chartroom\"\nRun 'chartroom --help' for usage."
        ))),
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

fn internal(message: String) -> chartroom_render::RenderError {
    chartroom_render::RenderError::new(chartroom_render::ErrorKind::Internal, message)
}

/// Helm's log lines go to stderr before its output or error.
fn print_warnings(lines: &[String]) {
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    for line in lines {
        let _ = writeln!(lock, "{line}");
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
            Ok(Err(p)) | Err(p) => Err(internal(format!("internal error: {}", panic_message(&*p)))),
        },
        Err(e) => Err(internal(format!("internal error: {e}"))),
    };
    match result {
        Ok(out) => {
            print_warnings(&out.warnings);
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            let _ = lock.write_all(&out.stdout);
            let _ = lock.flush();
        }
        Err(e) => {
            print_warnings(&e.warnings);
            eprintln!("Error: {}", e.message);
            std::process::exit(1);
        }
    }
}
