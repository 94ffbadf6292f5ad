"""Classification scenarios: K in {2, 3, 5, 10, 100}, MLP/CNN/GRU/LSTM/transformer, five optimizers."""
import keras
import numpy as np

import data
import models
from scenarios_common import Scenario, dataset, pick, sample_config, train_classifier

STUCK_ALLOW = ["flat", "chance-level", "not-converged", "majority-class", "metric-mismatch"]
CLASS_COUNTS = [2, 3, 5, 10, 100]


def cycled(seed, shift):
    """K by seed, so that five consecutive seeds cover every class count once."""
    return CLASS_COUNTS[(seed + shift) % len(CLASS_COUNTS)]


def healthy(seed, rng, shift=0):
    cfg = sample_config(rng, classes=cycled(seed, shift))
    if cfg["classes"] == 100:
        cfg.update(arch=pick(rng, ["mlp-1x64", "mlp-2x64"]), epochs=int(rng.integers(15, 26)))
    return train_classifier(seed, rng, cfg, dataset(rng, cfg))


def random_labels(seed, rng):
    cfg = sample_config(rng, classes=cycled(seed, 1), archs=["mlp-1x16", "mlp-1x32"], opts=["adam", "rmsprop", "sgd"])
    cfg["lr_factor"] *= 0.25
    k = cfg["classes"]
    x, y = data.noise(rng, int(max(800, 30 * k)), 20, k)
    return train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]))


def stagnant(seed, rng):
    cfg = sample_config(rng, classes=cycled(seed, 3))
    cfg["lr_factor"] = float(pick(rng, [1e-5, 3e-6, 1e-6]))
    return train_classifier(seed, rng, cfg, dataset(rng, cfg))


def vanishing(seed, rng):
    cfg = sample_config(rng, classes=pick(rng, [3, 5, 10]), opts=["sgd"])
    cfg["arch"] = f"mlp-{pick(rng, [8, 10])}x32"
    return train_classifier(seed, rng, cfg, dataset(rng, cfg), activation="sigmoid")


def collapse_sgd(seed, rng):
    cfg = sample_config(rng, classes=pick(rng, [5, 10]), archs=["mlp-1x64", "mlp-2x64", "cnn"], opts=["sgd"])
    opt = keras.optimizers.SGD(float(pick(rng, [5.0, 10.0, 20.0])))
    return train_classifier(seed, rng, cfg, dataset(rng, cfg), optimizer=opt)


def nan_huge_lr(seed, rng):
    cfg = sample_config(rng, classes=pick(rng, [3, 5, 10]), archs=["mlp-1x64", "mlp-2x64"], opts=["sgd"])
    opt = keras.optimizers.SGD(float(pick(rng, [1e15, 1e18])))  # logits overflow float32: inf - inf = NaN
    return train_classifier(seed, rng, cfg, dataset(rng, cfg), head=None, optimizer=opt,
                            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


def overfitting(seed, rng):
    cfg = sample_config(rng, classes=pick(rng, [5, 10]), archs=["mlp-1x256", "mlp-2x128"], opts=["adam", "rmsprop", "adamw"])
    cfg.update(epochs=int(rng.integers(50, 81)), batch=16, lr_factor=float(pick(rng, [1.0, 2.0])))
    x, y = data.digits(rng, classes=cfg["classes"], subset=int(pick(rng, [300, 400])))
    x_tr, y_tr, x_va, y_va = data.split(x, y, rng, 0.4, batch=16)
    noisy = rng.random(len(y_tr)) < float(pick(rng, [0.2, 0.3]))  # noisy training labels, memorized
    y_tr = np.where(noisy, rng.integers(0, cfg["classes"], len(y_tr)), y_tr).astype("int32")
    cfg["label_noise"] = float(noisy.mean())
    return train_classifier(seed, rng, cfg, (x_tr, y_tr, x_va, y_va))


def imbalanced(seed, rng):
    cfg = sample_config(rng, classes=2, archs=["mlp-1x16", "mlp-2x16"], opts=["adam", "sgd", "rmsprop"])
    cfg["epochs"] = int(rng.integers(15, 31))
    x, y = data.imbalanced(rng, 2000, float(pick(rng, [0.03, 0.05, 0.07])))
    return train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]), head="sigmoid")


def leak_label_feature(seed, rng):
    cfg = sample_config(rng, classes=pick(rng, [5, 10]), archs=["mlp-1x16", "mlp-1x32"], opts=["adam", "adamw", "rmsprop"])
    cfg.update(lr_factor=float(pick(rng, [2.0, 4.0])), batch=int(pick(rng, [16, 32])))
    x, y = data.classification(rng, cfg["classes"])
    if x.ndim > 2:
        x = x.reshape(len(x), -1)
    onehot = np.eye(cfg["classes"], dtype="float32")[y] * 20.0  # the label, one-hot, left among the features
    return train_classifier(seed, rng, cfg, data.split(np.c_[x, onehot], y, rng, batch=cfg["batch"]))


