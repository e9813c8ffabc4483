//! `redline apply CHANGES.jsonl`: applies exactly the accepted fixes of a change
//! set, document by document, atomically; refuses a document that changed since
//! the change set was made (its hash differs) and touches nothing in it.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, BufRead, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use redline::changeset::{apply_accepted, document_hash, ChangeLine, Decision};
use redline::io::decode::decode;
use redline::io::jsonl::{find_field, replace_field, FieldPath};
use redline::io::write::write_atomic;
use redline::render::patch::unified_patch;
use redline::Engine;

/// The decisions for one document.
#[derive(Default)]
struct DocumentDecisions {
    hash: String,
    accepted: HashSet<String>,
}

/// Runs `redline apply`.
pub fn run(
    changes: &str,
    patch: bool,
    field: &FieldPath,
    engine: &Result<Engine>,
) -> Result<ExitCode> {
    let engine = engine.as_ref().map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let mut text = String::new();
    if changes == "-" {
        io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(changes)
            .with_context(|| format!("{changes}: cannot read the change set"))?;
    }
    // path → document line (None for a whole file) → decisions
    let mut plan: BTreeMap<String, BTreeMap<Option<usize>, DocumentDecisions>> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{changes}:{}: not valid JSON", n + 1))?;
        if value.get("summary").is_some() {
            continue; // the --statistics line
        }
        let change: ChangeLine = serde_json::from_value(value).with_context(|| {
            format!(
                "{changes}:{}: not a change-set line (make one with `redline diff --format json`)",
                n + 1
            )
        })?;
        let doc = plan
            .entry(change.path.clone())
            .or_default()
            .entry(change.document_line)
            .or_default();
        doc.hash = change.hash.clone();
        if change.decision == Decision::Accept {
            doc.accepted.insert(change.id);
        }
    }
    let mut refused = Vec::new();
    let mut failed = Vec::new();
    let mut out = io::stdout().lock();
    for (path, docs) in &plan {
        let result = if docs.keys().any(Option::is_some) {
            apply_jsonl(engine, path, field, docs, patch, &mut refused)
        } else {
            apply_file(engine, path, &docs[&None], patch, &mut refused)
        };
        match result {
            Ok(Some(p)) => out.write_all(p.as_bytes())?,
            Ok(None) => {}
            Err(e) => failed.push(format!("{e:#}")),
        }
    }
    for r in &refused {
        eprintln!("redline: {r}");
    }
    for f in &failed {
        eprintln!("redline: {f}");
    }
    Ok(if refused.is_empty() && failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn stale_message(path: &str) -> String {
    format!(
        "{path}: changed since the change set was made (its hash differs); nothing in it was \
         touched. Make a new change set with `redline diff --format json {path}`"
    )
}

fn apply_file(
    engine: &Engine,
    path: &str,
    doc: &DocumentDecisions,
    patch: bool,
    refused: &mut Vec<String>,
) -> Result<Option<String>> {
    let bytes = std::fs::read(path).with_context(|| format!("{path}: cannot read"))?;
    let decoded = decode(&bytes, engine.settings.encoding.as_deref())
        .map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    if document_hash(&decoded.text) != doc.hash {
        refused.push(stale_message(path));
        return Ok(None);
    }
    if doc.accepted.is_empty() {
        return Ok(None);
    }
    let run = apply_accepted(&engine.pipeline, &decoded.text, &doc.accepted);
    if !run.changed() {
        return Ok(None);
    }
    if patch {
        return Ok(Some(unified_patch(path, &decoded.text, run.output())));
    }
    write_atomic(Path::new(path), run.output().as_bytes(), None)
        .with_context(|| format!("{path}: cannot write"))?;
    Ok(None)
}

/// Rewrites the documents of a JSON Lines file that have accepted fixes; every
/// other line is kept byte for byte.
fn apply_jsonl(
    engine: &Engine,
    path: &str,
    field: &FieldPath,
    docs: &BTreeMap<Option<usize>, DocumentDecisions>,
    patch: bool,
    refused: &mut Vec<String>,
) -> Result<Option<String>> {
    if patch {
        anyhow::bail!("{path}: --patch works on text files, not JSON Lines documents");
    }
    let reader =
        redline::io::jsonl::open_reader(path).with_context(|| format!("{path}: cannot open"))?;
    let mut output = Vec::new();
    let mut changed = false;
    let mut stale = false;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("{path}: read failed"))?;
        let number = i + 1;
        let mut new_line = line.clone();
        if let Some(doc) = docs.get(&Some(number)) {
            let text = std::str::from_utf8(&line).unwrap_or("");
            let body = text.strip_suffix('\r').unwrap_or(text);
            match find_field(body, field) {
                Ok(f) if document_hash(&f.text) == doc.hash => {
                    if !doc.accepted.is_empty() {
                        let run = apply_accepted(&engine.pipeline, &f.text, &doc.accepted);
                        if run.changed() {
                            let mut replaced = replace_field(body, &f, run.output()).into_bytes();
                            if text.ends_with('\r') {
                                replaced.push(b'\r');
                            }
                            new_line = replaced;
                            changed = true;
                        }
                    }
                }
                _ => {
                    stale = true;
                    refused.push(stale_message(&format!("{path}#{number}")));
                }
            }
        }
        output.extend_from_slice(&new_line);
        output.push(b'\n');
    }
    if stale {
        // A stale document refuses the whole file: nothing in it is touched.
        return Ok(None);
    }
    // `split` loses whether the file ended with a newline: restore it exactly.
    let mut original = Vec::new();
    redline::io::jsonl::open_reader(path)?.read_to_end(&mut original)?;
    let original_ends_with_newline = original.is_empty() || original.ends_with(b"\n");
    if !original_ends_with_newline {
        output.pop();
    }
    if changed {
        let mut compressed = redline::io::jsonl::Compressed::for_path(Path::new(path), Vec::new())?;
        compressed.write_all(&output)?;
        let bytes = compressed.finish()?;
        write_atomic(Path::new(path), &bytes, None)
            .with_context(|| format!("{path}: cannot write"))?;
    }
    Ok(None)
}
