//! The library API a program links (and the Python package wraps): an engine
//! from typed options, owned findings placed in the original text, counts that
//! agree with the command line's statistics.

mod common;

use redline::config::Settings;
use redline::located::LocatedFinding;
use redline::options::{Apply, Names, Options, RuleSource, Spelling};
use redline::render::statistics::Statistics;
use redline::Engine;

/// The seeds and the peer cases (the repository's own copy, so that a clone
/// with nothing beside it runs this).
fn documents() -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(common::root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut docs: Vec<String> = paths
        .iter()
        .map(|p| redline::io::decode::decode(&std::fs::read(p).unwrap(), None).unwrap())
        .map(|d| d.text)
        .collect();
    // The peer cases: short texts with something to fix in each.
    let mut peers: Vec<_> = std::fs::read_dir(common::peer_cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    peers.sort();
    assert!(peers.len() >= 9, "the vendored peer cases are missing");
    for path in peers {
        let text = std::fs::read_to_string(path).unwrap();
        for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            docs.push(case["input"].as_str().unwrap().to_string());
        }
    }
    docs.push("😀 Ã©tÃ© “x”.. 𝒳 , y\r\nl’été .. z".to_string());
    docs
}

#[test]
fn options_build_the_engine_the_settings_build() {
    let options = Options {
        disable: vec!["quotes".into()],
        apply: Apply::Review,
        spelling: Spelling::EnGb,
        ..Options::default()
    };
    let settings = Settings {
        disable: vec!["quotes".into()],
        apply: Some("review".into()),
        spelling: Some("en-GB".into()),
        ..Settings::default()
    };
    let (a, b) = (
        Engine::from_options(&options).unwrap(),
        Engine::new(settings).unwrap(),
    );
    assert_eq!(a.pipeline.pass_names(), b.pipeline.pass_names());
    for doc in documents() {
        assert_eq!(a.clean(&doc), b.pipeline.run(&doc).output());
        assert_eq!(a.check(&doc), b.check(&doc));
    }
}

/// Whether two findings' original ranges overlap or touch.
fn touch(a: &LocatedFinding, b: &LocatedFinding) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[test]
fn findings_are_placed_in_the_original_text() {
    let engine = Engine::from_options(&Options {
        apply: Apply::Review,
        ..Options::default()
    })
    .unwrap();
    let mut compared = 0;
    for doc in documents() {
        let findings = engine.check(&doc);
        let mut applied: Vec<&LocatedFinding> = Vec::new();
        for f in &findings {
            assert_eq!(f.char_start, doc[..f.start].chars().count());
            assert_eq!(f.char_end, doc[..f.end].chars().count());
            // line:column is where the finding starts: its fix's start or
            // before it on the same line (`..`: the fix removes the second stop).
            let line_start = doc
                .split_inclusive('\n')
                .take(f.line - 1)
                .map(str::len)
                .sum::<usize>();
            let anchor = line_start
                + doc[line_start..]
                    .chars()
                    .take(f.column - 1)
                    .map(char::len_utf8)
                    .sum::<usize>();
            assert!(
                anchor <= f.start && !doc[anchor..f.start].contains('\n'),
                "{f:?}"
            );
            if !applied.iter().any(|g| touch(f, g)) {
                assert_eq!(&doc[f.start..f.end], f.before, "{f:?}");
                compared += 1;
            }
            if f.applied {
                applied.push(f);
            }
        }
    }
    assert!(compared > 100, "only {compared} findings compared");
}

#[test]
fn counts_are_the_statistics_findings_column() {
    let engine = Engine::default_config();
    let mut stats = Statistics::default();
    let mut summed = std::collections::BTreeMap::<String, usize>::new();
    for doc in documents() {
        let run = engine.pipeline.run(&doc);
        stats.add_document(doc.len(), run.changed(), run.findings_applied());
        let (clean, counts) = engine.clean_with_counts(&doc);
        assert_eq!(clean, run.output());
        for (rule, n) in counts {
            *summed.entry(rule).or_default() += n;
        }
    }
    let column: std::collections::BTreeMap<String, usize> = stats
        .rules
        .into_iter()
        .map(|(rule, s)| (rule, s.findings))
        .collect();
    assert!(!column.is_empty());
    assert_eq!(summed, column);
}

#[test]
fn rule_files_from_text_equal_rule_files_from_paths() {
    let source = "pass = \"variants\"\n[[rule]]\nid = \"desk.names\"\ndescription = \"d\"\n\
                  applicability = \"safe\"\n[variants]\n\"Jon Smyth\" = \"John Smith\"\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.toml");
    std::fs::write(&path, source).unwrap();
    let from_text = Engine::from_options(&Options {
        rule_files: vec![RuleSource::Toml {
            name: "desk.toml".into(),
            source: source.into(),
        }],
        ..Options::default()
    })
    .unwrap();
    let from_path = Engine::from_options(&Options {
        rule_files: vec![RuleSource::Path(path.clone())],
        ..Options::default()
    })
    .unwrap();
    let text = "Jon Smyth said so..";
    assert_eq!(from_text.clean(text), "John Smith said so.");
    assert_eq!(from_path.check(text), from_text.check(text));

    let missing = Options {
        rule_files: vec![RuleSource::Path(dir.path().join("nope.toml"))],
        ..Options::default()
    };
    let e = Engine::from_options(&missing).err().unwrap();
    assert_eq!(e.option, "rule-files");
    assert!(e.to_string().contains("nope.toml"), "{e}");
}

