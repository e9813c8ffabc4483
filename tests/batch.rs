//! Batch work end to end: folders, JSON Lines (plain, gzip, zstd, stdin), bad
//! lines, bad files, thread-count determinism, and `kill -9` during `--in-place`.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use redline::Engine;

mod common;
use common::{redline, redline_process};

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn tree(root: &Path) {
    fs::create_dir_all(root.join("a/deep")).unwrap();
    fs::write(root.join("a/one.txt"), "It ended.. Then,, more.\n").unwrap();
    fs::write(root.join("a/deep/two.txt"), "Dimitri Peskov spoke.\n").unwrap();
    fs::write(root.join("a/clean.txt"), "Nothing to fix.\n").unwrap();
    fs::write(root.join("a/.hidden.txt"), "hidden..\n").unwrap();
    fs::write(root.join("a/picture.png"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
}

#[test]
fn folder_is_mirrored_into_outdir_with_binaries_copied() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = dir.path().join("out");
    redline()
        .args(["clean", dir.path().join("a").to_str().unwrap(), "-o"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "picture.png: binary file, copied unchanged",
        ));
    assert_eq!(
        fs::read_to_string(out.join("one.txt")).unwrap(),
        "It ended. Then, more.\n"
    );
    assert_eq!(
        fs::read_to_string(out.join("deep/two.txt")).unwrap(),
        "Dmitry Peskov spoke.\n"
    );
    assert_eq!(
        fs::read(out.join("picture.png")).unwrap(),
        fs::read(dir.path().join("a/picture.png")).unwrap()
    );
    assert!(
        !out.join(".hidden.txt").exists(),
        "hidden files are skipped"
    );
    // the input is untouched
    assert_eq!(
        fs::read_to_string(dir.path().join("a/one.txt")).unwrap(),
        "It ended.. Then,, more.\n"
    );
}

#[test]
fn several_folders_get_their_own_names_under_outdir() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    fs::create_dir_all(dir.path().join("b")).unwrap();
    fs::write(dir.path().join("b/three.txt"), "Three..\n").unwrap();
    let out = dir.path().join("out");
    redline()
        .args(["clean", "--glob", "*.txt"])
        .arg(dir.path().join("a"))
        .arg(dir.path().join("b"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(out.join("b/three.txt")).unwrap(),
        "Three.\n"
    );
    assert!(out.join("a/deep/two.txt").exists());
    assert!(
        !out.join("a/picture.png").exists(),
        "--glob selected only .txt"
    );
}

#[test]
fn in_place_rewrites_changed_files_only() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let clean = dir.path().join("a/clean.txt");
    let before = fs::metadata(&clean).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    redline()
        .args(["clean", "--in-place"])
        .arg(dir.path().join("a"))
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("a/one.txt")).unwrap(),
        "It ended. Then, more.\n"
    );
    assert_eq!(fs::metadata(&clean).unwrap().modified().unwrap(), before);
    assert_eq!(
        fs::read_to_string(dir.path().join("a/.hidden.txt")).unwrap(),
        "hidden..\n"
    );
}

#[test]
fn check_on_a_folder_lists_files_in_order_and_binaries_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = redline()
        .args(["check"])
        .arg(dir.path().join("a"))
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let two = stdout.find("two.txt").unwrap();
    let one = stdout.find("one.txt").unwrap();
    assert!(two < one, "deep/two.txt sorts before one.txt:\n{stdout}");
}

#[test]
fn one_bad_file_is_listed_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let bad = dir.path().join("a/latin.txt");
    fs::write(&bad, b"caf\xe9..\n").unwrap();
    let out = dir.path().join("out");
    redline()
        .args(["clean", "--encoding", "utf-8"])
        .arg(dir.path().join("a"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("latin.txt:1:4: not valid UTF-8"));
    assert_eq!(
        fs::read_to_string(out.join("one.txt")).unwrap(),
        "It ended. Then, more.\n"
    );
    assert!(!out.join("latin.txt").exists());
}

