"""Golden values for StandardizerTests.MatchesScikitLearnOnDigits.

Run from the repository root: /usr/bin/python3 tests/golden/standardizer_digits.py
(scikit-learn 1.2.1, numpy 1.24). Fits StandardScaler on the first 1000 rows of data/digits.csv.
"""
import numpy as np
from sklearn.preprocessing import StandardScaler

data = np.loadtxt("data/digits.csv", delimiter=",", skiprows=1)
x = data[:1000, :64]
s = StandardScaler().fit(x)
for j in (0, 3, 36, 63):
    print(f"column {j}: mean {s.mean_[j]!r} scale {s.scale_[j]!r}")
