//! WebAssembly bindings for the render core.
