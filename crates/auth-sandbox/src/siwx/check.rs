//! The login check both modes share: the body, the message text, the domain, the chain,
//! the nonce, the times and the signature, in that order. The nonce is used up only when
//! every other check has passed (see the module documentation of `siwx`).

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::Value;

use super::message::{SignIn, parse};
use super::nonces::Mode;
use super::state::SiwxState;
use super::verify::{
    SIWE_SIGNATURE_FORMAT, SIWS_SIGNATURE_FORMAT, is_eth_signature, parse_siws_signature,
    siwe_signed_by, siws_signed_by,
};
use super::{Kind, refusal};
use crate::counters::bump;
use crate::time::unix_now_ms;

/// How far a message's `Issued At` may be ahead of the server's clock, and how far
/// `Not Before` may be, milliseconds.
const CLOCK_SKEW_MS: u64 = 60_000;

/// The 422 of a body that is not `{message, signature}`.
pub(crate) const BODY_SHAPE: &str =
    "Expected a JSON body {\"message\": <text>, \"signature\": <text>}";

/// Why a login was refused, for its counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reason {
    Malformed,
    Message,
    Nonce,
    Signature,
}

/// A refused login: its status, reason and message.
#[derive(Debug)]
pub(crate) struct Refused {
    status: StatusCode,
    reason: Reason,
    message: String,
}

impl Refused {
    fn new(reason: Reason, message: impl Into<String>) -> Refused {
        let status = match reason {
            Reason::Malformed => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::UNAUTHORIZED,
        };
        Refused {
            status,
            reason,
            message: message.into(),
        }
    }

    /// Counts the refusal and answers `{"message"}` with its status.
    pub(crate) fn answer(&self, state: &SiwxState) -> axum::response::Response {
        let c = &state.counters;
        bump(&c.refused);
        bump(match self.reason {
            Reason::Malformed => &c.refused_malformed,
            Reason::Message => &c.refused_message,
            Reason::Nonce => &c.refused_nonce,
            Reason::Signature => &c.refused_signature,
        });
        refusal(self.status, &self.message)
    }
}

/// What a login proved.
pub(crate) struct Proven {
    /// The account, in its canonical form (EIP-55 or base58).
    pub(crate) address: String,
    /// The message's `Expiration Time`, unix milliseconds.
    pub(crate) expires_ms: Option<u64>,
}

/// What a login body proves, using up the message's nonce; or why not.
pub(crate) fn login(state: &SiwxState, mode: Mode, body: &Bytes) -> Result<Proven, Refused> {
    let malformed = |m: &str| Refused::new(Reason::Malformed, m);
    let body: Value = serde_json::from_slice(body).map_err(|_| malformed(BODY_SHAPE))?;
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let message = text("message").ok_or_else(|| malformed(BODY_SHAPE))?;
    let signature = text("signature").ok_or_else(|| malformed(BODY_SHAPE))?;
    let parsed =
        parse(state.kind, message).map_err(|why| malformed(&format!("Invalid message: {why}")))?;
    let account = match state.kind {
        Kind::Siwe => siwe_account(&parsed, message, signature)?,
        Kind::Siws => siws_account(&parsed, message, signature)?,
    };
    check_fields(state, &parsed)?;
    state
        .nonces
        .check(&parsed.nonce, mode, false)
        .map_err(|r| Refused::new(Reason::Nonce, r.message()))?;
    if !account.signed {
        return Err(Refused::new(
            Reason::Signature,
            "Signature does not match the message's address",
        ));
    }
    state
        .nonces
        .check(&parsed.nonce, mode, true)
        .map_err(|r| Refused::new(Reason::Nonce, r.message()))?;
    Ok(Proven {
        address: account.address,
        expires_ms: parsed.expires_ms,
    })
}

/// An account named by a message, and whether the signature proves it.
struct Account {
    address: String,
    signed: bool,
}

fn siwe_account(parsed: &SignIn, message: &str, signature: &str) -> Result<Account, Refused> {
    let malformed = |m: &str| Refused::new(Reason::Malformed, m);
    let digits = parsed
        .address
        .strip_prefix("0x")
        .filter(|d| d.len() == 40)
        .ok_or_else(|| malformed("Invalid message: the address must be 0x and 40 hex digits"))?;
    let mut address = [0u8; 20];
    hex::decode_to_slice(digits, &mut address)
        .map_err(|_| malformed("Invalid message: the address must be 0x and 40 hex digits"))?;
    if !is_eth_signature(signature) {
        return Err(malformed(SIWE_SIGNATURE_FORMAT));
    }
    Ok(Account {
        address: auth_types::EvmAddress::from_bytes(address).to_checksum(),
        signed: siwe_signed_by(message, signature, &address),
    })
}

fn siws_account(parsed: &SignIn, message: &str, signature: &str) -> Result<Account, Refused> {
    let malformed = |m: &str| Refused::new(Reason::Malformed, m);
    let pubkey: auth_types::SolanaPubkey = parsed.address.parse().map_err(|_| {
        malformed("Invalid message: the address must be a base58 public key of 32 bytes")
    })?;
    let signature =
        parse_siws_signature(signature).ok_or_else(|| malformed(SIWS_SIGNATURE_FORMAT))?;
    Ok(Account {
        address: pubkey.to_base58(),
        signed: siws_signed_by(pubkey.as_bytes(), message, &signature),
    })
}

/// The domain, chain and times of a parsed message.
fn check_fields(state: &SiwxState, parsed: &SignIn) -> Result<(), Refused> {
    let refused = |m: String| Refused::new(Reason::Message, m);
    if parsed.domain != state.domain {
        return Err(refused(format!(
            "The message's domain is not this server's ({})",
            state.domain
        )));
    }
    let chain = parsed.chain_id.as_deref();
    match state.kind {
        Kind::Siwe if chain != Some(state.chain_id().to_string().as_str()) => {
            return Err(refused(format!("Chain ID must be {}", state.chain_id())));
        }
        Kind::Siws if !matches!(chain, None | Some("mainnet" | "solana:mainnet")) => {
            return Err(refused(
                "Chain ID must be mainnet or solana:mainnet".to_owned(),
            ));
        }
        _ => {}
    }
    let now = unix_now_ms();
    if let Some(issued) = parsed.issued_at_ms {
        if issued > now.saturating_add(CLOCK_SKEW_MS) {
            return Err(refused("Issued At is in the future".to_owned()));
        }
        let oldest = now.saturating_sub(state.nonces.ttl_ms().saturating_add(CLOCK_SKEW_MS));
        if issued < oldest {
            return Err(refused("Issued At is older than a nonce lives".to_owned()));
        }
    }
    if parsed.expires_ms.is_some_and(|t| t <= now) {
        return Err(refused("Expired message".to_owned()));
    }
    if parsed
        .not_before_ms
        .is_some_and(|t| t > now.saturating_add(CLOCK_SKEW_MS))
    {
        return Err(refused("Message is not yet valid (Not Before)".to_owned()));
    }
    Ok(())
}
