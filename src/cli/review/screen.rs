//! What the review screen shows, as rows of styled text that fit a given
//! terminal size. Pure: the terminal module paints the rows; tests look at them.
//!
//! News paragraphs are single lines of up to a few kilobytes, so a change is
//! shown in a window of its line cut to the rows there are, never the whole
//! paragraph. Invisible characters are shown by name (`⟨U+200B⟩`).

use redline::render::visible::visible;
use unicode_width::UnicodeWidthChar;

use super::session::{Choice, Proposal, RuleGroup, Session};

/// How a piece of text is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Ordinary text.
    Plain,
    /// Secondary text: markers, ellipses, hints.
    Dim,
    /// Text a fix removes (red, struck through).
    Removed,
    /// Text a fix puts in (green).
    Added,
    /// The title bar (reverse video).
    Title,
    /// A rule id or a key name (bold).
    Strong,
    /// A warning or message to the person (yellow).
    Note,
}

/// A run of text in one tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text (no newlines, no control characters).
    pub text: String,
    /// Its tone.
    pub tone: Tone,
}

/// One screen row.
pub type Row = Vec<Span>;

fn span(text: impl Into<String>, tone: Tone) -> Span {
    Span {
        text: text.into(),
        tone,
    }
}

/// Display width of `text` in terminal columns.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `text` cut to `max` columns, with `…` when cut.
fn crop(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// A row of spans cut to `max` columns.
fn fit(row: Row, max: usize) -> Row {
    let mut out = Vec::new();
    let mut left = max;
    for s in row {
        let w = width(&s.text);
        if w <= left {
            left -= w;
            out.push(s);
        } else {
            out.push(span(crop(&s.text, left), s.tone));
            break;
        }
    }
    out
}

/// Text made safe and visible for one screen row: invisible characters named,
/// tabs as spaces.
fn shown(text: &str) -> String {
    visible(text, false).replace('\t', " ")
}

/// A change's own text: like [`shown`], and a line break as `⏎`.
fn shown_change(text: &str) -> String {
    shown(text).replace('\n', "⏎")
}

/// The last `cols` columns' worth of `text`, starting at a word when it can.
fn tail(text: &str, cols: usize) -> (bool, &str) {
    if width(text) <= cols {
        return (false, text);
    }
    let mut w = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        w += c.width().unwrap_or(0);
        if w > cols {
            break;
        }
        start = i;
    }
    let cut = &text[start..];
    match cut.find(' ') {
        Some(sp) if sp + 1 < cut.len() && sp < cut.len() / 3 => (true, &cut[sp + 1..]),
        _ => (true, cut),
    }
}

/// The first `cols` columns' worth of `text`, ending at a word when it can.
fn head(text: &str, cols: usize) -> (bool, &str) {
    if width(text) <= cols {
        return (false, text);
    }
    let mut w = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        w += c.width().unwrap_or(0);
        if w > cols {
            break;
        }
        end = i + c.len_utf8();
    }
    let cut = &text[..end];
    match cut.rfind(' ') {
        Some(sp) if sp > cut.len() * 2 / 3 => (true, &cut[..sp]),
        _ => (true, cut),
    }
}

