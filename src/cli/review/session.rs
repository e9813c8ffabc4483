//! The decisions of one review: which proposal is next, what was accepted or
//! rejected, rule-wide choices, and undo. No terminal, no files: the screen
//! draws this state and `run` writes what it says, so the rules of the review
//! are tested here without a pseudo-terminal.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use redline::finding::Applicability;

/// One fix a person can accept or reject, placed for display.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// `RULE@START-END` in the original document (what `apply_accepted` takes).
    pub id: String,
    /// The rule that proposed it.
    pub rule: String,
    /// The pass that ran the rule.
    pub pass: &'static str,
    /// The rule's sentence about this place.
    pub message: String,
    /// `safe` or `review`.
    pub applicability: Applicability,
    /// 1-based line of the change in the original document.
    pub line: usize,
    /// 1-based column (characters) of the change in the original document.
    pub column: usize,
    /// The range in the original document.
    pub origin: Range<usize>,
    /// The text of the line before the change, as the pass saw it.
    pub prefix: String,
    /// The text the fix replaces.
    pub before: String,
    /// The text the fix puts there.
    pub after: String,
    /// The rest of the line after the change.
    pub suffix: String,
}

/// A finding without a fix: shown, never decided.
#[derive(Debug, Clone)]
pub struct FlagNote {
    /// The rule.
    pub rule: String,
    /// 1-based line in the cleaned text the flag was found in.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The rule's sentence.
    pub message: String,
}

/// One file under review.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub path: PathBuf,
    /// The name shown.
    pub label: String,
    /// The bytes read, to notice a file changed on disk during the review.
    pub bytes: Vec<u8>,
    /// The decoded text the ids refer to.
    pub text: String,
    /// Its fixes, in text order.
    pub proposals: Vec<Proposal>,
    /// Its flags.
    pub flags: Vec<FlagNote>,
}

/// A person's answer about one fix or one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Apply it.
    Accept,
    /// Leave the text as it is.
    Reject,
}

/// What `--by-rule` decided for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The same answer for every fix of the rule.
    All(Choice),
    /// Ask about each change.
    EachChange,
}

/// How a file's review ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Not finished yet (or never reached).
    Open,
    /// Every fix was decided; the accepted ones were applied.
    Decided,
    /// The person pressed `s`: nothing written.
    Skipped,
    /// The person quit during or before this file.
    Quit,
}

/// One undoable step: the fixes it decided in the current file and the rule
/// choice it set for later files.
#[derive(Debug)]
struct Step {
    decided: Vec<usize>,
    rule_before: Option<(String, Option<Choice>)>,
}

/// The state of a review.
pub struct Session {
    /// The files, in order.
    pub docs: Vec<Document>,
    decisions: Vec<Vec<Option<Choice>>>,
    endings: Vec<Ending>,
    /// Rule-wide answers (`a`, `r`, `--by-rule`) that decide fixes of later files
    /// as they are reached.
    rule_choice: HashMap<String, Choice>,
    current: usize,
    undo: Vec<Step>,
}

impl Session {
    /// A review of `docs`, starting at the first.
    pub fn new(docs: Vec<Document>) -> Self {
        let decisions = docs.iter().map(|d| vec![None; d.proposals.len()]).collect();
        let endings = vec![Ending::Open; docs.len()];
        let mut session = Session {
            docs,
            decisions,
            endings,
            rule_choice: HashMap::new(),
            current: 0,
            undo: Vec::new(),
        };
        session.enter();
        session
    }

    /// Index of the file under review, `None` when all are done.
    pub fn current_doc(&self) -> Option<usize> {
        (self.current < self.docs.len()).then_some(self.current)
    }

    /// Index (in the current file) of the next undecided fix.
    pub fn current_fix(&self) -> Option<usize> {
        let d = self.current_doc()?;
        self.decisions[d].iter().position(Option::is_none)
    }

    /// Whether the current file has no undecided fix left.
    pub fn file_complete(&self) -> bool {
        self.current_doc().is_some() && self.current_fix().is_none()
    }

    /// The decision about fix `f` of file `d`.
    #[cfg(test)]
    pub fn decision(&self, d: usize, f: usize) -> Option<Choice> {
        self.decisions[d][f]
    }

    /// How file `d` ended.
    pub fn ending(&self, d: usize) -> &Ending {
        &self.endings[d]
    }

