"""The part of the training callbacks that no framework needs: a ``losslens watch`` subprocess fed
JSON-lines records, whose alerts are read back.

Records follow the JSON-lines input format (``--input-format jsonl``)::

    {"kind": "step", "epoch": 0, "step": 10, "loss": 2.30, "lr": 0.001}
    {"kind": "epoch", "epoch": 0, "loss": 2.2, "accuracy": 0.21, "val_loss": 2.05, "val_accuracy": 0.30}
    {"kind": "eval", "epoch": 1.0, "step": 500, "eval_loss": 0.48, "eval_accuracy": 0.81}

watch copies its input to standard output and writes alerts to standard error as
``losslens: error: RULE at epoch N (line L): message``. After an epoch or evaluation record the
callback waits until watch has read the record back (its copy on standard output) and then, for at
most ``alert_wait`` seconds, for an alert: so a run is stopped at the epoch whose record raised the
alert, not one or two epochs later.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, TextIO

from ._binary import binary_path

SEVERITIES = ("info", "warning", "error")
_ALERT = re.compile(r"^losslens: (error|warning|info): (\S+)(?: at epoch (\d+))?")
_FORMATS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "text", ".xml": "junit", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class Alert:
    """One alert of ``losslens watch``: its severity, rule, the epoch it names and the whole line."""

    severity: str
    rule: str
    epoch: Optional[int]
    line: str

    def at_least(self, severity: str) -> bool:
        return SEVERITIES.index(self.severity) >= SEVERITIES.index(severity)


def number(value: Any) -> Optional[float]:
    """A metric value as a float: Python and numpy numbers, 0-d arrays and tensors; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item):
        try:
            shape = getattr(value, "shape", ())
            if shape is None or len(tuple(shape)) == 0 or int(getattr(value, "size", 1) or 1) == 1:
                result = item()
                return float(result) if isinstance(result, (int, float)) and not isinstance(result, bool) else None
        except (TypeError, ValueError, RuntimeError):
            return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def record_line(record: Dict[str, Any]) -> str:
    """A record as one JSON line: NaN and infinities as JSON's ``NaN`` / ``Infinity`` tokens."""
    return json.dumps(record, allow_nan=True, separators=(", ", ": "))


