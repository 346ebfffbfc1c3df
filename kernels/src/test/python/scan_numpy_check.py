#!/usr/bin/env python3
"""Independent NumPy (float64) implementation of the selective scan, to cross-check `seqbench kernel scan`.

Usage:
  scan_numpy_check.py make DIR [--seed S] [--batch B --channels D --length L --state N --groups G]
                               [--softplus] [--no-D] [--no-z] [--no-bias] [--no-dy]
      writes random float32 inputs (u, delta, A, B, C, D, z, delta_bias, dy) into DIR; delta is raw (before
      softplus) with --softplus, otherwise already positive
  scan_numpy_check.py compare IN_DIR OUT_DIR [--softplus] [--tol 2e-3]
      recomputes y and the gradients from IN_DIR with NumPy and compares them with OUT_DIR's files
      (relative error in the 2-norm); exits 1 when any output is missing or off.

The math (Mamba's selective_scan_fn): delta += delta_bias; delta = softplus(delta) if asked;
h_t = exp(delta_t A) h_{t-1} + delta_t B_t u_t, y_t = C_t . h_t + D u_t, out = y * silu(z).
Gradients are computed by reverse-mode differentiation written out by hand below.
"""
import argparse
import os
import sys

import numpy as np


def expand_groups(x, channels):
    """(b, n, l) or (b, g, n, l) -> (b, channels, n, l): the B/C rows each channel reads."""
    if x.ndim == 3:
        return np.repeat(x[:, None], channels, axis=1)
    g = x.shape[1]
    return np.repeat(x, channels // g, axis=1)


def reduce_groups(dx, shape):
    """(b, channels, n, l) -> the B/C shape, summing the channels of each group."""
    b, d, n, l = dx.shape
    if len(shape) == 3:
        return dx.sum(axis=1)
    g = shape[1]
    return dx.reshape(b, g, d // g, n, l).sum(axis=2)


def scan(u, delta, A, B, C, D, z, bias, softplus, dy):
    u, delta, A, B, C = (np.asarray(x, np.float64) for x in (u, delta, A, B, C))
    b, d, l = u.shape
    n = A.shape[1]
    raw = delta + (bias[None, :, None] if bias is not None else 0.0)
    dt = np.log1p(np.exp(-np.abs(raw))) + np.maximum(raw, 0) if softplus else raw
    Bx = expand_groups(B, d)  # (b, d, n, l)
    Cx = expand_groups(C, d)
    dec = np.exp(dt[:, :, None, :] * A[None, :, :, None])  # (b, d, n, l)
    h = np.zeros((b, d, n, l + 1))
    for t in range(l):
        h[..., t + 1] = dec[..., t] * h[..., t] + dt[:, :, None, t] * Bx[..., t] * u[:, :, None, t]
    y = (Cx * h[..., 1:]).sum(axis=2)
    pre = y + (D[None, :, None] * u if D is not None else 0.0)
    sig = 1 / (1 + np.exp(-z)) if z is not None else None
    out = pre * z * sig if z is not None else pre
    if dy is None:
        return {"y": out}
    g_out = np.asarray(dy, np.float64)
    res = {"y": out}
    if z is not None:
        res["dz"] = g_out * pre * sig * (1 + z * (1 - sig))
        g_pre = g_out * z * sig
    else:
        g_pre = g_out
    du = g_pre * D[None, :, None] if D is not None else np.zeros_like(u)
    if D is not None:
        res["dD"] = (g_pre * u).sum(axis=(0, 2))
    dC = g_pre[:, :, None, :] * h[..., 1:]
    g = np.zeros((b, d, n))
    dB = np.zeros_like(Bx)
    dA = np.zeros_like(A)
    ddt = np.zeros_like(dt)
    for t in range(l - 1, -1, -1):
        g = g + g_pre[:, :, None, t] * Cx[..., t]
        hp = h[..., t]
        ddt[:, :, t] = (g * (A[None] * dec[..., t] * hp + Bx[..., t] * u[:, :, None, t])).sum(axis=2)
        dA += (g * dt[:, :, None, t] * dec[..., t] * hp).sum(axis=0)
        dB[..., t] = g * (dt * u)[:, :, None, t]
        du[:, :, t] += (g * dt[:, :, None, t] * Bx[..., t]).sum(axis=2)
        g = g * dec[..., t]
    draw = ddt / (1 + np.exp(-raw)) if softplus else ddt
    res.update({"du": du, "ddelta": draw, "dA": dA, "dB": reduce_groups(dB, B.shape),
                "dC": reduce_groups(dC, C.shape)})
    if bias is not None:
        res["ddelta_bias"] = draw.sum(axis=(0, 2))
    return res


def load(path):
    return np.load(path) if os.path.exists(path) else None


def make(args):
    r = np.random.default_rng(args.seed)
    b, d, l, n, g = args.batch, args.channels, args.length, args.state, args.groups
    os.makedirs(args.dir, exist_ok=True)
    f = np.float32
    bc = (b, n, l) if g == 0 else (b, g, n, l)
    arrays = {"u": r.standard_normal((b, d, l)), "delta": r.uniform(-4, 0.5, (b, d, l)) if args.softplus else r.uniform(0.001, 0.5, (b, d, l)),
              "A": -np.arange(1, n + 1)[None, :] * r.uniform(0.5, 1.5, (d, n)),
              "B": r.standard_normal(bc), "C": r.standard_normal(bc)}
    if not args.no_D:
        arrays["D"] = r.standard_normal(d)
    if not args.no_z:
        arrays["z"] = r.standard_normal((b, d, l))
    if not args.no_bias:
        arrays["delta_bias"] = r.uniform(-0.3, 0.3, d) if args.softplus else r.uniform(0, 0.1, d)
    if not args.no_dy:
        arrays["dy"] = r.standard_normal((b, d, l))
    for k, v in arrays.items():
        np.save(os.path.join(args.dir, k + ".npy"), v.astype(f))


def compare(args):
    i = lambda name: load(os.path.join(args.in_dir, name + ".npy"))
    ins = {k: i(k) for k in ["u", "delta", "A", "B", "C", "D", "z", "delta_bias", "dy"]}
    ins = {k: (v.astype(np.float64) if v is not None else None) for k, v in ins.items()}
    expected = scan(ins["u"], ins["delta"], ins["A"], ins["B"], ins["C"], ins["D"], ins["z"], ins["delta_bias"],
                    args.softplus, ins["dy"])
    ok = True
    for name, e in expected.items():
        got = load(os.path.join(args.out_dir, name + ".npy"))
        if got is None:
            print(f"{name}.npy: MISSING")
            ok = False
            continue
        if got.shape != e.shape or got.dtype != np.float32:
            print(f"{name}.npy: shape {got.shape} dtype {got.dtype}, expected {e.shape} float32")
            ok = False
            continue
        err = np.linalg.norm(got - e) / max(np.linalg.norm(e), 1e-300)
        flag = "ok" if err <= args.tol else "FAIL"
        ok &= err <= args.tol
        print(f"{name}.npy: relative error {err:.3e} {flag}")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--seed", type=int, default=0)
    for k, v in {"batch": 2, "channels": 8, "length": 100, "state": 16, "groups": 0}.items():
        m.add_argument("--" + k, type=int, default=v)
    for k in ["softplus", "no-D", "no-z", "no-bias", "no-dy"]:
        m.add_argument("--" + k, action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("in_dir")
    c.add_argument("out_dir")
    c.add_argument("--softplus", action="store_true")
    c.add_argument("--tol", type=float, default=2e-3)
    args = p.parse_args()
    if args.cmd == "make":
        make(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