#[test]
fn thread_count_never_changes_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("many");
    fs::create_dir_all(&root).unwrap();
    for i in 0..300 {
        fs::write(
            root.join(format!("f{i:03}.txt")),
            format!("Doc {i}.. Dimitri Peskov,, said “x”.\n"),
        )
        .unwrap();
    }
    let j1 = stdout_of(
        redline()
            .args(["check", "--format", "json", "-j", "1"])
            .arg(&root),
    );
    let j2 = stdout_of(
        redline()
            .args(["check", "--format", "json", "-j", "2"])
            .arg(&root),
    );
    assert!(j1.lines().count() >= 900, "{}", j1.lines().count());
    assert_eq!(j1, j2);

    // Over 3 MB, so that the stream is cut into several batches (1 MB each)
    // whose documents must still come out in order.
    let mut jsonl = String::new();
    let filler = "Plain words that need no change at all. ".repeat(4);
    for i in 0..20000 {
        jsonl.push_str(&format!(
            "{{\"id\":{i},\"text\":\"Doc {i}.. Dimitri Peskov. {filler}\"}}\n"
        ));
    }
    assert!(jsonl.len() > 3 << 20, "{}", jsonl.len());
    let run = |j: &str| {
        stdout_of(
            redline()
                .args(["clean", "--jsonl", "-j", j, "-"])
                .write_stdin(jsonl.clone()),
        )
    };
    let (a, b, c) = (run("1"), run("2"), run("8"));
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.lines().count(), 20000);
    for (i, line) in a.lines().enumerate() {
        assert!(
            line.starts_with(&format!("{{\"id\":{i},\"text\":\"Doc {i}. Dmitry Peskov. ")),
            "line {i}: {line}"
        );
    }
}

const JSONL: &str = concat!(
    "{\"id\": \"a\", \"text\": \"It ended.. Then\", \"n\": 1.50e3, \"z\": \"\\u00e9\"}\n",
    "not json at all\n",
    "{\"id\": \"b\", \"body\": \"no text field\"}\n",
    "{\"text\": \"clean\", \"id\": \"c\"}\r\n",
    "{\"id\": \"d\", \"meta\": {\"body\": \"x\"}, \"text\": \"Dimitri Peskov\"}"
);

#[test]
fn jsonl_cleans_only_the_field_and_keeps_everything_else() {
    let out = redline()
        .args(["clean", "--jsonl", "-"])
        .write_stdin(JSONL)
        .assert()
        .success()
        .stderr(predicate::str::contains("-:2: not valid JSON"))
        .stderr(predicate::str::contains("-:3: has no field `text`"));
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let expected = JSONL
        .replace("It ended.. Then", "It ended. Then")
        .replace("Dimitri Peskov", "Dmitry Peskov");
    assert_eq!(stdout, expected);
}

