//! The command-line grammar: the top command here, each command group's arguments in
//! the file of its subject.

mod doctor;
mod hash;
mod keys;
mod keystore;
mod pear;
mod pump;
mod sandbox;
mod sign;
mod siwx;
mod store;

use clap::{Parser, Subcommand};

pub(crate) use doctor::{DoctorCommand, DoctorOutput, DoctorPearArgs, DoctorPumpArgs};
pub(crate) use hash::HashCommand;
pub(crate) use keys::{AddressArgs, EthKeyArgs, PasswordArgs, SolanaKeyArgs};
pub(crate) use keystore::{KeystoreCommand, KeystoreWriteArgs};
pub(crate) use pear::{
    ApiKeyCommand, PearApi, PearCommand, PearLoginArgs, PearMessageOpts, PearTokenArgs,
};
pub(crate) use pump::{PumpApi, PumpCommand, PumpLoginArgs, PumpTokensArgs};
pub(crate) use sandbox::SandboxArgs;
pub(crate) use sign::SignCommand;
pub(crate) use siwx::{BackendArgs, PresetArg, SiwxCommand, VerifyArgs};
pub(crate) use store::StoreArgs;

/// Wallet signing for Pear Protocol (EIP-712, secp256k1), pump.fun (ed25519), and any
/// Sign-In with Ethereum or Sign In With Solana backend.
///
/// Secrets are never taken as arguments: name an environment variable or a file.
#[derive(Debug, Parser)]
#[command(name = "authctl", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Hash data without signing it.
    #[command(subcommand)]
    Hash(HashCommand),
    /// Sign typed data or messages.
    #[command(subcommand)]
    Sign(SignCommand),
    /// Print the address (Ethereum) or public key (Solana) of a key.
    Address(AddressArgs),
    /// Pear Protocol: log in, refresh, log out, manage API keys.
    #[command(subcommand)]
    Pear(PearCommand),
    /// pump.fun: log in, read the profile, log out.
    #[command(subcommand)]
    Pump(PumpCommand),
    /// Sign-In with Ethereum (EIP-4361): make, parse, sign and verify messages; sign in
    /// to any SIWE backend.
    #[command(subcommand)]
    Siwe(SiwxCommand<EthKeyArgs>),
    /// Sign In With Solana: make, parse, sign and verify messages; sign in to any SIWS
    /// backend.
    #[command(subcommand)]
    Siws(SiwxCommand<SolanaKeyArgs>),
    /// Run the local sandbox of the APIs (Pear, pump.fun, SIWE, SIWS) until interrupted
    /// (Ctrl-C); prints their base URLs.
    Sandbox(SandboxArgs),
    /// Web3 Secret Storage keystores (geth's and foundry's encrypted key files).
    #[command(subcommand)]
    Keystore(KeystoreCommand),
    /// Is a live API still what the clients expect? One row per check (expected, seen,
    /// verdict); exits 1 on any drift. Read-only and without a key by default.
    #[command(subcommand)]
    Doctor(DoctorCommand),
}
