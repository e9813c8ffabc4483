//! Hostile shapes of text (issue 10): a long line dense with fixes is cleaned
//! like the same sentences on lines of their own, and settles in one clean.
//! These inputs were quadratic (a rescan of the whole line per fix); their
//! speed is measured by `bench/pathological.sh`, not here.

use redline::Engine;

/// Each unit repeated `n` times, as one line (units separated by spaces) and
/// as one unit per line.
fn shapes(unit: &str, n: usize) -> (String, String) {
    let units = vec![unit; n];
    (units.join(" ") + "\n", units.join("\n") + "\n")
}

#[test]
fn a_long_line_is_cleaned_like_its_sentences_on_lines_of_their_own() {
    let engine = Engine::default_config();
    for unit in [
        "Long..",
        "\"stop.\".",
        "“stop.”.",
        "one,, two",
        "He said he donâ€™t know.",
        "cafÃ© Â£5 â€œquoteâ€\u{9d} naÃ¯ve",
        "cafe\u{301} nai\u{308}ve",
        "a\u{200b}b\u{200b}c",
        "Dimitri Peskov and Nagorno Karabakh.",
    ] {
        // a few thousand fixes on one line: far beyond any window of a pass
        let (line, lines) = shapes(unit, 3000);
        let one = engine.pipeline.clean(&line);
        let many = engine.pipeline.clean(&lines);
        assert_ne!(many, lines, "{unit:?} has something to fix");
        assert_eq!(
            one,
            many.replace('\n', " ").trim_end().to_string() + "\n",
            "{unit:?}"
        );
        assert_eq!(engine.pipeline.clean(&one), one, "{unit:?} settles");
    }
}

#[test]
fn deep_nesting_and_unclosed_quotes_on_one_line_settle() {
    let engine = Engine::default_config();
    let depth = 10_000;
    let nested: String = (0..depth)
        .map(|i| if i % 2 == 0 { "“a " } else { "‘a " })
        .collect::<String>()
        + "middle"
        + &(0..depth)
            .rev()
            .map(|i| if i % 2 == 0 { " a”" } else { " a’" })
            .collect::<String>()
        + ".";
    let open = "“a ‘b «c \"d 'e „f ‹g ".repeat(5000);
    for text in [nested, open] {
        let run = engine.pipeline.run(&text);
        assert!(run.settled);
        assert_eq!(engine.pipeline.clean(run.output()), run.output());
    }
}
