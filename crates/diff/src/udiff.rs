//! The unified line diff of two texts: the output of `similar`'s
//! `TextDiff::from_lines(a, b).unified_diff().context_radius(n).header(..)`, byte for byte, with
//! only the Myers algorithm compiled in.
//!
//! `TextDiff` picks its algorithm at run time, so every use of it links all six of `similar`'s
//! algorithms for each input type it may diff internally (about thirty instantiations, over a
//! tenth of the wasm module's code). This module calls the same pieces `TextDiff` uses for its
//! default configuration (Myers, no deadline, exact whitespace): the common prefix and suffix
//! are trimmed, the middle goes to `myers::diff` through `Compact(Replace(Capture))`, and the
//! ops are grouped with `group_diff_ops` and printed as `UnifiedDiff` prints them.
//! docs/notes/wasm-size.md.

use similar::algorithms::{
    myers, Capture, Compact, DiffHook, IdentifyDistinct, NoFinishHook, Replace,
};
use similar::{group_diff_ops, DiffOp, DiffTag};

/// Splits a text into lines, each keeping its terminator (`\n`, `\r\n` or a lone `\r`), as
/// `similar`'s `tokenize_lines` does.
fn lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        out.push(&text[start..end]);
        start = end;
        i = end;
    }
    if start < bytes.len() {
        out.push(&text[start..]);
    }
    out
}

/// The diff ops of two line lists, as `TextDiffConfig::capture_ops` makes them for Myers.
fn ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
    let mut d = Compact::new(Replace::new(Capture::new()), old, new);
    if prefix > 0 {
        let Ok(()) = d.equal(0, 0, prefix);
    }
    if prefix < old_end && prefix < new_end {
        // Myers compares old lines with new ones only, so numbering the distinct lines (what
        // `TextDiff` does above 100 lines) gives the same ops as comparing the strings: one
        // instantiation, over numbers, for every size.
        let ids = IdentifyDistinct::<u32>::new(old, prefix..old_end, new, prefix..new_end);
        let mut middle = NoFinishHook::new(&mut d);
        let Ok(()) = myers::diff(
            &mut middle,
            ids.old_lookup(),
            ids.old_range(),
            ids.new_lookup(),
            ids.new_range(),
        );
    } else if prefix < old_end {
        let Ok(()) = d.delete(prefix, old_end - prefix, prefix);
    } else if prefix < new_end {
        let Ok(()) = d.insert(prefix, prefix, new_end - prefix);
    }
    if suffix > 0 {
        let Ok(()) = d.equal(old_end, new_end, suffix);
    }
    let Ok(()) = d.finish();
    d.into_inner().into_inner().into_ops()
}

/// `@@` range of one side: `start,len`, or `start` alone for one line; an empty range starts at
/// the line before it.
fn range(out: &mut String, start: usize, end: usize) {
    let len = end.saturating_sub(start);
    if len == 1 {
        out.push_str(&(start + 1).to_string());
    } else {
        let first = if len == 0 { start } else { start + 1 };
        out.push_str(&first.to_string());
        out.push(',');
        out.push_str(&len.to_string());
    }
}

fn line(out: &mut String, tag: char, text: &str) {
    out.push(tag);
    out.push_str(text);
    if !text.ends_with(['\r', '\n']) {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// The unified diff of `old` and `new` by lines with `context` lines around each change and the
/// file names `old_name`/`new_name` in its header; empty when the texts have the same lines.
pub fn unified(old: &str, new: &str, context: usize, old_name: &str, new_name: &str) -> String {
    let (a, b) = (lines(old), lines(new));
    let mut out = String::new();
    for hunk in group_diff_ops(ops(&a, &b), context) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        if out.is_empty() {
            out.push_str("--- ");
            out.push_str(old_name);
            out.push_str("\n+++ ");
            out.push_str(new_name);
            out.push('\n');
        }
        out.push_str("@@ -");
        range(&mut out, first.old_range().start, last.old_range().end);
        out.push_str(" +");
        range(&mut out, first.new_range().start, last.new_range().end);
        out.push_str(" @@\n");
        for op in &hunk {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => old_range.for_each(|i| line(&mut out, ' ', a[i])),
                DiffTag::Delete => old_range.for_each(|i| line(&mut out, '-', a[i])),
                DiffTag::Insert => new_range.for_each(|i| line(&mut out, '+', b[i])),
                DiffTag::Replace => {
                    old_range.for_each(|i| line(&mut out, '-', a[i]));
                    new_range.for_each(|i| line(&mut out, '+', b[i]));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `report::unified` printed before: `similar`'s own unified diff.
    fn reference(a: &str, b: &str, context: usize) -> String {
        similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .context_radius(context)
            .header("a/x", "b/x")
            .to_string()
    }

    fn check(a: &str, b: &str, context: usize) {
        assert_eq!(
            unified(a, b, context, "a/x", "b/x"),
            reference(a, b, context),
            "old {a:?}\nnew {b:?}\ncontext {context}"
        );
    }

    #[test]
    fn small_cases_match_similar() {
        let texts = [
            "",
            "a",
            "a\n",
            "b",
            "a\nb\nc\n",
            "a\nb\nc",
            "a\r\nb\rc\n",
            "a\nb\r\nc\r",
            "x\na\nb\nc\ny\n",
            "\n\n\n",
            "a\n\nb\n\n",
        ];
        for a in texts {
            for b in texts {
                for context in [0, 1, 3] {
                    check(a, b, context);
                }
            }
        }
        assert_eq!(unified("a\n", "a\n", 3, "a/x", "b/x"), "");
        assert_eq!(
            unified("a\n", "b", 3, "a/x", "b/x"),
            "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\\ No newline at end of file\n"
        );
    }

    /// Pseudo-random line lists over a small alphabet (many repeats, so Myers has choices to
    /// make and `Compact` has runs to slide), below and above `TextDiff`'s 100-line switch to
    /// numbered lines, with YAML-like edits: changed values, moved blocks, inserted runs.
    #[test]
    fn random_cases_match_similar() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let words = [
            "  a: 1\n",
            "  b: 2\n",
            "---\n",
            "\n",
            "  - x\n",
            "kind: A\n",
            "  a: 3\n",
        ];
        for round in 0..600 {
            let len = [5, 40, 90, 101, 150, 260][round % 6] as u64;
            let old: Vec<&str> = (0..next(len) + 1)
                .map(|_| words[next(7) as usize])
                .collect();
            let mut new = old.clone();
            for _ in 0..next(6) + 1 {
                let at = next(new.len() as u64 + 1) as usize;
                match next(4) {
                    0 if at < new.len() => {
                        new.remove(at);
                    }
                    1 if at < new.len() => new[at] = words[next(7) as usize],
                    _ => {
                        for _ in 0..next(5) + 1 {
                            new.insert(at, words[next(7) as usize]);
                        }
                    }
                }
            }
            let (a, mut b) = (old.concat(), new.concat());
            if round % 5 == 0 {
                b.push_str("tail");
            }
            check(&a, &b, [0, 3, 5][round % 3]);
            check(&b, &a, 3);
        }
    }
}
