//! What surrounds a candidate mark: neighbouring characters, HTML tags, URLs
//! and abbreviations.
//!
//! Every function here looks only at the current line and at most
//! [`LOOK_LIMIT`] bytes around the candidate, so a pathological line costs a
//! bounded amount per candidate. Candidates are rare (a doubled mark, a stop
//! after a quote), so none of this runs on ordinary sentences.

use memchr::{memchr3, memmem, memrchr3};

/// How far back or forward (in bytes) a context check looks on one line.
const LOOK_LIMIT: usize = 1024;

/// The character that ends just before byte `i`.
pub(super) fn char_before(text: &str, i: usize) -> Option<char> {
    text[..i].chars().next_back()
}

/// The character that starts at byte `i`.
pub(super) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Closing quotation marks in the conventions redline meets: English curly
/// double and single, straight double and single, and the French closing
/// guillemet. (`“` closes only German `„…“`; see `quotation`.)
pub(super) fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | '»')
}

/// Closing brackets.
pub(super) fn is_closing_bracket(c: char) -> bool {
    matches!(c, ')' | ']' | '}')
}

/// Whether what follows byte `i` ends a sentence-final mark: end of text,
/// whitespace, a closing quote or bracket, or a closing HTML tag, possibly
/// after Markdown emphasis markers (`end..** Next`). With `strict`, only end of
/// text or whitespace (used at the end of a URL, where a quote or bracket may
/// still belong to the address).
pub(super) fn is_boundary_at(text: &str, i: usize, strict: bool) -> bool {
    let i = if strict { i } else { skip_emphasis(text, i) };
    match char_at(text, i) {
        None => true,
        Some(c) if c.is_whitespace() => true,
        Some(_) if strict => false,
        Some(c) if is_closing_quote(c) || is_closing_bracket(c) => true,
        Some('<') => text[i..].starts_with("</"),
        Some(_) => false,
    }
}

/// Markdown emphasis markers (`*`, `_`) are ordinary text, but a stop next to
/// them still ends the word they wrap: the byte after a run of them at `i`.
fn skip_emphasis(text: &str, i: usize) -> usize {
    i + text.as_bytes()[i.min(text.len())..]
        .iter()
        .take_while(|&&b| b == b'*' || b == b'_')
        .count()
}

/// The byte where a run of Markdown emphasis markers ending at `i` starts
/// (`i` itself when there is none), so that `**bold**..` ends the word `bold`.
pub(super) fn before_emphasis(text: &str, i: usize) -> usize {
    i - text.as_bytes()[..i]
        .iter()
        .rev()
        .take_while(|&&b| b == b'*' || b == b'_')
        .count()
}

/// Whether a `<` at byte `lt` starts an HTML tag (`<p`, `</a`, `<!--`).
fn starts_tag(text: &str, lt: usize) -> bool {
    matches!(text.as_bytes().get(lt + 1), Some(b) if b.is_ascii_alphabetic() || *b == b'/' || *b == b'!')
}

/// Whether the closing bracket at byte `close` ends code-like indexing or a
/// call in the same token (`x[1..]`, `f(a..)`): its opening bracket follows a
/// word character. A range there is code, not a doubled stop.
pub(super) fn closes_code_bracket(text: &str, close: usize) -> bool {
    let bytes = text.as_bytes();
    let open = match bytes.get(close) {
        Some(b']') => b'[',
        Some(b')') => b'(',
        _ => return false,
    };
    let floor = close.saturating_sub(LOOK_LIMIT);
    let token_start =
        memrchr3(b' ', b'\n', b'\t', &bytes[floor..close]).map_or(floor, |i| floor + i + 1);
    match memchr::memrchr(open, &bytes[token_start..close]) {
        Some(i) => {
            let at = token_start + i;
            at > token_start && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
        }
        None => false,
    }
}

/// Whether the `>` at byte `gt` ends an HTML tag opened on the same line.
pub(super) fn ends_tag(text: &str, gt: usize) -> bool {
    let bytes = text.as_bytes();
    let floor = gt.saturating_sub(LOOK_LIMIT);
    for i in (floor..gt).rev() {
        match bytes[i] {
            b'<' => return starts_tag(text, i),
            b'>' | b'\n' => return false,
            _ => {}
        }
    }
    false
}

