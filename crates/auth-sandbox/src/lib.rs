#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Handlers return ready-made error responses early; this is a test server, not a hot path.
#![allow(clippy::result_large_err)]

mod api;
mod clock;
mod config;
mod counters;
mod defaults;
mod drift;
mod egress;
mod eth;
mod faults;
mod headers;
mod jwt;
mod pear;
mod proofs;
mod pump;
mod reply;
mod sandbox;
mod sessions;
mod shared;
mod siwx;
mod time;

pub use api::SandboxApi;
pub use config::{Faults, RateLimit, SandboxConfig};
pub use counters::Counters;
pub use drift::Drift;
pub use egress::EgressCount;
pub use pear::PearApi;
pub use pump::{MESSAGE_PREFIX as PUMP_MESSAGE_PREFIX, ORIGIN as PUMP_ORIGIN, PumpApi};
pub use sandbox::{Sandbox, SandboxBuilder};
pub use siwx::{SiweApi, SiwsApi};
