//! `redline review PATH…`: walks through every proposed fix in the terminal, one
//! at a time, and writes exactly the accepted ones.
//!
//! Every fix is a proposal, safe or review, whether `clean` would apply it or
//! not: nothing is applied unless the person accepts it. A file is written
//! (atomically, only when something changes) as soon as its last fix is
//! decided, with [`apply_accepted`] and the fixes' change-set ids, so a review
//! gives the same bytes as `redline diff --format json` + `redline apply` with the
//! same decisions. Flags are shown beside the fixes; there is nothing to decide
//! about them.
//!
//! `--by-rule` first asks once per rule, with a few samples, and then only about
//! the rules the person wants to see change by change.
//!
//! It does not review JSON Lines documents (use a change set) and refuses to run
//! without a terminal on both standard input and output.

mod screen;
mod session;
mod terminal;

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};

use redline::changeset::{apply_accepted, fix_id};
use redline::io::decode::{decode, DecodeError};
use redline::io::jsonl::is_jsonl_path;
use redline::io::walk::{collect, Input, WalkOptions};
use redline::io::write::write_atomic;
use redline::render;
use redline::Engine;

use session::{
    rule_groups, Choice, Document, Ending, FlagNote, Proposal, RuleGroup, Session, Verdict,
};
use terminal::Terminal;

/// What became of a file once its review ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Written {
    /// The accepted fixes changed it and it was rewritten.
    Yes,
    /// Nothing accepted changed it; the file was not touched.
    Unchanged,
    /// Writing failed or was refused (the message says why).
    Failed(String),
}

/// Runs the interactive review over `paths`.
pub fn run(
    engine: &Engine,
    paths: &[String],
    by_rule: bool,
    walk: &WalkOptions,
) -> Result<ExitCode> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        bail!(
            "redline review needs an interactive terminal (standard input and output); \
             to decide without one, make a change set with \
             `redline diff --format json PATH… > changes.jsonl`, edit its decisions, \
             then `redline apply changes.jsonl`"
        );
    }
    let walked = collect(paths, walk);
    let inputs = walked.inputs;
    let mut problems: Vec<String> = walked
        .errors
        .into_iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    let mut notes = walked.notes;
    let mut docs = Vec::new();
    for input in &inputs {
        match input {
            Input::Stdin => problems
                .push("-: redline review reads files, not standard input; give file paths".into()),
            Input::File { path, walked, .. } => {
                if is_jsonl_path(path) {
                    problems.push(format!(
                        "{}: JSON Lines documents are not reviewed here; use \
                         `redline diff --format json` and `redline apply`",
                        path.display()
                    ));
                    continue;
                }
                match load(engine, path) {
                    Ok(doc) => docs.push(doc),
                    Err(LoadError::Binary) if *walked => {
                        notes.push(format!("{}: binary file, skipped", path.display()))
                    }
                    Err(LoadError::Binary) => {
                        problems.push(format!("{}: binary file; not reviewed", path.display()))
                    }
                    Err(LoadError::Other(m)) => problems.push(m),
                }
            }
        }
    }

    let mut session = Session::new(docs);
    let mut written: Vec<Option<Written>> = vec![None; session.docs.len()];
    let mut verdicts = Vec::new();
    let any_fix = session.docs.iter().any(|d| !d.proposals.is_empty());
    if any_fix {
        let mut term = Terminal::open()?;
        let groups = rule_groups(&session.docs);
        let mut quit = false;
        if by_rule {
            let (v, q) = ask_rules(&mut term, &session, &groups)?;
            verdicts = v;
            quit = q;
            session.set_verdicts(&verdicts);
        }
        if !quit {
            walk_fixes(&mut term, &mut session, &mut written, engine, by_rule)?;
        }
        for d in session.quit() {
            written[d] = Some(write(engine, &session, d));
        }
        drop(term);
    }

    let summary = summary(&session, &written, &verdicts, &notes);
    io::stdout().lock().write_all(summary.as_bytes())?;
    for problem in &problems {
        eprintln!("redline: {problem}");
    }
    let failed = !problems.is_empty()
        || written
            .iter()
            .any(|w| matches!(w, Some(Written::Failed(_))));
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The rule screens of `--by-rule`: one answer per rule. Returns the answers
/// and whether the person quit.
fn ask_rules(
    term: &mut Terminal,
    session: &Session,
    groups: &[RuleGroup],
) -> Result<(Vec<(String, Verdict)>, bool)> {
    let mut verdicts: Vec<(String, Verdict)> = Vec::new();
    let mut status = String::new();
    while verdicts.len() < groups.len() {
        let i = verdicts.len();
        let input = term.ask(&|c, r| screen::rule_screen(session, groups, i, &status, c, r))?;
        let rule = groups[i].rule.clone();
        status = match input {
            terminal::Input::Key('y') => {
                verdicts.push((rule.clone(), Verdict::All(Choice::Accept)));
                format!("{rule}: every fix accepted")
            }
            terminal::Input::Key('n') => {
                verdicts.push((rule.clone(), Verdict::All(Choice::Reject)));
                format!("{rule}: every fix rejected")
            }
            terminal::Input::Key('c') => {
                verdicts.push((rule.clone(), Verdict::EachChange));
                format!("{rule}: asked change by change after the rules")
            }
            terminal::Input::Key('u') => match verdicts.pop() {
                Some((r, _)) => format!("{r}: answer undone"),
                None => "this is the first rule".into(),
            },
            terminal::Input::Key('q') | terminal::Input::Interrupt => return Ok((verdicts, true)),
            terminal::Input::Key('?') => {
                term.ask(&|c, r| screen::help_screen(true, c, r))?;
                String::new()
            }
            terminal::Input::Key(other) => {
                format!("`{other}` does nothing here; ? shows the keys")
            }
        };
    }
    Ok((verdicts, false))
}

