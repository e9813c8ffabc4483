//! JSON Lines corpora: streamed in bounded batches, documents cleaned in parallel,
//! lines written back in order with only the chosen field changed.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use redline::io::jsonl::{
    find_field, id_of, open_reader, replace_field, write_replaced, Compressed, FieldPath,
};
use redline::io::write;
use redline::render::check::Tally;
use redline::render::statistics::Statistics;

use super::document::{Job, Mode, Place};
use super::files::Totals;
use super::progress::Progress;

/// The size of a batch of lines cleaned in parallel: memory stays bounded
/// whatever the corpus size (two batches read ahead, the one being cleaned and
/// the one being written). 1 MB holds a few hundred articles, enough to keep
/// every core busy, and keeps a 1 GB stream within a few MB of a 10 MB one
/// (8 MB batches peaked at 131 MB against 59 MB).
const BATCH_BYTES: usize = 1 << 20;

/// Which field, and how documents are named.
pub struct JsonlOptions {
    pub field: FieldPath,
    pub id_field: Option<FieldPath>,
}

/// Where the cleaned stream goes.
pub enum Sink {
    Stdout,
    /// Written to a temporary file beside the target, renamed over it at the end.
    Atomic(AtomicTarget),
    /// Not a regular file (`/dev/null`, a pipe): written straight to.
    Straight(PathBuf),
    /// check / diff: no cleaned stream.
    None,
}

/// A file replaced by renaming a finished temporary file over it.
pub struct AtomicTarget {
    pub path: PathBuf,
    /// Wait for the disk (`fsync`) before the rename: `--in-place`, where the
    /// original is at stake. A new `-o` output needs only atomicity: after a
    /// crash it may be missing, never the input, and a re-run rewrites it
    /// (the same choice as for files).
    pub durable: bool,
    /// `--backup SUFFIX`: the original is first copied to PATH + SUFFIX.
    pub backup: Option<String>,
}

/// What a line becomes in the cleaned stream.
/// A cleaned document longer than this is escaped into its line as the
/// line is written ([`LineOut::Field`]).
const LARGE_DOCUMENT: usize = 1 << 20;

enum LineOut {
    /// The input line, byte for byte (no copy made).
    Same,
    /// A rewritten line (with its original line ending).
    New(Vec<u8>),
    /// The input line with the field's raw value at `span` replaced by the
    /// cleaned text, escaped as the writer writes it: a large document is not
    /// held once more as its rewritten line (small ones are rewritten by the
    /// cleaning threads, in parallel).
    Field {
        span: std::ops::Range<usize>,
        cleaned: String,
    },
    /// Nothing is written (check and diff).
    Nothing,
}

/// A run of whole lines read from the input.
pub struct Batch {
    /// Line number of the first line.
    first_line: usize,
    pub data: Vec<u8>,
    /// End offset (after the line feed, if any) of each line in `data`.
    pub ends: Vec<usize>,
}

impl Batch {
    /// `(line number, line with its ending)` for every line.
    pub fn lines(&self) -> impl Iterator<Item = (usize, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .enumerate()
            .map(|(i, (s, e))| (self.first_line + i, &self.data[s..e]))
    }
}

/// Reads `reader` in batches of whole lines (about `BATCH_BYTES`) and sends them
/// until the end of input or an error.
pub fn read_batches(
    reader: &mut Box<dyn BufRead + Send>,
    path: &str,
    send: &std::sync::mpsc::SyncSender<io::Result<Batch>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    let mut next_line = 1usize;
    loop {
        let mut data = std::mem::take(&mut carry);
        let mut eof = false;
        // A batch ends at a line end: a line longer than a batch makes the batch
        // as long as the line (the carried part of a line has no line feed, so
        // only newly read bytes are searched for one).
        let mut has_line_end = memchr::memchr(b'\n', &data).is_some();
        while data.len() < BATCH_BYTES || !has_line_end {
            let buf = match reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = send.send(Err(io::Error::new(
                        e.kind(),
                        format!("{path}: read failed after line {}: {e}", next_line - 1),
                    )));
                    return;
                }
            };
            if buf.is_empty() {
                eof = true;
                break;
            }
            has_line_end = has_line_end || memchr::memchr(b'\n', buf).is_some();
            data.extend_from_slice(buf);
            let n = buf.len();
            reader.consume(n);
        }
        // Keep a partial last line for the next batch.
        if !eof {
            if let Some(last) = memchr::memrchr(b'\n', &data) {
                carry = data.split_off(last + 1);
            }
        }
        let mut ends: Vec<usize> = memchr::memchr_iter(b'\n', &data).map(|i| i + 1).collect();
        if ends.last().copied().unwrap_or(0) < data.len() && eof {
            ends.push(data.len());
        }
        let count = ends.len();
        if count > 0
            && send
                .send(Ok(Batch {
                    first_line: next_line,
                    data,
                    ends,
                }))
                .is_err()
        {
            return;
        }
        next_line += count;
        if eof {
            return;
        }
    }
}

