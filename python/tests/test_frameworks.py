"""The callbacks in real trainings on CPU: Keras 3 (JAX backend), PyTorch Lightning and Hugging Face
transformers. A tiny regression made to blow up (a learning rate far too high) must be stopped at the
epoch whose record raised the alert; a healthy one runs to its last epoch. Each runs against the
stand-in watch (the framework's side) and the real binary (skipped while it has no JSON-lines reader).
"""

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import assert_stopped_at_the_alerting_epoch

EPOCHS = 25


@pytest.fixture(params=["fake", "real"])
def watch_binary(request, tmp_path, monkeypatch):
    records = tmp_path / "records.json"
    if request.param == "fake":
        wrapper = tmp_path / "fake-losslens"
        wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).with_name('fake_watch.py')} \"$@\"\n")
        wrapper.chmod(0o755)
        monkeypatch.setenv("LOSSLENS_BINARY", str(wrapper))
        monkeypatch.setenv("FAKE_WATCH_RECORDS", str(records))
    else:
        request.getfixturevalue("needs_jsonl_reader")
    return request.param, records


def regression_data(seed=0, n=256):
    import numpy as np

    generator = np.random.default_rng(seed)
    x = generator.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.5, -2.0, 0.5, 1.0], dtype="float32") + 0.1 * generator.normal(size=n).astype("float32")).reshape(-1, 1)
    return x, y


def check_stopped_at_alert(callback, epochs_run):
    alert = callback.stopping_alert
    assert alert is not None, f"no alert stopped the run: {callback.alerts}"
    assert alert.severity == "error", alert.line
    assert epochs_run < EPOCHS, "the run was stopped before its last epoch"
    assert callback.stopped_epoch + 1 == epochs_run, (callback.stopped_epoch, epochs_run)
    epochs_sent = [record["epoch"] for record in callback.watcher.history if record["kind"] == "epoch"]
    assert epochs_sent == list(range(epochs_run)), "an epoch record per epoch run, none after the stop"
    assert_stopped_at_the_alerting_epoch(callback.watcher.history)


# Keras 3 on JAX -------------------------------------------------------------------------------



def keras_fit(learning_rate, tmp_path, **callback_options):
    keras = pytest.importorskip("keras")
    from losslens.keras import LossLensCallback

    keras.utils.set_random_seed(0)
    x, y = regression_data()
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss="mse")
    callback = LossLensCallback(report_path=str(tmp_path / "report.md"), **callback_options)
    callback.watcher.history = []
    history = model.fit(x, y, epochs=EPOCHS, batch_size=32, validation_split=0.25, verbose=0, callbacks=[callback])
    return callback, history


def test_keras_stops_a_run_that_blows_up(watch_binary, tmp_path):
    callback, history = keras_fit(0.5, tmp_path, log_every_n_steps=0, alert_wait=1.0)
    check_stopped_at_alert(callback, len(history.history["loss"]))
    assert (tmp_path / "report.md").is_file()


def test_keras_lets_a_healthy_run_finish(watch_binary, tmp_path):
    kind, records = watch_binary
    callback, history = keras_fit(0.01, tmp_path, log_every_n_steps=3)
    assert len(history.history["loss"]) == EPOCHS
    assert callback.stopping_alert is None, callback.alerts
    assert (tmp_path / "report.md").is_file()
    if kind == "fake":
        sent = json.loads(records.read_text())
        epochs = [r for r in sent if r["kind"] == "epoch"]
        steps = [r for r in sent if r["kind"] == "step"]
        assert [r["epoch"] for r in epochs] == list(range(EPOCHS))
        assert {"loss", "val_loss", "lr"} <= set(epochs[0]), epochs[0]
        assert steps and steps[0]["step"] == 3 and "loss" in steps[0]


# PyTorch Lightning ----------------------------------------------------------------------------


def lightning_fit(learning_rate, tmp_path, **callback_options):
    torch = pytest.importorskip("torch")
    try:
        import lightning.pytorch as pl
    except ImportError:
        pl = pytest.importorskip("pytorch_lightning")
    from losslens.lightning import LossLensCallback

    pl.seed_everything(0, workers=True)
    x, y = regression_data()
    train = torch.utils.data.TensorDataset(torch.from_numpy(x[:192]), torch.from_numpy(y[:192]))
    val = torch.utils.data.TensorDataset(torch.from_numpy(x[192:]), torch.from_numpy(y[192:]))

    class Regression(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))

        def training_step(self, batch, batch_idx):
            loss = torch.nn.functional.mse_loss(self.net(batch[0]), batch[1])
            self.log("train_loss", loss, on_step=False, on_epoch=True)
            return loss

        def validation_step(self, batch, batch_idx):
            self.log("val_loss", torch.nn.functional.mse_loss(self.net(batch[0]), batch[1]))

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=learning_rate)

    callback = LossLensCallback(report_path=str(tmp_path / "report.md"), **callback_options)
    callback.watcher.history = []
    trainer = pl.Trainer(
        max_epochs=EPOCHS, accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, callbacks=[callback], num_sanity_val_steps=0,
        default_root_dir=str(tmp_path),
    )
    trainer.fit(Regression(), torch.utils.data.DataLoader(train, batch_size=32), torch.utils.data.DataLoader(val, batch_size=64))
    return callback, trainer


