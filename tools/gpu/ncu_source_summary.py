#!/usr/bin/env python3
"""Sums an `ncu --page source --print-source sass --csv` export (one kernel) by opcode (executed warp
instructions) and by stall reason (warp-state samples, all and not-issued), and names the instructions with the
most stall samples. Usage: ncu_source_summary.py FILE.csv [updates_per_warp_instruction_unit]"""
import collections, csv, io, re, sys

text = open(sys.argv[1], errors="replace").read()
start = text.find('"Address","Source"')
kernel = re.findall(r'"Kernel Name","([^"]+)"', text)
rows = list(csv.DictReader(io.StringIO(text[start:])))
warp_updates = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0


def num(v):
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return 0.0


ops, stalls, stalls_ni = collections.Counter(), collections.Counter(), collections.Counter()
per_inst = []
total = 0.0
for r in rows:
    src = r.get("Source", "")
    m = re.match(r"\s*(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)", src)
    if not m:
        continue
    n = num(r.get("Instructions Executed", 0))
    ops[m.group(1)] += n
    total += n
    for k, v in r.items():
        if k and k.startswith("stall_"):
            (stalls_ni if k.endswith("(Not Issued)") else stalls)[k.replace(" (Not Issued)", "")] += num(v)
    per_inst.append((num(r.get("Warp Stall Sampling (All Samples)", 0)), r.get("Address", ""), src.strip()))
print("kernel", kernel[0] if kernel else "?", "executed warp instructions %.0f" % total)
unit = warp_updates if warp_updates else total
label = "per 32 updates" if warp_updates else "fraction"
print("by opcode (%s):" % label, ", ".join("%s %.2f" % (k, v / unit) for k, v in ops.most_common(24)))
st = sum(stalls.values()) or 1
print("stall samples (all) by reason:", ", ".join("%s %.1f%%" % (k[6:], 100 * v / st)
                                                 for k, v in stalls.most_common(10)))
sn = sum(stalls_ni.values()) or 1
print("stall samples (not issued) by reason:", ", ".join("%s %.1f%%" % (k[6:], 100 * v / sn)
                                                        for k, v in stalls_ni.most_common(10)))
per_inst.sort(reverse=True)
print("instructions with the most samples:", "; ".join("%s %s (%.1f%%)" % (a, s[:40], 100 * x / st)
                                                      for x, a, s in per_inst[:8]))
