//! `--format json`: JSON Lines, one object per finding and nothing else.

use serde::Serialize;

use super::Located;
use crate::changeset::{fix_id, Decision};

/// One finding as written to JSON Lines. `start`/`end` are byte offsets into the
/// input of the pass that reported it; `after` is `null` for a flag. With `id`,
/// `decision` and `hash`, a stream of these is a change set for `redline apply`.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRecord<'a> {
    /// The fix's id: rule and byte range in the original document.
    pub id: String,
    /// The document's path (`-` for stdin).
    pub path: &'a str,
    /// The pass that reported it.
    pub pass: &'a str,
    /// The rule id.
    pub rule: &'a str,
    /// 1-based line in the original document.
    pub line: usize,
    /// 1-based column (characters) in the original document.
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
    /// First byte of the same place in the original document.
    pub origin_start: usize,
    /// One past its last byte.
    pub origin_end: usize,
    /// `accept`, `reject`, `pending` or `flag`: what `redline apply` does with it.
    pub decision: Decision,
    /// The hash of the original document (`sha256:…`), checked by `redline apply`.
    pub hash: &'a str,
    /// JSON Lines input: the document's line number in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_line: Option<usize>,
    /// JSON Lines input with `--id-field`: the document's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document_id: Option<&'a str>,
}

impl<'a> FindingRecord<'a> {
    /// The record of a located finding in a document with hash `hash`.
    pub fn new(path: &'a str, encoding: &'a str, hash: &'a str, l: &'a Located<'a>) -> Self {
        FindingRecord {
            id: fix_id(&l.finding.rule, &l.origin),
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
            origin_start: l.origin.start,
            origin_end: l.origin.end,
            decision: Decision::default_for(l.applicability()),
            hash,
            document_line: None,
            document_id: None,
        }
    }

    /// The record as one line of JSON (no newline).
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("finding records always serialise")
    }
}