def test_lightning_stops_a_run_that_blows_up(watch_binary, tmp_path):
    callback, trainer = lightning_fit(0.5, tmp_path, log_every_n_steps=0, alert_wait=1.0)
    check_stopped_at_alert(callback, trainer.current_epoch)
    assert (tmp_path / "report.md").is_file()


def test_lightning_lets_a_healthy_run_finish(watch_binary, tmp_path):
    kind, records = watch_binary
    callback, trainer = lightning_fit(0.01, tmp_path, log_every_n_steps=2)
    assert trainer.current_epoch == EPOCHS and callback.stopping_alert is None
    assert (tmp_path / "report.md").is_file()
    if kind == "fake":
        sent = json.loads(records.read_text())
        epochs = [r for r in sent if r["kind"] == "epoch"]
        assert [r["epoch"] for r in epochs] == list(range(EPOCHS))
        assert {"train_loss", "val_loss", "lr"} <= set(epochs[0]), epochs[0]
        assert any(r["kind"] == "step" and r["step"] % 2 == 0 for r in sent)


# Hugging Face transformers --------------------------------------------------------------------


def transformers_train(learning_rate, tmp_path, **callback_options):
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from losslens.transformers import LossLensCallback

    transformers.set_seed(0)
    x, y = regression_data()

    class Rows(torch.utils.data.Dataset):
        def __init__(self, start, stop):
            self.x, self.y = torch.from_numpy(x[start:stop]), torch.from_numpy(y[start:stop])

        def __len__(self):
            return len(self.x)

        def __getitem__(self, index):
            return {"features": self.x[index], "labels": self.y[index]}

    class Regression(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))

        def forward(self, features, labels=None):
            prediction = self.net(features)
            return {"loss": torch.nn.functional.mse_loss(prediction, labels), "logits": prediction}

    arguments = transformers.TrainingArguments(
        output_dir=str(tmp_path / "out"), num_train_epochs=EPOCHS, per_device_train_batch_size=32,
        per_device_eval_batch_size=64, learning_rate=learning_rate, optim="sgd", lr_scheduler_type="constant",
        max_grad_norm=0.0, weight_decay=0.0, logging_strategy="epoch", eval_strategy="epoch", save_strategy="no",
        report_to=[], disable_tqdm=True, use_cpu=True, remove_unused_columns=False, seed=0,
    )
    callback = LossLensCallback(report_path=str(tmp_path / "report.json"), **callback_options)
    callback.watcher.history = []
    trainer = transformers.Trainer(model=Regression(), args=arguments, train_dataset=Rows(0, 192), eval_dataset=Rows(192, 256),
                                   callbacks=[callback])
    trainer.train()
    return callback, trainer


def test_transformers_stops_a_run_that_blows_up(watch_binary, tmp_path):
    callback, trainer = transformers_train(0.5, tmp_path, alert_wait=1.0)
    epochs_run = round(trainer.state.epoch)
    assert callback.stopping_alert is not None and callback.stopping_alert.severity == "error", callback.alerts
    assert epochs_run < EPOCHS
    assert callback.watcher.history[-1]["epoch"] == trainer.state.epoch, "no record after the stop"
    assert_stopped_at_the_alerting_epoch(callback.watcher.history)
    assert (tmp_path / "report.json").is_file()


def test_transformers_lets_a_healthy_run_finish(watch_binary, tmp_path):
    kind, records = watch_binary
    callback, trainer = transformers_train(0.01, tmp_path)
    assert round(trainer.state.epoch) == EPOCHS and callback.stopping_alert is None
    if kind == "fake":
        sent = json.loads(records.read_text())
        kinds = {r["kind"] for r in sent}
        assert kinds == {"step", "eval"}, kinds
        evaluation = next(r for r in sent if r["kind"] == "eval")
        assert "eval_loss" in evaluation and isinstance(evaluation["step"], int) and evaluation["epoch"] == 1.0
