// The noise-site registry: per site, what every room needs to know about it beyond its format.
// The format itself (fields, bounds, defaults, markdown descriptions) is the site's schema in
// src/spec/noiseSchema.ts, because the spec is the one definition of the file and this module
// may take only types from it; the registry is typed over the spec's sites, so a site with a
// schema and no entry here (or the reverse) does not compile. The trainer's half (key → unit)
// is src/trainer/noise/registry.ts. Derived from here: the sweepable paths offered in the
// schema, which field is a site's amount (the tweak panel's slider, "adds no noise", labels),
// the std columns' names, the fields the tweak panel keeps, and the README's site × layer table.
import type { LayerType, NoiseSite, NoiseSpec } from '../spec/schema';
import { taskUnit, type TaskName } from './tasks';

/** One entry of a site as the file has it: the site's object, or one item of a list site. */
export type SiteEntry<K extends NoiseSite = NoiseSite> = NonNullable<NoiseSpec[K]> extends readonly (infer E)[] ? E : NonNullable<NoiseSpec[K]>;

/** Where a site acts: on the data (inputs, targets), or in the layers of the given types. */
export type SiteScope = { on: 'data'; what: string } | { on: 'layers'; what: string; layers: Readonly<Partial<Record<LayerType, string>>> };

/** A field that holds a site's amount: what its schedule scales and the tweak panel's slider sets. */
export interface SiteAmount {
  /** The tweak panel's label of its field. */
  label: string;
  /** Its name in messages ("flip probability is not a number"). */
  words: string;
  /** Its name in a run's label ("labels flip 0.05"). */
  short: string;
  /** What the panel starts a switched-off site at when the schema gives no default. */
  start?: number;
}

const STD: SiteAmount = { label: 'std', words: 'std', short: 'std' };

export interface NoiseSiteInfo<K extends NoiseSite = NoiseSite> {
  key: K;
  /** A list site has one entry per layer and position (`noise.activations[i]`). */
  list: boolean;
  /** The fields that can hold its amount, by field name. */
  amounts: Readonly<Record<string, SiteAmount>>;
  /** Which of them this entry uses: the one it writes, else the task's (label noise: flips for classes, std for regression targets). */
  amount(entry: Partial<SiteEntry<K>> | undefined, task?: TaskName): string;
  /** This entry's name for people: "input", "layer 0 activations", "targets". */
  name(entry: Partial<SiteEntry<K>> | undefined, task: TaskName): string;
  /** The entry's name in a run's label, before its amount: "input masking", "layer 0", "targets". */
  tag(entry: Partial<SiteEntry<K>>): string;
  /** What the panel shows after the name from the kept fields ("beforeActivation, additive"), or ''. */
  detail(entry: Partial<SiteEntry<K>>): string;
  /** A std column's name for people, from the epoch event's key ("activations.0" → index 0). */
  column(index?: number): string;
  /** The fields the tweak panel shows beside the name and keeps as in the file (it edits the amount and the schedule). */
  kept: readonly (keyof SiteEntry<K> & string)[];
  /** The paths completion offers in `sweep.grid` and `sweep.random.ranges`, with what each is; any other noise parameter works too. */
  sweepable: readonly [path: string, what: string][];
  /** The tweak panel's slider: log scale from `min` to the schema's maximum of the amount. */
  sliderMin: number;
  scope: SiteScope;
}

const WEIGHTED = { dense: 'kernel and bias', conv2d: 'kernels and bias', conv1d: 'kernels and bias', lstm: 'input and recurrent kernels and bias', gru: 'input and recurrent kernels and bias' } as const;

