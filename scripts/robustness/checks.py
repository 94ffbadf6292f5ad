"""What the numbers of one artifact show, rule by rule (the rule ids of /work/notes/labeling-guide.md).

A detector looks at the series an artifact shows (as printed, parsed back) and answers
"present" (a careful engineer would call it), "borderline" (a fair reading, not a must), None (absent),
or "n/a" (the artifact does not show what the rule needs). Series names:
  loss, acc, val_loss, val_acc            per epoch (or per evaluation)
  step:loss, step:acc                     per logged step
  loss:NAME, val_loss:NAME                components of a multi-part loss (detection: box, cls, obj)
  g_loss, d_loss                          GAN generator / discriminator (critic) losses
The context `ctx` has: task, classes (K, or the vocabulary for a language model), majority (share of
the most frequent class/token in training data), val_majority, gan ("gan" | "wgan" | None).
"""
import math

import numpy as np

PRESENT, BORDERLINE, NA = "present", "borderline", "n/a"


def finite(xs):
    return [x for x in xs if x is not None and math.isfinite(x)]


def until_nonfinite(xs):
    out = []
    for x in xs:
        if x is None or not math.isfinite(x):
            break
        out.append(x)
    return out


def chunk_means(xs, chunks=20):
    xs = finite(xs)
    if len(xs) <= chunks:
        return xs
    return [float(np.mean(c)) for c in np.array_split(np.array(xs), chunks)]


def train_loss(s, smooth=True):
    """The training loss at its coarsest granularity: per epoch, else per step (chunk means if smooth)."""
    if len(s.get("loss", [])) >= 3:
        return s["loss"]
    steps = s.get("step:loss", [])
    return chunk_means(steps) if smooth and steps else steps


def worst(*states):
    order = [PRESENT, BORDERLINE, None, NA]
    return min(states, key=order.index) if states else NA


# ---------------------------------------------------------------- detectors

def non_finite(s, ctx):
    return PRESENT if any(x is not None and not math.isfinite(x) for xs in s.values() for x in xs) else None


