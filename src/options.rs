//! Options for programs that link redline: the command line's pipeline options
//! as typed values, with rule data that can come from text as well as files.
//!
//! A program (or a worker on another machine) builds an [`Engine`] from
//! [`Options`]; values with a fixed set of choices are enums, parsed once at the
//! edge with the command line's words (`safe`, `review`, `en-GB`, `none`).
//! Rule files can be given as their TOML text ([`RuleSource::Toml`]), so that a
//! worker receives configuration, not files. `redline.toml` is never looked
//! for: a program says what it wants.
//!
//! Errors name the option they are about ([`OptionError::option`]) and say what
//! to write instead, with the command line's wording.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::config::{ConfigError, RuleSet, Settings};
use crate::finding::Applicability;
use crate::rules::RuleFile;
use crate::Engine;

/// How far fixes apply: the command line's `--apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Apply {
    /// Only safe fixes (the default).
    #[default]
    Safe,
    /// Safe fixes and those that normally wait for a person's yes.
    Review,
}

impl Apply {
    /// `safe` or `review`.
    pub fn as_str(self) -> &'static str {
        match self {
            Apply::Safe => "safe",
            Apply::Review => "review",
        }
    }

    /// The lowest applicability that is applied.
    pub fn threshold(self) -> Applicability {
        match self {
            Apply::Safe => Applicability::Safe,
            Apply::Review => Applicability::Review,
        }
    }
}

impl FromStr for Apply {
    type Err = ConfigError;

    /// Parses `safe` or `review`, with the command line's error otherwise.
    ///
    /// ```
    /// use redline::options::Apply;
    /// assert_eq!("review".parse::<Apply>().unwrap(), Apply::Review);
    /// let e = "unsafe".parse::<Apply>().unwrap_err().to_string();
    /// assert!(e.contains("use `safe` (default) or `review`"), "{e}");
    /// ```
    fn from_str(s: &str) -> Result<Apply, ConfigError> {
        let settings = Settings {
            apply: Some(s.to_string()),
            ..Settings::default()
        };
        match RuleSet::threshold(&settings)? {
            Applicability::Review => Ok(Apply::Review),
            _ => Ok(Apply::Safe),
        }
    }
}

impl fmt::Display for Apply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// House spelling: the command line's `--spelling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Spelling {
    /// Spelling as written (the default): no US→UK map.
    #[default]
    None,
    /// British spelling with -ise: switches on `variants.en-gb`.
    EnGb,
}

impl Spelling {
    /// `none` or `en-GB`.
    pub fn as_str(self) -> &'static str {
        match self {
            Spelling::None => "none",
            Spelling::EnGb => "en-GB",
        }
    }
}

impl FromStr for Spelling {
    type Err = ConfigError;

    /// Parses `none` or `en-GB` (any case), with the command line's error
    /// otherwise.
    ///
    /// ```
    /// use redline::options::Spelling;
    /// assert_eq!("en-gb".parse::<Spelling>().unwrap(), Spelling::EnGb);
    /// assert!("fr".parse::<Spelling>().unwrap_err().to_string().contains("unknown spelling `fr`"));
    /// ```
    fn from_str(s: &str) -> Result<Spelling, ConfigError> {
        if s == "none" {
            Ok(Spelling::None)
        } else if s.eq_ignore_ascii_case("en-GB") {
            Ok(Spelling::EnGb)
        } else {
            Err(ConfigError::Value(format!(
                "unknown spelling `{s}`; use `en-GB` (US→UK, -ise) or `none`"
            )))
        }
    }
}

impl fmt::Display for Spelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an extra rule file comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RuleSource {
    /// A file, read when the engine is built.
    Path(PathBuf),
    /// A rule file's TOML text; `name` stands for the file in error messages and
    /// in `redline rules`.
    Toml {
        /// What to call it (e.g. `newsroom-names.toml`).
        name: String,
        /// The rule file's contents.
        source: String,
    },
}

/// What an engine does: the command line's pipeline options.
///
/// ```
/// use redline::options::{Apply, Options, RuleSource, Spelling};
/// use redline::Engine;
///
/// let options = Options {
///     disable: vec!["quotes".into()],
///     apply: Apply::Safe,
///     spelling: Spelling::EnGb,
///     rule_files: vec![RuleSource::Toml {
///         name: "desk.toml".into(),
///         source: r#"
///             pass = "variants"
///             [[rule]]
///             id = "desk.names"
///             description = "our house spelling of names"
///             applicability = "safe"
///             [variants]
///             "Jon Smyth" = "John Smith"
///         "#
///         .into(),
///     }],
///     ..Options::default()
/// };
/// let engine = Engine::from_options(&options).unwrap();
/// assert_eq!(engine.clean("Jon Smyth organized it.."), "John Smith organised it.");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Passes or rules to run exclusively (`--only`); empty means the defaults.
    pub only: Vec<String>,
    /// Passes or rules to switch on (`--enable`).
    pub enable: Vec<String>,
    /// Passes or rules to switch off (`--disable`).
    pub disable: Vec<String>,
    /// How far fixes apply (`--apply`).
    pub apply: Apply,
    /// House spelling (`--spelling`).
    pub spelling: Spelling,
    /// Extra rule files, after the built-in ones (`rule-files` in `redline.toml`).
    pub rule_files: Vec<RuleSource>,
    /// Decode bytes with this encoding label instead of detecting it
    /// (`--encoding`); only [`Engine::clean_bytes`] uses it.
    pub encoding: Option<String>,
}

