//! Faults around the files redline writes: a full disk, a run killed with
//! `kill -9`, SIGTERM/SIGHUP during a review, an output folder inside the input
//! folder, `-o` naming the input itself, and a symbolic link loop. Each must end
//! with a clear message naming the file, the original untouched and no
//! temporary file left behind (README, "Safety and faults").

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as Std, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn redline(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("redline").unwrap();
    cmd.current_dir(dir)
        .arg("--no-config")
        .timeout(Duration::from_secs(60));
    cmd
}

/// Text with fixes in every paragraph, so cleaning always rewrites it.
fn dirty(bytes: usize) -> String {
    let para = "Kremlin spokesman Dimitri Peskov said it ended.. Then,, nothing.\n";
    para.repeat(bytes / para.len() + 1)
}

/// What `redline clean` makes of `text` (through standard input).
fn cleaned(text: &str) -> String {
    let out = Command::cargo_bin("redline")
        .unwrap()
        .args(["--no-config", "clean", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Every `.redline-*` file in `dir` and below.
fn temps(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if entry.file_name().to_string_lossy().starts_with(".redline-") {
                found.push(entry.path());
            }
        }
    }
    found
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// --- disk full -------------------------------------------------------------

/// A 64 kB tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts it, or says why the test is skipped and returns `None` (mounting
    /// needs root, or CAP_SYS_ADMIN in a container).
    fn mount(test: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let out = Std::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir }),
            Ok(o) => {
                eprintln!(
                    "SKIPPED {test}: cannot mount a small tmpfs to fill up (needs root): {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("SKIPPED {test}: cannot run mount(8): {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Std::new("umount").arg(self.dir.path()).status();
    }
}

/// Exit 2, the message names `file` and says the disk is full, nothing left.
fn assert_disk_full(out: &std::process::Output, file: &str, mount: &Path) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(file), "the message names {file}: {err}");
    assert!(err.contains("disk is full"), "{err}");
    assert!(
        !err.contains(".redline-"),
        "names a removed temporary file: {err}"
    );
    assert_eq!(temps(mount), Vec::<PathBuf>::new(), "temporary file left");
}

/// `redline clean ARGS big.txt -o TARGET`, run in `work`, fails for the
/// full disk at `mount` and leaves the earlier output as it was.
fn assert_big_txt_fills_the_disk(work: &Path, args: &[&str], target: &Path, mount: &Path) {
    let out = redline(work)
        .arg("clean")
        .args(args)
        .arg("big.txt")
        .arg("-o")
        .arg(target)
        .output()
        .unwrap();
    assert_disk_full(&out, &target.display().to_string(), mount);
    assert_eq!(fs::read_to_string(target).unwrap(), "earlier output\n");
}

#[test]
fn disk_full_writing_o_exits_2_and_leaves_the_old_output() {
    let Some(fs_) = Tmpfs::mount("disk_full_writing_o") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    fs::write(work.path().join("big.txt"), dirty(200_000)).unwrap();
    let target = fs_.path().join("out.txt");
    fs::write(&target, "earlier output\n").unwrap();
    assert_big_txt_fills_the_disk(work.path(), &[], &target, fs_.path());
    // and a folder of outputs: the files that fit are written, the rest listed
    let input = work.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a-small.txt"), dirty(100)).unwrap();
    fs::write(input.join("b-big.txt"), dirty(200_000)).unwrap();
    fs::remove_file(&target).unwrap();
    let out = redline(work.path())
        .args(["-j", "1", "clean", "in"])
        .arg("-o")
        .arg(fs_.path().join("tree"))
        .output()
        .unwrap();
    assert_disk_full(&out, "b-big.txt", fs_.path());
    assert_eq!(
        fs::read_to_string(fs_.path().join("tree/a-small.txt")).unwrap(),
        cleaned(&dirty(100))
    );
    assert!(!fs_.path().join("tree/b-big.txt").exists());
}

