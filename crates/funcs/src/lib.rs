//! Helm's template function library: Sprig v3 as Helm 4 registers it, plus Helm's own.
