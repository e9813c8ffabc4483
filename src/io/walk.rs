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

/// Expands `paths` into inputs. Missing paths are errors for the caller to list;
/// they never stop the others.
pub fn collect(paths: &[String], options: &WalkOptions) -> (Vec<Input>, Vec<WalkError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
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
        builder
            .hidden(!options.no_ignore)
            .ignore(!options.no_ignore)
            .git_ignore(!options.no_ignore)
            .git_global(!options.no_ignore)
            .git_exclude(!options.no_ignore)
            .parents(!options.no_ignore)
            .require_git(false)
            .sort_by_file_path(|a, b| a.cmp(b));
        if !options.no_ignore {
            // A --glob whitelist would otherwise bring hidden files back in.
            builder.filter_entry(|e| {
                e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
            });
        }
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
                Ok(_) => {}
                Err(e) => errors.push(WalkError {
                    path: arg.clone(),
                    message: e.to_string(),
                }),
            }
        }
        found.sort_by_key(Input::label);
        inputs.extend(found);
    }
    (inputs, errors)
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
        let (inputs, errors) = collect(std::slice::from_ref(&a), &WalkOptions::default());
        assert!(errors.is_empty());
        assert_eq!(rels(&inputs), ["one.txt", "sub/two.txt"]);
        let (inputs, _) = collect(
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
        let (inputs, _) = collect(
            &[a, b],
            &WalkOptions {
                no_ignore: false,
                globs: vec!["*.txt".into(), "!two.txt".into()],
            },
        );
        assert_eq!(rels(&inputs), ["a/one.txt", "b/three.txt"]);
    }
}
