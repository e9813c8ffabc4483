//! Mojibake pass helpers for comparisons and timing (not part of the CLI).
//!
//! `cargo run --release --example mojibake -- clean < in.txt > out.txt` runs the
//! pipeline with only the `mojibake` pass (used by `bench/compare_ftfy.py`).
//! `cargo run --release --example mojibake -- bench FILE [REPEAT]` times the
//! default pipeline with and without the pass on FILE.
use std::io::{Read, Write};
use std::time::Instant;

use redline::config::Settings;
use redline::Engine;

fn engine(settings: Settings) -> Engine {
    Engine::new(settings).expect("valid settings")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("clean") => {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            let engine = engine(Settings {
                only: vec!["mojibake".into()],
                ..Settings::default()
            });
            let run = engine.pipeline.run(&input);
            for (step, f) in run.findings() {
                eprintln!(
                    "{}: {} {}..{} {}",
                    step.pass, f.rule, f.start, f.end, f.message
                );
            }
            std::io::stdout()
                .write_all(run.output().as_bytes())
                .unwrap();
        }
        Some("bench") => {
            let path = args.get(1).expect("bench FILE [REPEAT]");
            let repeat: usize = args.get(2).map_or(5, |r| r.parse().unwrap());
            let text = std::fs::read_to_string(path).unwrap();
            let with = engine(Settings::default());
            let without = engine(Settings {
                disable: vec!["mojibake".into()],
                ..Settings::default()
            });
            // Articles are separated by blank lines; clean each like the CLI
            // cleans a file.
            let docs: Vec<&str> = text.split("\n\n").collect();
            // The pass alone, over the whole file at once.
            let pass = redline::passes::mojibake::Mojibake::new();
            let mut best = f64::MAX;
            let mut found = Vec::new();
            for _ in 0..repeat * 4 {
                let t = Instant::now();
                found.clear();
                redline::pass::Pass::check(&pass, &text, &mut found);
                best = best.min(t.elapsed().as_secs_f64());
            }
            println!(
                "   mojibake alone: {:.1} MB/s ({} findings)",
                text.len() as f64 / best / 1e6,
                found.len()
            );
            for round in 0..2 {
                for (name, e) in [("without mojibake", &without), ("with mojibake", &with)] {
                    let mut best = f64::MAX;
                    for _ in 0..repeat {
                        let t = Instant::now();
                        let mut n = 0;
                        for d in &docs {
                            n += e.pipeline.clean(d).len();
                        }
                        std::hint::black_box(n);
                        best = best.min(t.elapsed().as_secs_f64());
                    }
                    if round == 1 {
                        println!(
                            "{name:>17}: {:.1} MB/s (best of {repeat}, {} bytes)",
                            text.len() as f64 / best / 1e6,
                            text.len()
                        );
                    }
                }
            }
        }
        _ => eprintln!("usage: mojibake clean < IN | mojibake bench FILE [REPEAT]"),
    }
}