#[test]
fn jsonl_nested_field_and_id_field_in_reports() {
    let input = "{\"id\": 7, \"meta\": {\"body\": \"Yes..\"}}\n";
    redline()
        .args(["clean", "--jsonl", "--field", "meta.body", "-"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout("{\"id\": 7, \"meta\": {\"body\": \"Yes.\"}}\n");
    let out = redline()
        .args([
            "check",
            "--jsonl",
            "--field",
            "meta.body",
            "--id-field",
            "id",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("-#1[7]:1:4: punct.double-period"),
        "{stdout}"
    );
    let out = redline()
        .args([
            "check",
            "--jsonl",
            "--field",
            "meta.body",
            "--id-field",
            "id",
            "--format",
            "json",
            "--statistics",
            "-",
        ])
        .write_stdin(input)
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["document_line"], 1);
    assert_eq!(first["document_id"], "7");
    let last: serde_json::Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(last["summary"]["documents"], 1);
    assert_eq!(
        last["summary"]["rules"]["punct.double-period"]["findings"],
        1
    );
}

fn compress(path: &Path, data: &[u8]) {
    let file = fs::File::create(path).unwrap();
    let mut w = redline::io::jsonl::Compressed::for_path(path, file).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap();
}

fn decompress(path: &Path) -> String {
    let mut s = String::new();
    redline::io::jsonl::open_reader(path.to_str().unwrap())
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn jsonl_gz_and_zst_in_place_and_to_output() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{\"text\": \"One.. Two,, three\"}\n".repeat(100);
    let want = "{\"text\": \"One. Two, three\"}\n".repeat(100);
    for ext in ["jsonl", "jsonl.gz", "jsonl.zst"] {
        let path = dir.path().join(format!("in.{ext}"));
        compress(&path, body.as_bytes());
        let out = dir.path().join(format!("out.{ext}"));
        // recognised by extension, no --jsonl needed
        redline()
            .args(["clean", path.to_str().unwrap(), "-o", out.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(decompress(&out), want, "{ext}");
        let raw = fs::read(&out).unwrap();
        match ext {
            "jsonl.gz" => assert_eq!(&raw[..2], &[0x1f, 0x8b]),
            "jsonl.zst" => assert_eq!(&raw[..4], &[0x28, 0xb5, 0x2f, 0xfd]),
            _ => assert_eq!(raw, want.as_bytes()),
        }
        redline()
            .args(["clean", "--in-place", path.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(decompress(&path), want, "{ext} in place");
    }
}

#[test]
fn jsonl_in_place_with_backup_keeps_the_original_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.jsonl.gz");
    compress(&path, b"{\"id\": 1, \"text\": \"Held.. Here\"}\n");
    let original = fs::read(&path).unwrap();
    redline()
        .args(["clean", "--in-place", "--backup", ".orig"])
        .arg(&path)
        .assert()
        .success();
    assert_eq!(decompress(&path), "{\"id\": 1, \"text\": \"Held. Here\"}\n");
    // the backup is the compressed original, byte for byte
    assert_eq!(
        fs::read(dir.path().join("corpus.jsonl.gz.orig")).unwrap(),
        original
    );
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["corpus.jsonl.gz", "corpus.jsonl.gz.orig"],
        "no temporary file left"
    );
}

#[test]
fn output_to_dev_null_is_written_straight() {
    redline()
        .args(["clean", "-", "-o", "/dev/null"])
        .write_stdin("x..")
        .assert()
        .success();
    redline()
        .args(["clean", "--jsonl", "-", "-o", "/dev/null"])
        .write_stdin("{\"text\":\"x..\"}\n")
        .assert()
        .success();
}

#[test]
fn statistics_report_rules_and_totals() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    redline()
        .args(["clean", "--statistics", "--in-place"])
        .arg(dir.path().join("a"))
        .assert()
        .success()
        .stderr(predicate::str::is_match(r"punct\.double-period\s+1\s+1\s+0\s+1").unwrap())
        .stderr(predicate::str::contains(
            "3 documents (2 changed, 0 failed)",
        ));
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    out.sort();
    out
}

/// Kills a real `--in-place` run part-way (SIGKILL) and checks that every file
/// holds either its old or its new content, then that a re-run finishes the job.
#[cfg(unix)]
#[test]
fn kill_9_during_in_place_leaves_every_file_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    fs::create_dir_all(&root).unwrap();
    let engine = Engine::default_config();
    let paragraph = "Kremlin spokesman Dimitri Peskov said it ended.. Then,, nothing!. “Fine.”.\n";
    let mut originals = Vec::new();
    for i in 0..3000 {
        let text = format!("Article {i}\n{}", paragraph.repeat(40 + i % 7));
        let path = root.join(format!("{i:05}.txt"));
        fs::write(&path, &text).unwrap();
        let cleaned = engine.pipeline.clean(&text);
        assert_ne!(cleaned, text);
        originals.push((path, text, cleaned));
    }
    let mut child = redline_process()
        .args(["clean", "--in-place", "-j", "1", "--quiet"])
        .arg(&root)
        .spawn()
        .unwrap();
    // Wait until the run has rewritten at least one file, then kill it.
    let started = Instant::now();
    loop {
        let done = originals
            .iter()
            .take(50)
            .any(|(p, _, new)| fs::read_to_string(p).is_ok_and(|t| &t == new));
        if done || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let mut old = 0;
    let mut new = 0;
    for (path, text, cleaned) in &originals {
        let now = fs::read_to_string(path).unwrap();
        if &now == text {
            old += 1;
        } else if &now == cleaned {
            new += 1;
        } else {
            panic!("{} is neither old nor new content", path.display());
        }
    }
    assert!(new > 0, "the run was killed before it wrote anything");
    assert!(
        old > 0,
        "the run finished before it was killed; make the corpus larger"
    );
    assert_eq!(
        files_under(&root).len(),
        originals.len(),
        "no stray visible files"
    );

    // A re-run finishes the job (cleaning is idempotent).
    redline()
        .args(["clean", "--in-place", "--quiet"])
        .arg(&root)
        .assert()
        .success();
    for (path, _, cleaned) in &originals {
        assert_eq!(&fs::read_to_string(path).unwrap(), cleaned);
    }
}

/// A JSON Lines document longer than a read batch (1 MB) used to hang the reader;
/// documents of several MB, one per line and several in a row, each come out as
/// the same document cleaned as a file. A process timeout turns a regression into
/// a failure instead of a hang.
#[test]
fn jsonl_documents_longer_than_a_batch_are_cleaned_whole() {
    let dir = tempfile::tempdir().unwrap();
    let sentence = "Plain words.. Dimitri Peskov said “yes”. Then,, caf\u{e9} ";
    let docs: Vec<String> = vec![
        // several MB of paragraphs
        (0..40_000)
            .map(|i| format!("{sentence}{i}\n"))
            .collect::<String>(),
        "A short one.. between.".to_string(),
        // one line of over 1 MB, then two of them in a row
        sentence.repeat(24_000),
        sentence.repeat(20_000),
        "x".repeat(1_100_000),
    ];
    assert!(docs[0].len() > 2 << 20 && docs[2].len() > 1 << 20 && docs[3].len() > 1 << 20);
    let mut jsonl = String::new();
    for (i, text) in docs.iter().enumerate() {
        jsonl.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        jsonl.push('\n');
    }
    let input = dir.path().join("big.jsonl");
    let output = dir.path().join("out.jsonl");
    fs::write(&input, &jsonl).unwrap();
    redline()
        .args(["--quiet", "clean", "--jsonl"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .timeout(Duration::from_secs(300))
        .assert()
        .success();
    let out = fs::read_to_string(&output).unwrap();
    assert_eq!(out.lines().count(), docs.len());
    for (i, (line, text)) in out.lines().zip(&docs).enumerate() {
        let file = dir.path().join(format!("doc{i}.txt"));
        fs::write(&file, text).unwrap();
        let as_file = redline()
            .args(["--quiet", "clean"])
            .arg(&file)
            .timeout(Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(as_file.status.success());
        let cleaned: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(cleaned["id"], i);
        assert!(
            cleaned["text"].as_str().unwrap() == String::from_utf8(as_file.stdout).unwrap(),
            "document {i} differs from the same text cleaned as a file"
        );
    }
}

/// A file big enough to be cleaned in chunks (over 4 MiB, see
/// `redline::chunks`) is cleaned as the whole text is: the same bytes at
/// `-j 1` and `-j 3`, to a file and to standard output, as the library's
/// run over the whole text, and the same summary of what is left for
/// review. Its paragraphs hold what reaches across lines: quotations left
/// open or carried into the next paragraph, tags over lines, a paragraph
/// starting with a quotation mark, mojibake and names.
#[test]
fn a_big_file_cleaned_in_chunks_is_cleaned_as_the_whole_text() {
    let dir = tempfile::tempdir().unwrap();
    let paragraphs = [
        "He said: “We will not stop.. Ever.\n\n",
        "“And we go on,” he said.\n\n",
        "Kremlin spokesman Dimitri Peskov said itâ€™s over,, for now.\n\n",
        "It ended “Karabakh.”. Then nothing\n",
        "A second line of the same paragraph, still “open\n\n",
        "CafÃ© society in Nagorno Karabakh\u{200b}.\n\n",
    ];
    // Rarer (no cut follows them closely): what reads ahead over lines.
    let markup = [
        "She wrote <a href=\"x\n\ny\">a link</a> and left.\n\n",
        "9 people left. ``Old wire copy'' follows.\n\n",
    ];
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < 5 << 20 {
        // A varying order, so that every kind of paragraph meets every other.
        i = (i * 7 + 3) % 1009;
        text.push_str(paragraphs[i % paragraphs.len()]);
        if i % 400 == 0 {
            text.push_str(markup[i % 2]);
        }
    }
    // The text is cut into chunks (as `clean` cuts it on several threads).
    let engine = Engine::default_config();
    let chunked = engine
        .pipeline
        .run_lean_in_chunks_of(text.clone(), 1 << 20, 3);
    assert!(chunked.runs.len() > 2, "{:?}", chunked.starts);
    let whole = engine.pipeline.run_lean(text.clone());
    let input = dir.path().join("big.txt");
    fs::write(&input, &text).unwrap();
    let clean = |j: &str, out: &str| {
        let output = redline()
            .args(["clean", "-j", j])
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(output.status.success());
        (
            fs::read(dir.path().join(out)).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (one, one_summary) = clean("1", "one.txt");
    let (three, three_summary) = clean("3", "three.txt");
    assert!(one != text.as_bytes(), "nothing was fixed");
    assert!(
        one == whole.output().as_bytes(),
        "-j 1 differs from the whole text's"
    );
    assert!(one == three, "-j 3 differs from -j 1");
    assert!(one_summary.contains("left for review"), "{one_summary}");
    assert_eq!(one_summary, three_summary);
    let to_stdout = redline()
        .args(["clean", "-j", "2"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(to_stdout.stdout == one, "standard output differs");
    // Into a file the text was cleaned from a memory map (see
    // `src/cli/stream.rs`); read into memory instead, the same bytes.
    let read = redline()
        .args(["clean", "--no-mmap", "-j", "2"])
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("read.txt"))
        .output()
        .unwrap();
    assert!(read.status.success());
    assert!(fs::read(dir.path().join("read.txt")).unwrap() == one);
    assert_eq!(String::from_utf8(read.stderr).unwrap(), one_summary);
    // In place, with a backup of the original.
    let in_place = dir.path().join("in-place.txt");
    fs::write(&in_place, &text).unwrap();
    redline()
        .args([
            "--quiet",
            "clean",
            "-j",
            "2",
            "--in-place",
            "--backup",
            ".orig",
        ])
        .arg(&in_place)
        .assert()
        .success();
    assert!(fs::read(&in_place).unwrap() == one);
    assert!(fs::read(dir.path().join("in-place.txt.orig")).unwrap() == text.as_bytes());
}

/// A big file that a memory map cannot clean as it stands is read and
/// decoded as before: not UTF-8 (decoded in a detected legacy encoding,
/// with the same output as `--no-mmap`), a NUL byte in the middle (refused as binary,
/// nothing written, no temporary file left), a byte-order mark. A big file
/// with nothing to fix is not rewritten in place (the same inode).
#[test]
fn a_big_file_the_map_cannot_clean_is_read_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let para = "He said.. it ended, “Karabakh.”. Then nothing.\n\nAnother paragraph here.\n\n";
    let base = para.repeat((5 << 20) / para.len()).into_bytes();
    let middle = base.len() / 2 - (base.len() / 2) % para.len();
    let mut legacy = base.clone();
    legacy.splice(
        middle..middle,
        b"Caf\xe9 \x93quoted\x94.\n\n".iter().copied(),
    );
    let mut binary = base.clone();
    binary.splice(middle..middle, b"nul\0".iter().copied());
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&base);
    for (name, bytes) in [("legacy", &legacy), ("binary", &binary), ("bom", &bom)] {
        let input = dir.path().join(format!("{name}.txt"));
        fs::write(&input, bytes).unwrap();
        let run = |flag: Option<&str>, out: &str| {
            let mut cmd = redline();
            cmd.args(["clean", "-j", "2"]);
            cmd.args(flag);
            let output = cmd
                .arg(&input)
                .arg("-o")
                .arg(dir.path().join(out))
                .output()
                .unwrap();
            (
                output.status.code(),
                String::from_utf8(output.stderr)
                    .unwrap()
                    .replace(out, "OUT"),
                fs::read(dir.path().join(out)).ok(),
            )
        };
        let mapped = run(None, &format!("{name}-mapped.out"));
        let read = run(Some("--no-mmap"), &format!("{name}-read.out"));
        assert_eq!(mapped, read, "{name}");
        match name {
            "binary" => {
                assert_eq!(mapped.0, Some(2), "{name}: {}", mapped.1);
                assert!(mapped.1.contains("binary file"), "{}", mapped.1);
                assert!(mapped.2.is_none());
            }
            _ => {
                assert_eq!(mapped.0, Some(0), "{name}: {}", mapped.1);
                let out = String::from_utf8(mapped.2.unwrap()).unwrap();
                assert!(out.contains("Then nothing.\n") && !out.contains(".”."));
                // Decoded, not taken as UTF-8 (windows-1251 is detected
                // for this mix).
                if name == "legacy" {
                    assert!(out.contains("Caf") && !out.contains("Caf\u{fffd}"));
                }
            }
        }
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Nothing to fix: --in-place leaves the file where it is.
    let clean = dir.path().join("clean.txt");
    fs::write(
        &clean,
        "Nothing to fix here.\n\nNor here.\n\n".repeat(300_000),
    )
    .unwrap();
    #[cfg(unix)]
    let inode = || std::os::unix::fs::MetadataExt::ino(&fs::metadata(&clean).unwrap());
    #[cfg(unix)]
    let before = inode();
    redline()
        .args(["--quiet", "clean", "--in-place"])
        .arg(&clean)
        .assert()
        .success();
    #[cfg(unix)]
    assert_eq!(inode(), before, "rewritten though unchanged");
}
