// The `noise` section: the five places noise can go during training, and the schedule that
// changes a site's std over the run. The trainer keeps one module per site (trainer/noise/), so
// each site's schema and resolved type are exported on its own.
import { Type, TypeGuard, type TObject, type TOptional, type TSchema } from '@sinclair/typebox';
import { Choice, Closed, Defaulted, type Resolved } from './builders';

/** A site's std: same bounds and advice everywhere, only its default and what it perturbs differ. */
const NoiseStd = (defaultStd: number, what: string) =>
  Defaulted(
    Type.Number({
      minimum: 0,
      maximum: 10,
      markdownDescription:
        `Standard deviation of the Gaussian noise added to ${what}, at the start of training (the schedule may change it). ` +
        'Inputs are scaled first, so this is in units of the scaled values: with `standardize`, 0.01–0.3 is the useful range; ' +
        'above 1 the noise drowns the signal. `0` switches this site off.',
    }),
    defaultStd,
  );

export const ScheduleSchema = Closed(
  {
    type: Defaulted(
      Choice(
        [
          ['constant', 'The same std for the whole run.'],
          ['linear', 'From `std` down (or up) to `end` in a straight line over `steps`, then held.'],
          ['exponential', 'Multiplied by `decay` every step (or epoch): std·decay^t.'],
          ['step', 'Multiplied by `factor` every `every` steps (or epochs).'],
          ['cosine', 'Half a cosine from `std` to `end` over `steps`, then held.'],
          ['annealed', 'Variance decays as 1/(1+t)^gamma (Neelakantan et al. 2015): std_t = std·(1+t)^(−gamma/2).'],
        ] as const,
        { markdownDescription: 'How the noise std changes over training. Annealing (large noise early, less later) usually beats a fixed amount.' },
      ),
      'constant',
    ),
    per: Defaulted(
      Choice(
        [
          ['step', 't counts optimizer steps (batches).'],
          ['epoch', 't counts epochs: the std changes once per pass over the training data.'],
        ] as const,
        { markdownDescription: 'What the schedule\'s time t counts.' },
      ),
      'step',
    ),
    gamma: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 2,
        default: 0.55,
        markdownDescription: '`annealed` only: the decay exponent of the variance, eta/(1+t)^gamma. Neelakantan et al. use **0.55**.',
      }),
    ),
    decay: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.999, markdownDescription: '`exponential` only: the factor applied to std every t. 0.999 per step halves it in ≈700 steps.' }),
    ),
    factor: Type.Optional(
      // At most 1, like `decay`: a factor above 1 compounds without bound (2 every step is 2^1000 after 1000 steps); `linear` raises noise to a chosen `end`.
      Type.Number({ minimum: 0, maximum: 1, default: 0.5, markdownDescription: '`step` only: the factor (0–1) applied to std every `every` t.' }),
    ),
    every: Type.Optional(
      Type.Integer({ minimum: 1, default: 1000, markdownDescription: '`step` only: how many t between two changes of std.' }),
    ),
    end: Type.Optional(
      // The same bound as every site's std: an end of 1000 is a std of 1000 by the end of the run.
      Type.Number({ minimum: 0, maximum: 10, default: 0, markdownDescription: '`linear` and `cosine` only: the std reached after `steps` (0–10, like `std`).' }),
    ),
    steps: Type.Optional(
      Type.Integer({ minimum: 1, markdownDescription: '`linear` and `cosine` only: how many t the change takes. Default: the whole run.' }),
    ),
  },
  {
    markdownDescription: 'How this site\'s std changes over training. Default: constant.',
    defaultSnippets: [
      { label: 'annealed (Neelakantan et al.)', body: { type: 'annealed', gamma: 0.55 } },
      { label: 'cosine to zero', body: { type: 'cosine', end: 0 } },
    ],
  },
);

const schedule = Type.Optional(ScheduleSchema);

/** The fraction of inputs that masking and salt-and-pepper corrupt when `fraction` is not written (Vincent et al. 2010's usual ν). */
export const DEFAULT_INPUT_FRACTION = 0.25;

