//! `redline diff`: what each pass changed, pass by pass.
//!
//! For every pass of the pipeline: a header (its name, the rules that fired and how
//! often), then a unified diff of that pass's input against its output with the
//! changed characters emphasised (colour on a terminal, `[-…-]`/`{+…+}` otherwise)
//! and invisible characters made visible. Passes that changed nothing are listed as
//! unchanged. Flags and held fixes are listed under their pass with line:column.

use std::collections::BTreeMap;
use std::fmt::Write;

use similar::{ChangeTag, TextDiff};

use super::visible::visible;
use super::{locate, Located};
use crate::finding::Applicability;
use crate::pipeline::Run;

/// How to emphasise changed characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// ANSI colours (terminal).
    Color,
    /// Plain text with `[-removed-]` and `{+added+}` markers.
    Plain,
}

/// What the diff is of: a document's name and how it was decoded.
#[derive(Debug, Clone)]
pub struct DocumentLabel<'a> {
    /// The path as the user gave it (`-` for stdin).
    pub path: &'a str,
    /// The encoding it was decoded from, e.g. `UTF-8` or `windows-1252`.
    pub encoding: &'a str,
    /// Whether the encoding was guessed.
    pub detected: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RED_EMPH: &str = "\x1b[1;97;41m";
const GREEN_EMPH: &str = "\x1b[1;97;42m";
const BOLD: &str = "\x1b[1m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Renders the per-pass diff of one document. `passes` lists the pipeline's
/// passes in order, so that passes that changed nothing are listed too.
pub fn render(doc: &DocumentLabel, run: &Run, passes: &[&str], style: Style) -> String {
    let color = style == Style::Color;
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let detected = if doc.detected { ", detected" } else { "" };
    let reencoded = if doc.encoding == "UTF-8" {
        String::new()
    } else {
        " → UTF-8".to_string()
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            BOLD,
            &format!(
                "{}: decoded as {}{detected}{reencoded}",
                doc.path, doc.encoding
            )
        )
    );
    let located = locate(run);
    for pass in passes {
        let mine: Vec<&Located> = located.iter().filter(|l| l.step.pass == *pass).collect();
        let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
        for l in mine.iter().filter(|l| l.applied) {
            *fired.entry(l.finding.rule.as_ref()).or_default() += 1;
        }
        let fixes: usize = fired.values().sum();
        let header = if fixes == 0 {
            format!("pass {pass}: unchanged")
        } else {
            let rules: Vec<String> = fired.iter().map(|(r, n)| format!("{r} ×{n}")).collect();
            format!(
                "pass {pass}: {fixes} fix{} ({})",
                if fixes == 1 { "" } else { "es" },
                rules.join(", ")
            )
        };
        let _ = writeln!(out, "{}", paint(BOLD, &header));
        for step in run
            .steps
            .iter()
            .filter(|s| s.pass == *pass && s.input != s.output)
        {
            let label = if step.round > 1 {
                format!("{pass}, round {}", step.round)
            } else {
                pass.to_string()
            };
            unified(
                &mut out,
                doc.path,
                &label,
                run.input_of(step),
                run.output_of(step),
                style,
            );
        }
        for l in mine.iter().filter(|l| !l.applied) {
            let kind = match l.applicability() {
                Applicability::Flag => "flag",
                _ => "held",
            };
            let mut line = format!(
                "  {kind} {}:{} {}: {}",
                l.line, l.column, l.finding.rule, l.finding.message
            );
            if let Some(after) = &l.after {
                let _ = write!(
                    line,
                    " [{}: `{}` → `{}`; apply with --apply review]",
                    l.applicability(),
                    visible(l.before, true),
                    visible(after, true)
                );
            }
            let _ = writeln!(
                out,
                "{}",
                paint(if kind == "flag" { CYAN } else { DIM }, &line)
            );
        }
    }
    out
}

/// Appends a unified diff of `old` → `new` with inline emphasis.
fn unified(out: &mut String, path: &str, label: &str, old: &str, new: &str, style: Style) {
    let color = style == Style::Color;
    let diff = TextDiff::from_lines(old, new);
    let _ = writeln!(out, "--- a/{path} (before {label})");
    let _ = writeln!(out, "+++ b/{path} (after {label})");
    for group in diff.grouped_ops(1) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old_range = first.old_range().start..last.old_range().end;
        let new_range = first.new_range().start..last.new_range().end;
        let hunk = format!(
            "@@ -{} +{} @@",
            hunk_range(old_range.start, old_range.len()),
            hunk_range(new_range.start, new_range.len())
        );
        let _ = writeln!(
            out,
            "{}",
            if color {
                format!("{CYAN}{hunk}{RESET}")
            } else {
                hunk
            }
        );
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                let (sign, base, emph) = match change.tag() {
                    ChangeTag::Delete => ('-', RED, RED_EMPH),
                    ChangeTag::Insert => ('+', GREEN, GREEN_EMPH),
                    ChangeTag::Equal => (' ', "", ""),
                };
                let mut line = String::new();
                line.push(sign);
                let mut ends_with_newline = false;
                let segments: Vec<(bool, String)> = change
                    .iter_strings_lossy()
                    .map(|(e, s)| (e, s.into_owned()))
                    .collect();
                let count = segments.len();
                for (i, (emphasised, mut text)) in segments.into_iter().enumerate() {
                    if i + 1 == count {
                        if let Some(t) = text.strip_suffix('\n') {
                            ends_with_newline = true;
                            text = t.strip_suffix('\r').unwrap_or(t).to_string();
                        }
                    }
                    if text.is_empty() {
                        continue;
                    }
                    let shown = visible(&text, emphasised);
                    match (emphasised && sign != ' ', color, sign) {
                        (true, true, _) => {
                            let _ = write!(line, "{emph}{shown}{RESET}{base}");
                        }
                        (true, false, '-') => {
                            let _ = write!(line, "[-{shown}-]");
                        }
                        (true, false, _) => {
                            let _ = write!(line, "{{+{shown}+}}");
                        }
                        _ => line.push_str(&shown),
                    }
                }
                if color && sign != ' ' {
                    let _ = writeln!(out, "{base}{line}{RESET}");
                } else {
                    let _ = writeln!(out, "{line}");
                }
                if !ends_with_newline {
                    let _ = writeln!(out, "\\ No newline at end of file");
                }
            }
        }
    }
}

fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}
