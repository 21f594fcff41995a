// The model's clean predictions over a grid of the 2-D input plane, for the decision-boundary
// heatmap (as TensorFlow Playground draws it).
import type { BoundaryGrid } from '../protocol/trainer';
import type { PreparedData } from './data';
import { predictLogits, type Mlp } from './model';

const RESOLUTION = 40;
/** The grid's points: each a clean prediction (what drawing the grid costs). */
export const BOUNDARY_POINTS = RESOLUTION * RESOLUTION;

export function boundaryGrid(mlp: Mlp, data: PreparedData, withPoints: boolean): BoundaryGrid {
  const splits = [data.train, data.validation, data.test].filter((s) => s !== undefined);
  const range = (axis: 0 | 1): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of splits) for (let i = 0; i < s.n; i++) [lo, hi] = [Math.min(lo, s.x[2 * i + axis]), Math.max(hi, s.x[2 * i + axis])];
    const margin = 0.1 * (hi - lo || 1);
    return [lo - margin, hi + margin];
  };
  const x = range(0);
  const y = range(1);
  const cells = RESOLUTION * RESOLUTION;
  const points = new Float32Array(cells * 2);
  for (let r = 0; r < RESOLUTION; r++) {
    for (let c = 0; c < RESOLUTION; c++) {
      const i = r * RESOLUTION + c;
      points[2 * i] = x[0] + ((c + 0.5) / RESOLUTION) * (x[1] - x[0]);
      points[2 * i + 1] = y[0] + ((r + 0.5) / RESOLUTION) * (y[1] - y[0]);
    }
  }
  const logits = predictLogits(mlp, points, cells);
  const round = (p: number) => Math.round(p * 1000) / 1000;
  const asPoints = (s: PreparedData['train']) => Array.from({ length: s.n }, (_, i): [number, number, number] => [round(s.x[2 * i]), round(s.x[2 * i + 1]), s.y[i]]);
  const extra = withPoints ? { points: { train: asPoints(data.train), test: asPoints(data.test) } } : {};
  if (mlp.outputs === 1) return { x, y, resolution: RESOLUTION, values: Array.from(logits, (z) => round(1 / (1 + Math.exp(-z)))), ...extra };
  const k = mlp.outputs;
  const values: number[] = [];
  const classes: number[] = [];
  for (let i = 0; i < cells; i++) {
    const row = logits.subarray(i * k, (i + 1) * k);
    const max = Math.max(...row);
    const sum = row.reduce((s, z) => s + Math.exp(z - max), 0);
    const arg = row.indexOf(max);
    classes.push(arg);
    values.push(round(1 / sum));
  }
  return { x, y, resolution: RESOLUTION, values, classes, ...extra };
}