    /// Accepted, rejected and undecided counts of file `d`.
    pub fn counts(&self, d: usize) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for x in &self.decisions[d] {
            match x {
                Some(Choice::Accept) => c.0 += 1,
                Some(Choice::Reject) => c.1 += 1,
                None => c.2 += 1,
            }
        }
        c
    }

    /// The ids of file `d`'s accepted fixes.
    pub fn accepted_ids(&self, d: usize) -> std::collections::HashSet<String> {
        self.docs[d]
            .proposals
            .iter()
            .zip(&self.decisions[d])
            .filter(|(_, c)| **c == Some(Choice::Accept))
            .map(|(p, _)| p.id.clone())
            .collect()
    }

    /// Decides the current fix (`y` / `n`).
    pub fn decide(&mut self, choice: Choice) {
        let (Some(d), Some(f)) = (self.current_doc(), self.current_fix()) else {
            return;
        };
        self.decisions[d][f] = Some(choice);
        self.undo.push(Step {
            decided: vec![f],
            rule_before: None,
        });
    }

    /// Decides every undecided fix of the current fix's rule in this file, and
    /// the same rule in later files as they are reached (`a` / `r`).
    pub fn decide_rule(&mut self, choice: Choice) {
        let (Some(d), Some(f)) = (self.current_doc(), self.current_fix()) else {
            return;
        };
        let rule = self.docs[d].proposals[f].rule.clone();
        let mut decided = Vec::new();
        for (i, p) in self.docs[d].proposals.iter().enumerate() {
            if p.rule == rule && self.decisions[d][i].is_none() {
                self.decisions[d][i] = Some(choice);
                decided.push(i);
            }
        }
        let before = self.rule_choice.insert(rule.clone(), choice);
        self.undo.push(Step {
            decided,
            rule_before: Some((rule, before)),
        });
    }

    /// Undoes the last decision made in the current file. Returns false when
    /// there is none (earlier files are already written).
    pub fn undo(&mut self) -> bool {
        let Some(d) = self.current_doc() else {
            return false;
        };
        let Some(step) = self.undo.pop() else {
            return false;
        };
        for f in step.decided {
            self.decisions[d][f] = None;
        }
        if let Some((rule, before)) = step.rule_before {
            match before {
                Some(c) => self.rule_choice.insert(rule, c),
                None => self.rule_choice.remove(&rule),
            };
        }
        true
    }

    /// Sets the `--by-rule` answers before the walk through files starts.
    pub fn set_verdicts(&mut self, verdicts: &[(String, Verdict)]) {
        for (rule, verdict) in verdicts {
            if let Verdict::All(choice) = verdict {
                self.rule_choice.insert(rule.clone(), *choice);
            }
        }
        self.enter();
    }

    /// Ends the current file (`Decided` or `Skipped`) and moves to the next.
    pub fn finish_file(&mut self, ending: Ending) {
        if let Some(d) = self.current_doc() {
            if ending == Ending::Skipped {
                // A skipped file's decisions are not applied: forget them, so
                // the summary counts its fixes as undecided.
                for x in &mut self.decisions[d] {
                    *x = None;
                }
            }
            self.endings[d] = ending;
            self.current += 1;
            self.undo.clear();
            self.enter();
        }
    }

    /// Quits: the current and every later file end as `Quit`, with the rule-wide
    /// answers given so far applied to the later files. Returns the files whose
    /// decisions are to be written.
    pub fn quit(&mut self) -> Vec<usize> {
        let mut out = Vec::new();
        while let Some(d) = self.current_doc() {
            self.apply_rule_choices(d);
            self.endings[d] = Ending::Quit;
            out.push(d);
            self.current += 1;
        }
        self.undo.clear();
        out
    }

    /// Entering a file: rule-wide answers decide its fixes of those rules.
    fn enter(&mut self) {
        if let Some(d) = self.current_doc() {
            self.apply_rule_choices(d);
        }
    }

    fn apply_rule_choices(&mut self, d: usize) {
        for (i, p) in self.docs[d].proposals.iter().enumerate() {
            if self.decisions[d][i].is_none() {
                if let Some(c) = self.rule_choice.get(&p.rule) {
                    self.decisions[d][i] = Some(*c);
                }
            }
        }
    }
}

/// A rule across all documents, for `--by-rule`.
#[derive(Debug, Clone)]
pub struct RuleGroup {
    /// The rule.
    pub rule: String,
    /// Its pass.
    pub pass: &'static str,
    /// Every fix of the rule: (document, proposal) indices.
    pub fixes: Vec<(usize, usize)>,
}

impl RuleGroup {
    /// Up to `n` fixes spread over the list (first, middle, last…), so that the
    /// samples are not all from the first file.
    pub fn samples(&self, n: usize) -> Vec<(usize, usize)> {
        let len = self.fixes.len();
        if len <= n {
            return self.fixes.clone();
        }
        let mut picked: Vec<usize> = (0..n).map(|k| k * (len - 1) / (n - 1).max(1)).collect();
        picked.dedup();
        picked.into_iter().map(|i| self.fixes[i]).collect()
    }

    /// How many files the rule's fixes are in.
    pub fn files(&self) -> usize {
        let mut docs: Vec<usize> = self.fixes.iter().map(|f| f.0).collect();
        docs.dedup();
        docs.len()
    }
}

