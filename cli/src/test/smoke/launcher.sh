#!/usr/bin/env bash
# Checks bin/tinynn's stderr handling on a terminal (script(1) provides one) and off one:
#   launcher.sh
# The JVM's "WARNING: Using incubator modules" line never shows; the progress bar (redrawn with \r)
# still reaches a terminal unbuffered, and plain progress lines are used off a terminal. Needs the
# jar (mvn -DskipTests package), python3 and script(1) from util-linux.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(readlink -f "$here/../../../../bin/tinynn")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
ok() { printf 'ok   %s\n' "$*"; }
bad() { fail=1; printf 'FAIL %s\n' "$*"; }

python3 "$here/../fixtures/make_fixture.py" data --train 600 --test 100 > /dev/null
train=(train --train-images data/train-images-idx3-ubyte --train-labels data/train-labels-idx1-ubyte
       --hidden 8 --epochs 1 --batch-size 32 --threads 1)

# On a terminal: stdout and stderr both go to script's pty, recorded in tty.txt.
script -qec "$bin version" /dev/null > tty.txt
if grep -q 'WARNING: Using incubator' tty.txt; then bad "incubator warning on a terminal"; else ok "no incubator warning on a terminal"; fi
grep -q '^tinynn [0-9]' tty.txt && ok "version output" || bad "no version output: $(cat tty.txt)"
script -qec "$bin ${train[*]} --out bar.tnn" /dev/null > bar.txt
if grep -q $'\r''epoch 1/1 \[' bar.txt; then ok "progress bar on a terminal"; else bad "no progress bar: $(tr '\r' '|' < bar.txt)"; fi
if grep -q 'WARNING: Using incubator' bar.txt; then bad "incubator warning during train"; else ok "no incubator warning during train"; fi
# stdout on the terminal, stderr to a file: the launcher tells tinynn that stderr is not a terminal.
script -qec "$bin ${train[*]} --out redirected.tnn 2> redirected.txt" /dev/null > /dev/null
if grep -q $'\r' redirected.txt; then bad "bar written into a file"; else ok "no bar in a file"; fi
grep -q '^  epoch 1/1 step ' redirected.txt && ok "progress lines in a file" || bad "no progress lines: $(cat redirected.txt)"

# Off a terminal: nothing but tinynn's own output, and plain progress lines.
"$bin" "${train[@]}" --out lines.tnn > out.txt 2> err.txt
if grep -q 'WARNING' err.txt; then bad "warning off a terminal"; else ok "no warning off a terminal"; fi
grep -q '^  epoch 1/1 step ' err.txt && ok "progress lines off a terminal" || bad "no progress lines: $(cat err.txt)"
[ "$fail" = 0 ]
