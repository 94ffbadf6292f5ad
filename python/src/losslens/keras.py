"""``losslens.keras.LossLensCallback``: a Keras 3 callback (any backend; ``tf.keras`` too) that
feeds ``losslens watch`` and stops ``fit`` at an alert.

    from losslens.keras import LossLensCallback
    model.fit(x, y, epochs=100, validation_split=0.2,
              callbacks=[LossLensCallback(stop_on="error", report_path="losslens.md")])

One record per epoch (the epoch's logs: loss, metrics, ``val_*``), a step record every
``log_every_n_steps`` batches, and the learning rate when the optimizer has one. Keras is imported
only when ``LossLensCallback`` is first used.
"""

from typing import Any

from ._callback import CallbackCore, lazy_callback_class
from ._watch import finite_metrics, number



def _learning_rate(model: Any):
    optimizer = getattr(model, "optimizer", None)
    rate = getattr(optimizer, "learning_rate", None) if optimizer is not None else None
    if rate is None:
        return None
    if callable(rate) and not hasattr(rate, "numpy"):
        try:
            rate = rate(getattr(optimizer, "iterations", 0))
        except Exception:  # a schedule that wants something else
            return None
    try:
        return number(rate.numpy() if hasattr(rate, "numpy") else rate)
    except Exception:
        return None


def _make_class():
    try:
        import keras

        base = keras.callbacks.Callback
    except ImportError:  # TensorFlow's bundled Keras 2
        from tensorflow import keras  # type: ignore

        base = keras.callbacks.Callback

    class LossLensCallback(base, CallbackCore):  # type: ignore[misc, valid-type]
        """Feeds ``losslens watch`` during ``fit`` and sets ``model.stop_training`` when an alert at
        or above ``stop_on`` arrives. See ``losslens._callback.CallbackCore`` for the options."""

        def __init__(self, stop_on="error", report_path=None, log_every_n_steps=50, arguments=None, alert_wait=0.25, verbose=True):
            base.__init__(self)
            CallbackCore.__init__(self, stop_on, report_path, log_every_n_steps, arguments, alert_wait, verbose)
            self._epoch = 0
            self._step = 0

        def on_train_begin(self, logs=None):
            self._begin()

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            self._step += 1
            stop = False
            if self.log_every_n_steps and self._step % self.log_every_n_steps == 0:
                record = {"kind": "step", "epoch": self._epoch, "step": self._step}
                record.update(finite_metrics(logs, drop=("batch", "size")))
                rate = _learning_rate(self.model)
                if rate is not None:
                    record["lr"] = rate
                stop = self._send(record)
            if stop or self._check():
                self.stopped_epoch = self._epoch
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            record = {"kind": "epoch", "epoch": epoch}
            record.update(finite_metrics(logs))
            rate = _learning_rate(self.model)
            if rate is not None and "lr" not in record and "learning_rate" not in record:
                record["lr"] = rate
            if self._send(record, wait=True):
                self.stopped_epoch = epoch
                self.model.stop_training = True

        def on_train_end(self, logs=None):
            self._end()

        def _display_epoch(self):
            return None if self._current_epoch is None else int(self._current_epoch) + 1

    LossLensCallback.__module__ = __name__
    return LossLensCallback


__getattr__ = lazy_callback_class(__name__, _make_class)
