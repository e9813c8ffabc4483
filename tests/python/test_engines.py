"""redline's engine integrations on the real engines, against the CLI.

Each engine cleans the same dirty JSON Lines corpus (10,000 documents, see
`_corpus.py`) in parallel: datatrove's `LocalPipelineExecutor` with 2 workers,
Spark `local[2]`, Ray Data with `num_cpus=2`. Every cleaned text must equal,
byte for byte, what `redline clean --jsonl` writes for the same input, and
the per-rule counts must equal `redline check --statistics --format json`.

A missing engine skips its test with the reason; with (see `_engines.py`)
`REDLINE_REQUIRE_ENGINES=datatrove,spark,ray` (or `all`), as `.ci/run` sets
it, a missing engine or Java fails instead. The CLI is `REDLINE_BIN`, else
`target/release/redline` built with `cargo build --release --bin redline`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from _engines import (  # noqa: F401 (fixtures)
    DOCUMENTS,
    SHARDS,
    Corpus,
    assert_same_counts,
    assert_same_texts,
    need,
    unavailable,
    corpus,
    redline_bin,
)

# ---------------------------------------------------------------- datatrove


def test_datatrove_local_executor_two_workers(corpus, tmp_path):
    need("datatrove", "datatrove", "orjson")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from redline.datatrove import RedlineFormatter, stats_rule_counts

    out, logs = tmp_path / "out", tmp_path / "logs"
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(corpus.shards[0].parent), glob_pattern="*.jsonl"),
            RedlineFormatter(),
            JsonlWriter(str(out), compression=None),
        ],
        tasks=SHARDS,
        workers=2,
        logging_dir=str(logs),
    )
    executor.run()

    got, metadata = {}, {}
    for path in sorted(out.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line:
                doc = json.loads(line)
                got[doc["id"]] = doc["text"]
                metadata[doc["id"]] = doc["metadata"]["redline"]
    assert len(list(out.glob("*.jsonl"))) == SHARDS
    assert_same_texts(corpus, got, "datatrove")

    # The counts, as datatrove's stats.json has them after merging the tasks...
    stats = json.loads((logs / "stats.json").read_text())
    assert_same_counts(corpus, {"rules": stats_rule_counts(stats)}, "datatrove stats.json")
    step = next(s for s in stats if s["name"].endswith(RedlineFormatter.name))
    changed = step["stats"]["redline_changed"]
    changed = changed if isinstance(changed, int) else changed["total"]
    assert changed == corpus.summary["documents_changed"]
    # ...and as each document's metadata has them.
    from redline._counts import RuleCounts

    total = RuleCounts()
    for counts in metadata.values():
        total.add(counts)
    assert_same_counts(corpus, total.to_dict(), "datatrove metadata")


# ---------------------------------------------------------------- Spark


@pytest.fixture(scope="module")
def spark():
    need("spark", "pyspark", "pyarrow", "pandas")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("spark", "Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    import pandas

    if int(pandas.__version__.split(".")[0]) >= 3:
        unavailable("spark", f"pyspark needs pandas < 3, found {pandas.__version__}")
    # The Python workers must run this interpreter (where redline is installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("redline-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_local_two_cores(corpus, spark):
    from redline.spark import clean_column, rule_counts

    df = spark.read.schema("id string, text string").json([str(p) for p in corpus.shards])
    assert df.rdd.getNumPartitions() >= 2
    cleaned = clean_column(df, "text", findings_column="findings").cache()
    got = {r["id"]: r["text"] for r in cleaned.select("id", "text").collect()}
    assert len(got) == DOCUMENTS
    assert_same_texts(corpus, got, "spark")
    assert_same_counts(corpus, rule_counts(cleaned, "findings"), "spark")

    # Findings sit in the original text, in Python's (code-point) offsets.
    sample = cleaned.where("size(findings) > 0").limit(200).collect()
    assert sample
    for row in sample:
        text = corpus.texts[row["id"]]
        for f in row["findings"]:
            assert 0 <= f["start"] <= f["end"] <= len(text)


def test_spark_rejects_bad_options_on_the_driver(spark):
    from redline.spark import clean_column

    df = spark.createDataFrame([("a", "x")], "id string, text string")
    with pytest.raises(ValueError, match="disable"):
        clean_column(df, "text", disable=["no-such-pass"])
    with pytest.raises(ValueError, match="not in the DataFrame"):
        clean_column(df, "body")


# ---------------------------------------------------------------- Ray Data


@pytest.fixture(scope="module")
def ray_cluster():
    need("ray", "ray", "ray.data")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_ray_data_two_cpus(corpus, ray_cluster):
    import ray

    from redline.ray import clean_batch, rule_counts

    ds = ray.data.read_json([str(p) for p in corpus.shards])
    ds = ds.map_batches(
        clean_batch,
        batch_format="pyarrow",
        fn_kwargs={"column": "text", "findings_column": "findings"},
    ).materialize()
    got = {r["id"]: r["text"] for r in ds.select_columns(["id", "text"]).iter_rows()}
    assert len(got) == DOCUMENTS
    assert_same_texts(corpus, got, "ray")
    assert_same_counts(corpus, rule_counts(ds, "findings"), "ray")


# ---------------------------------------------------------------- package


def test_import_redline_imports_no_engine():
    code = (
        "import sys, redline\n"
        "engines = ['datatrove', 'pyspark', 'ray', 'nemo_curator', 'pyarrow', 'pandas']\n"
        "print([m for m in engines if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_datatrove_formatter_defaults_and_bad_options():
    need("datatrove", "datatrove")
    from datatrove.data import Document

    from redline.datatrove import RedlineFormatter

    step = RedlineFormatter()
    docs = list(step.run(iter([Document(text="It ended.. Then ,, more", id="1")])))
    assert docs[0].text == "It ended. Then , more"
    assert docs[0].metadata["redline"]["punct.double-period"] == {"findings": 1, "applied": 1, "held": 0}
    json.dumps(docs[0].metadata)
    with pytest.raises(ValueError, match="disable"):
        RedlineFormatter(disable=["no-such-pass"])
    # The names map is an option like the CLI's --names: "none" switches it off.
    named = "Dimitri Peskov said so."
    assert RedlineFormatter().format(named) == "Dmitry Peskov said so."
    assert RedlineFormatter(names="none").format(named) == named
    with pytest.raises(ValueError, match="names"):
        RedlineFormatter(names="/no/such/names.toml")


def test_ray_clean_batch_takes_every_batch_format():
    need("ray", "ray", "pyarrow", "pandas", "numpy")
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from redline.ray import clean_batch

    texts = ["It ended.. Then", None, "fine"]
    want = ["It ended. Then", None, "fine"]
    table = clean_batch(pa.table({"text": texts}), findings_column="f")
    assert table.column("text").to_pylist() == want
    assert [len(f) if f is not None else None for f in table.column("f").to_pylist()] == [1, None, 0]
    frame = clean_batch(pd.DataFrame({"text": texts}), disable=["punctuation"])
    assert frame["text"].tolist() == texts
    arrays = clean_batch({"text": np.array(texts, dtype=object)}, findings_column="f")
    assert list(arrays["text"]) == want and arrays["f"][0][0]["rule"] == "punct.double-period"
