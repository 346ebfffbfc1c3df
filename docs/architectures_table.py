#!/usr/bin/env python3
"""Prints the summary table of docs/architectures.md from the run records of the step-time suite.

Usage: ./seqbench suite step-time && python3 docs/architectures_table.py runs/out

Reads, per family, the newest completed record named <family>-sizes (parameters, inference state at 1K/16K from
its summary), <family>-step-throughput (training step, prefill and decode at length 256) and <family>-step-memory
(peak resident set above baseline, allocation traffic per step). Missing records print as "not run".
"""
import json
import os
import sys

FAMILIES = ["lstm", "gru", "conv", "transformer", "s4", "mamba"]


def newest(runs_dir, name):
    best = None
    for d in os.listdir(runs_dir):
        try:
            with open(os.path.join(runs_dir, d, "run.json")) as f:
                info = json.load(f)
        except (OSError, ValueError):
            continue
        if info.get("name") == name and info.get("status") == "completed":
            if best is None or info.get("started_at", "") > best[0]:
                best = (info.get("started_at", ""), os.path.join(runs_dir, d))
    return best[1] if best else None


def lines(run):
    out = []
    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def point(records, kind, length):
    for r in records:
        if r.get("kind") == kind and r.get("length") == length and r.get("measured"):
            return r
    return None


def main():
    runs_dir = sys.argv[1] if len(sys.argv) > 1 else "runs/out"
    print("| family | parameters | state @ 1K | state @ 16K | train step (ms), median [min, max] | "
          "prefill (tokens/s) | decode at 256 (ms/token) | peak RSS above baseline (MB) | allocated per step (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fam in FAMILIES:
        cells = [fam]
        sizes = newest(runs_dir, fam + "-sizes")
        if sizes:
            with open(os.path.join(sizes, "summary.json")) as f:
                s = json.load(f)
            cells += ["{:,}".format(s["parameters"]), "{:,}".format(s["state_size"]["1024"]),
                      "{:,}".format(s["state_size"]["16384"])]
        else:
            cells += ["not run"] * 3
        tp = newest(runs_dir, fam + "-step-throughput")
        if tp:
            rec = lines(tp)
            t, p, d = point(rec, "throughput", 256), point(rec, "prefill", 256), point(rec, "decode", 256)
            cells.append("{:.0f} [{:.0f}, {:.0f}]".format(t["measured"]["median_seconds"] * 1e3,
                                                         t["measured"]["min_seconds"] * 1e3,
                                                         t["measured"]["max_seconds"] * 1e3) if t else "—")
            cells.append("{:,.0f}".format(p["measured"]["tokens_per_second"]) if p else "—")
            cells.append("{:.2f}".format(d["measured"]["median_seconds"] * 1e3) if d else "—")
        else:
            cells += ["not run"] * 3
        mem = newest(runs_dir, fam + "-step-memory")
        m = point(lines(mem), "memory", 256) if mem else None
        if m:
            cells.append("{:.0f}".format(m["measured"]["peak_minus_baseline_bytes"] / 2**20))
            cells.append("{:.1f}".format(m["values"]["allocated_bytes_per_step"] / 2**20))
        else:
            cells += ["not run"] * 2
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
