#!/usr/bin/env python3
"""Pathological-input benchmark: generated hostile texts at two sizes 4x apart.

    python3 bench/pathological.py REDLINE WORKDIR [FAMILY ...]

Used by bench/pathological.sh (which builds the release binary first). Each family
is generated into WORKDIR (nothing big is committed), cleaned with
`taskset -c 0 REDLINE --no-config --quiet clean -j 1 IN -o OUT` (JSON Lines with
`--jsonl`), and timed as a whole process (CPU time, user + system: on a shared machine the
wall clock also counts other programs; best of RUNS, default 1, the two sizes
run in turn so that a slow stretch of the shared host falls on both). The table gives
each size's MB/s and the ratio of the two sizes' times: linear time gives about 4.
The last column is the same ratio for user time alone: system time is mostly the
kernel zeroing fresh memory (first touch), which is noisy on a shared machine.
A run over TIMEOUT seconds of wall time (default 120) is stopped and shown as
`>TIMEOUT s`.

Families come as one line (every newline of the text replaced by a space) and as
many lines (a line feed after about every 100 bytes) where the distinction makes
sense. Environment: RUNS, TIMEOUT, MB (the small size of the text families in MB,
default 2), BASE (an ordinary dirty news text to draw from; default: built with
../shared/tools/make_dirty.py when the corpus is there, else a built-in paragraph).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading

RUNS = int(os.environ.get("RUNS", "1"))
TIMEOUT = float(os.environ.get("TIMEOUT", "120"))
SMALL_MB = float(os.environ.get("MB", "2"))
MB = 1_000_000

PARAGRAPH = (
    "Dimitri Peskov said the talks.. would resume on Monday, according to \u201cofficials.\u201d. "
    "The ceasefire,, agreed in Nagorno Karabakh, held caf\u00c3\u00a9 prices at \u00c2\u00a35 "
    "and he don\u00e2\u20ac\u2122t know why. "
)


def repeat_to(unit, size):
    """`unit` repeated to about `size` bytes (whole units)."""
    n = max(1, size // len(unit.encode()))
    return unit * n


def many_lines(text, every=100):
    """`text` with the first space after every `every` bytes made a line feed."""
    out, last, i = [], 0, every
    while i < len(text):
        j = text.find(" ", i)
        if j < 0:
            break
        out.append(text[last:j])
        last = j + 1
        i = j + every
    out.append(text[last:])
    return "\n".join(out) + "\n"


def one_line(text):
    return text.replace("\n", " ").rstrip(" ") + "\n"


def nested(depth):
    """`depth` nested quotations, alternating double and single curly marks."""
    opens = ["\u201c", "\u2018"]
    closes = ["\u201d", "\u2019"]
    head = " ".join(opens[i % 2] + "w" for i in range(depth))
    tail = " ".join("w" + closes[i % 2] for i in reversed(range(depth)))
    return head + " middle " + tail + ". "


def nfd_unit():
    import unicodedata

    words = ["caf\u00e9", "na\u00efve", "\u00c5ngstr\u00f6m", "se\u00f1or", "\u1ec7", "\u01d6ber", "r\u00e9sum\u00e9"]
    return " ".join(unicodedata.normalize("NFD", w) for w in words) + " "


def text_family(unit):
    def make(size, shape):
        text = repeat_to(unit, size)
        return many_lines(text) if shape == "lines" else one_line(text)

    return make


def base_text(work):
    """An ordinary dirty news text of at least 60 MB (for the big-line family)."""
    path = os.environ.get("BASE") or os.path.join(work, "base-dirty.txt")
    if os.path.exists(path):
        return open(path, encoding="utf-8").read()
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.environ.get("SHARED", os.path.join(here, "..", "..", "shared"))
    tool = os.path.join(shared, "tools", "make_dirty.py")
    corpus = os.path.join(shared, "corpus", "bbc-news")
    if os.path.exists(tool) and os.path.isdir(corpus):
        big = os.path.join(work, "base-big.txt")
        subprocess.run([sys.executable, tool, "big", corpus, big, "--mb", "64"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, tool, "dirty", big, path], check=True,
                       stdout=subprocess.DEVNULL)
        os.remove(big)
    else:
        lines = [PARAGRAPH.strip()] * (64 * MB // len(PARAGRAPH.encode()))
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return open(path, encoding="utf-8").read()


def prefix(text, size):
    """The whole lines of `text` up to about `size` bytes (chars, close enough)."""
    cut = text.rfind("\n", 0, size)
    return text[: cut + 1] if cut > 0 else text[:size]


def jsonl_docs(base, doc_size, count, shape):
    """`count` documents of about `doc_size` bytes of ordinary text each."""
    doc = prefix(base * (doc_size // len(base) + 1), doc_size)
    if shape == "line":
        doc = one_line(doc)
    line = json.dumps({"text": doc}, ensure_ascii=False) + "\n"
    return line * count


def families(work):
    """(name, shapes, small size, large size, jsonl?, make(size, shape) -> text)."""
    s = int(SMALL_MB * MB)
    base = None

    def get_base():
        nonlocal base
        if base is None:
            base = base_text(work)
        return base

    both = ("line", "lines")
    fam = [
        ("dense ..", both, s, 4 * s, False, text_family("Long.. ")),
        ("dense ,,", both, s, 4 * s, False, text_family(",,")),
        ("dense word,,", both, s, 4 * s, False, text_family("one,, ")),
        ("dense .\".", both, s, 4 * s, False, text_family("\"stop.\". ")),
        ("dense .\u201d.", both, s, 4 * s, False, text_family("\u201cstop.\u201d. ")),
        ("all quotes open", both, s, 4 * s, False,
         text_family("\u201ca \u2018b \u00abc \"d 'e \u201ef \u2039g ")),
        ("nested 10,000 deep", both, s, 4 * s, False, text_family(nested(10_000))),
        ("mojibake only", both, s, 4 * s, False,
         text_family("He said he don\u00e2\u20ac\u2122t know. ")),
        ("mojibake mixed", both, s, 4 * s, False,
         text_family("caf\u00c3\u00a9 \u00c2\u00a35 \u00e2\u20ac\u0153quote\u00e2\u20ac\u009d na\u00c3\u00afve ")),
        ("names-map hits", both, s, 4 * s, False, text_family("Dimitri Peskov ")),
        ("NFD everywhere", both, s, 4 * s, False, text_family(nfd_unit())),
        ("zero-width everywhere", both, s, 4 * s, False, text_family("a\u200b")),
        ("ordinary text", both, 12_500_000, 50 * MB, False,
         lambda size, shape: (one_line if shape == "line" else lambda t: t)(prefix(get_base(), size))),
        ("empty lines", ("lines",), 1_250_000, 5_000_000, False, lambda size, shape: "\n" * size),
        ("jsonl 1 MB docs", both, 4 * MB, 16 * MB, True,
         lambda size, shape: jsonl_docs(get_base(), MB, size // MB, shape)),
        ("jsonl 10 MB docs", both, 10 * MB, 40 * MB, True,
         lambda size, shape: jsonl_docs(get_base(), 10 * MB, size // (10 * MB), shape)),
        ("jsonl 100 MB doc", both, 25 * MB, 100 * MB, True,
         lambda size, shape: jsonl_docs(get_base(), size, 1, shape)),
        ("jsonl tiny docs", ("lines",), 250_000, 1_000_000, True,
         lambda n, shape: "".join(json.dumps({"id": i, "text": "Hi.. there,, \u201cyou\u201d."}) + "\n"
                                  for i in range(n))),
    ]
    return fam


def command(redline, path, out, jsonl):
    cmd = ["taskset", "-c", "0", redline, "--no-config", "--quiet", "clean", "-j", "1"]
    if jsonl:
        cmd.append("--jsonl")
    cmd += [path, "-o", out]
    if shutil.which("taskset") is None:
        cmd = cmd[3:]
    return cmd


def run_once(cmd):
    """(CPU time, user time) of one run, or None when it ran over TIMEOUT."""
    # CPU time (user + system) of the process: on a shared machine the wall
    # clock also counts the time other programs hold the core.
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        killed = []
        timer = threading.Timer(TIMEOUT, lambda: (killed.append(1), p.kill()))
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)
        timer.cancel()
        if killed:
            return None
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} failed ({code}): {err.read().decode()[-500:]}")
    return (usage.ru_utime + usage.ru_stime, usage.ru_utime)


def run_in_turn(cmds):
    """The best (CPU, user) time of each command over RUNS rounds, the commands
    run in turn within a round (small, large, small, large, ...), so that a
    stretch of time when the shared host is slow falls on both sizes rather
    than on one. None for a command that ran over TIMEOUT (it is not run again)."""
    best = [None] * len(cmds)
    timed_out = [False] * len(cmds)
    for _ in range(RUNS):
        for i, cmd in enumerate(cmds):
            if timed_out[i]:
                continue
            t = run_once(cmd)
            if t is None:
                timed_out[i] = True
                best[i] = None
                continue
            best[i] = t if best[i] is None else min(best[i], t)
    return [None if timed_out[i] else best[i] for i in range(len(cmds))]


def main():
    redline, work = sys.argv[1], sys.argv[2]
    wanted = sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    print(f"redline clean -j 1, pinned to one core; CPU time, best of {RUNS}, "
          f"the two sizes run in turn; timeout {TIMEOUT:.0f} s")
    print("| family | shape | small MB | MB/s | large MB | MB/s | time ratio | user-time ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    worst_ratio, slowest = 0.0, None
    for name, shapes, small, large, jsonl, make in families(work):
        if wanted and not any(w.lower() in name.lower() for w in wanted):
            continue
        for shape in shapes:
            # Both sizes are written first, then timed in turn.
            paths, sizes = [], []
            for label, size in (("small", small), ("large", large)):
                path = os.path.join(work, f"input-{label}.{'jsonl' if jsonl else 'txt'}")
                data = make(size, shape).encode()
                with open(path, "wb") as f:
                    f.write(data)
                del data
                paths.append(path)
                sizes.append(os.path.getsize(path))
            out = os.path.join(work, "output")
            times = run_in_turn([command(redline, p, out, jsonl) for p in paths])
            for path in paths:
                os.remove(path)
            cells = []
            for nbytes, t in zip(sizes, times):
                cells.append(f"{nbytes / MB:.1f}")
                if t is None:
                    cells.append(f">{TIMEOUT:.0f} s")
                    continue
                rate = nbytes / t[0] / MB
                cells.append(f"{rate:.1f}")
                slowest = rate if slowest is None else min(slowest, rate)
            if None not in times:
                ratio = times[1][0] / times[0][0]
                worst_ratio = max(worst_ratio, ratio)
                cells += [f"{ratio:.1f}", f"{times[1][1] / times[0][1]:.1f}"]
            else:
                cells += ["–", "–"]
            print(f"| {name} | {shape} | " + " | ".join(cells) + " |", flush=True)
    if os.path.exists(os.path.join(work, "output")):
        os.remove(os.path.join(work, "output"))
    if slowest is not None:
        print(f"slowest {slowest:.1f} MB/s, largest time ratio {worst_ratio:.1f} "
              f"(targets: >= 10 MB/s, <= 5)")


if __name__ == "__main__":
    main()
