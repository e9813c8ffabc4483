//! `redline review` through a real pseudo-terminal: keystrokes in, file contents
//! checked out.
//!
//! The inputs use the passes that are real everywhere (`variants` names and
//! `unicode` zero-width space), so the expected bytes are known:
//! `TEXT` has four fixes, in text order: `Dimitri Peskov` (variants.name),
//! U+200B (unicode.invisible), `Dimitri Peskov` again, `Nagorno Karabakh`.

use std::fs;
use std::path::Path;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

mod common;
use common::redline_process;

const TEXT: &str =
    "Kremlin spokesman Dimitri Peskov said\u{200B} that Dimitri Peskov spoke about Nagorno Karabakh.\n";

/// A review running in a pseudo-terminal, in a folder of its own.
struct Review {
    session: expectrl::session::OsSession,
    dir: tempfile::TempDir,
}

impl Review {
    /// Writes `files` into a new folder and starts `redline review` there.
    fn start(files: &[&str], extra: &[&str]) -> Review {
        let dir = tempfile::tempdir().unwrap();
        for name in files {
            fs::write(dir.path().join(name), TEXT).unwrap();
        }
        let mut cmd = redline_process();
        cmd.current_dir(dir.path())
            .env("TERM", "xterm-256color")
            .arg("review")
            .args(extra)
            .args(files);
        let mut session = Session::spawn(cmd).expect("spawn redline review in a pseudo-terminal");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        session.get_process_mut().set_window_size(100, 30).unwrap();
        Review { session, dir }
    }

    /// Waits until the screen shows `text`.
    fn shows(&mut self, text: &str) {
        if let Err(e) = self.session.expect(text) {
            panic!("the review never showed {text:?}: {e}");
        }
    }

    /// Presses `key` and waits for `text`.
    fn press(&mut self, key: &str, then: &str) {
        self.session.send(key).unwrap();
        self.shows(then);
    }

    /// Waits for the end; returns the exit code and everything printed since the
    /// last expected text (the summary on the normal screen).
    fn finish(mut self) -> (i32, String, tempfile::TempDir) {
        let rest = self
            .session
            .expect(Eof)
            .expect("redline review did not end");
        let out = String::from_utf8_lossy(rest.as_bytes()).into_owned();
        let code = match self.session.get_process().wait().unwrap() {
            WaitStatus::Exited(_, code) => code,
            other => panic!("redline review did not exit normally: {other:?}"),
        };
        // The terminal was given back: normal screen, cursor shown.
        assert!(
            out.contains("\x1b[?1049l"),
            "alternate screen not left: {out:?}"
        );
        assert!(out.contains("\x1b[?25h"), "cursor not shown again: {out:?}");
        (code, out, self.dir)
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

/// What `redline clean` makes of `TEXT`.
fn cleaned() -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.txt");
    fs::write(&path, TEXT).unwrap();
    let out = redline_process().arg("clean").arg(&path).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "Kremlin spokesman Dmitry Peskov said that Dmitry Peskov spoke about Nagorno-Karabakh.\n"
    );
    text
}

#[test]
fn accepting_everything_gives_what_clean_gives() {
    let mut r = Review::start(&["a.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 1");
    for k in 2..=4 {
        r.press("y", &format!("fix {k} of 4 · file 1 of 1"));
    }
    r.session.send("y").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("a.txt: 4 accepted, 0 rejected, 0 skipped; written"),
        "{out}"
    );
    assert_eq!(read(&dir.path().join("a.txt")), cleaned());
}

#[test]
fn rejecting_everything_leaves_the_original_bytes() {
    let mut r = Review::start(&["a.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 1");
    for k in 2..=4 {
        r.press("n", &format!("fix {k} of 4 · file 1 of 1"));
    }
    r.session.send("n").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("a.txt: 0 accepted, 4 rejected, 0 skipped; unchanged"),
        "{out}"
    );
    assert_eq!(read(&dir.path().join("a.txt")), TEXT);
}