/// A big file (over 4 MiB, in paragraphs) is cleaned from its memory map
/// into the output's temporary file as it goes; when the disk fills up
/// there, the same message, exit code and clean state as for a file read
/// into memory: the old output stays, no temporary file is left.
#[test]
fn disk_full_writing_a_big_file_from_its_map() {
    let Some(fs_) = Tmpfs::mount("disk_full_writing_a_big_file_from_its_map") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let para = "Kremlin spokesman Dimitri Peskov said it ended.. Then,, nothing.\n\n";
    fs::write(
        work.path().join("big.txt"),
        para.repeat((5 << 20) / para.len()),
    )
    .unwrap();
    let target = fs_.path().join("out.txt");
    fs::write(&target, "earlier output\n").unwrap();
    for args in [&["-j", "2"][..], &["-j", "2", "--no-mmap"]] {
        assert_big_txt_fills_the_disk(work.path(), args, &target, fs_.path());
    }
}

#[test]
fn disk_full_in_place_keeps_the_original() {
    let Some(fs_) = Tmpfs::mount("disk_full_in_place") else {
        return;
    };
    let text = dirty(40_000);
    let file = fs_.path().join("article.txt");
    fs::write(&file, &text).unwrap();
    let out = redline(fs_.path())
        .args(["clean", "--in-place", "article.txt"])
        .output()
        .unwrap();
    assert_disk_full(&out, "article.txt", fs_.path());
    assert_eq!(fs::read_to_string(&file).unwrap(), text, "original changed");
}

#[test]
fn disk_full_writing_json_lines_exits_2_and_leaves_nothing() {
    let Some(fs_) = Tmpfs::mount("disk_full_writing_json_lines") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let line = serde_json::json!({ "text": dirty(2_000) }).to_string() + "\n";
    fs::write(work.path().join("in.jsonl"), line.repeat(100)).unwrap();
    let target = fs_.path().join("out.jsonl");
    let out = redline(work.path())
        .arg("clean")
        .arg("in.jsonl")
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    assert_disk_full(&out, &target.display().to_string(), fs_.path());
    assert!(!target.exists());
    // --in-place on the full disk: the original stays
    let original = line.repeat(25); // ~52 kB: it fits, a second copy does not
    let file = fs_.path().join("docs.jsonl");
    fs::write(&file, &original).unwrap();
    let out = redline(fs_.path())
        .args(["clean", "--in-place", "docs.jsonl"])
        .output()
        .unwrap();
    assert_disk_full(&out, "docs.jsonl", fs_.path());
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
}

// --- kill -9 ---------------------------------------------------------------

