//! Property tests: generated text that mixes every trigger of every pass with
//! ordinary sentences, checked against the invariants redline promises whatever
//! the input:
//!
//! - no panic, and the output is valid UTF-8 (a `String`);
//! - `clean(clean(x)) == clean(x)`;
//! - every finding's span and every edit lies on character boundaries inside the
//!   text its pass looked at, and its line:column points into the original
//!   document at the place its original range starts;
//! - a change set with every default decision (safe fixes accepted) gives
//!   `clean`'s bytes, with every fix accepted under `--apply review` gives that
//!   run's bytes, and with every fix rejected the original;
//! - a document cleaned inside JSON Lines equals the same document cleaned as a
//!   file (through the command line).
//!
//! The same checks run over every peer case and, when asked (`--ignored`), over the
//! news corpus. The default case count keeps `cargo test` quick; for a long soak
//! set `REDLINE_PROPTEST_CASES` (see README, "Safety and faults"):
//!
//! ```sh
//! REDLINE_PROPTEST_CASES=1000000 cargo test --release --test properties -- --nocapture
//! ```

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use redline::changeset::{apply_accepted, fix_id};
use redline::config::Settings;
use redline::finding::Applicability;
use redline::render::locate;
use redline::Engine;

/// Cases per property: `REDLINE_PROPTEST_CASES`, else proptest's own
/// `PROPTEST_CASES`, else `default`.
fn cases(default: u32) -> u32 {
    ["REDLINE_PROPTEST_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|k| std::env::var(k).ok()?.trim().parse().ok())
        .unwrap_or(default)
}

fn config(default: u32) -> Config {
    Config {
        cases: cases(default),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// Every trigger of every pass, plus the things passes must leave alone.
const TRIGGERS: &[&str] = &[
    // punctuation
    ".",
    "..",
    "...",
    "....",
    ".. ",
    ",",
    ",,",
    ", ,",
    "?!",
    "!?",
    "!.",
    "?.",
    ";.",
    ":.",
    "3.14",
    "1,000",
    "e.g.",
    "U.S.",
    "…",
    "….",
    // every quotation mark and apostrophe
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "‚",
    "‹",
    "›",
    "““",
    "””",
    "”.",
    "”.”",
    "\".",
    ".\"",
    "?\".",
    "?'.",
    "« ",
    " »",
    "‘’",
    "’s",
    "don't",
    "rock ’n’ roll",
    // mojibake
    "â€™",
    "â€œ",
    "â€\u{9d}",
    "â€",
    "â€“",
    "â€”",
    "â€¦",
    "Ã©",
    "Ã¨",
    "Ã¼",
    "Ã\u{a0}",
    "Ã",
    "Â",
    "Â ",
    "Â£",
    "Ã¢â‚¬â„¢",
    "√©",
    "Ð¿Ñ€Ð¸Ð²ÐµÑ‚",
    "ï»¿",
    "\u{fffd}",
    // combining marks and normalisation
    "e\u{301}",
    "Cafe\u{301}",
    "\u{301}",
    "\u{308}\u{301}",
    "n\u{303}",
    "\u{212b}",
    "ﬁ",
    "한",
    "\u{1100}\u{1161}",
    // invisible characters
    "\u{200b}",
    "\u{feff}",
    "\u{ad}",
    "\u{200d}",
    "\u{200c}",
    "\u{2060}",
    "\u{a0}",
    "👩\u{200d}💻",
    "🇬🇧",
    // names map
    "Dimitri Peskov",
    "Dmitri Peskov",
    "Dmitriy Medvedev",
    "Sergey Lavrov",
    "Vladimir Zelenskiy",
    "Nagorno Karabakh",
    "Nagorno-Karabakh",
    "Aleksei Navalny",
    "Dimitri",
    "Peskov",
    // US spelling (off by default; with en-GB on)
    "color",
    "organize",
    "center",
    // URLs, paths, markup, entities
    "https://example.com/a..b?x=1,,2",
    "www.bbc.co.uk/news.",
    "C:\\dir\\file..txt",
    "./a/../b",
    "<a href=\"x\">",
    "</a>",
    "<p class='q'>",
    "&quot;",
    "&amp;",
    "&#8217;",
    "&rsquo;",
    // triggers split or joined by invisible characters, marks and line breaks
    "Dimitri\u{200b} Peskov",
    "Dimitri  Peskov",
    "Dimitri\u{a0}Peskov",
    "Dimitri\r\nPeskov",
    "Nagorno\u{ad}Karabakh",
    "Nagorno Karabakh\u{301}",
    "â€\u{200b}™",
    "Ã\u{301}",
    "..\u{200b}.",
    ".\u{ad}.",
    ",\u{200b},",
    "“\u{200b}“",
    "”\u{feff}”",
    "e\u{301}\u{301}",
    "\u{301}..",
    "ﬁ..",
    "”.\u{200b}",
    // line structure
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    "\t",
    "  ",
    " ",
];

/// Ordinary sentences between the triggers.
const SENTENCES: &[&str] = &[
    "The minister said the talks would continue next week.",
    "Kremlin spokesman Dimitri Peskov said it was over",
    "Fighting broke out in Nagorno Karabakh on Sunday",
    "He said: “We will not stop.”",
    "She didn’t know what to say",
    "Shares rose 3.5% in early trading",
    "‘It’s a good day,’ she said.",
    "«Bonjour», dit-il.",
    "„Guten Tag“, sagte er.",
    "It ended.. Then,, nothing",
    "He said he donâ€™t know",
    "CafÃ© society",
    "Zoë and Chloë met at the café",
    "Read more at https://www.bbc.co.uk/news/world-1234.",
    "Prices, however, fell",
    "",
    "The end",
    "Москва",
    "東京",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(TRIGGERS).prop_map(str::to_string),
        3 => proptest::sample::select(SENTENCES).prop_map(str::to_string),
        1 => "[a-zA-Z]{1,8}",
        1 => "[ .,;:!?\"'“”‘’«»„‚‹›\u{200b}\u{feff}\u{ad}\u{200d}\u{301}\u{a0}\r\nâ€™Ã©Â]{1,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            fragment(),
            proptest::sample::select(&["", " ", "", "\n", "\r\n"][..]),
        ),
        0..60,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(f, sep)| f + sep)
            .collect::<String>()
    })
}

