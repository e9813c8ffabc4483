//! Writing files without ever leaving half a file.
//!
//! A regular file is replaced atomically: the new content goes to a temporary file
//! in the same folder, is flushed to disk (`fsync`), gets the original's
//! permissions, and is renamed over the original; a crash at any moment leaves
//! either the old or the new content. Something that is not a regular file
//! (`/dev/null`, a pipe, a terminal) is written straight to.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use tempfile::NamedTempFile;

use super::leftovers;

/// Replaces `path`'s content with `contents` atomically and durably (see the
/// module doc): what `--in-place` uses, since the original is at stake.
///
/// With `backup` (a suffix such as `.orig`), the original is first copied to
/// `path` + suffix, itself atomically.
pub fn write_atomic(path: &Path, contents: &[u8], backup: Option<&str>) -> io::Result<()> {
    write_file(path, contents, backup, true)
}

/// Writes a new output file atomically (readers never see half a file) but
/// without waiting for the disk (`fsync`): after a crash the output may be
/// missing, never the input, and a re-run rewrites it. `-o FILE` uses this.
pub fn write_output(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_file(path, contents, None, false)
}

/// Copies the regular file `path` to `path` + `suffix` (`a.txt.orig`), itself
/// atomically (and durably when `durable`), streaming rather than reading it
/// whole: what `--backup` does before the original is replaced.
pub fn copy_to_backup(path: &Path, suffix: &str, durable: bool) -> io::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    let backup = Path::new(&name);
    let mut temp = temp_beside(backup)?;
    io::copy(&mut File::open(path)?, temp.as_file_mut())?;
    let permissions = fs::metadata(path)?.permissions();
    persist(temp, backup, Some(permissions), durable)
}

/// A new temporary file in `path`'s folder, so that renaming it over `path` is
/// atomic: hidden, named `.redline-<PID>-<random>.tmp` and locked (`flock`) while
/// this process has it open, so that a later run can tell one left by a killed
/// run from one still being written (see [`leftovers`](super::leftovers)).
pub fn temp_beside(path: &Path) -> io::Result<NamedTempFile> {
    let temp = tempfile::Builder::new()
        .prefix(&format!("{}{}-", leftovers::PREFIX, std::process::id()))
        .suffix(leftovers::SUFFIX)
        .tempfile_in(folder_of(path))?;
    leftovers::lock(temp.as_file())?;
    Ok(temp)
}

/// Renames a finished temporary file over `path`, with `permissions` (the
/// original's, when there was one). When `durable`, the content reaches the disk
/// before the rename and the rename itself after it.
pub fn persist(
    temp: NamedTempFile,
    path: &Path,
    permissions: Option<fs::Permissions>,
    durable: bool,
) -> io::Result<()> {
    if let Some(permissions) = permissions {
        fs::set_permissions(temp.path(), permissions)?;
    }
    if durable {
        temp.as_file().sync_all()?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    if durable {
        if let Ok(d) = File::open(folder_of(path)) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn write_file(path: &Path, contents: &[u8], backup: Option<&str>, durable: bool) -> io::Result<()> {
    match OutputFile::begin(path, backup, durable)? {
        Some(mut out) => {
            out.write(contents)?;
            out.finish()
        }
        None => OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(contents),
    }
}

/// A regular output file written in pieces, then put in place atomically
/// (see the module doc): the pieces go to a temporary file beside it, which
/// [`finish`](Self::finish) renames over it; dropped unfinished, the
/// temporary file is removed and the file is untouched.
pub struct OutputFile {
    temp: NamedTempFile,
    path: std::path::PathBuf,
    permissions: Option<fs::Permissions>,
    backup: Option<String>,
    durable: bool,
}

impl OutputFile {
    /// Starts writing `path` anew (with a `backup` copy of the original and
    /// durably, as [`write_atomic`] does, or not, as [`write_output`]
    /// does); `None` when `path` is something other than a regular file
    /// (`/dev/null`, a pipe), which is written straight to instead.
    ///
    /// # Errors
    /// A folder for `path`, or a temporary file that cannot be created.
    pub fn begin(path: &Path, backup: Option<&str>, durable: bool) -> io::Result<Option<Self>> {
        let metadata = fs::metadata(path);
        if let Ok(meta) = &metadata {
            if meta.is_dir() {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory; give a file path",
                ));
            }
            if !meta.is_file() {
                return Ok(None);
            }
        }
        Ok(Some(OutputFile {
            temp: temp_beside(path)?,
            path: path.to_path_buf(),
            backup: backup.filter(|_| metadata.is_ok()).map(str::to_string),
            permissions: metadata.ok().map(|m| m.permissions()),
            durable,
        }))
    }

    /// Appends `piece`.
    ///
    /// # Errors
    /// The temporary file cannot be written (a full disk).
    pub fn write(&mut self, piece: &[u8]) -> io::Result<()> {
        self.temp.write_all(piece)
    }

    /// Puts the written file in place: copies the original to its backup
    /// first if asked, then renames the temporary file over the path.
    ///
    /// # Errors
    /// The backup, the flush to disk or the rename failed (the file is then
    /// untouched).
    pub fn finish(self) -> io::Result<()> {
        if let Some(suffix) = &self.backup {
            copy_to_backup(&self.path, suffix, self.durable)?;
        }
        persist(self.temp, &self.path, self.permissions, self.durable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new", Some(".orig")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(dir.path().join("a.txt.orig")).unwrap(),
            "old"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        // no temporary file left behind
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn creates_a_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.txt");
        write_atomic(&path, b"x", None).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn writes_straight_to_dev_null() {
        write_atomic(Path::new("/dev/null"), b"x", None).unwrap();
    }
}
