//! Rule files: the data behind the passes (`rules/*.toml`).
//!
//! A rule file names the pass it belongs to, describes its rules (id, default,
//! applicability, one-line description), may carry pass data (a variants map, a
//! list of abbreviations, phrases to keep) and carries `[[test]]` blocks that
//! `tests/rule_files.rs` runs. The built-in files are compiled into the binary;
//! users add their own (e.g. a newsroom's names list) through configuration.
//!
//! Loading validates everything a user can get wrong and says where: bad TOML,
//! unknown keys, empty keys, a key mapping to itself, cycles and chains in a map.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Applicability;

/// The rule files that ship with redline, as `(path, contents)`.
pub const BUILTIN_RULE_FILES: &[(&str, &str)] = &[
    (
        "rules/entities.toml",
        include_str!("../rules/entities.toml"),
    ),
    (
        "rules/mojibake.toml",
        include_str!("../rules/mojibake.toml"),
    ),
    ("rules/unicode.toml", include_str!("../rules/unicode.toml")),
    (
        "rules/punctuation.toml",
        include_str!("../rules/punctuation.toml"),
    ),
    ("rules/quotes.toml", include_str!("../rules/quotes.toml")),
    (
        "rules/variants/names.toml",
        include_str!("../rules/variants/names.toml"),
    ),
    (
        "rules/variants/en-gb.toml",
        include_str!("../rules/variants/en-gb.toml"),
    ),
];

/// A rule file as written, before validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFileData {
    /// The pass these rules belong to (`punctuation`, `variants`, …).
    pub pass: String,
    /// The rules this file defines.
    #[serde(default)]
    pub rule: Vec<RuleMeta>,
    /// Examples that must hold; run by the test suite.
    #[serde(default)]
    pub test: Vec<RuleTest>,
    /// Variants files: variant phrase → canonical phrase.
    #[serde(default)]
    pub variants: BTreeMap<String, Spanned<String>>,
    /// Variants files: the fewest words a key may have (2 for names maps: a bare
    /// first name is never a key).
    #[serde(default)]
    pub min_words: Option<usize>,
    /// Variants files: phrases that contain a key but must be kept as written
    /// (`Pearl Harbor`, `Australian Labor Party`).
    #[serde(default)]
    pub keep: Vec<String>,
    /// Punctuation: abbreviations whose own final dot may precede a stop.
    #[serde(default)]
    pub abbreviations: Vec<String>,
}

/// One rule's description.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// The rule id, e.g. `punct.double-period`.
    pub id: String,
    /// One line for `redline rules`.
    pub description: String,
    /// Whether the rule is on without configuration.
    #[serde(default = "default_true")]
    pub default: bool,
    /// `safe`, `review` or `flag`.
    pub applicability: String,
}

fn default_true() -> bool {
    true
}

/// A `[[test]]` block: input, expected output, expected rule ids.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleTest {
    /// The text given to the pipeline.
    pub input: String,
    /// The expected cleaned text; omitted means unchanged.
    #[serde(default)]
    pub output: Option<String>,
    /// The rule ids of every finding the file's pass reports, in text order.
    #[serde(default)]
    pub findings: Vec<String>,
    /// Extra rule ids or passes to switch on (e.g. `variants.en-gb`).
    #[serde(default)]
    pub enable: Vec<String>,
    /// `safe` (default) or `review`.
    #[serde(default)]
    pub apply: Option<String>,
}

/// A validated rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Where it came from (`rules/quotes.toml` for built-ins).
    pub path: String,
    /// Its contents.
    pub data: RuleFileData,
}

/// A rule file that cannot be used, with the place and what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFileError {
    /// The file.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for RuleFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for RuleFileError {}

/// The pass names a rule file may name.
pub const PASS_NAMES: &[&str] = &[
    "entities",
    "mojibake",
    "unicode",
    "punctuation",
    "quotes",
    "variants",
];

