//! `redline check`: one line per finding, then a count per rule.

use std::collections::BTreeMap;

use super::Located;
use crate::finding::{Applicability, Finding};

/// One finding as `PATH:LINE:COL: RULE-ID message [safe|review|flag]`.
pub fn line(path: &str, l: &Located) -> String {
    format!(
        "{path}:{}:{}: {} {} [{}]",
        l.line,
        l.column,
        l.finding.rule,
        l.finding.message,
        l.applicability()
    )
}

/// Counts findings per rule and per applicability over many documents.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Findings per rule id.
    pub per_rule: BTreeMap<String, usize>,
    /// Findings per applicability.
    pub per_applicability: BTreeMap<Applicability, usize>,
    /// Documents with at least one finding.
    pub documents: usize,
}

impl Tally {
    /// Adds one document's findings.
    pub fn add<'a>(&mut self, findings: impl IntoIterator<Item = &'a Finding>) {
        let mut any = false;
        for finding in findings {
            any = true;
            *self.per_rule.entry(finding.rule.to_string()).or_default() += 1;
            *self
                .per_applicability
                .entry(finding.applicability())
                .or_default() += 1;
        }
        if any {
            self.documents += 1;
        }
    }

    /// Adds another tally (for merging parallel work).
    pub fn merge(&mut self, other: Tally) {
        for (rule, n) in other.per_rule {
            *self.per_rule.entry(rule).or_default() += n;
        }
        for (a, n) in other.per_applicability {
            *self.per_applicability.entry(a).or_default() += n;
        }
        self.documents += other.documents;
    }

    /// Total findings.
    pub fn total(&self) -> usize {
        self.per_rule.values().sum()
    }

    /// The summary printed after the finding lines.
    pub fn summary(&self) -> String {
        let width = self
            .per_rule
            .values()
            .map(|n| n.to_string().len())
            .max()
            .unwrap_or(1);
        let mut out = String::new();
        for (rule, n) in &self.per_rule {
            out.push_str(&format!("{n:>width$} {rule}\n"));
        }
        let count = |a| self.per_applicability.get(&a).copied().unwrap_or(0);
        let total = self.total();
        out.push_str(&format!(
            "Found {total} finding{} in {} document{}: {} safe (fixed by `redline clean`), \
             {} review (applied with --apply review), {} flag{} (for a person to look at).\n",
            if total == 1 { "" } else { "s" },
            self.documents,
            if self.documents == 1 { "" } else { "s" },
            count(Applicability::Safe),
            count(Applicability::Review),
            count(Applicability::Flag),
            if count(Applicability::Flag) == 1 {
                ""
            } else {
                "s"
            },
        ));
        out
    }
}
