//! The chart loader's limits (`archive-bytes`, `archive-file-bytes`, `archive-entries`, and
//! the YAML limits for values files): the defaults load golden-sized charts, a lowered limit
//! fails with an error naming it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartroom_chart::archive::write_tgz;
use chartroom_chart::{Chart, ValueOptions};
use chartroom_template::Limits;

fn limits(name: &str, value: u64) -> Limits {
    let mut l = Limits::default();
    l.set(name, value).expect("known limit");
    l
}

/// A chart the size of the largest golden ones: 460 files, a 2.7 MB file, 12 MB in all.
fn golden_sized_files() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (
            "Chart.yaml".to_string(),
            b"apiVersion: v2\nname: big\nversion: 1.0.0\n".to_vec(),
        ),
        (
            "values.yaml".to_string(),
            b"a: &a {b: 1}\nc: *a\nd: {e: {f: {g: 1}}}\n".to_vec(),
        ),
        ("files/large.json".to_string(), vec![b'x'; 2_700_000]),
    ];
    for i in 0..457 {
        files.push((format!("templates/t{i}.yaml"), vec![b'#'; 20_000]));
    }
    files
}

/// Built once (gzip in a debug build is slow).
fn golden_sized_tgz() -> &'static [u8] {
    static TGZ: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    TGZ.get_or_init(build_tgz)
}

fn build_tgz() -> Vec<u8> {
    let files = golden_sized_files();
    let entries: Vec<(String, &[u8])> = files
        .iter()
        .map(|(n, d)| (format!("big/{n}"), d.as_slice()))
        .collect();
    let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    write_tgz(&entries).unwrap()
}

/// The same chart as a directory (removed when dropped).
struct Dir(PathBuf);

