#!/usr/bin/env bash
# Nsight Compute source-level counters of backward kernels at the benchmark shape, length 2048 (from the repository
# root on the GPU machine, with .gpu from tools/gpu/package.sh): executed SASS instructions by opcode per 32 state
# updates and warp-stall samples by reason, per kernel. CODES: backward codes (400 = version 4, 4 = version 1 with 4
# states per lane; version 3's 316/308 were removed). Results: $OUT/ncu_source_bwd<CODE>.csv, $OUT/profile_log.txt.
set -uo pipefail
source .gpu/env.sh
{
  for c in ${CODES:-400 4}; do
    echo "=== backward $c ($(date +%T))"
    timeout 150 ncu --clock-control none --section SourceCounters --section WarpStateStats \
      -k regex:'seqbench_scan_bwd(_ns|4)' -c 1 --page source --print-source sass --csv \
      $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out /tmp/p$c.json --lengths 2048 --warmup 0 \
      --repeats 1 --bwd-ns $c > "$OUT/ncu_source_bwd$c.csv" 2>&1
    echo "ncu exit $?"
    python3 $G/ncu_source_summary.py "$OUT/ncu_source_bwd$c.csv" $UPDATES
  done
} 2>&1 | tee "$OUT/profile_log.txt"
