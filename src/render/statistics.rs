//! `--statistics`: per rule and in total, at the end of a run.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::Finding;

/// What one rule did over a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RuleStatistics {
    /// Findings reported (fixes and flags).
    pub findings: usize,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes held back (below `--apply`, or overlapping another fix).
    pub held: usize,
    /// Documents with at least one finding of this rule.
    pub documents: usize,
}

/// Totals over a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Statistics {
    /// Per rule id.
    pub rules: BTreeMap<String, RuleStatistics>,
    /// Documents processed.
    pub documents: usize,
    /// Documents the cleaning changed.
    pub documents_changed: usize,
    /// Documents (or files) that failed.
    pub failed: usize,
    /// Input bytes processed.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Input megabytes (10^6 bytes) per second.
    pub mb_per_s: f64,
}

impl Statistics {
    /// Adds one document of `bytes` input bytes, given each of its findings and
    /// whether it was applied.
    pub fn add_document<'a>(
        &mut self,
        bytes: usize,
        changed: bool,
        findings: impl IntoIterator<Item = (&'a Finding, bool)>,
    ) {
        self.documents += 1;
        self.bytes += bytes as u64;
        if changed {
            self.documents_changed += 1;
        }
        let mut seen: Vec<&str> = Vec::new();
        for (finding, applied) in findings {
            let rule = finding.rule.as_ref();
            if !self.rules.contains_key(rule) {
                self.rules
                    .insert(rule.to_string(), RuleStatistics::default());
            }
            let entry = self.rules.get_mut(rule).expect("inserted above");
            entry.findings += 1;
            if applied {
                entry.applied += 1;
            } else if finding.fix.is_some() {
                entry.held += 1;
            }
            if !seen.contains(&rule) {
                seen.push(rule);
                entry.documents += 1;
            }
        }
    }

    /// Adds another run's statistics (for merging parallel work).
    pub fn merge(&mut self, other: Statistics) {
        for (rule, s) in other.rules {
            let e = self.rules.entry(rule).or_default();
            e.findings += s.findings;
            e.applied += s.applied;
            e.held += s.held;
            e.documents += s.documents;
        }
        self.documents += other.documents;
        self.documents_changed += other.documents_changed;
        self.failed += other.failed;
        self.bytes += other.bytes;
    }

    /// Sets the elapsed time and derives the throughput.
    pub fn finish(&mut self, seconds: f64) {
        self.seconds = seconds;
        self.mb_per_s = if seconds > 0.0 {
            self.bytes as f64 / 1e6 / seconds
        } else {
            0.0
        };
    }

    /// The table for people.
    pub fn table(&self) -> String {
        let width = self.rules.keys().map(String::len).max().unwrap_or(4).max(4);
        let mut out = format!(
            "{:<width$}  {:>8}  {:>8}  {:>8}  {:>9}\n",
            "rule", "findings", "applied", "held", "documents"
        );
        for (rule, s) in &self.rules {
            out.push_str(&format!(
                "{rule:<width$}  {:>8}  {:>8}  {:>8}  {:>9}\n",
                s.findings, s.applied, s.held, s.documents
            ));
        }
        out.push_str(&format!(
            "{} documents ({} changed, {} failed), {:.1} MB in {:.2} s, {:.1} MB/s\n",
            self.documents,
            self.documents_changed,
            self.failed,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.mb_per_s
        ));
        out
    }

    /// The last line of `--format json` output: `{"summary": {…}}`.
    pub fn json_line(&self) -> String {
        serde_json::json!({ "summary": self }).to_string()
    }
}