/// The fix screens: every undecided fix, file by file; a file is written when
/// its last fix is decided. Returns when every file is done or the person quit
/// (the caller writes the current file then).
fn walk_fixes(
    term: &mut Terminal,
    session: &mut Session,
    written: &mut [Option<Written>],
    engine: &Engine,
    by_rule: bool,
) -> Result<()> {
    let mut status = String::new();
    while let Some(d) = session.current_doc() {
        if session.file_complete() {
            let result = write(engine, session, d);
            status = match &result {
                Written::Yes => format!("{} written", session.docs[d].label),
                Written::Unchanged => format!("{} unchanged", session.docs[d].label),
                Written::Failed(m) => m.clone(),
            };
            if session.docs[d].proposals.is_empty() {
                status.clear();
            }
            written[d] = Some(result);
            session.finish_file(Ending::Decided);
            continue;
        }
        let input = {
            let view = |c, r| screen::fix_screen(session, &status, c, r);
            term.ask(&view)?
        };
        let rule = session
            .current_fix()
            .map(|f| session.docs[d].proposals[f].rule.clone())
            .unwrap_or_default();
        status = match input {
            terminal::Input::Key(k @ ('y' | 'n')) => {
                let choice = if k == 'y' {
                    Choice::Accept
                } else {
                    Choice::Reject
                };
                session.decide(choice);
                screen::said(choice).to_string()
            }
            terminal::Input::Key(k @ ('a' | 'r')) => {
                let choice = if k == 'a' {
                    Choice::Accept
                } else {
                    Choice::Reject
                };
                session.decide_rule(choice);
                format!(
                    "every {rule} fix {} here and in later files",
                    screen::said(choice)
                )
            }
            terminal::Input::Key('u') => {
                if session.undo() {
                    "undone".into()
                } else {
                    "nothing to undo in this file (finished files are already written)".into()
                }
            }
            terminal::Input::Key('s') => {
                let label = session.docs[d].label.clone();
                session.finish_file(Ending::Skipped);
                format!("{label} skipped, nothing written")
            }
            terminal::Input::Key('q') | terminal::Input::Interrupt => return Ok(()),
            terminal::Input::Key('?') => {
                term.ask(&|c, r| screen::help_screen(by_rule, c, r))?;
                String::new()
            }
            terminal::Input::Key(other) => {
                format!("`{other}` does nothing here; ? shows the keys")
            }
        };
    }
    Ok(())
}

