//! `redline names`: reads documents (files, folders, JSON Lines, stdin) in
//! parallel into a [`NameIndex`] and prints its clusters of name variants as
//! text, JSON Lines or a names rule file.
//!
//! Memory is bounded: files are read one per thread and dropped once counted;
//! JSON Lines are streamed in the same 1 MB batches as `clean` (each batch
//! counted in parallel, then merged into one table), and the table itself is
//! bounded by pruning (see `redline::names`).

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;

use redline::io::decode::{decode_vec, DecodeError};
use redline::io::jsonl::{find_field, open_reader};
use redline::io::walk::{collect, Input, WalkOptions};
use redline::names::{builtin_names, rule_file, Cluster, NameIndex};

use super::document::decode_error_message;
use super::files::read_input;
use super::jsonl::{read_batches, split_ending, Batch, JsonlOptions};
use super::progress::Progress;

/// `redline names` options.
#[derive(Args)]
pub struct NamesArgs {
    /// Files or folders; `-` (default) reads standard input.
    #[arg(value_name = "PATH", default_value = "-")]
    pub paths: Vec<String>,
    /// `text` for people, `json` (JSON Lines, one cluster a line) for programs,
    /// `toml` for a names map to review and use with `clean --names FILE`.
    #[arg(long, value_enum, default_value_t = NamesFormat::Text)]
    pub format: NamesFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only the N clusters with the most documents to change.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
}

/// How clusters are written.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NamesFormat {
    Text,
    Json,
    Toml,
}

/// What to read.
pub struct Inputs<'a> {
    pub paths: &'a [String],
    /// `Some` for JSON Lines.
    pub jsonl: Option<&'a JsonlOptions>,
    pub walk: WalkOptions,
    pub encoding: Option<&'a str>,
    pub quiet: bool,
}

