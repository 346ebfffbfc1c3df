#!/usr/bin/env bash
# Checks the CUDA kernels' logic on the CPU: writes the verification cases with the Java reference's results,
# compiles kernels/src/main/cuda/selective_scan.cu with g++ under a thread-per-CUDA-thread emulation, and compares.
# Run from the repository root after `mvn -q -pl kernels -am test-compile`. Needs g++ with C++20.
set -euo pipefail
out=${1:-kernels/target/emulation}
cp="kernels/target/classes:kernels/target/test-classes:$(ls ~/.m2/repository/org/jcuda/jcuda/12.6.0/jcuda-12.6.0.jar)"
java -cp "$cp" io.seqbench.kernels.cuda.EmulationCases "$out" > "$out.list"
g++ -std=c++20 -O2 -pthread -x c++ kernels/src/test/cuda/emulate_scan.cpp -o "$out.bin"
"$out.bin" $(cat "$out.list")
