//! "Does this text look like mojibake?": the badness test.
//!
//! Text is bad when any sequence of `rules/mojibake/heuristic.toml` occurs in
//! it: a few characters whose classes (from `rules/mojibake/tables.txt`) rarely
//! meet in real writing but always meet in UTF-8 read as a single-byte codec
//! (`Ã©`, `â€™`, `Ã¢â‚¬`). It says nothing about how to repair; it decides
//! whether a repair is tried at all and whether a run inside mixed text is
//! mojibake. Every sequence has a non-ASCII character, so only the few
//! characters around non-ASCII ones are ever compared.

use super::data::Data;

/// Whether `text` contains any badness sequence.
pub(super) fn is_bad(data: &Data, text: &str) -> bool {
    const RING: usize = 8;
    debug_assert!(data.max_len <= RING);
    let mut ring = [0u128; RING];
    // Index of the last non-ASCII character, plus one (0 = none yet).
    let mut last_non_ascii = 0usize;
    for (n, c) in text.chars().enumerate() {
        let mask = data.mask(c);
        ring[n % RING] = mask;
        if !c.is_ascii() {
            last_non_ascii = n + 1;
        }
        if last_non_ascii == 0 || n + 1 - last_non_ascii >= data.max_len {
            continue;
        }
        if mask & data.last_union == 0 {
            continue;
        }
        'seq: for seq in &data.sequences {
            let len = seq.masks.len();
            if n + 1 < len || (seq.at_start && n + 1 != len) {
                continue;
            }
            let first = n + 1 - len;
            for (k, &m) in seq.masks.iter().enumerate() {
                if ring[(first + k) % RING] & m == 0 {
                    continue 'seq;
                }
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::data::data;
    use super::*;

    #[test]
    fn common_mojibake_is_bad() {
        for text in ["donâ€™t", "Â£5", "cafÃ©", "â€œquotedâ€\u{9d}", "Ã¢â‚¬â„¢"]
        {
            assert!(is_bad(data(), text), "{text:?}");
        }
    }

    #[test]
    fn ordinary_text_is_not_bad() {
        for text in [
            "plain ASCII",
            "Erdoğan visited Zürich",
            "Naïve “quoted” text – with £5 and 10°C",
            "MÃE",
            "Ελληνικά, русский, 日本語",
        ] {
            assert!(!is_bad(data(), text), "{text:?}");
        }
    }

    #[test]
    fn start_anchor_only_matches_at_the_start() {
        assert!(is_bad(data(), "Ã le"));
        assert!(!is_bad(data(), "XÃ le"));
    }

    #[test]
    fn the_seven_character_sequence_is_seen() {
        assert!(is_bad(data(), "xГўВЂВ™s"));
    }
}
