//! Whole runs: render a chart and lint it for several Kubernetes versions (what
//! `chartroom lint CHART` does, callable from the wasm bindings too), and work spread over
//! threads with results in input order.

use chartroom_render::{render_release, RenderError, RenderRequest};

use crate::{lint_release, Options, Report, SchemaPack};

/// Stack size of the threads [`in_parallel`] starts: the CLI renders with deep template
/// recursion allowed (its main thread has the same).
const THREAD_STACK: usize = 1 << 30;

/// `f(0) .. f(n-1)` on up to `threads` threads (each takes the next index), results in index
/// order. With `threads <= 1` or a single item everything runs on the calling thread (no
/// spawn: what wasm32-unknown-unknown needs). A thread that cannot be started leaves its
/// share to the calling thread; a panic in `f` is re-raised.
pub fn in_parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if threads <= 1 || n <= 1 {
        return (0..n).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= n {
                return done;
            }
            done.push((i, f(i)));
        }
    };
    let mut all: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads.min(n))
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(THREAD_STACK)
                    .spawn_scoped(s, work)
                    .ok()
            })
            .collect();
        // The calling thread works too (and does everything if no thread could start).
        let mut here = work();
        for h in handles {
            match h.join() {
                Ok(done) => here.extend(done),
                Err(p) => std::panic::resume_unwind(p),
            }
        }
        here
    });
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, t)| t).collect()
}

/// One Kubernetes version to lint against: the version the chart renders for
/// (`.Capabilities.KubeVersion`; `None` for Helm's default) and the schemas it is checked
/// against.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub kube_version: Option<&'a str>,
    pub pack: &'a SchemaPack,
}

/// What linting a chart gives: findings over every target version, and the lines the
/// renders logged (deduplicated, in order).
#[derive(Debug, Clone, Default)]
pub struct ChartReport {
    pub report: Report,
    pub warnings: Vec<String>,
    /// `helm template` could not render the chart for some target, so its manifests were not
    /// validated there (Helm's own checks ran and hold the reason; a warning says so).
    pub render_failed: bool,
}

/// Runs Helm's own `helm lint` checks ([`crate::helm_lint`]) and renders `req` once per
/// target (with that target's kube version, as Helm would), linting each render against the
/// target's schemas; reports are merged in target order, Helm's checks first. A render that
/// fails after Helm's checks ran is reported by them (and [`ChartReport::render_failed`]);
/// when Helm's checks could not run either, the render error is the error.
pub fn render_and_lint(
    req: &RenderRequest,
    targets: &[Target<'_>],
    opts: &Options,
) -> Result<ChartReport, RenderError> {
    let mut out = ChartReport::default();
    let warn = |out: &mut ChartReport, w: &String| {
        if !out.warnings.contains(w) {
            out.warnings.push(w.clone());
        }
    };
    for t in targets {
        let mut r = req.clone();
        r.kube_version = t.kube_version.map(str::to_string);
        // Findings name the template line behind each rendered line, and a document that is
        // not YAML is a finding among the others rather than the end of the render.
        r.provenance = true;
        r.lenient_manifests = true;
        let helm = crate::helm_lint(&r);
        let helm_ran = helm.is_some();
        out.report.merge(Report::new(helm.unwrap_or_default(), 0));
        match render_release(&r) {
            Ok(release) => {
                for w in &release.warnings {
                    warn(&mut out, w);
                }
                out.report.merge(lint_release(t.pack, &release, opts));
            }
            Err(e) if !helm_ran => return Err(e),
            Err(e) => {
                out.render_failed = true;
                for w in &e.warnings {
                    warn(&mut out, w);
                }
                warn(&mut out, &format!("manifests not validated: {}", e.message));
            }
        }
    }
    Ok(out)
}
