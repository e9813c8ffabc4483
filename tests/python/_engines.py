"""Shared by the engine tests: the corpus, the CLI's answers, the comparisons.

The corpus fixture writes `_corpus.documents(DOCUMENTS)` as 4 JSON Lines shards,
then runs the CLI once over them for the reference: `redline clean --jsonl`
(the texts) and `redline check --jsonl --statistics --format json` (the
per-rule counts). The CLI is `REDLINE_BIN`, else `target/release/redline`
built with `cargo build --release --bin redline`.

`REDLINE_REQUIRE_ENGINES=datatrove,spark,ray` (or `all`) turns a missing
engine (or Java, for Spark) from a skip into a failure; `.ci/run` sets it.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import _corpus

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = 10_000
SHARDS = 4


def required(engine: str) -> bool:
    wanted = os.environ.get("REDLINE_REQUIRE_ENGINES", "")
    names = {w.strip().lower() for w in wanted.split(",") if w.strip()}
    return engine in names or "all" in names or "1" in names


def unavailable(engine: str, reason: str):
    if required(engine):
        pytest.fail(f"{reason} (REDLINE_REQUIRE_ENGINES asks for {engine})")
    pytest.skip(reason)


def need(engine: str, *modules: str):
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as e:
            unavailable(engine, f"{name} is not installed ({e}); pip install '.[{engine}]'")


@pytest.fixture(scope="session")
def redline_bin() -> str:
    explicit = os.environ.get("REDLINE_BIN")
    if explicit:
        return explicit
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.fail("the tests compare with the redline CLI: set REDLINE_BIN or install cargo")
    subprocess.run([cargo, "build", "--release", "--quiet", "--bin", "redline"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "release" / "redline")


@dataclass
class Corpus:
    source: str
    shards: list[Path]
    texts: dict[str, str]  # id -> input text
    expected: dict[str, str]  # id -> `redline clean --jsonl` text
    summary: dict  # `redline check --statistics --format json` summary


@pytest.fixture(scope="session")
def corpus(tmp_path_factory, redline_bin) -> Corpus:
    folder = tmp_path_factory.mktemp("corpus")
    docs, source = _corpus.documents(DOCUMENTS)
    size = -(-len(docs) // SHARDS)
    shards = []
    for n in range(SHARDS):
        path = folder / f"part-{n}.jsonl"
        _corpus.write_jsonl(path, docs[n * size : (n + 1) * size])
        shards.append(path)
    data = b"".join(p.read_bytes() for p in shards)

    cleaned = subprocess.run(
        [redline_bin, "clean", "--no-config", "--quiet", "--jsonl", "-"],
        input=data, capture_output=True, check=True,
    ).stdout
    expected = {}
    for line in cleaned.decode("utf-8").split("\n"):
        if line:
            doc = json.loads(line)
            expected[doc["id"]] = doc["text"]

    checked = subprocess.run(
        [redline_bin, "check", "--no-config", "--quiet", "--jsonl", "--statistics", "--format", "json", "-"],
        input=data, capture_output=True,
    )
    assert checked.returncode in (0, 1), checked.stderr.decode()
    last = checked.stdout.decode("utf-8").rstrip("\n").rsplit("\n", 1)[-1]
    summary = json.loads(last)["summary"]

    texts = {d["id"]: d["text"] for d in docs}
    assert len(expected) == len(texts) == DOCUMENTS
    # The corpus must give the engines something to do, or the tests prove nothing.
    assert summary["documents_changed"] > DOCUMENTS // 2, summary
    assert sum(1 for i in texts if texts[i] != expected[i]) == summary["documents_changed"]
    assert len(summary["rules"]) >= 8, summary["rules"]
    return Corpus(source, shards, texts, expected, summary)


def assert_same_texts(corpus: Corpus, got: dict[str, str], engine: str):
    assert set(got) == set(corpus.expected), f"{engine}: documents lost or added"
    differ = [i for i in sorted(got) if got[i].encode("utf-8") != corpus.expected[i].encode("utf-8")]
    if differ:
        i = differ[0]
        pytest.fail(
            f"{engine}: {len(differ)} of {len(got)} texts differ from `redline clean --jsonl`; "
            f"first {i}:\n  input:   {corpus.texts[i][:300]!r}\n  {engine}: {got[i][:300]!r}\n"
            f"  redline: {corpus.expected[i][:300]!r}"
        )


def assert_same_counts(corpus: Corpus, counts: dict, engine: str):
    assert counts["rules"] == corpus.summary["rules"], f"{engine}: per-rule counts differ"
    if "documents" in counts:
        assert counts["documents"] == corpus.summary["documents"]
        assert counts["documents_changed"] == corpus.summary["documents_changed"]
