//! Runs every `[[test]]` block of every built-in rule file (`rules/**/*.toml`).
//!
//! Each block runs the pipeline with only the file's pass (plus any rules the block
//! enables), and checks the cleaned text and the rule ids of all findings.

use redline::config::Settings;
use redline::rules::RuleFile;
use redline::Engine;

#[test]
fn every_rule_file_test_block_holds() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in RuleFile::builtins() {
        for (i, case) in file.data.test.iter().enumerate() {
            count += 1;
            let settings = Settings {
                only: vec![file.data.pass.clone()],
                enable: case.enable.clone(),
                apply: case.apply.clone(),
                ..Settings::default()
            };
            let engine = Engine::new(settings).expect("test settings are valid");
            let run = engine.pipeline.run(&case.input);
            let expected = case.output.as_deref().unwrap_or(&case.input);
            let mut got_rules: Vec<String> =
                run.findings().map(|(_, f)| f.rule.to_string()).collect();
            got_rules.sort();
            let mut want_rules = case.findings.clone();
            want_rules.sort();
            if run.output() != expected || got_rules != want_rules {
                failures.push(format!(
                    "{} test #{} input {:?}\n  expected {:?} with {:?}\n  got      {:?} with {:?}",
                    file.path,
                    i + 1,
                    case.input,
                    expected,
                    want_rules,
                    run.output(),
                    got_rules
                ));
            }
        }
    }
    assert!(count > 0, "no [[test]] blocks found");
    assert!(
        failures.is_empty(),
        "{} of {count} rule-file tests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
