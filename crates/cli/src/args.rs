//! `helm template`'s command line as cobra/pflag parse it: flags anywhere, `--flag=value`,
//! `--flag value`, `-f value`, `-fvalue`, bool flags with optional `=value`, `--` to stop,
//! and pflag's error texts.

use chartroom_render::{ChartSource, RenderRequest, Seed, ValueSource};

#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Bool,
    /// Takes a value; the optional default when given without one (`--dry-run`, `--wait`).
    Value(Option<&'static str>),
}

/// What chartroom does with a flag Helm accepts.
#[derive(Clone, Copy, PartialEq)]
pub enum Use {
    /// Changes the output as it does in Helm.
    Honoured,
    /// Accepted (and its value checked where Helm checks it) but without effect: repository,
    /// cluster and install flags that do not change `helm template`'s output for a local chart.
    Ignored,
    /// Changes Helm's output in a way chartroom cannot reproduce: an error, with this reason.
    Refused(&'static str),
}

pub struct FlagDef {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: Kind,
    /// pflag's value type name shown in help (`string`, `stringArray`...; empty for bools).
    pub type_name: &'static str,
    /// One line for `--help`.
    pub help: &'static str,
    pub usage: Use,
    /// A global (root) flag, as opposed to one of `helm template`'s own.
    pub global: bool,
    /// A chartroom flag of some commands only (`diff`, `lint`), not one of Helm's; empty for
    /// `helm template`'s flags, which every rendering command takes.
    pub only: &'static [&'static str],
}

const fn flag(
    long: &'static str,
    short: Option<char>,
    kind: Kind,
    type_name: &'static str,
    usage: Use,
    help: &'static str,
) -> FlagDef {
    FlagDef {
        long,
        short,
        kind,
        type_name,
        help,
        usage,
        global: false,
        only: &[],
    }
}
const fn b(long: &'static str, short: Option<char>, usage: Use, help: &'static str) -> FlagDef {
    flag(long, short, Kind::Bool, "", usage, help)
}
const fn v(
    long: &'static str,
    short: Option<char>,
    type_name: &'static str,
    usage: Use,
    help: &'static str,
) -> FlagDef {
    flag(long, short, Kind::Value(None), type_name, usage, help)
}
const fn global(f: FlagDef) -> FlagDef {
    FlagDef { global: true, ..f }
}
/// A flag of `chartroom diff` only.
const fn diff_only(f: FlagDef) -> FlagDef {
    FlagDef {
        only: &["diff"],
        ..f
    }
}
/// A flag of `chartroom lint` only.
const fn lint_only(f: FlagDef) -> FlagDef {
    FlagDef {
        only: &["lint"],
        ..f
    }
}

use Use::{Honoured as H, Ignored as I};

const NO_PLUGINS: &str =
    "chartroom runs no Helm plugins; pipe its output through the post-renderer instead";

