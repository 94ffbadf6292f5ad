"""The callbacks' protocol with watch, without a framework: records, waiting for the verdict,
stopping, the report. Against the stand-in watch (always) and the real binary (when it reads JSON
lines)."""

import json
import math
import sys
from pathlib import Path

import pytest

from losslens._watch import Watcher, record_line, number
from conftest import assert_stopped_at_the_alerting_epoch


@pytest.fixture(params=["fake", "real"])
def watch_binary(request, tmp_path, monkeypatch):
    if request.param == "fake":
        wrapper = tmp_path / "fake-losslens"
        wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).with_name('fake_watch.py')} \"$@\"\n")
        wrapper.chmod(0o755)
        monkeypatch.setenv("LOSSLENS_BINARY", str(wrapper))
        monkeypatch.setenv("FAKE_WATCH_RECORDS", str(tmp_path / "records.json"))
    else:
        request.getfixturevalue("needs_jsonl_reader")
    return request.param


def test_records_are_json_lines_with_nan_tokens():
    line = record_line({"kind": "epoch", "epoch": 0, "loss": float("nan"), "val_loss": float("inf")})
    assert line == '{"kind": "epoch", "epoch": 0, "loss": NaN, "val_loss": Infinity}'
    assert "\n" not in line


def test_numbers_from_frameworks():
    class Scalar:
        shape = ()

        def item(self):
            return 2.5

    assert number(Scalar()) == 2.5
    assert number(True) is None and number("x") is None and number([1, 2]) is None
    assert math.isnan(number(float("nan")))


def test_a_blowing_up_run_is_stopped_at_the_epoch_of_the_alert(watch_binary, tmp_path, capsys):
    report = tmp_path / "report.md"
    watcher = Watcher(stop_on="error", report_path=str(report), alert_wait=2.0)
    watcher.history = []
    watcher.start()
    losses = [2.3, 2.0, 1.9, 3.5, 40.0, 900.0, 2e5, float("inf"), float("nan"), float("nan"), float("nan"), float("nan")]
    stopped = None
    for epoch, loss in enumerate(losses):
        watcher.send({"kind": "epoch", "epoch": epoch, "loss": loss, "val_loss": loss * 1.1}, wait=True)
        if watcher.should_stop:
            stopped = epoch
            break
    watcher.close()
    assert stopped is not None, "the run was stopped"
    alert = watcher.stopping_alert
    assert alert.severity == "error"
    assert stopped < len(losses) - 1
    assert_stopped_at_the_alerting_epoch(watcher.history)
    assert report.is_file()
    assert alert.line in capsys.readouterr().err, "the alert was printed"


def test_a_healthy_run_is_not_stopped(watch_binary, tmp_path):
    watcher = Watcher(stop_on="error", report_path=str(tmp_path / "report.json"))
    for epoch in range(12):
        loss = 2.3 * 0.8 ** epoch
        watcher.send({"kind": "epoch", "epoch": epoch, "loss": loss, "val_loss": loss * 1.05}, wait=True)
        assert not watcher.should_stop, watcher.alerts
    assert watcher.close() == 0
    if watch_binary == "real":
        report = json.loads((tmp_path / "report.json").read_text())
        assert report["runs"][0]["epochs"] == 12
        assert not [f for f in report["runs"][0]["findings"] if f["severity"] == "error"]


def test_stop_on_none_only_alerts(watch_binary):
    watcher = Watcher(stop_on=None, alert_wait=1.0)
    for epoch, loss in enumerate([1.0, 0.9, float("nan"), float("nan"), float("nan"), float("nan")]):
        watcher.send({"kind": "epoch", "epoch": epoch, "loss": loss}, wait=True)
    watcher.close()
    assert not watcher.should_stop
    assert any(alert.severity == "error" for alert in watcher.alerts)


def test_a_bad_stop_on_is_refused():
    with pytest.raises(ValueError):
        Watcher(stop_on="fatal")
