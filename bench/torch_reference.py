#!/usr/bin/env python3
"""PyTorch reference timings for Noise Lab's speed targets.

Times plain single-threaded PyTorch training loops (Adam, lr 0.001) on the three workloads the
TensorFlow.js trainer is compared against, clean and with each noise site done the usual
PyTorch way. Prints one JSON object per line (or a table with --table).

  python3 bench/torch_reference.py [--workloads W1,W2,W3] [--variants clean,input,...] [--repeats 3]
"""
import argparse
import base64
import gzip
import json
import math
import os
import re
import statistics
import sys
import time

# OpenBLAS and OpenMP read these when torch loads; set_num_threads alone leaves OpenBLAS's own pool.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import torch
    from torch import nn
except ImportError:
    sys.exit(f"torch is not importable by {sys.executable}: apt-get install python3-torch, then run /usr/bin/python3")

try:  # torch >= 2.0
    from torch.func import functional_call
except ImportError:  # torch 1.13 (Debian bookworm)
    from torch.nn.utils.stateless import functional_call

# Noise amounts: the defaults of Noise Lab's experiment schema.
INPUT_STD, ACT_STD, WEIGHT_STD, GRAD_STD, GRAD_GAMMA, FLIP_P = 0.1, 0.1, 0.01, 0.1, 0.55, 0.05
VARIANTS = ["clean", "input", "activations", "weights", "gradients", "labels", "weightsSequence"]
# The variants a workload has (as bench/workloads.ts' variantsOf): per-sequence weight noise needs W4's LSTM.
def variants_of(workload):
    return ["clean", "weights", "weightsSequence"] if workload == "W4" else VARIANTS[:-1]


class GaussianNoise(nn.Module):
    """Additive noise on a hidden layer's output, in training mode only."""

    def __init__(self, std):
        super().__init__()
        self.std = std

    def forward(self, x):
        return x + torch.randn_like(x) * self.std if self.training else x


def mlp(sizes, activation_noise):
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
            if activation_noise:
                layers.append(GaussianNoise(ACT_STD))
    return nn.Sequential(*layers)


class ConvNet(nn.Sequential):
    """W3: conv2d 16 3×3 relu → maxPool 2 → flatten → dense 10 on 8×8×1 digits (NCHW, as PyTorch has it)."""

    def __init__(self, activation_noise):
        noise = [GaussianNoise(ACT_STD)] if activation_noise else []
        super().__init__(nn.Conv2d(1, 16, 3), nn.ReLU(), *noise, nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 3 * 3, 10))


class LstmNet(nn.Module):
    """W4: LSTM 32 (nn.LSTM, the last step's h) → linear 4 on N×50×1 sine windows (batch first).

    Weight noise per sequence (Graves et al. 2013) needs a weight sample per sequence of the batch:
    vmap over nn.LSTM fails in torch 1.13 ("Batching rule not implemented for aten::lstm.input"), and
    a loop of 32 batch-1 nn.LSTM calls runs 32× the kernels, so `per_sequence` writes the cell out
    the way one would by hand: one baddbmm per step on [x_t, h] with each sequence's own stacked
    kernel ([n, 1 + 32, 128], PyTorch's gate order i, f, g, o), autograd through the steps.
    """

    def __init__(self, activation_noise):
        super().__init__()
        self.lstm = nn.LSTM(1, 32, batch_first=True)
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.out(h[-1])

    def per_sequence(self, x, std):
        p = dict(self.named_parameters())
        n, steps, _ = x.shape
        # Stacked [W_ih | W_hh]ᵀ and the two biases, one noisy draw each per sequence.
        kernel = torch.cat([p["lstm.weight_ih_l0"], p["lstm.weight_hh_l0"]], 1).t()
        kernel = kernel + torch.randn(n, *kernel.shape) * std
        # PyTorch's two biases act as one (Noise Lab's, Keras', single bias): one draw on their sum.
        bias = (p["lstm.bias_ih_l0"] + p["lstm.bias_hh_l0"] + torch.randn(n, 128) * std).unsqueeze(1)
        h = c = x.new_zeros(n, 1, 32)
        for t in range(steps):
            z = torch.baddbmm(bias, torch.cat([x[:, t:t + 1], h], 2), kernel)
            i, f, g, o = z.chunk(4, 2)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        # The output layer is not recurrent: one draw per batch, as Noise Lab's.
        w_out, b_out = (q + torch.randn_like(q) * std for q in (p["out.weight"], p["out.bias"]))
        return nn.functional.linear(h.squeeze(1), w_out, b_out)


