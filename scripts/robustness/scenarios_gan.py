"""GAN scenarios on a ring of 8 Gaussians (gan.py): a healthy non-saturating GAN, a healthy WGAN (critic loss
near 0), a discriminator that overpowers the generator (generator loss climbs steadily), NaN from log(sigmoid)."""
import numpy as np

import gan
from scenarios_common import Scenario, pick
from training import Run


def run_gan(seed, rng, kind, **kw):
    iters = int(pick(rng, [1500, 2000]))
    per_epoch = int(pick(rng, [50, 100]))
    records, modes = gan.train(seed, kind=kind, iters=iters, **kw)
    run = Run(task="gan", steps=records, steps_per_epoch=per_epoch,
              meta={"gan": "wgan" if kind == "wgan" else "gan", "kind": kind, "modes_covered": modes, "iters": iters, **kw})
    return run


def healthy(seed, rng):
    lr = float(pick(rng, [5e-4, 1e-3]))
    return run_gan(seed, rng, "gan", g_lr=lr, d_lr=lr, width=int(pick(rng, [32, 64])))


def wgan(seed, rng):
    lr = float(pick(rng, [1e-4, 2e-4]))
    return run_gan(seed, rng, "wgan", g_lr=lr, d_lr=lr, clip=0.02)


def d_overpowers(seed, rng):
    return run_gan(seed, rng, "gan", d_lr=float(pick(rng, [3e-3, 5e-3])), g_lr=float(pick(rng, [1e-5, 2e-5])), d_width=128)


def nan_naive(seed, rng):
    lr = float(pick(rng, [0.03, 0.05, 0.1]))
    return run_gan(seed, rng, "gan-naive", g_lr=lr, d_lr=lr)


def covers_modes(run):
    return None if run.meta["modes_covered"] >= 5 else f"only {run.meta['modes_covered']}/8 modes covered"


SCENARIOS = [
    Scenario("gan-healthy", "gan", healthy, [], ["not-converged"], formats="gan", checks=covers_modes),
    Scenario("gan-wgan-healthy", "gan", wgan, [], ["not-converged"], formats="gan", checks=covers_modes),
    Scenario("gan-d-overpowers", "gan", d_overpowers, [["diverging"]], ["spike", "not-converged"], formats="gan"),
    Scenario("gan-nan-naive-log", "gan", nan_naive, [["non-finite"]], ["diverging", "spike"], formats="gan"),
]
