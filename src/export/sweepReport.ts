// A sweep's runs and report in the exported script: every point over every seed (and fold) beside
// the one clean control per seed that they share, then the CLI's sweep table and sentences
// (sweep/summarize.ts, sweep/choose.ts, report/sweepTable.ts) in Python, with the same words and
// rounding: per point the validation and test metric (mean ± sd over seeds, each seed's folds
// averaged first), the test gain over the control paired by seed, and the best point chosen on
// validation by `sweep.select` (ties: the other metric, then the file's order). The test split
// never chooses. Racing, pruning and Bayesian search are refused before (sweep.ts).
export const SWEEP_REPORT = String.raw`
def plain_mean_sd(values):
    """Mean ± sd of every value (report/stats.ts meanSd): a value that is not finite makes it "—"."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, 0
    mean = sum(values) / n
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0, n


def mean_sd_cell(m, digits=3):
    mean, sd, n = m
    if n == 0 or not math.isfinite(mean) or (n > 1 and not math.isfinite(sd)):
        return "—"
    return f"{mean:.{digits}f} ± {sd:.{digits}f}" if n > 1 else f"{mean:.{digits}f}"


def fixed(x, digits):
    return f"{x:.{digits}f}" if isinstance(x, (int, float)) and math.isfinite(x) else "—"


def group(runs):
    """A point's (or the control's) statistics over its finished runs, each seed's folds averaged first."""
    finished = [r for r in runs if r["status"] in ("completed", "earlyStopped")]

    def per_seed(pick):
        by_seed = {}
        for r in finished:
            by_seed.setdefault(r["seed"], []).append(pick(r))
        return {seed: sum(v) / len(v) for seed, v in by_seed.items()}

    losses = [r["validation"]["loss"] for r in finished]
    return {
        "runs": len(finished),
        "validation": plain_mean_sd(list(per_seed(lambda r: r["validation"][HEADLINE]).values())),
        "test": plain_mean_sd(list(per_seed(lambda r: r["test"][HEADLINE]).values())),
        "validationLoss": sum(losses) / len(losses) if losses else math.nan,
        "by_test": per_seed(lambda r: r["test"][HEADLINE]),
        "by_selection": per_seed(lambda r: r["validation"]["loss"] if SELECT == "loss" else r["validation"][HEADLINE]),
    }


def versus(point, values, base, metric, split):
    v = paired(values, base, metric)
    if point["noisy"] is None and v["outcome"] != "noPairs":
        # The same runs as the control: a difference of exactly 0 in every seed, known without a test.
        n = v["n"]
        v["outcome"] = "noDifference"
        v["sentence"] = f"no difference ({point['label']} adds no noise: its runs are the control's, {split} difference 0 in {'the one seed' if n == 1 else f'all {n} seeds'})"
    else:
        v["sentence"] = verdict_sentence(v, split)
    return v


def merit(p, select):
    """The selection metric's mean, signed so that larger is better (choose.ts)."""
    if select == "loss":
        return -p["validationLoss"]
    return p["validation"][0] if better_of(select) == "higher" else -p["validation"][0]


def tie_merit(p, select):
    return -p["validationLoss"] if select == "accuracy" else p["validation"][0] if select == "loss" else 0


def choose_best(points, select):
    best = None
    for p in points:
        if p["stoppedEarly"] or not math.isfinite(merit(p, select)):
            continue
        if best is None:
            best = p
            continue
        d = merit(p, select) - merit(best, select)
        if d > 1e-9 or (d >= -1e-9 and tie_merit(p, select) - tie_merit(best, select) > 1e-9):
            best = p
    return best


def summarize_sweep(runs, stopped):
    control = group([r for r in runs if r["variant"] == "control"]) if WITH_CONTROL else None
    points = []
    for point in POINTS:
        own = [r for r in runs if r.get("point") == point["index"]]
        stats = group([r for r in runs if r["variant"] == "control"] if point["noisy"] is None else own)
        test_verdict = versus(point, stats["by_test"], control["by_test"], HEADLINE, "test") if control else None
        selection_verdict = versus(point, stats["by_selection"], control["by_selection"], SELECT, "validation") if control else None
        points.append({
            **stats, "index": point["index"], "label": point["label"], "same": point["noisy"] is None,
            "improvement": test_verdict if test_verdict and test_verdict["n"] > 0 else None,
            "testVerdict": test_verdict, "selectionVerdict": selection_verdict,
            "beatsControl": selection_verdict["outcome"] == "helped" if selection_verdict else None,
            "stoppedEarly": stopped.get(point["index"]), "best": False,
        })
    best = choose_best(points, SELECT)
    if best:
        best["best"] = True
    other = None
    if TASK == "classification":
        by = "accuracy" if SELECT == "loss" else "loss"
        pick = choose_best(points, by)
        if pick is not None and pick is not best:
            other = (by, pick)
    return control, points, best, other


def gain_cell(m):
    sign = lambda x: ("+" if x >= 0 else "−") + f"{abs(x):.3f}"
    if not m or m["n"] == 0:
        return "—"
    return f"{sign(m['mean'])} [{sign(m['ci95'][0])}, {sign(m['ci95'][1])}]" if m["ci95"] else sign(m["mean"])


def point_note(p):
    if p["stoppedEarly"]:
        return f"stopped early: {p['stoppedEarly']}"
    same = "= control" if p["same"] else ""
    if p["best"]:
        return ("★ best, not better than control" if p["beatsControl"] is False else "★ best") + (f" ({same})" if same else "")
    return same or ("no finished runs" if p["runs"] == 0 else "")


def sweep_report(runs, stopped):
    control, points, best, other = summarize_sweep(runs, stopped)
    select_name = "MSE" if SELECT == "mse" else SELECT
    header = ["point", "runs", f"validation {HEADLINE}", f"test {HEADLINE}", "test gain vs control (95% CI)", "val loss", ""]
    rows = [["control (clean)", str(control["runs"]), mean_sd_cell(control["validation"]), mean_sd_cell(control["test"]), "", fixed(control["validationLoss"], 4), ""]] if control else []
    rows += [[p["label"], str(p["runs"]), mean_sd_cell(p["validation"]), mean_sd_cell(p["test"]), gain_cell(p["improvement"]), fixed(p["validationLoss"], 4), point_note(p)] for p in points]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    lines = [line(header), line(["─" * w for w in widths]), *map(line, rows), ""]
    lines.append(f"best: {best['label']}, chosen by validation {select_name}: {CRITERION}" if best else "no best point: no point finished without diverging")
    if best and best["selectionVerdict"]:
        on = f"the clean control on validation {select_name}"
        outcome = best["selectionVerdict"]["outcome"]
        how = f"beats {on}" if best["beatsControl"] else f"cannot be shown to beat {on}" if outcome in ("tooFewSeeds", "noPairs") else f"does not beat {on}"
        said = f"the best point, {best['label']}, {how}: {best['selectionVerdict']['sentence']}"
        lines.append(f"{said}." if best["beatsControl"] else f"{said}. Writing it into the file would not be backed by the data.")
    if best and best["testVerdict"]:
        lines.append(f"on test (which reports and never chooses): {best['testVerdict']['sentence']}.")
    if other:
        by, p = other
        value = f"validation loss {fixed(p['validationLoss'], 4)}" if by == "loss" else f"validation accuracy {mean_sd_cell(p['validation'])}"
        lines.append(f"by validation {by} the best is {p['label']} ({value}): the criteria disagree; cross-entropy rewards hedged predictions, so a heavily noised model can win on loss while losing on accuracy.")
    print("\n".join(lines))
    return {"best": best and {"index": best["index"], "label": best["label"], "beatsControl": best["beatsControl"]}, "stoppedEarly": stopped}


def sweep_runs():
    """Every run the sweep asks for, seed by seed and fold by fold: the shared control, then each point
    that adds noise (a point without noise is the control: it trains nothing). A point whose run
    diverges is hopeless: its later runs are not trained, and it is reported as stopped early."""
    runs, stopped = [], {}
    for seed in SEEDS:
        for fold in range(FOLD_COUNT) if FOLD_COUNT else [None]:
            where = f"seed {seed}" + (f", fold {fold + 1}/{FOLD_COUNT}" if fold is not None else "")
            if WITH_CONTROL:
                runs.append(train_run(seed, "control", fold))
                print(f"control {where}: {STATUS_WORDS[runs[-1]['status']]} after {runs[-1]['epochs']} epochs", file=sys.stderr)
            for point in POINTS:
                if point["noisy"] is None or point["index"] in stopped:
                    continue
                run = {**train_run(seed, "noise", fold, point["noisy"]), "point": point["index"]}
                runs.append(run)
                print(f"{point['label']} {where}: {STATUS_WORDS[run['status']]} after {run['epochs']} epochs", file=sys.stderr)
                if run["status"] == "diverged" and STOP_HOPELESS:
                    stopped[point["index"]] = f"diverged in {where}"
    return runs, stopped


def main():
    parser = argparse.ArgumentParser(description=f"{NAME}: a sweep of {len(POINTS)} points against a clean control over {len(SEEDS)} seeds, in PyTorch")
    parser.add_argument("--json", action="store_true", help="end with one JSON line: every run's clean metrics and the chosen point")
    args = parser.parse_args()
    # Small models train faster on one thread than split over several.
    torch.set_num_threads(1)
    runs, stopped = sweep_runs()
    print()
    chosen = sweep_report(runs, stopped)
    if args.json:
        finite = lambda v: v if not isinstance(v, float) or math.isfinite(v) else None
        print(json.dumps({"runs": [{k: ({m: finite(x) for m, x in v.items()} if isinstance(v, dict) else v) for k, v in r.items()} for r in runs], **chosen}))


if __name__ == "__main__":
    main()
`;
