#!/bin/bash
# Regenerates tests/data/expected/*.txt from the real helm (v4.3.1). Not used by
# `cargo test`; run by hand after adding inputs.
#  - yaml cases (data/cases/*): `FUNC (fromYaml file)` for FUNC in toJson toYaml
#    toPrettyJson toRawJson  -> expected/FUNC.txt
#  - json cases (data/json/*): `toJson (fromJson file)` -> expected/fromJson.txt
set -e
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/data/expected"
record() { # $1 = cases dir, $2 = template expression over $c, $3 = output file
  d=$(mktemp -d)
  mkdir -p $d/templates $d/in
  printf 'apiVersion: v2\nname: t\nversion: 0.1.0\n' > $d/Chart.yaml
  cp "$1"/* $d/in/
  printf '{{ range $p, $c := .Files.Glob "in/*" }}\n# {{ base $p }} {{ %s | b64enc }}\n{{ end }}\n' "$2" > $d/templates/a.yaml
  helm template x $d | grep '^# [0-9]' | while read h name b; do
    echo "=== $name"; echo "$b" | base64 -d; echo; echo "=== end"
  done > "$3"
  rm -rf $d
}
for f in toJson toYaml toPrettyJson toRawJson toToml; do
  record "$here/data/cases" "$f (fromYaml (toString \$c))" "$here/data/expected/$f.txt"
done
record "$here/data/json" 'toJson (fromJson (toString $c))' "$here/data/expected/fromJson.txt"
record "$here/data/json" 'toJson (fromJsonArray (toString $c))' "$here/data/expected/fromJsonArray.txt"
