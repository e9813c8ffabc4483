#!/usr/bin/env python3
"""redline's Python package beside ftfy, in one run, on the same news documents.

    pip install ".[datatrove,spark]" ftfy
    python bench/python.py [--corpus news|dirty] [--documents 10000] [--runs 3] [--skip-spark]

The documents are, with `--corpus news`, the BBC news articles as they are
(`../shared/corpus/bbc-news`, each `.txt` file a document, mostly ASCII and
mostly clean, cycled up to `--documents`); with `--corpus dirty` (the
default), the engine tests' dirty corpus (`tests/python/_corpus.py`: the same
articles with injected defects, among them characters outside the BMP, or the
repository's own text on a fresh clone). Four comparisons, each timed in
alternating runs (median of `--runs`), MB = 10^6 bytes of UTF-8 input:

1. in process, one core (the process is pinned to one CPU): per-document
   `Cleaner.clean` and `clean_batch(threads=1)` against `ftfy.fix_text`;
2. `clean_batch(threads=2)` against `threads=1`, on two CPUs;
3. datatrove, one core: `RedlineFormatter` (which also counts findings per
   rule) against datatrove's `FTFYFormatter`, each step's `run` over the
   documents (no reader or writer);
4. Spark `local[2]`: the same job (read the JSON Lines, clean the text
   column, write to Spark's `noop` sink) with `redline.spark.clean_column`
   against a pandas UDF calling `ftfy.fix_text`.

Prints a Markdown table. Each figure is a median; the one-core cases are
also given in CPU time (`time.process_time`), which a busy shared machine
disturbs much less than wall time, and their ratios are taken on it. The
two-thread and Spark cases are wall time (the point is parallelism).
"""


import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "python"))

import _corpus  # noqa: E402

import redline  # noqa: E402


