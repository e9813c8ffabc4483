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
///
/// Every sequence has a non-ASCII character and spans at most `max_len`
/// characters, so only the neighbourhood of non-ASCII characters matters:
/// they are grouped into clusters (less than `max_len - 1` ASCII bytes apart),
/// and a cluster of one character is only looked at if that character can
/// make a sequence with ASCII alone (`Â`, `Ã`, `œ`, C1 controls). A typical
/// line with a few curly quotes and a `£` is decided without comparing any
/// sequence.
pub(super) fn is_bad(data: &Data, text: &str) -> bool {
    let bytes = text.as_bytes();
    let gap = data.max_len - 1;
    let mut pos = 0;
    while let Some(start) = crate::passes::next_non_ascii(bytes, pos) {
        let mut end = start;
        let mut count = 0;
        let mut lone = false;
        // Whether a character of the cluster is in a class of
        // `non_ascii_mask`: the window's other characters are ASCII, and every
        // sequence needs one such character, so a cluster without one
        // (combining marks, say) cannot make one.
        let mut classed = false;
        loop {
            let c = text[end..].chars().next().expect("a character boundary");
            end += c.len_utf8();
            count += 1;
            let mask = data.mask(c).bits;
            lone |= mask & data.lone_mask != 0;
            classed |= mask & data.non_ascii_mask != 0;
            // Non-ASCII characters come back to back in most mojibake.
            if bytes.get(end).is_some_and(|&b| b >= 0x80) {
                continue;
            }
            match crate::passes::next_non_ascii(bytes, end) {
                Some(next) if next - end < gap => end = next,
                _ => break,
            }
        }
        if classed && (count > 1 || lone) {
            let from = start.saturating_sub(gap);
            let to = (end + gap).min(bytes.len());
            if window_is_bad(data, &text[from..to], from == 0) {
                return true;
            }
        }
        pos = end;
    }
    false
}

/// The characters of U+0080–U+00FF (bit `k` for U+0080 + `k`) of which,
/// with ASCII characters, the common punctuation of news (`– — ‘ ’ “ ” …`)
/// and each other, no badness sequence can be made: a text whose only
/// non-ASCII characters are those is never bad, so the repair is never
/// tried on it (see `Triggers::quiet_latin1`). Taken in code-point order,
/// each kept when no sequence then has every element matched by one of the
/// characters kept so far (a character matches an element when their
/// classes share a bit).
pub(super) fn quiet_latin1(data: &Data) -> u128 {
    let matchable = |classes: u128| {
        data.sequences
            .iter()
            .any(|s| s.masks.iter().all(|&m| m & classes != 0))
    };
    let mut classes = data.ascii_masks.iter().fold(0, |acc, c| acc | c.bits);
    for c in crate::triggers::COMMON_PUNCTUATION {
        classes |= data.mask(c).bits;
    }
    let mut quiet = 0u128;
    for cp in 0x80u32..=0xFF {
        let c = char::from_u32(cp).expect("a Latin-1 character");
        let bits = data.mask(c).bits;
        if !matchable(classes | bits) {
            classes |= bits;
            quiet |= 1 << (cp - 0x80);
        }
    }
    quiet
}

