// The shape of every layer, worked out from the data before anything runs: a conv on flat
// rows, a kernel or pool window larger than its input, a dense layer or the output on an image,
// a reshape that does not hold its input's values, and activation noise on a layer without an
// activation are each said at their line, with the shapes the layers before would produce.
import type { Experiment, ExperimentInput, LayerSpec, ModelSpec } from './schema';
import type { JsonPath, ProblemList } from './problems';
import { inputShapeOf, type InputShape } from './inputShape';

/** The model's layers: `layers` as written, or `hidden` as the dense layers it is shorthand for. */
export function modelLayers(model: ModelSpec): LayerSpec[] {
  return model.layers ?? model.hidden.map((l) => ({ type: 'dense' as const, ...l }));
}

/** Layer kinds that end in an activation, where activation noise can act. */
export function hasActivation(layer: LayerSpec): boolean {
  return layer.type === 'dense' || layer.type === 'conv2d' || layer.type === 'conv1d' || layer.type === 'lstm' || layer.type === 'gru';
}

export interface LayerShape {
  /** The shape of one sample after this layer; null for a dimension not known before a CSV is read. */
  shape: InputShape;
  /** Weights and biases. */
  parameters: number;
}

export interface ShapeProblem {
  layer: number;
  key?: string;
  message: string;
}

/** "8×8×1" for an image, "24 steps × 1 feature" for a sequence, "64 features" for a flat row, "? features" for a CSV's. */
export function formatShape(shape: InputShape): string {
  const features = (n: number | null) => (n === null ? '? features' : `${n} feature${n === 1 ? '' : 's'}`);
  if (shape.length === 1) return features(shape[0]);
  if (shape.length === 2) return `${shape[0] ?? '?'} steps × ${features(shape[1])}`;
  return shape.map((d) => d ?? '?').join('×');
}

/** "a 8×8×1 image", "a sequence of 24 steps × 1 feature", "a flat row of 64 features". */
function describeInput(shape: InputShape): string {
  if (shape.length === 3) return `a ${formatShape(shape)} image`;
  if (shape.length === 2) return `a sequence of ${formatShape(shape)}`;
  return `a flat row of ${formatShape(shape)}`;
}

const size = (shape: InputShape) => (shape.some((d) => d === null) ? null : (shape as number[]).reduce((a, b) => a * b, 1));

/** One layer's output shape, or the reason it has none (the trainer builds its layers with it too). */
export function layerOutput(layer: LayerSpec, input: InputShape): LayerShape | { problem: string; key?: string } {
  const image = input.length === 3;
  const needsImage = () => ({ problem: `${layer.type} needs an image (height × width × channels), but its input is ${describeInput(input)}: put a reshape before it, or use dense layers on rows.` });
  switch (layer.type) {
    case 'dense':
      if (input.length !== 1) return { problem: `dense needs a flat input, but its input is ${describeInput(input)}: put a flatten before it.` };
      return { shape: [layer.units], parameters: input[0] === null ? layer.units : (input[0] + 1) * layer.units };
    case 'conv2d': {
      if (!image) return needsImage();
      const [h, w, c] = input as number[];
      if (layer.padding === 'valid' && (layer.kernelSize > h || layer.kernelSize > w)) {
        return { key: 'kernelSize', problem: `The ${layer.kernelSize}×${layer.kernelSize} kernel is larger than its ${formatShape(input)} input: use a kernelSize of at most ${Math.min(h, w)}, or "padding": "same".` };
      }
      const out = (d: number) => (layer.padding === 'same' ? Math.ceil(d / layer.strides) : Math.floor((d - layer.kernelSize) / layer.strides) + 1);
      return { shape: [out(h), out(w), layer.filters], parameters: (layer.kernelSize * layer.kernelSize * c + 1) * layer.filters };
    }
    case 'conv1d': {
      if (input.length !== 2) return { problem: `conv1d needs a sequence (steps × features), but its input is ${describeInput(input)}: use a sequence source (data.sequence), or a reshape to [steps, features] before it.` };
      const [steps, features] = input as [number, number | null];
      if (layer.padding === 'valid' && layer.kernelSize > steps) return { key: 'kernelSize', problem: `The kernel of ${layer.kernelSize} steps is longer than its ${formatShape(input)} input: use a kernelSize of at most ${steps}, or "padding": "same".` };
      const out = layer.padding === 'same' ? Math.ceil(steps / layer.strides) : Math.floor((steps - layer.kernelSize) / layer.strides) + 1;
      return { shape: [out, layer.filters], parameters: features === null ? layer.filters : (layer.kernelSize * features + 1) * layer.filters };
    }
    case 'maxPool2d': {
      if (!image) return needsImage();
      const [h, w, c] = input as number[];
      const strides = layer.strides ?? layer.poolSize;
      if (layer.poolSize > h || layer.poolSize > w) return { key: 'poolSize', problem: `The ${layer.poolSize}×${layer.poolSize} pool window is larger than its ${formatShape(input)} input: use a poolSize of at most ${Math.min(h, w)}.` };
      const out = (d: number) => Math.floor((d - layer.poolSize) / strides) + 1;
      return { shape: [out(h), out(w), c], parameters: 0 };
    }
    case 'upSampling2d': {
      if (!image) return needsImage();
      const [h, w, c] = input as number[];
      return { shape: [h * layer.size, w * layer.size, c], parameters: 0 };
    }
    case 'lstm':
    case 'gru': {
      if (input.length !== 2) return { problem: `${layer.type} needs a sequence (steps × features), but its input is ${describeInput(input)}: use a sequence source (data.sequence), or a reshape to [steps, features] before it.` };
      const [steps, features] = input;
      const gates = layer.type === 'lstm' ? 4 : 3;
      return { shape: layer.returnSequences ? [steps, layer.units] : [layer.units], parameters: features === null ? gates * layer.units : gates * layer.units * (features + layer.units + 1) };
    }
    case 'flatten':
      return { shape: [size(input)], parameters: 0 };
    case 'reshape': {
      const have = size(input);
      const want = layer.targetShape.reduce((a, b) => a * b, 1);
      if (have !== null && have !== want) return { key: 'targetShape', problem: `reshape to ${layer.targetShape.join('×')} needs ${want} values, but its input ${formatShape(input)} has ${have}.` };
      return { shape: [...layer.targetShape], parameters: 0 };
    }
  }
}

