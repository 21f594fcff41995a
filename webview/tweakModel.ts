// The tweak panel's model, without the DOM: per noise site the values as typed (strings, so a
// half-typed number survives), prefilled from the file's noise; the noise object they describe,
// with every refused value and why (a negative std, NaN, text, an out-of-range parameter); the
// label of what differs from the file; and the run length the schedule preview spans.
import type { Experiment, NoiseSite, NoiseSpec, Schedule } from '../src/spec/schema';
import { describeSchedule } from '../src/spec/schedules';
import { ScheduleSchema, siteEntrySchema } from '../src/spec/noiseSchema';
import { SITE_KEYS, siteInfo, type SiteAmount } from '../src/shared/noiseSites';
import type { TaskName } from '../src/shared/tasks';
/** The noise sites the panel edits, in the registry's order (src/shared/noiseSites.ts). */
export type SiteKind = NoiseSite;
/** Every schedule parameter the panel has a field for. */
export const PARAMS = ['gamma', 'decay', 'factor', 'every', 'end', 'steps'] as const;
export type Param = (typeof PARAMS)[number];
export const SCHEDULE_TYPES = ['constant', 'linear', 'exponential', 'step', 'cosine', 'annealed'] as const;
/** Which parameters each schedule type takes. */
export const PARAMS_OF: Record<Schedule['type'], Param[]> = {
  constant: [],
  linear: ['end', 'steps'],
  exponential: ['decay'],
  step: ['factor', 'every'],
  cosine: ['end', 'steps'],
  annealed: ['gamma'],
};
const PARAM_DEFAULT: Record<Param, string> = { gamma: '0.55', decay: '0.999', factor: '0.5', every: '1000', end: '0', steps: '' };
/** Each parameter's meaning and range, shown as its field's tooltip. */
export const PARAM_HELP: Record<Param, string> = {
  gamma: 'γ: variance decays as 1/(1+t)^γ (0–2)',
  decay: 'factor per t (0 < decay ≤ 1)',
  factor: 'factor every `every` t (0–1)',
  every: 't between changes (integer ≥ 1)',
  end: 'std reached at the end (0–10)',
  steps: 't the change takes (integer ≥ 1; empty: whole run)',
};

export interface SiteTweak {
  kind: SiteKind;
  /** activations: index in the file's list. */
  index: number;
  enabled: boolean;
  std: string;
  type: Schedule['type'];
  per: Schedule['per'];
  params: Record<Param, string>;
  /** Fields the panel does not edit (the registry's `kept`: layer, position, kind, every), kept as in the file. */
  extra: Record<string, unknown>;
}

