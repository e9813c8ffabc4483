//! The `entities` pass (off by default): HTML character references in plain
//! text.
//!
//! Scraped text often keeps the escapes of the page it came from: `&amp;`,
//! `&quot;`, `&#39;`, `&rsquo;`. When the text has no markup left, those
//! are not HTML any more but damage, and this pass decodes them, like ftfy's
//! `unescape_html`.
//!
//! What it does (only in a document that contains no markup, that is no
//! `<` starting a tag such as `<p`, `</a`, `<!--`):
//! - `entities.decode` (safe): a complete reference with its `;` (named
//!   `&amp;`, `&eacute;`, decimal `&#8217;`, hex `&#x2019;`) → its character,
//!   as HTML5 defines it (the WHATWG table, through the `htmlize` crate; `&#146;`
//!   is `’` as in browsers).
//! - `entities.broken` (review): the forms left when a scraper dropped the
//!   `&`: `#39;`, `#8217;`, `#x27;`, and a few common names (`quot;`, `amp;`,
//!   `apos;`, `lt;`, `gt;`, `nbsp;`, `rsquo;`, `lsquo;`, `rdquo;`, `ldquo;`,
//!   `ndash;`, `mdash;`, `hellip;`); `amp;`, `lt;`, `gt;` only when not glued
//!   to a word before them (`camp;` is a word and a semicolon), or `amp;`
//!   between two capitals (`Ramp;D`).
//!   Review, because plain text can mean them (`see issue #39; it is fixed`).
//!
//! Why it is off by default: POLICY.md ("Markup, entities, whitespace") passes
//! entities through undecoded, because in a corpus that still holds HTML, or
//! that is HTML-escaped on purpose (a code sample, an article about HTML),
//! decoding changes what the text says (`&lt;b&gt;` becomes a tag) and cannot be
//! undone by the next tool. Turn it on (`--enable entities`) for text you know
//! to be plain.
//!
//! What it deliberately does not do: decode anything in a document with markup
//! (the text is HTML; decoding would mix escaped and real tags), decode a named
//! reference without its `;` (`AT&T`, `&copy 2020`, `this &not that` are
//! text), produce control characters, surrogates or U+FFFD from invalid numbers
//! (`&#0;`, `&#xD800;` stay).

use std::borrow::Cow;

use memchr::{memchr, memchr_iter};

use crate::finding::{Edit, Finding, Fix};
use crate::pass::Pass;

/// `entities.decode`
///
/// **What it does**: decodes a complete HTML character reference (`&amp;`,
/// `&quot;`, `&#39;`, `&#x2019;`) in a document without markup.
///
/// **Why is this bad?** In plain text the reference is an escape the scraper
/// forgot to undo: readers and tokenizers see `&quot;` instead of `"`.
///
/// **Example**: `Tom &amp; Jerry&#39;s` → `Tom & Jerry's`.
///
/// **Fix safety**: safe once the pass is on (it is off by default): only
/// references with their `;` that the HTML5 table knows, in text with no tag.
pub const DECODE: &str = "entities.decode";

/// `entities.broken`
///
/// **What it does**: repairs a reference whose `&` was dropped (`#39;`,
/// `quot;`, `amp;`) in a document without markup.
///
/// **Why is this bad?** It is an escape cut in half: `don#39;t`, `He said
/// quot;yesquot;`.
///
/// **Example**: `don#39;t` → `don't`.
///
/// **Fix safety**: review. Plain text can contain such a form on purpose
/// (`issue #39; fixed`), so a person confirms.
pub const BROKEN: &str = "entities.broken";

/// The longest reference looked at (`&CounterClockwiseContourIntegral;` has 33
/// bytes); longer runs are no reference.
const MAX_REFERENCE: usize = 40;

/// Named references whose `&` a scraper commonly drops.
const COMMON_NAMES: &[&str] = &[
    "quot", "amp", "apos", "lt", "gt", "nbsp", "rsquo", "lsquo", "rdquo", "ldquo", "ndash",
    "mdash", "hellip",
];

