"""A dirty JSON Lines corpus for the engine tests, built on the fly.

The articles come from the BBC news corpus beside the repository
(`../shared/corpus/bbc-news`) when it is there; on a fresh clone, from the
repository's own text: the seed articles (`seeds/*.txt`) and the inputs of
the test cases in `tests/data/*.jsonl` (real mojibake from ftfy's tests),
grouped into documents. Either way every document then gets defects injected
with a seeded random generator, so the same arguments give the same bytes:
doubled stops and commas, a stop after a closing quote, name variants,
mojibake, zero-width spaces, BOMs, soft hyphens, NFD accents, unbalanced
quotes, and characters outside the BMP in front of them (so code-point and
byte offsets differ). About one document in five is left as it is.
`REDLINE_TEST_NO_NEWS=1` uses the repository's text even where the news
corpus is present, to run what a fresh clone runs.

    python tests/python/_corpus.py OUT.jsonl --documents 10000
"""

from __future__ import annotations

import json
import os
import random
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NEWS = REPO.parent / "shared" / "corpus" / "bbc-news"


def articles(repo: Path = REPO) -> tuple[list[str], str]:
    """The source articles and where they came from (`news` or `repository`)."""
    news = repo.parent / "shared" / "corpus" / "bbc-news"
    if news.is_dir() and not os.environ.get("REDLINE_TEST_NO_NEWS"):
        texts = []
        for path in sorted(news.rglob("*.txt")):
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252")  # the corpus has one Latin-1 file
            texts.append(text.replace("\r\n", "\n").strip("\n"))
        if texts:
            return texts, "news"
    texts = [p.read_text(encoding="utf-8") for p in sorted((repo / "seeds").glob("*.txt"))]
    # The seeds' paragraphs, also as short documents of their own.
    for seed in list(texts):
        texts.extend(p for p in seed.split("\n") if p.strip())
    inputs = []
    for path in sorted((repo / "tests" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                value = json.loads(line).get("input")
                if isinstance(value, str) and value:
                    inputs.append(value)
    for i in range(0, len(inputs), 6):
        texts.append("\n".join(inputs[i : i + 6]))
    return texts, "repository"


def _mojibake(s: str) -> str:
    """UTF-8 read as Windows-1252 (`don’t` → `donâ€™t`)."""
    return s.encode("utf-8").decode("cp1252", errors="replace")


def _insert(rng: random.Random, text: str, piece: str) -> str:
    """`piece` at a random word boundary."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text + " " + piece
    at = rng.choice(spaces)
    return text[:at] + " " + piece + text[at:]


def _replace_one(rng: random.Random, text: str, old: str, new: str) -> str:
    starts = []
    i = text.find(old)
    while i != -1 and len(starts) < 200:
        starts.append(i)
        i = text.find(old, i + 1)
    if not starts:
        return text
    at = rng.choice(starts)
    return text[:at] + new + text[at + len(old) :]


DEFECTS = [
    lambda rng, t: _replace_one(rng, t, ". ", ".. "),
    lambda rng, t: _replace_one(rng, t, ", ", ",, "),
    lambda rng, t: _replace_one(rng, t, '." ', '.". '),
    lambda rng, t: _insert(rng, t, "“It is over.”. Then"),
    lambda rng, t: _insert(rng, t, "Kremlin spokesman Dimitri Peskov said"),
    lambda rng, t: _insert(rng, t, "in Nagorno Karabakh"),
    lambda rng, t: _insert(rng, t, _mojibake(rng.choice(["don’t", "café", "“quoted”", "naïve", "€20", "£5m"]))),
    lambda rng, t: _replace_one(rng, t, "£", _mojibake("£")),
    lambda rng, t: _insert(rng, t, "co\u200boperation"),
    lambda rng, t: "\ufeff" + t,
    lambda rng, t: _insert(rng, t, "inter\u00adnational"),
    lambda rng, t: _insert(rng, t, unicodedata.normalize("NFD", rng.choice(["café", "Zürich", "São Paulo"]))),
    lambda rng, t: _insert(rng, t, "“an unclosed quotation"),
    lambda rng, t: _insert(rng, t, "Really?."),
    lambda rng, t: "🙂 𝔸 " + t,
]


def documents(count: int, seed: int = 12, repo: Path = REPO) -> tuple[list[dict], str]:
    """`count` documents `{"id": ..., "text": ...}` and the articles' source."""
    texts, source = articles(repo)
    rng = random.Random(seed)
    docs = []
    for n in range(count):
        text = texts[n % len(texts)]
        if rng.random() >= 0.2:
            for _ in range(rng.randint(1, 4)):
                text = rng.choice(DEFECTS)(rng, text)
        docs.append({"id": f"doc-{n:06d}", "text": text})
    return docs, source


def write_jsonl(path: Path, docs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    docs, source = documents(args.documents, args.seed)
    write_jsonl(Path(args.out), docs)
    print(f"{len(docs)} documents from the {source} articles -> {args.out}", file=sys.stderr)
