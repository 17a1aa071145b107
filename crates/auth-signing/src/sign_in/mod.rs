//! What EIP-4361 ([`crate::siwe`]) and Sign In With Solana ([`crate::siws`]) messages
//! share: RFC 3339 times kept as written, and the options of a verification.
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use auth_signing::sign_in::{Timestamp, VerifyOptions};
//!
//! let issued = Timestamp::parse("2021-09-30T16:25:24-02:00")?;
//! assert_eq!(issued.as_str(), "2021-09-30T16:25:24-02:00");
//! assert_eq!(issued.to_system_time(), UNIX_EPOCH + Duration::from_secs(1_633_026_324));
//!
//! let now = Timestamp::from_system_time(UNIX_EPOCH + Duration::from_millis(1_633_019_124_000));
//! assert_eq!(now.to_string(), "2021-09-30T16:25:24.000Z");
//!
//! let options = VerifyOptions::at(SystemTime::now()).domain("example.com").nonce("32891757");
//! assert_eq!(options.domain.as_deref(), Some("example.com"));
//! # Ok::<(), auth_signing::sign_in::TimestampError>(())
//! ```

mod options;
mod timestamp;

pub(crate) use options::OutsideWindow;
pub use options::VerifyOptions;
pub use timestamp::{Timestamp, TimestampError};
