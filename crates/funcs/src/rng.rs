//! The one source of randomness and of the current time for every function in this crate.
//!
//! Both are per thread and can be fixed. Randomness comes from a ChaCha20 generator:
//! - unseeded (the default), it is seeded on first use with 256 bits from the operating system
//!   (`getrandom`), so generated passwords and keys are as unpredictable as Helm's, which draws
//!   them from Go's `crypto/rand`. If the operating system cannot deliver, every random
//!   function fails with [`NO_ENTROPY`]'s text; there is no weaker fallback.
//! - `set_seed(Some(n))` (tests, `--seed`) or [`set_seed_bytes`] (one 256-bit seed a front end
//!   draws with [`entropy_seed`] and reuses, e.g. for the two renders of a diff) make every
//!   random function (`randAlphaNum`, `uuidv4`, key generation...) deterministic.
//!
//! Seeded, the random functions of a template draw from streams of their own: each call's
//! generator is seeded from the render's seed, the function's name, its arguments and how many
//! calls of that function with those arguments came before it in the render ([`call`],
//! installed on every random template function by [`scope_random_functions`]). An edit
//! elsewhere in a chart or its values therefore leaves a call's output alone (a diff, or the
//! page re-rendering with its one seed per page load, shows no phantom changes), and keys a
//! call generated can be reused by the next render ([`with_rng_memo`]) instead of being
//! generated again. Unseeded, everything draws from the one OS-seeded generator as before
//! (nothing to reuse: every render is fresh). Library calls outside a template function
//! (tests, [`fill_bytes`] called directly) draw from the seeded generator itself.
//!
//! wasm32-unknown-unknown has no operating-system entropy (and this crate does not link
//! `getrandom` there, so nothing can fall back silently): the host installs a source with
//! [`set_entropy_source`] (the wasm bindings read `crypto.getRandomValues`); without one,
//! random functions fail. `set_now(Some(..))` pins `now`, and `set_clock` installs a clock
//! where `std` has none.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use chartroom_template::{FuncMap, Value};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// A wall-clock source: Unix seconds and nanoseconds.
pub type Clock = fn() -> (i64, u32);

/// A source of 32 secure random bytes, installed by a host that has no operating-system
/// entropy (or wants its own). Returns a readable reason when it cannot deliver.
pub type EntropySource = fn(&mut [u8; 32]) -> Result<(), String>;

/// The start of every error a random function returns when no secure seed can be had.
pub const NO_ENTROPY: &str = "no secure random source";

thread_local! {
    static RNG: RefCell<Option<ChaCha20Rng>> = const { RefCell::new(None) };
    static ENTROPY: Cell<Option<EntropySource>> = const { Cell::new(None) };
    static FIXED_NOW: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
    static CLOCK: Cell<Option<Clock>> = const { Cell::new(None) };
    static START: Cell<Option<(i64, u32)>> = const { Cell::new(None) };
    /// The explicit seed's 256 bits (the root of every call's stream); `None` unseeded.
    static ROOT: Cell<Option<[u8; 32]>> = const { Cell::new(None) };
    /// How many calls of each (function, arguments) the current seeded render has made.
    static COUNTS: RefCell<HashMap<[u8; 32], u64>> = RefCell::new(HashMap::new());
    /// The generators of the template function calls running now (innermost last).
    static CALLS: RefCell<Vec<ChaCha20Rng>> = const { RefCell::new(Vec::new()) };
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
    /// Set while a discovery render runs ([`begin_discovery`]).
    static DISCOVERY: RefCell<Option<Discovery>> = const { RefCell::new(None) };
    /// For each call in `CALLS`: whether an argument held a stand-in's text.
    static TAINTED: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
}

/// The template functions that draw random numbers: [`scope_random_functions`] runs each
/// call in a stream of its own when a seed is set.
pub const RANDOM_FUNCTIONS: &[&str] = &[
    "randAlphaNum",
    "randAlpha",
    "randNumeric",
    "randAscii",
    "randBytes",
    "randInt",
    "shuffle",
    "uuidv4",
    "bcrypt",
    "htpasswd",
    "encryptAES",
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
];

