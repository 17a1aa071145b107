//! The signing crate on its own: hash and sign EIP-712 typed data from a file or stdin.
//!
//! ```text
//! export PRIVATE_KEY=0x…
//! cargo run --example sign_typed_data -- message.json
//! ```
//!
//! With no file, it signs the EIP-712 specification's Mail example with the key
//! `keccak256("cow")`, and prints what the specification prints.

use std::process::ExitCode;

use auth_signing::eip712::TypedData;
use auth_signing::ethereum::LocalEthSigner;
use auth_signing::keccak256;
use auth_types::SecretBytes32;

const MAIL: &str = r#"{
  "types": {
    "EIP712Domain": [
      {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
      {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"},
             {"name": "contents", "type": "string"}]
  },
  "primaryType": "Mail",
  "domain": {"name": "Ether Mail", "version": "1", "chainId": 1,
             "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
  "message": {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!"
  }
}"#;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (text, signer) = match std::env::args().nth(1) {
        Some(path) => {
            let key = std::env::var("PRIVATE_KEY")
                .map_err(|_| "set PRIVATE_KEY to the signing key (64 hex digits)")?;
            (
                std::fs::read_to_string(path)?,
                LocalEthSigner::from_hex(&key)?,
            )
        }
        None => (
            MAIL.to_owned(),
            LocalEthSigner::from_secret(SecretBytes32::new(keccak256(b"cow")))?,
        ),
    };
    let typed: TypedData = text.parse()?;
    println!(
        "encodeType:       {}",
        typed.encode_type(typed.primary_type()).unwrap_or_default()
    );
    let hashes = typed.hashes();
    println!(
        "domain separator: 0x{}",
        hex::encode(hashes.domain_separator)
    );
    println!("struct hash:      0x{}", hex::encode(hashes.struct_hash));
    println!("signing hash:     0x{}", hex::encode(hashes.signing_hash));
    println!("signer:           {}", signer.address());
    println!("signature:        {}", signer.sign_typed_data(&typed)?);
    Ok(())
}
