//! Registration of Sprig's crypto, semver, date, encoding, random and network functions and
//! of Helm's own YAML/JSON/TOML functions (their implementations are this crate's `crypto`,
//! `semver`, `dates`, `encoding`, `rng`, `helm` and `toml` modules).
//!
//! Every function is declared with the Go parameter types of the Go function it mirrors, so
//! the executor converts and checks arguments exactly as Go's `text/template` does. Pure
//! implementations live in the submodules and are public, so they can be tested directly.

use chartroom_template::{ArgType, FuncMap, Function, State, Value};

use crate::{crypto, dates, encoding, go_path, helm, semver, toml};

pub(crate) fn add(
    funcs: &mut FuncMap,
    name: &str,
    params: &[ArgType],
    call: impl Fn(&mut State, &[Value]) -> Result<Value, String> + 'static,
) {
    funcs.insert(name.to_string(), Function::new(params, None, call));
}

/// The string argument `i` (the executor has converted it already).
pub(crate) fn s(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(|v| v.as_str()).unwrap_or("")
}

/// The integer argument `i`.
pub(crate) fn int(args: &[Value], i: usize) -> i64 {
    match args.get(i) {
        Some(Value::Int(n)) | Some(Value::Int64(n)) => *n,
        Some(Value::Float(f)) => *f as i64,
        _ => 0,
    }
}

/// A function of one Go string that works on its bytes.
fn bytes_fn(funcs: &mut FuncMap, name: &str, f: fn(&[u8]) -> Value) {
    add(funcs, name, &[ArgType::String], move |_, a| {
        Ok(f(a.first().and_then(|v| v.as_str_bytes()).unwrap_or(b"")))
    });
}

fn string_fn(funcs: &mut FuncMap, name: &str, f: fn(&str) -> String) {
    add(funcs, name, &[ArgType::String], move |_, a| {
        Ok(Value::string(f(s(a, 0))))
    });
}

/// A random-string function of a length, bounded by the `string-bytes` limit (Go has none).
fn rand_fn(funcs: &mut FuncMap, name: &'static str, make: fn(i64) -> Result<String, String>) {
    add(funcs, name, &[ArgType::Int], move |st, a| {
        let n = int(a, 0);
        crate::sprig::check_string_bytes(&st.options().limits, name, n.max(0) as u64)?;
        make(n).map(Value::string)
    });
}

pub fn register(funcs: &mut FuncMap) {
    use ArgType::*;

    // Encodings and hashes.
    // These read and write a Go string's bytes (binary data passes through unchanged).
    bytes_fn(funcs, "b64enc", |x| {
        Value::string(chartroom_yaml::base64::encode_std(x))
    });
    bytes_fn(funcs, "b64dec", |x| {
        // A string that is not UTF-8 is not base64 either; the lossy text fails the same way.
        match chartroom_yaml::base64::decode_std(&std::string::String::from_utf8_lossy(x)) {
            Ok(b) => Value::String(encoding::go_string(b)),
            Err(e) => Value::string(e),
        }
    });
    bytes_fn(funcs, "b32enc", |x| Value::string(encoding::b32enc(x)));
    bytes_fn(funcs, "b32dec", |x| {
        match encoding::b32decode(&std::string::String::from_utf8_lossy(x)) {
            Ok(b) => Value::String(encoding::go_string(b)),
            Err(e) => Value::string(e),
        }
    });
    bytes_fn(funcs, "sha1sum", |x| Value::string(encoding::sha1sum(x)));
    bytes_fn(funcs, "sha256sum", |x| {
        Value::string(encoding::sha256sum(x))
    });
    bytes_fn(funcs, "sha512sum", |x| {
        Value::string(encoding::sha512sum(x))
    });
    bytes_fn(funcs, "adler32sum", |x| {
        Value::string(encoding::adler32sum(x))
    });
    add(funcs, "bcrypt", &[String], |_, a| {
        encoding::bcrypt(s(a, 0)).map(Value::string)
    });
    add(funcs, "htpasswd", &[String, String], |_, a| {
        encoding::htpasswd(s(a, 0), s(a, 1)).map(Value::string)
    });
    // derivePassword(counter uint32, passwordType, password, user, site string)
    add(
        funcs,
        "derivePassword",
        &[Any, String, String, String, String],
        |_, a| {
            let counter = to_uint32(a.first())?;
            Ok(Value::string(encoding::derive_password(
                counter,
                s(a, 1),
                s(a, 2),
                s(a, 3),
                s(a, 4),
            )))
        },
    );
    add(funcs, "encryptAES", &[String, String], |_, a| {
        encoding::encrypt_aes(s(a, 0), s(a, 1)).map(Value::string)
    });
    add(funcs, "decryptAES", &[String, String], |_, a| {
        encoding::decrypt_aes(s(a, 0), s(a, 1)).map(Value::String)
    });

    // Random values.
    // Random strings, bounded by the `string-bytes` limit (Go has none).
    rand_fn(funcs, "randBytes", encoding::rand_bytes);
    rand_fn(funcs, "randAlphaNum", |n| {
        encoding::rand_string(n, encoding::ALPHANUM.as_bytes())
    });
    rand_fn(funcs, "randAlpha", |n| {
        encoding::rand_string(n, encoding::ALPHA.as_bytes())
    });
    rand_fn(funcs, "randNumeric", |n| {
        encoding::rand_string(n, encoding::NUMERIC.as_bytes())
    });
    rand_fn(funcs, "randAscii", |n| {
        encoding::rand_string(n, &encoding::ascii_alphabet())
    });
    add(funcs, "uuidv4", &[], |_, _| {
        encoding::uuidv4().map(Value::string)
    });

    // Semantic versions.
    add(funcs, "semver", &[String], |_, a| {
        semver::parse_version(s(a, 0)).map(semver::VersionObject::value)
    });
    add(funcs, "semverCompare", &[String, String], |_, a| {
        semver::semver_compare(s(a, 0), s(a, 1)).map(Value::Bool)
    });

    dates::register(funcs);
    crypto::register(funcs);
    register_helm(funcs);

    // Sprig's `fail`: the message is the error. Helm's engine reports it as
    // `execution error at (NAME:LINE:COL): MESSAGE` (the render crate's formatting).
    if !funcs.contains_key("fail") {
        add(funcs, "fail", &[String], |_, a| Err(s(a, 0).to_string()));
    }

    // Network: Helm replaces getHostByName with a stub returning "" unless DNS lookups are
    // enabled (`--enable-dns`), which `helm template` does not do by default.
    add(funcs, "getHostByName", &[String], |_, _| Ok(Value::str("")));

    // path/filepath on a Unix host: the same as the `path` package.
    string_fn(funcs, "osBase", go_path::base);
    string_fn(funcs, "osDir", go_path::dir);
    string_fn(funcs, "osClean", go_path::clean);
    string_fn(funcs, "osExt", go_path::ext);
    add(funcs, "osIsAbs", &[String], |_, a| {
        Ok(Value::Bool(s(a, 0).starts_with('/')))
    });
}

