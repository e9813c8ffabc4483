"""Unit tests of the Python API: offsets, errors, pickling, threads, bytes, and
agreement with the `redline` command line.

Run with `pytest tests/python` after `maturin develop` (see README). The tests
that compare with the command line need the `redline` binary: $REDLINE_BIN,
else the newer of target/{release,debug}/redline, else `redline` on PATH.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import shutil
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest

import redline
from redline import Cleaner, Finding

ROOT = Path(__file__).resolve().parents[2]
# The peer cases vendored in the repository (a copy of ../shared/peer-cases).
PEER_CASES = ROOT / "tests" / "data" / "peer-cases"

# Text that every pass has something to say about, with characters of every
# UTF-8 length: mojibake, astral emoji and math letters, curly quotes, a BOM.
MIXED = [
    "\ufeffIt ended.. “Quote” said Ã©tÃ© 😀 in Zürich.\nNext line , with 𝒳 and Ã¼ber..\n",
    "😀😀 “a”.. b  c\u200b d Ã©\r\nline two ”bad“ quotes,, here…. 🇫🇷 done",
    'He said "hello.". Then: "bye".. 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 café Ã\xa0 la carte',
    "Nagorno Karabakh and Dimitri Peskov organized it.. naïve “résumé”",
    "",
    "plain ascii, nothing to do.",
]


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def peer_files() -> list[Path]:
    files = sorted(PEER_CASES.glob("*.jsonl"))
    assert files, f"no peer cases in {PEER_CASES}"
    return files


def peer_inputs() -> list[str]:
    out = []
    for path in peer_files():
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                out.append(json.loads(line)["input"])
    return out


def corpus() -> list[str]:
    return MIXED + seed_texts() + peer_inputs()


def overlaps(a: Finding, b: Finding) -> bool:
    """Whether two findings' original ranges overlap or touch."""
    return a.start <= b.end and b.start <= a.end


# --- offsets -----------------------------------------------------------------


def test_offsets_are_code_points_into_the_original_text():
    cleaner = Cleaner(apply="review", spelling="en-GB")
    checked = 0
    non_ascii = 0
    for text in corpus():
        findings = cleaner.check(text)
        applied_before: list[Finding] = []
        for f in findings:
            assert 0 <= f.start <= f.end <= len(text), f
            # Bytes and code points name the same range.
            encoded = text.encode("utf-8")
            assert encoded[: f.byte_start].decode("utf-8") == text[: f.start], f
            assert encoded[: f.byte_end].decode("utf-8") == text[: f.end], f
            if not any(overlaps(f, g) for g in applied_before):
                assert text[f.start : f.end] == f.before, (text, f)
                checked += 1
                if not text[: f.end].isascii():
                    non_ascii += 1
            if f.applied:
                applied_before.append(f)
    assert checked > 200, "too few findings to test offsets"
    assert non_ascii > 50, "too few findings after non-ASCII text"


def test_offsets_on_a_known_text():
    text = "😀 Über “x”.. Yes"
    (f,) = [f for f in Cleaner().check(text) if f.rule == "punct.double-period"]
    # The fix removes the second stop, at code point 11 (the emoji is one).
    assert (f.start, f.end, f.before, f.after) == (11, 12, ".", "")
    assert (f.byte_start, f.byte_end) == (len("😀 Über “x”.".encode()), len("😀 Über “x”..".encode()))
    assert (f.line, f.column) == (1, 11), "line:column of the `..` pair, in characters"
    assert f.applied and f.applicability == "safe" and f.pass_name == "punctuation"
    assert "full stop" in f.message


def test_line_and_column_are_where_the_finding_starts():
    cleaner = Cleaner(apply="review")
    for text in corpus():
        for f in cleaner.check(text):
            lines = text.split("\n")
            assert 1 <= f.line <= len(lines)
            start_of_line = sum(len(line) + 1 for line in lines[: f.line - 1])
            anchor = start_of_line + f.column - 1
            if f.applicability == "flag":
                assert anchor == f.start, f
            else:
                # A fix may start after its finding (`..`: the finding is the
                # pair, the fix removes the second stop), never before it.
                assert anchor <= f.start and "\n" not in text[anchor : f.start], f


