//! `authctl sandbox`.

use std::net::SocketAddr;
use std::process::ExitCode;

use auth_sandbox::{Sandbox, SandboxConfig};

use super::{Failure, print_line, runtime};
use crate::cli::SandboxArgs;

pub(crate) fn run(args: &SandboxArgs) -> Result<ExitCode, Failure> {
    if !args.addr.ip().is_loopback() {
        return Err(Failure::usage(
            "the sandbox listens on loopback only (127.0.0.1 or ::1)".to_owned(),
        ));
    }
    let pump_port = match args.addr.port() {
        0 => 0,
        p => p.checked_add(1).ok_or_else(|| {
            Failure::usage("the port is too high to leave room for the pump.fun API".to_owned())
        })?,
    };
    let pump_addr = SocketAddr::new(args.addr.ip(), pump_port);
    runtime()?.block_on(async {
        let mut config = SandboxConfig::default().with_addrs(args.addr, pump_addr);
        config.clock_offset_ms = args.clock_offset.saturating_mul(1000);
        let sandbox = Sandbox::start(config)
            .await
            .map_err(|e| Failure::new(format!("could not start the sandbox: {e}")))?;
        print_line(format_args!("PEAR_BASE_URL={}", sandbox.pear_url()))?;
        print_line(format_args!("PUMP_BASE_URL={}", sandbox.pump_url()))?;
        print_line(format_args!("SIWE_BASE_URL={}", sandbox.siwe_url()))?;
        print_line(format_args!("SIWS_BASE_URL={}", sandbox.siws_url()))?;
        eprintln!("sandbox running; Ctrl-C to stop");
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| Failure::new(format!("cannot wait for Ctrl-C: {e}")))?;
        sandbox.shutdown().await;
        eprintln!("sandbox stopped");
        Ok(ExitCode::SUCCESS)
    })
}
