//! Tests over the project's shared data: the peer tools' test cases and the
//! clean BBC news corpus.
//!
//! The peer cases are vendored into the repository (`tests/data/peer-cases`, with
//! each source's provenance and licence) and always run. The corpus cannot be
//! redistributed (research use, short quotations only): its tests are
//! `#[ignore]`d and run with `cargo test -- --ignored`, reading the corpus from
//! `$REDLINE_CORPUS` or `../shared/corpus/bbc-news`; asked to run without it,
//! they fail.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use redline::io::decode::decode;
use redline::render::locate;
use redline::Engine;
use serde::Deserialize;

mod common;
use common::{corpus_dir, peer_cases_dir, shared_peer_cases_dir};

#[derive(Deserialize)]
struct PeerCase {
    id: String,
    source: String,
    category: String,
    input: String,
    expected: Option<String>,
    note: String,
}

fn peer_cases() -> Vec<PeerCase> {
    let mut cases = Vec::new();
    let mut files: Vec<_> = fs::read_dir(peer_cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    for file in files {
        for line in fs::read_to_string(&file).unwrap().lines() {
            if !line.trim().is_empty() {
                cases.push(serde_json::from_str(line).unwrap());
            }
        }
    }
    assert!(cases.len() >= 482, "peer cases missing: {}", cases.len());
    cases
}

/// Case ids listed in `tests/peer-deviations.md` (lines starting with "- `id`").
fn deviations() -> HashSet<String> {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peer-deviations.md"))
            .unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

fn binding(case: &PeerCase) -> bool {
    !(case.note.contains("POLICY-") || case.note.contains("KNOWN FAILURE"))
}

#[test]
fn peer_cases_pass_except_listed_deviations() {
    let engine = Engine::default_config();
    let deviations = deviations();
    let mut failures = Vec::new();
    let mut per_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in peer_cases().iter().filter(|c| binding(c)) {
        let got = engine.pipeline.clean(&case.input);
        let want = case.expected.as_deref().unwrap_or(&case.input);
        let entry = per_source.entry(case.source.clone()).or_default();
        if got == want {
            entry.0 += 1;
            assert!(
                !deviations.contains(&case.id),
                "{} passes now: remove it from tests/peer-deviations.md",
                case.id
            );
        } else {
            entry.1 += 1;
            if !deviations.contains(&case.id) {
                failures.push(format!(
                    "{} ({}): {:?}\n  expected {:?}\n  got      {:?}",
                    case.id, case.category, case.input, want, got
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} peer cases fail (per source {:?}):\n{}",
        failures.len(),
        per_source,
        failures.join("\n")
    );
}

#[test]
fn cleaning_is_idempotent_on_every_peer_case() {
    let engine = Engine::default_config();
    for case in peer_cases() {
        let once = engine.pipeline.clean(&case.input);
        let twice = engine.pipeline.clean(&once);
        assert_eq!(once, twice, "{}: clean(clean(x)) != clean(x)", case.id);
        if let Some(expected) = &case.expected {
            // also on the peers' idea of clean text
            let _ = engine.pipeline.clean(expected);
        }
    }
}

/// Every file under `dir`, as paths relative to it, in order.
fn files_under(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

/// What the repository adds to the upstream peer cases: the licence text of a
/// source, beside its `SOURCE.md` (see `tests/data/README.md`).
fn is_added_licence(rel: &Path) -> bool {
    let name = rel
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_ascii_lowercase();
    rel.starts_with("sources")
        && rel.components().count() == 3
        && (name.starts_with("license") || name.starts_with("notice"))
}

/// Every case names a source whose provenance (`SOURCE.md`) and licence text
/// travel with the data.
#[test]
fn every_peer_source_carries_its_provenance_and_licence() {
    let dir = peer_cases_dir();
    let files = files_under(&dir);
    let sources: BTreeSet<String> = peer_cases().into_iter().map(|c| c.source).collect();
    assert_eq!(sources.len(), 9, "{sources:?}");
    for source in &sources {
        let folder = Path::new("sources").join(source);
        assert!(
            files.contains(&folder.join("SOURCE.md")),
            "{}: no SOURCE.md for the cases of `{source}`",
            dir.join(&folder).display()
        );
        let licences: Vec<_> = files
            .iter()
            .filter(|f| f.starts_with(&folder) && is_added_licence(f))
            .collect();
        assert!(
            !licences.is_empty(),
            "{}: no licence text for the cases of `{source}`",
            dir.join(&folder).display()
        );
        for licence in licences {
            let text = fs::read_to_string(dir.join(licence)).unwrap();
            assert!(text.len() > 500, "{}: too short", licence.display());
        }
    }
}

/// The vendored peer cases are the upstream copy (`../shared/peer-cases`), byte
/// for byte, plus the licence files the repository adds. Without the upstream
/// copy there is nothing to compare: the test says so and passes (the cases
/// themselves always run from the vendored copy).
#[test]
fn vendored_peer_cases_are_identical_to_the_shared_copy() {
    let vendored = peer_cases_dir();
    let Some(upstream) = shared_peer_cases_dir() else {
        // Straight to stderr, past the test harness's capture, so that the skip
        // shows in a plain `cargo test`.
        let _ = writeln!(
            std::io::stderr(),
            "vendored_peer_cases_are_identical_to_the_shared_copy: skipped the comparison, \
             ../shared/peer-cases is not beside the repository"
        );
        return;
    };
    let ours = files_under(&vendored);
    let theirs = files_under(&upstream);
    let mut problems = Vec::new();
    for rel in &theirs {
        if !ours.contains(rel) {
            problems.push(format!("missing here: {}", rel.display()));
        } else if fs::read(vendored.join(rel)).unwrap() != fs::read(upstream.join(rel)).unwrap() {
            problems.push(format!("differs: {}", rel.display()));
        }
    }
    for rel in ours.difference(&theirs) {
        if !is_added_licence(rel) {
            problems.push(format!("not upstream: {}", rel.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} is out of date with {}:\n{}\nCopy the upstream folder over it \
         (`cp -r ../shared/peer-cases/. tests/data/peer-cases/`), keep the licence files, \
         and note it in tests/data/README.md",
        vendored.display(),
        upstream.display(),
        problems.join("\n")
    );
}

fn corpus_files() -> Vec<PathBuf> {
    let root = corpus_dir();
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt")
                && path.file_name().is_some_and(|n| n != "README.TXT")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 2225, "the BBC corpus has 2,225 articles");
    files
}

/// At most `n` characters of `text` before `end` (a char boundary).
fn tail_chars(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

fn head_chars(text: &str, n: usize) -> &str {
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

fn one_line(s: &str) -> String {
    s.replace('\n', "⏎").replace('\r', "␍")
}

/// Every finding on the clean corpus, pinned: a new edit on clean text shows up
/// in review. Context is at most 20 characters on each side (the corpus licence
/// allows short quotations only).
#[test]
#[ignore = "needs the BBC news corpus (not redistributable): set REDLINE_CORPUS=path or put it at ../shared/corpus/bbc-news; run with cargo test -- --ignored"]
fn corpus_findings_are_pinned() {
    let engine = Engine::default_config();
    let root = corpus_dir();
    let mut edits = Vec::new();
    let mut flags = Vec::new();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    for file in corpus_files() {
        let bytes = fs::read(&file).unwrap();
        let decoded = decode(&bytes, None).unwrap();
        let run = engine.pipeline.run(&decoded.text);
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        for l in locate(&run) {
            let input = run.input_of(l.step);
            let before_ctx = tail_chars(&input[..l.start], 20);
            let after_ctx = head_chars(&input[l.end..], 20);
            *per_rule.entry(l.finding.rule.to_string()).or_default() += 1;
            let change = match &l.after {
                Some(after) => format!("[{}→{}]", one_line(l.before), one_line(after)),
                None => format!("[{}]", one_line(l.before)),
            };
            let row = format!(
                "{} {rel}:{}:{} {}{change}{} ({})",
                l.finding.rule,
                l.line,
                l.column,
                one_line(before_ctx),
                one_line(after_ctx),
                l.applicability()
            );
            if l.after.is_some() {
                edits.push(row);
            } else {
                flags.push(row);
            }
        }
        // idempotence over the whole corpus
        assert_eq!(
            engine.pipeline.clean(run.output()),
            run.output(),
            "{rel}: clean(clean(x)) != clean(x)"
        );
    }
    let summary: Vec<String> = per_rule
        .iter()
        .map(|(r, n)| format!("{n:>5} {r}"))
        .collect();
    let report = format!(
        "# findings per rule\n{}\n\n# edits\n{}\n\n# flags\n{}\n",
        summary.join("\n"),
        edits.join("\n"),
        flags.join("\n")
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("corpus-findings", report));
}

#[test]
#[ignore = "needs the BBC news corpus (not redistributable): set REDLINE_CORPUS=path or put it at ../shared/corpus/bbc-news; run with cargo test -- --ignored"]
fn latin1_corpus_file_comes_out_as_utf8() {
    let bytes = fs::read(corpus_dir().join("sport/199.txt")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the file is Latin-1");
    let decoded = decode(&bytes, None).unwrap();
    assert_eq!(decoded.encoding, "windows-1252");
    assert!(decoded.text.contains('£'));
    let out = Engine::default_config().pipeline.clean(&decoded.text);
    assert!(out.contains('£'));
}