export const InputNoiseSchema = Closed(
  {
    // No JSON default: a file without `kind` resolves exactly as before kinds existed (gaussian).
    kind: Type.Optional(
      Choice(
        [
          ['gaussian', 'x + N(0, std²) on every value (the default).'],
          ['masking', 'Each value set to 0 with probability `fraction`, fresh each batch (Vincent et al. 2008, 2010: masking noise).'],
          [
            'saltAndPepper',
            'Each value set, with probability `fraction`, to the minimum or the maximum (a fair coin) of the scaled training inputs, fresh each batch (Vincent et al. 2010).',
          ],
        ] as const,
        {
          markdownDescription:
            'What the input corruption is. Default `gaussian`. `masking` and `saltAndPepper` are the corruptions of denoising ' +
            'autoencoders (Vincent et al. 2008, "Extracting and composing robust features with denoising autoencoders"; 2010, ' +
            '"Stacked denoising autoencoders"): they take `fraction`, not `std`.',
        },
      ),
    ),
    std: NoiseStd(0.1, 'every batch of inputs'),
    fraction: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        markdownDescription:
          `\`masking\` and \`saltAndPepper\` only: the probability (0–1) that each input value of a training batch is corrupted, ` +
          `drawn afresh for every value of every batch, at the start of training (the schedule changes it as it changes a std). ` +
          `Default ${DEFAULT_INPUT_FRACTION}. Masking sets a value to 0 of the *scaled* inputs: with \`normalize\` that is each ` +
          'feature\'s training minimum, with `standardize` its training mean. Salt-and-pepper sets it to the minimum or the maximum ' +
          'of the scaled training split, half each: per feature for rows of features (each has its own range), over all pixels ' +
          'for images (one scale covers them, as Vincent et al.\'s 0 and 1), so the values stay in the range the model sees.',
      }),
    ),
    schedule,
  },
  {
    markdownDescription:
      '**Input noise**: fresh noise on each training batch of inputs. By default ("jitter") Gaussian noise of `std`, the most common kind: ' +
      'scale the inputs first (`data.scale: "standardize"`) so one std fits every feature; like a Tikhonov penalty, it smooths the ' +
      'function the model learns. `kind: "masking"` or `"saltAndPepper"` corrupts a `fraction` of the values instead (Vincent et al. 2008, 2010). ' +
      'Noise is for **training only**: validation, test and prediction always see clean inputs.',
    defaultSnippets: [
      { label: 'input noise', body: { std: 0.1 } },
      { label: 'masking noise', body: { kind: 'masking', fraction: DEFAULT_INPUT_FRACTION } },
      { label: 'salt-and-pepper noise', body: { kind: 'saltAndPepper', fraction: 0.1 } },
    ],
  },
);

export const ActivationNoiseSchema = Closed(
  {
    layer: Defaulted(Type.Integer({ minimum: 0, markdownDescription: 'Which layer (0 = the first) gets the noise: an index of `model.hidden`, or of `model.layers`, where it must be a dense or conv2d layer (on a conv layer the noise goes on every value of its feature maps).' }), 0),
    std: NoiseStd(0.1, 'this hidden layer\'s activations'),
    position: Defaulted(
      Choice(
        [
          ['beforeActivation', 'Added to the pre-activations (the linear output), then the activation is applied.'],
          ['afterActivation', 'Added to the layer\'s output, after its activation.'],
        ] as const,
        { markdownDescription: 'Where in the layer the noise goes.' },
      ),
      'afterActivation',
    ),
    kind: Defaulted(
      Choice(
        [
          ['additive', 'x + N(0, std²).'],
          ['multiplicative', 'x · N(1, std²): Gaussian-dropout style, scales with the activation.'],
        ] as const,
        { markdownDescription: 'Additive or multiplicative Gaussian noise.' },
      ),
      'additive',
    ),
    schedule,
  },
  {
    markdownDescription: 'Noise on one hidden layer\'s activations during training.',
    defaultSnippets: [{ label: 'hidden noise', body: { layer: 0, std: 0.1, position: 'beforeActivation' } }],
  },
);

export const WeightNoiseSchema = Closed(
  {
    std: NoiseStd(0.01, 'the weights'),
    every: Defaulted(
      Choice(
        [
          ['batch', 'A fresh perturbation for every batch.'],
          ['epoch', 'One perturbation held for a whole epoch.'],
          ['sequence', 'A fresh perturbation of every recurrent layer\'s weights for each training sequence of a batch (Graves et al. 2013: "once per training sequence"), held over its steps; other layers\' weights get one per batch. Models with an lstm or gru layer only.'],
        ] as const,
        { markdownDescription: 'How often a new weight perturbation is drawn.' },
      ),
      'batch',
    ),
    schedule,
  },
  {
    markdownDescription:
      '**Weight noise** (Graves 2011): the forward and backward pass use weights plus Gaussian noise, drawn once per batch ' +
      '(or epoch); the update is applied to the clean weights. It regularizes strongly and slows convergence, so pair it with ' +
      '`training.earlyStopping` (Graves did): keep the best clean validation epoch rather than the last.',
    defaultSnippets: [{ label: 'weight noise', body: { std: 0.01, every: 'batch' } }],
  },
);