export interface TweakState {
  /** The file's noise the tweak started from: a saved tweak is only restored onto the same file noise. */
  base: string;
  sites: SiteTweak[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A strict number: no NaN, no Infinity, no trailing text, no empty string. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

const isRegression = (spec: Experiment) => spec.data.task === 'regression' || spec.data.source === 'sine';
const taskOf = (spec: Experiment | null): TaskName => (spec && isRegression(spec) ? 'regression' : 'classification');

/** The schema of one entry of a site (an item of a list site): its fields' bounds and defaults. */
const entrySchema = (kind: SiteKind) => siteEntrySchema(kind) as { properties: Record<string, { default?: unknown; maximum?: number }> };

/** A site's name for people: "layer 0 activations", "targets" for a regression's labels. */
export const siteLabel = (s: SiteTweak, spec: Experiment | null): string => siteInfo(s.kind).name(s.extra as never, taskOf(spec));

/** The amount field of a site: std, the flip probability of class labels, the fraction of input masking. */
export const amountKey = (s: SiteTweak, spec: Experiment | null): string => siteInfo(s.kind).amount(s.extra as never, taskOf(spec));
const amountOf = (s: SiteTweak, spec: Experiment | null): SiteAmount => siteInfo(s.kind).amounts[amountKey(s, spec)];
/** The amount field's label in the panel ("std", "flip p") and its upper bound, the schema's. */
export const amountLabel = (s: SiteTweak, spec: Experiment | null): string => amountOf(s, spec).label;
export const amountMax = (s: SiteTweak, spec: Experiment | null): number => entrySchema(s.kind).properties[amountKey(s, spec)].maximum ?? 10;
/** The slider's lower end (log scale, up to amountMax). */
export const sliderMin = (s: SiteTweak): number => siteInfo(s.kind).sliderMin;
/** What the panel shows after a site's name from its kept fields ("beforeActivation, additive"), or ''. */
export const siteDetail = (s: SiteTweak): string => siteInfo(s.kind).detail(s.extra as never);

function fromSchedule(s: Schedule | undefined, fallback: Schedule['type']): Pick<SiteTweak, 'type' | 'per' | 'params'> {
  const params = { ...PARAM_DEFAULT };
  for (const p of PARAMS) if (s?.[p] !== undefined) params[p] = String(s[p]);
  return { type: s?.type ?? fallback, per: s?.per ?? 'step', params };
}

/** The panel's sites for a file's noise: every site there, plus the absent ones switched off. */
export function tweakFromNoise(noise: NoiseSpec, spec: Experiment | null): SiteTweak[] {
  const sites: SiteTweak[] = [];
  const site = (kind: SiteKind, index: number, n: Record<string, unknown> | undefined): SiteTweak => {
    const { properties } = entrySchema(kind);
    // The kept fields as in the file, else their schema defaults (a field with neither stays out).
    const extra: Record<string, unknown> = {};
    for (const f of siteInfo(kind).kept) if ((n?.[f] ?? properties[f].default) !== undefined) extra[f] = n?.[f] ?? properties[f].default;
    const s: SiteTweak = { kind, index, enabled: n !== undefined, std: '', ...fromSchedule(n?.schedule as Schedule | undefined, (properties.schedule.default as Schedule | undefined)?.type ?? 'constant'), extra };
    const key = amountKey(s, spec);
    s.std = String(n?.[key] ?? properties[key].default ?? siteInfo(kind).amounts[key].start);
    return s;
  };
  for (const kind of SITE_KEYS) {
    const value = noise[kind] as Record<string, unknown> | Record<string, unknown>[] | undefined;
    if (!Array.isArray(value)) sites.push(site(kind, 0, value));
    else if (value.length) value.forEach((entry, i) => sites.push(site(kind, i, entry)));
    else sites.push(site(kind, 0, undefined));
  }
  return sites;
}

export interface BuiltNoise {
  noise: NoiseSpec;
  /** Field id → message, for every refused value. */
  errors: Map<string, string>;
}

/** The DOM id of a site's field, and the key of its refusal in `errors`. */
export const fieldId = (s: SiteTweak, field: string) => `${s.kind}-${s.index}-${field}`;

/** The schedule a site's fields describe; each refused parameter is set in `errors`. */
export function buildSchedule(s: SiteTweak, errors: Map<string, string>): Schedule {
  const schedule: Record<string, unknown> = { type: s.type, per: s.per };
  for (const p of PARAMS_OF[s.type]) {
    const text = s.params[p].trim();
    if (p === 'steps' && text === '') continue;
    const v = parseNumber(text);
    const bad = (msg: string) => errors.set(fieldId(s, p), `${p}: ${msg}`);
    if (v === null) bad('not a number');
    else {
      const refusal = outOfRange(v, ScheduleSchema.properties[p]);
      if (refusal) bad(refusal);
      else schedule[p] = v;
    }
  }
  return schedule as Schedule;
}

/** The noise object the tweak describes (only enabled sites), and what is wrong with it. */
export function buildNoise(sites: SiteTweak[], spec: Experiment | null): BuiltNoise {
  const errors = new Map<string, string>();
  const noise: NoiseSpec = {};
  for (const s of sites) {
    if (!s.enabled) continue;
    const amount = parseNumber(s.std);
    const max = amountMax(s, spec);
    if (amount === null) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: ${amountOf(s, spec).words} is not a number`);
    else if (amount < 0) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: must be ≥ 0`);
    else if (amount > max) errors.set(fieldId(s, 'std'), `${siteLabel(s, spec)}: must be ≤ ${max}`);
    const v = amount ?? 0;
    const schedule = buildSchedule(s, errors);
    // The site's fields in the schema's order: the amount, the schedule, the kept ones as they were.
    const key = amountKey(s, spec);
    const entry: Record<string, unknown> = {};
    for (const f of Object.keys(entrySchema(s.kind).properties)) {
      if (f === key) entry[f] = v;
      else if (f === 'schedule') entry[f] = schedule;
      else if (f in s.extra) entry[f] = s.extra[f];
    }
    const out = noise as Record<string, unknown>;
    if (siteInfo(s.kind).list) ((out[s.kind] ??= []) as unknown[]).push(entry);
    else out[s.kind] = entry;
  }
  return { noise, errors };
}

const siteText = (s: SiteTweak, spec: Experiment | null): string => {
  const name = siteLabel(s, spec);
  if (!s.enabled) return `${name} off`;
  const amount = parseNumber(s.std) ?? 0;
  const schedule = buildSchedule(s, new Map());
  if (amountKey(s, spec) !== 'std') return `${name} ${amountOf(s, spec).short} ${amount}${schedule.type === 'constant' ? '' : `, ${schedule.type}`}`;
  return `${name} ${describeSchedule(amount, schedule)}`;
};

/** What differs from the file, e.g. "input std 0.05, cosine → 0"; "as in the file" when nothing does. */
export function changeLabel(sites: SiteTweak[], fileSites: SiteTweak[], spec: Experiment | null): string {
  const parts: string[] = [];
  for (const s of sites) {
    const f = fileSites.find((x) => x.kind === s.kind && x.index === s.index);
    const one = (x: SiteTweak) => JSON.stringify(buildNoise([x], spec).noise);
    if (f && f.enabled === s.enabled && (!s.enabled || one(f) === one(s))) continue;
    parts.push(siteText(s, spec));
  }
  const label = parts.join('; ') || 'as in the file';
  return label.length > 200 ? `${label.slice(0, 199)}…` : label;
}

/** Total t of a run, in the schedule's unit, for the preview. */
export function totalT(spec: Experiment | null, per: Schedule['per']): number {
  const epochs = spec?.training.epochs ?? 100;
  if (per === 'epoch') return epochs;
  const split = spec?.data.split.train ?? 0.7;
  const samples = spec?.data.samples ?? 100;
  const nTrain = split >= 1 ? split : Math.max(1, Math.round(split * samples));
  return epochs * Math.max(1, Math.ceil(nTrain / (spec?.training.batchSize ?? 32)));
}

/** Why a schedule parameter is out of the spec's range (the schema's own bounds, so the panel and the file agree), or null. */
function outOfRange(v: number, bounds: { minimum?: number; maximum?: number; exclusiveMinimum?: number; type?: unknown }): string | null {
  if (bounds.type === 'integer' && (!Number.isInteger(v) || v < (bounds.minimum ?? -Infinity))) return `must be a whole number ≥ ${bounds.minimum}`;
  const low = bounds.exclusiveMinimum !== undefined ? `> ${bounds.exclusiveMinimum}` : bounds.minimum !== undefined ? `≥ ${bounds.minimum}` : '';
  const tooLow = bounds.exclusiveMinimum !== undefined ? v <= bounds.exclusiveMinimum : bounds.minimum !== undefined && v < bounds.minimum;
  const tooHigh = bounds.maximum !== undefined && v > bounds.maximum;
  if (tooLow || tooHigh) return bounds.maximum === undefined ? `must be ${low}` : bounds.exclusiveMinimum === undefined && bounds.minimum !== undefined ? `must be between ${bounds.minimum} and ${bounds.maximum}` : `must be ${low} and ≤ ${bounds.maximum}`;
  return v > 1e9 ? 'too large' : null;
}
