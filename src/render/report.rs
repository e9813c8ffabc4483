//! The HTML report: one self-contained file (`redline report -o report.html`)
//! in which a person filters the changes, accepts or rejects them per change or
//! per rule, and exports a change set for `redline apply`.
//!
//! The page is a template (`report/report.html`, `.css`, `.js`, embedded at
//! build time) plus the data as JSON in a `<script type="application/json">`
//! block; plain JavaScript renders it a page at a time, so that a corpus with
//! tens of thousands of changes stays usable. Nothing is loaded from outside the
//! file. Text never becomes markup: the script builds DOM nodes with
//! `textContent`, and every `<` in the JSON is written as `\u003c`, so article
//! text cannot close the script block.
//!
//! The data is compact (rules, passes and messages are stored once), but the
//! exported lines are exactly `redline diff --format json`'s [`FindingRecord`]s:
//! the script rebuilds each record in the same key order and only changes its
//! `decision`.
//!
//! [`FindingRecord`]: super::json::FindingRecord

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::visible::visible;
use super::Located;
use crate::changeset::document_hash;
use crate::pipeline::Run;

const TEMPLATE: &str = include_str!("report/report.html");
const STYLE: &str = include_str!("report/report.css");
const SCRIPT: &str = include_str!("report/report.js");

/// Characters of context shown on each side of a change. Paragraphs run to a
/// few kilobytes; a window keeps each row to two short lines and the file small.
const CONTEXT_CHARS: usize = 60;

/// One finding of one document, owned, ready to be added to a [`Report`].
#[derive(Debug, Clone)]
pub struct ReportChange {
    pass: &'static str,
    rule: String,
    message: String,
    applicability: &'static str,
    line: usize,
    column: usize,
    start: usize,
    end: usize,
    before: String,
    after: Option<String>,
    applied: bool,
    round: usize,
    origin_start: usize,
    origin_end: usize,
    /// The before text as visible segments: unchanged, changed, unchanged, …
    shown_before: Vec<String>,
    /// The same for the after text (empty for a flag).
    shown_after: Vec<String>,
    /// Visible context before the change, cut at the line start.
    context_before: String,
    /// Visible context after it, cut at the line end.
    context_after: String,
}

/// One document's part of the report: where it is, how it was decoded, its hash
/// and its changes. Built on any thread; added to the report in order.
#[derive(Debug, Clone)]
pub struct ReportDocument {
    path: String,
    encoding: String,
    hash: String,
    changes: Vec<ReportChange>,
}

impl ReportDocument {
    /// The report entry of the document at `path` (decoded from `encoding`,
    /// original text `text`) that went through `run`.
    pub fn new(path: &str, encoding: &str, text: &str, run: &Run) -> ReportDocument {
        let changes = super::locate(run)
            .iter()
            .map(|l| change(run.input_of(l.step), l))
            .collect();
        ReportDocument {
            path: path.to_string(),
            encoding: encoding.to_string(),
            hash: document_hash(text),
            changes,
        }
    }