/// The `entities` pass. See the module documentation.
#[derive(Debug, Default)]
pub struct Entities {}

impl Entities {
    /// Builds the pass.
    pub fn new() -> Self {
        Entities {}
    }
}

impl Pass for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn check(&self, text: &str, findings: &mut Vec<Finding>) {
        let bytes = text.as_bytes();
        if memchr(b';', bytes).is_none() || has_markup(bytes) {
            return;
        }
        for semi in memchr_iter(b';', bytes) {
            if let Some(f) = reference_ending_at(text, semi) {
                findings.push(f);
            }
        }
    }

    fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
        let found = &text[finding.start..finding.end];
        let decoded = finding.replacement();
        Some(if finding.rule == DECODE {
            format!("HTML character reference `{found}` → `{decoded}`")
        } else {
            format!("`{found}` looks like an HTML reference that lost its `&`: `{decoded}`")
        })
    }
}

/// Whether the text has a `<` that starts a tag (`<p`, `</a`, `<!--`).
fn has_markup(bytes: &[u8]) -> bool {
    memchr_iter(b'<', bytes).any(|i| {
        bytes
            .get(i + 1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'/' || b == b'!')
    })
}

/// The finding for a reference (complete or broken) that ends with the `;`
/// at `semi`, if there is one.
fn reference_ending_at(text: &str, semi: usize) -> Option<Finding> {
    let bytes = text.as_bytes();
    let floor = semi.saturating_sub(MAX_REFERENCE);
    // The reference's body: `#`, `x`, letters and digits before the `;`.
    let body_start = (floor..semi)
        .rev()
        .find(|&i| !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'#'))
        .map_or(floor, |i| i + 1);
    if body_start == semi {
        return None;
    }
    // `#` only at the start of a body (`a#39;` is `a` + `#39;`).
    let body_start = match memchr::memrchr(b'#', &bytes[body_start..semi]) {
        Some(h) => body_start + h,
        None => body_start,
    };
    let body = &text[body_start..semi];
    let amp = body_start > 0 && bytes[body_start - 1] == b'&';
    if amp {
        let start = body_start - 1;
        let decoded = decode(&text[start..=semi])?;
        // The message is written by `describe`, only when it is shown.
        return Some(Finding::fixed(
            DECODE,
            start,
            semi + 1,
            "",
            Fix::safe([Edit::replace(start, semi + 1, decoded)]),
        ));
    }
    let (start, name_ok) = if body.starts_with('#') {
        (body_start, true)
    } else {
        // A name is the tail of the letters before the `;`.
        let name = COMMON_NAMES.iter().find(|n| body.ends_with(*n))?;
        let start = semi - name.len();
        let before = text[..start].chars().next_back();
        let after = text[semi + 1..].chars().next();
        // Glued to a word, only names no word ends with (`yesquot;`), not
        // `amp`, `lt`, `gt` (`camp;`, `belt;`).
        let glued =
            before.is_some_and(char::is_alphanumeric) && matches!(*name, "amp" | "lt" | "gt");
        // `Ramp;D`: `R&D` lost its `&`.
        let acronym = *name == "amp"
            && start - body_start == 1
            && before.is_some_and(|c| c.is_ascii_uppercase())
            && after.is_some_and(|c| c.is_ascii_uppercase());
        (start, !glued || acronym)
    };
    if !name_ok {
        return None;
    }
    let decoded = decode(&format!("&{};", &text[start..semi]))?;
    Some(Finding::fixed(
        BROKEN,
        start,
        semi + 1,
        "",
        Fix::review([Edit::replace(start, semi + 1, decoded)]),
    ))
}

