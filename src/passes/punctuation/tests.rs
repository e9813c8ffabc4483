//! One test (or more) per point of POLICY.md's "Duplicated punctuation".

use std::collections::HashSet;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::finding::Applicability;
use crate::passes::random_text;
use crate::pipeline::Pipeline;

fn pass() -> Punctuation {
    Punctuation::new(&RuleSet::load(&[]).unwrap())
}

/// The pass alone in a pipeline (all its rules on, safe fixes applied), built
/// once for all tests.
fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let rules = RuleSet::load(&[]).unwrap();
        let active: HashSet<String> = rules
            .rows()
            .into_iter()
            .filter(|r| r.pass == "punctuation")
            .map(|r| r.id)
            .collect();
        Pipeline::new(
            vec![Box::new(Punctuation::new(&rules))],
            active,
            Applicability::Safe,
        )
    })
}

/// Runs the pass alone through the pipeline: the cleaned text and the sorted
/// rule ids of every finding.
fn clean(text: &str) -> (String, Vec<String>) {
    let pipeline = pipeline();
    let run = pipeline.run(text);
    assert!(run.settled, "did not settle: {text:?}");
    let mut ids: Vec<String> = run.findings().map(|(_, f)| f.rule.to_string()).collect();
    ids.sort();
    (run.output().to_string(), ids)
}

fn fixed(input: &str, output: &str, rule: &str) {
    let (got, ids) = clean(input);
    assert_eq!(got, output, "input {input:?}");
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id == rule),
        "input {input:?}: findings {ids:?}, expected only {rule}"
    );
}

fn unchanged(input: &str) {
    let (got, ids) = clean(input);
    assert_eq!(got, input, "input {input:?} was changed ({ids:?})");
    assert!(
        ids.is_empty(),
        "input {input:?}: unexpected findings {ids:?}"
    );
}

// --- `..` → `.` only when the two dots end a word ---------------------------

#[test]
fn double_period_after_letters_digits_and_abbreviations() {
    fixed(
        "the conflict.. Azerbaijan",
        "the conflict. Azerbaijan",
        DOUBLE_PERIOD,
    );
    fixed("the U.S.. Allies", "the U.S. Allies", DOUBLE_PERIOD);
    fixed("at 9 a.m..", "at 9 a.m.", DOUBLE_PERIOD);
    fixed("and so on etc..", "and so on etc.", DOUBLE_PERIOD);
    fixed("won 2-1.. Then", "won 2-1. Then", DOUBLE_PERIOD);
    fixed("Ça va.. Très bien", "Ça va. Très bien", DOUBLE_PERIOD);
}

#[test]
fn double_period_after_closing_quote_bracket_or_tag() {
    fixed("(…pdf).. Next", "(…pdf). Next", DOUBLE_PERIOD);
    fixed(
        "<a href=\"x\">link</a>.. Next",
        "<a href=\"x\">link</a>. Next",
        DOUBLE_PERIOD,
    );
    fixed("it was “bad”.. Next", "it was “bad”. Next", DOUBLE_PERIOD);
    fixed("it was ‘bad’.. Next", "it was ‘bad’. Next", DOUBLE_PERIOD);
    fixed(
        "it was \"bad\".. Next",
        "it was \"bad\". Next",
        DOUBLE_PERIOD,
    );
    fixed("[see 4].. Next", "[see 4]. Next", DOUBLE_PERIOD);
    fixed("**bold**.. Next", "**bold**. Next", DOUBLE_PERIOD);
}

#[test]
fn double_period_followed_by_closing_quote_or_bracket() {
    fixed(
        "“in Washington D.C..”",
        "“in Washington D.C.”",
        DOUBLE_PERIOD,
    );
    fixed("(see page 4..)", "(see page 4.)", DOUBLE_PERIOD);
    fixed("\"stop..\"", "\"stop.\"", DOUBLE_PERIOD);
    fixed("‘stop..’ he", "‘stop.’ he", DOUBLE_PERIOD);
    fixed("<p>The end..</p>", "<p>The end.</p>", DOUBLE_PERIOD);
    fixed("**The end..** Next", "**The end.** Next", DOUBLE_PERIOD);
}

