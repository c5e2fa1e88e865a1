//! The `chartroom` command line: a thin wrapper over the render crate.
//! `chartroom template [NAME] CHART [flags]` prints exactly what `helm template` prints.

mod args;
mod diff_cmd;
mod help;
mod lint_cmd;
mod outcome;

use outcome::{Failure, Output};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Executions nested through `include`/`tpl` (Helm stops one name at 1001 nested includes).
const NATIVE_DEPTH_LIMIT: usize = 4000;

use std::io::Write;

/// Levenshtein distance, case-insensitive (cobra's command suggestions).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// cobra's `unknown command` error, with its "Did you mean this?" suggestions.
fn unknown_command(name: &str) -> String {
    let suggestions: Vec<&str> = help::COMMANDS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| *n != "help")
        .filter(|n| distance(name, n) <= 2 || n.starts_with(&name.to_lowercase()))
        .collect();
    let mut e = format!("unknown command {name:?} for \"chartroom\"");
    if !suggestions.is_empty() {
        e.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            e.push_str(&format!("\t{s}\n"));
        }
    }
    e.push_str("\nRun 'chartroom --help' for usage.");
    e
}

fn run(argv: Vec<String>) -> Result<Output, Failure> {
    let Some(pos) = args::command_position(&argv) else {
        // No command: the root's own flags (`--help`, `--version`, global flags).
        let is_version = |a: &String| a == "--version";
        if argv.iter().any(is_version) {
            return Ok(Output::Stdout(help::version()));
        }
        let rest: Vec<String> = argv.into_iter().filter(|a| !is_version(a)).collect();
        args::parse_with(&rest, args::plain_command_flags)?;
        return Ok(Output::Stdout(help::root(false)));
    };
    let cmd = argv[pos].clone();
    // Flags before the command (global ones) count as if written after it.
    let rest: Vec<String> = argv[..pos]
        .iter()
        .chain(&argv[pos + 1..])
        .cloned()
        .collect();
    if cmd != "template" && !help::COMMANDS.iter().any(|(n, _, _)| *n == cmd) {
        return Err(unknown_command(&cmd).into());
    }
    if cmd == "template" {
        let parsed = args::parse(&rest)?;
        if args::flag_is_set(&parsed, "help") {
            return Ok(Output::Stdout(help::template()));
        }
        // cobra prints its deprecation notice as soon as the flag is parsed.
        if parsed.flags.iter().any(|(n, _)| *n == "validate") {
            print_warnings(&[
                "Flag --validate has been deprecated, use '--dry-run=server' instead".into(),
            ]);
        }
        return template(&parsed);
    }
    if cmd == "diff" || cmd == "lint" {
        // Usage errors and failed renders exit with 2, as GNU diff's do (1 means: changes
        // found, or lint errors found).
        let exit_2 = |f: Failure| Failure { exit: 2, ..f };
        let (flags, usage): (args::FlagFilter, fn() -> String) = if cmd == "diff" {
            (args::diff_flags, help::diff)
        } else {
            (args::lint_flags, help::lint)
        };
        let parsed = args::parse_with(&rest, flags).map_err(|e| exit_2(e.into()))?;
        if args::flag_is_set(&parsed, "help") {
            return Ok(Output::Stdout(usage()));
        }
        let run = if cmd == "diff" {
            diff_cmd::run(&parsed, NATIVE_DEPTH_LIMIT)
        } else {
            lint_cmd::run(&parsed, NATIVE_DEPTH_LIMIT)
        };
        return run.map_err(exit_2);
    }
    let parsed = args::parse_with(&rest, args::plain_command_flags)?;
    if args::flag_is_set(&parsed, "help") {
        return Ok(Output::Stdout(help::command(&cmd).unwrap_or_default()));
    }
    match cmd.as_str() {
        "help" => match parsed.args.first() {
            None => Ok(Output::Stdout(help::root(false))),
            Some(topic) => match help::command(topic) {
                Some(text) => Ok(Output::Stdout(text)),
                None => Ok(Output::Stderr(format!(
                    "Unknown help topic [`{topic}`]\n{}",
                    help::root(true)
                ))),
            },
        },
        "version" => Ok(Output::Stdout(help::version())),
        other => Err(format!(
            "`chartroom {other}` is not available yet in chartroom {}; run `chartroom --help` for what is",
            env!("CARGO_PKG_VERSION")
        )
        .into()),
    }
}

fn template(parsed: &args::Parsed) -> Result<Output, Failure> {
    if let Err(e) = args::check_color(parsed) {
        let mut log = chartroom_chart::Warnings::default();
        log.warn("command failed", &[("error", &e)]);
        return Err(Failure {
            message: String::new(),
            warnings: log.0,
            exit: 1,
        });
    }
    let mut req = args::template_request(parsed)?;
    args::check_tls_files(parsed)?;
    // The worker thread has a 1 GiB stack: enough for Helm's include limit.
    req.native_depth_limit = Some(NATIVE_DEPTH_LIMIT);
    // The process exits after this one render.
    req.skip_free = true;
    let (stdout, release) = chartroom_render::run_template(&req, &mut chartroom_render::FsSink)
        .map_err(|mut e| {
            // Helm's text first, then the rendered lines around the failure.
            if let Some(x) = e.excerpt.take() {
                e.message = format!("{}\n\n{}", e.message.trim_end(), x.to_string().trim_end());
            }
            e
        })?;
    Ok(Output::Rendered {
        stdout,
        warnings: release.warnings,
        exit: 0,
    })
}

/// Helm's log lines go to stderr before its output or error.
fn print_warnings(lines: &[String]) {
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    for line in lines {
        let _ = writeln!(lock, "{line}");
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
    // `env::args` panics on an argument that is not UTF-8 (`--set a=$'\xff'`); Helm takes
    // any bytes. Such bytes read as U+FFFD here (a known difference: Helm keeps them).
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    // Never print a Rust panic message or backtrace; report it as an error instead.
    std::panic::set_hook(Box::new(|_| {}));
    // Deeply nested templates (Helm allows 1000 nested includes per name) need a large stack.
    let worker = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || std::panic::catch_unwind(move || run(argv)));
    let result = match worker {
        Ok(handle) => match handle.join() {
            Ok(Ok(r)) => r,
            Ok(Err(p)) | Err(p) => Err(Failure::from(format!(
                "internal error: {}",
                panic_message(&*p)
            ))),
        },
        Err(e) => Err(Failure::from(format!("internal error: {e}"))),
    };
    match result {
        Ok(Output::Stdout(out)) => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            let _ = lock.write_all(out.as_bytes());
            let _ = lock.flush();
        }
        Ok(Output::Stderr(out)) => eprint!("{out}"),
        Ok(Output::Rendered {
            stdout,
            warnings,
            exit,
        }) => {
            print_warnings(&warnings);
            let out = std::io::stdout();
            let mut lock = out.lock();
            let _ = lock.write_all(&stdout);
            let _ = lock.flush();
            if exit != 0 {
                std::process::exit(exit);
            }
        }
        Err(e) => {
            print_warnings(&e.warnings);
            // A failure Helm reports only as a log line has no `Error:` line.
            if !e.message.is_empty() {
                eprintln!("Error: {}", e.message);
            }
            std::process::exit(e.exit);
        }
    }
}
