//! Decodes real files: every article of the BBC corpus (all UTF-8 but one
//! ISO-8859-1 file with a bare `0xA3` pound sign, `sport/199.txt`).
//!
//! The corpus is not part of the repository (its licence allows short quotations
//! only), so the test is `#[ignore]`d: run it with `cargo test -- --ignored`. It
//! reads `$REDLINE_CORPUS`, else `../shared/corpus/bbc-news` beside the
//! repository; asked to run without the corpus, it fails (it never passes
//! unchecked).

use std::path::{Path, PathBuf};

use redline::io::decode::decode;

mod common;
use common::corpus_dir;

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "needs the BBC news corpus (not redistributable): set REDLINE_CORPUS=path or put it at ../shared/corpus/bbc-news; run with cargo test -- --ignored"]
fn bbc_corpus_decodes_with_one_latin1_file() {
    let dir = corpus_dir();
    let mut files = Vec::new();
    text_files(&dir, &mut files);
    assert!(
        files.len() > 2000,
        "only {} files in {}",
        files.len(),
        dir.display()
    );
    let mut legacy = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let d = decode(&bytes, None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(!d.had_bom, "{}", path.display());
        assert!(!d.text.contains('\u{FFFD}'), "{}", path.display());
        if d.detected {
            legacy.push((path.clone(), d));
        } else {
            assert_eq!(d.encoding, "UTF-8", "{}", path.display());
            assert_eq!(d.text.as_bytes(), &bytes[..], "UTF-8 is not altered");
        }
    }
    assert_eq!(legacy.len(), 1, "{legacy:?}");
    let (path, d) = &legacy[0];
    assert!(path.ends_with("sport/199.txt"), "{}", path.display());
    assert_eq!(d.encoding, "windows-1252");
    assert!(d.text.contains('£') && !d.text.contains('Ł'), "{}", d.text);
    // Every byte but the pound sign is ASCII and survives as is.
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(d.text.chars().count(), bytes.len());
    // Forcing UTF-8 on it fails with a position the user can find.
    let e = decode(&bytes, Some("utf-8")).unwrap_err().to_string();
    assert!(
        e.starts_with("5:") && e.contains(": not valid UTF-8"),
        "{e}"
    );
}
