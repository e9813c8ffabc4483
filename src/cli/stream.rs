//! A big file cleaned from a memory map straight into its output file.
//!
//! Reading a 100 MB file into memory costs more than the copy: the kernel
//! first zeroes every fresh page of the buffer (on this project's machines,
//! a sixth of a whole `clean -j 1`), and the output is a second text's worth
//! of memory, written only at the end. A memory map gives the file's own
//! cached pages instead; the chunks of a big text ([`redline::chunks`]) are
//! copied out of it, cleaned on every thread, and written to the output's
//! temporary file as each one is final, so that writing overlaps cleaning,
//! and the file is renamed into place at the end as any output is.
//!
//! Only where it gives the same bytes and the same report as reading the
//! file: `clean` into a file (`-o FILE`, `--in-place`), no `--encoding`, a
//! regular file of at least [`CHUNKS_MIN`] bytes without a byte-order mark,
//! and every chunk UTF-8 text (no NUL byte); otherwise, when the pipeline
//! cannot cut the text, or when the output cannot be written, the temporary
//! file is thrown away and the file is read, decoded, cleaned and written as
//! usual (with the usual messages). A file truncated by another program while it
//! is mapped stops the process (SIGBUS), as with ripgrep's maps, leaving the
//! output untouched (the temporary file is named and later removed as any
//! killed run's); `--no-mmap` reads such files instead.

use std::fs::File;

use redline::chunks::{StreamError, CHUNKS_MIN};
use redline::io::walk::Input;
use redline::io::write::OutputFile;

use super::document::{Job, Mode};
use super::files::{Destination, Item};

/// Cleans `input` from a memory map into its output file if it can (see
/// the module doc): `None` when it is to be read and cleaned as usual.
pub(super) fn clean_mapped(job: &Job, input: &Input, dest: &Destination) -> Option<Item> {
    let Input::File { path, .. } = input else {
        return None;
    };
    if !job.map_files || job.mode != Mode::Clean || job.engine.settings.encoding.is_some() {
        return None;
    }
    // Where the output goes: only files written whole and atomically.
    let (target, backup, durable) = match dest {
        Destination::File(out) => (out, None, super::safety::same_file(out, path)),
        Destination::InPlace(backup) => (path, backup.as_deref(), true),
        _ => return None,
    };
    let file = File::open(path).ok()?;
    let metadata = file.metadata().ok()?;
    if !metadata.is_file() || metadata.len() < CHUNKS_MIN as u64 {
        return None;
    }
    // SAFETY: the map is only read, through `clean_bytes_in_chunks_into`,
    // which copies each chunk and checks the copy before taking it as text;
    // a file changed under the map is as if read at another moment, and one
    // truncated ends the process (see the module doc), never a wrong output.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    if encoding_rs::Encoding::for_bom(&map).is_some() {
        return None;
    }
    // Something other than a regular file (`/dev/null`) is written straight
    // to, by the usual path.
    if std::fs::metadata(target).is_ok_and(|m| !m.is_file()) {
        return None;
    }
    // The temporary file is made when the first cleaned chunk is final: a
    // text that is not cleaned this way (no safe cut) costs no file. An
    // output that cannot be made or written (no such folder, a full disk)
    // is left to the usual path too: it reports what reading would have
    // reported first (a binary file, an encoding error) or the same write
    // error, in the same words.
    let mut output: Option<OutputFile> = None;
    let streamed = job
        .engine
        .pipeline
        .clean_bytes_in_chunks_into(&map, &mut |piece| {
            let file = match &mut output {
                Some(file) => file,
                None => output.insert(
                    OutputFile::begin(target, backup, durable)?
                        .ok_or_else(|| std::io::Error::other("not a regular file"))?,
                ),
            };
            file.write(piece.as_bytes())
        });
    let runs = match streamed {
        Ok(runs) => runs,
        // Dropping the output removes its temporary file.
        Err(StreamError::NotStreamed | StreamError::Sink(_)) => return None,
    };
    let output = output?;
    let outcome = Job::clean_outcome(map.len(), &runs.runs);
    // `--in-place` leaves a file that cleaning did not change alone.
    let unchanged_in_place = matches!(dest, Destination::InPlace(_)) && !outcome.changed;
    if !unchanged_in_place {
        if let Err(e) = output.finish() {
            return Some(Item::Failed(super::safety::write_failed(target, &e)));
        }
    }
    Some(Item::Done {
        cleaned_for_stream: None,
        report: outcome.report,
        stats: outcome.stats,
        leftover: outcome.leftover,
        note: outcome.note,
    })
}
