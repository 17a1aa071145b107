//! Seeded keys: the same seed gives the same wallet in every test, and different seeds
//! keep tests that share a sandbox apart.

use auth_signing::ethereum::LocalEthSigner;
use auth_signing::solana::SolanaKeypair;

/// An Ethereum signer whose 32 key bytes are all `seed`.
///
/// # Panics
///
/// For a seed that is no valid secp256k1 key: `0` (and `0xff`, beyond the curve order).
pub fn eth_signer(seed: u8) -> LocalEthSigner {
    LocalEthSigner::from_hex(&format!("{seed:02x}").repeat(32)).unwrap()
}

/// A Solana keypair whose 32 seed bytes are all `seed`.
pub fn solana_keypair(seed: u8) -> SolanaKeypair {
    SolanaKeypair::from_seed_bytes([seed; 32])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_is_the_same_wallet_and_another_seed_is_not() {
        assert_eq!(eth_signer(1).address(), eth_signer(1).address());
        assert_ne!(eth_signer(1).address(), eth_signer(2).address());
        assert_eq!(solana_keypair(1).pubkey(), solana_keypair(1).pubkey());
        assert_ne!(solana_keypair(1).pubkey(), solana_keypair(2).pubkey());
    }

    #[test]
    fn the_key_bytes_are_the_seed_repeated() {
        let by_hand = LocalEthSigner::from_hex(&"07".repeat(32)).unwrap();
        assert_eq!(eth_signer(7).address(), by_hand.address());
        let by_hand = SolanaKeypair::from_seed_bytes([7; 32]);
        assert_eq!(solana_keypair(7).pubkey(), by_hand.pubkey());
    }
}
