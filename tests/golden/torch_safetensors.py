#!/usr/bin/python3
"""PyTorch weights in and out of Occam through safetensors, both directions (not run by CI).

Run from the repository root with Debian's PyTorch (`apt-get install -y python3-torch`):

    /usr/bin/python3 tests/golden/torch_safetensors.py            # regenerate the golden files + check
    OCCAM="dotnet run -c Release --project src/Occam.Cli --" /usr/bin/python3 tests/golden/torch_safetensors.py

torch 1.13 has no `safetensors` package, so this script writes and reads the format itself with struct/json
(u64 little-endian header length, JSON header {name: {dtype, shape, data_offsets}}, raw little-endian data).

Writes to tests/golden/safetensors/:

1. PyTorch → Occam
   - torch_iris.safetensors (+ .json sidecar occam-sequential/1 with standardizer, classes, features):
     nn.Sequential(Linear(4,8), Tanh, Dropout(0.1), Linear(8,8), ReLU, Linear(8,3)) trained 200 Adam steps on
     standardized iris; torch_iris_expected.json: {"arch", "rows", "columns", "x" (raw iris rows), "scores" (torch
     logits in eval mode, float32, inputs standardized in float64 then cast to float32 as Occam does), "scores64" (the
     same float32 weights and inputs evaluated in float64: the exact prediction of the imported weights; a sanity
     check, each float32 forward is ~1e-6 away from it)}.
   - torch_diabetes.safetensors (no sidecar: imported with --arch 16-sigmoid-identity-1 --task regression):
     a randomly initialised regression net on raw diabetes inputs; torch_diabetes_expected.json likewise.
   Then the script runs `occam import` on both and `occam predict`-free checks happen in the C# tests
   (tests/Occam.Interop.Tests/TorchSafetensorsGoldenTests.cs), which need no Python.
   Here it checks `occam import` accepts both files and prints the max |Δ| the C# tests will see,
   by reading the imported occam-mlp/1 JSON and evaluating it in numpy (float32, same layer order).

2. Occam → PyTorch
   - occam_digits.json: `occam train` on digits (64-16-relu-dropout 0.1-10, 5 epochs, seed 1);
     occam_digits.safetensors + .json: `occam export --format safetensors`;
     occam_digits_torch.json: {"rows", "x" (first 200 digits rows), "scores" (torch logits of the loaded
     Sequential, load_state_dict(strict=True))}. The C# test checks that Occam's own scores of occam_digits.json
     agree to 1e-6 and that exporting occam_digits.json again gives the same bytes torch read.

Prints the max |Δ| of every comparison; exits non-zero when one is over 1e-6 (relative to max(1, |y|)).
"""
import json
import os
import shlex
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "golden", "safetensors")
OCCAM = shlex.split(os.environ.get("OCCAM", "dotnet run -c Release --project src/Occam.Cli --"))
TOL = 1e-6
torch.set_num_threads(1)

DTYPES = {"F32": ("<f4", 4), "F64": ("<f8", 8), "F16": ("<f2", 2), "I64": ("<i8", 8), "I32": ("<i4", 4)}


