"""Compares per-alpha objectives written by LinearBench (Occam) and the reference scripts.

usage: objective_gap.py NAME OCCAM.csv REF_NAME=REF.csv ...
Prints, per reference, over the alphas of the path: the largest amount by which the reference's objective is below
Occam's (Occam worse; 0 if never) and above it (Occam better), both relative to the objective at alpha_max (the
null model's), and Occam's stopping tolerance in the same units for scale. Grids must match to 1e-9 relative.
"""
import csv
import sys


def load(path):
    with open(path) as f:
        return [(float(r["alpha"]), float(r["objective"])) for r in csv.DictReader(f)]


name, occam = sys.argv[1], load(sys.argv[2])
null = occam[0][1]
for spec in sys.argv[3:]:
    ref_name, ref_path = spec.split("=", 1)
    ref = load(ref_path)
    assert len(ref) == len(occam), f"{ref_name}: {len(ref)} alphas vs {len(occam)}"
    for (ao, _), (ar, _) in zip(occam, ref):
        assert abs(ao - ar) <= 1e-9 * ao, f"{ref_name}: grid differs ({ao} vs {ar})"
    diff = [(r[1] - o[1]) / null for o, r in zip(occam, ref)]
    worse = max(0.0, -min(diff))
    better = max(0.0, max(diff))
    k_worse = min(range(len(diff)), key=lambda k: diff[k])
    print(f"{name:<34} vs {ref_name:<8} Occam above ref by at most {worse:9.2e} (alpha #{k_worse}), below by at most {better:9.2e} (relative to P(alpha_max))")
