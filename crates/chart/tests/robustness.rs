//! Untrusted input must give errors, never panics: mutated archives, `--set` lines, Chart.yaml
//! texts and schemas (deterministic pseudo-random mutations).

use std::collections::BTreeMap;

use chartroom_chart::{coalesce_values, validate_values_schema, Chart, ValueOptions};
use chartroom_template::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, data: &[u8], alphabet: &[u8]) -> Vec<u8> {
    let mut d = data.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] = alphabet[rng.below(alphabet.len())];
            }
            1 if !d.is_empty() => {
                let i = rng.below(d.len());
                d.remove(i);
            }
            2 => {
                let i = rng.below(d.len() + 1);
                d.insert(i, alphabet[rng.below(alphabet.len())]);
            }
            _ => {
                let i = rng.below(d.len() + 1);
                d.truncate(i);
            }
        }
    }
    d
}

fn gzip(data: &[u8]) -> Vec<u8> {
    chartroom_chart::archive::gzip(data).unwrap()
}

fn sample_archive() -> Vec<u8> {
    gzip(&sample_tar())
}

fn sample_tar() -> Vec<u8> {
    let entries: &[(&str, &[u8])] = &[
        ("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
        ("c/values.yaml", b"a: 1\nb: {c: [1, 2]}\n"),
        ("c/templates/t.yaml", b"x: {{ .Values.a }}"),
    ];
    chartroom_chart::archive::write_tar(entries).unwrap()
}

#[test]
fn mutated_tar_streams_do_not_panic() {
    let base = sample_tar();
    let mut rng = Rng(0xDEADBEEF);
    let alphabet: Vec<u8> = b"0123456789 \0/.\\xLg5ustar-".to_vec();
    let mut ok = 0;
    for _ in 0..1500 {
        let d = mutate(&mut rng, &base, &alphabet);
        if Chart::load_archive(&gzip(&d)).is_ok() {
            ok += 1;
        }
    }
    // some mutations land in file contents or padding and still load
    assert!(ok > 0);
}

#[test]
fn mutated_archives_do_not_panic() {
    let base = sample_archive();
    assert!(Chart::load_archive(&base).is_ok());
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let bytes: Vec<u8> = (0..=255).collect();
    let mut failures = 0;
    for _ in 0..1500 {
        let d = mutate(&mut rng, &base, &bytes);
        if Chart::load_archive(&d).is_err() {
            failures += 1;
        }
    }
    assert!(failures > 0);
}

#[test]
fn mutated_set_lines_do_not_panic() {
    let seeds = [
        "a.b[0].c=x,d={1,2},e\\,f=g",
        "a[1][2]=3,b.c.d=e",
        "x={\"k\":[1,{\"z\":null}]}",
    ];
    let alphabet = b"ab.[]{},=\\\"0123456789- ";
    let mut rng = Rng(12345);
    for _ in 0..3000 {
        let seed = seeds[rng.below(seeds.len())];
        let line =
            String::from_utf8_lossy(&mutate(&mut rng, seed.as_bytes(), alphabet)).into_owned();
        for which in 0..5 {
            let mut o = ValueOptions::default();
            match which {
                0 => o.set.push(line.clone()),
                1 => o.set_string.push(line.clone()),
                2 => o.set_json.push(line.clone()),
                3 => o.set_literal.push(line.clone()),
                _ => o.set_file.push(line.clone()),
            }
            let _ = o.merge_values();
        }
    }
}

#[test]
fn mutated_charts_and_schemas_do_not_panic() {
    let chart_yaml = "apiVersion: v2\nname: c\nversion: 1.0.0\nkubeVersion: \">=1.2\"\ndependencies:\n- name: s\n  version: ~1\n  alias: t\n  condition: t.on\n";
    let schema = r##"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"type": "integer", "minimum": 1}, "b": {"$ref": "#/definitions/x"}}, "definitions": {"x": {"anyOf": [{"type": "string", "pattern": "^a"}, {"format": "date"}]}}}"##;
    let alphabet = b"{}[]:,\"#/$-~ ab01\n";
    let mut rng = Rng(777);
    for _ in 0..800 {
        let mut files = BTreeMap::new();
        files.insert(
            "Chart.yaml".to_string(),
            mutate(&mut rng, chart_yaml.as_bytes(), alphabet),
        );
        files.insert(
            "values.schema.json".to_string(),
            mutate(&mut rng, schema.as_bytes(), alphabet),
        );
        files.insert(
            "values.yaml".to_string(),
            b"a: 0\nb: 5\nt: {on: true}\n".to_vec(),
        );
        files.insert(
            "charts/s/Chart.yaml".to_string(),
            b"apiVersion: v2\nname: s\nversion: 1.2.0\n".to_vec(),
        );
        if let Ok(mut c) = Chart::load_files(files) {
            let user = Value::empty_map();
            let _ = chartroom_chart::check_kube_version(&c, "v1.29.0");
            if chartroom_chart::process_dependencies(&mut c, &user).is_ok() {
                if let Ok(v) = coalesce_values(&c, &user) {
                    let _ = validate_values_schema(&c, &v);
                }
            }
        }
    }
}

/// The `set_parse` fuzz target's first crash (its input, as the target splits it): a
/// `--set-json` line and a `--set-string` line into one map, then `toYaml`, panicked in the
/// key sort (crates/yaml/tests/fuzz_regressions.rs has the cause).
#[test]
fn set_parse_fuzz_crash_writes_yaml() {
    use chartroom_chart::strvals::{parse_into, Mode};
    let json = "TRUE1999?9900~76=0~95=1~=9\"4\"\x00\x00\x00:a=01999:9900~9\u{1}\x00\x0055=0~96=1900~76=0~47=1~=9\"4\"\x00$\x00:a=01y9\u{1}\x00\x00-9>9900~9\u{1}\x00\x0055=0~9~99=0995~09>909=0~9+=1~9cac0~90=0~950\"aé*ü\x00\x00";
    let string = "9999\u{1}a\u{1}\"9199=9\x00a\x00\x00\x00\n\u{1}\"9199=9\x00a=TRUE,b=Fase,c=NULL,d=-2,e=+4,f=0\u{1}\x00\x00ax|0,g=0_00.\x00";
    let dest = Value::empty_map();
    let _ = parse_into(json, &dest, &mut Mode::Json);
    let _ = parse_into(string, &dest, &mut Mode::Str);
    let out = chartroom_yaml::to_yaml(&dest).expect("writes");
    // And it reads back as the same map.
    let back = chartroom_yaml::from_yaml(&out).expect("reads back");
    assert_eq!(format!("{back:?}"), format!("{dest:?}"));
}
