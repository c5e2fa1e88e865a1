//! Helm's chart model: loading, dependencies, values coalescing, `--set` and values schema.
