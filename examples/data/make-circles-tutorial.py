# Regenerates circles-tutorial.csv: exactly sklearn.datasets.make_circles(n_samples=100,
# noise=0.1, random_state=1), in scikit-learn's order, every float at full (round-trip) precision.
# How: apt-get install python3-sklearn; python3 make-circles-tutorial.py
# (use /usr/bin/python3 if another python3, e.g. pyenv's, comes first on PATH and lacks sklearn).
# The output depends on scikit-learn's and NumPy's random streams; it was written with
# scikit-learn 1.2.1 (Debian bookworm).
import csv
import os

from sklearn.datasets import make_circles

X, y = make_circles(n_samples=100, noise=0.1, random_state=1)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "circles-tutorial.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["x1", "x2", "label"])
    for (x1, x2), label in zip(X, y):
        # repr() of a Python float is the shortest string that reads back to the same double.
        w.writerow([repr(float(x1)), repr(float(x2)), int(label)])