/// Wraps every function of [`RANDOM_FUNCTIONS`] in `funcs` so that it runs through [`call`].
pub fn scope_random_functions(funcs: &mut FuncMap) {
    for name in RANDOM_FUNCTIONS {
        if let Some(f) = funcs.get_mut(*name) {
            let inner = f.call.clone();
            f.call = Rc::new(move |state, args| call(name, args, || inner(state, args)));
        }
    }
}

/// Runs one template function call. Seeded, its random numbers come from a generator of its
/// own: ChaCha20 keyed by SHA-256 over the seed, `name`, the arguments (type and Go `%v` text
/// of each; a certificate by its key alone, as its text holds the signing time) and the number
/// of earlier calls with the same name and arguments in this render.
/// Unseeded, `f` simply draws from the thread's generator.
pub fn call<R>(name: &str, args: &[Value], f: impl FnOnce() -> R) -> R {
    let Some(root) = ROOT.with(|r| r.get()) else {
        return f();
    };
    let mut label = Sha256::new();
    let mut tainted = false;
    label.update(name.as_bytes());
    for a in args {
        // A certificate (`genSignedCert`'s CA) stands for its key: its text holds the time it
        // was signed at, which would make every render a new call. A generated key stands for
        // where it was generated (so a discovery render, whose CA holds a stand-in key, still
        // knows the signed certificate's stream); a key given as PEM for its text.
        let a = match a {
            Value::Object(o) if o.type_name() == "sprig.certificate" => {
                let cert = o.as_any().downcast_ref::<crate::crypto::Certificate>();
                if let Some(origin) = cert.and_then(|c| c.key_origin) {
                    label.update([1u8]);
                    label.update(origin);
                    continue;
                }
                o.field("Key").unwrap_or(Value::Nil)
            }
            other => other.clone(),
        };
        let a = &a;
        let text = chartroom_template::fmt::format_value(a);
        tainted = tainted || holds_stand_in(text.as_bytes());
        let ty = a.type_name();
        label.update([0u8]);
        label.update((ty.len() as u64).to_le_bytes());
        label.update(ty.as_bytes());
        label.update((text.as_bytes().len() as u64).to_le_bytes());
        label.update(text.as_bytes());
    }
    let label: [u8; 32] = label.finalize().into();
    let count = COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        let n = c.entry(label).or_insert(0);
        *n += 1;
        *n - 1
    });
    let mut key = Sha256::new();
    key.update(b"chartroom rng call v1\0");
    key.update(root);
    key.update(label);
    key.update(count.to_le_bytes());
    let rng = ChaCha20Rng::from_seed(key.finalize().into());
    CALLS.with(|c| c.borrow_mut().push(rng));
    TAINTED.with(|t| t.borrow_mut().push(tainted));
    let out = f();
    CALLS.with(|c| c.borrow_mut().pop());
    TAINTED.with(|t| t.borrow_mut().pop());
    out
}

/// An identity of what the running seeded call draws next: SHA-256 over its stream's seed and
/// position. A key generated from there is a function of them, so this names it before it
/// exists ([`crate::crypto::Certificate::key_origin`]). `None` outside a seeded call.
pub fn next_draw_origin() -> Option<[u8; 32]> {
    CALLS.with(|c| {
        c.borrow().last().map(|rng| {
            let mut h = Sha256::new();
            h.update(b"chartroom draw origin v1\0");
            h.update(rng.get_seed());
            h.update(rng.get_word_pos().to_le_bytes());
            h.finalize().into()
        })
    })
}

/// Values computed from a call's generator, kept across renders with the same seed: the
/// generator's seed and position before the computation identify it, and a hit moves the
/// generator to where the computation left it. At most [`MEMO_ENTRIES`]; emptied when
/// another seed is set.
#[derive(Default)]
struct Memo {
    root: Option<[u8; 32]>,
    entries: Vec<MemoEntry>,
}