def test_findings_carry_every_field():
    text = "It ended.. “Quote” Ã©tÃ©"
    findings = Cleaner(apply="review").check(text)
    assert {f.rule for f in findings} >= {"punct.double-period", "mojibake.utf8-as-legacy"}
    for f in findings:
        d = f.to_dict()
        assert json.loads(json.dumps(d)) == d
        assert d["rule"] == f.rule and d["start"] == f.start and d["after"] == f.after
        assert f.applicability in ("safe", "review", "flag")
        assert (f.after is None) == (f.applicability == "flag")
        assert f.rule in repr(f)


# --- cleaning and counts ------------------------------------------------------


def test_clean_is_idempotent_and_matches_clean_and_check():
    cleaner = Cleaner()
    for text in corpus():
        once = cleaner.clean(text)
        assert cleaner.clean(once) == once
        clean, findings = cleaner.clean_and_check(text)
        assert clean == once
        assert findings == cleaner.check(text)
        counted, counts = cleaner.clean_with_counts(text)
        assert counted == once
        assert counts == redline.count_rules(findings)


def test_module_level_clean_uses_the_default_options():
    default = Cleaner()
    for text in MIXED:
        assert redline.clean(text) == default.clean(text)
        assert redline.check(text) == default.check(text)
    assert redline.clean("It ended..") == "It ended."


def test_options_change_what_runs():
    text = "“Quote”.. It was organized"
    assert Cleaner(disable="quotes").passes == ["mojibake", "unicode", "punctuation", "variants"]
    assert "quotes" in Cleaner().passes
    assert not any(f.pass_name == "quotes" for f in Cleaner(disable=["quotes"]).check(text))
    assert {f.pass_name for f in Cleaner(only="punctuation").check(text)} == {"punctuation"}
    assert Cleaner(spelling="en-GB").clean(text).endswith("organised")
    assert Cleaner(spelling="none").clean(text).endswith("organized")
    assert Cleaner(only="punctuation,quotes").only == ["punctuation", "quotes"]


def test_review_fixes_apply_only_with_apply_review():
    cleaner_safe, cleaner_review = Cleaner(), Cleaner(apply="review")
    held = [
        (text, f)
        for text in corpus()
        for f in cleaner_safe.check(text)
        if f.applicability == "review"
    ]
    assert held, "the corpus should have review fixes"
    for text, f in held:
        assert not f.applied
        assert any(
            g.rule == f.rule and g.start == f.start and g.applied for g in cleaner_review.check(text)
        )


RULES = """
pass = "variants"

[[rule]]
id = "desk.names"
description = "the desk's spelling of names"
applicability = "safe"

[variants]
"Jon Smyth" = "John Smith"
"""


def test_rule_files_from_text_path_and_pair(tmp_path):
    path = tmp_path / "desk.toml"
    path.write_text(RULES, encoding="utf-8")
    text = "Jon Smyth said it.."
    for source in (RULES, path, str(path), ("desk.toml", RULES), [RULES]):
        cleaner = Cleaner(rule_files=source)
        assert cleaner.clean(text) == "John Smith said it.", source
        assert any(f.rule == "desk.names" for f in cleaner.check(text))
    assert Cleaner(rule_files=path).rule_files == [(str(path), RULES)]
    assert Cleaner(rule_files=path, disable="desk.names").clean(text) == "Jon Smyth said it."


# A names map (as `redline names --format toml` writes one): it replaces the
# built-in map, so Dimitri Peskov and Nagorno Karabakh are left alone with it.
OUR_NAMES = """
pass = "variants"

[[rule]]
id = "variants.name"
description = "our spelling of names"
applicability = "safe"

[variants]
"Jon Smyth" = "John Smith"
"""

