// A run's folder under the runs directory: the resolved spec, metrics.jsonl appended every
// epoch (so a crash or a stop keeps every finished epoch), summary.json, and the trained model
// in TensorFlow.js layers format (model/model.json + weights).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../spec/schema';
import type { RunSummary, SweepTags, TrainerEvent, Variant } from '../protocol/trainer';
import type { Mlp } from './model';
import { saveLayersModel } from './modelFile';

import { experimentFolderName, RUN_FILES } from '../spec/runs';

export const METRICS_FILE = RUN_FILES.metrics;
export const SUMMARY_FILE = RUN_FILES.summary;
export const SPEC_FILE = RUN_FILES.spec;
export { experimentFolderName };

/**
 * A sortable, filesystem-safe run id: 20261127-071503-042-noise-s3. A sweep's runs add the point
 * and fold (…-noise-s3-p4-f1), since parallel runs may start in the same millisecond.
 */
export function makeRunId(variant: Variant, seed: number, now = new Date(), tags: SweepTags = {}): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  const point = tags.point ? `-p${tags.point.index}` : '';
  const fold = tags.fold ? `-f${tags.fold.index}` : '';
  return `${stamp}-${variant}-s${seed}${point}${fold}`;
}

export class RunFolder {
  private readonly metricsFd: number;

  /** Sweep tags added to summary.json (the trainer's summary does not know them). */
  private tags: SweepTags = {};

  private constructor(readonly dir: string) {
    this.metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
  }

  /** <runsDir>/<experiment>/<runId>/, with the resolved spec written first. */
  static create(runsDir: string, spec: Experiment, runId: string, meta: Record<string, unknown>, tags: SweepTags = {}): RunFolder {
    const dir = path.join(runsDir, experimentFolderName(spec), runId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, SPEC_FILE), JSON.stringify({ ...meta, ...tags, spec }, null, 2));
    const folder = new RunFolder(dir);
    folder.tags = tags;
    return folder;
  }

  appendEpoch(event: Extract<TrainerEvent, { type: 'epoch' }>): void {
    const { type: _type, runId: _runId, ...row } = event;
    fs.writeSync(this.metricsFd, JSON.stringify(row) + '\n');
  }

  async finish(summary: RunSummary, mlp: Mlp): Promise<void> {
    fs.closeSync(this.metricsFd);
    if (summary.status !== 'diverged') await saveLayersModel(mlp, path.join(this.dir, 'model'));
    fs.writeFileSync(path.join(this.dir, SUMMARY_FILE), JSON.stringify({ ...summary, ...this.tags }, null, 2));
  }
}