/// Whether byte `p` lies inside an HTML tag (`<a href="../x">`): between a
/// `<` that starts a tag and its `>`, on one line. Tags and attribute values
/// are never edited.
pub(super) fn in_tag(text: &str, p: usize) -> bool {
    let bytes = text.as_bytes();
    let floor = p.saturating_sub(LOOK_LIMIT);
    let Some(i) = memrchr3(b'<', b'>', b'\n', &bytes[floor..p]) else {
        return false;
    };
    let lt = floor + i;
    if bytes[lt] != b'<' || !starts_tag(text, lt) {
        return false;
    }
    let ceiling = (p + LOOK_LIMIT).min(bytes.len());
    memchr3(b'<', b'>', b'\n', &bytes[p..ceiling]).is_some_and(|i| bytes[p + i] == b'>')
}

/// Whether byte `p` lies in a URL: the whitespace-delimited token it ends
/// contains `://` or starts with `www.` (after any opening brackets or quotes).
pub(super) fn in_url(text: &str, p: usize) -> bool {
    let bytes = text.as_bytes();
    let floor = p.saturating_sub(LOOK_LIMIT);
    let start = memrchr3(b' ', b'\n', b'\t', &bytes[floor..p]).map_or(floor, |i| floor + i + 1);
    let mut token = &bytes[start..p];
    loop {
        token = match token {
            [b'(' | b'[' | b'<' | b'"' | b'\'', rest @ ..] => rest,
            // `“` and `‘`
            [0xE2, 0x80, 0x9C | 0x98, rest @ ..] => rest,
            _ => break,
        };
    }
    memmem::find(token, b"://").is_some()
        || token
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"www."))
}

/// Whether the run of marks at `start..end` lies inside a web address, where
/// it is part of the address (`…/Content/0,,ABC123_DEF,00.html`): more of the
/// address follows on the same token, and the token so far is a URL (scheme or
/// `www.`) or a path with a `/`. Marks that end the token are punctuation.
pub(super) fn in_address(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let continues = bytes
        .get(end)
        .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b')' | b']'));
    if !continues || start == 0 {
        return false;
    }
    let floor = start.saturating_sub(LOOK_LIMIT);
    let token_start =
        memrchr3(b' ', b'\n', b'\t', &bytes[floor..start]).map_or(floor, |i| floor + i + 1);
    in_url(text, start) || memchr::memchr(b'/', &bytes[token_start..start]).is_some()
}

/// The current line around byte `p`, at most [`LOOK_LIMIT`] bytes each way.
fn line_window(text: &str, p: usize) -> &[u8] {
    let bytes = text.as_bytes();
    &bytes[line_window_range(bytes, p)]
}

/// Where [`line_window`] lies in `bytes`.
fn line_window_range(bytes: &[u8], p: usize) -> std::ops::Range<usize> {
    let floor = p.saturating_sub(LOOK_LIMIT);
    let ceiling = (p + LOOK_LIMIT).min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[floor..p]).map_or(floor, |i| floor + i + 1);
    let end = memchr::memchr(b'\n', &bytes[p..ceiling]).map_or(ceiling, |i| p + i);
    start..end
}

/// What marks a line of script or data left in scraped text
/// (`{"err":"Try again.","ok":…}`, `s.title="News";`). No marker can lie
/// inside another that starts before it (no `"` or `=` in `function(`, and
/// the three-byte markers share no tail with `="`), which [`CodeLines`] uses.
const CODE_MARKERS: &[&str] = &["\":\"", "\",\"", "\":{", "\":[", "\");", "=\"", "function("];

/// Whether byte `p` lies on a line of script or data (a [`CODE_MARKERS`]
/// marker within the [`line_window`]): its quotes delimit strings and its
/// punctuation is not prose. [`CodeLines`] answers the same for candidates
/// met in order, without searching each one's window again.
#[cfg(test)]
pub(super) fn in_code_line(text: &str, p: usize) -> bool {
    let line = line_window(text, p);
    CODE_MARKERS
        .iter()
        .any(|c| memmem::find(line, c.as_bytes()).is_some())
}

/// [`in_code_line`] for the candidates of one check, asked in text order: it
/// keeps the first marker at or after the last window's start, so each part
/// of the text is searched once however many candidates a line has (a line
/// with a `.".` every few bytes would otherwise search 2 KiB per candidate).
#[derive(Debug, Default)]
pub(super) struct CodeLines {
    /// Where the kept search started; `None` before the first question.
    from: Option<usize>,
    /// The first marker (start, end) starting at or after `from`.
    next: Option<(usize, usize)>,
}

