//! The command line, end to end: outputs, exit codes, stdout/stderr separation,
//! bad input.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::redline;

const SEED: &str = "seeds/000_29d52f79e9dff851.txt";

/// The seed's expected cleaning, written from the issue's list of edits.
fn seed_expected() -> String {
    let input = fs::read_to_string(SEED).unwrap();
    let out = input
        .replacen(
            "bloodshed in Nagorno Karabakh\n",
            "bloodshed in Nagorno-Karabakh\n",
            1,
        )
        .replacen(
            "Russian Nagorno Karabakh peacekeeping",
            "Russian Nagorno-Karabakh peacekeeping",
            1,
        )
        .replacen("conflict.. Azerbaijan", "conflict. Azerbaijan", 1)
        .replacen("Yerevan.. Armenia", "Yerevan. Armenia", 1)
        .replacen("Karabakh.”.", "Karabakh.”", 1)
        .replacen("channels.”.", "channels.”", 1)
        .replacen("Dimitri Peskov", "Dmitry Peskov", 1);
    assert_ne!(out, input);
    out
}

#[test]
fn clean_seed_is_byte_exact() {
    let expected = seed_expected();
    let input = fs::read_to_string(SEED).unwrap();
    // four stops removed, `Dimitri` → `Dmitry` one byte shorter, hyphens for spaces
    assert_eq!(input.len() - expected.len(), 5);
    redline()
        .args(["clean", SEED])
        .assert()
        .success()
        .stdout(expected)
        .stderr(predicate::str::contains("quotes.unbalanced"));
}

#[test]
fn clean_reads_stdin_and_keeps_missing_final_newline() {
    redline()
        .args(["clean", "-"])
        .write_stdin("Kremlin spokesman Dimitri Peskov said so..")
        .assert()
        .success()
        .stdout("Kremlin spokesman Dmitry Peskov said so.");
}

#[test]
fn clean_of_clean_text_changes_nothing_and_says_nothing() {
    let text = "A plain sentence.\r\nAnother one, with “quotes”.\n";
    redline()
        .args(["clean"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(text)
        .stderr("");
}

#[test]
fn check_lists_findings_and_exits_1() {
    let out = redline().args(["check", SEED]).assert().code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line_re = regex::Regex::new(
        r"^seeds/000_29d52f79e9dff851\.txt:\d+:\d+: [a-z0-9-]+\.[a-z0-9.-]+ .+ \[(safe|review|flag)\]$",
    )
    .unwrap();
    let finding_lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("seeds/")).collect();
    assert_eq!(finding_lines.len(), 8, "{stdout}");
    for line in &finding_lines {
        assert!(line_re.is_match(line), "bad check line: {line}");
    }
    assert!(stdout.contains(":1:35: variants.name"), "{stdout}");
    assert!(stdout.contains(":6:"), "{stdout}");
    assert!(
        finding_lines
            .iter()
            .any(|l| l.contains(":6:") && l.contains("quotes.unbalanced") && l.ends_with("[flag]")),
        "{stdout}"
    );
    // the count per rule follows the findings
    assert!(stdout.contains("2 punct.double-period"), "{stdout}");
    assert!(stdout.contains("3 variants.name"), "{stdout}");
}

#[test]
fn check_on_clean_text_prints_nothing_and_exits_0() {
    redline()
        .args(["check", "-"])
        .write_stdin("Nothing to see here.\n")
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
}

#[test]
fn diff_shows_every_pass_with_rule_counts() {
    let out = redline()
        .args(["diff", "--color", "never", SEED])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("decoded as UTF-8"), "{stdout}");
    for header in [
        "pass mojibake: unchanged",
        "pass unicode: unchanged",
        "pass punctuation: 4 fixes",
        "pass variants: 3 fixes (variants.name ×3)",
    ] {
        assert!(stdout.contains(header), "missing `{header}` in\n{stdout}");
    }
    assert!(stdout.contains("--- a/seeds/000_29d52f79e9dff851.txt (before punctuation)"));
    // changed characters are emphasised in plain text
    assert!(
        stdout.contains("{+-+}") || stdout.contains("[- -]{+-+}"),
        "{stdout}"
    );
    assert!(stdout.contains("  flag 6:"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no colour when asked for none");
}

#[test]
fn diff_makes_invisible_characters_visible_and_colours_on_request() {
    let out = redline()
        .args(["diff", "--color", "always", "-"])
        .write_stdin("zero\u{200B}width and\u{00A0}nbsp\n")
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("⟨U+200B⟩"), "{stdout}");
    assert!(stdout.contains("⟨NBSP⟩"), "{stdout}");
    assert!(stdout.contains('\x1b'), "colour was asked for");
}

#[test]
fn json_lines_have_the_documented_keys_and_nothing_else() {
    let out = redline()
        .args(["check", "--format", "json", SEED])
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut flags = 0;
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("every line is JSON");
        for key in [
            "path",
            "pass",
            "rule",
            "line",
            "column",
            "start",
            "end",
            "before",
            "after",
            "applicability",
            "encoding",
        ] {
            assert!(v.get(key).is_some(), "missing {key} in {line}");
        }
        assert_eq!(v["encoding"], "UTF-8");
        if v["applicability"] == "flag" {
            assert!(v["after"].is_null());
            flags += 1;
        }
    }
    assert_eq!(stdout.lines().count(), 8);
    assert!(flags >= 1);
    // diff --format json is the same kind of stream
    let out = redline()
        .args(["diff", "--format", "json", SEED])
        .assert()
        .success();
    let diff_lines = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(diff_lines, stdout);
}