struct MemoEntry {
    tag: String,
    seed: [u8; 32],
    before: u128,
    after: u128,
    value: Rc<dyn Any>,
}

/// Generated keys kept for reuse (a chart generating more keys than this in one render
/// regenerates the oldest).
pub const MEMO_ENTRIES: usize = 64;

/// Runs `f` with the current generator, like [`with_rng`]; inside a seeded call ([`call`]) the
/// result is kept under `tag` and the generator's state, and returned again (the generator
/// advanced as `f` advanced it) when the same call of a later render gets there: a warm
/// render does not generate its keys again. `f` must depend on nothing but the generator and
/// what `tag` says (key type and size).
pub fn with_rng_memo<T: Clone + 'static>(
    tag: &str,
    f: impl FnOnce(&mut ChaCha20Rng) -> T,
) -> Result<T, String> {
    memo_or_stand_in(tag, f, None::<fn() -> Result<(T, String), String>>)
}

/// [`with_rng_memo`], and during a discovery render ([`begin_discovery`]) a value the memo
/// does not hold is not computed: the render notes what it wanted (tag, the call's seed and
/// position; not where an argument of the call holds a stand-in's text, as that call's stream
/// differs from the real render's) and goes on with `stand_in()`'s value, whose second part
/// is a text that identifies it inside later arguments (a key's PEM line).
pub fn with_rng_memo_or_stand_in<T: Clone + 'static>(
    tag: &str,
    f: impl FnOnce(&mut ChaCha20Rng) -> T,
    stand_in: impl FnOnce() -> Result<(T, String), String>,
) -> Result<T, String> {
    memo_or_stand_in(tag, f, Some(stand_in))
}

fn memo_or_stand_in<T: Clone + 'static>(
    tag: &str,
    f: impl FnOnce(&mut ChaCha20Rng) -> T,
    stand_in: Option<impl FnOnce() -> Result<(T, String), String>>,
) -> Result<T, String> {
    let Some(mut rng) = CALLS.with(|c| c.borrow_mut().pop()) else {
        return with_rng(f);
    };
    let (seed, before) = (rng.get_seed(), rng.get_word_pos());
    let hit = MEMO.with(|m| {
        m.borrow()
            .entries
            .iter()
            .find(|e| e.tag == tag && e.seed == seed && e.before == before)
            .and_then(|e| Some((e.value.downcast_ref::<T>()?.clone(), e.after)))
    });
    let discovering = DISCOVERY.with(|d| d.borrow().is_some());
    let value = match (hit, stand_in) {
        (Some((value, after)), _) => {
            rng.set_word_pos(after);
            Ok(value)
        }
        (None, Some(stand_in)) if discovering => stand_in().map(|(value, marker)| {
            let tainted = TAINTED.with(|t| t.borrow().last().copied().unwrap_or(false));
            DISCOVERY.with(|d| {
                if let Some(d) = d.borrow_mut().as_mut() {
                    let wanted = Wanted {
                        tag: tag.to_string(),
                        seed,
                        position: before,
                    };
                    if !tainted && d.wanted.len() < MEMO_ENTRIES && !d.wanted.contains(&wanted) {
                        d.wanted.push(wanted);
                    }
                    d.stand_ins += 1;
                    if !d.markers.contains(&marker) {
                        d.markers.push(marker);
                    }
                }
            });
            value
        }),
        (None, _) => {
            let value = f(&mut rng);
            memo_keep(tag, seed, before, rng.get_word_pos(), value.clone());
            Ok(value)
        }
    };
    CALLS.with(|c| c.borrow_mut().push(rng));
    value
}

