// The layer registry: one entry per `type` of model.layers, each made from its spec and the
// shapes of one sample before and after it (spec/shapes.ts). A new layer type is its file and
// its line here (and its schema in spec/modelSchema.ts, its shape in spec/shapes.ts).
import type { LayerSpec, LayerType } from '../../spec/schema';
import type { LayerUnit } from './unit';
import { dense } from './dense';
import { conv2d } from './conv2d';
import { conv1d } from './conv1d';
import { maxPool2d } from './maxPool2d';
import { flatten } from './flatten';
import { reshape } from './reshape';
import { upSampling2d } from './upSampling2d';
import { lstm } from './lstm';
import { gru } from './gru';

/** `first`: the layer takes the data itself, so no gradient with respect to its input is needed. */
export const LAYERS: { [K in LayerType]: (spec: Extract<LayerSpec, { type: K }>, input: number[], output: number[], first: boolean) => LayerUnit } = {
  dense,
  conv2d,
  conv1d,
  maxPool2d,
  flatten,
  reshape,
  upSampling2d,
  lstm,
  gru,
};