#[test]
fn double_period_at_end_of_text_and_before_any_line_ending() {
    fixed("The end..", "The end.", DOUBLE_PERIOD);
    fixed("The end..\n", "The end.\n", DOUBLE_PERIOD);
    fixed("One..\r\nTwo..\r\n", "One.\r\nTwo.\r\n", DOUBLE_PERIOD);
    fixed("One..\tTwo", "One.\tTwo", DOUBLE_PERIOD);
    fixed("One..\u{a0}Two", "One.\u{a0}Two", DOUBLE_PERIOD);
}

#[test]
fn double_period_not_ending_a_word_is_kept() {
    unchanged("see ../archive");
    unchanged("<a href=\"../reports\">x</a>");
    unchanged("pages 1..10");
    unchanged("a ..b and .. c");
    unchanged("..start");
    unchanged("failed minister..with a policy");
    unchanged("x = a..b; [..](..)");
    unchanged("use x[1..] or f(a..) here");
    unchanged("wait &hellip;.. and &amp;..");
    unchanged("a -> .. b");
}

#[test]
fn double_period_inside_a_url_is_kept_but_at_its_end_is_fixed() {
    unchanged("http://example.com/a..b");
    unchanged("(see https://x.org/path..)");
    unchanged("“https://x.org/path..”");
    fixed(
        "see https://x.org/path.. Then",
        "see https://x.org/path. Then",
        DOUBLE_PERIOD,
    );
    fixed("at www.bbc.co.uk..", "at www.bbc.co.uk.", DOUBLE_PERIOD);
    fixed(
        "at www.bbc.co.uk..\r\n",
        "at www.bbc.co.uk.\r\n",
        DOUBLE_PERIOD,
    );
}

#[test]
fn stop_messages_are_written_when_shown_and_say_what_the_quote_ends_with() {
    let messages = |text: &str| -> Vec<String> {
        let pass = pass();
        let mut findings = Vec::new();
        pass.check(text, &mut findings);
        findings
            .iter()
            .map(|f| {
                assert_eq!(f.message, "", "left to describe");
                pass.describe(text, f).expect("a stop rule")
            })
            .collect()
    };
    assert_eq!(
        messages("He said “go.”. Then “wait…”. And “no?”. Really!?."),
        [
            "full stop after a closing quote whose quotation already ends with `.`: the outer `.` is removed",
            "full stop after a closing quote whose quotation already ends with `…`: the outer `.` is removed",
            "full stop after a closing quote whose quotation already ends with `?`: the outer `.` is removed",
            "full stop after `!?`, which already ends the sentence: the `.` is removed",
        ]
    );
    assert_eq!(
        messages("He said “go...”. Really?."),
        [
            "full stop after a closing quote whose quotation already ends with `...`: the outer `.` is removed",
            "full stop after `?`, which already ends the sentence: the `.` is removed",
        ]
    );
}

#[test]
fn double_period_message_says_what_the_fix_does() {
    let mut findings = Vec::new();
    pass().check("the conflict.. Azerbaijan", &mut findings);
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!((f.start, f.end), (12, 14));
    assert_eq!(f.message, "doubled full stop: the second `.` is removed");
    assert_eq!(f.fix, Some(Fix::safe(vec![Edit::delete(13, 14)])));

    findings.clear();
    pass().check("Acme Inc.. Then", &mut findings);
    assert!(findings[0].message.contains("abbreviation"), "{findings:?}");
}

// --- runs of three or more dots are never touched ---------------------------

#[test]
fn ellipses_and_longer_runs_are_authorial() {
    unchanged("This is a test sentence...");
    unchanged("This is a test sentence... More stuff....");
    unchanged("This is a test sentence..... More stuff....");
    unchanged("not quite consecutive. .");
    unchanged("wait. . . and then");
    unchanged("wait… and then….");
    unchanged("wait….. and …..");
    unchanged("wait.… and …..”");
    unchanged("Apple... well");
}

