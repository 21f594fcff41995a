// Run again's pairing: of the runs folder's runs, only finished controls of the same experiment
// and the same spec apart from noise (same data, model, training and seed) on the whole
// training split count as the controls of the new noisy runs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../../src/spec/schema';
import type { RunStatus, RunSummary, Variant } from '../../src/protocol/trainer';
import { matchingControls, storedControls } from '../../src/host/storedControls';
import { variantVerdicts } from '../../src/report/runVerdicts';
import { specOf, tempDir } from './trainer/helpers';

const base = { name: 'tweak', seed: 1, data: { source: 'circles', samples: 60 }, training: { epochs: 20 }, noise: { input: { std: 0.1 } }, repeats: 3 };
const spec = specOf(base);

let clock = 0;
function summary(variant: Variant, seed: number, accuracy: number, status: RunStatus = 'completed', extra: Partial<RunSummary> = {}): RunSummary {
  clock++;
  return {
    runId: `2026010${clock}-000000-000-${variant}-s${seed}`,
    experiment: 'tweak', variant, seed, repeat: seed - 1, status, task: 'classification', backend: 'wasm', versions: {},
    epochs: 20, bestEpoch: 20, train: { loss: 0.1, accuracy: 1 }, validation: null, test: { loss: 0.5, accuracy },
    seconds: 1, startedAt: new Date(Date.UTC(2026, 0, clock)).toISOString(), ...extra,
  };
}

describe('Run again: the stored controls its noisy runs pair with', () => {
  it('keeps finished controls of the same spec apart from noise, and nothing else', () => {
    const same = summary('control', 1, 0.7);
    const otherNoise = summary('control', 2, 0.71);
    const candidates: { summary: RunSummary | null; spec: Experiment | null }[] = [
      { summary: same, spec },
      // A control of a file whose noise was different is the same control.
      { summary: otherNoise, spec: specOf({ ...base, noise: { weights: { std: 0.3 } }, repeats: 5 }) },
      { summary: summary('control', 3, 0.9), spec: specOf({ ...base, training: { epochs: 40 } }) },
      { summary: summary('control', 3, 0.9), spec: specOf({ ...base, seed: 2 }) },
      { summary: summary('control', 3, 0.9), spec: specOf({ ...base, model: { hidden: [{ units: 8 }] } }) },
      { summary: summary('control', 3, 0.9, 'diverged'), spec },
      { summary: summary('control', 3, 0.9, 'cancelled'), spec },
      { summary: summary('control', 3, 0.9, 'completed', { fold: { k: 3, index: 0 } }), spec },
      { summary: summary('noise', 3, 0.9), spec },
      { summary: null, spec },
      { summary: summary('control', 3, 0.9), spec: null },
    ];
    assert.deepEqual(matchingControls(candidates, spec), [same, otherNoise]);
  });

  it('reads them from the runs folder, and the verdict pairs the new noisy runs with the latest per seed', () => {
    const runsDir = tempDir();
    const write = (experiment: string, s: RunSummary, stored: Experiment) => {
      const dir = path.join(runsDir, experiment, s.runId);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ variant: s.variant, seed: s.seed, repeat: s.repeat, spec: stored }));
      fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(s));
    };
    write('tweak', summary('control', 1, 0.5), spec);
    write('tweak', summary('control', 1, 0.7), spec);
    write('tweak', summary('control', 2, 0.7), spec);
    write('tweak', summary('control', 3, 0.7), spec);
    write('tweak', summary('control', 3, 0.1), specOf({ ...base, training: { epochs: 40 } }));
    // Another experiment's folder, even with the same setup, is not this experiment's.
    write('other', summary('control', 2, 0.1), specOf({ ...base, name: 'other' }));
    const controls = storedControls(runsDir, spec);
    assert.equal(controls.length, 4);
    const noisy = [summary('noise', 1, 0.8), summary('noise', 2, 0.8), summary('noise', 3, 0.8)];
    const v = variantVerdicts(noisy, controls).noise!;
    assert.equal(v.gain.n, 3);
    assert.ok(Math.abs(v.gain.mean - 0.1) < 1e-12, String(v.gain.mean));
    assert.equal(v.wins, 3);
    assert.deepEqual(storedControls(path.join(runsDir, 'missing'), spec), []);
  });
});