def save_safetensors(tensors, path, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        a = t.detach().cpu().contiguous().numpy()
        assert a.dtype == np.float32, name
        b = a.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    header.pop("__metadata__", None)
    out, end = {}, 0
    for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        b, en = e["data_offsets"]
        assert b == end, f"{name}: gap or overlap"
        dt, size = DTYPES[e["dtype"]]
        assert en - b == size * int(np.prod(e["shape"], dtype=np.int64)), name
        out[name] = torch.from_numpy(np.frombuffer(body[b:en], dtype=dt).reshape(e["shape"]).copy())
        end = en
    assert end == len(body), "trailing bytes"
    return out


def sequential(arch, inputs):
    """nn.Sequential from an Occam --arch spec such as 16-relu-dropout:0.1-10."""
    mods, width = [], inputs
    for tok in arch.split("-"):
        if tok.isdigit():
            mods.append(torch.nn.Linear(width, int(tok)))
            width = int(tok)
        elif tok in ("relu", "tanh", "sigmoid", "identity"):
            mods.append({"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "identity": torch.nn.Identity}[tok]())
        elif tok.startswith("dropout"):
            mods.append(torch.nn.Dropout(float(tok.split(":")[1]) if ":" in tok else 0.5))
        else:
            raise ValueError(tok)
    return torch.nn.Sequential(*mods)


def read_csv(name, target):
    import csv
    with open(os.path.join(ROOT, "data", name)) as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    t = head.index(target)
    feats = [h for i, h in enumerate(head) if i != t]
    x = np.array([[float(v) for i, v in enumerate(r) if i != t] for r in body], dtype=np.float64)
    y = [r[t] for r in body]
    return feats, x, y


def standardize(x, mean, scale):
    return ((x - np.asarray(mean)) / np.asarray(scale)).astype(np.float32)


def scores_of(net, x32):
    net.eval()
    with torch.no_grad():
        return net(torch.from_numpy(x32)).numpy().astype(np.float64)


def scores64_of(net, x32):
    """The same float32 weights and inputs evaluated in float64 (torch on a double copy of the net)."""
    import copy
    net64 = copy.deepcopy(net).double().eval()
    with torch.no_grad():
        return net64(torch.from_numpy(x32.astype(np.float64))).numpy()


def occam(*args):
    r = subprocess.run(OCCAM + list(args), cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"occam {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def numpy_forward(model, x):
    """Evaluates an occam-mlp/1 JSON model in float32 (numpy), standardizer in float64 first."""
    if model.get("standardizer"):
        h = standardize(x, model["standardizer"]["mean"], model["standardizer"]["scale"])
    else:
        h = x.astype(np.float32)
    for layer in model["layers"]:
        if layer["type"] == "dense":
            h = h @ np.asarray(layer["weight"], dtype=np.float32).T + np.asarray(layer["bias"], dtype=np.float32)
        elif layer["type"] == "relu":
            h = np.maximum(h, 0)
        elif layer["type"] == "tanh":
            h = np.tanh(h)
        elif layer["type"] == "sigmoid":
            h = 1 / (1 + np.exp(-h))
    return h.astype(np.float64)


def report(what, a, b):
    d = np.abs(np.asarray(a) - np.asarray(b))
    rel = float((d / np.maximum(1, np.abs(b))).max())
    print(f"{what}: max |Δ| = {float(d.max()):.2e}, relative {rel:.2e}")
    return rel <= TOL


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    ok = True
    # 1a. iris: trained in torch, with a sidecar.
    torch.manual_seed(0)
    feats, x, y = read_csv("iris.csv", "species")
    classes = sorted(set(y))
    mean, scale = x.mean(0), x.std(0)
    net = sequential("8-tanh-dropout:0.1-8-relu-3", 4)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    xs, ys = torch.from_numpy(standardize(x, mean, scale)), torch.tensor([classes.index(v) for v in y])
    net.train()
    for _ in range(200):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(xs), ys).backward()
        opt.step()
    save_safetensors(net.state_dict(), os.path.join(OUT, "torch_iris.safetensors"), {"format": "pt"})
    sidecar = {"format": "occam-sequential/1", "arch": "8-tanh-dropout:0.1-8-relu-3", "inputs": 4, "task": "multiclass",
               "standardizer": {"mean": mean.tolist(), "scale": scale.tolist()}, "classes": classes, "features": feats,
               "target": "species"}
    dump(os.path.join(OUT, "torch_iris.safetensors.json"), sidecar)
    s = scores_of(net, standardize(x, mean, scale))
    s64 = scores64_of(net, standardize(x, mean, scale))
    dump(os.path.join(OUT, "torch_iris_expected.json"), {"arch": sidecar["arch"], "rows": len(x), "columns": 4,
                                                         "x": x.ravel().tolist(), "scores": s.ravel().tolist(),
                                                         "scores64": s64.ravel().tolist()})
    # 1b. diabetes: regression, no sidecar, raw inputs.
    torch.manual_seed(1)
    _, xd, _ = read_csv("diabetes.csv", "progression")
    xd = xd[:100]
    net_d = sequential("16-sigmoid-identity-1", xd.shape[1])
    with torch.no_grad():
        net_d[0].weight.mul_(0.05)
        net_d[3].bias.fill_(150.0)
    save_safetensors(net_d.state_dict(), os.path.join(OUT, "torch_diabetes.safetensors"))
    sd = scores_of(net_d, xd.astype(np.float32))
    sd64 = scores64_of(net_d, xd.astype(np.float32))
    dump(os.path.join(OUT, "torch_diabetes_expected.json"), {"arch": "16-sigmoid-identity-1", "rows": len(xd), "columns": xd.shape[1],
                                                             "x": xd.ravel().tolist(), "scores": sd.ravel().tolist(),
                                                             "scores64": sd64.ravel().tolist()})
    with tempfile.TemporaryDirectory() as tmp:
        occam("import", os.path.join(OUT, "torch_iris.safetensors"), "--out", os.path.join(tmp, "iris.json"))
        ok &= report("torch → Occam, iris (numpy on the imported model)", numpy_forward(json.load(open(os.path.join(tmp, "iris.json"))), x).ravel(), s.ravel())
        occam("import", os.path.join(OUT, "torch_diabetes.safetensors"), "--arch", "16-sigmoid-identity-1", "--task", "regression",
              "--out", os.path.join(tmp, "diabetes.json"))
        ok &= report("torch → Occam, diabetes (numpy on the imported model)", numpy_forward(json.load(open(os.path.join(tmp, "diabetes.json"))), xd).ravel(), sd.ravel())

    # 2. Occam → torch: digits.
    model_path = os.path.join(OUT, "occam_digits.json")
    st_path = os.path.join(OUT, "occam_digits.safetensors")
    occam("train", "--data", "data/digits.csv", "--target", "digit", "--hidden", "16", "--dropout", "0.1", "--epochs", "5",
          "--seed", "1", "--out", model_path)
    occam("export", model_path, "--format", "safetensors", "--out", st_path)
    side = json.load(open(st_path + ".json"))
    net_o = sequential(side["arch"], side["inputs"])
    net_o.load_state_dict(load_safetensors(st_path), strict=True)
    _, xg, _ = read_csv("digits.csv", "digit")
    xg = xg[:200]
    zg = standardize(xg, side["standardizer"]["mean"], side["standardizer"]["scale"])
    so = scores_of(net_o, zg)
    so64 = scores64_of(net_o, zg)
    dump(os.path.join(OUT, "occam_digits_torch.json"), {"rows": len(xg), "columns": xg.shape[1], "x": xg.ravel().tolist(),
                                                        "scores": so.ravel().tolist(), "scores64": so64.ravel().tolist()})
    ok &= report("Occam → torch, digits (torch vs numpy on the Occam model)", so.ravel(), numpy_forward(json.load(open(model_path)), xg).ravel())
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
