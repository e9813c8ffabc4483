//! A big text cleaned in chunks, each by the whole pipeline on one thread.
//!
//! The passes share a long text's checks out over the threads, but much of a
//! run is one thread's work around them: applying each pass's fixes to the
//! whole text, moving offsets and the lines still to check, finding the spans
//! to give each pass. So `clean` cuts a big text into chunks at *safe cuts*,
//! cleans each chunk with the whole pipeline on one thread (several chunks
//! per thread, taken in turn), and joins the cleaned chunks: the output is the
//! whole text's, byte for byte, and so are the findings, all but the message
//! of a quotation left open at a cut. It does so on one thread too (`-j 1`):
//! each pass reads a whole text from memory, while a chunk of at most
//! [`CHUNK_BYTES`] stays in the processor's cache through all of them.
//!
//! A safe cut is a line start `c` where:
//! - the line before is empty (`\n\n` ends right before `c`): a pass that
//!   reads the line before a line (punctuation) reads nothing from an empty
//!   one, and a quotation still open there is reported unclosed whether the
//!   next paragraph or the text's end follows;
//! - the line at `c` starts with an ASCII letter or digit: it re-opens no
//!   quotation and is no Markdown quote or code;
//! - no `<` or backtick stands in the [`WINDOW`] bytes before `c`: no tag or
//!   ``` ``…'' ``` quotation that the quotes pass follows ahead (at most
//!   [`TAG_LIMIT`] bytes) begins before `c`, and no `<` the names map looks
//!   back for (512 bytes) does.
//!
//! And each chunk has a paragraph break of its own (an empty line between a
//! line ending in a visible ASCII character and one starting with an ASCII
//! letter or digit), so the quotes pass sees, in every chunk as in the whole
//! text, paragraphs separated by blank lines. Every pass must say that such a
//! cut splits nothing it decides ([`Pass::splits_at_safe_cuts`]): the
//! line-local passes and quotes do, the names map does, a map of common words
//! (`--spelling en-GB`) and `entities` (markup anywhere turns it off) do not,
//! and then the text is cleaned whole.
//!
//! The cuts are chosen on the text before cleaning; the same conditions are
//! checked again on the cleaned chunks (the built-in passes write no `<` or
//! backtick and touch no line feed there, but a user's names map may write a
//! tag), and from the first chunk that fails them, or did not settle, the
//! rest of the text is cleaned whole.
//!
//! Memory stays at about one text: the workers copy their chunk out of the
//! text's buffer, and each cleaned chunk, once final (checked with the next),
//! is copied back into that buffer, over chunks already cleaned; chunks are
//! small (at most [`CHUNK_BYTES`]), so what is in work beside the text is a
//! few megabytes per thread.
//!
//! [`Pass::splits_at_safe_cuts`]: crate::pass::Pass::splits_at_safe_cuts

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::passes::quotes::TAG_LIMIT;
use crate::pipeline::{Pipeline, Run};

/// How many bytes before a safe cut hold no `<` and no backtick in the text
/// before cleaning: twice as far as a tag or ``` ``…'' ``` quotation is
/// followed ahead, so that fixes deleting text before the cut keep the
/// cleaned text clear for [`LOOK_AHEAD`].
pub const WINDOW: usize = 2 * TAG_LIMIT;

/// How many bytes before a cut hold no `<` and no backtick in the cleaned
/// chunk: as far as a tag or ``` ``…'' ``` quotation is followed ahead.
const LOOK_AHEAD: usize = TAG_LIMIT + 2;

/// Texts shorter than this are cleaned whole: cutting costs more than it
/// saves.
pub const CHUNKS_MIN: usize = 4 << 20;

/// The size of a chunk at most (1 MiB): what a chunk in work holds (its text, a
/// spare copy when a fix lengthens it, its findings) is a few times this,
/// per thread, beside the text itself; and a small chunk is cleaned while
/// its bytes are still in the processor's cache.
pub const CHUNK_BYTES: usize = 1 << 20;

/// A text cleaned in chunks: the output and each chunk's lean run, in order
/// (one run when it was cleaned whole). The runs' texts are emptied; their
/// findings point into their own chunk.
#[derive(Debug)]
pub struct LeanRuns {
    /// The cleaned text.
    pub output: String,
    /// Each chunk's record, as [`Pipeline::run_lean`] keeps it.
    pub runs: Vec<Run>,
    /// Where each chunk starts in the text (its findings' original ranges
    /// are relative to this).
    pub starts: Vec<usize>,
}

/// A lean run's output, taken out (an empty string left in its place, so
/// that the run still tells whether anything changed).
fn take_output(run: &mut Run) -> String {
    run.texts.last_mut().map(std::mem::take).unwrap_or_default()
}

impl LeanRuns {
    /// Whether any fix was applied.
    pub fn changed(&self) -> bool {
        self.runs.iter().any(Run::changed)
    }

    fn whole(mut run: Run) -> Self {
        let output = take_output(&mut run);
        LeanRuns {
            output,
            runs: vec![run],
            starts: vec![0],
        }
    }
}