#[test]
fn json_offsets_point_into_the_pass_input() {
    let out = redline()
        .args(["check", "--format", "json", "-"])
        .write_stdin("It ended.. Then Dimitri Peskov spoke.")
        .assert()
        .code(1);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let input = "It ended.. Then Dimitri Peskov spoke.";
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        // punctuation runs first, so its offsets are into the original input;
        // variants sees the text one byte shorter
        let pass_input = if v["pass"] == "punctuation" {
            input.to_string()
        } else {
            input.replacen("..", ".", 1)
        };
        assert_eq!(&pass_input[s..e], v["before"].as_str().unwrap(), "{line}");
    }
}

#[test]
fn output_file_and_in_place_with_backup() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.txt");
    fs::write(&src, "Held in Nagorno Karabakh..\n").unwrap();
    let out = dir.path().join("out.txt");
    redline()
        .args(["clean", src.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "Held in Nagorno-Karabakh.\n"
    );
    redline()
        .args([
            "clean",
            "--in-place",
            "--backup",
            ".orig",
            src.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        fs::read_to_string(&src).unwrap(),
        "Held in Nagorno-Karabakh.\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt.orig")).unwrap(),
        "Held in Nagorno Karabakh..\n"
    );
}

#[test]
fn legacy_encoding_is_decoded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    fs::write(&path, b"It cost \xa3300,,000 in Z\xfcrich.\n").unwrap();
    redline()
        .args(["clean", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout("It cost £300,000 in Zürich.\n");
    redline()
        .args(["check", "--format", "json", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"encoding\":\"windows-1252\""));
    redline()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "latin1.txt: decoded as windows-1252 (detected); redline writes UTF-8",
        ));
}

fn assert_bad_input(args: &[&str], stdin: Option<&[u8]>, needle: &str) {
    let mut cmd = redline();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    cmd.assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(needle));
}