impl CodeLines {
    /// Whether byte `p` lies on a line of script or data (see
    /// [`in_code_line`]). Any order of questions gives the right answer; in
    /// text order they cost one search of the text in all.
    pub(super) fn contains(&mut self, text: &str, p: usize) -> bool {
        static MARKERS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
            std::sync::LazyLock::new(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(CODE_MARKERS)
                    .expect("fixed markers")
            });
        let bytes = text.as_bytes();
        let window = line_window_range(bytes, p);
        let stale = match (self.from, self.next) {
            (None, _) => true,
            // Asked about an earlier place: search again from there.
            (Some(from), _) if window.start < from => true,
            (Some(_), Some((start, _))) => start < window.start,
            (Some(_), None) => false,
        };
        if stale {
            self.from = Some(window.start);
            self.next = MARKERS
                .find(&bytes[window.start..])
                .map(|m| (window.start + m.start(), window.start + m.end()));
        }
        // The first marker in the window, if any, is the first at or after
        // its start (none ends before one that starts earlier).
        self.next.is_some_and(|(_, end)| end <= window.end)
    }
}

/// Whether the line around byte `p` is Spanish or German, where the
/// sentence's own full stop follows a closing quote even when the quotation
/// ends with `!` or `?` (RAE: `“¡Váyanse!”.`; Duden: `mit einem „Guten
/// Abend!“.`). Spanish shows itself by `¡` or `¿`; German by its function
/// words outnumbering English ones.
pub(super) fn in_stop_after_quote_language(text: &str, p: usize) -> bool {
    let line = line_window(text, p);
    if memmem::find(line, "¡".as_bytes()).is_some() || memmem::find(line, "¿".as_bytes()).is_some()
    {
        return true;
    }
    const GERMAN: &[&str] = &[
        "und", "der", "die", "das", "nicht", "ist", "mit", "ich", "ein", "eine", "einem", "wird",
        "sich", "auf", "den", "dem", "zu", "im", "von", "wir",
    ];
    const ENGLISH: &[&str] = &[
        "the", "and", "of", "to", "is", "in", "that", "it", "was", "for", "with", "on",
    ];
    let line = String::from_utf8_lossy(line);
    let (mut german, mut english) = (0, 0);
    for word in line.split(|c: char| !c.is_alphabetic()) {
        let lower = word.to_lowercase();
        german += usize::from(GERMAN.contains(&lower.as_str()));
        english += usize::from(ENGLISH.contains(&lower.as_str()));
    }
    german >= 3 && german > 2 * english
}

/// The word that ends with the `.` at byte `dot` (`U.S.`, `Inc.`, `a.m.`): the
/// letters, digits and dots before it, up to the previous other character.
pub(super) fn word_ending_at(text: &str, dot: usize) -> &str {
    let start = text[..dot]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(dot, |(i, _)| i);
    &text[start..=dot]
}

