#!/usr/bin/env bash
# The backward's reduction with and without its 16-byte path, side by side on one GPU machine (from the repository
# root, with .gpu from tools/gpu/package.sh): the benchmark's backward (+ reduction) at L = 2048 and 8192, alternating
# -Dseqbench.scan.reduce.vec4=false/true twice, and Nsight Compute's duration of the reduction kernel alone in each
# mode. Results: $OUT/reduce_ab.txt, $OUT/reduce_{false,true}_{1,2}.json, $OUT/ncu_reduce_{false,true}.txt
set -uo pipefail
source .gpu/env.sh
{
  for round in 1 2; do
    for v in false true; do
      echo "=== round $round, reduce.vec4=$v"
      JAVA_OPTS="-Dseqbench.scan.reduce.vec4=$v" bash -c "source .gpu/env.sh; \$J -cp \$CP io.seqbench.kernels.cuda.CudaScanBenchmark \
        --out $OUT/reduce_${v}_$round.json --lengths 2048,8192" 2>&1 | grep -E ' bwd |fwd\+bwd '
    done
  done
  for v in false true; do
    echo "=== Nsight Compute: seqbench_scan_bwd_reduce, reduce.vec4=$v (L = 2048)"
    JAVA_OPTS="-Dseqbench.scan.reduce.vec4=$v" bash -c "source .gpu/env.sh; timeout 120 ncu --clock-control none \
      --section SpeedOfLight -k regex:bwd_reduce -c 1 \$J -cp \$CP io.seqbench.kernels.cuda.CudaScanBenchmark \
      --out /tmp/ncu_r.json --lengths 2048 --warmup 0 --repeats 1" > "$OUT/ncu_reduce_$v.txt" 2>&1
    grep -E 'Duration|DRAM Throughput|Memory Throughput' "$OUT/ncu_reduce_$v.txt"
  done
} 2>&1 | tee "$OUT/reduce_ab.txt"
