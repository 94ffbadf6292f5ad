#!/usr/bin/env python3
"""Writes per-step training logs of a given size for the benchmark.

usage: generate.py DIALECT SIZE_MB OUTPUT
DIALECT: pytorch (per-step "Epoch 1/50, step 10/5000, loss = 0.0296" lines plus a per-epoch
validation line), keras (Keras 3 verbose-1 progress bars redrawn with \\r and \\b, one physical line
per epoch), hf (Hugging Face Trainer dict lines), lightning (a Lightning CSVLogger metrics.csv: a
sparse row per logged step, then the epoch's validation and epoch rows), tensorboard (an event file
of per-step scalars as PyTorch's SummaryWriter writes them, see tensorboard_events.py). The numbers
follow a slowly converging curve with noise, so the parsed series are realistic.
"""
import math, random, sys

def pytorch_lines(rng):
    epoch, step, steps = 1, 0, 5000
    while True:
        step += 1
        loss = 2.3 * math.exp(-(epoch * steps + step) / 400000.0) + 0.05 + rng.random() * 0.02
        yield f"2026-11-22 10:00:00,000 - train - INFO - Epoch {epoch}/50, step {step}/{steps}, loss = {loss:.4f}, lr = 1.0e-03\n"
        if step == steps:
            yield f"2026-11-22 10:00:01,000 - train - INFO - Epoch {epoch}/50 - val_loss={loss * 1.1:.4f} - val_acc={1 - loss / 3:.4f}\n"
            epoch, step = epoch + 1, 0

def keras_lines(rng):
    epoch, steps = 1, 1875
    while True:
        yield f"Epoch {epoch}/50\n"
        parts = []
        for step in range(1, steps + 1):
            loss = 2.3 * math.exp(-(epoch * steps + step) / 40000.0) + 0.05 + rng.random() * 0.02
            acc = 1 - loss / 3
            bar = "━" * (20 * step // steps) + " " * (20 - 20 * step // steps)
            text = f"\x1b[1m{step:4d}/{steps}\x1b[0m \x1b[32m{bar}\x1b[0m \x1b[1m2s\x1b[0m 1ms/step - accuracy: {acc:.4f} - loss: {loss:.4f}"
            if step == steps:
                text += f" - val_accuracy: {acc:.4f} - val_loss: {loss * 1.1:.4f}"
            parts.append("\r" + text + ("\b" * 8 if step < steps else ""))
        yield "".join(parts) + "\n"
        epoch += 1

def hf_lines(rng):
    # Logged every 10 steps, 50 000 steps per epoch: 5000 lines per epoch, as the pytorch log.
    # The Trainer prints the epoch rounded (round(epoch, 4)), never in exponent form.
    step, per_epoch = 0, 50000
    while True:
        step += 10
        loss = 2.3 * math.exp(-step / 20000000.0) + 0.05 + rng.random() * 0.02
        epoch = round(step / per_epoch, 4)
        yield f"{{'loss': '{loss:.4g}', 'grad_norm': '{1 + rng.random():.4g}', 'learning_rate': '{5e-5:.4g}', 'epoch': '{epoch}'}}\n"
        if step % per_epoch == 0:
            yield f"{{'eval_loss': '{loss * 1.1:.4g}', 'eval_accuracy': '{1 - loss / 3:.4g}', 'eval_runtime': '1.5', 'epoch': '{epoch}'}}\n"

def lightning_lines(rng):
    yield "epoch,step,train_loss_step,lr-Adam,val_loss,val_acc,train_loss_epoch\n"
    epoch, step, steps = 0, 0, 5000
    while True:
        step += 1
        loss = 2.3 * math.exp(-step / 400000.0) + 0.05 + rng.random() * 0.02
        yield f"{epoch},{step},{loss:.6f},0.001,,,\n"
        if step % steps == 0:
            yield f"{epoch},{step},,,{loss * 1.1:.6f},{1 - loss / 3:.6f},\n"
            yield f"{epoch},{step},,,,,{loss:.6f}\n"
            epoch += 1

def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    dialect, size_mb, output = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    if dialect == "tensorboard":
        import tensorboard_events
        tensorboard_events.write_scalar_events(output, int(size_mb * 1024 * 1024), random.Random(7))
        return
    lines = {"pytorch": pytorch_lines, "keras": keras_lines, "hf": hf_lines, "lightning": lightning_lines}[dialect](random.Random(7))
    target = int(size_mb * 1024 * 1024)
    written = 0
    with open(output, "w", encoding="utf-8", newline="") as out:
        buffer = []
        for line in lines:
            buffer.append(line)
            written += len(line.encode("utf-8"))
            if len(buffer) >= 4096:
                out.write("".join(buffer)); buffer.clear()
            if written >= target:
                break
        out.write("".join(buffer))

main()
