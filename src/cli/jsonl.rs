//! JSON Lines corpora: streamed in bounded batches, documents cleaned in parallel,
//! lines written back in order with only the chosen field changed.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use redline::io::jsonl::{find_field, id_of, open_reader, replace_field, Compressed, FieldPath};
use redline::render::check::Tally;
use redline::render::statistics::Statistics;

use super::document::{Job, Mode, Place};
use super::files::Totals;
use super::progress::Progress;

/// Lines read before a parallel batch is processed, and the byte bound of a
/// batch: memory stays bounded whatever the corpus size.
const BATCH_LINES: usize = 4096;
const BATCH_BYTES: usize = 16 << 20;

/// Which field, and how documents are named.
pub struct JsonlOptions {
    pub field: FieldPath,
    pub id_field: Option<FieldPath>,
}

/// Where the cleaned stream goes.
pub enum Sink {
    Stdout,
    /// Written to a temporary file beside the target, renamed over it at the end.
    Atomic(PathBuf),
    /// Not a regular file (`/dev/null`, a pipe): written straight to.
    Straight(PathBuf),
    /// check / diff: no cleaned stream.
    None,
}

struct LineResult {
    out: Option<Vec<u8>>,
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
    let mut temp: Option<tempfile::NamedTempFile> = None;
    let mut target: Option<PathBuf> = None;
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
        Sink::Atomic(p) => {
            let dir = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let t = tempfile::Builder::new()
                .prefix(".redline-")
                .suffix(".tmp")
                .tempfile_in(&dir)?;
            let file = t.reopen()?;
            temp = Some(t);
            target = Some(p.clone());
            let file: Box<dyn Write + Send> = Box::new(io::BufWriter::new(file));
            Some(Compressed::for_path(p, file)?)
        }
        Sink::None => None,
    };
    let stdout = io::stdout();
    let mut line_number = 0usize;
    let mut done = false;
    while !done {
        let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH_LINES);
        let mut bytes = 0;
        while batch.len() < BATCH_LINES && bytes < BATCH_BYTES {
            let mut line = Vec::new();
            let n = reader.read_until(b'\n', &mut line).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("{path}: read failed at line {}: {e}", line_number + 1),
                )
            })?;
            if n == 0 {
                done = true;
                break;
            }
            line_number += 1;
            bytes += n;
            batch.push((line_number, line));
        }
        let results: Vec<LineResult> = batch
            .par_iter()
            .map(|(n, line)| process_line(job, path, *n, line, options))
            .collect();
        progress.documents(batch.len() as u64, bytes as u64);
        let mut out = stdout.lock();
        for r in results {
            totals.stats.merge(r.stats);
            for (rule, n) in r.leftover.per_rule {
                *totals.leftover.per_rule.entry(rule).or_default() += n;
            }
            for (a, n) in r.leftover.per_applicability {
                *totals.leftover.per_applicability.entry(a).or_default() += n;
            }
            totals.leftover.documents += r.leftover.documents;
            if let Some(note) = r.note {
                totals.notes.push(note);
            }
            if let (Some(w), Some(bytes)) = (writer.as_mut(), r.out) {
                w.write_all(&bytes)?;
            }
            out.write_all(r.report.as_bytes())?;
        }
    }
    if let Some(w) = writer.take() {
        w.finish()?;
    }
    if let (Some(t), Some(target)) = (temp, target) {
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(t.path(), meta.permissions())?;
        }
        t.as_file().sync_all()?;
        t.persist(&target).map_err(|e| e.error)?;
    }
    Ok(())
}

fn process_line(
    job: &Job,
    path: &str,
    number: usize,
    raw: &[u8],
    options: &JsonlOptions,
) -> LineResult {
    let mut result = LineResult {
        out: None,
        report: String::new(),
        stats: Statistics::default(),
        leftover: Tally::default(),
        note: None,
    };
    let (body, ending) = split_ending(raw);
    let passthrough = |mut r: LineResult, why: String| {
        r.out = Some(raw.to_vec());
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
        result.out = Some(raw.to_vec());
        return result;
    }
    let field = match find_field(line, &options.field) {
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
    let outcome = job.process(&place, field.text.clone(), "UTF-8", false);
    result.report = outcome.report;
    result.stats = outcome.stats;
    result.leftover = outcome.leftover;
    if job.mode == Mode::Clean {
        let mut out = match outcome.cleaned {
            Some(cleaned) if outcome.changed => replace_field(line, &field, &cleaned).into_bytes(),
            _ => body.to_vec(),
        };
        out.extend_from_slice(ending);
        result.out = Some(out);
    }
    result
}

fn split_ending(raw: &[u8]) -> (&[u8], &[u8]) {
    if let Some(body) = raw.strip_suffix(b"\r\n") {
        (body, b"\r\n")
    } else if let Some(body) = raw.strip_suffix(b"\n") {
        (body, b"\n")
    } else {
        (raw, b"")
    }
}

/// The sink for `clean`: stdout, `-o PATH`, or the input itself (`--in-place`).
pub fn sink_for(path: &str, output: Option<&Path>, in_place: bool) -> Sink {
    if in_place {
        return Sink::Atomic(PathBuf::from(path));
    }
    match output {
        None => Sink::Stdout,
        Some(p) if p == Path::new("-") => Sink::Stdout,
        Some(p) => match std::fs::metadata(p) {
            Ok(m) if !m.is_file() && !m.is_dir() => Sink::Straight(p.to_path_buf()),
            _ => Sink::Atomic(p.to_path_buf()),
        },
    }
}
