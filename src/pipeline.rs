//! The pipeline: runs the configured passes in order and records every step.
//!
//! Each pass runs on the previous pass's output. Its fixes at or above the
//! threshold are applied, except where two fixes overlap: then the later one waits
//! and the pass runs again on the new text (bounded). When a round changed
//! anything, another round re-checks what later passes changed behind each pass
//! (only the changed lines for a line-local pass, only near the edits for a
//! document pass that can tell: [`Pass::check_near`]), until a round changes nothing
//! (bounded by [`MAX_ROUNDS`]), so that `clean(clean(x)) == clean(x)`.
//!
//! The record ([`Run`]) is what `diff`, `check`, JSON and statistics show; nothing
//! re-runs a pass to explain it. The pipeline does no I/O and prints nothing.

use std::collections::HashSet;
use std::ops::{Deref, Range};

use crate::finding::{apply_edits_in_place, apply_edits_into, Applicability, Edit, Finding};
use crate::origin::OffsetMap;
use crate::pass::{is_ascii_edit, is_word_edit, Locality, Pass, Resume};
use crate::triggers::TriggerScan;

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
    /// The line-local passes' triggers, scanned for once per document.
    triggers: TriggerScan,
    /// Whether round 1 checks line-local passes only on their trigger lines
    /// (always, except in the tests that compare both ways).
    scan_triggers: bool,
    /// Whether a later round asks a document pass to check near the edits
    /// only (always, except in the tests that compare both ways).
    check_near: bool,
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
    /// The finding's own span in the original document (where a user looks for
    /// it; for a fix it can start before the edited bytes, as `..` does).
    pub span: Range<usize>,
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
    /// Fixes applied, offsets into the input (empty in a lean run: see
    /// `counted`).
    pub applied: Vec<Recorded>,
    /// In a lean run ([`Pipeline::run_lean`]), the fixes applied, grouped by
    /// rule and applicability: one of each group, without its message and
    /// edits, and how many there were. Empty in a full run.
    pub counted: Vec<(Recorded, usize)>,
    /// Fixes not applied (below the threshold, not accepted, or overlapping
    /// another); offsets into the input. A later full check of the same pass
    /// supersedes them, so each is reported once.
    pub held: Vec<Recorded>,
    /// Findings without a fix; offsets into the input. Superseded like `held`.
    pub flags: Vec<Recorded>,
}

impl Step {
    /// A lean run's counted fixes, each group's one repeated as many times as
    /// there were.
    fn counted_applied(&self) -> impl Iterator<Item = &Recorded> {
        self.counted
            .iter()
            .flat_map(|(r, n)| std::iter::repeat_n(r, *n))
    }
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

    /// Every finding with whether it was applied, in step order.
    pub fn findings_applied(&self) -> impl Iterator<Item = (&Finding, bool)> {
        self.steps.iter().flat_map(|s| {
            s.applied
                .iter()
                .chain(s.counted_applied())
                .map(|f| (&f.finding, true))
                .chain(s.held.iter().chain(&s.flags).map(|f| (&f.finding, false)))
        })
    }

