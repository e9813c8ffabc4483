"""Per-rule counts shared by the engine integrations.

Every integration reports the same numbers as `redline check --statistics`
(`--format json`, its `summary`): per rule id, `findings` (fixes and flags),
`applied`, `held` (a fix not applied: below `apply`, or overlapping another
fix) and `documents` (documents with at least one finding of the rule), plus
`documents` and `documents_changed` in total. Keeping the shape identical lets
a pipeline's totals be checked against the command line's.

This module counts; `clean_and_check` is its one helper that calls the
engine, for a batch of texts.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

#: The per-document counts kept for each rule, in this order.
COUNT_KEYS = ("findings", "applied", "held")


def document_counts(findings: Iterable[Any]) -> dict[str, dict[str, int]]:
    """Counts of one document's findings per rule id (JSON-serialisable).

    `{"punct.double-period": {"findings": 2, "applied": 2, "held": 0}}`;
    an empty dict for a document without findings.
    """
    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        entry = counts.get(f.rule)
        if entry is None:
            entry = counts[f.rule] = {"findings": 0, "applied": 0, "held": 0}
        entry["findings"] += 1
        if f.applied:
            entry["applied"] += 1
        elif f.after is not None:
            # A fix (it has replacement text) that was not applied; flags
            # have no `after` and count only as findings, as in the CLI.
            entry["held"] += 1
    return counts


def changed(counts: Mapping[str, Mapping[str, int]]) -> bool:
    """Whether a document with these counts was changed by cleaning."""
    return any(c.get("applied", 0) for c in counts.values())


class RuleCounts:
    """Totals over many documents, mergeable across workers and partitions.

    `to_dict()` has the shape of the CLI's `--statistics --format json`
    summary without its timing fields: `{"rules": {rule: {"findings",
    "applied", "held", "documents"}}, "documents": n, "documents_changed": n}`.
    """

    __slots__ = ("rules", "documents", "documents_changed")

    def __init__(self) -> None:
        self.rules: dict[str, dict[str, int]] = {}
        self.documents = 0
        self.documents_changed = 0

    def add(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        """Adds one document, given its `document_counts`."""
        self.documents += 1
        if changed(counts):
            self.documents_changed += 1
        for rule, c in counts.items():
            total = self.rules.get(rule)
            if total is None:
                total = self.rules[rule] = {
                    "findings": 0,
                    "applied": 0,
                    "held": 0,
                    "documents": 0,
                }
            for key in COUNT_KEYS:
                total[key] += int(c.get(key, 0))
            total["documents"] += 1

    def merge(self, other: "RuleCounts | Mapping[str, Any]") -> "RuleCounts":
        """Adds another total (a `RuleCounts` or its `to_dict()`); returns self."""
        if isinstance(other, RuleCounts):
            other = other.to_dict()
        self.documents += int(other.get("documents", 0))
        self.documents_changed += int(other.get("documents_changed", 0))
        for rule, c in other.get("rules", {}).items():
            total = self.rules.setdefault(
                rule, {"findings": 0, "applied": 0, "held": 0, "documents": 0}
            )
            for key in total:
                total[key] += int(c.get(key, 0))
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": {rule: dict(self.rules[rule]) for rule in sorted(self.rules)},
            "documents": self.documents,
            "documents_changed": self.documents_changed,
        }

    def __repr__(self) -> str:
        return f"RuleCounts({self.to_dict()!r})"


def clean_and_check(
    cleaner: Any, texts: Sequence[str], threads: int | None = 1
) -> tuple[list[str], list[list[Any]]]:
    """Cleaned texts and every text's findings, in input order.

    On one thread (what engine workers use: the engine runs one worker per
    core), one `Cleaner.clean_and_check` per text: a single run gives both.
    On more threads, one parallel `check_batch` over all texts, then one
    `clean_batch` over only those with an applied fix (a text without one
    comes out of `clean` unchanged).
    """
    if threads == 1:
        cleaned, findings = [], []
        for text in texts:
            out, found = cleaner.clean_and_check(text)
            cleaned.append(out)
            findings.append(found)
        return cleaned, findings
    findings = cleaner.check_batch(list(texts), threads=threads)
    cleaned = list(texts)
    dirty = [i for i, fs in enumerate(findings) if any(f.applied for f in fs)]
    if dirty:
        out = cleaner.clean_batch([texts[i] for i in dirty], threads=threads)
        for i, text in zip(dirty, out):
            cleaned[i] = text
    return cleaned, findings
