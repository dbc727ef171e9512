#!/usr/bin/python3
"""Prints the table of bench/all.sh from the JSON lines it wrote into DIR: every ratio, its target and pass/fail.

usage: all_report.py DIR

Ratios are always "how many times better Occam is" (above 1: Occam is faster), except E, which is an efficiency.
Rules (bench/README.md):
  gemm   ratio = Occam GFLOP/s ÷ OpenBLAS GFLOP/s, best of the rounds for each; target ≥ 0.95, and > 1.00 (Occam wins
         outright) for small products (m·k·n ≤ 2^20 multiply-adds).
  E      Σ OpenBLAS best time of the step's products ÷ Occam best step time (same threads), both timed in alternating
         rounds of one process (efficiency.jsonl; without it, the gemm section's products ÷ the `steps` time);
         784-512-256-10 ≥ 0.85, 64-128-10 ≥ 0.5. 2-8-1: step time ≤ 1 µs.
  torch  PyTorch µs ÷ Occam µs for the same step, each at its best thread count (of those it was timed with; Occam's
         other thread counts are info rows); ≥ 3 (784-512-256-10), ≥ 8 (64-128-10), ≥ 100 (2-8-1).
  train  input pipeline = read + prepare data + batch (shuffle + gather), as `occam train --timings` clocks them in the
         timed runs (best of the runs), ÷ (steps·t_step) ≤ 0.05, where steps = epochs·rows/batch and t_step the 2-thread
         `steps` time of the same net; PyTorch job (the fastest of 0, 1, 2 DataLoader workers) ÷ occam train wall ≥ 3. Info rows: the wall-clock overhead
         (wall − `occam --version` − steps·t_step, which also charges JIT, model building, epoch records and saving), the
         other phases of the same runs, and from Occam.Bench train (train-parts.jsonl) the same job in process.
  infer  ORT µs ÷ Occam µs (MlpPredictor, the prepared call): ≥ 1.0 at batch 256, ≥ 2 at one row; pruned: (t_full ÷ t_pruned) ÷ (P_full ÷ P_pruned) ≥ 0.85.
  start  best wall ms of `occam --version` and of `occam linear fit` on diabetes ≤ 150 ms; info: saving the MNIST model
         (Occam.Bench save) vs the same file written by System.Text.Json's serializer.
  linear reference time ÷ Occam time ≥ 2 (Occam ≤ 0.5× each reference).
"""
import json
import os
import sys
from collections import defaultdict

d = sys.argv[1]


