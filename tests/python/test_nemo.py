"""redline's NeMo Curator modifier in a real NeMo Curator pipeline.

NeMo Curator pulls in PyTorch and transformers (several GB), so it is not in
the default test environment and this test skips itself without it. To run
it (about 11 minutes and 6.4 GB for the install, then about a minute):

    python -m venv .venv-nemo
    .venv-nemo/bin/pip install ".[nemo,test]"
    .venv-nemo/bin/python -m pytest tests/python/test_nemo.py

A `Pipeline` (JSON Lines reader → `Modify(RedlineCounts(), output_fields=
"redline")` → `Modify(RedlineModifier())` → JSON Lines writer) runs on NeMo
Curator's Ray Data executor with 2 CPUs over the engine tests' corpus; the
texts must equal `redline clean --jsonl` byte for byte and the per-rule
counts `redline check --statistics`.
"""

from __future__ import annotations

import json

import pytest

from _engines import (  # noqa: F401 (fixtures)
    DOCUMENTS,
    assert_same_counts,
    assert_same_texts,
    corpus,
    need,
    redline_bin,
)


@pytest.fixture(scope="session")
def nemo():
    """Skips (before the corpus is built) where NeMo Curator is not installed."""
    need("nemo", "nemo_curator")


def test_nemo_curator_pipeline_on_ray(nemo, corpus, tmp_path):
    import ray
    from nemo_curator.backends.ray_data import RayDataExecutor
    from nemo_curator.pipeline import Pipeline
    from nemo_curator.stages.text.io.reader import JsonlReader
    from nemo_curator.stages.text.io.writer import JsonlWriter
    from nemo_curator.stages.text.modifiers import Modify

    from redline._counts import RuleCounts
    from redline.nemo import RedlineCounts, RedlineModifier

    out = tmp_path / "out"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        Pipeline(
            name="redline",
            stages=[
                JsonlReader(str(corpus.shards[0].parent), files_per_partition=1, fields=["id", "text"]),
                Modify(RedlineCounts(), input_fields="text", output_fields="redline"),
                Modify(RedlineModifier()),
                JsonlWriter(str(out)),
            ],
        ).run(executor=RayDataExecutor())
    finally:
        ray.shutdown()

    got, total = {}, RuleCounts()
    for path in sorted(out.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line:
                doc = json.loads(line)
                got[doc["id"]] = doc["text"]
                total.add(json.loads(doc["redline"]))
    assert len(got) == DOCUMENTS
    assert_same_texts(corpus, got, "nemo")
    assert_same_counts(corpus, total.to_dict(), "nemo")


def test_nemo_modifier_rejects_bad_options(nemo):
    from redline.nemo import RedlineModifier

    with pytest.raises(ValueError, match="disable"):
        RedlineModifier(disable=["no-such-pass"])
    assert RedlineModifier().modify_document("It ended.. Then") == "It ended. Then"
