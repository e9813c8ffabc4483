//! `redline report PATH… -o report.html`: one self-contained HTML page of every
//! finding, with filters and accept/reject toggles that export a change set for
//! `redline apply`. The page itself is `redline::render::report`; this is the
//! edge: walking, reading, decoding in parallel, and writing the file atomically.
//!
//! Text files only: a change set exported from the page names each document by
//! its path, which `redline apply` rewrites; standard input has no path to
//! rewrite, so it is refused, and so are JSON Lines files named on the command
//! line (their change sets come from `redline diff --format json --jsonl`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use redline::io::jsonl::is_jsonl_path;
use redline::io::walk::{collect, Input, WalkOptions};
use redline::io::write::write_atomic;
use redline::render::report::{Report, ReportDocument};
use redline::Engine;

use super::document::decode_error_message;
use super::files::read_input;
use redline::io::decode::decode;

/// Writes the HTML report of `paths` to `output`. Exit 0 when every document was
/// read, 2 when any could not be (they are listed on stderr and in the page).
pub fn run(
    engine: &Engine,
    paths: &[String],
    output: &Path,
    walk: &WalkOptions,
) -> Result<ExitCode> {
    if paths.iter().any(|p| p == "-") {
        bail!(
            "redline report needs file paths, not `-`: the change set it exports names \
             the files that `redline apply` rewrites. Save the text to a file first"
        );
    }
    if let Some(p) = paths.iter().find(|p| is_jsonl_path(Path::new(p))) {
        bail!(
            "{p}: the HTML report reads text files, not JSON Lines; for a JSON Lines corpus \
             make a change set with `redline diff --format json --jsonl {p}`, edit its \
             decisions and `redline apply` it"
        );
    }
    let walked = collect(paths, walk);
    let inputs = walked.inputs;
    for note in &walked.notes {
        eprintln!("redline: {note}");
    }
    let mut errors: Vec<String> = walked
        .errors
        .into_iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    let mut report = Report::new(&engine.pipeline.pass_names());
    let documents: Vec<Result<Option<ReportDocument>, String>> = inputs
        .par_iter()
        .map(|input| document(engine, input))
        .collect();
    let mut read = 0usize;
    for doc in documents {
        match doc {
            Ok(Some(doc)) => {
                read += 1;
                report.add(doc);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    for e in &errors {
        report.add_error(e.clone());
    }
    let title = match paths {
        [one] => format!("redline report: {one}"),
        _ => format!("redline report: {} paths", paths.len()),
    };
    let html = report.to_html(&title);
    write_atomic(output, html.as_bytes(), None).with_context(|| {
        format!(
            "{}: cannot write the report; check that its folder exists and is writable",
            output.display()
        )
    })?;
    for e in &errors {
        eprintln!("redline: {e}");
    }
    eprintln!(
        "redline: wrote {} ({} finding{} in {read} document{}, {:.1} MB)",
        output.display(),
        report.change_count(),
        if report.change_count() == 1 { "" } else { "s" },
        if read == 1 { "" } else { "s" },
        html.len() as f64 / 1e6
    );
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// One document's report entry; `None` for a binary file met while walking a
/// folder (skipped, as `check` does).
fn document(engine: &Engine, input: &Input) -> Result<Option<ReportDocument>, String> {
    let label = input.label();
    let bytes = read_input(input)?;
    let decoded = match decode(&bytes, engine.settings.encoding.as_deref()) {
        Ok(d) => d,
        Err(redline::io::decode::DecodeError::Binary { .. })
            if matches!(input, Input::File { walked: true, .. }) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(decode_error_message(&label, &e)),
    };
    let run = engine.pipeline.run(&decoded.text);
    Ok(Some(ReportDocument::new(
        &label,
        decoded.encoding,
        &decoded.text,
        &run,
    )))
}