def _diverging(xs, borderline=1.5):
    xs = until_nonfinite(xs)
    if len(xs) < 4 or min(xs) < 0:
        return NA
    m, i = min(xs), int(np.argmin(xs))
    tail = xs[-max(2, len(xs) // 5):]
    if i == len(xs) - 1:
        return None
    rise = min(tail) - m
    if (min(tail) >= 3 * max(m, 1e-8) or (xs[-1] >= 3 * max(m, 1e-8) and min(tail) >= 1.5 * max(m, 1e-8))) \
            and rise >= 0.3 * abs(xs[0]) * (0.5 if xs[-1] >= 3 * max(m, 1e-8) else 1):
        return PRESENT
    if xs[-1] >= borderline * max(m, 1e-8) and xs[-1] - m >= 0.1 * abs(xs[0]):
        return BORDERLINE
    return None


def diverging(s, ctx):
    train = train_loss(s)
    if len(until_nonfinite(train)) < 4:  # too few training points (e.g. full-batch steps): the evaluations tell
        train = s.get("val_loss", train)
    states = [_diverging(xs) for xs in [train] + [v for k, v in s.items() if k.startswith("loss:")] if xs]
    if ctx.get("gan") == "gan":  # a generator loss that settles higher than it started (0.7 -> 1.4) is normal
        states.append(_diverging(chunk_means(s.get("g_loss", [])), borderline=2.0))
    if ctx.get("gan") == "wgan":
        return NA  # a clipped critic's losses hover near 0 with either sign: ratios mean nothing
    return worst(*states)


def _spike(xs):
    xs = finite(xs)
    if len(xs) < 4 or min(xs) < 0:
        return NA
    state = None
    for i in range(1, len(xs)):
        base = float(np.median(xs[max(0, i - 5):i]))
        if base <= 0:
            continue
        ratio, jump = xs[i] / base, xs[i] - base
        if ratio >= 8 and jump >= 0.05 * max(xs[0], base):
            return PRESENT
        if ratio >= 4 and jump >= 0.02 * max(xs[0], base):
            state = BORDERLINE
    return state


def spike(s, ctx):
    names = ["loss", "val_loss", "step:loss", "g_loss", "d_loss"] + [k for k in s if k.startswith(("loss:", "val_loss:"))]
    if ctx.get("gan") == "wgan":
        names = ["loss", "step:loss"]
    return worst(*[_spike(s[k]) for k in names if s.get(k)])


def _oscillating(xs, significance=0.05):
    """Up-down reversals of moves >= 25% (significant: >= 5% of the loss' scale, so noise near 0 does not count)."""
    xs = finite(xs)
    if len(xs) < 5:
        return NA
    scale = max(abs(xs[0]), max(abs(x) for x in xs) * 0.1, 1e-12)
    big, significant, medium = [], [], []
    for a, b in zip(xs, xs[1:]):
        r = (b - a) / max(abs(a), 1e-12)
        if abs(r) >= 0.25:
            big.append(np.sign(r))
            if abs(b - a) >= significance * scale:
                significant.append(np.sign(r))
        if abs(r) >= 0.10:
            medium.append(np.sign(r))

    def reversals(signs):
        return sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    if reversals(significant) >= 3:
        return PRESENT
    if reversals(big) >= 1 or reversals(medium) >= 3:
        return BORDERLINE
    return None


def oscillating(s, ctx):
    if ctx.get("gan"):
        return NA  # adversarial losses see-saw by design
    if len(s.get("loss", [])) >= 3:
        train = _oscillating(s["loss"])
    else:  # per-step values: coarse chunk means, larger moves (batch noise is not an oscillation)
        train = _oscillating(chunk_means(s.get("step:loss", []), 10), significance=0.1)
    val = _oscillating(s.get("val_loss", []))
    return worst(train, BORDERLINE if val == PRESENT else val)


def _flat_loss(xs):
    xs = finite(xs)
    if len(xs) < 5:
        return NA
    if max(abs(x) for x in xs) <= 1e-6:
        return NA  # a loss of 0 throughout is `zero`'s symptom (as the labeled corpus labels it), not a plateau
    mean = abs(float(np.mean(xs)))
    if mean == 0 or np.ptp(xs) / mean < 0.01:
        return PRESENT
    half = xs[len(xs) // 2:]
    stuck = xs[-1] > 0.7 * xs[0]
    if stuck and np.ptp(half) / max(abs(float(np.mean(half))), 1e-12) < 0.01:
        return PRESENT
    if (stuck and np.ptp(half) / max(abs(float(np.mean(half))), 1e-12) < 0.02) or np.ptp(xs) / mean < 0.05:
        return BORDERLINE
    return None


def _flat_acc(xs):
    xs = finite(xs)
    if len(xs) < 4:
        return NA
    later = xs[1:]
    if max(later) >= 0.99:
        return None  # saturated, not frozen
    if np.ptp(later) < 1e-3:
        return PRESENT
    return BORDERLINE if np.ptp(later) < 0.01 else None


def flat(s, ctx):
    if ctx.get("gan"):
        return NA
    val = finite(s.get("val_loss", []))
    val_state = None
    if len(val) >= 5 and max(abs(x) for x in val) > 1e-6:
        rel = np.ptp(val) / max(abs(float(np.mean(val))), 1e-12)
        val_state = PRESENT if rel < 0.002 else BORDERLINE if _flat_loss(val) else None
    return worst(_flat_loss(train_loss(s, smooth=False)), _flat_acc(s.get("acc", [])), val_state,
                 *[_flat_loss(v) for k, v in s.items() if k.startswith("loss:")])


def _tail(xs, share=3):
    xs = finite(xs)
    return xs[-max(1, len(xs) // share):] if xs else []


def chance_level(s, ctx):
    if ctx["task"] not in ("classification-binary", "classification-multiclass", "language-model") or not ctx.get("classes"):
        return NA
    k = ctx["classes"]
    ln_k = math.log(k)
    states = []
    for name in ("loss", "val_loss", "step:loss"):
        tail = _tail(s.get(name, []))
        if tail:
            rel = abs(float(np.median(tail)) - ln_k) / ln_k
            states.append(PRESENT if rel <= 0.07 else BORDERLINE if rel <= 0.2 else None)
    for name in ("acc", "val_acc", "step:acc"):
        tail = _tail(s.get(name, []))
        if tail:
            gap = abs(float(np.median(tail)) - 1.0 / k)
            states.append(PRESENT if gap <= max(0.02, 0.1 / k) else BORDERLINE if gap <= max(0.05, 0.3 / k) else None)
    return worst(*states)


def majority_class(s, ctx):
    if ctx["task"] not in ("classification-binary", "classification-multiclass", "language-model"):
        return NA
    states = []
    for name, share in (("acc", ctx.get("majority")), ("val_acc", ctx.get("val_majority"))):
        xs = finite(s.get(name, []))
        if len(xs) < 4:
            continue
        later = xs[1:]
        frozen = np.ptp(later) <= 0.005
        near = share is not None and abs(float(np.mean(later)) - share) <= 0.01
        settled = xs[len(xs) // 3:]  # or frozen exactly at the majority share for the last two thirds
        if share is not None and len(settled) >= 4 and np.ptp(settled) <= 0.002 and abs(float(np.mean(settled)) - share) <= 0.005:
            frozen = near = True
        loss = finite(s.get("loss" if name == "acc" else "val_loss", []))
        falling = len(loss) >= 4 and loss[-1] <= 0.97 * loss[1]
        low = float(np.mean(later)) < 0.5
        if frozen and (near or (low and falling)):
            states.append(PRESENT)
        elif np.ptp(later) <= 0.02 and share is not None and abs(float(np.mean(later)) - share) <= 0.03:
            states.append(BORDERLINE)
        else:
            states.append(None)
    return worst(*states) if states else NA


def metric_mismatch(s, ctx):
    states = []
    for acc_name, loss_name in (("acc", "loss"), ("val_acc", "val_loss")):
        acc, loss = s.get(acc_name, []), s.get(loss_name, [])
        if len(finite(acc)) < 4 or len(finite(loss)) < 4:
            continue
        a, l_ = finite(acc)[1:], finite(loss)[1:]
        moves = np.ptp(l_) / max(abs(float(np.mean(l_))), 1e-12)
        high = min(a) >= 0.9  # accuracy near its ceiling while the loss still gains confidence: normal
        state = None
        if not high and np.ptp(a) <= 0.005 and moves >= 0.2:
            state = PRESENT
        elif np.ptp(a) <= 0.02 and moves >= 0.2 and min(a) < 0.99:
            state = BORDERLINE
        lf, af = finite(loss), finite(acc)
        if min(lf) > 0 and len(af) == len(lf) and lf[-1] >= 10 * min(lf) and lf[-1] - min(lf) >= 0.5 and af[-1] >= 0.8:
            state = PRESENT  # the loss exploded after its minimum while accuracy stayed high
        states.append(state)
    return worst(*states) if states else NA


def leak_suspect(s, ctx):
    states = []
    val_acc, acc = finite(s.get("val_acc", [])), finite(s.get("acc", []))
    if val_acc:
        early = max(val_acc[:2])
        states.append(PRESENT if early >= 0.995 else BORDERLINE if early >= 0.98 else None)
    if acc:
        states.append(PRESENT if acc[0] >= 0.999 else None)
    loss, val = s.get("loss", []), s.get("val_loss", [])
    pairs = [(a, b) for a, b in zip(loss, val) if a is not None and b is not None and math.isfinite(a) and math.isfinite(b)]
    if len(pairs) >= 4 and all(a > 0 for a, _ in pairs):
        below = [b / a for a, b in pairs]
        if np.mean([r < 0.5 for r in below]) >= 0.7:
            states.append(PRESENT)
        elif np.mean([r < 0.8 for r in below]) >= 0.5:
            states.append(BORDERLINE)
        else:
            states.append(None)
    steps = finite(s.get("step:loss", []))
    if ctx.get("granularity") == "step" and steps and 0.0 in steps[:len(steps) // 2 + 1] and _stays_zero(steps):
        states.append(PRESENT)  # training perfect within the first half of a short run
    return worst(*states) if states else NA


def overfitting(s, ctx):
    val = s.get("val_loss", [])
    loss = s.get("loss", [])
    if len(finite(val)) < 4:
        return NA
    val = until_nonfinite(val)
    if len(val) < 4:
        return NA
    b, n = int(np.argmin(val)), len(val)
    end = float(np.mean(val[-2:]))
    falling = True
    if len(loss) == len(s.get("val_loss", [])) and all(x is not None and math.isfinite(x) for x in loss[:n]):
        falling = loss[n - 1] < loss[b]
    elif s.get("step:loss"):  # per-step training loss: compare its means over the evaluation intervals
        segments = [float(np.mean(c)) if len(c) else math.nan for c in np.array_split(np.array(s["step:loss"], float), len(s["val_loss"]))]
        falling = segments[n - 1] < segments[b] if all(math.isfinite(x) for x in segments[:n]) else False
    first_train = finite(loss or s.get("step:loss", []))[:1]
    reference = max([abs(val[0])] + [abs(x) for x in first_train])
    meaningful = end - val[b] >= 0.05 * reference  # not noise on a loss that is already ~0
    if b <= n - 3 and end >= 1.2 * val[b] and falling and meaningful:
        return PRESENT
    if b <= n - 2 and end >= 1.05 * val[b] and meaningful:
        return BORDERLINE
    return None


def _stays_zero(xs):
    """Exactly 0 (as printed) from its first 0 on, at least for most of the rest of the run."""
    first = next(i for i, x in enumerate(xs) if x == 0)
    rest = xs[first:]
    return sum(1 for x in rest if x == 0) >= 0.5 * len(rest)


def zero(s, ctx):
    states = []
    if ctx["task"] in ("classification-binary", "classification-multiclass", "language-model"):
        for name in ("loss", "step:loss"):
            xs = s.get(name, [])
            if not xs:
                continue
            early = xs[:3] if name == "loss" else xs[:max(3, len(xs) // 2)]
            if name == "loss" and all(x is not None and abs(x) < 1e-6 for x in early):
                states.append(PRESENT)  # e.g. 6e-08 from epoch 1: the clipped log(1) of a one-unit softmax
            elif any(x == 0 for x in early) and _stays_zero(xs):
                states.append(PRESENT)
            elif any(x is not None and math.isfinite(x) and abs(x) < 1e-4 for x in xs):
                states.append(BORDERLINE)
            else:
                states.append(None)
    for name in ("acc", "val_acc"):
        xs = finite(s.get(name, []))
        if xs:
            states.append(PRESENT if all(x == 0 for x in xs) else None)
    return worst(*states) if states else NA


def not_converged(s, ctx):
    xs = until_nonfinite(train_loss(s))
    if len(xs) < 4:
        return NA
    back = xs[-max(2, len(xs) // 4) - 1]
    if xs[-1] < 0.9 * back and xs[-1] < xs[-2] * 1.001:
        return PRESENT
    return BORDERLINE if xs[-1] < 0.99 * back else None


def too_short(s, ctx):
    return PRESENT if max(len(v) for v in s.values()) < 5 else None


DETECTORS = {
    "non-finite": non_finite, "diverging": diverging, "spike": spike, "oscillating": oscillating, "flat": flat,
    "chance-level": chance_level, "majority-class": majority_class, "metric-mismatch": metric_mismatch,
    "leak-suspect": leak_suspect, "overfitting": overfitting, "zero": zero, "not-converged": not_converged,
    "too-short": too_short,
}
HARMLESS = {"spike", "not-converged", "too-short"}  # info, or a recovered one-off: never a reason to drop a run


def judge(shown, ctx):
    return {rule: detect(shown, ctx) for rule, detect in DETECTORS.items()}


def label(require, allow, shown, ctx):
    """(require, allow, None) for an artifact, or (None, None, reason) when the numbers contradict the scenario."""
    states = judge(shown, ctx)
    if ctx.get("crash"):
        return require, sorted(set(allow)), None
    kept, allowed = [], set(allow)
    for group in require:
        seen = [states.get(r, NA) for r in group]
        if PRESENT in seen:
            kept.append(group)
        elif all(x == NA for x in seen):
            allowed |= set(group)  # this artifact does not show what the requirement needs
        else:
            return None, None, f"{'|'.join(group)} did not materialize ({', '.join(f'{r}={x}' for r, x in zip(group, seen))})"
    named = {r for g in kept for r in g} | allowed
    for rule, state in states.items():
        if rule in named:
            continue
        if state == PRESENT and rule not in HARMLESS:
            return None, None, f"unexpected {rule}"
        if state in (PRESENT, BORDERLINE):
            allowed.add(rule)
    return kept, sorted(allowed), None