/** The registry, in the order the sites are composed, shown and reported. */
export const NOISE_SITE_INFO: { readonly [K in NoiseSite]: NoiseSiteInfo<K> } = {
  input: {
    key: 'input',
    list: false,
    // fraction's start is spec/noiseSchema.ts' DEFAULT_INPUT_FRACTION (checked by test/unit/noiseSites.test.ts).
    amounts: { std: STD, fraction: { label: 'fraction', words: 'fraction', short: 'fraction', start: 0.25 } },
    amount: (e) => ((e?.kind ?? 'gaussian') === 'gaussian' ? 'std' : 'fraction'),
    name: () => 'input',
    detail: (e) => e.kind ?? '',
    tag: (e) => ((e.kind ?? 'gaussian') === 'gaussian' ? 'input' : `input ${e.kind}`),
    column: () => 'input',
    kept: ['kind'],
    sweepable: [
      ['noise.input.std', 'the input noise std'],
      ['noise.input.fraction', 'the fraction of input values masking or salt-and-pepper noise corrupts'],
    ],
    sliderMin: 1e-4,
    scope: { on: 'data', what: 'every value of a training batch of scaled inputs (features or pixels)' },
  },
  activations: {
    key: 'activations',
    list: true,
    amounts: { std: STD },
    amount: () => 'std',
    name: (e) => `layer ${e?.layer ?? 0} activations`,
    detail: (e) => `${e.position}, ${e.kind}`,
    tag: (e) => `layer ${e.layer}`,
    column: (i) => `layer ${i ?? 0} activations`,
    kept: ['layer', 'position', 'kind'],
    sweepable: [['noise.activations[0].std', 'the std of the first `noise.activations` entry']],
    sliderMin: 1e-4,
    scope: { on: 'layers', what: "a layer's output, before or after its activation", layers: { dense: 'its units', conv2d: 'every value of its feature maps', conv1d: 'every value of its feature maps', lstm: 'its output (every step\'s with returnSequences)', gru: 'its output (every step\'s with returnSequences)' } },
  },
  weights: {
    key: 'weights',
    list: false,
    amounts: { std: STD },
    amount: () => 'std',
    name: () => 'weights',
    detail: (e) => `per ${e.every}`,
    tag: () => 'weights',
    column: () => 'weights',
    kept: ['every'],
    sweepable: [['noise.weights.std', 'the weight noise std']],
    sliderMin: 1e-4,
    scope: { on: 'layers', what: 'the weights the forward and backward pass use (the update goes to the clean ones)', layers: WEIGHTED },
  },
  gradients: {
    key: 'gradients',
    list: false,
    amounts: { std: STD },
    amount: () => 'std',
    name: () => 'gradients',
    detail: () => '',
    column: () => 'gradients',
    tag: () => 'gradients',
    kept: [],
    sweepable: [
      ['noise.gradients.std', 'the gradient noise std (√eta)'],
      ['noise.gradients.schedule.gamma', 'the annealing exponent gamma of gradient noise'],
    ],
    sliderMin: 1e-4,
    scope: { on: 'layers', what: 'every gradient, after clipping', layers: WEIGHTED },
  },
  labels: {
    key: 'labels',
    list: false,
    amounts: { flipProbability: { label: 'flip p', words: 'flip probability', short: 'flip', start: 0.05 }, std: { ...STD, start: 0.1 } },
    amount: (e, task) => (e?.flipProbability !== undefined ? 'flipProbability' : e?.std !== undefined || !task ? 'std' : (taskUnit(task).labelNoise ?? 'std')),
    name: (_e, task) => (taskUnit(task).labelNoise === 'flipProbability' ? 'labels' : 'targets'),
    tag: (e) => (e.flipProbability !== undefined ? 'labels' : 'targets'),
    detail: () => '',
    column: () => 'labels',
    kept: [],
    sweepable: [
      ['noise.labels.flipProbability', 'the label flip probability'],
      ['noise.labels.std', 'the regression target noise std'],
    ],
    sliderMin: 1e-4,
    scope: { on: 'data', what: 'the targets of a training batch: classes flipped, or regression targets jittered' },
  },
};

export const SITE_KEYS = Object.keys(NOISE_SITE_INFO) as NoiseSite[];

export function siteInfo<K extends NoiseSite>(key: K): NoiseSiteInfo<K> {
  return NOISE_SITE_INFO[key];
}

/** Every entry of a noise spec, site by site in the registry's order: a list site gives one per item, with its index. */
export function siteEntries(noise: NoiseSpec): { key: NoiseSite; index: number; entry: SiteEntry }[] {
  const out: { key: NoiseSite; index: number; entry: SiteEntry }[] = [];
  for (const key of SITE_KEYS) {
    const value = noise[key] as SiteEntry | SiteEntry[] | undefined;
    if (value === undefined) continue;
    if (Array.isArray(value)) value.forEach((entry, index) => out.push({ key, index, entry }));
    else out.push({ key, index: 0, entry: value });
  }
  return out;
}

/** The amount an entry of a resolved spec starts from (before its schedule): its amount field, or that field's start when not written (input masking's fraction). */
export function amountOf(key: NoiseSite, entry: SiteEntry): number | undefined {
  const field = siteInfo(key).amount(entry as never);
  return (entry as Record<string, number | undefined>)[field] ?? siteInfo(key).amounts[field]?.start;
}
