"""Independent reference for `occam experiment xor-width`: the XOR success rate per width and activation in PyTorch.

Same protocol as src/Occam.Experiments/XorWidth.cs (written from its protocol, not from its code):
2-h-1 nets on the four XOR points (raw 0/1 inputs), h in {2, 4, 8}, hidden sigmoid / tanh / relu, one logit out,
mean logistic loss (BCEWithLogits), initialization He-uniform U(+-sqrt(6/2)) before relu and Glorot-uniform
U(+-sqrt(6/(2+h))) otherwise, output layer Glorot-uniform U(+-sqrt(6/(h+1))), biases 0; full-batch gradient descent
(plain SGD, lr 0.5) for 2000 steps, float32. Success: all four points on the right side of p = 0.5.
The N nets of one (width, activation) are trained side by side as a batch of independent parameter sets (the loss is
the sum of the per-net mean losses, so each net gets exactly its own gradient).

Run: /usr/bin/python3 tests/golden/experiments/xor_width.py > tests/golden/experiments/xor_width.json
(torch 1.13.1, Debian 12). Takes a few seconds.
"""
import json
import math

import torch

N = 500
STEPS = 2000
LR = 0.5
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([0.0, 1.0, 1.0, 0.0])
ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def run(width, activation, seed):
    g = torch.Generator().manual_seed(seed)
    hidden_bound = math.sqrt(6 / 2) if activation == "relu" else math.sqrt(6 / (2 + width))
    out_bound = math.sqrt(6 / (width + 1))
    w1 = ((torch.rand(N, width, 2, generator=g) * 2 - 1) * hidden_bound).requires_grad_()
    b1 = torch.zeros(N, width, 1, requires_grad=True)
    w2 = ((torch.rand(N, 1, width, generator=g) * 2 - 1) * out_bound).requires_grad_()
    b2 = torch.zeros(N, 1, 1, requires_grad=True)
    params = [w1, b1, w2, b2]
    opt = torch.optim.SGD(params, lr=LR)
    xt = X.t().unsqueeze(0).expand(N, 2, 4)          # N x 2 x 4
    for _ in range(STEPS):
        opt.zero_grad()
        logits = (w2 @ ACT[activation](w1 @ xt + b1) + b2).squeeze(1)   # N x 4
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, Y.expand(N, 4), reduction="none").mean(1).sum()
        loss.backward()
        opt.step()
    with torch.no_grad():
        logits = (w2 @ ACT[activation](w1 @ xt + b1) + b2).squeeze(1)
        finite = torch.isfinite(logits).all(1)
        correct = ((logits > 0) == (Y > 0.5)).all(1) & finite
    return int(correct.sum())


def main():
    torch.set_num_threads(1)
    rows = []
    for i, width in enumerate([2, 4, 8]):
        for j, activation in enumerate(["sigmoid", "tanh", "relu"]):
            rows.append({"width": width, "activation": activation, "successes": run(width, activation, 1000 + 10 * i + j), "trials": N})
    print(json.dumps({"torch": torch.__version__, "protocol": "xor-width: SGD lr 0.5, 2000 full-batch steps, float32", "rates": rows}, indent=1))


if __name__ == "__main__":
    main()
