//! `helm template`'s command line as cobra/pflag parse it: flags anywhere, `--flag=value`,
//! `--flag value`, `-f value`, `-fvalue`, bool flags with optional `=value`, `--` to stop,
//! and pflag's error texts.

use chartroom_render::{ChartSource, RenderRequest, ValueSource};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bool,
    /// Takes a value; the optional default when given without one (`--dry-run`, `--wait`).
    Value(Option<&'static str>),
}

struct FlagDef {
    long: &'static str,
    short: Option<char>,
    kind: Kind,
}

const fn b(long: &'static str, short: Option<char>) -> FlagDef {
    FlagDef {
        long,
        short,
        kind: Kind::Bool,
    }
}
const fn v(long: &'static str, short: Option<char>) -> FlagDef {
    FlagDef {
        long,
        short,
        kind: Kind::Value(None),
    }
}

/// Every flag `helm template` accepts (its own, install's and the global ones).
const FLAGS: &[FlagDef] = &[
    v("api-versions", Some('a')),
    v("ca-file", None),
    v("cert-file", None),
    b("create-namespace", None),
    b("dependency-update", None),
    v("description", None),
    b("devel", None),
    b("disable-openapi-validation", None),
    FlagDef {
        long: "dry-run",
        short: None,
        kind: Kind::Value(Some("unset")),
    },
    b("enable-dns", None),
    b("force-conflicts", None),
    b("force-replace", None),
    b("generate-name", Some('g')),
    b("help", Some('h')),
    b("include-crds", None),
    b("insecure-skip-tls-verify", None),
    b("is-upgrade", None),
    v("key-file", None),
    v("keyring", None),
    v("kube-version", None),
    v("labels", Some('l')),
    v("name-template", None),
    b("no-hooks", None),
    v("output-dir", None),
    b("pass-credentials", None),
    v("password", None),
    b("plain-http", None),
    v("post-renderer", None),
    v("post-renderer-args", None),
    b("release-name", None),
    b("replace", None),
    v("repo", None),
    b("rollback-on-failure", None),
    b("server-side", None),
    v("set", None),
    v("set-file", None),
    v("set-json", None),
    v("set-literal", None),
    v("set-string", None),
    v("show-only", Some('s')),
    b("skip-crds", None),
    b("skip-schema-validation", None),
    b("skip-tests", None),
    b("take-ownership", None),
    v("timeout", None),
    v("username", None),
    v("values", Some('f')),
    b("verify", None),
    v("version", None),
    FlagDef {
        long: "wait",
        short: None,
        kind: Kind::Value(Some("watcher")),
    },
    b("wait-for-jobs", None),
    b("validate", None),
    // global flags
    v("burst-limit", None),
    v("color", None),
    v("colour", None),
    v("content-cache", None),
    b("debug", None),
    v("kube-apiserver", None),
    v("kube-as-group", None),
    v("kube-as-user", None),
    v("kube-ca-file", None),
    v("kube-context", None),
    b("kube-insecure-skip-tls-verify", None),
    v("kube-tls-server-name", None),
    v("kube-token", None),
    v("kubeconfig", None),
    v("namespace", Some('n')),
    v("qps", None),
    v("registry-config", None),
    v("repository-cache", None),
    v("repository-config", None),
];

/// strconv.ParseBool
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A parsed command line: flags in order, then positional arguments.
pub struct Parsed {
    pub flags: Vec<(&'static str, String)>,
    pub args: Vec<String>,
}

fn find_long(name: &str) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.long == name)
}

fn find_short(c: char) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.short == Some(c))
}

fn flag_display(f: &FlagDef) -> String {
    match f.short {
        Some(s) => format!("-{s}, --{}", f.long),
        None => format!("--{}", f.long),
    }
}

fn set_flag(out: &mut Parsed, f: &'static FlagDef, value: String) -> Result<(), String> {
    if f.kind == Kind::Bool && parse_bool(&value).is_none() {
        return Err(format!(
            "invalid argument {:?} for {:?} flag: strconv.ParseBool: parsing {:?}: invalid syntax",
            value,
            flag_display(f),
            value
        ));
    }
    out.flags.push((f.long, value));
    Ok(())
}

