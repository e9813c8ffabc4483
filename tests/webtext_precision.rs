//! The judged precision sample on scraped web text stays what was judged.
//!
//! `bench/precision.py` runs `redline check` over the web text, samples per rule
//! every finding or a seeded 60, and a person judged each sampled finding
//! (`bench/precision-judgements.tsv`); the sampled list with its verdicts is
//! `bench/precision-sample-web.tsv`. This test re-derives the sample with the
//! same seed and compares its findings with that list, so a change in what
//! redline reports on real web text shows up as a diff to judge again.
//!
//! The web text is not in the repository (the pages belong to their
//! publishers): `bench/webtext/SOURCES.md` says where it comes from and
//! `bench/webtext/extract.py` rebuilds it. Run with
//! `REDLINE_WEBTEXT=/path/to/web cargo test --test webtext_precision -- --ignored`;
//! without the variable (or with a wrong path) the test fails, it never passes
//! vacuously.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// Per rule, how many findings are read.
const SAMPLE: usize = 60;
/// The sample's seed (as in `bench/precision.py`).
const SEED: &str = "redline-issue-13";

fn webtext() -> PathBuf {
    let dir = std::env::var_os("REDLINE_WEBTEXT")
        .map(PathBuf::from)
        .expect(
        "REDLINE_WEBTEXT is not set: point it at the extracted web text (bench/webtext/SOURCES.md)",
    );
    assert!(
        dir.is_dir(),
        "REDLINE_WEBTEXT={} is not a folder: extract the web text first (bench/webtext/SOURCES.md)",
        dir.display()
    );
    dir
}

fn escape(field: &str) -> String {
    field
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[test]
#[ignore = "needs the web text (REDLINE_WEBTEXT, see bench/webtext/SOURCES.md)"]
fn judged_web_sample_is_unchanged() {
    let dir = webtext();
    let out = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["--no-config", "--quiet", "check", "--format", "json"])
        .arg(&dir)
        .output()
        .expect("run redline");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "redline check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Per rule, the keys (corpus, rule, document, offset, before, after).
    let mut by_rule: BTreeMap<String, Vec<[String; 6]>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = Path::new(v["path"].as_str().unwrap());
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let doc = path
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let rule = v["rule"].as_str().unwrap().to_string();
        let text = |k: &str| v[k].as_str().unwrap_or("").to_string();
        let key = [
            "web".to_string(),
            rule.clone(),
            doc,
            v["origin_start"].to_string(),
            text("before"),
            text("after"),
        ];
        by_rule.entry(rule).or_default().push(key);
    }
    let mut sampled = Vec::new();
    for keys in by_rule.values_mut() {
        keys.sort();
        keys.dedup();
        let mut hashed: Vec<(String, &[String; 6])> = keys
            .iter()
            .map(|k| {
                let h = Sha256::digest(format!("{SEED}{}", k.join("\t")).as_bytes());
                (format!("{h:x}"), k)
            })
            .collect();
        hashed.sort();
        sampled.extend(hashed.into_iter().take(SAMPLE).map(|(_, k)| k.clone()));
    }
    sampled.sort_by(|a, b| {
        (
            &a[0],
            &a[1],
            &a[2],
            a[3].parse::<u64>().unwrap(),
            &a[4],
            &a[5],
        )
            .cmp(&(
                &b[0],
                &b[1],
                &b[2],
                b[3].parse::<u64>().unwrap(),
                &b[4],
                &b[5],
            ))
    });
    let got: Vec<String> = sampled
        .iter()
        .map(|k| k.iter().map(|f| escape(f)).collect::<Vec<_>>().join("\t"))
        .collect();
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/precision-sample-web.tsv");
    let want: Vec<String> = std::fs::read_to_string(&list)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplit_once('\t').unwrap().0.to_string())
        .collect();
    let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    let new: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && new.is_empty(),
        "the sampled web findings changed: judge them again with `python3 bench/precision.py \
         --show` and regenerate {}.\nno longer found ({}):\n{}\nnew ({}):\n{}",
        list.display(),
        missing.len(),
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        new.len(),
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