/// Reads everything, prints or writes the clusters; exit 2 if any input failed.
pub fn run(args: &NamesArgs, inputs: &Inputs) -> Result<ExitCode> {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let index = match inputs.jsonl {
        Some(options) => {
            let progress = Progress::new(0, inputs.quiet);
            let mut index = NameIndex::new();
            for (n, path) in inputs.paths.iter().enumerate() {
                if let Err(e) =
                    index_jsonl(path, n as u64, options, &progress, &mut index, &mut notes)
                {
                    errors.push(format!("{path}: {e}"));
                }
            }
            progress.finish();
            index
        }
        None => {
            let walked = collect(inputs.paths, &inputs.walk);
            let files = walked.inputs;
            errors.extend(
                walked
                    .errors
                    .into_iter()
                    .map(|e| format!("{}: {}", e.path, e.message)),
            );
            notes.extend(walked.notes);
            let total = files
                .iter()
                .map(|i| match i {
                    Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
                    Input::Stdin => 0,
                })
                .sum();
            let progress = Progress::new(total, inputs.quiet);
            let (index, errs, ns) = index_files(&files, inputs.encoding, &progress);
            progress.finish();
            errors.extend(errs);
            notes.extend(ns);
            index
        }
    };
    let mut clusters = index.clusters(&builtin_names());
    if let Some(n) = args.top {
        clusters.truncate(n);
    }
    let text = match args.format {
        NamesFormat::Text => text(&clusters),
        NamesFormat::Json => clusters
            .iter()
            .map(|c| serde_json::to_string(c).expect("clusters serialise") + "\n")
            .collect(),
        NamesFormat::Toml => rule_file(&clusters, index.documents()),
    };
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            redline::io::write::write_output(path, text.as_bytes())
                .with_context(|| format!("{}: cannot write", path.display()))?;
        }
        _ => {
            let mut out = io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    let mut err = io::stderr().lock();
    if !inputs.quiet {
        for note in &notes {
            writeln!(err, "redline: {note}")?;
        }
        let changed: u64 = clusters.iter().map(|c| c.documents_to_change).sum();
        writeln!(
            err,
            "redline: {} name{} with variant spellings in {} documents ({} document uses of a minority form){}",
            clusters.len(),
            if clusters.len() == 1 { "" } else { "s" },
            index.documents(),
            changed,
            if args.format == NamesFormat::Text && !clusters.is_empty() {
                "; `--format toml -o names.toml` writes them as a names map"
            } else {
                ""
            }
        )?;
    }
    for e in &errors {
        writeln!(err, "redline: {e}")?;
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Files in parallel, each read, decoded, counted and dropped.
fn index_files(
    files: &[Input],
    encoding: Option<&str>,
    progress: &Progress,
) -> (NameIndex, Vec<String>, Vec<String>) {
    files
        .par_iter()
        .enumerate()
        .fold(
            || (NameIndex::new(), Vec::new(), Vec::new()),
            |(mut index, mut errors, mut notes), (n, input)| {
                let label = input.label();
                match read_input(input) {
                    Err(e) => errors.push(e),
                    Ok(bytes) => {
                        let len = bytes.len() as u64;
                        match decode_vec(bytes, encoding) {
                            Ok(d) => index.add_document(n as u64, &d.text),
                            Err(DecodeError::Binary { .. })
                                if matches!(input, Input::File { walked: true, .. }) =>
                            {
                                notes.push(format!("{label}: binary file, skipped"))
                            }
                            Err(e) => errors.push(decode_error_message(&label, &e)),
                        }
                        progress.document(len);
                    }
                }
                (index, errors, notes)
            },
        )
        .reduce(
            || (NameIndex::new(), Vec::new(), Vec::new()),
            |(mut a, mut ea, mut na), (b, eb, nb)| {
                a.merge(b);
                ea.extend(eb);
                na.extend(nb);
                (a, ea, na)
            },
        )
}

/// One JSON Lines input, streamed in batches; a line that is not a JSON
/// object with the field is noted and skipped.
fn index_jsonl(
    path: &str,
    input_number: u64,
    options: &JsonlOptions,
    progress: &Progress,
    index: &mut NameIndex,
    notes: &mut Vec<String>,
) -> io::Result<()> {
    let mut reader =
        open_reader(path).map_err(|e| io::Error::new(e.kind(), format!("cannot open: {e}")))?;
    let (send, batches) = std::sync::mpsc::sync_channel::<io::Result<Batch>>(2);
    std::thread::scope(|scope| -> io::Result<()> {
        scope.spawn(move || read_batches(&mut reader, path, &send));
        for batch in batches {
            let batch = batch?;
            let lines: Vec<(usize, &[u8])> = batch.lines().collect();
            let (part, skipped) = lines
                .par_iter()
                .fold(
                    || (NameIndex::new(), Vec::new()),
                    |(mut idx, mut skipped), (number, raw)| {
                        let (body, _) = split_ending(raw);
                        let ordinal = (input_number << 40) | *number as u64;
                        match std::str::from_utf8(body) {
                            Err(e) => skipped.push(format!(
                                "{path}:{number}: not valid UTF-8 at byte {}; line skipped",
                                e.valid_up_to()
                            )),
                            Ok(line) if line.trim().is_empty() => {}
                            Ok(line) => match find_field(line, &options.field) {
                                Ok(field) => idx.add_document(ordinal, &field.text),
                                Err(e) => {
                                    skipped.push(format!("{path}:{number}: {e}; line skipped"))
                                }
                            },
                        }
                        (idx, skipped)
                    },
                )
                .reduce(
                    || (NameIndex::new(), Vec::new()),
                    |(mut a, mut sa), (b, sb)| {
                        a.merge(b);
                        sa.extend(sb);
                        (a, sa)
                    },
                );
            progress.documents(batch.ends.len() as u64, batch.data.len() as u64);
            index.merge(part);
            notes.extend(skipped);
        }
        Ok(())
    })
}

/// The clusters for people: the name and how many documents would change,
/// then each form with its occurrences, documents and a line of context.
fn text(clusters: &[Cluster]) -> String {
    let mut out = String::new();
    for (n, c) in clusters.iter().enumerate() {
        let total: u64 = c.forms.iter().map(|f| f.documents).sum();
        out.push_str(&format!(
            "{}. {}: {} of {} document{} would change",
            n + 1,
            c.canonical,
            c.documents_to_change,
            total,
            if total == 1 { "" } else { "s" }
        ));
        if let Some(b) = &c.builtin {
            out.push_str(&format!(" (built-in map: {b})"));
        }
        out.push('\n');
        let width = c
            .forms
            .iter()
            .map(|f| f.form.chars().count())
            .max()
            .unwrap_or(0);
        for (i, f) in c.forms.iter().enumerate() {
            let pad = width - f.form.chars().count();
            out.push_str(&format!(
                "  {} {}{}  {:>6}× {:>6} doc{}  {}\n",
                if i == 0 { "*" } else { " " },
                f.form,
                " ".repeat(pad),
                f.count,
                f.documents,
                if f.documents == 1 { " " } else { "s" },
                f.context
            ));
        }
    }
    out
}
