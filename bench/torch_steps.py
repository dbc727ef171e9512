#!/usr/bin/python3
"""PyTorch side of the training-step speed comparison (see bench/steps_vs_torch.sh).

One full training step, exactly as a PyTorch user would write it:

    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)        # Linear, ReLU, Dropout(0.2) after each hidden ReLU,
                                       # train mode; BCEWithLogits (binary) or CrossEntropy
    loss.backward()
    opt.step()                         # Adam(lr=1e-3), weight_decay=l2 on the weight group,
                                       # 0 on the bias group (coupled L2)
    with torch.no_grad():              # L1 prox by hand: soft-threshold each weight matrix
        for w in weights:              # with threshold lr*l1 (good enough for timing; a
            w.copy_(softshrink(w, lr*l1))  # true Adam prox would use the per-coordinate step)

Nets (random data from a fixed seed, float32):
    2-8-1           binary,     batch 4,   1 thread
    64-128-10       multiclass, batch 128, 1 and 2 threads
    784-512-256-10  multiclass, batch 256, 1 and 2 threads

Timing: warm-up, then the best of several repeats of a timed loop; the result is
microseconds per step.  Threads: torch.set_num_threads(n) and, when the BLAS
that torch loaded is OpenBLAS, openblas_set_num_threads(n).

Output: one JSON object per line,
    {"net": "2-8-1", "batch": 4, "threads": 1, "usPerStep": 123.4,
     "impl": "pytorch", "torch": "1.13.0a0", "blas": "/path/of/the/blas/library"}

Run it through bench/steps_vs_torch.sh, or directly:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \\
        /usr/bin/python3 bench/torch_steps.py [--quick] [--nets 2-8-1,64-128-10] [--foreach]
"""
import argparse
import ctypes
import json
import os
import sys
import time

# The BLAS and OpenMP runtimes read these when torch is imported; make sure the
# process runs as documented even when started without the `env` wrapper.
for _v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_v, None)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn.functional as Fn  # noqa: E402

LR, L1, L2, DROPOUT = 1e-3, 1e-4, 1e-4, 0.2

CONFIGS = [
    # net, layer sizes, task, batch, thread counts
    ("2-8-1", [2, 8, 1], "binary", 4, [1]),
    ("64-128-10", [64, 128, 10], "multiclass", 128, [1, 2]),
    ("784-512-256-10", [784, 512, 256, 10], "multiclass", 256, [1, 2]),
]


def blas_library():
    """Path of the BLAS shared library mapped into this process (after a matmul)."""
    a = torch.ones(4, 4)
    _ = a @ a
    paths = []
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if ("blas" in p or "mkl" in p) and p not in paths and p.startswith("/"):
                paths.append(p)
    # prefer the library that holds the code (libopenblas*.so over the libblas.so.3 shim)
    paths.sort(key=lambda p: ("openblas" not in p, "mkl" not in p))
    return paths[0] if paths else "builtin"


def set_threads(n, blas):
    torch.set_num_threads(n)
    if "openblas" in blas:
        try:
            ctypes.CDLL(blas).openblas_set_num_threads(ctypes.c_int(n))
        except (OSError, AttributeError) as e:  # pragma: no cover - informative only
            print(f"warning: could not set OpenBLAS threads: {e}", file=sys.stderr)


def build(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers += [torch.nn.ReLU(), torch.nn.Dropout(DROPOUT)]
    return torch.nn.Sequential(*layers)


def make_step(sizes, task, batch, foreach):
    torch.manual_seed(12345)
    model = build(sizes).train()
    x = torch.randn(batch, sizes[0])
    if task == "binary":
        y = torch.randint(0, 2, (batch,)).to(torch.float32)
        loss_fn = lambda out: Fn.binary_cross_entropy_with_logits(out.view(-1), y)  # noqa: E731
    else:
        y = torch.randint(0, sizes[-1], (batch,))
        loss_fn = lambda out: Fn.cross_entropy(out, y)  # noqa: E731
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    biases = [m.bias for m in model if isinstance(m, torch.nn.Linear)]
    opt = torch.optim.Adam([{"params": weights, "weight_decay": L2},
                            {"params": biases, "weight_decay": 0.0}],
                           lr=LR, foreach=foreach)
    threshold = LR * L1

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x))
        loss.backward()
        opt.step()
        with torch.no_grad():
            for w in weights:
                w.copy_(Fn.softshrink(w, threshold))

    return step


def time_step(step, target_s, repeats):
    # warm-up: at least 20 steps and 0.3 s (allocator, OpenMP/BLAS thread pools)
    n, t0 = 0, time.perf_counter()
    while n < 20 or time.perf_counter() - t0 < 0.3:
        step()
        n += 1
    per = (time.perf_counter() - t0) / n
    loop = max(1, int(target_s / per))
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(loop):
            step()
        best = min(best, (time.perf_counter() - t) / loop)
    return best * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nets", default="", help="comma-separated subset, e.g. 2-8-1,64-128-10")
    ap.add_argument("--quick", action="store_true", help="shorter loops (noisier)")
    ap.add_argument("--foreach", action="store_true", help="Adam(foreach=True) instead of the 1.13 default")
    args = ap.parse_args()
    wanted = set(filter(None, args.nets.split(",")))
    target_s, repeats = (0.15, 3) if args.quick else (0.4, 7)
    blas = blas_library()
    if "blas/libblas.so" in blas:
        print(f"note: torch uses the reference (netlib) BLAS {blas}; matrix products are slow. "
              "bench/steps_vs_torch.sh --fetch-openblas gives it OpenBLAS.", file=sys.stderr)
    for net, sizes, task, batch, threads in CONFIGS:
        if wanted and net not in wanted:
            continue
        for n in threads:
            set_threads(n, blas)
            step = make_step(sizes, task, batch, args.foreach)
            us = time_step(step, target_s, repeats)
            print(json.dumps({"net": net, "batch": batch, "threads": n, "usPerStep": round(us, 2),
                              "impl": "pytorch" + ("-foreach" if args.foreach else ""),
                              "torch": torch.__version__, "blas": blas}), flush=True)


if __name__ == "__main__":
    main()