NAMES_TEXT = "Jon Smyth met Dimitri Peskov in Nagorno Karabakh."


def test_a_names_map_replaces_the_built_in_map(tmp_path):
    path = tmp_path / "our-names.toml"
    path.write_text(OUR_NAMES, encoding="utf-8")
    assert Cleaner().clean(NAMES_TEXT) == "Jon Smyth met Dmitry Peskov in Nagorno-Karabakh."
    assert Cleaner(names="builtin") == Cleaner()
    for names in (path, str(path), OUR_NAMES, ("our-names.toml", OUR_NAMES)):
        cleaner = Cleaner(names=names)
        assert cleaner.clean(NAMES_TEXT) == "John Smith met Dimitri Peskov in Nagorno Karabakh.", names
        (f,) = cleaner.check(NAMES_TEXT)
        assert (f.rule, f.before, f.after, f.start, f.end) == ("variants.name", "Jon Smyth", "John Smith", 0, 9)
    assert Cleaner(names=path).names == (str(path), OUR_NAMES)
    assert Cleaner(names=path) == Cleaner(names=(str(path), OUR_NAMES))
    assert Cleaner(names=path).names != Cleaner().names == "builtin"
    # Extra rule files still extend whichever map is in place.
    both = Cleaner(names=path, rule_files=RULES)
    assert both.clean("Jon Smyth and Dimitri Peskov..") == "John Smith and Dimitri Peskov."


def test_names_none_turns_the_map_off_and_keeps_the_rule_known():
    off = Cleaner(names="none")
    assert off.names == "none"
    assert off.clean(NAMES_TEXT) == NAMES_TEXT
    assert not any(f.rule == "variants.name" for t in corpus() + [NAMES_TEXT] for f in off.check(t))
    # Selecting the rule is still not an error, and finds nothing to do.
    assert Cleaner(names="none", enable="variants.name").clean(NAMES_TEXT) == NAMES_TEXT
    assert Cleaner(names="none", disable="variants.name").clean(NAMES_TEXT) == NAMES_TEXT
    assert "names=\"none\"" in repr(off)


# --- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, option, words",
    [
        ({"disable": ["grammar"]}, "disable", "unknown pass or rule `grammar`"),
        ({"enable": "nonsense"}, "enable", "unknown pass or rule `nonsense`"),
        ({"only": ["punctuation", "punct.nope"]}, "only", "unknown pass or rule `punct.nope`"),
        ({"apply": "unsafe"}, "apply", "use `safe` (default) or `review`"),
        ({"spelling": "fr"}, "spelling", "unknown spelling `fr`"),
        ({"encoding": "klingon"}, "encoding", "unknown encoding `klingon`"),
        ({"rule_files": "/nonexistent/rules.toml"}, "rule_files", "cannot read /nonexistent/rules.toml"),
        ({"rule_files": "pass = \"variants\"\nbogus = 1\n"}, "rule_files", "bogus"),
        ({"rule_files": "pass = \"quotes\"\n"}, "rule_files", "user rule files extend the variants pass"),
        ({"rule_files": [RULES, ("again.toml", RULES)]}, "rule_files", "`desk.names` is already defined"),
        ({"names": "/nonexistent/names.toml"}, "names", "cannot read /nonexistent/names.toml"),
        ({"names": "pass = \"quotes\"\n"}, "names", 'a names map has pass = "variants"'),
        ({"names": "pass = \"variants\"\nbogus = 1\n"}, "names", "bogus"),
        ({"names": OUR_NAMES.replace("variants.name", "variants.en-gb")}, "names", "`variants.en-gb` is already defined"),
    ],
)
def test_bad_values_raise_value_error_naming_the_option(kwargs, option, words):
    with pytest.raises(ValueError) as info:
        Cleaner(**kwargs)
    message = str(info.value)
    assert message.startswith(option + ":"), message
    assert words in message, message


