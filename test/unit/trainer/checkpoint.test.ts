// A run suspended at rungs with a checkpoint (trainer/checkpoint.ts) and resumed from it, twice,
// continues bit for bit as if it had never stopped: the same metrics every epoch, the same final
// metrics and the same saved weights as the run trained straight through. Each checkpoint goes
// through JSON on its way, as the parent stores it and as a job queue carries it, and the resumed
// runs get run folders of their own, as a worker on another machine would. Dense MLPs with
// every noise site at once (input, activations, weights, gradients, labels) and dropout, trained
// by the fused dense step with each optimizer: every random stream, Adam's moments and step, the
// other optimizers' slots (momentum's accumulators, RMSprop's mean squares and moments) and the
// schedules' clock must carry over, or the curves part.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../../../src/spec/schema';
import type { RunCheckpoint, RunRequest, RunSummary, RungReply, TrainerEvent } from '../../../src/protocol/trainer';
import { runExperiment } from '../../../src/trainer/experiment';
import type { RungChannel } from '../../../src/trainer/pruneHook';
import { REPO, specOf, tempDir } from './helpers';

const RUNGS = [4, 8];
const EPOCHS = 12;

function spec(training: object, weightsEvery: 'batch' | 'epoch', units = 16): Experiment {
  return specOf({
    name: 'checkpoint',
    seed: 3,
    data: { source: 'moons', samples: 120, noise: 0.2, split: { train: 60, validation: 30, test: 30 } },
    model: { hidden: [{ units, activation: 'relu' }, { units: 8, activation: 'tanh', dropout: 0.2 }] },
    training: { epochs: EPOCHS, batchSize: 16, ...training },
    noise: {
      input: { std: 0.1, schedule: { type: 'linear', per: 'epoch', end: 0.02 } },
      activations: [{ layer: 0, std: 0.1, position: 'beforeActivation', kind: 'additive' }],
      weights: { std: 0.02, every: weightsEvery },
      gradients: { std: 0.01 },
      labels: { flipProbability: 0.05 },
    },
    repeats: 1,
  });
}

interface Trained {
  summaries: RunSummary[];
  events: TrainerEvent[];
  runsDir: string;
}

/** One request on the real trainer code; `answer` plays the parent at the rungs, `stored` keeps the checkpoints it is given (through JSON). */
async function train(s: Experiment, extra: Partial<RunRequest>, answer?: (epoch: number) => RungReply, stored: RunCheckpoint[] = []): Promise<Trained> {
  const runsDir = tempDir();
  const events: TrainerEvent[] = [];
  const channel: RungChannel | undefined = answer && {
    ask: async (report) => answer(report.epoch),
    suspend: async (cp) => (stored.push(JSON.parse(JSON.stringify(cp)) as RunCheckpoint), true),
  };
  const request: RunRequest = { spec: s, runsDir, baseDir: path.join(REPO, 'examples'), only: [{ variant: 'noise', repeat: 0 }], ...(answer && { rungs: RUNGS }), ...extra };
  const summaries = await runExperiment(request, (e) => events.push(e), new AbortController().signal, channel);
  return { summaries, events, runsDir };
}

/** The run folder's metrics.jsonl rows without their wall-clock seconds, and its saved weights. */
function folderOf(t: Trained): { rows: object[]; weights: Buffer } {
  const exp = path.join(t.runsDir, 'checkpoint');
  const [run] = fs.readdirSync(exp);
  const rows = fs.readFileSync(path.join(exp, run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { seconds: _s, ...row } = JSON.parse(l) as { seconds: number };
    return row;
  });
  return { rows, weights: fs.readFileSync(path.join(exp, run, 'model', 'weights.bin')) };
}

const finalOf = (s: RunSummary) => ({ status: s.status, epochs: s.epochs, bestEpoch: s.bestEpoch, train: s.train, validation: s.validation, test: s.test });

/** The dense step's path of every run `during` trained (trace.ts). */
async function pathsOf(during: () => Promise<void>): Promise<unknown[]> {
  const trace = path.join(tempDir(), 'trace.jsonl');
  const saved = process.env.NOISE_LAB_TRACE_FILE;
  process.env.NOISE_LAB_TRACE_FILE = trace;
  try {
    await during();
  } finally {
    if (saved === undefined) delete process.env.NOISE_LAB_TRACE_FILE;
    else process.env.NOISE_LAB_TRACE_FILE = saved;
  }
  const lines = fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; path?: string });
  return lines.filter((l) => l.event === 'denseStep').map((l) => l.path);
}

