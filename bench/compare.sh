#!/usr/bin/env bash
# Times one MNIST MLP epoch (784-400-100-10, float32, Adam, batch 128) with tinynn and with the
# article's loop in numpy, in the same run, and prints the ratio. The machine is shared and noisy:
# both sides report their best of N epochs after a warm-up, and only the ratio is meaningful.
#
# Usage: bench/compare.sh [EPOCHS] [THREADS]   (defaults: 2 timed epochs, all cores)
# Uses $TINYNN, else cli/target/tinynn (native) when built, else bin/tinynn (JVM); MNIST must be cached
# ('tinynn data mnist').
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-2}
threads=${2:-$(nproc)}
tinynn=${TINYNN:-$root/cli/target/tinynn}
[ -x "$tinynn" ] || tinynn="$root/bin/tinynn"

echo "tinynn: $tinynn bench --backends simd --threads $threads --epochs $epochs"
ours=$("$tinynn" bench --backends simd --threads "$threads" --epochs "$epochs" | tee /dev/stderr | awk '$1 == "simd" {print $3}')

# Older OpenBLAS builds need OPENBLAS_CORETYPE on some CPUs; it slows current numpy, so it is unset here only.
echo "numpy: $(python3 -c 'import numpy; print(numpy.__version__)'), OPENBLAS_NUM_THREADS=$threads"
theirs=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" \
  python3 "$root/bench/numpy_mlp.py" --epochs $((epochs + 1)) | tee /dev/stderr | tail -n +2 | awk '{print $4}' | sort -g | head -1)

python3 - "$ours" "$theirs" <<'PY'
import sys
ours, theirs = float(sys.argv[1]), float(sys.argv[2])
print(f"epoch seconds: tinynn {ours:.3f}, numpy {theirs:.3f}; ratio tinynn/numpy = {ours / theirs:.2f}")
PY
