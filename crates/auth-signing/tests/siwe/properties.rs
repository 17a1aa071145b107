//! Round trips (build → format → parse gives the same fields), and no panic and exact
//! re-formatting on any text.

use auth_signing::siwe::{SiweFields, SiweMessage, Timestamp};
use auth_types::EvmAddress;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn config() -> Config {
    Config {
        cases: 500,
        rng_seed: RngSeed::Fixed(4361),
        failure_persistence: None,
        ..Config::default()
    }
}

fn timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u64..253_402_300_799_000).prop_map(|ms| {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms);
            Timestamp::from_system_time(t).to_string()
        }),
        "20[0-9]{2}-0[1-9]-[01][0-9]T[01][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-]0[0-9]:[0-5][0-9])"
            .prop_filter("a real date", |t| Timestamp::parse(t).is_ok()),
    ]
}

fn uri() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["https", "http", "ipfs", "urn", "did"]),
        "[a-z0-9.-]{1,12}",
        "(/[a-zA-Z0-9._~%!$&'()*+,;=:@-]{0,8}){0,3}",
        prop::option::of("[a-zA-Z0-9=&/?]{0,8}"),
    )
        .prop_map(|(scheme, host, path, query)| {
            let mut uri = format!("{scheme}://{host}{path}");
            if let Some(q) = query {
                uri.push('?');
                uri.push_str(&q);
            }
            uri.replace("%", "%25")
        })
}

fn fields() -> impl Strategy<Value = SiweFields> {
    (
        (
            prop::option::of("[a-z][a-z0-9+.-]{0,6}"),
            "([a-z0-9_.~-]{1,8}@)?[a-z0-9.-]{1,16}(:[0-9]{1,5})?",
            any::<[u8; 20]>(),
            prop::option::of("[a-zA-Z0-9 ._~:/?#@!$&'()*+,;=\\[\\]-]{0,60}"),
            uri(),
            any::<u64>(),
            "[a-zA-Z0-9]{8,24}",
        ),
        (
            timestamp(),
            prop::option::of(timestamp()),
            prop::option::of(timestamp()),
            prop::option::of("[a-zA-Z0-9._~!$&'()*+,;=:@-]{0,16}"),
            prop::collection::vec(uri(), 0..4),
        ),
    )
        .prop_map(
            |(
                (scheme, domain, address, statement, uri, chain_id, nonce),
                (issued_at, expiration_time, not_before, request_id, resources),
            )| SiweFields {
                scheme,
                domain,
                address: EvmAddress::from_bytes(address).to_checksum(),
                statement,
                uri,
                version: "1".into(),
                chain_id,
                nonce,
                issued_at,
                expiration_time,
                not_before,
                request_id,
                resources,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn build_format_parse_gives_the_same_fields(fields in fields()) {
        let message = SiweMessage::from_fields(fields.clone())
            .map_err(|e| TestCaseError::fail(format!("{e}: {fields:?}")))?;
        let text = message.to_string();
        let parsed = SiweMessage::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        prop_assert_eq!(parsed.fields(), fields);
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn any_text_parses_to_itself_or_not_at_all(text in "(example.com wants you to sign in with your Ethereum account:\n)?[ -~\n]{0,300}") {
        if let Ok(message) = SiweMessage::parse(&text) {
            prop_assert_eq!(message.to_string(), text);
        }
    }

    #[test]
    fn a_mutated_message_parses_to_itself_or_not_at_all(fields in fields(), at in any::<prop::sample::Index>(), c in prop::sample::select(vec!['\n', ' ', 'a', ':', '0', '\r', 'é'])) {
        let text = SiweMessage::from_fields(fields).map(|m| m.to_string()).unwrap_or_default();
        let mut chars: Vec<char> = text.chars().collect();
        if !chars.is_empty() {
            let i = at.index(chars.len());
            chars[i] = c;
        }
        let mutated: String = chars.into_iter().collect();
        if let Ok(message) = SiweMessage::parse(&mutated) {
            prop_assert_eq!(message.to_string(), mutated);
        }
    }
}