/// Whether a sequence occurs in `window`; `at_start` says whether it begins
/// the text (for sequences anchored there).
fn window_is_bad(data: &Data, window: &str, at_start: bool) -> bool {
    const RING: usize = 8;
    debug_assert!(data.max_len <= RING);
    let mut ring = [0u128; RING];
    // The sequences the previous character can be the element before the
    // last of (any, before the first: none of two or more is that short).
    let mut follows = u64::MAX;
    for (i, c) in window.chars().enumerate() {
        let class = data.mask(c);
        ring[i % RING] = class.bits;
        let n = i + 1;
        // Only sequences whose last element this character matches and whose
        // element before it the previous one matched can end here; compare
        // the rest from the back, where they differ most.
        let mut candidates = class.ends & follows;
        follows = class.follows;
        'seq: while candidates != 0 {
            let index = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let seq = &data.sequences[index];
            let len = seq.masks.len();
            if n < len || (seq.at_start && !(at_start && n == len)) {
                continue;
            }
            for k in (0..len - 1).rev() {
                if ring[(n - len + k) % RING] & seq.masks[k] == 0 {
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

    fn is_quiet(c: char) -> bool {
        quiet_latin1(data()) & (1 << (u32::from(c) - 0x80)) != 0
    }

    /// The no-break space is quiet (more than half of the dirty benchmark
    /// file's lines with a rare character have no other); the lead bytes of UTF-8
    /// read as Latin-1 (`Â`, `Ã`, `â`) and C1 controls are not.
    #[test]
    fn the_no_break_space_is_quiet_and_mojibake_leads_are_not() {
        assert!(is_quiet('\u{a0}'));
        for c in ['Â', 'Ã', 'â', '\u{80}', '\u{9d}'] {
            assert!(!is_quiet(c), "{c:?}");
        }
    }

    /// Every character of U+0080–U+00FF, as a piece of the texts below:
    /// the quiet ones are kept.
    fn latin1_pieces() -> &'static [&'static str] {
        static PIECES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
        PIECES.get_or_init(|| {
            let quiet = (0x80u32..=0xFF)
                .filter_map(char::from_u32)
                .filter(|&c| is_quiet(c))
                .map(|c| &*String::leak(c.to_string()));
            let others = [
                "–", "—", "‘", "’", "“", "”", "…", "a", "Z", " ", ".", "\"", "9", "'",
            ];
            quiet.chain(others).collect()
        })
    }

    proptest::proptest! {
        #![proptest_config(crate::passes::random_text::config())]

        /// A text made of ASCII, common punctuation and quiet characters is
        /// never bad, however they mix.
        #[test]
        fn quiet_characters_never_make_a_bad_text(
            text in crate::passes::random_text::texts(latin1_pieces(), 16)
        ) {
            proptest::prop_assert!(!is_bad(data(), &text));
        }
    }

    #[test]
    fn start_anchor_only_matches_at_the_start() {
        assert!(is_bad(data(), "Ã le"));
        assert!(!is_bad(data(), "XÃ le"));
    }

    #[test]
    fn sequences_after_long_ascii_stretches_are_seen() {
        let pad = "x".repeat(40);
        assert!(is_bad(data(), &format!("{pad}donâ€™t{pad}")));
        assert!(is_bad(data(), &format!("{pad}é{pad}xÂ£5")));
        assert!(!is_bad(data(), &format!("{pad}é{pad}Â")));
        // The start anchor does not match after a skip.
        assert!(!is_bad(data(), &format!("{pad}. Ã le")));
    }

    #[test]
    fn only_a_few_characters_make_a_sequence_with_ascii_alone() {
        let d = data();
        let lone = |c: char| d.mask(c).bits & d.lone_mask != 0;
        for c in ['Â', 'Ã', 'Œ', 'œ', '\u{85}', '\u{9d}'] {
            assert!(lone(c), "{c:?}");
        }
        for c in ['’', '“', '”', '£', 'é', '\u{a0}', 'ü', '€'] {
            assert!(!lone(c), "{c:?}");
        }
        // Isolated, such characters are never bad; side by side they may be.
        assert!(!is_bad(d, "a £ b “ c ’ d é"));
        assert!(is_bad(d, "a £“5"));
    }

    #[test]
    fn combining_marks_are_outside_every_sequence_and_skipped() {
        let d = data();
        assert_ne!(
            d.non_ascii_mask,
            u128::MAX,
            "every sequence has a non-ASCII-only element"
        );
        for c in ['\u{301}', '\u{308}', '\u{323}', '\u{302}', '\u{30A}'] {
            assert_eq!(d.mask(c).bits & d.non_ascii_mask, 0, "{c:?}");
        }
        for c in ['Ã', 'Â', 'â', '€', '™'] {
            assert_ne!(d.mask(c).bits & d.non_ascii_mask, 0, "{c:?}");
        }
    }

    /// 20,000 random texts of up to `max_len` characters of `alphabet`: the
    /// fast answer must equal the reference, and both answers must be common.
    fn sweep(
        alphabet: &str,
        seed: u64,
        max_len: usize,
        fast: impl Fn(&str) -> bool,
        reference: impl Fn(&str) -> bool,
    ) {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut next = crate::passes::random_text::numbers(seed);
        let (mut bad, mut good) = (0, 0);
        for _ in 0..20_000 {
            let len = next(max_len);
            let text: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let expected = reference(&text);
            assert_eq!(fast(&text), expected, "{text:?}");
            if expected {
                bad += 1
            } else {
                good += 1
            }
        }
        assert!(bad > 1000 && good > 1000, "{bad} bad, {good} good");
    }

    #[test]
    fn the_cluster_shortcuts_agree_with_a_look_at_every_character() {
        // `is_bad` looks only around non-ASCII clusters that can matter;
        // `window_is_bad` over the whole text compares at every character.
        sweep(
            "ab .Ã©Â£â€™œ\u{9d}\u{301}\u{308}e\u{a0}“’ÐŸ",
            5,
            14,
            |text| is_bad(data(), text),
            |text| window_is_bad(data(), text, true),
        );
    }

    #[test]
    fn the_window_test_agrees_with_every_sequence_tried_at_every_character() {
        // `window_is_bad` tries only the sequences the last two characters
        // allow; here every sequence is compared at every end, from the masks.
        let d = data();
        let reference = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            (1..=chars.len()).any(|n| {
                d.sequences.iter().any(|seq| {
                    let len = seq.masks.len();
                    len <= n
                        && (!seq.at_start || n == len)
                        && (0..len).all(|k| d.mask(chars[n - len + k]).bits & seq.masks[k] != 0)
                })
            })
        };
        sweep(
            "ab .Ã©Â£â€™œ\u{9d}\u{301}e\u{a0}“’ÐŸГўВ™ЂsšÅ¡Ä\u{8d}",
            9,
            12,
            |text| window_is_bad(d, text, true),
            reference,
        );
    }

    #[test]
    fn the_seven_character_sequence_is_seen() {
        assert!(is_bad(data(), "xГўВЂВ™s"));
    }
}
