//! Work on two threads where threads exist, with results in input order, so callers keep
//! sequential semantics (the first error in order wins). Used to parse a chart's template
//! files (Go's parser needs nothing from other files) and, by the render crate, to read
//! rendered documents' heads.

use crate::error::Error;
use crate::parser::{self, Parsed};

/// Below this much work a second thread costs more than it saves (a parse runs at tens of
/// MB/s; starting a thread takes tens of microseconds).
pub const PARALLEL_MIN_BYTES: usize = 64 * 1024;

/// The parser's and YAML decoder's recursion is bounded; this leaves room.
#[cfg(not(target_arch = "wasm32"))]
const WORKER_STACK: usize = 16 << 20;

/// `items.iter().map(f).collect()`, with a second thread taking items from a shared counter
/// when `bytes` (the caller's measure of the work) is large enough and there are two cores.
pub fn ordered_map<T: Sync, R: Send>(
    items: &[T],
    bytes: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if items.len() > 1 && bytes >= PARALLEL_MIN_BYTES && two_cores() {
        return on_two_threads(items, &f);
    }
    let _ = bytes;
    items.iter().map(f).collect()
}

/// Every file's parse result, in input order.
pub(crate) fn parse_files(
    files: &[(&str, &[u8])],
    has_func: &(dyn Fn(&str) -> bool + Sync),
) -> Vec<Result<Parsed, Error>> {
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    ordered_map(files, total, |(name, text)| {
        Island(parser::parse(name, parser::Input::bytes(text), has_func))
    })
    .into_iter()
    .map(|Island(result)| result)
    .collect()
}

/// One file's parse result, movable between threads as a whole.
struct Island(Result<Parsed, Error>);

// SAFETY: a `Parsed` is not `Send` only because its trees hold `Rc`s. `parser::parse` creates
// every one of those `Rc`s itself and keeps none once it returns (it has no interner, cache or
// thread-local state), so they are owned only by the trees of that one result. Moving the
// result moves every owner of those reference counts together; nothing left on the parsing
// thread can touch them afterwards. `Error` holds only owned strings and numbers.
unsafe impl Send for Island {}

#[cfg(not(target_arch = "wasm32"))]
fn two_cores() -> bool {
    static CORES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().is_ok_and(|n| n.get() > 1))
}

#[cfg(not(target_arch = "wasm32"))]
fn on_two_threads<T: Sync, R: Send>(items: &[T], f: &(impl Fn(&T) -> R + Sync)) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let next = AtomicUsize::new(0);
    // Each thread notes which indices it took.
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let (mine, theirs) = std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn_scoped(scope, work);
        // Without a worker (spawn failed) this thread takes every item.
        let mine = work();
        let theirs = worker.ok().and_then(|h| h.join().ok()).unwrap_or_default();
        (mine, theirs)
    });
    let mut slots: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for (i, r) in mine.into_iter().chain(theirs) {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .zip(items)
        // An item a panicked worker took is computed again here.
        .map(|(slot, item)| slot.unwrap_or_else(|| f(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_on_both_paths() {
        let items: Vec<usize> = (0..5000).collect();
        let small = ordered_map(&items, 0, |&i| i * 3);
        let large = ordered_map(&items, PARALLEL_MIN_BYTES, |&i| i * 3);
        let want: Vec<usize> = items.iter().map(|&i| i * 3).collect();
        assert_eq!(small, want);
        assert_eq!(large, want);
    }
}