class Watcher:
    """A ``losslens watch --input-format jsonl`` process and the alerts it printed.

    ``stop_on``: the severity at or above which ``should_stop`` becomes true (``"error"``,
    ``"warning"``, ``"info"``; ``None`` never stops). ``report_path``: where watch writes its full
    report at the end (the format follows the suffix: .md, .json, .txt, .xml, .jsonl; markdown
    otherwise); without it watch prints a text summary on standard error. ``arguments``: more
    options for watch (``["--ignore", "spike"]``). Alerts are printed to ``stream``.
    """

    def __init__(
        self,
        stop_on: Optional[str] = "error",
        report_path: Optional[str] = None,
        arguments: Optional[List[str]] = None,
        alert_wait: float = 0.25,
        stream: Optional[TextIO] = None,
        binary: Optional[str] = None,
    ) -> None:
        if stop_on is not None and stop_on not in SEVERITIES:
            raise ValueError(f"stop_on must be one of {', '.join(SEVERITIES)} or None, not {stop_on!r}")
        self.stop_on = stop_on
        self.report_path = os.fspath(report_path) if report_path is not None else None
        self.arguments = list(arguments or [])
        self.alert_wait = alert_wait
        self.stream = stream
        self.binary = binary
        self.alerts: List[Alert] = []
        self.stopping_alert: Optional[Alert] = None
        self.returncode: Optional[int] = None
        self._process: Optional[subprocess.Popen] = None
        self._sent = 0
        self._echoed = 0
        self._changed = threading.Condition()
        self._threads: List[threading.Thread] = []
        self._broken = False
        # The records sent, when a caller asks for them by setting a list here (tests do).
        self.history: Optional[List[Dict[str, Any]]] = None

    # The process ---------------------------------------------------------------------------

    def start(self) -> "Watcher":
        if self._process is not None:
            return self
        command = [self.binary or binary_path(), "watch", "-", "--input-format", "jsonl", "--fail-on", "never"]
        if self.report_path is not None:
            Path(self.report_path).parent.mkdir(parents=True, exist_ok=True)
            report_format = _FORMATS.get(Path(self.report_path).suffix.lower(), "markdown")
            command += ["--output", self.report_path, "--format", report_format]
        command += self.arguments
        # watch's copy of its input is counted line by line: nothing may be added to it, as a CI's
        # stop-command window would be.
        environment = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY")}
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=environment
        )
        for target in (self._read_copies, self._read_alerts):
            thread = threading.Thread(target=target, name=f"losslens-{target.__name__}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _read_copies(self) -> None:
        """Counts the lines watch copied back: a line copied is a line watch has read."""
        assert self._process is not None and self._process.stdout is not None
        for chunk in iter(lambda: self._process.stdout.read(65536), b""):
            with self._changed:
                self._echoed += chunk.count(b"\n")
                self._changed.notify_all()
        with self._changed:
            self._broken = True
            self._changed.notify_all()

    def _read_alerts(self) -> None:
        """Prints what watch says on standard error and keeps its alerts."""
        assert self._process is not None and self._process.stderr is not None
        for raw in iter(self._process.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            stream = self.stream or sys.stderr
            try:
                stream.write(line + "\n")
                stream.flush()
            except (OSError, ValueError):
                pass
            match = _ALERT.match(line)
            if match is None:
                continue
            alert = Alert(match.group(1), match.group(2), int(match.group(3)) if match.group(3) else None, line)
            with self._changed:
                self.alerts.append(alert)
                if self.stopping_alert is None and self.stop_on is not None and alert.at_least(self.stop_on):
                    self.stopping_alert = alert
                self._changed.notify_all()

    # Records -------------------------------------------------------------------------------

    def send(self, record: Dict[str, Any], wait: bool = False) -> None:
        """Writes one record. ``wait``: block until watch has read it and had ``alert_wait``
        seconds to alert on it (an alert at or above ``stop_on`` ends the wait at once)."""
        if self._process is None:
            self.start()
        assert self._process is not None and self._process.stdin is not None
        if self._broken or self._process.poll() is not None:
            return
        try:
            self._process.stdin.write((record_line(record) + "\n").encode("utf-8"))
            self._process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            self._broken = True
            return
        self._sent += 1
        if self.history is not None:
            self.history.append(record)
        if wait:
            self.wait_for_verdict()

    def wait_for_verdict(self, read_timeout: float = 30.0) -> None:
        target = self._sent
        with self._changed:
            deadline = time.monotonic() + read_timeout
            while self._echoed < target and not self._broken and self.stopping_alert is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            deadline = time.monotonic() + self.alert_wait
            while self.stopping_alert is None and not self._broken:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)

    @property
    def should_stop(self) -> bool:
        return self.stopping_alert is not None

    def close(self, timeout: float = 120.0) -> Optional[int]:
        """Ends the input; watch writes its report and exits. Returns its exit status."""
        if self._process is None:
            return None
        if self._process.stdin is not None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
        try:
            self.returncode = self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self.returncode = self._process.wait()
        for thread in self._threads:
            thread.join(5)
        self._process = None
        return self.returncode


def finite_metrics(logs: Optional[Dict[str, Any]], drop=()) -> Dict[str, float]:
    """The numeric entries of a framework's logs, as floats (NaN and infinities kept)."""
    metrics: Dict[str, float] = {}
    for key, value in (logs or {}).items():
        if key in drop:
            continue
        converted = number(value)
        if converted is not None:
            metrics[str(key)] = converted
    return metrics


def stop_message(alert: Alert, epoch: Optional[Any] = None) -> str:
    """What the callback says when it stops training. The alert's epoch is where the problem
    starts (a divergence from its minimum), which can be before the epoch that revealed it."""
    after = f" after epoch {epoch}" if epoch is not None else ""
    since = f" (since epoch {alert.epoch})" if alert.epoch is not None else ""
    return f"losslens: stopping training{after}: {alert.rule}{since}"


__all__ = ["Alert", "Watcher", "finite_metrics", "number", "record_line", "stop_message"]
