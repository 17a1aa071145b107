//! On any text: `parse_text` never panics, and `to_text` then `parse_text` reaches a fixed
//! point after one round (the first may move lines that look like fields out of a
//! statement, as JavaScript's does). Messages round-trip exactly.

use auth_signing::siws::{SiwsFields, SiwsMessage};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    Config {
        cases: 2000,
        rng_seed: RngSeed::Fixed(0x5105),
        failure_persistence: None,
        ..Config::default()
    }
}

fn text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just(String::new()),
        "[a-z ]{0,6}",
        prop::sample::select(vec![
            "URI: x",
            "Version: 1",
            "Chain ID: mainnet",
            "Nonce: n",
            "Issued At: t",
            "Expiration Time: e",
            "Not Before: b",
            "Request ID: r",
            "Resources:",
            "- r",
            "- ",
            "URI: ",
            "\r",
            "ü",
        ])
        .prop_map(str::to_owned),
    ];
    (
        prop::sample::select(vec!["example.com", "", "a b"]),
        prop::sample::select(vec![
            "5Wh8ovzHnUCKjNrFtpYwGz2jTpcRbBr9jLEzdnY6Lmd2",
            "",
            "x",
        ]),
        prop::collection::vec(line, 0..12),
    )
        .prop_map(|(domain, address, lines)| {
            let mut text =
                format!("{domain} wants you to sign in with your Solana account:\n{address}");
            for line in lines {
                text.push('\n');
                text.push_str(&line);
            }
            text
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn format_then_parse_reaches_a_fixed_point(text in prop_oneof![text(), "[\\s\\S]{0,80}"]) {
        if let Some(first) = SiwsFields::parse_text(&text) {
            let second = SiwsFields::parse_text(&first.to_text());
            prop_assert!(second.is_some(), "{:?} wrote {:?}", first, first.to_text());
            let second = second.unwrap_or_default();
            prop_assert_eq!(SiwsFields::parse_text(&second.to_text()), Some(second.clone()));
        }
        if let Ok(message) = SiwsMessage::parse(&text) {
            prop_assert_eq!(message.to_string(), text);
        }
    }
}