fn register_helm(funcs: &mut FuncMap) {
    use ArgType::*;
    add(funcs, "toYaml", &[Any], |_, a| {
        Ok(Value::string(helm::to_yaml(&a[0])))
    });
    add(funcs, "mustToYaml", &[Any], |_, a| {
        helm::must_to_yaml(&a[0]).map(Value::string)
    });
    add(funcs, "toYamlPretty", &[Any], |_, a| {
        Ok(Value::string(helm::to_yaml_pretty(&a[0])))
    });
    add(funcs, "fromYaml", &[String], |st, a| {
        Ok(helm::from_yaml(
            a[0].as_str_bytes().unwrap_or(b""),
            &st.options().limits,
        ))
    });
    add(funcs, "fromYamlArray", &[String], |st, a| {
        Ok(helm::from_yaml_array(
            a[0].as_str_bytes().unwrap_or(b""),
            &st.options().limits,
        ))
    });
    add(funcs, "toJson", &[Any], |_, a| {
        Ok(Value::string(helm::to_json(&a[0])))
    });
    add(funcs, "mustToJson", &[Any], |_, a| {
        helm::must_to_json(&a[0]).map(Value::string)
    });
    add(funcs, "fromJson", &[String], |_, a| {
        Ok(helm::from_json(s(a, 0)))
    });
    add(funcs, "fromJsonArray", &[String], |_, a| {
        Ok(helm::from_json_array(s(a, 0)))
    });
    add(funcs, "mustFromJson", &[String], |_, a| {
        helm::must_from_json(s(a, 0))
    });
    // toRawJson panics on the error, which text/template reports like a returned error.
    for name in ["toRawJson", "mustToRawJson"] {
        add(funcs, name, &[Any], |_, a| {
            helm::to_raw_json(&a[0]).map(Value::string)
        });
    }
    // toToml returns the encoder's error as its text; a panic inside the encoder (nil) is a
    // template error.
    add(
        funcs,
        "toToml",
        &[Any],
        |_, a| match chartroom_yaml::to_toml(&a[0]) {
            Ok(doc) => Ok(Value::bytes_string(doc)),
            Err(e) if e.message().starts_with("reflect:") => Err(e.to_string()),
            Err(e) => Ok(Value::string(e.to_string())),
        },
    );
    add(funcs, "mustToToml", &[Any], |_, a| {
        chartroom_yaml::to_toml(&a[0])
            .map(Value::bytes_string)
            .map_err(|e| e.to_string())
    });
    add(funcs, "fromToml", &[String], |_, a| {
        Ok(toml::from_toml(s(a, 0)))
    });
    add(funcs, "toPrettyJson", &[Any], |_, a| {
        Ok(Value::string(
            helm::to_pretty_json(&a[0]).unwrap_or_default(),
        ))
    });
    add(funcs, "mustToPrettyJson", &[Any], |_, a| {
        helm::to_pretty_json(&a[0]).map(Value::string)
    });
}

/// Go's conversion of a template argument to a `uint32` parameter.
fn to_uint32(v: Option<&Value>) -> Result<u32, String> {
    match v {
        Some(Value::Int(n)) | Some(Value::Int64(n)) => {
            u32::try_from(*n).map_err(|_| format!("{n} overflows uint32"))
        }
        Some(Value::Float(f)) if f.fract() == 0.0 && *f >= 0.0 && *f <= u32::MAX as f64 => {
            Ok(*f as u32)
        }
        Some(other) => Err(format!(
            "wrong type for value; expected uint32; got {}",
            other.type_name()
        )),
        None => Err("wrong number of args for derivePassword: want 5 got 0".into()),
    }
}