def unstable(seed, rng):
    # Logistic regression or a small MLP on breast cancer with a far too large Adam/RMSprop step: the loss bounces.
    cfg = sample_config(rng, classes=2, archs=["mlp-0x1", "mlp-1x16"])
    cfg.update(epochs=int(rng.integers(30, 46)), batch=int(pick(rng, [16, 32])), opt=pick(rng, ["adam", "rmsprop"]))
    lr = float(pick(rng, [0.3, 0.5] if cfg["opt"] == "adam" else [0.1, 0.2]))
    x, y = data.tabular(rng, 2)
    return train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]), head="sigmoid",
                            optimizer=models.optimizer(cfg["opt"], lr=lr))


def zero_single_softmax(seed, rng):
    cfg = sample_config(rng, classes=2, archs=["mlp-1x16", "mlp-2x16"])
    x, y = data.tabular(rng, 2)
    run = train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]), head="softmax",
                           loss="categorical_crossentropy", single_unit=True)
    return run


def flat_single_softmax_bce(seed, rng):
    cfg = sample_config(rng, classes=2, archs=["mlp-1x16", "mlp-2x16"])
    x, y = data.tabular(rng, 2)
    return train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]), head="softmax",
                            loss="binary_crossentropy", single_unit=True)


def flat_huge_inputs(seed, rng):
    cfg = sample_config(rng, classes=2, archs=["mlp-1x32", "mlp-2x32"], opts=["adam", "rmsprop", "sgd"])
    x, _ = data.noise(rng, 1200, 20, 2)
    y = (x[:, 0] > 0).astype("int32")
    x = x * float(pick(rng, [1e5, 1e6]))
    return train_classifier(seed, rng, cfg, data.split(x, y, rng, batch=cfg["batch"]), head="sigmoid")


def dying_relu(seed, rng):
    cfg = sample_config(rng, classes=10, archs=["mlp-2x64", "mlp-3x64"], opts=["sgd"])
    cfg["epochs"] = int(rng.integers(15, 25))
    opt = keras.optimizers.SGD(float(pick(rng, [1.0, 2.0, 3.0])))
    return train_classifier(seed, rng, cfg, dataset(rng, cfg), optimizer=opt)


def too_short(seed, rng):
    cfg = sample_config(rng)
    cfg["epochs"] = int(pick(rng, [2, 3, 4]))
    return train_classifier(seed, rng, cfg, dataset(rng, cfg))


SCENARIOS = [
    Scenario("cls-healthy", "classification", healthy, [], ["not-converged"]),
    Scenario("cls-healthy-b", "classification", lambda seed, rng: healthy(seed, rng, shift=2), [], ["not-converged"]),
    Scenario("cls-random-labels", "classification", random_labels, [["chance-level"]],
             ["flat", "overfitting", "not-converged", "majority-class", "metric-mismatch"]),
    Scenario("cls-stagnant-tiny-lr", "classification", stagnant, [["flat", "chance-level"]], STUCK_ALLOW),
    Scenario("cls-vanishing-deep-sigmoid", "classification", vanishing, [["flat", "chance-level"]], STUCK_ALLOW),
    Scenario("cls-collapse-sgd-high-lr", "classification", collapse_sgd, [["flat", "chance-level", "diverging", "non-finite"]],
             STUCK_ALLOW + ["spike", "diverging", "non-finite", "oscillating"]),
    Scenario("cls-nan-huge-lr", "classification", nan_huge_lr, [["non-finite"]],
             ["flat", "chance-level", "metric-mismatch", "diverging", "spike", "majority-class"]),
    Scenario("cls-overfitting", "classification", overfitting, [["overfitting"]], ["zero", "flat", "spike", "not-converged"]),
    Scenario("cls-imbalanced-majority", "classification", imbalanced, [["majority-class"]],
             ["flat", "not-converged", "leak-suspect", "metric-mismatch"]),
    Scenario("cls-leak-label-feature", "classification", leak_label_feature, [["leak-suspect"]],
             ["zero", "overfitting", "not-converged"]),
    Scenario("cls-unstable-high-lr", "classification", unstable, [["oscillating", "diverging", "spike"]],
             ["non-finite", "metric-mismatch", "overfitting", "flat", "chance-level", "majority-class", "not-converged"]),
    Scenario("cls-zero-loss-single-softmax", "classification", zero_single_softmax, [["zero"], ["flat", "metric-mismatch"]],
             ["majority-class", "leak-suspect"]),
    Scenario("cls-flat-single-softmax-bce", "classification", flat_single_softmax_bce, [["metric-mismatch", "flat"]],
             ["majority-class", "not-converged"]),
    Scenario("cls-flat-huge-inputs", "classification", flat_huge_inputs, [["flat", "chance-level"]], STUCK_ALLOW + ["spike"]),
    # A jump that kills the units shows as a divergence that saturates: the labeled corpus's
    # keras-oscillating-momentum requires `diverging` for that shape, so it meets this label too.
    Scenario("cls-dying-relu", "classification", dying_relu, [["flat", "chance-level", "diverging"]],
             STUCK_ALLOW + ["spike", "diverging"]),
    Scenario("cls-too-short", "classification", too_short, [["too-short"]], ["not-converged"], formats="epoch-only"),
]
