#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
mod error;
mod jwt;

pub use client::{
    DEFAULT_BASE_URL, DEFAULT_ORIGIN, LoginFormat, MESSAGE_PREFIX, MessageSource, MillisClock,
    PumpClient, PumpClientBuilder, PumpLogin, PumpUser,
};
pub use error::PumpError;