/// Applies file `d`'s accepted fixes and writes it if that changes it.
fn write(engine: &Engine, session: &Session, d: usize) -> Written {
    let doc = &session.docs[d];
    let accepted: HashSet<String> = session.accepted_ids(d);
    if accepted.is_empty() {
        return Written::Unchanged;
    }
    let run = apply_accepted(&engine.pipeline, &doc.text, &accepted);
    if !run.changed() {
        return Written::Unchanged;
    }
    // The review can take a while: never overwrite an edit made meanwhile.
    match std::fs::read(&doc.path) {
        Ok(now) if now == doc.bytes => {}
        _ => {
            return Written::Failed(format!(
                "{}: changed on disk during the review; nothing written. Review it again",
                doc.label
            ))
        }
    }
    match write_atomic(&doc.path, run.output().as_bytes(), None) {
        Ok(()) => Written::Yes,
        Err(e) => Written::Failed(format!("{}: cannot write: {e}", doc.label)),
    }
}

enum LoadError {
    Binary,
    Other(String),
}

/// Reads, decodes and runs the pipeline over one file; every fix becomes a
/// proposal placed in the original text.
fn load(engine: &Engine, path: &Path) -> Result<Document, LoadError> {
    let label = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| LoadError::Other(format!("{label}: cannot read: {e}")))?;
    let decoded = match decode(&bytes, engine.settings.encoding.as_deref()) {
        Ok(d) => d,
        Err(DecodeError::Binary { .. }) => return Err(LoadError::Binary),
        Err(e) => return Err(LoadError::Other(format!("{label}: {e}"))),
    };
    let text = decoded.text;
    let run = engine.pipeline.run(&text);
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut flags = Vec::new();
    let mut seen = HashSet::new();
    for l in render::locate(&run) {
        // Where `check` and `diff` put it: the finding's place in the original.
        let (line, column) = (l.line, l.column);
        let Some(after) = l.after.clone() else {
            flags.push(FlagNote {
                rule: l.finding.rule.to_string(),
                line,
                column,
                message: l.finding.message.to_string(),
            });
            continue;
        };
        let id = fix_id(&l.finding.rule, &l.origin);
        if !seen.insert(id.clone()) {
            continue;
        }
        let input = run.input_of(l.step);
        let line_start = input[..l.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = input[l.end..].find('\n').map_or(input.len(), |i| l.end + i);
        proposals.push(Proposal {
            id,
            rule: l.finding.rule.to_string(),
            pass: l.step.pass,
            message: l.finding.message.to_string(),
            applicability: l.applicability(),
            line,
            column,
            origin: l.origin.clone(),
            prefix: input[line_start..l.start].to_string(),
            before: l.before.to_string(),
            after,
            suffix: input[l.end..line_end].to_string(),
        });
    }
    proposals.sort_by_key(|p| (p.origin.start, p.origin.end));
    Ok(Document {
        path: path.to_path_buf(),
        label,
        bytes,
        text,
        proposals,
        flags,
    })
}

/// The text printed on the normal screen after the review.
fn summary(
    session: &Session,
    written: &[Option<Written>],
    verdicts: &[(String, Verdict)],
    notes: &[String],
) -> String {
    let mut out = String::new();
    let n = session.docs.len();
    out.push_str(&format!(
        "redline review: {n} file{}\n",
        if n == 1 { "" } else { "s" }
    ));
    for (rule, verdict) in verdicts {
        let said = match verdict {
            Verdict::All(c) => format!("every fix {}", screen::said(*c)),
            Verdict::EachChange => "decided change by change".into(),
        };
        out.push_str(&format!("  rule {rule}: {said}\n"));
    }
    for (d, doc) in session.docs.iter().enumerate() {
        let flags = match doc.flags.len() {
            0 => String::new(),
            1 => " (1 flag: see `redline check`)".into(),
            k => format!(" ({k} flags: see `redline check`)"),
        };
        if doc.proposals.is_empty() {
            out.push_str(&format!("  {}: no fixes{flags}\n", doc.label));
            continue;
        }
        let (accepted, rejected, skipped) = session.counts(d);
        let what = match (session.ending(d), &written[d]) {
            (_, Some(Written::Failed(m))) => format!("NOT WRITTEN: {m}"),
            (Ending::Skipped, _) => "file skipped, nothing written".into(),
            (_, Some(Written::Yes)) => "written".into(),
            (Ending::Quit, _) if accepted + rejected == 0 => "not reviewed (quit)".into(),
            _ => "unchanged".into(),
        };
        out.push_str(&format!(
            "  {}: {accepted} accepted, {rejected} rejected, {skipped} skipped; {what}{flags}\n",
            doc.label
        ));
    }
    for note in notes {
        out.push_str(&format!("redline: {note}\n"));
    }
    out
}