/// Keeps `value` as what a call's generator at `seed`/`before` computes for `tag`, leaving the
/// generator at `after`: the next render with the current seed that gets there takes it
/// instead of computing it (a host that computed it elsewhere, e.g. a key generated on other
/// workers after a discovery render, hands it in here). `T` must be the type the call site
/// computes, or the entry is never found.
pub fn memo_keep<T: Clone + 'static>(
    tag: &str,
    seed: [u8; 32],
    before: u128,
    after: u128,
    value: T,
) {
    let entry = MemoEntry {
        tag: tag.to_string(),
        seed,
        before,
        after,
        value: Rc::new(value),
    };
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        m.entries
            .retain(|e| !(e.tag == entry.tag && e.seed == seed && e.before == before));
        if m.entries.len() >= MEMO_ENTRIES {
            m.entries.remove(0);
        }
        m.entries.push(entry);
    });
}

/// What a discovery render wanted: a value for `tag` computed from the call stream `seed`
/// starting at word `position`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub tag: String,
    pub seed: [u8; 32],
    pub position: u128,
}

/// What a discovery render found ([`end_discovery`]).
#[derive(Debug, Default)]
pub struct Discovery {
    /// The values it wanted and the memo did not hold (at most [`MEMO_ENTRIES`]), in order.
    pub wanted: Vec<Wanted>,
    /// How many stand-ins it went on with: when more than zero its output is not the real
    /// render's.
    pub stand_ins: usize,
    markers: Vec<String>,
}

/// Starts a discovery render on this thread: until [`end_discovery`], seeded calls that would
/// generate a key (through [`with_rng_memo_or_stand_in`]) note it and go on with a stand-in.
/// A host without threads renders this way first, generates what was wanted on other workers,
/// hands the keys in with [`memo_keep`], and renders again (keys whose calls took a
/// stand-in's text as an argument come to light in that next round); a render with no
/// stand-in is the real one.
pub fn begin_discovery() {
    DISCOVERY.with(|d| *d.borrow_mut() = Some(Discovery::default()));
}

/// Ends a discovery render and returns what it found.
pub fn end_discovery() -> Discovery {
    DISCOVERY
        .with(|d| d.borrow_mut().take())
        .unwrap_or_default()
}

fn holds_stand_in(text: &[u8]) -> bool {
    DISCOVERY.with(|d| {
        d.borrow().as_ref().is_some_and(|d| {
            d.markers
                .iter()
                .any(|m| !m.is_empty() && text.windows(m.len()).any(|w| w == m.as_bytes()))
        })
    })
}

/// How many generated values [`with_rng_memo`] keeps now (for tests and measurements).
pub fn memo_len() -> usize {
    MEMO.with(|m| m.borrow().entries.len())
}

/// Sets (or clears) the root of the seeded call streams, starting a render's call counts
/// afresh; a different root empties the memo.
fn set_root(root: Option<[u8; 32]>) {
    ROOT.with(|r| r.set(root));
    COUNTS.with(|c| c.borrow_mut().clear());
    if let Some(root) = root {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.root != Some(root) {
                m.entries.clear();
                m.root = Some(root);
            }
        });
    }
}

/// Fixes the random generator to `seed` (tests, `--seed`), or (with `None`) drops the current
/// state so the next random function seeds it afresh from entropy.
pub fn set_seed(seed: Option<u64>) {
    let rng = seed.map(ChaCha20Rng::seed_from_u64);
    set_root(rng.as_ref().map(|r| r.get_seed()));
    RNG.with(|r| *r.borrow_mut() = rng);
}

/// Fixes the random generator to a full 256-bit seed, e.g. one drawn once with
/// [`entropy_seed`] and reused so that two renders produce the same random values.
pub fn set_seed_bytes(seed: [u8; 32]) {
    set_root(Some(seed));
    RNG.with(|r| *r.borrow_mut() = Some(ChaCha20Rng::from_seed(seed)));
}

/// Installs (or with `None` removes) the thread's entropy source. Where one is installed it is
/// used instead of the operating system's.
pub fn set_entropy_source(source: Option<EntropySource>) {
    ENTROPY.with(|e| e.set(source));
}

