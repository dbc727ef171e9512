#!/usr/bin/python3
"""Independent references for Occam's `exact-zeros` and `dropout` experiments, computed with PyTorch 1.13.

Regenerate (from the repository root, Debian's python3-torch 1.13):

    /usr/bin/python3 tests/golden/experiments/torch_zeros_dropout.py

It writes tests/golden/experiments/torch_zeros_dropout.json; deterministic (torch.manual_seed, float32, one thread).

1. Exact zeros, linear regression as PyTorch users write it (the protocol of Occam's exact-zeros linear part): per seed,
   200 rows x 20 standard-normal features, y = sum_{j<5} beta_j x_j + N(0, 1), beta_j = +-U(1, 3); a torch.nn.Linear(20, 1)
   (default init), inputs standardized, MSELoss (mean), batch 20, shuffled, 100 epochs, lam = 0.2:
     sgd-l1-subgradient   SGD lr 0.01, loss + lam * |w|.sum()     (autograd: sign(w), 0 at 0)
     adam-l1-subgradient  Adam lr 0.01, same loss
     sgd-l1-prox          SGD lr 0.01 on the MSE, then w <- sign(w) * max(|w| - lr*lam, 0) after each step
     sgd-l2               SGD lr 0.01, loss + (lam/2) * (w**2).sum()
   Recorded per method: the number of weights exactly 0 (== 0) per seed, out of 20.
2. Dropout masks: torch.nn.Dropout(p) in training mode applied to ones(32, 256), 100 times per seed, 5 seeds; the number
   of zeros (units switched off) out of the total, for p = 0.2, 0.5, 0.8.

JSON: {"torch", "seeds", "zeros": {method: [zeros per seed]}, "weights": 20, "dropout": [{"p", "off", "total"}]}.
"""
import json
import os

import torch

torch.set_num_threads(1)
SEEDS = 20
LAM = 0.2


def data(seed):
    g = torch.Generator().manual_seed(1000 + seed)
    beta = torch.zeros(20)
    sign = torch.where(torch.rand(5, generator=g) < 0.5, -1.0, 1.0)
    beta[:5] = sign * (1 + 2 * torch.rand(5, generator=g))
    x = torch.randn(200, 20, generator=g)
    y = x @ beta + torch.randn(200, generator=g)
    x = (x - x.mean(0)) / x.std(0, unbiased=False)
    return x, y, g


def train(method, seed):
    x, y, g = data(seed)
    torch.manual_seed(seed)
    model = torch.nn.Linear(20, 1)
    opt = (torch.optim.Adam if method.startswith("adam") else torch.optim.SGD)(model.parameters(), lr=0.01)
    mse = torch.nn.MSELoss()
    w = model.weight
    for _ in range(100):
        order = torch.randperm(200, generator=g)
        for start in range(0, 200, 20):
            rows = order[start:start + 20]
            opt.zero_grad()
            loss = mse(model(x[rows]).reshape(-1), y[rows])
            if method.endswith("l1-subgradient"):
                loss = loss + LAM * w.abs().sum()
            elif method == "sgd-l2":
                loss = loss + (LAM / 2) * (w ** 2).sum()
            loss.backward()
            opt.step()
            if method == "sgd-l1-prox":
                with torch.no_grad():
                    w.copy_(torch.sign(w) * torch.clamp(w.abs() - 0.01 * LAM, min=0))
    return int((w == 0).sum())


def main():
    zeros = {m: [train(m, s) for s in range(SEEDS)] for m in ("sgd-l1-subgradient", "adam-l1-subgradient", "sgd-l1-prox", "sgd-l2")}
    for m, z in zeros.items():
        print(f"{m:20s} exact zeros per seed {z}")
    dropout = []
    for p in (0.2, 0.5, 0.8):
        layer = torch.nn.Dropout(p)
        layer.train()
        off = total = 0
        for seed in range(5):
            torch.manual_seed(seed)
            for _ in range(100):
                out = layer(torch.ones(32, 256))
                off += int((out == 0).sum())
                total += out.numel()
        dropout.append({"p": p, "off": off, "total": total})
        print(f"dropout p={p}: {off}/{total} = {off / total:.4f}")
    doc = {"torch": torch.__version__, "seeds": SEEDS, "weights": 20, "zeros": zeros, "dropout": dropout}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_zeros_dropout.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
