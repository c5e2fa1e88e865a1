//! Case conversions with Go's `unicode` rules: `strings.ToUpper/ToLower/Title`, goutils'
//! `SwapCase`/`Uncapitalize`, and huandu/xstrings v1.5 `ToSnakeCase`, `ToKebabCase`,
//! `ToPascalCase` (Sprig's `camelcase`).

/// Go's `unicode.ToUpper`: one rune to one rune (simple case mapping).
pub(crate) fn to_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        // Multi-rune mappings (ß → SS, ŉ → ʼN) are special casing; Go keeps the rune.
        _ => c,
    }
}

/// Go's `unicode.ToLower`.
pub(crate) fn to_lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        // Only U+0130 (İ) lowercases to several runes; its simple mapping is 'i'.
        (Some(l), Some(_)) => l,
        _ => c,
    }
}

/// Title-case letters (category Lt), which Go's `unicode.ToTitle` produces for digraphs.
pub(crate) fn is_title(c: char) -> bool {
    matches!(c as u32,
        0x01C5 | 0x01C8 | 0x01CB | 0x01F2 | 0x1F88..=0x1F8F | 0x1F98..=0x1F9F | 0x1FA8..=0x1FAF
        | 0x1FBC | 0x1FCC | 0x1FFC)
}

/// Go's `unicode.ToTitle`.
pub(crate) fn to_title(c: char) -> char {
    match c as u32 {
        0x01C4..=0x01C6 => '\u{01C5}',
        0x01C7..=0x01C9 => '\u{01C8}',
        0x01CA..=0x01CC => '\u{01CB}',
        0x01F1..=0x01F3 => '\u{01F2}',
        _ if is_title(c) => c,
        _ => to_upper(c),
    }
}

pub(crate) fn is_upper(c: char) -> bool {
    c.is_uppercase()
}

pub(crate) fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

pub(crate) fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

