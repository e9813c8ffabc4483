//! Reading a file whole: a big one on every thread of the pool.
//!
//! Reading 100 MB is not only a copy: the kernel first zeroes every page of
//! the fresh buffer it copies into, and on a virtual machine that can cost
//! more than the copy. Both happen on the thread that touches the page, so a
//! big file read in parts by every thread of the pool (`pread` at each
//! part's offset) shares that work out instead of leaving it to the thread
//! that cleans the file afterwards.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Files shorter than this are read by one thread: splitting costs more
/// than it saves.
const SPLIT_MIN: usize = 8 << 20;

/// The whole content of the file at `path`, as [`std::fs::read`] gives it;
/// a regular file of at least [`SPLIT_MIN`] bytes is read in parts on every
/// thread of the current pool when it has more than one.
pub fn read_file(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    let threads = rayon::current_num_threads();
    let metadata = file.metadata()?;
    let len = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
    if threads > 1 && metadata.is_file() && len >= SPLIT_MIN {
        if let Some(bytes) = read_in_parts(
            &file,
            len,
            len.div_ceil(threads * crate::parts::PARTS_PER_THREAD),
        )? {
            return Ok(bytes);
        }
        // The file shrank while it was read: read it again, as one read.
        file = File::open(path)?;
    }
    let mut bytes = Vec::with_capacity(len.min(isize::MAX as usize));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the `len` bytes `file` had, in parts of `part` bytes on the pool's
/// threads, then whatever was added since, to the end; `None` when the file
/// ended early (it shrank).
#[cfg(unix)]
fn read_in_parts(file: &File, len: usize, part: usize) -> io::Result<Option<Vec<u8>>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    // A zeroed allocation this big comes from fresh memory the allocator knows
    // is zero: no page is touched until a part's read copies into it.
    let mut bytes = vec![0u8; len];
    let read = bytes
        .par_chunks_mut(part.max(1))
        .enumerate()
        .try_for_each(|(k, chunk)| file.read_exact_at(chunk, (k * part) as u64));
    match read {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    // Bytes appended while the parts were read, as `std::fs::read` would
    // take them (its cursor is still at the start: parts read at offsets).
    let mut rest = file;
    io::Seek::seek(&mut rest, io::SeekFrom::Start(len as u64))?;
    rest.read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

#[cfg(not(unix))]
fn read_in_parts(_: &File, _: usize, _: usize) -> io::Result<Option<Vec<u8>>> {
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file read in parts on several threads is the file, byte for byte,
    /// whatever the part size (parts cut anywhere, a last short part, one
    /// part for all).
    #[test]
    fn parts_read_on_several_threads_are_the_file() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let mut next = crate::passes::random_text::numbers(17);
        let content: Vec<u8> = (0..100_003).map(|_| next(256) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&content).unwrap();
        pool.install(|| {
            for part in [1, 7, 4096, 33_334, 100_002, 100_003, 1 << 20] {
                let read = read_in_parts(file.as_file(), content.len(), part)
                    .unwrap()
                    .expect("the file did not shrink");
                assert!(read == content, "parts of {part}");
            }
        });
    }

    /// Bytes appended after the length was taken are read too, as
    /// `std::fs::read` reads to the end; a file that is shorter than its
    /// length was is read again whole by the caller.
    #[test]
    fn a_file_that_changed_length_is_read_to_its_end() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"0123456789abcdef").unwrap();
        let grown = read_in_parts(file.as_file(), 10, 3).unwrap().unwrap();
        assert_eq!(grown, b"0123456789abcdef");
        assert!(read_in_parts(file.as_file(), 20, 3).unwrap().is_none());
        assert_eq!(read_file(file.path()).unwrap(), b"0123456789abcdef");
    }
}
