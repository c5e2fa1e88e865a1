//! `.Files` (Helm's `engine.files`, a `map[string][]byte` with methods).

use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_template::{Map, Object, Tag, Value};

use crate::chart::Chart;

/// The chart's non-template files as templates see them through `.Files`.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub files: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    /// `.Files` for a chart: every file of `chart.files` (not templates, values or
    /// Chart.yaml).
    pub fn for_chart(chart: &Chart) -> Files {
        Files {
            files: chart
                .files
                .iter()
                .map(|f| (f.name.clone(), Rc::from(f.data.as_slice())))
                .collect(),
        }
    }

    /// The object value to put under `Files` in the template data.
    pub fn into_value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    pub fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| Rc::from(&[][..]))
    }

    pub fn get(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.get_bytes(name)).into_owned()
    }

    /// gobwas/glob match over the names (an invalid pattern matches everything, as Helm
    /// falls back to `**`).
    pub fn glob(&self, pattern: &str) -> Files {
        let valid = crate::ignore::glob_match(pattern, "").is_some();
        Files {
            files: self
                .files
                .iter()
                .filter(|(name, _)| {
                    !valid || crate::ignore::glob_match(pattern, name).unwrap_or(true)
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    pub fn lines(&self, name: &str) -> Vec<String> {
        let Some(data) = self.files.get(name) else {
            return Vec::new();
        };
        if data.is_empty() {
            return Vec::new();
        }
        let s = String::from_utf8_lossy(data);
        let s = s.strip_suffix('\n').unwrap_or(&s);
        s.split('\n').map(|x| x.to_string()).collect()
    }

    fn by_base(&self, f: impl Fn(&[u8]) -> String) -> String {
        let mut m = Map::new();
        for (k, v) in &self.files {
            m.insert(crate::metadata::go_base(k), Value::string(f(v)));
        }
        let v = Value::Map(Rc::new(std::cell::RefCell::new(m)), Tag::STRING);
        match crate::yamlshim::to_yaml(&v) {
            Ok(s) => s.strip_suffix('\n').unwrap_or(&s).to_string(),
            Err(_) => String::new(),
        }
    }

    /// `AsConfig`: YAML map of base name → content.
    pub fn as_config(&self) -> String {
        self.by_base(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// `AsSecrets`: YAML map of base name → base64 content.
    pub fn as_secrets(&self) -> String {
        self.by_base(base64)
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn arg_str(args: &[Value], i: usize) -> Result<String, String> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(other) => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
        None => Err("wrong number of args".into()),
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn kind_name(&self) -> &str {
        "map"
    }

    /// `.Files.name` indexes the underlying map: the bytes, or an empty `[]byte` (Go's zero
    /// value) for a missing name.
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::Bytes(self.get_bytes(name)))
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(
            name,
            "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets"
        )
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let want = match name {
            "AsConfig" | "AsSecrets" => 0,
            "Get" | "GetBytes" | "Glob" | "Lines" => 1,
            _ => return None,
        };
        if args.len() != want {
            return Some(Err(format!(
                "wrong number of args for {name}: want {want} got {}",
                args.len()
            )));
        }
        Some((|| -> Result<Value, String> {
            Ok(match name {
                "Get" => Value::string(self.get(&arg_str(args, 0)?)),
                "GetBytes" => Value::Bytes(self.get_bytes(&arg_str(args, 0)?)),
                "Glob" => self.glob(&arg_str(args, 0)?).into_value(),
                "Lines" => Value::string_list(self.lines(&arg_str(args, 0)?)),
                "AsConfig" => Value::string(self.as_config()),
                _ => Value::string(self.as_secrets()),
            })
        })())
    }

    fn to_plain(&self) -> Value {
        Value::map(
            self.files
                .iter()
                .map(|(k, v)| (k.clone(), Value::Bytes(v.clone())))
                .collect(),
        )
    }

    fn go_string(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}:[{}]",
                    v.iter()
                        .map(|b| b.to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            })
            .collect();
        format!("map[{}]", parts.join(" "))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_helm_outputs() {
        // recorded with helm 4.3.1 on the same files
        let mut f = Files::default();
        for (k, v) in [
            ("conf/a.yaml", &b"a: 1\nb: \"x\"\n"[..]),
            ("conf/b.txt", &b"line1\nline2\n\n"[..]),
            ("conf/sub/c.txt", &b"true"[..]),
            ("conf/empty", &b""[..]),
        ] {
            f.files.insert(k.into(), Rc::from(v));
        }
        let names = |g: Files| g.files.keys().cloned().collect::<Vec<_>>().join(",");
        assert_eq!(names(f.glob("conf/*")), "conf/a.yaml,conf/b.txt,conf/empty");
        assert_eq!(
            names(f.glob("conf/**")),
            "conf/a.yaml,conf/b.txt,conf/empty,conf/sub/c.txt"
        );
        assert_eq!(names(f.glob("conf/{a,b}.*")), "conf/a.yaml,conf/b.txt");
        assert_eq!(f.lines("conf/b.txt"), vec!["line1", "line2", ""]);
        assert_eq!(
            f.as_config(),
            "a.yaml: |\n  a: 1\n  b: \"x\"\nb.txt: |+\n  line1\n  line2\n\nc.txt: \"true\"\nempty: \"\""
        );
        assert_eq!(
            f.as_secrets(),
            "a.yaml: YTogMQpiOiAieCIK\nb.txt: bGluZTEKbGluZTIKCg==\nc.txt: dHJ1ZQ==\nempty: \"\""
        );
    }

    fn files() -> Files {
        let mut f = Files::default();
        f.files.insert("x".into(), Rc::from(&b"hello\n"[..]));
        f.files
            .insert("conf/a.txt".into(), Rc::from(&b"a\nb\n"[..]));
        f.files.insert("conf/b.txt".into(), Rc::from(&b""[..]));
        f
    }

    #[test]
    fn get_glob_lines() {
        let f = files();
        assert_eq!(f.get("x"), "hello\n");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.lines("conf/a.txt"), vec!["a", "b"]);
        assert!(f.lines("conf/b.txt").is_empty());
        let g = f.glob("conf/*");
        assert_eq!(g.files.len(), 2);
        assert_eq!(
            f.go_string(),
            "map[conf/a.txt:[97 10 98 10] conf/b.txt:[] x:[104 101 108 108 111 10]]"
        );
        assert_eq!(base64(b"hello"), "aGVsbG8=");
    }
}
