"""What the three callbacks share: options, the watcher, stopping and the report at the end."""

import sys
from typing import Any, Dict, List, Optional

from ._watch import Watcher, stop_message


class CallbackCore:
    """The framework-free half of a callback. ``stop_on``: the alert severity that stops training
    (``"error"`` by default; ``None`` only alerts). ``report_path``: where the full report is written
    when training ends. ``log_every_n_steps``: a step record every n optimizer steps (0: none).
    ``arguments``: more ``losslens watch`` options, e.g. ``["--ignore", "spike"]``."""

    def __init__(
        self,
        stop_on: Optional[str] = "error",
        report_path: Optional[str] = None,
        log_every_n_steps: int = 50,
        arguments: Optional[List[str]] = None,
        alert_wait: float = 0.25,
        verbose: bool = True,
    ) -> None:
        self.stop_on = stop_on
        self.report_path = report_path
        self.log_every_n_steps = log_every_n_steps
        self.verbose = verbose
        self.watcher = Watcher(stop_on=stop_on, report_path=report_path, arguments=arguments, alert_wait=alert_wait)
        self.stopped_epoch: Optional[int] = None
        self._announced = False
        self._current_epoch: Optional[Any] = None

    @property
    def alerts(self):
        """Every alert watch raised so far (``losslens._watch.Alert``)."""
        return list(self.watcher.alerts)

    @property
    def stopping_alert(self):
        return self.watcher.stopping_alert

    def _begin(self) -> None:
        self.watcher.start()

    def _send(self, record: Dict[str, Any], wait: bool = False) -> bool:
        """Sends a record; True when training should stop now."""
        self._current_epoch = record.get("epoch", self._current_epoch)
        self.watcher.send(record, wait=wait)
        return self._check()

    def _check(self) -> bool:
        alert = self.watcher.stopping_alert
        if alert is None:
            return False
        if not self._announced:
            self._announced = True
            if self.verbose:
                sys.stderr.write(stop_message(alert, self._display_epoch()) + "\n")
                sys.stderr.flush()
        return True

    def _display_epoch(self):
        """The epoch last sent, as a person counts it (1-based for a framework that counts from 0)."""
        return self._current_epoch

    def _end(self) -> None:
        self.watcher.close()


def lazy_callback_class(module_name: str, make_class):
    """A module ``__getattr__`` that makes ``LossLensCallback`` with ``make_class`` on first use, so
    that importing ``losslens.keras`` (or ``.lightning``, ``.transformers``) imports no framework."""
    made = {}

    def __getattr__(name):
        if name == "LossLensCallback":
            if name not in made:
                made[name] = make_class()
            return made[name]
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__

