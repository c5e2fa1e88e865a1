//! What a command ends with: its output (and exit status), or a failure (Helm's text after
//! `Error: `, the log lines before it, and the exit status).

/// What a successful command prints: to stdout (help, manifests) or, for cobra's
/// `Unknown help topic`, to stderr with exit status 0.
pub enum Output {
    Stdout(String),
    Stderr(String),
    /// A render: stdout bytes and the lines Helm logs before them on stderr.
    Rendered {
        stdout: Vec<u8>,
        warnings: Vec<String>,
        /// The exit status (`diff`: 1 when something changed).
        exit: i32,
    },
}

/// A failed command: the text after `Error: `, and the lines logged before it.
pub struct Failure {
    pub message: String,
    pub warnings: Vec<String>,
    /// The exit status (1, as Helm's; 2 for `diff` and `lint`).
    pub exit: i32,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            warnings: Vec::new(),
            exit: 1,
        }
    }
}

impl From<chartroom_render::RenderError> for Failure {
    fn from(e: chartroom_render::RenderError) -> Failure {
        Failure {
            message: e.message,
            warnings: e.warnings,
            exit: 1,
        }
    }
}
