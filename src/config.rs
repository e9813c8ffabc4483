//! Configuration: which passes and rules run, and how far fixes apply.
//!
//! Layers, later wins: built-in defaults → `redline.toml` (found by walking up
//! from the working directory) or `--config FILE` → command-line flags. Unknown
//! keys are errors that name the key and the file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Applicability;
use crate::rules::{line_column, RuleFile, RuleFileError};

/// The configuration file's name, looked for in the working directory and up.
pub const CONFIG_FILE_NAME: &str = "redline.toml";

/// Settings as read from a configuration file or the command line.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// `safe` (default) or `review`: the lowest applicability that is applied.
    pub apply: Option<String>,
    /// Passes or rules to run exclusively.
    #[serde(default)]
    pub only: Vec<String>,
    /// Passes or rules to switch on.
    #[serde(default)]
    pub enable: Vec<String>,
    /// Passes or rules to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// House spelling: `en-GB` switches on the US→UK map.
    pub spelling: Option<String>,
    /// Forced input encoding label (e.g. `windows-1252`, `utf-8`).
    pub encoding: Option<String>,
    /// Extra rule files (e.g. a newsroom's names list), relative to the config file.
    #[serde(default)]
    pub rule_files: Vec<PathBuf>,
    /// The names map: `builtin` (default), `none`, or a rule file (such as one
    /// written by `redline names`) used instead of the built-in map.
    pub names: Option<String>,
}

/// Which names map the `variants` pass uses (`names` in the settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamesMap {
    /// `rules/variants/names.toml`.
    Builtin,
    /// No names map: `variants.name` is off and empty.
    None,
    /// This rule file instead of the built-in map.
    File(PathBuf),
}

/// The built-in names map's rule file, which `names` replaces.
const BUILTIN_NAMES_FILE: &str = "rules/variants/names.toml";

/// What is wrong with the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A rule file is not valid.
    #[error("{0}")]
    RuleFile(#[from] RuleFileError),
    /// A value is not allowed.
    #[error("{0}")]
    Value(String),
}

impl Settings {
    /// Parses a configuration file's text.
    pub fn parse(path: &Path, source: &str) -> Result<Settings, ConfigError> {
        let mut settings: Settings = toml::from_str(source).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_column(source, s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim_end().to_string(),
            }
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        for file in &mut settings.rule_files {
            if file.is_relative() {
                *file = base.join(&*file);
            }
        }
        if let Some(names) = &mut settings.names {
            if !matches!(names.as_str(), "builtin" | "none") && Path::new(names).is_relative() {
                *names = base.join(&*names).display().to_string();
            }
        }
        Ok(settings)
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Settings::parse(path, &source)
    }

    /// Finds `redline.toml` in `start` or the nearest folder above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE_NAME))
            .find(|p| p.is_file())
    }

    /// `self` with `over`'s values on top (lists are appended, scalars replaced).
    pub fn merge(mut self, over: Settings) -> Settings {
        if over.apply.is_some() {
            self.apply = over.apply;
        }
        if !over.only.is_empty() {
            self.only = over.only;
        }
        self.enable.extend(over.enable);
        self.disable.extend(over.disable);
        if over.spelling.is_some() {
            self.spelling = over.spelling;
        }
        if over.encoding.is_some() {
            self.encoding = over.encoding;
        }
        self.rule_files.extend(over.rule_files);
        if over.names.is_some() {
            self.names = over.names;
        }
        self
    }

    /// The names map chosen by `names`.
    pub fn names_map(&self) -> NamesMap {
        match self.names.as_deref() {
            None | Some("builtin") => NamesMap::Builtin,
            Some("none") => NamesMap::None,
            Some(path) => NamesMap::File(PathBuf::from(path)),
        }
    }
}

/// Every rule known to redline: built-in plus user rule files.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The rule files, built-ins first.
    pub files: Vec<RuleFile>,
}

fn read_rule_file(path: &Path) -> Result<RuleFile, ConfigError> {
    let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(RuleFile::parse(&path.display().to_string(), &source)?)
}

/// One rule's row in `redline rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRow {
    /// The pass it belongs to.
    pub pass: String,
    /// Its id.
    pub id: String,
    /// On without configuration.
    pub default: bool,
    /// `safe`, `review` or `flag`.
    pub applicability: Applicability,
    /// One line.
    pub description: String,
    /// The rule file it comes from.
    pub file: String,
}

impl RuleSet {
    /// The built-in rule files plus the user's.
    pub fn load(extra: &[PathBuf]) -> Result<RuleSet, ConfigError> {
        RuleSet::load_with(&NamesMap::Builtin, extra)
    }

    /// The rules for `settings`: its names map and extra rule files.
    pub fn for_settings(settings: &Settings) -> Result<RuleSet, ConfigError> {
        RuleSet::load_with(&settings.names_map(), &settings.rule_files)
    }

