//! The local sandbox command.

use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct SandboxArgs {
    /// Where the Pear API listens; the pump.fun API takes the next port (or a free one
    /// when the port is 0); the SIWE and SIWS backends take free ports. Loopback only.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:0")]
    pub(crate) addr: std::net::SocketAddr,
}
