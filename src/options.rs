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

impl RuleSource {
    /// The rule file, read (for a path) and parsed; errors as for a rule file
    /// named in `redline.toml`.
    fn load(&self) -> Result<RuleFile, ConfigError> {
        let (name, source) = match self {
            RuleSource::Path(path) => {
                let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                (path.display().to_string(), Cow::Owned(source))
            }
            RuleSource::Toml { name, source } => (name.clone(), Cow::Borrowed(source.as_str())),
        };
        Ok(RuleFile::parse(&name, &source)?)
    }
}

/// Which names map the `variants` pass uses: the command line's `--names`.
///
/// A map ([`Names::Map`], such as one written by `redline names --format
/// toml`) *replaces* the built-in map, it does not extend it (extra rule files
/// do that); [`Names::None`] switches the map off but keeps its rule known, so
/// selecting `variants.name` is still not an error.
///
/// ```
/// use redline::options::{Names, Options, RuleSource};
/// use redline::Engine;
///
/// let ours = Names::Map(RuleSource::Toml {
///     name: "our-names.toml".into(),
///     source: r#"
///         pass = "variants"
///         [[rule]]
///         id = "variants.name"
///         description = "our spelling of names"
///         applicability = "safe"
///         [variants]
///         "Jon Smyth" = "John Smith"
///     "#
///     .into(),
/// });
/// let text = "Jon Smyth met Dimitri Peskov.";
/// let built_in = Engine::from_options(&Options::default()).unwrap();
/// assert_eq!(built_in.clean(text), "Jon Smyth met Dmitry Peskov.");
/// let replaced = Engine::from_options(&Options { names: ours, ..Options::default() }).unwrap();
/// assert_eq!(replaced.clean(text), "John Smith met Dimitri Peskov.");
/// let off = Options { names: "none".parse().unwrap(), ..Options::default() };
/// assert_eq!(Engine::from_options(&off).unwrap().clean(text), text);
///
/// let missing = Options { names: "/no/such/names.toml".parse().unwrap(), ..Options::default() };
/// let e = Engine::from_options(&missing).err().unwrap();
/// assert_eq!(e.option, "names");
/// assert!(e.to_string().starts_with("names: cannot read /no/such/names.toml"), "{e}");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Names {
    /// The built-in map, `rules/variants/names.toml` (the default).
    #[default]
    Builtin,
    /// No names map: `variants.name` is off and empty.
    None,
    /// This rule file instead of the built-in map.
    Map(RuleSource),
}

impl FromStr for Names {
    type Err = std::convert::Infallible;

    /// The command line's words: `builtin`, `none`, else a path.
    fn from_str(s: &str) -> Result<Names, Self::Err> {
        Ok(match s {
            "builtin" => Names::Builtin,
            "none" => Names::None,
            path => Names::Map(RuleSource::Path(PathBuf::from(path))),
        })
    }
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
    /// The names map (`--names`).
    pub names: Names,
    /// Decode bytes with this encoding label instead of detecting it
    /// (`--encoding`); only [`Engine::clean_bytes`] uses it.
    pub encoding: Option<String>,
}

/// An option whose value cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{option}: {source}")]
pub struct OptionError {
    /// The option's name as the command line spells it without dashes
    /// (`only`, `enable`, `disable`, `rule-files`, `names`, `encoding`).
    pub option: &'static str,
    /// What is wrong with it.
    pub source: ConfigError,
}

impl Options {
    /// The same options as configuration-file settings (rule files and a
    /// names map as paths only: text sources have none, and a names map given
    /// as text is left out).
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
            names: match &self.names {
                Names::Builtin | Names::Map(RuleSource::Toml { .. }) => None,
                Names::None => Some("none".to_string()),
                Names::Map(RuleSource::Path(p)) => Some(p.display().to_string()),
            },
            ..Settings::default()
        }
    }

    /// The built-in rules with the [`names`](Self::names) map in place, plus
    /// [`rule_files`](Self::rule_files), validated as [`RuleSet::for_settings`]
    /// validates files named in settings (same checks, same messages; the
    /// `tests/library.rs` parity tests keep the two in step).
    pub fn rule_set(&self) -> Result<RuleSet, OptionError> {
        let wrap = |option| move |source| OptionError { option, source };
        let mut files = RuleFile::builtins();
        match &self.names {
            Names::Builtin => {}
            Names::None => RuleSet::use_names_map(&mut files, None).map_err(wrap("names"))?,
            Names::Map(source) => {
                let map = source.load().map_err(wrap("names"))?;
                RuleSet::use_names_map(&mut files, Some(map)).map_err(wrap("names"))?;
            }
        }
        let builtins = files.len();
        for file in &self.rule_files {
            let file = file.load().map_err(wrap("rule-files"))?;
            if file.data.pass != "variants" {
                return Err(wrap("rule-files")(ConfigError::Value(format!(
                    "{}: user rule files extend the variants pass (pass = \"variants\"); \
                     `{}` rules are built in",
                    file.path, file.data.pass
                ))));
            }
            files.push(file);
        }
        let mut seen = HashSet::new();
        for (i, file) in files.iter().enumerate() {
            for rule in &file.data.rule {
                if !seen.insert(rule.id.as_str()) {
                    // The later file is at fault: a user rule file, else the
                    // names map (the only built-in slot that is not ours).
                    let option = if i >= builtins { "rule-files" } else { "names" };
                    return Err(wrap(option)(ConfigError::Value(format!(
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
