//! The `redline` command line: `clean`, `diff`, `check`, `rules`.
//!
//! Everything here is an edge: finding files, reading, decoding, printing and
//! writing. The cleaning itself is `redline::Engine`'s pipeline.

mod cli;

/// Cleaning allocates many small strings per document on every thread; mimalloc
/// keeps that cheap and free of contention between threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use cli::document::{Format, Job, Mode};
use cli::files::{Destination, Totals};
use cli::jsonl::{JsonlOptions, Sink};
use cli::progress::Progress;
use redline::config::Settings;
use redline::io::jsonl::{is_jsonl_path, FieldPath};
use redline::io::walk::{collect, Input, WalkOptions};
use redline::render::diff::Style;
use redline::Engine;

/// Cleans article text and shows exactly what every pass changed.
#[derive(Parser)]
#[command(name = "redline", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Print the cleaned text, or write it (-o FILE|OUTDIR, --in-place).
    Clean(CleanArgs),
    /// Show, pass by pass, what cleaning would change.
    Diff(ReportArgs),
    /// List every finding as PATH:LINE:COL; exit 1 when there is any.
    Check(ReportArgs),
    /// List every pass and rule: id, default, safety, description.
    Rules,
    /// Apply exactly the accepted fixes of a change set, atomically.
    Apply(ApplyArgs),
    /// Walk through every proposed fix in the terminal: accept, reject, undo.
    Review(ReviewArgs),
    /// Write a self-contained HTML report with accept/reject toggles.
    Report(HtmlReportArgs),
    /// Find the spelling variants of names the corpus uses; write them as a names map.
    Names(cli::names::NamesArgs),
}

#[derive(Args)]
struct ReviewArgs {
    /// Files or folders to review.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// Show a few samples of each rule and decide once per rule.
    #[arg(long)]
    by_rule: bool,
}

#[derive(Args)]
struct HtmlReportArgs {
    /// Files or folders to report on.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
    /// The HTML file to write.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "report.html",
        required = true
    )]
    output: PathBuf,
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
    /// Names map: `builtin` (default), `none`, or a rule file such as one written
    /// by `redline names --format toml`, used instead of the built-in map.
    #[arg(long, value_name = "builtin|none|FILE", global = true)]
    names: Option<String>,
}

/// Options for many files and JSON Lines corpora.
#[derive(Args, Clone, Default)]
struct BatchArgs {
    /// Threads (default: all cores). Output is the same for every value.
    #[arg(short = 'j', long = "threads", value_name = "N", global = true)]
    threads: Option<usize>,
    /// Include hidden and .gitignore'd files when walking folders.
    #[arg(long, global = true)]
    no_ignore: bool,
    /// Only files matching this glob (`!GLOB` excludes); repeatable.
    #[arg(long, value_name = "GLOB", global = true)]
    glob: Vec<String>,
    /// Treat inputs as JSON Lines (one document a line; .jsonl, .jsonl.gz, .jsonl.zst).
    #[arg(long, global = true)]
    jsonl: bool,
    /// With --jsonl: the string field to clean (`text`, or nested `meta.body`).
    #[arg(long, value_name = "FIELD", default_value = "text", global = true)]
    field: String,
    /// With --jsonl: a field that names each document in reports (e.g. `id`).
    #[arg(long, value_name = "FIELD", global = true)]
    id_field: Option<String>,
    /// Print per-rule and total statistics at the end.
    #[arg(long, global = true)]
    statistics: bool,
    /// No progress bar, no summary on stderr (errors are still printed).
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Args)]
struct CleanArgs {
    /// Files or folders; `-` (default) reads standard input.
    #[arg(value_name = "PATH", default_value = "-")]
    paths: Vec<String>,
    /// Write to FILE (one input) or mirror folders into OUTDIR.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE|OUTDIR",
        conflicts_with = "in_place"
    )]
    output: Option<PathBuf>,
    /// Rewrite each file in place (atomically: temp file, fsync, rename).
    #[arg(long)]
    in_place: bool,
    /// With --in-place, keep the original as PATH + SUFFIX.
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    backup: Option<String>,
    /// Never read a file through a memory map. A big UTF-8 file (4 MiB or
    /// more) cleaned into a file is otherwise mapped and cleaned straight
    /// into its output; a file truncated by another program meanwhile then
    /// stops redline (SIGBUS), as with ripgrep's maps. Use this on network
    /// file systems or for files that may change while cleaned.
    #[arg(long)]
    no_mmap: bool,
}