/// pflag's parse of `args` (after the subcommand).
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut out = Parsed {
        flags: Vec::new(),
        args: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let f = find_long(name).ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = match (inline, f.kind) {
                (Some(v), _) => v,
                (None, Kind::Bool) => "true".into(),
                (None, Kind::Value(Some(def))) => def.into(),
                (None, Kind::Value(None)) => {
                    if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!("flag needs an argument: --{name}"));
                    }
                }
            };
            set_flag(&mut out, f, value)?;
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let f =
                    find_short(c).ok_or_else(|| format!("unknown shorthand flag: '{c}' in {a}"))?;
                j += 1;
                match f.kind {
                    Kind::Bool => {
                        if chars.get(j) == Some(&'=') {
                            let v: String = chars[j + 1..].iter().collect();
                            set_flag(&mut out, f, v)?;
                            break;
                        }
                        set_flag(&mut out, f, "true".into())?;
                    }
                    Kind::Value(_) => {
                        let rest: String = chars[j..].iter().collect();
                        let value = if let Some(v) = rest.strip_prefix('=') {
                            v.to_string()
                        } else if !rest.is_empty() {
                            rest
                        } else if i < args.len() {
                            i += 1;
                            args[i - 1].clone()
                        } else {
                            return Err(format!("flag needs an argument: '{c}' in -{c}"));
                        };
                        set_flag(&mut out, f, value)?;
                        break;
                    }
                }
            }
        } else {
            out.args.push(a.clone());
        }
    }
    Ok(out)
}

/// pflag's `StringSlice`: each occurrence is a CSV record.
fn csv_split(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = s.chars().peekable();
    let mut field_start = true;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && field_start {
            in_quotes = true;
            field_start = false;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
            field_start = true;
        } else {
            cur.push(c);
            field_start = false;
        }
    }
    out.push(cur);
    out
}

/// Validates like Go's `time.ParseDuration` (the value itself is unused).
fn parse_go_duration(s: &str) -> Result<(), String> {
    let quoted = format!("{s:?}");
    let mut rest = s.strip_prefix(['-', '+']).unwrap_or(s);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(format!("time: invalid duration {quoted}"));
    }
    while !rest.is_empty() {
        // digits, then an optional '.' and more digits
        let b = rest.as_bytes();
        let mut num_end = 0;
        while num_end < b.len() && b[num_end].is_ascii_digit() {
            num_end += 1;
        }
        let int_digits = num_end;
        if num_end < b.len() && b[num_end] == b'.' {
            num_end += 1;
            while num_end < b.len() && b[num_end].is_ascii_digit() {
                num_end += 1;
            }
        }
        let num = &rest[..num_end];
        if int_digits == 0 && num.len() <= 1 {
            return Err(format!("time: invalid duration {quoted}"));
        }
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration {quoted}"));
        }
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return Err(format!("time: unknown unit {unit:?} in duration {quoted}"));
        }
        rest = &rest[unit_end..];
    }
    Ok(())
}

pub fn is_true(v: &str) -> bool {
    parse_bool(v).unwrap_or(false)
}

