//! Sign-in message texts: EIP-4361 (`SiweMessage::parse`) and Sign In With Solana
//! (`SiwsFields::parse_text`, `SiwsMessage::parse`). No panic; a SIWE text that parses
//! formats back to itself and parses again to the same message; SIWS fields written and
//! read again reach a fixed point after one round (as `@solana/wallet-standard-util`'s
//! own functions do), and a SIWS message that parses is its own text.
#![no_main]

use auth_signing::siwe::SiweMessage;
use auth_signing::siws::{SiwsFields, SiwsMessage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    match SiweMessage::parse(text) {
        Ok(message) => {
            let formatted = message.to_string();
            assert_eq!(formatted, text, "a parsed SIWE text formats back to itself");
            let again = SiweMessage::parse(&formatted).expect("a formatted SIWE message parses");
            assert_eq!(again, message);
            let rebuilt = SiweMessage::from_fields(message.fields()).expect("its fields are valid");
            assert_eq!(rebuilt, message);
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }

    if let Some(first) = SiwsFields::parse_text(text) {
        let second = SiwsFields::parse_text(&first.to_text()).expect("written fields parse");
        let third = SiwsFields::parse_text(&second.to_text()).expect("written fields parse");
        assert_eq!(third, second, "SIWS fields reach a fixed point after one round");
    }
    match SiwsMessage::parse(text) {
        Ok(message) => {
            assert_eq!(message.to_string(), text);
            let rebuilt = SiwsMessage::from_fields(message.fields()).expect("its fields are valid");
            assert_eq!(rebuilt, message);
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
});
