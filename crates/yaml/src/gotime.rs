//! The subset of Go's `time.Parse` that go-yaml v2's timestamp resolution uses.

fn getnum(s: &[u8], i: &mut usize, fixed: bool) -> Option<u32> {
    let d0 = *s.get(*i).filter(|c| c.is_ascii_digit())?;
    match s.get(*i + 1).filter(|c| c.is_ascii_digit()) {
        Some(&d1) => {
            *i += 2;
            Some((d0 - b'0') as u32 * 10 + (d1 - b'0') as u32)
        }
        None => {
            if fixed {
                return None;
            }
            *i += 1;
            Some((d0 - b'0') as u32)
        }
    }
}

#[allow(clippy::manual_is_multiple_of)] // is_multiple_of needs Rust 1.87; MSRV is 1.85
fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses `2006-1-2` and returns the index after it, if the date is valid.
fn date(s: &[u8]) -> Option<usize> {
    if s.len() < 4 || !s[..4].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: u32 = std::str::from_utf8(&s[..4]).ok()?.parse().ok()?;
    let mut i = 4;
    if s.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let month = getnum(s, &mut i, false)?;
    if !(1..=12).contains(&month) {
        return None;
    }
    if s.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let day = getnum(s, &mut i, false)?;
    if day < 1 || day > days_in(month, year) {
        return None;
    }
    Some(i)
}

/// `15:4:5.999999999`: returns the index after it.
fn clock(s: &[u8], mut i: usize) -> Option<usize> {
    let h = getnum(s, &mut i, false)?;
    if h >= 24 {
        return None;
    }
    if s.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let m = getnum(s, &mut i, false)?;
    if m >= 60 {
        return None;
    }
    if s.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let sec = getnum(s, &mut i, false)?;
    if sec >= 60 {
        return None;
    }
    if i + 1 < s.len() && (s[i] == b'.' || s[i] == b',') && s[i + 1].is_ascii_digit() {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
    }
    Some(i)
}

/// Whether go-yaml v2 would read `s` as a timestamp.
pub fn parse_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(i) = date(b) else {
        return false;
    };
    if i == b.len() {
        return true;
    }
    match b[i] {
        b'T' | b't' => {
            let Some(mut j) = clock(b, i + 1) else {
                return false;
            };
            // Z07:00
            if b.get(j) == Some(&b'Z') {
                j += 1;
            } else {
                if b.len() < j + 6 {
                    return false;
                }
                let z = &b[j..j + 6];
                if !(z[0] == b'+' || z[0] == b'-')
                    || z[3] != b':'
                    || !z[1].is_ascii_digit()
                    || !z[2].is_ascii_digit()
                    || !z[4].is_ascii_digit()
                    || !z[5].is_ascii_digit()
                {
                    return false;
                }
                let hh = (z[1] - b'0') * 10 + (z[2] - b'0');
                let mm = (z[4] - b'0') * 10 + (z[5] - b'0');
                if hh > 24 || mm > 60 {
                    return false;
                }
                j += 6;
            }
            j == b.len()
        }
        b' ' => matches!(clock(b, i + 1), Some(j) if j == b.len()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_yaml_timestamp as ts;

    #[test]
    fn timestamps() {
        assert!(ts("2024-01-01"));
        assert!(ts("2024-1-1"));
        assert!(ts("2024-02-29"));
        assert!(!ts("2023-02-29"));
        assert!(!ts("2024-13-01"));
        assert!(ts("2001-12-14T21:59:43.10-05:00"));
        assert!(ts("2001-12-14t21:59:43Z"));
        assert!(ts("2001-12-14 21:59:43.10"));
        assert!(!ts("2001-12-14 21:59:43.10 -5"));
        assert!(!ts("2024-01-01x"));
        assert!(!ts("2024-01"));
    }
}
