//! The signer bridges end to end: a Pear login through an alloy signer and a pump.fun
//! login through a Solana SDK signer against the sandbox; signers that answer with another
//! key's signature are refused before anything is sent.

#![cfg(all(feature = "alloy", feature = "solana-signer"))]
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use alloy_primitives::{B256, Signature};
use alloy_signer_local::PrivateKeySigner;
use async_trait::async_trait;
use auth_sandbox::{Sandbox, SandboxConfig};
use auth_signing::alloy::AlloySigner;
use auth_signing::solana_sdk::SdkSigner;
use auth_signing::{EthSigner, SignerError, SolanaSigner, keccak256};
use pear_auth::{ApiError, PearClient, PearError};
use pump_auth::{PumpClient, PumpError};
use solana_keypair::Keypair;
use solana_signer::Signer as _;

const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

fn pear(sb: &Sandbox) -> PearClient {
    PearClient::builder()
        .base_url(sb.pear_url())
        .build()
        .unwrap()
}

fn pump(sb: &Sandbox) -> PumpClient {
    PumpClient::builder()
        .base_url(sb.pump_url())
        .build()
        .unwrap()
}

/// An alloy signer that claims one address and signs with another key; with
/// `flip_parity` it also answers with the wrong recovery bit, as a careless KMS signer might.
struct Liar {
    claims: PrivateKeySigner,
    signs: PrivateKeySigner,
    flip_parity: bool,
}

#[async_trait]
impl alloy_signer::Signer for Liar {
    async fn sign_hash(&self, hash: &B256) -> alloy_signer::Result<Signature> {
        let signature = self.signs.sign_hash(hash).await?;
        Ok(if self.flip_parity {
            signature.with_parity(!signature.v())
        } else {
            signature
        })
    }
    fn address(&self) -> alloy_primitives::Address {
        self.claims.address()
    }
    fn chain_id(&self) -> Option<u64> {
        None
    }
    fn set_chain_id(&mut self, _: Option<u64>) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pear_login_through_an_alloy_private_key_signer() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let local: PrivateKeySigner = KEY.parse().unwrap();
    let signer = AlloySigner::new(local.clone());
    assert_eq!(signer.address().as_bytes(), &local.address().into_array());
    assert_eq!(
        format!("{signer:?}"),
        "AlloySigner(0x2c7536E3605D9C16a7a3D7b1898e529396a65c23)"
    );
    let tokens = pear(&sb).login_eip712(&signer).await.unwrap();
    assert_eq!(tokens.address, Some(signer.address()));
    assert_eq!(sb.counters().pear_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alloy_signer_answering_for_another_key_is_refused_before_sending() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let liar = AlloySigner::new(Liar {
        claims: KEY.parse().unwrap(),
        signs: PrivateKeySigner::from_bytes(&B256::repeat_byte(0x22)).unwrap(),
        flip_parity: false,
    });
    let error = pear(&sb).login_eip712(&liar).await.unwrap_err();
    let PearError::Api(ApiError::Signer {
        source: SignerError::WrongSigner { expected, found },
    }) = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(expected, "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
    assert!(found.is_some());
    let c = sb.counters();
    assert_eq!(
        (c.pear_messages, c.pear_logins, c.pear_login_refusals),
        (1, 0, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_recovery_bit_is_corrected_not_sent() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let careless = AlloySigner::new(Liar {
        claims: KEY.parse().unwrap(),
        signs: KEY.parse().unwrap(),
        flip_parity: true,
    });
    let hash = keccak256(b"anything");
    let signature = careless.sign_hash(&hash).await.unwrap();
    let honest = AlloySigner::new(KEY.parse::<PrivateKeySigner>().unwrap());
    assert_eq!(signature, honest.sign_hash(&hash).await.unwrap());
    assert!(matches!(signature.v(), 27 | 28));
    pear(&sb).login_eip712(&careless).await.unwrap();
}

/// A Solana SDK signer that claims one key and signs with another.
struct SolanaLiar {
    claims: Keypair,
    signs: Keypair,
}

impl solana_signer::Signer for SolanaLiar {
    fn try_pubkey(&self) -> Result<solana_pubkey::Pubkey, solana_signer::SignerError> {
        Ok(self.claims.pubkey())
    }
    fn try_sign_message(
        &self,
        message: &[u8],
    ) -> Result<solana_signature::Signature, solana_signer::SignerError> {
        self.signs.try_sign_message(message)
    }
    fn is_interactive(&self) -> bool {
        false
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pump_login_through_a_solana_sdk_keypair() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let keypair = Keypair::new_from_array([7u8; 32]);
    let expected = keypair.pubkey().to_bytes();
    let signer = SdkSigner::new(keypair).unwrap();
    assert_eq!(signer.pubkey().as_bytes(), &expected);
    assert!(format!("{signer:?}").starts_with("SdkSigner("));
    let login = pump(&sb).login(&signer).await.unwrap();
    assert!(!login.token.expose_secret().is_empty());
    assert_eq!(sb.counters().pump_logins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_solana_signer_answering_for_another_key_is_refused_before_sending() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let liar = SdkSigner::new(SolanaLiar {
        claims: Keypair::new_from_array([7u8; 32]),
        signs: Keypair::new_from_array([8u8; 32]),
    })
    .unwrap();
    let error = pump(&sb).login(&liar).await.unwrap_err();
    assert!(
        matches!(
            error,
            PumpError::Api(ApiError::Signer {
                source: SignerError::WrongSigner { .. }
            })
        ),
        "{error:?}"
    );
    let c = sb.counters();
    assert_eq!((c.pump_logins, c.pump_login_refusals), (0, 0));
}
