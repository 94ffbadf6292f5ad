"""``losslens.transformers.LossLensCallback``: a Hugging Face ``TrainerCallback`` that feeds
``losslens watch`` and stops ``Trainer.train`` at an alert.

    from losslens.transformers import LossLensCallback
    trainer = Trainer(model=model, args=args, ..., callbacks=[LossLensCallback(report_path="losslens.md")])

Every log the Trainer writes becomes a record: a training log (``loss``, ``learning_rate``,
``grad_norm``) a step record, an evaluation (``eval_*``) an eval record, both with the fractional
``epoch`` and the ``global_step``; at the end of each epoch the callback waits for watch's verdict.
Logging follows ``TrainingArguments.logging_steps``. transformers is imported only when
``LossLensCallback`` is first used.
"""

from ._callback import CallbackCore, lazy_callback_class
from ._watch import finite_metrics

_SUMMARY_KEYS = ("train_runtime", "train_samples_per_second", "train_steps_per_second", "total_flos", "train_loss")


def _make_class():
    from transformers import TrainerCallback

    class LossLensCallback(TrainerCallback, CallbackCore):
        """Sets ``control.should_training_stop`` when an alert at or above ``stop_on`` arrives.
        See ``losslens._callback.CallbackCore`` for the options (``log_every_n_steps`` is unused:
        the Trainer's ``logging_steps`` decides)."""

        def __init__(self, stop_on="error", report_path=None, arguments=None, alert_wait=0.25, verbose=True):
            CallbackCore.__init__(self, stop_on, report_path, 0, arguments, alert_wait, verbose)

        def _stop(self, state, control):
            if self._check():
                self.stopped_epoch = state.epoch
                control.should_training_stop = True
            return control

        def on_train_begin(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self._begin()

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs or any(key in logs for key in _SUMMARY_KEYS):
                return control
            metrics = finite_metrics(logs, drop=("epoch", "step"))
            if "learning_rate" in metrics:
                metrics["lr"] = metrics.pop("learning_rate")
            evaluation = any(key.startswith("eval_") for key in metrics)
            record = {"kind": "eval" if evaluation else "step", "epoch": float(state.epoch or 0.0), "step": state.global_step}
            record.update(metrics)
            self._send(record, wait=evaluation)
            return self._stop(state, control)

        def on_step_end(self, args, state, control, **kwargs):
            return self._stop(state, control)

        def on_epoch_end(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self.watcher.wait_for_verdict()
            return self._stop(state, control)

        def on_train_end(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                self._end()

    LossLensCallback.__module__ = __name__
    return LossLensCallback


__getattr__ = lazy_callback_class(__name__, _make_class)
