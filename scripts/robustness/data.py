"""Small data sets for the generated runs: scikit-learn's bundled sets, synthetic data, and a text.

Every loader takes a numpy Generator `rng` (the run's seed) and returns train/validation arrays
`(x_tr, y_tr, x_va, y_va)`; nothing is downloaded.
"""
import glob
import importlib
import os
import re

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine, make_blobs


def split(x, y, rng, val_fraction=0.2, batch=None):
    """Shuffle and split; with `batch`, the training part is cut to a multiple of it (equal batches)."""
    order = rng.permutation(len(x))
    cut = int(len(x) * (1 - val_fraction))
    if batch:
        cut -= cut % batch
    return x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]


def digits(rng, classes=10, subset=None, images=False):
    """The 8x8 digits (1797 images), the first `classes` digits; as (8, 8, 1) images or 64 features."""
    d = load_digits()
    keep = d.target < classes
    x, y = d.data[keep].astype("float32") / 16.0, d.target[keep].astype("int32")
    if subset and subset < len(x):
        pick = rng.permutation(len(x))[:subset]
        x, y = x[pick], y[pick]
    return (x.reshape(-1, 8, 8, 1) if images else x), y


def tabular(rng, classes):
    """A standardized bundled table with `classes` classes: breast cancer (2), wine (3)."""
    d = {2: load_breast_cancer, 3: load_wine}[classes]()
    x = d.data.astype("float32")
    return (x - x.mean(0)) / x.std(0), d.target.astype("int32")


def blobs(rng, n, classes, dim=32, spread=4.0):
    """Gaussian clusters (learnable; used for 5 and 100 classes)."""
    x, y = make_blobs(n_samples=n, centers=classes, n_features=dim, cluster_std=spread,
                      random_state=int(rng.integers(1 << 30)))
    x = x.astype("float32")
    return (x - x.mean(0)) / x.std(0), y.astype("int32")


def classification(rng, classes, shape="flat", n=None):
    """A learnable data set with `classes` classes. shape: flat (features), image (8x8x1), sequence (8 steps)."""
    if shape in ("image", "sequence") or (classes in (5, 10) and n is None):
        x, y = digits(rng, classes=classes, subset=n, images=shape == "image")
        if shape == "sequence":
            x = x.reshape(-1, 8, 8)  # the image's rows as 8 steps of 8 features
        return x, y
    if classes in (2, 3) and n is None:
        return tabular(rng, classes)
    if classes == 3:
        d = load_iris()
        x = d.data.astype("float32")
        return (x - x.mean(0)) / x.std(0), d.target.astype("int32")
    return blobs(rng, n or 40 * classes, classes)


def noise(rng, n, dim, classes):
    """Features and labels drawn independently: nothing to learn."""
    return rng.normal(size=(n, dim)).astype("float32"), rng.integers(0, classes, n).astype("int32")


def imbalanced(rng, n, positive_share, dim=20):
    x = rng.normal(size=(n, dim)).astype("float32")
    return x, (rng.random(n) < positive_share).astype("int32")


def regression(rng, kind, n=1000):
    """Regression targets: 'diabetes' (bundled, 442 rows, standardized) or 'linear' (8 features, noisy)."""
    if kind == "diabetes":
        d = load_diabetes()
        x, y = d.data.astype("float32"), d.target.astype("float32")
        return (x - x.mean(0)) / x.std(0), (y - y.mean()) / y.std()
    x = rng.normal(size=(n, 8)).astype("float32")
    w = rng.normal(size=8).astype("float32")
    return x, (x @ w + np.tanh(x[:, 0] * x[:, 1]) + 0.2 * rng.normal(size=n)).astype("float32")


# ---------------------------------------------------------------- text for the language models

_MODULES = ("argparse collections json re textwrap inspect pathlib subprocess functools itertools datetime decimal "
            "statistics random string unittest logging csv configparser threading asyncio socket tarfile zipfile shutil "
            "os pickle copy enum dataclasses contextlib heapq bisect calendar difflib doctest pdb sqlite3 optparse locale "
            "gettext codecs base64 hashlib ssl signal multiprocessing queue timeit warnings weakref types operator struct "
            "gzip glob tempfile platform traceback ast tokenize pprint uuid ipaddress smtplib webbrowser cmd shlex pkgutil "
            "sysconfig colorsys mailbox").split()


def text():
    """About 120k characters of English: the docstrings of standard-library modules and scikit-learn's data set
    descriptions, lower-cased, runs of white space collapsed, characters outside [a-z0-9 .,;:'()-] dropped."""
    parts = []
    for name in _MODULES:
        try:
            parts.append(importlib.import_module(name).__doc__ or "")
        except Exception:  # a module missing from this Python build
            pass
    import sklearn
    for path in sorted(glob.glob(os.path.join(os.path.dirname(sklearn.__file__), "datasets", "descr", "*.rst"))):
        with open(path, encoding="utf-8") as f:
            parts.append(f.read())
    t = re.sub(r"\s+", " ", " ".join(parts).lower())
    return re.sub(r"[^a-z0-9 .,;:'()\-]", "", t)


def char_windows(rng, length, n_train, n_val):
    """Random windows of the text as (input, next-character target) pairs; validation from the last 10%."""
    t = text()
    vocab = sorted(set(t))
    ids = np.array([vocab.index(c) for c in t], dtype="int32")
    cut = int(len(ids) * 0.9)

    def windows(lo, hi, n):
        starts = rng.integers(lo, hi - length - 1, n)
        return np.stack([ids[s:s + length] for s in starts]), np.stack([ids[s + 1:s + length + 1] for s in starts])

    x_tr, y_tr = windows(0, cut, n_train)
    x_va, y_va = windows(cut, len(ids), n_val)
    counts = np.bincount(ids[:cut], minlength=len(vocab)) / cut
    return (x_tr, y_tr, x_va, y_va), len(vocab), counts


# ---------------------------------------------------------------- detection-like data

def boxes(rng, n, classes=5, canvas=16, empty_share=0.2):
    """A digit (0..classes-1, 8x8) pasted at a random place on a noisy canvas; some canvases are empty.
    Targets: box (x0, y0, x1, y1 as fractions), class, objectness."""
    x_d, y_d = digits(rng, classes=classes, images=True)
    pick = rng.integers(0, len(x_d), n)
    img = (0.1 * rng.random((n, canvas, canvas, 1))).astype("float32")
    box = np.zeros((n, 4), "float32")
    obj = (rng.random(n) > empty_share).astype("float32")
    for i in range(n):
        if obj[i]:
            r, c = rng.integers(0, canvas - 8 + 1, 2)
            img[i, r:r + 8, c:c + 8, 0] += x_d[pick[i], :, :, 0]
            box[i] = [c / canvas, r / canvas, (c + 8) / canvas, (r + 8) / canvas]
    return img, {"box": box, "cls": y_d[pick].astype("int32"), "obj": obj}
