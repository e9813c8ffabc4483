//! Guards against faults around the files a run writes: an output folder that
//! overlaps an input folder, an output that is the input itself, temporary files
//! left by a killed run beside an output, and messages for failed writes that say
//! what to do next.

use std::io;
use std::path::{Component, Path, PathBuf};

use redline::io::leftovers;

/// `path` made absolute and free of `.`/`..` and symbolic links, as far as it
/// exists (the missing rest is appended as given), so that two spellings of one
/// folder compare equal even before the output folder is created.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Refuses an output folder that is inside an input folder (the next run would
/// clean the output into itself, one level deeper each time) or that contains
/// one (mirrored paths could land on input files), or is the input folder.
pub fn check_output_folder(inputs: &[String], out: &Path) -> anyhow::Result<()> {
    let out_real = resolve(out);
    for input in inputs.iter().filter(|p| Path::new(p).is_dir()) {
        let in_real = resolve(Path::new(input));
        let problem = if out_real == in_real {
            "is the input folder itself; to rewrite the files there use --in-place"
        } else if out_real.starts_with(&in_real) {
            "is inside the input folder, so redline would clean its own output; \
             give an output folder outside it"
        } else if in_real.starts_with(&out_real) {
            "contains the input folder, so cleaned files could land on the inputs; \
             give an output folder outside it"
        } else {
            continue;
        };
        anyhow::bail!(
            "-o {}: {problem} (input folder {input}); nothing was written",
            out.display()
        );
    }
    Ok(())
}

/// Whether `a` and `b` name the same existing file (same device and inode).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        resolve(a) == resolve(b)
    }
}

/// Examines redline's temporary files directly in the folders of `targets`
/// (the files a run is about to write) and in `trees` and below; removes the
/// stale ones (see [`leftovers`]) and returns a note for each one found.
pub fn sweep(targets: &[PathBuf], trees: &[PathBuf]) -> Vec<String> {
    let mut folders: Vec<PathBuf> = targets
        .iter()
        .map(|t| match t.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        })
        .collect();
    folders.sort();
    folders.dedup();
    let mut notes: Vec<String> = folders
        .iter()
        .flat_map(|f| leftovers::sweep_folder(f))
        .chain(
            trees
                .iter()
                .filter(|t| t.is_dir())
                .flat_map(|t| leftovers::sweep_tree(t)),
        )
        .map(|l| l.to_string())
        .collect();
    notes.dedup();
    notes
}

/// The message for a write of `target` that failed: names the file, says the
/// original is untouched and what to do next.
pub fn write_failed(target: &Path, e: &io::Error) -> String {
    // By kind, not OS code: the temporary-file layer wraps the OS error.
    let hint = match e.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "the disk is full; free some space (or write elsewhere with -o) and run again"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "check that its folder is writable"
        }
        _ => "check the path and run again",
    };
    format!(
        "{}: cannot write: {}; {hint} (nothing was replaced: the original and any \
         earlier output are untouched, no temporary file is left)",
        target.display(),
        without_temp_path(e)
    )
}

/// The error's message without the temporary file's path that the
/// temporary-file layer appends (` at path "…"`): that file is already removed,
/// and the user needs the target's name, which the message starts with.
fn without_temp_path(e: &io::Error) -> String {
    let message = e.to_string();
    match message.find(" at path \"") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}
