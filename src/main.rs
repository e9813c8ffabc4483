//! Temporary minimal command line (replaced by the full one): `redline clean -`.
use std::io::{Read, Write};

fn main() {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    let engine = redline::Engine::default_config();
    let run = engine.pipeline.run(&input);
    for (step, f) in run.findings() {
        eprintln!("{}: {} {}..{} {}", step.pass, f.rule, f.start, f.end, f.message);
    }
    std::io::stdout().write_all(run.output().as_bytes()).unwrap();
}
