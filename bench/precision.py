#!/usr/bin/env python3
"""Precision of redline's findings on real text, judged by a person.

Runs `redline check --format json` over one or more corpora, takes per rule every
finding or a seeded random sample of SAMPLE (60) where there are more, and

  --show       prints each sampled finding that has no verdict yet, with its
               context, for judging (add the verdicts to the judgements file);
  --template   appends those findings to the judgements file with an empty
               verdict, to be filled in;
  (default)    prints the table: rule, findings, read, correct, pointless, wrong,
               precision (correct / read), per corpus, from the judgements file.

A verdict is `correct` (a real defect, and the fix or flag is right and in the right
place), `pointless` (harmless, but nothing was wrong) or `wrong` (damage, or a flag
at a correct place). A finding is keyed by corpus, rule, document (path inside the
corpus), offset (byte in the original document), before and after, so judgements
made on one build are reused for another build's findings where they agree.

The sample is seeded: findings are ordered by sha256(SEED + key) and the first
SAMPLE are read, so two builds that share findings mostly share their samples.

    python3 bench/precision.py --redline target/release/redline \\
        --corpus web=/work/webtext/web --corpus news=../shared/corpus/bbc-news \\
        --judgements bench/precision-judgements.tsv [--show | --template]

The web text itself is not in the repository: bench/webtext/SOURCES.md says where
it comes from and bench/webtext/extract.py rebuilds it.
"""

import argparse
import collections
import csv
import hashlib
import json
import os
import subprocess
import sys

SAMPLE = 60
SEED = "redline-issue-13"
CONTEXT = 70
VERDICTS = ("correct", "pointless", "wrong")
FIELDS = ["corpus", "rule", "document", "offset", "before", "after", "verdict", "note"]
CODECS = {"windows-1252": "cp1252", "ISO-8859-1": "latin-1", "UTF-8": "utf-8"}


def run_check(redline, corpus_dir, extra):
    cmd = [redline, "--no-config", "--quiet", "check", "--format", "json", *extra, corpus_dir]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}): {out.stderr}")
    findings = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    # Only the documents: extract.py's MANIFEST.tsv and a corpus's SOURCE.md
    # describe the text, they are not part of it.
    return [f for f in findings if f["path"].endswith(".txt")]


def key(corpus, corpus_dir, f):
    doc = os.path.relpath(f["path"], corpus_dir)
    return (corpus, f["rule"], doc, str(f["origin_start"]), f["before"] or "", f["after"] or "")


def sample(keys):
    ordered = sorted(keys, key=lambda k: hashlib.sha256((SEED + "\t".join(k)).encode()).hexdigest())
    return ordered[:SAMPLE]


def escape(field):
    return field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load_judgements(path):
    judged = {}
    if path and os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                k = tuple(row[c] for c in FIELDS[:6])
                judged[k] = (row["verdict"].strip(), row.get("note", ""))
    return judged


_texts = {}


def original_text(path, encoding):
    """The document as redline decoded it, as UTF-8 bytes (offsets are bytes)."""
    if path not in _texts:
        raw = open(path, "rb").read()
        codec = CODECS.get(encoding, encoding)
        try:
            _texts[path] = raw.decode(codec, errors="replace").encode("utf-8")
        except LookupError:
            _texts[path] = raw.decode("utf-8", errors="replace").encode("utf-8")
    return _texts[path]


def visible(b):
    s = b.decode("utf-8", errors="replace")
    return (s.replace("\n", "⏎").replace("\t", "⇥").replace("\u00ad", "⟨SHY⟩")
             .replace("\u200b", "⟨ZWSP⟩").replace("\ufeff", "⟨BOM⟩").replace("\u00a0", "⟨NBSP⟩"))


def context(f):
    text = original_text(f["path"], f.get("encoding", "UTF-8"))
    s, e = f["origin_start"], f["origin_end"]
    a = max(0, s - CONTEXT)
    while a > 0 and (text[a] & 0xC0) == 0x80:
        a -= 1
    z = min(len(text), e + CONTEXT)
    while z < len(text) and (text[z] & 0xC0) == 0x80:
        z += 1
    after = f["after"]
    mark = f"[{visible(text[s:e])}→{visible(after.encode()) if after is not None else 'FLAG'}]"
    return visible(text[a:s]) + mark + visible(text[e:z])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--redline", required=True)
    ap.add_argument("--corpus", action="append", required=True, help="NAME=DIR")
    ap.add_argument("--judgements", default="bench/precision-judgements.tsv")
    ap.add_argument("--enable", action="append", default=[], help="passed to redline --enable")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--template", action="store_true")
    ap.add_argument("--rule", help="only this rule")
    ap.add_argument("--sample-file", help="write the sampled findings with their verdicts here "
                    "(the list tests/webtext_precision.rs re-derives)")
    args = ap.parse_args()
    extra = [x for e in args.enable for x in ("--enable", e)]
    judged = load_judgements(args.judgements)
    new_rows = []
    sampled_rows = []
    for spec in args.corpus:
        name, _, corpus_dir = spec.partition("=")
        findings = run_check(args.redline, corpus_dir, extra)
        by_rule = collections.defaultdict(dict)
        for f in findings:
            by_rule[f["rule"]][key(name, corpus_dir, f)] = f
        if not (args.show or args.template):
            print(f"\n{name} ({corpus_dir}): {len(findings)} findings\n")
            print("| rule | findings | read | correct | pointless | wrong | precision |")
            print("|---|---:|---:|---:|---:|---:|---:|")
        for rule in sorted(by_rule, key=lambda r: (-len(by_rule[r]), r)):
            if args.rule and rule != args.rule:
                continue
            picked = sample(list(by_rule[rule]))
            counts = collections.Counter()
            for k in picked:
                verdict = judged.get(k, ("", ""))[0]
                sampled_rows.append((*k, verdict or "unjudged"))
                counts[verdict if verdict in VERDICTS else "unjudged"] += 1
                if verdict not in VERDICTS:
                    f = by_rule[rule][k]
                    if args.show:
                        head = "\t".join(k[:4])
                        print(f"{head}\t{f['applicability']}\n    {context(f)}\n    {f['message']}")
                    new_rows.append(dict(zip(FIELDS, (*k, "", ""))))
            if not (args.show or args.template):
                read = sum(counts[v] for v in VERDICTS)
                precision = f"{100 * counts['correct'] / read:.0f}%" if read else "–"
                missing = f" ({counts['unjudged']} unjudged)" if counts["unjudged"] else ""
                print(f"| `{rule}` | {len(by_rule[rule])} | {read}{missing} | {counts['correct']} | "
                      f"{counts['pointless']} | {counts['wrong']} | {precision} |")
    if args.sample_file:
        with open(args.sample_file, "w", encoding="utf-8") as fh:
            fh.write("# corpus\trule\tdocument\toffset\tbefore\tafter\tverdict (bench/precision.py)\n")
            for row in sorted(sampled_rows, key=lambda r: (r[0], r[1], r[2], int(r[3]), r[4], r[5])):
                fh.write("\t".join(escape(x) for x in row) + "\n")
    if args.template and new_rows:
        exists = os.path.exists(args.judgements)
        with open(args.judgements, "a", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
            if not exists:
                w.writeheader()
            w.writerows(new_rows)
        print(f"{len(new_rows)} rows to judge appended to {args.judgements}", file=sys.stderr)


if __name__ == "__main__":
    main()
