#!/usr/bin/env python3
"""interrupt.py TINYNN MODEL ARGS...: starts `TINYNN train ... --out MODEL`, waits for its first
epoch line, sends SIGINT (as Ctrl-C does) and checks that it exits with 130 after saving a
checkpoint. A script because shells start background jobs with SIGINT ignored."""
import signal
import subprocess
import sys
import time

binary, model, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
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
time.sleep(0.3)  # into the second epoch
p.send_signal(signal.SIGINT)
out, err = p.communicate(timeout=120)
print(line + out, end="")
print(err, end="", file=sys.stderr)
if p.returncode != 130:
    sys.exit("interrupt.py: expected exit status 130, got %d" % p.returncode)
if "checkpoint saved to " + model not in err or len([l for l in err.splitlines() if l.strip()]) != 1:
    sys.exit("interrupt.py: expected one line 'checkpoint saved to %s' on stderr, got: %r" % (model, err))
