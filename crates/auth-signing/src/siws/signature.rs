//! Reading a signature as wallets hand it over: base58 text or 64 raw bytes.

use auth_signer::SolanaSignature;

use super::error::SiwsError;

/// Reads a signature given as base58 text (as Solana tools write it) or as 64 raw bytes
/// (as `signIn` returns it in a `Uint8Array`). A 64-byte input is raw: base58 of 64
/// bytes is 86 to 88 characters long.
///
/// ```
/// use auth_signing::siws::read_signature;
/// use auth_signing::solana::SolanaSignature;
/// let sig = SolanaSignature::from_bytes([7; 64]);
/// assert_eq!(read_signature(sig.as_bytes())?, sig);
/// assert_eq!(read_signature(sig.to_base58().as_bytes())?, sig);
/// assert!(read_signature(b"0OIl").is_err());
/// # Ok::<(), auth_signing::siws::SiwsError>(())
/// ```
pub fn read_signature(input: &[u8]) -> Result<SolanaSignature, SiwsError> {
    if let Ok(raw) = <[u8; 64]>::try_from(input) {
        return Ok(SolanaSignature::from_bytes(raw));
    }
    std::str::from_utf8(input)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or(SiwsError::MalformedSignature)
}