def sine_windows(n, gen, window=50, classes=4, noise=0.1):
    """Noise Lab's sineWindows: class k is a sine of k + 1 cycles per window with a random phase, plus N(0, noise²); N×window×1, standardized."""
    y = torch.arange(n) % classes
    y = y[torch.randperm(n, generator=gen)]
    t = torch.arange(window, dtype=torch.float32)
    phase = 2 * math.pi * torch.rand(n, 1, generator=gen)
    x = torch.sin(2 * math.pi * (y[:, None] + 1) * t / window + phase) + noise * torch.randn(n, window, generator=gen)
    return ((x - x.mean()) / x.std()).unsqueeze(2), y


def all_digits():
    """scikit-learn's load_digits (1,797 8×8 images of 0–16), from sklearn or else the repository's shipped copy of its file."""
    try:
        from sklearn.datasets import load_digits
        d = load_digits()
        return torch.tensor(d.data, dtype=torch.float32), torch.tensor(d.target)
    except ImportError:
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "..", "src", "trainer", "data", "digits", "digitsCsvGz.ts")) as f:
            encoded = re.search(r"digitsCsvGz = '([^']+)'", f.read()).group(1)
        rows = [[float(c) for c in line.split(",")] for line in gzip.decompress(base64.b64decode(encoded)).decode().split()]
        t = torch.tensor(rows)
        return t[:, :64], t[:, 64].long()


def digits(n, gen):
    """n seeded images as N×1×8×8, standardized with one mean and std over every pixel (as Noise Lab's default)."""
    x, y = all_digits()
    idx = torch.randperm(len(x), generator=gen)[:n]
    x, y = x[idx], y[idx]
    return ((x - x.mean()) / x.std()).reshape(n, 1, 8, 8), y


def circles(n, gen):
    """scikit-learn's make_circles (factor 0.8, noise 0.1), standardized: the circles study's 30 training samples."""
    outer = n // 2
    angle = torch.cat([torch.linspace(0, 2 * math.pi, outer + 1)[:-1], torch.linspace(0, 2 * math.pi, n - outer + 1)[:-1]])
    radius = torch.cat([torch.ones(outer), torch.full((n - outer,), 0.8)])
    x = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1) + torch.randn(n, 2, generator=gen) * 0.1
    y = torch.cat([torch.zeros(outer), torch.ones(n - outer)])
    return (x - x.mean(0)) / x.std(0), y


def teacher(n, d, classes, gen):
    """Gaussian features, labels from a random linear teacher."""
    x = torch.randn(n, d, generator=gen)
    return x, (x @ torch.randn(d, classes, generator=gen)).argmax(1)


WORKLOADS = {
    # name: (model(activation noise?), classes (2: one logit, BCE), data, batch size, epochs)
    "W1": (lambda noise, hidden=500: mlp([2, hidden, 1], noise), 2, lambda g: circles(30, g), 30, 4000),
    "W2": (lambda noise: mlp([64, 256, 256, 10], noise), 10, lambda g: teacher(2000, 64, 10, g), 32, 10),
    "W3": (ConvNet, 10, lambda g: digits(500, g), 32, 20),
    "W4": (LstmNet, 4, lambda g: sine_windows(500, g), 32, 10),
}


