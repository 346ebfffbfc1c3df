#!/usr/bin/env python3
"""Turns the selective-scan JMH JSON (and the memory report) into the Markdown tables of scan-cpu.md.

Usage: scan_cpu_table.py JMH.json [MEMORY.json]

Times are the medians (p0.50) of JMH sample-time mode; ns per state update = median / (batch*channels*length*state)
with batch 4, channels 256, state 16. Ratios compare medians from the same run.
"""
import json
import sys

BATCH, CHANNELS, STATE = 4, 256, 16


def main():
    runs = json.load(open(sys.argv[1]))
    med = {}
    alloc = {}
    bounds = []
    for r in runs:
        op = r["benchmark"].rsplit(".", 1)[1]
        if "params" not in r or "impl" not in r["params"]:
            bounds.append(r)
            continue
        p = r["params"]
        key = (op, p["impl"], int(p["length"]))
        unit = r["primaryMetric"]["scoreUnit"]
        scale = {"ms/op": 1e6, "us/op": 1e3, "ns/op": 1.0, "s/op": 1e9}[unit]
        med[key] = r["primaryMetric"]["scorePercentiles"]["50.0"] * scale  # ns
        gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if gc:
            alloc[key] = gc["score"]
    lengths = sorted({k[2] for k in med})
    impls = [i for i in ["fused", "fused-1t", "composite", "reference"] if any(k[1] == i for k in med)]
    for op in ["forward", "forwardBackward"]:
        print(f"\n#### {op}\n")
        print("| length | " + " | ".join(f"{i}: ms (ns/update)" for i in impls) + " | composite / fused |")
        print("|---:|" + "---:|" * len(impls) + "---:|")
        for L in lengths:
            updates = BATCH * CHANNELS * L * STATE
            cells = []
            for i in impls:
                v = med.get((op, i, L))
                cells.append("–" if v is None else f"{v / 1e6:.1f} ({v / updates:.2f})")
            c, f = med.get((op, "composite", L)), med.get((op, "fused", L))
            ratio = f"{c / f:.0f}×" if c and f else "–"
            print(f"| {L} | " + " | ".join(cells) + f" | {ratio} |")
    for r in bounds:
        unit = r["primaryMetric"]["scoreUnit"]
        scale = {"ms/op": 1e6, "us/op": 1e3, "ns/op": 1.0, "s/op": 1e9}[unit]
        ns = r["primaryMetric"]["scorePercentiles"]["50.0"] * scale
        name = r['benchmark'].rsplit('.', 2)[1] + "." + r['benchmark'].rsplit('.', 1)[1]
        if name.endswith(".exp"):
            print(f"\n{name}: median {ns / 1e3:.1f} us per call = {ns / 65536:.3f} ns per exponential "
                  f"(65536 per call)")
        else:
            print(f"\n{name}: median {ns / 1e6:.2f} ms per call (16 MB copied)")
    if alloc:
        print("\n#### Java heap allocated per call (JMH gc profiler, gc.alloc.rate.norm)\n")
        print("| op | length | " + " | ".join(impls) + " |")
        print("|---|---:|" + "---:|" * len(impls))
        for op in ["forward", "forwardBackward"]:
            for L in lengths:
                cells = [fmt_bytes(alloc.get((op, i, L))) for i in impls]
                print(f"| {op} | {L} | " + " | ".join(cells) + " |")
    if len(sys.argv) > 2:
        mem = json.load(open(sys.argv[2]))
        print("\n#### Extra memory per call (fresh JVM per row, `scan-memory`)\n")
        print("| op | length | impl | Java heap allocated | checkpoints kept | ND4J arrays allocated "
              "| ND4J arrays peak live | peak RSS growth | composite allocated / fused |")
        print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
        fused = {(m["op"], m["length"]): m["heapAllocatedBytes"] + m.get("checkpointBytes", 0)
                 for m in mem if m["impl"] == "fused"}
        for m in mem:
            ratio = ""
            if m["impl"] == "composite" and (m["op"], m["length"]) in fused:
                ratio = f"{(m['nd4jAllocatedBytes'] + m['heapAllocatedBytes']) / fused[(m['op'], m['length'])]:.0f}×"
            print(f"| {m['op']} | {m['length']} | {m['impl']} | {fmt_bytes(m['heapAllocatedBytes'])} | "
                  f"{fmt_bytes(m.get('checkpointBytes', 0))} | "
                  f"{fmt_bytes(m['nd4jAllocatedBytes'])} | {fmt_bytes(m['nd4jPeakBytes'])} | "
                  f"{fmt_bytes(m['peakRssGrowthBytes'])} | {ratio} |")


def fmt_bytes(b):
    if b is None:
        return "–"
    b = float(b)
    for unit in ["B", "KB", "MB", "GB"]:
        if abs(b) < 1024 or unit == "GB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024


if __name__ == "__main__":
    main()
