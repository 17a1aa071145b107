//! The command-line grammar: the top command here, each command group's arguments in
//! the file of its subject.

mod hash;
mod keys;
mod keystore;
mod pear;
mod pump;
mod sandbox;
mod sign;
mod store;

use clap::{Parser, Subcommand};

pub(crate) use hash::HashCommand;
pub(crate) use keys::{AddressArgs, EthKeyArgs, PasswordArgs, SolanaKeyArgs};
pub(crate) use keystore::{KeystoreCommand, KeystoreWriteArgs};
pub(crate) use pear::{
    ApiKeyCommand, PearApi, PearCommand, PearLoginArgs, PearMessageOpts, PearTokenArgs,
};
pub(crate) use pump::{PumpApi, PumpCommand, PumpLoginArgs};
pub(crate) use sandbox::SandboxArgs;
pub(crate) use sign::SignCommand;
pub(crate) use store::StoreArgs;

/// Wallet signing for Pear Protocol (EIP-712, secp256k1) and pump.fun (ed25519).
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
    /// Run the local sandbox of both APIs until interrupted (Ctrl-C); prints its base URLs.
    Sandbox(SandboxArgs),
    /// Web3 Secret Storage keystores (geth's and foundry's encrypted key files).
    #[command(subcommand)]
    Keystore(KeystoreCommand),
}