def test_the_cli_gives_the_same_error_for_a_bad_pass():
    binary = redline_binary()
    run = subprocess.run(
        [binary, "--no-config", "--disable", "grammar", "clean"],
        input="x",
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    with pytest.raises(ValueError) as info:
        Cleaner(disable="grammar")
    assert str(info.value).split(": ", 1)[1] in run.stderr


def test_the_cli_gives_the_same_errors_for_a_bad_names_map(tmp_path):
    binary = redline_binary()
    quotes = tmp_path / "quotes.toml"
    quotes.write_text('pass = "quotes"\n', encoding="utf-8")
    for path in (tmp_path / "missing.toml", quotes):
        run = subprocess.run(
            [binary, "--no-config", "--names", str(path), "clean"], input="x", capture_output=True, text=True
        )
        assert run.returncode == 2, run.stderr
        with pytest.raises(ValueError) as info:
            Cleaner(names=path)
        message = str(info.value)
        assert message.startswith("names: "), message
        assert message.split(": ", 1)[1] in run.stderr, (message, run.stderr)


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError):
        Cleaner(disable=3)
    with pytest.raises(TypeError):
        Cleaner(only=["punctuation", 4])
    with pytest.raises(TypeError):
        Cleaner("quotes")  # options are keyword-only
    with pytest.raises(TypeError):
        Cleaner().clean(b"bytes")
    with pytest.raises(TypeError):
        Cleaner().clean_batch("one string")
    with pytest.raises(TypeError):
        Cleaner().clean_batch(["ok", None])
    with pytest.raises(TypeError):
        Cleaner().clean_bytes("text")
    with pytest.raises(TypeError, match="^names:"):
        Cleaner(names=3)
    with pytest.raises(TypeError, match="^names:"):
        Cleaner(names=("name", 3))


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="^threads:"):
        Cleaner().clean_batch(["a"], threads=0)
    with pytest.raises(OverflowError):
        Cleaner().clean_batch(["a"], threads=-1)


# --- pickling -----------------------------------------------------------------


def test_pickle_round_trip_keeps_options_and_rules(tmp_path):
    path = tmp_path / "desk.toml"
    path.write_text(RULES, encoding="utf-8")
    cleaner = Cleaner(disable=["quotes"], apply="review", spelling="en-GB", rule_files=[path], encoding="latin1")
    data = pickle.dumps(cleaner)
    path.unlink()  # a worker has the options, not the file
    copy = pickle.loads(data)
    assert copy == cleaner and hash(copy) == hash(cleaner)
    assert repr(copy) == repr(cleaner)
    assert copy.options() == cleaner.options()
    for text in MIXED + ["Jon Smyth organized it.."]:
        assert copy.clean(text) == cleaner.clean(text)
        assert copy.check(text) == cleaner.check(text)
    assert copy.clean("Jon Smyth organized it..") == "John Smith organised it."
    assert Cleaner() != cleaner
    # A process builds one engine per options, however often it unpickles.
    assert pickle.loads(data) is copy
    assert pickle.loads(pickle.dumps(Cleaner())) is not copy


def test_pickle_round_trip_keeps_the_names_map(tmp_path):
    path = tmp_path / "our-names.toml"
    path.write_text(OUR_NAMES, encoding="utf-8")
    cleaner = Cleaner(names=path, rule_files=RULES)
    data = pickle.dumps(cleaner)
    path.unlink()  # the pickle carries the map's text, not its path
    copy = pickle.loads(data)
    assert copy == cleaner and copy.names == (str(path), OUR_NAMES)
    assert copy.options()["names"] == (str(path), OUR_NAMES)
    assert copy.clean(NAMES_TEXT) == "John Smith met Dimitri Peskov in Nagorno Karabakh."
    off = pickle.loads(pickle.dumps(Cleaner(names="none")))
    assert off.names == "none" and off.clean(NAMES_TEXT) == NAMES_TEXT
    assert pickle.loads(pickle.dumps(Cleaner())).names == "builtin"
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        ((pid, clean),) = pool.map(_clean_in_worker, [(cleaner, NAMES_TEXT)])
    assert pid != os.getpid()
    assert clean == "John Smith met Dimitri Peskov in Nagorno Karabakh."


