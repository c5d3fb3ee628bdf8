#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 (one master, one worker; no Spark tarball: SPARK_HOME/jars holds the Maven
# jars of spark/target/lib without tinynn's, which bin/tinynn-spark ships as spark.jars), a few rounds of training
# through bin/tinynn-spark, the model file checked with tinynn's own loader (bin/tinynn inspect and eval), and
# master and worker stopped by their PIDs. Run by `mvn verify` (spark module, integration-test phase) after package.
#
#   bash spark/src/test/standalone/standalone.sh
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../../.." && pwd)
lib="$root/spark/target/lib"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
work=$(mktemp -d "${TMPDIR:-/tmp}/tinynn-standalone.XXXXXX")
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$code" -ne 0 ]; then
    for f in master worker train; do [ -f "$work/$f.log" ] && { echo "--- $f.log (last lines)"; tail -20 "$work/$f.log"; }; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "standalone: $*" >&2; exit 1; }

mkdir -p "$work/spark/jars" "$work/data"
touch "$work/spark/RELEASE"
for f in "$lib"/*.jar; do
  case "$(basename "$f")" in tinynn-*|picocli-*|ojalgo-*|protobuf-java-*) ;; *) ln -s "$f" "$work/spark/jars/" ;; esac
done
export SPARK_HOME="$work/spark" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_WORKER_DIR="$work/worker"
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.util.calendar; do
  opens+=(--add-opens=java.base/$p=ALL-UNNAMED)
done
opens+=(-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true --sun-misc-unsafe-memory-access=allow -Xmx512m)
log4j=-Dlog4j2.configurationFile=org/apache/spark/log4j2-defaults.properties

# Port 0: the master and worker pick free ports (a CI machine may run other Spark clusters); the log tells which.
"$java" "${opens[@]}" "$log4j" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0 >"$work/master.log" 2>&1 &
pids+=($!)
url=
for _ in $(seq 300); do
  url=$(sed -n 's/.*Starting Spark master at \(spark:\/\/[0-9.:]*\).*/\1/p' "$work/master.log" | head -1)
  [ -n "$url" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || fail "the master exited"
  sleep 0.1
done
[ -n "$url" ] || fail "the master did not start within 30 s"
"$java" "${opens[@]}" "$log4j" -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --port 0 --webui-port 0 --cores 2 --memory 1g "$url" >"$work/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
  grep -q "Successfully registered with master" "$work/worker.log" && break
  kill -0 "${pids[1]}" 2>/dev/null || fail "the worker exited"
  sleep 0.1
done
grep -q "Successfully registered with master" "$work/worker.log" || fail "the worker did not register within 30 s"

"$java" "$root/spark/src/test/standalone/MakeIdx.java" "$work/data" 400
d="$work/data"
"$root/bin/tinynn-spark" train --master "$url" --conf spark.executor.memory=512m \
  --train-images "$d/images.idx" --train-labels "$d/labels.idx" --test-images "$d/images.idx" --test-labels "$d/labels.idx" \
  --hidden 16 --batch-size 20 --epochs 2 --checkpoint "file://$work/ckpt.tnn" --checkpoint-every 5 --out "$work/model.tnn" \
  >"$work/train.log" 2>&1 || fail "tinynn-spark train failed: $(tail -3 "$work/train.log")"
grep -q "epoch 2/2" "$work/train.log" || fail "no second epoch in the output"
grep -q "app-" "$work/worker.log" || fail "the worker ran no executor: training did not happen on the cluster"
[ -f "$work/ckpt.tnn" ] || fail "no checkpoint written"

TINYNN_AOT=0 "$root/bin/tinynn" inspect "$work/model.tnn" >"$work/inspect.log" || fail "tinynn inspect cannot read the model"
grep -q "epoch 2 done, 40 steps" "$work/inspect.log" || fail "unexpected training state: $(grep epoch "$work/inspect.log")"
TINYNN_AOT=0 "$root/bin/tinynn" eval "$work/model.tnn" --images "$d/images.idx" --labels "$d/labels.idx" >"$work/eval.log" \
  || fail "tinynn eval failed"

echo "standalone: trained 2 epochs on $url; tinynn eval: $(head -3 "$work/eval.log" | tr '\n' ' ')"

# A character model in f64 and a regression table, read by the executor's own JVM (text encoded with the model's
# vocabulary, rows standardised with the model's statistics), used by tinynn generate and eval.
for i in $(seq 300); do echo "the cat sees a dog."; echo "a bird likes the fish."; done >"$d/text.txt"
"$root/bin/tinynn-spark" train --master "$url" --conf spark.executor.memory=512m --text "$d/text.txt" --hidden 16 --seq-len 16 \
  --batch-size 16 --epochs 1 --dtype f64 --out "$work/text.tnn" >"$work/train.log" 2>&1 \
  || fail "tinynn-spark train --text failed: $(tail -3 "$work/train.log")"
TINYNN_AOT=0 "$root/bin/tinynn" generate "$work/text.tnn" --prime "the " --length 20 --seed 1 >"$work/generate.log" \
  || fail "tinynn generate failed on the cluster's model"
awk 'BEGIN { srand(5); print "x1,y,x2"; for (i = 0; i < 300; i++) { a = rand(); b = 100 * rand(); printf "%.4f,%.4f,%.3f\n", a, 3 * a - b / 50, b } }' \
  >"$d/table.csv"
"$root/bin/tinynn-spark" train --master "$url" --conf spark.executor.memory=512m --train-csv "$d/table.csv" --target y \
  --task regression --hidden 8 --batch-size 20 --epochs 2 --mode average --local-steps 2 --out "$work/table.tnn" >"$work/train.log" 2>&1 \
  || fail "tinynn-spark train --target failed: $(tail -3 "$work/train.log")"
TINYNN_AOT=0 "$root/bin/tinynn" eval "$work/table.tnn" --csv "$d/table.csv" >"$work/eval.log" || fail "tinynn eval failed on the cluster's table model"
grep -q "r2" "$work/eval.log" || fail "tinynn eval gave no r2: $(cat "$work/eval.log")"
echo "standalone: --text (f64) and --target tables trained on $url; generated '$(head -1 "$work/generate.log")'"

for pid in "${pids[@]}"; do kill "$pid"; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
echo "standalone: ok (master and worker stopped)"