def train(workload, variant, seed, max_steps=None, hidden=None):
    """Trains from scratch; returns (seconds of the training loop only, steps, last batch loss, its CPU seconds)."""
    make_model, classes, make_data, batch, epochs = WORKLOADS[workload]
    binary = classes == 2
    gen = torch.Generator().manual_seed(seed)
    x, y = make_data(gen)
    torch.manual_seed(seed)
    # hidden: W1's hidden units, for the hidden-size scaling (bench/scaling.ts).
    model = make_model(variant == "activations") if hidden is None else make_model(variant == "activations", hidden)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()
    n, step, loss = len(x), 0, torch.tensor(float("nan"))

    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(epochs):
        order = torch.randperm(n) if batch < n else torch.arange(n)
        for i in range(0, n, batch):
            if max_steps is not None and step >= max_steps:
                break
            idx = order[i:i + batch]
            xb, yb = x[idx], y[idx]
            if variant == "input":
                xb = xb + torch.randn_like(xb) * INPUT_STD
            if variant == "labels":
                flip = torch.rand(len(yb)) < FLIP_P
                other = 1 - yb if binary else (yb + torch.randint(1, classes, yb.shape)) % classes
                yb = torch.where(flip, other, yb)
            opt.zero_grad(set_to_none=True)
            if variant == "weights":
                # Forward and backward through w + eps; the gradient lands on (and Adam updates) the clean w.
                noisy = {k: p + torch.randn_like(p) * WEIGHT_STD for k, p in model.named_parameters()}
                out = functional_call(model, noisy, (xb,))
            elif variant == "weightsSequence":
                # A fresh draw of every weight for each sequence of the batch (Graves et al. 2013).
                out = model.per_sequence(xb, WEIGHT_STD)
            else:
                out = model(xb)
            loss = loss_fn(out.squeeze(1), yb) if binary else loss_fn(out, yb)
            loss.backward()
            if variant == "gradients":
                # Neelakantan et al.: variance GRAD_STD² / (1+t)^gamma, fresh for every parameter.
                std = GRAD_STD * (1 + step) ** (-GRAD_GAMMA / 2)
                for p in model.parameters():
                    p.grad.add_(torch.randn_like(p.grad) * std)
            opt.step()
            step += 1
    return time.perf_counter() - start, step, float(loss), time.process_time() - cpu_start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workloads", default="W1,W2,W3,W4", help="comma-separated: W1 (circles 2-500-1), W2 (64-256-256-10), W3 (digits conv net), W4 (LSTM 32 on 50-step sequences)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, from: " + ",".join(VARIANTS))
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per figure; the median is reported")
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (the targets use 1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hidden", type=int, help="W1's hidden units (default 500: the circles study)")
    fmt = ap.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per line (the default)")
    fmt.add_argument("--table", action="store_true", help="a human-readable table instead")
    args = ap.parse_args()

    workloads = [w for w in args.workloads.split(",") if w]
    variants = [v for v in args.variants.split(",") if v]
    bad = [w for w in workloads if w not in WORKLOADS] + [v for v in variants if v not in VARIANTS]
    if bad or args.repeats < 1 or (args.hidden is not None and (args.hidden < 1 or workloads != ["W1"])):
        ap.error(f"unknown workload/variant {bad}" if bad else "--repeats must be at least 1, and --hidden (at least 1) is W1's alone")
    torch.set_num_threads(args.threads)

    if args.table:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), median of {args.repeats}")
        print(f"{'workload':8} {'variant':12} {'seconds':>9} {'steps':>6} {'steps/s':>9} {'last loss':>10}")
    for w in workloads:
        for v in [v for v in variants if v in variants_of(w)]:
            train(w, v, args.seed, max_steps=20, hidden=args.hidden)  # warm-up: first-call allocations and dispatch caches
            runs = [train(w, v, args.seed + r, hidden=args.hidden) for r in range(args.repeats)]
            seconds = statistics.median(r[0] for r in runs)
            steps = runs[0][1]
            row = {"workload": w, "variant": v, "seconds": round(seconds, 4),
                   "cpu_seconds": round(statistics.median(r[3] for r in runs), 4), "steps": steps,
                   "steps_per_s": round(steps / seconds, 1), "torch": torch.__version__,
                   "threads": torch.get_num_threads(), "repeats": args.repeats, "last_loss": round(runs[-1][2], 4)}
            if args.table:
                print(f"{w:8} {v:12} {seconds:9.3f} {steps:6d} {steps / seconds:9.1f} {row['last_loss']:10.4f}")
            else:
                print(json.dumps(row))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
