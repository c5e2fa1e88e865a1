//! `helm template`'s output: CRDs, manifests sorted by kind, hooks, `--show-only`,
//! `--output-dir`, and the semantics of Helm's `renderResources` around them.

use std::collections::BTreeMap;

use crate::glob::filepath_match;
use crate::manifest::{sort_manifests, split_manifests};

/// A file under a chart's `crds/` directory (`Filename` is `<chart path>/crds/<file>`).
#[derive(Debug, Clone)]
pub struct Crd {
    pub filename: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub show_only: Vec<String>,
    pub output_dir: Option<String>,
    pub use_release_name: bool,
    pub release_name: String,
}

/// Where `--output-dir` writes go. The CLI writes to disk; tests and wasm can collect them.
pub trait OutputSink {
    /// Helm's `writeToFile`: create (or append to) `dir/name` with
    /// `---\n# Source: name\ndata\n`. Returns an error text.
    fn write(&mut self, dir: &str, name: &str, data: &str, append: bool) -> Result<(), String>;
    /// Whether `dir/name` already exists (Helm appends hooks to existing files).
    fn exists(&self, dir: &str, name: &str) -> bool;
}

/// Writes to the real file system.
pub struct FsSink;

impl OutputSink for FsSink {
    fn write(&mut self, dir: &str, name: &str, data: &str, append: bool) -> Result<(), String> {
        use std::io::Write;
        let path = format!("{dir}/{name}");
        if let Some(parent) = std::path::Path::new(&path).parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("mkdir {}: {e}", parent.display()))?;
        }
        let mut f = if append {
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(|e| format!("open {path}: {e}"))?
        } else {
            std::fs::File::create(&path).map_err(|e| format!("open {path}: {e}"))?
        };
        write!(f, "---\n# Source: {name}\n{data}\n").map_err(|e| format!("write {path}: {e}"))?;
        Ok(())
    }

    fn exists(&self, dir: &str, name: &str) -> bool {
        std::path::Path::new(&format!("{dir}/{name}")).exists()
    }
}

/// The result of assembling: stdout text, or an error (already carrying Helm's
/// "Use --debug" suffix when Helm adds one).
pub fn assemble(
    rendered: BTreeMap<String, String>,
    root_chart_name: &str,
    crds: &[Crd],
    opts: &OutputOptions,
    sink: &mut dyn OutputSink,
) -> Result<String, String> {
    let mut files = rendered;
    // NOTES.txt files are rendered but never printed by `helm template`.
    files.retain(|k, _| !k.ends_with("NOTES.txt"));
    let _ = root_chart_name;
    let (hooks, manifests) = sort_manifests(&files)
        .map_err(|e| format!("{e}\n\nUse --debug flag to render out invalid YAML"))?;

    let mut stdout = String::new();
    let mut buf = String::new();
    let mut written: BTreeMap<String, bool> = BTreeMap::new();
    let debug_err = |e: String| format!("{e}\n\nUse --debug flag to render out invalid YAML");
    if opts.include_crds {
        for crd in crds {
            let data = String::from_utf8_lossy(&crd.data);
            match &opts.output_dir {
                None => {
                    buf.push_str(&format!("---\n# Source: {}\n{}\n", crd.filename, data));
                }
                Some(dir) => {
                    let append = written.get(&crd.filename).copied().unwrap_or(false);
                    sink.write(dir, &crd.filename, &data, append)
                        .map_err(debug_err)?;
                    stdout.push_str(&format!("wrote {dir}/{}\n", crd.filename));
                    written.insert(crd.filename.clone(), true);
                }
            }
        }
    }
    let release_dir = |dir: &str| {
        if opts.use_release_name {
            format!("{dir}/{}", opts.release_name)
        } else {
            dir.to_string()
        }
    };
    for m in &manifests {
        match &opts.output_dir {
            None => buf.push_str(&format!("---\n# Source: {}\n{}\n", m.name, m.content)),
            Some(dir) => {
                let dir = release_dir(dir);
                let append = written.get(&m.name).copied().unwrap_or(false);
                sink.write(&dir, &m.name, &m.content, append)
                    .map_err(debug_err)?;
                stdout.push_str(&format!("wrote {dir}/{}\n", m.name));
                written.insert(m.name.clone(), true);
            }
        }
    }

    let mut out = String::new();
    out.push_str(buf.trim_matches(|c: char| c.is_whitespace()));
    out.push('\n');
    if !opts.no_hooks {
        let mut hook_written: BTreeMap<String, bool> = BTreeMap::new();
        for h in &hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            match &opts.output_dir {
                None => out.push_str(&format!("---\n# Source: {}\n{}\n", h.path, h.manifest)),
                Some(dir) => {
                    let dir = release_dir(dir);
                    if sink.exists(&dir, &h.path) {
                        hook_written.insert(h.path.clone(), true);
                    }
                    let append = hook_written.get(&h.path).copied().unwrap_or(false);
                    sink.write(&dir, &h.path, &h.manifest, append)?;
                    stdout.push_str(&format!("wrote {dir}/{}\n", h.path));
                }
            }
        }
    }

    if !opts.show_only.is_empty() {
        let docs = split_manifests(&out);
        let mut selected = Vec::new();
        for f in &opts.show_only {
            let f = f.replace('\\', "/");
            let mut missing = true;
            for doc in &docs {
                let Some(name) = source_name(doc) else {
                    continue;
                };
                if !filepath_match(&f, name) {
                    continue;
                }
                selected.push(doc.clone());
                missing = false;
            }
            if missing {
                return Err(format!("could not find template {f} in chart"));
            }
        }
        for m in selected {
            stdout.push_str(&format!("---\n{m}\n"));
        }
        return Ok(stdout);
    }
    stdout.push_str(&out);
    Ok(stdout)
}