    /// The built-in rule files, with the names map chosen by `names`, plus the
    /// user's.
    pub fn load_with(names: &NamesMap, extra: &[PathBuf]) -> Result<RuleSet, ConfigError> {
        let mut files = RuleFile::builtins();
        match names {
            NamesMap::Builtin => {}
            NamesMap::None => RuleSet::use_names_map(&mut files, None)?,
            NamesMap::File(path) => {
                RuleSet::use_names_map(&mut files, Some(read_rule_file(path)?))?
            }
        }
        for path in extra {
            let file = read_rule_file(path)?;
            if file.data.pass != "variants" {
                return Err(ConfigError::Value(format!(
                    "{}: user rule files extend the variants pass (pass = \"variants\"); \
                     `{}` rules are built in",
                    path.display(),
                    file.data.pass
                )));
            }
            files.push(file);
        }
        let mut seen = HashSet::new();
        for file in &files {
            for rule in &file.data.rule {
                if !seen.insert(rule.id.clone()) {
                    return Err(ConfigError::Value(format!(
                        "{}: rule id `{}` is already defined; give this file's rule another id",
                        file.path, rule.id
                    )));
                }
            }
        }
        Ok(RuleSet { files })
    }

    /// Puts a names map in place of the built-in one in `files` (the built-in
    /// rule files): `None` switches the map off (the rule stays known, so
    /// `--disable variants.name` still works, off and with an empty map), a
    /// rule file replaces it. The command line's `--names` and the library's
    /// `Options::names` both come here, so they mean and fail the same.
    pub fn use_names_map(
        files: &mut [RuleFile],
        names: Option<RuleFile>,
    ) -> Result<(), ConfigError> {
        let Some(slot) = files.iter().position(|f| f.path == BUILTIN_NAMES_FILE) else {
            return Ok(());
        };
        match names {
            None => {
                files[slot].data.variants.clear();
                for rule in &mut files[slot].data.rule {
                    rule.default = false;
                }
            }
            Some(file) => {
                if file.data.pass != "variants" {
                    return Err(ConfigError::Value(format!(
                        "{}: a names map has pass = \"variants\" (see `redline names --format toml`)",
                        file.path
                    )));
                }
                files[slot] = file;
            }
        }
        Ok(())
    }

    /// Every rule, in pass order.
    pub fn rows(&self) -> Vec<RuleRow> {
        let mut rows: Vec<RuleRow> = self
            .files
            .iter()
            .flat_map(|file| {
                file.data.rule.iter().map(|r| RuleRow {
                    pass: file.data.pass.clone(),
                    id: r.id.clone(),
                    default: r.default,
                    applicability: Applicability::parse(&r.applicability)
                        .unwrap_or(Applicability::Flag),
                    description: r.description.clone(),
                    file: file.path.clone(),
                })
            })
            .collect();
        let order = |pass: &str| {
            crate::rules::PASS_NAMES
                .iter()
                .position(|p| *p == pass)
                .unwrap_or(usize::MAX)
        };
        rows.sort_by_key(|r| order(&r.pass));
        rows
    }

    /// Resolves which rules are on, given the settings.
    pub fn active_rules(&self, settings: &Settings) -> Result<HashSet<String>, ConfigError> {
        let rows = self.rows();
        let matching = |selector: &str| -> Result<Vec<String>, ConfigError> {
            let hits: Vec<String> = rows
                .iter()
                .filter(|r| {
                    r.pass == selector
                        || r.id == selector
                        || r.id.starts_with(&format!("{selector}."))
                })
                .map(|r| r.id.clone())
                .collect();
            if hits.is_empty() {
                Err(ConfigError::Value(format!(
                    "unknown pass or rule `{selector}`; `redline rules` lists them"
                )))
            } else {
                Ok(hits)
            }
        };
        let mut active: HashSet<String> = if settings.only.is_empty() {
            rows.iter()
                .filter(|r| r.default)
                .map(|r| r.id.clone())
                .collect()
        } else {
            let mut only = HashSet::new();
            for sel in &settings.only {
                // `--only punctuation` runs that pass's default rules; naming a
                // rule runs it even if it is off by default.
                let is_pass = rows.iter().any(|r| r.pass == *sel);
                for id in matching(sel)? {
                    let default = rows.iter().any(|r| r.id == id && r.default);
                    if !is_pass || default {
                        only.insert(id);
                    }
                }
            }
            only
        };
        match settings.spelling.as_deref() {
            None | Some("none") => {}
            Some(s) if s.eq_ignore_ascii_case("en-GB") => {
                active.insert("variants.en-gb".to_string());
            }
            Some(other) => {
                return Err(ConfigError::Value(format!(
                    "unknown spelling `{other}`; use `en-GB` (US→UK, -ise) or `none`"
                )))
            }
        }
        for sel in &settings.enable {
            active.extend(matching(sel)?);
        }
        for sel in &settings.disable {
            for id in matching(sel)? {
                active.remove(&id);
            }
        }
        Ok(active)
    }

