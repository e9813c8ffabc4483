//! `redline report`: a self-contained HTML report (to be written).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use redline::io::walk::WalkOptions;
use redline::Engine;

/// Writes the HTML report of `paths` to `output`.
pub fn run(
    _engine: &Engine,
    _paths: &[String],
    _output: &Path,
    _walk: &WalkOptions,
) -> Result<ExitCode> {
    anyhow::bail!("redline report is not written yet")
}