#[test]
fn bad_input_is_named_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    assert_bad_input(
        &["clean", missing.to_str().unwrap()],
        None,
        "missing.txt: no such file",
    );
    assert_bad_input(
        &["clean", dir.path().to_str().unwrap()],
        None,
        "is a directory",
    );
    let binary = dir.path().join("image.bin");
    fs::write(&binary, b"GIF89a\x00\x01\x02").unwrap();
    assert_bad_input(
        &["check", binary.to_str().unwrap()],
        None,
        "image.bin: binary file",
    );
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"line one\nline \xff two\n").unwrap();
    assert_bad_input(
        &["clean", "--encoding", "utf-8", bad.to_str().unwrap()],
        None,
        "bad.txt:2:6: not valid UTF-8",
    );
    assert_bad_input(
        &["clean", "--encoding", "klingon", "-"],
        Some(b"x"),
        "unknown encoding `klingon`",
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    fs::write(&path, "x").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let root = fs::read(&path).is_ok();
    if !root {
        assert_bad_input(
            &["clean", path.to_str().unwrap()],
            None,
            "permission denied",
        );
    }
    // Root reads any file whatever its permissions (CI runs as root), but not
    // its own memory from offset 0: an unreadable file for every user. It is
    // named, and the file after it is still cleaned.
    let unreadable = if cfg!(target_os = "linux") && root {
        std::path::PathBuf::from("/proc/self/mem")
    } else {
        path
    };
    let good = dir.path().join("good.txt");
    fs::write(&good, "fine..\n").unwrap();
    redline()
        .arg("clean")
        .arg(&unreadable)
        .arg(&good)
        .assert()
        .code(2)
        .stdout("fine.\n")
        .stderr(predicate::str::contains(format!(
            "{}: ",
            unreadable.display()
        )));
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    fs::write(&good, "fine..\n").unwrap();
    let missing = dir.path().join("missing.txt");
    redline()
        .args(["clean", missing.to_str().unwrap(), good.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("fine.\n")
        .stderr(predicate::str::contains("missing.txt"));
}

#[test]
fn utf16_with_bom_is_text_not_binary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Nagorno Karabakh".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    fs::write(&path, bytes).unwrap();
    redline()
        .args(["clean", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout("Nagorno-Karabakh");
}

#[test]
fn config_file_is_found_and_unknown_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("articles");
    fs::create_dir(&sub).unwrap();
    fs::write(
        dir.path().join("redline.toml"),
        "disable = [\"variants\"]\n",
    )
    .unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .current_dir(&sub)
        .args(["clean", "-"])
        .write_stdin("Dimitri Peskov said..")
        .assert()
        .success()
        .stdout("Dimitri Peskov said.");
    fs::write(
        dir.path().join("redline.toml"),
        "disabled = [\"variants\"]\n",
    )
    .unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .current_dir(&sub)
        .args(["clean", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("redline.toml:1:1"))
        .stderr(predicate::str::contains("disabled"));
}

#[test]
fn user_rule_files_extend_the_names_map_and_bad_ones_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("newsroom.toml");
    fs::write(
        &rules,
        "pass = \"variants\"\nmin-words = 2\n\n[[rule]]\nid = \"variants.newsroom\"\n\
         description = \"Our names\"\napplicability = \"safe\"\n\n[variants]\n\
         \"Jon Smyth\" = \"John Smith\"\n",
    )
    .unwrap();
    let config = dir.path().join("redline.toml");
    fs::write(&config, "rule-files = [\"newsroom.toml\"]\n").unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .args(["clean", "--config", config.to_str().unwrap(), "-"])
        .write_stdin("Jon Smyth wrote.")
        .assert()
        .success()
        .stdout("John Smith wrote.");
    fs::write(
        &rules,
        "pass = \"variants\"\n\n[[rule]]\nid = \"variants.newsroom\"\n\
         description = \"Our names\"\napplicability = \"safe\"\n\n[variants]\n\
         \"Jon Smyth\" = \"John Smith\"\n\"John Smith\" = \"Jon Smyth\"\n",
    )
    .unwrap();
    Command::cargo_bin("redline")
        .unwrap()
        .args(["clean", "--config", config.to_str().unwrap(), "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("newsroom.toml:"))
        .stderr(predicate::str::contains("cycle"));
}

#[test]
fn selection_flags_switch_passes_and_rules() {
    redline()
        .args(["clean", "--disable", "punctuation", "-"])
        .write_stdin("Dimitri Peskov said..")
        .assert()
        .stdout("Dmitry Peskov said..");
    redline()
        .args(["clean", "--only", "punctuation", "-"])
        .write_stdin("Dimitri Peskov said..")
        .assert()
        .stdout("Dimitri Peskov said.");
    redline()
        .args(["clean", "--spelling", "en-GB", "-"])
        .write_stdin("The organization's color.")
        .assert()
        .stdout("The organisation's colour.");
    redline()
        .args(["clean", "--disable", "nonsense", "-"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown pass or rule `nonsense`"));
}

#[test]
fn rules_lists_every_rule_with_default_and_safety() {
    let out = redline().arg("rules").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for rule in redline::Engine::default_config().rules.rows() {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.id.as_str()))
            .unwrap_or_else(|| panic!("{} missing:\n{stdout}", rule.id));
        assert!(line.contains(rule.applicability.as_str()), "{line}");
    }
    assert!(stdout.contains("variants.en-gb"));
    let en_gb = stdout
        .lines()
        .find(|l| l.contains("variants.en-gb"))
        .unwrap();
    assert!(en_gb.contains(" off "), "{en_gb}");
}

#[cfg(unix)]
#[test]
fn closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, "A line of text that is clean.\n".repeat(200_000)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("redline");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' --no-config clean '{}' | head -c 10 >/dev/null; echo \"status=${{PIPESTATUS[0]}}\"",
            bin.display(),
            big.display()
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("status=0"), "{stdout}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "nothing on stderr"
    );
    assert!(Path::new(&big).exists());
}
