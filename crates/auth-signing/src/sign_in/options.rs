//! What a verification checks besides the signature: the time, and optionally the domain
//! and nonce the verifier expects.

use std::time::SystemTime;

use super::timestamp::Timestamp;

/// The options of `SiweMessage::verify` and `SiwsMessage::verify`.
///
/// The default checks the message's time window at [`SystemTime::now`] and neither domain
/// nor nonce; a server should always set both (the domain it serves and the nonce it
/// handed out).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use auth_signing::sign_in::VerifyOptions;
///
/// let options = VerifyOptions::at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
///     .domain("login.xyz")
///     .nonce("bTyXgcQxn2htgkjJn");
/// assert_eq!(options.nonce.as_deref(), Some("bTyXgcQxn2htgkjJn"));
/// assert_eq!(VerifyOptions::default().time, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The time at which the message must be valid; `None`: [`SystemTime::now`].
    pub time: Option<SystemTime>,
    /// The domain the message must name (its authority, without scheme), if any.
    pub domain: Option<String>,
    /// The nonce the message must carry, if any.
    pub nonce: Option<String>,
}

impl VerifyOptions {
    /// Options that check the time window at `time` (and nothing else yet).
    pub fn at(time: SystemTime) -> Self {
        VerifyOptions {
            time: Some(time),
            ..VerifyOptions::default()
        }
    }

    /// Also requires the message's domain to be `domain`.
    #[must_use]
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Also requires the message's nonce to be `nonce`.
    #[must_use]
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// The one rule of a message's time window: valid from `not_before` (included) until
    /// `expiration_time` (excluded), at [`VerifyOptions::time`].
    pub(crate) fn check_window(
        &self,
        not_before: Option<&Timestamp>,
        expiration_time: Option<&Timestamp>,
    ) -> Result<(), OutsideWindow> {
        let now = self.unix_nanos();
        if let Some(exp) = expiration_time
            && now >= exp.unix_nanos()
        {
            return Err(OutsideWindow::Expired(exp.to_string()));
        }
        if let Some(nbf) = not_before
            && now < nbf.unix_nanos()
        {
            return Err(OutsideWindow::NotYetValid(nbf.to_string()));
        }
        Ok(())
    }

    /// The time to check at, in nanoseconds since the Unix epoch (negative before it).
    fn unix_nanos(&self) -> i128 {
        let time = self.time.unwrap_or_else(SystemTime::now);
        match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
            Err(before) => i128::try_from(before.duration().as_nanos())
                .map(|n| -n)
                .unwrap_or(i128::MIN),
        }
    }
}

/// Why a time is outside a message's window, with the bound it crossed as written.
pub(crate) enum OutsideWindow {
    /// At or after the expiration time.
    Expired(String),
    /// Before the not-before time.
    NotYetValid(String),
}
