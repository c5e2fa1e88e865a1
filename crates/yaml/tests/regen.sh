#!/bin/bash
# Regenerates tests/data/expected/*.txt from the real helm (v4.3.1) for every input in
# tests/data/cases: for each FUNC, the template prints `FUNC (fromYaml file)` per file.
# Not used by `cargo test`; run by hand when adding cases.
set -e
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/data/expected"
for f in toJson toYaml toPrettyJson toRawJson; do
  d=$(mktemp -d)
  mkdir -p $d/templates $d/in
  printf 'apiVersion: v2\nname: t\nversion: 0.1.0\n' > $d/Chart.yaml
  cp "$here"/data/cases/* $d/in/
  printf '{{ range $p, $c := .Files.Glob "in/*" }}\n# {{ base $p }} {{ %s (fromYaml (toString $c)) | b64enc }}\n{{ end }}\n' "$f" > $d/templates/a.yaml
  helm template x $d | grep '^# [0-9]' | while read h name b; do
    echo "=== $name"; echo "$b" | base64 -d; echo; echo "=== end"
  done > "$here/data/expected/$f.txt"
  rm -rf $d
done
