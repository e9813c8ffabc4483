//! Temporary files left behind by a run that was killed (`kill -9`, power loss).
//!
//! Every file redline writes goes first to a hidden temporary file beside its
//! target (see [`write::temp_beside`](super::write::temp_beside)), named
//! `.redline-<PID>-<random>.tmp`, and the writing process holds an exclusive
//! `flock` on it until it is renamed into place or deleted. A process that dies
//! however it dies releases its locks (the kernel closes its files), but cannot
//! delete its temporary file. So a later run tells a stale temporary file from
//! one being written right now like this:
//!
//! - it can take the lock (no process holds it), **and**
//! - no process with the PID in the name exists.
//!
//! Both are needed: the lock alone is free for the instant between creating the
//! file and locking it, and the PID alone can be reused by an unrelated process.
//! Only a file that passes both is removed; any other `.redline-*.tmp` (locked, its
//! PID alive, or a name without a PID) is named and left alone, for a person to
//! remove once no redline is running.

use std::fmt;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// The prefix and suffix of every temporary file redline writes.
pub const PREFIX: &str = ".redline-";
/// See [`PREFIX`].
pub const SUFFIX: &str = ".tmp";

/// Whether a file name is one of redline's temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.len() > PREFIX.len() + SUFFIX.len() && name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// The PID embedded in a temporary file's name (`.redline-1234-abcdef.tmp`).
fn pid_of(name: &str) -> Option<i32> {
    let rest = name.strip_prefix(PREFIX)?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok().filter(|&p| p > 0)
}

/// What was found and done about one temporary file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The temporary file.
    pub path: PathBuf,
    /// What was done.
    pub state: State,
}

/// See [`Leftover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Stale (unlocked, its process gone): removed.
    Removed {
        /// The PID that wrote it.
        pid: i32,
    },
    /// Locked, or its process still exists: a run is (or may be) writing it.
    InUse {
        /// The PID in its name.
        pid: i32,
    },
    /// No PID in its name (another program, or an older redline): cannot tell.
    Unknown,
    /// Stale, but removing it failed.
    CannotRemove {
        /// Why.
        message: String,
    },
}

impl fmt::Display for Leftover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match &self.state {
            State::Removed { pid } => write!(
                f,
                "{path}: temporary file left by an interrupted run (process {pid} is gone); removed it"
            ),
            State::InUse { pid } => write!(
                f,
                "{path}: temporary file of a redline run that is still going (process {pid}); left it alone"
            ),
            State::Unknown => write!(
                f,
                "{path}: temporary file of unknown age; remove it by hand once no redline is running"
            ),
            State::CannotRemove { message } => write!(
                f,
                "{path}: temporary file left by an interrupted run, but cannot remove it: {message}; \
                 remove it by hand"
            ),
        }
    }
}

/// Looks at one temporary file and removes it if it is stale (see the module doc).
pub fn examine(path: &Path) -> Leftover {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let state = match pid_of(&name) {
        None => State::Unknown,
        Some(pid) => {
            if process_exists(pid) || locked(path) {
                State::InUse { pid }
            } else {
                match fs::remove_file(path) {
                    Ok(()) => State::Removed { pid },
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::Removed { pid },
                    Err(e) => State::CannotRemove {
                        message: e.to_string(),
                    },
                }
            }
        }
    };
    Leftover {
        path: path.to_path_buf(),
        state,
    }
}

/// Examines every temporary file directly in `dir` (not below it): for the
/// folder of an output file, where walking everything would be too much.
pub fn sweep_folder(dir: &Path) -> Vec<Leftover> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_temp_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found.iter().map(|p| examine(p)).collect()
}

/// Examines every temporary file in `dir` and below it.
pub fn sweep_tree(dir: &Path) -> Vec<Leftover> {
    let mut found = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_some_and(|t| t.is_file())
            && is_temp_name(&entry.file_name().to_string_lossy())
        {
            found.push(entry.into_path());
        }
    }
    found.sort();
    found.iter().map(|p| examine(p)).collect()
}

/// Takes the exclusive lock that marks a temporary file as being written
/// (released when `file` is closed, including when the process dies).
pub fn lock(file: &File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a valid open descriptor has no memory effects.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Whether some process holds the lock of `path` (or it cannot be opened).
fn locked(path: &Path) -> bool {
    match File::open(path) {
        Ok(file) => lock(&file).is_err(),
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

/// Whether a process with this PID exists (in this PID namespace).
fn process_exists(pid: i32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks for existence and permission.
        if unsafe { libc::kill(pid, 0) } == 0 {
            return true;
        }
        // EPERM: it exists, owned by someone else.
        std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_pids() {
        assert!(is_temp_name(".redline-12-abc.tmp"));
        assert!(!is_temp_name(".redline-.tmp"));
        assert!(!is_temp_name("redline-12.tmp"));
        assert_eq!(pid_of(".redline-12-abc.tmp"), Some(12));
        assert_eq!(pid_of(".redline-abc.tmp"), None);
    }

    #[test]
    fn a_locked_file_of_a_live_process_is_kept_a_dead_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        // ours: this process exists and holds the lock
        let temp = crate::io::write::temp_beside(&dir.path().join("a.txt")).unwrap();
        let ours = examine(temp.path());
        assert_eq!(
            ours.state,
            State::InUse {
                pid: std::process::id() as i32
            }
        );
        assert!(temp.path().exists());
        // a dead process's: a child that has exited (and been reaped)
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".redline-{pid}-zzzzzz.tmp"));
        fs::write(&stale, "half").unwrap();
        // held locked (by another open file here): in use, whatever the PID
        let holder = File::open(&stale).unwrap();
        lock(&holder).unwrap();
        assert_eq!(examine(&stale).state, State::InUse { pid: pid as i32 });
        drop(holder);
        assert_eq!(examine(&stale).state, State::Removed { pid: pid as i32 });
        assert!(!stale.exists());
        // no PID: named, kept
        let odd = dir.path().join(".redline-abcdef.tmp");
        fs::write(&odd, "x").unwrap();
        let swept = sweep_folder(dir.path());
        assert_eq!(swept.len(), 2, "{swept:?}");
        assert!(odd.exists());
        assert!(swept.iter().any(|l| l.state == State::Unknown));
    }
}
