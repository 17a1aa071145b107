//! The local sandbox command.

use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Where the Pear API listens; the pump.fun API takes the next port (or a free one
    /// when the port is 0); the SIWE and SIWS backends take free ports. Loopback only.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:0")]
    pub(crate) addr: std::net::SocketAddr,
    /// Runs the sandbox's clock this many seconds ahead of this machine's (negative:
    /// behind), as a server whose clock is off: every time it checks or issues and the
    /// `Date` of every answer. The clients learn the server's clock from its answers.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub(crate) clock_offset: i64,
}
