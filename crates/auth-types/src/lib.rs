#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
mod evm_address;
mod failure;
mod printable;
mod rate_limiter;
mod secret;
mod solana_pubkey;
mod sync;
mod text_form;

pub use clock::{Clock, SharedClock, SystemClock};
pub use evm_address::{AddressError, EvmAddress};
pub use failure::{Failure, FailureKind};
pub use printable::{escape_unprintable, escape_unprintable_cut, is_unprintable};
pub use rate_limiter::{LimiterFuture, SharedLimiterError, SharedRateLimiter, SharedReservation};
pub use secret::{
    AccessToken, ApiKey, PrivyAccessToken, RefreshToken, SecretBytes32, SecretHexError,
};
pub use solana_pubkey::{PubkeyError, SolanaPubkey};
pub use sync::lock;
