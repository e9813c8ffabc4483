"""redline in Ray Data: `clean_batch` for `Dataset.map_batches`, and `rule_counts`.

    import ray
    from redline.ray import clean_batch, rule_counts

    ds = ray.data.read_json("raw/")
    ds = ds.map_batches(clean_batch, batch_format="pyarrow",
                        fn_kwargs={"column": "text", "findings_column": "findings"})
    ds.write_json("clean/")
    rule_counts(ds)          # same numbers as `redline check --statistics`

`clean_batch` is a plain function, so Ray runs it as stateless tasks: no
actor pool to size (a callable class with `concurrency=2` on 2 CPUs can
hang: its actors hold the CPUs that the read and write tasks wait for).
Each worker process builds its `Cleaner` once per distinct set of options
and keeps it. Batches may be pyarrow Tables (`batch_format="pyarrow"`, the
cheapest), pandas DataFrames or dicts of numpy arrays (Ray's default).
Null texts stay null.

This module imports only pyarrow (which Ray Data requires) at import time;
`import redline` imports neither.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

import pyarrow as pa  # type: ignore

from . import Cleaner
from ._counts import RuleCounts, clean_and_check, document_counts

__all__ = ["clean_batch", "rule_counts"]

_FINDING_FIELDS = (
    "rule",
    "pass_name",
    "message",
    "applicability",
    "applied",
    "before",
    "after",
    "start",
    "end",
)

_FINDINGS_TYPE = pa.list_(
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

# One Cleaner per worker process and set of options (a worker runs many tasks).
_CLEANERS: dict[str, Cleaner] = {}


def _cleaner(options: dict[str, Any]) -> Cleaner:
    key = json.dumps(options, sort_keys=True, default=list)
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        cleaner = _CLEANERS[key] = Cleaner(**options)
    return cleaner


def clean_batch(
    batch: Any,
    *,
    column: str = "text",
    findings_column: str | None = None,
    cleaner: Cleaner | None = None,
    threads: int | None = 1,
    **options: Any,
) -> Any:
    """Cleans `column` of one Ray Data batch; returns a batch of the same kind.

    Keyword arguments (Ray's `fn_kwargs`): `column`, the text column;
    `findings_column`, if given, a new column with each row's findings (a list
    of dicts with the fields of `redline.Finding`); `cleaner`, a ready
    `redline.Cleaner`, or the Cleaner's options (`only`, `enable`, `disable`,
    `apply`, `spelling`, `rule_files`); `threads` per task (Ray already runs
    one task per CPU).
    """
    if cleaner is None:
        cleaner = _cleaner(options)
    elif options:
        raise ValueError("pass either cleaner= or Cleaner options, not both")
    if isinstance(batch, pa.Table):
        return _clean_table(batch, column, findings_column, cleaner, threads)
    if isinstance(batch, dict):
        texts = list(batch[column])
        out_texts, out_findings = _clean_list(texts, cleaner, threads, findings_column is not None)
        out = dict(batch)
        out[column] = _like(batch[column], out_texts)
        if findings_column is not None:
            out[findings_column] = _like(batch[column], out_findings)
        return out
    try:  # pandas, without importing it unless it is what we were given
        import pandas as pd  # type: ignore
    except ImportError:  # pragma: no cover - Ray Data depends on pandas
        pd = None
    if pd is not None and isinstance(batch, pd.DataFrame):
        out_texts, out_findings = _clean_list(batch[column].tolist(), cleaner, threads, findings_column is not None)
        out = batch.copy()
        out[column] = out_texts
        if findings_column is not None:
            out[findings_column] = out_findings
        return out
    raise TypeError(
        f"clean_batch got a {type(batch).__name__}; use batch_format 'pyarrow', 'pandas' or 'numpy'"
    )


def _clean_list(texts: Sequence[Any], cleaner: Cleaner, threads: int | None, findings: bool):
    present = [i for i, t in enumerate(texts) if t is not None]
    out_texts: list[Any] = [None] * len(texts)
    out_findings: list[Any] = [None] * len(texts)
    if not findings:
        for i, text in zip(present, cleaner.clean_batch([str(texts[i]) for i in present], threads=threads)):
            out_texts[i] = text
        return out_texts, out_findings
    cleaned, found = clean_and_check(cleaner, [str(texts[i]) for i in present], threads)
    for i, text, fs in zip(present, cleaned, found):
        out_texts[i] = text
        out_findings[i] = [_finding_dict(f) for f in fs]
    return out_texts, out_findings


def _clean_table(table: pa.Table, column: str, findings_column, cleaner, threads) -> pa.Table:
    index = table.schema.get_field_index(column)
    if index < 0:
        raise KeyError(f"column {column!r} is not in the batch ({', '.join(table.column_names)})")
    out_texts, out_findings = _clean_list(table.column(index).to_pylist(), cleaner, threads, findings_column is not None)
    table = table.set_column(index, table.schema.field(index), pa.array(out_texts, type=pa.string()))
    if findings_column is not None:
        table = table.append_column(findings_column, pa.array(out_findings, type=_FINDINGS_TYPE))
    return table


def _like(original: Any, values: list) -> Any:
    """numpy batches stay numpy (object arrays), other sequences become lists."""
    try:
        import numpy as np  # type: ignore
    except ImportError:  # pragma: no cover
        return values
    if isinstance(original, np.ndarray):
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return values


def _finding_dict(f: Any) -> dict[str, Any]:
    out = {}
    for name in _FINDING_FIELDS:
        value = getattr(f, name)
        out[name] = value if value is None or isinstance(value, (str, bool, int)) else str(value)
    return out


def _batch_counts(batch: pa.Table, findings_column: str) -> pa.Table:
    total = RuleCounts()
    for findings in batch.column(findings_column).to_pylist():
        if findings is not None:
            total.add(document_counts(_Row(f) for f in findings))
    return pa.table({"counts": [json.dumps(total.to_dict())]})


class _Row:
    """A finding dict read back from a batch, seen as a Finding."""

    __slots__ = ("rule", "applied", "after")

    def __init__(self, d: dict[str, Any]):
        self.rule = d["rule"]
        self.applied = d["applied"]
        self.after = d["after"]


def rule_counts(ds: Any, findings_column: str = "findings") -> dict[str, Any]:
    """Per-rule totals of a findings column written by `clean_batch`.

    Each block is counted where it lives (one small row per batch comes back
    to the driver), and the totals merged: `{"rules": {rule: {"findings",
    "applied", "held", "documents"}}, "documents": n, "documents_changed": n}`,
    the shape of `redline check --statistics --format json`'s summary.
    """
    partial = ds.select_columns([findings_column]).map_batches(
        _batch_counts,
        batch_format="pyarrow",
        fn_kwargs={"findings_column": findings_column},
    )
    total = RuleCounts()
    for row in partial.iter_rows():
        total.merge(json.loads(row["counts"]))
    return total.to_dict()