/// Breaks styled spans into rows of at most `cols` columns, at spaces when a
/// word fits on a row, anywhere when it does not. A word may span several
/// tones (`[-old-]{+new+}` stays together when it fits).
fn wrap(spans: &[Span], cols: usize) -> Vec<Row> {
    let cols = cols.max(1);
    // Each word: its pieces (one per tone) and then its trailing spaces.
    let mut words: Vec<(Row, String)> = vec![(Vec::new(), String::new())];
    for s in spans {
        // The change itself is not broken at its spaces (unless too long).
        let parts: Vec<&str> = match s.tone {
            Tone::Removed | Tone::Added => vec![s.text.as_str()],
            _ => s.text.split(' ').collect(),
        };
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                words.last_mut().unwrap().1.push(' ');
            }
            if part.is_empty() {
                continue;
            }
            if !words.last().unwrap().1.is_empty() {
                words.push((Vec::new(), String::new()));
            }
            words.last_mut().unwrap().0.push(span(part, s.tone));
        }
    }
    let mut rows: Vec<Row> = vec![Vec::new()];
    let mut used = 0;
    for (pieces, spaces) in words {
        let w: usize = pieces.iter().map(|p| width(&p.text)).sum();
        if used + w > cols && used > 0 {
            rows.push(Vec::new());
            used = 0;
        }
        for piece in pieces {
            if used + width(&piece.text) <= cols {
                used += width(&piece.text);
                rows.last_mut().unwrap().push(piece);
                continue;
            }
            // Longer than a row: break it by characters.
            let mut cut = String::new();
            for c in piece.text.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > cols {
                    rows.last_mut()
                        .unwrap()
                        .push(span(std::mem::take(&mut cut), piece.tone));
                    rows.push(Vec::new());
                    used = 0;
                }
                cut.push(c);
                used += cw;
            }
            if !cut.is_empty() {
                rows.last_mut().unwrap().push(span(cut, piece.tone));
            }
        }
        // Spaces that do not fit at the end of a row are dropped with the break.
        let room = cols - used.min(cols);
        let keep = spaces.len().min(room);
        if keep > 0 {
            used += keep;
            rows.last_mut()
                .unwrap()
                .push(span(&spaces[..keep], Tone::Plain));
        }
    }
    for row in &mut rows {
        row.retain(|s| !s.text.is_empty());
    }
    rows.retain(|r| !r.is_empty());
    rows
}

/// The change in its line, cut to a window around it that fits `rows` rows of
/// `cols` columns: `…before [-old-]{+new+} after…`.
pub fn context(p: &Proposal, cols: usize, rows: usize) -> Vec<Row> {
    let cols = cols.max(10);
    let before = shown_change(&p.before);
    let after = shown_change(&p.after);
    let change_w = width(&before) + width(&after) + 8;
    let mut budget = (cols * rows.max(1)).saturating_sub(change_w + 2);
    loop {
        // Each side gets half; a short side leaves the rest to the other.
        let prefix = shown(&p.prefix);
        let suffix = shown(&p.suffix);
        let left = width(&prefix).min((budget / 2).max(budget.saturating_sub(width(&suffix))));
        let right = budget - left;
        let (cut_left, prefix) = tail(&prefix, left);
        let (cut_right, suffix) = head(&suffix, right);
        let mut spans = Vec::new();
        if cut_left {
            spans.push(span("…", Tone::Dim));
        }
        spans.push(span(prefix, Tone::Plain));
        spans.push(span("[-", Tone::Dim));
        spans.push(span(crop(&before, cols * rows), Tone::Removed));
        spans.push(span("-]", Tone::Dim));
        spans.push(span("{+", Tone::Dim));
        spans.push(span(crop(&after, cols * rows), Tone::Added));
        spans.push(span("+}", Tone::Dim));
        spans.push(span(suffix, Tone::Plain));
        if cut_right {
            spans.push(span("…", Tone::Dim));
        }
        spans.retain(|s| !s.text.is_empty() || s.tone != Tone::Plain);
        let wrapped = wrap(&spans, cols);
        if wrapped.len() <= rows.max(1) || budget == 0 {
            return wrapped.into_iter().take(rows.max(1)).collect();
        }
        // Word wrapping wasted some columns: try a smaller window.
        budget = budget.saturating_sub(cols / 2 + 1);
    }
}

/// The keys, one row each, for the help screen.
pub const HELP: &[(&str, &str)] = &[
    ("y", "accept this fix"),
    ("n", "reject this fix (the text stays as it is)"),
    (
        "a",
        "accept every remaining fix of this rule, in this and later files",
    ),
    (
        "r",
        "reject every remaining fix of this rule, in this and later files",
    ),
    (
        "u",
        "undo the last decision in this file (finished files are already written)",
    ),
    ("s", "skip this file: nothing is written to it"),
    (
        "q",
        "quit (also Esc, Ctrl-C): what you decided is written; undecided fixes are not applied",
    ),
    ("?", "this help"),
];

