// Resuming a pruned sweep (src/sweep/resume.ts): a pruned run on disk is finished only where its
// whole point was pruned with one record, as pruning a point leaves it. A folder pruned one seed
// at a time (the rule before points were judged whole) or half-written trains those runs again.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { finishedRuns } from '../../../src/sweep/resume';
import { planSweep, type SweepPlan, type SweepRun } from '../../../src/sweep/plan';
import { validateExperiment } from '../../../src/spec';
import { experimentFolderName, RUN_FILES } from '../../../src/spec/runs';
import type { PruneRecord } from '../../../src/protocol/trainer';
import { tempDir } from '../trainer/helpers';

function prunedPlan(): SweepPlan {
  const file = { name: 'resume-pruned', data: { source: 'circles', split: { train: 30, validation: 20, test: 50 } }, repeats: 2, control: true,
    sweep: { grid: { 'noise.input.std': [0.1, 0.3] }, prune: { type: 'successiveHalving', minEpochs: 10, factor: 2 } }, training: { epochs: 40 } };
  const v = validateExperiment(JSON.stringify(file));
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('\n'));
  return planSweep(v.input, v.spec);
}

const record = (value: number): PruneRecord => ({ rung: 1, epoch: 10, metric: 'accuracy', value, threshold: 0.8, trials: 2, kept: 1 });

/** A run folder as a trainer leaves it: spec.json and summary.json. */
function store(runsDir: string, plan: SweepPlan, run: SweepRun, status: 'completed' | 'pruned', prune?: PruneRecord): void {
  const dir = path.join(runsDir, experimentFolderName(plan.spec), `${run.key.replace(/[^a-z0-9]/gi, '-')}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, RUN_FILES.spec), JSON.stringify({ variant: run.variant, seed: run.seed, point: run.point, fold: run.fold, spec: run.spec }));
  const m = { loss: 0.4, accuracy: 0.7 };
  fs.writeFileSync(path.join(dir, RUN_FILES.summary), JSON.stringify({ runId: run.key, experiment: 'resume-pruned', variant: run.variant, seed: run.seed, repeat: run.repeat, status, task: 'classification', backend: 'wasm', versions: {}, epochs: status === 'pruned' ? 10 : 40, bestEpoch: 10, train: m, validation: m, test: m, seconds: 1, startedAt: new Date(0).toISOString(), ...(prune && { prune }) }));
}

describe('resuming a pruned sweep', () => {
  const plan = prunedPlan();
  const runsOf = (std: number) => plan.runs.filter((r) => r.point?.values['noise.input.std'] === std);

  it('reuses a point pruned whole (every seed, one record) as finished', () => {
    const runsDir = tempDir();
    for (const r of plan.runs) store(runsDir, plan, r, r.point?.values['noise.input.std'] === 0.3 ? 'pruned' : 'completed', record(0.6));
    const found = finishedRuns(plan, runsDir);
    assert.equal(found.size, plan.runs.length);
    assert.deepEqual(runsOf(0.3).map((r) => found.get(r.key)?.status), ['pruned', 'pruned']);
  });

  it('trains again the pruned runs of a point pruned one seed at a time, or with a seed missing; keeps its completed runs', () => {
    const runsDir = tempDir();
    const [s1, s2] = runsOf(0.3);
    for (const r of plan.runs) if (r !== s1 && r !== s2) store(runsDir, plan, r, 'completed');
    // The old per-seed rule: seed 1 pruned, seed 2 went on to the end.
    store(runsDir, plan, s1, 'pruned', record(0.6));
    store(runsDir, plan, s2, 'completed');
    let found = finishedRuns(plan, runsDir);
    assert.equal(found.has(s1.key), false, 'the lone pruned seed is not finished');
    assert.equal(found.get(s2.key)?.status, 'completed');
    assert.equal(found.size, plan.runs.length - 1);

    // Both seeds pruned, but each with its own record (each judged alone): neither is finished.
    store(runsDir, plan, s2, 'pruned', record(0.65));
    found = finishedRuns(plan, runsDir);
    assert.deepEqual([found.has(s1.key), found.has(s2.key)], [false, false]);

    // Seed 2's folder gone: seed 1's pruned run alone says nothing about its point.
    const other = tempDir();
    store(other, plan, s1, 'pruned', record(0.6));
    assert.equal(finishedRuns(plan, other).has(s1.key), false);
  });
});
