// One unit per layer type, as the trainer's registry (trainer/layers/index.ts): the PyTorch module
// a layer becomes and the lines of its forward pass, with the activation-noise hook where the
// trainer has one (before and after the activation). Typed over every layer type of the spec, so
// a new type does not compile until it has an entry here, if only a refusal by name
// (`refuse: () => 'A … layer is not exported to PyTorch yet.'`).
// Shapes are the trainer's (spec/shapes.ts: an image height × width × channels, a sequence steps ×
// features); in the script an image is held as PyTorch's N × C × H × W between layers and turned
// back to channels-last where the trainer's flat order matters (flatten, reshape).
import type { LayerSpec } from '../spec/schema';
import { KERAS_RECURRENT } from './recurrent';

type LayerType = LayerSpec['type'];
type Layer<K extends LayerType> = Extract<LayerSpec, { type: K }>;

export interface LayerExport<K extends LayerType> {
  /** Why this layer has no faithful PyTorch form here (the script would train something else), or undefined. */
  refuse?(layer: Layer<K>): string;
  /** The module's constructor, given one sample's input shape (the trainer's); none for a layer without parameters. */
  module?(layer: Layer<K>, input: number[]): string;
  /** Python the module needs defined before the network (a class), shared by every layer that names it. */
  definition?: string;
  /** Forward lines from `h` to `h`; `m` is this layer's module, `index` its place in model.layers. */
  forward(layer: Layer<K>, index: number, m: string, input: number[], output: number[]): string[];
}

/** PyTorch's function for each activation the spec allows (tfjs' elu and selu have PyTorch's constants). */
const ACTIVATION: Record<Layer<'dense'>['activation'], string | null> = {
  relu: 'torch.relu',
  tanh: 'torch.tanh',
  sigmoid: 'torch.sigmoid',
  elu: 'F.elu',
  selu: 'F.selu',
  linear: null,
};

/** The hooks around a layer's activation, as the trainer's stack calls them (stack.ts). */
const activated = (index: number, activation: Layer<'dense'>['activation']): string[] => {
  const act = ACTIVATION[activation];
  return [`h = hook(${index}, "beforeActivation", h)`, ...(act ? [`h = ${act}(h)`] : []), `h = hook(${index}, "afterActivation", h)`];
};

/** `h` (N × C × H × W for an image) in the trainer's channels-last order, flat per sample. */
const channelsLastFlat = (input: number[]) => (input.length === 3 ? 'h.permute(0, 2, 3, 1).flatten(1)' : 'h.flatten(1)');

