"""redline as a datatrove pipeline step: `RedlineFormatter`.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from redline.datatrove import RedlineFormatter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("raw/"),
        RedlineFormatter(),            # or RedlineFormatter(disable=["quotes"], apply="review")
        JsonlWriter("clean/"),
    ], tasks=4, workers=2, logging_dir="logs/").run()

A formatter in datatrove's sense (`BaseFormatter`, type `✂️ - FORMAT`): it
rewrites `doc.text` and keeps every document. On top of what a formatter such
as `FTFYFormatter` does, it says what it changed:

- `doc.metadata["redline"]` holds the document's counts per rule id,
  `{"punct.double-period": {"findings": 2, "applied": 2, "held": 0}, ...}`
  (JSON-serialisable; `{}` for a document without findings);
- the step's stats (datatrove's `stats.json` for the run) get, per rule id,
  `<rule>` = findings (its `n` is the number of documents with that rule),
  `<rule>/applied` and `<rule>/held` = fixes applied and held back (only when
  non-zero), `redline_changed` = documents whose text changed, next to the
  usual `total` and timing.

Those are the numbers `redline check --statistics` prints for the same
documents. This module imports datatrove; `import redline` does not.
"""

from __future__ import annotations

from typing import Iterable, Literal, Sequence

from datatrove.data import DocumentsPipeline  # type: ignore
from datatrove.pipeline.formatters.base import BaseFormatter  # type: ignore
from datatrove.utils.typeshelper import StatHints  # type: ignore

from . import Cleaner, NamesMap
from ._counts import document_counts

__all__ = ["RedlineFormatter"]


class RedlineFormatter(BaseFormatter):
    """Cleans `doc.text` with redline and records what each rule did.

    Keyword arguments are `redline.Cleaner`'s (the CLI's options, with its
    defaults: every default pass, safe fixes only). Bad values raise
    `ValueError` here, when the pipeline is built, not in the workers.
    `metadata_key` names the `doc.metadata` entry for the counts (`None`:
    none); `cleaner` passes a ready `redline.Cleaner` instead of options.
    """

    name = "🖍 redline"

    def __init__(
        self,
        *,
        only: Sequence[str] | None = None,
        enable: Sequence[str] | None = None,
        disable: Sequence[str] | None = None,
        apply: Literal["safe", "review"] = "safe",
        spelling: Literal["en-GB", "none"] | None = None,
        rule_files: Sequence[str] | None = None,
        names: NamesMap = "builtin",
        metadata_key: str | None = "redline",
        cleaner: Cleaner | None = None,
    ):
        super().__init__()
        if cleaner is None:
            cleaner = Cleaner(
                only=only,
                enable=enable,
                disable=disable,
                apply=apply,
                spelling=spelling,
                rule_files=rule_files,
                names=names,
            )
        self.cleaner = cleaner
        self.metadata_key = metadata_key

    def format(self, text: str) -> str:
        """The cleaned text (what `redline clean` writes)."""
        return self.cleaner.clean(text)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                text, findings = self.cleaner.clean_and_check(doc.text)
                counts = document_counts(findings)
            if text != doc.text:
                self.stat_update("redline_changed")
            doc.text = text
            if self.metadata_key is not None:
                doc.metadata[self.metadata_key] = counts
            for rule, c in counts.items():
                self.stat_update(rule, value=c["findings"])
                if c["applied"]:
                    self.stat_update(f"{rule}/applied", value=c["applied"])
                if c["held"]:
                    self.stat_update(f"{rule}/held", value=c["held"])
            yield doc


def stats_rule_counts(stats: dict | Iterable[dict]) -> dict[str, dict[str, int]]:
    """Per-rule counts read back from a datatrove `stats.json` (parsed).

    Takes the file's list of steps (or one step's dict) and returns, for the
    `RedlineFormatter` steps in it, `{rule: {"findings", "applied", "held",
    "documents"}}`, the shape of `redline check --statistics --format json`'s
    `summary.rules`. datatrove stores a counter as a plain number when every
    update added 1, and drops `n` when it equals the total; both are undone.
    """
    steps = [stats] if isinstance(stats, dict) else list(stats)
    rules: dict[str, dict[str, int]] = {}
    for step in steps:
        if not str(step.get("name", "")).endswith(RedlineFormatter.name):
            continue
        values = step.get("stats", {})
        for key, metric in values.items():
            rule, _, kind = key.partition("/")
            if "." not in rule or kind not in ("", "applied", "held"):
                continue  # `total`, `redline_changed`, other keys
            total, n = _total_and_n(metric)
            entry = rules.setdefault(
                rule, {"findings": 0, "applied": 0, "held": 0, "documents": 0}
            )
            if kind == "":
                entry["findings"] += total
                entry["documents"] += n
            else:
                entry[kind] += total
    return {rule: rules[rule] for rule in sorted(rules)}


def _total_and_n(metric) -> tuple[int, int]:
    if isinstance(metric, (int, float)):
        # Only totals are kept when every update was 1 (n == total).
        return int(metric), int(metric)
    total = metric.get("total", 0)
    if "n" in metric:
        return int(total), int(metric["n"])
    mean = metric.get("mean")
    n = round(total / mean) if mean else 1
    return int(total), int(n)
