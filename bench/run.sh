#!/usr/bin/env bash
# Throughput benchmark: redline beside its peers on a 100 MB dirty news corpus.
#
#   bench/run.sh            build inputs (once), then measure peers and scaling
#   bench/run.sh peers      only the peer table
#   bench/run.sh scaling    only -j 2 against -j 1 (JSON Lines, folder and one-file forms)
#   bench/run.sh replace    redline replacing an existing output, beside rust-passthru
#
# Inputs are built from ../shared/corpus/bbc-news with ../shared/tools/make_dirty.py
# (`big` to 100 MB, then `dirty`) into $BENCH_DIR (default /tmp/redline-bench), plus
# a JSON Lines form (one document per article) and a folder form (one file per
# article). Peers are measured by ../shared/tools/peerbench.sh, single-threaded and
# pinned to one core; the -j 2 / -j 1 ratio is measured on the JSONL form.
# Quote the ratios, not the absolute MB/s: machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
WORK=${BENCH_DIR:-/tmp/redline-bench}
RUNS=${RUNS:-3}
mkdir -p "$WORK"

if [ ! -f "$WORK/big.txt" ]; then
  python3 "$SHARED/tools/make_dirty.py" big "$SHARED/corpus/bbc-news" "$WORK/big.txt" --mb 100
fi
if [ ! -f "$WORK/dirty.txt" ]; then
  python3 "$SHARED/tools/make_dirty.py" dirty "$WORK/big.txt" "$WORK/dirty.txt" --stats "$WORK/dirty-stats.json"
fi
if [ ! -f "$WORK/dirty.jsonl" ] || [ ! -d "$WORK/dirty-dir" ]; then
  python3 - "$WORK/dirty.txt" "$WORK/dirty.jsonl" "$WORK/dirty-dir" <<'PY'
import json, os, sys
src, jsonl, folder = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
# articles are separated by a blank line after a paragraph block; keep it simple and
# robust: a document is a run of 12 lines (about one article)
lines = text.split("\n")
docs = ["\n".join(lines[i:i + 12]) for i in range(0, len(lines), 12)]
with open(jsonl, "w", encoding="utf-8") as out:
    for i, d in enumerate(docs):
        out.write(json.dumps({"id": i, "text": d}, ensure_ascii=False) + "\n")
os.makedirs(folder, exist_ok=True)
for i, d in enumerate(docs):
    sub = os.path.join(folder, f"{i // 1000:03d}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
        f.write(d)
PY
fi

cargo build --release --quiet
R=$PWD/target/release/redline

SECTION=${1:-all}
if [ "$SECTION" = all ] || [ "$SECTION" = peers ]; then
  echo "== peers and redline, one core, whole process ($WORK/dirty.txt, $(du -m "$WORK/dirty.txt" | cut -f1) MB)"
  # redline writes a new file each run ({out}.PID), as when cleaning into a new
  # file; replacing an existing 100 MB output makes ext4 free the old file inside
  # rename (about 0.1 s here). `bench/run.sh replace` measures that case.
  "$SHARED/tools/peerbench.sh" -n "$RUNS" --ours "$R --no-config clean -j 1 {in} -o {out}.\$\$" "$WORK/dirty.txt"
fi
if [ "$SECTION" = replace ]; then
  "$SHARED/tools/peerbench.sh" -n "$RUNS" -t rust-passthru --ours "$R --no-config clean -j 1 {in} -o {out}" "$WORK/dirty.txt"
fi
[ "$SECTION" = all ] || [ "$SECTION" = scaling ] || exit 0

# Median wall seconds of RUNS runs (after one warm-up) of a command whose `{out}`
# is replaced by a fresh output path each run: replacing an existing 100 MB output
# makes the kernel free the old file inside rename (about 0.2 s on this ext4),
# which would be timed as redline's. Before each run `sync` lets the previous
# run's writes reach the disk, so that no run pays for another's; the outputs are
# removed at the end.
timeit() {
  python3 - "$RUNS" "$WORK/runs" "$@" <<'PY'
import os, shutil, subprocess, sys, time
runs, scratch, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
os.makedirs(scratch, exist_ok=True)
times = []
for i in range(runs + 1):
    out = os.path.join(scratch, f"out-{i}")
    argv = [a.replace("{out}", out) for a in cmd]
    os.sync()
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times.append(time.perf_counter() - t)
shutil.rmtree(scratch)
times = sorted(times[1:])
print(f"{times[len(times) // 2]:.3f}")
PY
}

echo "== parallel scaling (median of $RUNS, whole process; -j 1 pinned to one core)"
# The folder form is timed cleaning into a fresh folder (file creation dominates:
# ext4 inode allocation, slower when many files were deleted in the last minutes)
# and checking it (no writes).
# FORMS picks some of them: `FORMS=file bash bench/run.sh scaling` times only the
# 100 MB file as one document (the quotes pass, the names prefilter and the
# trigger scan then work in parts on every thread).
for form in ${FORMS:-jsonl dir dir-check file}; do
  case $form in
    file) in="$WORK/dirty.txt"; args=(clean "$in" -o "{out}") ;;
    jsonl) in="$WORK/dirty.jsonl"; args=(clean --jsonl "$in" -o "{out}") ;;
    dir) in="$WORK/dirty-dir"; args=(clean "$in" -o "{out}") ;;
    dir-check) in="$WORK/dirty-dir"; args=(check "$in") ;;
  esac
  bytes=$(du -sb "$in" | cut -f1)
  t1=$(timeit taskset -c 0 "$R" --no-config --quiet "${args[@]:0:1}" -j 1 "${args[@]:1}")
  t2=$(timeit "$R" --no-config --quiet "${args[@]:0:1}" -j 2 "${args[@]:1}")
  python3 -c "b=$bytes;t1=$t1;t2=$t2;print(f'{\"$form\":9} -j1 {b/t1/1e6:7.1f} MB/s  -j2 {b/t2/1e6:7.1f} MB/s  speed-up {t1/t2:.2f}x')"
done
