#!/usr/bin/env bash
# Runs on the GPU machine from the repository root, with the folder made by tools/gpu/package.sh at .gpu:
#   1. CUDA kernels vs the Java double-precision reference (7 shapes, every output and gradient, all forward variants)
#   2. CUDA kernels vs PyTorch (float64, autograd) on the first shape
#   3. the CUDA benchmark (batch 8, channels 2048, state 16, lengths 512/2048/8192) [with --sweep: forward variants]
#   4. the PyTorch baselines on the same shapes, and the side-by-side table
#   5. optional: compute-sanitizer memcheck/racecheck and Nsight Compute on small runs (SANITIZE=1, PROFILE=1)
# TORCH=0 skips the PyTorch steps (2 and 4).
# Results go to $OUT (verification.json, torch_check.json, benchmark.json, torch_bench.json, log.txt).
set -uo pipefail
G=.gpu
OUT=${OUT:-/tmp/seqbench-gpu-out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
J="$G/jre/bin/java -Xmx16g -XX:+UseParallelGC"
CP=$G/seqbench-cuda.jar:$G/jcuda.jar:$G/jcuda-natives.jar
BENCH_ARGS=${BENCH_ARGS:-}
step() { echo; echo "=== $* ($(date +%T))"; }
{
  step "machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu --format=csv
  nvcc --version | tail -2
  $G/jre/bin/java -version 2>&1 | head -1
  python3 -c 'import torch; print("torch", torch.__version__, torch.version.cuda)'
  step "1. verification against the Java reference"
  timeout 150 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out "$OUT" --torch-dir /tmp/seqbench-torchcase
  rc=$?; echo "verification exit $rc"
  if [ $rc -eq 124 ]; then echo "verification timed out: stopping"; exit 1; fi
  step "2. verification against PyTorch (float64 autograd)"
  [ "${TORCH:-1}" = 1 ] && timeout 120 python3 $G/scan_torch_bench.py --check /tmp/seqbench-torchcase --out "$OUT/torch_check.json"
  step "3. CUDA benchmark"
  timeout 180 $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out "$OUT/benchmark.json" $BENCH_ARGS
  step "4. PyTorch baselines"
  [ "${TORCH:-1}" = 1 ] && timeout ${TORCH_TIMEOUT:-200} python3 $G/scan_torch_bench.py --bench "$OUT/torch_bench.json" --java-json "$OUT/benchmark.json"
  if [ "${SANITIZE:-0}" = 1 ]; then
    step "5a. compute-sanitizer memcheck (small cases)"
    timeout 90 compute-sanitizer --tool memcheck --print-limit 20 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick 2>&1 | tail -15
    step "5b. compute-sanitizer racecheck (small cases)"
    timeout 120 compute-sanitizer --tool racecheck --print-limit 20 $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick 2>&1 | tail -15
  fi
  if [ "${PROFILE:-0}" = 1 ]; then
    step "6. Nsight Compute, one forward and one backward at length 2048"
    timeout 100 ncu --clock-control none --section SpeedOfLight --section Occupancy --section SchedulerStats \
      --section WarpStateStats -k regex:'seqbench_scan_(fwd|bwd_ns)' -c 3 \
      $J -cp $CP io.seqbench.kernels.cuda.CudaScanBenchmark --out /tmp/ncu.json --lengths 2048 --warmup 0 --repeats 1 2>&1 \
      | grep -E "seqbench_scan|Throughput|Duration|Registers|Achieved Occupancy|Issue Slots|Eligible|No Eligible|Active Warps|Warp Cycles|Stall|SM Busy|Executed Ipc" | head -60
  fi
  step "done"
} 2>&1 | tee "$OUT/log.txt"