    /// How many findings the document has.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether the document has no finding.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

fn change(input: &str, l: &Located) -> ReportChange {
    let (shown_before, shown_after) = match &l.after {
        Some(after) => inline_segments(l.before, after),
        None => (
            vec![String::new(), visible(l.before, true).into_owned()],
            vec![],
        ),
    };
    let line_start = input[..l.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = input[l.end..].find('\n').map_or(input.len(), |i| l.end + i);
    ReportChange {
        pass: l.step.pass,
        rule: l.finding.rule.to_string(),
        message: l.finding.message.to_string(),
        applicability: l.applicability().as_str(),
        line: l.line,
        column: l.column,
        start: l.start,
        end: l.end,
        before: l.before.to_string(),
        after: l.after.clone(),
        applied: l.applied,
        round: l.step.round,
        origin_start: l.origin.start,
        origin_end: l.origin.end,
        shown_before,
        shown_after,
        context_before: window(&input[line_start..l.start], true),
        context_after: window(&input[l.end..line_end], false),
    }
}

/// The [`CONTEXT_CHARS`] characters of `s` nearest the change (its end when
/// `before`), made visible, with `…` where the line was cut.
fn window(s: &str, before: bool) -> String {
    let cut = if before {
        s.char_indices()
            .rev()
            .nth(CONTEXT_CHARS - 1)
            .map(|(i, _)| (i, &s[i..]))
    } else {
        s.char_indices()
            .nth(CONTEXT_CHARS)
            .map(|(i, _)| (i, &s[..i]))
    };
    match cut {
        Some((i, part)) if !before || i > 0 => {
            let shown = visible(part, false);
            if before {
                format!("…{shown}")
            } else {
                format!("{shown}…")
            }
        }
        _ => visible(s, false).into_owned(),
    }
}

/// `before` and `after` as alternating unchanged/changed segments (starting with
/// an unchanged one, possibly empty), from a character diff, each segment made
/// visible. Combining marks are shown so that an NFC fix is not invisible.
fn inline_segments(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_chars(before, after);
    let mut old: Vec<(bool, String)> = Vec::new();
    let mut new: Vec<(bool, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        let (side, changed): (&mut Vec<(bool, String)>, bool) = match change.tag() {
            ChangeTag::Equal => {
                push_segment(&mut old, false, text);
                (&mut new, false)
            }
            ChangeTag::Delete => (&mut old, true),
            ChangeTag::Insert => (&mut new, true),
        };
        push_segment(side, changed, text);
    }
    (alternate(old), alternate(new))
}

fn push_segment(side: &mut Vec<(bool, String)>, changed: bool, text: &str) {
    match side.last_mut() {
        Some((c, s)) if *c == changed => s.push_str(text),
        _ => side.push((changed, text.to_string())),
    }
}

/// Segments as a flat list whose even entries are unchanged and odd ones changed.
fn alternate(segments: Vec<(bool, String)>) -> Vec<String> {
    let mut out = Vec::with_capacity(segments.len() + 1);
    for (changed, text) in segments {
        if changed != (out.len() % 2 == 1) {
            out.push(String::new());
        }
        out.push(visible(&text, true).into_owned());
    }
    out
}

/// The report being built: documents in order, with repeated strings (passes,
/// rules, messages) stored once.
#[derive(Debug, Default)]
pub struct Report {
    passes: Vec<String>,
    strings: Vec<String>,
    index: HashMap<String, usize>,
    documents: Vec<Value>,
    changes: Vec<Value>,
    /// Documents that could not be read, with the reason.
    errors: Vec<String>,
}

impl Report {
    /// An empty report for a pipeline whose passes run in the order `passes`
    /// (the summary lists them in that order).
    pub fn new(passes: &[&str]) -> Report {
        Report {
            passes: passes.iter().map(|p| p.to_string()).collect(),
            ..Report::default()
        }
    }

    /// Adds a document and its changes (documents without changes are counted
    /// in the summary but take no space).
    pub fn add(&mut self, doc: ReportDocument) {
        let d = self.documents.len();
        for c in doc.changes {
            let pass = self.intern(c.pass);
            let rule = self.intern(&c.rule);
            let message = self.intern(&c.message);
            let applicability = self.intern(c.applicability);
            // The order is the script's `F` table; keep the two in step.
            self.changes.push(json!([
                d,
                pass,
                rule,
                message,
                applicability,
                c.line,
                c.column,
                c.start,
                c.end,
                c.before,
                c.after,
                c.applied,
                c.round,
                c.origin_start,
                c.origin_end,
                c.shown_before,
                c.shown_after,
                c.context_before,
                c.context_after,
            ]));
        }
        self.documents
            .push(json!([doc.path, doc.encoding, doc.hash]));
    }

    /// Records a document that could not be read; the page lists it.
    pub fn add_error(&mut self, message: String) {
        self.errors.push(message);
    }

    /// How many findings the report holds.
    pub fn change_count(&self) -> usize {
        self.changes.len()
    }

    fn intern(&mut self, s: &str) -> usize {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), self.strings.len() - 1);
        self.strings.len() - 1
    }

    /// The whole HTML page, titled `title`.
    pub fn to_html(&self, title: &str) -> String {
        #[derive(Serialize)]
        struct Data<'a> {
            version: u32,
            title: &'a str,
            passes: &'a [String],
            strings: &'a [String],
            documents: &'a [Value],
            changes: &'a [Value],
            errors: &'a [String],
        }
        let data = serde_json::to_string(&Data {
            version: 1,
            title,
            passes: &self.passes,
            strings: &self.strings,
            documents: &self.documents,
            changes: &self.changes,
            errors: &self.errors,
        })
        .expect("report data always serialises");
        let title = escape_html(title);
        let data = script_safe(&data);
        let mut out =
            String::with_capacity(TEMPLATE.len() + STYLE.len() + SCRIPT.len() + data.len());
        let mut rest = TEMPLATE;
        // Markers are found in the template only, never in what was inserted
        // (least of all article text).
        while let Some(at) = rest.find("{{") {
            out.push_str(&rest[..at]);
            let len = rest[at..]
                .find("}}")
                .expect("every report template marker is closed")
                + 2;
            out.push_str(match &rest[at..at + len] {
                "{{title}}" => &title,
                "{{style}}" => STYLE,
                "{{data}}" => &data,
                "{{script}}" => SCRIPT,
                other => unreachable!("unknown report template marker {other}"),
            });
            rest = &rest[at + len..];
        }
        out.push_str(rest);
        out
    }
}

