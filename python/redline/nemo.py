"""redline as a NeMo Curator `DocumentModifier`: `RedlineModifier`.

    from nemo_curator.stages.text.modifiers import Modify
    from redline.nemo import RedlineModifier

    pipeline.add_stage(Modify(RedlineModifier()))                 # cleans "text" in place
    pipeline.add_stage(Modify(RedlineModifier(disable=["quotes"]), input_fields="body"))

It takes the place of NeMo Curator's ftfy-based `UnicodeReformatter`.
NeMo Curator's `Modify` stage calls `modify_document` once per row; a
`RedlineCounts` modifier alongside writes each row's per-rule counts as JSON
text to another field (`Modify(RedlineCounts(), input_fields="text",
output_fields="redline")`, placed *before* the cleaning one so it sees the
original text).

Both NeMo Curator 1.x (`nemo_curator.stages.text.modifiers`, on Ray) and the
older Dask releases (`nemo_curator.modifiers`) are supported. NeMo Curator is
a large install (PyTorch, transformers: several GB), so it is an extra
(`pip install "redline[nemo]"`) and its test runs only where it is installed
(`pytest tests/python/test_nemo.py`). `import redline` never imports it.
"""

from __future__ import annotations

import json
from typing import Literal, Sequence

try:
    from nemo_curator.stages.text.modifiers import DocumentModifier  # type: ignore
except ImportError:  # NeMo Curator before 1.0 (Dask)
    from nemo_curator.modifiers import DocumentModifier  # type: ignore

from . import Cleaner, NamesMap
from ._counts import document_counts

__all__ = ["RedlineModifier", "RedlineCounts"]


def _build(cleaner: Cleaner | None, **options) -> Cleaner:
    return cleaner if cleaner is not None else Cleaner(**options)


class RedlineModifier(DocumentModifier):
    """Cleans each document's text with redline (`redline clean`).

    Keyword arguments are `redline.Cleaner`'s, with the CLI's defaults, or a
    ready `cleaner`. Bad values raise `ValueError` when the stage is built.
    """

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
        cleaner: Cleaner | None = None,
    ):
        super().__init__()
        self.cleaner = _build(
            cleaner,
            only=only,
            enable=enable,
            disable=disable,
            apply=apply,
            spelling=spelling,
            rule_files=rule_files,
            names=names,
        )

    def modify_document(self, text: str) -> str:
        return self.cleaner.clean(text)


class RedlineCounts(DocumentModifier):
    """Each document's findings per rule id, as JSON text.

    `{"punct.double-period": {"findings": 2, "applied": 2, "held": 0}}` (`{}`
    without findings): what the same options' `RedlineModifier` changes and
    flags in that text.
    """

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
        cleaner: Cleaner | None = None,
    ):
        super().__init__()
        self.cleaner = _build(
            cleaner,
            only=only,
            enable=enable,
            disable=disable,
            apply=apply,
            spelling=spelling,
            rule_files=rule_files,
            names=names,
        )

    def modify_document(self, text: str) -> str:
        return json.dumps(document_counts(self.cleaner.check(text)), sort_keys=True)
