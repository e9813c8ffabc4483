//! `--format json`: JSON Lines, one object per finding and nothing else.

use serde::Serialize;

use super::Located;

/// One finding as written to JSON Lines. `start`/`end` are byte offsets into the
/// input of the pass that reported it; `after` is `null` for a flag.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRecord<'a> {
    /// The document's path (`-` for stdin).
    pub path: &'a str,
    /// The pass that reported it.
    pub pass: &'a str,
    /// The rule id.
    pub rule: &'a str,
    /// 1-based line in the pass's input.
    pub line: usize,
    /// 1-based column (characters) in the pass's input.
    pub column: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The text of `start..end`.
    pub before: &'a str,
    /// Its replacement, or `null` for a flag.
    pub after: Option<&'a str>,
    /// `safe`, `review` or `flag`.
    pub applicability: &'static str,
    /// Whether `redline clean` with these settings applies it.
    pub applied: bool,
    /// The message for people.
    pub message: &'a str,
    /// The encoding the document was decoded from.
    pub encoding: &'a str,
    /// The pipeline round (1 unless a later pass revealed more to fix).
    pub round: usize,
    /// JSON Lines input: the document's line number in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_line: Option<usize>,
    /// JSON Lines input with `--id-field`: the document's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_id: Option<&'a str>,
}

impl<'a> FindingRecord<'a> {
    /// The record of a located finding.
    pub fn new(path: &'a str, encoding: &'a str, l: &'a Located<'a>) -> Self {
        FindingRecord {
            path,
            pass: l.step.pass,
            rule: l.finding.rule.as_ref(),
            line: l.line,
            column: l.column,
            start: l.start,
            end: l.end,
            before: l.before,
            after: l.after.as_deref(),
            applicability: l.applicability().as_str(),
            applied: l.applied,
            message: l.finding.message.as_ref(),
            encoding,
            round: l.step.round,
            document_line: None,
            document_id: None,
        }
    }

    /// The record as one line of JSON (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("finding records always serialise")
    }
}
