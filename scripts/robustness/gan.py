"""A tiny GAN on a ring of 8 Gaussians, in plain JAX (two MLPs, hand-written Adam/RMSprop).

kind: "gan" (non-saturating BCE losses, from logits), "gan-naive" (log(sigmoid(.)) written out, as many
tutorials do: it overflows to inf/NaN once D saturates) or "wgan" (critic with weight clipping, RMSprop).
Returns per-iteration records {d_loss, g_loss, d_x, d_gz}.
"""
import jax
import jax.numpy as jnp
import numpy as np


def ring(rng, n, modes=8, radius=2.0, std=0.05):
    angle = 2 * np.pi * rng.integers(0, modes, n) / modes
    return (np.c_[np.cos(angle), np.sin(angle)] * radius + std * rng.normal(size=(n, 2))).astype("float32")


def init_mlp(key, sizes):
    params = []
    for a, b in zip(sizes, sizes[1:]):
        key, sub = jax.random.split(key)
        params.append((jax.random.normal(sub, (a, b)) * (1.0 / np.sqrt(a)), jnp.zeros(b)))
    return params


def apply_mlp(params, x):
    for w, b in params[:-1]:
        x = jax.nn.leaky_relu(x @ w + b, 0.2)
    w, b = params[-1]
    return x @ w + b


def adam(lr, b1=0.5, b2=0.999):
    def init(p):
        zeros = jax.tree_util.tree_map(jnp.zeros_like, p)
        return (zeros, zeros, jnp.zeros(()))

    def update(g, state, p):
        m, v, t = state
        t += 1
        m = jax.tree_util.tree_map(lambda m_, g_: b1 * m_ + (1 - b1) * g_, m, g)
        v = jax.tree_util.tree_map(lambda v_, g_: b2 * v_ + (1 - b2) * g_ * g_, v, g)
        p = jax.tree_util.tree_map(lambda p_, m_, v_: p_ - lr * (m_ / (1 - b1 ** t)) / (jnp.sqrt(v_ / (1 - b2 ** t)) + 1e-8), p, m, v)
        return p, (m, v, t)
    return init, update


def rmsprop(lr, rho=0.9):
    def init(p):
        return jax.tree_util.tree_map(jnp.zeros_like, p)

    def update(g, v, p):
        v = jax.tree_util.tree_map(lambda v_, g_: rho * v_ + (1 - rho) * g_ * g_, v, g)
        p = jax.tree_util.tree_map(lambda p_, g_, v_: p_ - lr * g_ / (jnp.sqrt(v_) + 1e-8), p, g, v)
        return p, v
    return init, update


def train(seed, kind="gan", iters=2000, batch=128, g_lr=1e-3, d_lr=1e-3, width=64, d_width=None, latent=4,
          n_critic=5, clip=0.01):
    rng = np.random.default_rng(seed)
    key = jax.random.PRNGKey(seed)
    kg, kd = jax.random.split(key)
    g = init_mlp(kg, [latent, width, width, 2])
    d_w = d_width or width
    d = init_mlp(kd, [2, d_w, d_w, 1])
    wgan = kind == "wgan"
    g_init, g_upd = (rmsprop(g_lr) if wgan else adam(g_lr))
    d_init, d_upd = (rmsprop(d_lr) if wgan else adam(d_lr))
    gs, ds = g_init(g), d_init(d)

    def d_loss_fn(d, g, real, z):
        fake = apply_mlp(g, z)
        lr_, lf = apply_mlp(d, real), apply_mlp(d, fake)
        if wgan:
            loss = jnp.mean(lf) - jnp.mean(lr_)
        elif kind == "gan-naive":
            loss = -jnp.mean(jnp.log(jax.nn.sigmoid(lr_))) - jnp.mean(jnp.log(1 - jax.nn.sigmoid(lf)))
        else:
            loss = jnp.mean(jax.nn.softplus(-lr_)) + jnp.mean(jax.nn.softplus(lf))
        return loss, (jnp.mean(jax.nn.sigmoid(lr_)), jnp.mean(jax.nn.sigmoid(lf)))

    def g_loss_fn(g, d, z):
        lf = apply_mlp(d, apply_mlp(g, z))
        if wgan:
            return -jnp.mean(lf)
        if kind == "gan-naive":
            return -jnp.mean(jnp.log(jax.nn.sigmoid(lf)))
        return jnp.mean(jax.nn.softplus(-lf))

    @jax.jit
    def d_step(d, ds, g, real, z):
        (loss, aux), grads = jax.value_and_grad(d_loss_fn, has_aux=True)(d, g, real, z)
        d, ds = d_upd(grads, ds, d)
        if wgan:
            d = jax.tree_util.tree_map(lambda p: jnp.clip(p, -clip, clip), d)
        return d, ds, loss, aux

    @jax.jit
    def g_step(g, gs, d, z):
        loss, grads = jax.value_and_grad(g_loss_fn)(g, d, z)
        g, gs = g_upd(grads, gs, g)
        return g, gs, loss

    @jax.jit
    def block(state, data):
        def one(state, xs):
            g, gs, d, ds = state
            reals, zs, zg = xs
            for j in range(reals.shape[0]):
                d, ds, dl, (dx, dgz) = d_step(d, ds, g, reals[j], zs[j])
            g, gs, gl = g_step(g, gs, d, zg)
            return (g, gs, d, ds), jnp.stack([dl, gl, dx, dgz])
        return jax.lax.scan(one, state, data)

    records, state, k, chunk = [], (g, gs, d, ds), (n_critic if wgan else 1), 100
    for start in range(0, iters, chunk):
        n = min(chunk, iters - start)
        data = (ring(rng, n * k * batch).reshape(n, k, batch, 2),
                rng.normal(size=(n, k, batch, latent)).astype("float32"), rng.normal(size=(n, batch, latent)).astype("float32"))
        state, out = block(state, data)
        records += [dict(zip(("d_loss", "g_loss", "d_x", "d_gz"), map(float, row))) for row in np.asarray(out)]
    g = state[0]
    samples = np.asarray(apply_mlp(g, rng.normal(size=(512, latent)).astype("float32")))
    return records, modes_covered(samples)


def modes_covered(samples, modes=8, radius=2.0):
    """How many of the ring's modes have at least 2% of the samples within 0.5 of their centre."""
    angle = 2 * np.pi * np.arange(modes) / modes
    centres = np.c_[np.cos(angle), np.sin(angle)] * radius
    if not np.all(np.isfinite(samples)):
        return 0
    dist = np.linalg.norm(samples[:, None, :] - centres[None], axis=2)
    near = (dist.min(1) < 0.5)
    counts = np.bincount(dist.argmin(1)[near], minlength=modes)
    return int((counts >= 0.02 * len(samples)).sum())
