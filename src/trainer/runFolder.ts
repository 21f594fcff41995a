// A run's folder under the runs directory: the resolved spec, metrics.jsonl appended every
// epoch (so a crash or a stop keeps every finished epoch), summary.json, and the trained model
// in TensorFlow.js layers format (model/model.json + weights). Its JSON files are written
// atomically and metrics.jsonl only ever ends in a whole line, so that a full disk or a kill
// leaves files a reader can take whole, never a torn or empty one.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../spec/schema';
import type { RunSummary, SweepTags, TrainerEvent, Variant } from '../protocol/trainer';
import type { Mlp } from './model';
import { saveLayersModel } from './modelFile';
import { writeFileAtomic } from './atomicFile';
import { SCALER_FILE, type ScalerRecord } from './scalerFile';

import { experimentFolderName, RUN_FILES } from '../spec/runs';

export const METRICS_FILE = RUN_FILES.metrics;
export const SUMMARY_FILE = RUN_FILES.summary;
export const SPEC_FILE = RUN_FILES.spec;
export { experimentFolderName };
/** Beside the experiments' folders (a dot keeps it out of every listing of runs): data the trainers share, see data/sharedDataset.ts. */
export const datasetCacheDir = (runsDir: string): string => path.join(runsDir, '.cache', 'datasets');

/**
 * A sortable, filesystem-safe run id: 20261127-071503-042-noise-s3-9f3a1c2e. A sweep's runs add
 * the point and fold (…-noise-s3-p4-f1-…). The random suffix keeps ids apart when runs of the
 * same variant and seed start in the same millisecond (warm trainers running one experiment
 * again); RunFolder.create still refuses an id whose folder exists.
 */
export function makeRunId(variant: Variant, seed: number, now = new Date(), tags: SweepTags = {}): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  const point = tags.point ? `-p${tags.point.index}` : '';
  const fold = tags.fold ? `-f${tags.fold.index}` : '';
  return `${stamp}-${variant}-s${seed}${point}${fold}-${randomBytes(4).toString('hex')}`;
}

/** A run folder's file could not be written: the run ends failed with this reason ("disk full: …"). */
export class RunFolderError extends Error {}

/** `e` from writing `what` in `dir`, said as the run's reason. */
export function writeError(e: unknown, what: string, dir: string): RunFolderError {
  const code = (e as NodeJS.ErrnoException).code;
  const cause = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk full' : 'cannot write';
  return new RunFolderError(`${cause}: ${what} could not be written in ${dir} (${code ?? (e as Error).message})`);
}

/** How often create draws a new id when the folder exists (it never appends to another run's). */
const CREATE_ATTEMPTS = 5;

export class RunFolder {
  /** Bytes of metrics.jsonl that are whole lines: a failed append is cut back to it. */
  private metricsBytes = 0;

  /** Sweep tags added to summary.json (the trainer's summary does not know them). */
  private tags: SweepTags = {};

  /** What predicting with the saved model needs besides it (scalerFile.ts), saved in its folder. */
  private scaler: ScalerRecord | undefined;

  private constructor(
    readonly dir: string,
    readonly runId: string,
    private readonly metricsFd: number,
  ) {}

