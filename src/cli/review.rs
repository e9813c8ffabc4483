//! `redline review`: interactive accept/reject in the terminal (to be written).

use std::process::ExitCode;

use anyhow::Result;
use redline::io::walk::WalkOptions;
use redline::Engine;

/// Runs the interactive review over `paths`.
pub fn run(
    _engine: &Engine,
    _paths: &[String],
    _by_rule: bool,
    _walk: &WalkOptions,
) -> Result<ExitCode> {
    anyhow::bail!("redline review is not written yet")
}
