#!/usr/bin/python3
"""Golden full-batch MLP training trajectories from PyTorch, for `occam train`.

Regenerate (from the repository root, Debian's python3-torch 1.13):

    /usr/bin/python3 tests/golden/torch_training.py

It writes tests/golden/torch_training.json next to this script.  Deterministic:
seeded (torch.manual_seed), float32 everywhere, one thread.

Each case trains a 3-5-4-K perceptron (Linear, act, Linear, act, Linear; the
last layer emits raw scores) for `steps` full-batch steps on a small data set
(24 rows x 3 features, no standardization, no shuffling, no dropout), starting
from `init`, and records `final`.  `occam train --init init.json` with the same
data and hyper-parameters (full batch, --no-shuffle, --no-standardize,
--epochs = steps) must reproduce `final` to about 1e-4.

Loss (exactly what is differentiated):

    data loss   regression: MSE, mean over rows and outputs   (F.mse_loss)
                binary:     logistic loss on one logit, mean   (F.binary_cross_entropy_with_logits)
                multiclass: softmax cross-entropy on K logits, mean (F.cross_entropy)
    + l1 * sum |W|      over the three WEIGHT matrices (never biases); autograd
                        gives the subgradient sign(W), 0 at W == 0
                        (Occam: --l1 l1 --l1-mode subgradient)
    + l2/2 * sum W^2    weights only, implemented as torch `weight_decay = l2` on
                        a param group holding only the weights (SGD, Adam: the
                        gradient gets + l2*W); biases are in a group with
                        weight_decay 0.  (Occam: --l2 l2)
    decoupled decay     AdamW(weight_decay = weightDecay) on the weight group
                        only: W <- W*(1 - lr*weightDecay) before the Adam step.
                        Not part of the loss.  (Occam: --weight-decay)

JSON layout:

  {"torch": version, "rows": 24, "features": 3,
   "cases": [{
     "name":     unique name,
     "task":     "regression" | "binary" | "multiclass",
     "activation": "tanh" | "relu" | "sigmoid"   (both hidden layers),
     "hidden":   [5, 4],
     "x":        24 rows of 3 floats,
     "y":        24 targets: float (regression), 0/1 (binary), class index 0..K-1
                 (multiclass; the model's "classes" are ["0","1","2"], so class
                 index i is the label string str(i)),
     "hyper":    {"optimizer": "sgd|momentum|nesterov|adam|adamw", "lr", "momentum",
                  "nesterov": bool, "beta1", "beta2", "eps", "l1", "l2",
                  "weightDecay", "steps", "batchSize": 0 (= full batch)}
                 unused fields are 0,
     "cliArgs":  suggested `occam train` arguments for these hyper-parameters
                 (data/target/init/out not included),
     "init":     occam-mlp/1 model before the first step,
     "final":    occam-mlp/1 model after `steps` steps,
     "dataLoss": steps values, dataLoss[t] = data loss at the parameters BEFORE
                 update t+1 (so dataLoss[0] is the loss of `init`),
     "totalLoss": the same plus l1*sum|W| + l2/2*sum W^2 (no decoupled decay term),
     "finalDataLoss", "finalTotalLoss": the same two at `final`,
     "float64Drift": max |final parameter (float32 run) - final parameter (float64
                 run of the same case)|: how much float32 rounding alone moves the
                 result; a correct float32 port should differ from `final` by about
                 this much, far below 1e-4.
   }]}

Floats are written as repr(float(numpy.float32(x))), the exact double value of
the float32, so they parse back to the same float32 bits.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as Fn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch_training.json")
ROWS, FEATURES, HIDDEN = 24, 3, [5, 4]


def f32(x):
    return float(np.float32(x))


def fl(t):
    return [f32(v) for v in t.detach().to(torch.float32).numpy().reshape(-1).tolist()]


# ---------------------------------------------------------------------------
# data sets (one per task, shared by that task's cases)
# ---------------------------------------------------------------------------
def make_data(task):
    g = torch.Generator().manual_seed({"regression": 11, "binary": 22, "multiclass": 33}[task])
    x = torch.randn(ROWS, FEATURES, generator=g, dtype=torch.float32)
    noise = torch.randn(ROWS, generator=g, dtype=torch.float32)
    if task == "regression":
        y = torch.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + 0.1 * noise
        return x, y
    if task == "binary":
        y = ((x[:, 0] * x[:, 1] + 0.5 * x[:, 2] + 0.3 * noise) > 0).to(torch.float32)
        assert 0 < int(y.sum()) < ROWS
        return x, y
    w = torch.tensor([[1.0, -1.0, 0.2], [0.5, 1.0, -1.0], [-0.7, 0.3, 1.0]])
    scores = x @ w + 0.3 * torch.randn(ROWS, 3, generator=g)
    y = scores.argmax(dim=1)
    assert all(int((y == k).sum()) > 0 for k in range(3))
    return x, y


def outputs(task):
    return 3 if task == "multiclass" else 1


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------
ADAM = dict(beta1=0.9, beta2=0.999, eps=1e-8)
CASES = [
    # name, task, activation, optimizer, hyper (lr, momentum, l1, l2, weightDecay, ...), steps
    ("reg_sgd",            "regression", "tanh",    "sgd",      dict(lr=0.1), 100),
    ("reg_sgd_l2",         "regression", "tanh",    "sgd",      dict(lr=0.1, l2=0.02), 100),
    ("reg_momentum",       "regression", "relu",    "momentum", dict(lr=0.02, momentum=0.9), 100),
    ("reg_momentum_l2",    "regression", "relu",    "momentum", dict(lr=0.02, momentum=0.9, l2=0.05), 200),
    ("reg_nesterov",       "regression", "tanh",    "nesterov", dict(lr=0.02, momentum=0.9), 100),
    ("reg_nesterov_l2",    "regression", "sigmoid", "nesterov", dict(lr=0.05, momentum=0.9, l2=0.01), 100),
    ("reg_adam",           "regression", "relu",    "adam",     dict(lr=0.01, **ADAM), 100),
    ("reg_adam_l2",        "regression", "tanh",    "adam",     dict(lr=0.01, l2=0.02, **ADAM), 200),
    ("bin_sgd_l1",         "binary",     "tanh",    "sgd",      dict(lr=0.2, l1=0.005), 100),
    ("bin_adam_l2",        "binary",     "relu",    "adam",     dict(lr=0.02, l2=0.01, **ADAM), 100),
    ("bin_adamw_wd",       "binary",     "tanh",    "adamw",    dict(lr=0.01, weightDecay=0.1, **ADAM), 100),
    ("multi_momentum_l2",  "multiclass", "relu",    "momentum", dict(lr=0.05, momentum=0.9, l2=0.01), 100),
    ("multi_adam_l1",      "multiclass", "tanh",    "adam",     dict(lr=0.01, l1=0.002, **ADAM), 200),
    ("multi_adamw_wd_l1",  "multiclass", "relu",    "adamw",    dict(lr=0.01, l1=0.002, weightDecay=0.1, **ADAM), 100),
]


def full_hyper(opt, h, steps):
    return {"optimizer": opt, "lr": h["lr"], "momentum": h.get("momentum", 0.0),
            "nesterov": opt == "nesterov", "beta1": h.get("beta1", 0.0),
            "beta2": h.get("beta2", 0.0), "eps": h.get("eps", 0.0),
            "l1": h.get("l1", 0.0), "l2": h.get("l2", 0.0),
            "weightDecay": h.get("weightDecay", 0.0), "steps": steps, "batchSize": 0}


def cli_args(hyper, activation):
    a = ["--hidden", ",".join(str(h) for h in HIDDEN), "--activation", activation,
         "--optimizer", hyper["optimizer"], "--lr", repr(hyper["lr"]),
         "--epochs", str(hyper["steps"]), "--batch-size", "0",
         "--no-shuffle", "--no-standardize", "--val-split", "0", "--dropout", "0"]
    if hyper["optimizer"] in ("momentum", "nesterov"):
        a += ["--momentum", repr(hyper["momentum"])]
    if hyper["l1"]:
        a += ["--l1", repr(hyper["l1"]), "--l1-mode", "subgradient"]
    if hyper["l2"]:
        a += ["--l2", repr(hyper["l2"])]
    if hyper["weightDecay"]:
        a += ["--weight-decay", repr(hyper["weightDecay"])]
    return a


ACT = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}


def build(activation, k):
    sizes = [FEATURES] + HIDDEN + [k]
    mods = []
    for i in range(len(sizes) - 1):
        mods.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            mods.append(ACT[activation]())
    return torch.nn.Sequential(*mods)


def to_occam(model, task, activation):
    layers = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            w = m.weight.detach().to(torch.float32)
            layers.append({"type": "dense",
                           "weight": [fl(row) for row in w],
                           "bias": fl(m.bias)})
        else:
            layers.append({"type": activation})
    doc = {"format": "occam-mlp/1", "task": task, "inputs": FEATURES, "layers": layers}
    if task == "binary":
        doc["classes"] = ["0", "1"]
    elif task == "multiclass":
        doc["classes"] = ["0", "1", "2"]
    return doc


def weights(model):
    return [m.weight for m in model if isinstance(m, torch.nn.Linear)]


def biases(model):
    return [m.bias for m in model if isinstance(m, torch.nn.Linear)]


def data_loss(task, out, y):
    if task == "regression":
        return Fn.mse_loss(out, y.view(-1, 1))
    if task == "binary":
        return Fn.binary_cross_entropy_with_logits(out.view(-1), y)
    return Fn.cross_entropy(out, y)


def make_optimizer(hyper, model):
    ws, bs = weights(model), biases(model)
    opt = hyper["optimizer"]
    if opt in ("sgd", "momentum", "nesterov"):
        groups = [{"params": ws, "weight_decay": hyper["l2"]}, {"params": bs, "weight_decay": 0.0}]
        return torch.optim.SGD(groups, lr=hyper["lr"], momentum=hyper["momentum"], dampening=0.0,
                               nesterov=hyper["nesterov"], foreach=False)
    betas = (hyper["beta1"], hyper["beta2"])
    if opt == "adam":
        groups = [{"params": ws, "weight_decay": hyper["l2"]}, {"params": bs, "weight_decay": 0.0}]
        return torch.optim.Adam(groups, lr=hyper["lr"], betas=betas, eps=hyper["eps"],
                                amsgrad=False, foreach=False)
    assert opt == "adamw" and hyper["l2"] == 0.0
    groups = [{"params": ws, "weight_decay": hyper["weightDecay"]}, {"params": bs, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=hyper["lr"], betas=betas, eps=hyper["eps"],
                             amsgrad=False, foreach=False)


def losses(task, model, x, y, hyper):
    """(data loss, total loss) at the current parameters, without autograd."""
    with torch.no_grad():
        d = data_loss(task, model(x), y)
        total = d.clone()
        if hyper["l1"]:
            total = total + hyper["l1"] * sum(w.abs().sum() for w in weights(model))
        if hyper["l2"]:
            total = total + 0.5 * hyper["l2"] * sum((w * w).sum() for w in weights(model))
    return float(d), float(total)


def train(task, activation, hyper, init_state, x, y, dtype):
    model = build(activation, outputs(task)).to(dtype)
    model.load_state_dict(init_state)
    model = model.to(dtype)
    x = x.to(dtype)
    y = y.to(dtype) if task != "multiclass" else y
    opt = make_optimizer(hyper, model)
    dl, tl = [], []
    for _ in range(hyper["steps"]):
        d, t = losses(task, model, x, y, hyper)
        dl.append(d)
        tl.append(t)
        opt.zero_grad(set_to_none=True)
        loss = data_loss(task, model(x), y)
        if hyper["l1"]:
            loss = loss + hyper["l1"] * sum(w.abs().sum() for w in weights(model))
        loss.backward()
        opt.step()
    fd, ft = losses(task, model, x, y, hyper)
    return model, dl, tl, fd, ft


def main():
    torch.set_num_threads(1)
    data = {t: make_data(t) for t in ("regression", "binary", "multiclass")}
    cases = []
    for i, (name, task, activation, opt, h, steps) in enumerate(CASES):
        hyper = full_hyper(opt, h, steps)
        x, y = data[task]
        torch.manual_seed(1000 + i)
        init_model = build(activation, outputs(task))
        init_state = {k: v.clone() for k, v in init_model.state_dict().items()}
        model, dl, tl, fd, ft = train(task, activation, hyper, init_state, x, y, torch.float32)
        m64, _, _, _, _ = train(task, activation, hyper, init_state, x, y, torch.float64)
        drift = max(float((a.double() - b).abs().max())
                    for a, b in zip(model.state_dict().values(), m64.state_dict().values()))
        moved = max(float((a - b).abs().max())
                    for a, b in zip(model.state_dict().values(), init_state.values()))
        print(f"{name:18s} loss {tl[0]:.4f} -> {ft:.4f}   max |final-init| {moved:.3f}"
              f"   float64 drift {drift:.1e}", file=sys.stderr)
        cases.append({
            "name": name, "task": task, "activation": activation, "hidden": HIDDEN,
            "x": [fl(r) for r in x],
            "y": fl(y) if task == "regression" else [int(v) for v in y.tolist()],
            "hyper": hyper, "cliArgs": cli_args(hyper, activation),
            "init": to_occam(init_model, task, activation),
            "final": to_occam(model, task, activation),
            "dataLoss": [f32(v) for v in dl], "totalLoss": [f32(v) for v in tl],
            "finalDataLoss": f32(fd), "finalTotalLoss": f32(ft),
            "float64Drift": drift,
        })
    doc = {"torch": torch.__version__, "rows": ROWS, "features": FEATURES, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({len(cases)} cases, {os.path.getsize(OUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
