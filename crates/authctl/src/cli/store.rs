//! The token store shared by the `token` commands.

use clap::Args;

/// Where a session's tokens are kept between processes.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// The token store: a file path (locked while renewing, so processes on one machine
    /// share it) or a redis:// / rediss:// URL, scheme in any case (machines share it; a
    /// password goes in an environment variable named by --store-password-env); another
    /// scheme:// is refused. A store that cannot hold the token (a missing or read-only
    /// directory, a directory, a lock file that cannot be made, Redis down or refusing
    /// writes) is an error before any login. [default: a file under
    /// $XDG_STATE_HOME/authctl (~/.local/state/authctl), named by provider, server,
    /// account and client id, mode 0600]
    #[arg(long, value_name = "PATH|URL")]
    pub(crate) store: Option<String>,
    /// Name of the environment variable holding the Redis password, for a redis:// store.
    #[arg(long, value_name = "VAR")]
    pub(crate) store_password_env: Option<String>,
}