pub(crate) fn is_number(c: char) -> bool {
    c.is_numeric()
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsPunct` (category P). Exact for ASCII and Latin-1; common punctuation
/// blocks beyond that.
pub(crate) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(c as u32,
        0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF
        | 0x037E | 0x0387 | 0x055A..=0x055F | 0x0589 | 0x058A | 0x05BE | 0x05C0 | 0x05C3
        | 0x05C6 | 0x05F3 | 0x05F4 | 0x0609 | 0x060A | 0x060C | 0x060D | 0x061B | 0x061E
        | 0x061F | 0x066A..=0x066D | 0x06D4 | 0x0964 | 0x0965 | 0x0970
        | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
        | 0x207D | 0x207E | 0x208D | 0x208E | 0x2308..=0x230B | 0x2329 | 0x232A
        | 0x2768..=0x2775 | 0x27C5 | 0x27C6 | 0x27E6..=0x27EF | 0x2983..=0x2998
        | 0x29D8..=0x29DB | 0x29FC | 0x29FD | 0x2CF9..=0x2CFC | 0x2CFE | 0x2CFF
        | 0x2E00..=0x2E2E | 0x2E30..=0x2E4F | 0x3001..=0x3003 | 0x3008..=0x3011
        | 0x3014..=0x301F | 0x3030 | 0x303D | 0x30A0 | 0x30FB | 0xFE10..=0xFE19
        | 0xFE30..=0xFE52 | 0xFE54..=0xFE61 | 0xFE63 | 0xFE68 | 0xFE6A | 0xFE6B
        | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F
        | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D | 0xFF5F..=0xFF65)
}

/// `strings.ToUpper`.
pub(crate) fn upper(s: &str) -> String {
    s.chars().map(to_upper).collect()
}

/// `strings.ToLower`.
pub(crate) fn lower(s: &str) -> String {
    s.chars().map(to_lower).collect()
}

/// `strings.Title`: the first letter of every word to title case; a word starts after any
/// rune that is not a letter, digit or underscore (ASCII) / letter or digit (elsewhere) and
/// is, outside ASCII, a space.
pub(crate) fn title(s: &str) -> String {
    fn is_separator(c: char) -> bool {
        if c.is_ascii() {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if is_letter(c) || c.is_numeric() {
            return false;
        }
        is_space(c)
    }
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) { to_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize` (Sprig's `untitle`): lower-cases the first rune of every
/// whitespace-separated word.
pub(crate) fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`: upper and title case to lower, lower to upper.
pub(crate) fn swapcase(s: &str) -> String {
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title(c) {
                to_lower(c)
            } else if is_lower(c) {
                to_upper(c)
            } else {
                c
            }
        })
        .collect()
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_space(c)
}

/// xstrings `ToPascalCase` (Sprig's `camelcase`): words separated by connectors (`-`, `_`,
/// spaces) are capitalised and joined; an all-caps word keeps only its first letter upper.
pub(crate) fn pascal_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    let mut first_upper = false;
    let mut r0 = '\0';
    let mut found = false;
    // Leading connectors are kept.
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = to_upper(c);
            found = true;
            break;
        }
        out.push(c);
    }
    if !found {
        // All connectors: xstrings writes the last rune once more.
        if let Some(c) = s.chars().last() {
            out.push(c);
        }
        return out;
    }
    if chars.peek().is_none() {
        out.push(r0);
        return out;
    }
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextWord`: the type of the next word, the word, and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut it = s.char_indices();
    let Some((_, r)) = it.next() else {
        return (Word::Invalid, "", "");
    };
    let take_while = |start: usize, pred: &dyn Fn(char) -> bool| -> usize {
        let mut end = start;
        for (i, c) in s[start..].char_indices() {
            if !pred(c) {
                return start + i;
            }
            end = start + i + c.len_utf8();
        }
        end
    };
    let first = r.len_utf8();
    let (wt, end) = if is_connector(r) {
        (Word::Connector, take_while(first, &is_connector))
    } else if is_punct(r) {
        (Word::Punct, take_while(first, &is_punct))
    } else if is_upper(r) {
        let rest = &s[first..];
        match rest.chars().next() {
            None => (Word::Upper, first),
            Some(n) if is_upper(n) => {
                // A run of capitals; if it is followed by a letter, the last capital starts
                // the next word ("HTTPStatus" → "HTTP", "Status").
                let mut end = first;
                let mut prev_len = 0;
                let mut stopped_on = None;
                for c in rest.chars() {
                    if !is_upper(c) {
                        stopped_on = Some(c);
                        break;
                    }
                    prev_len = c.len_utf8();
                    end += prev_len;
                }
                if let Some(c) = stopped_on {
                    if is_letter(c) {
                        end -= prev_len;
                    }
                }
                (Word::Upper, end)
            }
            Some(n) if is_letter(n) => (
                Word::Upper,
                take_while(first, &|c: char| is_letter(c) && !is_upper(c)),
            ),
            Some(_) => (Word::Upper, first),
        }
    } else if is_letter(r) {
        (
            Word::Alpha,
            take_while(first, &|c: char| is_letter(c) && !is_upper(c)),
        )
    } else if is_number(r) {
        (Word::Number, take_while(first, &is_number))
    } else {
        (
            Word::Other,
            take_while(first, &|c: char| {
                !(is_connector(c) || is_letter(c) || is_number(c) || is_punct(c))
            }),
        )
    };
    (wt, &s[..end], &s[end..])
}

fn push_lower(out: &mut String, wt: Word, word: &str, connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (`snakecase` with '_', `kebabcase` with '-').
pub(crate) fn to_lower_words(s: &str, connector: char) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    if s.is_empty() {
        return out;
    }
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            push_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alpha || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                // A number followed by something other than letters belongs to the
                // previous word ("Bld4Floor" → "bld4_floor").
                if wt != Word::Alpha {
                    push_lower(&mut out, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                // Lower-case letters after a number: the number starts a word ("HTTP2xx").
                out.push(connector);
                push_lower(&mut out, Word::Number, last, connector);
                while wt == Word::Alpha || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    out.push(connector);
                }
            }
        }
    }
    push_lower(&mut out, wt, word, connector);
    out
}
