//! `helm template`'s printer: a [`RenderedRelease`] as Helm prints it — CRDs, manifests in
//! install order, hooks, `--show-only`, `--output-dir` — byte for byte.

use std::collections::BTreeMap;

use crate::glob::filepath_match;
use crate::manifest::{split_manifests, trim_space};
use crate::release::{RenderedRelease, DEBUG_HINT};
use crate::render_error::{ErrorKind, RenderError};
use crate::request::RenderRequest;

/// Where `--output-dir` writes go. The CLI writes to disk; tests and wasm can collect them.
pub trait OutputSink {
    /// Helm's `writeToFile`: create (or append to) `dir/name` with
    /// `---\n# Source: name\ndata\n`. Returns an error text.
    fn write(&mut self, dir: &str, name: &str, data: &[u8], append: bool) -> Result<(), String>;
    /// Whether `dir/name` already exists (Helm appends hooks to existing files).
    fn exists(&self, dir: &str, name: &str) -> bool;
}

/// Writes to the real file system.
pub struct FsSink;

impl OutputSink for FsSink {
    fn write(&mut self, dir: &str, name: &str, data: &[u8], append: bool) -> Result<(), String> {
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
        let mut block = Vec::with_capacity(data.len() + name.len() + 16);
        push_block(&mut block, name, data);
        f.write_all(&block)
            .map_err(|e| format!("write {path}: {e}"))?;
        Ok(())
    }

    fn exists(&self, dir: &str, name: &str) -> bool {
        std::path::Path::new(&format!("{dir}/{name}")).exists()
    }
}

/// `helm template`'s stdout for a rendered release and the request's output flags
/// (`--include-crds`, `--skip-tests`, `--no-hooks`, `--show-only`, `--output-dir`,
/// `--release-name`): bytes, since a `crds/` file is printed as it is. `--output-dir` files go
/// to `sink`.
pub fn print_template(
    release: &RenderedRelease,
    req: &RenderRequest,
    sink: &mut dyn OutputSink,
) -> Result<Vec<u8>, RenderError> {
    print(release, req, sink).map_err(|(kind, message)| RenderError {
        excerpt: None,
        failed_template: None,
        kind,
        message,
        warnings: release.warnings.clone(),
    })
}

/// Appends Helm's `---\n# Source: NAME\nDATA\n` block.
fn push_block(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    out.extend_from_slice(b"---\n# Source: ");
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(data);
    out.push(b'\n');
}

fn print(
    release: &RenderedRelease,
    req: &RenderRequest,
    sink: &mut dyn OutputSink,
) -> Result<Vec<u8>, (ErrorKind, String)> {
    let hint = |e: String| -> (ErrorKind, String) {
        let e = if req.debug {
            e
        } else {
            format!("{e}{DEBUG_HINT}")
        };
        (ErrorKind::Output, e)
    };
    let mut stdout = Vec::new();
    let mut buf = Vec::new();
    let mut written: BTreeMap<&str, bool> = BTreeMap::new();
    if req.include_crds {
        for crd in &release.crds {
            match &req.output_dir {
                None => push_block(&mut buf, &crd.source, &crd.data),
                Some(dir) => {
                    let append = written.get(crd.source.as_str()).copied().unwrap_or(false);
                    sink.write(dir, &crd.source, &crd.data, append)
                        .map_err(hint)?;
                    stdout.extend_from_slice(format!("wrote {dir}/{}\n", crd.source).as_bytes());
                    written.insert(&crd.source, true);
                }
            }
        }
    }
    let release_dir = |dir: &str| {
        if req.use_release_name {
            format!("{dir}/{}", release.name)
        } else {
            dir.to_string()
        }
    };
    for m in &release.manifests {
        match &req.output_dir {
            None => push_block(&mut buf, &m.source, m.text.as_bytes()),
            Some(dir) => {
                let dir = release_dir(dir);
                let append = written.get(m.source.as_str()).copied().unwrap_or(false);
                sink.write(&dir, &m.source, m.text.as_bytes(), append)
                    .map_err(hint)?;
                stdout.extend_from_slice(format!("wrote {dir}/{}\n", m.source).as_bytes());
                written.insert(&m.source, true);
            }
        }
    }

    let mut out = Vec::with_capacity(buf.len() + 1);
    out.extend_from_slice(trim_space(&buf));
    out.push(b'\n');
    if !req.no_hooks {
        let mut hook_written: BTreeMap<&str, bool> = BTreeMap::new();
        for h in &release.hooks {
            let is_test = h
                .hook_events
                .iter()
                .any(|e| e == "test" || e == "test-success");
            if req.skip_tests && is_test {
                continue;
            }
            match &req.output_dir {
                None => push_block(&mut out, &h.source, h.text.as_bytes()),
                Some(dir) => {
                    let dir = release_dir(dir);
                    if sink.exists(&dir, &h.source) {
                        hook_written.insert(&h.source, true);
                    }
                    let append = hook_written
                        .get(h.source.as_str())
                        .copied()
                        .unwrap_or(false);
                    // Helm returns this error without its hint.
                    sink.write(&dir, &h.source, h.text.as_bytes(), append)
                        .map_err(|e| (ErrorKind::Output, e))?;
                    stdout.extend_from_slice(format!("wrote {dir}/{}\n", h.source).as_bytes());
                }
            }
        }
    }

    if !req.show_only.is_empty() {
        let docs = split_manifests(&out);
        let mut selected = Vec::new();
        for f in &req.show_only {
            let f = f.replace('\\', "/");
            let mut missing = true;
            for doc in &docs {
                let Some(name) = source_name(doc) else {
                    continue;
                };
                if !filepath_match(&f, name) {
                    continue;
                }
                selected.push(*doc);
                missing = false;
            }
            if missing {
                return Err((
                    ErrorKind::Manifest,
                    format!("could not find template {f} in chart"),
                ));
            }
        }
        for m in selected {
            stdout.extend_from_slice(b"---\n");
            stdout.extend_from_slice(m);
            stdout.push(b'\n');
        }
        return Ok(stdout);
    }
    stdout.extend_from_slice(&out);
    Ok(stdout)
}

