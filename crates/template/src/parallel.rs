//! Parsing many template files at once, on two threads where threads exist.
//!
//! A chart's templates parse independently of each other (Go's parser needs nothing from
//! other files), and parsing is a fifth of a typical render, so a second thread takes files
//! from a shared counter while the calling thread does the same. Results come back in input
//! order, so errors and `define` precedence are exactly those of parsing one by one.

use crate::error::Error;
use crate::parser::{self, Parsed};

/// Below this much template text a second thread costs more than it saves (a parse runs at
/// tens of MB/s; starting a thread takes tens of microseconds).
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_MIN_BYTES: usize = 64 * 1024;

/// The parser's recursion is bounded (`MAX_NESTING`, `MAX_PAREN_DEPTH`); this leaves room.
#[cfg(not(target_arch = "wasm32"))]
const WORKER_STACK: usize = 16 << 20;

/// Every file's parse result, in input order.
pub(crate) fn parse_files(
    files: &[(&str, &str)],
    has_func: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Result<Parsed, Error>> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let total: usize = files.iter().map(|(_, text)| text.len()).sum();
        if files.len() > 1 && total >= PARALLEL_MIN_BYTES && two_cores() {
            return parse_on_two_threads(files, has_func);
        }
    }
    files
        .iter()
        .map(|(name, text)| parser::parse(name, text, has_func))
        .collect()
}

/// One file's parse result, movable between threads as a whole.
#[cfg(not(target_arch = "wasm32"))]
struct Island(Result<Parsed, Error>);

// SAFETY: a `Parsed` is not `Send` only because its trees hold `Rc`s. `parser::parse` creates
// every one of those `Rc`s itself and keeps none once it returns (it has no interner, cache or
// thread-local state), so they are owned only by the trees of that one result. Moving the
// result moves every owner of those reference counts together; nothing left on the parsing
// thread can touch them afterwards. `Error` holds only owned strings and numbers.
#[cfg(not(target_arch = "wasm32"))]
unsafe impl Send for Island {}

#[cfg(not(target_arch = "wasm32"))]
fn two_cores() -> bool {
    static CORES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_on_two_threads(
    files: &[(&str, &str)],
    has_func: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Result<Parsed, Error>> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((name, text)) = files.get(i) else {
                return done;
            };
            done.push((i, Island(parser::parse(name, text, has_func))));
        }
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, work);
        // Without a worker (spawn failed) this thread takes every file.
        let mine = work();
        let theirs = worker.ok().and_then(|h| h.join().ok()).unwrap_or_default();
        (mine, theirs)
    });
    let mut slots: Vec<Option<Result<Parsed, Error>>> = files.iter().map(|_| None).collect();
    for (i, Island(result)) in mine.into_iter().chain(theirs) {
        slots[i] = Some(result);
    }
    slots
        .into_iter()
        .zip(files)
        // A file a panicked worker took is parsed again here.
        .map(|(slot, (name, text))| slot.unwrap_or_else(|| parser::parse(name, text, has_func)))
        .collect()
}