#[test]
fn temporary_files_of_a_killed_run_are_named_and_removed_but_never_a_running_ones() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("a.txt"), dirty(100)).unwrap();
    // A run that writes into docs/ and waits for more input: its temporary
    // file exists, locked, while it runs.
    let mut writer = Std::new(env!("CARGO_BIN_EXE_redline"))
        .current_dir(dir.path())
        .args([
            "--no-config",
            "clean",
            "--jsonl",
            "-",
            "-o",
            "docs/out.jsonl",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = writer.stdin.take().unwrap();
    writeln!(stdin, "{}", serde_json::json!({"text": "It ended.."})).unwrap();
    stdin.flush().unwrap();
    let start = Instant::now();
    let temp = loop {
        if let Some(t) = temps(&docs).into_iter().next() {
            break t;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no temp file");
        std::thread::sleep(Duration::from_millis(20));
    };
    let name = temp.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!(".redline-{}-", writer.id())) && name.ends_with(".tmp"),
        "{name}"
    );

    // another run over the folder meanwhile: names it, leaves it alone
    let out = redline(dir.path())
        .args(["clean", "docs", "-o", "first"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(&name) && err.contains("still going"), "{err}");
    assert!(
        temp.exists(),
        "a running writer's temporary file was removed"
    );
    assert!(!dir.path().join("first").join(&name).exists());

    // kill -9: the file stays behind, now stale
    writer.kill().unwrap();
    writer.wait().unwrap();
    drop(stdin);
    assert!(temp.exists());
    // one that is not redline's own pattern of PID: named, kept
    let unknown = docs.join(".redline-abcdef.tmp");
    fs::write(&unknown, "?").unwrap();

    let out = redline(dir.path())
        .args(["clean", "docs", "-o", "second"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&name) && err.contains("interrupted run") && err.contains("removed"),
        "{err}"
    );
    assert!(!temp.exists(), "the stale temporary file is still there");
    assert!(
        err.contains(".redline-abcdef.tmp") && err.contains("by hand"),
        "{err}"
    );
    assert!(unknown.exists());
    // temporary files are never cleaned as documents, even with --no-ignore
    assert_eq!(
        fs::read_to_string(dir.path().join("second/a.txt")).unwrap(),
        cleaned(&dirty(100))
    );
    let out = redline(dir.path())
        .args(["--no-ignore", "clean", "docs", "-o", "third"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(temps(&dir.path().join("third")), Vec::<PathBuf>::new());
}

#[test]
fn a_stale_temporary_file_beside_an_output_file_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), dirty(100)).unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    // a PID that is gone: a child that has exited and been reaped
    let mut child = Std::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    let stale = dir.path().join(format!("out/.redline-{pid}-xyz123.tmp"));
    fs::write(&stale, "half a file").unwrap();
    let out = redline(dir.path())
        .args(["clean", "a.txt", "-o", "out/a.txt"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(".redline-") && err.contains("removed"),
        "{err}"
    );
    assert!(!stale.exists());
}

// --- review and signals ----------------------------------------------------

mod review {
    use super::*;
    use expectrl::process::unix::WaitStatus;
    use expectrl::{Eof, Expect, Session};

    /// Whether the pseudo-terminal is in canonical (line) mode, i.e. not raw.
    /// On Linux the master's `tcgetattr` reports the terminal's settings.
    fn canonical(session: &impl std::os::fd::AsRawFd) -> bool {
        // SAFETY: termios is plain data; tcgetattr fills it from a valid fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(session.as_raw_fd(), &mut t) }, 0);
        t.c_lflag & libc::ICANON != 0
    }

    fn signal_restores_the_terminal(signal: i32, name: &str) {
        let dir = tempfile::tempdir().unwrap();
        let text = "Kremlin spokesman Dimitri Peskov said it.\n";
        fs::write(dir.path().join("a.txt"), text).unwrap();
        let mut cmd = Std::new(env!("CARGO_BIN_EXE_redline"));
        cmd.current_dir(dir.path())
            .env("TERM", "xterm-256color")
            .args(["--no-config", "review", "a.txt"]);
        let mut session = Session::spawn(cmd).expect("spawn redline review in a pseudo-terminal");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        session.get_process_mut().set_window_size(100, 30).unwrap();
        session
            .expect("fix 1 of 1")
            .expect("the review shows the fix");
        assert!(!canonical(&session), "raw mode is on during the review");
        let pid = session.get_process().pid().as_raw();
        // SAFETY: sending a signal to our own child.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        let rest = session.expect(Eof).expect("redline review ends");
        let out = String::from_utf8_lossy(rest.as_bytes()).into_owned();
        let status = session.get_process().wait().unwrap();
        assert!(
            matches!(status, WaitStatus::Signaled(_, s, _) if format!("{s:?}") == name),
            "{status:?}"
        );
        assert!(
            out.contains("\x1b[?1049l"),
            "alternate screen not left: {out:?}"
        );
        assert!(out.contains("\x1b[?25h"), "cursor not shown again: {out:?}");
        assert!(canonical(&session), "raw mode still on after {name}");
        assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), text);
    }

    #[test]
    fn sigterm_during_review_restores_the_terminal() {
        signal_restores_the_terminal(libc::SIGTERM, "SIGTERM");
    }

    #[test]
    fn sighup_during_review_restores_the_terminal() {
        signal_restores_the_terminal(libc::SIGHUP, "SIGHUP");
    }
}