/// The character(s) a complete reference `&…;` stands for, if the HTML5
/// table knows it and the result is printable text.
fn decode(reference: &str) -> Option<String> {
    let decoded: Cow<str> = htmlize::unescape(reference);
    let decoded = decoded.into_owned();
    // Not decoded, only partly decoded (a prefix such as `&notin` in
    // `&notinx;`), or decoded to junk: leave it.
    let junk = |c: char| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n'));
    if decoded == reference || (decoded.contains('&') && reference != "&amp;") {
        return None;
    }
    if decoded.ends_with(';') || decoded.chars().any(junk) {
        return None;
    }
    Some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{apply_edits, Applicability};

    /// The pass's findings on `text`, with their messages written (as the
    /// pipeline writes them).
    fn findings(text: &str) -> Vec<Finding> {
        let pass = Entities::new();
        let mut out = Vec::new();
        pass.check(text, &mut out);
        for f in &mut out {
            f.message = pass.describe(text, f).unwrap_or_default().into();
        }
        out
    }

    /// Applies every fix of `rule`.
    fn fixed(text: &str, rule: &str) -> String {
        let found = findings(text);
        let edits: Vec<&Edit> = found
            .iter()
            .filter(|f| f.rule == rule)
            .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
            .collect();
        apply_edits(text, &edits)
    }

    #[test]
    fn messages_show_the_reference_and_what_it_stands_for() {
        let found = findings("Fish &amp; chips, 5quot; off");
        assert_eq!(found[0].message, "HTML character reference `&amp;` → `&`");
        assert_eq!(
            found[1].message,
            "`quot;` looks like an HTML reference that lost its `&`: `\"`"
        );
    }

    #[test]
    fn complete_references_are_decoded_in_plain_text() {
        assert_eq!(
            fixed("Fish &amp; chips, &quot;fresh&quot; at 5&#37; off", DECODE),
            "Fish & chips, \"fresh\" at 5% off"
        );
        assert_eq!(fixed("caf&eacute; &#x2014; open", DECODE), "café — open");
        assert_eq!(fixed("it&#8217;s &hellip;", DECODE), "it’s …");
        assert_eq!(fixed("a &lt;b&gt; tag", DECODE), "a <b> tag");
        // Windows-1252 numbers are read as browsers do.
        assert_eq!(fixed("don&#146;t", DECODE), "don’t");
        let f = findings("x &amp; y");
        assert_eq!(f[0].applicability(), Applicability::Safe);
    }

    #[test]
    fn nothing_is_decoded_in_a_document_with_markup() {
        assert!(findings("<p>Fish &amp; chips</p>").is_empty());
        assert!(findings("x &amp; y\n<!-- note -->").is_empty());
        // `<` that starts no tag is no markup.
        assert_eq!(fixed("if a < b &amp;&amp; c", DECODE), "if a < b && c");
    }

    #[test]
    fn incomplete_unknown_or_invalid_references_are_text() {
        for text in [
            "AT&T and R&D",
            "&copy 2020 and this &not that",
            "&bogus; and &;",
            "&#0; &#xD800; &#1114112;",
            "a; b; c;",
        ] {
            assert!(findings(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn broken_references_are_review_fixes() {
        assert_eq!(fixed("don#39;t and #x27;hi#x27;", BROKEN), "don't and 'hi'");
        assert_eq!(
            fixed("He said quot;yesquot; Tom amp; Jerry", BROKEN),
            "He said \"yes\" Tom & Jerry"
        );
        assert_eq!(fixed("Ramp;D and Qamp;A", BROKEN), "R&D and Q&A");
        assert_eq!(fixed("wait hellip; ok", BROKEN), "wait … ok");
        let f = findings("don#39;t");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].applicability(), Applicability::Review);
    }

    #[test]
    fn words_that_end_like_a_name_are_not_broken_references() {
        for text in ["the camp; the lamp;", "Clamp; stamp;", "a blt; pgt;"] {
            assert!(findings(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn long_runs_are_linear_and_bounded() {
        let text = format!("{};", "a".repeat(100_000)).repeat(3);
        assert!(findings(&text).is_empty());
        let text = "&amp;".repeat(20_000);
        assert_eq!(findings(&text).len(), 20_000);
    }
}
