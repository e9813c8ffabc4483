//! Repairing one segment (a line) of text: the decisions, step by step.
//!
//! One step, on text that [`is_bad`]:
//! 1. Re-encode the whole segment with each single-byte codec in turn (the
//!    text must fit the codec); restore byte A0 where a program turned it into
//!    a space, mark bytes a sloppy codec had already replaced, and decode the
//!    bytes as UTF-8 (accepting CESU-8 surrogate pairs and `C0 80`). The first
//!    codec whose bytes are UTF-8 wins.
//! 2. Otherwise, find runs that look like UTF-8 sequences (mixed text:
//!    `Zürich` next to `donâ€™t`) and repair each run that is bad on its own.
//! 3. Otherwise, text whose only oddity is C1 control characters was
//!    Windows-1252 read as Latin-1: map them to Windows-1252.
//!
//! Steps repeat until nothing changes, which undoes two or more layers.
//! The result is what ftfy 6.3.1's `fix_encoding` gives for the same segment;
//! this module is written from a study of its algorithm, not from its code.

use super::badness::is_bad;
use super::data::{clue, BytePattern, Codec, Data};

/// How many steps one segment may take (each undoes one layer; real text
/// needs at most three or four).
const MAX_STEPS: usize = 16;

/// What a repair did, for the message and the rule.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    /// Codecs whose UTF-8 misreading was undone, in order (repeats = layers).
    pub codecs: Vec<&'static str>,
    /// Some spaces were bytes A0 (no-break spaces) originally.
    pub restored_a0: bool,
    /// Some characters had already been lost and became U+FFFD.
    pub lossy: bool,
    /// C1 control characters were read as Windows-1252.
    pub c1: bool,
}

/// Repairs `text`; `None` when it is left as it is.
pub(super) fn fix_encoding(data: &'static Data, text: &str) -> Option<(String, Plan)> {
    let mut plan = Plan::default();
    let mut current = match one_step(data, text, &mut plan) {
        Some(next) if next != text => next,
        _ => return None,
    };
    for _ in 1..MAX_STEPS {
        match one_step(data, &current, &mut plan) {
            Some(next) if next != current => current = next,
            _ => break,
        }
    }
    Some((current, plan))
}

fn one_step(data: &'static Data, text: &str, plan: &mut Plan) -> Option<String> {
    if text.is_ascii() || !is_bad(data, text) {
        return None;
    }
    let mut fits_latin1 = false;
    let fits = data.fitting_codecs(text);
    for (index, codec) in data.codecs.iter().enumerate() {
        if fits & (1 << index) == 0 {
            continue;
        }
        let Some(mut bytes) = codec.encode(text) else {
            continue;
        };
        if codec.name == "latin-1" {
            fits_latin1 = true;
        }
        let mut restored = false;
        let mut lossy = false;
        // In MacRoman, byte A0 is a dagger: `– ` would become a false sequence.
        if codec.name != "macintosh" && find(&data.restore_a0, &bytes) {
            let before = bytes.clone();
            bytes = restore_a0(data, &bytes);
            restored = bytes != before;
        }
        if codec.sloppy && find(&data.lossy, &bytes) {
            let replaced = replace(&data.lossy, &bytes, |_| "\u{fffd}".as_bytes().to_vec());
            lossy = replaced != bytes;
            bytes = replaced;
        }
        if let Some(fixed) = decode_utf8_variants(bytes) {
            plan.codecs.push(static_name(codec));
            plan.restored_a0 |= restored;
            plan.lossy |= lossy;
            return Some(fixed);
        }
    }

    if let Some(fixed) = decode_inconsistent(data, text, plan) {
        if fixed != text {
            return Some(fixed);
        }
    }

    if fits_latin1 {
        // Every character fits Latin-1 but is not UTF-8 there: C1 controls that
        // were Windows-1252 punctuation, if all of them are defined there.
        let w1252 = data.codec("windows-1252")?;
        let fixed: Option<String> = text
            .chars()
            .map(|c| match c {
                '\u{80}'..='\u{9f}' => w1252.decode_byte(c as u8, true),
                _ => Some(c),
            })
            .collect();
        if let Some(fixed) = fixed {
            if fixed != text {
                plan.c1 = true;
                return Some(fixed);
            }
        }
    }
    if text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        let w1252 = data.codec("windows-1252")?;
        let fixed: String = text
            .chars()
            .map(|c| match c {
                '\u{80}'..='\u{9f}' => w1252.decode_byte(c as u8, false).unwrap_or(c),
                _ => c,
            })
            .collect();
        plan.c1 |= fixed != text;
        return Some(fixed);
    }
    None
}

