#!/usr/bin/env bash
# Builds what the GPU machine needs to verify and benchmark SeqBench's CUDA kernels, without ND4J:
#   DEST/jre                   a jlink'ed Java 17 runtime (java.base, java.logging, java.management, jdk.unsupported)
#   DEST/seqbench-cuda.jar     io.seqbench.kernels.{cuda,scan,npy} classes and the nvcc-built fat binary
#   DEST/jcuda.jar             JCuda 12.6.0
#   DEST/jcuda-natives.jar     JCuda's driver-API native library only (linux-x86_64)
#   DEST/scan_torch_bench.py   the PyTorch baselines; DEST/run_h200.sh the script run there (and the other scripts
#                              of tools/gpu, with env.sh, which they source)
# Usage (from the repository root, after `mvn -q -pl kernels -am test-compile` with nvcc on the PATH):
#   tools/gpu/package.sh DEST
set -euo pipefail
dest=$(realpath -m "${1:?destination folder}")
root=$(pwd)
classes=kernels/target/classes
test -f $classes/io/seqbench/kernels/cuda/selective_scan.fatbin || { echo "no fat binary: build with nvcc on the PATH"; exit 1; }
m2=${M2_REPO:-$HOME/.m2/repository}
mkdir -p "$dest"
if [ ! -x "$dest/jre/bin/java" ]; then
  jlink --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug --no-man-pages \
        --no-header-files --compress=2 --output "$dest/jre"
fi
rm -f "$dest/seqbench-cuda.jar"
(cd $classes && jar cf "$dest/seqbench-cuda.jar" io/seqbench/kernels/cuda io/seqbench/kernels/scan io/seqbench/kernels/npy)
cp "$m2/org/jcuda/jcuda/12.6.0/jcuda-12.6.0.jar" "$dest/jcuda.jar"
tmp=$(mktemp -d)
(cd "$tmp" && unzip -q "$m2/org/jcuda/jcuda-natives/12.6.0/jcuda-natives-12.6.0-linux-x86_64.jar" \
   'lib/libJCudaDriver-12.6.0-linux-x86_64.so' && rm -f "$dest/jcuda-natives.jar" \
   && jar cf "$dest/jcuda-natives.jar" lib)
rm -rf "$tmp"
cp kernels/src/main/python/scan_torch_bench.py tools/gpu/run_h200.sh tools/gpu/run_bwd_compare.sh \
   tools/gpu/profile_bwd_source.sh tools/gpu/ncu_source_summary.py tools/gpu/profile_h200.sh tools/gpu/check_fwd5.sh tools/gpu/racecheck_pairs.sh tools/gpu/env.sh \
   tools/gpu/sass_ops.py "$dest/"
du -sh "$dest"
