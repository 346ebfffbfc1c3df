#!/usr/bin/env python3
"""PyTorch baselines for SeqBench's fused CUDA selective scan: the same math written straightforwardly.

Two implementations of the selective-scan contract (io.seqbench.kernels.scan, Mamba's selective_scan_fn):
  * sequential: a Python loop over the length, one state update per step on (batch, channels, state) tensors;
  * chunked:    the sequence cut into chunks of T steps; the recurrence runs over the T steps of every chunk at once
                (chunks in parallel, each from a zero state), the log-decays are cumulated within each chunk, a short
                loop over chunk boundaries carries the states, and exp(cumulated log-decay)·carry corrects each step.
Both are differentiated by autograd. Shapes: u, delta, z (b, d, l); A (d, n); B, C (b, n, l) or (b, g, n, l);
D, delta_bias (d).

Modes (each writes JSON):
  --bench OUT.json   time both, forward and forward+backward, with CUDA events, on batch 8, channels 2048,
                     state 16, lengths 512/2048/8192 (the sequential version's repeats are capped: it is slow);
                     with --java-json, also print the side-by-side table against SeqBench's CUDA kernels
  --check DIR OUT.json  load a case written by io.seqbench.kernels.cuda.CudaScanVerification (inputs and the CUDA
                     kernel's results), recompute it in float64 with both implementations and autograd, report the
                     relative errors
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def _prepare(u, delta, A, B, C, delta_bias, delta_softplus):
    dt = delta if delta_bias is None else delta + delta_bias[None, :, None]
    if delta_softplus:
        dt = F.softplus(dt)
    b, d, l = u.shape
    n = A.shape[1]
    if B.dim() == 3:
        B, C = B.unsqueeze(1), C.unsqueeze(1)
    g = B.shape[1]
    return dt, b, d, l, n, g, d // g, B, C


def _finish(y, u, D, z):
    out = y if D is None else y + D[None, :, None] * u
    if z is not None:
        out = out * F.silu(z)
    return out


def scan_sequential(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False):
    """Returns (out, last_state). One step at a time: h = exp(Δ_t A) h + Δ_t B_t u_t, y_t = C_t·h."""
    dt, b, d, l, n, g, cpg, B, C = _prepare(u, delta, A, B, C, delta_bias, delta_softplus)
    dtg = dt.view(b, g, cpg, l)
    ug = u.view(b, g, cpg, l)
    Ag = A.view(1, g, cpg, n)
    h = u.new_zeros(b, g, cpg, n)
    ys = []
    for t in range(l):
        decay = torch.exp(dtg[..., t, None] * Ag)                            # (b, g, cpg, n)
        h = decay * h + (dtg[..., t] * ug[..., t])[..., None] * B[:, :, None, :, t]
        ys.append((h * C[:, :, None, :, t]).sum(-1))                          # (b, g, cpg)
    y = torch.stack(ys, dim=-1).reshape(b, d, l)
    return _finish(y, u, D, z), h.reshape(b, d, n)


def scan_chunked(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False, chunk=64):
    """Returns (out, last_state). Chunks of `chunk` steps scanned in parallel, then carried across boundaries."""
    dt, b, d, l, n, g, cpg, B, C = _prepare(u, delta, A, B, C, delta_bias, delta_softplus)
    T = chunk
    nc = (l + T - 1) // T
    pad = nc * T - l
    if pad:  # padded steps have Δ = 0: decay 1, no input, so the state passes through unchanged
        dt, uu = F.pad(dt, (0, pad)), F.pad(u, (0, pad))
        B, C = F.pad(B, (0, pad)), F.pad(C, (0, pad))
    else:
        uu = u
    dtc = dt.view(b, g, cpg, nc, T)
    xc = (dt * uu).view(b, g, cpg, nc, T)
    Bc = B.view(b, g, n, nc, T).permute(0, 1, 3, 4, 2).unsqueeze(2)       # (b, g, 1, nc, T, n)
    Cc = C.view(b, g, n, nc, T).permute(0, 1, 3, 4, 2).unsqueeze(2)
    logdecay = dtc[..., None] * A.view(1, g, cpg, 1, 1, n)               # (b, g, cpg, nc, T, n)
    h = u.new_zeros(b, g, cpg, nc, n)
    hs = []
    for t in range(T):                                                     # all chunks at once, each from 0
        h = torch.exp(logdecay[..., t, :]) * h + xc[..., t, None] * Bc[..., t, :]
        hs.append(h)
    hloc = torch.stack(hs, dim=-2)                                          # (b, g, cpg, nc, T, n)
    cum = torch.cumsum(logdecay, dim=-2)                                    # log Π decays from chunk start to t
    chunk_decay = torch.exp(cum[..., -1, :])                                # (b, g, cpg, nc, n)
    carry = u.new_zeros(b, g, cpg, n)
    carries = []
    for c in range(nc):                                                     # state entering each chunk
        carries.append(carry)
        carry = chunk_decay[..., c, :] * carry + hloc[..., c, -1, :]
    hin = torch.stack(carries, dim=3)                                       # (b, g, cpg, nc, n)
    hfull = hloc + torch.exp(cum) * hin[..., None, :]
    y = (hfull * Cc).sum(-1).reshape(b, d, nc * T)[..., :l]
    return _finish(y, u, D, z), carry.reshape(b, d, n)


def make_inputs(b, d, l, n, device, dtype=torch.float32, seed=0):
    """Mamba's configuration, like the Java benchmark's: uniform inputs, A = -(n+1), dt log-uniform."""
    gen = torch.Generator(device=device).manual_seed(seed)
    uni = lambda shape, lo, hi: lo + (hi - lo) * torch.rand(shape, generator=gen, device=device, dtype=dtype)
    u = uni((b, d, l), -1, 1)
    delta = uni((b, d, l), -2, 2)
    z = uni((b, d, l), -2, 2)
    B = uni((b, n, l), -1, 1)
    C = uni((b, n, l), -1, 1)
    A = -torch.arange(1, n + 1, device=device, dtype=dtype).repeat(d, 1)
    D = uni((d,), 0.5, 1.5)
    dt = torch.exp(math.log(1e-3) + torch.rand((d,), generator=gen, device=device, dtype=dtype) * math.log(100))
    delta_bias = dt + torch.log(-torch.expm1(-dt))
    return dict(u=u, delta=delta, A=A, B=B, C=C, D=D, z=z, delta_bias=delta_bias, delta_softplus=True)


def time_cuda(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeats):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop) * 1e3)  # microseconds
    return times


def bench(args):
    dev = torch.device("cuda")
    results = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
               "method": "CUDA events around each call; median; forward under torch.no_grad(); forward+backward ="
                         " forward with autograd + backward of (out * dout).sum() w.r.t. every input",
               "rows": []}
    print(f"PyTorch {torch.__version__} on {torch.cuda.get_device_name(0)}", flush=True)
    for l in args.lengths:
        inp = make_inputs(args.batch, args.channels, l, args.state, dev, seed=l)
        dout = torch.rand_like(inp["u"]) * 2 - 1
        for name, fn in (("sequential", scan_sequential), ("chunked", scan_chunked)):
            reps = args.seq_repeats[l] if name == "sequential" else args.repeats
            warm = 1 if name == "sequential" else 2
            row = {"impl": name, "length": l, "batch": args.batch, "channels": args.channels,
                   "state": args.state, "repeats": reps, "warmup": warm}
            try:
                with torch.no_grad():
                    t = time_cuda(lambda: fn(**inp), warm, reps)
                row["forward_us"] = float(np.median(t))
                leaves = {k: v.detach().clone().requires_grad_(True) if torch.is_tensor(v) else v
                          for k, v in inp.items()}

                def fwd_bwd():
                    out, _ = fn(**leaves)
                    grads = torch.autograd.grad((out * dout).sum(),
                                                [v for v in leaves.values() if torch.is_tensor(v)])
                    return grads

                t = time_cuda(fwd_bwd, warm, reps)
                row["forward_backward_us"] = float(np.median(t))
            except torch.OutOfMemoryError as e:
                row["error"] = "out of memory: " + str(e).splitlines()[0]
                torch.cuda.empty_cache()
            row["peak_memory_gb"] = torch.cuda.max_memory_allocated() / 1e9
            torch.cuda.reset_peak_memory_stats()
            print(json.dumps(row), flush=True)
            results["rows"].append(row)
        del inp, dout
        torch.cuda.empty_cache()
    with open(args.bench, "w") as f:
        json.dump(results, f, indent=2)
    if args.java_json:
        side_by_side(args.java_json, results)


def side_by_side(java_path, torch_results):
    with open(java_path) as f:
        java = json.load(f)
    cuda = {r["shape"]["length"]: r["passes"] for r in java["results"]}
    print()
    print(f"{'length':>6} {'pass':<8} {'seqbench_us':>12} {'torch_seq_us':>13} {'x_vs_seq':>9} {'torch_chunk_us':>15}"
          f" {'x_vs_chunk':>10}")
    for l in sorted(cuda):
        for key, label, tkey in (("forward", "fwd", "forward_us"), ("forward_backward", "fwd+bwd",
                                                                         "forward_backward_us")):
            ours = cuda[l][key]["median_us"]
            row = [r for r in torch_results["rows"] if r["length"] == l]
            seq = next((r.get(tkey) for r in row if r["impl"] == "sequential"), None)
            chk = next((r.get(tkey) for r in row if r["impl"] == "chunked"), None)
            fmt = lambda v: f"{v:.1f}" if v is not None else "-"
            ratio = lambda v: f"{v / ours:.1f}" if v is not None else "-"
            print(f"{l:>6} {label:<8} {ours:>12.1f} {fmt(seq):>13} {ratio(seq):>9} {fmt(chk):>15} {ratio(chk):>10}")


def rel_errors(x, ref):
    x, ref = x.double().flatten(), ref.double().flatten()
    err = (x - ref).abs()
    mref = ref.abs().max().item()
    return {"rel_max": err.max().item() / mref if mref else float(err.max().item()),
            "rel_l2": (err.norm() / ref.norm()).item() if ref.norm().item() else float(err.norm().item()),
            "non_finite": int((~torch.isfinite(x)).sum().item())}


def check(args):
    d = args.check
    load = lambda name: torch.from_numpy(np.load(f"{d}/{name}.npy")).to("cuda", torch.float64)
    inp = {k: load(k) for k in ("u", "delta", "A", "B", "C", "D", "z", "delta_bias")}
    inp["delta_softplus"] = "softplus=true" in open(f"{d}/case.txt").read()
    dout = load("dout")
    names = ["u", "delta", "A", "B", "C", "D", "z", "delta_bias"]
    report = {"case_dir": d, "shape": list(inp["u"].shape), "state": inp["A"].shape[1], "results": {}}
    ok = True
    for impl, fn in (("sequential", scan_sequential), ("chunked", scan_chunked)):
        leaves = {k: (v.clone().requires_grad_(True) if torch.is_tensor(v) else v) for k, v in inp.items()}
        out, last = fn(**leaves)
        grads = torch.autograd.grad((out * dout).sum(), [leaves[k] for k in names])
        res = {"out": rel_errors(load("cuda_out"), out), "last_state": rel_errors(load("cuda_last_state"), last)}
        gname = {"u": "du", "delta": "ddelta", "A": "dA", "B": "dB", "C": "dC", "D": "dD", "z": "dz",
                 "delta_bias": "ddelta_bias"}
        for k, gr in zip(names, grads):
            res[gname[k]] = rel_errors(load("cuda_" + gname[k]), gr)
        report["results"][impl] = res
        worst = max(max(v["rel_max"], v["rel_l2"]) for v in res.values())
        bad = sum(v["non_finite"] for v in res.values())
        ok &= worst <= 1e-3 and bad == 0
        print(f"CUDA kernel vs PyTorch {impl} (float64, autograd): worst relative error {worst:.2e} "
              f"({max(res, key=lambda k: max(res[k]['rel_max'], res[k]['rel_l2']))})", flush=True)
        for k, v in res.items():
            print(f"    {k:<12} rel_max {v['rel_max']:.2e}  rel_l2 {v['rel_l2']:.2e}")
    # the two PyTorch implementations against each other
    a, _ = scan_sequential(**inp)
    b, _ = scan_chunked(**inp)
    report["sequential_vs_chunked_out"] = rel_errors(b, a)
    print(f"PyTorch chunked vs sequential (float64): {report['sequential_vs_chunked_out']}")
    report["pass"] = bool(ok)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    print("TORCH CHECK PASSED" if ok else "TORCH CHECK FAILED", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", help="write timing results to this JSON file")
    p.add_argument("--java-json", help="SeqBench CUDA benchmark JSON, for the side-by-side table")
    p.add_argument("--check", help="directory of a case written by CudaScanVerification --torch-dir")
    p.add_argument("--out", default="torch_check.json", help="JSON for --check")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--channels", type=int, default=2048)
    p.add_argument("--state", type=int, default=16)
    p.add_argument("--lengths", type=lambda s: [int(x) for x in s.split(",")], default=[512, 2048, 8192])
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--seq-repeats", type=lambda s: dict(kv.split(":") for kv in s.split(",")),
                   default="512:5,2048:3,8192:2",
                   help="repeats of the (slow) sequential version per length, e.g. 512:5,2048:3,8192:2")
    args = p.parse_args()
    if isinstance(args.seq_repeats, dict):
        args.seq_repeats = {int(k): int(v) for k, v in args.seq_repeats.items()}
    for l in args.lengths:
        args.seq_repeats.setdefault(l, 2)
    if args.check:
        check(args)
    if args.bench:
        bench(args)
    if not (args.check or args.bench):
        p.print_help()
        sys.exit(2)


if __name__ == "__main__":
    main()
