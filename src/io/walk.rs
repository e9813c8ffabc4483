//! Turning the paths a user gave into the list of documents to process.
//!
//! Directories are walked with the `ignore` crate (what ripgrep uses): hidden files
//! and `.gitignore`d paths are skipped unless `--no-ignore`, `--glob` selects.
//! The list is sorted so that output order never depends on the file system or on
//! the number of threads.

use std::path::{Path, PathBuf};

/// One input: standard input or a file, with where its output goes relative to an
/// output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// `-`.
    Stdin,
    /// A file.
    File {
        /// The file to read.
        path: PathBuf,
        /// Its place under an output folder: `REL` when one folder was given,
        /// `<folder name>/REL` when several, the file name for a file argument.
        out_rel: PathBuf,
        /// Found by walking a folder (rather than named by the user).
        walked: bool,
    },
}

impl Input {
    /// The name shown to users.
    pub fn label(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }
}

/// How directories are walked.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Include hidden and ignored files.
    pub no_ignore: bool,
    /// Glob patterns (ripgrep syntax; `!` excludes) that select files.
    pub globs: Vec<String>,
}

/// A path that could not be walked.
#[derive(Debug, Clone)]
pub struct WalkError {
    /// The path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// What walking the paths found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The documents, sorted.
    pub inputs: Vec<Input>,
    /// Paths that could not be walked (errors: exit 2).
    pub errors: Vec<WalkError>,
    /// Things met and skipped that a user should hear about: redline's own
    /// temporary files (see [`leftovers`](super::leftovers)) and symbolic links.
    pub notes: Vec<String>,
}

/// Expands `paths` into inputs. Missing paths are errors for the caller to list;
/// they never stop the others.
///
/// Symbolic links inside a folder are not followed (a link can lead out of the
/// folder, or back into it: a loop); each is named in [`Walked::notes`], a loop as
/// a loop. A link named on the command line is read like a file. Every hidden
/// `.redline-*.tmp` met is never an input: it is examined (and removed when
/// stale) by [`leftovers::examine`](super::leftovers::examine) and named in the notes.
pub fn collect(paths: &[String], options: &WalkOptions) -> Walked {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let dir_count = paths.iter().filter(|p| Path::new(p).is_dir()).count();
    for arg in paths {
        if arg == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(arg);
        if !path.is_dir() {
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            inputs.push(Input::File {
                path: path.to_path_buf(),
                out_rel: name,
                walked: false,
            });
            continue;
        }
        let prefix = if dir_count > 1 {
            path.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(PathBuf::from))
                .unwrap_or_default()
        } else {
            PathBuf::new()
        };
        let mut builder = ignore::WalkBuilder::new(path);
        // Hidden files are filtered below, so that redline's own temporary
        // files (hidden) are still seen.
        builder
            .hidden(false)
            .ignore(!options.no_ignore)
            .git_ignore(!options.no_ignore)
            .git_global(!options.no_ignore)
            .git_exclude(!options.no_ignore)
            .parents(!options.no_ignore)
            .require_git(false)
            .sort_by_file_path(|a, b| a.cmp(b));
        let temps = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&temps);
        let skip_hidden = !options.no_ignore;
        builder.filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if super::leftovers::is_temp_name(&name) && e.file_type().is_some_and(|t| t.is_file()) {
                seen.lock().unwrap().push(e.path().to_path_buf());
                return false;
            }
            // Hidden files are skipped (also when a --glob whitelist would
            // bring them back in).
            !(skip_hidden && name.starts_with('.'))
        });
        if !options.globs.is_empty() {
            let mut overrides = ignore::overrides::OverrideBuilder::new(path);
            for glob in &options.globs {
                if let Err(e) = overrides.add(glob) {
                    errors.push(WalkError {
                        path: glob.clone(),
                        message: format!("bad --glob: {e}"),
                    });
                }
            }
            match overrides.build() {
                Ok(o) => {
                    builder.overrides(o);
                }
                Err(e) => errors.push(WalkError {
                    path: arg.clone(),
                    message: format!("bad --glob: {e}"),
                }),
            }
        }
        let mut found = Vec::new();
        for entry in builder.build() {
            match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    let file = entry.into_path();
                    let rel = file.strip_prefix(path).unwrap_or(&file).to_path_buf();
                    found.push(Input::File {
                        path: file,
                        out_rel: prefix.join(rel),
                        walked: true,
                    });
                }
                Ok(entry) if entry.path_is_symlink() => notes.push(link_note(path, entry.path())),
                Ok(_) => {}
                Err(e) => errors.push(WalkError {
                    path: arg.clone(),
                    message: e.to_string(),
                }),
            }
        }
        found.sort_by_key(Input::label);
        inputs.extend(found);
        let mut temps = std::mem::take(&mut *temps.lock().unwrap());
        temps.sort();
        notes.extend(
            temps
                .iter()
                .map(|t| super::leftovers::examine(t).to_string()),
        );
    }
    Walked {
        inputs,
        errors,
        notes,
    }
}