/** TensorFlow's padding of one dimension: "same" gives ceil(size / strides) outputs, the odd pixel after (at the bottom, at the right). */
function tfPadding(padding: 'same' | 'valid', size: number, out: number, k: number, strides: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  const total = Math.max((out - 1) * strides + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const recurrent = (kind: 'lstm' | 'gru'): LayerExport<'lstm' | 'gru'> => ({
  module: (layer, input) => `KerasRecurrent(${JSON.stringify(kind)}, ${input[1]}, ${layer.units}, ${layer.returnSequences ? 'True' : 'False'})`,
  definition: KERAS_RECURRENT,
  forward: (layer, index, m) => [
    `h = ${m}(h)  # model.layers[${index}]: ${kind}, ${layer.units} units${layer.returnSequences ? ', every step' : ', the last step'}`,
    // The cell's tanh and sigmoids are inside it: its activation is linear, its hooks on its outputs (trainer/layers/recurrent.ts).
    ...activated(index, 'linear'),
  ],
});

export const LAYER_EXPORTS: { readonly [K in LayerType]: LayerExport<K> } = {
  dense: {
    // nn.Linear(in, out) holds W as out × in; xavier_uniform_ draws it with Keras' glorot_uniform limit √(6/(in+out)).
    module: (layer, input) => `nn.Linear(${input[0]}, ${layer.units})`,
    forward: (layer, index, m) => [
      `h = ${m}(h)  # model.layers[${index}]: dense, ${layer.units} ${layer.activation}`,
      ...activated(index, layer.activation),
      // Inverted dropout after the layer's noise, as the trainer applies it (train.ts).
      ...(layer.dropout > 0 ? [`h = F.dropout(h, ${layer.dropout}, self.training)`] : []),
    ],
  },
  conv2d: {
    // nn.Conv2d's weight is filters × channels × k × k; xavier_uniform_ counts Keras' fans (k·k·channels in, k·k·filters out).
    module: (layer, input) => `nn.Conv2d(${input[2]}, ${layer.filters}, ${layer.kernelSize}, stride=${layer.strides})`,
    forward: (layer, index, m, input, output) => {
      const [top, bottom] = tfPadding(layer.padding, input[0], output[0], layer.kernelSize, layer.strides);
      const [left, right] = tfPadding(layer.padding, input[1], output[1], layer.kernelSize, layer.strides);
      const padded = top + bottom + left + right > 0;
      return [
        `# model.layers[${index}]: conv2d, ${layer.filters} ${layer.kernelSize}×${layer.kernelSize} ${layer.activation}, strides ${layer.strides}, "${layer.padding}"${padded ? ": TensorFlow's padding, the odd row and column after (F.pad: left, right, top, bottom)" : ''}`,
        padded ? `h = ${m}(F.pad(h, (${left}, ${right}, ${top}, ${bottom})))` : `h = ${m}(h)`,
        ...activated(index, layer.activation),
      ];
    },
  },
  conv1d: {
    // A sequence is N × steps × features here, nn.Conv1d's input N × features × steps; its weight is filters × features × k.
    module: (layer, input) => `nn.Conv1d(${input[1]}, ${layer.filters}, ${layer.kernelSize}, stride=${layer.strides})`,
    forward: (layer, index, m, input, output) => {
      const [before, after] = tfPadding(layer.padding, input[0], output[0], layer.kernelSize, layer.strides);
      const steps = before + after > 0 ? `F.pad(h.transpose(1, 2), (${before}, ${after}))` : 'h.transpose(1, 2)';
      return [
        `# model.layers[${index}]: conv1d, ${layer.filters} of ${layer.kernelSize} steps ${layer.activation}, strides ${layer.strides}, "${layer.padding}"${before + after > 0 ? ": TensorFlow's padding, the odd step after" : ''}`,
        `h = ${m}(${steps}).transpose(1, 2)`,
        ...activated(index, layer.activation),
      ];
    },
  },
  maxPool2d: {
    forward: (layer, index) => [`h = F.max_pool2d(h, ${layer.poolSize}, ${layer.strides ?? layer.poolSize})  # model.layers[${index}]: maxPool2d, "valid"`],
  },
  flatten: {
    // The trainer flattens channels-last (row, column, channel): the next dense layer's weights expect that order.
    forward: (_layer, index, _m, input) => [`h = ${channelsLastFlat(input)}  # model.layers[${index}]: flatten, channels last as the trainer's`],
  },
  reshape: {
    forward: (layer, index, _m, input) => [
      `h = ${channelsLastFlat(input)}.reshape(-1, ${layer.targetShape.join(', ')})${layer.targetShape.length === 3 ? '.permute(0, 3, 1, 2)' : ''}  # model.layers[${index}]: reshape to ${layer.targetShape.join('×')} (channels last)`,
    ],
  },
  upSampling2d: {
    forward: (layer, index) => [`h = F.interpolate(h, scale_factor=${layer.size}, mode="nearest")  # model.layers[${index}]: upSampling2d, each pixel ${layer.size}×${layer.size} times`],
  },
  lstm: recurrent('lstm') as LayerExport<'lstm'>,
  gru: recurrent('gru') as LayerExport<'gru'>,
};

export function layerExport<K extends LayerType>(layer: Layer<K>): LayerExport<K> {
  return LAYER_EXPORTS[layer.type as K] as LayerExport<K>;
}
