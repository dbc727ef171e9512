#!/usr/bin/python3
"""Joins the JSON lines of the Occam and PyTorch step benchmarks into one table.

Usage: steps_table.py OCCAM_JSONL TORCH_JSONL
Each line of either file that is a JSON object with "net", "batch", "threads" and
"usPerStep" is one measurement; other lines are ignored.  Rows are joined on
(net, batch, threads); ratio = PyTorch µs / Occam µs (above 1: Occam is faster).
Then, for each net timed at several thread counts, one line with each side at its best
thread count (the issue's comparison; the other rows are information).
"""
import json, sys

def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                r = json.loads(line)
                key = (r["net"], int(r["batch"]), int(r["threads"]))
                rows[key] = r
            except (ValueError, KeyError, TypeError):
                continue
    return rows

occam, torch = read(sys.argv[1]), read(sys.argv[2])
keys = list(torch) + [k for k in occam if k not in torch]
def us(r):
    return f"{r['usPerStep']:.1f}" if r else "-"
head = ("net", "batch", "threads", "Occam µs", "PyTorch µs", "ratio torch/occam")
rows = []
for k in keys:
    o, t = occam.get(k), torch.get(k)
    ratio = f"{t['usPerStep'] / o['usPerStep']:.1f}x" if o and t and o["usPerStep"] > 0 else "-"
    rows.append((k[0], str(k[1]), str(k[2]), us(o), us(t), ratio))
w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
print("  ".join(h.ljust(w[i]) if i == 0 else h.rjust(w[i]) for i, h in enumerate(head)))
for r in rows:
    print("  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)))
for net, batch in dict.fromkeys((k[0], k[1]) for k in keys):
    o = [r for k, r in occam.items() if k[:2] == (net, batch)]
    t = [r for k, r in torch.items() if k[:2] == (net, batch)]
    if len(o) + len(t) > 2 and o and t:
        bo, bt = min(o, key=lambda r: r["usPerStep"]), min(t, key=lambda r: r["usPerStep"])
        print(f"{net} batch {batch}, each at its best: Occam t{bo['threads']} {bo['usPerStep']:.1f} µs, "
              f"PyTorch t{bt['threads']} {bt['usPerStep']:.1f} µs, ratio {bt['usPerStep'] / bo['usPerStep']:.1f}x")
blas = {r["blas"] for r in torch.values() if "blas" in r} or {"?"}
vers = {r["torch"] for r in torch.values() if "torch" in r} or {"?"}
print(f"PyTorch {', '.join(sorted(vers))}, BLAS: {', '.join(sorted(blas))}")
