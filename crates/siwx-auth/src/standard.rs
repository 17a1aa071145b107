//! The two standards a client speaks, as types: [`Siwe`] (EIP-4361, Ethereum keys) and
//! [`Siws`] (Sign In With Solana, ed25519 keys). A [`SiwxClient<Siwe>`](crate::SiwxClient)
//! takes only an Ethereum signer, a `SiwxClient<Siws>` only a Solana one.

use std::fmt::Debug;

use auth_signing::{EthSigner, SolanaSigner};

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Siwe {}
    impl Sealed for super::Siws {}
}

/// A sign-in standard: [`Siwe`] or [`Siws`]. Sealed: the crate implements both and no
/// other.
pub trait Standard: sealed::Sealed + Copy + Debug + Default + Send + Sync + 'static {
    /// The signer the standard's messages are signed with.
    type Signer: ?Sized + Debug + Send + Sync + 'static;
    /// Its name in errors and logs (`"SIWE"`, `"SIWS"`).
    const NAME: &'static str;
    /// The chain id a client puts in its messages unless told otherwise: `1` (Ethereum
    /// mainnet) for SIWE, `mainnet` for SIWS.
    const DEFAULT_CHAIN_ID: &'static str;
    /// Whether the chain id is a number (EIP-155, SIWE) rather than a name (SIWS).
    const NUMERIC_CHAIN_ID: bool;
}

/// Sign-In with Ethereum (EIP-4361): messages signed with EIP-191 `personal_sign` by any
/// [`EthSigner`], the signature sent as `0x` + 65 bytes in hex.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Siwe;

/// Sign In With Solana (the wallet-standard `solana:signIn` text): messages signed with
/// ed25519 over their UTF-8 bytes by any [`SolanaSigner`], the signature sent in base58.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Siws;

impl Standard for Siwe {
    type Signer = dyn EthSigner;
    const NAME: &'static str = "SIWE";
    const DEFAULT_CHAIN_ID: &'static str = "1";
    const NUMERIC_CHAIN_ID: bool = true;
}

impl Standard for Siws {
    type Signer = dyn SolanaSigner;
    const NAME: &'static str = "SIWS";
    const DEFAULT_CHAIN_ID: &'static str = "mainnet";
    const NUMERIC_CHAIN_ID: bool = false;
}
