//! YAML and JSON exactly as Helm's Go libraries handle them: reading with go-yaml v2's
//! resolution rules through sigs.k8s.io/yaml, writing as sigs.k8s.io/yaml over go-yaml v2 does,
//! and JSON as Go's `encoding/json` does.
