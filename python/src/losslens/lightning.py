"""``losslens.lightning.LossLensCallback``: a PyTorch Lightning callback (``lightning.pytorch`` or
``pytorch_lightning``) that feeds ``losslens watch`` and stops ``Trainer.fit`` at an alert.

    from losslens.lightning import LossLensCallback
    trainer = Trainer(max_epochs=50, callbacks=[LossLensCallback(report_path="losslens.md")])

One record per training epoch (``trainer.callback_metrics`` after validation: what the module
logged, ``val_*`` included; ``_epoch`` suffixes dropped, ``_step`` values left out), a step record
every ``log_every_n_steps`` optimizer steps with the step's loss and learning rate. Lightning is
imported only when ``LossLensCallback`` is first used.
"""

from ._callback import CallbackCore, lazy_callback_class
from ._watch import number



def _epoch_metrics(trainer):
    metrics = {}
    for key, value in dict(trainer.callback_metrics).items():
        if key.endswith("_step"):
            continue
        converted = number(value)
        if converted is None:
            continue
        name = key[: -len("_epoch")] if key.endswith("_epoch") else key
        metrics[name] = converted
    return metrics


def _step_loss(outputs):
    if isinstance(outputs, dict):
        outputs = outputs.get("loss")
    return number(outputs.detach() if hasattr(outputs, "detach") else outputs) if outputs is not None else None


def _learning_rate(trainer):
    try:
        return float(trainer.optimizers[0].param_groups[0]["lr"])
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None


def _make_class():
    try:
        from lightning.pytorch import Callback
    except ImportError:
        from pytorch_lightning import Callback  # type: ignore

    class LossLensCallback(Callback, CallbackCore):
        """Feeds ``losslens watch`` during ``Trainer.fit`` and sets ``trainer.should_stop`` when an
        alert at or above ``stop_on`` arrives. See ``losslens._callback.CallbackCore`` for the options."""

        def __init__(self, stop_on="error", report_path=None, log_every_n_steps=50, arguments=None, alert_wait=0.25, verbose=True):
            Callback.__init__(self)
            CallbackCore.__init__(self, stop_on, report_path, log_every_n_steps, arguments, alert_wait, verbose)

        def on_fit_start(self, trainer, pl_module):
            if trainer.is_global_zero:
                self._begin()

        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            if not trainer.is_global_zero:
                return
            step = trainer.global_step
            stop = False
            if self.log_every_n_steps and step % self.log_every_n_steps == 0:
                loss = _step_loss(outputs)
                if loss is not None:
                    record = {"kind": "step", "epoch": trainer.current_epoch, "step": step, "loss": loss}
                    rate = _learning_rate(trainer)
                    if rate is not None:
                        record["lr"] = rate
                    stop = self._send(record)
            if stop or self._check():
                self.stopped_epoch = trainer.current_epoch
                trainer.should_stop = True

        def on_train_epoch_end(self, trainer, pl_module):
            if not trainer.is_global_zero or trainer.sanity_checking:
                return
            record = {"kind": "epoch", "epoch": trainer.current_epoch}
            record.update(_epoch_metrics(trainer))
            rate = _learning_rate(trainer)
            if rate is not None and "lr" not in record:
                record["lr"] = rate
            if self._send(record, wait=True):
                self.stopped_epoch = trainer.current_epoch
                trainer.should_stop = True

        def on_fit_end(self, trainer, pl_module):
            if trainer.is_global_zero:
                self._end()

        def _display_epoch(self):
            return None if self._current_epoch is None else int(self._current_epoch) + 1

        def on_exception(self, trainer, pl_module, exception):
            if trainer.is_global_zero:
                self._end()

    LossLensCallback.__module__ = __name__
    return LossLensCallback


__getattr__ = lazy_callback_class(__name__, _make_class)