// --- `,,` → `,` everywhere ------------------------------------------------

#[test]
fn double_comma_everywhere() {
    fixed("This,, is a test.", "This, is a test.", DOUBLE_COMMA);
    fixed("It cost 1,,204,000", "It cost 1,204,000", DOUBLE_COMMA);
    fixed("a,,b", "a,b", DOUBLE_COMMA);
    fixed(",,start", ",start", DOUBLE_COMMA);
    fixed("a,,,,b", "a,b", DOUBLE_COMMA);
    fixed("“yes,,” he said", "“yes,” he said", DOUBLE_COMMA);
    unchanged("a, b, c");
}

#[test]
fn double_comma_inside_an_attribute_value_is_kept() {
    unchanged("<td title=\"a,,b\">x</td>");
}

// --- a stop after a terminal mark -------------------------------------------

#[test]
fn stop_after_question_or_exclamation_mark() {
    fixed("Is it this?. Yes", "Is it this? Yes", STOP_AFTER_TERMINAL);
    fixed(
        "She works at Yahoo!.",
        "She works at Yahoo!",
        STOP_AFTER_TERMINAL,
    );
    fixed("What?!.", "What?!", STOP_AFTER_TERMINAL);
    fixed("No!!.\n", "No!!\n", STOP_AFTER_TERMINAL);
    fixed("Why??. Then", "Why?? Then", STOP_AFTER_TERMINAL);
    fixed("(really?.)", "(really?)", STOP_AFTER_TERMINAL);
    fixed("“really?.”", "“really?”", STOP_AFTER_TERMINAL);
}

#[test]
fn slavic_question_plus_ellipsis_is_kept() {
    unchanged("Это тестовое предложение?..");
    unchanged("Это тестовое предложение!.. ");
    unchanged("Правда?... Да!...");
}

#[test]
fn doubled_terminal_marks_are_kept() {
    for text in [
        "What is going on?!",
        "What is going on!?",
        "I'm really excited!!",
        "Really??",
        "So exaggerated!!!",
        "Why does Sally sell such expensive seashells????",
    ] {
        unchanged(text);
    }
}

#[test]
fn stop_after_terminal_in_code_or_urls_is_kept() {
    unchanged("use user?.name");
    unchanged("the ?. operator");
    unchanged("Yahoo!.com");
    unchanged("see http://x.org/?. Then");
    unchanged("`a?.`");
}

// --- a stop after a closing quote that already ends the sentence ------------

#[test]
fn stop_after_closing_quote_ending_with_a_stop() {
    fixed(
        "He said the “sale.”. Then",
        "He said the “sale.” Then",
        STOP_AFTER_QUOTE,
    );
    fixed(
        "They cried “Resign!”.",
        "They cried “Resign!”",
        STOP_AFTER_QUOTE,
    );
    fixed("He asked “Why?”.", "He asked “Why?”", STOP_AFTER_QUOTE);
    fixed("“I don’t know...”.", "“I don’t know...”", STOP_AFTER_QUOTE);
    fixed("“I don’t know…”.", "“I don’t know…”", STOP_AFTER_QUOTE);
    fixed(
        "“They moved to the U.S.”.",
        "“They moved to the U.S.”",
        STOP_AFTER_QUOTE,
    );
    fixed(
        "‘We must rebuild.’.",
        "‘We must rebuild.’",
        STOP_AFTER_QUOTE,
    );
    fixed("‘Now!’. Then", "‘Now!’ Then", STOP_AFTER_QUOTE);
    fixed("He said \"stop.\".", "He said \"stop.\"", STOP_AFTER_QUOTE);
    fixed("He said 'stop.'.", "He said 'stop.'", STOP_AFTER_QUOTE);
    fixed("He said:\"stop.\".", "He said:\"stop.\"", STOP_AFTER_QUOTE);
    fixed(
        "Il a dit « Stop. ».",
        "Il a dit « Stop. »",
        STOP_AFTER_QUOTE,
    );
    fixed(
        "Il a dit «\u{202f}Stop.\u{202f}».",
        "Il a dit «\u{202f}Stop.\u{202f}»",
        STOP_AFTER_QUOTE,
    );
    fixed("Er sagte „Halt.“.", "Er sagte „Halt.“", STOP_AFTER_QUOTE);
}

