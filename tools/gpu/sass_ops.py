#!/usr/bin/env python3
"""Opcode counts per kernel in `cuobjdump -sass` output (stdin), for kernels whose name contains argv[1] (all if
none): a check that a microbenchmark's loop holds the instructions it is meant to (tools/gpu/update_bound.cu,
tools/gpu/bwd_bound.cu). Usage there: cuobjdump -sass .gpu/bwd_bound | python3 tools/gpu/sass_ops.py bwd_bound"""
import collections
import re
import sys

pattern = sys.argv[1] if len(sys.argv) > 1 else ""
counts = collections.OrderedDict()
name = None
for line in sys.stdin:
    m = re.search(r"Function : (\S+)", line)
    if m:
        name = m.group(1) if pattern in m.group(1) else None
        if name:
            counts[name] = collections.Counter()
        continue
    if name:
        m = re.search(r"/\*[0-9a-f]{4}\*/\s+(?:@!?U?P[T0-9]\s+)?([A-Z][A-Z0-9_]*)", line)
        if m:
            counts[name][m.group(1)] += 1
for name, c in counts.items():
    print(name)
    print("   ", "  ".join(f"{op} {n}" for op, n in c.most_common(14)))
