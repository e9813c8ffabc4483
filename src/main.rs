//! The `redline` command line: `clean`, `diff`, `check`, `rules`.
//!
//! Everything here is an edge: reading files, decoding, printing and writing.
//! The cleaning itself is `redline::Engine`'s pipeline.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use redline::config::Settings;
use redline::io::decode::{decode, DecodeError, Decoded};
use redline::io::write::write_atomic;
use redline::pipeline::Run;
use redline::render::{self, check::Tally, diff, json::FindingRecord};
use redline::Engine;

/// Cleans article text and shows exactly what every pass changed.
#[derive(Parser)]
#[command(name = "redline", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the cleaned text (or write it with -o / --in-place).
    Clean(CleanArgs),
    /// Show, pass by pass, what cleaning would change.
    Diff(ReportArgs),
    /// List every finding as PATH:LINE:COL; exit 1 when there is any.
    Check(ReportArgs),
    /// List every pass and rule: id, default, safety, description.
    Rules,
}

/// Options that choose what the pipeline does.
#[derive(Args, Clone, Default)]
struct PipelineArgs {
    /// Configuration file (default: redline.toml here or in a parent folder).
    #[arg(long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,
    /// Ignore every redline.toml.
    #[arg(long, global = true)]
    no_config: bool,
    /// Run only these passes or rules (comma-separated or repeated).
    #[arg(long, value_name = "PASS|RULE", value_delimiter = ',', global = true)]
    only: Vec<String>,
    /// Switch on passes or rules that are off by default.
    #[arg(long, value_name = "PASS|RULE", value_delimiter = ',', global = true)]
    enable: Vec<String>,
    /// Switch off passes or rules.
    #[arg(long, value_name = "PASS|RULE", value_delimiter = ',', global = true)]
    disable: Vec<String>,
    /// Apply fixes up to this safety: `safe` (default) or `review`.
    #[arg(long, value_name = "LEVEL", global = true)]
    apply: Option<String>,
    /// Decode input with this encoding instead of detecting it (e.g. utf-8, latin1).
    #[arg(long, value_name = "LABEL", global = true)]
    encoding: Option<String>,
    /// House spelling: `en-GB` turns on the US→UK map (-ise).
    #[arg(long, value_name = "LANG", global = true)]
    spelling: Option<String>,
}

#[derive(Args)]
struct CleanArgs {
    /// Files to clean; `-` (default) reads standard input.
    #[arg(value_name = "PATH", default_value = "-")]
    paths: Vec<String>,
    /// Write the cleaned text to FILE instead of standard output.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "in_place"
    )]
    output: Option<PathBuf>,
    /// Rewrite each file in place (atomically: temp file, fsync, rename).
    #[arg(long)]
    in_place: bool,
    /// With --in-place, keep the original as PATH + SUFFIX.
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    backup: Option<String>,
    /// Print nothing on standard error but errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct ReportArgs {
    /// Files to look at; `-` (default) reads standard input.
    #[arg(value_name = "PATH", default_value = "-")]
    paths: Vec<String>,
    /// `text` for people, `json` for JSON Lines (one object per finding).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// A document read and decoded.
struct Document {
    label: String,
    decoded: Decoded,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args, &cli.pipeline),
        Command::Diff(args) => report(args, &cli.pipeline, false),
        Command::Check(args) => report(args, &cli.pipeline, true),
        Command::Rules => rules(&cli.pipeline),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("redline: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Built-in defaults → redline.toml (or --config) → flags.
fn settings(args: &PipelineArgs) -> Result<Settings> {
    let file = match (&args.config, args.no_config) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => Settings::discover(&std::env::current_dir()?),
    };
    let base = match file {
        Some(path) => Settings::load(&path)?,
        None => Settings::default(),
    };
    let flags = Settings {
        apply: args.apply.clone(),
        only: args.only.clone(),
        enable: args.enable.clone(),
        disable: args.disable.clone(),
        spelling: args.spelling.clone(),
        encoding: args.encoding.clone(),
        rule_files: Vec::new(),
    };
    Ok(base.merge(flags))
}

fn engine(args: &PipelineArgs) -> Result<Engine> {
    Ok(Engine::new(settings(args)?)?)
}

/// Reads and decodes one path; the error names the path and what to do.
fn read_document(path: &str, encoding: Option<&str>) -> Result<Document> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read standard input")?;
        buf
    } else {
        let p = Path::new(path);
        if p.is_dir() {
            bail!(
                "{path}: is a directory; give files (e.g. `find {path} -type f | xargs redline clean`)"
            );
        }
        std::fs::read(p).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => anyhow!("{path}: no such file; check the path"),
            io::ErrorKind::PermissionDenied => {
                anyhow!("{path}: permission denied; check the file's permissions")
            }
            _ => anyhow!("{path}: cannot read: {e}"),
        })?
    };
    let decoded = decode(&bytes, encoding).map_err(|e| match e {
        DecodeError::Binary { offset } => anyhow!(
            "{path}: binary file (NUL byte at byte {offset}); not cleaned. \
             If it is UTF-16 text without a BOM, pass --encoding utf-16le or utf-16be"
        ),
        DecodeError::Malformed {
            encoding,
            offset,
            line,
            column,
        } => anyhow!(
            "{path}:{line}:{column}: not valid {encoding} (byte {offset}); \
             pass the right --encoding, or leave it out to detect the encoding"
        ),
        DecodeError::UnknownEncoding(label) => anyhow!(
            "unknown encoding `{label}`; use a WHATWG label such as utf-8, windows-1252, \
             latin1, iso-8859-2, windows-1251, koi8-r, shift_jis, gb18030, utf-16le"
        ),
    })?;
    Ok(Document {
        label: path.to_string(),
        decoded,
    })
}

