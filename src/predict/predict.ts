// Clean predictions of a run's saved model on a CSV's rows: the rows scaled with the scaler its
// training split fitted (from the run folder), through the saved model (no noise site: noise is
// for training only, and the saved model has none), and the outputs said in the data's terms:
// the class by name with each class's probability, a regression's value in the target's units,
// an autoencoder's reconstruction in the inputs' units with its MSE.
import * as tf from '@tensorflow/tfjs-core';
import type { ScalerRecord } from '../trainer/scalerFile';
import type { InputTable } from './inputCsv';
import { PredictError, type RunModel } from './runModel';

/** The columns written beside the input's: their names, and per input record its cells ('' where a record has no sample). */
export interface PredictionColumns {
  header: string[];
  rows: string[][];
}

/** Samples per forward pass: bounds the memory of a large file. */
const BATCH = 4096;

export function predictTable(run: RunModel, table: InputTable, label: string): PredictionColumns {
  const { record } = run;
  const samples = samplesOf(record, table, label);
  const outputs = forwardAll(run, samples.x, samples.n);
  const width = outputs.length / Math.max(1, samples.n);
  const header = outputHeader(record, table.header);
  const rows = table.records.map(() => header.map(() => ''));
  for (let s = 0; s < samples.n; s++) rows[samples.rowOf(s)] = outputCells(record, outputs.subarray(s * width, (s + 1) * width), samples.x.subarray(s * samples.width, (s + 1) * samples.width));
  return { header, rows };
}

interface Samples {
  n: number;
  /** Values per sample. */
  width: number;
  /** Scaled, row-major n × width. */
  x: Float32Array;
  /** The input record a sample's prediction goes beside. */
  rowOf: (sample: number) => number;
}

/** The scaled samples: a row each, or for a series each window of consecutive rows (beside its last row). */
function samplesOf(record: ScalerRecord, table: InputTable, label: string): Samples {
  const k = record.columns.length;
  const rows = table.records.length;
  const scaled = new Float32Array(rows * k);
  for (let i = 0; i < rows * k; i++) scaled[i] = (table.values[i] - record.offset[i % k]) / record.scale[i % k];
  if (record.input.layout === 'rows') return { n: rows, width: k, x: scaled, rowOf: (s) => s };
  const { window } = record.input;
  if (rows < window) throw new PredictError(`${label}: ${rows} rows, but a window of this run is ${window} consecutive rows (time steps); at least ${window} are needed for one prediction.`);
  const n = rows - window + 1;
  const x = new Float32Array(n * window * k);
  // The window ending at row t (its steps t − window + 1 … t, in file order), as the trainer cut them.
  for (let s = 0; s < n; s++) x.set(scaled.subarray(s * k, (s + window) * k), s * window * k);
  return { n, width: window * k, x, rowOf: (s) => s + window - 1 };
}

function forwardAll(run: RunModel, x: Float32Array, n: number): Float32Array {
  const width = x.length / n;
  const parts: Float32Array[] = [];
  for (let from = 0; from < n; from += BATCH) {
    const m = Math.min(BATCH, n - from);
    const out = tf.tidy(() => run.model.predict(tf.tensor(x.subarray(from * width, (from + m) * width), [m, ...run.sampleShape])) as tf.Tensor);
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((at, p) => (all.set(p, at), at + p.length), 0);
  return all;
}

/** The output columns' names, made unique against the input's (a feature called "p_1" keeps its name). */
function outputHeader(record: ScalerRecord, input: string[]): string[] {
  const subject = record.targetColumn ?? (record.task === 'classification' ? 'class' : 'value');
  const ahead = record.input.layout === 'series' ? `_t+${record.input.horizon}` : '';
  const names =
    record.task === 'classification'
      ? [`predicted_${subject}${ahead}`, ...record.classNames!.map((c) => `p_${c}${ahead}`)]
      : record.task === 'regression'
        ? [`predicted_${subject}${ahead}`]
        : [...record.columns.map((c) => `reconstructed_${c.name}`), 'reconstruction_mse'];
  const taken = new Set(input);
  return names.map((name) => {
    let unique = name;
    while (taken.has(unique)) unique = `_${unique}`;
    taken.add(unique);
    return unique;
  });
}

/** One sample's cells: its class and probabilities, its value, or its reconstruction and MSE. */
function outputCells(record: ScalerRecord, out: Float32Array, x: Float32Array): string[] {
  if (record.task === 'classification') {
    const classes = record.classNames!;
    // Two classes have one sigmoid unit: the probability of the second.
    const p = classes.length === 2 && out.length === 1 ? [1 - out[0], out[0]] : Array.from(out);
    const best = p.reduce((b, v, i) => (v > p[b] ? i : b), 0);
    return [classes[best], ...p.map(number)];
  }
  if (record.task === 'regression') return [number(out[0] * record.target!.scale + record.target!.offset)];
  // Reconstruction: the outputs are scaled inputs; their error is in scaled units, as the run's mse metric.
  const k = record.columns.length;
  let squares = 0;
  for (let i = 0; i < out.length; i++) squares += (out[i] - x[i]) ** 2;
  return [...Array.from(out, (v, i) => number(v * record.scale[i % k] + record.offset[i % k])), number(squares / out.length)];
}

/** 7 significant digits: what a 32-bit float (the model's outputs) holds. */
const number = (v: number): string => String(Number(v.toPrecision(7)));