def lines(name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return []
    out = []
    with open(p) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    return out


rows = []   # (section, case, occam, reference, value, target, verdict)


def add(section, case, occam, ref, value, target, ok):
    rows.append((section, case, occam, ref, value, target, "n/a" if ok is None else ("PASS" if ok else "FAIL")))


# --- machine ------------------------------------------------------------------------------------------------------------
mach = {r["bench"]: r for r in lines("machine.jsonl")}
header = []
if "lscpu" in mach:
    m = mach["lscpu"]
    header.append(f"machine: {m['model']} ({m.get('vendor', '?')}, {m.get('fms', '?')}), {m['cpus']} CPUs, L1d {m.get('l1d', '?')}, "
                  f"L2 {m.get('l2', '?')}, L3 {m['l3']}, SIMD {' '.join(m['simd'])}; load average at start {' '.join(m['load'])}"
                  + ("; QUICK mode (short windows, noisier)" if m.get("quick") else ""))
    header.append(f"lscpu flags: {m['flags']}")
    header.append(f"OpenBLAS: {m['openblas']}" + (f" (core: {m['openblasCore']})" if m.get("openblasCore") else ""))
    if m.get("emulated"):
        header.append(f"EMULATED {m['emulated']}: AVX-512 is switched off for .NET, OpenBLAS and PyTorch (not for ONNX Runtime"
                      " or the linear section's references)")
if "machine" in mach:
    m = mach["machine"]
    header.append(f".NET: {m['runtime']}; Vector512 accelerated: {m['vector512']}; GEMM micro-kernel: {m['gemmKernel']}")
    if not m["vector512"] and not mach.get("lscpu", {}).get("emulated"):
        header.append("NOTE: this machine has no AVX-512: the Vector512 8x32 kernel is NOT measured here (it runs only in tests); "
                      "every GEMM figure below is the Vector256 6x16 kernel.")

# --- gemm ----------------------------------------------------------------------------------------------------------------
best = defaultdict(dict)   # (set,label,op,shape,threads) -> impl -> best row
for r in lines("gemm.jsonl"):
    key = (r["set"], r["label"], r["op"], r["shape"], r["threads"])
    cur = best[key].get(r["impl"])
    if cur is None or r["bestUs"] < cur["bestUs"]:
        best[key][r["impl"]] = r
for key, v in best.items():
    if "occam" not in v or "openblas" not in v:
        continue
    o, b = v["occam"], v["openblas"]
    work = o["m"] * o["k"] * o["n"]
    small = work <= 1 << 20
    ratio = o["gflops"] / b["gflops"]
    target = "> 1.00" if small else ">= 0.95"
    add("gemm", f"{key[0]} {key[1]} {key[2]} {key[3]} t{key[4]}", f"{o['gflops']:.1f} GF/s ({o['bestUs']:.3g} us)",
        f"{b['gflops']:.1f} GF/s", f"{ratio:.2f}", target, ratio > 1.0 if small else ratio >= 0.95)
for r in lines("numpy.jsonl"):
    o = best.get(("headline", r["shape"], "NN", r["shape"], r["threads"]), {}).get("occam")
    if o:
        add("gemm", f"numpy cross-check NN {r['shape']} t{r['threads']}", f"{o['gflops']:.1f} GF/s", f"{r['gflops']:.1f} GF/s (numpy)",
            f"{o['gflops'] / r['gflops']:.2f}", "info", None)

# --- steps: E and 2-8-1 --------------------------------------------------------------------------------------------------
steps = {(r["net"], r["threads"]): r for r in lines("steps.jsonl")}
efficiency = {(r["net"], r["threads"]): r for r in lines("efficiency.jsonl")}
for (net, threads), s in steps.items():
    ref = [v["openblas"]["bestUs"] for k, v in best.items()
           if k[0] == "step" and k[1].startswith(net + " ") and k[4] == threads and "openblas" in v]
    # Single steps (`steps --spread`): what a loop of steps pays, beside the best window the targets use.
    spread = (f"  same, single steps ({s['singleSteps']}): p10 / median / mean / p90 {s['p10Us']:.1f} / {s['medianUs']:.1f} / "
              f"{s['meanUs']:.1f} / {s['p90Us']:.1f} us; mean vs best window") if "meanUs" in s else None
    if net == "2-8-1":
        add("steps", f"2-8-1 batch 4 step time t{threads}", f"{s['usPerStep']:.3f} us", "-", f"{s['usPerStep']:.3f} us", "<= 1 us",
            s["usPerStep"] <= 1.0)
        if spread:
            add("steps", spread, f"{s['meanUs']:.3f} us", f"{s['usPerStep']:.3f} us", f"{s['meanUs'] / s['usPerStep']:.2f}", "info", None)
        continue
    target = 0.85 if net == "784-512-256-10" else 0.5
    eff = efficiency.get((net, threads))
    if eff:
        # Both terms in alternating rounds of one process (Occam.Bench efficiency): the target row.
        add("steps", f"E {net} batch {s['batch']} t{threads}", f"{eff['occamUs']:.1f} us/step", f"{eff['openblasUs']:.1f} us OpenBLAS products",
            f"{eff['e']:.2f}", f">= {target}", eff["e"] >= target)
        add("steps", f"  same, each of {eff['rounds']} rounds' own E: median {eff['eMedian']:.2f}, range {min(eff['roundE']):.2f}–{max(eff['roundE']):.2f}",
            f"{eff['eMedian']:.2f}", f"{eff['e']:.2f}", f"{eff['eMedian'] / eff['e']:.2f}", "info", None)
    if ref:
        e = sum(ref) / s["usPerStep"]
        if eff:
            add("steps", "  same, `steps` time vs the gemm section's OpenBLAS products (other minutes, other process)", f"{s['usPerStep']:.1f} us/step",
                f"{sum(ref):.1f} us OpenBLAS products", f"{e:.2f}", "info", None)
        else:
            add("steps", f"E {net} batch {s['batch']} t{threads}", f"{s['usPerStep']:.1f} us/step", f"{sum(ref):.1f} us OpenBLAS products",
                f"{e:.2f}", f">= {target}", e >= target)
    elif not eff:
        continue
    if spread:
        add("steps", spread, f"{s['meanUs']:.1f} us", f"{s['usPerStep']:.1f} us", f"{s['meanUs'] / s['usPerStep']:.2f}", "info", None)

# --- torch -----------------------------------------------------------------------------------------------------------------
torch = defaultdict(list)
for r in lines("torch.jsonl"):
    torch[r["net"]].append(r)
targets = {"784-512-256-10": 3, "64-128-10": 8, "2-8-1": 100}
# The issue compares each side at its best thread setting: the target row is Occam's fastest thread count against
# PyTorch's fastest; Occam's other thread counts follow as info rows against the same PyTorch time.
occam_by_net = defaultdict(list)
for (net, threads), s in steps.items():
    if net in torch:
        occam_by_net[net].append((threads, s))
for net, runs in occam_by_net.items():
    t = min(torch[net], key=lambda r: r["usPerStep"])
    best_threads, best = min(runs, key=lambda ts: ts[1]["usPerStep"])
    for threads, s in sorted(runs, key=lambda ts: (ts[0] != best_threads, ts[0])):
        ratio = t["usPerStep"] / s["usPerStep"]
        label = f"{net} batch {s['batch']} Occam t{threads} vs torch t{t['threads']}"
        if threads == best_threads:
            add("torch", label + " (both at their best)", f"{s['usPerStep']:.1f} us", f"{t['usPerStep']:.1f} us",
                f"{ratio:.1f}x", f">= {targets[net]}x", ratio >= targets[net])
        else:
            add("torch", "  " + label, f"{s['usPerStep']:.1f} us", f"{t['usPerStep']:.1f} us", f"{ratio:.1f}x", "info", None)

# --- train -------------------------------------------------------------------------------------------------------------------
def best_of(runs, f):
    return min(f(r) for r in runs)


train = {r["impl"]: r for r in lines("train.jsonl")}
torch_jobs = sorted((r for r in lines("train.jsonl") if r["impl"] == "pytorch"), key=lambda r: r["jobSeconds"])
startup = {r["case"]: r for r in lines("startup.jsonl")}
if "occam" in train:
    o = train["occam"]
    s = steps.get(("784-512-256-10", o["threads"]))
    if s:
        n_steps = o["epochs"] * o["rows"] / o["batch"]
        steps_s = n_steps * s["usPerStep"] * 1e-6
        start_s = startup["version"]["bestMs"] / 1e3 if "version" in startup else 0.0
        over = (o["wallSeconds"] - start_s - steps_s) / steps_s
        runs = o.get("runs") or []
        if runs:
            # The target: loading + standardizing + shuffling + batching, clocked by the CLI itself (--timings).
            def best(key):
                return min(r[key] for r in runs)
            pr = min(runs, key=lambda r: r["inputPipelineSeconds"])
            pipe = pr["inputPipelineSeconds"]
            add("train", f"occam train MNIST-10k {o['epochs']} ep: input pipeline over {n_steps:.0f} steps (read {pr['readSeconds'] * 1e3:.0f} + "
                f"prepare {pr['prepareSeconds'] * 1e3:.0f} + batch {pr['batchSeconds'] * 1e3:.0f} ms)", f"{pipe * 1e3:.0f} ms",
                f"{steps_s:.2f} s steps", f"{pipe / steps_s * 100:+.1f}%", "<= +5%", pipe / steps_s <= 0.05)
            add("train", f"  same, over the steps' own time in those runs (best {best('stepSeconds'):.3f} s in Trainer.Step)", f"{pipe * 1e3:.0f} ms",
                f"{best('stepSeconds'):.2f} s", f"{pipe / best('stepSeconds') * 100:+.1f}%", "info", None)
            outside = best_of(runs, lambda r: r["wallSeconds"] - r["commandSeconds"])
            others = outside + best("buildSeconds") + best("epochEndSeconds") + best("saveSeconds")
            add("train", f"  other phases (best of runs): start-up + exit outside the command {outside * 1e3:.0f} ms, build model "
                f"{best('buildSeconds') * 1e3:.0f} ms, epoch records {best('epochEndSeconds') * 1e3:.0f} ms, save {best('saveSeconds') * 1e3:.0f} ms",
                f"{others * 1e3:.0f} ms", f"{steps_s:.2f} s steps", f"{others / steps_s * 100:+.1f}%", "info", None)
            add("train", "  wall-clock overhead (wall − `occam --version` − steps·t_step: also JIT, build, records, save)", f"{o['wallSeconds']:.2f} s wall",
                f"{steps_s:.2f} s steps (+{start_s * 1e3:.0f} ms start-up)", f"{over * 100:+.1f}%", "info", None)
        else:   # a run without --timings (older CLI): the wall-clock overhead is all there is
            add("train", f"occam train MNIST-10k {o['epochs']} ep: overhead over {n_steps:.0f} steps", f"{o['wallSeconds']:.2f} s wall",
                f"{steps_s:.2f} s steps (+{start_s * 1e3:.0f} ms start-up)", f"{over * 100:+.1f}%", "<= +5%", over <= 0.05)
        if o.get("trainSeconds") is not None:
            add("train", "  same, in-process training loop only", f"{o['trainSeconds']:.2f} s", f"{steps_s:.2f} s",
                f"{(o['trainSeconds'] - steps_s) / steps_s * 100:+.1f}%", "info", None)
    # In-process breakdown (Occam.Bench train): the warm run with the least total time; steps_in_loop is the time inside
    # Trainer.Step during the real loop, so loop − steps_in_loop is the loop's own work (shuffle, gather, per-epoch records).
    parts = [r for r in lines("train-parts.jsonl") if r.get("run")]
    warm = [r for r in parts if r["run"] > 1] or parts
    if warm and s:
        b = min(warm, key=lambda r: r["totalS"])
        per_step = s["usPerStep"] * 1e-6 * b["epochs"] * o["rows"] / o["batch"]
        add("train", f"  in process (warm, best of {len(warm)}): read {b['readS'] * 1e3:.0f} ms, prepare {b['prepareS'] * 1e3:.0f} ms, "
            f"save {b['saveS'] * 1e3:.0f} ms", f"{b['totalS']:.2f} s", f"{per_step:.2f} s",
            f"{(b['totalS'] - per_step) / per_step * 100:+.1f}%", "info", None)
        add("train", f"  loop {b['loopS']:.3f} s = steps {b['stepsS']:.3f} s + own work {(b['loopS'] - b['stepsS']) * 1e3:.0f} ms",
            f"{b['stepsS']:.3f} s in Step", f"{per_step:.3f} s best-of",
            f"{(b['stepsS'] - per_step) / per_step * 100:+.1f}%", "info", None)
        ref = next((r for r in lines("train-parts.jsonl") if r.get("case") == "step" and "medianUs" in r), None)
        if ref:
            # The `steps` figure is the least disturbed of many single steps; a loop pays their average. Same process, same shapes.
            loop_us = b["stepsS"] / b["steps"] * 1e6
            add("train", f"  a step in the loop (mean of {b['steps']}) vs the isolated step's own median / mean ({ref['medianUs']:.0f} / "
                f"{ref['meanUs']:.0f} µs; best {ref['usPerStep']:.0f})", f"{loop_us:.0f} µs", f"{ref['meanUs']:.0f} µs",
                f"{(loop_us - ref['meanUs']) / ref['meanUs'] * 100:+.1f}%", "info", None)
        if parts[0]["run"] == 1 and len(parts) > 1:
            c = parts[0]
            add("train", "  first run in the process (JIT, no ReadyToRun) vs warm", f"{c['totalS']:.2f} s", f"{b['totalS']:.2f} s",
                f"{(c['totalS'] - b['totalS']) * 1e3:+.0f} ms", "info", None)
    if torch_jobs:
        # the reference is PyTorch at its best DataLoader setting (the fastest of the worker counts timed); the others: info
        for i, p in enumerate(torch_jobs):
            ratio = p["jobSeconds"] / o["wallSeconds"]
            label = f"PyTorch DataLoader job (t{p['threads']}, {p.get('workers', 0)} workers) vs occam train (wall, incl. start-up)"
            if i == 0:
                add("train", label + (" (its fastest setting)" if len(torch_jobs) > 1 else ""), f"{o['wallSeconds']:.2f} s",
                    f"{p['jobSeconds']:.2f} s", f"{ratio:.1f}x", ">= 3x", ratio >= 3)
            else:
                add("train", "  " + label, f"{o['wallSeconds']:.2f} s", f"{p['jobSeconds']:.2f} s", f"{ratio:.1f}x", "info", None)

# --- infer ----------------------------------------------------------------------------------------------------------------------
for r in lines("infer.jsonl"):
    if r["bench"] == "infer":
        # The target row is the prepared predictor (`Mlp.CreatePredictor()`: weights packed once, as an ORT session packs its
        # constant weights at creation); the plain `Mlp.PredictScores` call (weights read in place) is an info row.
        occam = r.get("predictorUs", r["occamUs"])
        api = "MlpPredictor" if "predictorUs" in r else "Mlp.PredictScores"
        ratio = r["ortUs"] / occam
        target = 1.0 if r["rows"] > 1 else 2.0
        what = f"batch {r['rows']} ({r['rows'] / occam * 1e6:,.0f} rows/s)" if r["rows"] > 1 else "1 row latency"
        add("infer", f"784-512-256-10 {what} {api} t{r['threads']}", f"{occam:.1f} us", f"{r['ortUs']:.1f} us ORT",
            f"{ratio:.2f}x", f">= {target:g}x", ratio >= target)
        if "predictorUs" in r:
            add("infer", f"  same, Mlp.PredictScores (unprepared) t{r['threads']}", f"{r['occamUs']:.1f} us", f"{r['ortUs']:.1f} us ORT",
                f"{r['ortUs'] / r['occamUs']:.2f}x", "info", None)
        if "occamDoubleUs" in r:   # the Mlp call with double inputs (converted inside the call)
            add("infer", f"  same, Mlp.PredictScores double inputs t{r['threads']}", f"{r['occamDoubleUs']:.1f} us", f"{r['ortUs']:.1f} us ORT",
                f"{r['ortUs'] / r['occamDoubleUs']:.2f}x", "info", None)
    elif r["bench"] == "prune":
        speed = r["fullUs"] / r["prunedUs"]
        params = r["fullParams"] / r["prunedParams"]
        add("infer", f"pruned (half the hidden units) batch {r['rows']}: speed-up vs parameter ratio {params:.2f}",
            f"{r['prunedUs']:.1f} us", f"{r['fullUs']:.1f} us full", f"{speed / params:.2f}", ">= 0.85", speed / params >= 0.85)

# --- startup ------------------------------------------------------------------------------------------------------------------
for name, label in (("version", "occam --version"), ("linear-fit", "occam linear fit diabetes")):
    if name in startup:
        r = startup[name]
        add("startup", f"{label} (ReadyToRun)", f"{r['bestMs']:.0f} ms (median {r['medianMs']:.0f}, CPU {r.get('cpuMs', float('nan')):.0f})", "-", f"{r['bestMs']:.0f} ms", "<= 150 ms",
            r["bestMs"] <= 150)

for r in lines("save.jsonl"):
    add("startup", f"save {r['case']} model ({r['bytes'] / 1e6:.1f} MB JSON, atomic) vs System.Text.Json serializer (in process; first save {r['firstMs']:.0f} ms, "
        f"formatting {r['formatNsPerValue']:.0f} vs {r['dotnetNsPerValue']:.0f} ns/value; loading it back {r['loadMs']:.0f} ms, first {r['firstLoadMs']:.0f} ms)", f"{r['occamMs']:.1f} ms", f"{r['referenceMs']:.1f} ms",
        f"{r['referenceMs'] / r['occamMs']:.1f}x", "info", None)

# --- linear -------------------------------------------------------------------------------------------------------------------
for r in lines("linear.jsonl"):
    for ref, t in r["refs"].items():
        if t is None:
            add("linear", f"{r['problem']} {r['path']} vs {ref}", f"{r['occam']:.4g} s", "not run (--quick)", "-", ">= 2x", None)
            continue
        ratio = t / r["occam"]
        add("linear", f"{r['problem']} {r['path']} vs {ref}", f"{r['occam']:.4g} s", f"{t:.4g} s", f"{ratio:.1f}x", ">= 2x", ratio >= 2)

# --- print --------------------------------------------------------------------------------------------------------------------
for h in header:
    print(h)
print()
head = ("section", "case", "Occam", "reference", "ratio", "target", "verdict")
w = [max(len(str(x[i])) for x in rows + [head]) for i in range(len(head))]
fmt = lambda r: "  ".join(str(c).ljust(w[i]) if i < 2 else str(c).rjust(w[i]) for i, c in enumerate(r))  # noqa: E731
print(fmt(head))
for r in rows:
    print(fmt(r))
n_pass = sum(r[6] == "PASS" for r in rows)
n_fail = sum(r[6] == "FAIL" for r in rows)
print(f"\n{n_pass} targets met, {n_fail} not met ({len(rows)} rows). Noise: every figure is a best of repeated windows;"
      " rerun on a quiet machine before reading a FAIL within a few % of its target.")
