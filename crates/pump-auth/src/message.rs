//! The sign-in message: where it comes from, and what the client agrees to sign.

use std::fmt;

use async_trait::async_trait;
use auth_signing::solana::SolanaSignature;
use auth_types::SolanaPubkey;

/// The sign-in text; the unix time in milliseconds follows.
pub const MESSAGE_PREFIX: &str = "Sign in to pump.fun: ";

/// The longest sign-in message the client signs or sends, in bytes.
pub const MAX_MESSAGE_LEN: usize = 1024;

/// An error a [`MessageSource`] returns.
pub type SourceError = Box<dyn std::error::Error + Send + Sync>;

/// Where the text to sign comes from, for the documented login format.
///
/// The specification's flow starts with "request a message to sign from the platform";
/// the live site signs `Sign in to pump.fun: <unix ms>`, which the client makes itself
/// by default. A source can be a plain function of the time, or anything asynchronous
/// that fetches the text (implement this trait). Whatever it returns is checked before
/// it is signed: see [`check_message`].
///
/// ```
/// use pump_auth::PumpClient;
/// // A function of the unix time in milliseconds is a source.
/// let client = PumpClient::builder()
///     .message_source(|millis| format!("Sign in to pump.fun: {millis}"))
///     .build()?;
/// # Ok::<(), pump_auth::PumpError>(())
/// ```
#[async_trait]
pub trait MessageSource: Send + Sync {
    /// The text `wallet` is to sign, at unix time `unix_millis`.
    async fn message(&self, wallet: &SolanaPubkey, unix_millis: u64)
    -> Result<String, SourceError>;
}

#[async_trait]
impl<F> MessageSource for F
where
    F: Fn(u64) -> String + Send + Sync,
{
    async fn message(
        &self,
        _wallet: &SolanaPubkey,
        unix_millis: u64,
    ) -> Result<String, SourceError> {
        Ok(self(unix_millis))
    }
}

/// The standard sign-in text at unix time `unix_millis`.
///
/// ```
/// assert_eq!(pump_auth::sign_in_text(1732076598000), "Sign in to pump.fun: 1732076598000");
/// ```
pub fn sign_in_text(unix_millis: u64) -> String {
    format!("{MESSAGE_PREFIX}{unix_millis}")
}

/// The unix milliseconds of a standard sign-in text, if `message` is exactly one.
///
/// ```
/// assert_eq!(pump_auth::sign_in_millis("Sign in to pump.fun: 1732076598000"), Some(1732076598000));
/// assert_eq!(pump_auth::sign_in_millis("Sign in to pump.fun: 17e3"), None);
/// ```
pub fn sign_in_millis(message: &str) -> Option<u64> {
    let digits = message.strip_prefix(MESSAGE_PREFIX)?;
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Checks a sign-in message from a source other than the client's own: at most
/// [`MAX_MESSAGE_LEN`] bytes, not empty, and no control characters except line breaks
/// and tabs. A serialized Solana transaction starts with small counts (control
/// characters) or with a byte that cannot start UTF-8, so it never passes: a source that
/// hands out a transaction to sign gets a refusal, not a signature.
///
/// ```
/// assert!(pump_auth::check_message("Sign in to pump.fun: 1732076598000").is_ok());
/// assert!(pump_auth::check_message("\u{1}\u{0}\u{1}transfer").is_err());
/// ```
pub fn check_message(message: &str) -> Result<(), String> {
    if message.is_empty() {
        return Err("the message is empty".to_owned());
    }
    if message.len() > MAX_MESSAGE_LEN {
        return Err(format!(
            "the message is {} bytes long, more than the {MAX_MESSAGE_LEN} a sign-in text needs",
            message.len()
        ));
    }
    if let Some(c) = message
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!(
            "the message holds the control character U+{:04X}, which no sign-in text has (it may be a transaction)",
            u32::from(c)
        ));
    }
    Ok(())
}

/// A sign-in made elsewhere (a hardware wallet, another process, `authctl pump message`):
/// the wallet, the exact text it signed and the detached ed25519 signature.
/// [`crate::PumpClient::login_signed`] checks the signature before sending anything.
#[derive(Clone)]
pub struct SignedLogin {
    /// The wallet that signed.
    pub wallet: SolanaPubkey,
    /// The text that was signed, byte for byte.
    pub message: String,
    /// The ed25519 signature of `message` by `wallet`.
    pub signature: SolanaSignature,
}

impl SignedLogin {
    /// A signed sign-in from its parts.
    pub fn new(
        wallet: SolanaPubkey,
        message: impl Into<String>,
        signature: SolanaSignature,
    ) -> Self {
        SignedLogin {
            wallet,
            message: message.into(),
            signature,
        }
    }
}

impl fmt::Debug for SignedLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A sign-in signature logs in for as long as the server accepts its time.
        f.debug_struct("SignedLogin")
            .field("wallet", &self.wallet)
            .field("message", &self.message)
            .field("signature", &"<redacted>")
            .finish()
    }
}
