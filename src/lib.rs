//! redline: a text-cleaning pipeline for article corpora that shows exactly what
//! every pass changed.
//!
//! The core is small and does no I/O: a [`Pass`](pass::Pass) takes `&str` and
//! reports [`Finding`](finding::Finding)s; the [`Pipeline`](pipeline::Pipeline)
//! runs passes in order and records a [`Step`](pipeline::Step) per pass. Decoding
//! and writing files live in [`io`], formatting for people and machines in
//! [`render`], the command line in `main.rs`.
//!
//! # Using the library
//!
//! Build an [`Engine`] once from [`Options`](options::Options) (typed values;
//! rule files as paths or as TOML text), then clean or check any number of
//! documents, from any number of threads:
//!
//! ```
//! use redline::options::{Apply, Options};
//! use redline::Engine;
//!
//! let engine = Engine::from_options(&Options { apply: Apply::Safe, ..Options::default() })?;
//! let text = "Café “déjà vu”.. It\u{2019}s Ã©tÃ©.";
//! assert_eq!(engine.clean(text), "Café “déjà vu”. It\u{2019}s été.");
//!
//! // Every finding, owned, placed in the original text.
//! for f in engine.check(text) {
//!     let chars: String = text.chars().skip(f.char_start).take(f.char_end - f.char_start).collect();
//!     assert_eq!(&text[f.start..f.end], chars);
//!     println!("{}:{} {} {} {:?} -> {:?} applied={}", f.line, f.column, f.rule, f.applicability, f.before, f.after, f.applied);
//! }
//! # Ok::<(), redline::options::OptionError>(())
//! ```
//!
//! With `default-features = false` the library builds without the command
//! line's dependencies (the `cli` feature: argument parsing, terminal review,
//! progress bars, folder walking, JSON Lines files, atomic writes).
#![deny(missing_docs)]

pub(crate) mod byteset;
pub mod changeset;
pub mod chunks;
pub mod config;
pub mod finding;
pub mod io;
pub mod names;
pub mod origin;
pub(crate) mod parts;
pub mod pass;
pub mod passes;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod triggers;
// What a program linking redline uses beside `Engine`.
pub mod located;
pub mod options;

use std::collections::BTreeMap;

use config::{ConfigError, RuleSet, Settings};
use io::decode::{DecodeError, Decoded};
use located::LocatedFinding;
use pipeline::Pipeline;

/// Everything needed to clean documents: the rules and the pipeline built from
/// the settings. Build once, share across threads.
pub struct Engine {
    /// All known rules.
    pub rules: RuleSet,
    /// The passes to run.
    pub pipeline: Pipeline,
    /// The settings it was built from.
    pub settings: Settings,
}

impl Engine {
    /// Builds the engine from resolved settings.
    pub fn new(settings: Settings) -> Result<Engine, ConfigError> {
        let rules = RuleSet::for_settings(&settings)?;
        Engine::with_rules(settings, rules)
    }

    /// The engine with the default configuration.
    pub fn default_config() -> Engine {
        Engine::new(Settings::default()).expect("built-in configuration is valid")
    }
}

/// Cleaning and checking single documents: what a program linking redline calls.
impl Engine {
    /// Builds the engine from resolved settings and rules already loaded
    /// (`settings.rule_files` is not read again): what [`Engine::new`] does
    /// after loading the rules, for rules that come from elsewhere
    /// ([`Engine::from_options`] takes them as text).
    pub fn with_rules(settings: Settings, rules: RuleSet) -> Result<Engine, ConfigError> {
        let active = rules.active_rules(&settings)?;
        let threshold = RuleSet::threshold(&settings)?;
        let passes = passes::build(&rules, &active);
        Ok(Engine {
            rules,
            pipeline: Pipeline::new(passes, active, threshold),
            settings,
        })
    }

    /// The cleaned text: what `redline clean` writes for this text.
    ///
    /// ```
    /// let engine = redline::Engine::default_config();
    /// assert_eq!(engine.clean("It ended.."), "It ended.");
    /// ```
    pub fn clean(&self, text: &str) -> String {
        self.pipeline.clean(text)
    }

    /// Every finding (applied fixes, fixes held back, flags), in the order
    /// `redline check` lists them, placed in the original text.
    ///
    /// ```
    /// use redline::finding::Applicability;
    /// let engine = redline::Engine::default_config();
    /// let text = "Über “x”.. Yes";
    /// let findings = engine.check(text);
    /// let f = &findings[0];
    /// assert_eq!((f.rule.as_str(), f.pass, f.applied), ("punct.double-period", "punctuation", true));
    /// assert_eq!(f.applicability, Applicability::Safe);
    /// // The fix removes the second stop; the line and column are the finding's (`..`).
    /// assert_eq!((f.before.as_str(), f.after.as_deref()), (".", Some("")));
    /// assert_eq!(&text[f.start..f.end], ".");
    /// assert_eq!((f.char_start, f.char_end, f.line, f.column), (9, 10, 1, 9));
    /// ```
    pub fn check(&self, text: &str) -> Vec<LocatedFinding> {
        self.clean_and_check(text).1
    }

    /// The cleaned text and every finding, from one run.
    pub fn clean_and_check(&self, text: &str) -> (String, Vec<LocatedFinding>) {
        let run = self.pipeline.run(text);
        let findings = located::locate(&run)
            .iter()
            .map(located::Located::to_owned_finding)
            .collect();
        (run.output().to_string(), findings)
    }

    /// The cleaned text and how many findings each rule reported (applied,
    /// held back and flags): per document, the `findings` column of
    /// `redline check --statistics`. Cheaper than [`check`](Self::check): no
    /// intermediate text is kept.
    ///
    /// ```
    /// let engine = redline::Engine::default_config();
    /// let (clean, counts) = engine.clean_with_counts("One.. Two.. Three");
    /// assert_eq!(clean, "One. Two. Three");
    /// assert_eq!(counts["punct.double-period"], 2);
    /// ```
    pub fn clean_with_counts(&self, text: &str) -> (String, BTreeMap<String, usize>) {
        let mut run = self.pipeline.run_lean(text.to_string());
        let mut counts = BTreeMap::new();
        for (finding, _) in run.findings_applied() {
            *counts.entry(finding.rule.to_string()).or_insert(0) += 1;
        }
        (run.texts.pop().unwrap_or_default(), counts)
    }

    /// Decodes `bytes` as the command line does (byte-order mark, strict UTF-8,
    /// else the legacy encoding detected; or the `encoding` option if set) and
    /// returns the decoding with its text cleaned.
    ///
    /// ```
    /// let engine = redline::Engine::default_config();
    /// let d = engine.clean_bytes(b"caf\xe9 \x93ok\x94..".to_vec()).unwrap();
    /// assert_eq!((d.text.as_str(), d.encoding), ("café “ok”.", "windows-1252"));
    /// ```
    pub fn clean_bytes(&self, bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
        let mut decoded = io::decode::decode_vec(bytes, self.settings.encoding.as_deref())?;
        let mut run = self.pipeline.run_lean(std::mem::take(&mut decoded.text));
        decoded.text = run.texts.pop().unwrap_or_default();
        Ok(decoded)
    }
}
