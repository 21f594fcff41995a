// How many weights a model asks for, bounded: a 100,000 × 100,000 layer pair validates by the
// schema (each layer alone is allowed) and then fails in the trainer with "Invalid typed array
// length". The bound keeps every sensible small-data MLP: 50 M parameters is ≈1 GB of arrays
// with Adam (weights, gradients and two moments, 4 bytes each, plus a noisy copy), which a
// laptop trains; seven layers of 2,500 units are ≈38 M.
import type { Experiment } from './schema';
import type { ProblemList } from './problems';
import { inputShapeOf } from './inputShape';
import { layerShapes } from './shapes';

export const MAX_PARAMETERS = 50_000_000;

/** Inputs of a generator's samples; a CSV's are unknown here, so its first layer counts one. */
function features(spec: Experiment): number {
  return inputShapeOf(spec).reduce<number>((n, d) => n * (d ?? 1), 1);
}

/** Reports a model beyond MAX_PARAMETERS at the layer that takes it there. */
export function checkModelSize(spec: Experiment, problems: ProblemList, csvFeatures?: number): void {
  if (spec.model.layers) return checkLayersSize(spec, problems, csvFeatures);
  let inputs = features(spec);
  let total = 0;
  for (const [i, layer] of spec.model.hidden.entries()) {
    total += inputs * layer.units + layer.units;
    if (total > MAX_PARAMETERS) {
      const from = i === 0 ? `${inputs} input${inputs === 1 ? '' : 's'}` : `the ${inputs.toLocaleString('en-US')} units of layer ${i - 1}`;
      problems.error(['model', 'hidden', i, 'units'], `The model is too large to train: with this layer (${layer.units.toLocaleString('en-US')} units, from ${from}) it has ${total.toLocaleString('en-US')} parameters or more; at most ${MAX_PARAMETERS.toLocaleString('en-US')}. Use fewer units.`);
      return;
    }
    inputs = layer.units;
  }
}

/** The same bound over model.layers, from each layer's parameters as its shapes give them. */
function checkLayersSize(spec: Experiment, problems: ProblemList, csvFeatures?: number): void {
  let total = 0;
  for (const [i, { parameters }] of layerShapes(spec, csvFeatures).shapes.entries()) {
    total += parameters;
    if (total > MAX_PARAMETERS) {
      problems.error(['model', 'layers', i], `The model is too large to train: with this layer (${spec.model.layers![i].type}) it has ${total.toLocaleString('en-US')} parameters or more; at most ${MAX_PARAMETERS.toLocaleString('en-US')}. Use fewer units or filters.`, 'key');
      return;
    }
  }
}
