//! go-yaml v2's reader check of the input encoding (libyaml's `yaml_parser_update_buffer`):
//! the error it reports for input that is not UTF-8. The rest of this crate reads `&str`, so
//! callers holding bytes ask here first.

/// Helm's text (`error converting YAML to JSON: yaml: ...`) for the first encoding error in
/// `input`, or `None` when `input` is valid UTF-8.
pub fn utf8_error(input: &[u8]) -> Option<String> {
    first_encoding_error(input).map(|m| format!("error converting YAML to JSON: yaml: {m}"))
}

/// libyaml's message for the first bad sequence, checked in its order: the lead byte, a
/// sequence cut by the end of input, each trailing byte, overlong forms, surrogates and
/// values past U+10FFFF.
fn first_encoding_error(input: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while i < input.len() {
        let lead = input[i];
        let width = match lead {
            _ if lead & 0x80 == 0 => 1,
            _ if lead & 0xe0 == 0xc0 => 2,
            _ if lead & 0xf0 == 0xe0 => 3,
            _ if lead & 0xf8 == 0xf0 => 4,
            _ => return Some("invalid leading UTF-8 octet"),
        };
        if i + width > input.len() {
            return Some("incomplete UTF-8 octet sequence");
        }
        let mut value = match width {
            1 => u32::from(lead & 0x7f),
            2 => u32::from(lead & 0x1f),
            3 => u32::from(lead & 0x0f),
            _ => u32::from(lead & 0x07),
        };
        for &b in &input[i + 1..i + width] {
            if b & 0xc0 != 0x80 {
                return Some("invalid trailing UTF-8 octet");
            }
            value = (value << 6) + u32::from(b & 0x3f);
        }
        let overlong = (width == 2 && value < 0x80)
            || (width == 3 && value < 0x800)
            || (width == 4 && value < 0x10000);
        if overlong {
            return Some("invalid length of a UTF-8 sequence");
        }
        if (0xd800..=0xdfff).contains(&value) || value > 0x10ffff {
            return Some("invalid Unicode character");
        }
        i += width;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::first_encoding_error as err;

    #[test]
    fn libyaml_messages() {
        // Each checked against Helm 4.3.1 (`helm template` of a template printing the bytes)
        // where a template can produce them.
        assert_eq!(err(b"a: \xff\n"), Some("invalid leading UTF-8 octet"));
        assert_eq!(err(b"b: \xc3\n"), Some("invalid trailing UTF-8 octet"));
        assert_eq!(err(b"a: \xc3\x28\n"), Some("invalid trailing UTF-8 octet"));
        assert_eq!(err(b"a: \xed\xa0\x80\n"), Some("invalid Unicode character"));
        assert_eq!(
            err(b"a: \xc0\x80"),
            Some("invalid length of a UTF-8 sequence")
        );
        assert_eq!(err(b"a: \xe2\x82"), Some("incomplete UTF-8 octet sequence"));
        assert_eq!(
            err(b"a: \xf4\x90\x80\x80"),
            Some("invalid Unicode character")
        );
        assert_eq!(err("a: é€😀".as_bytes()), None);
        assert_eq!(
            super::utf8_error(b"\x80").as_deref(),
            Some("error converting YAML to JSON: yaml: invalid leading UTF-8 octet")
        );
    }
}
