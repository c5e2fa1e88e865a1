//! sigs.k8s.io/yaml `Marshal`: encoding/json first, then go-yaml v2 reading that JSON into
//! `interface{}` and writing it with libyaml's emitter rules (block style, 2-space indent,
//! best width 80, unicode allowed).

use chartroom_template::value::Value;

use crate::decode::{is_base60_float, resolve, GoVal};
use crate::YamlError;

const BEST_INDENT: isize = 2;
const BEST_WIDTH: usize = 80;

/// What go-yaml v2 holds after unmarshalling the JSON text of a value.
enum Y {
    Null,
    Bool(bool),
    /// Integer or float text, written plain.
    Number(String),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

/// go-yaml's decoded JSON as the emitter sees it. Numbers are written as go-yaml writes the
/// int/uint/float64 it resolved from the JSON number text.
fn go_to_y(g: &GoVal) -> Y {
    match g {
        GoVal::Nil => Y::Null,
        GoVal::Bool(b) => Y::Bool(*b),
        GoVal::Int(i) => Y::Number(i.to_string()),
        GoVal::Uint(u) => Y::Number(u.to_string()),
        GoVal::Float(f) => Y::Number(match chartroom_template::fmt::format_float_g(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        }),
        GoVal::Str(s) => Y::Str(s.clone()),
        GoVal::Seq(items) => Y::Seq(items.iter().map(go_to_y).collect()),
        GoVal::Map(entries) => {
            let mut out: Vec<(String, Y)> = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let key = match k {
                    GoVal::Str(s) => s.clone(),
                    other => match go_to_y(other) {
                        Y::Number(t) => t,
                        Y::Bool(b) => b.to_string(),
                        _ => String::new(),
                    },
                };
                out.push((key, go_to_y(v)));
            }
            sort_keys(&mut out);
            Y::Map(out)
        }
    }
}

/// go-yaml v2's `keyList.Less` for two string keys (letters vs digits, numbers compared by
/// value).
fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.wrapping_mul(10).wrapping_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Orders a mapping's keys by go-yaml's `keyList.Less`, which is not a total order for every
/// set of keys (`001` < `00a` < `01` < `001`). Go's `sort.Sort` then orders them however its
/// algorithm meets them, from the map's random iteration order, so Helm prints such keys in
/// varying orders (`{{ dict "001" "a" "00a" "b" "01" "c" | toYaml }}`: `001, 00a, 01` seven
/// times in eight, `00a, 01, 001` once); `slice::sort_by` panics on such a comparison. Here:
/// from byte order, insertion sort as Go's sort does below 13 elements (which gives Helm's
/// usual order above), and merges of such runs beyond: deterministic and panic-free, and for
/// keys that `Less` does order, that one order.
fn sort_keys(entries: &mut Vec<(String, Y)>) {
    const RUN: usize = 12;
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let n = entries.len();
    let less = |i: usize, j: usize| key_less(&entries[i].0, &entries[j].0);
    let mut order: Vec<usize> = (0..n).collect();
    for run in order.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && less(run[j], run[j - 1]) {
                run.swap(j, j - 1);
                j -= 1;
            }
        }
    }
    let mut merged = vec![0; n];
    let mut width = RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            for slot in &mut merged[start..end] {
                // The left element unless the right one is less: stable for equal keys.
                let take_right = l >= mid || (r < end && less(order[r], order[l]));
                if take_right {
                    *slot = order[r];
                    r += 1;
                } else {
                    *slot = order[l];
                    l += 1;
                }
            }
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    let mut slots: Vec<Option<(String, Y)>> = entries.drain(..).map(Some).collect();
    entries.extend(order.iter().filter_map(|&i| slots[i].take()));
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blankz_at(v: &[char], i: usize) -> bool {
    match v.get(i) {
        None => true,
        Some(&c) => c == ' ' || c == '\t' || is_break(c) || c == '\0',
    }
}

