//! The default passes, one file each, in pipeline order.
//!
//! `entities` (off by default) → `mojibake` → `unicode` → `punctuation` → `quotes`
//! → `variants`. Decoding bytes into text happens before any pass, at the edge
//! (`crate::io::decode`). `entities`, when on, runs first, as ftfy's
//! `unescape_html` does: an escaped mojibake (`&Atilde;&copy;`) is then
//! repaired in the same run.

use std::collections::HashSet;

use crate::config::RuleSet;
use crate::pass::Pass;

pub mod entities;
pub mod mojibake;
pub mod punctuation;
pub mod quotes;
pub mod unicode;
pub mod variants;

#[cfg(test)]
pub(crate) mod random_text;

/// Builds the passes that have at least one active rule, in pipeline order.
pub fn build(rules: &RuleSet, active: &HashSet<String>) -> Vec<Box<dyn Pass>> {
    let has_active = |pass: &str| {
        rules
            .files
            .iter()
            .filter(|f| f.data.pass == pass)
            .flat_map(|f| &f.data.rule)
            .any(|r| active.contains(&r.id))
    };
    let mut passes: Vec<Box<dyn Pass>> = Vec::new();
    if has_active("entities") {
        passes.push(Box::new(entities::Entities::new()));
    }
    if has_active("mojibake") {
        passes.push(Box::new(mojibake::Mojibake::new()));
    }
    if has_active("unicode") {
        passes.push(Box::new(unicode::Unicode::new()));
    }
    if has_active("punctuation") {
        passes.push(Box::new(punctuation::Punctuation::new(rules)));
    }
    if has_active("quotes") {
        passes.push(Box::new(quotes::Quotes::new()));
    }
    if has_active("variants") {
        passes.push(Box::new(variants::Variants::new(rules, active)));
    }
    passes
}

/// The first byte at or after `from` that is not ASCII, eight bytes at a time:
/// most of any text is ASCII, and several passes only look at the rest.
pub(crate) fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        if word & HIGH != 0 {
            return Some(i + (word & HIGH).trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| bytes[j] >= 0x80)
}

/// A C0 control (or DEL) that `unicode.invisible-extra` removes: every one but
/// tab, line feed, form feed and carriage return.
pub(crate) fn is_junk_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0C | b'\r')) || b == 0x7F
}

#[cfg(test)]
mod tests {
    use super::next_non_ascii;

    #[test]
    fn next_non_ascii_finds_the_first_high_byte() {
        let text = "0123456789abcdef£".as_bytes();
        assert_eq!(next_non_ascii(text, 0), Some(16));
        assert_eq!(next_non_ascii(b"abc", 0), None);
        assert_eq!(next_non_ascii("é".as_bytes(), 0), Some(0));
        assert_eq!(next_non_ascii("é0123456789£".as_bytes(), 2), Some(12));
    }
}
