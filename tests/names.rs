//! `redline names` end to end: scanning a folder, the names map it writes, and
//! cleaning with that map instead of the built-in one.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn redline() -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.arg("--no-config");
    cmd
}

/// A small corpus: the majority writes `Dmitry Peskov`, `Moammar Gadhafi` (AP's
/// form, which the built-in map would rewrite) and `Nagorno-Karabakh`.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let docs = [
        (
            "a.txt",
            "Kremlin spokesman Dmitry Peskov said so. Moammar Gadhafi spoke.\n",
        ),
        (
            "b.txt",
            "Dmitry Peskov again, and Moammar Gadhafi again in Nagorno-Karabakh.\n",
        ),
        (
            "c.txt",
            "Dimitri Peskov denied it.\nMuammar Qaddafi too, in Nagorno Karabakh.\n",
        ),
        ("d.txt", "Nagorno-Karabakh is calm. Dimitri Payet scored.\n"),
    ];
    for (name, text) in docs {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn names_toml(dir: &Path) -> PathBuf {
    let out = dir.join("names.toml");
    redline()
        .args(["names", "--format", "toml", "-o"])
        .arg(&out)
        .arg(dir)
        .assert()
        .success();
    out
}

#[test]
fn scan_write_the_map_and_clean_with_it() {
    let dir = corpus();
    let map = names_toml(dir.path());
    let text = fs::read_to_string(&map).unwrap();
    assert!(
        text.contains("\"Dimitri Peskov\" = \"Dmitry Peskov\""),
        "{text}"
    );
    assert!(
        text.contains("\"Muammar Qaddafi\" = \"Moammar Gadhafi\""),
        "{text}"
    );
    assert!(
        text.contains("\"Nagorno Karabakh\" = \"Nagorno-Karabakh\""),
        "{text}"
    );
    assert!(!text.contains("Payet"), "{text}");
    assert!(text.contains("(built-in map: Muammar Gaddafi)"), "{text}");

    let c = dir.path().join("c.txt");
    redline()
        .args(["clean", "--names"])
        .arg(&map)
        .arg(&c)
        .assert()
        .success()
        .stdout("Dmitry Peskov denied it.\nMoammar Gadhafi too, in Nagorno-Karabakh.\n");
    // The corpus's own form is kept: the built-in map is not used.
    let a = dir.path().join("a.txt");
    redline()
        .args(["clean", "--names"])
        .arg(&map)
        .arg(&a)
        .assert()
        .success()
        .stdout("Kremlin spokesman Dmitry Peskov said so. Moammar Gadhafi spoke.\n");
    // Cleaning twice changes nothing more.
    let once = redline()
        .args(["clean", "--names"])
        .arg(&map)
        .arg(&c)
        .output()
        .unwrap()
        .stdout;
    redline()
        .args(["clean", "--names"])
        .arg(&map)
        .arg("-")
        .write_stdin(once.clone())
        .assert()
        .success()
        .stdout(once);
}

#[test]
fn builtin_is_the_default_and_none_switches_names_off() {
    let dir = corpus();
    let a = dir.path().join("a.txt");
    let builtin = "Kremlin spokesman Dmitry Peskov said so. Muammar Gaddafi spoke.\n";
    redline()
        .arg("clean")
        .arg(&a)
        .assert()
        .success()
        .stdout(builtin);
    redline()
        .args(["clean", "--names", "builtin"])
        .arg(&a)
        .assert()
        .success()
        .stdout(builtin);
    let c = dir.path().join("c.txt");
    redline()
        .args(["clean", "--names", "none"])
        .arg(&c)
        .assert()
        .success()
        .stdout(fs::read_to_string(&c).unwrap());
}

#[test]
fn names_in_redline_toml_is_relative_to_it() {
    let dir = corpus();
    let map = names_toml(dir.path());
    let conf = tempfile::tempdir().unwrap();
    fs::copy(&map, conf.path().join("ours.toml")).unwrap();
    fs::write(conf.path().join("redline.toml"), "names = \"ours.toml\"\n").unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .current_dir(conf.path())
        .arg("clean")
        .arg(dir.path().join("c.txt"))
        .assert()
        .success()
        .stdout("Dmitry Peskov denied it.\nMoammar Gadhafi too, in Nagorno-Karabakh.\n");
}

#[test]
fn diff_and_check_show_the_map_fixes_like_any_other() {
    let dir = corpus();
    let map = names_toml(dir.path());
    let c = dir.path().join("c.txt");
    redline()
        .args(["diff", "--color", "never", "--names"])
        .arg(&map)
        .arg(&c)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "pass variants: 3 fixes (variants.name ×3)",
        ))
        .stdout(predicate::str::contains("[-Dimitri-] Peskov denied it."))
        .stdout(predicate::str::contains("{+Dmitry+} Peskov denied it."));
    let json = redline()
        .args(["diff", "--format", "json", "--names"])
        .arg(&map)
        .arg(&c)
        .output()
        .unwrap()
        .stdout;
    let lines: Vec<serde_json::Value> = String::from_utf8(json)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fixes: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["rule"].as_str().unwrap(), l["after"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fixes,
        [
            ("variants.name", "Dmitry Peskov"),
            ("variants.name", "Moammar Gadhafi"),
            ("variants.name", "Nagorno-Karabakh")
        ]
    );
}

