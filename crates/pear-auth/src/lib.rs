#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
mod error;
mod message;
mod tokens;

pub use client::{
    DEFAULT_BASE_URL, DEFAULT_CLIENT_ID, DEFAULT_TIMESTAMP_WINDOW, PearClient, PearClientBuilder,
    UnixClock, authorize,
};
pub use error::PearError;
pub use message::{AUTHENTICATION_TYPE, LoginMessage, check_login_message};
pub use tokens::{ApiKeyInfo, CreatedApiKey, PearTokens};