#[test]
fn stop_after_nested_closing_quotes() {
    fixed("“He said ‘no.’”.", "“He said ‘no.’”", STOP_AFTER_QUOTE);
    fixed("\"He said 'no.'\".", "\"He said 'no.'\"", STOP_AFTER_QUOTE);
}

#[test]
fn stop_after_quote_needs_a_quote_that_really_closes() {
    // A straight `'` inside an open `"` closes nothing of its own kind.
    unchanged("John said \"Hello World!'.");
    // `’` while a `“` quotation is open closes nothing of its own kind.
    unchanged("He said “no.’”.");
    unchanged("He said “stop.’. Then");
    // A straight mark with no opener is no closing quote.
    unchanged("He said stop.\". Then");
}

#[test]
fn a_curly_closer_with_nothing_open_still_ends_a_quotation() {
    // POLICY's examples are excerpts: `sale.”.` → `sale.”`, `rebuild.’.` → `rebuild.’`.
    fixed("sale.”.", "sale.”", STOP_AFTER_QUOTE);
    fixed(
        "He said stop.”. Then",
        "He said stop.” Then",
        STOP_AFTER_QUOTE,
    );
    fixed("rebuild.’.", "rebuild.’", STOP_AFTER_QUOTE);
    fixed(
        "The players’ union will rebuild.’.",
        "The players’ union will rebuild.’",
        STOP_AFTER_QUOTE,
    );
    // the quotation opened on an earlier line (paragraph)
    fixed(
        "He said “stop\nnow.”.",
        "He said “stop\nnow.”",
        STOP_AFTER_QUOTE,
    );
}

#[test]
fn stop_after_quote_with_apostrophes_in_the_quotation() {
    fixed(
        "‘The Joneses’ dog barked.’.",
        "‘The Joneses’ dog barked.’",
        STOP_AFTER_QUOTE,
    );
    fixed("‘Don’t go.’.", "‘Don’t go.’", STOP_AFTER_QUOTE);
    fixed("'Don't go.'.", "'Don't go.'", STOP_AFTER_QUOTE);
}

#[test]
fn stop_after_quote_in_an_unbalanced_paragraph() {
    // The seed's shape: two openers, one closer; a later paragraph closes.
    let text = "He said “is safe.”. More: “We urge, taking “accounts in 1991.”\n\
                He said “is working.”.\n";
    let want = "He said “is safe.” More: “We urge, taking “accounts in 1991.”\n\
                He said “is working.”\n";
    fixed(text, want, STOP_AFTER_QUOTE);
}

#[test]
fn stop_after_quote_needs_a_sentence_boundary() {
    unchanged("“sale.”.com");
    fixed("(“sale.”.)", "(“sale.”)", STOP_AFTER_QUOTE);
    fixed("“sale.”.\r\n", "“sale.”\r\n", STOP_AFTER_QUOTE);
}

#[test]
fn comma_after_a_closing_quote_that_ends_with_a_comma() {
    fixed("“Yes,”, he said.", "“Yes,” he said.", COMMA_AFTER_QUOTE);
    fixed("‘Yes,’, he said.", "‘Yes,’ he said.", COMMA_AFTER_QUOTE);
    fixed("\"Yes,\", he said.", "\"Yes,\" he said.", COMMA_AFTER_QUOTE);
    fixed("Yes,”, he said.", "Yes,” he said.", COMMA_AFTER_QUOTE);
    unchanged("Yes,\", he said.");
}

