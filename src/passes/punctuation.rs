//! The `punctuation` pass (to be written).

use crate::config::RuleSet;
use crate::finding::Finding;
use crate::pass::Pass;

/// The `punctuation` pass.
#[derive(Debug)]
pub struct Punctuation {}

impl Punctuation {
    /// Builds the pass.
    pub fn new(_rules: &RuleSet) -> Self {
        Punctuation {}
    }
}

impl Pass for Punctuation {
    fn name(&self) -> &'static str {
        "punctuation"
    }

    fn check(&self, _text: &str, _findings: &mut Vec<Finding>) {}
}
