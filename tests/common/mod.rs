//! What the integration tests share: how to start `redline`, and where the test
//! data lives.
//!
//! Each test binary compiles this module on its own (`mod common;`) and uses only
//! part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository's root folder (where `Cargo.toml` is).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `redline --no-config`, as a plain process (for pseudo-terminals and anything
/// that needs `std::process::Command`). Tests must not pick up a `redline.toml`
/// from wherever they run.
pub fn redline_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_redline"));
    cmd.arg("--no-config");
    cmd
}

/// `redline --no-config`, with `assert_cmd`'s assertions.
pub fn redline() -> assert_cmd::Command {
    assert_cmd::Command::from_std(redline_process())
}

/// `redline --no-config` working in `dir`.
pub fn redline_in(dir: &Path) -> assert_cmd::Command {
    let mut cmd = redline();
    cmd.current_dir(dir);
    cmd
}

/// The peer tools' test cases vendored into the repository
/// (`tests/data/peer-cases`, see `tests/data/README.md`).
pub fn peer_cases_dir() -> PathBuf {
    root().join("tests/data/peer-cases")
}

/// The upstream copy of the peer cases, `../shared/peer-cases` beside the
/// repository, if it is there (it is on the project's machines and in CI, not
/// in a plain clone).
pub fn shared_peer_cases_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/peer-cases");
    dir.is_dir().then_some(dir)
}

/// The environment variable naming the BBC news corpus folder.
pub const CORPUS_VAR: &str = "REDLINE_CORPUS";

/// The BBC news corpus (`bbc-news`: `business/`, `sport/`… of `NNN.txt`), which
/// the repository cannot carry (its licence allows research use and short
/// quotations only). Read from `$REDLINE_CORPUS`, else from
/// `../shared/corpus/bbc-news` beside the repository.
///
/// Only tests marked `#[ignore]` call this, so they run only when asked
/// (`cargo test -- --ignored`); asked to run without the corpus, they fail here
/// rather than pass without having checked anything.
pub fn corpus_dir() -> PathBuf {
    let (dir, from) = match std::env::var_os(CORPUS_VAR) {
        Some(dir) if !dir.is_empty() => (PathBuf::from(dir), format!("from {CORPUS_VAR}")),
        _ => (
            root().join("../shared/corpus/bbc-news"),
            format!("the default, {CORPUS_VAR} is not set"),
        ),
    };
    assert!(
        dir.is_dir(),
        "the BBC news corpus is not at {} ({from}). This test needs it: set {CORPUS_VAR} to \
         the corpus folder (the one holding business/, sport/, …) or put the project's shared \
         data beside the repository as ../shared/corpus/bbc-news, then run \
         `cargo test -- --ignored`",
        dir.display()
    );
    dir
}
