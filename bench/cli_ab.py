#!/usr/bin/env python3
"""Interleaved A/B of published `occam` CLIs on one command line (start-up, `linear fit`, a parse-only line).

    python3 bench/cli_ab.py [--rounds N] [--fifo] NAME=PATH/Occam.Cli[@VAR=VALUE,...] [NAME=...] -- ARGS...

Each round runs every CLI once, alternating the order, and records the wall time and the CPU time (user + system) of
the child; it prints best, first quartile and median per CLI, the load average before and after, and whether the
standard outputs are identical once times in seconds ("0.1060 s", "seconds": …) are masked. A CLI's environment
variables follow its path after '@' (e.g. new=/tmp/cli/Occam.Cli@DOTNET_EnableWriteXorExecute=1). With --fifo every
run is started under `chrt -f 20` (SCHED_FIFO, needs root): on a host loaded by others the CLI's threads then take a
vCPU as soon as they are runnable — closer to a quiet host, though the other hyperthread and the caches stay busy
(docs/algorithms/startup.md, "Ahead of the command"). Exit codes 0 and 2 (not converged) are accepted, or those of
--exit-codes.

Publish the CLIs first, as bench/all.sh does:

    dotnet publish src/Occam.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/cli-new
"""
import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--rounds", type=int, default=20)
p.add_argument("--fifo", action="store_true", help="run each CLI under chrt -f 20 (SCHED_FIFO)")
p.add_argument("--exit-codes", default="0,2", help="exit codes accepted (default 0,2; e.g. 0,66 for a line that stops at a missing file)")
p.add_argument("clis", nargs="+", metavar="NAME=PATH[@VAR=VALUE,...]")
argv = sys.argv[1:]
if "--" not in argv:
    sys.exit("cli_ab.py: give the command line after '--', e.g. -- linear fit --data data/diabetes.csv --target progression --alpha 0.5")
cut = argv.index("--")
args, line = p.parse_args(argv[:cut]), argv[cut + 1:]

clis = []
for spec in args.clis:
    name, sep, rest = spec.partition("=")
    path, _, env = rest.partition("@")
    if not sep or not os.path.isfile(path):
        sys.exit(f"cli_ab.py: '{spec}' is not NAME=PATH to a published CLI")
    clis.append((name, path, dict(kv.split("=", 1) for kv in env.split(",")) if env else {}))
prefix = ["chrt", "-f", "20"] if args.fifo else []
ok = {int(c) for c in args.exit_codes.split(",")}
seconds = re.compile(r'\d+\.\d+ s\b|"seconds": [0-9.eE+-]+')

def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])

before = load()
for _, path, env in clis:   # warm the file cache
    subprocess.run(prefix + [path] + line, capture_output=True, env=dict(os.environ, **env))
wall = {c[0]: [] for c in clis}
cpu = {c[0]: [] for c in clis}
out = {}
for r in range(args.rounds):
    for name, path, env in (clis if r % 2 == 0 else clis[::-1]):
        a = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        res = subprocess.run(prefix + [path] + line, capture_output=True, env=dict(os.environ, **env))
        wall[name].append((time.perf_counter() - t) * 1e3)
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append((b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime) * 1e3)
        if res.returncode not in ok:
            sys.exit(f"cli_ab.py: {name} exited {res.returncode}: {res.stderr.decode()[-400:]}")
        out.setdefault(name, seconds.sub("T", res.stdout.decode()))

print(f"{args.rounds} interleaved rounds{' at SCHED_FIFO' if args.fifo else ''}, load {before} -> {load()}; ms")
for name, _, _ in clis:
    q = lambda v: statistics.quantiles(v, n=4)[0]
    w, c = wall[name], cpu[name]
    print(f"  {name:<12} wall best {min(w):7.1f}  q1 {q(w):7.1f}  median {statistics.median(w):7.1f}"
          f"   cpu best {min(c):7.1f}  q1 {q(c):7.1f}  median {statistics.median(c):7.1f}")
print("  standard outputs identical (times masked):", len(set(out.values())) == 1)