fn engines() -> &'static (Engine, Engine) {
    static ENGINES: std::sync::OnceLock<(Engine, Engine)> = std::sync::OnceLock::new();
    ENGINES.get_or_init(|| {
        let review = Settings {
            apply: Some("review".into()),
            spelling: Some("en-GB".into()),
            ..Settings::default()
        };
        (
            Engine::default_config(),
            Engine::new(review).expect("the review configuration is valid"),
        )
    })
}

/// The same two engines without the pipeline's shortcuts: every line checked
/// in round 1 instead of only the lines the trigger scan finds (see
/// `redline::triggers`), and a document pass re-checked over the whole text
/// in a later round instead of only near the edits (`Pass::check_near`).
fn every_line_engines() -> &'static (Engine, Engine) {
    static ENGINES: std::sync::OnceLock<(Engine, Engine)> = std::sync::OnceLock::new();
    ENGINES.get_or_init(|| {
        let every_line = |engine: &Engine| {
            let settings = engine.settings.clone();
            let Engine {
                rules,
                pipeline,
                settings,
            } = Engine::new(settings).expect("valid settings");
            Engine {
                rules,
                pipeline: pipeline.check_every_line().check_whole_documents(),
                settings,
            }
        };
        let (default, review) = engines();
        (every_line(default), every_line(review))
    })
}

