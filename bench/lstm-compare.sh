#!/usr/bin/env bash
# The issue's sequence benchmark side by side: an LSTM(128) reading MNIST rows (28 steps of 28 pixels), its last
# hidden state into dense 10; softmax cross entropy, Adam 1e-3, batch 128, float32, shuffled each epoch. tinynn
# (`bench --arch lstm`) against PyTorch CPU (libtorch 2.7.1 through DJL 0.36, bench/pytorch LstmTorch, the engine's
# fused lstm op). Runs both in interleaved rounds at each thread count and prints the median training-epoch seconds
# and the ratio tinynn/PyTorch (goal of issue 12: <= 0.5). The machine may be shared and noisy: trust ratios within a run.
#
# Usage: bench/lstm-compare.sh [ROUNDS] [THREADS]    (defaults: 3 rounds, threads "1 2")
#   e.g. bench/lstm-compare.sh 5 "1 2"
# Environment: SKIP_BUILD=1 uses what is built; TINYNN overrides the launcher (default: cli/target/tinynn when built
#   natively, else bin/tinynn).
# Needs: JDK 25 (JAVA_HOME), MNIST cached ('bin/tinynn data mnist'); builds offline (mvn -o).
#
# What each side times (one training epoch, evaluation excluded, the first epoch of each JVM as warm-up):
#   tinynn  'bench --arch lstm --backends simd --threads T --epochs 1': the timed epoch after a warm-up epoch
#   pytorch two epochs in one JVM (-Dai.djl.offline=true), the second timed; intra-op threads T, inter-op 1
set -euo pipefail
rounds=${1:-3}
threads=${2:-"1 2"}
name=lstm-compare
source "$(dirname "$0")/torch-compare-setup.sh"

run_tinynn() {  # prints epoch seconds, or "nan" when this tinynn has no lstm bench
  "$tinynn" bench --arch lstm --backends simd --threads "$1" --epochs 1 2>/dev/null | awk '$1 == "simd" {print $3; found=1} END {if (!found) print "nan"}'
}
run_pytorch() {
  "$java" -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED -cp "$torch_cp" tinynn.bench.torch.LstmTorch \
    --epochs 2 --threads "$1" 2>/dev/null | awk '$2 == "epoch" && $3 == "1:" {print $4}'
}

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for r in $(seq 1 "$rounds"); do
  for t in $threads; do
    a=$(run_tinynn "$t" || true); b=$(run_pytorch "$t" || true)
    echo "round $r threads $t: tinynn ${a:-nan} s, pytorch ${b:-nan} s (load $(cut -d" " -f1 /proc/loadavg))" >&2
    echo "$t ${a:-nan} ${b:-nan}" >> "$results"
  done
done

python3 - "$results" "$rounds" <<'PY'
import math, statistics, sys
rows = [[r[0]] + [float(x) for x in r[1:]] for r in (line.split() for line in open(sys.argv[1]))]
def median(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan
# A ratio compares two runs of the same round (the machine's load drifts between rounds): the median of per-round ratios.
print(f"LSTM(128) on MNIST rows, training epoch, median of {sys.argv[2]} interleaved rounds (seconds; ratio: median of per-round ratios)")
print(f"{'threads':>7} {'tinynn':>8} {'pytorch':>8} {'tinynn/pytorch':>15}")
for t in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == t]
    a, b = (median([r[i] for r in rs]) for i in (1, 2))
    ab = median([r[1] / r[2] for r in rs])
    print(f"{t:>7} {a:8.3f} {b:8.3f} {ab:15.3f}")
PY
