//! The `variants` pass (to be written).

use std::collections::HashSet;

use crate::config::RuleSet;
use crate::finding::Finding;
use crate::pass::Pass;

/// The `variants` pass.
#[derive(Debug)]
pub struct Variants {}

impl Variants {
    /// Builds the pass from the active variants maps.
    pub fn new(_rules: &RuleSet, _active: &HashSet<String>) -> Self {
        Variants {}
    }
}

impl Pass for Variants {
    fn name(&self) -> &'static str {
        "variants"
    }

    fn check(&self, _text: &str, _findings: &mut Vec<Finding>) {}
}
