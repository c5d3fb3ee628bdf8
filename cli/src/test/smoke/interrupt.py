#!/usr/bin/env python3
"""interrupt.py [--signal INT|TERM] TINYNN MODEL ARGS...: starts `TINYNN train ... --out MODEL`,
waits for its first epoch line, checks that a second trainer of MODEL is refused (the first one
holds its lock), sends SIGINT (as Ctrl-C does; or SIGTERM) and checks that it exits with 130 after
saving a checkpoint. A script because shells start background jobs with SIGINT ignored."""
import signal
import subprocess
import sys
import time

args = sys.argv[1:]
sig = signal.SIGINT
if args[:1] == ["--signal"]:
    sig = {"INT": signal.SIGINT, "TERM": signal.SIGTERM}[args[1]]
    args = args[2:]
binary, model, rest = args[0], args[1], args[2:]
p = subprocess.Popen([binary, "train", "--out", model, "--progress", "none"] + rest,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
deadline = time.time() + 300
line = ""
while time.time() < deadline:
    line = p.stdout.readline()
    if not line or line.startswith("epoch 1/"):
        break
if not line.startswith("epoch 1/"):
    p.kill()
    sys.exit("interrupt.py: no epoch line from train: " + line + p.stderr.read())
second = subprocess.run([binary, "train", "--out", model, "--progress", "none"] + rest,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if second.returncode != 1 or "is writing it; wait for that run" not in second.stderr:
    p.kill()
    sys.exit("interrupt.py: a second trainer of %s should be refused with exit 1, got %d: %r"
             % (model, second.returncode, second.stderr))
time.sleep(0.3)  # into the next epoch
p.send_signal(sig)
out, err = p.communicate(timeout=120)
print(line + out, end="")
print(err, end="", file=sys.stderr)
if p.returncode != 130:
    sys.exit("interrupt.py: expected exit status 130 after %s, got %d" % (sig.name, p.returncode))
if "checkpoint saved to " + model not in err or len([l for l in err.splitlines() if l.strip()]) != 1:
    sys.exit("interrupt.py: expected one line 'checkpoint saved to %s' on stderr, got: %r" % (model, err))
