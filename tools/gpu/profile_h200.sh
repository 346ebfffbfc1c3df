#!/usr/bin/env bash
# Nsight Compute on the default kernels at the benchmark shape, length 2048 (from the repository root on the GPU
# machine, with .gpu from tools/gpu/package.sh): sections and pipe metrics of the forward, the forward saving states
# and the backward; source-level counters (instructions by opcode per 32 state updates, stall reasons) of the
# forward and of the backward (version 4 and version 1, through profile_bwd_source.sh); static SASS opcode counts.
# Results: $OUT/{ncu.txt, ncu_source_fwd4.csv, ncu_source_bwd400.csv, ncu_source_bwd4.csv, profile_log.txt, sass.txt}.
set -uo pipefail
source .gpu/env.sh
RUN="$J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out /tmp/ncu.json --lengths 2048 --warmup 0 --repeats 1"
K='seqbench_scan_(fwd4|bwd4)'
{
  echo "=== sections ($(date +%T))"
  timeout 120 ncu --clock-control none --section SpeedOfLight --section ComputeWorkloadAnalysis --section SchedulerStats \
    --section WarpStateStats --section Occupancy --section LaunchStats --section InstructionStats \
    -k regex:"$K" -c 3 $RUN > "$OUT/ncu.txt" 2>&1
  timeout 100 ncu --clock-control none \
    --metrics smsp__inst_executed.sum,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active,sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active,dram__throughput.avg.pct_of_peak_sustained_elapsed \
    -k regex:"$K" -c 3 $RUN >> "$OUT/ncu.txt" 2>&1
  grep -E "seqbench_scan|Duration|DRAM Throughput|Issue Slots Busy|Eligible Warps|Active Warps Per|Registers Per|Block Limit (Reg|Sh)|smsp__inst|pipe_xu|pipe_fma|issue_active|dram__" "$OUT/ncu.txt" | head -60
  echo "=== forward source counters ($(date +%T))"
  timeout 120 ncu --clock-control none --section SourceCounters --section WarpStateStats -k regex:seqbench_scan_fwd4 \
    -c 1 --page source --print-source sass --csv $RUN > "$OUT/ncu_source_fwd4.csv" 2>&1
  python3 $G/ncu_source_summary.py "$OUT/ncu_source_fwd4.csv" $UPDATES
} 2>&1 | tee "$OUT/profile_log_fwd.txt"
OUT=$OUT CODES="${CODES:-400 4}" bash $G/profile_bwd_source.sh > /dev/null 2>&1
cat "$OUT/profile_log.txt" >> "$OUT/profile_log_fwd.txt"; mv "$OUT/profile_log_fwd.txt" "$OUT/profile_log.txt"
grep -E "^kernel|^by opcode|^stall samples \(not" "$OUT/profile_log.txt"
python3 - "$G/seqbench-cuda.jar" > "$OUT/sass.txt" 2>&1 <<'PY'
import collections, re, subprocess, sys, zipfile
open("/tmp/ss.fatbin", "wb").write(zipfile.ZipFile(sys.argv[1]).read("io/seqbench/kernels/cuda/selective_scan.fatbin"))
for fn in ["seqbench_scan_fwd4_w4", "seqbench_scan_fwd3_ns4_sw0_o3", "seqbench_scan_bwd4", "seqbench_scan_bwd_ns4"]:
    sass = subprocess.run(["cuobjdump", "-sass", "-arch", "sm_90", "-fun", fn, "/tmp/ss.fatbin"], capture_output=True, text=True).stdout
    ops = collections.Counter(m.group(1) for l in sass.splitlines() for m in [re.match(r"\s*/\*[0-9a-f]+\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)", l)] if m)
    print(fn, "static instructions:", sum(ops.values()), "|", ", ".join(f"{k} {v}" for k, v in ops.most_common(20)))
PY
cat "$OUT/sass.txt"