    /// Every finding of every step, with its step: applied fixes, then held fixes,
    /// then flags, in step order.
    pub fn findings(&self) -> impl Iterator<Item = (&Step, &Finding)> {
        self.steps.iter().flat_map(|s| {
            s.applied
                .iter()
                .chain(s.counted_applied())
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
        let triggers = TriggerScan::new(
            passes
                .iter()
                .map(|p| p.triggers().filter(|_| p.locality() != Locality::Document))
                .collect(),
        );
        Pipeline {
            passes,
            active_rules,
            threshold,
            triggers,
            scan_triggers: true,
            check_near: true,
        }
    }

    /// The same pipeline checking every line in round 1 instead of only the
    /// lines the trigger scan finds: slower, same output. Tests compare the
    /// two to hold each pass to its [`Pass::triggers`] promise.
    pub fn check_every_line(mut self) -> Self {
        self.scan_triggers = false;
        self
    }

    /// The same pipeline re-checking a document pass over the whole text in
    /// a later round, never only near the edits ([`Pass::check_near`]):
    /// slower, same output. Tests compare the two.
    pub fn check_whole_documents(mut self) -> Self {
        self.check_near = false;
        self
    }

    /// The passes, in order.
    pub(crate) fn passes(&self) -> &[Box<dyn Pass>] {
        &self.passes
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
        self.run_inner(text.to_string(), accept, true)
    }

    /// [`run`](Self::run) taking the text by value (no copy).
    pub fn run_owned(&self, text: String) -> Run {
        let threshold = self.threshold;
        self.run_inner(
            text,
            &|finding: &Finding, _: &Range<usize>| finding.applicability() >= threshold,
            true,
        )
    }

    /// Runs the pipeline keeping only the output text: [`Run::texts`] holds
    /// empty strings in place of the input and intermediate texts, so the record
    /// tells what fired and where in the original, but cannot be rendered as a
    /// diff; applied fixes keep their rule, ranges and applicability but not
    /// their message or edits. `clean` uses this to keep memory at about two
    /// copies of a document.
    pub fn run_lean(&self, text: String) -> Run {
        let threshold = self.threshold;
        self.run_inner(
            text,
            &|finding: &Finding, _: &Range<usize>| finding.applicability() >= threshold,
            false,
        )
    }

    /// The fixed-point loop. Round 1 runs every pass over the whole text. A later
    /// round re-runs a pass only where later passes changed the text since it last
    /// looked: a line-local pass re-checks just the changed lines, a document pass
    /// the whole text, or only near the edits when its earlier checks left
    /// nothing behind and it can ([`Pass::check_near`]). When a round changes
    /// nothing, the text is settled.
    fn run_inner(
        &self,
        text: String,
        accept: &dyn Fn(&Finding, &Range<usize>) -> bool,
        keep_texts: bool,
    ) -> Run {
        // One scan for every line-local pass's triggers: round 1 checks each
        // such pass only where its triggers are (plus where earlier passes
        // edit, added as they do).
        let scanned = if self.scan_triggers {
            self.triggers.scan(&text)
        } else {
            vec![Vec::new(); self.passes.len()]
        };
        let mut state = RunState {
            map: OffsetMap::identity(text.len()),
            texts: vec![text],
            steps: Vec::new(),
            dirty: vec![Vec::new(); self.passes.len()],
            scanned,
            resume: vec![None; self.passes.len()],
            keep_texts,
            spare: String::new(),
        };
        let mut settled = false;
        for round in 1..=MAX_ROUNDS {
            let before = state.texts.len();
            for (index, pass) in self.passes.iter().enumerate() {
                let scanned = self.scan_triggers && self.triggers.covers(index);
                let scope = if round == 1 && !scanned {
                    Scope::Whole
                } else if round == 1 {
                    let lines = std::mem::take(&mut state.scanned[index]);
                    if lines.is_empty() && state.dirty[index].is_empty() {
                        continue;
                    }
                    Scope::Lines(std::mem::take(&mut state.dirty[index]), lines)
                } else if state.dirty[index].is_empty() {
                    continue;
                } else if pass.locality() == Locality::Document {
                    // Near the edits only, when the pass's earlier checks
                    // left nothing behind (see `Pass::check_near`).
                    let clear = state
                        .steps
                        .iter()
                        .filter(|s| s.pass == pass.name())
                        .all(|s| s.held.is_empty() && s.flags.is_empty());
                    if clear && self.check_near {
                        Scope::Near(std::mem::take(&mut state.dirty[index]))
                    } else if self.check_near && state.resume[index].is_some() {
                        // Its findings stand, but it can say where they may
                        // change (see `Pass::recheck_near`).
                        Scope::Resume(std::mem::take(&mut state.dirty[index]))
                    } else {
                        Scope::Whole
                    }
                } else {
                    Scope::Lines(std::mem::take(&mut state.dirty[index]), Vec::new())
                };
                state.dirty[index].clear();
                self.run_pass(index, round, scope, &mut state, accept);
            }
            if state.texts.len() == before {
                settled = true;
                break;
            }
        }
        let mut steps = state.steps;
        steps.retain(|s| {
            !(s.applied.is_empty()
                && s.counted.is_empty()
                && s.held.is_empty()
                && s.flags.is_empty())
        });
        Run {
            texts: state.texts,
            steps,
            settled,
        }
    }

    /// Cleans `text` and returns only the output.
    pub fn clean(&self, text: &str) -> String {
        let mut run = self.run_lean(text.to_string());
        run.texts.pop().unwrap_or_default()
    }

    fn run_pass(
        &self,
        index: usize,
        round: usize,
        mut scope: Scope,
        state: &mut RunState,
        accept: &dyn Fn(&Finding, &Range<usize>) -> bool,
    ) {
        let pass = self.passes[index].as_ref();
        let mut findings = Vec::new();
        for _ in 0..MAX_ITERATIONS {
            let input = state.texts.len() - 1;
            findings.clear();
            let text = &state.texts[input];
            // Lines are checked a batch at a time, and each batch's findings
            // taken in before the next is checked, so that a text with a fix
            // every few bytes never holds all its findings at once (a finding
            // is about a hundred bytes; the fixes it leaves are smaller).
            let budget = rayon::current_num_threads().max(1) * BATCH_BYTES;
            if let Scope::Near(edited) = &scope {
                if !pass.check_near(text, edited, &mut findings) {
                    scope = Scope::Whole;
                }
            }
            // The windows re-checked when the pass took its last whole check
            // up again near the edits; its findings elsewhere stand.
            let mut windows = Vec::new();
            if let Scope::Resume(edited) = &scope {
                let resume = state.resume[index].take();
                match resume.and_then(|r| pass.recheck_near(text, edited, &r, &mut findings)) {
                    Some(w) => windows = w,
                    None => scope = Scope::Whole,
                }
            }
            let spans = match &scope {
                Scope::Whole | Scope::Near(_) | Scope::Resume(_) => Vec::new(),
                Scope::Lines(ranges, lines) => {
                    let with_previous = pass.locality() == Locality::LineAndPrevious;
                    let spans = spans_to_check(text, ranges, lines, with_previous);
                    cut_spans(text, spans, budget, pass)
                }
            };
            // One batch (empty, unused) for a check of the whole text.
            let batches = batches(&spans, budget);
            let mut applied = Vec::new();
            // A lean run keeps applied fixes only as counts and their edits
            // apart (see `Step::counted`), so memory per fix is an edit.
            let mut counted: Vec<(Recorded, usize)> = Vec::new();
            let mut lean_edits: Vec<Edit> = Vec::new();
            let mut held = Vec::new();
            let mut flags = Vec::new();
            let mut last_end = 0usize;
            let mut any_applied = false;
            let mut retry = false;
            // Messages a pass left to `describe` are written for every finding
            // kept with its message: all of them in a full run, all but the
            // applied fixes (only counted) in a lean one.
            let (checked, lean) = (&state.texts[input], !state.keep_texts);
            let described = |mut recorded: Recorded| {
                if let Some(message) = pass.describe(checked, &recorded.finding) {
                    recorded.finding.message = message.into();
                }
                recorded
            };
            // A lean run's flags and held fixes, described when kept (a full
            // run's were described as they came).
            let kept = |recorded: Recorded| {
                if lean {
                    described(recorded)
                } else {
                    recorded
                }
            };
            // Takes in the findings the pass has handed over so far (a batch
            // of lines, or part of one: see `Pass::check_in_parts`), leaving
            // `found` empty. Batches and parts come in text order.
            let mut take_in = |found: &mut Vec<Finding>| {
                retain_active(found, &self.active_rules);
                // Passes mostly report in order: then the sort (and its buffer
                // of half the findings) is skipped.
                let order = |f: &Finding| (f.order_start(), f.end);
                if !found.is_sorted_by_key(order) {
                    found.sort_by_key(order);
                }
                for finding in found.drain(..) {
                    let (start, end) = finding
                        .fix
                        .as_ref()
                        .map_or((finding.start, finding.end), |f| f.range());
                    let origin = state.map.range(start..end);
                    let span = state.map.range(finding.start..finding.end);
                    let mut recorded = Recorded {
                        finding,
                        origin,
                        span,
                    };
                    if !lean {
                        recorded = described(recorded);
                    }
                    if recorded.fix.is_none() {
                        flags.push(kept(recorded));
                        continue;
                    }
                    if !accept(&recorded.finding, &recorded.origin) {
                        held.push(kept(recorded));
                        continue;
                    }
                    // Touching edits at one point (two insertions, or an insertion at
                    // a deletion's edge) are ambiguous: the later one waits.
                    let overlaps =
                        any_applied && (start < last_end || (start == last_end && start == end));
                    if overlaps {
                        retry = true;
                        held.push(kept(recorded));
                    } else {
                        last_end = end;
                        any_applied = true;
                        if state.keep_texts {
                            applied.push(recorded);
                        } else {
                            count_applied(recorded, &mut counted, &mut lean_edits);
                        }
                    }
                }
            };
            let mut resume = None;
            for batch in batches {
                match &scope {
                    Scope::Whole => {
                        resume = pass.check_resumable(text, &mut findings, &mut take_in);
                    }
                    // Checked above.
                    Scope::Near(_) | Scope::Resume(_) => {}
                    Scope::Lines(..) => {
                        check_spans_parallel(pass, text, &spans[batch], &mut findings, &mut take_in)
                    }
                }
                take_in(&mut findings);
            }
            // The findings' buffer is empty now; give it back before the edits
            // are applied (on a text with a fix every few bytes it is the
            // largest thing alive).
            findings.shrink_to_fit();
            // A check of the whole text supersedes what this pass reported
            // before; a check of some lines adds only what is new.
            if matches!(scope, Scope::Whole) {
                state.resume[index] = resume;
            }
            match scope {
                Scope::Whole => {
                    for step in state.steps.iter_mut().filter(|s| s.pass == pass.name()) {
                        step.flags.clear();
                        step.held.clear();
                    }
                }
                Scope::Resume(_) => {
                    // What the pass reported earlier inside the windows is
                    // superseded; outside them it stands. A window's ends are
                    // mapped to the original document as range ends, so that
                    // text an edit deleted at its start is inside it; one to
                    // the text's end holds all that was after it.
                    let len = state.texts[input].len();
                    let origins: Vec<Range<usize>> = windows
                        .iter()
                        .map(|w| {
                            let end = if w.end >= len {
                                usize::MAX
                            } else {
                                state.map.end(w.end)
                            };
                            state.map.end(w.start)..end
                        })
                        .collect();
                    let outside = |r: &Recorded| {
                        let at = r.span.start;
                        let k = origins.partition_point(|w| w.end <= at);
                        origins.get(k).is_none_or(|w| at < w.start)
                    };
                    for step in state.steps.iter_mut().filter(|s| s.pass == pass.name()) {
                        step.flags.retain(outside);
                        step.held.retain(outside);
                    }
                }
                // Nothing earlier to supersede: the check near edits is asked
                // for only when the earlier checks left nothing behind.
                Scope::Near(_) => {}
                Scope::Lines(..) if flags.is_empty() && held.is_empty() => {}
                Scope::Lines(..) => {
                    // Keys borrow the rule names: no allocation per earlier finding.
                    let known: HashSet<(&str, usize, usize)> = state
                        .steps
                        .iter()
                        .filter(|s| s.pass == pass.name())
                        .flat_map(|s| s.flags.iter().chain(&s.held))
                        .map(|r| (r.rule.as_ref(), r.origin.start, r.origin.end))
                        .collect();
                    let is_new = |r: &Recorded| {
                        !known.contains(&(r.rule.as_ref(), r.origin.start, r.origin.end))
                    };
                    flags.retain(is_new);
                    held.retain(is_new);
                }
            }
            let output = if applied.is_empty() && counted.is_empty() {
                input
            } else {
                let edits: Vec<&Edit> = if state.keep_texts {
                    applied
                        .iter()
                        .flat_map(|f| f.fix.iter().flat_map(|x| x.edits.iter()))
                        .collect()
                } else {
                    lean_edits.iter().collect()
                };
                let old = &state.texts[input];
                if edits.iter().all(|e| old[e.start..e.end] == e.replacement) {
                    input
                } else {
                    // What kind of edit each is, for the passes that ignore some.
                    let kinds: Vec<(bool, bool)> = edits
                        .iter()
                        .map(|e| {
                            (
                                is_word_edit(&old[e.start..e.end], &e.replacement),
                                is_ascii_edit(old, e.start, e.end, &e.replacement),
                            )
                        })
                        .collect();
                    let new_text = if !state.keep_texts {
                        // Nothing needs the old text: edit it where it lies when
                        // no replacement is longer than what it replaces (most
                        // fixes delete), else write into the spare buffer.
                        let mut text = std::mem::take(&mut state.texts[input]);
                        if apply_edits_in_place(&mut text, &edits) {
                            text
                        } else {
                            let mut out = std::mem::take(&mut state.spare);
                            apply_edits_into(&text, &edits, &mut out);
                            state.spare = text;
                            out
                        }
                    } else {
                        let mut out = String::new();
                        apply_edits_into(old, &edits, &mut out);
                        out
                    };
                    state.map = state.map.apply(&edits);
                    let moved = EditShift::new(&edits);
                    // Every other pass must look again where this one edited,
                    // and so must this one: a line pass re-checks its own edits
                    // (cheap, and it may find more there), a document pass runs
                    // once more over its output, since one fix can change how
                    // the rest of the document reads (a collapsed `““` changes
                    // the quotation pairing after it; found by the property
                    // soak). Fixes are rare, so this rarely costs a run.
                    // The replacements a kind of pass must look at again (by
                    // whether it sees word edits and ASCII edits), joined per
                    // line once for all passes of that kind: a long line with a
                    // fix every few bytes keeps one range, not one per fix.
                    let bytes = new_text.as_bytes();
                    let mut added_by_kind: [Option<Vec<Range<usize>>>; 4] = Default::default();
                    for (q, ranges) in state.dirty.iter_mut().enumerate() {
                        // Both lists are sorted (the shift is monotone): merge them
                        // in one linear walk rather than sorting.
                        moved.move_sorted(ranges);
                        let other = &self.passes[q];
                        let (words, ascii) = (other.sees_word_edits(), other.sees_ascii_edits());
                        let added = added_by_kind[usize::from(words) * 2 + usize::from(ascii)]
                            .get_or_insert_with(|| {
                                let seen = moved
                                    .replacements()
                                    .zip(&kinds)
                                    .filter(|(_, (word, asc))| (words || !word) && (ascii || !asc))
                                    .map(|(r, _)| r);
                                merge_sorted(bytes, std::iter::empty(), seen)
                            });
                        *ranges = merge_sorted(bytes, ranges.drain(..), added.iter().cloned());
                    }
                    // Trigger lines of passes still to run in round 1 move with
                    // the text, and so do the places where document passes
                    // can take their checks up again.
                    for lines in state.scanned.iter_mut() {
                        moved.move_sorted(lines);
                    }
                    for resume in state.resume.iter_mut().flatten() {
                        moved.move_sorted(&mut resume.points);
                    }
                    state.texts.push(new_text);
                    state.texts.len() - 1
                }
            };
            state.steps.push(Step {
                pass: pass.name(),
                round,
                input,
                output,
                applied,
                counted,
                held,
                flags,
            });
            if output == input || !retry {
                return;
            }
            // Overlapping fixes wait for a fresh look at the new text.
            scope = Scope::Whole;
        }
    }
}

/// Drops the findings of rules that are not active. A pass reports runs of
/// findings of one rule (a line of mojibake, a text of NFD letters), so the
/// set is asked once per change of rule, not hashed once per finding.
fn retain_active(findings: &mut Vec<Finding>, active: &HashSet<String>) {
    let (mut rule, mut is_active) = (String::new(), false);
    findings.retain(|finding| {
        if rule.is_empty() || *finding.rule != *rule {
            rule.clear();
            rule.push_str(&finding.rule);
            is_active = active.contains(rule.as_str());
        }
        is_active
    });
}

/// Counts an applied fix of a lean run under its rule and applicability,
/// keeping its edits in `edits` and the first of each group, stripped of its
/// message and edits, as the group's record.
fn count_applied(
    mut recorded: Recorded,
    counted: &mut Vec<(Recorded, usize)>,
    edits: &mut Vec<Edit>,
) {
    if let Some(fix) = &mut recorded.finding.fix {
        edits.extend(fix.edits.drain(..));
    }
    let applicability = recorded.applicability();
    // Few rules fire in one step: a short list beats a map.
    match counted
        .iter_mut()
        .find(|(r, _)| r.rule == recorded.rule && r.applicability() == applicability)
    {
        Some((_, n)) => *n += 1,
        None => {
            recorded.finding.message = std::borrow::Cow::Borrowed("");
            counted.push((recorded, 1));
        }
    }
}

/// What a pass is run over.
enum Scope {
    /// The whole text.
    Whole,
    /// The lines touching the first list of ranges (edits: for a
    /// [`Locality::LineAndPrevious`] pass, also the line after each), and
    /// the lines of the second list (lines the trigger scan found).
    Lines(Vec<Range<usize>>, Vec<Range<usize>>),
    /// A document pass's whole text, looked at near these edited ranges
    /// when the pass can ([`Pass::check_near`]), else whole.
    Near(Vec<Range<usize>>),
    /// A document pass whose earlier findings stand, re-checked in windows
    /// around these edited ranges when it can ([`Pass::recheck_near`]),
    /// else whole.
    Resume(Vec<Range<usize>>),
}

/// The pipeline's working state for one document.
struct RunState {
    texts: Vec<String>,
    steps: Vec<Step>,
    map: OffsetMap,
    /// Per pass: ranges of the current text changed since the pass last looked.
    dirty: Vec<Vec<Range<usize>>>,
    /// Per line-local pass, until its round 1: the lines holding its triggers.
    scanned: Vec<Vec<Range<usize>>>,
    /// Per document pass, after a whole check that can be taken up again:
    /// where ([`Pass::check_resumable`]), moved with the edits since.
    resume: Vec<Option<Resume>>,
    keep_texts: bool,
    /// A buffer to write the next text into (the text before last, when texts
    /// are not kept), so that large documents are not re-allocated per step.
    spare: String,
}

/// Where positions of a text end up after sorted, non-overlapping edits,
/// worked out from the edits as positions are asked for in order (nothing
/// stored per edit).
pub(crate) struct EditShift<'a> {
    edits: &'a [&'a Edit],
}

