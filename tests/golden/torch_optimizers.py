#!/usr/bin/python3
"""Golden optimizer trajectories from PyTorch, for Occam's optimizer unit tests.

Regenerate (from the repository root, Debian's python3-torch 1.13):

    /usr/bin/python3 tests/golden/torch_optimizers.py

It writes tests/golden/torch_optimizers.json next to this script.  The output is
deterministic: all inputs come from torch.manual_seed, everything is float32 and
torch runs on one thread.

What is recorded
----------------
Each case drives one torch.optim optimizer over T = 20 steps with FIXED gradient
sequences (no loss, no autograd): before step t the script sets ``p.grad = g_t``
and calls ``opt.step()``.  Two parameters live in two param groups:

* the "weight" vector p (length 7): its group has ``weight_decay = coupledL2``
  (SGD, Adam) or ``weight_decay = weightDecay`` (AdamW);
* the "bias" vector b (length 3): its group has ``weight_decay = 0`` always
  (biases are never penalized), all other hyper-parameters the same.

JSON layout::

  {"torch": "<torch.__version__>",
   "steps": 20,
   "cases": [{
      "name":        unique case name,
      "optimizer":   "sgd" | "momentum" | "nesterov" | "adam" | "adamw"
                     sgd      = torch.optim.SGD(momentum=0)
                     momentum = torch.optim.SGD(momentum=m, dampening=0, nesterov=False)
                     nesterov = torch.optim.SGD(momentum=m, dampening=0, nesterov=True)
                     adam     = torch.optim.Adam(amsgrad=False)
                     adamw    = torch.optim.AdamW(amsgrad=False)
      "lr":          learning rate (a double in torch; see the notes below),
      "momentum":    SGD momentum m (0 when unused),
      "dampening":   always 0,
      "beta1", "beta2", "eps":  Adam/AdamW constants (0 when unused),
      "coupledL2":   torch `weight_decay` of SGD/Adam on the weight group: the
                     gradient becomes g + coupledL2 * p before anything else,
                     i.e. Occam's `l2` (loss += coupledL2/2 * sum p^2). 0 for AdamW.
      "weightDecay": AdamW decoupled decay on the weight group:
                     p <- p * (1 - lr * weightDecay) BEFORE the Adam update.
                     0 for every other optimizer.
      "p0":          weight vector before the first step (7 floats),
      "grads":       20 gradient vectors for the weight, grads[t] is used by step t+1,
      "params":      20 weight vectors, params[t] is the weight AFTER step t+1,
      "bias0", "biasGrads", "biasParams": the same for the unpenalized bias
                     (3 floats each).
   }]}

Every float is written as repr(float(numpy.float32(x))): the exact value of the
float32 as a double, so parsing it as float (or as double, then casting) gives
back the same bits.

Exact update rules of torch 1.13 (single-tensor code path; foreach defaults to
False on CPU in 1.13), with g the gradient, p the parameter, all tensors float32:

  SGD:       d = g + wd*p                       (only if wd != 0)
             step 1:  buf = d                  (buffer starts as d, NOT 0, no dampening)
             step>1:  buf = m*buf + (1-dampening)*d
             momentum:  d = buf
             nesterov:  d = d + m*buf
             p = p - lr*d
  Adam:      t += 1;  g = g + wd*p              (coupled, only if wd != 0)
             m = beta1*m + (1-beta1)*g
             v = beta2*v + (1-beta2)*g*g
             bc1 = 1 - beta1**t ; bc2 = 1 - beta2**t      (Python doubles)
             denom = sqrt(v)/sqrt(bc2) + eps               (eps OUTSIDE the sqrt,
                                                            after bias correction)
             p = p - (lr/bc1) * m / denom
  AdamW:     t += 1;  p = p * (1 - lr*wd)        (decay FIRST, from the old p;
                                                  the gradient g was taken at the
                                                  old p and is not decayed)
             then exactly Adam with wd = 0.

The script also replays every case with a numpy float32 re-implementation of
those formulas and prints the largest difference in units in the last place, so
a C# port knows what tolerance to expect (see README.md).
"""
import json
import math
import os
import sys

import numpy as np
import torch

T = 20
N_W = 7
N_B = 3

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch_optimizers.json")


def f32(x):
    """Exact double value of a float32, for JSON."""
    return float(np.float32(x))


def vec(t):
    return [f32(v) for v in t.detach().numpy().reshape(-1).tolist()]


