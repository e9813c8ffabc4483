"""Recall of make_dirty.py's injected name variants in `redline names` clusters.

    python3 bench/names-recall.py DIRTY.txt CLUSTERS.jsonl

DIRTY.txt is make_dirty.py's `dirty` output; CLUSTERS.jsonl is
`redline names --format json` over it (any document split). A pair of forms of one
injected name that both occur counts as found when both are in one cluster.
"""
import json, sys, unicodedata, itertools
text = unicodedata.normalize("NFC", open(sys.argv[1], encoding="utf-8").read().replace("\u00a0", " "))
clusters = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
where = {}
for i, c in enumerate(clusters):
    for f in c["forms"]:
        where[f["form"]] = i
firsts = ["Dimitri", "Dmitri", "Dmitriy", "Dimitry", "Dmitry"]
names = {
    "Peskov": [f"{f} Peskov" for f in firsts],
    "Medvedev": [f"{f} Medvedev" for f in firsts],
    "Nagorno-Karabakh": ["Nagorno Karabakh", "Nagorno-Karabakh"],
    "Mourinho": ["Jose Mourinho", "José Mourinho"],
    "Wenger": ["Arsene Wenger", "Arsène Wenger"],
    "Benitez": ["Rafael Benitez", "Rafael Benítez"],
    "Barroso": ["Jose Manuel Barroso", "José Manuel Barroso"],
}
total = found = 0
for name, forms in names.items():
    present = [f for f in forms if f in text]
    pairs = list(itertools.combinations(present, 2))
    ok = [p for p in pairs if p[0] in where and p[1] in where and where[p[0]] == where[p[1]]]
    total += len(pairs); found += len(ok)
    missed = [p for p in pairs if p not in ok]
    print(f"{name}: forms present {len(present)}/{len(forms)}, pairs {len(ok)}/{len(pairs)}" + (f" missed {missed}" if missed else ""))
print(f"recall {found}/{total} = {found/total:.1%}" if total else "no pairs")