/// How far a walk over an [`EditShift`] has come: the first edit that may end
/// after the positions asked for, and how much the edits before it shifted
/// the text.
#[derive(Default)]
struct ShiftCursor {
    index: usize,
    delta: isize,
}

impl<'a> EditShift<'a> {
    pub(crate) fn new(edits: &'a [&'a Edit]) -> Self {
        EditShift { edits }
    }

    #[cfg(test)]
    fn position(&self, pos: usize, at_end: bool) -> usize {
        self.position_from(pos, at_end, &mut ShiftCursor::default())
    }

    /// Where `pos` ends up; `cursor` is moved forward here: positions asked
    /// for in order cost one walk over the edits in all.
    fn position_from(&self, pos: usize, at_end: bool, cursor: &mut ShiftCursor) -> usize {
        while let Some(e) = self.edits.get(cursor.index).filter(|e| e.end <= pos) {
            cursor.delta += e.replacement.len() as isize - (e.end - e.start) as isize;
            cursor.index += 1;
        }
        let shifted = |p: usize| p.wrapping_add_signed(cursor.delta);
        match self.edits.get(cursor.index) {
            // Inside an edit: the start or end of its replacement.
            Some(e) if e.start < pos => {
                let start = shifted(e.start);
                if at_end {
                    start + e.replacement.len()
                } else {
                    start
                }
            }
            _ => shifted(pos),
        }
    }

    #[cfg(test)]
    fn range(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.position(r.start, false);
        start..self.position(r.end, true).max(start)
    }

    /// Moves ranges sorted by start and by end (disjoint ranges, or resume
    /// points, see [`Resume`]) in one walk.
    pub(crate) fn move_sorted(&self, ranges: &mut [Range<usize>]) {
        let (mut starts, mut ends) = (ShiftCursor::default(), ShiftCursor::default());
        for r in ranges {
            let start = self.position_from(r.start, false, &mut starts);
            *r = start..self.position_from(r.end, true, &mut ends).max(start);
        }
    }

    /// Where each edit's replacement lies in the new text.
    pub(crate) fn replacements(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let mut delta = 0isize;
        self.edits.iter().map(move |e| {
            let start = e.start.wrapping_add_signed(delta);
            delta += e.replacement.len() as isize - (e.end - e.start) as isize;
            start..start + e.replacement.len()
        })
    }
}