/// The extra keys of the rule screen of `--by-rule`.
pub const HELP_BY_RULE: &[(&str, &str)] = &[
    ("y", "accept every fix of this rule in every file"),
    ("n", "reject every fix of this rule"),
    (
        "c",
        "decide this rule change by change after the rule screens",
    ),
    ("u", "go back to the previous rule"),
    (
        "q",
        "quit: rules decided so far are applied, the others are not",
    ),
];

/// Fills `rows` to `height` rows with the footer at the bottom.
fn with_footer(mut rows: Vec<Row>, footer: Vec<Row>, cols: usize, height: usize) -> Vec<Row> {
    let body = height.saturating_sub(footer.len());
    rows.truncate(body);
    while rows.len() < body {
        rows.push(Vec::new());
    }
    rows.extend(footer);
    rows.into_iter().map(|r| fit(r, cols)).collect()
}

fn title(text: String, cols: usize) -> Row {
    let pad = cols.saturating_sub(width(&text));
    vec![span(format!("{text}{}", " ".repeat(pad)), Tone::Title)]
}

fn too_small(cols: usize, height: usize) -> Option<Vec<Row>> {
    (cols < 30 || height < 10).then(|| {
        let mut rows = vec![vec![span("Terminal too small:", Tone::Note)]];
        rows.push(vec![span("make it at least 30×10.", Tone::Note)]);
        rows.truncate(height);
        rows.into_iter().map(|r| fit(r, cols)).collect()
    })
}

/// The screen for the current fix of `session`.
pub fn fix_screen(session: &Session, status: &str, cols: usize, height: usize) -> Vec<Row> {
    if let Some(rows) = too_small(cols, height) {
        return rows;
    }
    let (Some(d), Some(f)) = (session.current_doc(), session.current_fix()) else {
        return vec![Vec::new(); height];
    };
    let doc = &session.docs[d];
    let p = &doc.proposals[f];
    let n = doc.proposals.len();
    let (accepted, rejected, _) = session.counts(d);
    let mut rows = vec![title(
        format!(
            " redline review   file {} of {}: {}",
            d + 1,
            session.docs.len(),
            doc.label
        ),
        cols,
    )];
    let default = match p.applicability {
        redline::finding::Applicability::Safe => "safe: `redline clean` would apply it",
        _ => "review: `redline clean` holds it back",
    };
    rows.push(vec![
        span(format!(" fix {} of {}   ", f + 1, n), Tone::Plain),
        span(format!("{}:{}", p.line, p.column), Tone::Strong),
        span(format!("   {} › ", p.pass), Tone::Dim),
        span(p.rule.clone(), Tone::Strong),
        span(format!("   {default}"), Tone::Dim),
    ]);
    rows.extend(
        wrap(&[span(format!(" {}", p.message), Tone::Plain)], cols)
            .into_iter()
            .take(2),
    );
    rows.push(Vec::new());

    let footer_rows = 3;
    let change_rows = 3;
    let flag_rows = if doc.flags.is_empty() {
        0
    } else {
        (doc.flags.len() + 2).min(4)
    };
    let free = height.saturating_sub(rows.len() + footer_rows + change_rows + flag_rows + 1);
    let context_rows = free.clamp(1, 10);
    for row in context(p, cols.saturating_sub(2), context_rows) {
        let mut r = vec![span("  ", Tone::Plain)];
        r.extend(row);
        rows.push(r);
    }
    rows.push(Vec::new());
    rows.push(vec![
        span("  − ", Tone::Dim),
        span(quoted(&p.before), Tone::Removed),
    ]);
    rows.push(vec![
        span("  + ", Tone::Dim),
        span(quoted(&p.after), Tone::Added),
    ]);
    if flag_rows > 0 {
        rows.push(Vec::new());
        rows.push(vec![span(
            format!(
                " {} flag{} in this file (shown, not decided here):",
                doc.flags.len(),
                if doc.flags.len() == 1 { "" } else { "s" }
            ),
            Tone::Dim,
        )]);
        for flag in doc.flags.iter().take(flag_rows - 2) {
            rows.push(vec![
                span(format!("   {}:{} ", flag.line, flag.column), Tone::Dim),
                span(flag.rule.clone(), Tone::Dim),
                span(format!(" {}", flag.message), Tone::Dim),
            ]);
        }
    }
    let keys = vec![keys_row(&[
        ("y", "yes"),
        ("n", "no"),
        ("a", "yes to rule"),
        ("r", "no to rule"),
        ("u", "undo"),
        ("s", "skip file"),
        ("q", "quit"),
        ("?", "help"),
    ])];
    let mut footer = vec![Vec::new()];
    footer.extend(keys);
    footer.push(status_row(
        format!(
            " fix {} of {} · file {} of {} · {accepted} accepted · {rejected} rejected",
            f + 1,
            n,
            d + 1,
            session.docs.len()
        ),
        status,
        cols,
    ));
    with_footer(rows, footer, cols, height)
}