/// The shortcuts change nothing: same output and same findings (rule,
/// place, text, applied) as checking every line and whole documents. The
/// order may differ: a document pass re-checked near edits leaves its
/// findings elsewhere in the step that found them (`Pass::recheck_near`),
/// where a whole re-check reports them all again in a later step.
fn check_triggers(engine: &Engine, every_line: &Engine, text: &str) -> Result<(), String> {
    let (out, findings) = engine.clean_and_check(text);
    let (expected_out, expected) = every_line.clean_and_check(text);
    let sorted = |findings: &[redline::located::LocatedFinding]| {
        let mut all: Vec<String> = findings.iter().map(|f| format!("{f:?}")).collect();
        all.sort();
        all
    };
    if out != expected_out || sorted(&findings) != sorted(&expected) {
        return Err(format!(
            "the shortcuts (trigger scan, checks near edits) changed the result:\n  \
             input {text:?}\n  out   {out:?}\n  \
             every line {expected_out:?}\n  findings {findings:#?}\n  every line {expected:#?}"
        ));
    }
    Ok(())
}

/// 1-based line and column (characters) of `offset` in `text`, counted naively.
fn naive_line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Every library-level property for one document; `Err` names what broke.
fn check_document(text: &str) -> Result<(), String> {
    let (default, review) = engines();
    let (default_every, review_every) = every_line_engines();
    for (name, engine, every_line) in [
        ("default", default, default_every),
        ("review", review, review_every),
    ] {
        check_with(engine, text).map_err(|e| format!("[{name} settings] {e}"))?;
        check_triggers(engine, every_line, text).map_err(|e| format!("[{name} settings] {e}"))?;
    }
    Ok(())
}

fn check_with(engine: &Engine, text: &str) -> Result<(), String> {
    let pipeline = &engine.pipeline;
    let run = pipeline.run(text);
    let once = run.output().to_string();
    // idempotent
    let twice = pipeline.clean(&once);
    if twice != once {
        return Err(format!(
            "not idempotent:\n  input  {text:?}\n  once   {once:?}\n  twice  {twice:?}"
        ));
    }
    // the lean run used by `clean` gives the same bytes as the full record
    let lean = pipeline.clean(text);
    if lean != once {
        return Err(format!(
            "clean differs from run:\n  input {text:?}\n  run   {once:?}\n  clean {lean:?}"
        ));
    }
    // spans and edits on character boundaries inside their step's text
    for step in &run.steps {
        let input = run.input_of(step);
        for recorded in step.applied.iter().chain(&step.held).chain(&step.flags) {
            let f = &recorded.finding;
            let ok = |i: usize| i <= input.len() && input.is_char_boundary(i);
            if f.start > f.end || !ok(f.start) || !ok(f.end) {
                return Err(format!(
                    "{} span {}..{} not on char boundaries of its text {input:?} (input {text:?})",
                    f.rule, f.start, f.end
                ));
            }
            if let Some(fix) = &f.fix {
                let mut last = 0;
                for e in &fix.edits {
                    if e.start > e.end || e.start < last || !ok(e.start) || !ok(e.end) {
                        return Err(format!(
                            "{} edit {}..{} bad in {input:?} (input {text:?})",
                            f.rule, e.start, e.end
                        ));
                    }
                    last = e.end;
                }
            }
            for (what, r) in [("origin", &recorded.origin), ("span", &recorded.span)] {
                if r.start > r.end || !ok_in(text, r.start) || !ok_in(text, r.end) {
                    return Err(format!(
                        "{} {what} {r:?} not on char boundaries of the original {text:?}",
                        f.rule
                    ));
                }
            }
        }
    }
    // line:column points at the finding in the original
    for l in locate(&run) {
        let rec = run
            .steps
            .iter()
            .flat_map(|s| s.applied.iter().chain(&s.held).chain(&s.flags))
            .find(|r| std::ptr::eq(&r.finding, l.finding))
            .expect("a located finding is recorded");
        let at = rec.span.start.min(rec.origin.start);
        if (l.line, l.column) != naive_line_column(text, at) {
            return Err(format!(
                "{} at {}:{} but its original offset {at} is at {:?} in {text:?}",
                l.finding.rule,
                l.line,
                l.column,
                naive_line_column(text, at)
            ));
        }
        // a finding of the first step is about the original bytes themselves
        if l.step.input == 0 && text.get(l.origin.clone()) != Some(l.before) {
            return Err(format!(
                "{} origin {:?} is {:?} in the original, but the finding is about {:?}",
                l.finding.rule,
                l.origin,
                text.get(l.origin.clone()),
                l.before
            ));
        }
    }
    // change sets: the default decisions give `clean`, all rejected the original
    let threshold = if std::ptr::eq(engine, &engines().1) {
        Applicability::Review
    } else {
        Applicability::Safe
    };
    let accepted: HashSet<String> = locate(&run)
        .iter()
        .filter(|l| l.finding.fix.is_some() && l.applicability() >= threshold)
        .map(|l| fix_id(&l.finding.rule, &l.origin))
        .collect();
    let applied = apply_accepted(pipeline, text, &accepted);
    if applied.output() != once {
        return Err(format!(
            "accepting every fix differs from clean:\n  input   {text:?}\n  clean   {once:?}\n  applied {:?}\n  ids {accepted:?}",
            applied.output()
        ));
    }
    let rejected = apply_accepted(pipeline, text, &HashSet::new());
    if rejected.output() != text {
        return Err(format!(
            "rejecting every fix changed the text:\n  input {text:?}\n  got   {:?}",
            rejected.output()
        ));
    }
    Ok(())
}

