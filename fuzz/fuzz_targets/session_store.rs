//! The session's token file (`auth_session::FileStore`): any bytes as the file's content,
//! read by the store's own decoder (`FileStore::decode_entry`, all a load does after
//! reading the file). Never panics; an error is one of the four a file's content can
//! cause (malformed, another version, too large, sealed without a key) and carries only
//! the store's path and numbers, never the content; what loads
//! round-trips through what the store writes (`FileStore::encode_entry`), which is a
//! fixed point, and the tokens' `Debug` hides them.
#![no_main]

use auth_session::{EntryProblem, FileStore, StoreEntry, StoreError};
use libfuzzer_sys::fuzz_target;

/// An entry's parts, token texts exposed, for comparison.
fn parts(
    entry: &StoreEntry,
) -> (
    Option<auth_session::Identity>,
    String,
    Option<String>,
    std::time::SystemTime,
) {
    let tokens = &entry.tokens;
    (
        entry.identity.clone(),
        tokens.access_token.expose_secret().to_owned(),
        tokens
            .refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned()),
        tokens.expires_at,
    )
}

fuzz_target!(|data: &[u8]| {
    let store = FileStore::new("tokens.json");
    match store.decode_entry(data) {
        Ok(entry) => {
            let written = store
                .encode_entry(&entry)
                .expect("what loads can be written (inputs are far below the size limit)");
            let again = store
                .decode_entry(&written)
                .expect("what the store writes loads");
            assert_eq!(parts(&again), parts(&entry), "a loaded entry round-trips");
            assert_eq!(
                store.encode_entry(&again).expect("it was written once"),
                written,
                "writing is a fixed point"
            );
            let access = entry.tokens.access_token.expose_secret();
            if access.len() >= 8 {
                // (The identity is not secret and shows, so only the tokens' Debug.)
                assert!(
                    !format!("{:?}", entry.tokens).contains(access),
                    "the tokens' Debug shows the access token"
                );
            }
        }
        Err(error) => {
            // Only the path and numbers: the content (tokens) cannot be quoted.
            match &error {
                StoreError::Malformed { path, .. }
                | StoreError::UnsupportedVersion { path, .. }
                | StoreError::TooLarge { path, .. } => assert_eq!(path, store.path()),
                // A sealed entry, read by this store without a sealing key.
                StoreError::InvalidEntry {
                    store: name,
                    problem: EntryProblem::SealedWithoutKey,
                } => assert_eq!(name.as_str(), "tokens.json"),
                other => panic!("a file's content caused an I/O-kind error: {other:?}"),
            }
            let _ = format!("{error} {error:?}");
        }
    }
});
