#!/usr/bin/python3
"""PyTorch's weight_decay, side by side: the independent reference of Occam's `torch-weight-decay` experiment.

Regenerate (from the repository root, Debian's python3-torch 1.13):

    /usr/bin/python3 tests/golden/experiments/torch_weight_decay.py

It writes tests/golden/experiments/torch_weight_decay.json next to this script; the output is deterministic
(torch.manual_seed, float32, one thread).

Problem: a 4-8-1 tanh network (torch.nn.Sequential(Linear(4, 8), Tanh(), Linear(8, 1)), torch's default init, so the
biases start non-zero), regression on 64 rows (x ~ N(0, 1), y = sin(x0) + 0.5*x1*x2 + 0.1*noise), loss
torch.nn.MSELoss() (mean over rows), full batch, STEPS steps from the same initial weights, WD = 0.05.

For every optimizer (SGD lr 0.1; SGD momentum 0.9 lr 0.05; Nesterov 0.9 lr 0.05; Adam lr 0.01; AdamW lr 0.01, all
foreach=False) three ways to "regularize with weight_decay":

  all      opt(model.parameters(), weight_decay=WD)                 what most code writes: biases are decayed too
  weights  opt([{"params": weights, "weight_decay": WD},
               {"params": biases,  "weight_decay": 0}])             the usual fix: decay weight matrices only
  loss     opt(model.parameters(), weight_decay=0) and
           loss = MSE + lam * sum_weights(w**2), lam = WD / 2         L2 written in the loss, WITHOUT a 1/2

So "weights" and "loss" coincide exactly when weight_decay is L2 with weight_decay = 2*lam for the loss lam*sum(w^2).

JSON: {"torch", "steps", "wd", "rows", "inputs", "hidden", "x" (rows*inputs, row-major), "y", "init" {state_dict key:
flat floats}, "snapshots" (the steps t recorded, 1-based: parameters AFTER step t), "cases": [{"name", "optimizer",
"lr", "momentum", "variant", "params": [{key: flat floats} per snapshot]}], "summary": [{"optimizer",
"weightsVsLoss": max |weights - loss| over every parameter and snapshot, "allVsWeightsBias": max |all - weights| over
the biases, "biasShrink": mean |bias| under "all" / under "weights" at the last step}]}. Floats are
repr(float(numpy.float32(v))).
"""
import json
import os

import numpy as np
import torch

torch.set_num_threads(1)
STEPS = 100
SNAPSHOTS = [1, 2, 5, 10, 20, 50, 100]
WD = 0.05
ROWS, INPUTS, HIDDEN = 64, 4, 8
OPTIMIZERS = [("sgd", 0.1, 0.0), ("momentum", 0.05, 0.9), ("nesterov", 0.05, 0.9), ("adam", 0.01, 0.0), ("adamw", 0.01, 0.0)]
KEYS = ["0.weight", "0.bias", "2.weight", "2.bias"]


def f32(v):
    return float(np.float32(v))


def flat(t):
    return [f32(v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def make(opt, lr, momentum, groups):
    if opt in ("sgd", "momentum", "nesterov"):
        return torch.optim.SGD(groups, lr=lr, momentum=momentum, nesterov=opt == "nesterov", foreach=False)
    cls = torch.optim.Adam if opt == "adam" else torch.optim.AdamW
    return cls(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8, foreach=False)


def run(opt, lr, momentum, variant, init, x, y):
    model = torch.nn.Sequential(torch.nn.Linear(INPUTS, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, 1))
    model.load_state_dict(init)
    weights = [model[0].weight, model[2].weight]
    biases = [model[0].bias, model[2].bias]
    if variant == "all":
        groups = [{"params": list(model.parameters()), "weight_decay": WD}]
    elif variant == "weights":
        groups = [{"params": weights, "weight_decay": WD}, {"params": biases, "weight_decay": 0.0}]
    else:
        groups = [{"params": list(model.parameters()), "weight_decay": 0.0}]
    optimizer = make(opt, lr, momentum, groups)
    mse = torch.nn.MSELoss()
    out = []
    for t in range(1, STEPS + 1):
        optimizer.zero_grad()
        loss = mse(model(x).reshape(-1), y)
        if variant == "loss":
            loss = loss + (WD / 2) * sum((w ** 2).sum() for w in weights)
        loss.backward()
        optimizer.step()
        if t in SNAPSHOTS:
            out.append({k: flat(v) for k, v in model.state_dict().items()})
    return out


def main():
    torch.manual_seed(0)
    x = torch.randn(ROWS, INPUTS)
    y = torch.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + 0.1 * torch.randn(ROWS)
    net = torch.nn.Sequential(torch.nn.Linear(INPUTS, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, 1))
    init = {k: v.clone() for k, v in net.state_dict().items()}
    cases, summary = [], []
    for opt, lr, momentum in OPTIMIZERS:
        runs = {}
        for variant in ("all", "weights", "loss"):
            runs[variant] = run(opt, lr, momentum, variant, init, x, y)
            cases.append({"name": f"{opt}-{variant}", "optimizer": opt, "lr": lr, "momentum": momentum,
                          "variant": variant, "params": runs[variant]})
        wl = max(abs(a - b) for s1, s2 in zip(runs["weights"], runs["loss"]) for k in KEYS for a, b in zip(s1[k], s2[k]))
        ab = max(abs(a - b) for s1, s2 in zip(runs["all"], runs["weights"]) for k in ("0.bias", "2.bias") for a, b in zip(s1[k], s2[k]))
        mean_abs = lambda snap: np.mean(np.abs(snap["0.bias"] + snap["2.bias"]))
        summary.append({"optimizer": opt, "weightsVsLoss": f32(wl), "allVsWeightsBias": f32(ab),
                        "biasShrink": f32(mean_abs(runs["all"][-1]) / mean_abs(runs["weights"][-1]))})
        print(f"{opt:9s} max|weights-loss| {wl:.3g}  max|all-weights| (biases) {ab:.3g}  bias shrink {summary[-1]['biasShrink']:.3f}")
    doc = {"torch": torch.__version__, "steps": STEPS, "wd": WD, "rows": ROWS, "inputs": INPUTS, "hidden": HIDDEN,
           "x": flat(x), "y": flat(y), "init": {k: flat(v) for k, v in init.items()}, "snapshots": SNAPSHOTS,
           "cases": cases, "summary": summary}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_weight_decay.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