/// Builds the render request from `helm template`'s parsed command line.
pub fn template_request(p: &Parsed) -> Result<RenderRequest, String> {
    let mut req = RenderRequest::new(ChartSource::Path(String::new()));
    for (name, value) in &p.flags {
        match *name {
            "api-versions" => req.api_versions.extend(csv_split(value)),
            "values" => req
                .values
                .extend(csv_split(value).into_iter().map(ValueSource::File)),
            "set" => req.values.push(ValueSource::Set(value.clone())),
            "set-string" => req.values.push(ValueSource::SetString(value.clone())),
            "set-json" => req.values.push(ValueSource::SetJson(value.clone())),
            "set-literal" => req.values.push(ValueSource::SetLiteral(value.clone())),
            "set-file" => req.values.push(ValueSource::SetFile(value.clone())),
            "namespace" => req.namespace = Some(value.clone()),
            "kube-version" => req.kube_version = Some(value.clone()),
            "is-upgrade" => req.is_upgrade = is_true(value),
            "include-crds" => req.include_crds = is_true(value),
            "skip-tests" => req.skip_tests = is_true(value),
            "no-hooks" => req.no_hooks = is_true(value),
            "skip-schema-validation" => req.skip_schema_validation = is_true(value),
            "show-only" => req.show_only.push(value.clone()),
            "output-dir" => req.output_dir = Some(value.clone()),
            "release-name" => req.use_release_name = is_true(value),
            "generate-name" => req.generate_name = is_true(value),
            "name-template" => req.name_template = Some(value.clone()),
            "dry-run" => req.dry_run = Some(value.clone()),
            "validate" => req.validate = is_true(value),
            "debug" => req.debug = is_true(value),
            "labels" => {
                // pflag's stringToString: one `=` means a single pair (commas kept in the
                // value); several are read as a CSV record.
                let pairs = match value.matches('=').count() {
                    0 => {
                        return Err(format!(
                            "invalid argument {value:?} for \"-l, --labels\" flag: {value} must be formatted as key=value"
                        ))
                    }
                    1 => vec![value.trim_matches('"').to_string()],
                    _ => csv_split(value),
                };
                for kv in pairs {
                    match kv.split_once('=') {
                        Some((k, v)) => req.labels.push((k.to_string(), v.to_string())),
                        None => {
                            return Err(format!(
                                "invalid argument {value:?} for \"-l, --labels\" flag: {kv} must be formatted as key=value"
                            ))
                        }
                    }
                }
            }
            "timeout" => {
                if let Err(e) = parse_go_duration(value) {
                    return Err(format!(
                        "invalid argument {value:?} for \"--timeout\" flag: {e}"
                    ));
                }
            }
            _ => {}
        }
    }
    match p.args.len() {
        0 => {
            return Err(
                "\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]"
                    .into(),
            )
        }
        1 => req.chart = ChartSource::Path(p.args[0].clone()),
        _ => {
            req.release_name = Some(p.args[0].clone());
            req.chart = ChartSource::Path(p.args[1].clone());
            // Reported by the render, after the kube version and --dry-run checks.
            req.extra_args = p.args[2..].to_vec();
        }
    }
    // cobra's mutually exclusive flag group (checked after the argument count).
    let set = |n: &str| p.flags.iter().any(|(f, _)| *f == n);
    if set("dry-run") && set("validate") {
        return Err("if any flags in the group [validate dry-run] are set none of the others can be; [dry-run validate] were all set".into());
    }
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn pflag_shapes() {
        let p = parse(&s(&[
            "x",
            "--namespace=prod",
            "-nfoo",
            "-f",
            "a.yaml,b.yaml",
            "--include-crds",
            "c",
            "--is-upgrade=false",
        ]))
        .unwrap();
        assert_eq!(p.args, s(&["x", "c"]));
        let r = template_request(&p).unwrap();
        assert_eq!(r.namespace.as_deref(), Some("foo"));
        assert_eq!(r.values.len(), 2);
        assert!(r.include_crds && !r.is_upgrade);
        assert_eq!(parse(&s(&["--x"])).err().unwrap(), "unknown flag: --x");
        assert_eq!(
            parse(&s(&["-z"])).err().unwrap(),
            "unknown shorthand flag: 'z' in -z"
        );
        assert_eq!(
            parse(&s(&["--namespace"])).err().unwrap(),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            parse(&s(&["-n"])).err().unwrap(),
            "flag needs an argument: 'n' in -n"
        );
        assert_eq!(
            parse(&s(&["--is-upgrade=maybe"])).err().unwrap(),
            "invalid argument \"maybe\" for \"--is-upgrade\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"
        );
        // Extra arguments are reported by the render (after --kube-version and --dry-run).
        let p = parse(&s(&["a", "b", "c"])).unwrap();
        assert_eq!(
            template_request(&p).unwrap().extra_args,
            vec!["c".to_string()]
        );
        // cobra's mutually exclusive group, whatever the values.
        let p = parse(&s(&["a", "b", "--validate=false", "--dry-run=client"])).unwrap();
        assert_eq!(
            template_request(&p).err().unwrap(),
            "if any flags in the group [validate dry-run] are set none of the others can be; [dry-run validate] were all set"
        );
        let p = parse(&s(&["a", "b", "--dry-run"])).unwrap();
        assert_eq!(
            template_request(&p).unwrap().dry_run.as_deref(),
            Some("unset")
        );
    }
}