def test_findings_pickle_and_compare():
    findings = Cleaner(apply="review").check(MIXED[0] + MIXED[1])
    assert findings
    copies = pickle.loads(pickle.dumps(findings))
    assert copies == findings
    assert [f.to_dict() for f in copies] == [f.to_dict() for f in findings]
    f = findings[0]
    assert Finding(**f.to_dict()) == f
    with pytest.raises(ValueError, match="applicability"):
        Finding(**{**f.to_dict(), "applicability": "maybe"})


def _clean_in_worker(args):
    cleaner, text = args
    return os.getpid(), cleaner.clean(text)


def test_a_pickled_cleaner_works_in_another_process():
    cleaner = Cleaner(rule_files=RULES, spelling="en-GB")
    texts = ["Jon Smyth organized it..", MIXED[0], MIXED[1]]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(_clean_in_worker, [(cleaner, t) for t in texts])
    assert all(pid != os.getpid() for pid, _ in results)
    assert [clean for _, clean in results] == [cleaner.clean(t) for t in texts]


# --- threads ------------------------------------------------------------------


def test_batches_equal_one_document_at_a_time():
    cleaner = Cleaner(apply="review")
    texts = corpus()
    one_by_one = [cleaner.clean(t) for t in texts]
    checks = [cleaner.check(t) for t in texts]
    for threads in (None, 1, 2, 3):
        assert cleaner.clean_batch(texts, threads=threads) == one_by_one
        assert cleaner.check_batch(texts, threads=threads) == checks
    with_counts = cleaner.clean_batch_with_counts(iter(texts), threads=2)  # any iterable
    assert [c for c, _ in with_counts] == one_by_one
    assert [n for _, n in with_counts] == [redline.count_rules(f) for f in checks]
    assert cleaner.clean_batch([]) == []
    assert cleaner.clean_batch((t for t in ["a..", "b"]), threads=1) == ["a.", "b"]


def _batch_in_worker(texts):
    return Cleaner().clean_batch(texts, threads=2), redline.Cleaner().clean_batch(texts)


def test_batches_work_in_processes_forked_after_a_batch():
    # Thread pools do not survive fork(): a pool the parent used must not be
    # handed to a forked child (datatrove and Spark fork their workers).
    cleaner = Cleaner()
    texts = MIXED * 4
    expected = cleaner.clean_batch(texts, threads=2)
    assert cleaner.clean_batch(texts) == expected
    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map_async(_batch_in_worker, [texts, texts]).get(timeout=60)
    assert results == [(expected, expected)] * 2


def test_one_cleaner_shared_by_python_threads():
    cleaner = Cleaner()
    texts = corpus()
    expected = [cleaner.clean(t) for t in texts]
    results: dict[int, list[str]] = {}

    def work(i: int) -> None:
        results[i] = [cleaner.clean(t) for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[i] == expected for i in range(4))


# --- bytes --------------------------------------------------------------------


def test_clean_bytes_decodes_legacy_encodings_like_the_cli():
    cleaner = Cleaner()
    text = "Café “déjà vu”.. costs £5 – naïve"
    assert cleaner.clean_bytes(text.encode("cp1252")) == cleaner.clean(text)
    assert cleaner.clean_bytes(bytearray(text.encode("utf-8"))) == cleaner.clean(text)
    assert cleaner.clean_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == cleaner.clean(text)
    assert cleaner.clean_bytes(b"\xff\xfe" + text.encode("utf-16-le")) == cleaner.clean(text)
    latin = "Ærøskøbing.. Ça va"
    assert cleaner.clean_bytes(latin.encode("latin-1")) == cleaner.clean(latin)
    forced = Cleaner(encoding="latin1")
    # `latin1` is windows-1252 in WHATWG terms: 0x93/0x94 are curly quotes.
    assert forced.clean_bytes(b"\x93x\x94 caf\xe9") == cleaner.clean("“x” café")