// --- logical punctuation stays; nothing moves across quotes -----------------

#[test]
fn logical_punctuation_is_kept() {
    unchanged("It was “unworkable”.");
    unchanged("It was ‘a shambles’, he said.");
    unchanged("It was \"unworkable\". And 'odd', too.");
    unchanged("He said “no”, and “yes”; then “maybe”!");
}

// --- `.”,` is flagged, not fixed --------------------------------------------

#[test]
fn period_quote_comma_is_flagged_only() {
    let (out, ids) = clean("“We will win.”, he said.");
    assert_eq!(out, "“We will win.”, he said.");
    assert_eq!(ids, [PERIOD_QUOTE_COMMA]);
    let (_, ids) = clean("\"We will win.\", he said.");
    assert_eq!(ids, [PERIOD_QUOTE_COMMA]);

    let mut findings = Vec::new();
    pass().check("“We will win.”, he said.", &mut findings);
    assert_eq!(findings[0].applicability(), Applicability::Flag);
    assert!(findings[0].message.contains("not fixed"), "{findings:?}");
}

#[test]
fn period_quote_comma_after_an_abbreviation_or_ellipsis_is_not_flagged() {
    unchanged("“I work for Acme Inc.”, he said.");
    unchanged("“They live in the U.S.”, he said.");
    unchanged("“I don’t know...”, he said.");
    unchanged("He said win.\", then left.");
}

// --- `.,` after an abbreviation ----------------------------------------------

#[test]
fn period_comma_after_an_abbreviation_is_correct() {
    unchanged("Acme Inc., the maker, and the U.S., British and French forces");
    unchanged("A cat can sleep 20.5 hours a day. I asked the Prof. what to do");
}

// --- whitespace, markup, line endings ---------------------------------------

#[test]
fn two_spaces_after_a_stop_are_kept() {
    unchanged("Two spaces.  After a stop.  Stay.");
}

#[test]
fn entities_tags_and_attributes_are_never_edited() {
    unchanged("&ldquo;sale.&rdquo;. and &amp;.. here");
    unchanged("<img alt=\"Stop.\". src=\"x.png\">");
    unchanged("<a title=\"Yahoo!.\" href=\"../x..\">y</a>");
    unchanged("<a href=\"a?. b\">y</a>");
}

#[test]
fn markdown_is_ordinary_text() {
    fixed(
        "> “Quote.”.\n> more",
        "> “Quote.”\n> more",
        STOP_AFTER_QUOTE,
    );
    fixed("- item..\n- item", "- item.\n- item", DOUBLE_PERIOD);
    unchanged("[..](..) and **bold** and > quote");
}

#[test]
fn line_endings_and_everything_else_survive_byte_exact() {
    let text = "A.. B\r\nc,, d\n\r\n  e?. \t\r\n";
    let (out, _) = clean(text);
    assert_eq!(out, "A. B\r\nc, d\n\r\n  e? \t\r\n");
    unchanged("");
    unchanged("\r\n\n");
}

#[test]
fn fixes_combine_and_settle() {
    let (out, ids) = clean("“sale..”. Then");
    assert_eq!(out, "“sale.” Then");
    assert_eq!(ids, [DOUBLE_PERIOD, STOP_AFTER_QUOTE]);
    let (again, ids) = clean(&out);
    assert_eq!(again, out);
    assert!(ids.is_empty());
}

const ALPHABET: &[&str] = &[
    ".", ".", ".", ",", ",", "?", "!", "”", "“", "’", "‘", "\"", "'", "»", "«", "„", "…", " ", " ",
    "\n", "\r\n", "a", "b", "U", "1", "é", "<", ">", "</", "<a ", ")", "(", "*", "http://", "www.",
    "Inc", "\u{a0}", "/",
];

