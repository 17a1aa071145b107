//! A small process-wide memo of type hashes, keyed by the whole `encodeType` text.
//!
//! A type hash depends only on the struct definitions, and a program signs the same few
//! types again and again (every Pear login is an `Authentication`), so recomputing it for
//! each document is one or two wasted Keccak permutations per struct. The memo holds at
//! most [`ENTRIES`] texts of at most [`MAX_TEXT`] bytes, so hostile input can neither grow
//! it nor make a lookup slow; it only ever changes how fast a hash is found, never which.

use std::sync::Mutex;

/// How many `encodeType` texts are remembered (the oldest is forgotten first).
const ENTRIES: usize = 32;

/// Longer `encodeType` texts are not remembered.
pub(crate) const MAX_TEXT: usize = 512;

static MEMO: Mutex<Vec<(String, [u8; 32])>> = Mutex::new(Vec::new());

/// Whether `text` is the concatenation of `parts`.
fn is_concatenation(mut text: &str, parts: &[&str]) -> bool {
    for part in parts {
        match text.strip_prefix(part) {
            Some(rest) => text = rest,
            None => return false,
        }
    }
    text.is_empty()
}

/// The remembered type hash of the `encodeType` text made of `parts`, if any.
pub(crate) fn get(parts: &[&str]) -> Option<[u8; 32]> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > MAX_TEXT {
        return None;
    }
    // A poisoned lock only means another thread panicked mid-insert: skip the memo.
    let memo = MEMO.lock().ok()?;
    memo.iter()
        .find(|(text, _)| text.len() == len && is_concatenation(text, parts))
        .map(|(_, hash)| *hash)
}

/// Remembers the type hash of the `encodeType` text made of `parts`.
pub(crate) fn put(parts: &[&str], hash: [u8; 32]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > MAX_TEXT {
        return;
    }
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= ENTRIES {
            memo.remove(0);
        }
        memo.push((parts.concat(), hash));
    }
}

#[cfg(test)]
mod tests {
    use super::is_concatenation;

    #[test]
    fn concatenation_must_cover_the_whole_text() {
        assert!(is_concatenation(
            "A(uint8 a)B(bool b)",
            &["A(uint8 a)", "B(bool b)"]
        ));
        assert!(!is_concatenation("A(uint8 a)B(bool b)", &["A(uint8 a)"]));
        assert!(!is_concatenation(
            "A(uint8 a)",
            &["A(uint8 a)", "B(bool b)"]
        ));
        assert!(!is_concatenation("A(uint8 a)", &["A(uint8 b)"]));
    }
}