/// A text cleaned in chunks into a sink: each chunk's lean run, in order.
#[derive(Debug)]
pub struct StreamedRuns {
    /// Each chunk's record, as [`Pipeline::run_lean`] keeps it (texts
    /// emptied; findings point into their own chunk).
    pub runs: Vec<Run>,
    /// Where each chunk starts in the text.
    pub starts: Vec<usize>,
}

impl StreamedRuns {
    /// Whether any fix was applied.
    pub fn changed(&self) -> bool {
        self.runs.iter().any(Run::changed)
    }
}

/// Why [`Pipeline::clean_bytes_in_chunks_into`] did not clean a text.
#[derive(Debug)]
pub enum StreamError {
    /// The text is not one it cleans in chunks as it is: too short, no safe
    /// cut, a pass that reads across cuts, or bytes that are not UTF-8 text
    /// (not UTF-8, a NUL byte). What the sink was given must be thrown away;
    /// the text is to be decoded and cleaned the usual way.
    NotStreamed,
    /// The sink failed (a full disk); cleaning stopped there.
    Sink(io::Error),
}

impl Pipeline {
    /// [`run_lean`](Self::run_lean), for a text of at least [`CHUNKS_MIN`]
    /// bytes in chunks on every thread of the current pool (see
    /// [`crate::chunks`]): the same output. On one thread too: a chunk of
    /// at most [`CHUNK_BYTES`] stays in the processor's cache while every
    /// pass reads it, where the whole text is read from memory by each.
    pub fn run_lean_in_chunks(&self, text: String) -> LeanRuns {
        let threads = rayon::current_num_threads();
        if text.len() < CHUNKS_MIN {
            return LeanRuns::whole(self.run_lean(text));
        }
        let chunk = chunk_size(text.len(), threads);
        self.run_lean_in_chunks_of(text, chunk, threads)
    }

    /// [`run_lean_in_chunks`](Self::run_lean_in_chunks) with chunks of about
    /// `chunk` bytes (cut at the first safe cut at least that far from the
    /// last) cleaned on `threads` threads, whatever the text's length: the
    /// tests cut small texts at every safe cut this way.
    pub fn run_lean_in_chunks_of(&self, text: String, chunk: usize, threads: usize) -> LeanRuns {
        let Some(bounds) = self.chunk_bounds(text.as_bytes(), chunk) else {
            return LeanRuns::whole(self.run_lean(text));
        };
        let mut buffer = text.into_bytes();
        let shared = Shared {
            bytes: buffer.as_mut_ptr(),
            len: buffer.len(),
            checked: false,
        };
        let joined = Joiner::new(self, Target::Buffer, bounds.len())
            .run(&shared, &bounds, threads.max(1))
            .expect("a text in its own buffer is neither checked nor sunk");
        // Cleaned chunks went back into the buffer, up to `written`; the
        // rest of the output is in `held`.
        buffer.truncate(joined.written);
        for piece in joined.held {
            buffer.extend_from_slice(piece.as_bytes());
        }
        // SAFETY: the buffer holds the text's bytes up to a chunk's start
        // (a line start) followed by whole cleaned chunks, all UTF-8.
        let output = unsafe { String::from_utf8_unchecked(buffer) };
        LeanRuns {
            output,
            runs: joined.runs,
            starts: joined.starts,
        }
    }

    /// Cleans the bytes of a big file, `text` (at least [`CHUNKS_MIN`]
    /// bytes, read-only: a memory map), in chunks on every thread of the
    /// current pool, handing each cleaned chunk to `sink` in order as soon
    /// as it is final: the output is the pieces one after another, byte for
    /// byte what [`run_lean`](Self::run_lean) makes of the decoded text,
    /// and it is never all in memory. So a file can be cleaned from its
    /// memory map into its output file without reading it into a buffer
    /// (whose fresh pages the kernel must zero first) or holding the
    /// output, and the writing overlaps the cleaning.
    ///
    /// Each chunk is checked to be UTF-8 without a NUL byte when it is
    /// copied out, so the text needs no check first (and a file changed
    /// under the map is never taken as text unchecked). A text with a
    /// byte-order mark is the caller's to refuse (decoding keeps or strips
    /// it).
    ///
    /// # Errors
    /// [`StreamError::NotStreamed`] when the text is not cleaned this way
    /// (see there: the sink's pieces must be thrown away), and
    /// [`StreamError::Sink`] when the sink fails.
    pub fn clean_bytes_in_chunks_into(
        &self,
        text: &[u8],
        sink: &mut dyn FnMut(&str) -> io::Result<()>,
    ) -> Result<StreamedRuns, StreamError> {
        let threads = rayon::current_num_threads();
        if text.len() < CHUNKS_MIN {
            return Err(StreamError::NotStreamed);
        }
        self.clean_bytes_in_chunks_of(text, chunk_size(text.len(), threads), threads, sink)
    }