struct LineResult {
    out: LineOut,
    report: String,
    stats: Statistics,
    leftover: Tally,
    note: Option<String>,
}

/// Streams one JSON Lines input.
pub fn run(
    job: &Job,
    path: &str,
    options: &JsonlOptions,
    sink: Sink,
    progress: &Progress,
    totals: &mut Totals,
) -> io::Result<()> {
    let mut reader = open_reader(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{path}: cannot open: {e}")))?;
    let mut atomic: Option<(tempfile::NamedTempFile, &AtomicTarget)> = None;
    let mut writer: Option<Compressed<Box<dyn Write + Send>>> = match &sink {
        Sink::Stdout => Some(Compressed::Plain(Box::new(
            io::BufWriter::new(io::stdout()),
        ))),
        Sink::Straight(p) => {
            let file: Box<dyn Write + Send> = Box::new(io::BufWriter::new(
                std::fs::OpenOptions::new().write(true).open(p)?,
            ));
            Some(Compressed::for_path(p, file)?)
        }
        Sink::Atomic(target) => {
            let temp = write::temp_beside(&target.path)?;
            let file: Box<dyn Write + Send> = Box::new(io::BufWriter::new(temp.reopen()?));
            atomic = Some((temp, target));
            Some(Compressed::for_path(&target.path, file)?)
        }
        Sink::None => None,
    };
    // Three stages overlap: a reader thread fills the next batch, this thread
    // has the batch cleaned in parallel, and a writer thread writes the batch
    // before it in order (and adds up its statistics).
    let (batches, incoming) = std::sync::mpsc::sync_channel::<io::Result<Batch>>(2);
    let (results_out, results_in) = std::sync::mpsc::sync_channel::<(Batch, Vec<LineResult>)>(1);
    std::thread::scope(|scope| -> io::Result<()> {
        scope.spawn(move || read_batches(&mut reader, path, &batches));
        let writer_ref = &mut writer;
        let write_stage = scope.spawn(move || -> io::Result<()> {
            let stdout = io::stdout();
            for (batch, results) in results_in {
                progress.documents(batch.ends.len() as u64, batch.data.len() as u64);
                let mut out = stdout.lock();
                for (r, (_, raw)) in results.into_iter().zip(batch.lines()) {
                    if r.stats.documents > 0 || !r.leftover.per_rule.is_empty() {
                        totals.stats.merge(r.stats);
                        totals.leftover.merge(r.leftover);
                    }
                    if let Some(note) = r.note {
                        totals.notes.push(note);
                    }
                    if let Some(w) = writer_ref.as_mut() {
                        match &r.out {
                            LineOut::Same => w.write_all(raw)?,
                            LineOut::New(bytes) => w.write_all(bytes)?,
                            LineOut::Field { span, cleaned } => {
                                write_replaced(w, raw, span, cleaned)?
                            }
                            LineOut::Nothing => {}
                        }
                    }
                    out.write_all(r.report.as_bytes())?;
                }
            }
            Ok(())
        });
        let mut failed = None;
        for batch in incoming {
            let batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            };
            let lines: Vec<(usize, &[u8])> = batch.lines().collect();
            let mut results: Vec<LineResult> = lines
                .par_iter()
                .map(|(n, line)| process_line(job, path, *n, line, options))
                .collect();
            drop(lines);
            // Add up the batch's statistics in parallel too, so that the writer
            // only merges one summary per batch.
            let summary = results
                .par_iter_mut()
                .map(|r| {
                    (
                        std::mem::take(&mut r.stats),
                        std::mem::take(&mut r.leftover),
                    )
                })
                .reduce(
                    || (Statistics::default(), Tally::default()),
                    |(mut s1, mut t1), (s2, t2)| {
                        s1.merge(s2);
                        t1.merge(t2);
                        (s1, t1)
                    },
                );
            if let Some(first) = results.first_mut() {
                first.stats = summary.0;
                first.leftover = summary.1;
            }
            if results_out.send((batch, results)).is_err() {
                break; // the writer stopped on an error: it reports it
            }
        }
        drop(results_out);
        let written = write_stage
            .join()
            .expect("the writer thread does not panic");
        match failed {
            Some(e) => Err(e),
            None => written.map_err(|e| write_failed(&sink, e)),
        }
    })?;
    if let Some(w) = writer.take() {
        w.finish().map_err(|e| write_failed(&sink, e))?;
    }
    if let Some((temp, target)) = atomic {
        let original = std::fs::metadata(&target.path).ok();
        if let (Some(suffix), Some(_)) = (&target.backup, &original) {
            write::copy_to_backup(&target.path, suffix, target.durable)
                .map_err(|e| write_failed(&sink, e))?;
        }
        write::persist(
            temp,
            &target.path,
            original.map(|m| m.permissions()),
            target.durable,
        )
        .map_err(|e| write_failed(&sink, e))?;
    }
    Ok(())
}