proptest! {
    #![proptest_config(random_text::config())]

    /// Random texts over the characters the rules look at: no panic (character
    /// boundaries), the pipeline settles, cleaning twice equals cleaning once,
    /// and the only edits are deleted `.` and `,`.
    #[test]
    fn random_texts_settle_and_only_lose_stops_and_commas(text in random_text::texts(ALPHABET, 40)) {
        let (once, _) = clean(&text);
        let (twice, _) = clean(&once);
        prop_assert_eq!(&once, &twice, "not idempotent for {:?}", text);
        let strip = |s: &str| s.replace(['.', ','], "");
        prop_assert_eq!(strip(&once), strip(&text), "edited more than stops: {:?}", text);
        prop_assert!(once.len() <= text.len());
    }
}

/// Candidates in one long paragraph cost the same each: the quote tracker
/// moves forward instead of rescanning the paragraph (this was quadratic).
#[test]
fn long_paragraph_of_candidates_is_linear() {
    let small = "“a.”. ".repeat(2_000);
    let large = "“a.”. ".repeat(16_000);
    let pass = pass();
    // Best of three, so a busy machine does not fail the test.
    let time = |text: &str| {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let mut findings = Vec::new();
                pass.check(text, &mut findings);
                assert_eq!(findings.len(), text.matches('”').count());
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let (t_small, t_large) = (time(&small), time(&large));
    // 8× the text; quadratic would be 64×. Generous for noisy machines.
    assert!(
        t_large < t_small * 30,
        "{t_small:?} for 2k candidates, {t_large:?} for 16k"
    );
}

// --- the informal two-dot ellipsis (POLICY: "A two-dot ellipsis is the author's")

#[test]
fn two_dot_ellipsis_before_a_lowercase_word_is_kept() {
    unchanged("the soup was cold.. meh.. still ate it");
    unchanged("Maybe.. or maybe not");
    unchanged("Thanks.. you too");
    unchanged("no idea..  whatever");
}

#[test]
fn every_two_dot_run_of_an_informal_paragraph_is_kept() {
    unchanged("great game.. see you at the next one..");
    unchanged("lol.. the ref was blind.. Terrible..\nSecond line");
    // Another paragraph (line) without that use is still fixed.
    fixed(
        "great game.. see you\nThe vote.. The result",
        "great game.. see you\nThe vote. The result",
        DOUBLE_PERIOD,
    );
}

#[test]
fn doubled_stop_before_a_capital_without_informal_use_is_fixed() {
    fixed(
        "The council met.. It voted to close the pool.",
        "The council met. It voted to close the pool.",
        DOUBLE_PERIOD,
    );
    fixed(
        "It ended 3-3.. Fans left",
        "It ended 3-3. Fans left",
        DOUBLE_PERIOD,
    );
}

#[test]
fn abbreviation_dot_is_fixed_whatever_follows() {
    fixed(
        "He joined Smith Bros.. shares rose",
        "He joined Smith Bros. shares rose",
        DOUBLE_PERIOD,
    );
    fixed(
        "by 10 p.m.. then home",
        "by 10 p.m. then home",
        DOUBLE_PERIOD,
    );
    // also in a paragraph that otherwise uses `..` as an ellipsis
    let (got, _) = clean("hmm.. it opens at 8 a.m.. and closes late");
    assert_eq!(got, "hmm.. it opens at 8 a.m. and closes late");
}

// --- `,,` inside a URL is part of the address --------------------------------

#[test]
fn double_comma_inside_a_url_is_kept() {
    unchanged("read http://www.example.com/story/0,,7012345_8,00.html today");
    unchanged("at example.co.uk/sport/0,,10263,00.html");
    fixed(
        "see http://example.com/a,, then",
        "see http://example.com/a, then",
        DOUBLE_COMMA,
    );
}

// --- a quotation across a single line break -----------------------------------

#[test]
fn stop_after_quote_across_one_line_break() {
    fixed(
        "The coach said \"we gave everything in the\nsecond half.\". Then",
        "The coach said \"we gave everything in the\nsecond half.\" Then",
        STOP_AFTER_QUOTE,
    );
    fixed(
        "She wrote 'the ferry\r\nleaves at ten.'.\r\n",
        "She wrote 'the ferry\r\nleaves at ten.'\r\n",
        STOP_AFTER_QUOTE,
    );
    // A blank line ends the paragraph: nothing is carried.
    unchanged("The coach said \"we gave everything\n\nin the end.\". Then");
}

#[test]
fn a_later_edit_on_the_line_before_rechecks_with_its_context() {
    // The `..` on the first line is fixed in round one; the quote rule on the
    // second line needs the first line's open `"` in every round.
    let (got, ids) = clean("Done.. He said \"we will\nrebuild it.\". Then.. Yes");
    assert_eq!(got, "Done. He said \"we will\nrebuild it.\" Then. Yes");
    assert_eq!(ids, [DOUBLE_PERIOD, DOUBLE_PERIOD, STOP_AFTER_QUOTE]);
}

#[test]
fn two_dots_after_cjk_text_are_an_ellipsis() {
    unchanged("‘우아한 가’ 배종옥, 여태껏 이..\n설리, 무엇이 이 스물다섯 청춘의..");
    unchanged("东京的天气..");
    unchanged("모두가 기대한다는 ‘청춘시대3’..\n다음");
    // Latin text on the same line is still fixed.
    fixed(
        "東京 trip.. Then home",
        "東京 trip. Then home",
        DOUBLE_PERIOD,
    );
}

proptest! {
    #![proptest_config(random_text::config())]

    /// Handed over after every few findings (see `HandOver`), the findings
    /// are the check's, and every part sorts before the parts after it: the
    /// pipeline takes them in as they come.
    #[test]
    fn findings_handed_over_in_parts_are_the_checks_in_order(
        text in random_text::texts(ALPHABET, 60),
        every in 1usize..4,
    ) {
        let mut pass = pass();
        pass.hand_over = every;
        let parts = crate::pass::check_handing_over(&pass, &text);
        prop_assert!(parts.is_ok(), "{}", parts.unwrap_err());
    }
}

/// A lone mark is looked at only after the first byte of one of its
/// trigger pairs: `?.` but not `?,`; after a straight or curly closing
/// quote; never after a letter, digit or space.
#[test]
fn lone_marks_are_looked_at_only_after_a_trigger_byte() {
    use super::may_need_a_fix_after as after;
    assert!(after(b'?', b'.') && after(b'!', b'.'));
    assert!(!after(b'?', b',') && !after(b'!', b','));
    for quote in ["\"", "'", "”", "’", "»"] {
        let last = *quote.as_bytes().last().unwrap();
        assert!(after(last, b'.') && after(last, b','), "{quote}");
    }
    for before in [b'a', b'Z', b'7', b' ', b')', 0xA9] {
        assert!(!after(before, b'.') && !after(before, b','), "{before:#x}");
    }
}

proptest! {
    #![proptest_config(random_text::config())]

    /// Passing over the lone marks that `may_need_a_fix_after` rules out
    /// finds what checking every mark finds.
    #[test]
    fn lone_marks_passed_over_change_no_finding(text in random_text::texts(ALPHABET, 60)) {
        let fast = pass();
        let mut every_mark = pass();
        every_mark.skip_lone_marks = false;
        let (mut got, mut want) = (Vec::new(), Vec::new());
        fast.check(&text, &mut got);
        every_mark.check(&text, &mut want);
        prop_assert_eq!(got, want, "{:?}", text);
    }
}

/// A line with a fix every few bytes is handed over in parts of
/// `HAND_OVER` findings, not held whole.
#[test]
fn a_line_dense_with_fixes_is_handed_over_in_parts() {
    use crate::pass::HAND_OVER;
    let text = "Long.. ".repeat(3 * HAND_OVER);
    let parts = crate::pass::check_handing_over(&pass(), &text).unwrap();
    assert!(parts.len() >= 3, "{} parts", parts.len());
    assert!(parts.iter().all(|p| p.len() <= HAND_OVER + 1));
}