def timed(fn) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds (all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def alternate(runs: int, cases: dict) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU seconds per case, the cases run in turn `runs` times
    after a warm-up."""
    for fn in cases.values():
        fn()
    walls: dict[str, list[float]] = {name: [] for name in cases}
    cpus: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            wall, cpu = timed(fn)
            walls[name].append(wall)
            cpus[name].append(cpu)
    print("  wall " + ", ".join(f"{n}: {' '.join(f'{x:.2f}' for x in t)}" for n, t in walls.items())
          + "; cpu " + ", ".join(f"{n}: {' '.join(f'{x:.2f}' for x in t)}" for n, t in cpus.items()),
          file=sys.stderr)
    med = statistics.median
    return {n: med(t) for n, t in walls.items()}, {n: med(t) for n, t in cpus.items()}


def pin(cpus: set[int]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-datatrove", action="store_true")
    parser.add_argument("--corpus", choices=["dirty", "news"], default="dirty")
    args = parser.parse_args()

    import ftfy

    if args.corpus == "news":
        articles, source = _corpus.articles()
        texts = [articles[i % len(articles)] for i in range(args.documents)]
        docs = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    else:
        docs, source = _corpus.documents(args.documents)
        texts = [d["text"] for d in docs]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    unchanged = sum(c is t for c, t in zip(redline.Cleaner().clean_batch(texts), texts))
    print(f"load average {os.getloadavg()[0]:.1f}; "
          f"{len(texts)} documents ({source} articles, {args.corpus}; {unchanged} unchanged by "
          f"redline, {sum(not t.isascii() for t in texts)} not ASCII), {mb:.1f} MB; "
          f"redline {getattr(redline, '__version__', '?')}, ftfy {ftfy.__version__}; "
          f"median of {args.runs} alternating runs", file=sys.stderr)
    rows: list[tuple[str, float, float | None, str]] = []
    cleaner = redline.Cleaner()
    all_cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    one_cpu = {max(all_cpus)} if all_cpus else set()

    # 1. In process, one core.
    pin(one_cpu)
    w, c = alternate(args.runs, {
        "clean": lambda: [cleaner.clean(x) for x in texts],
        "batch1": lambda: cleaner.clean_batch(texts, threads=1),
        "ftfy": lambda: [ftfy.fix_text(x) for x in texts],
    })
    rows += [
        ("in process, 1 core: `Cleaner.clean` per document", mb / w["clean"], mb / c["clean"],
         f"**{c['ftfy'] / c['clean']:.1f}× ftfy** (wall {w['ftfy'] / w['clean']:.1f}×)"),
        ("in process, 1 core: `Cleaner.clean_batch(threads=1)`", mb / w["batch1"], mb / c["batch1"],
         f"{c['ftfy'] / c['batch1']:.1f}× ftfy (wall {w['ftfy'] / w['batch1']:.1f}×)"),
        (f"in process, 1 core: `ftfy.fix_text` {ftfy.__version__} per document", mb / w["ftfy"], mb / c["ftfy"], "–"),
    ]

    # 2. Two threads on two CPUs.
    if len(all_cpus) >= 2:
        pin(all_cpus)
        w, c = alternate(args.runs, {
            "batch1": lambda: cleaner.clean_batch(texts, threads=1),
            "batch2": lambda: cleaner.clean_batch(texts, threads=2),
        })
        # The serial part: CPU time of the calling thread (taking the texts,
        # making the result list) against the whole process's.
        caller, total = time.thread_time(), time.process_time()
        cleaner.clean_batch(texts, threads=2)
        caller, total = time.thread_time() - caller, time.process_time() - total
        print(f"  clean_batch(threads=2): calling thread {caller:.3f} s of {total:.3f} s CPU "
              f"({100 * caller / total:.0f}%)", file=sys.stderr)
        rows += [
            ("in process, 2 cores: `Cleaner.clean_batch(threads=2)` (wall)", mb / w["batch2"], mb / c["batch2"],
             f"**{w['batch1'] / w['batch2']:.2f}× threads=1** ({mb / w['batch1']:.1f} MB/s)"),
        ]
    else:
        print("one CPU only: clean_batch(threads=2) not measured", file=sys.stderr)

    # 3. datatrove steps, one core.
    if not args.skip_datatrove:
        pin(one_cpu)
        from datatrove.data import Document
        from datatrove.pipeline.formatters import FTFYFormatter

        from redline.datatrove import RedlineFormatter

        def run_step(step):
            def go():
                for _ in step.run(Document(text=x, id=str(i)) for i, x in enumerate(texts)):
                    pass
            return go

        w, c = alternate(args.runs, {
            "redline": run_step(RedlineFormatter()),
            "ftfy": run_step(FTFYFormatter()),
        })
        rows += [
            ("datatrove step, 1 core: `RedlineFormatter` (cleans + counts per rule)", mb / w["redline"],
             mb / c["redline"], f"**{c['ftfy'] / c['redline']:.1f}× FTFYFormatter** (wall {w['ftfy'] / w['redline']:.1f}×)"),
            ("datatrove step, 1 core: `FTFYFormatter`", mb / w["ftfy"], mb / c["ftfy"], "–"),
        ]

    # 4. Spark local[2].
    if not args.skip_spark:
        pin(all_cpus or one_cpu)
        rows += spark_rows(docs, mb, args.runs)

    print()
    print("| what (same documents, same run) | MB/s (wall) | MB/s (CPU time) | ratio |")
    print("|---|---:|---:|---:|")
    for what, wall, cpu, ratio in rows:
        cpu_text = "–" if cpu is None else f"{cpu:.1f}"
        print(f"| {what} | {wall:.1f} | {cpu_text} | {ratio} |")
    return 0


def spark_rows(docs, mb: float, runs: int):
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    import pandas as pd
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from redline.spark import clean_column

    spark = (
        SparkSession.builder.master("local[2]").appName("redline-bench")
        .config("spark.ui.enabled", "false").config("spark.driver.memory", "2g").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n in range(4):
            path = Path(folder) / f"part-{n}.jsonl"
            _corpus.write_jsonl(path, docs[n::4])
            paths.append(str(path))

        @F.pandas_udf("string")
        def ftfy_udf(texts: pd.Series) -> pd.Series:
            import ftfy

            return texts.map(ftfy.fix_text)

        def read():
            return spark.read.schema("id string, text string").json(paths)

        t, _ = alternate(runs, {
            "redline": lambda: clean_column(read(), "text").write.format("noop").mode("overwrite").save(),
            "redline+findings": lambda: clean_column(read(), "text", findings_column="findings")
            .write.format("noop").mode("overwrite").save(),
            "ftfy": lambda: read().withColumn("text", ftfy_udf("text")).write.format("noop").mode("overwrite").save(),
        })
    spark.stop()
    return [
        ("Spark `local[2]` job (wall): `redline.spark.clean_column`", mb / t["redline"], None,
         f"**{t['ftfy'] / t['redline']:.1f}× ftfy UDF**"),
        ("Spark `local[2]` job (wall): `clean_column` with a findings column", mb / t["redline+findings"], None,
         f"{t['ftfy'] / t['redline+findings']:.1f}× ftfy UDF"),
        ("Spark `local[2]` job (wall): pandas UDF with `ftfy.fix_text`", mb / t["ftfy"], None, "–"),
    ]


if __name__ == "__main__":
    sys.exit(main())
