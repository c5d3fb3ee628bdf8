#!/usr/bin/env bash
# Builds cli/target/tinynn-v4: the native binary for x86-64-v4 (AVX-512 F/CD/BW/DQ/VL), beside the portable
# x86-64-v3 (AVX2) cli/target/tinynn that 'mvn -Pnative package' builds. Same pom, same native-image flags; only the
# tinynn.native.march property differs, and the image goes to its own directory (the plugin's outputDir) before it is
# renamed, so the v3 binary stays. For bench/compare.sh's "native v4" column; it runs only on CPUs with AVX-512.
#
# Usage: bench/build-native-v4.sh [extra mvn arguments, e.g. -o]
# Needs JDK 25 (JAVA_HOME) and GraalVM 25's native-image: GRAALVM_HOME, else native-image on PATH, else /opt/native-image.
# Skips the JVM launcher's AOT cache (-Dtinynn.aot.skip=true) as CI's native build does: if the jar is rewritten,
# bin/tinynn starts without its cache (it says so) until 'mvn -DskipTests package -pl cli -am' refreshes it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${GRAALVM_HOME:-}" ]; then
  if command -v native-image > /dev/null 2>&1; then
    GRAALVM_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v native-image)")")")
  elif [ -x /opt/native-image/bin/native-image ]; then
    GRAALVM_HOME=/opt/native-image
  else
    echo "build-native-v4: no native-image (set GRAALVM_HOME to a GraalVM for JDK 25)" >&2
    exit 1
  fi
fi
export GRAALVM_HOME PATH="$GRAALVM_HOME/bin:$PATH"
out="$root/cli/target/native-v4"
mvn -B -ntp "$@" -Pnative -DskipTests -Dtinynn.aot.skip=true -Dtinynn.native.march=x86-64-v4 -DoutputDir="$out" package -pl cli -am
mv -f "$out/tinynn" "$root/cli/target/tinynn-v4"
rm -rf "$out"
echo "built cli/target/tinynn-v4 (-march=x86-64-v4)"