impl RuleFile {
    /// Parses and validates a rule file.
    pub fn parse(path: &str, source: &str) -> Result<RuleFile, RuleFileError> {
        let err_at = |span: Option<Range<usize>>, message: String| {
            let (line, column) = span.map_or((0, 0), |s| line_column(source, s.start));
            RuleFileError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        let data: RuleFileData = toml::from_str(source).map_err(|e| {
            err_at(
                e.span(),
                format!(
                    "{} (see rules/ in the redline repository for the format)",
                    e.message().trim_end()
                ),
            )
        })?;
        let key_span = |key: &str| find_key(source, key);

        if !PASS_NAMES.contains(&data.pass.as_str()) {
            return Err(err_at(
                find_key(source, "pass"),
                format!(
                    "unknown pass `{}`; use one of: {}",
                    data.pass,
                    PASS_NAMES.join(", ")
                ),
            ));
        }
        for rule in &data.rule {
            if rule.id.trim().is_empty() {
                return Err(err_at(key_span("id"), "a rule has an empty `id`".into()));
            }
            if Applicability::parse(&rule.applicability).is_none() {
                return Err(err_at(
                    find_value(source, &rule.applicability),
                    format!(
                        "rule `{}`: applicability `{}` is not one of safe, review, flag",
                        rule.id, rule.applicability
                    ),
                ));
            }
        }
        if data.pass == "variants" {
            if data.rule.len() != 1 {
                return Err(err_at(
                    None,
                    "a variants file defines exactly one [[rule]] (its map's rule id)".into(),
                ));
            }
            validate_map(&data).map_err(|(span, msg)| err_at(span, msg))?;
        } else if !data.variants.is_empty() {
            return Err(err_at(
                key_span("variants"),
                format!(
                    "`[variants]` belongs in a file with pass = \"variants\", not \"{}\"",
                    data.pass
                ),
            ));
        }
        Ok(RuleFile {
            path: path.to_string(),
            data,
        })
    }

    /// The built-in rule files, parsed. They are tested, so this cannot fail.
    pub fn builtins() -> Vec<RuleFile> {
        BUILTIN_RULE_FILES
            .iter()
            .map(|(path, source)| {
                RuleFile::parse(path, source)
                    .unwrap_or_else(|e| panic!("built-in rule file is invalid: {e}"))
            })
            .collect()
    }
}

fn validate_map(data: &RuleFileData) -> Result<(), (Option<Range<usize>>, String)> {
    let min_words = data.min_words.unwrap_or(1);
    let folded: BTreeMap<String, (&str, &Spanned<String>)> = data
        .variants
        .iter()
        .map(|(k, v)| (k.to_lowercase(), (k.as_str(), v)))
        .collect();
    for (key, value) in &data.variants {
        let span = Some(value.span());
        if key.trim().is_empty() {
            return Err((span, "empty key in [variants]: remove the entry".into()));
        }
        if key.trim() != key {
            return Err((
                span,
                format!("key `{key}` has leading or trailing spaces: remove them"),
            ));
        }
        if value.get_ref().trim().is_empty() {
            return Err((
                span,
                format!("key `{key}` maps to an empty value: give the canonical spelling"),
            ));
        }
        if key.split_whitespace().count() < min_words {
            return Err((
                span,
                format!(
                    "key `{key}` has fewer than {min_words} words; this map matches whole \
                     phrases only (a bare first name is never a key): write the full name"
                ),
            ));
        }
        let canonical = value.get_ref();
        if canonical == key {
            return Err((
                span,
                format!("key `{key}` maps to itself: remove the entry"),
            ));
        }
        // Following the canonical spelling must end at once: a chain (A → B, B → C)
        // would need two runs to settle, and a cycle (A → B, B → A) never settles.
        if let Some((next_key, next)) = folded.get(&canonical.to_lowercase()) {
            let target = next.get_ref();
            if *next_key == key.as_str() || target == canonical {
                // A case-only correction such as `Iphone` → `iPhone`, itself or
                // beside this key: both end at the same canonical form.
                continue;
            }
            let what = if target.to_lowercase() == key.to_lowercase() {
                format!(
                    "map has a cycle: `{key}` → `{canonical}` and `{next_key}` → `{target}`; \
                     keep only the direction you want"
                )
            } else {
                format!(
                    "map has a chain: `{key}` → `{canonical}`, but `{next_key}` → `{target}`; \
                     map `{key}` straight to `{target}`"
                )
            };
            return Err((span, what));
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

fn find_key(source: &str, key: &str) -> Option<Range<usize>> {
    source
        .lines()
        .scan(0usize, |pos, line| {
            let start = *pos;
            *pos += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| {
            let t = line.trim_start();
            t.starts_with(key) && t[key.len()..].trim_start().starts_with('=')
                || t.starts_with(&format!("[{key}]"))
        })
        .map(|(start, line)| {
            let indent = line.len() - line.trim_start().len();
            start + indent..start + line.len()
        })
}

fn find_value(source: &str, value: &str) -> Option<Range<usize>> {
    let quoted = format!("\"{value}\"");
    source.find(&quoted).map(|i| i..i + quoted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Result<RuleFile, RuleFileError> {
        let src = format!(
            "pass = \"variants\"\nmin-words = 2\n\n[[rule]]\nid = \"variants.test\"\n\
             description = \"test\"\napplicability = \"safe\"\n\n[variants]\n{body}"
        );
        RuleFile::parse("names.toml", &src)
    }

    #[test]
    fn builtin_rule_files_are_valid() {
        assert_eq!(RuleFile::builtins().len(), BUILTIN_RULE_FILES.len());
    }

    #[test]
    fn bad_toml_names_file_line_and_column() {
        let e = RuleFile::parse("x.toml", "pass = \"quotes\"\n[[rule]\n").unwrap_err();
        assert_eq!((e.path.as_str(), e.line), ("x.toml", 2), "{e}");
        assert!(e.to_string().starts_with("x.toml:2:"), "{e}");
    }

    #[test]
    fn unknown_key_is_named() {
        let e = RuleFile::parse("x.toml", "pass = \"quotes\"\ncolour = 1\n").unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn unknown_pass_is_refused() {
        let e = RuleFile::parse("x.toml", "pass = \"grammar\"\n").unwrap_err();
        assert!(e.message.contains("unknown pass `grammar`"), "{e}");
    }

    #[test]
    fn empty_key_is_refused_with_its_line() {
        let e = names("\"Dimitri Peskov\" = \"Dmitry Peskov\"\n\"\" = \"X Y\"\n").unwrap_err();
        assert!(e.message.contains("empty key"), "{e}");
        assert_eq!(e.line, 11);
    }

    #[test]
    fn self_mapping_is_refused() {
        let e = names("\"Dmitry Peskov\" = \"Dmitry Peskov\"\n").unwrap_err();
        assert!(e.message.contains("maps to itself"), "{e}");
        assert_eq!(e.line, 10);
    }

    #[test]
    fn cycle_is_refused() {
        let e = names("\"Ann Lee\" = \"Anne Lee\"\n\"Anne Lee\" = \"Ann Lee\"\n").unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");
    }

    #[test]
    fn chain_is_refused() {
        let e = names("\"Ann Lee\" = \"Anne Lee\"\n\"Anne Lee\" = \"Anne Leigh\"\n").unwrap_err();
        assert!(e.message.contains("chain"), "{e}");
    }

    #[test]
    fn a_case_correction_beside_other_keys_is_not_a_chain() {
        let file = names(
            "\"Bashar Al-Assad\" = \"Bashar al-Assad\"\n\"Bashar Assad\" = \"Bashar al-Assad\"\n",
        )
        .unwrap();
        assert_eq!(file.data.variants.len(), 2);
    }

    #[test]
    fn bare_first_name_is_refused_in_a_names_map() {
        let e = names("\"Dimitri\" = \"Dmitry\"\n").unwrap_err();
        assert!(e.message.contains("fewer than 2 words"), "{e}");
    }

    #[test]
    fn line_column_counts_characters() {
        assert_eq!(line_column("ab\n“c", 6), (2, 2));
        assert_eq!(line_column("abc", 0), (1, 1));
    }
}
