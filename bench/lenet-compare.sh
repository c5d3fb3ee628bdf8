#!/usr/bin/env bash
# LeNet-5 on MNIST, side by side: tinynn, PyTorch CPU (libtorch 2.7.1 through DJL 0.36, bench/pytorch) and the
# article's numpy tinynn design (bench/numpy). Same net, Adam 1e-3, batch 128, float32, shuffled each epoch.
# Runs the three in interleaved rounds at each thread count and prints the median training-epoch seconds and
# the ratios tinynn/PyTorch and tinynn/numpy. The machine may be shared and noisy: trust the ratios within one run.
#
# Usage: bench/lenet-compare.sh [ROUNDS] [THREADS]    (defaults: 3 rounds, threads "1 2")
#   e.g. bench/lenet-compare.sh 5 "1 2"
# Environment: SKIP_BUILD=1 uses what is built; NUMPY_BATCHES=B times B batches per numpy epoch and extrapolates;
#   TINYNN overrides the launcher (default: cli/target/tinynn when built natively, else bin/tinynn).
# Needs: JDK 25 (JAVA_HOME), python3 with numpy, MNIST cached ('bin/tinynn data mnist'); builds offline (mvn -o).
#
# What each side times (one training epoch, evaluation excluded, the first epoch of each JVM as warm-up):
#   tinynn  'bench --arch lenet5 --backends simd --threads T --epochs 1': best timed epoch after a warm-up epoch
#   pytorch two epochs in one JVM (-Dai.djl.offline=true), the second timed; intra-op threads T, inter-op 1
#   numpy   one epoch with OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=T (numpy has no warm-up)
set -euo pipefail
rounds=${1:-3}
threads=${2:-"1 2"}
name=lenet-compare
source "$(dirname "$0")/torch-compare-setup.sh"

run_tinynn() {  # prints epoch seconds, or "nan" when this tinynn has no lenet5 bench
  "$tinynn" bench --arch lenet5 --backends simd --threads "$1" --epochs 1 2>/dev/null | awk '$1 == "simd" {print $3; found=1} END {if (!found) print "nan"}'
}
run_pytorch() {
  "$java" -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED -cp "$torch_cp" tinynn.bench.torch.LeNetTorch \
    --epochs 2 --threads "$1" 2>/dev/null | awk '$2 == "epoch" && $3 == "1:" {print $4}'
}
run_numpy() {
  local extra=()
  [ -n "${NUMPY_BATCHES:-}" ] && extra=(--batches "$NUMPY_BATCHES")
  (cd "$root/bench/numpy" && env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" MKL_NUM_THREADS="$1" \
    python3 lenet_mnist.py --epochs 1 "${extra[@]}") | awk '$2 == "epoch" {print $4}'
}

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    a=$(run_tinynn "$t" || true); b=$(run_pytorch "$t" || true); c=$(run_numpy "$t" || true)
    echo "round $r threads $t: tinynn ${a:-nan} s, pytorch ${b:-nan} s, numpy ${c:-nan} s (load $(cut -d" " -f1 /proc/loadavg))" >&2
    echo "$t ${a:-nan} ${b:-nan} ${c:-nan}" >> "$results"
  done
done

python3 - "$results" "$rounds" <<'PY'
import math, statistics, sys
rows = [[r[0]] + [float(x) for x in r[1:]] for r in (line.split() for line in open(sys.argv[1]))]
def median(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan
# A ratio compares two runs of the same round (the machine's load drifts between rounds): the median of per-round ratios.
print(f"LeNet-5 MNIST training epoch, median of {sys.argv[2]} interleaved rounds (seconds; ratios: median of per-round ratios)")
print(f"{'threads':>7} {'tinynn':>8} {'pytorch':>8} {'numpy':>8} {'tinynn/pytorch':>15} {'tinynn/numpy':>13}")
for t in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == t]
    a, b, c = (median([r[i] for r in rs]) for i in (1, 2, 3))
    ab, ac = median([r[1] / r[2] for r in rs]), median([r[1] / r[3] for r in rs])
    print(f"{t:>7} {a:8.3f} {b:8.3f} {c:8.3f} {ab:15.3f} {ac:13.4f}")
PY
