// A sweep's points: parameter paths ("noise.activations[0].std"), the grid's product or the
// random samples, and a point written into an experiment. Pure and without TensorFlow, so the
// validator, the CLI and the extension host all plan the same points.
import { ExperimentSchema, type ExperimentInput, type SweepSpec, type SweepValue } from './schema';
import type { JsonPath } from './problems';
import { mulberry32 } from '../shared/mulberry32';

/** One point of a sweep: a value for every swept path, in the order the file lists the paths. */
export interface SweepPoint {
  index: number;
  values: Record<string, SweepValue>;
}

/** "noise.activations[0].std" → ["noise", "activations", 0, "std"]; undefined if malformed. */
export function parseParameterPath(text: string): JsonPath | undefined {
  if (!/^[A-Za-z_$][\w$]*(\[\d+\])*(\.[A-Za-z_$][\w$]*(\[\d+\])*)*$/.test(text)) return undefined;
  const path: JsonPath = [];
  for (const part of text.split('.')) {
    const [name, ...indices] = part.split('[');
    path.push(name, ...indices.map((i) => Number(i.slice(0, -1))));
  }
  return path;
}

export interface ParameterInfo {
  type: 'number' | 'integer' | 'string' | 'boolean';
  enum?: string[];
}

/** What the schema says about the value at `path`: a leaf's type, or why it is not one. */
export function parameterAt(path: JsonPath): ParameterInfo | { problem: 'unknown' | 'notALeaf' } {
  let node: Record<string, any> | undefined = ExperimentSchema;
  for (const key of path) {
    node = typeof key === 'number' ? (node?.type === 'array' ? node.items : undefined) : node?.properties?.[key];
    if (!node) return { problem: 'unknown' };
  }
  const type = node.type as string;
  if (type === 'number' || type === 'integer' || type === 'string' || type === 'boolean') return { type, ...(node.enum ? { enum: node.enum } : {}) };
  return { problem: 'notALeaf' };
}

/** Every noise parameter's path, with [0] for arrays: the candidates for "did you mean". */
export function noiseParameterPaths(): string[] {
  const paths: string[] = [];
  const walk = (node: Record<string, any>, prefix: string) => {
    if (node.type === 'array') return walk(node.items, `${prefix}[0]`);
    if (node.type !== 'object') return void paths.push(prefix);
    for (const [k, child] of Object.entries<Record<string, any>>(node.properties ?? {})) walk(child, `${prefix}.${k}`);
  };
  walk(ExperimentSchema.properties.noise, 'noise');
  return paths;
}

/** The swept paths in file order. */
export function sweptPaths(sweep: SweepSpec): string[] {
  return Object.keys(sweep.grid ?? sweep.random?.ranges ?? sweep.bayes?.ranges ?? {});
}

/** The points in a stable order: the grid's product (the first path varies slowest), or the samples. */
export function sweepPoints(sweep: SweepSpec, experimentSeed: number): SweepPoint[] {
  if (sweep.grid) {
    let combos: Record<string, SweepValue>[] = [{}];
    for (const [p, values] of Object.entries(sweep.grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [p]: v })));
    return combos.map((values, index) => ({ index, values }));
  }
  const random = sweep.random;
  if (!random) return [];
  const next = mulberry32(random.seed ?? experimentSeed);
  const integers = integerPaths(random.ranges);
  return Array.from({ length: random.points }, (_, index) => {
    const values: Record<string, SweepValue> = {};
    for (const [p, r] of Object.entries(random.ranges)) values[p] = rangeValue(next(), r, integers.has(p));
    return { index, values };
  });
}

/** A range of sampled values, as random and Bayesian search give them. */
export interface SweepRange {
  min: number;
  max: number;
  scale?: 'linear' | 'log';
}

/** The paths of ranges whose parameter is an integer (their values are rounded to whole numbers). */
export function integerPaths(ranges: Record<string, SweepRange>): Set<string> {
  return new Set(Object.keys(ranges).filter((p) => (parameterAt(parseParameterPath(p) ?? []) as ParameterInfo).type === 'integer'));
}

/** The value at u ∈ [0, 1] of a range (in log(value) on a log scale), as a point holds it. */
export function rangeValue(u: number, r: SweepRange, integer: boolean): number {
  const x = r.scale === 'log' ? Math.exp(Math.log(r.min) + u * (Math.log(r.max) - Math.log(r.min))) : r.min + u * (r.max - r.min);
  // Three significant digits: values that read well in a table and in the file when applied.
  // Rounding must not leave the range (a min of 0.001234 would round to 0.00123).
  return Math.min(r.max, Math.max(r.min, integer ? Math.round(x) : Number(x.toPrecision(3))));
}

/** Where a value sits in its range, in [0, 1]: the inverse of rangeValue before its rounding. */
export function rangeUnit(value: number, r: SweepRange): number {
  return r.scale === 'log' ? (Math.log(value) - Math.log(r.min)) / (Math.log(r.max) - Math.log(r.min)) : (value - r.min) / (r.max - r.min);
}

/** A point's identity, independent of where it sits in the list (for resuming). */
export function pointKey(values: Record<string, SweepValue>): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** "noise.input.std=0.1, noise.activations[0].std=0.3" */
export function formatPoint(values: Record<string, SweepValue>): string {
  return Object.entries(values).map(([p, v]) => `${p}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}

/** The file as written with the point's values set (objects created as needed) and no sweep. */
export function applyPoint(input: ExperimentInput, values: Record<string, SweepValue>): ExperimentInput {
  const copy = structuredClone(input) as Record<string, unknown>;
  delete copy.sweep;
  for (const [p, value] of Object.entries(values)) {
    const path = parseParameterPath(p);
    if (!path) continue;
    let at = copy as Record<string | number, unknown>;
    path.slice(0, -1).forEach((key, i) => {
      if (typeof at[key] !== 'object' || at[key] === null) at[key] = typeof path[i + 1] === 'number' ? [] : {};
      at = at[key] as Record<string | number, unknown>;
    });
    at[path[path.length - 1]] = value;
  }
  return copy as ExperimentInput;
}

