"""Type stubs for redline (the native classes live in ``redline._redline``)."""

import os
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, Union, final

__all__ = ["Cleaner", "Finding", "check", "clean", "count_rules", "__version__"]

__version__: str

Selector = Union[str, Iterable[str]]
"""Pass or rule names: one string (comma-separated, as on the command line) or
an iterable of them, e.g. ``"quotes"``, ``"punct.double-period,unicode"``,
``["quotes", "variants.en-gb"]``."""

RuleFile = Union[str, "os.PathLike[str]", Tuple[str, str]]
"""A rule file: a path (``os.PathLike``, or a ``str`` without a newline), the
rule file's TOML text (a ``str`` with a newline), or a ``(name, toml_text)``
pair. Paths are read when the ``Cleaner`` is built."""

NamesMap = Union[Literal["builtin", "none"], RuleFile]
"""The names map (``--names``): ``"builtin"`` (the default), ``"none"`` (no
names map: the ``variants.name`` rule stays known but is off and empty), or a
names map given the way a ``RuleFile`` is (e.g. one written by ``redline names
--format toml``), which *replaces* the built-in map."""

@final
class Finding:
    """One finding, placed in the original text.

    ``start``/``end`` are code-point offsets (Python ``str`` indices) of the
    range of the *original* text the finding is about: the fix's range for a
    fix, the finding's span for a flag. ``before`` is that text as the pass that
    reported it saw it, so ``text[f.start:f.end] == f.before`` unless an earlier
    applied fix overlapped it; ``after`` is what the fix puts there (``None``
    for a flag).
    """

    @property
    def rule(self) -> str:
        """The rule id, e.g. ``"punct.double-period"``."""
    @property
    def pass_name(self) -> str:
        """The pass that reported it, e.g. ``"punctuation"``."""
    @property
    def message(self) -> str:
        """What is wrong and what the fix does, for people."""
    @property
    def applicability(self) -> Literal["safe", "review", "flag"]:
        """``"safe"`` (applied by default), ``"review"`` (applied with
        ``apply="review"``) or ``"flag"`` (no fix, only reported)."""
    @property
    def applied(self) -> bool:
        """Whether the fix is in the cleaned text."""
    @property
    def before(self) -> str:
        """The text the finding is about."""
    @property
    def after(self) -> Optional[str]:
        """What the fix puts in place of ``before``; ``None`` for a flag."""
    @property
    def start(self) -> int:
        """First code point of the range in the original text."""
    @property
    def end(self) -> int:
        """One past the last code point of the range in the original text."""
    @property
    def byte_start(self) -> int:
        """``start`` as a UTF-8 byte offset."""
    @property
    def byte_end(self) -> int:
        """``end`` as a UTF-8 byte offset."""
    @property
    def line(self) -> int:
        """1-based line in the original text (as ``redline check`` prints it)."""
    @property
    def column(self) -> int:
        """1-based column, in characters (as ``redline check`` prints it)."""
    def __new__(
        cls,
        rule: str,
        pass_name: str,
        message: str,
        applicability: Literal["safe", "review", "flag"],
        applied: bool,
        before: str,
        after: Optional[str],
        start: int,
        end: int,
        byte_start: int,
        byte_end: int,
        line: int,
        column: int,
    ) -> "Finding":
        """Findings come from ``Cleaner.check``; building one by hand (or
        unpickling) takes every attribute, in ``to_dict`` order."""
    def to_dict(self) -> Dict[str, Any]:
        """The attributes as a JSON-serialisable dict."""
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cleaner:
    """A cleaning engine, built once from options and used for many texts,
    from many threads.

    The options mean what the command line's options of the same names mean,
    and fail the same way (``ValueError`` whose message starts with the option's
    name, e.g. ``"disable: unknown pass or rule `grammar`; ..."``). No
    ``redline.toml`` is read.

    :param only: run only these passes or rules (``--only``).
    :param enable: switch on passes or rules that are off by default (``--enable``).
    :param disable: switch off passes or rules (``--disable``).
    :param apply: ``"safe"`` (default) or ``"review"``: how far fixes apply (``--apply``).
    :param spelling: ``None``/``"none"`` or ``"en-GB"``: house spelling (``--spelling``).
    :param rule_files: extra rule files (``rule-files`` in ``redline.toml``), see ``RuleFile``.
    :param names: the names map (``--names``), see ``NamesMap``: ``"builtin"``,
        ``"none"``, or a names map (path, TOML text or ``(name, toml_text)``)
        used *instead of* the built-in map.
    :param encoding: decode ``clean_bytes`` input with this WHATWG label instead of
        detecting it (``--encoding``).
    """

    def __new__(
        cls,
        *,
        only: Optional[Selector] = None,
        enable: Optional[Selector] = None,
        disable: Optional[Selector] = None,
        apply: Literal["safe", "review"] = "safe",
        spelling: Optional[Literal["en-GB", "none"]] = None,
        rule_files: Optional[Union[RuleFile, Sequence[RuleFile]]] = None,
        names: NamesMap = "builtin",
        encoding: Optional[str] = None,
    ) -> "Cleaner": ...
    def clean(self, text: str) -> str:
        """The cleaned text: what ``redline clean`` writes for it (``text``
        itself, the same object, when nothing changed)."""
    def check(self, text: str) -> List[Finding]:
        """Every finding (applied fixes, fixes held back, flags) in the order
        ``redline check`` lists them."""
    def clean_and_check(self, text: str) -> Tuple[str, List[Finding]]:
        """The cleaned text and every finding, from one run."""
    def clean_with_counts(self, text: str) -> Tuple[str, Dict[str, int]]:
        """The cleaned text and the number of findings per rule id (summed over
        documents: the ``findings`` column of ``redline check --statistics``)."""
    def clean_bytes(self, data: Union[bytes, bytearray]) -> str:
        """Decode ``data`` as the command line does (byte-order mark, UTF-8,
        else the legacy encoding detected, e.g. windows-1252; or ``encoding``)
        and clean it. Bytes invalid in the encoding raise ``UnicodeDecodeError``
        (whose reason says where and what to do), binary data (a NUL byte
        without a UTF-16 byte-order mark) ``ValueError``."""
    def clean_batch(self, texts: Iterable[str], threads: Optional[int] = None) -> List[str]:
        """``[clean(t) for t in texts]``, in parallel without the GIL on
        ``threads`` threads (``None``: all cores). Same result for every
        ``threads``; a text left unchanged is returned as the same object."""
    def check_batch(
        self, texts: Iterable[str], threads: Optional[int] = None
    ) -> List[List[Finding]]:
        """``[check(t) for t in texts]``, in parallel (see ``clean_batch``)."""
    def clean_batch_with_counts(
        self, texts: Iterable[str], threads: Optional[int] = None
    ) -> List[Tuple[str, Dict[str, int]]]:
        """``[clean_with_counts(t) for t in texts]``, in parallel."""
    @property
    def passes(self) -> List[str]:
        """The passes that run, in order."""
    @property
    def only(self) -> List[str]: ...
    @property
    def enable(self) -> List[str]: ...
    @property
    def disable(self) -> List[str]: ...
    @property
    def apply(self) -> Literal["safe", "review"]: ...
    @property
    def spelling(self) -> Optional[Literal["en-GB"]]: ...
    @property
    def encoding(self) -> Optional[str]: ...
    @property
    def rule_files(self) -> List[Tuple[str, str]]:
        """The extra rule files as ``(name, toml_text)`` pairs."""
    @property
    def names(self) -> Union[Literal["builtin", "none"], Tuple[str, str]]:
        """The names map: ``"builtin"``, ``"none"`` or ``(name, toml_text)``
        (a path is read when the ``Cleaner`` is built)."""
    def options(self) -> Dict[str, Any]:
        """Keyword arguments that build an equal ``Cleaner`` (what it pickles as)."""
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def clean(text: str) -> str:
    """Clean ``text`` with the default options (a cached engine)."""

def check(text: str) -> List[Finding]:
    """Every finding in ``text`` with the default options."""

def count_rules(findings: Iterable[Finding]) -> Dict[str, int]:
    """Count findings per rule id (the ``findings`` column of
    ``redline check --statistics``)."""

def _rebuild_cleaner(options: Mapping[str, Any]) -> Cleaner: ...
