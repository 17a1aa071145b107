//! The steps of a wallet login that need no client: signing a checked message, and
//! reading Pear's "timestamp already used" refusal.

use auth_provider::ApiError;
use auth_signing::EthSigner;
use auth_signing::ethereum::EthSignature;
use auth_transport::http::StatusCode;

use crate::error::PearError;
use crate::message::LoginMessage;

/// Signs a checked login message.
pub(crate) async fn sign(
    signer: &dyn EthSigner,
    message: &LoginMessage,
) -> Result<EthSignature, PearError> {
    tracing::trace!(target: "pear_auth", timestamp = message.timestamp(), "login message checked; signing");
    Ok(signer
        .sign_typed_data(message.typed_data())
        .await
        .map_err(|source| ApiError::Signer { source })?)
}

/// Whether Pear refused a login because its timestamp was already used (401
/// `Timestamp already used`).
pub(crate) fn timestamp_already_used(error: &PearError) -> bool {
    matches!(
        error,
        PearError::Api(ApiError::Refused { status, message, .. })
            if *status == StatusCode::UNAUTHORIZED
                && message.to_ascii_lowercase().contains("timestamp already used")
    )
}
