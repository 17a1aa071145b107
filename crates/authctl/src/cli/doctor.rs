//! `authctl doctor`: is a live API still what the clients expect?

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// What the doctor examines.
#[derive(Debug, Subcommand)]
pub(crate) enum DoctorCommand {
    /// Pear Protocol: the login message's shape (domain, types, primary type, timestamp
    /// units, address casing, clientId echo), the error body of a refused call, the login
    /// route, Cloudflare pages, the server's clock. With a key, also a login and logout.
    Pear(DoctorPearArgs),
    /// pump.fun: the login routes and their error shapes, the `Origin` rule, Cloudflare
    /// pages, the server's clock. With a keypair, also a login, profile and logout.
    Pump(DoctorPumpArgs),
}

/// How the doctor reports.
#[derive(Debug, Args)]
pub(crate) struct DoctorOutput {
    /// One JSON array of {check, expected, seen, ok} instead of the table.
    #[arg(long)]
    pub(crate) json: bool,
    /// The largest offset of the server's clock from this machine's that passes.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub(crate) max_clock_offset: u64,
}

#[derive(Debug, Args)]
pub(crate) struct DoctorPearArgs {
    /// Base URL of Pear's API [env: PEAR_BASE_URL; default: https://hl-v2.pearprotocol.io].
    /// http:// is allowed only to loopback.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The client id to ask the login message for.
    #[arg(long, value_name = "ID", default_value = "APITRADER")]
    pub(crate) client_id: String,
    /// Name of the environment variable holding a private key: also log in and out
    /// (read-only without it).
    #[arg(long, value_name = "VAR")]
    pub(crate) private_key_env: Option<String>,
    #[command(flatten)]
    pub(crate) output: DoctorOutput,
}

#[derive(Debug, Args)]
pub(crate) struct DoctorPumpArgs {
    /// Base URL of pump.fun's API [env: PUMP_BASE_URL; default:
    /// https://frontend-api-v3.pump.fun]. http:// is allowed only to loopback.
    #[arg(long, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// The Origin header pump.fun expects.
    #[arg(long, value_name = "URL", default_value = "https://pump.fun")]
    pub(crate) origin: String,
    /// A Solana CLI keypair file: also log in, read the profile and log out in each
    /// login format (read-only without it).
    #[arg(long, value_name = "FILE")]
    pub(crate) keypair: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: DoctorOutput,
}
