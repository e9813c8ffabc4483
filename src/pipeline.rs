//! The pipeline: runs the configured passes in order and records every step.
//!
//! Each pass runs on the previous pass's output. Its fixes at or above the
//! threshold are applied, except where two fixes overlap: then the later one waits
//! and the pass runs again on the new text (bounded). When a round of all passes
//! changed anything, the whole round runs again, until a round changes nothing
//! (bounded by [`MAX_ROUNDS`]), so that `clean(clean(x)) == clean(x)`.
//!
//! The record ([`Run`]) is what `diff`, `check`, JSON and statistics show; nothing
//! re-runs a pass to explain it. The pipeline does no I/O and prints nothing.

use std::collections::HashSet;
use std::ops::{Deref, Range};

use crate::finding::{apply_edits, Applicability, Finding};
use crate::origin::OffsetMap;
use crate::pass::Pass;

/// How many rounds of all passes run at most before the pipeline gives up on
/// reaching a fixed point (a bug in a pass, never expected on real text).
pub const MAX_ROUNDS: usize = 4;
/// How often one pass re-runs within a round because fixes overlapped.
pub const MAX_ITERATIONS: usize = 8;

/// An ordered list of passes plus which rules are on and how far fixes apply.
pub struct Pipeline {
    passes: Vec<Box<dyn Pass>>,
    active_rules: HashSet<String>,
    threshold: Applicability,
}

/// A finding as the pipeline recorded it: with the range of the original
/// document it is about (the fix's range for a fix, the span for a flag), which
/// stays the same whatever other fixes are applied or rejected.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The finding, offsets into its step's input.
    pub finding: Finding,
    /// The same place in the original document.
    pub origin: Range<usize>,
}

impl Deref for Recorded {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.finding
    }
}

/// What one pass did in one iteration of one round.
#[derive(Debug, Clone)]
pub struct Step {
    /// The pass's name.
    pub pass: &'static str,
    /// 1-based round of the whole pipeline.
    pub round: usize,
    /// Index into [`Run::texts`] of this step's input.
    pub input: usize,
    /// Index into [`Run::texts`] of this step's output (equal to `input` when
    /// nothing was applied).
    pub output: usize,
    /// Fixes applied, offsets into the input.
    pub applied: Vec<Recorded>,
    /// Fixes not applied (below the threshold, not accepted, or overlapping
    /// another); offsets into the input. Only kept for the final round.
    pub held: Vec<Recorded>,
    /// Findings without a fix; offsets into the input. Only kept for the final
    /// round, whose input is the cleaned text.
    pub flags: Vec<Recorded>,
}

/// The record of one document going through the pipeline.
#[derive(Debug, Clone)]
pub struct Run {
    /// Every distinct text the document went through: `texts[0]` is the input,
    /// the last is the output.
    pub texts: Vec<String>,
    /// Every step, in order.
    pub steps: Vec<Step>,
    /// Whether the last round changed nothing (false only if [`MAX_ROUNDS`] ran out).
    pub settled: bool,
}

impl Run {
    /// The cleaned text.
    pub fn output(&self) -> &str {
        self.texts.last().map_or("", String::as_str)
    }

    /// The original text.
    pub fn input(&self) -> &str {
        &self.texts[0]
    }

    /// Whether any fix was applied.
    pub fn changed(&self) -> bool {
        self.texts.len() > 1
    }

    /// The input text of `step`.
    pub fn input_of(&self, step: &Step) -> &str {
        &self.texts[step.input]
    }

    /// The output text of `step`.
    pub fn output_of(&self, step: &Step) -> &str {
        &self.texts[step.output]
    }

    /// Every finding of every step, with its step: applied fixes, then held fixes,
    /// then flags, in step order.
    pub fn findings(&self) -> impl Iterator<Item = (&Step, &Finding)> {
        self.steps.iter().flat_map(|s| {
            s.applied
                .iter()
                .chain(&s.held)
                .chain(&s.flags)
                .map(move |f| (s, &f.finding))
        })
    }
}

