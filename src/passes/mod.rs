//! The default passes, one file each, in pipeline order.
//!
//! `mojibake` → `unicode` → `punctuation` → `quotes` → `variants`. Decoding bytes
//! into text happens before any pass, at the edge (`crate::io::decode`).

use std::collections::HashSet;

use crate::config::RuleSet;
use crate::pass::Pass;

pub mod mojibake;
pub mod punctuation;
pub mod quotes;
pub mod unicode;
pub mod variants;

/// Builds the passes that have at least one active rule, in pipeline order.
pub fn build(rules: &RuleSet, active: &HashSet<String>) -> Vec<Box<dyn Pass>> {
    let has_active = |pass: &str| {
        rules
            .files
            .iter()
            .filter(|f| f.data.pass == pass)
            .flat_map(|f| &f.data.rule)
            .any(|r| active.contains(&r.id))
    };
    let mut passes: Vec<Box<dyn Pass>> = Vec::new();
    if has_active("mojibake") {
        passes.push(Box::new(mojibake::Mojibake::new()));
    }
    if has_active("unicode") {
        passes.push(Box::new(unicode::Unicode::new()));
    }
    if has_active("punctuation") {
        passes.push(Box::new(punctuation::Punctuation::new(rules)));
    }
    if has_active("quotes") {
        passes.push(Box::new(quotes::Quotes::new()));
    }
    if has_active("variants") {
        passes.push(Box::new(variants::Variants::new(rules, active)));
    }
    passes
}
