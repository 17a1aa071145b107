//! Helpers shared by the examples: printing steps and redacting secrets.
//!
//! ```
//! use auth_examples::redact;
//! assert_eq!(redact("eyJhbGciOiJIUzI1NiJ9.payload.sig"), "eyJhbG…(32 chars)");
//! ```

use std::fmt::Display;

/// A short, safe preview of a secret: its first six characters and its length.
pub fn redact(secret: &str) -> String {
    let prefix: String = secret.chars().take(6).collect();
    format!("{prefix}…({} chars)", secret.chars().count())
}

/// Counts the steps of a walkthrough and remembers whether any failed.
#[derive(Debug, Default)]
pub struct Steps {
    number: usize,
    failed: Vec<String>,
}

impl Steps {
    /// A fresh walkthrough.
    pub fn new() -> Self {
        Steps::default()
    }

    /// Records one step: prints `ok` with `describe(value)`, or `FAILED` with the error.
    /// Returns the value on success.
    pub fn step<T, E: Display>(
        &mut self,
        what: &str,
        result: Result<T, E>,
        describe: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        self.number += 1;
        match result {
            Ok(value) => {
                println!("[{:>2}] ok      {what}: {}", self.number, describe(&value));
                Some(value)
            }
            Err(e) => {
                println!("[{:>2}] FAILED  {what}: {e}", self.number);
                self.failed
                    .push(format!("step {} ({what}): {e}", self.number));
                None
            }
        }
    }

    /// The process exit code: 0 if every step passed. Prints which steps failed.
    pub fn finish(self) -> std::process::ExitCode {
        if self.failed.is_empty() {
            println!("all {} steps passed", self.number);
            std::process::ExitCode::SUCCESS
        } else {
            for f in &self.failed {
                eprintln!("failed: {f}");
            }
            std::process::ExitCode::from(1)
        }
    }
}
