#!/usr/bin/python3
"""Validates Occam's ONNX exports with the official checker (not run by CI).

    apt-get install -y python3-onnx
    /usr/bin/python3 tests/golden/onnx_check.py                 # trains small models with the CLI, exports, checks
    /usr/bin/python3 tests/golden/onnx_check.py a.onnx b.onnx   # checks the given files
    OCCAM="dotnet src/Occam.Cli/bin/Release/net10.0/Occam.Cli.dll" /usr/bin/python3 tests/golden/onnx_check.py

For every file: onnx.checker.check_model(model, full_check=True) (schema, opset 17 operator signatures, strict shape
inference), then prints IR version, opset, inputs and outputs with their shapes. Exits non-zero on the first failure.
"""
import os
import shlex
import subprocess
import sys
import tempfile

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OCCAM = shlex.split(os.environ.get("OCCAM", "dotnet run -c Release --project src/Occam.Cli --"))


def occam(*args):
    r = subprocess.run(OCCAM + list(args), cwd=ROOT, capture_output=True, text=True)
    if r.returncode not in (0, 2):  # 2: linear fit did not converge (a warning, the model is written)
        sys.exit(f"occam {' '.join(args)} failed ({r.returncode}): {r.stderr.strip()}")


def shape(v):
    return [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]


def check(path):
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    ins = ", ".join(f"{i.name}{shape(i)}" for i in m.graph.input)
    outs = ", ".join(f"{o.name}{shape(o)}" for o in m.graph.output)
    ops = sorted({n.op_type for n in m.graph.node})
    print(f"ok  {os.path.basename(path)}: IR {m.ir_version}, opset {m.opset_import[0].version}, "
          f"{len(m.graph.node)} nodes {ops}; in {ins}; out {outs}")


def build(tmp):
    j = lambda n: os.path.join(tmp, n)
    occam("train", "--data", "data/digits.csv", "--target", "digit", "--hidden", "32,16", "--dropout", "0.1",
          "--l1", "1e-3", "--epochs", "5", "--seed", "1", "--out", j("digits.json"))
    occam("prune", j("digits.json"), "--out", j("digits-pruned.json"))
    occam("train", "--data", "data/breast_cancer.csv", "--target", "benign", "--hidden", "8", "--activation", "tanh",
          "--epochs", "5", "--seed", "1", "--out", j("breast.json"))
    occam("train", "--data", "data/diabetes.csv", "--target", "progression", "--hidden", "8", "--activation", "sigmoid",
          "--epochs", "5", "--seed", "1", "--out", j("diabetes.json"))
    occam("linear", "fit", "--data", "data/diabetes.csv", "--target", "progression", "--penalty", "elasticnet",
          "--l1-ratio", "0.5", "--alpha", "0.1", "--degree", "3", "--poly-columns", "bmi,bp", "--out", j("linear-poly.json"))
    occam("linear", "fit", "--data", "data/breast_cancer.csv", "--target", "benign", "--alpha", "0.01", "--out", j("logistic.json"))
    occam("linear", "fit", "--data", "data/iris.csv", "--target", "species", "--alpha", "0.01", "--out", j("multinomial.json"))
    occam("linear", "fit", "--data", "data/digits.csv", "--target", "digit", "--alpha", "0.02", "--grouped",
          "--out", j("multinomial-grouped.json"))
    files = []
    for name, probs in [("digits", True), ("digits-pruned", False), ("breast", True), ("diabetes", False),
                        ("linear-poly", False), ("logistic", True), ("multinomial", True), ("multinomial-grouped", False)]:
        out = j(name + ".onnx")
        occam("export", j(name + ".json"), "--format", "onnx", "--out", out, *(["--probabilities"] if probs else []))
        files.append(out)
    return files


def main():
    if len(sys.argv) > 1:
        files = sys.argv[1:]
        for f in files:
            check(f)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            files = build(tmp)
            for f in files:
                check(f)
    print(f"onnx {onnx.__version__}: {len(files)} files pass check_model(full_check=True)")


if __name__ == "__main__":
    main()
