// The script's network: model.layers as their PyTorch units (layers.ts), each given the shapes
// the trainer works out for it (spec/shapes.ts), then the output layer the task asks for. The data
// come as flat rows; an image is reshaped as the trainer reshapes it (height × width × channels)
// and held as PyTorch's N × C × H × W, a sequence as N × steps × features.
import type { Experiment } from '../spec/schema';
import { layerOutput, modelLayers } from '../spec/shapes';
import { layerExport } from './layers';
import { indent } from './py';

export function netClass(spec: Experiment, features: number, inputShape: number[] | undefined): string[] {
  const layers = modelLayers(spec.model);
  const modules: string[] = [];
  const definitions = new Set<string>();
  const forward: string[] = [];
  // Dense layers alone (\`hidden\`, or \`layers\` of dense only) see an image or a window as one flat row, as the trainer's MLP does.
  if (layers.every((l) => l.type === 'dense')) inputShape = undefined;
  let shape = inputShape ?? [features];
  layers.forEach((layer, i) => {
    const unit = layerExport(layer);
    const out = layerOutput(layer, shape);
    // The validator checked the shapes before (and the trainer again on a CSV's features).
    if ('problem' in out) throw new Error(`model.layers[${i}]: ${out.problem}`);
    const module = unit.module?.(layer as never, shape);
    const m = module ? `self.layers[${modules.length}]` : '';
    if (module) modules.push(module);
    if (unit.definition) definitions.add(unit.definition);
    forward.push(...unit.forward(layer as never, i, m, shape, out.shape as number[]));
    shape = out.shape as number[];
  });
  const input =
    !inputShape || inputShape.length === 1
      ? []
      : inputShape.length === 3
        ? [`h = h.reshape(-1, ${inputShape.join(', ')}).permute(0, 3, 1, 2)  # the rows as ${inputShape.join('×')} images (channels last, as stored), then N × C × H × W`]
        : [`h = h.reshape(-1, ${inputShape.join(', ')})  # the rows as sequences of ${inputShape[0]} steps × ${inputShape[1]} feature${inputShape[1] === 1 ? '' : 's'}`];
  return [
    ...definitions,
    '',
    'class Net(nn.Module):',
    '    """model.layers, then the output layer the task asks for; Keras\' initializers (glorot_uniform kernels, zero biases; KerasRecurrent has its own)."""',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    `        self.layers = nn.ModuleList([${modules.join(', ')}])`,
    `        self.output = nn.Linear(${shape[0]}, OUTPUTS)`,
    '        for m in self.modules():',
    '            if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d)):',
    '                nn.init.xavier_uniform_(m.weight)',
    '                nn.init.zeros_(m.bias)',
    '',
    '    def forward(self, x, hook=lambda layer, position, h: h):',
    '        """hook: activation noise (training only); evaluation passes none."""',
    '        h = x',
    ...indent([...input, ...forward], 8),
    '        return self.output(h)',
    '',
  ];
}