#[test]
fn json_text_and_jsonl_input() {
    let dir = corpus();
    let out = redline()
        .args(["names", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let clusters: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let peskov = clusters
        .iter()
        .find(|c| c["canonical"] == "Dmitry Peskov")
        .expect("a Peskov cluster");
    assert_eq!(peskov["documents_to_change"], 1);
    assert_eq!(peskov["forms"][0]["count"], 2);
    assert_eq!(peskov["forms"][0]["documents"], 2);
    assert_eq!(peskov["forms"][1]["form"], "Dimitri Peskov");
    assert_eq!(peskov["forms"][1]["context"], "Dimitri Peskov denied it.");

    redline()
        .arg("names")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Dmitry Peskov: 1 of 3 documents would change",
        ))
        .stdout(predicate::str::contains("Dimitri Peskov denied it."));

    let jsonl: String = [
        "Dmitry Peskov said.",
        "Dmitry Peskov said.",
        "Dmitri Peskov said.",
    ]
    .iter()
    .map(|t| serde_json::json!({ "body": t }).to_string() + "\n")
    .collect();
    redline()
        .args([
            "names", "--jsonl", "--field", "body", "--format", "toml", "-",
        ])
        .write_stdin(jsonl + "not json\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"Dmitri Peskov\" = \"Dmitry Peskov\"",
        ))
        .stderr(predicate::str::contains("-:4: not valid JSON"));
}

#[test]
fn a_bad_file_is_reported_and_the_others_are_counted() {
    let dir = corpus();
    redline()
        .arg("names")
        .arg(dir.path())
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("Dmitry Peskov"))
        .stderr(predicate::str::contains("missing.txt"));
}

fn news_corpus() -> PathBuf {
    let dir = std::env::var_os("REDLINE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bbc-news"));
    assert!(
        dir.is_dir(),
        "news corpus not found at {}; check out ../shared beside the repository or set REDLINE_CORPUS",
        dir.display()
    );
    dir
}

/// The injected variants of `make_dirty.py` (every spelling of `Dmitry` before
/// `Peskov` and `Medvedev`, accented names in NFD) are found in one cluster
/// each, and the corpus's own variant pairs are found too.
#[test]
#[ignore = "needs the news corpus (../shared/corpus/bbc-news or REDLINE_CORPUS)"]
fn news_corpus_injected_variants_are_all_found() {
    let dir = news_corpus();
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 2000, "{} files", files.len());
    let firsts = ["Dimitri", "Dmitri", "Dmitriy", "Dimitry", "Dmitry"];
    let mut index = redline::names::NameIndex::new();
    for (i, path) in files.iter().enumerate() {
        let bytes = fs::read(path).unwrap();
        let mut text = redline::io::decode::decode(&bytes, None).unwrap().text;
        if i % 10 == 0 {
            let first = firsts[(i / 10) % firsts.len()];
            let surname = if i % 20 == 0 { "Peskov" } else { "Medvedev" };
            text.push_str(&format!("\nKremlin spokesman {first} {surname} said so.\n"));
        }
        if i % 2 == 0 {
            text = text
                .replace("Jose Mourinho", "Jose\u{301} Mourinho")
                .replace("Arsene Wenger", "Arse\u{300}ne Wenger");
        }
        index.add_document(i as u64, &text);
    }
    let clusters = index.clusters(&redline::names::builtin_names());
    let cluster_of = |form: &str| {
        clusters
            .iter()
            .position(|c| c.forms.iter().any(|f| f.form == form))
            .unwrap_or_else(|| panic!("{form} is in no cluster"))
    };
    for surname in ["Peskov", "Medvedev"] {
        let at: Vec<usize> = firsts
            .iter()
            .map(|f| cluster_of(&format!("{f} {surname}")))
            .collect();
        assert!(at.iter().all(|&c| c == at[0]), "{surname}: {at:?}");
    }
    assert_eq!(cluster_of("José Mourinho"), cluster_of("Jose Mourinho"));
    assert_eq!(cluster_of("Arsène Wenger"), cluster_of("Arsene Wenger"));
    // The corpus's own variants.
    assert_eq!(cluster_of("Eliot Spitzer"), cluster_of("Elliot Spitzer"));
    assert_eq!(
        cluster_of("Robert Kilroy-Silk"),
        cluster_of("Robert Kilroy Silk")
    );
    // The written map loads as written.
    let text = redline::names::rule_file(&clusters, index.documents());
    redline::rules::RuleFile::parse("names.toml", &text).unwrap();
}
