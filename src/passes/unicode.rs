//! The `unicode` pass (to be written).

use crate::finding::Finding;
use crate::pass::Pass;

/// The `unicode` pass.
#[derive(Debug, Default)]
pub struct Unicode {}

impl Unicode {
    /// Builds the pass.
    pub fn new() -> Self {
        Unicode {}
    }
}

impl Pass for Unicode {
    fn name(&self) -> &'static str {
        "unicode"
    }

    fn check(&self, _text: &str, _findings: &mut Vec<Finding>) {}
}
