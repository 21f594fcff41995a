// A run's folder under the runs directory: the resolved spec, metrics.jsonl appended every
// epoch (so a crash or a stop keeps every finished epoch), summary.json, and the trained model
// in TensorFlow.js layers format (model/model.json + weights).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../spec/schema';
import type { RunSummary, TrainerEvent, Variant } from '../protocol/trainer';
import type { Mlp } from './model';
import { saveLayersModel } from './modelFile';

export const METRICS_FILE = 'metrics.jsonl';
export const SUMMARY_FILE = 'summary.json';
export const SPEC_FILE = 'spec.json';

/** A sortable, filesystem-safe run id: 20261127-071503-042-noise-s3. */
export function makeRunId(variant: Variant, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  return `${stamp}-${variant}-s${seed}`;
}

export class RunFolder {
  private readonly metricsFd: number;

  private constructor(readonly dir: string) {
    this.metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
  }

  /** <runsDir>/<experiment>/<runId>/, with the resolved spec written first. */
  static create(runsDir: string, spec: Experiment, runId: string, meta: Record<string, unknown>): RunFolder {
    const dir = path.join(runsDir, safeName(spec.name ?? 'experiment'), runId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, SPEC_FILE), JSON.stringify({ ...meta, spec }, null, 2));
    return new RunFolder(dir);
  }

  appendEpoch(event: Extract<TrainerEvent, { type: 'epoch' }>): void {
    const { type: _type, runId: _runId, ...row } = event;
    fs.writeSync(this.metricsFd, JSON.stringify(row) + '\n');
  }

  async finish(summary: RunSummary, mlp: Mlp): Promise<void> {
    fs.closeSync(this.metricsFd);
    if (summary.status !== 'diverged') await saveLayersModel(mlp, path.join(this.dir, 'model'));
    fs.writeFileSync(path.join(this.dir, SUMMARY_FILE), JSON.stringify(summary, null, 2));
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80) || 'experiment';
}
