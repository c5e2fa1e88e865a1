//! Helm's rendering engine and `helm template`'s output assembly.
