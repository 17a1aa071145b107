//! A Pear login through an alloy signer, against the embedded sandbox (no network).
//!
//! Run with `cargo run --example alloy_signer --features alloy`.
//!
//! `auth-signing`'s feature `alloy` makes any `alloy_signer::Signer` an `EthSigner`
//! (`auth_signing::alloy::AlloySigner`). This example uses alloy's local
//! `PrivateKeySigner`; the signers below plug in the same way, without code of ours:
//!
//! - AWS KMS: `alloy-signer-aws` (`AwsSigner`)
//! - GCP KMS: `alloy-signer-gcp` (`GcpSigner`)
//! - Turnkey: `alloy-signer-turnkey` (`TurnkeySigner`)
//! - Ledger: `alloy-signer-ledger` (`LedgerSigner`)
//! - Trezor: `alloy-signer-trezor` (`TrezorSigner`)
//!
//! The bridge signs the EIP-712 signing hash. KMS and Turnkey sign hashes; alloy's Ledger
//! and Trezor signers refuse bare hashes, which the bridge reports as a refusal
//! (`SignerError::Rejected`) before anything is sent.
//!
//! Every signature is checked before a login sends it: `v` normalised to 27/28, `s` to
//! its low form, and it must recover to the signer's address (a signer answering with
//! another key's signature is refused with `SignerError::WrongSigner`).

use std::process::ExitCode;

use alloy_signer_local::PrivateKeySigner;
use auth_examples::{Steps, redact};
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::EthSigner as _;
use auth_signing::alloy::AlloySigner;
use pear_auth::PearClient;

#[tokio::main]
async fn main() -> ExitCode {
    let mut steps = Steps::new();
    // Any alloy signer: for AWS KMS, `AwsSigner::new(client, key_id, None).await?`.
    let signer = AlloySigner::new(PrivateKeySigner::random());
    println!("signing as {}", signer.address());

    let Some(sandbox) = steps.step(
        "start the sandbox",
        Sandbox::start(SandboxConfig::default()).await,
        |s| format!("Pear at {}", s.pear_url()),
    ) else {
        return steps.finish();
    };
    let Some(pear) = steps.step(
        "build the client",
        PearClient::builder().base_url(sandbox.pear_url()).build(),
        |_| "ok".to_owned(),
    ) else {
        return steps.finish();
    };
    steps.step(
        "log in through the alloy signer",
        pear.login_eip712(&signer).await,
        |t| format!("access token {}", redact(t.access_token.expose_secret())),
    );
    steps.finish()
}