def test_clean_bytes_matches_the_cli_on_a_cp1252_file(tmp_path):
    binary = redline_binary()
    raw = "Le café “Zürich”.. à 5 €\nSecond line , here".encode("cp1252")
    path = tmp_path / "legacy.txt"
    path.write_bytes(raw)
    out = subprocess.run([binary, "--no-config", "clean", str(path)], capture_output=True, check=True)
    assert Cleaner().clean_bytes(raw) == out.stdout.decode("utf-8")


def test_clean_bytes_refuses_what_the_cli_refuses():
    with pytest.raises(ValueError, match="binary data"):
        Cleaner().clean_bytes(b"abc\x00def")
    with pytest.raises(UnicodeDecodeError) as info:
        Cleaner(encoding="utf-8").clean_bytes(b"ok\ncaf\xe9 x")
    e = info.value
    assert (e.encoding, e.start, e.end, e.object) == ("UTF-8", 6, 7, b"ok\ncaf\xe9 x")
    assert e.reason.startswith("2:4: not valid UTF-8 (byte 6)"), e.reason


# --- agreement with the command line ------------------------------------------


def redline_binary() -> str:
    candidates = [os.environ.get("REDLINE_BIN")]
    # The newer of the release and debug builds: a stale one lacks new options.
    built = [ROOT / "target" / p / "redline" for p in ("release", "debug")]
    built = sorted((b for b in built if b.is_file()), key=lambda b: b.stat().st_mtime, reverse=True)
    candidates += [str(b) for b in built]
    candidates.append(shutil.which("redline"))
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    pytest.skip("no redline binary: run `cargo build` or set REDLINE_BIN")


def test_clean_equals_the_cli_on_seeds():
    binary = redline_binary()
    cleaner = Cleaner()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    assert seeds
    for path in seeds:
        out = subprocess.run([binary, "--no-config", "clean", str(path)], capture_output=True, check=True)
        assert cleaner.clean(path.read_text(encoding="utf-8")) == out.stdout.decode("utf-8"), path


@pytest.mark.parametrize("options", [[], ["--apply", "review", "--spelling", "en-GB"]])
def test_clean_and_counts_equal_the_cli_on_peer_cases(options):
    binary = redline_binary()
    kwargs = {"apply": "review", "spelling": "en-GB"} if options else {}
    cleaner = Cleaner(**kwargs)
    for path in peer_files():
        inputs = [json.loads(l)["input"] for l in path.read_text(encoding="utf-8").split("\n") if l.strip()]
        base = [binary, "--no-config", *options]
        out = subprocess.run(
            [*base, "clean", "--jsonl", "--field", "input", "-q", str(path)], capture_output=True, check=True
        )
        cli_clean = [json.loads(l)["input"] for l in out.stdout.decode("utf-8").split("\n") if l]
        assert cleaner.clean_batch(inputs, threads=2) == cli_clean, path

        stats = subprocess.run(
            [*base, "check", "--jsonl", "--field", "input", "--statistics", "--format", "json", str(path)],
            capture_output=True,
        )
        assert stats.returncode in (0, 1), stats.stderr
        summary = json.loads(stats.stdout.decode("utf-8").rstrip("\n").split("\n")[-1])["summary"]
        cli_counts = {rule: s["findings"] for rule, s in summary["rules"].items()}
        per_doc = Counter()
        for _, counts in cleaner.clean_batch_with_counts(inputs):
            per_doc.update(counts)
        assert dict(per_doc) == cli_counts, path
        from_findings = Counter()
        for findings in cleaner.check_batch(inputs):
            from_findings.update(redline.count_rules(findings))
        assert dict(from_findings) == cli_counts, path


