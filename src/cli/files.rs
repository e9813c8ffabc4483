//! Files and folders: read, decode, clean in parallel, write atomically, in order.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use redline::io::walk::Input;
use redline::io::write::write_atomic;
use redline::render::check::Tally;
use redline::render::statistics::Statistics;

use super::document::{decode_error_message, Job, Mode, Place};
use super::progress::Progress;

/// Where cleaned text goes.
#[derive(Debug, Clone)]
pub enum Destination {
    /// Standard output, documents one after another.
    Stdout,
    /// One output file (`-o FILE` with one input), written atomically.
    File(PathBuf),
    /// A mirrored tree under this folder (`-o OUTDIR`).
    Folder(PathBuf),
    /// Something that is not a regular file or folder (`/dev/null`, a pipe):
    /// written straight to, documents one after another.
    Straight(PathBuf),
    /// Each file rewritten atomically, keeping a backup with this suffix if given.
    InPlace(Option<String>),
}

/// What a whole run produced, besides what was already written.
#[derive(Default)]
pub struct Totals {
    pub stats: Statistics,
    pub leftover: Tally,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

/// Files processed per parallel batch: big enough to keep every thread busy,
/// small enough that ordered output never holds much in memory.
const BATCH: usize = 256;

pub(super) enum Item {
    Done {
        cleaned_for_stream: Option<String>,
        report: String,
        stats: Statistics,
        leftover: Tally,
        note: Option<String>,
    },
    Failed(String),
}

/// Processes `inputs`, writing cleaned text to `dest` (clean) or the report to
/// stdout (check, diff).
pub fn run(
    job: &Job,
    inputs: &[Input],
    dest: &Destination,
    progress: &Progress,
) -> io::Result<Totals> {
    let mut totals = Totals::default();
    let stdout = io::stdout();
    let straight = match dest {
        Destination::Straight(p) => {
            Some(Mutex::new(std::fs::OpenOptions::new().write(true).open(p)?))
        }
        _ => None,
    };
    for batch in inputs.chunks(BATCH) {
        let items: Vec<Item> = batch
            .par_iter()
            .map(|input| {
                let item = process_one(job, input, dest);
                progress.document(input_len(input));
                item
            })
            .collect();
        let mut out = stdout.lock();
        for item in items {
            match item {
                Item::Failed(message) => {
                    totals.stats.failed += 1;
                    totals.errors.push(message);
                }
                Item::Done {
                    cleaned_for_stream,
                    report,
                    stats,
                    leftover,
                    note,
                } => {
                    totals.stats.merge(stats);
                    totals.leftover.merge(leftover);
                    if let Some(n) = note {
                        totals.notes.push(n);
                    }
                    if let Some(text) = cleaned_for_stream {
                        match &straight {
                            Some(file) => file.lock().unwrap().write_all(text.as_bytes())?,
                            None => out.write_all(text.as_bytes())?,
                        }
                    }
                    out.write_all(report.as_bytes())?;
                }
            }
        }
    }
    Ok(totals)
}

fn input_len(input: &Input) -> u64 {
    match input {
        Input::Stdin => 0,
        Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
    }
}

/// The bytes of one input, or a message naming it and saying what to check.
pub fn read_input(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            io::Read::read_to_end(&mut io::stdin(), &mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(buf)
        }
        Input::File { path, .. } => {
            let label = path.display();
            if path.is_dir() {
                return Err(format!(
                    "{label}: is a directory; redline reads the files in it when you name the folder itself"
                ));
            }
            redline::io::read::read_file(path).map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    format!("{label}: no such file; check the path (or it vanished mid-run)")
                }
                io::ErrorKind::PermissionDenied => {
                    format!("{label}: permission denied; check the file's permissions")
                }
                _ => format!("{label}: cannot read: {e}"),
            })
        }
    }
}

