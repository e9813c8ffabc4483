//! The `mojibake` pass (to be written).

use crate::finding::Finding;
use crate::pass::Pass;

/// The `mojibake` pass.
#[derive(Debug, Default)]
pub struct Mojibake {}

impl Mojibake {
    /// Builds the pass.
    pub fn new() -> Self {
        Mojibake {}
    }
}

impl Pass for Mojibake {
    fn name(&self) -> &'static str {
        "mojibake"
    }

    fn check(&self, _text: &str, _findings: &mut Vec<Finding>) {}
}