/// A failed write of the cleaned stream, naming the output file (the temporary
/// file is removed when it is dropped; the target is untouched).
fn write_failed(sink: &Sink, e: io::Error) -> io::Error {
    match sink {
        Sink::Atomic(target) if e.kind() != io::ErrorKind::BrokenPipe => {
            io::Error::new(e.kind(), super::safety::write_failed(&target.path, &e))
        }
        _ => e,
    }
}

fn process_line(
    job: &Job,
    path: &str,
    number: usize,
    raw: &[u8],
    options: &JsonlOptions,
) -> LineResult {
    let mut result = LineResult {
        out: LineOut::Nothing,
        report: String::new(),
        stats: Statistics::default(),
        leftover: Tally::default(),
        note: None,
    };
    let (body, ending) = split_ending(raw);
    let passthrough = |mut r: LineResult, why: String| {
        r.out = LineOut::Same;
        r.note = Some(why);
        r
    };
    let line = match std::str::from_utf8(body) {
        Ok(l) => l,
        Err(e) => {
            return passthrough(
                result,
                format!(
                    "{path}:{number}: not valid UTF-8 at byte {}; line passed through unchanged",
                    e.valid_up_to()
                ),
            )
        }
    };
    if line.trim().is_empty() {
        result.out = LineOut::Same;
        return result;
    }
    let mut field = match find_field(line, &options.field) {
        Ok(f) => f,
        Err(e) => {
            return passthrough(
                result,
                format!("{path}:{number}: {e}; line passed through unchanged"),
            )
        }
    };
    let id = options.id_field.as_ref().and_then(|f| id_of(line, f));
    let place = Place {
        path,
        document_line: Some(number),
        document_id: id.as_deref(),
    };
    let outcome = job.process(&place, std::mem::take(&mut field.text), "UTF-8", false);
    result.report = outcome.report;
    result.stats = outcome.stats;
    result.leftover = outcome.leftover;
    if job.mode == Mode::Clean {
        result.out = match outcome.cleaned {
            Some(cleaned) if outcome.changed && cleaned.len() > LARGE_DOCUMENT => LineOut::Field {
                span: field.span,
                cleaned,
            },
            Some(cleaned) if outcome.changed => {
                let mut out = replace_field(line, &field, &cleaned).into_bytes();
                out.extend_from_slice(ending);
                LineOut::New(out)
            }
            _ => LineOut::Same,
        };
    }
    result
}

pub fn split_ending(raw: &[u8]) -> (&[u8], &[u8]) {
    if let Some(body) = raw.strip_suffix(b"\r\n") {
        (body, b"\r\n")
    } else if let Some(body) = raw.strip_suffix(b"\n") {
        (body, b"\n")
    } else {
        (raw, b"")
    }
}

/// The sink for `clean`: stdout, `-o PATH`, or the input itself (`--in-place`).
pub fn sink_for(path: &str, output: Option<&Path>, in_place: bool, backup: Option<&str>) -> Sink {
    if in_place {
        return Sink::Atomic(AtomicTarget {
            path: PathBuf::from(path),
            durable: true,
            backup: backup.map(str::to_string),
        });
    }
    match output {
        None => Sink::Stdout,
        Some(p) if p == Path::new("-") => Sink::Stdout,
        Some(p) => match std::fs::metadata(p) {
            Ok(m) if !m.is_file() && !m.is_dir() => Sink::Straight(p.to_path_buf()),
            _ => Sink::Atomic(AtomicTarget {
                path: p.to_path_buf(),
                // `-o` naming the input itself: the original is at stake.
                durable: super::safety::same_file(p, Path::new(path)),
                backup: None,
            }),
        },
    }
}