/** Every layer's shape from the data's input, up to the first layer that does not fit (its problem). */
export function layerShapes(spec: Experiment, csvFeatures?: number): { input: InputShape; shapes: LayerShape[]; problem?: ShapeProblem } {
  const input = inputShapeOf(spec, csvFeatures);
  const shapes: LayerShape[] = [];
  const layers = modelLayers(spec.model);
  for (const [i, layer] of layers.entries()) {
    const out = layerOutput(layer, shapes.at(-1)?.shape ?? input);
    if ('problem' in out) return { input, shapes, problem: { layer: i, key: out.key, message: `model.layers[${i}]: ${out.problem} ${chain(input, layers, shapes)}` } };
    shapes.push(out);
  }
  const last = shapes.at(-1)?.shape ?? input;
  if (last.length !== 1) return { input, shapes, problem: { layer: layers.length - 1, message: `The output layer needs a flat input, but the last layer gives ${describeInput(last)}: end with a flatten. ${chain(input, layers, shapes)}` } };
  return { input, shapes };
}

/** "Shapes: input 8×8×1 → [0] conv2d 6×6×16 → [1] maxPool2d 3×3×16." */
function chain(input: InputShape, layers: LayerSpec[], shapes: LayerShape[]): string {
  return `Shapes: input ${formatShape(input)}${shapes.map((s, i) => ` → [${i}] ${layers[i].type} ${formatShape(s.shape)}`).join('')}.`;
}

/** `hidden` and `layers` at once, a stack that does not fit its input, activation noise on a layer without an activation. */
export function checkShapes(input: ExperimentInput, spec: Experiment, problems: ProblemList, csvFeatures?: number): void {
  if (input.model?.layers && input.model.hidden) {
    problems.error(['model', 'layers'], 'model.hidden and model.layers both give the layers: keep one ("hidden" is shorthand for dense layers).', 'key');
    return;
  }
  if (!spec.model.layers) return;
  const { shapes, problem } = layerShapes(spec, csvFeatures);
  if (problem) {
    const at: JsonPath = ['model', 'layers', problem.layer, ...(problem.key ? [problem.key] : [])];
    problems.error(at, problem.message, problem.key ? 'value' : 'key');
  }
  const layers = spec.model.layers;
  (input.noise?.activations ?? []).forEach((a, i) => {
    const index = a.layer ?? 0;
    const where: JsonPath = ['noise', 'activations', i, 'layer'];
    const candidates = layers.flatMap((l, k) => (hasActivation(l) ? [`${k} (${l.type}${shapes[k] ? `, ${formatShape(shapes[k].shape)}` : ''})`] : []));
    const choose = candidates.length ? `layers with one: ${candidates.join(', ')}` : 'no layer has one';
    if (index >= layers.length) problems.error(where, `Layer ${index} does not exist: model.layers has ${layers.length} (0–${layers.length - 1}); ${choose}.`);
    else if (!hasActivation(layers[index])) problems.error(where, `Layer ${index} is a ${layers[index].type}, which has no activation to put noise on; ${choose}.`);
  });
}
