//! What a command reports when it fails.

use std::fmt;
use std::process::ExitCode;

/// A failure to report as one `error:` line on stderr: exit status 1, or 2 for a usage
/// error that clap could not see.
#[derive(Debug)]
pub(crate) struct Failure {
    message: String,
    usage: bool,
}

impl Failure {
    pub(crate) fn new(message: String) -> Self {
        Failure {
            message,
            usage: false,
        }
    }

    pub(crate) fn usage(message: String) -> Self {
        Failure {
            message,
            usage: true,
        }
    }

    /// The same failure, its message after `context` and a colon.
    pub(crate) fn context(self, context: impl fmt::Display) -> Self {
        Failure {
            message: format!("{context}: {}", self.message),
            usage: self.usage,
        }
    }

    /// The process exit status for this failure.
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(if self.usage { 2 } else { 1 })
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