/// What to tell the user about a symbolic link met while walking `root`.
fn link_note(root: &Path, link: &Path) -> String {
    let shown = link.display();
    let target = std::fs::read_link(link)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    match link.canonicalize() {
        Err(e) if e.raw_os_error() == Some(40) /* ELOOP */ => format!(
            "{shown}: symbolic link loop (-> {target}), not followed; remove or fix the link"
        ),
        Err(_) => format!("{shown}: broken symbolic link (-> {target}), skipped"),
        Ok(resolved) => {
            let inside = link
                .parent()
                .and_then(|p| p.canonicalize().ok())
                .is_some_and(|parent| resolved.is_dir() && parent.starts_with(&resolved));
            let under_root = root
                .canonicalize()
                .is_ok_and(|r| resolved.starts_with(r));
            if inside {
                format!(
                    "{shown}: symbolic link loop (-> {target}, a folder that contains it),                      not followed"
                )
            } else if under_root {
                format!(
                    "{shown}: symbolic link (-> {target}), not followed; its target is                      already in the folder"
                )
            } else {
                format!(
                    "{shown}: symbolic link (-> {target}), not followed; name {} to clean it",
                    resolved.display()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/sub")).unwrap();
        fs::write(root.join("a/one.txt"), "1").unwrap();
        fs::write(root.join("a/sub/two.txt"), "2").unwrap();
        fs::write(root.join("a/.hidden.txt"), "h").unwrap();
        fs::write(root.join("a/skip.log"), "l").unwrap();
        fs::write(root.join("a/.gitignore"), "*.log\n").unwrap();
        dir
    }

    fn rels(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::File { out_rel, .. } => out_rel.display().to_string(),
                Input::Stdin => "-".into(),
            })
            .collect()
    }

    #[test]
    fn skips_hidden_and_ignored_by_default() {
        let dir = tree();
        let a = dir.path().join("a").display().to_string();
        let Walked { inputs, errors, .. } =
            collect(std::slice::from_ref(&a), &WalkOptions::default());
        assert!(errors.is_empty());
        assert_eq!(rels(&inputs), ["one.txt", "sub/two.txt"]);
        let Walked { inputs, .. } = collect(
            &[a],
            &WalkOptions {
                no_ignore: true,
                globs: vec![],
            },
        );
        assert_eq!(
            rels(&inputs),
            [
                ".gitignore",
                ".hidden.txt",
                "one.txt",
                "skip.log",
                "sub/two.txt"
            ]
        );
    }

    #[test]
    fn glob_selects_and_several_folders_get_their_names() {
        let dir = tree();
        fs::create_dir_all(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("b/three.txt"), "3").unwrap();
        let a = dir.path().join("a").display().to_string();
        let b = dir.path().join("b").display().to_string();
        let Walked { inputs, .. } = collect(
            &[a, b],
            &WalkOptions {
                no_ignore: false,
                globs: vec!["*.txt".into(), "!two.txt".into()],
            },
        );
        assert_eq!(rels(&inputs), ["a/one.txt", "b/three.txt"]);
    }
}