    /// [`clean_bytes_in_chunks_into`](Self::clean_bytes_in_chunks_into)
    /// with chunks of about `chunk` bytes on `threads` threads, whatever the
    /// text's length (for tests).
    pub fn clean_bytes_in_chunks_of(
        &self,
        text: &[u8],
        chunk: usize,
        threads: usize,
        sink: &mut dyn FnMut(&str) -> io::Result<()>,
    ) -> Result<StreamedRuns, StreamError> {
        let Some(bounds) = self.chunk_bounds(text, chunk) else {
            return Err(StreamError::NotStreamed);
        };
        let shared = Shared {
            // Never written through: only `Target::Buffer` writes.
            bytes: text.as_ptr().cast_mut(),
            len: text.len(),
            checked: true,
        };
        let joined = Joiner::new(self, Target::Sink(sink), bounds.len()).run(
            &shared,
            &bounds,
            threads.max(1),
        )?;
        debug_assert!(joined.held.is_empty());
        Ok(StreamedRuns {
            runs: joined.runs,
            starts: joined.starts,
        })
    }

    /// The chunks `text` is cut into, about `chunk` bytes each; `None` when
    /// it is to be cleaned whole: a pass reads across safe cuts, or there
    /// is none.
    fn chunk_bounds(&self, text: &[u8], chunk: usize) -> Option<Vec<Range<usize>>> {
        if !self.passes().iter().all(|p| p.splits_at_safe_cuts()) {
            return None;
        }
        let cuts = safe_cuts(text, chunk);
        if cuts.is_empty() {
            return None;
        }
        let ends = cuts.iter().copied().chain(std::iter::once(text.len()));
        Some(
            std::iter::once(0)
                .chain(cuts.iter().copied())
                .zip(ends)
                .map(|(start, end)| start..end)
                .collect(),
        )
    }
}

/// The chunk size for a text of `len` bytes on `threads` threads: a few
/// chunks per thread, at most [`CHUNK_BYTES`].
fn chunk_size(len: usize, threads: usize) -> usize {
    len.div_ceil(threads * crate::parts::PARTS_PER_THREAD)
        .min(CHUNK_BYTES)
}

/// The text's bytes, shared by the threads that copy chunks out of them
/// and, when cleaned chunks go back into the text's own buffer, the one
/// that copies them there.
///
/// SAFETY: the bytes of a chunk are read only by the thread that cleans it,
/// before it hands its result over (a channel: what it did happens before
/// the result is received), or by the joining thread itself; the joining
/// thread writes only below the start of the first chunk not yet final
/// (every chunk before it was received, so its reads are over), and the
/// buffer is neither moved nor resized while the threads run. Bytes that
/// are only read (a memory map) are never written.
struct Shared {
    bytes: *mut u8,
    len: usize,
    /// Whether a chunk copied out is checked to be UTF-8 without a NUL
    /// byte (bytes from outside) or known to be UTF-8 (a `String`'s).
    checked: bool,
}

// SAFETY: see the type's doc: reads and writes never overlap in time.
unsafe impl Send for Shared {}
unsafe impl Sync for Shared {}

impl Shared {
    /// A copy of the chunk `range`, which lies on character boundaries of
    /// text, in `out` (cleared first); `false` when the bytes are
    /// [checked](Self::checked) and are not UTF-8 or hold a NUL byte.
    ///
    /// SAFETY: nothing writes `range` while this runs (see the type's doc).
    unsafe fn copy(&self, range: Range<usize>, out: &mut String) -> bool {
        assert!(range.start <= range.end && range.end <= self.len);
        let bytes = std::slice::from_raw_parts(self.bytes.add(range.start), range.len());
        crate::finding::clear_for(out, bytes.len());
        if !self.checked {
            // The text was a `String` and chunks start and end at line starts.
            out.push_str(std::str::from_utf8_unchecked(bytes));
            return true;
        }
        // Copied first, then checked: the copy is what is cleaned, whatever
        // happens to the bytes meanwhile.
        let mut vec = std::mem::take(out).into_bytes();
        vec.extend_from_slice(bytes);
        // simdutf8's check reads 32 bytes a step where std's reads 16 (a
        // tenth of a chunk's copy and check at `-j 1`).
        let text = memchr::memchr(0, &vec).is_none() && simdutf8::basic::from_utf8(&vec).is_ok();
        if !text {
            vec.clear();
        }
        // SAFETY: checked to be UTF-8 just now, or empty.
        *out = String::from_utf8_unchecked(vec);
        text
    }

    /// Writes `piece` at `at`.
    ///
    /// SAFETY: nothing reads `at..at + piece.len()` any more (see the
    /// type's doc), it lies inside the buffer, and the bytes are the
    /// joiner's own buffer (never a memory map).
    unsafe fn write(&self, at: usize, piece: &str) {
        assert!(at + piece.len() <= self.len);
        std::ptr::copy_nonoverlapping(piece.as_ptr(), self.bytes.add(at), piece.len());
    }
}

/// Where final cleaned chunks go.
enum Target<'s> {
    /// Back into the text's own buffer, over chunks already cleaned.
    Buffer,
    /// To a sink, in order (the text is only read).
    Sink(&'s mut dyn FnMut(&str) -> io::Result<()>),
}