/// Merges two sorted lists of ranges of `text` into one sorted list, joining
/// ranges that overlap or touch, and ranges on one line (no line feed in the
/// at most [`JOIN_GAP`] bytes between them): the pipeline re-checks the whole
/// lines that ranges touch, and the joined range touches exactly the lines the
/// two did, so a long line with a fix every few bytes is remembered as one
/// range, not one per fix. Only gaps next to a range of `b` are searched.
fn merge_sorted(
    text: &[u8],
    a: impl Iterator<Item = Range<usize>>,
    b: impl Iterator<Item = Range<usize>>,
) -> Vec<Range<usize>> {
    let mut a = a.peekable();
    let mut b = b.peekable();
    let mut out: Vec<Range<usize>> = Vec::new();
    // Whether the last range out took in one of `b`: two ranges of `a` alone
    // are not searched for a line feed between them (`a` is a list this
    // function made, already joined per line), so each step searches only
    // around its new ranges, not every line's tail again.
    let mut last_from_b = false;
    loop {
        let (next, from_b) = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if (x.start, x.end) <= (y.start, y.end) => (a.next(), false),
            (Some(_), Some(_)) => (b.next(), true),
            (Some(_), None) => (a.next(), false),
            (None, Some(_)) => (b.next(), true),
            (None, None) => break,
        };
        let r = next.expect("peeked");
        match out.last_mut() {
            Some(last)
                if r.start <= last.end
                    || ((from_b || last_from_b) && on_one_line(text, last.end, r.start)) =>
            {
                last.end = last.end.max(r.end);
                last_from_b |= from_b;
            }
            _ => {
                out.push(r);
                last_from_b = from_b;
            }
        }
    }
    out
}

/// The longest gap [`merge_sorted`] searches for a line feed: ranges further
/// apart stay apart (re-checked the same), so that sparse fixes cost no
/// search of the text between them.
const JOIN_GAP: usize = 256;

/// Whether `text[from..to]` is at most [`JOIN_GAP`] bytes with no line feed.
fn on_one_line(text: &[u8], from: usize, to: usize) -> bool {
    let to = to.min(text.len());
    from >= to || (to - from <= JOIN_GAP && memchr::memchr(b'\n', &text[from..to]).is_none())
}

/// Sorts ranges and merges those that overlap or touch.
#[cfg(test)]
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// The spans of whole lines (each with its line feed) that touch `ranges`
/// (sorted, as the dirty lists are), merged. Each search for a line end starts
/// where the previous span ended, so many ranges on one long line cost one scan
/// of the line, not one per range.
fn touched_lines(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    debug_assert!(ranges.windows(2).all(|w| w[0].start <= w[1].start));
    let mut spans: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        let (start, end) = (r.start.min(bytes.len()), r.end.min(bytes.len()));
        if let Some(last) = spans.last_mut() {
            if start < last.end {
                // Inside (or at the end of) the last span: only extend it.
                if end >= last.end && last.end < bytes.len() {
                    last.end =
                        memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1);
                }
                continue;
            }
        }
        // The previous span ends after a line feed (or at the start), so the
        // line start is searched for only back to there.
        let floor = spans.last().map_or(0, |s| s.end);
        let line_start =
            memchr::memrchr(b'\n', &bytes[floor..start]).map_or(floor, |i| floor + i + 1);
        let line_end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1);
        match spans.last_mut() {
            Some(last) if line_start <= last.end => last.end = last.end.max(line_end),
            _ => spans.push(line_start..line_end),
        }
    }
    spans
}

/// The spans of whole lines (each with its line feed) that touch `ranges`
/// (sorted), merged, each with where its checked slice starts. With
/// `with_previous` (a [`Locality::LineAndPrevious`] pass) a span also takes the
/// line after its last touched line, and its slice starts one line earlier, as
/// context. Spans are disjoint and not adjacent, so each extension and each
/// context line is scanned once: linear in the text however many ranges.
fn line_spans(
    text: &str,
    ranges: &[Range<usize>],
    with_previous: bool,
) -> Vec<(usize, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut spans = touched_lines(text, ranges);
    if with_previous {
        let mut extended: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for span in spans {
            let end = if span.end < bytes.len() {
                memchr::memchr(b'\n', &bytes[span.end..]).map_or(bytes.len(), |j| span.end + j + 1)
            } else {
                span.end
            };
            match extended.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(end),
                _ => extended.push(span.start..end),
            }
        }
        spans = extended;
    }
    spans
        .into_iter()
        .map(|span| with_context(bytes, span, with_previous))
        .collect()
}

/// A span of whole lines with where its checked slice starts: one line
/// earlier for a [`Locality::LineAndPrevious`] pass (the context line).
fn with_context(bytes: &[u8], span: Range<usize>, with_previous: bool) -> (usize, Range<usize>) {
    let context = if with_previous && span.start > 0 {
        memchr::memrchr(b'\n', &bytes[..span.start - 1]).map_or(0, |j| j + 1)
    } else {
        span.start
    };
    (context, span)
}

/// What a line-local pass checks: the [`line_spans`] of `edited`, and the
/// lines touching `lines` (with the line before as context for a
/// [`Locality::LineAndPrevious`] pass, but not the line after: a finding on a
/// line needs a trigger on that line), merged into disjoint spans in order.
fn spans_to_check(
    text: &str,
    edited: &[Range<usize>],
    lines: &[Range<usize>],
    with_previous: bool,
) -> Vec<(usize, Range<usize>)> {
    let edited = line_spans(text, edited, with_previous);
    if lines.is_empty() {
        return edited;
    }
    let bytes = text.as_bytes();
    let scanned = touched_lines(text, lines)
        .into_iter()
        .map(|span| with_context(bytes, span, with_previous));
    let mut out: Vec<(usize, Range<usize>)> = Vec::with_capacity(edited.len() + lines.len());
    let mut edited = edited.into_iter().peekable();
    let mut scanned = scanned.peekable();
    loop {
        let next = match (edited.peek(), scanned.peek()) {
            (Some(a), Some(b)) if a.1.start <= b.1.start => edited.next(),
            (Some(_), Some(_)) | (None, Some(_)) => scanned.next(),
            (Some(_), None) => edited.next(),
            (None, None) => break,
        };
        let (context, span) = next.expect("peeked");
        match out.last_mut() {
            // Overlapping or adjacent: one span (its context is the earlier one's).
            Some(last) if span.start <= last.1.end => last.1.end = last.1.end.max(span.end),
            _ => out.push((context, span)),
        }
    }
    out
}

