#!/usr/bin/env python3
"""Compare redline's mojibake pass with ftfy.fix_encoding on a (dirty) text file.

    python3 /work/shared/tools/make_dirty.py big CORPUS big.txt --mb 5
    python3 /work/shared/tools/make_dirty.py dirty big.txt dirty.txt
    cargo build --release --example mojibake
    python3 bench/compare_ftfy.py dirty.txt [target/release/examples/mojibake]

ftfy (pip install ftfy==6.3.1) is applied line by line, as ftfy.fix_text
segments text; redline runs with only its mojibake pass. Prints every line
where the two differ and the count (expected: 0).
"""
import subprocess
import sys

import ftfy


def main():
    path = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/examples/mojibake"
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    ours = subprocess.run(
        [binary, "clean"], input=text.encode("utf-8"), capture_output=True, check=True
    )
    our_lines = ours.stdout.decode("utf-8").splitlines(keepends=True)
    findings = ours.stderr.decode("utf-8").count("\n")
    if len(our_lines) != len(lines):
        sys.exit(f"line count changed: {len(lines)} -> {len(our_lines)}")
    changed = differ = 0
    for n, (line, mine) in enumerate(zip(lines, our_lines), 1):
        theirs = ftfy.fix_encoding(line)
        changed += theirs != line
        if theirs != mine:
            differ += 1
            print(f"line {n}:\n  input: {line!r}\n  ftfy:  {theirs!r}\n  ours:  {mine!r}")
    print(f"{len(lines)} lines, ftfy changed {changed}, redline reported {findings} "
          f"findings; {differ} lines differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
