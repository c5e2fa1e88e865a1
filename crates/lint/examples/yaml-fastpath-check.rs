//! Compares the fast path of `chartroom_yaml::from_yaml_with_duplicates` with go-yaml's
//! general path on every document of the files given (e.g. ../shared/golden/expected/*.out)
//! and on mutated copies of them (lines dropped, repeated, re-indented, characters
//! inserted): wherever the fast path reads a document, the value (its `Debug` form) and the
//! duplicate keys must be the general path's. Prints how many documents took the fast path
//! and exits 1 on any difference.
//!
//! `cargo run --release -p chartroom-lint --example yaml-fastpath-check -- [--why N]
//! [--seed N] [--rounds N] FILE...`

use chartroom_yaml::{
    from_yaml_with_duplicates_fast as fast, from_yaml_with_duplicates_general as general,
};

/// Repeatable pseudo-random numbers: a counter hashed by std's `DefaultHasher` (fixed
/// keys), so runs with the same seed make the same mutations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        use std::hash::{DefaultHasher, Hash, Hasher};
        self.0 = self.0.wrapping_add(1);
        let mut h = DefaultHasher::new();
        self.0.hash(&mut h);
        (h.finish() % n.max(1) as u64) as usize
    }
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len();
    let at = rng.below(n);
    match rng.below(8) {
        0 => {
            lines.remove(at);
        }
        1 => {
            let l = lines[at].clone();
            lines.insert(at, l);
        }
        2 => lines[at].insert_str(0, &" ".repeat(1 + rng.below(3))),
        3 => {
            let k = lines[at]
                .bytes()
                .take_while(|&b| b == b' ')
                .count()
                .min(1 + rng.below(3));
            lines[at].drain(..k);
        }
        4 => lines[at] = String::new(),
        5 => {
            let mut cut = rng.below(lines[at].len() + 1);
            while !lines[at].is_char_boundary(cut) {
                cut -= 1;
            }
            lines[at].truncate(cut);
        }
        _ => {
            let l = &mut lines[at];
            let mut pos = rng.below(l.len() + 1);
            while !l.is_char_boundary(pos) {
                pos -= 1;
            }
            let pieces = [
                ":", ": ", " #", "#", "-", "- ", "\"", "'", "|", ">", "|-", "{", "[]", "&a ", "*a",
                "!t ", "? ", "<<: ", "\t", "~", "1", "0x1", ".5", "yes", " ", "\\", "---", "...",
                "%", "@", ",", "''", "\"\"", "{ }", "[a, b]", "[a,", "]", "+1", "1_000", "null",
                "- - ", "  ", "\\u0041", "\\n", "> ", "|+", "\u{85}", "\u{feff}",
            ];
            l.insert_str(pos, pieces[rng.below(pieces.len())]);
        }
    }
    lines.join("\n")
}

fn same(text: &str) -> Result<bool, String> {
    let Some((v, d)) = fast(text) else {
        return Ok(false);
    };
    match general(text) {
        Ok((gv, gd)) => {
            let (a, b) = (format!("{v:?}"), format!("{gv:?}"));
            if a != b {
                return Err(format!(
                    "values differ:\nfast    {a:.400}\ngeneral {b:.400}"
                ));
            }
            if d != gd {
                return Err(format!("duplicates differ: fast {d:?}, general {gd:?}"));
            }
            Ok(true)
        }
        Err(e) => Err(format!("fast path read a document go-yaml refuses: {e}")),
    }
}

fn main() {
    let mut files: Vec<String> = std::env::args().skip(1).collect();
    // `--why N`: for the first N documents go-yaml reads but the fast path does not, the
    // first line the fast path stops at.
    let mut why = match files.iter().position(|a| a == "--why") {
        Some(i) if i + 1 < files.len() => {
            let n = files[i + 1].parse().unwrap_or(0);
            files.drain(i..i + 2);
            n
        }
        _ => 0,
    };
    // `--seed N`: another series of mutations; `--rounds N`: mutated copies per document
    // (a third of that for documents over 200 kB; each copy gets one to three mutations).
    let mut option = |name: &str, default: u64| match files.iter().position(|a| a == name) {
        Some(i) if i + 1 < files.len() => {
            let n = files[i + 1].parse().unwrap_or(default);
            files.drain(i..i + 2);
            n
        }
        _ => default,
    };
    let seed = option("--seed", 1);
    let rounds_per_doc = option("--rounds", 20) as usize;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let (mut docs, mut fast_docs, mut variants, mut fast_variants, mut bad) = (0, 0, 0, 0, 0);
    let mut fast_bytes = 0;
    let mut all_bytes = 0;
    for f in &files {
        let Ok(data) = std::fs::read(f) else {
            eprintln!("{f}: cannot read");
            std::process::exit(2);
        };
        for piece in chartroom_render::manifest::split_manifests(&data) {
            let Ok(text) = std::str::from_utf8(piece) else {
                continue;
            };
            docs += 1;
            all_bytes += text.len();
            match same(text) {
                Ok(true) => {
                    fast_docs += 1;
                    fast_bytes += text.len();
                }
                Ok(false) => {
                    if why > 0 && general(text).is_ok() {
                        why -= 1;
                        explain(f, text);
                    }
                }
                Err(e) => {
                    bad += 1;
                    eprintln!("{f}: {e}\n--- document:\n{text:.2000}\n---");
                }
            }
            let rounds = if text.len() > 200_000 {
                rounds_per_doc.div_ceil(3)
            } else {
                rounds_per_doc
            };
            for _ in 0..rounds {
                let mut m = mutate(text, &mut rng);
                for _ in 0..rng.below(3) {
                    m = mutate(&m, &mut rng);
                }
                variants += 1;
                match same(&m) {
                    Ok(true) => fast_variants += 1,
                    Ok(false) => {}
                    Err(e) => {
                        bad += 1;
                        if bad < 20 {
                            eprintln!("{f} (mutated): {e}\n--- document:\n{m:.3000}\n---");
                        }
                    }
                }
            }
        }
    }
    println!(
        "documents: {fast_docs}/{docs} on the fast path ({fast_bytes}/{all_bytes} bytes); \
         mutated: {fast_variants}/{variants}; differences: {bad}"
    );
    if bad > 0 {
        std::process::exit(1);
    }
}

/// Prints the first line whose addition takes a prefix of `text` off the fast path.
fn explain(file: &str, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut ok_until = 0;
    for k in 1..=lines.len() {
        let prefix = lines[..k].join("\n");
        if fast(&prefix).is_some() || general(&prefix).is_err() {
            ok_until = k;
        } else if k > ok_until + 3 {
            break;
        }
    }
    let at = (ok_until).min(lines.len().saturating_sub(1));
    println!("{file}: line {}: {:.160}", at + 1, lines[at]);
}