CASES = [
    # name, optimizer, hyper-parameters
    ("sgd",            "sgd",      dict(lr=0.1)),
    ("sgd_l2",         "sgd",      dict(lr=0.1, coupledL2=0.01)),
    ("momentum",       "momentum", dict(lr=0.1, momentum=0.9)),
    ("momentum_l2",    "momentum", dict(lr=0.1, momentum=0.9, coupledL2=0.01)),
    ("nesterov",       "nesterov", dict(lr=0.1, momentum=0.9)),
    ("nesterov_l2",    "nesterov", dict(lr=0.1, momentum=0.9, coupledL2=0.01)),
    ("adam",           "adam",     dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)),
    ("adam_l2",        "adam",     dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, coupledL2=0.01)),
    ("adam_betas",     "adam",     dict(lr=0.05, beta1=0.8, beta2=0.99, eps=1e-6)),
    ("adamw",          "adamw",    dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weightDecay=0.05)),
    ("adamw_strong",   "adamw",    dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8, weightDecay=0.5)),
]


def hyper(opt_name, h):
    full = dict(lr=h["lr"], momentum=h.get("momentum", 0.0), dampening=0.0,
                beta1=h.get("beta1", 0.0), beta2=h.get("beta2", 0.0), eps=h.get("eps", 0.0),
                coupledL2=h.get("coupledL2", 0.0), weightDecay=h.get("weightDecay", 0.0))
    return full