/// Every flag `helm template` accepts (its own, install's and the global ones), chartroom's
/// `--seed`, and the flags of `chartroom diff`.
pub const FLAGS: &[FlagDef] = &[
    diff_only(v("context", None, "int", H, "lines of context around each change in the text diff (default 3)")),
    diff_only(b("ignore-chart-labels", None, H, "leave out helm.sh/chart and app.kubernetes.io/version label changes")),
    diff_only(v("ignore", None, "stringArray", H, "leave out this JSON pointer (* for any key or index; repeatable)")),
    diff_only(v("old-chart", None, "string", H, "render the old side from this chart (a chart change)")),
    FlagDef { only: &["diff", "lint"], ..v("output", Some('o'), "string", H, "diff: text, markdown (for a pull-request comment) or json; lint: text, json or sarif (SARIF 2.1.0 for code scanning) (default text)") },
    lint_only(b("manifests", None, H, "lint the YAML files given as arguments (- for stdin) instead of rendering a chart")),
    lint_only(b("strict", None, H, "strict schemas: unknown fields are errors (and duplicate keys)")),
    diff_only(b("show-secrets", None, H, "show Secret values instead of their sizes")),
    v("api-versions", Some('a'), "strings", H, "Kubernetes API versions for .Capabilities.APIVersions (repeat or comma-separate)"),
    v("ca-file", None, "string", I, "repository TLS: CA bundle (read and checked for PEM certificates, as Helm does)"),
    v("cert-file", None, "string", I, "repository TLS: client certificate (with --key-file: read and checked for PEM data)"),
    b("create-namespace", None, I, "install: create the release namespace"),
    b("dependency-update", None, I, "install: fetch missing dependencies (chartroom fetches nothing: missing ones are an error)"),
    v("description", None, "string", I, "install: release description"),
    b("devel", None, I, "repository: allow development versions"),
    b("disable-openapi-validation", None, I, "cluster: skip OpenAPI validation"),
    flag("dry-run", None, Kind::Value(Some("unset")), "string[=\"unset\"]", H, "\"client\" (the default) renders locally; \"server\" needs a cluster and fails as Helm does without one"),
    b("enable-dns", None, Use::Refused("chartroom performs no DNS lookups, so getHostByName cannot return what Helm's would"), "let getHostByName do DNS lookups (not supported: an error)"),
    b("force-conflicts", None, I, "cluster: force server-side apply conflicts"),
    b("force-replace", None, I, "cluster: replace resources on update"),
    b("generate-name", Some('g'), H, "generate the release name (and omit NAME)"),
    b("help", Some('h'), H, "help for template"),
    b("include-crds", None, H, "include the chart's crds/ files in the output"),
    b("insecure-skip-tls-verify", None, I, "repository TLS: skip certificate checks"),
    b("is-upgrade", None, H, "set .Release.IsUpgrade instead of .Release.IsInstall"),
    v("key-file", None, "string", I, "repository TLS: client key (with --cert-file: read and checked for PEM data)"),
    v("keyring", None, "string", I, "keys for --verify"),
    v("kube-version", None, "string", H, "Kubernetes version for .Capabilities.KubeVersion"),
    v("labels", Some('l'), "stringToString", H, "release labels, key1=val1,key2=val2 (checked; not part of the output)"),
    v("limit", None, "stringArray", H, "chartroom: a limit, NAME=VALUE (repeatable; the names are listed under Limits below; docs/notes/limits.md)"),
    v("name-template", None, "string", H, "template that names the release"),
    b("no-hooks", None, H, "leave hooks out of the output"),
    v("output-dir", None, "string", H, "write each rendered template to a file under this folder instead of stdout"),
    b("pass-credentials", None, I, "repository: pass credentials to all domains"),
    v("password", None, "string", I, "repository password"),
    b("plain-http", None, I, "repository: plain HTTP"),
    v("post-renderer", None, "postRendererString", Use::Refused(NO_PLUGINS), "post-renderer plugin (not supported: an error)"),
    v("post-renderer-args", None, "postRendererArgsSlice", Use::Refused(NO_PLUGINS), "post-renderer arguments (not supported: an error)"),
    b("release-name", None, H, "use the release name in the --output-dir path"),
    b("replace", None, I, "install: reuse a deleted release's name"),
    v("repo", None, "string", Use::Refused("chartroom renders local charts only and fetches nothing from chart repositories"), "chart repository URL (not supported: an error)"),
    b("rollback-on-failure", None, I, "install: roll back on failure"),
    b("server-side", None, I, "cluster: server-side apply"),
    v("seed", None, "uint", H, "chartroom: fix the seed of random functions (reproducible output, not secret)"),
    b("explain", None, H, "chartroom: on an error, also print the rendered lines around it, each with the template line that wrote it"),
    v("set", None, "stringArray", H, "set values: key1=val1,key2=val2 (repeatable)"),
    v("set-file", None, "stringArray", H, "set values from files: key1=path1,key2=path2 (repeatable)"),
    v("set-json", None, "stringArray", H, "set JSON values: key1=jsonval1,key2=jsonval2 (repeatable)"),
    v("set-literal", None, "stringArray", H, "set one literal string value: key=value (repeatable)"),
    v("set-string", None, "stringArray", H, "set string values: key1=val1,key2=val2 (repeatable)"),
    v("show-only", Some('s'), "stringArray", H, "only show manifests rendered from these templates (repeatable)"),
    b("skip-crds", None, I, "install: do not install CRDs (--include-crds decides the output)"),
    b("skip-schema-validation", None, H, "do not check values against values.schema.json"),
    b("skip-tests", None, H, "leave test hooks out of the output"),
    b("take-ownership", None, I, "install: take ownership of existing resources"),
    v("timeout", None, "duration", I, "cluster: operation timeout (checked as a Go duration)"),
    v("username", None, "string", I, "repository username"),
    v("values", Some('f'), "strings", H, "values YAML files (repeat or comma-separate)"),
    b("verify", None, Use::Refused("chartroom does not check chart signatures"), "verify the chart's signature (not supported: an error)"),
    v("version", None, "string", I, "repository: chart version constraint (a local chart is used as it is)"),
    flag("wait", None, Kind::Value(Some("watcher")), "WaitStrategy[=watcher]", I, "cluster: wait for resources"),
    b("wait-for-jobs", None, I, "cluster: wait for jobs"),
    b("validate", None, H, "validate against a cluster: needs one, so fails as Helm does without one"),
    // global flags
    global(v("burst-limit", None, "int", I, "cluster: client-side throttling limit")),
    global(v("color", None, "string", I, "colored output (never, auto, always)")),
    global(v("colour", None, "string", I, "colored output (never, auto, always)")),
    global(v("content-cache", None, "string", I, "repository: content cache folder")),
    global(b("debug", None, H, "on an error, print it without the --debug hint (default $HELM_DEBUG)")),
    global(v("kube-apiserver", None, "string", I, "cluster: API server address")),
    global(v("kube-as-group", None, "stringArray", I, "cluster: group to impersonate")),
    global(v("kube-as-user", None, "string", I, "cluster: user to impersonate")),
    global(v("kube-ca-file", None, "string", I, "cluster: API server CA file")),
    global(v("kube-context", None, "string", H, "kubeconfig context whose namespace is the default for --namespace (default $HELM_KUBECONTEXT)")),
    global(b("kube-insecure-skip-tls-verify", None, I, "cluster: skip API server certificate checks")),
    global(v("kube-tls-server-name", None, "string", I, "cluster: API server TLS name")),
    global(v("kube-token", None, "string", I, "cluster: bearer token")),
    global(v("kubeconfig", None, "string", H, "kubeconfig file (default $KUBECONFIG, else ~/.kube/config): only its context namespace is used")),
    global(v("namespace", Some('n'), "string", H, "namespace for .Release.Namespace (default: $HELM_NAMESPACE, else the kubeconfig context's)")),
    global(v("qps", None, "float32", I, "cluster: queries per second")),
    global(v("registry-config", None, "string", I, "repository: registry config file")),
    global(v("repository-cache", None, "string", I, "repository: index cache folder")),
    global(v("repository-config", None, "string", I, "repository: repositories file")),
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

/// Which flags a command accepts.
pub type FlagFilter = fn(&FlagDef) -> bool;

/// `helm template`'s flags (and chartroom's `--seed`).
pub fn template_flags(f: &FlagDef) -> bool {
    f.only.is_empty()
}

/// `chartroom diff`'s flags: the template flags, applied to both sides, and its own.
pub fn diff_flags(f: &FlagDef) -> bool {
    f.only.is_empty() || f.only.contains(&"diff")
}

/// `chartroom lint`'s flags: the template flags (for the render it lints) and its own.
pub fn lint_flags(f: &FlagDef) -> bool {
    f.only.is_empty() || f.only.contains(&"lint")
}

/// The flags of commands other than `template`: `--help` and the global ones.
pub fn plain_command_flags(f: &FlagDef) -> bool {
    f.global || f.long == "help"
}

fn find_long(name: &str, accept: FlagFilter) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.long == name && accept(f))
}

