//! Helm's post-processing of `text/template` errors (pkg/engine): `parse error at (...)`,
//! `execution error at (...)` for `fail`/`required`, and Helm 4's multi-line trace of
//! `executing ...` levels through `include`.

/// Helm wraps `fail`/`required` messages in these markers so it can find them again in the
/// error chain.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

pub fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Helm's `cleanupParseError`: `template: NAME:LINE: msg` becomes
/// `parse error at (NAME:LINE): msg` (the last `": "`-separated token is the message).
pub fn cleanup_parse_error(filename: &str, message: &str) -> String {
    let tokens: Vec<&str> = message.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {message}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

/// Helm's handling of an execution error of a top-level template.
/// `is_exec` says whether the error is an execution error (Go's `template.ExecError`); other
/// errors are returned unchanged.
pub fn cleanup_exec_error(filename: &str, message: &str, is_exec: bool) -> String {
    if !is_exec {
        return message.to_string();
    }
    let tokens: Vec<&str> = message.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {message}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START) {
        let after = &tokens[2][start + WARN_START.len()..];
        if let Some(end) = after.rfind(WARN_END) {
            return format!("execution error at ({location}): {}", &after[..end]);
        }
    }
    reformat_trace(message).unwrap_or_else(|| message.to_string())
}

/// One `template: LOC: executing "NAME" at <NODE>: REST` level.
struct Level<'a> {
    location: &'a str,
    name: &'a str,
    node: &'a str,
    rest: &'a str,
}

fn parse_level(s: &str) -> Option<Level<'_>> {
    let body = s.strip_prefix("template: ")?;
    let exec_at = body.find(": executing \"")?;
    let location = &body[..exec_at];
    if location.is_empty() {
        return None;
    }
    let after = &body[exec_at + ": executing ".len()..];
    let name_len = quoted_len(after)?;
    let name = &after[..name_len];
    let after = after[name_len..].strip_prefix(" at <")?;
    let node_end = after.find(">: ")?;
    Some(Level {
        location,
        name,
        node: &after[..node_end],
        rest: &after[node_end + 3..],
    })
}

/// Length in bytes of the Go-quoted string at the start of `s` (including both quotes).
fn quoted_len(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Helm 4's trace format: each `executing` level on three lines, through `include` calls;
/// `None` when the chain has a link Helm cannot parse (then the Go text is shown as is).
fn reformat_trace(message: &str) -> Option<String> {
    let mut out = String::new();
    let mut cur = message;
    loop {
        if let Some(level) = parse_level(cur) {
            out.push_str(level.location);
            out.push_str("\n  executing ");
            out.push_str(level.name);
            out.push_str(" at <");
            out.push_str(level.node);
            out.push_str(">:\n    ");
            if let Some(inner) = level.rest.strip_prefix("error calling include: ") {
                out.push_str("error calling include:\n");
                cur = inner;
                continue;
            }
            if level.rest.starts_with("error calling ") {
                return None;
            }
            out.push_str(level.rest);
            out.push('\n');
            break;
        } else if cur.starts_with("template: ") {
            out.push_str(cur);
            out.push('\n');
            break;
        } else {
            return None;
        }
    }
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_shape() {
        assert_eq!(
            cleanup_parse_error(
                "c/templates/t.yaml",
                "template: c/templates/t.yaml:1: unclosed action"
            ),
            "parse error at (c/templates/t.yaml:1): unclosed action"
        );
    }

    #[test]
    fn fail_message_is_extracted() {
        let m = "template: c/templates/t.yaml:1:6: executing \"c/templates/t.yaml\" at <include \"x\" .>: error calling include: template: c/templates/_h.tpl:1:19: executing \"x\" at <fail \"boom\">: error calling fail: HELM_ERR_STARTboom\nlineHELM_ERR_END";
        assert_eq!(
            cleanup_exec_error("c/templates/t.yaml", m, true),
            "execution error at (c/templates/t.yaml:1:6): boom\nline"
        );
    }

    #[test]
    fn include_chain_is_reformatted() {
        let m = "template: e/templates/t.yaml:1:6: executing \"e/templates/t.yaml\" at <include \"x\" .>: error calling include: template: e/templates/_h.tpl:1:19: executing \"x\" at <include \"y\" .>: error calling include: template: no template \"y\" associated with template \"gotpl\"";
        assert_eq!(
            cleanup_exec_error("e/templates/t.yaml", m, true),
            "e/templates/t.yaml:1:6\n  executing \"e/templates/t.yaml\" at <include \"x\" .>:\n    error calling include:\ne/templates/_h.tpl:1:19\n  executing \"x\" at <include \"y\" .>:\n    error calling include:\ntemplate: no template \"y\" associated with template \"gotpl\""
        );
    }

    #[test]
    fn other_function_errors_stay_raw() {
        let m = "template: e/templates/t.yaml:1:6: executing \"e/templates/t.yaml\" at <include \"x\" .>: error calling include: template: e/templates/_h.tpl:1:19: executing \"x\" at <index .Values.l 5>: error calling index: index out of range: 5";
        assert_eq!(cleanup_exec_error("e/templates/t.yaml", m, true), m);
    }

    #[test]
    fn plain_exec_error() {
        let m = "template: e/templates/t.yaml:1:13: executing \"e/templates/t.yaml\" at <.Values.a.b.c>: nil pointer evaluating interface {}.b";
        assert_eq!(
            cleanup_exec_error("e/templates/t.yaml", m, true),
            "e/templates/t.yaml:1:13\n  executing \"e/templates/t.yaml\" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.b"
        );
    }
}