#[test]
fn bad_rule_files_fail_as_in_a_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("quotes.toml", "pass = \"quotes\"\n"),
        ("bad.toml", "pass = \"variants\"\nbogus = 1\n"),
        (
            "dup.toml",
            "pass = \"variants\"\n[[rule]]\nid = \"variants.name\"\ndescription = \"d\"\n\
             applicability = \"safe\"\n",
        ),
    ];
    for (name, source) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, source).unwrap();
        let from_config = redline::config::RuleSet::load(std::slice::from_ref(&path))
            .unwrap_err()
            .to_string();
        for rule_file in [
            RuleSource::Path(path.clone()),
            RuleSource::Toml {
                name: path.display().to_string(),
                source: source.to_string(),
            },
        ] {
            let options = Options {
                rule_files: vec![rule_file],
                ..Options::default()
            };
            let e = Engine::from_options(&options).err().unwrap();
            assert_eq!(e.option, "rule-files");
            assert_eq!(e.source.to_string(), from_config, "{name}");
        }
    }
}

/// `redline --no-config ARGS clean` on `text` (stdin): exit code, stdout, stderr.
fn cli_clean(args: &[&str], text: &str) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("--no-config")
        .args(args)
        .arg("clean")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = text.to_string();
    // A run that fails on its settings exits without reading its input: the
    // write may then meet a closed pipe, which is not the test's concern.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const OUR_NAMES: &str = "pass = \"variants\"\nmin-words = 1\n[[rule]]\nid = \"variants.name\"\n\
                         description = \"our names\"\napplicability = \"safe\"\n[variants]\n\
                         \"Jon Smyth\" = \"John Smith\"\n";

#[test]
fn names_option_cleans_as_the_cli_names_flag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("our-names.toml");
    std::fs::write(&path, OUR_NAMES).unwrap();
    let mut text = documents().join("\n\n");
    text.push_str("\n\nJon Smyth met Dimitri Peskov in Nagorno Karabakh.\n");
    let flag = path.to_str().unwrap();
    let cases = [
        ("builtin", Names::Builtin),
        ("none", Names::None),
        (flag, Names::Map(RuleSource::Path(path.clone()))),
        (
            flag,
            Names::Map(RuleSource::Toml {
                name: flag.into(),
                source: OUR_NAMES.into(),
            }),
        ),
        (flag, flag.parse().unwrap()),
    ];
    let mut outputs = Vec::new();
    for (word, names) in cases {
        let engine = Engine::from_options(&Options {
            names: names.clone(),
            ..Options::default()
        })
        .unwrap();
        let (code, cli, stderr) = cli_clean(&["--names", word], &text);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(engine.clean(&text), cli, "--names {word} / {names:?}");
        outputs.push(cli);
    }
    // The three maps clean differently: the file replaces the built-in map
    // (Peskov stays), `none` changes no name.
    let tail = |s: &str| s.lines().last().unwrap().to_string();
    assert_eq!(
        tail(&outputs[0]),
        "Jon Smyth met Dmitry Peskov in Nagorno-Karabakh."
    );
    assert_eq!(
        tail(&outputs[1]),
        "Jon Smyth met Dimitri Peskov in Nagorno Karabakh."
    );
    assert_eq!(
        tail(&outputs[2]),
        "John Smith met Dimitri Peskov in Nagorno Karabakh."
    );
    // `none` keeps the rule known: selecting it is not an error.
    let off = Options {
        names: Names::None,
        enable: vec!["variants.name".into()],
        ..Options::default()
    };
    assert!(Engine::from_options(&off).is_ok());
}

#[test]
fn bad_names_maps_fail_as_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("missing.toml", None),
        ("quotes.toml", Some("pass = \"quotes\"\n")),
        ("bad.toml", Some("pass = \"variants\"\nbogus = 1\n")),
        (
            "dup.toml",
            Some(
                "pass = \"variants\"\n[[rule]]\nid = \"variants.en-gb\"\ndescription = \"d\"\n\
                 applicability = \"safe\"\n",
            ),
        ),
    ];
    for (name, source) in cases {
        let path = dir.path().join(name);
        if let Some(source) = source {
            std::fs::write(&path, source).unwrap();
        }
        let (code, _, stderr) = cli_clean(&["--names", path.to_str().unwrap()], "x");
        assert_eq!(code, Some(2), "{name}: {stderr}");
        let mut sources = vec![RuleSource::Path(path.clone())];
        if let Some(source) = source {
            sources.push(RuleSource::Toml {
                name: path.display().to_string(),
                source: source.into(),
            });
        }
        for source in sources {
            let options = Options {
                names: Names::Map(source),
                ..Options::default()
            };
            let e = Engine::from_options(&options).err().unwrap();
            assert_eq!(e.option, "names", "{name}");
            let message = e.source.to_string();
            assert!(
                stderr.contains(&message),
                "{name}: {message:?} not in {stderr:?}"
            );
        }
    }
}
