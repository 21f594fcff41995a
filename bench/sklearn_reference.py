#!/usr/bin/env python3
"""scikit-learn reference timings for Noise Lab's speed targets (issue 17).

Times scikit-learn's MLPClassifier (Adam, lr 0.001, alpha 0: no L2) on the MLP workloads of
bench/torch_reference.py, one thread. Clean runs are one `fit` (max_iter = the epochs, no early
stop): partial_fit checks its inputs on every call, ≈0.9 ms, which would be most of W1's time.
The noisy variants need a hook between epochs, so they call `partial_fit` once per epoch, with
input or label noise drawn for every sample before the epoch's call (fresh per sample and epoch:
the same distribution as fresh per batch). MLPClassifier has no hook for activation, weight or
gradient noise, so those are not run. Prints one JSON object per line, as
torch_reference.py does (bench/README.md says how each workload matches ours and where it cannot).

  /usr/bin/python3 bench/sklearn_reference.py [--workloads W1,W2] [--variants clean,input,labels]
                                              [--repeats 3] [--seed 1] [--hidden 500] [--mode auto|partial_fit|fit]
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings

# OpenBLAS and OpenMP read these when numpy loads: one thread, as PyTorch's reference.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import numpy as np
    import sklearn
    from sklearn.datasets import make_circles
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
except ImportError:
    sys.exit(f"scikit-learn is not importable by {sys.executable}: apt-get install python3-sklearn, then run /usr/bin/python3")

# Noise amounts: the defaults of Noise Lab's experiment schema (as torch_reference.py).
INPUT_STD, FLIP_P = 0.1, 0.05
VARIANTS = ["clean", "input", "labels"]


def circles(n, rng):
    """The circles study's data (make_circles, factor 0.8, noise 0.1), standardized, float32: 30 training samples."""
    x, y = make_circles(n_samples=n, noise=0.1, factor=0.8, random_state=int(rng.integers(2**31)))
    return ((x - x.mean(0)) / x.std(0)).astype(np.float32), y


def teacher(n, d, classes, rng):
    """Gaussian features, labels from a random linear teacher (as torch_reference.py's)."""
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x, (x @ rng.standard_normal((d, classes))).argmax(1)


# name: (hidden layers (W1's width can be changed), classes, data, batch size, epochs)
WORKLOADS = {
    "W1": (lambda hidden: (hidden,), 2, lambda rng: circles(30, rng), 30, 4000),
    "W2": (lambda hidden: (256, 256), 10, lambda rng: teacher(2000, 64, 10, rng), 32, 10),
}


def train(workload, variant, seed, hidden=500, mode="auto", max_epochs=None):
    """Trains from scratch; returns (seconds of the training loop only, steps, last epoch's loss, its CPU seconds)."""
    layers, classes, make_data, batch, epochs = WORKLOADS[workload]
    epochs = epochs if max_epochs is None else min(epochs, max_epochs)
    rng = np.random.default_rng(seed)
    x, y = make_data(rng)
    # alpha 0: no L2 penalty (ours has no weight decay by default); shuffle each epoch as the others do (W1 is one batch).
    model = MLPClassifier(hidden_layer_sizes=layers(hidden), activation="relu", solver="adam", learning_rate_init=0.001,
                          alpha=0.0, batch_size=batch, shuffle=batch < len(x), random_state=seed,
                          max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1)
    all_classes = np.arange(classes)
    if mode == "auto":
        mode = "fit" if variant == "clean" else "partial_fit"
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode == "fit":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y)
    else:
        for _ in range(epochs):
            xb, yb = x, y
            if variant == "input":
                xb = x + rng.standard_normal(x.shape, dtype=np.float32) * INPUT_STD
            if variant == "labels":
                flip = rng.random(len(y)) < FLIP_P
                yb = np.where(flip, (y + rng.integers(1, classes, len(y))) % classes, y)
            model.partial_fit(xb, yb, classes=all_classes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    steps = epochs * -(-len(x) // batch)
    return seconds, steps, float(model.loss_), cpu, str(model.coefs_[0].dtype), mode


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", default="W1,W2", help="comma-separated: W1 (circles 2-500-1), W2 (64-256-256-10)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ",".join(VARIANTS))
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per figure; the median is reported")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=500, help="W1's hidden units (the hidden-size scaling)")
    ap.add_argument("--mode", choices=["auto", "partial_fit", "fit"], default="auto", help="auto: one fit(max_iter=epochs) for clean runs, partial_fit once per epoch for noisy ones")
    args = ap.parse_args()

    workloads = [w for w in args.workloads.split(",") if w]
    variants = [v for v in args.variants.split(",") if v]
    bad = [w for w in workloads if w not in WORKLOADS] + [v for v in variants if v not in VARIANTS]
    if bad or args.repeats < 1 or args.hidden < 1 or (args.mode == "fit" and variants != ["clean"]):
        ap.error(f"unknown workload/variant {bad}" if bad else "--repeats and --hidden must be at least 1, and --mode fit runs clean only")

    for w in workloads:
        for v in variants:
            train(w, v, args.seed, args.hidden, args.mode, max_epochs=20)  # warm-up: imports, first-call allocations
            runs = [train(w, v, args.seed + r, args.hidden, args.mode) for r in range(args.repeats)]
            seconds = statistics.median(r[0] for r in runs)
            print(json.dumps({"workload": w, "variant": v, "seconds": round(seconds, 4),
                              "cpu_seconds": round(statistics.median(r[3] for r in runs), 4), "steps": runs[0][1],
                              "steps_per_s": round(runs[0][1] / seconds, 1), "sklearn": sklearn.__version__,
                              "threads": 1, "hidden": args.hidden, "mode": runs[0][5], "dtype": runs[0][4],
                              "repeats": args.repeats, "last_loss": round(runs[-1][2], 4)}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