#[derive(Args)]
struct ReportArgs {
    /// Files or folders; `-` (default) reads standard input.
    #[arg(value_name = "PATH", default_value = "-")]
    paths: Vec<String>,
    /// `text` for people, `json` for JSON Lines (one object per finding).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// diff: write one ordinary unified diff of the fixes `clean` applies (for
    /// `git apply` / `patch -p1`) instead of the per-pass view.
    #[arg(long, conflicts_with = "format")]
    patch: bool,
}

#[derive(Args)]
struct ApplyArgs {
    /// The change set: `redline diff --format json` output with decisions edited
    /// (`-` reads standard input).
    #[arg(value_name = "CHANGES.jsonl")]
    changes: String,
    /// Print a unified diff of the accepted fixes instead of writing the files.
    #[arg(long)]
    patch: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(ref args) => clean(args, &cli),
        Command::Diff(ref args) => report(args, &cli, Mode::Diff),
        Command::Check(ref args) => report(args, &cli, Mode::Check),
        Command::Rules => rules(&cli.pipeline),
        Command::Review(ref args) => engine_for(&cli).and_then(|engine| {
            cli::review::run(&engine, &args.paths, args.by_rule, &walk_options(&cli))
        }),
        Command::Report(ref args) => engine_for(&cli).and_then(|engine| {
            cli::report::run(&engine, &args.paths, &args.output, &walk_options(&cli))
        }),
        Command::Names(ref args) => names(args, &cli),
        Command::Apply(ref args) => match FieldPath::parse(&cli.batch.field) {
            Some(field) => cli::apply::run(&args.changes, args.patch, &field, &engine_for(&cli)),
            None => Err(anyhow::anyhow!(
                "--field `{}` is not a field path",
                cli.batch.field
            )),
        },
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
        names: args.names.clone(),
    };
    Ok(base.merge(flags))
}

/// Sizes the global thread pool from `-j N` (default: every core).
fn set_threads(cli: &Cli) -> Result<()> {
    if let Some(n) = cli.batch.threads {
        if n == 0 {
            bail!("-j takes a number of threads of at least 1");
        }
        // Fails only if a pool exists already, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    Ok(())
}

fn job(cli: &Cli, mode: Mode, format: Format, style: Style) -> Result<Job> {
    set_threads(cli)?;
    let engine = Engine::new(settings(&cli.pipeline)?)?;
    if let Some(label) = &engine.settings.encoding {
        if encoding_rs::Encoding::for_label(label.as_bytes()).is_none() {
            bail!(cli::document::decode_error_message(
                "-",
                &redline::io::decode::DecodeError::UnknownEncoding(label.clone())
            ));
        }
    }
    let passes = engine.pipeline.pass_names();
    Ok(Job {
        engine,
        mode,
        format,
        style,
        passes,
        map_files: true,
    })
}

fn jsonl_options(cli: &Cli) -> Result<JsonlOptions> {
    let field = FieldPath::parse(&cli.batch.field).ok_or_else(|| {
        anyhow::anyhow!(
            "--field `{}` is not a field path like `text` or `meta.body`",
            cli.batch.field
        )
    })?;
    let id_field = match &cli.batch.id_field {
        Some(f) => Some(
            FieldPath::parse(f)
                .ok_or_else(|| anyhow::anyhow!("--id-field `{f}` is not a field path"))?,
        ),
        None => None,
    };
    Ok(JsonlOptions { field, id_field })
}

fn is_jsonl(cli: &Cli, paths: &[String]) -> bool {
    cli.batch.jsonl
        || (!paths.is_empty()
            && paths
                .iter()
                .all(|p| p != "-" && is_jsonl_path(Path::new(p))))
}

/// Streams each JSON Lines input into its sink; a failed input is listed and the
/// others go on. `Err` means standard output was closed: stop quietly.
fn run_jsonl_inputs(
    job: &Job,
    cli: &Cli,
    paths: &[String],
    options: &JsonlOptions,
    sink_for: &dyn Fn(&str) -> Sink,
    totals: &mut Totals,
) -> Result<(), ()> {
    let progress = Progress::new(0, cli.batch.quiet);
    for path in paths {
        if let Err(e) = cli::jsonl::run(job, path, options, sink_for(path), &progress, totals) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Err(());
            }
            totals.stats.failed += 1;
            totals.errors.push(format!("{path}: {e}"));
        }
    }
    progress.finish();
    Ok(())
}