/// What joining the chunks left: the runs, and for [`Target::Buffer`] how
/// much of the buffer holds cleaned text and the final chunks that did not
/// fit in it yet.
struct Joined {
    runs: Vec<Run>,
    starts: Vec<usize>,
    written: usize,
    held: std::collections::VecDeque<String>,
}

/// Cleans the chunks on worker threads and joins them, in order, into the
/// text's own buffer or a sink (see [`Pipeline::run_lean_in_chunks_of`]).
struct Joiner<'p, 's> {
    pipeline: &'p Pipeline,
    target: Target<'s>,
    /// Each chunk's run, as it arrives, until it is final.
    arrived: Vec<Option<Run>>,
    /// The first chunk not yet final: every one before it passed the checks.
    next: usize,
    /// Final cleaned chunks not yet copied into the buffer (one would
    /// overwrite a chunk still needed), in order.
    held: std::collections::VecDeque<String>,
    /// How much of the buffer holds cleaned text.
    written: usize,
    runs: Vec<Run>,
    starts: Vec<usize>,
    /// Whether a chunk failed the checks (then the rest is cleaned whole).
    failed: bool,
    /// Why cleaning stopped, if it did: a chunk that is not text, or the
    /// sink failed.
    stopped: Option<StreamError>,
    /// The last [`LOOK_AHEAD`] bytes (at most) of the final cleaned chunks.
    recent: Vec<u8>,
}

impl<'p, 's> Joiner<'p, 's> {
    /// A joiner of `n` chunks.
    fn new(pipeline: &'p Pipeline, target: Target<'s>, n: usize) -> Self {
        Joiner {
            pipeline,
            target,
            arrived: (0..n).map(|_| None).collect(),
            next: 0,
            held: Default::default(),
            written: 0,
            runs: Vec::with_capacity(n),
            starts: Vec::with_capacity(n),
            failed: false,
            stopped: None,
            recent: Vec::with_capacity(LOOK_AHEAD),
        }
    }

