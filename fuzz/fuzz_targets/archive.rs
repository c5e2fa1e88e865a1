//! The archive loader: a `.tgz` chart (gzip, tar, then the chart's files and subcharts).
//! (`Chart::load_archive` reads the files with `archive::load_archive_files` under the default
//! limits itself: calling that too only unpacked every input twice.)
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = chartroom_chart::ensure_archive("fuzz.tgz", data);
    let _ = chartroom_chart::Chart::load_archive(data);
});