fn ok_in(text: &str, i: usize) -> bool {
    i <= text.len() && text.is_char_boundary(i)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn generated_documents_keep_every_invariant(text in document()) {
        if let Err(e) = check_document(&text) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Arbitrary Unicode, not just the triggers: nothing panics, and the core
    /// invariants hold.
    #[test]
    fn arbitrary_text_keeps_every_invariant(text in "\\PC{0,80}|(\\PC|[\r\n\u{200b}\u{301}])*") {
        if let Err(e) = check_document(&text) {
            prop_assert!(false, "{}", e);
        }
    }
}

fn redline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir).arg("--no-config").arg("--quiet");
    cmd
}

/// Cleans `docs` as one JSON Lines file and as a folder of files through the
/// command line, and compares them document by document (and with the library).
fn check_jsonl_equals_files(docs: &[String]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let mut jsonl = String::new();
    for (i, doc) in docs.iter().enumerate() {
        fs::write(input.join(format!("{i:04}.txt")), doc).unwrap();
        jsonl.push_str(&serde_json::json!({ "id": i, "text": doc }).to_string());
        jsonl.push('\n');
    }
    fs::write(dir.path().join("docs.jsonl"), &jsonl).unwrap();
    let out = redline(dir.path())
        .args(["clean", "docs.jsonl", "-o", "clean.jsonl"])
        .output()
        .unwrap();
    if out.status.code() != Some(0) {
        return Err(format!(
            "clean --jsonl failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = redline(dir.path())
        .args(["clean", "in", "-o", "out"])
        .output()
        .unwrap();
    if out.status.code() != Some(0) {
        return Err(format!(
            "clean of the folder failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let cleaned = fs::read_to_string(dir.path().join("clean.jsonl")).unwrap();
    let lines: Vec<&str> = cleaned.lines().collect();
    if lines.len() != docs.len() {
        return Err(format!("{} documents in, {} out", docs.len(), lines.len()));
    }
    for (i, (doc, line)) in docs.iter().zip(lines).enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let in_jsonl = value["text"].as_str().unwrap_or_default();
        let as_file = fs::read(dir.path().join(format!("out/{i:04}.txt"))).unwrap();
        let as_file = String::from_utf8(as_file).map_err(|e| format!("not UTF-8: {e}"))?;
        let library = engines().0.pipeline.clean(doc);
        if doc.contains('\0') {
            // A file with a NUL byte is binary: a folder run copies it unchanged
            // (POLICY); inside JSON Lines `\u0000` is just text.
            if as_file != *doc || in_jsonl != library {
                return Err(format!(
                    "binary document {i} {doc:?}: as a file {as_file:?}, in JSON Lines {in_jsonl:?}"
                ));
            }
            continue;
        }
        if in_jsonl != as_file {
            return Err(format!(
                "document {i} {doc:?}:\n  in JSON Lines {in_jsonl:?}\n  as a file     {as_file:?}"
            ));
        }
        if as_file != library {
            return Err(format!(
                "document {i} {doc:?}:\n  as a file {as_file:?}\n  library   {library:?}"
            ));
        }
    }
    Ok(())
}

proptest! {
    // Each case runs the binary twice over 16 documents.
    #![proptest_config(config(8))]

    #[test]
    fn jsonl_documents_are_cleaned_like_files(
        docs in proptest::collection::vec(document(), 1..16)
    ) {
        if let Err(e) = check_jsonl_equals_files(&docs) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// The peer cases: in the repository once vendored, else beside it.
fn peer_case_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [
        root.join("tests/data/peer-cases"),
        root.join("../shared/peer-cases"),
    ] {
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        if !files.is_empty() {
            files.sort();
            return files;
        }
    }
    panic!(
        "no peer cases in tests/data/peer-cases or ../shared/peer-cases; \
         check out the shared data beside the repository"
    );
}

#[test]
fn every_peer_case_keeps_every_invariant() {
    let mut texts = Vec::new();
    for file in peer_case_files() {
        for (n, line) in fs::read_to_string(&file).unwrap().lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", file.display(), n + 1));
            for key in ["input", "expected"] {
                if let Some(s) = v[key].as_str() {
                    texts.push((format!("{}:{} {key}", file.display(), n + 1), s.to_string()));
                }
            }
        }
    }
    assert!(texts.len() > 400, "only {} peer texts", texts.len());
    let failures: Vec<String> = texts
        .iter()
        .filter_map(|(place, text)| check_document(text).err().map(|e| format!("{place}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // and all of them through JSON Lines and files, in batches
    let docs: Vec<String> = texts.into_iter().map(|(_, t)| t).collect();
    check_jsonl_equals_files(&docs).unwrap();
}

#[test]
#[ignore = "needs the news corpus (REDLINE_CORPUS, default ../shared/corpus/bbc-news)"]
fn every_corpus_article_keeps_every_invariant() {
    let dir = std::env::var_os("REDLINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc-news"));
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; this test needs the news corpus: set REDLINE_CORPUS to its folder \
                 or check out ../shared/corpus beside the repository",
                d.display()
            )
        });
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    assert!(
        !files.is_empty(),
        "{}: no .txt articles; set REDLINE_CORPUS to the news corpus folder",
        dir.display()
    );
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let bytes = fs::read(file).unwrap();
        let text = redline::io::decode::decode(&bytes, None)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
            .text;
        if let Err(e) = check_document(&text) {
            failures.push(format!("{}: {e}", file.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{} articles checked", files.len());
}

/// Paragraphs of generated text between empty lines (or other line breaks),
/// each starting with a word, a digit, a quotation mark, a tag, backticks,
/// a Markdown quote or a space, and ending with a stop, a mark or whatever
/// the fragments left, so that some places between them are safe cuts (see
/// `redline::chunks`) and others only look like one.
fn paragraphs() -> impl Strategy<Value = String> {
    // Listed several times: the places that make a safe cut.
    const STARTS: &[&str] = &[
        "Then ",
        "A ",
        "9 ",
        "e\u{301} ",
        "“",
        "\"",
        "‘",
        "« ",
        "<b>",
        "``",
        "> ",
        " ",
        "",
    ];
    const ENDS: &[&str] = &[" end.", "\"", " end.\"", "”", "", "‘"];
    const BREAKS: &[&str] = &["\n\n", "\n", "\n\n\n", "\r\n\r\n", " \n\n"];
    // Mostly the starts, ends and breaks that make a safe cut.
    let pick = |list: &'static [&'static str], cut: usize| {
        prop_oneof![
            4 => proptest::sample::select(&list[..cut]),
            1 => proptest::sample::select(list),
        ]
    };
    let body = proptest::collection::vec(
        (
            fragment(),
            proptest::sample::select(&["", " ", "", "\n", "\r\n"][..]),
        ),
        0..8,
    );
    proptest::collection::vec(
        (pick(STARTS, 4), body, pick(ENDS, 3), pick(BREAKS, 1)),
        0..16,
    )
    .prop_map(|parts| {
        let mut text = String::new();
        for (start, body, end, line_break) in parts {
            text.push_str(start);
            for (fragment, separator) in body {
                text.push_str(&fragment);
                text.push_str(separator);
            }
            text.push_str(end);
            text.push_str(line_break);
        }
        text
    })
}

/// The findings of lean runs that keep their place (flags and held fixes),
/// as (rule, start, end) in the whole text, and the count of each rule's
/// applied fixes and of the others.
type Places = Vec<(String, usize, usize)>;
type Counts = std::collections::BTreeMap<(String, bool), usize>;
fn lean_findings(runs: &[redline::pipeline::Run], starts: &[usize]) -> (Places, Counts) {
    let mut places = Vec::new();
    let mut counts = Counts::new();
    for (run, &start) in runs.iter().zip(starts) {
        for step in &run.steps {
            for r in step.flags.iter().chain(&step.held) {
                let (from, to) = (r.origin.start + start, r.origin.end + start);
                places.push((r.rule.to_string(), from, to));
            }
        }
        for (f, applied) in run.findings_applied() {
            *counts.entry((f.rule.to_string(), applied)).or_default() += 1;
        }
    }
    places.sort();
    (places, counts)
}

/// A text cleaned in chunks, cut at every safe cut and cleaned on three
/// threads, is the text cleaned whole: the same output, byte for byte, the
/// same flags and held fixes at the same places, the same count of applied
/// fixes per rule. With the US→UK map on (whose look-up reads the whole
/// text) nothing is cut. At least a third of the texts are cut (half, as
/// generated), so the
/// comparison is not an empty one.
#[test]
fn chunks_clean_as_the_whole_text() {
    use proptest::test_runner::TestRunner;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let cases = cases(512);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let (engine, en_gb) = engines();
    let cut = AtomicUsize::new(0);
    runner
        .run(&paragraphs(), |text| {
            let whole = engine.pipeline.run_lean(text.clone());
            let chunked = engine.pipeline.run_lean_in_chunks_of(text.clone(), 1, 3);
            if chunked.runs.len() > 1 {
                cut.fetch_add(1, Ordering::Relaxed);
            }
            prop_assert_eq!(whole.output(), chunked.output.as_str());
            prop_assert_eq!(whole.changed(), chunked.changed());
            prop_assert_eq!(
                lean_findings(std::slice::from_ref(&whole), &[0]),
                lean_findings(&chunked.runs, &chunked.starts)
            );
            let gb = en_gb.pipeline.run_lean_in_chunks_of(text.clone(), 1, 3);
            prop_assert_eq!(gb.runs.len(), 1);
            // The same text's bytes cleaned into a sink (a file from its
            // memory map): the pieces, in order, are the whole output, with
            // the same findings; a text it cannot cut is refused.
            let mut pieces = String::new();
            let streamed =
                engine
                    .pipeline
                    .clean_bytes_in_chunks_of(text.as_bytes(), 1, 3, &mut |piece| {
                        pieces.push_str(piece);
                        Ok(())
                    });
            match streamed {
                Ok(streamed) => {
                    prop_assert_eq!(&streamed.starts, &chunked.starts);
                    prop_assert_eq!(whole.output(), pieces.as_str());
                    prop_assert_eq!(whole.changed(), streamed.changed());
                    prop_assert_eq!(
                        lean_findings(std::slice::from_ref(&whole), &[0]),
                        lean_findings(&streamed.runs, &streamed.starts)
                    );
                }
                // (A NUL byte is binary data to a file's bytes.)
                Err(redline::chunks::StreamError::NotStreamed) => {
                    prop_assert!(chunked.runs.len() == 1 || text.contains('\0'))
                }
                Err(e) => prop_assert!(false, "{e:?}"),
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let cut = cut.into_inner();
    assert!(
        3 * cut >= cases as usize,
        "only {cut} of {cases} texts were cut"
    );
}
