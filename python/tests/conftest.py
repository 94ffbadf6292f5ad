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


def error_alerts(records):
    """The alerts at error severity that `losslens watch` (the binary under test, or the stand-in)
    raises on these records, fed at once."""
    import losslens
    from losslens._watch import record_line

    text = "".join(record_line(record) + "\n" for record in records)
    result = subprocess.run(
        [losslens.binary_path(), "watch", "-", "--input-format", "jsonl", "--fail-on", "never"],
        input=text.encode(), capture_output=True, timeout=120,
    )
    return [line for line in result.stderr.decode().splitlines() if line.startswith("losslens: error: ")]


def assert_stopped_at_the_alerting_epoch(records):
    """The run stopped in the epoch whose records raised the alert: the records up to the last
    epoch raise an error alert, those before it none."""
    assert records, "records were sent"
    last_epoch = records[-1].get("epoch")
    first_of_last = next(index for index, record in enumerate(records) if record.get("epoch") == last_epoch)
    assert error_alerts(records), f"the records sent raise an error alert: {records[-3:]}"
    assert not error_alerts(records[:first_of_last]), (
        f"an error alert was due before epoch {last_epoch}: the run was stopped late: {error_alerts(records[:first_of_last])}"
    )
