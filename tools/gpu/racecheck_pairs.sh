#!/usr/bin/env bash
# Which instruction pairs racecheck reports (GPU machine, repository root, .gpu from tools/gpu/package.sh plus
# .gpu/namedbar_racecheck): every hazard of the minimal named-barrier hand-over and of forward version 5 in the quick
# verification, counted by (kind, first access's kernel offset, second access's kernel offset), next to the kernels'
# SASS, so each reported pair can be placed against the barriers between its two accesses.
# Results: $OUT/racecheck_pairs.txt, $OUT/{fwd5,namedbar}.sass
set -uo pipefail
source .gpu/env.sh
pairs() {  # stdin: racecheck log; stdout: count kind role1@pc1 role2@pc2
  awk '/hazard detected/ { kind = $4; n = 0; next }
       /Thread \(/ && kind != "" { for (i = 1; i <= NF; i++) if ($i == "at") pc = $(i + 1); role[n++] = $2 "@" pc;
                                   if (n == 2) { print kind, role[0], role[1]; kind = "" } }' | sort | uniq -c | sort -rn
}
{
  echo "=== minimal hand-over, bar.arrive"
  timeout 60 compute-sanitizer --tool racecheck --racecheck-report hazard --print-limit 0 .gpu/namedbar_racecheck arrive > /tmp/nb.log 2>&1
  grep -E 'SUMMARY|PASS|FAIL' /tmp/nb.log; pairs < /tmp/nb.log | head -20
  echo "=== forward version 5 (quick verification)"
  timeout 240 compute-sanitizer --tool racecheck --racecheck-report hazard --print-limit 0 --kernel-name kns=seqbench_scan_fwd5 \
    $J -cp $CP io.seqbench.kernels.cuda.CudaScanVerification --out /tmp/san --quick > /tmp/v5.log 2>&1
  grep -E 'SUMMARY|VERIFICATION' /tmp/v5.log; pairs < /tmp/v5.log | head -40
} 2>&1 | tee "$OUT/racecheck_pairs.txt"
python3 - "$G/seqbench-cuda.jar" <<'PY'
import sys, zipfile
open("/tmp/ss.fatbin", "wb").write(zipfile.ZipFile(sys.argv[1]).read("io/seqbench/kernels/cuda/selective_scan.fatbin"))
PY
cuobjdump -sass -arch sm_90 -fun seqbench_scan_fwd5 /tmp/ss.fatbin > "$OUT/fwd5.sass" 2>&1
cuobjdump -sass .gpu/namedbar_racecheck > "$OUT/namedbar.sass" 2>&1
wc -l "$OUT"/*.sass