@pytest.mark.parametrize("names", ["none", "file"])
def test_names_equal_the_cli_names_option(names, tmp_path):
    binary = redline_binary()
    path = tmp_path / "our-names.toml"
    path.write_text(OUR_NAMES, encoding="utf-8")
    flag = "none" if names == "none" else str(path)
    texts = corpus() + [NAMES_TEXT, "Dmitri Peskov and Jon Smyth, in Nagorno Karabakh.."]
    corpus_file = tmp_path / "docs.jsonl"
    corpus_file.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    out = subprocess.run(
        [binary, "--no-config", "--names", flag, "clean", "--jsonl", "-q", str(corpus_file)],
        capture_output=True,
        check=True,
    )
    cli_clean = [json.loads(l)["text"] for l in out.stdout.decode("utf-8").split("\n") if l]
    cleaner = Cleaner(names=flag)
    assert cleaner.clean_batch(texts, threads=2) == cli_clean
    # The option changed something: the default map cleans these differently.
    assert Cleaner().clean_batch(texts) != cli_clean


def test_unchanged_texts_come_back_as_the_same_object(tmp_path):
    # A text cleaning leaves alone is returned as the caller's own `str`
    # object (no copy); a changed one is a new `str` equal to the CLI's output.
    binary = redline_binary()
    texts = corpus() + [
        "A plain ASCII paragraph, long enough not to be cached by Python. " * 20,
        "Zürich, café and £5 (one byte per character, not ASCII), nothing to do.",
        "Nothing to do here either: — “fine” ‘quotes’ and €10.",
        "And astral ones: 𝒳 and 😀 in a clean sentence.",
    ]
    # Copies made at run time: a test cannot pass by Python's interning.
    texts = ["".join(list(t)) for t in texts]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    out = subprocess.run([binary, "--no-config", "clean", "--jsonl", "-q", str(path)], capture_output=True, check=True)
    cli = [json.loads(l)["text"] for l in out.stdout.decode("utf-8").split("\n") if l]
    assert len(cli) == len(texts)
    unchanged = [i for i, (t, c) in enumerate(zip(texts, cli)) if t == c and len(t) > 1]
    changed = [i for i, (t, c) in enumerate(zip(texts, cli)) if t != c]
    assert len(unchanged) >= 4 and len(changed) >= 4, (unchanged, changed)
    cleaner = Cleaner()
    batches = [cleaner.clean_batch(texts, threads=n) for n in (1, 2)]
    with_counts = [c for c, _ in cleaner.clean_batch_with_counts(texts, threads=2)]
    for i, text in enumerate(texts):
        results = [
            cleaner.clean(text),
            redline.clean(text),
            cleaner.clean_and_check(text)[0],
            cleaner.clean_with_counts(text)[0],
            batches[0][i],
            batches[1][i],
            with_counts[i],
        ]
        for r in results:
            assert type(r) is str
            assert r == cli[i], (i, text)
            if i in unchanged:
                assert r is text, (i, text)
            elif i in changed:
                assert r is not text


def test_a_lone_surrogate_raises_unicode_encode_error():
    # UTF-8 cannot hold it: the error `str.encode` raises, as before.
    bad = "fine \ud800 text"
    cleaner = Cleaner()
    for call in (cleaner.clean, cleaner.check, redline.clean, lambda t: cleaner.clean_batch(["ok", t], threads=2)):
        with pytest.raises(UnicodeEncodeError):
            call(bad)
    with pytest.raises(UnicodeEncodeError):
        cleaner.check_batch(["\U0001f600 \udfff"])


# --- type stubs ---------------------------------------------------------------


def test_type_stubs_match_the_runtime():
    pytest.importorskip("mypy", reason="mypy is in the `test` extra: pip install .[test]")
    import sys

    run = subprocess.run(
        [
            sys.executable, "-m", "mypy.stubtest", "redline",
            "--allowlist", str(Path(__file__).parent / "stubtest-allowlist.txt"),
            "--ignore-unused-allowlist",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (Path(redline.__file__).parent / "py.typed").is_file()
