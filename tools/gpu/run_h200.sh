#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, with the folder made by tools/gpu/package.sh at .gpu:
#   1. CUDA kernels vs the Java double-precision reference (every case, every output and gradient, every compiled
#      forward kernel of versions 3 and 4, every backward choice of versions 1 and 4)
#   2. CUDA kernels vs PyTorch (float64, autograd) on the first shape
#   3. the CUDA benchmark (batch 8, channels 2048, state 16, lengths 512/2048/8192) [with --sweep: the variants]
#   4. the PyTorch baselines on the same shapes, and the side-by-side table
#   5. optional: compute-sanitizer memcheck/racecheck on the small cases (SANITIZE=1)
#   6. optional: Nsight Compute on the default forward, forward saving states and backward at length 2048, with
#      the pipes' utilisation and the executed-instruction mix, the default forward's source-level counters
#      (NCU_SOURCE_KERNEL); the kernels' SASS opcode counts (PROFILE=1)
# TORCH=0 skips the PyTorch steps (2 and 4); JAVA_OPTS are passed to every JVM (e.g. -Dseqbench.scan.fwd.bulk=false).
# Results go to $OUT (verification.json, torch_check.json, benchmark.json, torch_bench.json, ncu.txt, sass.txt,
# ncu_source.csv, log.txt).
set -uo pipefail
source .gpu/env.sh
export PYTHONUNBUFFERED=1
BENCH_ARGS=${BENCH_ARGS:-}
NCU_KERNELS=${NCU_KERNELS:-seqbench_scan_(fwd|bwd4|bwd_ns)}
step() { echo; echo "=== $* ($(date +%T))"; }
{
  step "machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu --format=csv
  nvcc --version | tail -2
  $G/jre/bin/java -version 2>&1 | head -1
  [ "${TORCH:-1}" = 1 ] && python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)'
  step "1. verification against the Java reference"
  timeout 200 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out "$OUT" --torch-dir /tmp/seqbench-torchcase
  rc=$?; echo "verification exit $rc"
  if [ $rc -eq 124 ]; then echo "verification timed out: stopping"; exit 1; fi
  if [ "${TORCH:-1}" = 1 ]; then
    step "2. verification against PyTorch (float64 autograd)"
    timeout 120 python3 $G/scan_torch_bench.py --check /tmp/seqbench-torchcase --out "$OUT/torch_check.json"
  fi
  step "3. CUDA benchmark"
  timeout 200 $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out "$OUT/benchmark.json" $BENCH_ARGS
  if [ "${TORCH:-1}" = 1 ]; then
    step "4. PyTorch baselines"
    timeout ${TORCH_TIMEOUT:-200} python3 $G/scan_torch_bench.py --bench "$OUT/torch_bench.json" --java-json "$OUT/benchmark.json"
  fi
  if [ "${SANITIZE:-0}" = 1 ]; then
    step "5a. compute-sanitizer memcheck (small cases)"
    timeout 150 compute-sanitizer --tool memcheck --print-limit 20 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick 2>&1 | tail -8
    step "5b. compute-sanitizer racecheck (small cases)"
    timeout 150 compute-sanitizer --tool racecheck --print-limit 20 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick 2>&1 | tail -8
  fi
  if [ "${PROFILE:-0}" = 1 ]; then
    step "6. Nsight Compute at length 2048: $NCU_KERNELS (forward, forward saving states, backward)"
    NCU_RUN="$J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out /tmp/ncu.json --lengths 2048 --warmup 0 --repeats 1"
    timeout 120 ncu --clock-control none --section SpeedOfLight --section ComputeWorkloadAnalysis \
      --section SchedulerStats --section WarpStateStats --section Occupancy --section LaunchStats \
      --section InstructionStats -k regex:"$NCU_KERNELS" -c 3 $NCU_RUN > "$OUT/ncu.txt" 2>&1
    echo "ncu exit $?"
    timeout 100 ncu --clock-control none \
      --metrics smsp__inst_executed.sum,smsp__inst_executed_pipe_xu.sum,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active,sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_alu_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_lsu.avg.pct_of_peak_sustained_active,dram__throughput.avg.pct_of_peak_sustained_elapsed \
      -k regex:"$NCU_KERNELS" -c 3 $NCU_RUN >> "$OUT/ncu.txt" 2>&1
    echo "ncu metrics exit $?"
    # per-SASS-instruction executed counts and stall samples of the default forward (where the instructions go)
    timeout 120 ncu --clock-control none --section SourceCounters --section WarpStateStats -k regex:"${NCU_SOURCE_KERNEL:-seqbench_scan_fwd4}" \
      -c 1 --page source --print-source sass --csv $NCU_RUN > "$OUT/ncu_source.csv" 2>&1
    echo "ncu source exit $?"
    grep -E "seqbench_scan|Duration|DRAM Throughput|Issue Slots Busy|Eligible Warps|Active Warps Per|No Eligible|Registers Per|Achieved Occupancy|Executed Instructions  |smsp__inst|pipe_xu|pipe_fma|pipe_alu|issue_active|pipe_lsu|dram__throughput|==ERR|==WARN" "$OUT/ncu.txt" | head -70
    step "6b. SASS opcode counts (static) of the default and compared kernels"
    python3 - "$G/seqbench-cuda.jar" > "$OUT/sass.txt" 2>&1 <<'EOF'
import collections, re, subprocess, sys, zipfile
data = zipfile.ZipFile(sys.argv[1]).read("io/seqbench/kernels/cuda/selective_scan.fatbin")
open("/tmp/ss.fatbin", "wb").write(data)
for fn in ["seqbench_scan_fwd4_w4", "seqbench_scan_fwd3_ns4_sw0_o3", "seqbench_scan_bwd4", "seqbench_scan_bwd_ns4"]:
    sass = subprocess.run(["cuobjdump", "-sass", "-arch", "sm_90", "-fun", fn, "/tmp/ss.fatbin"],
                          capture_output=True, text=True).stdout
    ops = collections.Counter()
    for line in sass.splitlines():
        m = re.match(r"\s*/\*[0-9a-f]+\*/\s+(?:@!?U?P\w+\s+)?([A-Z][A-Z0-9_]*)(\.[A-Z0-9_.]+)?", line)
        if m:
            ops[m.group(1)] += 1
    print(fn, "static instructions:", sum(ops.values()))
    print("  " + ", ".join(f"{k} {v}" for k, v in ops.most_common(30)))
EOF
    cat "$OUT/sass.txt"
  fi
  step "done"
} 2>&1 | tee "$OUT/log.txt"
