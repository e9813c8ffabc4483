#!/usr/bin/env bash
# Pathological-input benchmark: hostile generated texts (dense fixes, open and
# deeply nested quotes, nothing but mojibake or names, NFD and zero-width
# characters everywhere, one 50 MB line, 5 million empty lines, JSON Lines with
# 1, 10 and 100 MB documents and with a million tiny ones), each at two sizes 4x
# apart, as one line and as many lines. Prints each family's MB/s at `-j 1` on one
# pinned core and the ratio of the two sizes' times (linear time gives about 4).
#
#   bash bench/pathological.sh                  every family
#   bash bench/pathological.sh mojibake nested  only families whose name contains a word
#
# Inputs are generated into $BENCH_DIR/pathological (default
# /tmp/redline-bench/pathological) and removed after each run; the ordinary text
# the big-line and JSON Lines families draw from is built once from
# ../shared/corpus with ../shared/tools/make_dirty.py (a built-in paragraph
# without it). RUNS (default 1), TIMEOUT (seconds per run, default 120) and MB
# (small size of the text families, default 2) tune it; see bench/pathological.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export SHARED=${SHARED:-$PWD/../shared}
WORK=${BENCH_DIR:-/tmp/redline-bench}/pathological
cargo build --release --quiet
python3 bench/pathological.py "$PWD/target/release/redline" "$WORK" "$@"
