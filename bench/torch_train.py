#!/usr/bin/python3
"""PyTorch side of the end-to-end comparison in bench/all.sh: the job `occam train` does on the shipped MNIST-10k.

    occam train --data data/mnist-10k-images-idx3-ubyte.gz --labels data/mnist-10k-labels-idx1-ubyte.gz \
        --hidden 512,256 --epochs 10 --batch-size 256 --optimizer adam --lr 1e-3 --l1 1e-4 --dropout 0.2 --seed 1

written as a PyTorch user would: read the gzip IDX files with numpy, standardize each pixel column (mean 0, std 1;
constant columns scale 1, as Occam), a TensorDataset + DataLoader(batch_size=256, shuffle=True), a
Linear-ReLU-Dropout(0.2)-Linear-ReLU-Dropout(0.2)-Linear net, CrossEntropy, Adam(lr=1e-3) and the L1 prox
(soft-thresholding with threshold lr*l1 after each step; the biases unpenalized), 10 epochs, then the model saved
(torch.save of the state_dict into a temporary folder: `occam train` writes its model too).

DataLoader workers: num_workers=0 (PyTorch's default: batches are made in the training process) unless argv[3] says
otherwise (persistent workers then). bench/all.sh times 0, 1 and 2 workers and compares with the fastest, PyTorch's best
setting on the machine at hand: on a quiet 2-core machine worker processes compete with the two compute threads, on a
loaded one extra processes can win a larger share of the CPU (session 4, load ≈ 20, 2 epochs: 0 workers 2.5–3.6 s,
1 worker 2.1–3.1 s, 2 workers 1.3–3.5 s — too noisy to pick one, so all three are timed).

Timed in process with perf_counter from before reading the files to the end of the save (the `import torch`
before it is not counted). Threads: torch.set_num_threads(N) and openblas_set_num_threads(N) (N = argv[1], default 2).
Prints one JSON line: {"bench":"train","impl":"pytorch","threads":N,"workers":W,"jobSeconds":...,"steps":...}.
"""
import ctypes
import gzip
import json
import os
import sys
import tempfile
import time

for _v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(_v, None)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as Fn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
workers = int(sys.argv[3]) if len(sys.argv) > 3 else 0
LR, L1, DROPOUT, BATCH = 1e-3, 1e-4, 0.2, 256

torch.set_num_threads(threads)
with open("/proc/self/maps") as f:
    blas = next((line.split()[-1] for line in f if "openblas" in line), None)
if blas:
    ctypes.CDLL(blas).openblas_set_num_threads(ctypes.c_int(threads))
torch.manual_seed(1)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


t0 = time.perf_counter()
images = idx(os.path.join(root, "data/mnist-10k-images-idx3-ubyte.gz")).reshape(-1, 784).astype(np.float64)
labels = idx(os.path.join(root, "data/mnist-10k-labels-idx1-ubyte.gz")).astype(np.int64)
mean, std = images.mean(axis=0), images.std(axis=0)
std[std == 0] = 1.0
x = torch.from_numpy(((images - mean) / std).astype(np.float32))
y = torch.from_numpy(labels)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True, num_workers=workers,
                    persistent_workers=workers > 0)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(DROPOUT),
    torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Dropout(DROPOUT),
    torch.nn.Linear(256, 10)).train()
weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
opt = torch.optim.Adam(model.parameters(), lr=LR)
steps = 0
for epoch in range(epochs):
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = Fn.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for w in weights:
                w.copy_(Fn.softshrink(w, LR * L1))
        steps += 1
with tempfile.TemporaryDirectory() as folder:
    torch.save(model.state_dict(), os.path.join(folder, "model.pt"))
    seconds = time.perf_counter() - t0
print(json.dumps({"bench": "train", "impl": "pytorch", "threads": threads, "workers": workers, "jobSeconds": round(seconds, 4),
                  "steps": steps, "finalLoss": round(float(loss), 4), "torch": torch.__version__}))
