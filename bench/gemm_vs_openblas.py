"""Times float32 matrix products in numpy (OpenBLAS) best-of-N and prints JSON lines like gemm-quick.

Usage: gemm_vs_openblas.py SECONDS THREADS  (shapes m x k x n: 512x512x512 and 256x784x512)
"""
import json
import sys
import time

import numpy as np

seconds = float(sys.argv[1])
threads = int(sys.argv[2])
rng = np.random.default_rng(12345)
for m, k, n in [(512, 512, 512), (256, 784, 512)]:
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    for _ in range(3):
        np.matmul(a, b, out=c)
    best = float("inf")
    start = time.perf_counter()
    reps = 0
    while time.perf_counter() - start < seconds or reps < 10:
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        best = min(best, time.perf_counter() - t0)
        reps += 1
    print(json.dumps({"shape": f"{m}x{k}x{n}", "threads": threads, "gflops": round(2 * m * n * k / best / 1e9, 1)}))