fn find_short(c: char, accept: FlagFilter) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.short == Some(c) && accept(f))
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

/// pflag's parse of `args` (after the subcommand) for `helm template`.
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    parse_with(args, template_flags)
}

/// pflag's parse of `args` accepting the flags `accept` selects.
pub fn parse_with(args: &[String], accept: FlagFilter) -> Result<Parsed, String> {
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
            let f = find_long(name, accept).ok_or_else(|| format!("unknown flag: --{name}"))?;
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
                let f = find_short(c, accept)
                    .ok_or_else(|| format!("unknown shorthand flag: '{c}' in {a}"))?;
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

/// Helm's debug mode: the last `--debug` given, else `$HELM_DEBUG` read as a Go bool (false
/// when unset or not a bool).
pub fn debug(p: &Parsed) -> bool {
    match p.flags.iter().rev().find(|(n, _)| *n == "debug") {
        Some((_, v)) => is_true(v),
        None => std::env::var("HELM_DEBUG")
            .ok()
            .and_then(|v| parse_bool(&v))
            .unwrap_or(false),
    }
}

/// Where the command is in a command line that may start with global flags (cobra finds it
/// the same way: skipping flags, and the value of a flag that takes one).
pub fn command_position(argv: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        if a == "--" {
            return (i + 1 < argv.len()).then_some(i + 1);
        }
        let takes_value = if let Some(body) = a.strip_prefix("--") {
            !body.contains('=')
                && find_long(body, plain_command_flags).is_some_and(|f| f.kind == Kind::Value(None))
        } else if let Some(body) = a.strip_prefix('-').filter(|b| !b.is_empty()) {
            // -n value (a lone short flag that takes a value, written apart from it)
            let mut chars = body.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => {
                    find_short(c, plain_command_flags).is_some_and(|f| f.kind == Kind::Value(None))
                }
                _ => false,
            }
        } else {
            return Some(i);
        };
        i += if takes_value { 2 } else { 1 };
    }
    None
}