/// The screen for one rule of `--by-rule`, with up to three samples.
pub fn rule_screen(
    session: &Session,
    groups: &[RuleGroup],
    index: usize,
    status: &str,
    cols: usize,
    height: usize,
) -> Vec<Row> {
    if let Some(rows) = too_small(cols, height) {
        return rows;
    }
    let g = &groups[index];
    let mut rows = vec![title(
        format!(
            " redline review --by-rule   rule {} of {}",
            index + 1,
            groups.len()
        ),
        cols,
    )];
    let files = g.files();
    rows.push(vec![
        span(" ", Tone::Plain),
        span(g.rule.clone(), Tone::Strong),
        span(format!("   pass {} · ", g.pass), Tone::Dim),
        span(
            format!(
                "{} fix{} in {} file{}",
                g.fixes.len(),
                if g.fixes.len() == 1 { "" } else { "es" },
                files,
                if files == 1 { "" } else { "s" }
            ),
            Tone::Plain,
        ),
    ]);
    rows.push(Vec::new());
    let samples = g.samples(3);
    let footer_rows = 3;
    let per_sample = (height.saturating_sub(rows.len() + footer_rows) / samples.len().max(1))
        .saturating_sub(3)
        .clamp(1, 6);
    for (k, (d, f)) in samples.iter().enumerate() {
        let doc = &session.docs[*d];
        let p = &doc.proposals[*f];
        rows.push(vec![
            span(
                format!(" sample {} of {}: ", k + 1, samples.len()),
                Tone::Dim,
            ),
            span(
                format!("{}:{}:{}", doc.label, p.line, p.column),
                Tone::Strong,
            ),
        ]);
        rows.push(vec![span(format!("   {}", p.message), Tone::Plain)]);
        for row in context(p, cols.saturating_sub(4), per_sample) {
            let mut r = vec![span("    ", Tone::Plain)];
            r.extend(row);
            rows.push(r);
        }
        rows.push(Vec::new());
    }
    let mut footer = vec![Vec::new()];
    footer.push(keys_row(&[
        ("y", &format!("accept all {}", g.fixes.len())),
        ("n", "reject all"),
        ("c", "review each change"),
        ("u", "back"),
        ("q", "quit"),
        ("?", "help"),
    ]));
    footer.push(status_row(
        format!(" rule {} of {}", index + 1, groups.len()),
        status,
        cols,
    ));
    with_footer(rows, footer, cols, height)
}