impl Dir {
    fn golden_sized(tag: &str) -> Dir {
        let root =
            std::env::temp_dir().join(format!("chartroom-limits-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (name, data) in golden_sized_files() {
            let p = root.join(&name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
        Dir(root)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn archive_err(data: &[u8], l: &Limits) -> String {
    Chart::load_archive_with_limits(data, l)
        .unwrap_err()
        .message
}

#[test]
fn archive_defaults_load_a_golden_sized_chart() {
    let data = golden_sized_tgz();
    let c = Chart::load_archive_with_limits(data, &Limits::default()).unwrap();
    assert_eq!(c.templates.len(), 457);
    let dir = Dir::golden_sized("defaults");
    let c = Chart::load_dir_with_limits(dir.path(), &Limits::default()).unwrap();
    assert_eq!(c.templates.len(), 457);
}

#[test]
fn archive_bytes_lowered() {
    let data = golden_sized_tgz();
    assert_eq!(
        archive_err(data, &limits("archive-bytes", 5_000_000)),
        "unable to load chart archive: the chart's decompressed size exceeded the limit archive-bytes=5000000 (chartroom's, not Helm's; raise it with --limit archive-bytes=N)"
    );
    let dir = Dir::golden_sized("bytes");
    let e = Chart::load_dir_with_limits(dir.path(), &limits("archive-bytes", 5_000_000))
        .unwrap_err()
        .message;
    assert!(
        e.contains("exceeded the limit archive-bytes=5000000"),
        "{e}"
    );
    // Raised: the chart loads.
    assert!(Chart::load_archive_with_limits(data, &limits("archive-bytes", 20_000_000)).is_ok());
}

#[test]
fn archive_file_bytes_lowered() {
    let data = golden_sized_tgz();
    assert_eq!(
        archive_err(data, &limits("archive-file-bytes", 1_000_000)),
        "unable to load chart archive: chart file \"files/large.json\" of 2700000 bytes exceeded the limit archive-file-bytes=1000000 (chartroom's, not Helm's; raise it with --limit archive-file-bytes=N)"
    );
    let dir = Dir::golden_sized("file");
    let e = Chart::load_dir_with_limits(dir.path(), &limits("archive-file-bytes", 1_000_000))
        .unwrap_err()
        .message;
    assert!(
        e.contains("chart file \"files/large.json\" of 2700000 bytes exceeded the limit archive-file-bytes=1000000"),
        "{e}"
    );
}

#[test]
fn archive_entries_lowered() {
    let data = golden_sized_tgz();
    assert_eq!(
        archive_err(data, &limits("archive-entries", 100)),
        "unable to load chart archive: the number of chart entries exceeded the limit archive-entries=100 (chartroom's, not Helm's; raise it with --limit archive-entries=N)"
    );
    let files: BTreeMap<String, Vec<u8>> = golden_sized_files().into_iter().collect();
    let e = Chart::load_files_with_limits(files.clone(), &limits("archive-entries", 100))
        .unwrap_err()
        .message;
    assert!(e.contains("exceeded the limit archive-entries=100"), "{e}");
    assert!(Chart::load_files_with_limits(files, &Limits::default()).is_ok());
    let dir = Dir::golden_sized("entries");
    let e = Chart::load_dir_with_limits(dir.path(), &limits("archive-entries", 100))
        .unwrap_err()
        .message;
    assert!(e.contains("exceeded the limit archive-entries=100"), "{e}");
    assert!(Chart::load_archive_with_limits(data, &limits("archive-entries", 460)).is_ok());
}

#[test]
fn subchart_archives_count_against_the_limits() {
    let sub = write_tgz(&[
        (
            "sub/Chart.yaml",
            b"apiVersion: v2\nname: sub\nversion: 1.0.0\n",
        ),
        ("sub/big.txt", &[b'y'; 5000]),
    ])
    .unwrap();
    let mut files = BTreeMap::new();
    files.insert(
        "Chart.yaml".to_string(),
        b"apiVersion: v2\nname: top\nversion: 1.0.0\n".to_vec(),
    );
    files.insert("charts/sub-1.0.0.tgz".to_string(), sub);
    assert!(Chart::load_files_with_limits(files.clone(), &Limits::default()).is_ok());
    let e = Chart::load_files_with_limits(files, &limits("archive-file-bytes", 1000))
        .unwrap_err()
        .message;
    assert!(
        e.contains("error unpacking subchart sub-1.0.0.tgz in top: chart file \"big.txt\" of 5000 bytes exceeded the limit archive-file-bytes=1000"),
        "{e}"
    );
}

#[test]
fn values_files_under_the_yaml_limits() {
    let data = golden_sized_tgz();
    let e = archive_err(data, &limits("yaml-depth", 2));
    assert!(
        e.contains("cannot load values.yaml") && e.contains("exceeded the limit yaml-depth=2"),
        "{e}"
    );
    let e = archive_err(data, &limits("yaml-aliases", 0));
    assert!(e.contains("exceeded the limit yaml-aliases=0"), "{e}");

    let values = b"a: &a {b: {c: 1}}\nd: *a\n".to_vec();
    let mut opts = ValueOptions {
        values_files: vec![("v.yaml".into(), values)],
        ..ValueOptions::default()
    };
    assert!(opts.merge_values().is_ok());
    opts.limits = limits("yaml-aliases", 1);
    let e = opts.merge_values().unwrap_err().message;
    assert!(
        e.starts_with("failed to parse v.yaml: ") && e.contains("the limit yaml-aliases=1 "),
        "{e}"
    );
    opts.limits = limits("yaml-depth", 1);
    let e = opts.merge_values().unwrap_err().message;
    assert!(e.contains("the limit yaml-depth=1 "), "{e}");
}

#[test]
fn helms_directory_size_text_at_the_default() {
    let dir = Dir::golden_sized("helm-size");
    // Sparse: the size on disk is checked before the file is read.
    let f = std::fs::File::create(dir.path().join("files/huge.bin")).unwrap();
    f.set_len(110_000_000).unwrap();
    drop(f);
    let e = Chart::load_dir_with_limits(dir.path(), &Limits::default())
        .unwrap_err()
        .message;
    assert_eq!(
        e,
        "error reading files/huge.bin: chart exceeds maximum decompressed size of 104857600 bytes"
    );
}
