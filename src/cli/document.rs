//! One document through the pipeline, rendered for the chosen command and format.

use redline::io::decode::DecodeError;
use redline::pipeline::Run;
use redline::render::check::Tally;
use redline::render::diff::{self, DocumentLabel, Style};
use redline::render::json::FindingRecord;
use redline::render::statistics::Statistics;
use redline::render::{self, check};
use redline::Engine;

/// The command being run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Clean,
    Check,
    Diff,
    /// `diff --patch`: one unified diff of the fixes `clean` would apply.
    Patch,
}

/// Output format of `check` and `diff`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Everything shared by all documents of a run.
pub struct Job {
    pub engine: Engine,
    pub mode: Mode,
    pub format: Format,
    pub style: Style,
    pub passes: Vec<&'static str>,
    /// Whether `clean` may read a big file through a memory map (see
    /// [`super::stream`]); `--no-mmap` turns it off.
    pub map_files: bool,
}

/// What processing one document produced.
#[derive(Default)]
pub struct Outcome {
    /// The cleaned text (clean mode).
    pub cleaned: Option<String>,
    /// Whether cleaning changed the text.
    pub changed: bool,
    /// The check/diff/JSON rendering (check and diff modes).
    pub report: String,
    /// Statistics of this document.
    pub stats: Statistics,
    /// Findings left for a person (clean mode's stderr summary).
    pub leftover: Tally,
    /// Something to tell the user on stderr (e.g. the legacy encoding decoded).
    pub note: Option<String>,
}

/// Where a document sits, for labels and JSON records.
pub struct Place<'a> {
    pub path: &'a str,
    pub document_line: Option<usize>,
    pub document_id: Option<&'a str>,
}

impl Place<'_> {
    /// `PATH`, or `PATH#LINE` / `PATH#LINE[ID]` for a JSON Lines document.
    pub fn label(&self) -> String {
        match (self.document_line, self.document_id) {
            (None, _) => self.path.to_string(),
            (Some(n), None) => format!("{}#{n}", self.path),
            (Some(n), Some(id)) => format!("{}#{n}[{id}]", self.path),
        }
    }
}

impl Job {
    /// What cleaning a document of `bytes` bytes did, from its lean runs
    /// (one per chunk it was cleaned in), without the cleaned text.
    pub fn clean_outcome(bytes: usize, runs: &[Run]) -> Outcome {
        let mut outcome = Outcome::default();
        let findings = || runs.iter().flat_map(Run::findings_applied);
        outcome.changed = runs.iter().any(Run::changed);
        outcome
            .stats
            .add_document(bytes, outcome.changed, findings());
        outcome
            .leftover
            .add(findings().filter(|(_, applied)| !applied).map(|(f, _)| f));
        outcome
    }

    /// Runs the pipeline over one document's text.
    pub fn process(&self, place: &Place, text: String, encoding: &str, detected: bool) -> Outcome {
        let bytes = text.len();
        let mut outcome = Outcome::default();
        if encoding != "UTF-8" && self.mode == Mode::Check && self.format == Format::Text {
            let label = place.label();
            outcome.note = Some(format!(
                "{label}: decoded as {encoding}{}; redline writes UTF-8",
                if detected { " (detected)" } else { "" }
            ));
        }
        if self.mode == Mode::Clean {
            // Cleaning needs no diff: keep only the output text in memory
            // (a big text is cleaned in chunks on every thread).
            let cleaned = self.engine.pipeline.run_lean_in_chunks(text);
            let mut outcome = Self::clean_outcome(bytes, &cleaned.runs);
            outcome.cleaned = Some(cleaned.output);
            return outcome;
        }
        let label = place.label();
        let hash = (self.format == Format::Json).then(|| redline::changeset::document_hash(&text));
        let run: Run = self.engine.pipeline.run_owned(text);
        outcome.changed = run.changed();
        let located = if run.steps.is_empty() {
            Vec::new()
        } else {
            render::locate(&run)
        };
        outcome.stats.add_document(
            bytes,
            run.changed(),
            located.iter().map(|l| (l.finding, l.applied)),
        );
        outcome.leftover.add(located.iter().map(|l| l.finding));
        match (self.mode, self.format) {
            (Mode::Patch, _) => {
                outcome.report =
                    redline::render::patch::unified_patch(place.path, run.input(), run.output());
            }
            (Mode::Clean, _) => unreachable!("handled above"),
            (_, Format::Json) => {
                let hash = hash.unwrap_or_default();
                for l in &located {
                    let mut record = FindingRecord::new(place.path, encoding, &hash, l);
                    record.document_line = place.document_line;
                    record.document_id = place.document_id;
                    outcome.report.push_str(&record.to_line());
                    outcome.report.push('\n');
                }
            }
            (Mode::Check, Format::Text) => {
                for l in &located {
                    outcome.report.push_str(&check::line(&label, l));
                    outcome.report.push('\n');
                }
            }
            (Mode::Diff, Format::Text) => {
                let doc = DocumentLabel {
                    path: &label,
                    encoding,
                    detected,
                };
                outcome
                    .report
                    .push_str(&diff::render(&doc, &run, &self.passes, self.style));
            }
        }
        outcome
    }
}

/// A decoding failure as a message naming the path and what to do.
pub fn decode_error_message(path: &str, e: &DecodeError) -> String {
    match e {
        DecodeError::Binary { offset } => format!(
            "{path}: binary file (NUL byte at byte {offset}); not cleaned. \
             If it is UTF-16 text without a BOM, pass --encoding utf-16le or utf-16be"
        ),
        DecodeError::Malformed {
            encoding,
            offset,
            line,
            column,
        } => format!(
            "{path}:{line}:{column}: not valid {encoding} (byte {offset}); \
             pass the right --encoding, or leave it out to detect the encoding"
        ),
        DecodeError::UnknownEncoding(label) => format!(
            "unknown encoding `{label}`; use a WHATWG label such as utf-8, windows-1252, \
             latin1, iso-8859-2, windows-1251, koi8-r, shift_jis, gb18030, utf-16le"
        ),
    }
}
