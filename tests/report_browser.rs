//! The HTML report in a real headless Chromium: load it, filter, decide per
//! rule and per change, export the change set with the page's own button, apply
//! it with `redline apply`, and check the files' bytes.
//!
//! The browser tests need Debian's `chromium` and `chromium-driver`, so they are
//! `#[ignore]`d: a plain `cargo test` lists them as ignored, with how to run
//! them; `cargo test --test report_browser -- --ignored` runs them, and `.ci/run`
//! always does (it installs both). Asked to run without a browser, they fail and
//! say what to install: they never pass without having driven Chromium.
//! `REDLINE_CHROMIUM` and `REDLINE_CHROMEDRIVER` name other binaries than
//! `/usr/bin/chromium` and `/usr/bin/chromedriver`.

use std::fs;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

mod common;
use common::redline_process as redline;

/// The binary at `$var`, else at `default`.
fn tool(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn run_ok(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("redline runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A chromedriver on a free loopback port and a Chromium session driven by it;
/// the driver process is killed when this is dropped.
struct Browser {
    client: Option<Client>,
    driver: Child,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    async fn start() -> Browser {
        let chromium = tool("REDLINE_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = tool("REDLINE_CHROMEDRIVER", "/usr/bin/chromedriver");
        for tool in [&chromium, &chromedriver] {
            assert!(
                tool.is_file(),
                "{} not found: the HTML report's browser tests need Debian's `chromium` and \
                 `chromium-driver`. Install them with \
                 `apt-get update && apt-get install -y chromium chromium-driver` \
                 (.ci/run does this on CI), or set REDLINE_CHROMIUM and REDLINE_CHROMEDRIVER \
                 to their paths",
                tool.display()
            );
        }
        let driver_name = chromedriver.display();
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_name}: {e}"));
        let downloads = tempfile::tempdir().unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            client: None,
            driver,
            downloads,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{driver_name} did not listen on port {port} within 30 s"
            );
            if let Ok(Some(status)) = browser.driver.try_wait() {
                panic!("{driver_name} exited at once ({status})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1280,1000",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": browser.downloads.path().to_str().unwrap(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "profile.default_content_setting_values.automatic_downloads": 1,
                },
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        // Chromium can fail to start on a loaded machine (several test binaries
        // run at once): try a session three times before giving up.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < 3 => {
                    eprintln!("Chromium session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("cannot start a Chromium session through chromedriver: {e}"),
            }
        };
        browser.client = Some(client);
        browser
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn load(&self, report: &Path) {
        let url = format!("file://{}", report.canonicalize().unwrap().display());
        self.client().goto(&url).await.unwrap();
        let ready = self
            .client()
            .execute("return document.body.dataset.ready === 'true';", vec![])
            .await
            .unwrap();
        assert_eq!(ready, json!(true), "the report's script did not finish");
    }

    async fn click(&self, css: &str) {
        self.client()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` in the report: {e}"))
            .click()
            .await
            .unwrap();
    }

    async fn select(&self, css: &str, value: &str) {
        self.client()
            .find(Locator::Css(css))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }

    async fn rows(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for row in self
            .client()
            .find_all(Locator::Css("#changes .change"))
            .await
            .unwrap()
        {
            out.push((
                row.attr("data-rule").await.unwrap().unwrap(),
                row.attr("data-decision").await.unwrap().unwrap(),
            ));
        }
        out
    }

    /// Clicks "Export change set" and returns the downloaded file's text.
    async fn export(&self) -> String {
        for entry in fs::read_dir(self.downloads.path()).unwrap() {
            fs::remove_file(entry.unwrap().path()).unwrap();
        }
        self.click("#export").await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let done: Vec<PathBuf> = fs::read_dir(self.downloads.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .collect();
            if let [file] = done.as_slice() {
                assert_eq!(file.file_name().unwrap(), "changes.jsonl");
                return fs::read_to_string(file).unwrap();
            }
            assert!(
                Instant::now() < deadline,
                "no changes.jsonl in the download folder 30 s after clicking Export"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn screenshot(&self, to: &Path) {
        let png = self.client().screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
        fs::write(to, png).unwrap();
    }

    async fn close(mut self) {
        self.client.take().unwrap().close().await.unwrap();
    }
}

const A: &str =
    "Kremlin spokesman Dimitri Peskov said the Nagorno Karabakh talks\u{200B} would resume.\n\
                 Text with <b>tags</b> & \"quotes\" and </script> stays as it is.\n";
const B: &str = "Officials from Nagorno Karabakh met Dimitri Peskov.\u{200B}\n";

/// Two articles in a fresh folder; returns the folder and the two paths.
fn articles() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in [("a.txt", A), ("b.txt", B)] {
        let p = dir.path().join(name);
        fs::write(&p, text).unwrap();
        paths.push(p.to_str().unwrap().to_string());
    }
    (dir, paths)
}

fn report(dir: &Path, paths: &[String]) -> PathBuf {
    let out = dir.join("report.html");
    run_ok(redline().arg("report").args(paths).arg("-o").arg(&out));
    out
}

fn apply(dir: &Path, changes: &str) {
    let file = dir.join("changes.jsonl");
    fs::write(&file, changes).unwrap();
    run_ok(redline().arg("apply").arg(&file));
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver); run with cargo test --test report_browser -- --ignored (.ci/run always does)"]
async fn report_export_apply_round_trips() {
    let browser = Browser::start().await;

    // Untouched decisions: the export is exactly `redline diff --format json`,
    // and applying it is `redline clean`.
    let (dir, paths) = articles();
    let diff = String::from_utf8(run_ok(
        redline().args(["diff", "--format", "json"]).args(&paths),
    ))
    .unwrap();
    let clean: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| run_ok(redline().args(["clean", p])))
        .collect();
    assert_ne!(clean[0], A.as_bytes(), "the inputs have something to fix");
    let page = report(dir.path(), &paths);
    browser.load(&page).await;
    let all_rows = browser.rows().await;
    assert_eq!(all_rows.len(), diff.lines().count());
    let exported = browser.export().await;
    assert_eq!(
        exported, diff,
        "the default export is the diff's change set"
    );
    apply(dir.path(), &exported);
    for (p, want) in paths.iter().zip(&clean) {
        assert_eq!(&fs::read(p).unwrap(), want, "{p}: accepted fixes = clean");
    }

    // The rule of the name fixes, and the others.
    let records = lines(&diff);
    let names_rule = records
        .iter()
        .find(|r| r["before"].as_str().unwrap().contains("Dimitri"))
        .expect("a Dimitri Peskov finding")["rule"]
        .as_str()
        .unwrap()
        .to_string();
    let names_count = records.iter().filter(|r| r["rule"] == *names_rule).count();
    assert!(
        names_count >= 3 && names_count < records.len(),
        "{records:?}"
    );

    // Everything rejected: the original bytes.
    let (dir, paths) = articles();
    let page = report(dir.path(), &paths);
    browser.load(&page).await;
    browser.click("#accept-shown").await;
    let rows = browser.rows().await;
    assert!(
        rows.iter().all(|(_, d)| d == "accept" || d == "flag"),
        "{rows:?}"
    );
    browser.click("#reject-shown").await;
    let rows = browser.rows().await;
    assert!(
        rows.iter().all(|(_, d)| d == "reject" || d == "flag"),
        "{rows:?}"
    );
    let exported = browser.export().await;
    assert!(lines(&exported)
        .iter()
        .all(|r| r["decision"] == "reject" || r["decision"] == "flag"));
    apply(dir.path(), &exported);
    assert_eq!(fs::read(&paths[0]).unwrap(), A.as_bytes());
    assert_eq!(fs::read(&paths[1]).unwrap(), B.as_bytes());

    // A filter hides and shows rows; one rule rejected: exactly its fixes are
    // missing; one change rejected by hand: only it.
    let (dir, paths) = articles();
    let page = report(dir.path(), &paths);
    browser.load(&page).await;
    browser.select("#filter-rule", &names_rule).await;
    let filtered = browser.rows().await;
    assert_eq!(filtered.len(), names_count);
    assert!(filtered.iter().all(|(rule, _)| *rule == names_rule));
    browser.select("#filter-rule", "").await;
    browser.select("#filter-safety", "safe").await;
    let safe = records
        .iter()
        .filter(|r| r["applicability"] == "safe")
        .count();
    assert_eq!(browser.rows().await.len(), safe);
    browser.select("#filter-safety", "").await;
    browser
        .client()
        .find(Locator::Css("#filter-search"))
        .await
        .unwrap()
        .send_keys("officials")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let b_count = records
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("b.txt"))
        .count();
    assert_eq!(
        browser.rows().await.len(),
        b_count,
        "search matches b.txt's context"
    );
    // Erase it as a user would (so that the page sees input events).
    let backspaces: String = std::iter::repeat_n(char::from(Key::Backspace), 9).collect();
    browser
        .client()
        .find(Locator::Css("#filter-search"))
        .await
        .unwrap()
        .send_keys(&backspaces)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(browser.rows().await.len(), all_rows.len());
    browser
        .click(&format!(
            "#summary tr[data-rule='{names_rule}'] button.rule-reject"
        ))
        .await;
    let rows = browser.rows().await;
    for (rule, decision) in &rows {
        if *rule == names_rule {
            assert_eq!(decision, "reject");
        } else {
            assert_ne!(decision, "reject");
        }
    }
    let exported = browser.export().await;
    for r in lines(&exported) {
        let want = if r["rule"] == *names_rule {
            "reject"
        } else {
            match r["applicability"].as_str().unwrap() {
                "safe" => "accept",
                "review" => "pending",
                _ => "flag",
            }
        };
        assert_eq!(r["decision"], want, "{r}");
    }
    apply(dir.path(), &exported);
    let a = fs::read_to_string(&paths[0]).unwrap();
    let b = fs::read_to_string(&paths[1]).unwrap();
    assert_eq!(a, A.replace('\u{200B}', ""));
    assert_eq!(b, B.replace('\u{200B}', ""));

    // Per change: reject only b.txt's zero-width space fix.
    let (dir, paths) = articles();
    let page = report(dir.path(), &paths);
    browser.load(&page).await;
    let zw = records
        .iter()
        .position(|r| r["path"].as_str().unwrap().ends_with("b.txt") && r["before"] == "\u{200B}")
        .or_else(|| {
            records.iter().position(|r| {
                r["path"].as_str().unwrap().ends_with("b.txt") && r["rule"] != *names_rule
            })
        })
        .expect("a fix in b.txt from another rule");
    browser
        .click(&format!(".change[data-index='{zw}'] button.reject"))
        .await;
    let exported = browser.export().await;
    let decided = lines(&exported);
    assert_eq!(decided[zw]["decision"], "reject");
    assert_eq!(
        decided.iter().filter(|r| r["decision"] == "reject").count(),
        1
    );
    apply(dir.path(), &exported);
    assert_eq!(fs::read(&paths[0]).unwrap(), clean[0]);
    assert_eq!(
        fs::read_to_string(&paths[1]).unwrap(),
        "Officials from Nagorno-Karabakh met Dmitry Peskov.\u{200B}\n"
    );

    browser.close().await;
}

/// The seed article's report as the user sees it, in full and filtered. With
/// `REDLINE_SCREENSHOTS=1` the pictures go to `docs/`, otherwise to a temporary
/// folder.
#[tokio::test]
#[ignore = "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver); run with cargo test --test report_browser -- --ignored (.ci/run always does)"]
async fn seed_report_screenshots() {
    let browser = Browser::start().await;
    let dir = tempfile::tempdir().unwrap();
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/000_29d52f79e9dff851.txt"
    );
    let page = dir.path().join("report.html");
    run_ok(
        redline()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", "seeds/000_29d52f79e9dff851.txt", "-o"])
            .arg(&page),
    );
    assert!(Path::new(seed).exists());
    browser.load(&page).await;
    let rows = browser.rows().await;
    assert!(!rows.is_empty(), "the seed article has findings");
    let to = if std::env::var_os("REDLINE_SCREENSHOTS").is_some() {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/docs"))
    } else {
        dir.path().to_path_buf()
    };
    fs::create_dir_all(&to).unwrap();
    browser.screenshot(&to.join("report-seed.png")).await;
    // Filtered: a search for one name, and that change rejected.
    browser
        .client()
        .find(Locator::Css("#filter-search"))
        .await
        .unwrap()
        .send_keys("Peskov")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let filtered = browser.rows().await;
    assert!(
        !filtered.is_empty() && filtered.len() < rows.len(),
        "{filtered:?}"
    );
    browser.click("#changes .change button.reject").await;
    let first = browser.rows().await;
    assert_eq!(first[0].1, "reject");
    browser
        .screenshot(&to.join("report-seed-filtered.png"))
        .await;
    browser.close().await;
}

/// Not the browser: what `redline report` refuses and how it reports files it
/// cannot read.
#[test]
fn unreadable_files_are_listed_and_exit_2() {
    let (dir, mut paths) = articles();
    paths.push(dir.path().join("missing.txt").to_str().unwrap().to_string());
    let out = dir.path().join("report.html");
    let result = redline()
        .arg("report")
        .args(&paths)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("missing.txt: no such file"), "{stderr}");
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("missing.txt: no such file"));
    assert!(
        html.contains("Dimitri Peskov"),
        "the readable files are reported"
    );

    let refused = redline()
        .args(["report", "-", "-o"])
        .arg(dir.path().join("stdin.html"))
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("needs file paths"));
    assert!(!dir.path().join("stdin.html").exists());
}
