# Sourced by lenet-compare.sh and lstm-compare.sh (not run on its own): finds a JDK 25, builds tinynn and
# bench/pytorch offline unless SKIP_BUILD=1, and sets root, java, tinynn (native binary if built, else bin/tinynn)
# and torch_cp (bench/pytorch's class path). The sourcing script sets `name` for its error messages.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
java=${TINYNN_JAVA:-}
if [ -z "$java" ] && [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; fi
if [ -z "$java" ] || ! grep -q 'JAVA_VERSION="2[5-9]' "$(dirname "$(dirname "$(readlink -f "$java")")")/release" 2>/dev/null; then
  for j in /usr/lib/jvm/*25*/bin/java; do [ -x "$j" ] && java=$j && break; done
fi
[ -n "$java" ] || { echo "$name: no JDK 25 found; set JAVA_HOME to one" >&2; exit 1; }
export JAVA_HOME=${java%/bin/java}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building tinynn and bench/pytorch (offline) ..." >&2
  (cd "$root" && mvn -B -ntp -q -o -DskipTests package -pl cli -am && mvn -B -ntp -q -o -Ppytorch -pl bench/pytorch package) >&2
fi
tinynn=${TINYNN:-$root/cli/target/tinynn}
[ -x "$tinynn" ] || tinynn="$root/bin/tinynn"
torch_cp="$root/bench/pytorch/target/classes:$(cat "$root/bench/pytorch/target/classpath.txt")"