/// `# Source: [^/]+/(.+)`: the template path after the chart name. Go's regexp matches
/// bytes that are not UTF-8 as U+FFFD, so such a name never equals a `--show-only` pattern
/// typed as UTF-8; it is skipped.
fn source_name(doc: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"# Source: ";
    let i = doc.windows(MARK.len()).position(|w| w == MARK)?;
    let rest = &doc[i + MARK.len()..];
    let line_end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
    let line = std::str::from_utf8(&rest[..line_end]).ok()?;
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
    use crate::release::{ManifestHead, RenderedManifest};
    use crate::request::{ChartSource, RenderRequest};

    struct NoSink;
    impl OutputSink for NoSink {
        fn write(&mut self, _: &str, _: &str, _: &[u8], _: bool) -> Result<(), String> {
            Err("no".into())
        }
        fn exists(&self, _: &str, _: &str) -> bool {
            false
        }
    }

    fn manifest(source: &str, kind: &str, text: &str, hook: &[&str]) -> RenderedManifest {
        RenderedManifest {
            offset: 0,
            source: source.into(),
            document: 0,
            text: text.into(),
            head: ManifestHead {
                kind: kind.into(),
                ..Default::default()
            },
            hook_events: hook.iter().map(|s| s.to_string()).collect(),
            parsed: None,
        }
    }

    fn sample() -> RenderedRelease {
        RenderedRelease {
            origins: None,
            name: "r".into(),
            namespace: "default".into(),
            chart: "c".into(),
            kube_version: "v1.37.0".into(),
            crds: Vec::new(),
            manifests: vec![
                manifest(
                    "c/templates/b.yaml",
                    "ConfigMap",
                    "kind: ConfigMap\nmetadata:\n  name: b\n",
                    &[],
                ),
                manifest(
                    "c/templates/a.yaml",
                    "Deployment",
                    "kind: Deployment\nmetadata:\n  name: a\n",
                    &[],
                ),
            ],
            hooks: vec![manifest(
                "c/templates/t.yaml",
                "Pod",
                "kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n",
                &["test"],
            )],
            notes: None,
            warnings: Vec::new(),
        }
    }

    fn request() -> RenderRequest {
        RenderRequest::new(ChartSource::Path("c".into()))
    }

    fn printed(req: &RenderRequest) -> Result<String, RenderError> {
        print_template(&sample(), req, &mut NoSink).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn prints_like_helm() {
        assert_eq!(
            printed(&request()).unwrap(),
            "---\n# Source: c/templates/b.yaml\nkind: ConfigMap\nmetadata:\n  name: b\n\n---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: a\n---\n# Source: c/templates/t.yaml\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n\n"
        );
        let mut req = request();
        req.skip_tests = true;
        assert!(!printed(&req).unwrap().contains("kind: Pod"));
    }

    #[test]
    fn crd_bytes_are_printed_as_they_are() {
        let mut release = sample();
        release.crds.push(crate::release::CrdFile {
            source: "c/crds/x.yaml".into(),
            data: b"a: \xff".to_vec(),
        });
        let mut req = request();
        req.include_crds = true;
        let out = print_template(&release, &req, &mut NoSink).unwrap();
        assert!(out.starts_with(b"---\n# Source: c/crds/x.yaml\na: \xff\n---\n"));
    }

    #[test]
    fn show_only() {
        let mut req = request();
        req.show_only = vec!["templates/a.yaml".into()];
        assert_eq!(
            printed(&req).unwrap(),
            "---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: a\n\n"
        );
        req.show_only = vec!["templates/zz.yaml".into()];
        let err = printed(&req).unwrap_err();
        assert_eq!(
            err.message,
            "could not find template templates/zz.yaml in chart"
        );
        assert_eq!(err.kind, ErrorKind::Manifest);
    }
}