    /// Cleans the chunks `bounds` of the text `shared` on `threads` threads.
    fn run(
        mut self,
        shared: &Shared,
        bounds: &[Range<usize>],
        threads: usize,
    ) -> Result<Joined, StreamError> {
        let n = bounds.len();
        let (taken, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
        // A chunk's run, or `None` for a chunk that is not text.
        let (send, receive) = std::sync::mpsc::channel::<(usize, Option<Run>)>();
        // Buffers of cleaned chunks already copied into the buffer, for the
        // workers to copy their next chunk into: the allocator would not
        // soon give a buffer freed here to another thread, and every new
        // one costs fresh pages.
        let recycled = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads.min(n) {
                let send = send.clone();
                let pipeline = self.pipeline;
                let recycled = &recycled;
                let (taken, stop) = (&taken, &stop);
                scope.spawn(move || {
                    // A pool of one thread: a chunk's passes do not share
                    // its work out again.
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
                    while !stop.load(Ordering::Relaxed) {
                        let k = taken.fetch_add(1, Ordering::Relaxed);
                        if k >= n {
                            break;
                        }
                        let mut chunk = recycled
                            .lock()
                            .ok()
                            .and_then(|mut r| r.pop())
                            .unwrap_or_default();
                        // SAFETY: chunk `k` is not final, so not written.
                        if !unsafe { shared.copy(bounds[k].clone(), &mut chunk) } {
                            let _ = send.send((k, None));
                            break;
                        }
                        let run = match &pool {
                            Ok(pool) => pool.install(|| pipeline.run_lean(chunk)),
                            // No thread for a pool: the global pool's
                            // threads help with the chunk (same output).
                            Err(_) => pipeline.run_lean(chunk),
                        };
                        if send.send((k, Some(run))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(send);
            for (k, run) in receive {
                match run {
                    Some(run) => {
                        self.arrived[k] = Some(run);
                        self.advance(bounds, shared, &recycled);
                    }
                    None => self.stopped = Some(StreamError::NotStreamed),
                }
                if self.failed || self.stopped.is_some() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        });
        // Every worker is done: nothing reads the text any more.
        if let Some(why) = self.stopped {
            return Err(why);
        }
        if self.failed {
            let rest = bounds[self.next].start..shared.len;
            let mut text = String::new();
            // SAFETY: no other thread runs; `rest` was never written.
            if !unsafe { shared.copy(rest.clone(), &mut text) } {
                return Err(StreamError::NotStreamed);
            }
            let mut run = self.pipeline.run_lean(text);
            let cleaned = take_output(&mut run);
            self.held.push_back(cleaned);
            self.runs.push(run);
            self.starts.push(rest.start);
            self.flush(usize::MAX, shared, &recycled);
            if let Some(why) = self.stopped {
                return Err(why);
            }
        }
        Ok(Joined {
            runs: self.runs,
            starts: self.starts,
            written: self.written,
            held: self.held,
        })
    }

    /// Makes final every chunk that can be: it has arrived and passed the
    /// checks with the next one (which has arrived too); then hands over
    /// what it can.
    fn advance(&mut self, bounds: &[Range<usize>], shared: &Shared, recycled: &Mutex<Vec<String>>) {
        let n = bounds.len();
        while !self.failed && self.next < n {
            let k = self.next;
            let (Some(run), next) = (&self.arrived[k], self.arrived.get(k + 1)) else {
                break;
            };
            // A chunk is checked with the next one, whose own paragraph
            // break is checked then too: the last chunk's must be, before
            // the one before it is final.
            let out = run.output();
            let ok = run.settled
                && has_break(out)
                && match next {
                    None => true,
                    Some(None) => break,
                    Some(Some(after)) => {
                        let after = after.output();
                        ends_safely(&self.recent, out) && starts_safely(after) && has_break(after)
                    }
                };
            if !ok {
                self.failed = true;
                break;
            }
            let mut run = self.arrived[k].take().expect("arrived");
            let cleaned = take_output(&mut run);
            // The end of the cleaned text so far, for the next check.
            let keep = LOOK_AHEAD
                .saturating_sub(cleaned.len())
                .min(self.recent.len());
            self.recent.drain(..self.recent.len() - keep);
            let own = cleaned.len().saturating_sub(LOOK_AHEAD);
            self.recent.extend_from_slice(&cleaned.as_bytes()[own..]);
            self.held.push_back(cleaned);
            self.runs.push(run);
            self.starts.push(bounds[k].start);
            self.next += 1;
        }
        // Chunks from `next` on may still be read (by a worker, or to clean
        // the rest whole): cleaned text goes only below the first's start.
        let limit = bounds.get(self.next).map_or(usize::MAX, |b| b.start);
        self.flush(limit, shared, recycled);
    }

    /// Hands the final chunks held over to the target, in order: to a sink
    /// all of them, into the buffer those that end at most at `limit`.
    fn flush(&mut self, limit: usize, shared: &Shared, recycled: &Mutex<Vec<String>>) {
        while let Some(piece) = self.held.front() {
            match &mut self.target {
                Target::Buffer => {
                    if self.written + piece.len() > limit.min(shared.len) {
                        break;
                    }
                    // SAFETY: below `limit`, every chunk is final (see
                    // `Shared`); the target is the text's own buffer.
                    unsafe { shared.write(self.written, piece) };
                }
                Target::Sink(sink) => {
                    if self.stopped.is_some() {
                        break;
                    }
                    if let Err(e) = sink(piece) {
                        self.stopped = Some(StreamError::Sink(e));
                        break;
                    }
                }
            }
            self.written += piece.len();
            if let (Some(piece), Ok(mut recycled)) = (self.held.pop_front(), recycled.lock()) {
                recycled.push(piece);
            }
        }
    }
}

/// Whether `bytes[p..]` starts an empty line that ends a line (`\n\n` at
/// `p`) and is followed by a line starting with an ASCII letter or digit:
/// the place after it is a safe cut as far as the lines go.
fn is_cut_line(bytes: &[u8], p: usize) -> bool {
    bytes.get(p..p + 2) == Some(b"\n\n") && bytes.get(p + 2).is_some_and(u8::is_ascii_alphanumeric)
}

/// The safe cuts (see the module doc) where `bytes` is cut into chunks of
/// about `chunk` bytes: each the first safe cut at least `chunk` bytes after
/// the last (or the start), then, where a chunk has no paragraph break of
/// its own, merged with the next (the last with the one before). Linear in
/// the text: every search only goes forward.
fn safe_cuts(bytes: &[u8], chunk: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    // The last `<` or backtick found, and how far the text was searched.
    let (mut danger, mut searched) = (None::<usize>, 0);
    let mut at = chunk.max(1);
    while at < bytes.len() {
        let from = at.saturating_sub(2);
        let mut found = None;
        for p in empty_line_runs(bytes, from) {
            let cut = p + 2;
            if !is_cut_line(bytes, p) {
                continue;
            }
            let window = cut.saturating_sub(WINDOW);
            let mut look = searched.max(window);
            while let Some(i) = memchr::memchr2(b'<', b'`', &bytes[look..cut]) {
                danger = Some(look + i);
                look += i + 1;
            }
            searched = searched.max(cut);
            if danger.is_none_or(|d| d < window) {
                found = Some(cut);
                break;
            }
        }
        let Some(cut) = found else { break };
        cuts.push(cut);
        at = cut + chunk.max(1);
    }
    keep_cuts_with_breaks(bytes, cuts)
}

/// The `cuts` (in order) that end a chunk with a paragraph break of its own:
/// a cut is kept only when the chunk it ends has one (else the two chunks
/// become one), and the last chunk without one joins the chunk before,
/// which has one.
fn keep_cuts_with_breaks(bytes: &[u8], cuts: Vec<usize>) -> Vec<usize> {
    // Each chunk is searched only up to its end, from where the last
    // search stopped (a chunk that joins the next is not searched again):
    // so the text is searched once, and only as far as its last cut.
    let mut kept = Vec::with_capacity(cuts.len());
    let mut from = 0;
    for end in cuts.into_iter().chain(std::iter::once(bytes.len())) {
        let has_break =
            empty_line_runs(&bytes[..end], from).any(|p| p + 2 < end && is_break(bytes, p));
        if end == bytes.len() {
            if !has_break {
                kept.pop();
            }
        } else if has_break {
            kept.push(end);
            // A break must come after the cut (whose own line feeds end
            // before it).
            from = end;
        } else {
            // The chunk joins the next: its last line feeds (before the cut
            // that is not kept) may be the joined chunk's break.
            from = end.saturating_sub(2);
        }
    }
    kept
}

/// The places `p`, from `from` on, where `bytes[p..]` starts with the last
/// two line feeds of a run of two or more: of such a run, only there can a
/// line follow the empty line ([`is_cut_line`]). One step per run, however
/// long: a text of nothing but line feeds is one run, not one match per
/// byte.
fn empty_line_runs(bytes: &[u8], from: usize) -> impl Iterator<Item = usize> + '_ {
    let finder = memchr::memmem::Finder::new(b"\n\n");
    let mut at = from.min(bytes.len());
    std::iter::from_fn(move || {
        let p = at + finder.find(&bytes[at..])?;
        let run = bytes[p..].iter().take_while(|&&b| b == b'\n').count();
        at = p + run;
        Some(at - 2)
    })
}

/// Whether the line feed at `p` ends a line of text: one whose last
/// character is a visible ASCII one, which no pass deletes without leaving
/// another.
fn ends_text_line(bytes: &[u8], p: usize) -> bool {
    p > 0 && (0x21..=0x7E).contains(&bytes[p - 1])
}

/// Whether the empty line at `p` is a paragraph break: it ends a line
/// of text and is followed by a line starting with an ASCII letter or
/// digit.
fn is_break(bytes: &[u8], p: usize) -> bool {
    ends_text_line(bytes, p) && is_cut_line(bytes, p)
}

/// Whether a cleaned chunk starts a line that a safe cut may come before:
/// with a letter or digit. (Of any script: the ASCII one a cut was chosen
/// before may have become `é` by Unicode normalisation, never a quotation
/// mark.)
fn starts_safely(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphanumeric)
}

/// Whether a cleaned chunk still has a paragraph break of its own: an empty
/// line after a [line of text](ends_text_line), before one that [starts
/// safely](starts_safely).
fn has_break(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"\n\n")
        .any(|p| ends_text_line(bytes, p) && starts_safely(&text[p + 2..]))
}

/// Whether the cleaned chunk `before`, after the cleaned text `earlier`,
/// still ends at a safe cut: with an empty line, and no `<` or backtick in
/// the last [`LOOK_AHEAD`] bytes of the two.
fn ends_safely(earlier: &[u8], before: &str) -> bool {
    let before = before.as_bytes();
    let own = &before[before.len().saturating_sub(LOOK_AHEAD)..];
    let rest = LOOK_AHEAD - own.len();
    let earlier = &earlier[earlier.len().saturating_sub(rest)..];
    before.ends_with(b"\n\n")
        && memchr::memchr2(b'<', b'`', own).is_none()
        && memchr::memchr2(b'<', b'`', earlier).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`keep_cuts_with_breaks`] as it was: every break of the whole text
    /// found first (which read the whole text before any chunk was cleaned).
    fn keep_cuts_with_breaks_reference(bytes: &[u8], cuts: Vec<usize>) -> Vec<usize> {
        let mut breaks = empty_line_runs(bytes, 0).filter(|&p| is_break(bytes, p));
        let mut next_break = breaks.next();
        let mut kept = Vec::new();
        let mut start = 0;
        for end in cuts.into_iter().chain(std::iter::once(bytes.len())) {
            while next_break.is_some_and(|p| p <= start) {
                next_break = breaks.next();
            }
            let has_break = next_break.is_some_and(|p| p + 2 < end);
            if end == bytes.len() {
                if !has_break {
                    kept.pop();
                }
            } else if has_break {
                kept.push(end);
                start = end;
            }
        }
        kept
    }

    proptest::proptest! {
        #![proptest_config(crate::passes::random_text::config())]

        /// Cuts are kept as when every break was found first, on texts where
        /// many chunks have no break (paragraphs ending in `é`, runs of empty
        /// lines, an empty line ending a chunk that joins the next), with a
        /// cut at every place one may stand or at every other.
        #[test]
        fn cuts_kept_equal_the_whole_text_search(
            text in crate::passes::random_text::texts(
                &[
                    "Words end here.\n\n",
                    "Caf\u{e9}\n\n",
                    "Caf\u{e9}\n\n\n\n",
                    "Plain line\n",
                    "Ends.\n\n\n",
                    "\u{201c}Quoted.\n\n",
                    "x\n\n",
                ],
                40,
            )
        ) {
            let bytes = text.as_bytes();
            let all: Vec<usize> = empty_line_runs(bytes, 0)
                .filter(|&p| is_cut_line(bytes, p))
                .map(|p| p + 2)
                .collect();
            let every_other: Vec<usize> = all.iter().copied().step_by(2).collect();
            for cuts in [all, every_other] {
                proptest::prop_assert_eq!(
                    keep_cuts_with_breaks(bytes, cuts.clone()),
                    keep_cuts_with_breaks_reference(bytes, cuts)
                );
            }
        }
    }

    /// Cuts follow an empty line, before a letter or digit, with no `<` or
    /// backtick in the window before, and every chunk has a break of its own.
    #[test]
    fn safe_cuts_follow_the_rules() {
        let para = "Some words here.\n\nMore words.\n\n";
        let text = para.repeat(10);
        let cuts = safe_cuts(text.as_bytes(), 1);
        assert!(!cuts.is_empty());
        for &c in &cuts {
            assert_eq!(&text[c - 2..c], "\n\n");
            assert!(text.as_bytes()[c].is_ascii_alphanumeric());
        }
        // Each chunk holds a break: never a cut after every paragraph.
        assert_eq!(cuts.len(), 9, "{cuts:?}");
        let bounds: Vec<usize> = std::iter::once(0)
            .chain(cuts.iter().copied())
            .chain(std::iter::once(text.len()))
            .collect();
        for w in bounds.windows(2) {
            assert!(has_break(&text[w[0]..w[1]]));
        }
        // A paragraph starting with a mark, a tag or a backtick before: no cut.
        assert!(safe_cuts(b"A b.\n\nC d.\n\n\xe2\x80\x9cE f.\n\nG h.\n\n", 1).len() <= 1);
        let tagged = format!("<a\n\n{}", para.repeat(3));
        assert!(safe_cuts(tagged.as_bytes(), 1).is_empty());
        let far = format!("<a\n\n{}{}", "x".repeat(WINDOW), para.repeat(3));
        assert!(!safe_cuts(far.as_bytes(), 1).is_empty());
        // Runs of empty lines: the cut follows the whole run.
        let runs = "Some words.\n\nMore words.\n\n\n\n\n".repeat(4);
        let cuts = safe_cuts(runs.as_bytes(), 1);
        assert_eq!(cuts.len(), 3, "{cuts:?}");
        for (k, &c) in cuts.iter().enumerate() {
            assert_eq!(c, (k + 1) * runs.len() / 4, "after the whole run");
        }
        let places: Vec<usize> = empty_line_runs(runs.as_bytes(), 0).collect();
        assert_eq!(places.len(), 8, "one place per run");
        assert!(places.iter().all(|&p| &runs[p..p + 2] == "\n\n"));
        assert!(safe_cuts(&[b'\n'; 100_000], 1).is_empty());
        assert!(safe_cuts(b"", 1).is_empty());
        assert!(safe_cuts(b"no breaks at all", 1).is_empty());
        assert!(safe_cuts(b"a\r\n\r\nb\r\n\r\nc\r\n\r\nd", 1).is_empty());
    }

    /// The default engine with a user's names map of one entry, `from` →
    /// `to` (a safe fix).
    fn engine_mapping(from: &str, to: &str) -> crate::Engine {
        use crate::options::{Options, RuleSource};
        let source = format!(
            "pass = \"variants\"\n[[rule]]\nid = \"desk.map\"\ndescription = \"a map\"\n\
             applicability = \"safe\"\n[variants]\n\"{from}\" = \"{to}\"\n"
        );
        let options = Options {
            rule_files: vec![RuleSource::Toml {
                name: "map.toml".into(),
                source,
            }],
            ..Options::default()
        };
        crate::Engine::from_options(&options).expect("a valid map")
    }

    /// A user's names map that writes a tag puts a `<` before a cut after
    /// cleaning: the chunks before it are kept, and from the chunk that
    /// failed the checks on, the rest is cleaned whole, so the output is
    /// still the whole text's.
    #[test]
    fn a_chunk_that_fails_the_checks_has_the_rest_cleaned_whole() {
        let engine = engine_mapping("Jon Smyth", "<a Jon Smyth");
        let para = "Some words here, “said” the man.\n\nMore words follow.\n\n";
        let text = format!("{}Jon Smyth spoke.\n\n{}", para.repeat(6), para.repeat(6));
        let whole = engine.pipeline.run_lean(text.clone());
        let chunked = engine.pipeline.run_lean_in_chunks_of(text.clone(), 1, 2);
        assert_eq!(chunked.output, whole.output());
        assert!(chunked.output.contains("<a Jon Smyth"));
        // The same into a sink: the chunks before, then the rest whole.
        let mut pieces = String::new();
        let streamed = engine
            .pipeline
            .clean_bytes_in_chunks_of(text.as_bytes(), 1, 2, &mut |piece| {
                pieces.push_str(piece);
                Ok(())
            })
            .unwrap();
        assert_eq!(pieces, whole.output());
        assert_eq!(streamed.starts, chunked.starts);
        // Some chunks were kept, and the rest began before the name.
        assert!(chunked.runs.len() > 1, "{:?}", chunked.starts);
        let name = text.find("Jon Smyth").unwrap();
        assert!(
            *chunked.starts.last().unwrap() <= name,
            "{:?}",
            chunked.starts
        );
        // Without the map, the same text is cut past the name.
        let plain = crate::Engine::default_config();
        let chunked = plain.pipeline.run_lean_in_chunks_of(text.clone(), 1, 2);
        assert!(
            *chunked.starts.last().unwrap() > name,
            "{:?}",
            chunked.starts
        );
        assert_eq!(chunked.output, plain.pipeline.run_lean(text).output());
    }

    /// Bytes cleaned into a sink: the pieces, in order, are the whole
    /// text's output on any number of threads, each piece is one or more
    /// whole chunks, and the pieces arrive before the last chunk is cleaned
    /// (the sink is called while later chunks are in work).
    #[test]
    fn bytes_cleaned_into_a_sink_are_the_whole_output() {
        let engine = crate::Engine::default_config();
        let para = "He said.. “yes”. Dimitri Peskov left,, then.\n\nThen it ended.\n\n";
        let text = para.repeat(50);
        let whole = engine.pipeline.run_lean(text.clone());
        for threads in [1, 2, 3] {
            let mut pieces = Vec::new();
            let streamed = engine
                .pipeline
                .clean_bytes_in_chunks_of(text.as_bytes(), 1, threads, &mut |piece| {
                    pieces.push(piece.to_string());
                    Ok(())
                })
                .expect("cut and cleaned");
            assert_eq!(pieces.concat(), whole.output());
            assert_eq!(streamed.runs.len(), 50);
            assert!(pieces.len() > 1, "one piece only");
            assert!(streamed.changed());
        }
    }

    /// A chunk that is not UTF-8 text (invalid bytes, a NUL byte), wherever
    /// it stands, makes the whole text not streamed: the caller throws the
    /// pieces away and decodes the file. A text too short, without a cut,
    /// or for a pass that reads across cuts is not streamed either.
    #[test]
    fn bytes_that_are_not_text_are_not_streamed() {
        let engine = crate::Engine::default_config();
        let para = b"Some words here.\n\nMore words.\n\n".repeat(40);
        for bad in [&b"caf\xe9"[..], b"nul\0byte", b"\xe2\x80"] {
            for at in [0, para.len() / 2, para.len() - 2] {
                let mut text = para.clone();
                text.splice(at..at, bad.iter().copied());
                let result = engine
                    .pipeline
                    .clean_bytes_in_chunks_of(&text, 1, 2, &mut |_| Ok(()));
                assert!(
                    matches!(result, Err(StreamError::NotStreamed)),
                    "{bad:?} at {at}: {result:?}"
                );
            }
        }
        let mut sink = |_: &str| Ok(());
        assert!(matches!(
            engine.pipeline.clean_bytes_in_chunks_into(&para, &mut sink),
            Err(StreamError::NotStreamed)
        ));
        assert!(matches!(
            engine
                .pipeline
                .clean_bytes_in_chunks_of(b"no breaks at all", 1, 2, &mut sink),
            Err(StreamError::NotStreamed)
        ));
        let gb = crate::Engine::from_options(&crate::options::Options {
            spelling: crate::options::Spelling::EnGb,
            ..Default::default()
        })
        .unwrap();
        assert!(matches!(
            gb.pipeline.clean_bytes_in_chunks_of(&para, 1, 2, &mut sink),
            Err(StreamError::NotStreamed)
        ));
    }

    /// A sink that fails (a full disk) stops the cleaning with its error,
    /// and is not called again.
    #[test]
    fn a_failing_sink_stops_the_cleaning() {
        let engine = crate::Engine::default_config();
        let text = b"Some words here.\n\nMore words.\n\n".repeat(40);
        let mut calls = 0;
        let result = engine
            .pipeline
            .clean_bytes_in_chunks_of(&text, 1, 2, &mut |_| {
                calls += 1;
                Err(io::Error::other("disk full"))
            });
        match result {
            Err(StreamError::Sink(e)) => assert_eq!(e.to_string(), "disk full"),
            other => panic!("{other:?}"),
        }
        assert_eq!(calls, 1);
    }

    /// Fixes that lengthen the text: a cleaned chunk longer than the text
    /// it was cut from waits until the chunks it would overwrite are final,
    /// and the buffer grows at the end; the output is the whole text's.
    #[test]
    fn chunks_that_grow_join_as_the_whole_text() {
        let engine = engine_mapping("Jon Smyth", "Jonathan Smythington-Smythe");
        let para = "Jon Smyth said “yes”. Jon Smyth left..\n\nThen Jon Smyth ate.\n\n";
        let text = para.repeat(40);
        let whole = engine.pipeline.run_lean(text.clone());
        for threads in [1, 2, 3] {
            let chunked = engine
                .pipeline
                .run_lean_in_chunks_of(text.clone(), 1, threads);
            assert_eq!(chunked.output, whole.output());
            assert!(chunked.output.len() > text.len());
            assert_eq!(chunked.runs.len(), 40, "{:?}", chunked.starts);
        }
    }
}
