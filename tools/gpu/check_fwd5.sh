#!/usr/bin/env bash
# Forward version 5 on the GPU machine (from the repository root, with .gpu from tools/gpu/package.sh plus
# .gpu/namedbar_racecheck and .gpu/fwd_variants built as their sources say):
#   1. the minimal named-barrier hand-over (bar.arrive → bar.sync) and its bar.sync-only control, plain and under
#      racecheck: does the tool report the pattern by itself?
#   2. racecheck and synccheck on the version-5 launches of the quick verification
#   3. the forward variants side by side (fwd_variants, REPEATS rounds)
#   4. Nsight Compute on version 5 at L = 2048: pipes, issue, stall reasons by SASS instruction
# Results: $OUT/{fwd5_check.txt, fwd_variants.txt, ncu_fwd5.txt, ncu_source_fwd5.csv}.
set -uo pipefail
source .gpu/env.sh
{
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm --format=csv,noheader
  for m in arrive sync; do
    echo "=== 1. named-barrier hand-over: $m"
    .gpu/namedbar_racecheck $m
    timeout 60 compute-sanitizer --tool racecheck --racecheck-report hazard .gpu/namedbar_racecheck $m 2>&1 | tail -4
  done
  for tool in racecheck synccheck; do
    echo "=== 2. $tool on seqbench_scan_fwd5 (quick verification)"
    extra=""; [ $tool = racecheck ] && extra="--racecheck-report hazard"
    timeout 150 compute-sanitizer --tool $tool $extra --kernel-name kns=seqbench_scan_fwd5 --print-limit 4 \
      $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick 2>&1 | grep -v '^\s*$' | tail -14
  done
} 2>&1 | tee "$OUT/fwd5_check.txt"
echo "=== 3. forward variants"
timeout 200 .gpu/fwd_variants ${REPEATS:-30} > "$OUT/fwd_variants.txt" 2>&1
echo "=== 4. Nsight Compute on version 5 at L = 2048"
timeout 100 ncu --clock-control none --section SchedulerStats --section WarpStateStats --section Occupancy \
  --metrics smsp__inst_executed.sum,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active,sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active,dram__throughput.avg.pct_of_peak_sustained_elapsed,l1tex__data_pipe_lsu_wavefronts_mem_shared.sum,smsp__inst_executed_pipe_lsu.avg.pct_of_peak_sustained_active \
  -k regex:x_fwd5 -c 1 .gpu/fwd_variants 1 2048 > "$OUT/ncu_fwd5.txt" 2>&1
timeout 100 ncu --clock-control none --section SourceCounters --section WarpStateStats -k regex:x_fwd5 \
  -c 1 --page source --print-source sass --csv .gpu/fwd_variants 1 2048 > "$OUT/ncu_source_fwd5.csv" 2>&1
python3 $G/ncu_source_summary.py "$OUT/ncu_source_fwd5.csv" $UPDATES | tee "$OUT/ncu_fwd5_summary.txt"
grep -E "Issue Slots|Eligible Warps|Active Warps Per|No Eligible|Achieved Occ|smsp__inst|pipe_xu|pipe_fma|issue_active|dram__|lsu|shared" "$OUT/ncu_fwd5.txt" | head -30
echo "=== variants (µs, max rel. vs default)"
cat "$OUT/fwd_variants.txt"