    /// The threshold from `apply`.
    pub fn threshold(settings: &Settings) -> Result<Applicability, ConfigError> {
        match settings.apply.as_deref() {
            None | Some("safe") => Ok(Applicability::Safe),
            Some("review") => Ok(Applicability::Review),
            Some(other) => Err(ConfigError::Value(format!(
                "`apply = {other}` is not allowed; use `safe` (default) or `review`"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> RuleSet {
        RuleSet::load(&[]).unwrap()
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let e = Settings::parse(
            Path::new("/x/redline.toml"),
            "apply = \"safe\"\ncolor = 1\n",
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("/x/redline.toml:2:1:"), "{text}");
        assert!(text.contains("color"), "{text}");
    }

    #[test]
    fn defaults_leave_us_uk_map_off() {
        let active = set().active_rules(&Settings::default()).unwrap();
        assert!(active.contains("variants.name"));
        assert!(!active.contains("variants.en-gb"));
    }

    #[test]
    fn spelling_en_gb_switches_the_uk_map_on() {
        let s = Settings {
            spelling: Some("en-GB".into()),
            ..Settings::default()
        };
        assert!(set().active_rules(&s).unwrap().contains("variants.en-gb"));
    }

    #[test]
    fn disable_a_pass_and_only_a_pass() {
        let s = Settings {
            disable: vec!["quotes".into()],
            ..Settings::default()
        };
        let active = set().active_rules(&s).unwrap();
        assert!(!active.iter().any(|r| r.starts_with("quotes.")));
        assert!(active.contains("variants.name"));

        let s = Settings {
            only: vec!["punctuation".into()],
            ..Settings::default()
        };
        let active = set().active_rules(&s).unwrap();
        assert!(!active.is_empty());
        assert!(active.iter().all(|r| r.starts_with("punct.")), "{active:?}");
    }

    #[test]
    fn unknown_selector_is_an_error() {
        let s = Settings {
            disable: vec!["grammar".into()],
            ..Settings::default()
        };
        let e = set().active_rules(&s).unwrap_err().to_string();
        assert!(e.contains("unknown pass or rule `grammar`"), "{e}");
    }

    #[test]
    fn names_none_switches_the_names_map_off_and_builtin_is_the_default() {
        assert_eq!(Settings::default().names_map(), NamesMap::Builtin);
        let s = Settings {
            names: Some("none".into()),
            ..Settings::default()
        };
        let set = RuleSet::for_settings(&s).unwrap();
        assert!(!set.active_rules(&s).unwrap().contains("variants.name"));
        let names = set
            .files
            .iter()
            .find(|f| f.path == BUILTIN_NAMES_FILE)
            .unwrap();
        assert!(names.data.variants.is_empty());
    }

    #[test]
    fn names_file_replaces_the_builtin_map_and_is_relative_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ours.toml"),
            "pass = \"variants\"\n[[rule]]\nid = \"variants.name\"\ndescription = \"x\"\n\
             applicability = \"safe\"\n[variants]\n\"Dmitry Peskov\" = \"Dimitri Peskov\"\n",
        )
        .unwrap();
        let s =
            Settings::parse(&dir.path().join("redline.toml"), "names = \"ours.toml\"\n").unwrap();
        assert_eq!(s.names_map(), NamesMap::File(dir.path().join("ours.toml")));
        let set = RuleSet::for_settings(&s).unwrap();
        let maps: Vec<_> = set
            .files
            .iter()
            .filter(|f| f.data.pass == "variants" && f.data.variants.contains_key("Dmitry Peskov"))
            .collect();
        assert_eq!(maps.len(), 1);
        assert!(!set
            .files
            .iter()
            .any(|f| f.data.variants.contains_key("Dimitri Peskov")));
        let missing = Settings {
            names: Some("/nonexistent/names.toml".into()),
            ..Settings::default()
        };
        let e = RuleSet::for_settings(&missing).unwrap_err().to_string();
        assert!(e.contains("/nonexistent/names.toml"), "{e}");
    }

    #[test]
    fn later_layers_win() {
        let file = Settings {
            apply: Some("review".into()),
            disable: vec!["quotes".into()],
            ..Settings::default()
        };
        let flags = Settings {
            apply: Some("safe".into()),
            ..Settings::default()
        };
        let merged = file.merge(flags);
        assert_eq!(merged.apply.as_deref(), Some("safe"));
        assert_eq!(merged.disable, vec!["quotes".to_string()]);
    }
}
