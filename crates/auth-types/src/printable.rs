//! Text from outside (a server's error message, a domain name, a type name) made safe to
//! show in an error, a log line or a terminal.
//!
//! A character is *unprintable* when it can drive a terminal or hide or reorder what is
//! shown around it: the controls (Unicode category Cc: C0 including ESC, DEL, C1), the
//! format characters (Cf: bidi embeddings, overrides, isolates and marks, zero-width
//! characters, the byte order mark, tags) and the line and paragraph separators (Zl, Zp).
//! Each is written as a visible escape, Rust-style: `\t`, `\r`, `\n`, and `\u{hex}` for the
//! rest (`\u{1b}`, `\u{202e}`). Every other character, printable Unicode included, is kept
//! as it is. A backslash is kept too: a server that writes the text `\u{1b}` shows those
//! six characters, which cannot drive a terminal either.

/// The format characters (Cf) beyond the controls, and the line and paragraph separators
/// (Zl, Zp), as inclusive ranges (Unicode 15).
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{ad}', '\u{ad}'),
    ('\u{600}', '\u{605}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{6dd}', '\u{6dd}'),
    ('\u{70f}', '\u{70f}'),
    ('\u{890}', '\u{891}'),
    ('\u{8e2}', '\u{8e2}'),
    ('\u{180e}', '\u{180e}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{2028}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0001}', '\u{e0001}'),
    ('\u{e0020}', '\u{e007f}'),
];

/// Whether `c` must not be shown raw: a control (C0, DEL, C1), a format character (bidi
/// overrides and isolates, zero-width characters, …) or a line or paragraph separator.
///
/// ```
/// use auth_types::is_unprintable;
/// assert!(is_unprintable('\u{1b}') && is_unprintable('\u{202e}') && is_unprintable('\u{200b}'));
/// assert!(!is_unprintable('a') && !is_unprintable('é') && !is_unprintable('…'));
/// ```
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || FORMAT_CHARACTERS
            .iter()
            .any(|&(first, last)| (first..=last).contains(&c))
}

/// `text` with every unprintable character ([`is_unprintable`]) written as a visible
/// escape: `\t`, `\r`, `\n`, else `\u{hex}`. Use it on any text a server chose before it
/// goes into an error message.
///
/// ```
/// let shown = auth_types::escape_unprintable("\u{1b}]0;title\u{7}\u{1b}[2J\nOK \u{202e}gnp.exe");
/// assert_eq!(shown, r"\u{1b}]0;title\u{7}\u{1b}[2J\nOK \u{202e}gnp.exe");
/// assert_eq!(auth_types::escape_unprintable("Pear Protocol ✓"), "Pear Protocol ✓");
/// ```
pub fn escape_unprintable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_shown(&mut out, c);
    }
    out
}

/// [`escape_unprintable`], cut to at most `max_chars` characters of the escaped text,
/// followed by `…` when anything was left out. The cut falls between two characters of
/// `text`: an escape is kept whole or left out whole, never split.
///
/// ```
/// use auth_types::escape_unprintable_cut;
/// assert_eq!(escape_unprintable_cut("short", 10), "short");
/// assert_eq!(escape_unprintable_cut("abcdefgh", 4), "abcd…");
/// // `\u{1b}` is six characters: it does not fit after `ab` in five.
/// assert_eq!(escape_unprintable_cut("ab\u{1b}c", 5), "ab…");
/// ```
pub fn escape_unprintable_cut(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut shown = 0usize;
    let mut piece = String::new();
    for c in text.chars() {
        piece.clear();
        push_shown(&mut piece, c);
        let len = piece.chars().count();
        if shown + len > max_chars {
            out.push('…');
            return out;
        }
        out.push_str(&piece);
        shown += len;
    }
    out
}

/// Appends `c` to `out`, escaped if it is unprintable.
fn push_shown(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str(r"\t"),
        '\r' => out.push_str(r"\r"),
        '\n' => out.push_str(r"\n"),
        c if is_unprintable(c) => out.extend(c.escape_unicode()),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_of_every_block_are_escaped() {
        for c in ('\0'..='\u{1f}')
            .chain(['\u{7f}'])
            .chain('\u{80}'..='\u{9f}')
        {
            assert!(is_unprintable(c), "U+{:04X}", u32::from(c));
            let shown = escape_unprintable(&c.to_string());
            assert!(shown.starts_with('\\'), "U+{:04X}: {shown}", u32::from(c));
            assert!(!shown.chars().any(is_unprintable), "{shown}");
        }
        assert_eq!(
            escape_unprintable("\0\u{7f}\u{85}\u{9b}"),
            r"\u{0}\u{7f}\u{85}\u{9b}"
        );
        assert_eq!(escape_unprintable("a\tb\r\nc"), r"a\tb\r\nc");
    }

    #[test]
    fn bidi_and_invisible_format_characters_are_escaped() {
        for c in ('\u{202a}'..='\u{202e}')
            .chain('\u{2066}'..='\u{2069}')
            .chain('\u{200b}'..='\u{200f}')
            .chain([
                '\u{2028}',
                '\u{2029}',
                '\u{61c}',
                '\u{feff}',
                '\u{ad}',
                '\u{2060}',
                '\u{e0041}',
            ])
        {
            assert!(is_unprintable(c), "U+{:04X}", u32::from(c));
            assert_eq!(
                escape_unprintable(&c.to_string()),
                format!("\\u{{{:x}}}", u32::from(c))
            );
        }
    }

    #[test]
    fn printable_text_is_kept_as_it_is() {
        let text = "Pear Protocol — café 日本語 🍐 \\u{1b} \"quoted\" 'single' <b>&amp;";
        assert_eq!(escape_unprintable(text), text);
        assert_eq!(escape_unprintable_cut(text, 1000), text);
        for c in [
            ' ', '~', '\u{a0}', '\u{a1}', 'é', '€', '\u{2027}', '\u{202f}', '\u{2065}',
        ] {
            assert!(!is_unprintable(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn the_cut_keeps_escapes_whole_at_every_length() {
        let text = "ab\u{1b}[2J\u{202e}xyz\n";
        let full = escape_unprintable(text);
        for max in 0..full.chars().count() + 3 {
            let cut = escape_unprintable_cut(text, max);
            let kept = cut.strip_suffix('…').unwrap_or(&cut);
            assert!(kept.chars().count() <= max, "{max}: {cut}");
            assert!(full.starts_with(kept), "{max}: {cut}");
            // What is kept is the escape of a prefix of the text: no escape is split.
            assert!(
                (0..=text.chars().count())
                    .any(|n| escape_unprintable(&text.chars().take(n).collect::<String>()) == kept),
                "{max}: an escape was split: {cut}"
            );
            assert_eq!(cut.ends_with('…'), kept != full, "{max}: {cut}");
            assert!(!cut.chars().any(is_unprintable), "{max}: {cut}");
        }
        assert_eq!(escape_unprintable_cut("", 0), "");
        assert_eq!(escape_unprintable_cut("x", 0), "…");
        assert_eq!(escape_unprintable_cut("日本語", 2), "日本…");
    }
}