/// JSON that can sit inside a `<script>` element: every `<` (which in JSON can
/// only be inside a string) becomes `\u003c`, so `</script>` or `<!--` in an
/// article cannot end or confuse the block. `JSON.parse` reads it back as `<`.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// Text for an HTML text node or attribute.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    fn report_of(text: &str) -> String {
        let engine = Engine::default_config();
        let run = engine.pipeline.run(text);
        let mut report = Report::new(&engine.pipeline.pass_names());
        report.add(ReportDocument::new("a <b>.txt", "utf-8", text, &run));
        report.to_html("redline report")
    }

    #[test]
    fn article_text_cannot_close_the_script_block() {
        let text = "Dimitri Peskov said </script><script>alert(1)</script> & \"so\" <!-- x\n";
        let html = report_of(text);
        // Only the template's own three script elements close.
        assert_eq!(html.matches("</script>").count(), 2, "{html}");
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<!-- x"));
        assert!(html.contains("\\u003c/script>\\u003cscript>alert(1)"));
        // The data still parses back to the article text.
        let start = html.find("id=\"redline-data\">").unwrap() + "id=\"redline-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let data: Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(data["documents"][0][0], "a <b>.txt");
        let first = &data["changes"][0];
        assert_eq!(first[9], "Dimitri Peskov");
        assert_eq!(first[10], "Dmitry Peskov");
        assert!(first[18].as_str().unwrap().starts_with(" said </script>"));
    }

    #[test]
    fn loads_nothing_from_outside() {
        let html = report_of("Nagorno Karabakh\u{200B} and https://example.com/x.png\n");
        let lower = html.to_lowercase();
        for bad in [
            "src=\"http",
            "src='http",
            "src=http",
            "src=\"//",
            "<link",
            "@import",
            "url(http",
            "url(//",
            "<iframe",
        ] {
            assert!(!lower.contains(bad), "the report contains `{bad}`");
        }
        // The article's URL is data, not markup.
        assert!(html.contains("https://example.com/x.png"));
        assert_eq!(lower.matches("<script").count(), 2);
    }

    #[test]
    fn inline_segments_mark_only_the_changed_characters() {
        let (old, new) = inline_segments("Dimitri", "Dmitry");
        assert_eq!(old.concat(), "Dimitri");
        assert_eq!(new.concat(), "Dmitry");
        let changed_old: String = old.iter().skip(1).step_by(2).cloned().collect();
        let changed_new: String = new.iter().skip(1).step_by(2).cloned().collect();
        assert_eq!(changed_old, "ii");
        assert_eq!(changed_new, "y");
        let (old, new) = inline_segments("a\u{200B}", "a");
        assert_eq!(old, vec!["a", "⟨U+200B⟩"]);
        assert_eq!(new, vec!["a"]);
    }

    #[test]
    fn context_is_a_window_within_the_line() {
        let long = "x".repeat(500);
        let text = format!("first line\n{long} Dimitri Peskov {long}\nlast\n");
        let engine = Engine::default_config();
        let run = engine.pipeline.run(&text);
        let doc = ReportDocument::new("a.txt", "utf-8", &text, &run);
        let c = &doc.changes[0];
        assert_eq!(c.context_before.chars().count(), CONTEXT_CHARS + 1);
        assert!(c.context_before.starts_with("…xxx"));
        assert!(c.context_before.ends_with("x "));
        assert_eq!(c.context_after.chars().count(), CONTEXT_CHARS + 1);
        assert!(c.context_after.starts_with(" xxx"));
        assert!(c.context_after.ends_with("x…"));
        let short = "Dimitri Peskov\nnext";
        let run = engine.pipeline.run(short);
        let doc = ReportDocument::new("a.txt", "utf-8", short, &run);
        assert_eq!(doc.changes[0].context_before, "");
        assert_eq!(doc.changes[0].context_after, "");
    }
}
