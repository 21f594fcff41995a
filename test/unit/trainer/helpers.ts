// Shared by the trainer tests: a spec from a partial file, and an in-process run that
// collects every event.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { validateExperiment, type Experiment } from '../../../src/spec';
import type { RunSummary, TrainerEvent } from '../../../src/protocol/trainer';
import { runExperiment } from '../../../src/trainer/experiment';

export const REPO = path.join(__dirname, '..', '..', '..');

/** Validates a spec object as if it were a file in examples/; throws on problems. */
export function specOf(input: object): Experiment {
  const result = validateExperiment(JSON.stringify(input), { filePath: path.join(REPO, 'examples', 'test.noiseexp.json') });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.spec;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-test-'));
}

export async function runCollect(
  spec: Experiment,
  options: { runsDir?: string | null; onEvent?: (e: TrainerEvent, abort: () => void) => void } = {},
): Promise<{ summaries: RunSummary[]; events: TrainerEvent[] }> {
  const events: TrainerEvent[] = [];
  const controller = new AbortController();
  const summaries = await runExperiment(
    { spec, runsDir: options.runsDir ?? null, baseDir: path.join(REPO, 'examples') },
    (e) => {
      events.push(e);
      options.onEvent?.(e, () => controller.abort());
    },
    controller.signal,
  );
  return { summaries, events };
}

export function epochsOf(events: TrainerEvent[], runId?: string): Extract<TrainerEvent, { type: 'epoch' }>[] {
  return events.filter((e): e is Extract<TrainerEvent, { type: 'epoch' }> => e.type === 'epoch' && (!runId || e.runId === runId));
}
