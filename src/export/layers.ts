// One unit per layer type, as the trainer's registry (trainer/layers/index.ts): the PyTorch module
// a layer becomes and the lines of its forward pass, with the activation-noise hook where the
// trainer has one (before and after the activation). Typed over every layer type of the spec, so
// a new type does not compile until it has an entry here, if only a refusal by name.
import type { LayerSpec } from '../spec/schema';

type LayerType = LayerSpec['type'];
type Layer<K extends LayerType> = Extract<LayerSpec, { type: K }>;

export interface LayerExport<K extends LayerType> {
  /** Why this layer has no faithful PyTorch form here (the script would train something else), or undefined. */
  refuse?(layer: Layer<K>): string;
  /** The module's constructor, given the flat size of its input; null for a layer without parameters. */
  module?(layer: Layer<K>, inputs: number): string;
  /** Its flat output size. */
  outputs(layer: Layer<K>, inputs: number): number;
  /** Forward lines from `h` to `h`; `m` is this layer's module, `index` its place in model.layers. */
  forward(layer: Layer<K>, index: number, m: string): string[];
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

/** A layer type the exporter does not write yet: refused by name, never approximated. */
const notYet = (what: string): LayerExport<any> => ({
  refuse: () => `${what} is not exported to PyTorch yet (the exporter writes dense networks).`,
  outputs: () => 0,
  forward: () => [],
});

// Spread into the registry below, so that it also covers a layer type being added to the spec in
// another change (conv1d) without failing to compile before that change lands.
const NOT_YET = {
  conv2d: notYet('A conv2d layer'),
  conv1d: notYet('A conv1d layer'),
  maxPool2d: notYet('A maxPool2d layer'),
  flatten: notYet('A flatten layer'),
  reshape: notYet('A reshape layer'),
  upSampling2d: notYet('An upSampling2d layer'),
  lstm: notYet('An lstm layer'),
  gru: notYet('A gru layer'),
};

export const LAYER_EXPORTS: { readonly [K in LayerType]: LayerExport<K> } = {
  dense: {
    // nn.Linear(in, out) holds W as out × in; xavier_uniform_ draws it with Keras' glorot_uniform limit √(6/(in+out)).
    module: (layer, inputs) => `nn.Linear(${inputs}, ${layer.units})`,
    outputs: (layer) => layer.units,
    forward: (layer, index, m) => {
      const act = ACTIVATION[layer.activation];
      return [
        `h = ${m}(h)  # model.layers[${index}]: dense, ${layer.units} ${layer.activation}`,
        `h = hook(${index}, "beforeActivation", h)`,
        ...(act ? [`h = ${act}(h)`] : []),
        `h = hook(${index}, "afterActivation", h)`,
        // Inverted dropout after the layer's noise, as the trainer applies it (train.ts).
        ...(layer.dropout > 0 ? [`h = F.dropout(h, ${layer.dropout}, self.training)`] : []),
      ];
    },
  },
  ...NOT_YET,
};

export function layerExport<K extends LayerType>(layer: Layer<K>): LayerExport<K> {
  return LAYER_EXPORTS[layer.type as K] as LayerExport<K>;
}
