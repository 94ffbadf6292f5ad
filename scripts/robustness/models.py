"""Tiny Keras 3 models (JAX backend) and optimizers for the generated runs."""
import keras
from keras import layers, ops


def mlp(inputs, outputs, width=32, depth=1, activation="relu", head="softmax", dropout=0.0):
    model = keras.Sequential([keras.Input(inputs if isinstance(inputs, tuple) else (inputs,))])
    if isinstance(inputs, tuple) and len(inputs) > 1:
        model.add(layers.Flatten())
    for _ in range(depth):
        model.add(layers.Dense(width, activation=activation))
        if dropout:
            model.add(layers.Dropout(dropout))
    model.add(layers.Dense(outputs, activation=head))
    return model


def cnn(outputs, width=16, head="softmax", shape=(8, 8, 1)):
    return keras.Sequential([
        keras.Input(shape),
        layers.Conv2D(width, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(2 * width, 3, padding="same", activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(outputs, activation=head),
    ])


def rnn(outputs, cell="gru", width=32, head="softmax", shape=(8, 8)):
    recurrent = layers.GRU if cell == "gru" else layers.LSTM
    return keras.Sequential([keras.Input(shape), recurrent(width), layers.Dense(outputs, activation=head)])


def transformer_block(x, width, heads=2, causal=False):
    attended = layers.MultiHeadAttention(heads, width // heads)(x, x, use_causal_mask=causal)
    x = layers.LayerNormalization()(x + attended)
    return layers.LayerNormalization()(x + layers.Dense(width)(layers.Dense(2 * width, activation="relu")(x)))


class Positions(layers.Layer):
    """Adds a learned position embedding."""

    def build(self, shape):
        self.table = self.add_weight(shape=(shape[1], shape[2]), initializer="random_normal")

    def call(self, x):
        return x + self.table


def transformer(outputs, width=32, head="softmax", shape=(8, 8)):
    """One transformer block over the rows of an 8x8 image (8 tokens of 8 features), mean-pooled."""
    inputs = keras.Input(shape)
    x = Positions()(layers.Dense(width)(inputs))
    x = transformer_block(x, width)
    x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, layers.Dense(outputs, activation=head)(x))


def classifier(arch, outputs, shape, head="softmax", **kw):
    """arch: mlp-DEPTHxWIDTH, cnn, gru, lstm or transformer."""
    if arch.startswith("mlp"):
        depth, width = (int(v) for v in arch[4:].split("x"))
        return mlp(shape if len(shape) > 1 else shape[0], outputs, width, depth, head=head, **kw)
    if arch == "cnn":
        return cnn(outputs, head=head, shape=shape)
    if arch in ("gru", "lstm"):
        return rnn(outputs, arch, head=head, shape=shape)
    return transformer(outputs, head=head, shape=shape)


def char_lm(arch, vocab, length, width=64, blind=False):
    """Next-character model: embedding, then a GRU/LSTM or a causal transformer block, logits per position.
    blind=True multiplies the embedded input by 0 (a bug): the model can only learn the unigram distribution."""
    inputs = keras.Input((length,), dtype="int32")
    x = layers.Embedding(vocab, width)(inputs)
    if blind:
        x = layers.Lambda(lambda t: t * 0.0)(x)
    if arch == "transformer":
        x = transformer_block(Positions()(x), width, causal=True)
    else:
        x = (layers.GRU if arch == "gru" else layers.LSTM)(width, return_sequences=True)(x)
    return keras.Model(inputs, layers.Dense(vocab)(x))


def detector(classes, canvas=16, width=16):
    """A one-object detector: shared conv trunk, heads for the box (4, sigmoid), class logits and objectness."""
    inputs = keras.Input((canvas, canvas, 1))
    x = layers.Conv2D(width, 3, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(2 * width, 3, padding="same", activation="relu")(x)
    x = layers.Flatten()(layers.MaxPooling2D()(x))
    x = layers.Dense(64, activation="relu")(x)
    return keras.Model(inputs, {"box": layers.Dense(4, activation="sigmoid", name="box")(x),
                                "cls": layers.Dense(classes, name="cls")(x),
                                "obj": layers.Dense(1, name="obj")(x)})


OPTIMIZERS = {
    # name: (constructor, a learning rate that trains these models well)
    "sgd": (lambda lr: keras.optimizers.SGD(lr), 0.1),
    "momentum": (lambda lr: keras.optimizers.SGD(lr, momentum=0.9), 0.02),
    "adam": (lambda lr: keras.optimizers.Adam(lr), 2e-3),
    "adamw": (lambda lr: keras.optimizers.AdamW(lr, weight_decay=1e-2), 2e-3),
    "rmsprop": (lambda lr: keras.optimizers.RMSprop(lr), 1e-3),
}


def optimizer(name, lr=None, scale=1.0, clip=None):
    make, good = OPTIMIZERS[name]
    rate = lr if lr is not None else good
    opt = make(rate * scale if scale != 1.0 else rate)
    if clip:
        opt.clipnorm = clip
    return opt


class OneStepBoost(keras.optimizers.schedules.LearningRateSchedule):
    """A constant learning rate, multiplied by `factor` for the steps in [at, at + width)."""

    def __init__(self, lr, at, factor, width=1):
        self.lr, self.at, self.factor, self.width = lr, at, factor, width

    def __call__(self, step):
        inside = ops.logical_and(step >= self.at, step < self.at + self.width)
        return ops.where(inside, self.lr * self.factor, self.lr)

    def get_config(self):
        return {"lr": self.lr, "at": self.at, "factor": self.factor, "width": self.width}


class Growing(keras.optimizers.schedules.LearningRateSchedule):
    """lr0 * growth**step: a schedule whose decay factor was written as a growth factor (a bug)."""

    def __init__(self, lr0, growth):
        self.lr0, self.growth = lr0, growth

    def __call__(self, step):
        return self.lr0 * ops.power(self.growth, ops.cast(step, "float32"))

    def get_config(self):
        return {"lr0": self.lr0, "growth": self.growth}


class Warmup(keras.optimizers.schedules.LearningRateSchedule):
    """Linear warm-up from 0 to `peak` over `steps`, then constant (the peak may be far too high)."""

    def __init__(self, peak, steps):
        self.peak, self.steps = peak, steps

    def __call__(self, step):
        return self.peak * ops.minimum(1.0, ops.cast(step + 1, "float32") / self.steps)

    def get_config(self):
        return {"peak": self.peak, "steps": self.steps}
