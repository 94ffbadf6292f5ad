"""Shared test helpers: the binary under test and whether it reads the JSON-lines records.

The tests run against the installed wheel (``losslens.binary_path()``), or the binary named by
LOSSLENS_BINARY. The callback tests need ``losslens watch --input-format jsonl``, which comes with
the JSON-lines reader; on a binary without it they are skipped, saying so.
"""

import functools
import os
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SAMPLES = REPOSITORY / "samples"


@functools.lru_cache(maxsize=None)
def jsonl_reader_missing():
    """None when the binary reads JSON lines; otherwise why not."""
    import losslens

    try:
        binary = losslens.binary_path()
    except losslens.LossLensError as error:
        return str(error)
    record = '{"kind": "epoch", "epoch": 0, "loss": 1.0}\n{"kind": "epoch", "epoch": 1, "loss": 0.5}\n'
    result = subprocess.run(
        [binary, "parse", "--input-format", "jsonl", "-"], input=record.encode(), capture_output=True, timeout=60
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        return (
            f"{binary} has no JSON-lines reader (losslens parse --input-format jsonl exits {result.returncode}: "
            f"{message[0] if message else ''}); it comes with the formats work"
        )
    return None


@pytest.fixture
def needs_jsonl_reader():
    reason = jsonl_reader_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def quiet_frameworks(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "jax"))
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    monkeypatch.setenv("WANDB_DISABLED", "true")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
