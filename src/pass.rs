//! The [`Pass`] trait: one family of defects, text in, findings out.

use crate::finding::Finding;

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
}