// --- output inside input, -o onto the input --------------------------------

#[test]
fn an_output_folder_overlapping_the_input_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).unwrap();
    fs::write(corpus.join("a.txt"), dirty(100)).unwrap();
    fs::write(corpus.join("sub/b.txt"), dirty(100)).unwrap();
    for (out, why) in [
        ("corpus/clean", "inside the input folder"),
        ("./corpus/../corpus/clean/deeper", "inside the input folder"),
        ("corpus", "the input folder itself"),
        ("corpus/", "the input folder itself"),
    ] {
        let result = redline(dir.path())
            .args(["clean", "corpus", "-o", out])
            .output()
            .unwrap();
        let err = stderr(&result);
        assert_eq!(result.status.code(), Some(2), "{out}: {err}");
        assert!(err.contains(out) && err.contains(why), "{out}: {err}");
        assert!(!corpus.join("clean").exists(), "{out}");
    }
    let result = redline(dir.path())
        .args(["clean", "corpus/sub", "-o", "corpus"])
        .output()
        .unwrap();
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{err}");
    assert!(err.contains("contains the input folder"), "{err}");
    // nothing was touched
    assert_eq!(
        fs::read_to_string(corpus.join("a.txt")).unwrap(),
        dirty(100)
    );
    assert_eq!(temps(&corpus), Vec::<PathBuf>::new());
    // a sibling folder is fine
    redline(dir.path())
        .args(["clean", "corpus", "-o", "corpus-clean"])
        .assert()
        .success();
}

#[test]
fn o_naming_the_input_itself_replaces_it_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let text = dirty(1000);
    fs::write(dir.path().join("a.txt"), &text).unwrap();
    redline(dir.path())
        .args(["clean", "a.txt", "-o", "a.txt"])
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        cleaned(&text)
    );
    // another spelling of the same file, and a JSON Lines file onto itself
    let line = serde_json::json!({ "text": text }).to_string() + "\n";
    let jsonl = line.repeat(50);
    fs::write(dir.path().join("d.jsonl"), &jsonl).unwrap();
    let expected = redline(dir.path())
        .args(["clean", "d.jsonl"])
        .output()
        .unwrap()
        .stdout;
    redline(dir.path())
        .args(["clean", "d.jsonl", "-o", "./d.jsonl"])
        .assert()
        .success();
    assert_eq!(fs::read(dir.path().join("d.jsonl")).unwrap(), expected);
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}

// --- symbolic links --------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("sub")).unwrap();
    fs::write(docs.join("a.txt"), dirty(100)).unwrap();
    fs::write(docs.join("sub/b.txt"), dirty(100)).unwrap();
    symlink("..", docs.join("sub/up")).unwrap(); // sub/up -> docs: a loop
    symlink("self", docs.join("self")).unwrap(); // a link to itself
    for args in [
        &["clean", "docs", "-o", "out"][..],
        &["clean", "--in-place", "docs"][..],
        &["check", "docs"][..],
    ] {
        let out = redline(dir.path()).args(args).output().unwrap();
        let err = stderr(&out);
        assert!(
            out.status.code() == Some(0) || (args[0] == "check" && out.status.code() == Some(1)),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("docs/sub/up") && err.contains("symbolic link loop"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("docs/self") && err.contains("not followed"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("out/sub/b.txt")).unwrap(),
        cleaned(&dirty(100))
    );
    assert!(!dir.path().join("out/sub/up").exists());
    assert_eq!(
        fs::read_to_string(docs.join("a.txt")).unwrap(),
        cleaned(&dirty(100))
    );
    // the links themselves are still links
    assert!(fs::symlink_metadata(docs.join("sub/up"))
        .unwrap()
        .file_type()
        .is_symlink());
}