export const GradientNoiseSchema = Closed(
  {
    std: NoiseStd(0.1, 'every gradient (after clipping)'),
    schedule: Defaulted(ScheduleSchema, { type: 'annealed', per: 'step', gamma: 0.55 }),
  },
  {
    markdownDescription:
      '**Gradient noise** (Neelakantan et al. 2015, "Adding Gradient Noise Improves Learning for Very Deep Networks"): ' +
      'Gaussian noise on every gradient, with variance eta/(1+t)^gamma. Here eta = std², so their eta ∈ {0.01, 0.3, 1.0} ' +
      'is std ∈ {0.1, 0.548, 1.0}; gamma = **0.55**. The schedule defaults to `annealed`, which beat fixed noise in their ' +
      'experiments; it helps most with deep, narrow networks that are hard to optimize.',
    defaultSnippets: [{ label: 'annealed gradient noise', body: { std: 0.1, schedule: { type: 'annealed', gamma: 0.55 } } }],
  },
);

export const LabelNoiseSchema = Closed(
  {
    flipProbability: Type.Optional(
      Type.Number({ minimum: 0, maximum: 0.5, markdownDescription: 'Classification: each training label is replaced by another class with this probability, fresh each batch. 0.05 is a mild setting.' }),
    ),
    std: Type.Optional(
      Type.Number({ minimum: 0, maximum: 10, markdownDescription: 'Regression: Gaussian noise on the (scaled) targets of each training batch.' }),
    ),
    schedule,
  },
  {
    markdownDescription: '**Label/target noise**: flip classes with `flipProbability`, or jitter regression targets with `std`. Training only.',
    defaultSnippets: [
      { label: 'label flips', body: { flipProbability: 0.05 } },
      { label: 'target noise', body: { std: 0.1 } },
    ],
  },
);

/**
 * Every site's schema, in the order sites are composed and shown: `noise` is built from this, and
 * the registry (src/shared/noiseSites.ts) and the trainer's units (trainer/noise/registry.ts) are
 * typed over its keys, so a new site is its schema here, its registry entry and its trainer unit.
 */
export const SITE_SCHEMAS = {
  input: InputNoiseSchema,
  activations: Type.Array(ActivationNoiseSchema, {
    markdownDescription:
      'Noise on hidden layers\' activations, one entry per layer and position. `layer` counts from 0 and must exist in ' +
      '`model.hidden` (or `model.layers`, a dense or conv2d layer). Usual std: 0.1 (Brownlee\'s circles study puts it before the relu).',
    defaultSnippets: [{ label: 'hidden noise on layer 0', body: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] }],
  }),
  weights: WeightNoiseSchema,
  gradients: GradientNoiseSchema,
  labels: LabelNoiseSchema,
};

type SiteSchemas = typeof SITE_SCHEMAS;
const siteNames = (Object.keys(SITE_SCHEMAS) as (keyof SiteSchemas)[]).map((k) => `\`${k}\``);

export const NoiseSchema = Closed(
  Object.fromEntries(Object.entries(SITE_SCHEMAS).map(([k, schema]) => [k, Type.Optional(schema)])) as { [K in keyof SiteSchemas]: TOptional<SiteSchemas[K]> },
  {
    markdownDescription:
      `Where and how much noise to add **during training**. Missing or empty means no noise. The sites: ${siteNames.join(', ')}. ` +
      'The right amount is not known in advance: compare against the clean `control` over several `repeats`.',
    defaultSnippets: [{ label: 'input + hidden noise', body: { input: { std: 0.01 }, activations: [{ layer: 0, std: 0.1, position: 'beforeActivation' }] } }],
  },
);

/** The schema of one entry of a site: the site's object, or an item of a list site (activations). */
export function siteEntrySchema(site: keyof SiteSchemas): TObject {
  const schema: TSchema = SITE_SCHEMAS[site];
  return (TypeGuard.IsArray(schema) ? schema.items : schema) as TObject;
}

export type Schedule = Resolved<typeof ScheduleSchema>;
export type InputNoise = Resolved<typeof InputNoiseSchema>;
export type ActivationNoise = Resolved<typeof ActivationNoiseSchema>;
export type WeightNoise = Resolved<typeof WeightNoiseSchema>;
export type GradientNoise = Resolved<typeof GradientNoiseSchema>;
export type LabelNoise = Resolved<typeof LabelNoiseSchema>;
export type NoiseSpec = Resolved<typeof NoiseSchema>;
export type NoiseSite = keyof NoiseSpec;
export const NOISE_SITES = Object.keys(SITE_SCHEMAS) as NoiseSite[];