/// Whether `word` (ending in `.`) is an initialism such as `U.S.`, `a.m.` or
/// `D.C.`: two or more single letters, each followed by a dot.
pub(super) fn is_initialism(word: &str) -> bool {
    let mut letters = 0;
    let mut chars = word.chars();
    loop {
        match (chars.next(), chars.next()) {
            (None, _) => return letters >= 2,
            (Some(c), Some('.')) if c.is_alphabetic() => letters += 1,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_recognised_only_with_a_tag_name() {
        let t = r#"<a href="../x">y</a>.."#;
        assert!(in_tag(t, t.find("..").unwrap()));
        assert!(!in_tag(t, t.rfind("..").unwrap()));
        assert!(ends_tag(t, t.rfind('>').unwrap()));
        assert!(!in_tag("a < b.. c > d", 5));
        assert!(!ends_tag("a -> b", 3));
    }

    #[test]
    fn urls_are_tokens_with_a_scheme_or_www() {
        let t = "see https://x.org/a.. and www.bbc.co.uk.. or plain.. text";
        assert!(in_url(t, t.find("a..").unwrap() + 1));
        assert!(in_url(t, t.find("uk..").unwrap() + 2));
        assert!(!in_url(t, t.find("plain..").unwrap() + 5));
        assert!(in_url("(http://a.b/c", 13));
        assert!(in_url("“www.x.org/a", 14));
        // A look-back that starts inside a multi-byte character must not panic.
        let long = format!("{}a..", "é".repeat(LOOK_LIMIT));
        assert!(!in_url(&long, long.len() - 2));
        assert!(!in_tag(&long, long.len() - 2));
    }

    #[test]
    fn code_lines_asked_in_order_or_not_answer_as_each_window_searched_alone() {
        let unit = [
            "said \"a.\". ",
            "{\"k\":\"v.\"} ",
            "x=\"1.\"\n",
            "function(a.b) ",
            "é.\n",
        ];
        // Lines of several lengths around the look limit, markers far apart.
        let mut text = String::new();
        let mut next = crate::passes::random_text::numbers(7);
        while text.len() < 12 * LOOK_LIMIT {
            let pick = next(usize::MAX);
            let rare = pick % 40 == 0;
            text.push_str(if rare {
                unit[pick / 40 % 5]
            } else {
                "plain words. "
            });
            if pick % 97 == 0 {
                text.push_str(&"w".repeat(LOOK_LIMIT + pick % 300));
            }
        }
        let places: Vec<usize> = (0..text.len())
            .filter(|&p| text.is_char_boundary(p))
            .collect();
        let mut in_order = CodeLines::default();
        for &p in &places {
            assert_eq!(
                in_order.contains(&text, p),
                in_code_line(&text, p),
                "at {p}"
            );
        }
        // Out of order (a later place, then earlier ones) too.
        let mut jumping = CodeLines::default();
        for (i, &p) in places.iter().enumerate().rev().step_by(7) {
            let q = places[(i * 31) % places.len()];
            assert_eq!(jumping.contains(&text, q), in_code_line(&text, q), "at {q}");
            assert_eq!(jumping.contains(&text, p), in_code_line(&text, p), "at {p}");
        }
    }

    #[test]
    fn code_lines_and_languages() {
        let t = r#"var x = {"a":"Try again.","b":1};"#;
        assert!(in_code_line(t, t.find(".\"").unwrap()));
        let t = "He said \"no.\", then left.";
        assert!(!in_code_line(t, 10));
        let t = "Dijo: “¡No!”. Y se fue.";
        assert!(in_stop_after_quote_language(t, t.find('.').unwrap()));
        let t = "Ich sah den Film \"Wer ist das?\". Er war gut und ich mag ihn.";
        assert!(in_stop_after_quote_language(t, t.find('.').unwrap()));
        let t = "They cried \"Resign!\". Then the ministers of the state left.";
        assert!(!in_stop_after_quote_language(t, t.find('.').unwrap()));
    }

    #[test]
    fn addresses_continue_after_the_marks() {
        let t = "http://www.site.com/Content/0,,ABC123_DEF,00.html";
        let p = t.find(",,").unwrap();
        assert!(in_address(t, p, p + 2));
        let t = "site.com/news/0,,2099,00.html and";
        let p = t.find(",,").unwrap();
        assert!(in_address(t, p, p + 2));
        let t = "see http://x.org/a,, then";
        let p = t.find(",,").unwrap();
        assert!(!in_address(t, p, p + 2), "the marks end the address");
        let t = "It cost 1,,204,000";
        let p = t.find(",,").unwrap();
        assert!(!in_address(t, p, p + 2), "no address");
    }

    #[test]
    fn words_and_initialisms() {
        let t = "in the U.S.. Then";
        let dot = t.find("..").unwrap();
        assert_eq!(word_ending_at(t, dot), "U.S.");
        assert!(is_initialism("U.S."));
        assert!(is_initialism("a.m."));
        assert!(!is_initialism("Inc."));
        assert!(!is_initialism("A."));
        assert!(!is_initialism("Ph.D."));
    }

    #[test]
    fn code_brackets() {
        assert!(closes_code_bracket("x[1..]", 5));
        assert!(closes_code_bracket("f(a..)", 5));
        assert!(!closes_code_bracket("(see 4..)", 8));
        assert!(!closes_code_bracket("(4..)", 4));
        assert!(!closes_code_bracket("a..b", 3));
    }

    #[test]
    fn boundaries() {
        assert!(is_boundary_at("a.", 2, false));
        assert!(is_boundary_at("a. b", 2, false));
        assert!(is_boundary_at("a.”", 2, false));
        assert!(is_boundary_at("a.)", 2, false));
        assert!(is_boundary_at("a.</p>", 2, false));
        assert!(!is_boundary_at("a.<br>", 2, false));
        assert!(!is_boundary_at("a.b", 2, false));
        assert!(!is_boundary_at("a.)", 2, true));
        assert!(!is_boundary_at("a.“b", 2, false));
        assert!(is_boundary_at("a.** b", 2, false));
        assert!(!is_boundary_at("a.**b", 2, false));
        assert!(!is_boundary_at("a.** b", 2, true));
        assert_eq!(before_emphasis("**b**..", 5), 3);
        assert_eq!(before_emphasis("b..", 1), 1);
    }
}