/** Trained straight, and suspended at both rungs and resumed each time: the same run, on the fused dense step each time. */
async function straightAndResumed(s: Experiment): Promise<void> {
  const paths = await pathsOf(() => resumedAsStraight(s));
  assert.deepEqual(paths, ['fused', 'fused', 'fused', 'fused'], 'the straight run and the three parts of the resumed one');
}

async function resumedAsStraight(s: Experiment): Promise<void> {
  const straight = await train(s, {});
  const checkpoints: RunCheckpoint[] = [];
  // Suspended at the first rung; resumed, suspended at the second; resumed, it goes on to the end.
  const first = await train(s, {}, () => 'suspend', checkpoints);
  assert.deepEqual(first.summaries, [], 'a suspended run has no summary');
  assert.equal(first.events.some((e) => e.type === 'finished'), false, 'nor a finished event');
  assert.equal(checkpoints[0].epoch, RUNGS[0]);
  const second = await train(s, { resume: checkpoints[0] }, (epoch) => (epoch === RUNGS[1] ? 'suspend' : null), checkpoints);
  assert.deepEqual(second.summaries, []);
  assert.equal(checkpoints[1].epoch, RUNGS[1]);
  assert.equal(checkpoints[1].runId, checkpoints[0].runId, 'the run keeps its id');
  const last = await train(s, { resume: checkpoints[1] }, () => null);
  const started = last.events.find((e) => e.type === 'started');
  assert.equal(started?.type === 'started' && started.resumedAfter, RUNGS[1]);

  const a = folderOf(straight);
  const b = folderOf(last);
  assert.equal(b.rows.length, EPOCHS, 'the resumed folder has every epoch: the checkpoint carried the first ones');
  assert.deepEqual(b.rows, a.rows, 'every epoch\'s metrics and noise std, as trained straight through');
  assert.ok(b.weights.equals(a.weights), 'the same saved weights, byte for byte');
  assert.deepEqual(finalOf(last.summaries[0]), finalOf(straight.summaries[0]));
  assert.equal(last.summaries[0].runId, checkpoints[0].runId);
}

describe('checkpoint at a rung, resumed bit for bit', function () {
  this.timeout(120_000);

  it('Adam, weight noise per batch and every other site: identical metrics and weights', async () => {
    await straightAndResumed(spec({ optimizer: 'adam', learningRate: 0.01 }, 'batch'));
  });

  it('momentum (its accumulators), weight noise held per epoch: identical too', async () => {
    await straightAndResumed(spec({ optimizer: 'momentum', learningRate: 0.05, momentum: 0.9 }, 'epoch'));
  });

  it('sgd, with weight decay and clipping: identical too', async () => {
    await straightAndResumed(spec({ optimizer: 'sgd', learningRate: 0.1, weightDecay: 0.01, clipNorm: 0.5 }, 'batch'));
  });

  it('rmsprop (its mean squares and moments): identical too', async () => {
    await straightAndResumed(spec({ optimizer: 'rmsprop', learningRate: 0.005 }, 'batch'));
  });

  it('without its random streams\' states the resumed run parts from the straight one (the test can fail)', async () => {
    const s = spec({ optimizer: 'adam', learningRate: 0.01 }, 'batch');
    const straight = await train(s, {});
    const checkpoints: RunCheckpoint[] = [];
    await train(s, {}, () => 'suspend', checkpoints);
    // The shuffle stream's state replaced by another.
    const cp = checkpoints[0];
    const restarted = { ...cp, rngs: { ...cp.rngs, shuffle: { ...cp.rngs.shuffle, s: [1, 2, 3, 4] } } };
    const last = await train(s, { resume: restarted }, () => null);
    assert.notDeepEqual(folderOf(last).rows, folderOf(straight).rows);
  });

  it('refuses a checkpoint of another run or another model, saying why', async () => {
    const s = spec({ optimizer: 'adam', learningRate: 0.01 }, 'batch');
    const checkpoints: RunCheckpoint[] = [];
    await train(s, {}, () => 'suspend', checkpoints);
    const cp = checkpoints[0];
    await assert.rejects(train(s, { resume: { ...cp, variant: 'control' } }, () => null), /Cannot resume run .*: it is the control run of repeat 0, not the noise run of repeat 0/);
    const wider = spec({ optimizer: 'adam', learningRate: 0.01 }, 'batch', 17);
    await assert.rejects(train(wider, { resume: cp }, () => null), /another spec/);
    await assert.rejects(train(s, { resume: { ...cp, runId: '../../escape' } }, () => null), /not a path/);
  });
});
