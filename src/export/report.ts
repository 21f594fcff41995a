// The script's closing report: the CLI's table (report/table.ts) and paired verdict
// (report/verdict.ts) in Python, with the same words and rounding, so the two read side by side.
// The Student-t quantiles come from report/stats.ts, written into the script for every number of
// paired seeds it can have (numpy has none).
import { tQuantile } from '../report/stats';
import { STATUS_WORDS } from '../report/runStatus';
import { pyLiteral, pyNumber } from './py';

/** t(0.975, df) for df = 1 … repeats − 1. */
export function tTable(repeats: number): string {
  const entries = Array.from({ length: Math.max(0, repeats - 1) }, (_, i) => `${i + 1}: ${pyNumber(tQuantile(0.975, i + 1))}`);
  return [
    `T975 = {${entries.join(', ')}}  # Student's t, 0.975 quantile, by degrees of freedom (from Noise Lab's report/stats.ts)`,
    `STATUS_WORDS = ${pyLiteral(STATUS_WORDS)}`,
  ].join('\n');
}

export const REPORT = String.raw`
def mean_sd(values):
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return math.nan, math.nan, 0
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return mean, sd, len(values)


def mean_sd_text(values, digits=3):
    mean, sd, n = mean_sd(values)
    if n == 0:
        return "—"
    return f"{mean:.{digits}f} ± {sd:.{digits}f}" if n > 1 else f"{mean:.{digits}f}"


def signed(x, digits):
    return ("+" if x > 0 else "−" if x < 0 else "±") + f"{abs(x):.{digits}f}"


def better_of(metric):
    return "higher" if metric == "accuracy" else "lower"


def paired(values, base, metric):
    """Each seed's value against the base's of the same seed (seed → value; report/verdict.ts): gain > 0 when noise is better."""
    gains = []
    for seed in sorted(values):
        value, b = values[seed], base.get(seed)
        if b is None or not math.isfinite(value) or not math.isfinite(b):
            continue
        gains.append(value - b if better_of(metric) == "higher" else b - value)
    wins = sum(g > 1e-9 for g in gains)
    losses = sum(g < -1e-9 for g in gains)
    mean, sd, n = mean_sd(gains)
    ci = None
    if n >= 3:
        half = T975[n - 1] * sd / math.sqrt(n)
        ci = [mean - half, mean + half]
    outcome = "noPairs" if n == 0 else "tooFewSeeds" if ci is None else "helped" if ci[0] > 0 else "hurt" if ci[1] < 0 else "noDifference"
    return {"metric": metric, "mean": mean, "sd": sd, "n": n, "ci95": ci, "wins": wins, "ties": n - wins - losses, "losses": losses, "outcome": outcome}


def paired_verdict(runs):
    """The noisy runs' test metric against the control of the same seed."""
    control = {r["seed"]: r["test"][HEADLINE] for r in runs if r["variant"] == "control"}
    noise = {r["seed"]: r["test"][HEADLINE] for r in runs if r["variant"] == "noise"}
    verdict = paired(noise, control, HEADLINE)
    verdict["sentence"] = verdict_sentence(verdict)
    return verdict


def verdict_sentence(v, split="test"):
    if v["outcome"] == "noPairs":
        return "no verdict: no seed has both a finished control and a finished noisy run"
    head = {"helped": "noise helped", "noDifference": "no measurable difference", "hurt": "noise hurt", "tooFewSeeds": "too few seeds to tell"}[v["outcome"]]
    n, ci, mean, better = v["n"], v["ci95"], v["mean"], better_of(v["metric"])
    if v["metric"] == "accuracy":
        digits = 3
    else:  # two significant digits of the interval's size
        spread = abs(ci[1] - ci[0]) / 2 if ci else abs(mean)
        digits = 4 if not (spread > 0 and math.isfinite(spread)) else min(8, max(3, 1 - math.floor(math.log10(spread))))
    record = f"better in {v['wins']} of {n} seed{'' if n == 1 else 's'}" + (f", worse in {v['losses']}" if v["losses"] else "") + (f", tied in {v['ties']}" if v["ties"] else "")
    increased = better == "lower" and mean < 0
    if ci and increased:
        ci = [-ci[1], -ci[0]]
    name = METRIC_LABELS[v["metric"]]
    if better == "higher":
        what = f"{split} {name} {signed(mean, digits)}"
    else:
        what = f"{split} {name} {'increased' if increased else 'reduced'} by {abs(mean):.{digits}f} (lower is better)"
    interval = f"95% CI [{signed(ci[0], digits)}, {signed(ci[1], digits)}]" if ci else f"no interval with {n} paired seed{'' if n == 1 else 's'} (at least 3 needed)"
    return f"{head} ({what}, {interval}, {record})"


def report(runs):
    verdict = paired_verdict(runs) if any(r["variant"] == "control" for r in runs) and any(r["variant"] == "noise" for r in runs) else None
    metric = METRIC_LABEL.lower()
    gain_header = f"test {metric} reduction (paired)" if BETTER == "lower" else "test − control (paired)"
    # The task's other metrics (an autoencoder's clean MSE beside its denoising MSE) get a test column each.
    others = [m for m in METRICS if m != HEADLINE]
    header = ["variant", "runs", f"train {metric}", f"test {metric}", *(f"test {METRIC_LABELS[m].lower()}" for m in others), "gap (train − test)", gain_header, "epochs"]
    rows = []
    for variant in ("control", "noise"):
        mine = [r for r in runs if r["variant"] == variant]
        if not mine:
            continue
        train = [r["train"][HEADLINE] for r in mine]
        test = [r["test"][HEADLINE] for r in mine]
        gap = [a - b for a, b in zip(train, test)]  # as the header says (and the CLI prints), for an error too
        gain = ""
        if variant == "noise" and verdict and verdict["n"]:
            sign = "+" if verdict["mean"] > 0 else "−" if verdict["mean"] < 0 else ""
            text = f"{abs(verdict['mean']):.3f} ± {verdict['sd']:.3f}" if verdict["n"] > 1 else f"{abs(verdict['mean']):.3f}"
            gain = f"{sign}{text} (n={verdict['n']})"
        finished = [r for r in mine if r["status"] != "diverged"]
        epochs = mean_sd_text([r["epochs"] for r in finished], 0)
        if any(r["bestEpoch"] < r["epochs"] for r in finished):
            epochs += f" (best {mean_sd_text([r['bestEpoch'] for r in finished], 0)})"
        stopped = sorted({r["status"] for r in mine} - {"completed"})
        count = str(len(mine)) + (" (" + ", ".join(f"{sum(r['status'] == s for r in mine)} {STATUS_WORDS[s]}" for s in stopped) + ")" if stopped else "")
        rows.append([variant, count, mean_sd_text(train), mean_sd_text(test), *(mean_sd_text([r["test"][m] for r in mine]) for m in others), mean_sd_text(gap), gain, epochs])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    print(line(header))
    print(line(["─" * w for w in widths]))
    for r in rows:
        print(line(r))
    print()
    for r in runs:
        if not math.isfinite(r["test"][HEADLINE]):
            print(f"{r['variant']} seed {r['seed']} {STATUS_WORDS[r['status']]}, not in the means above.")
    if verdict:
        print(f"noise vs control, paired by seed: {verdict['sentence']}")
    return verdict
`;
