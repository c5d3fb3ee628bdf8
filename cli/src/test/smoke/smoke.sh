#!/usr/bin/env bash
# End-to-end smoke test of a tinynn executable (the native binary in CI; bin/tinynn works too):
#   smoke.sh TINYNN
# Generates a small IDX data set, then train → inspect → predict (PNG, JPEG, IDX, CSV) → eval,
# ONNX export/import/fine-tuning, a model spec in protobuf text format, a character model (train --text → generate), Ctrl-C and resume,
# every example's --quick run, image folders and tables, and bad inputs; every step checks the
# output, not only the exit status. Needs python3 (standard library) and a JDK 25 `java` (to
# write the JPEG fixture with ImageIO).
set -euo pipefail
bin=$(readlink -f "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures="$here/../fixtures"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

pass=0
fail=0
step() { printf '\n== %s\n' "$*"; }
ok() { pass=$((pass + 1)); printf 'ok   %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf 'FAIL %s\n' "$*"; }
# expect CODE NAME -- CMD...: runs CMD, stdout → out.txt, stderr → err.txt, checks the exit status.
expect() {
  local code=$1 name=$2; shift 3
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  if [ "$rc" = "$code" ]; then ok "$name (exit $rc)"; else bad "$name: exit $rc, expected $code"; sed 's/^/  out: /' out.txt; sed 's/^/  err: /' err.txt; fi
}
has() { if grep -qE -- "$2" "$1"; then ok "$1 matches /$2/"; else bad "$1 lacks /$2/"; sed 's/^/  | /' "$1" | head -40; fi; }
lines() { local n; n=$(grep -c . "$1" || true); if [ "$n" = "$2" ]; then ok "$1 has $2 line(s)"; else bad "$1 has $n lines, expected $2"; sed 's/^/  | /' "$1"; fi; }
atleast() { if awk -v v="$1" -v m="$2" 'BEGIN { exit !(v + 0 >= m + 0) }'; then ok "$3 = $1 >= $2"; else bad "$3 = $1 < $2"; fi; }

step "fixture"
python3 "$fixtures/make_fixture.py" data --train 3000 --test 500 > /dev/null
"$java" "$fixtures/MakeJpeg.java" data/digit3.idx data/digit3.jpg
ls -l data
D=(--train-images data/train-images-idx3-ubyte --train-labels data/train-labels-idx1-ubyte
   --test-images data/t10k-images-idx3-ubyte --test-labels data/t10k-labels-idx1-ubyte)

step "version"
expect 0 version -- "$bin" version
has out.txt '^tinynn [0-9]+\.[0-9]+\.[0-9]+'
has out.txt '^backend: '
cat out.txt

step "train one epoch"
expect 0 train -- "$bin" train "${D[@]}" --epochs 1 --hidden 64 --batch-size 64 --out m.tnn --weights-out w.tnn --progress lines
cat out.txt
has out.txt '^epoch 1/1  train loss [0-9.]+  test loss [0-9.]+  test acc [0-9.]+  lr [0-9.e-]+  [0-9.]+ s$'
has out.txt '^saved m\.tnn and w\.tnn \(weights only\)$'
has err.txt 'epoch 1/1 step [0-9]+/47 loss'
atleast "$(sed -n 's/.*test acc \([0-9.]*\).*/\1/p' out.txt)" 0.9 "test accuracy"
[ -s m.tnn ] && ok "m.tnn written" || bad "m.tnn missing"

step "inspect"
expect 0 inspect -- "$bin" inspect m.tnn
has out.txt 'total parameters 50,890 '
has out.txt '^0 +dense0 +dense +\[-1, 64\] +50,240'
has out.txt '^training +epoch 1 done, 47 steps, optimizer adam lr=0.001'
has out.txt 'image_shape: 28,28'
has out.txt 'input_normalization: scale=0.0039'
expect 0 "inspect --dot" -- "$bin" inspect m.tnn --dot
has out.txt '^digraph tinynn \{'
has out.txt 'n[0-9]+ -> n[0-9]+;'

step "predict"
expect 0 "predict png" -- "$bin" predict m.tnn data/digit3.png
lines out.txt 1
has out.txt '^data/digit3\.png: 3 \(p=0\.[5-9][0-9]*|^data/digit3\.png: 3 \(p=1\.0000\)'
"$bin" predict w.tnn data/digit3.png > w.txt
has w.txt '^data/digit3\.png: 3 \(p='
expect 0 "predict jpeg" -- "$bin" predict m.tnn data/digit3.jpg --top 1
has out.txt '^data/digit3\.jpg: 3 \(p='
expect 0 "predict idx --json" -- "$bin" predict m.tnn data/digit3.idx --json
has out.txt '^\{"model":"m\.tnn","predictions":\[\{"input":"data/digit3\.idx\[0\]","top":\[\{"class":"3","index":3,"probability":'
python3 -c 'import json,sys; d=json.load(open("out.txt")); assert d["predictions"][0]["top"][0]["class"]=="3"' && ok "json parses" || bad "json does not parse"
expect 0 "predict csv" -- "$bin" predict m.tnn data/test.csv -k 1
lines out.txt 20
correct=$(grep -cE ': ([0-9]) \(p=[0-9.]+\)  \[label \1\]$' out.txt || true)
atleast "$correct" 18 "csv rows predicted right"

step "eval"
expect 0 eval -- "$bin" eval m.tnn --images data/t10k-images-idx3-ubyte --labels data/t10k-labels-idx1-ubyte
has out.txt '^data/t10k-images-idx3-ubyte: 500 examples'
has out.txt '^accuracy +[0-9.]+ +\([0-9]+/500\)'
has out.txt '^confusion matrix \(rows: actual, columns: predicted\):'
has out.txt '^macro avg'
atleast "$(sed -n 's/^accuracy *\([0-9.]*\).*/\1/p' out.txt)" 0.9 "eval accuracy"
head -16 out.txt

step "model spec in protobuf text format"
cat > net.txtpb <<'SPEC'
layers {
  layers { type: "dense" attrs { key: "out" value { i: 32 } } }
  layers { type: "tanh" }
  layers { type: "dense" attrs { key: "out" value { i: 10 } } }
}
training { optimizer { type: "sgd" hyper { key: "lr" value: 0.1 } hyper { key: "momentum" value: 0.9 } } }
metadata { key: "description" value: "smoke-test spec" }
SPEC
expect 0 "train --arch spec" -- "$bin" train "${D[@]}" --arch net.txtpb --epochs 1 --out spec.tnn --progress none
expect 0 "inspect spec model" -- "$bin" inspect spec.tnn
has out.txt '^1 +tanh1 +tanh'
has out.txt 'optimizer sgd lr=0.1 momentum=0.9'
has out.txt 'description: smoke-test spec'

step "CNN: --arch lenet5 (NCHW input) → inspect → predict png"
expect 0 "train --arch lenet5" -- "$bin" train "${D[@]}" --arch lenet5 --limit 640 --epochs 1 --batch-size 64 --out lenet.tnn --progress none
expect 0 "inspect lenet5" -- "$bin" inspect lenet.tnn
has out.txt '^input +\[-1, 1, 28, 28\]'
has out.txt '^3 +conv2d3 +conv2d +\[-1, 16, 10, 10\] +2,416 '
has out.txt '^total parameters 61,706 '
expect 0 "predict png with lenet5" -- "$bin" predict lenet.tnn data/digit3.png --top 1
expect 0 "export lenet5 to ONNX" -- "$bin" export lenet.tnn --format onnx -o lenet.onnx
has out.txt '^wrote lenet\.onnx: ONNX opset 17, IR version 8, 12 nodes, 10 initializers; input \[N, 1, 28, 28\] -> output \[N, 10\]$'

step "ONNX import: predict .onnx → import → train --init-from"
"$bin" predict lenet.tnn data/digit3.png data/t10k-images-idx3-ubyte --json > tnn.txt
expect 0 "predict lenet.onnx" -- "$bin" predict lenet.onnx data/digit3.png data/t10k-images-idx3-ubyte --json
sed 's/lenet\.onnx/lenet.tnn/' out.txt | cmp -s - tnn.txt && ok "predictions from .onnx equal .tnn's" || bad "predictions from .onnx differ from .tnn's"
expect 0 "import lenet.onnx" -- "$bin" import lenet.onnx -o lenet-imported.tnn
has out.txt '^wrote lenet-imported\.tnn: [0-9]+ layers \(conv2d '
expect 0 "train --init-from lenet.onnx" -- "$bin" train "${D[@]}" --init-from lenet.onnx --limit 640 --epochs 1 --batch-size 64 --out tuned.tnn --progress none
has out.txt 'fine-tuning lenet\.onnx'
head -c 3000 lenet.onnx > cut.onnx
expect 1 "truncated onnx" -- "$bin" import cut.onnx
has err.txt '^tinynn import: cut\.onnx: not a valid ONNX model: .*truncated or corrupt'

step "character language model: train --text → inspect → generate"
python3 - <<'PY'
import random
r = random.Random(5)
det, noun, verb = ["the", "a"], ["cat", "dog", "bird", "fish"], ["sees", "likes", "chases"]
with open("grammar.txt", "w") as f:
    for _ in range(600):
        f.write(f"{r.choice(det)} {r.choice(noun)} {r.choice(verb)} {r.choice(det)} {r.choice(noun)}.\n")
PY
expect 0 "train --text" -- "$bin" train --text grammar.txt --hidden 32 --seq-len 32 --batch-size 32 --epochs 2 --out charlm.tnn --progress none
cat out.txt
has out.txt '^grammar\.txt: charlstm, [0-9,]+ parameters \(f32\), adam lr 0\.002, batch 32'
has out.txt '^text: [0-9,]+ characters, vocabulary 18, unigram entropy [0-9.]+ nats'
has out.txt '^epoch 2/2  train loss [0-9.]+ \([0-9.]+ bits/char\)  val loss [0-9.]+ \([0-9.]+ bits/char\)  val acc [0-9.]+  lr 0\.002  [0-9.]+ s  [0-9,]+ char/s$'
expect 0 "inspect charlm" -- "$bin" inspect charlm.tnn
has out.txt 'vocabulary: 10,32,46,97'
expect 0 "generate" -- "$bin" generate charlm.tnn --prime "the " --length 200 --temperature 0.8 --seed 1 --timing
has out.txt '^the '
has err.txt '^generated 200 characters in [0-9.]+ s: [0-9,]+ char/s'
cp out.txt gen1.txt
"$bin" generate charlm.tnn --prime "the " --length 200 --temperature 0.8 --seed 1 > gen2.txt
cmp -s gen1.txt gen2.txt && ok "the same seed generates the same text" || bad "generate is not reproducible with --seed"
expect 2 "prime outside the vocabulary" -- "$bin" generate charlm.tnn --prime "The Zoo"
lines err.txt 1
has err.txt "^tinynn generate: --prime: characters 'T', 'Z' not in the vocabulary of charlm\.tnn"
expect 1 "generate from an image model" -- "$bin" generate m.tnn
lines err.txt 1
has err.txt "^tinynn generate: m\.tnn: not a text model"

step "Ctrl-C saves a checkpoint; resume finishes the run"
if python3 "$here/interrupt.py" "$bin" int.tnn "${D[@]}" --epochs 200 > out.txt 2> err.txt; then ok "SIGINT → exit 130, one-line message; a second trainer is refused"; else bad "interrupt"; cat out.txt err.txt; fi
cat err.txt
if python3 "$here/interrupt.py" --signal TERM "$bin" term.tnn "${D[@]}" --epochs 200 > out2.txt 2> err2.txt; then ok "SIGTERM → exit 130"; else bad "SIGTERM"; cat out2.txt err2.txt; fi
expect 0 "inspect checkpoint" -- "$bin" inspect int.tnn
has out.txt '^training +epoch [1-9][0-9]* done'
expect 0 "resume" -- "$bin" train "${D[@]}" --resume int.tnn --epochs "$(($(sed -n 's/^training *epoch \([0-9]*\) done.*/\1/p' out.txt) + 1))" --progress none
has out.txt '^saved int\.tnn$'

step "a diverging loss fails and saves nothing"
expect 1 "train --lr 100" -- "$bin" train "${D[@]}" --lr 100 --epochs 2 --out div.tnn --progress none
lines err.txt 1
has err.txt '^tinynn train: the loss diverged in epoch 1: .*div\.tnn was not written'
[ ! -e div.tnn ] && ok "div.tnn not written" || bad "div.tnn written"

step "allocation check: steady-state training steps allocate (next to) nothing (a bound on bytes, not on time)"
# 20 steps after 5 of warm-up, every thread counted; a buffer allocated per step (the smallest, 10 logits of a batch of
# 128, is 5 KB) or any object per step (16 bytes at least: 320 in 20 steps) fails the 256-byte bound. (Natively a
# 2-thread run may show a one-off 56 bytes, made once on the first hand-over to a parked worker.)
T=(--train-images data/train-images-idx3-ubyte --train-labels data/train-labels-idx1-ubyte --backends simd)
for arch in mlp lenet5 lstm; do
  expect 0 "bench --steps 20 --arch $arch" -- "$bin" bench "${T[@]}" --arch "$arch" --threads 1,2 --steps 20 --max-alloc-bytes 256
  cat out.txt
  has out.txt "^net: $arch, allocation check: 5 warm-up steps, then 1 window of 20 training steps \(batch 128\)$"
  has out.txt '^simd +1 +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9,.]+$'
  has out.txt '^simd +2 +[0-9,]+ +[0-9,]+ +[0-9,]+ +[0-9,.]+$'
  has out.txt '^allocation within --max-alloc-bytes 256$'
done
# The check can fail: without warm-up the window holds the plan's compilation (megabytes).
expect 1 "bench --steps without warm-up exceeds the bound" -- "$bin" bench "${T[@]}" --threads 1 --steps 2 --warmup-steps 0 --max-alloc-bytes 256
lines err.txt 1
has err.txt '^tinynn bench: 2 training steps of mlp allocated more than --max-alloc-bytes 256: simd at 1 thread [0-9]{1,3}(,[0-9]{3}){2,} bytes$'

step "examples: every tinynn example --quick learns (on the fixture, or data it makes itself)"
# metric NAME: the value of the example's "result NAME = V" line in out.txt.
metric() { sed -n "s/^result $1 = //p" out.txt; }
ex=(--threads 1 --data-dir data)
expect 0 "example (list)" -- "$bin" example
lines out.txt 9
for arch in mlp lenet5 lstm; do
  expect 0 "example mnist --arch $arch" -- "$bin" example mnist --quick --arch "$arch" "${ex[@]}" --out-dir ex/mnist
  atleast "$(metric test_accuracy)" 0.7 "mnist $arch test_accuracy"
done
expect 0 "example binary" -- "$bin" example binary --quick "${ex[@]}" --out-dir ex/binary
atleast "$(metric roc_auc)" 0.95 "binary roc_auc"
expect 0 "example nn-paint" -- "$bin" example nn-paint --quick --threads 1 --out-dir ex/paint
has out.txt '^wrote ex/paint/painted-epoch-0060\.png$'
atleast "$(awk '/^result mean_colour_mse/ { m = $4 } /^result final_mse/ { f = $4 } END { print m / f }' out.txt)" 5 "nn-paint mean-colour MSE / final MSE"
expect 0 "example autoencoder" -- "$bin" example autoencoder --quick "${ex[@]}" --out-dir ex/ae
has out.txt '^result reload_max_difference = 0$'
has out.txt '^wrote ex/ae/denoised\.png$'
atleast "$(awk '/^result noisy_loss/ { n = $4 } /^result reconstruction_loss/ { r = $4 } END { print n / r }' out.txt)" 8 "autoencoder noisy loss / reconstruction loss"
expect 0 "example gan" -- "$bin" example gan --quick "${ex[@]}" --out-dir ex/gan
has out.txt '^wrote ex/gan/samples-epoch-3\.png$'
atleast "$(awk '/^result initial_prototype_distance/ { i = $4 } /^result prototype_distance/ { p = $4 } END { print i / p }' out.txt)" 2 "gan initial / trained prototype distance"
expect 0 "example distill" -- "$bin" example distill --quick "${ex[@]}" --out-dir ex/distill
atleast "$(metric student_accuracy_distilled)" 0.9 "distill student_accuracy_distilled"
expect 0 "example dqn" -- "$bin" example dqn --quick --threads 1 --out-dir ex/dqn
atleast "$(metric average_return)" 60 "dqn average_return"
expect 0 "example word2vec" -- "$bin" example word2vec --quick --threads 1 --out-dir ex/w2v
atleast "$(metric same_category_neighbours)" 0.8 "word2vec same_category_neighbours"
expect 0 "example cifar10" -- "$bin" example cifar10 --quick --threads 1 --out-dir ex/cifar
atleast "$(metric test_accuracy)" 0.6 "cifar10 test_accuracy"
has out.txt '^wrote ex/cifar/augmented\.png$'
expect 2 "example unknown" -- "$bin" example no-such-example
has err.txt "unknown example 'no-such-example'; examples: mnist, binary, nn-paint, autoencoder, gan, distill, dqn, word2vec, cifar10"

step "your own data: image folders (RGB) and a table (regression)"
mkdir -p folders/png folders/jpeg && cp data/digit3.png folders/png/ && cp data/digit3.jpg folders/jpeg/
expect 0 "train --train-dir rgb" -- "$bin" train --train-dir folders --image-shape 16x16 --color rgb --arch lenet5 --epochs 1 --out f.tnn --progress none
has out.txt '^data: 2 training examples'
expect 0 "predict rgb" -- "$bin" predict f.tnn data/digit3.jpg --top 2
has out.txt '^data/digit3\.jpg: (png|jpeg) \(p=0\.[0-9]+\), (png|jpeg) \(p='
python3 -c 'import random
random.seed(1); print("a,b,y")
for _ in range(400):
    a, b = random.random() * 1000, random.random(); print(f"{a:.3f},{b:.4f},{3 * a - 200 * b + 100:.3f}")' > table.csv
expect 0 "train table" -- "$bin" train --train-csv table.csv --test-csv table.csv --target y --task regression --epochs 20 --out t.tnn --progress none
has out.txt '^test rmse [0-9.e+]+  mae [0-9.e+]+  r2 0\.9[0-9]+$'
printf 'b,a\n0.5,500\n' > rows.csv
expect 0 "predict table" -- "$bin" predict t.tnn rows.csv
has out.txt '^rows\.csv:2: 1[45][0-9][0-9]'
expect 0 "data (built-in sets)" -- "$bin" data
has out.txt '^cifar10 '

step "bad inputs"
head -c 3000 /dev/urandom > garbage.tnn
expect 1 "garbage model" -- "$bin" inspect garbage.tnn
lines err.txt 1
has err.txt '^tinynn inspect: garbage\.tnn: '
expect 1 "missing model" -- "$bin" predict nope.tnn data/digit3.png
lines err.txt 1
has err.txt '^tinynn predict: nope\.tnn: no such file$'
expect 2 "unknown option" -- "$bin" train --epochz 3
lines err.txt 1
has err.txt "^tinynn train: Unknown options?: '--epochz'.*; did you mean '--epochs'\?"
expect 1 "missing data file" -- "$bin" train --train-images nope.idx --train-labels data/train-labels-idx1-ubyte --out x.tnn
lines err.txt 1
has err.txt '^tinynn train: nope\.idx: no such file'
printf 'not,a,png' > fake.png
expect 1 "not an image" -- "$bin" predict m.tnn fake.png
lines err.txt 1
expect 1 "debug shows the trace" -- "$bin" --debug inspect garbage.tnn
has err.txt '^\s+at tinynn\.'

printf '\nsmoke: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" = 0 ]
