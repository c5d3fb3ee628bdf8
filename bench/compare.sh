#!/usr/bin/env bash
# The same MNIST training epoch (float32, Adam, batch 128) side by side in one run: tinynn on the JVM (bin/tinynn),
# the native binary built for x86-64-v3 (cli/target/tinynn, the default), the AVX-512 one (cli/target/tinynn-v4,
# bench/build-native-v4.sh), and, for the MLP, the article's loop in numpy/OpenBLAS (bench/numpy_mlp.py). Interleaved
# rounds at each thread count; prints a markdown table (ready for the README) of medians: training epoch seconds,
# inference images/s over the test set and single-image latency, with the native/JVM and tinynn/numpy ratios (each
# the median of the per-round ratios: the machine's load drifts between rounds, less within one). The machine may be
# shared and noisy: trust the ratios of one run, and read the load printed with every round.
#
# Usage: bench/compare.sh [--arch mlp,lenet5,lstm] [ROUNDS] [THREADS]   (defaults: mlp, 3 rounds, threads "1 2")
#   e.g. bench/compare.sh 3 "1 2";  bench/compare.sh --arch mlp,lenet5,lstm 3 "1 2"
# Environment: EPOCHS timed epochs per run after a warm-up epoch, the best counted (default 2, the issue's
#   'bench --epochs 2'); TINYNN_JVM, TINYNN_V3, TINYNN_V4 override the three binaries (set empty, or missing: left out).
# Needs: MNIST cached ('bin/tinynn data mnist'), python3 with numpy for the numpy column; builds nothing: run
#   'mvn -DskipTests package' (bin/tinynn), 'mvn -Pnative -DskipTests package -pl cli -am' (v3) and
#   bench/build-native-v4.sh (v4) first.
#
# What each side times (training only; data loading and evaluation excluded):
#   tinynn  'bench --arch A --backends simd --threads T --epochs EPOCHS': best timed epoch after a warm-up epoch;
#           inference: best of 3 passes over the 10,000 test images; latency: median of 1000 one-image predicts
#   numpy   'numpy_mlp.py --epochs EPOCHS+1' with OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=T: best epoch after the first;
#           its inference is one pass over the test set inside the script, not timed
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
archs=mlp
if [ "${1:-}" = "--arch" ]; then archs=$2; shift 2; fi
rounds=${1:-3}
threads=${2:-"1 2"}
epochs=${EPOCHS:-2}

declare -A bin=([jvm]=${TINYNN_JVM-$root/bin/tinynn} [v3]=${TINYNN_V3-$root/cli/target/tinynn} [v4]=${TINYNN_V4-$root/cli/target/tinynn-v4})
sides=()
for s in jvm v3 v4; do
  if [ -x "${bin[$s]}" ] && "${bin[$s]}" version > /dev/null 2>&1; then
    sides+=("$s")
  else
    echo "note: leaving out $s: ${bin[$s]} is missing or does not run on this CPU" >&2
  fi
done
numpy=no
if [[ ",$archs," == *",mlp,"* ]] && python3 -c 'import numpy' 2> /dev/null; then numpy=yes; fi

