//! Snapshots of every file in `seeds/`: the cleaned text and the per-pass diff.
//! Add a file to `seeds/`, get two snapshots in `snapshots/` (read them before
//! accepting them: `cargo insta review`).

use redline::io::decode::decode;
use redline::render::diff::{render, DocumentLabel, Style};
use redline::Engine;

#[test]
fn seeds_clean_and_diff() {
    let engine = Engine::default_config();
    let passes = engine.pipeline.pass_names();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../seeds", "*.txt", |path| {
            let bytes = std::fs::read(path).unwrap();
            let decoded = decode(&bytes, None).unwrap();
            let run = engine.pipeline.run(&decoded.text);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            insta::assert_snapshot!(format!("clean@{name}"), run.output());
            let label = DocumentLabel {
                path: &format!("seeds/{name}"),
                encoding: decoded.encoding,
                detected: decoded.detected,
            };
            insta::assert_snapshot!(
                format!("diff@{name}"),
                render(&label, &run, &passes, Style::Plain)
            );
        });
    });
}
