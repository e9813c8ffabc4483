//! The `quotes` pass (to be written).

use crate::finding::Finding;
use crate::pass::Pass;

/// The `quotes` pass.
#[derive(Debug, Default)]
pub struct Quotes {}

impl Quotes {
    /// Builds the pass.
    pub fn new() -> Self {
        Quotes {}
    }
}

impl Pass for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn check(&self, _text: &str, _findings: &mut Vec<Finding>) {}
}