  /**
   * <runsDir>/<experiment>/<runId>/, a new folder with the resolved spec written first. `newId`
   * is asked again when the folder exists already. Throws RunFolderError when it cannot be
   * written (and leaves no folder behind). `scaler` is saved with the model.
   */
  static create(runsDir: string, spec: Experiment, newId: () => string, meta: Record<string, unknown>, tags: SweepTags = {}, scaler?: ScalerRecord): RunFolder {
    const parent = path.join(runsDir, experimentFolderName(spec));
    const { dir, runId } = makeOwnDir(parent, newId);
    let metricsFd: number | undefined;
    try {
      writeFileAtomic(path.join(dir, SPEC_FILE), JSON.stringify({ ...meta, ...tags, spec }, null, 2));
      metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'ax');
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw writeError(e, metricsFd === undefined ? SPEC_FILE : METRICS_FILE, dir);
    }
    const folder = new RunFolder(dir, runId, metricsFd);
    folder.tags = tags;
    folder.scaler = scaler;
    return folder;
  }

  /**
   * A suspended run's folder again (its checkpoint's runId), to go on from its checkpoint: made if
   * this machine never had it (a queue's worker), its spec written again and metrics.jsonl
   * rewritten as the checkpoint's lines, dropping any epoch trained past it before a crash.
   */
  static resume(runsDir: string, spec: Experiment, runId: string, metrics: string[], meta: Record<string, unknown>, tags: SweepTags = {}, scaler?: ScalerRecord): RunFolder {
    const dir = path.join(runsDir, experimentFolderName(spec), runId);
    let metricsFd: number;
    try {
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(path.join(dir, SPEC_FILE), JSON.stringify({ ...meta, ...tags, spec }, null, 2));
      writeFileAtomic(path.join(dir, METRICS_FILE), metrics.map((l) => l + '\n').join(''));
      // A summary left by the stop that interrupted it (cancelled, failed) no longer says how it ends.
      fs.rmSync(path.join(dir, SUMMARY_FILE), { force: true });
      metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
    } catch (e) {
      throw writeError(e, 'the resumed run folder', dir);
    }
    const folder = new RunFolder(dir, runId, metricsFd);
    folder.metricsBytes = fs.fstatSync(metricsFd).size;
    folder.tags = tags;
    folder.scaler = scaler;
    return folder;
  }

  /** metrics.jsonl's whole lines so far (a run's checkpoint carries them). */
  metricsLines(): string[] {
    const text = fs.readFileSync(path.join(this.dir, METRICS_FILE)).subarray(0, this.metricsBytes).toString();
    return text.split('\n').filter((l) => l.length > 0);
  }

  /** Appends one epoch's line, whole or not at all; throws RunFolderError when it cannot. */
  appendEpoch(event: Extract<TrainerEvent, { type: 'epoch' }>): void {
    const { type: _type, runId: _runId, ...row } = event;
    const line = Buffer.from(JSON.stringify(row) + '\n');
    try {
      // A full disk can take part of a write: the rest is written or the part is taken back.
      for (let done = 0; done < line.length; ) done += fs.writeSync(this.metricsFd, line, done, line.length - done);
      this.metricsBytes += line.length;
    } catch (e) {
      try {
        fs.ftruncateSync(this.metricsFd, this.metricsBytes);
      } catch {
        // Nothing more to do: the readers skip a torn last line (dataFiles/metricsFile.ts).
      }
      throw writeError(e, METRICS_FILE, this.dir);
    }
  }

  private closed = false;

  /** Closes metrics.jsonl; again is a no-op. A run that throws calls it too, so a long-lived trainer leaks no descriptor. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.metricsFd);
  }

  /**
   * Saves the model (unless the run diverged or failed) and summary.json, and returns the
   * summary as it ended: a file that could not be written fails the run with the reason (its
   * finished epochs stay in metrics.jsonl).
   */
  async finish(summary: RunSummary, mlp: Mlp): Promise<RunSummary> {
    this.close();
    let ended = summary;
    if (summary.status !== 'diverged' && summary.status !== 'failed') {
      const modelDir = path.join(this.dir, 'model');
      try {
        // Before the model: a model.json present always has its scaler.
        if (this.scaler) {
          fs.mkdirSync(modelDir, { recursive: true });
          writeFileAtomic(path.join(modelDir, SCALER_FILE), JSON.stringify(this.scaler));
        }
        await saveLayersModel(mlp, modelDir);
      } catch (e) {
        // No half a model (weights without model.json); and what it took may be room for the summary.
        fs.rmSync(modelDir, { recursive: true, force: true });
        ended = { ...summary, status: 'failed', reason: writeError(e, 'the model', this.dir).message };
      }
    }
    try {
      writeFileAtomic(path.join(this.dir, SUMMARY_FILE), JSON.stringify({ ...ended, ...this.tags }, null, 2));
    } catch (e) {
      // A run that ended with a reason keeps its status and adds this one; any other fails with it.
      ended = ended.reason ? { ...ended, reason: `${ended.reason}; ${SUMMARY_FILE} not written either` } : { ...ended, status: 'failed', reason: writeError(e, SUMMARY_FILE, this.dir).message };
    }
    return ended;
  }
}

/** Creates <parent>/<id>/ for a new id: the run's own folder must not exist (EEXIST: another id). */
function makeOwnDir(parent: string, newId: () => string): { dir: string; runId: string } {
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw writeError(e, 'the experiment folder', parent);
  }
  for (let attempt = 1; ; attempt++) {
    const runId = newId();
    const dir = path.join(parent, runId);
    try {
      fs.mkdirSync(dir);
      return { dir, runId };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(e, 'the run folder', dir);
      if (attempt === CREATE_ATTEMPTS) throw new RunFolderError(`${CREATE_ATTEMPTS} new run ids in a row already had a folder in ${parent}`);
    }
  }
}