#[test]
fn undo_takes_back_the_last_decision() {
    let mut r = Review::start(&["a.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 1");
    r.press("y", "fix 2 of 4 · file 1 of 1 · 1 accepted · 0 rejected");
    r.press("n", "fix 3 of 4 · file 1 of 1 · 1 accepted · 1 rejected");
    r.press("u", "fix 2 of 4 · file 1 of 1 · 1 accepted · 0 rejected");
    r.shows("undone");
    r.press("y", "fix 3 of 4 · file 1 of 1 · 2 accepted · 0 rejected");
    r.press("n", "fix 4 of 4 · file 1 of 1 · 2 accepted · 1 rejected");
    r.session.send("y").unwrap();
    let (code, _, dir) = r.finish();
    assert_eq!(code, 0);
    // first name and the zero-width space accepted, second name rejected
    assert_eq!(
        read(&dir.path().join("a.txt")),
        "Kremlin spokesman Dmitry Peskov said that Dimitri Peskov spoke about Nagorno-Karabakh.\n"
    );
}

#[test]
fn a_and_r_decide_a_rule_here_and_in_later_files() {
    let mut r = Review::start(&["a.txt", "b.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 2");
    // reject every variants.name fix: the zero-width space is next
    r.press("r", "fix 2 of 4 · file 1 of 2 · 0 accepted · 3 rejected");
    // accept every unicode.invisible fix: a.txt is done, and b.txt too
    r.session.send("a").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    let expected =
        "Kremlin spokesman Dimitri Peskov said that Dimitri Peskov spoke about Nagorno Karabakh.\n";
    assert_eq!(read(&dir.path().join("a.txt")), expected);
    assert_eq!(read(&dir.path().join("b.txt")), expected);
    assert!(
        out.contains("b.txt: 1 accepted, 3 rejected, 0 skipped; written"),
        "{out}"
    );
}

#[test]
fn quitting_midway_writes_the_decisions_of_the_current_file_only() {
    let mut r = Review::start(&["a.txt", "b.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 2");
    r.press("y", "fix 2 of 4 · file 1 of 2");
    r.press("n", "fix 3 of 4 · file 1 of 2");
    r.session.send("q").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert_eq!(
        read(&dir.path().join("a.txt")),
        "Kremlin spokesman Dmitry Peskov said\u{200B} that Dimitri Peskov spoke about Nagorno Karabakh.\n"
    );
    assert_eq!(read(&dir.path().join("b.txt")), TEXT);
    assert!(
        out.contains("a.txt: 1 accepted, 1 rejected, 2 skipped; written"),
        "{out}"
    );
    assert!(
        out.contains("b.txt: 0 accepted, 0 rejected, 4 skipped; not reviewed"),
        "{out}"
    );
}

#[test]
fn skipping_a_file_leaves_it_as_it_was() {
    let mut r = Review::start(&["a.txt", "b.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 2");
    r.press("y", "fix 2 of 4 · file 1 of 2");
    r.press("s", "fix 1 of 4 · file 2 of 2");
    for k in 2..=4 {
        r.press("y", &format!("fix {k} of 4 · file 2 of 2"));
    }
    r.session.send("y").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert_eq!(read(&dir.path().join("a.txt")), TEXT);
    assert_eq!(read(&dir.path().join("b.txt")), cleaned());
    assert!(
        out.contains("a.txt: 0 accepted, 0 rejected, 4 skipped; file skipped"),
        "{out}"
    );
}

#[test]
fn by_rule_asks_once_per_rule_then_change_by_change_where_asked() {
    let mut r = Review::start(&["a.txt", "b.txt"], &["--by-rule"]);
    r.shows("rule 1 of 2");
    r.shows("variants.name");
    r.press("?", "On a rule screen (--by-rule)");
    r.press("x", "rule 1 of 2");
    r.press("y", "rule 2 of 2");
    // unicode.invisible: change by change; only its fixes are asked
    r.press("c", "fix 2 of 4 · file 1 of 2 · 3 accepted · 0 rejected");
    r.press("n", "fix 2 of 4 · file 2 of 2 · 3 accepted · 0 rejected");
    r.session.send("y").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert_eq!(
        read(&dir.path().join("a.txt")),
        "Kremlin spokesman Dmitry Peskov said\u{200B} that Dmitry Peskov spoke about Nagorno-Karabakh.\n"
    );
    assert_eq!(read(&dir.path().join("b.txt")), cleaned());
    assert!(
        out.contains("rule variants.name: every fix accepted"),
        "{out}"
    );
    assert!(
        out.contains("rule unicode.invisible: decided change by change"),
        "{out}"
    );
}

#[test]
fn by_rule_rejecting_every_rule_leaves_every_file() {
    let mut r = Review::start(&["a.txt", "b.txt"], &["--by-rule"]);
    r.shows("rule 1 of 2");
    r.press("n", "rule 2 of 2");
    r.session.send("n").unwrap();
    let (code, _, dir) = r.finish();
    assert_eq!(code, 0);
    assert_eq!(read(&dir.path().join("a.txt")), TEXT);
    assert_eq!(read(&dir.path().join("b.txt")), TEXT);
}

#[test]
fn a_resize_redraws_the_screen() {
    let mut r = Review::start(&["a.txt"], &[]);
    r.shows("fix 1 of 4 · file 1 of 1");
    r.session.get_process_mut().set_window_size(60, 20).unwrap();
    // no key pressed: the screen is painted again for the new size
    r.shows("fix 1 of 4 · file 1 of 1");
    r.session.send("q").unwrap();
    let (code, out, dir) = r.finish();
    assert_eq!(code, 0);
    assert!(
        out.contains("a.txt: 0 accepted, 0 rejected, 4 skipped; not reviewed"),
        "{out}"
    );
    assert_eq!(read(&dir.path().join("a.txt")), TEXT);
}

#[test]
fn without_a_terminal_it_refuses_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    fs::write(&path, TEXT).unwrap();
    let out = redline_process()
        .arg("review")
        .arg(&path)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("redline review needs an interactive terminal"),
        "{err}"
    );
    assert!(err.contains("redline diff --format json"), "{err}");
    assert!(err.contains("redline apply"), "{err}");
    assert_eq!(read(&path), TEXT);
}