/// The rules with fixes in `docs`, in order of first appearance.
pub fn rule_groups(docs: &[Document]) -> Vec<RuleGroup> {
    let mut groups: Vec<RuleGroup> = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for (f, p) in doc.proposals.iter().enumerate() {
            match groups.iter_mut().find(|g| g.rule == p.rule) {
                Some(g) => g.fixes.push((d, f)),
                None => groups.push(RuleGroup {
                    rule: p.rule.clone(),
                    pass: p.pass,
                    fixes: vec![(d, f)],
                }),
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal(rule: &str, at: usize) -> Proposal {
        Proposal {
            id: format!("{rule}@{at}-{}", at + 1),
            rule: rule.into(),
            pass: "test",
            message: String::new(),
            applicability: Applicability::Safe,
            line: 1,
            column: at + 1,
            origin: at..at + 1,
            prefix: String::new(),
            before: "x".into(),
            after: "y".into(),
            suffix: String::new(),
        }
    }

    fn doc(rules: &[&str]) -> Document {
        Document {
            path: PathBuf::from("a.txt"),
            label: "a.txt".into(),
            bytes: Vec::new(),
            text: String::new(),
            proposals: rules
                .iter()
                .enumerate()
                .map(|(i, r)| proposal(r, i))
                .collect(),
            flags: Vec::new(),
        }
    }

    #[test]
    fn yes_no_and_undo_walk_the_fixes_in_order() {
        let mut s = Session::new(vec![doc(&["a", "b", "a"])]);
        assert_eq!(s.current_fix(), Some(0));
        s.decide(Choice::Accept);
        s.decide(Choice::Reject);
        assert_eq!(s.current_fix(), Some(2));
        assert!(s.undo());
        assert_eq!(s.current_fix(), Some(1));
        s.decide(Choice::Accept);
        s.decide(Choice::Reject);
        assert!(s.file_complete());
        assert_eq!(s.counts(0), (2, 1, 0));
        assert_eq!(
            s.accepted_ids(0),
            ["a@0-1".to_string(), "b@1-2".to_string()]
                .into_iter()
                .collect()
        );
    }

    #[test]
    fn rule_answers_reach_later_files_and_undo_takes_them_back() {
        let mut s = Session::new(vec![doc(&["a", "b", "a"]), doc(&["a", "b"])]);
        s.decide_rule(Choice::Reject); // every `a` here and later
        assert_eq!(s.current_fix(), Some(1));
        assert_eq!(s.decision(0, 2), Some(Choice::Reject));
        assert!(s.undo());
        assert_eq!(s.decision(0, 2), None);
        s.decide_rule(Choice::Reject);
        s.decide(Choice::Accept);
        assert!(s.file_complete());
        s.finish_file(Ending::Decided);
        // the second file's `a` is already rejected; `b` is asked
        assert_eq!(s.current_doc(), Some(1));
        assert_eq!(s.decision(1, 0), Some(Choice::Reject));
        assert_eq!(s.current_fix(), Some(1));
        // nothing of this file to undo; the first file is written
        assert!(!s.undo());
    }

    #[test]
    fn skip_forgets_and_quit_keeps_what_was_decided() {
        let mut s = Session::new(vec![doc(&["a", "b"]), doc(&["a", "b"]), doc(&["b"])]);
        s.decide(Choice::Accept);
        s.finish_file(Ending::Skipped);
        assert_eq!(s.counts(0), (0, 0, 2));
        s.decide_rule(Choice::Accept);
        let written = s.quit();
        assert_eq!(written, [1, 2]);
        assert_eq!(s.counts(1), (1, 0, 1));
        assert_eq!(s.counts(2), (0, 0, 1));
        assert_eq!(s.ending(1), &Ending::Quit);
        assert_eq!(s.current_doc(), None);
    }

    #[test]
    fn verdicts_decide_whole_rules_and_leave_each_change_rules_open() {
        let docs = vec![doc(&["a", "b"]), doc(&["b", "a"])];
        let groups = rule_groups(&docs);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].fixes, [(0, 0), (1, 1)]);
        let mut s = Session::new(docs);
        s.set_verdicts(&[
            ("a".into(), Verdict::All(Choice::Accept)),
            ("b".into(), Verdict::EachChange),
        ]);
        assert_eq!(s.decision(0, 0), Some(Choice::Accept));
        assert_eq!(s.current_fix(), Some(1));
    }

    #[test]
    fn samples_spread_over_the_list() {
        let g = RuleGroup {
            rule: "a".into(),
            pass: "p",
            fixes: (0..10).map(|i| (i, 0)).collect(),
        };
        assert_eq!(g.samples(3), [(0, 0), (4, 0), (9, 0)]);
        assert_eq!(g.files(), 10);
    }
}