/// Processes files with a progress bar and adds up what happened. `Ok(false)`
/// means standard output was closed: stop quietly.
fn run_file_inputs(
    job: &Job,
    cli: &Cli,
    inputs: &[Input],
    dest: &Destination,
    totals: &mut Totals,
) -> Result<bool> {
    let progress = Progress::new(total_bytes(inputs), cli.batch.quiet);
    let result = cli::files::run(job, inputs, dest, &progress);
    progress.finish();
    match result {
        Ok(t) => {
            totals.stats.merge(t.stats);
            totals.errors.extend(t.errors);
            totals.notes.extend(t.notes);
            totals.leftover = t.leftover;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn total_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .map(|i| match i {
            Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
            Input::Stdin => 0,
        })
        .sum()
}

fn clean(args: &CleanArgs, cli: &Cli) -> Result<ExitCode> {
    let mut job = job(cli, Mode::Clean, Format::Text, Style::Plain)?;
    job.map_files = !args.no_mmap;
    if args.in_place && args.paths.iter().any(|p| p == "-") {
        bail!("--in-place needs file paths, not `-` (standard input)");
    }
    let start = Instant::now();
    let mut totals = Totals::default();
    if is_jsonl(cli, &args.paths) {
        let options = jsonl_options(cli)?;
        if args.output.is_some() && args.paths.len() > 1 {
            bail!("-o takes one JSON Lines input; for several use --in-place");
        }
        let sink = |path: &str| {
            cli::jsonl::sink_for(
                path,
                args.output.as_deref(),
                args.in_place,
                args.backup.as_deref(),
            )
        };
        let targets: Vec<PathBuf> = match &args.output {
            _ if args.in_place => args.paths.iter().map(PathBuf::from).collect(),
            Some(out) if out != Path::new("-") => vec![out.clone()],
            _ => Vec::new(),
        };
        totals.notes.extend(cli::safety::sweep(&targets, &[]));
        if run_jsonl_inputs(&job, cli, &args.paths, &options, &sink, &mut totals).is_err() {
            return Ok(ExitCode::SUCCESS); // closed pipe
        }
    } else {
        let walk = walk_options(cli);
        let any_dir = args.paths.iter().any(|p| Path::new(p).is_dir());
        if any_dir && args.output.is_none() && !args.in_place {
            let dir = args.paths.iter().find(|p| Path::new(p).is_dir()).unwrap();
            bail!(
                "{dir}: is a directory; to clean a folder give -o OUTDIR (a mirrored tree) \
                 or --in-place"
            );
        }
        let walked = collect(&args.paths, &walk);
        let inputs = walked.inputs;
        totals.notes.extend(walked.notes);
        totals.errors.extend(
            walked
                .errors
                .into_iter()
                .map(|e| format!("{}: {}", e.path, e.message)),
        );
        let dest = if args.in_place {
            Destination::InPlace(args.backup.clone())
        } else if let Some(out) = &args.output {
            match std::fs::metadata(out) {
                Ok(m) if !m.is_file() && !m.is_dir() => Destination::Straight(out.clone()),
                Ok(m) if m.is_dir() => Destination::Folder(out.clone()),
                _ if any_dir || inputs.len() > 1 => Destination::Folder(out.clone()),
                _ => Destination::File(out.clone()),
            }
        } else {
            Destination::Stdout
        };
        // Never clean into an input folder; name (and remove when stale) the
        // temporary files of killed runs where this run writes.
        let (targets, trees) = match &dest {
            Destination::Folder(out) => {
                cli::safety::check_output_folder(&args.paths, out)?;
                (Vec::new(), vec![out.clone()])
            }
            Destination::File(out) => (vec![out.clone()], Vec::new()),
            Destination::InPlace(_) => (
                inputs
                    .iter()
                    .filter_map(|i| match i {
                        Input::File {
                            path,
                            walked: false,
                            ..
                        } => Some(path.clone()),
                        _ => None,
                    })
                    .collect(),
                Vec::new(),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        totals.notes.extend(cli::safety::sweep(&targets, &trees));
        if !run_file_inputs(&job, cli, &inputs, &dest, &mut totals)? {
            return Ok(ExitCode::SUCCESS); // closed pipe
        }
    }
    if io::stdout().flush().is_err() {
        return Ok(ExitCode::SUCCESS);
    }
    totals.stats.finish(start.elapsed().as_secs_f64());
    finish(cli, &totals, false, Format::Text)
}

/// Prints notes, errors, the clean summary and statistics; picks the exit code.
fn finish(cli: &Cli, totals: &Totals, is_report: bool, format: Format) -> Result<ExitCode> {
    let mut err = io::stderr().lock();
    if !cli.batch.quiet {
        for note in &totals.notes {
            writeln!(err, "redline: {note}")?;
        }
    }
    if !is_report && !cli.batch.quiet && totals.leftover.total() > 0 {
        let rules: Vec<String> = totals
            .leftover
            .per_rule
            .iter()
            .map(|(r, n)| format!("{r} ×{n}"))
            .collect();
        let total = totals.leftover.total();
        writeln!(
            err,
            "redline: {total} finding{} left for review ({}); `redline check` lists them",
            if total == 1 { "" } else { "s" },
            rules.join(", ")
        )?;
    }
    if cli.batch.statistics {
        if is_report {
            let mut out = io::stdout().lock();
            let text = match format {
                Format::Json => totals.stats.json_line() + "\n",
                Format::Text => totals.stats.table(),
            };
            if let Err(e) = out.write_all(text.as_bytes()) {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    return Err(e.into());
                }
            }
        } else {
            err.write_all(totals.stats.table().as_bytes())?;
        }
    }
    if !totals.errors.is_empty() {
        if totals.errors.len() > 1 || totals.stats.documents > 0 {
            writeln!(
                err,
                "redline: {} error{}:",
                totals.errors.len(),
                if totals.errors.len() == 1 { "" } else { "s" }
            )?;
        }
        for e in &totals.errors {
            writeln!(err, "redline: {e}")?;
        }
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(args: &ReportArgs, cli: &Cli, mode: Mode) -> Result<ExitCode> {
    let style = match args.color {
        ColorChoice::Always => Style::Color,
        ColorChoice::Never => Style::Plain,
        ColorChoice::Auto => {
            if io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                Style::Color
            } else {
                Style::Plain
            }
        }
    };
    let mode = if args.patch {
        if mode == Mode::Check {
            bail!("--patch goes with `redline diff`");
        }
        Mode::Patch
    } else {
        mode
    };
    let job = job(cli, mode, args.format, style)?;
    if mode == Mode::Patch && is_jsonl(cli, &args.paths) {
        bail!("--patch works on text files; for JSON Lines use a change set (`--format json`) and `redline apply`");
    }
    let start = Instant::now();
    let mut totals = Totals::default();
    if is_jsonl(cli, &args.paths) {
        let options = jsonl_options(cli)?;
        let sink = |_: &str| Sink::None;
        if run_jsonl_inputs(&job, cli, &args.paths, &options, &sink, &mut totals).is_err() {
            return Ok(ExitCode::SUCCESS); // closed pipe
        }
    } else {
        let walk = walk_options(cli);
        let walked = collect(&args.paths, &walk);
        let inputs = walked.inputs;
        totals.notes.extend(walked.notes);
        totals.errors.extend(
            walked
                .errors
                .into_iter()
                .map(|e| format!("{}: {}", e.path, e.message)),
        );
        if !run_file_inputs(&job, cli, &inputs, &Destination::Stdout, &mut totals)? {
            return Ok(ExitCode::SUCCESS); // closed pipe
        }
    }
    if mode == Mode::Check && args.format == Format::Text && totals.leftover.total() > 0 {
        let summary = totals.leftover.summary();
        if io::stdout().lock().write_all(summary.as_bytes()).is_err() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    totals.stats.finish(start.elapsed().as_secs_f64());
    let code = finish(cli, &totals, true, args.format)?;
    if code == ExitCode::from(2) {
        return Ok(code);
    }
    Ok(if mode == Mode::Check && totals.leftover.total() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn names(args: &cli::names::NamesArgs, cli: &Cli) -> Result<ExitCode> {
    let settings = settings(&cli.pipeline)?;
    set_threads(cli)?;
    let jsonl = is_jsonl(cli, &args.paths)
        .then(|| jsonl_options(cli))
        .transpose()?;
    let input = cli::names::Inputs {
        paths: &args.paths,
        jsonl: jsonl.as_ref(),
        walk: walk_options(cli),
        encoding: settings.encoding.as_deref(),
        quiet: cli.batch.quiet,
    };
    cli::names::run(args, &input)
}

fn walk_options(cli: &Cli) -> WalkOptions {
    WalkOptions {
        no_ignore: cli.batch.no_ignore,
        globs: cli.batch.glob.clone(),
    }
}

fn engine_for(cli: &Cli) -> Result<Engine> {
    Ok(Engine::new(settings(&cli.pipeline)?)?)
}

fn rules(pipeline: &PipelineArgs) -> Result<ExitCode> {
    let engine = Engine::new(settings(pipeline)?)?;
    let active = engine.rules.active_rules(&engine.settings)?;
    let rows = engine.rules.rows();
    let table = redline::render::rules::table(&rows, &active);
    match io::stdout().lock().write_all(table.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}
