# Sourced by the scripts that run on the GPU machine (from the repository root, with .gpu from tools/gpu/package.sh):
# the packaged Java runtime and class path, and the output folder ($OUT, created).
G=.gpu
OUT=${OUT:-/tmp/seqbench-gpu-out}
mkdir -p "$OUT"
J="$G/jre/bin/java -Xmx16g -XX:+UseParallelGC ${JAVA_OPTS:-}"
CP=$G/seqbench-cuda.jar:$G/jcuda.jar:$G/jcuda-natives.jar
UPDATES=$((8 * 2048 * 2048 * 16 / 32))  # warp-wide state updates at batch 8, channels 2048, L 2048, state 16