/// The codec's name as a `'static` string (the data lives for the program).
fn static_name(codec: &'static Codec) -> &'static str {
    codec.name.as_str()
}

/// Repairs the runs of `text` that look like UTF-8 sequences read as a
/// single-byte codec and are bad on their own; the rest stays.
fn decode_inconsistent(data: &'static Data, text: &str, plan: &mut Plan) -> Option<String> {
    // One clue byte per character; byte offsets come from a cursor that only
    // moves forward (a long line costs one byte per character here).
    let clues: Vec<u8> = text.chars().map(|c| data.clue(c)).collect();
    let mut at = super::CharCursor::new(text);
    let n = clues.len();
    let is_cont = |j: usize| j < n && clues[j] & clue::CONTINUATION != 0;
    let mut out = String::new();
    let mut copied = 0; // byte offset in `text` copied to `out` so far
    let mut any_run = false;
    let mut i = 0;
    while i < n {
        if i > 0 && clues[i - 1] & clue::STRICT != 0 {
            i += 1;
            continue;
        }
        let mut j = i;
        loop {
            let c = clues.get(j).copied().unwrap_or(0);
            if c & clue::FIRST_OF_2 != 0 && is_cont(j + 1) {
                j += 2;
            } else if c & clue::FIRST_OF_3 != 0 && is_cont(j + 1) && is_cont(j + 2) {
                j += 3;
            } else if c & clue::FIRST_OF_4 != 0 && (1..=3).all(|k| is_cont(j + k)) {
                j += 4;
            } else {
                break;
            }
        }
        if j == i {
            i += 1;
            continue;
        }
        any_run = true;
        let start = at.byte(i);
        let end = at.byte(j);
        let run = &text[start..end];
        if j - i < n && is_bad(data, run) {
            if let Some((fixed, sub_plan)) = fix_encoding(data, run) {
                out.push_str(&text[copied..start]);
                out.push_str(&fixed);
                copied = end;
                plan.codecs.extend(sub_plan.codecs);
                plan.restored_a0 |= sub_plan.restored_a0;
                plan.lossy |= sub_plan.lossy;
                plan.c1 |= sub_plan.c1;
            }
        }
        i = j;
    }
    if !any_run || copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Whether any pattern matches anywhere in `bytes`.
fn find(patterns: &[BytePattern], bytes: &[u8]) -> bool {
    // Patterns start at a byte from 0x80 up or at 0x1A: the ASCII runs
    // between are skipped a word at a time.
    let mut at = 0;
    while at < bytes.len() {
        let high = crate::passes::next_non_ascii(bytes, at).unwrap_or(bytes.len());
        if memchr::memchr(0x1a, &bytes[at..high]).is_some() {
            return (at..bytes.len()).any(|i| match_at(patterns, bytes, i).is_some());
        }
        if high < bytes.len() && match_at(patterns, bytes, high).is_some() {
            return true;
        }
        at = high + 1;
    }
    false
}

/// The length of the first pattern (in order) that matches at `i`.
#[inline]
fn match_at(patterns: &[BytePattern], bytes: &[u8], i: usize) -> Option<usize> {
    // Every pattern starts with a non-ASCII byte or 0x1A.
    if bytes[i] < 0x80 && bytes[i] != 0x1a {
        return None;
    }
    patterns.iter().find_map(|p| {
        let fits = i + p.len() <= bytes.len()
            && p.iter()
                .zip(&bytes[i..])
                .all(|(set, &b)| set[usize::from(b)]);
        fits.then_some(p.len())
    })
}

/// Replaces every match (left to right, not overlapping) with `with(match)`.
fn replace(patterns: &[BytePattern], bytes: &[u8], with: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match match_at(patterns, bytes, i) {
            Some(len) => {
                out.extend(with(&bytes[i..i + len]));
                i += len;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

/// Puts back bytes A0 that became spaces: first `Ã ` before a word is `à `
/// (the space after it is kept), then spaces inside would-be UTF-8 sequences.
fn restore_a0(data: &Data, bytes: &[u8]) -> Vec<u8> {
    let mut graved = Vec::with_capacity(bytes.len() + 4);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xc3 && bytes.get(i + 1) == Some(&b' ') {
            let rest = &bytes[i + 2..];
            if !data.a_grave_not_before.iter().any(|x| rest.starts_with(x)) {
                graved.extend_from_slice(&[0xc3, 0xa0, b' ']);
                i += 2;
                continue;
            }
        }
        graved.push(bytes[i]);
        i += 1;
    }
    replace(&data.restore_a0, &graved, |m| {
        m.iter()
            .map(|&b| if b == b' ' { 0xa0 } else { b })
            .collect()
    })
}

/// Decodes UTF-8, also accepting what careless encoders produce: CESU-8
/// (a supplementary character as two encoded surrogates) and `C0 80` for
/// U+0000. Anything else invalid fails.
pub(super) fn decode_utf8_variants(bytes: Vec<u8>) -> Option<String> {
    if memchr::memchr2(0xed, 0xc0, &bytes).is_none() {
        // Plain UTF-8: the bytes become the string, without a copy.
        return String::from_utf8(bytes).ok();
    }
    let mut out = String::with_capacity(bytes.len());
    let mut start = 0;
    let mut i = 0;
    let cont = |b: Option<&u8>, lo: u8, hi: u8| b.is_some_and(|&b| (lo..=hi).contains(&b));
    while i < bytes.len() {
        let b = bytes[i];
        let special = if b == 0xc0 {
            if bytes.get(i + 1) != Some(&0x80) {
                return None;
            }
            Some(('\0', 2))
        } else if b == 0xed && cont(bytes.get(i + 1), 0xa0, 0xbf) {
            let pair = cont(bytes.get(i + 1), 0xa0, 0xaf)
                && cont(bytes.get(i + 2), 0x80, 0xbf)
                && bytes.get(i + 3) == Some(&0xed)
                && cont(bytes.get(i + 4), 0xb0, 0xbf)
                && cont(bytes.get(i + 5), 0x80, 0xbf);
            if !pair {
                return None;
            }
            let cp = ((u32::from(bytes[i + 1]) & 0x0f) << 16)
                + ((u32::from(bytes[i + 2]) & 0x3f) << 10)
                + ((u32::from(bytes[i + 4]) & 0x0f) << 6)
                + (u32::from(bytes[i + 5]) & 0x3f)
                + 0x10000;
            Some((char::from_u32(cp)?, 6))
        } else {
            None
        };
        match special {
            Some((c, len)) => {
                out.push_str(std::str::from_utf8(&bytes[start..i]).ok()?);
                out.push(c);
                i += len;
                start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(std::str::from_utf8(&bytes[start..]).ok()?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::data::data;
    use super::*;

    fn fix(text: &str) -> String {
        fix_encoding(data(), text).map_or_else(|| text.to_string(), |(t, _)| t)
    }

    #[test]
    fn one_layer_of_windows_1252() {
        assert_eq!(fix("donâ€™t"), "don’t");
        assert_eq!(fix("Â£5"), "£5");
    }

    #[test]
    fn two_layers() {
        assert_eq!(
            fix("The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows."),
            "The Mona Lisa doesn’t have eyebrows."
        );
    }

    #[test]
    fn mixed_text_keeps_legitimate_letters() {
        assert_eq!(
            fix("Erdoğan in Zürich: donâ€™t"),
            "Erdoğan in Zürich: don’t"
        );
    }

    #[test]
    fn odd_but_legitimate_text_stays() {
        assert_eq!(fix("MÃE"), "MÃE");
        assert_eq!(fix("C O N C L U S Ã O"), "C O N C L U S Ã O");
    }

    #[test]
    fn cesu8_and_java_null_decode() {
        assert_eq!(
            decode_utf8_variants(b"\xed\xa0\xbd\xed\xb8\x8d".to_vec()).as_deref(),
            Some("😍")
        );
        let decode = |bytes: &[u8]| decode_utf8_variants(bytes.to_vec());
        assert_eq!(decode(b"a\xc0\x80b").as_deref(), Some("a\0b"));
        assert_eq!(decode(b"\xed\xa0\xbd"), None);
        assert_eq!(decode(b"\xc3"), None);
        assert_eq!(decode("plain é".as_bytes()).as_deref(), Some("plain é"));
    }

    #[test]
    fn the_pattern_search_skipping_ascii_finds_what_a_search_at_every_byte_finds() {
        let d = data();
        let alphabet = [
            b'a', b' ', 0x1a, 0xa0, 0xc2, 0xc3, 0xe2, 0x80, 0x9d, 0xef, 0xbf, 0xbd,
        ];
        let mut next = crate::passes::random_text::numbers(31);
        let mut found = [0, 0];
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..next(20))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            for patterns in [&d.restore_a0, &d.lossy] {
                let everywhere = (0..bytes.len()).any(|i| match_at(patterns, &bytes, i).is_some());
                assert_eq!(find(patterns, &bytes), everywhere, "{bytes:?}");
                found[usize::from(everywhere)] += 1;
            }
        }
        assert!(found[0] > 1000 && found[1] > 1000, "{found:?}");
    }

    #[test]
    fn lost_bytes_become_replacement_characters() {
        let (fixed, plan) = fix_encoding(data(), "â€œlossy decodingâ€\u{fffd}").unwrap();
        assert_eq!(fixed, "“lossy decoding\u{fffd}");
        assert!(plan.lossy);
    }

    #[test]
    fn a_space_that_was_a_no_break_space_is_restored() {
        let (fixed, plan) = fix_encoding(data(), "voilÃ le travail").unwrap();
        assert_eq!(fixed, "voilà le travail");
        assert!(plan.restored_a0);
    }

    #[test]
    fn c1_controls_become_windows_1252() {
        let (fixed, plan) = fix_encoding(data(), "parlé\u{85} Tu sais").unwrap();
        assert_eq!(fixed, "parlé… Tu sais");
        assert!(plan.c1 && plan.codecs.is_empty());
        // Bytes Windows-1252 leaves undefined stay.
        assert_eq!(
            fix("intentional \u{1a} \u{81}"),
            "intentional \u{1a} \u{81}"
        );
    }
}
