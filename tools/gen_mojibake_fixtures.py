#!/usr/bin/env python3
"""Generate tests/data/mojibake-ftfy.jsonl: what ftfy 6.3.1 says about many
strings, so that `cargo test` checks redline's mojibake pass against it.

    pip install ftfy==6.3.1
    python3 tools/gen_mojibake_fixtures.py

Each line: {"input": ..., "bad": ftfy.badness.is_bad(input),
"fixed": ftfy.fix_encoding(input)}. The strings are built from a fixed seed:
words in many scripts mis-decoded once or twice with every codec ftfy tries,
mixed with legitimate accented text, lost bytes and spaces standing for A0,
plus random strings over the characters the heuristic looks at.
"""
import json
import pathlib
import random

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy codecs)
from ftfy.badness import is_bad

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "mojibake-ftfy.jsonl"

WORDS = [
    "don’t", "“quoted”", "£5", "café", "naïve", "Zürich", "Erdoğan", "résumé",
    "São Paulo", "Kraków", "Ελληνικά", "русский", "日本語", "한국어", "עברית",
    "عربي", "ไทย", "😀 emoji", "—dash–", "…", "€20", "©®™", "½°", "coöperate",
    "Ærøskøbing", "İstanbul", "Łódź", "Čeština", "Tiếng Việt", "ß", "\u00a0nbsp",
    "à la carte", "voilà le", "¿qué?", "¡sí!", "1×2", "x²", "Dvořák", "Søren",
]
PLAIN = ["The", "minister", "said", "on", "Monday", "that", "it", "was", "a", "deal"]
CODECS = [
    "latin-1", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250",
    "sloppy-windows-1253", "sloppy-windows-1254", "sloppy-windows-1257",
    "iso-8859-2", "macroman", "cp437", "windows-1252",
]


def mis(text, codec, rng):
    data = text.encode("utf-8")
    if codec == "windows-1252":
        return data.decode(codec, errors="replace")
    out = data.decode(codec, errors="replace")
    if rng.random() < 0.1:
        out = out.replace("\u00a0", " ")
    return out


def sample(rng):
    kind = rng.random()
    if kind < 0.2:
        # random characters from the alphabet the heuristic knows
        alphabet = "".join(sorted({
            bytes([b]).decode(c, errors="replace") for c in CODECS for b in range(0x80, 0x100)
        })) + "abcAB .,?!'\u00a0"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
    words = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.4:
            words.append(rng.choice(PLAIN))
            continue
        w = rng.choice(WORDS)
        r = rng.random()
        if r < 0.55:
            w = mis(w, rng.choice(CODECS[:3] if rng.random() < 0.6 else CODECS), rng)
        if r < 0.15:
            w = mis(w, rng.choice(CODECS[:2]), rng)
        words.append(w)
    return " ".join(words)


def main():
    rng = random.Random(5)
    seen = set()
    lines = []
    while len(lines) < 3000:
        s = sample(rng)
        if s in seen:
            continue
        seen.add(s)
        lines.append(json.dumps(
            {"input": s, "bad": is_bad(s), "fixed": ftfy.fix_encoding(s)},
            ensure_ascii=False,
        ))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} cases to {OUT}")


if __name__ == "__main__":
    main()
