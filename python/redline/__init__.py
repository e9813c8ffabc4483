"""redline: clean article text and say exactly what changed.

The cleaning runs in Rust; this package is a thin layer over it::

    import redline

    redline.clean("It ended.. “Quote”")            # default options, cached engine
    cleaner = redline.Cleaner(disable=["quotes"], apply="review")
    redline.Cleaner(names="our-names.toml")        # a names map instead of the built-in one
    cleaner.clean(text)                            # -> str
    for f in cleaner.check(text):                  # -> list[Finding]
        print(f.rule, f.start, f.end, f.before, f.after, f.applied)
    cleaner.clean_batch(texts, threads=4)          # parallel, GIL released
    cleaner.clean_bytes(raw)                       # decodes legacy encodings

``Finding.start``/``Finding.end`` are code-point offsets into the original
text, so ``text[f.start:f.end] == f.before`` for a fix that no earlier fix
overlapped. A ``Cleaner`` pickles as its options (rule files as their text), so
it can be shipped to Spark, datatrove and Ray workers.

Options mean what the command line's options mean (``redline --help``);
``redline rules`` lists the passes and rules.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any, Dict, Iterable, Literal, Mapping, Tuple, Union

from redline._redline import Cleaner, Finding, __version__
from redline._redline import check as _check
from redline._redline import clean as _clean

#: Pass or rule names: one string (comma-separated, as on the command line) or
#: an iterable of them, e.g. ``"quotes"``, ``["quotes", "variants.en-gb"]``.
Selector = Union[str, Iterable[str]]

#: A rule file: a path (``os.PathLike``, or a ``str`` without a newline), the
#: rule file's TOML text (a ``str`` with a newline), or a ``(name, toml_text)``
#: pair. Paths are read when the ``Cleaner`` is built, so a pickled ``Cleaner``
#: carries the rules' text, not a path the worker may not have.
RuleFile = Union[str, "os.PathLike[str]", Tuple[str, str]]

#: The names map (``--names``): ``"builtin"`` (the default), ``"none"`` (the
#: ``variants.name`` rule stays known but is off and empty), or a names map given
#: the way a ``RuleFile`` is (e.g. one written by ``redline names --format toml``),
#: which *replaces* the built-in map. A path is read when the ``Cleaner`` is
#: built, so a pickled ``Cleaner`` carries the map's text.
NamesMap = Union[Literal["builtin", "none"], RuleFile]

__all__ = [
    "Cleaner",
    "Finding",
    "check",
    "clean",
    "count_rules",
    "__version__",
]


def clean(text: str) -> str:
    """Clean ``text`` with the default options (what ``redline clean`` does).

    The engine is built on the first call and reused, from every thread.
    """
    return _clean(text)


def check(text: str) -> list[Finding]:
    """Every finding in ``text`` with the default options (see ``Cleaner.check``)."""
    return _check(text)


def count_rules(findings: Iterable[Finding]) -> Dict[str, int]:
    """Count findings per rule id, e.g. ``{"punct.double-period": 2}``.

    Over all findings of a corpus this equals the ``findings`` column of
    ``redline check --statistics`` (applied fixes, fixes held back and flags
    all count). ``Cleaner.clean_with_counts`` gives the same per document
    without building ``Finding`` objects.
    """
    return dict(Counter(f.rule for f in findings))


# Cleaners unpickled in this process, by options. Engines unpickle the same
# Cleaner once per task or batch (Spark ships a UDF's closure with every task);
# a Cleaner is immutable and thread-safe, so one is built per process and
# options, not one per task (building the en-GB map takes about 0.1 s).
_unpickled: Dict[str, Cleaner] = {}
_UNPICKLED_MAX = 16


def _rebuild_cleaner(options: Mapping[str, Any]) -> Cleaner:
    """Unpickle a ``Cleaner`` from its options (see ``Cleaner.__reduce__``)."""
    key = repr(sorted(options.items()))
    cleaner = _unpickled.get(key)
    if cleaner is None:
        cleaner = Cleaner(**options)
        if len(_unpickled) >= _UNPICKLED_MAX:
            _unpickled.clear()
        _unpickled[key] = cleaner
    return cleaner
