//! The [`Pass`] trait: one family of defects, text in, findings out.

use crate::finding::Finding;

/// How much text a pass looks at to decide about one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locality {
    /// Findings on a line depend only on that line: after other passes edit a
    /// few lines, the pipeline re-checks just those lines.
    Line,
    /// Findings may depend on anything in the document (e.g. quotation pairing
    /// across paragraphs): the pass always checks the whole text.
    Document,
}

/// A rule pass. It looks at text and reports findings; it never edits text itself
/// and never does I/O. The pipeline decides which fixes to apply.
///
/// Passes are built once (from configuration and rule files) and then shared
/// across threads, so `check` takes `&self`.
pub trait Pass: Send + Sync {
    /// The pass's name as users type it (`--disable quotes`) and see it in diffs.
    fn name(&self) -> &'static str;

    /// Appends a finding for every defect in `text`. Spans and edits are byte
    /// offsets into `text`, on character boundaries; a fix's edits must not
    /// overlap each other.
    fn check(&self, text: &str, findings: &mut Vec<Finding>);

    /// Whether the pass is line-local (see [`Locality`]). A `Line` pass must
    /// report, for any slice of whole lines, what it reports for those lines
    /// inside the whole document. A `Document` pass must find nothing to fix in
    /// its own output (the pipeline does not re-check a document pass's own
    /// edits; the idempotence tests catch a pass that breaks this).
    fn locality(&self) -> Locality {
        Locality::Document
    }

    /// Whether another pass's *word edit* (letters replaced by letters, with
    /// only spaces or hyphens between, such as `Dimitri Peskov` → `Dmitry
    /// Peskov`) can change what this pass finds. A pass that only looks at
    /// punctuation, quotation marks and the class of their neighbours answers
    /// `false`, so the pipeline does not re-check it after such edits.
    fn sees_word_edits(&self) -> bool {
        true
    }
}

/// Whether replacing `removed` by `inserted` is a word edit (see
/// [`Pass::sees_word_edits`]): both are letters or digits at both ends, with
/// only letters, digits, spaces, no-break spaces and hyphens inside.
pub fn is_word_edit(removed: &str, inserted: &str) -> bool {
    let wordy = |s: &str| {
        let ends = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        ends(s.chars().next())
            && ends(s.chars().next_back())
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '\u{A0}' | '-'))
    };
    wordy(removed) && wordy(inserted)
}

#[cfg(test)]
mod tests {
    use super::is_word_edit;

    #[test]
    fn word_edits_keep_letters_at_both_ends() {
        assert!(is_word_edit("Dimitri Peskov", "Dmitry Peskov"));
        assert!(is_word_edit("Nagorno Karabakh", "Nagorno-Karabakh"));
        assert!(is_word_edit("color", "colour"));
        assert!(!is_word_edit(".", ""), "deleting a stop is not a word edit");
        assert!(!is_word_edit("“", ""));
        assert!(!is_word_edit("don’t", "dont"), "an apostrophe inside");
        assert!(
            !is_word_edit("a ", "a"),
            "a space at the end changes a neighbour"
        );
        assert!(!is_word_edit("", "x"), "an insertion");
    }
}
