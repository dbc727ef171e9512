#!/usr/bin/env python3
"""Interleaved A/B of published `occam` CLIs on bench/all.sh's MNIST job (or any `occam train` line).

    python3 bench/train_ab.py [--rounds N] [--epochs E] [--env NAME=VAR=VALUE ...] NAME=PATH/Occam.Cli [NAME=...] [-- extra train args]

Each round runs every CLI once, in a rotated order (so neither is always first after the other), with
`--json --timings`; at the end it prints, per CLI, best and median of the wall time and of every phase the CLI
clocks (read, prepare, batch, build, steps, epoch records, save, command), the time outside the command
(wall − commandSeconds: runtime start-up, command line, exit), the first epoch (the history's first `seconds`: steps
and record) and a later epoch (the median of the other epochs' durations in that run), then the process's page faults (minor + major, from wait4) and peak resident set, then whether the models
written are byte-identical.

Publish the CLIs first, e.g. (the way bench/all.sh does, ReadyToRun, framework-dependent):

    dotnet publish src/Occam.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/cli-new

On a shared 2-core machine read the bests and the medians, never one run; give `uptime`'s load beside the numbers.
"""
import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--rounds", type=int, default=10)
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--env", action="append", default=[], metavar="NAME=VAR=VALUE",
               help="an environment variable for one CLI's runs (repeatable), e.g. new=DOTNET_TieredCompilation=0")
p.add_argument("clis", nargs="+", metavar="NAME=PATH")
# Everything after "--" is the train line (argparse would take its words as more NAME=PATH positionals).
argv = sys.argv[1:]
extra = argv[argv.index("--") + 1:] if "--" in argv else []
args = p.parse_args(argv[:argv.index("--")] if "--" in argv else argv)

clis = {}
for spec in args.clis:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        sys.exit(f"train_ab.py: '{spec}' is not NAME=PATH (e.g. new=/tmp/cli-new/Occam.Cli)")
    if not os.path.isfile(path):
        sys.exit(f"train_ab.py: {path} (CLI '{name}') does not exist; publish it first (see --help)")
    clis[name] = path
envs = {name: {} for name in clis}
for spec in args.env:
    name, _, assignment = spec.partition("=")
    var, sep, value = assignment.partition("=")
    if name not in clis or not sep:
        sys.exit(f"train_ab.py: --env '{spec}' must be NAME=VAR=VALUE with NAME one of {', '.join(clis)}")
    envs[name][var] = value

job = ["--data", "data/mnist-10k-images-idx3-ubyte.gz", "--labels", "data/mnist-10k-labels-idx1-ubyte.gz",
       "--hidden", "512,256", "--epochs", str(args.epochs), "--batch-size", "256", "--optimizer", "adam", "--lr", "1e-3",
       "--l1", "1e-4", "--dropout", "0.2", "--seed", "1"] if not extra else extra
out = tempfile.mkdtemp(prefix="train-ab-")
names = list(clis)
runs = {name: [] for name in names}
for i in range(args.rounds):
    k = i % len(names)
    for name in names[k:] + names[:k]:
        model = os.path.join(out, f"{name}.json")
        cmd = [clis[name], "train", *job, "--json", "--timings", "--out", model]
        t = time.perf_counter()
        # Popen + wait4 rather than run: the child's resource usage (minor page faults, peak resident set) comes back too.
        with tempfile.TemporaryFile() as err:
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, cwd=root, env=dict(os.environ, **envs[name]))
            stdout = p.stdout.read().decode()
            p.stdout.close()
            _, status, usage = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t
            p.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read().decode(errors="replace")
        if p.returncode != 0:
            sys.exit(f"train_ab.py: {name} failed ({p.returncode}): {stderr[-400:]}")
        result = json.loads(stdout)
        timings = result["timings"]
        timings["wall"] = wall
        timings["faults"] = usage.ru_minflt + usage.ru_majflt   # counts, not seconds
        timings["maxRss"] = usage.ru_maxrss / 1024               # MiB (ru_maxrss is in KiB on Linux)
        seconds = [h["seconds"] for h in result.get("history", [])]   # since the loop began, at each epoch's end
        if seconds:
            timings["firstEpoch"] = seconds[0]
        if len(seconds) > 1:
            timings["laterEpoch"] = statistics.median(b - a for a, b in zip(seconds, seconds[1:]))
        timings["outside"] = wall - timings["commandSeconds"]
        runs[name].append(timings)

keys = ["wall", "outside", "readSeconds", "prepareSeconds", "batchSeconds", "inputPipelineSeconds", "buildSeconds",
        "stepSeconds", "epochEndSeconds", "saveSeconds", "commandSeconds", "firstEpoch", "laterEpoch"]
with open("/proc/loadavg") as f:
    load = " ".join(f.read().split()[:3])
job_name = "the given train line" if extra else f"{args.epochs} epochs"
print(f"{args.rounds} interleaved rounds, {job_name}, load average at the end {load}; ms best / median")
print(f"{'phase':<22}" + "".join(f"{name:>20}" for name in names))
for key in keys:
    cells = []
    for name in names:
        v = sorted(r[key] for r in runs[name] if key in r)
        cells.append(f"{v[0] * 1e3:9.1f} / {statistics.median(v) * 1e3:7.1f}" if v else f"{'-':>20}")
    print(f"{key.replace('Seconds', ''):<22}" + "".join(f"{c:>20}" for c in cells))
for key, label in [("faults", "page faults (count)"), ("maxRss", "max resident (MiB)")]:
    cells = []
    for name in names:
        v = sorted(r[key] for r in runs[name])
        cells.append(f"{v[0]:9.0f} / {statistics.median(v):7.0f}")
    print(f"{label:<22}" + "".join(f"{c:>20}" for c in cells))
first = os.path.join(out, f"{names[0]}.json")
for name in names[1:]:
    same = filecmp.cmp(first, os.path.join(out, f"{name}.json"), shallow=False)
    print(f"model {name} vs {names[0]}: {'byte-identical' if same else 'DIFFERENT'}")