/// The help screen.
pub fn help_screen(by_rule: bool, cols: usize, height: usize) -> Vec<Row> {
    let mut rows = vec![title(" redline review: keys".into(), cols), Vec::new()];
    let add = |rows: &mut Vec<Row>, keys: &[(&str, &str)]| {
        for (key, what) in keys {
            rows.push(vec![
                span("   ", Tone::Plain),
                span(*key, Tone::Strong),
                span(format!("   {what}"), Tone::Plain),
            ]);
        }
    };
    add(&mut rows, HELP);
    if by_rule {
        rows.push(Vec::new());
        rows.push(vec![span(" On a rule screen (--by-rule):", Tone::Plain)]);
        add(&mut rows, HELP_BY_RULE);
    }
    rows.push(Vec::new());
    for line in [
        " Nothing is applied unless you accept it. A file is written (atomically) when",
        " its last fix is decided. Flags are shown, not decided: `redline check` lists them.",
    ] {
        rows.push(vec![span(line, Tone::Dim)]);
    }
    let footer = vec![vec![span(" press any key to go back", Tone::Note)]];
    with_footer(rows, footer, cols, height)
}

fn keys_row(keys: &[(&str, &str)]) -> Row {
    let mut row = vec![span(" ", Tone::Plain)];
    for (key, what) in keys {
        row.push(span(*key, Tone::Strong));
        row.push(span(format!(" {what}  "), Tone::Dim));
    }
    row
}

fn status_row(progress: String, status: &str, cols: usize) -> Row {
    let mut row = vec![span(progress, Tone::Plain)];
    if !status.is_empty() && width(&row[0].text) + 3 < cols {
        row.push(span(format!(" · {status}"), Tone::Note));
    }
    row
}

/// `before` / `after` for the −/+ rows: visible, and `(nothing)` when empty.
fn quoted(text: &str) -> String {
    if text.is_empty() {
        "(nothing)".to_string()
    } else {
        shown_change(text)
    }
}

/// The summary line of one decision, for the status row.
pub fn said(choice: Choice) -> &'static str {
    match choice {
        Choice::Accept => "accepted",
        Choice::Reject => "rejected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline::finding::Applicability;

    fn text(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }

    fn proposal(prefix: &str, before: &str, after: &str, suffix: &str) -> Proposal {
        Proposal {
            id: "r@0-1".into(),
            rule: "r".into(),
            pass: "p",
            message: "m".into(),
            applicability: Applicability::Safe,
            line: 1,
            column: 1,
            origin: 0..1,
            prefix: prefix.into(),
            before: before.into(),
            after: after.into(),
            suffix: suffix.into(),
        }
    }

    #[test]
    fn a_long_paragraph_is_cut_to_a_window_around_the_change() {
        let words = "lorem ipsum dolor sit amet ".repeat(100); // 2.7 kB
        let p = proposal(&words, "Dimitri", "Dmitry", &words);
        for (cols, rows) in [(80, 3), (40, 5), (120, 1)] {
            let out = context(&p, cols, rows);
            assert!(out.len() <= rows, "{cols}×{rows}: {}", out.len());
            let joined = text(&out).concat();
            assert!(joined.contains("[-Dimitri-]{+Dmitry+}"), "{joined}");
            assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
            for row in &out {
                assert!(width(&text(std::slice::from_ref(row))[0]) <= cols);
            }
        }
    }

    #[test]
    fn invisible_characters_are_named() {
        let p = proposal("a", "\u{200B}", "", "b");
        let joined = text(&context(&p, 40, 2)).concat();
        assert_eq!(joined, "a[-⟨U+200B⟩-]{++}b");
    }

    #[test]
    fn wrap_keeps_words_whole_when_they_fit() {
        let rows = wrap(&[span("one two three four", Tone::Plain)], 9);
        assert_eq!(text(&rows), ["one two ", "three ", "four"]);
        let rows = wrap(&[span("abcdefghijkl", Tone::Plain)], 5);
        assert_eq!(text(&rows), ["abcde", "fghij", "kl"]);
    }
}