/// 256 fresh bits from the installed entropy source or else the operating system; an error
/// (starting with [`NO_ENTROPY`]) when neither can deliver.
pub fn entropy_seed() -> Result<[u8; 32], String> {
    let mut seed = [0u8; 32];
    match ENTROPY.with(|e| e.get()) {
        Some(source) => source(&mut seed).map_err(|e| format!("{NO_ENTROPY}: {e}"))?,
        None => os_entropy(&mut seed)?,
    }
    Ok(seed)
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn os_entropy(seed: &mut [u8; 32]) -> Result<(), String> {
    getrandom::fill(seed)
        .map_err(|e| format!("{NO_ENTROPY}: the operating system's random generator failed: {e}"))
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn os_entropy(_seed: &mut [u8; 32]) -> Result<(), String> {
    Err(format!(
        "{NO_ENTROPY}: wasm32-unknown-unknown has no operating-system entropy and the host \
         installed no entropy source"
    ))
}

/// Seeds the thread's generator from entropy if it is not seeded yet. Once this succeeds,
/// random functions on this thread cannot fail until `set_seed(None)`.
pub fn ready() -> Result<(), String> {
    with_rng(|_| ())
}

/// Runs `f` with the thread's generator, seeding it from entropy on first use; an error when
/// no secure seed can be had.
pub fn with_rng<R>(f: impl FnOnce(&mut ChaCha20Rng) -> R) -> Result<R, String> {
    // Inside a seeded template function call: its own generator (taken out while `f` runs,
    // so nothing `f` does can find the cell borrowed).
    if let Some(mut rng) = CALLS.with(|c| c.borrow_mut().pop()) {
        let out = f(&mut rng);
        CALLS.with(|c| c.borrow_mut().push(rng));
        return Ok(out);
    }
    RNG.with(|r| {
        let mut slot = r.borrow_mut();
        let rng = match &mut *slot {
            Some(rng) => rng,
            empty => empty.insert(ChaCha20Rng::from_seed(entropy_seed()?)),
        };
        Ok(f(rng))
    })
}

/// Fills `buf` with random bytes from the thread's generator.
pub fn fill_bytes(buf: &mut [u8]) -> Result<(), String> {
    with_rng(|r| r.fill_bytes(buf))
}

/// A uniformly distributed number in `0..n` (`n > 0`), without modulo bias.
pub fn below(n: u64) -> Result<u64, String> {
    if n <= 1 {
        return Ok(0);
    }
    let zone = u64::MAX - (u64::MAX % n);
    with_rng(|r| loop {
        let v = r.next_u64();
        if v < zone {
            return v % n;
        }
    })
}

/// Pins the wall clock (`now`, `ago`, `durationRound` of a date) to a Unix time in seconds and
/// nanoseconds, or (with `None`) releases it.
pub fn set_now(now: Option<(i64, u32)>) {
    FIXED_NOW.with(|c| c.set(now));
}

/// Installs the wall-clock source used where `std` has none (wasm32-unknown-unknown).
pub fn set_clock(clock: Option<Clock>) {
    CLOCK.with(|c| c.set(clock));
}

/// The current Unix time (seconds, nanoseconds).
pub fn now() -> (i64, u32) {
    if let Some(t) = FIXED_NOW.with(|c| c.get()) {
        return t;
    }
    if let Some(clock) = CLOCK.with(|c| c.get()) {
        return clock();
    }
    system_now()
}

/// Seconds since the first clock reading of this thread, for Go's `m=+0.001` monotonic
/// suffix when a `now` value is printed.
pub fn monotonic(t: (i64, u32)) -> f64 {
    let start = START.with(|s| match s.get() {
        Some(v) => v,
        None => {
            s.set(Some(t));
            t
        }
    });
    (t.0 - start.0) as f64 + (t.1 as f64 - start.1 as f64) / 1e9
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn system_now() -> (i64, u32) {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            if d.subsec_nanos() == 0 {
                (-(d.as_secs() as i64), 0)
            } else {
                (-(d.as_secs() as i64) - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn system_now() -> (i64, u32) {
    (0, 0)
}