/// Below this many bytes of lines to check, one thread checks them all.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// About how many bytes of lines one thread checks per batch (see
/// [`batches`]): small enough that a batch's findings stay a few megabytes,
/// large enough that a batch is worth spreading over the threads.
const BATCH_BYTES: usize = 1 << 20;

/// `spans` (from [`spans_to_check`]) with each span longer than `budget` cut
/// at line starts into parts of about `budget` bytes, each part with its own
/// context start. A line-local pass gives the same findings on the parts as
/// on the whole span, since it judges each line alone (or with the line
/// before, which is the part's context). A line longer than `budget` is cut
/// where a [`Locality::Line`] pass says it may be ([`Pass::line_cut`]), and
/// otherwise stays whole.
fn cut_spans(
    text: &str,
    spans: Vec<(usize, Range<usize>)>,
    budget: usize,
    pass: &dyn Pass,
) -> Vec<(usize, Range<usize>)> {
    if spans.iter().all(|(_, span)| span.len() <= budget) {
        return spans;
    }
    let bytes = text.as_bytes();
    let with_previous = pass.locality() == Locality::LineAndPrevious;
    let inside_lines = pass.locality() == Locality::Line;
    let mut out = Vec::with_capacity(spans.len());
    for (context, span) in spans {
        let (mut context, mut from) = (context, span.start);
        while span.end - from > budget {
            let at = from + budget;
            // The next line start, looked for a batch's length ahead: on a
            // longer line the pass is asked for a cut inside it (from the
            // line's start or the part's, whichever is later), and only
            // without one is the line end looked for.
            let near = (at + budget).min(span.end);
            let cut = match memchr::memchr(b'\n', &bytes[at..near]) {
                Some(i) => Some(at + i + 1),
                None => {
                    let line_start =
                        memchr::memrchr(b'\n', &bytes[from..at]).map_or(from, |i| from + i + 1);
                    let inside = inside_lines
                        .then(|| pass.line_cut(&text[line_start..span.end], at - line_start))
                        .flatten()
                        .map(|cut| line_start + cut);
                    inside.or_else(|| {
                        memchr::memchr(b'\n', &bytes[near..span.end]).map(|i| near + i + 1)
                    })
                }
            };
            let Some(cut) = cut.filter(|&cut| cut < span.end) else {
                break;
            };
            out.push((context, from..cut));
            (context, _) = with_context(bytes, cut..span.end, with_previous);
            from = cut;
        }
        out.push((context, from..span.end));
    }
    out
}

/// Consecutive groups of `spans` of at least `budget` bytes each (the last
/// may be smaller), as index ranges; at least one group, maybe empty.
fn batches(spans: &[(usize, Range<usize>)], budget: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, (context, span)) in spans.iter().enumerate() {
        size += span.end - context;
        if size >= budget {
            out.push(from..i + 1);
            (from, size) = (i + 1, 0);
        }
    }
    if from < spans.len() || out.is_empty() {
        out.push(from..spans.len());
    }
    out
}

/// Checks `spans` (from [`spans_to_check`]) with a line-local pass, on every
/// thread of the current pool when there is enough text: the spans are cut
/// into groups of about equal size, each group checked as one thread would
/// check it, and the findings joined in order, so the result is the same as
/// [`check_spans`] on one thread.
fn check_spans_parallel(
    pass: &dyn Pass,
    text: &str,
    spans: &[(usize, Range<usize>)],
    findings: &mut Vec<Finding>,
    take: &mut dyn FnMut(&mut Vec<Finding>),
) {
    use rayon::prelude::*;
    let threads = rayon::current_num_threads();
    let total: usize = spans.iter().map(|(c, s)| s.end - c).sum();
    // One span (a line longer than a batch) cannot be shared out: checked
    // here, it hands its findings over as it goes.
    if threads < 2 || total < PARALLEL_MIN_BYTES || spans.len() == 1 {
        check_spans(pass, text, spans, findings, take);
        return;
    }
    // A few groups per thread, so that a slow group does not hold the rest.
    let target = total.div_ceil(threads * 4).max(PARALLEL_MIN_BYTES / 4);
    let mut groups: Vec<&[(usize, Range<usize>)]> = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, (context, span)) in spans.iter().enumerate() {
        size += span.end - context;
        if size >= target {
            groups.push(&spans[from..=i]);
            from = i + 1;
            size = 0;
        }
    }
    if from < spans.len() {
        groups.push(&spans[from..]);
    }
    let parts: Vec<Vec<Finding>> = groups
        .par_iter()
        .map(|group| {
            let mut part = Vec::new();
            check_spans(pass, text, group, &mut part, &mut |_| {});
            part
        })
        .collect();
    for part in parts {
        findings.extend(part);
    }
}

/// Checks `spans` with a line-local pass: each span's slice from its context
/// start, findings moved into the whole text, findings on the context line
/// dropped. The pass may hand findings to `take` as it goes (see
/// [`Pass::check_in_parts`]), moved and sifted the same way first.
fn check_spans(
    pass: &dyn Pass,
    text: &str,
    spans: &[(usize, Range<usize>)],
    findings: &mut Vec<Finding>,
    take: &mut dyn FnMut(&mut Vec<Finding>),
) {
    for (context, span) in spans {
        let (context, span) = (*context, span.clone());
        // Findings from `first` on are as the pass reported them.
        let mut first = findings.len();
        pass.check_in_parts(&text[context..span.end], findings, &mut |found| {
            into_whole_text(found, first, context, span.start);
            take(found);
            first = found.len();
        });
        into_whole_text(findings, first, context, span.start);
    }
}

/// Moves `findings[first..]`, found in a slice of the whole text starting at
/// `context`, into the whole text, dropping those on the context line (before
/// `span_start`): that line was checked without its own line before, so what
/// the pass reports there is not its answer.
fn into_whole_text(findings: &mut Vec<Finding>, first: usize, context: usize, span_start: usize) {
    for f in &mut findings[first..] {
        shift_finding(f, context);
    }
    let mut i = first;
    while i < findings.len() {
        let f = &findings[i];
        if f.start.min(f.order_start()) < span_start {
            findings.swap_remove(i);
        } else {
            i += 1;
        }
    }
}

