//! redline: a text-cleaning pipeline for article corpora that shows exactly what
//! every pass changed.
//!
//! The core is small and does no I/O: a [`Pass`](pass::Pass) takes `&str` and
//! reports [`Finding`](finding::Finding)s; the [`Pipeline`](pipeline::Pipeline)
//! runs passes in order and records a [`Step`](pipeline::Step) per pass. Decoding
//! and writing files live in [`io`], formatting for people and machines in
//! [`render`], the command line in `main.rs`.
#![deny(missing_docs)]

pub mod changeset;
pub mod config;
pub mod finding;
pub mod io;
pub mod names;
pub mod origin;
pub mod pass;
pub mod passes;
pub mod pipeline;
pub mod render;
pub mod rules;

use config::{ConfigError, RuleSet, Settings};
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
        let active = rules.active_rules(&settings)?;
        let threshold = RuleSet::threshold(&settings)?;
        let passes = passes::build(&rules, &active);
        Ok(Engine {
            rules,
            pipeline: Pipeline::new(passes, active, threshold),
            settings,
        })
    }

    /// The engine with the default configuration.
    pub fn default_config() -> Engine {
        Engine::new(Settings::default()).expect("built-in configuration is valid")
    }
}
