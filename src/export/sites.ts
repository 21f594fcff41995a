// One unit per noise site, as the trainer's (trainer/noise/registry.ts): the Python a PyTorch user
// would write for it, as one method of the script's `Noisy` class, which the training step calls
// at the same place the trainer calls the site's hook. Typed over every site of the spec, so a new
// site does not compile until it has an entry here. Each site draws from its own generator,
// seeded by the run seed and its name, so turning one site on does not change another's draws.
import { ScheduleSchema, type NoiseSite, type NoiseSpec, type Schedule } from '../spec/schema';
import { inputCorruption } from '../spec/inputNoise';
import { pyLiteral } from './py';

export interface SiteExport<K extends NoiseSite> {
  /** Why this configuration has no faithful PyTorch form here, or undefined. */
  refuse?(config: NonNullable<NoiseSpec[K]>): string | undefined;
  /** The method of `Noisy` (the hook the step calls) and its body. */
  method(config: NonNullable<NoiseSpec[K]>): string[];
  /** Class attributes the method reads (the configuration, where it is a table). */
  constants?(config: NonNullable<NoiseSpec[K]>): string[];
}

/** A schedule as the script's `level` reads it, every default written out (ScheduleSchema's, as spec/schedules.ts reads them). */
export function scheduleLiteral(schedule: Schedule | undefined): string {
  if (!schedule || schedule.type === 'constant') return 'None';
  const P = ScheduleSchema.properties;
  const param = (key: 'gamma' | 'decay' | 'factor' | 'every' | 'end') => schedule[key] ?? (P[key].default as number);
  return pyLiteral({ type: schedule.type, per: schedule.per, gamma: param('gamma'), decay: param('decay'), factor: param('factor'), every: param('every'), end: param('end'), steps: schedule.steps ?? null });
}

/** How weight noise's ε is drawn, by `every`. */
const WEIGHT_DRAWS: Record<NonNullable<NoiseSpec['weights']>['every'], string[]> = {
  batch: ['    return {name: p + s * torch.randn(p.shape, generator=self.gen_weights) for name, p in model.named_parameters()}'],
  epoch: [
    '    if self.held_epoch != self.clock.epoch:',
    '        self.held_epoch = self.clock.epoch',
    '        self.held = {name: s * torch.randn(p.shape, generator=self.gen_weights) for name, p in model.named_parameters()}',
    '    return {name: p + self.held[name] for name, p in model.named_parameters()}',
  ],
  // Graves et al. 2013: a recurrent layer's weights drawn once per training sequence, n of them for
  // a batch of n, each held over its steps (KerasRecurrent takes them as [n, ...]: torch.bmm); the
  // other layers' per batch. p + ε broadcasts, so each sequence's gradient sums into the clean p.
  sequence: [
    '    per_sequence = {f"{name}.{p}" for name, m in model.named_modules() if isinstance(m, KerasRecurrent) for p in ("weight", "bias")}',
    '    return {name: p + s * torch.randn((n, *p.shape) if name in per_sequence else p.shape, generator=self.gen_weights) for name, p in model.named_parameters()}',
  ],
};

export const SITE_EXPORTS: { readonly [K in NoiseSite]: SiteExport<K> } = {
  input: {
    method: (config) => {
      const { kind, amount } = inputCorruption(config);
      const level = `level(${amount}, ${scheduleLiteral(config.schedule)}, self.clock)`;
      const head = ['def inputs(self, x):', `    # noise.input: ${kind}, on every training batch of scaled inputs`];
      if (kind === 'gaussian') return [...head, `    s = ${level}`, '    return x + s * torch.randn(x.shape, generator=self.gen_input) if s > 0 else x'];
      // A schedule may rise past 1: at most every value is corrupted.
      const fraction = [`    f = min(1.0, ${level})`, '    if f == 0:', '        return x', '    u = torch.rand(x.shape, generator=self.gen_input)'];
      if (kind === 'masking') return [...head, ...fraction, '    return torch.where(u < f, torch.zeros_like(x), x)'];
      // One draw decides both whether a value is corrupted (u < f) and which end (u < f/2: the minimum, pepper).
      return [...head, ...fraction, '    return torch.where(u < f, torch.where(u < f / 2, self.train_min, self.train_max), x)'];
    },
  },
  labels: {
    method: (config) => {
      const flips = config.flipProbability !== undefined;
      const level = `level(${config.flipProbability ?? config.std ?? 0}, ${scheduleLiteral(config.schedule)}, self.clock)`;
      const head = ['def labels(self, y):', `    a = ${level}`, '    if a == 0:', '        return y'];
      if (!flips) return [...head, '    # noise.labels: Gaussian noise on the (scaled) regression targets', '    return y + a * torch.randn(y.shape, generator=self.gen_labels)'];
      return [
        ...head,
        '    # noise.labels: each label flipped with probability a to one of the other classes, uniformly',
        '    flip = torch.rand(y.shape, generator=self.gen_labels) < a',
        '    other = torch.randint(0, CLASSES - 1, y.shape, generator=self.gen_labels).to(y.dtype)',
        '    other = torch.where(other >= y, other + 1, other)',
        '    return torch.where(flip, other, y)',
      ];
    },
  },
  activations: {
    method: () => [
      'def activation(self, layer, position, h):',
      '    # noise.activations: additive h + N(0, s²) or multiplicative h · N(1, s²), before or after the activation',
      '    for e in self.ACTIVATION_NOISE:',
      '        if e["layer"] != layer or e["position"] != position:',
      '            continue',
      '        s = level(e["std"], e["schedule"], self.clock)',
      '        if s == 0:',
      '            continue',
      '        eps = s * torch.randn(h.shape, generator=self.gen_activations)',
      '        h = h * (1 + eps) if e["kind"] == "multiplicative" else h + eps',
      '    return h',
    ],
    constants: (entries) => [
      'ACTIVATION_NOISE = [',
      ...entries.map((e) => `    {"layer": ${e.layer}, "position": ${JSON.stringify(e.position)}, "kind": ${JSON.stringify(e.kind)}, "std": ${e.std}, "schedule": ${scheduleLiteral(e.schedule)}},`),
      ']',
    ],
  },
  weights: {
    method: (config) => [
      'def weights(self, model, n):',
      `    # noise.weights: the forward and backward pass see w + N(0, s²), drawn every ${config.every}; the update goes to the clean w`,
      `    s = level(${config.std}, ${scheduleLiteral(config.schedule)}, self.clock)`,
      '    if s == 0:',
      '        return None',
      ...WEIGHT_DRAWS[config.every],
    ],
  },
  gradients: {
    method: (config) => [
      'def gradients(self, model):',
      '    # noise.gradients: N(0, s²) on every gradient after clipping (Neelakantan et al. 2015)',
      `    s = level(${config.std}, ${scheduleLiteral(config.schedule)}, self.clock)`,
      '    if s == 0:',
      '        return',
      '    for p in model.parameters():',
      '        p.grad.add_(s * torch.randn(p.grad.shape, generator=self.gen_gradients))',
    ],
  },
};
