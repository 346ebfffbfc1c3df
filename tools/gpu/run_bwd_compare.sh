#!/usr/bin/env bash
# Backward versions side by side on the GPU machine (from the repository root, with .gpu from tools/gpu/package.sh):
#   1. run_h200.sh (TORCH=0, --sweep, SANITIZE=1): verification of every kernel against the Java reference (every
#      backward choice on the 9 shapes), the benchmark with the default backward and the sweep (every backward
#      choice timed), compute-sanitizer memcheck/racecheck on the small cases
#   2. the verification again with each backward code in CODES as the default (-Dseqbench.scan.bwd=CODE), so that
#      its errors and bitwise repeatability are in the main table
#   3. the benchmark (forward, forward+backward) with each of them (--bwd-ns CODE)
#   4. Nsight Compute at length 2048 on version 1 (code 4) and each of them
#   5. a short table (last)
# CODES: backward codes (default "400": version 4; 4, 8, 16: version 1). (Written for the version-3 comparison of
# 2026-11-28, codes 308 316; versions 2 and 3 of the backward have since been removed.)
# Results: $OUT/{log.txt, verification.json, verification_bwd<CODE>.json, benchmark.json, benchmark_bwd<CODE>.json,
# ncu_bwd.txt}.
set -uo pipefail
source .gpu/env.sh
W=/tmp/seqbench-work
mkdir -p "$W"
CODES=${CODES:-400}
{
  OUT=$W TORCH=0 BENCH_ARGS=--sweep SANITIZE=1 PROFILE=0 bash $G/run_h200.sh
  cp $W/verification.json $W/benchmark.json "$OUT/"
  for c in $CODES; do
    echo; echo "=== verification with backward $c as the default ($(date +%T))"
    mkdir -p $W/v$c
    timeout 200 $J -Dseqbench.scan.bwd=$c -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out $W/v$c \
      | grep -vE "^    (forward|backward) variant"
    cp $W/v$c/verification.json "$OUT/verification_bwd$c.json"
  done
  for c in $CODES; do
    echo; echo "=== benchmark with backward $c ($(date +%T))"
    timeout 150 $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out "$OUT/benchmark_bwd$c.json" --bwd-ns $c
  done
  echo; echo "=== Nsight Compute, backward at length 2048 ($(date +%T))"
  for c in 4 $CODES; do
    timeout 60 ncu --clock-control none --section SpeedOfLight --section SchedulerStats --section WarpStateStats \
      --section Occupancy --section LaunchStats --section InstructionStats \
      --metrics smsp__inst_executed.sum,smsp__issue_active.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active \
      -k regex:'seqbench_scan_bwd(_ns|2|4)' -c 1 \
      $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out /tmp/ncu$c.json --lengths 2048 --warmup 0 --repeats 1 --bwd-ns $c
  done > "$OUT/ncu_bwd.txt" 2>&1
  grep -E "seqbench_scan_bwd|Duration|Registers Per|Achieved Occupancy|Active Warps Per|Eligible Warps|Issue Slots Busy|No Eligible|smsp__inst_executed.sum|issue_active|==ERR" "$OUT/ncu_bwd.txt" | head -60
  echo; echo "=== summary ($(date +%T))"
  python3 - "$OUT" $CODES <<'PY'
import json, sys, os
out = sys.argv[1]
def load(n):
    p = os.path.join(out, n)
    return json.load(open(p)) if os.path.exists(p) else None
for n in ["verification.json"] + [f"verification_bwd{c}.json" for c in sys.argv[2:]]:
    v = load(n)
    if v is None:
        print(n, "missing"); continue
    worst, wv, ident = 0.0, {}, True
    for c in v["cases"]:
        ident &= bool(c.get("backward_repeat_bitwise_identical"))
        for e in c.get("errors", {}).values():
            if isinstance(e, dict):
                worst = max(worst, e.get("rel_max", 0) or 0, e.get("rel_l2", 0) or 0)
        for m in c.get("backward_variants", []):
            k = m["launch"]["kernel"].replace("seqbench_scan_", "")
            wv[k] = max(wv.get(k, 0), m["worst_rel_error"])
    print(n, "pass", v["pass"], "| default kernels worst %.2e, bwd repeat-identical %s | other bwd: %s" % (
        worst, ident, ", ".join("%s %.1e" % kv for kv in sorted(wv.items()))))
sw = load("benchmark.json")
if sw is not None:
    for r in sw["results"]:
        print("sweep L=%d backward:" % r["shape"]["length"], ", ".join("%s %.1f" % (
            m["launch"]["kernel"].replace("seqbench_scan_", ""), m["median_us"]) for m in r.get("backward_sweep", [])))
runs = [("default", load("benchmark.json"))] + [(c, load(f"benchmark_bwd{c}.json")) for c in sys.argv[2:]]
print("%-8s %6s %10s %10s %10s %10s %7s" % ("bwd", "L", "fwd us", "bwd us", "fwd+bwd", "kernel", "ratio"))
for name, b in runs:
    if b is None:
        print(name, "missing"); continue
    for r in b["results"]:
        p = r["passes"]
        f = p["forward"]["median_us"]; fb = p["forward_backward"]["median_us"]; bw = p["backward"]["median_us"]
        k = p["backward"]["launch"]["kernel"]
        print("%-8s %6d %10.1f %10.1f %10.1f %10s %7.2f" % (name, r["shape"]["length"], f, bw, fb, str(k).replace("seqbench_scan_", "")[:10], fb / f))
PY
} 2>&1 | tee "$OUT/log.txt"
