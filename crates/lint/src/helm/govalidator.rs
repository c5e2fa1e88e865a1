//! The URL and e-mail checks Helm's Chart.yaml rules use (asaskevich/govalidator's
//! `IsRequestURL`, `IsURL`, `IsEmail`). `IsRequestURL` follows Go's `url.ParseRequestURI`;
//! `IsURL` and `IsEmail` approximate govalidator's regular expressions (see
//! docs/notes/helm-lint.md).

fn has_ctl(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// Go's `getScheme`: `Ok(Some((scheme, rest)))`, `Ok(None)` without a scheme, `Err` for a
/// leading `:`.
fn scheme(s: &str) -> Result<Option<(&str, &str)>, ()> {
    for (i, c) in s.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err(()),
            b':' => return Ok(Some((&s[..i], &s[i + 1..]))),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

fn valid_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() {
                return false;
            }
            if !(b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

fn host_char_ok(c: u8) -> bool {
    c >= 0x80 || c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"%".contains(&c)
}

/// Go's `parseHost` + `unescape(host, encodeHost)` verdict.
fn valid_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let port = &rest[end + 1..];
        return port.is_empty() || valid_port(port);
    }
    if let Some(i) = host.rfind(':') {
        if !valid_port(&host[i..]) {
            return false;
        }
    }
    valid_escapes(host) && host.bytes().all(host_char_ok)
}

fn valid_port(p: &str) -> bool {
    match p.strip_prefix(':') {
        Some(d) => d.bytes().all(|c| c.is_ascii_digit()),
        None => p.is_empty(),
    }
}

/// govalidator `IsRequestURL`: `url.ParseRequestURI` succeeds and gives a scheme.
pub(crate) fn is_request_url(s: &str) -> bool {
    if s.is_empty() || has_ctl(s) {
        return false;
    }
    let Ok(Some((_scheme, rest))) = scheme(s) else {
        return false;
    };
    let rest = match rest.split_once('?') {
        Some((r, _)) if !(rest.ends_with('?') && rest.matches('?').count() == 1) => r,
        _ => rest.strip_suffix('?').unwrap_or(rest),
    };
    if !rest.starts_with('/') {
        return true; // opaque
    }
    let path = if let Some(after) = rest.strip_prefix("//") {
        let (authority, path) = match after.find('/') {
            Some(i) => (&after[..i], &after[i..]),
            None => (after, ""),
        };
        let host = match authority.rfind('@') {
            Some(i) => &authority[i + 1..],
            None => authority,
        };
        if !valid_host(host) {
            return false;
        }
        path
    } else {
        rest
    };
    valid_escapes(path)
}

fn is_hostname(h: &str) -> bool {
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if h.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    if let Some(v6) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        return v6.parse::<std::net::Ipv6Addr>().is_ok();
    }
    let labels: Vec<&str> = h.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
}

/// govalidator `IsURL` (approximated: pre-checks as govalidator makes them, then an optional
/// `http(s)/ftp/tcp/udp/ws(s)` scheme, optional user info, a host name, IP or `localhost`, an
/// optional port, and a path/query/fragment without white space).
pub(crate) fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().count() >= 2083 || s.len() <= 3 || s.starts_with('.') {
        return false;
    }
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    let mut rest = s;
    if let Some(i) = rest.find("://") {
        let sch = rest[..i].to_ascii_lowercase();
        if !matches!(
            sch.as_str(),
            "http" | "https" | "ftp" | "tcp" | "udp" | "ws" | "wss"
        ) {
            return false;
        }
        rest = &rest[i + 3..];
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut host = &rest[..end];
    if let Some(i) = host.rfind('@') {
        host = &host[i + 1..];
    }
    if !host.ends_with(']') {
        if let Some(i) = host.rfind(':') {
            let port = &host[i + 1..];
            if port.is_empty() || !port.bytes().all(|c| c.is_ascii_digit()) || port.len() > 5 {
                return false;
            }
            host = &host[..i];
        }
    }
    is_hostname(host)
}

/// govalidator `IsEmail` (approximated: a local part of RFC 5322 atom characters and dots,
/// `@`, and a domain of at least two labels).
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && is_hostname(domain)
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_emails() {
        assert!(is_request_url("https://x.io/i.png"));
        assert!(is_request_url("x:foo"));
        assert!(!is_request_url("notaurl"));
        assert!(!is_request_url(""));
        assert!(!is_request_url("/just/a/path"));
        assert!(!is_request_url("http://a b/"));
        assert!(!is_request_url("http://x/%zz"));
        assert!(is_url("https://example.com/a"));
        assert!(is_url("example.com"));
        assert!(!is_url("not a url"));
        assert!(is_email("a@b.co"));
        assert!(!is_email("bad"));
    }
}