/// `# Source: [^/]+/(.+)`: the template path after the chart name.
fn source_name(doc: &str) -> Option<&str> {
    let i = doc.find("# Source: ")?;
    let rest = &doc[i + "# Source: ".len()..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = &rest[..line_end];
    let slash = line.find('/')?;
    if slash == 0 {
        return None;
    }
    let name = &line[slash + 1..];
    if name.is_empty() {
        None
    } else {
        Some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoSink;
    impl OutputSink for NoSink {
        fn write(&mut self, _: &str, _: &str, _: &str, _: bool) -> Result<(), String> {
            Err("no".into())
        }
        fn exists(&self, _: &str, _: &str) -> bool {
            false
        }
    }

    fn sample() -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        m.insert(
            "c/templates/a.yaml".into(),
            "kind: Deployment\nmetadata:\n  name: a\n".into(),
        );
        m.insert(
            "c/templates/b.yaml".into(),
            "kind: ConfigMap\nmetadata:\n  name: b\n".into(),
        );
        m.insert(
            "c/templates/t.yaml".into(),
            "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n".into(),
        );
        m.insert("c/templates/NOTES.txt".into(), "hello".into());
        m
    }

    #[test]
    fn assembles_like_helm() {
        let out = assemble(sample(), "c", &[], &OutputOptions::default(), &mut NoSink).unwrap();
        assert_eq!(
            out,
            "---\n# Source: c/templates/b.yaml\nkind: ConfigMap\nmetadata:\n  name: b\n\n---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: a\n---\n# Source: c/templates/t.yaml\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n\n"
        );
        let opts = OutputOptions {
            skip_tests: true,
            ..Default::default()
        };
        let out = assemble(sample(), "c", &[], &opts, &mut NoSink).unwrap();
        assert!(!out.contains("kind: Pod"));
    }

    #[test]
    fn show_only() {
        let opts = OutputOptions {
            show_only: vec!["templates/a.yaml".into()],
            ..Default::default()
        };
        let out = assemble(sample(), "c", &[], &opts, &mut NoSink).unwrap();
        assert_eq!(
            out,
            "---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: a\n\n"
        );
        let opts = OutputOptions {
            show_only: vec!["templates/zz.yaml".into()],
            ..Default::default()
        };
        assert_eq!(
            assemble(sample(), "c", &[], &opts, &mut NoSink).unwrap_err(),
            "could not find template templates/zz.yaml in chart"
        );
    }
}