fn clean(args: CleanArgs, pipeline: &PipelineArgs) -> Result<ExitCode> {
    let engine = engine(pipeline)?;
    if args.in_place && args.paths.iter().any(|p| p == "-") {
        bail!("--in-place needs file paths, not `-` (standard input)");
    }
    if args.output.is_some() && args.paths.len() > 1 {
        bail!("-o takes one input; to clean several files use --in-place");
    }
    let mut failed = false;
    let mut tally = Tally::default();
    let stdout = io::stdout();
    let mut stdout = stdout.lock();
    for path in &args.paths {
        let doc = match read_document(path, engine.settings.encoding.as_deref()) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("redline: {e:#}");
                failed = true;
                continue;
            }
        };
        let run = engine.pipeline.run(&doc.decoded.text);
        let leftover: Vec<_> = render::locate(&run)
            .into_iter()
            .filter(|l| !l.applied)
            .collect();
        tally.add(&leftover);
        let output = run.output();
        let written = if args.in_place {
            if run.changed() || doc.decoded.encoding != "UTF-8" {
                write_atomic(Path::new(path), output.as_bytes(), args.backup.as_deref())
                    .with_context(|| format!("{path}: cannot write"))
            } else {
                Ok(())
            }
        } else if let Some(out) = &args.output {
            write_atomic(out, output.as_bytes(), None)
                .with_context(|| format!("{}: cannot write", out.display()))
        } else {
            stdout
                .write_all(output.as_bytes())
                .map_err(anyhow::Error::from)
        };
        if let Err(e) = written {
            if is_broken_pipe(&e) {
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("redline: {e:#}");
            failed = true;
        }
    }
    stdout.flush().or_else(|e| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Ok(())
        } else {
            Err(e)
        }
    })?;
    if !args.quiet && tally.total() > 0 {
        let rules: Vec<String> = tally
            .per_rule
            .iter()
            .map(|(r, n)| format!("{r} ×{n}"))
            .collect();
        eprintln!(
            "redline: {} finding{} left for review ({}); `redline check` lists them",
            tally.total(),
            if tally.total() == 1 { "" } else { "s" },
            rules.join(", ")
        );
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn report(args: ReportArgs, pipeline: &PipelineArgs, is_check: bool) -> Result<ExitCode> {
    let engine = engine(pipeline)?;
    let style = match args.color {
        ColorChoice::Always => diff::Style::Color,
        ColorChoice::Never => diff::Style::Plain,
        ColorChoice::Auto => {
            if io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                diff::Style::Color
            } else {
                diff::Style::Plain
            }
        }
    };
    let passes = engine.pipeline.pass_names();
    let mut failed = false;
    let mut tally = Tally::default();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for path in &args.paths {
        let doc = match read_document(path, engine.settings.encoding.as_deref()) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("redline: {e:#}");
                failed = true;
                continue;
            }
        };
        let run: Run = engine.pipeline.run(&doc.decoded.text);
        let located = render::locate(&run);
        tally.add(&located);
        let mut text = String::new();
        match (args.format, is_check) {
            (Format::Json, _) => {
                for l in &located {
                    text.push_str(
                        &FindingRecord::new(&doc.label, doc.decoded.encoding, l).to_line(),
                    );
                    text.push('\n');
                }
            }
            (Format::Text, true) => {
                for l in &located {
                    text.push_str(&render::check::line(&doc.label, l));
                    text.push('\n');
                }
            }
            (Format::Text, false) => {
                let label = diff::DocumentLabel {
                    path: &doc.label,
                    encoding: doc.decoded.encoding,
                    detected: doc.decoded.detected,
                };
                text.push_str(&diff::render(&label, &run, &passes, style));
            }
        }
        if let Err(e) = out.write_all(text.as_bytes()) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
    }
    if is_check && args.format == Format::Text && tally.total() > 0 {
        let summary = tally.summary();
        if let Err(e) = out.write_all(summary.as_bytes()) {
            if e.kind() != io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
        }
    }
    let _ = out.flush();
    Ok(if failed {
        ExitCode::from(2)
    } else if is_check && tally.total() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rules(pipeline: &PipelineArgs) -> Result<ExitCode> {
    let engine = engine(pipeline)?;
    let active = engine.rules.active_rules(&engine.settings)?;
    let rows = engine.rules.rows();
    let mut out = io::stdout().lock();
    let table = render::rules::table(&rows, &active);
    match out.write_all(table.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
