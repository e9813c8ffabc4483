//! Change sets and patches, round trip: diff JSON → edit decisions → apply, and
//! diff --patch → git apply / patch -p1. Everything accepted gives the bytes of
//! `redline clean`; everything rejected gives the original bytes.

use std::fs;
use std::path::Path;
use std::process::Command as Std;

use predicates::prelude::*;

mod common;
use common::redline_in as redline;

const TEXT: &str = "Kremlin spokesman Dimitri Peskov said it ended.. Then,, \u{200B}nothing.\n\
Nagorno Karabakh was calm. Dimitri Peskov left.\n";

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    let cleaned = redline(dir.path())
        .args(["clean", "a.txt"])
        .output()
        .unwrap()
        .stdout;
    let cleaned = String::from_utf8(cleaned).unwrap();
    assert_ne!(cleaned, TEXT);
    (dir, cleaned)
}

fn change_set(dir: &Path) -> Vec<serde_json::Value> {
    let out = redline(dir)
        .args(["diff", "--format", "json", "a.txt"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Sets `decision` on every line `pick` selects, writes the change set and
/// runs `redline apply` on it, which must succeed.
fn decide_and_apply(
    dir: &Path,
    mut lines: Vec<serde_json::Value>,
    pick: impl Fn(&serde_json::Value) -> bool,
    decision: &str,
) {
    for v in &mut lines {
        if pick(v) {
            v["decision"] = decision.into();
        }
    }
    write_set(dir, &lines);
    redline(dir)
        .args(["apply", "changes.jsonl"])
        .assert()
        .success();
}

fn write_set(dir: &Path, lines: &[serde_json::Value]) {
    let text: String = lines.iter().map(|v| format!("{v}\n")).collect();
    fs::write(dir.join("changes.jsonl"), text).unwrap();
}

#[test]
fn change_set_lines_carry_id_decision_and_hash() {
    let (dir, _) = setup();
    let lines = change_set(dir.path());
    assert!(lines.len() >= 5, "{lines:?}");
    for v in &lines {
        let id = v["id"].as_str().unwrap();
        assert!(id.starts_with(v["rule"].as_str().unwrap()), "{id}");
        assert!(v["hash"].as_str().unwrap().starts_with("sha256:"));
        let expected = match v["applicability"].as_str().unwrap() {
            "safe" => "accept",
            "review" => "pending",
            _ => "flag",
        };
        assert_eq!(v["decision"], expected);
    }
}

#[test]
fn all_accepted_equals_clean_and_all_rejected_is_the_original() {
    let (dir, cleaned) = setup();
    let lines = change_set(dir.path());
    write_set(dir.path(), &lines);
    redline(dir.path())
        .args(["apply", "changes.jsonl"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        cleaned
    );

    let (dir, _) = setup();
    let lines = change_set(dir.path());
    decide_and_apply(dir.path(), lines, |v| v["decision"] == "accept", "reject");
    assert_eq!(fs::read(dir.path().join("a.txt")).unwrap(), TEXT.as_bytes());
}

#[test]
fn rejecting_one_rule_keeps_every_other_fix() {
    let (dir, cleaned) = setup();
    let lines = change_set(dir.path());
    decide_and_apply(
        dir.path(),
        lines,
        |v| v["rule"] == "variants.name",
        "reject",
    );
    let got = fs::read_to_string(dir.path().join("a.txt")).unwrap();
    let want = cleaned
        .replace("Dmitry Peskov", "Dimitri Peskov")
        .replace("Nagorno-Karabakh", "Nagorno Karabakh");
    assert_eq!(got, want);
}

#[test]
fn stale_document_is_refused_and_untouched() {
    let (dir, _) = setup();
    let lines = change_set(dir.path());
    write_set(dir.path(), &lines);
    let edited = format!("{TEXT}An added line..\n");
    fs::write(dir.path().join("a.txt"), &edited).unwrap();
    redline(dir.path())
        .args(["apply", "changes.jsonl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a.txt: changed since the change set was made",
        ));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        edited
    );
}

#[test]
fn patch_applies_with_git_apply_and_patch_p1() {
    let (dir, cleaned) = setup();
    let d = dir.path();
    let patch = redline(d)
        .args(["diff", "--patch", "a.txt"])
        .output()
        .unwrap()
        .stdout;
    assert!(String::from_utf8_lossy(&patch).starts_with("--- a/a.txt\n+++ b/a.txt\n"));
    fs::write(d.join("fix.patch"), &patch).unwrap();
    let git = |args: &[&str]| {
        let st = Std::new("git").current_dir(d).args(args).status().unwrap();
        assert!(st.success(), "git {args:?}");
    };
    git(&["init", "-q", "."]);
    git(&["apply", "fix.patch"]);
    assert_eq!(fs::read_to_string(d.join("a.txt")).unwrap(), cleaned);

    fs::write(d.join("a.txt"), TEXT).unwrap();
    let st = Std::new("patch")
        .current_dir(d)
        .args(["-p1", "-i", "fix.patch"])
        .status()
        .expect("`patch` must be installed for this test");
    assert!(st.success());
    assert_eq!(fs::read_to_string(d.join("a.txt")).unwrap(), cleaned);
}

#[test]
fn apply_patch_prints_the_accepted_fixes_only() {
    let (dir, _) = setup();
    let mut lines = change_set(dir.path());
    for v in &mut lines {
        if v["rule"] != "variants.name" && v["decision"] == "accept" {
            v["decision"] = "reject".into();
        }
    }
    write_set(dir.path(), &lines);
    let out = redline(dir.path())
        .args(["apply", "--patch", "changes.jsonl"])
        .output()
        .unwrap();
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(
        patch.contains("+Kremlin spokesman Dmitry Peskov said it ended.. Then,, \u{200B}nothing."),
        "{patch}"
    );
    // --patch writes nothing
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), TEXT);
}

#[test]
fn jsonl_change_sets_apply_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let corpus = "{\"id\":1,\"text\":\"Dimitri Peskov spoke..\"}\n{\"id\":2,\"text\":\"Nagorno Karabakh\"}\n";
    fs::write(d.join("c.jsonl"), corpus).unwrap();
    let out = redline(d)
        .args(["diff", "--format", "json", "c.jsonl"])
        .output()
        .unwrap();
    let mut lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for v in &mut lines {
        if v["document_line"] == 2 {
            v["decision"] = "reject".into();
        }
    }
    write_set(d, &lines);
    redline(d)
        .args(["apply", "changes.jsonl"])
        .assert()
        .success();
    let got = fs::read_to_string(d.join("c.jsonl")).unwrap();
    assert!(
        got.starts_with("{\"id\":1,\"text\":\"Dmitry Peskov spoke"),
        "{got}"
    );
    assert!(
        got.ends_with("{\"id\":2,\"text\":\"Nagorno Karabakh\"}\n"),
        "{got}"
    );
}