run_tinynn() {  # SIDE ARCH THREADS → "epoch_s infer_img_s latency_us", or "nan nan nan"
  "${bin[$1]}" bench --arch "$2" --backends simd --threads "$3" --epochs "$epochs" 2> /dev/null \
    | awk '$1 == "simd" {print $3, $6, $7; found=1} END {if (!found) print "nan nan nan"}'
}
run_numpy() {  # THREADS → best epoch seconds after the first
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$1" OMP_NUM_THREADS="$1" MKL_NUM_THREADS="$1" \
    python3 "$root/bench/numpy_mlp.py" --epochs $((epochs + 1)) | tail -n +2 | awk '{print $4}' | sort -g | head -1
}

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for s in "${sides[@]}"; do echo "$s: ${bin[$s]} ($("${bin[$s]}" version 2> /dev/null | head -1))" >&2; done
[ "$numpy" = yes ] && echo "numpy: $(python3 -c 'import numpy; print(numpy.__version__)')" >&2
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for r in $(seq 1 "$rounds"); do
  for arch in ${archs//,/ }; do
    for t in $threads; do
      for s in "${sides[@]}"; do
        read -r e i l < <(run_tinynn "$s" "$arch" "$t" || echo "nan nan nan")
        echo "round $r $arch threads $t $s: epoch $e s, inference $i img/s, latency $l µs (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        echo "$r $arch $t $s $e $i $l" >> "$results"
      done
      if [ "$arch" = mlp ] && [ "$numpy" = yes ]; then
        e=$(run_numpy "$t" || true)
        echo "round $r $arch threads $t numpy: epoch ${e:-nan} s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        echo "$r $arch $t numpy ${e:-nan} nan nan" >> "$results"
      fi
    done
  done
done

python3 - "$results" "$rounds" "$epochs" "$(lscpu | sed -n 's/^Model name: *//p')" <<'PY'
import math, statistics, sys
path, rounds, epochs, cpu = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [line.split() for line in open(path)]
# (arch, threads, side) -> round -> (epoch, inference, latency)
runs = {}
for r, arch, t, side, *vals in rows:
    runs.setdefault((arch, t, side), {})[r] = [float(v) for v in vals]
names = {"jvm": "JVM (`bin/tinynn`)", "v3": "native v3 (`cli/target/tinynn`, x86-64-v3)",
         "v4": "native v4 (`cli/target/tinynn-v4`, x86-64-v4)", "numpy": "numpy loop"}
short = {"jvm": "JVM", "v3": "native v3", "v4": "native v4"}
def median(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return statistics.median(xs) if xs else math.nan
def value(arch, t, side, k):
    return median([v[k] for v in runs.get((arch, t, side), {}).values()])
def ratio(arch, t, a, b, k):
    ra, rb = runs.get((arch, t, a), {}), runs.get((arch, t, b), {})
    return median([ra[r][k] / rb[r][k] for r in ra if r in rb and rb[r][k] > 0])
def fmt(x, unit):
    if math.isnan(x): return "–"
    return {"s": f"{x:.2f} s", "img/s": f"{x / 1000:.0f}k", "µs": f"{x:.0f} µs", "": f"{x:.2f}"}[unit]
arch_names = {"mlp": "MNIST MLP 784-400-100-10", "lenet5": "LeNet-5", "lstm": "LSTM(128) over MNIST rows"}
for arch in dict.fromkeys(row[1] for row in rows):
    ts = list(dict.fromkeys(row[2] for row in rows if row[1] == arch))
    sides = [s for s in ("jvm", "v3", "v4", "numpy") if any((arch, t, s) in runs for t in ts)]
    how = f"medians of {rounds} interleaved rounds (ratios: medians of per-round ratios)" if rounds != "1" else "one round"
    print(f"\n{arch_names.get(arch, arch)}, f32, `bench --backends simd --epochs {epochs}`; {cpu}; {how}\n")
    print("| | " + " | ".join(f"{t} thread{'s' if t != '1' else ''}" for t in ts) + " |")
    print("|---|" + "---|" * len(ts))
    def line(label, cells):
        if any(c != "–" for c in cells): print(f"| {label} | " + " | ".join(cells) + " |")
    for s in sides: line(f"{names[s]} epoch", [fmt(value(arch, t, s, 0), "s") for t in ts])
    for s in ("v3", "v4"):
        if s in sides: line(f"{short[s]} / JVM epoch", [fmt(ratio(arch, t, s, "jvm", 0), "") for t in ts])
    if "numpy" in sides:
        for s in ("jvm", "v3", "v4"):
            if s in sides: line(f"{short[s]} / numpy epoch", [fmt(ratio(arch, t, s, "numpy", 0), "") for t in ts])
    for s in ("jvm", "v3", "v4"):
        if s in sides: line(f"{short[s]} inference img/s", [fmt(value(arch, t, s, 1), "img/s") for t in ts])
    for s in ("v3", "v4"):
        if s in sides: line(f"{short[s]} / JVM inference", [fmt(ratio(arch, t, s, "jvm", 1), "") for t in ts])
    for s in ("jvm", "v3", "v4"):
        if s in sides: line(f"{short[s]} single-image latency", [fmt(value(arch, t, s, 2), "µs") for t in ts])
PY