/// An option whose value cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{option}: {source}")]
pub struct OptionError {
    /// The option's name as the command line spells it without dashes
    /// (`only`, `enable`, `disable`, `rule-files`, `encoding`).
    pub option: &'static str,
    /// What is wrong with it.
    pub source: ConfigError,
}

impl Options {
    /// The same options as configuration-file settings (rule files as paths
    /// only: text sources have none).
    // `..Settings::default()` keeps this compiling when settings that are not
    // pipeline options are added.
    #[allow(clippy::needless_update)]
    pub fn to_settings(&self) -> Settings {
        Settings {
            apply: Some(self.apply.as_str().to_string()),
            only: self.only.clone(),
            enable: self.enable.clone(),
            disable: self.disable.clone(),
            spelling: match self.spelling {
                Spelling::None => None,
                Spelling::EnGb => Some("en-GB".to_string()),
            },
            encoding: self.encoding.clone(),
            rule_files: self
                .rule_files
                .iter()
                .filter_map(|r| match r {
                    RuleSource::Path(p) => Some(p.clone()),
                    RuleSource::Toml { .. } => None,
                })
                .collect(),
            ..Settings::default()
        }
    }

    /// The built-in rules plus [`rule_files`](Self::rule_files), validated as
    /// [`RuleSet::load`] validates files (same checks, same messages; the
    /// `tests/library.rs` parity test keeps the two in step).
    pub fn rule_set(&self) -> Result<RuleSet, OptionError> {
        let wrap = |source| OptionError {
            option: "rule-files",
            source,
        };
        let mut files = RuleFile::builtins();
        for file in &self.rule_files {
            let (name, source) = match file {
                RuleSource::Path(path) => {
                    let source = std::fs::read_to_string(path).map_err(|source| {
                        wrap(ConfigError::Read {
                            path: path.clone(),
                            source,
                        })
                    })?;
                    (path.display().to_string(), Cow::Owned(source))
                }
                RuleSource::Toml { name, source } => (name.clone(), Cow::Borrowed(source.as_str())),
            };
            let file = RuleFile::parse(&name, &source).map_err(|e| wrap(e.into()))?;
            if file.data.pass != "variants" {
                return Err(wrap(ConfigError::Value(format!(
                    "{name}: user rule files extend the variants pass (pass = \"variants\"); \
                     `{}` rules are built in",
                    file.data.pass
                ))));
            }
            files.push(file);
        }
        let mut seen = HashSet::new();
        for file in &files {
            for rule in &file.data.rule {
                if !seen.insert(rule.id.as_str()) {
                    return Err(wrap(ConfigError::Value(format!(
                        "{}: rule id `{}` is already defined; give this file's rule another id",
                        file.path, rule.id
                    ))));
                }
            }
        }
        Ok(RuleSet { files })
    }
}

impl Engine {
    /// Builds an engine from typed options (no configuration file is read).
    /// An unknown pass or rule, a bad rule file or an unknown encoding is an
    /// error naming the option.
    ///
    /// ```
    /// use redline::options::Options;
    /// use redline::Engine;
    ///
    /// let bad = Options { disable: vec!["grammar".into()], ..Options::default() };
    /// let e = Engine::from_options(&bad).err().unwrap();
    /// assert_eq!(e.option, "disable");
    /// assert!(e.to_string().starts_with("disable: unknown pass or rule `grammar`"));
    /// ```
    pub fn from_options(options: &Options) -> Result<Engine, OptionError> {
        let rules = options.rule_set()?;
        let settings = options.to_settings();
        // Check each list on its own first, so that the error names the option.
        for (option, list) in [
            ("only", &options.only),
            ("enable", &options.enable),
            ("disable", &options.disable),
        ] {
            let alone = Settings {
                enable: list.clone(),
                ..Settings::default()
            };
            rules
                .active_rules(&alone)
                .map_err(|source| OptionError { option, source })?;
        }
        if let Some(label) = &options.encoding {
            if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
                return Err(OptionError {
                    option: "encoding",
                    source: ConfigError::Value(
                        crate::io::decode::DecodeError::UnknownEncoding(label.clone()).to_string(),
                    ),
                });
            }
        }
        Engine::with_rules(settings, rules).map_err(|source| OptionError {
            option: "options",
            source,
        })
    }
}