impl Pipeline {
    /// A pipeline of `passes`, in order, reporting only `active_rules` and applying
    /// fixes whose applicability is at least `threshold`.
    pub fn new(
        passes: Vec<Box<dyn Pass>>,
        active_rules: HashSet<String>,
        threshold: Applicability,
    ) -> Self {
        Pipeline {
            passes,
            active_rules,
            threshold,
        }
    }

    /// The passes' names, in order.
    pub fn pass_names(&self) -> Vec<&'static str> {
        self.passes.iter().map(|p| p.name()).collect()
    }

    /// Runs every pass over `text` until it settles, recording each step. Fixes
    /// at or above the threshold are applied.
    pub fn run(&self, text: &str) -> Run {
        let threshold = self.threshold;
        self.run_with(text, &|finding: &Finding, _: &Range<usize>| {
            finding.applicability() >= threshold
        })
    }

    /// Like [`run`](Self::run), but `accept` decides for every fix (given the
    /// finding and its range in the original document) whether it is applied,
    /// whatever its applicability: the review flow and change sets use this.
    pub fn run_with(&self, text: &str, accept: &dyn Fn(&Finding, &Range<usize>) -> bool) -> Run {
        let mut texts = vec![text.to_string()];
        let mut map = OffsetMap::identity(text.len());
        let mut steps = Vec::new();
        let mut settled = false;
        for round in 1..=MAX_ROUNDS {
            let round_start = texts.len();
            let first_step = steps.len();
            for pass in &self.passes {
                self.run_pass(
                    pass.as_ref(),
                    round,
                    &mut texts,
                    &mut steps,
                    &mut map,
                    accept,
                );
            }
            if texts.len() == round_start {
                settled = true;
                // This round's inputs are the cleaned text: keep its flags and
                // held fixes, and drop the stale ones of earlier rounds.
                for step in &mut steps[..first_step] {
                    step.flags.clear();
                    step.held.clear();
                }
                steps.retain(|s| s.round == round || !s.applied.is_empty());
                break;
            }
        }
        if !settled {
            // Bound reached: keep everything, the caller can report it.
        }
        Run {
            texts,
            steps,
            settled,
        }
    }

    /// Cleans `text` and returns only the output (no record kept beyond the run).
    pub fn clean(&self, text: &str) -> String {
        let mut run = self.run(text);
        run.texts.pop().unwrap_or_default()
    }

    fn run_pass(
        &self,
        pass: &dyn Pass,
        round: usize,
        texts: &mut Vec<String>,
        steps: &mut Vec<Step>,
        map: &mut OffsetMap,
        accept: &dyn Fn(&Finding, &Range<usize>) -> bool,
    ) {
        let mut findings = Vec::new();
        for _ in 0..MAX_ITERATIONS {
            let input = texts.len() - 1;
            findings.clear();
            pass.check(&texts[input], &mut findings);
            findings.retain(|f| self.active_rules.contains(f.rule.as_ref()));
            findings.sort_by_key(|f| (f.fix.as_ref().map_or(f.start, |x| x.range().0), f.end));

            let mut applied = Vec::new();
            let mut held = Vec::new();
            let mut flags = Vec::new();
            let mut last_end = 0usize;
            let mut any_applied = false;
            let mut retry = false;
            for finding in findings.drain(..) {
                let (start, end) = finding
                    .fix
                    .as_ref()
                    .map_or((finding.start, finding.end), |f| f.range());
                let origin = map.range(start..end);
                let recorded = Recorded { finding, origin };
                if recorded.fix.is_none() {
                    flags.push(recorded);
                    continue;
                }
                if !accept(&recorded.finding, &recorded.origin) {
                    held.push(recorded);
                    continue;
                }
                // Touching edits at one point (two insertions, or an insertion at
                // a deletion's edge) are ambiguous: the later one waits.
                let overlaps =
                    any_applied && (start < last_end || (start == last_end && start == end));
                if overlaps {
                    retry = true;
                    held.push(recorded);
                } else {
                    last_end = end;
                    any_applied = true;
                    applied.push(recorded);
                }
            }
            let output = if applied.is_empty() {
                input
            } else {
                let edits: Vec<_> = applied
                    .iter()
                    .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
                    .collect();
                let new_text = apply_edits(&texts[input], &edits);
                *map = map.apply(&edits);
                if new_text == texts[input] {
                    input
                } else {
                    texts.push(new_text);
                    texts.len() - 1
                }
            };
            steps.push(Step {
                pass: pass.name(),
                round,
                input,
                output,
                applied,
                held,
                flags,
            });
            if output == input || !retry {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix};

    /// Replaces every `ab` with `b`, and flags every `!`.
    struct Shrink;
    impl Pass for Shrink {
        fn name(&self) -> &'static str {
            "shrink"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices("ab") {
                out.push(Finding::fixed(
                    "t.ab",
                    i,
                    i + 2,
                    "ab",
                    Fix::safe(vec![Edit::delete(i, i + 1)]),
                ));
            }
            for (i, _) in text.match_indices('!') {
                out.push(Finding::flag("t.bang", i, i + 1, "bang"));
            }
        }
    }

    /// Offers overlapping fixes: `xyz` → `Z` and `yz` → `Y` (review).
    struct Overlap;
    impl Pass for Overlap {
        fn name(&self) -> &'static str {
            "overlap"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices("xyz") {
                out.push(Finding::fixed(
                    "t.xyz",
                    i,
                    i + 3,
                    "xyz",
                    Fix::safe(vec![Edit::replace(i, i + 3, "Z")]),
                ));
            }
            for (i, _) in text.match_indices("yz") {
                out.push(Finding::fixed(
                    "t.yz",
                    i,
                    i + 2,
                    "yz",
                    Fix::review(vec![Edit::replace(i, i + 2, "Y")]),
                ));
            }
        }
    }

    fn rules(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn repeats_until_settled_and_is_idempotent() {
        let p = Pipeline::new(
            vec![Box::new(Shrink)],
            rules(&["t.ab", "t.bang"]),
            Applicability::Safe,
        );
        let run = p.run("aaab!");
        assert_eq!(run.output(), "b!");
        assert!(run.settled);
        assert_eq!(p.clean(run.output()), run.output());
        // flags are kept once, from the settled round, with offsets into the output
        let flags: Vec<_> = run.steps.iter().flat_map(|s| &s.flags).collect();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].start, 1);
    }

    #[test]
    fn review_fixes_are_held_below_threshold() {
        let p = Pipeline::new(
            vec![Box::new(Overlap)],
            rules(&["t.xyz", "t.yz"]),
            Applicability::Safe,
        );
        let run = p.run("ayz");
        assert_eq!(run.output(), "ayz");
        assert_eq!(run.steps[0].held.len(), 1);

        let p = Pipeline::new(
            vec![Box::new(Overlap)],
            rules(&["t.xyz", "t.yz"]),
            Applicability::Review,
        );
        assert_eq!(p.clean("ayz"), "aY");
    }

    #[test]
    fn overlapping_fixes_are_never_applied_together() {
        let p = Pipeline::new(
            vec![Box::new(Overlap)],
            rules(&["t.xyz", "t.yz"]),
            Applicability::Review,
        );
        // xyz and yz overlap: the earlier applies, the later is re-checked and gone.
        assert_eq!(p.clean("xyz"), "Z");
    }

    #[test]
    fn inactive_rules_report_nothing() {
        let p = Pipeline::new(
            vec![Box::new(Shrink)],
            rules(&["t.bang"]),
            Applicability::Safe,
        );
        let run = p.run("ab!");
        assert_eq!(run.output(), "ab!");
        assert!(run.findings().all(|(_, f)| f.rule == "t.bang"));
    }
}
