"""redline on Spark DataFrames: `clean_column` and `rule_counts`.

    from redline.spark import clean_column, rule_counts

    cleaned = clean_column(df, "text", findings_column="findings")
    cleaned.write.parquet("clean/")
    rule_counts(cleaned, "findings")   # same numbers as `redline check --statistics`

`clean_column` runs in Python workers through `DataFrame.mapInArrow`: each
Arrow record batch (`spark.sql.execution.arrow.maxRecordsPerBatch` rows,
10,000 by default) goes to redline in one call, which releases the GIL, so
there is no Python call per row. The `Cleaner` travels to the executors
pickled (its settings, not files); it is built once per task.

Null texts stay null (and get no findings). The findings column is an array
of structs with the fields of `redline.Finding`; `start`/`end` are code-point
offsets into the original text. This module imports pyspark and pyarrow;
`import redline` does not.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import pyarrow as pa  # type: ignore
from pyspark.sql import DataFrame  # type: ignore
from pyspark.sql import functions as F  # type: ignore
from pyspark.sql import types as T  # type: ignore

from . import Cleaner
from ._counts import clean_and_check

__all__ = ["FINDING_TYPE", "clean_column", "rule_counts"]

#: Spark type of one finding in the findings column.
FINDING_TYPE = T.StructType(
    [
        T.StructField("rule", T.StringType(), True),
        T.StructField("pass_name", T.StringType(), True),
        T.StructField("message", T.StringType(), True),
        T.StructField("applicability", T.StringType(), True),
        T.StructField("applied", T.BooleanType(), True),
        T.StructField("before", T.StringType(), True),
        T.StructField("after", T.StringType(), True),
        T.StructField("start", T.LongType(), True),
        T.StructField("end", T.LongType(), True),
    ]
)

_FINDING_FIELDS = [f.name for f in FINDING_TYPE.fields]


def clean_column(
    df: DataFrame,
    column: str = "text",
    *,
    findings_column: str | None = None,
    cleaner: Cleaner | None = None,
    threads: int | None = 1,
    **options: Any,
) -> DataFrame:
    """`df` with `column` cleaned, and optionally a findings column added.

    `options` are `redline.Cleaner`'s keyword arguments (`only`, `enable`,
    `disable`, `apply`, `spelling`, `rule_files`), checked here on the driver;
    or pass a ready `cleaner`. `threads` is per Python worker: Spark already
    runs one worker per core, hence 1. Other columns and the row order within
    each partition are kept.
    """
    if cleaner is None:
        cleaner = Cleaner(**options)
    elif options:
        raise ValueError("pass either cleaner= or Cleaner options, not both")
    schema = df.schema
    if column not in schema.fieldNames():
        raise ValueError(f"column {column!r} is not in the DataFrame ({', '.join(schema.fieldNames())})")
    if not isinstance(schema[column].dataType, T.StringType):
        raise ValueError(f"column {column!r} is {schema[column].dataType.simpleString()}, not string")
    out_schema = T.StructType(list(schema.fields))
    if findings_column is not None:
        if findings_column in schema.fieldNames():
            raise ValueError(f"findings_column {findings_column!r} is already a column")
        out_schema = out_schema.add(findings_column, T.ArrayType(FINDING_TYPE, True), True)

    def clean_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield _clean_record_batch(batch, column, findings_column, cleaner, threads)

    return df.mapInArrow(clean_batches, out_schema)


def _clean_record_batch(
    batch: pa.RecordBatch,
    column: str,
    findings_column: str | None,
    cleaner: Cleaner,
    threads: int | None,
) -> pa.RecordBatch:
    index = batch.schema.get_field_index(column)
    texts = batch.column(index).to_pylist()
    present = [i for i, t in enumerate(texts) if t is not None]
    out_texts: list[str | None] = [None] * len(texts)
    out_findings: list[list[dict] | None] = [None] * len(texts)
    if findings_column is None:
        cleaned = cleaner.clean_batch([texts[i] for i in present], threads=threads)
        for i, text in zip(present, cleaned):
            out_texts[i] = text
    else:
        cleaned, findings = clean_and_check(cleaner, [texts[i] for i in present], threads)
        for i, text, fs in zip(present, cleaned, findings):
            out_texts[i] = text
            out_findings[i] = [finding_dict(f) for f in fs]
    columns = list(batch.columns)
    columns[index] = pa.array(out_texts, type=batch.column(index).type)
    names = list(batch.schema.names)
    if findings_column is not None:
        columns.append(pa.array(out_findings, type=_arrow_findings_type()))
        names.append(findings_column)
    return pa.RecordBatch.from_arrays(columns, names=names)


def finding_dict(f: Any) -> dict[str, Any]:
    """A `redline.Finding` as a plain dict (the findings column's struct)."""
    return {name: _plain(getattr(f, name)) for name in _FINDING_FIELDS}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    return str(value)


def _arrow_findings_type() -> pa.DataType:
    return pa.list_(
        pa.struct(
            [
                ("rule", pa.string()),
                ("pass_name", pa.string()),
                ("message", pa.string()),
                ("applicability", pa.string()),
                ("applied", pa.bool_()),
                ("before", pa.string()),
                ("after", pa.string()),
                ("start", pa.int64()),
                ("end", pa.int64()),
            ]
        )
    )


def rule_counts(df: DataFrame, findings_column: str = "findings") -> dict[str, Any]:
    """Per-rule totals of a findings column, aggregated by Spark.

    Returns the shape of `redline check --statistics --format json`'s summary
    without timings: `{"rules": {rule: {"findings", "applied", "held",
    "documents"}}, "documents": n, "documents_changed": n}`. Runs two
    aggregations on the cluster; only one row per rule reaches the driver.
    Rows whose findings are null (null texts) count as no document, as the
    CLI skips them.
    """
    fc = F.col(findings_column)
    rows = df.where(fc.isNotNull())
    per_finding = (
        rows.select(F.explode(fc).alias("f"))
        .groupBy(F.col("f.rule").alias("rule"))
        .agg(
            F.count(F.lit(1)).alias("findings"),
            F.sum(F.col("f.applied").cast("long")).alias("applied"),
            F.sum((~F.col("f.applied") & F.col("f.after").isNotNull()).cast("long")).alias("held"),
        )
    )
    per_document = (
        rows.select(F.explode(F.array_distinct(fc.getField("rule"))).alias("rule"))
        .groupBy("rule")
        .agg(F.count(F.lit(1)).alias("documents"))
    )
    totals = rows.agg(
        F.count(F.lit(1)).alias("documents"),
        F.sum(F.exists(fc, lambda f: f.getField("applied")).cast("long")).alias("changed"),
    ).first()
    assert totals is not None  # an aggregation without grouping has one row
    rules = {
        r["rule"]: {
            "findings": int(r["findings"]),
            "applied": int(r["applied"]),
            "held": int(r["held"]),
            "documents": int(r["documents"]),
        }
        for r in per_finding.join(per_document, "rule").collect()
    }
    return {
        "rules": {rule: rules[rule] for rule in sorted(rules)},
        "documents": int(totals["documents"]),
        "documents_changed": int(totals["changed"] or 0),
    }