fn process_one(job: &Job, input: &Input, dest: &Destination) -> Item {
    if let Some(item) = super::stream::clean_mapped(job, input, dest) {
        return item;
    }
    let label = input.label();
    let bytes = match read_input(input) {
        Ok(b) => b,
        Err(e) => return Item::Failed(e),
    };
    let walked = matches!(input, Input::File { walked: true, .. });
    let decoded =
        match redline::io::decode::decode_vec(bytes, job.engine.settings.encoding.as_deref()) {
            Ok(d) => d,
            Err(redline::io::decode::DecodeError::Binary { .. }) if walked => {
                // Binary files are rare: the bytes went to the decoder (so that
                // valid UTF-8 becomes the text without a copy), and are read
                // again to be copied.
                let bytes = match read_input(input) {
                    Ok(b) => b,
                    Err(e) => return Item::Failed(e),
                };
                // A binary file met while walking a folder is not an error: it is
                // skipped (or copied unchanged into an output folder) and reported.
                let note = match (job.mode, dest) {
                    (Mode::Clean, Destination::Folder(dir)) => {
                        let Input::File { out_rel, .. } = input else {
                            unreachable!()
                        };
                        let target = dir.join(out_rel);
                        if let Err(e) = write_to(&target, &bytes) {
                            return Item::Failed(super::safety::write_failed(&target, &e));
                        }
                        format!("{label}: binary file, copied unchanged")
                    }
                    _ => format!("{label}: binary file, skipped"),
                };
                return Item::Done {
                    cleaned_for_stream: None,
                    report: String::new(),
                    stats: Statistics::default(),
                    leftover: Tally::default(),
                    note: Some(note),
                };
            }
            Err(e) => return Item::Failed(decode_error_message(&label, &e)),
        };
    let place = Place {
        path: &label,
        document_line: None,
        document_id: None,
    };
    let (encoding, detected) = (decoded.encoding, decoded.detected);
    let outcome = job.process(&place, decoded.text, encoding, detected);
    let mut stream = None;
    if let Some(cleaned) = outcome.cleaned {
        let (target, result) = match (dest, input) {
            (Destination::Stdout | Destination::Straight(_), _) => {
                stream = Some(cleaned);
                (None, Ok(()))
            }
            // `-o` naming the input itself: replaced atomically and durably,
            // like --in-place, since the original is at stake.
            (Destination::File(out), Input::File { path, .. })
                if super::safety::same_file(out, path) =>
            {
                (
                    Some(out.clone()),
                    write_atomic(out, cleaned.as_bytes(), None),
                )
            }
            (Destination::File(out), _) => (
                Some(out.clone()),
                redline::io::write::write_output(out, cleaned.as_bytes()),
            ),
            (Destination::Folder(dir), Input::File { out_rel, .. }) => {
                let target = dir.join(out_rel);
                let result = write_to(&target, cleaned.as_bytes());
                (Some(target), result)
            }
            (Destination::Folder(dir), Input::Stdin) => {
                let target = dir.join("stdin.txt");
                let result = write_to(&target, cleaned.as_bytes());
                (Some(target), result)
            }
            (Destination::InPlace(backup), Input::File { path, .. }) => {
                if outcome.changed || encoding != "UTF-8" {
                    (
                        Some(path.clone()),
                        write_atomic(path, cleaned.as_bytes(), backup.as_deref()),
                    )
                } else {
                    (None, Ok(()))
                }
            }
            (Destination::InPlace(_), Input::Stdin) => (
                None,
                Err(io::Error::other("--in-place needs file paths, not `-`")),
            ),
        };
        if let Err(e) = result {
            return Item::Failed(match target {
                Some(target) => super::safety::write_failed(&target, &e),
                None => format!("{label}: cannot write the cleaned text: {e}"),
            });
        }
    }
    Item::Done {
        cleaned_for_stream: stream,
        report: outcome.report,
        stats: outcome.stats,
        leftover: outcome.leftover,
        note: outcome.note,
    }
}

/// Writes a file of an output folder: atomic (no half files) but not waiting
/// for the disk per file, since the inputs are untouched and a re-run rebuilds
/// the tree. `--in-place` uses `write_atomic`, which does wait (fsync).
fn write_to(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() && !parent.is_dir() {
            std::fs::create_dir_all(parent)?;
        }
    }
    redline::io::write::write_output(path, bytes)
}
