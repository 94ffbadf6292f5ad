"""Regression scenarios (mse loss, mae metric): healthy, diverging, unnormalized targets, and an accuracy metric on a
regression (accuracy exactly 0)."""
import keras

import data
from scenarios_common import Scenario, pick, train_regressor


def config(rng, **over):
    cfg = {"classes": None, "arch": pick(rng, ["mlp-1x32", "mlp-2x32", "mlp-2x64", "mlp-3x16"]),
           "opt": pick(rng, ["adam", "adamw", "rmsprop", "momentum", "sgd"]), "lr_factor": float(pick(rng, [0.5, 1.0])),
           "batch": int(pick(rng, [16, 32, 64])), "epochs": int(rng.integers(20, 41)),
           "data": pick(rng, ["diabetes", "linear"])}
    cfg.update(over)
    return cfg


def xy(rng, cfg, scale=1.0, shift=0.0):
    x, y = data.regression(rng, cfg["data"], n=int(pick(rng, [600, 1000, 1500])))
    return data.split(x, y * scale + shift, rng, batch=cfg["batch"])


def healthy(seed, rng):
    cfg = config(rng, epochs=int(rng.integers(15, 31)))
    if cfg["opt"] == "sgd":
        cfg["lr_factor"] *= 0.1
    return train_regressor(seed, rng, cfg, xy(rng, cfg))


def diverging(seed, rng):
    # A linear model with full-batch steps just above the stability limit 2/lambda grows geometrically.
    cfg = config(rng, arch="mlp-0x1", data="linear", batch=800, epochs=int(rng.integers(15, 25)), opt="sgd")
    x, y = data.regression(rng, "linear", n=1000)
    scale = 30.0
    opt = keras.optimizers.SGD(float(pick(rng, [2.2e-3, 2.5e-3, 3e-3])))
    return train_regressor(seed, rng, cfg, data.split(x * scale, y * scale, rng, batch=800), optimizer=opt)


def unnormalized(seed, rng):
    cfg = config(rng, opt=pick(rng, ["adam", "rmsprop", "adamw"]), epochs=int(rng.integers(40, 81)), data="linear")
    scale = float(pick(rng, [500.0, 800.0, 1200.0]))
    return train_regressor(seed, rng, cfg, xy(rng, cfg, scale / 3, scale), optimizer=None)


def accuracy_metric(seed, rng):
    cfg = config(rng, opt="adam", lr_factor=float(pick(rng, [1.0, 2.0])), epochs=int(rng.integers(15, 31)), data="linear")
    return train_regressor(seed, rng, cfg, xy(rng, cfg, 3.0), metrics=("accuracy",))


SCENARIOS = [
    Scenario("reg-healthy", "regression", healthy, [], ["not-converged"]),
    Scenario("reg-diverging-lr", "regression", diverging, [["diverging"]], ["non-finite", "spike"]),
    Scenario("reg-unnormalized-targets", "regression", unnormalized, [["not-converged"]], []),
    Scenario("reg-accuracy-metric", "regression", accuracy_metric, [["zero", "metric-mismatch"]], ["flat", "not-converged", "spike"]),
]