/// The error for a flag that changes Helm's output in a way chartroom cannot reproduce.
fn refused(p: &Parsed) -> Result<(), String> {
    for (name, _) in &p.flags {
        if let Some(Use::Refused(why)) = FLAGS.iter().find(|f| f.long == *name).map(|f| f.usage) {
            return Err(format!("--{name} is not supported: {why}"));
        }
    }
    Ok(())
}

/// The last value given for a value flag (pflag keeps the last of a plain string flag).
/// The value of the last `--name` given, if any.
pub fn flag_value<'a>(p: &'a Parsed, name: &str) -> Option<&'a str> {
    p.flags
        .iter()
        .rev()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

fn last_value<'a>(p: &'a Parsed, name: &str) -> &'a str {
    flag_value(p, name).unwrap_or("")
}

/// Whether a bool flag was given as true.
pub fn flag_is_set(p: &Parsed, name: &str) -> bool {
    p.flags.iter().any(|(n, v)| *n == name && is_true(v))
}

fn read_tls_file(path: &str) -> Result<String, String> {
    if std::path::Path::new(path).is_dir() {
        return Err(format!("read {path}: is a directory"));
    }
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|e| chartroom_render::load::go_io_error("open", path, &e))
}

/// Helm builds its registry client's TLS settings from `--cert-file`/`--key-file` (used only
/// when both are given) and `--ca-file` even for a local chart, so an unreadable file, or one
/// without PEM data, fails the command. These are Helm's checks and texts, in its order: first
/// every file is read (read failures joined by newlines), then, only if all were read, the key
/// pair and the CA bundle are checked. chartroom parses no certificate: a PEM block that Go
/// cannot parse, or a key that does not match its certificate, is accepted where Helm fails.
pub fn check_tls_files(p: &Parsed) -> Result<(), String> {
    let fail = |e: String| {
        Err(format!(
            "missing registry client: can't create TLS config for client: {e}"
        ))
    };
    let mut read_errors = Vec::new();
    let (cert, key) = (last_value(p, "cert-file"), last_value(p, "key-file"));
    let mut pair = None;
    if !cert.is_empty() && !key.is_empty() {
        match read_tls_file(cert) {
            Err(e) => read_errors.push(format!("unable to read cert file: {cert:?}: {e}")),
            Ok(c) => match read_tls_file(key) {
                Err(e) => read_errors.push(format!("unable to read key file: {key:?}: {e}")),
                Ok(k) => pair = Some((c, k)),
            },
        }
    }
    let ca = last_value(p, "ca-file");
    let mut bundle = None;
    if !ca.is_empty() {
        match read_tls_file(ca) {
            Err(e) => read_errors.push(format!("can't read CA file: {ca:?}: {e}")),
            Ok(text) => bundle = Some(text),
        }
    }
    if !read_errors.is_empty() {
        return fail(read_errors.join("\n"));
    }
    if let Some((c, k)) = pair {
        for (text, input) in [(c, "certificate"), (k, "key")] {
            if !text.contains("-----BEGIN ") {
                return fail(format!(
                    "unable to load cert from key pair: tls: failed to find any PEM data in {input} input"
                ));
            }
        }
    }
    if bundle.is_some_and(|b| !b.contains("-----BEGIN CERTIFICATE-----")) {
        return fail("failed to append certificates from pem block".into());
    }
    Ok(())
}

/// `key` of a YAML mapping.
fn yaml_get(v: &chartroom_template::Value, key: &str) -> Option<chartroom_template::Value> {
    match v {
        chartroom_template::Value::Map(m, _) => m.borrow().get(key).cloned(),
        _ => None,
    }
}