def make_optimizer(opt_name, h, w, b):
    if opt_name in ("sgd", "momentum", "nesterov"):
        groups = [{"params": [w], "weight_decay": h["coupledL2"]},
                  {"params": [b], "weight_decay": 0.0}]
        return torch.optim.SGD(groups, lr=h["lr"], momentum=h["momentum"], dampening=0.0,
                               nesterov=(opt_name == "nesterov"), foreach=False)
    if opt_name == "adam":
        groups = [{"params": [w], "weight_decay": h["coupledL2"]},
                  {"params": [b], "weight_decay": 0.0}]
        return torch.optim.Adam(groups, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                                amsgrad=False, foreach=False)
    if opt_name == "adamw":
        groups = [{"params": [w], "weight_decay": h["weightDecay"]},
                  {"params": [b], "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                                 amsgrad=False, foreach=False)
    raise ValueError(opt_name)


# ---------------------------------------------------------------------------
# numpy float32 replay of the formulas in the docstring (a cross-check only)
# ---------------------------------------------------------------------------
F = np.float32


FUSED = True


def fma(a, b, c):
    """float32 fused multiply-add a*b + c (one rounding), emulated in float64.

    With FUSED = False it is the plain float32 a*b + c (two roundings), to show
    what an implementation without FMA should expect.

    The product of two float32 values is exact in float64, so only the final
    double-to-float rounding can (very rarely) differ from a true fma."""
    if not FUSED:
        return (np.asarray(a, dtype=F) * np.asarray(b, dtype=F) + np.asarray(c, dtype=F)).astype(F)
    a = np.asarray(a, dtype=F).astype(np.float64)
    b = np.asarray(b, dtype=F).astype(np.float64)
    c = np.asarray(c, dtype=F).astype(np.float64)
    return (a * b + c).astype(F)


def np_replay(opt_name, h, p0, grads, wd):
    """Replays torch 1.13's CPU kernels op by op in float32.

    Measured on this machine (see README.md): `x.add_(y, alpha=a)` is fma(a, y, x);
    `x.addcmul_(y, z, value=s)` is fma(s*y, z, x); `x.addcdiv_(y, z, value=s)` is
    x + (s*y)/z with no fusion; tensor / python-scalar is a true division; every
    python-float hyper-parameter is rounded to float32 before use, except the Adam
    bias corrections and step size, which are computed in double and rounded once."""
    p = np.array(p0, dtype=F)
    out = []
    if opt_name in ("sgd", "momentum", "nesterov"):
        mom = F(h["momentum"])
        buf = None
        for g in grads:
            d = np.array(g, dtype=F)
            if wd != 0:
                d = fma(F(wd), p, d)                       # d_p.add(p, alpha=wd)
            if h["momentum"] != 0:
                if buf is None:
                    buf = d.copy()                          # clone on the first step
                else:
                    buf = fma(F(1.0), d, buf * mom)         # buf.mul_(m).add_(d, alpha=1-0)
                d = fma(mom, buf, d) if opt_name == "nesterov" else buf
            p = fma(F(-h["lr"]), d, p)                      # p.add_(d, alpha=-lr)
            out.append(p.copy())
        return out
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    b1, b2 = h["beta1"], h["beta2"]
    for t, g in enumerate(grads, start=1):
        g = np.array(g, dtype=F)
        if opt_name == "adamw":
            p = p * F(1.0 - h["lr"] * wd)                   # p.mul_(1 - lr*wd)
        elif wd != 0:
            g = fma(F(wd), p, g)                            # g.add(p, alpha=wd)
        m = fma(F(1.0 - b1), g, m * F(b1))                  # m.mul_(b1).add_(g, alpha=1-b1)
        v = fma(F(1.0 - b2) * g, g, v * F(b2))              # v.mul_(b2).addcmul_(g, g, value=1-b2)
        bc1 = 1.0 - b1 ** t                                 # double
        bc2 = 1.0 - b2 ** t                                 # double
        step_size = h["lr"] / bc1                           # double
        denom = np.sqrt(v) / F(math.sqrt(bc2)) + F(h["eps"])
        p = p + (F(-step_size) * m) / denom                 # p.addcdiv_(m, denom, value=-step_size)
        out.append(p.copy())
    return out


def ulps(a, b):
    """Largest distance in float32 units in the last place between two arrays."""
    ai = np.asarray(a, dtype=F).view(np.int32).astype(np.int64)
    bi = np.asarray(b, dtype=F).view(np.int32).astype(np.int64)
    # map the sign-magnitude float order onto a monotone integer line
    ai = np.where(ai < 0, -(ai & 0x7FFFFFFF), ai)
    bi = np.where(bi < 0, -(bi & 0x7FFFFFFF), bi)
    return int(np.max(np.abs(ai - bi))) if ai.size else 0


def main():
    torch.set_num_threads(1)
    torch.manual_seed(20240607)
    p0 = torch.randn(N_W, dtype=torch.float32)
    p0[3] = 0.0  # one coordinate starts exactly at zero
    b0 = torch.randn(N_B, dtype=torch.float32) * 0.5
    # gradients: unit normal, with a slowly changing scale, and a few exact zeros
    gw = torch.randn(T, N_W, dtype=torch.float32)
    gw = gw * torch.linspace(1.5, 0.25, T, dtype=torch.float32).unsqueeze(1)
    gw[5, 2] = 0.0
    gw[6, :] = 0.0   # one step with an all-zero weight gradient
    gb = torch.randn(T, N_B, dtype=torch.float32)
    gb[11, 1] = 0.0

    cases = []
    worst = 0
    for name, opt_name, h in CASES:
        h = hyper(opt_name, h)
        w = torch.nn.Parameter(p0.clone())
        b = torch.nn.Parameter(b0.clone())
        opt = make_optimizer(opt_name, h, w, b)
        wp, bp = [], []
        for t in range(T):
            opt.zero_grad(set_to_none=True)
            w.grad = gw[t].clone()
            b.grad = gb[t].clone()
            opt.step()
            wp.append(vec(w))
            bp.append(vec(b))
        wd = h["weightDecay"] if opt_name == "adamw" else h["coupledL2"]
        rw = np_replay(opt_name, h, vec(p0), [vec(g) for g in gw], wd)
        rb = np_replay(opt_name, h, vec(b0), [vec(g) for g in gb], 0.0)
        u = max(ulps(wp, rw), ulps(bp, rb))
        worst = max(worst, u)
        global FUSED
        FUSED = False
        pw = np_replay(opt_name, h, vec(p0), [vec(g) for g in gw], wd)
        pb = np_replay(opt_name, h, vec(b0), [vec(g) for g in gb], 0.0)
        FUSED = True
        plain = max(float(np.max(np.abs(np.array(wp) - np.array(pw)))),
                    float(np.max(np.abs(np.array(bp) - np.array(pb)))))
        print(f"{name:14s} numpy-float32 replay vs torch: max {u} ulp"
              f" (without fma: max abs diff {plain:.2e})", file=sys.stderr)
        case = {"name": name, "optimizer": opt_name}
        case.update(h)
        case.update({"p0": vec(p0), "grads": [vec(g) for g in gw], "params": wp,
                     "bias0": vec(b0), "biasGrads": [vec(g) for g in gb], "biasParams": bp})
        cases.append(case)

    doc = {"torch": torch.__version__, "steps": T, "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({len(cases)} cases); worst replay difference {worst} ulp", file=sys.stderr)


if __name__ == "__main__":
    main()