/// Moves a finding found in a slice starting at `offset` into the whole text.
fn shift_finding(f: &mut Finding, offset: usize) {
    f.start += offset;
    f.end += offset;
    if let Some(fix) = &mut f.fix {
        for e in &mut fix.edits {
            e.start += offset;
            e.end += offset;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix};

    /// Replaces every `ab` with `b`, and flags every `!`. Its output can hold
    /// new `ab`s, so it is line-local: the pipeline re-checks its own edits.
    struct Shrink;
    impl Pass for Shrink {
        fn name(&self) -> &'static str {
            "shrink"
        }
        fn locality(&self) -> Locality {
            Locality::Line
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices("ab") {
                out.push(Finding::fixed(
                    "t.ab",
                    i,
                    i + 2,
                    "ab",
                    Fix::safe([Edit::delete(i, i + 1)]),
                ));
            }
            for (i, _) in text.match_indices('!') {
                out.push(Finding::flag("t.bang", i, i + 1, "bang"));
            }
        }
    }

    /// `ab` → `b` (safe) and `cd` → `d` (review), both described later, and
    /// `!` flagged, described later; counts the messages it writes.
    struct Deferred(std::sync::Arc<std::sync::atomic::AtomicUsize>);
    impl Pass for Deferred {
        fn name(&self) -> &'static str {
            "deferred"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (pattern, fix) in [("ab", Fix::safe as fn(_) -> _), ("cd", Fix::review)] {
                for (i, _) in text.match_indices(pattern) {
                    let edits = vec![Edit::delete(i, i + 1)];
                    out.push(Finding::fixed("t.del", i, i + 2, "", fix(edits)));
                }
            }
            for (i, _) in text.match_indices('!') {
                out.push(Finding::flag("t.bang", i, i + 1, ""));
            }
        }
        fn describe(&self, text: &str, finding: &Finding) -> Option<String> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let found = &text[finding.start..finding.end];
            Some(format!("`{found}` at {}", finding.start))
        }
    }

    #[test]
    fn messages_are_described_only_for_findings_kept_with_them() {
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let p = Pipeline::new(
            vec![Box::new(Deferred(count.clone()))],
            rules(&["t.del", "t.bang"]),
            Applicability::Safe,
        );
        let written = || count.swap(0, std::sync::atomic::Ordering::Relaxed);
        let text = "ab cd ab!";
        // A full run writes every message, with the text the finding was in.
        let run = p.run(text);
        let messages: Vec<String> = run
            .findings_applied()
            .map(|(f, applied)| format!("{}{}", f.message, if applied { " +" } else { "" }))
            .collect();
        // (A document pass runs once more over its output, which reports the
        // held fix and the flag again, at their places in that text.)
        assert_eq!(
            messages,
            ["`ab` at 0 +", "`ab` at 6 +", "`cd` at 2", "`!` at 6"]
        );
        assert_eq!(written(), 4 + 2);
        // A lean run writes only those of the held fix and the flag.
        let lean = p.run_lean(text.to_string());
        assert_eq!(lean.output(), "b cd b!");
        assert_eq!(written(), 2 + 2);
        let kept: Vec<&str> = lean
            .findings_applied()
            .filter(|(_, applied)| !applied)
            .map(|(f, _)| f.message.as_ref())
            .collect();
        assert_eq!(kept, ["`cd` at 2", "`!` at 6"]);
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
                    Fix::safe([Edit::replace(i, i + 3, "Z")]),
                ));
            }
            for (i, _) in text.match_indices("yz") {
                out.push(Finding::fixed(
                    "t.yz",
                    i,
                    i + 2,
                    "yz",
                    Fix::review([Edit::replace(i, i + 2, "Y")]),
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
        // the flag is reported once, however often its line was re-checked
        let flags: Vec<_> = run.steps.iter().flat_map(|s| &s.flags).collect();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].origin, 4..5);
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

    /// Deletes a `.` that follows `x`, line by line.
    struct DropDotAfterX;
    impl Pass for DropDotAfterX {
        fn name(&self) -> &'static str {
            "x-dot"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices("x.") {
                out.push(Finding::fixed(
                    "t.xdot",
                    i + 1,
                    i + 2,
                    "x.",
                    Fix::safe([Edit::delete(i + 1, i + 2)]),
                ));
            }
        }
        fn locality(&self) -> Locality {
            Locality::Line
        }
    }

    /// Deletes every `z` (a document pass).
    struct RemoveZ;
    impl Pass for RemoveZ {
        fn name(&self) -> &'static str {
            "no-z"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices('z') {
                out.push(Finding::fixed(
                    "t.z",
                    i,
                    i + 1,
                    "z",
                    Fix::safe([Edit::delete(i, i + 1)]),
                ));
            }
        }
    }

    #[test]
    fn later_edits_are_rechecked_by_earlier_line_passes() {
        // RemoveZ runs after DropDotAfterX; removing `z` from `xz.` creates
        // `x.`, which only a second look by the earlier pass can fix.
        let p = Pipeline::new(
            vec![Box::new(DropDotAfterX), Box::new(RemoveZ)],
            rules(&["t.xdot", "t.z"]),
            Applicability::Safe,
        );
        let text = "first x. line\nuntouched xy.\nthen xz. and xzz.\n";
        let run = p.run(text);
        assert_eq!(run.output(), "first x line\nuntouched xy.\nthen x and x\n");
        assert!(run.settled);
        assert_eq!(p.clean(run.output()), run.output());
        // round 2 re-checked only the third line: its findings point into it
        let round2: Vec<_> = run.steps.iter().filter(|s| s.round == 2).collect();
        assert_eq!(round2.len(), 1);
        let third_line = text.len() - "then xz. and xzz.\n".len();
        assert!(round2[0]
            .applied
            .iter()
            .all(|f| f.origin.start > third_line));
        assert_eq!(round2[0].applied.len(), 2);
    }

    /// The spans as the pipeline used to find them: one search back and one
    /// forward per range, then sorted and merged.
    fn line_spans_naive(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let spans = ranges
            .iter()
            .map(|r| {
                let start =
                    memchr::memrchr(b'\n', &bytes[..r.start.min(bytes.len())]).map_or(0, |i| i + 1);
                let end = r.end.min(bytes.len());
                let end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1);
                start..end
            })
            .collect();
        merge(spans)
    }

    #[test]
    fn moving_sorted_ranges_in_one_walk_equals_moving_each() {
        // Every small set of edits on a 12-byte text against every disjoint
        // sorted list of ranges drawn from a fixed set.
        let edit_sets: Vec<Vec<Edit>> = vec![
            vec![],
            vec![Edit::delete(3, 4)],
            vec![Edit::replace(0, 2, "xyz"), Edit::delete(5, 8)],
            vec![Edit::replace(4, 4, "ab"), Edit::replace(6, 9, "")],
            vec![
                Edit::delete(1, 2),
                Edit::delete(2, 3),
                Edit::replace(11, 12, "...."),
            ],
        ];
        let range_sets: Vec<Vec<Range<usize>>> = vec![
            vec![0..1, 2..4, 4..4, 5..12],
            vec![3..3, 3..5, 8..9, 12..12],
            vec![0..12],
            vec![1..2, 6..7, 9..11],
        ];
        for edits in &edit_sets {
            let refs: Vec<&Edit> = edits.iter().collect();
            let moved = EditShift::new(&refs);
            for ranges in &range_sets {
                let expected: Vec<Range<usize>> = ranges.iter().map(|r| moved.range(r)).collect();
                let mut walked = ranges.clone();
                moved.move_sorted(&mut walked);
                assert_eq!(walked, expected, "{edits:?} {ranges:?}");
            }
            // A byte no edit touches is found where the position moved to.
            let old = "abcdefghijkl";
            let new = crate::finding::apply_edits(old, &refs);
            for pos in
                (0..old.len()).filter(|&p| !edits.iter().any(|e| (e.start..e.end).contains(&p)))
            {
                let at = moved.position(pos, false);
                assert_eq!(new.as_bytes()[at], old.as_bytes()[pos], "{edits:?} {pos}");
            }
            let ends: Vec<usize> = moved.replacements().map(|r| r.end).collect();
            for (e, end) in edits.iter().zip(ends) {
                assert_eq!(
                    new.get(end - e.replacement.len()..end),
                    Some(&e.replacement[..])
                );
            }
        }
    }

    #[test]
    fn line_spans_of_many_ranges_match_one_search_per_range() {
        let texts = [
            "",
            "\n",
            "ab\ncd\n\nef",
            "one long line without a break",
            "a\nb\nc\n",
        ];
        for text in texts {
            let n = text.len();
            // every sorted pair of ranges, empty ones and ones at the edges included
            let all: Vec<Range<usize>> = (0..=n).flat_map(|s| (s..=n).map(move |e| s..e)).collect();
            for a in &all {
                for b in all.iter().filter(|b| b.start >= a.start) {
                    let ranges = [a.clone(), b.clone()];
                    assert_eq!(
                        touched_lines(text, &ranges),
                        line_spans_naive(text, &ranges),
                        "{text:?} {ranges:?}"
                    );
                }
            }
        }
    }

    /// `pass`'s findings on `spans` of `text`, checked whole and checked in
    /// the parts [`cut_spans`] makes for `budget`, batch by batch (the batches
    /// checked to cover the parts in order), both sorted by place, rule and
    /// replacement (a pass reports each rule in order; parts interleave
    /// them); and the parts.
    #[allow(clippy::type_complexity)]
    fn whole_and_in_parts(
        pass: &dyn Pass,
        text: &str,
        spans: &[(usize, Range<usize>)],
        budget: usize,
    ) -> (Vec<Finding>, Vec<Finding>, Vec<(usize, Range<usize>)>) {
        let mut whole = Vec::new();
        check_spans(pass, text, spans, &mut whole, &mut |_| {});
        let cut = cut_spans(text, spans.to_vec(), budget, pass);
        assert!(cut.windows(2).all(|w| w[0].1.end <= w[1].1.start));
        let groups = batches(&cut, budget);
        assert_eq!(groups.first().map(|g| g.start), Some(0));
        assert!(groups.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(groups.last().map(|g| g.end), Some(cut.len()));
        let mut parts = Vec::new();
        for group in groups {
            check_spans(pass, text, &cut[group], &mut parts, &mut |_| {});
        }
        let order = |f: &Finding| {
            let replacement = f.replacement().to_owned();
            (f.start, f.end, f.rule.to_string(), replacement)
        };
        whole.sort_by_key(order);
        parts.sort_by_key(order);
        (whole, parts, cut)
    }

    #[test]
    fn spans_cut_into_batches_give_the_findings_of_the_whole_spans() {
        use crate::passes::{punctuation::Punctuation, unicode::Unicode};
        let rules = crate::config::RuleSet::load(&[]).unwrap();
        let passes: Vec<Box<dyn Pass>> = vec![
            Box::new(DotAfterXLine),
            Box::new(Punctuation::new(&rules)),
            Box::new(Unicode::new()),
        ];
        let pieces = [
            "x\n",
            ".a",
            "Long.. ",
            "\"stop.\". ",
            "e\u{301}",
            "a\u{200b}b",
            " \u{ad} ",
            "a\u{ad}b",
            "\u{ad}\u{ad}",
            "\n",
            "\n\n",
            "conflict.. Azerbaijan",
            ",,",
            "x",
            ".",
        ];
        let mut next = crate::passes::random_text::numbers(5);
        for _ in 0..200 {
            let text: String = (0..next(60)).map(|_| pieces[next(pieces.len())]).collect();
            // Every line, and a few edited ranges, as a round would ask.
            let lines = [Range {
                start: 0,
                end: text.len(),
            }];
            let edited: Vec<Range<usize>> = (0..3)
                .map(|_| next(text.len() + 1))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|at| at..at)
                .collect();
            for pass in &passes {
                let with_previous = pass.locality() == Locality::LineAndPrevious;
                for (ranges, lines) in [(&edited[..], &[][..]), (&[][..], &lines[..])] {
                    let spans = spans_to_check(&text, ranges, lines, with_previous);
                    for budget in [1, 2, 5, 16, 1 << 20] {
                        let (whole, parts, _) =
                            whole_and_in_parts(pass.as_ref(), &text, &spans, budget);
                        assert_eq!(whole, parts, "{} {text:?} budget {budget}", pass.name());
                    }
                }
            }
        }
    }

    #[test]
    fn long_lines_cut_where_the_pass_allows_give_the_findings_of_the_whole_line() {
        // Lines of a few hundred kilobytes, dense with mojibake and NFD text
        // (no run of 32 ASCII bytes) or with quiet stretches, between short
        // lines: the mojibake and unicode passes cut them, and the parts
        // give what the whole lines give.
        let units = [
            "cafÃ© Â£5 â€œquoteâ€\u{9d} naÃ¯ve ",
            "cafe\u{301} nai\u{308}ve A\u{30a}ngstro\u{308}m a\u{200b}b ",
            "He said he donâ€™t know, in Zürich. Plain words follow here, all ASCII. ",
            "Ð¿Ñ€Ð¸Ð²ÐµÑ‚ ",
        ];
        let mut next = crate::passes::random_text::numbers(17);
        let passes: Vec<Box<dyn Pass>> = vec![
            Box::new(crate::passes::mojibake::Mojibake::new()),
            Box::new(crate::passes::unicode::Unicode::new()),
        ];
        let mut cut_inside = 0;
        for _ in 0..3 {
            let mut text = String::from("short line\n");
            for _ in 0..2 {
                let line_units = 2_000 + next(6_000);
                for _ in 0..line_units {
                    text.push_str(units[next(units.len())]);
                }
                text.push_str("\nanother short line\n");
            }
            let lines = [Range {
                start: 0,
                end: text.len(),
            }];
            for pass in &passes {
                let spans = spans_to_check(&text, &[], &lines, false);
                for budget in [70_000, 150_000] {
                    let (whole, parts, cut) =
                        whole_and_in_parts(pass.as_ref(), &text, &spans, budget);
                    let inside = |at: usize| at > 0 && text.as_bytes()[at - 1] != b'\n';
                    cut_inside += cut.iter().filter(|(_, span)| inside(span.start)).count();
                    assert_eq!(parts.len(), whole.len(), "{} budget {budget}", pass.name());
                    assert!(parts == whole, "{} budget {budget}", pass.name());
                }
            }
        }
        assert!(cut_inside > 10, "{cut_inside} cuts inside lines");
    }

    /// Deletes a `.` at the start of a line whose line before ends with `x`
    /// (its findings depend on the line before).
    struct DotAfterXLine;
    impl Pass for DotAfterXLine {
        fn name(&self) -> &'static str {
            "x-line-dot"
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            for (i, _) in text.match_indices("x\n.") {
                out.push(Finding::fixed(
                    "t.xline",
                    i + 2,
                    i + 3,
                    "x-line dot",
                    Fix::safe([Edit::delete(i + 2, i + 3)]),
                ));
            }
        }
        fn locality(&self) -> Locality {
            Locality::LineAndPrevious
        }
    }

    #[test]
    fn line_and_previous_passes_recheck_the_line_after_an_edit() {
        // Removing `z` from `xz` on line two makes line three's `.` fixable;
        // the re-check must take line three, with line two as context, and
        // must not report line one (context only) a second time.
        let p = Pipeline::new(
            vec![Box::new(DotAfterXLine), Box::new(RemoveZ)],
            rules(&["t.xline", "t.z"]),
            Applicability::Safe,
        );
        let text = "ax\n.one\nxz\n.two\nuntouched\n.three\n";
        let run = p.run(text);
        assert_eq!(run.output(), "ax\none\nx\ntwo\nuntouched\n.three\n");
        assert!(run.settled);
        assert_eq!(p.clean(run.output()), run.output());
        let spans = line_spans("a\nb\nc\nd\n", std::slice::from_ref(&(4..5)), true);
        assert_eq!(spans, vec![(2, 4..8)], "line c and d, with b as context");
        assert_eq!(
            line_spans("a\nb\n", std::slice::from_ref(&(0..1)), true),
            vec![(0, 0..4)]
        );
        assert_eq!(
            line_spans("a\nb\nc", std::slice::from_ref(&(2..3)), false),
            vec![(2, 2..4)]
        );
    }

    #[test]
    fn merging_sorted_ranges_joins_overlaps() {
        let a = vec![0..2, 5..6, 9..9];
        let b = vec![1..3, 6..8, 10..12];
        // Line feeds in every gap: only overlapping or touching ranges join.
        let lines = "\n".repeat(16);
        let bytes = lines.as_bytes();
        assert_eq!(
            merge_sorted(bytes, a.clone().into_iter(), b.clone().into_iter()),
            merge(a.into_iter().chain(b).collect())
        );
        assert_eq!(
            merge_sorted(
                bytes,
                vec![0..2, 5..6].into_iter(),
                vec![1..3, 6..8].into_iter()
            ),
            vec![0..3, 5..8]
        );
    }

    #[test]
    fn merging_joins_ranges_on_one_line_and_touches_the_same_lines() {
        let text = "ab cd ef\ngh ij\n\nkl mn";
        let bytes = text.as_bytes();
        let a = vec![0..1, 12..13];
        let b = vec![3..4, 6..6, 17..18, 19..21];
        let merged = merge_sorted(bytes, a.clone().into_iter(), b.clone().into_iter());
        assert_eq!(merged, vec![0..6, 12..13, 17..21]);
        let apart = merge(a.into_iter().chain(b).collect());
        for with_previous in [false, true] {
            assert_eq!(
                line_spans(text, &merged, with_previous),
                line_spans(text, &apart, with_previous)
            );
        }
        // A gap that starts at a line feed is not on one line.
        assert_eq!(
            merge_sorted(bytes, std::iter::once(7..8), std::iter::once(9..10)),
            vec![7..8, 9..10]
        );
    }

    #[test]
    fn lean_run_keeps_only_the_output() {
        let p = Pipeline::new(
            vec![Box::new(Shrink)],
            rules(&["t.ab", "t.bang"]),
            Applicability::Safe,
        );
        let run = p.run_lean("aab!".to_string());
        assert_eq!(run.output(), "b!");
        assert!(run.texts[..run.texts.len() - 1]
            .iter()
            .all(String::is_empty));
        assert_eq!(
            run.findings().filter(|(_, f)| f.rule == "t.bang").count(),
            1
        );
    }

    #[test]
    fn lean_run_counts_what_the_full_run_records() {
        let p = Pipeline::new(
            vec![Box::new(Shrink)],
            rules(&["t.ab", "t.bang"]),
            Applicability::Safe,
        );
        let text = "aab! ab ab!! b aaab!\nab!";
        let tally = |run: &Run| {
            let mut t: Vec<(String, Applicability, bool)> = run
                .findings_applied()
                .map(|(f, applied)| (f.rule.to_string(), f.applicability(), applied))
                .collect();
            t.sort();
            t
        };
        let (full, lean) = (p.run(text), p.run_lean(text.to_string()));
        assert_eq!(lean.output(), full.output());
        assert_eq!(tally(&lean), tally(&full));
        assert!(tally(&full).len() > 4, "several fixes of each rule");
        // The lean run holds one record per rule, not one per fix.
        assert!(lean.steps.iter().all(|s| s.applied.is_empty()));
        let records: usize = lean.steps.iter().map(|s| s.counted.len()).sum();
        assert!(records < tally(&full).len(), "{records} records");
    }

    /// Deletes every `x` and flags every `!`; with `parts`, hands each
    /// finding over as soon as it is found, noting how many findings it saw
    /// held at once.
    struct EveryX {
        locality: Locality,
        parts: bool,
        most_held: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    }
    impl EveryX {
        fn new(locality: Locality, parts: bool) -> Self {
            EveryX {
                locality,
                parts,
                most_held: Default::default(),
            }
        }
        fn find(
            &self,
            text: &str,
            out: &mut Vec<Finding>,
            take: &mut dyn FnMut(&mut Vec<Finding>),
        ) {
            for (i, c) in text.char_indices() {
                let found = match c {
                    'x' => {
                        Finding::fixed("t.x", i, i + 1, "x", Fix::safe([Edit::delete(i, i + 1)]))
                    }
                    '!' => Finding::flag("t.bang", i, i + 1, "bang"),
                    _ => continue,
                };
                out.push(found);
                self.most_held
                    .fetch_max(out.len(), std::sync::atomic::Ordering::Relaxed);
                if self.parts {
                    take(out);
                }
            }
        }
    }
    impl Pass for EveryX {
        fn name(&self) -> &'static str {
            "everyx"
        }
        fn locality(&self) -> Locality {
            self.locality
        }
        fn check(&self, text: &str, out: &mut Vec<Finding>) {
            self.find(text, out, &mut |_| {});
        }
        fn check_in_parts(
            &self,
            text: &str,
            out: &mut Vec<Finding>,
            take: &mut dyn FnMut(&mut Vec<Finding>),
        ) {
            self.find(text, out, take);
        }
    }

    /// Findings handed over as a pass finds them are taken in at once (the
    /// pass never holds more than a few), on one line longer than a batch
    /// (a line pass: the line cannot be cut) and in a whole document, and
    /// the run is the one of the same pass handing nothing over.
    #[test]
    fn findings_handed_over_are_taken_in_as_they_come() {
        // One line of more than a thread's batch and of more than what is
        // shared out over threads, with two findings every 16 bytes (few,
        // so that the test stays quick unoptimised).
        let line = "ax! bcdefghijkl ".repeat(BATCH_BYTES / 15);
        let text = format!("{line}\nb!x\nx!");
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for locality in [
            Locality::Line,
            Locality::LineAndPrevious,
            Locality::Document,
        ] {
            for pool in [&one, crate::passes::random_text::pool()] {
                let threads = pool.current_num_threads();
                let runs = [false, true].map(|parts| {
                    let pass = EveryX::new(locality, parts);
                    let most_held = pass.most_held.clone();
                    let p = Pipeline::new(
                        vec![Box::new(pass)],
                        rules(&["t.x", "t.bang"]),
                        Applicability::Safe,
                    );
                    let run = pool.install(|| p.run_lean(text.clone()));
                    let flags: Vec<Range<usize>> = run
                        .steps
                        .iter()
                        .flat_map(|s| s.flags.iter().map(|f| f.origin.clone()))
                        .collect();
                    let fixes = run.findings_applied().filter(|(_, a)| *a).count();
                    let held = most_held.load(std::sync::atomic::Ordering::Relaxed);
                    (run.output().to_string(), flags, fixes, held)
                });
                let what = format!("{locality:?} on {threads} threads");
                assert_eq!(runs[1].0, runs[0].0, "{what}");
                assert_eq!(runs[1].1, runs[0].1, "{what}");
                assert_eq!(runs[1].2, runs[0].2, "{what}");
                assert_eq!(runs[0].0, text.replace('x', ""));
                assert!(runs[0].3 > BATCH_BYTES / 10, "{what}: held {}", runs[0].3);
                assert!(runs[1].3 <= 1, "{what}: held {}", runs[1].3);
            }
        }
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

    #[test]
    fn only_findings_of_active_rules_are_kept_however_rules_alternate() {
        // Runs of one rule and rules that change at every finding, active
        // and not: what is kept is what asking the set for each would keep.
        let names = ["t.a", "t.b", "t.ab", "t.c"];
        let active = rules(&["t.a", "t.ab"]);
        let mut next = crate::passes::random_text::numbers(11);
        for _ in 0..500 {
            let mut findings: Vec<Finding> = Vec::new();
            for i in 0..next(40) {
                let rule = names[next(names.len())];
                for _ in 0..1 + next(3) {
                    let rule: crate::finding::RuleId = if next(2) == 0 {
                        rule.into()
                    } else {
                        rule.to_string().into()
                    };
                    findings.push(Finding::flag(rule, i, i + 1, ""));
                }
            }
            let expected: Vec<Finding> = findings
                .iter()
                .filter(|f| active.contains(f.rule.as_ref()))
                .cloned()
                .collect();
            super::retain_active(&mut findings, &active);
            assert_eq!(findings, expected);
        }
    }
}