fn yaml_str(v: &chartroom_template::Value, key: &str) -> String {
    yaml_get(v, key)
        .and_then(|s| s.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The release namespace when `--namespace` is not given (or empty), found as Helm finds it:
/// `$HELM_NAMESPACE`, else the namespace of the kubeconfig context (`--kube-context`, else
/// `$HELM_KUBECONTEXT`, else the file's `current-context`). The kubeconfig is `--kubeconfig`,
/// else the files listed in `$KUBECONFIG` (the first to set a name wins), else
/// `~/.kube/config`. Any file that cannot be read or parsed, or a context that does not exist,
/// leaves Helm's default (`None`: "default"), as Helm swallows those errors in `helm template`.
pub fn default_namespace(p: &Parsed) -> Option<String> {
    if let Some(ns) = std::env::var("HELM_NAMESPACE")
        .ok()
        .filter(|n| !n.is_empty())
    {
        return Some(ns);
    }
    let explicit = last_value(p, "kubeconfig");
    let (files, all_required): (Vec<std::path::PathBuf>, bool) = if !explicit.is_empty() {
        (vec![explicit.into()], true)
    } else if let Some(list) = std::env::var_os("KUBECONFIG").filter(|l| !l.is_empty()) {
        (std::env::split_paths(&list).collect(), false)
    } else {
        let home = std::env::var_os("HOME")?;
        (
            vec![std::path::Path::new(&home).join(".kube/config")],
            false,
        )
    };
    let mut docs = Vec::new();
    for f in files {
        match std::fs::read_to_string(&f) {
            Ok(text) => docs.push(chartroom_yaml::from_yaml(&text).ok()?),
            Err(_) if all_required => return None,
            Err(_) => {}
        }
    }
    let mut context = last_value(p, "kube-context").to_string();
    if context.is_empty() {
        context = std::env::var("HELM_KUBECONTEXT").unwrap_or_default();
    }
    if context.is_empty() {
        context = docs
            .iter()
            .map(|d| yaml_str(d, "current-context"))
            .find(|c| !c.is_empty())?;
    }
    let entry = docs.iter().find_map(|d| match yaml_get(d, "contexts") {
        Some(chartroom_template::Value::List(items, _)) => items
            .iter()
            .find(|c| yaml_str(c, "name") == context)
            .cloned(),
        _ => None,
    })?;
    let ns = yaml_str(&yaml_get(&entry, "context")?, "namespace");
    (!ns.is_empty()).then_some(ns)
}

/// Helm's root command checks the color mode before the command runs; a bad one fails the
/// command with only a log line (`level=WARN msg="command failed" error=...`), no `Error:`.
pub fn check_color(p: &Parsed) -> Result<(), String> {
    for flag in ["color", "colour"] {
        let mode = last_value(p, flag);
        if !mode.is_empty() && !matches!(mode, "never" | "auto" | "always") {
            return Err(format!(
                "invalid color mode {mode:?}: must be one of: never, auto, always"
            ));
        }
    }
    Ok(())
}

/// Builds the render request from `helm template`'s parsed command line.
pub fn template_request(p: &Parsed) -> Result<RenderRequest, String> {
    refused(p)?;
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
            "explain" => req.provenance = is_true(value),
            "limit" => req.limits.set_assignment(value)?,
            "seed" => {
                let n = value.parse::<u64>().map_err(|_| {
                    format!(
                        "invalid argument {value:?} for \"--seed\" flag: strconv.ParseUint: parsing {value:?}: invalid syntax"
                    )
                })?;
                req.seed = Some(Seed::Number(n));
            }
            "output-dir" => req.output_dir = Some(value.clone()),
            "release-name" => req.use_release_name = is_true(value),
            "generate-name" => req.generate_name = is_true(value),
            "name-template" => req.name_template = Some(value.clone()),
            "dry-run" => req.dry_run = Some(value.clone()),
            "validate" => req.validate = is_true(value),
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
    if req.namespace.as_deref().unwrap_or("").is_empty() {
        if let Some(ns) = default_namespace(p) {
            req.namespace = Some(ns);
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
    req.debug = debug(p);
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
        // Helm's color modes.
        let p = parse(&s(&["a", "b", "--color", "bogus"])).unwrap();
        assert_eq!(
            check_color(&p).err().unwrap(),
            "invalid color mode \"bogus\": must be one of: never, auto, always"
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