/// libyaml's `is_printable` on the UTF-8 encoding of `c`.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(value: &str) -> Analysis {
    let v: Vec<char> = value.chars().collect();
    if v.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    for i in 0..v.len() {
        let c = v[i];
        let followed_by_whitespace =
            i + 1 >= v.len() || v[i + 1] == ' ' || v[i + 1] == '\t' || is_break(v[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == v.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == v.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz_at(&v, i);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: isize,
    indents: Vec<isize>,
    flow_level: usize,
}

/// The emitter's node context (libyaml's root/sequence/mapping/simple-key flags; only the
/// last two change the output here).
#[derive(Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

impl Ctx {
    const ROOT: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const SEQUENCE_ITEM: Ctx = Ctx {
        mapping: false,
        simple_key: false,
    };
    const MAPPING_VALUE: Ctx = Ctx {
        mapping: true,
        simple_key: false,
    };
    const SIMPLE_KEY: Ctx = Ctx {
        mapping: true,
        simple_key: true,
    };
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break_char(&mut self, c: char) {
        // libyaml's WRITE_BREAK: '\n' becomes a line break; other breaks are copied.
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        ind: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_str(ind);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn node(&mut self, y: &Y, ctx: Ctx) {
        match y {
            Y::Null => self.scalar("null", Style::Plain, ctx),
            Y::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Y::Number(t) => self.scalar(t, Style::Plain, ctx),
            Y::Str(s) => self.string_node(s, ctx),
            Y::Seq(items) => self.seq_node(items, ctx),
            Y::Map(entries) => self.map_node(entries),
        }
    }

    /// go-yaml v2's `stringv`: plain unless the text would resolve to another type, literal
    /// when it has a newline.
    #[inline(never)]
    fn string_node(&mut self, s: &str, ctx: Ctx) {
        let rtag = match resolve("", s) {
            Ok((t, _)) => t,
            Err(_) => "",
        };
        let can_plain = rtag == "tag:yaml.org,2002:str" && !is_base60_float(s);
        let style = if s.contains('\n') {
            Style::Literal
        } else if can_plain {
            Style::Plain
        } else {
            Style::Double
        };
        self.scalar(s, style, ctx);
    }

    #[inline(never)]
    fn seq_node(&mut self, items: &[Y], ctx: Ctx) {
        if self.flow_level > 0 || items.is_empty() {
            // Only empty sequences are written in flow style here.
            self.write_indicator("[", true, true, false);
            self.write_indicator("]", false, false, false);
            return;
        }
        self.increase_indent(false, ctx.mapping && !self.indention);
        for it in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(it, Ctx::SEQUENCE_ITEM);
        }
        self.pop_indent();
    }

    #[inline(never)]
    fn map_node(&mut self, entries: &[(String, Y)]) {
        if self.flow_level > 0 || entries.is_empty() {
            self.write_indicator("{", true, true, false);
            self.write_indicator("}", false, false, false);
            return;
        }
        self.increase_indent(false, false);
        for (k, v) in entries {
            self.write_indent();
            let simple = k.len() <= 128 && !analyze(k).multiline;
            if simple {
                self.string_node(k, Ctx::SIMPLE_KEY);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.string_node(k, Ctx::MAPPING_VALUE);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.node(v, Ctx::MAPPING_VALUE);
        }
        self.pop_indent();
    }

    fn scalar(&mut self, value: &str, requested: Style, ctx: Ctx) {
        let a = analyze(value);
        let mut style = requested;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::Single;
            }
            if value.is_empty() && (self.flow_level > 0 || ctx.simple_key) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single(value, allow_breaks),
            Style::Double => self.write_double(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        let v: Vec<char> = value.chars().collect();
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && v.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single(&mut self, value: &str, allow_breaks: bool) {
        let v: Vec<char> = value.chars().collect();
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != v.len() - 1
                    && v.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        let v: Vec<char> = value.chars().collect();
        self.write_indicator("\"", true, false, false);
        // go-yaml's `is_bom` looks at the start of the value, not at the current character:
        // a value that starts with a BOM has every character escaped.
        let starts_with_bom = v.first() == Some(&'\u{FEFF}');
        let mut spaces = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\x07' => self.put('a'),
                    '\x08' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\x0B' => self.put('v'),
                    '\x0C' => self.put('f'),
                    '\r' => self.put('r'),
                    '\x1B' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{A0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let u = c as u32;
                        let (letter, width) = if u <= 0xFF {
                            ('x', 2)
                        } else if u <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        self.write_str(&format!("{:0w$X}", u, w = width));
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != v.len() - 1
                {
                    self.write_indent();
                    if v.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
            i += 1;
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        let v: Vec<char> = value.chars().collect();
        self.write_indicator("|", true, false, false);
        // Block scalar hints.
        if v.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match v.len() {
            0 => Some('-'),
            n => {
                if !is_break(v[n - 1]) {
                    Some('-')
                } else if n == 1 || is_break(v[n - 2]) {
                    Some('+')
                } else {
                    None
                }
            }
        };
        if let Some(ch) = chomp {
            self.write_indicator(&ch.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &v {
            if is_break(c) {
                self.write_break_char(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                    breaks = false;
                }
                self.put(c);
                self.indention = false;
            }
        }
    }
}

pub fn to_yaml(v: &Value) -> Result<String, YamlError> {
    // sigs.k8s.io/yaml: json.Marshal, then go-yaml reads the JSON text (JSONToYAML). Reading
    // it with the same go-yaml-compatible parser keeps go-yaml's view of the text: numbers
    // resolved from their JSON form, U+0085 folded as a line break, control characters and
    // over-long keys refused.
    let json = crate::json::to_json(v)
        .map_err(|e| YamlError::new(format!("error marshaling into JSON: {e}")))?;
    let g = match crate::decode::decode_first(&json) {
        Ok(Some(g)) => g,
        Ok(None) => GoVal::Nil,
        Err(crate::decode::ReadError::Yaml(m)) | Err(crate::decode::ReadError::Convert(m)) => {
            return Err(YamlError::new(m))
        }
    };
    let y = go_to_y(&g);
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        whitespace: true,
        indention: true,
        indent: -1,
        indents: Vec::new(),
        flow_level: 0,
    };
    e.node(&y, Ctx::ROOT);
    // Document end: an implicit end writes the pending line break.
    e.indent = -1;
    e.write_indent();
    Ok(e.out)
}

#[cfg(test)]
mod tests {
    use super::key_less;

    #[test]
    fn key_order() {
        assert!(key_less("a9", "a10"));
        assert!(key_less("_", "Z"));
        assert!(key_less("B", "a"));
        assert!(key_less("a-", "a1"));
        assert!(key_less("a", "ab"));
        assert!(!key_less("b", "a"));
    }
}
