//! `corpus.json`: what `parseSignInMessageText` and `createSignInMessageText` answered
//! (see `tests/data/siws/README.md`); Rust must answer the same on every input.

use auth_signing::siws::SiwsFields;
use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    package: String,
    parse: Vec<ParseCase>,
    create: Vec<CreateCase>,
}

#[derive(Deserialize)]
struct ParseCase {
    text: String,
    fields: Option<SiwsFields>,
}

#[derive(Deserialize)]
struct CreateCase {
    fields: SiwsFields,
    text: String,
}

fn corpus() -> Corpus {
    serde_json::from_str(include_str!("../data/siws/corpus.json")).unwrap()
}

#[test]
fn parse_text_answers_as_parse_sign_in_message_text() {
    let corpus = corpus();
    assert_eq!(corpus.package, "@solana/wallet-standard-util");
    assert!(corpus.parse.len() >= 300);
    assert!(corpus.parse.iter().filter(|c| c.fields.is_some()).count() >= 60);
    for (i, case) in corpus.parse.iter().enumerate() {
        assert_eq!(
            SiwsFields::parse_text(&case.text),
            case.fields,
            "parse case {i}: {:?}",
            case.text
        );
    }
}

#[test]
fn to_text_writes_as_create_sign_in_message_text() {
    let corpus = corpus();
    assert!(corpus.create.len() >= 200);
    for (i, case) in corpus.create.iter().enumerate() {
        assert_eq!(
            case.fields.to_text(),
            case.text,
            "create case {i}: {:?}",
            case.fields
        );
    }
}
