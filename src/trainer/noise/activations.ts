// Activation noise on hidden layers: additive x + N(0, σ²) or multiplicative x · N(1, σ²)
// (Gaussian-dropout style), before or after the layer's activation: on a dense layer's units, on
// every value of a conv layer's feature maps.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationNoise } from '../../spec/schema';
import type { Rng } from '../random';
import { GaussianBuffer, scheduledStd, type Clock, type LayerNoise, type NoiseSite } from './site';

export function activationNoise(configs: ActivationNoise[], rng: Rng, clock: Clock): NoiseSite {
  const entries = configs.map((c) => ({ ...c, current: scheduledStd(c.std, c.schedule, clock) }));
  const draws = new GaussianBuffer(rng);
  // A layer whose after-activation entries are all additive gets their sum from addAfterActivation,
  // which the forward pass adds inside the dense op; the hooks below then skip those entries.
  const after = (layer: number) => entries.filter((e) => e.layer === layer && e.position === 'afterActivation');
  const folded = (layer: number) => after(layer).length > 0 && after(layer).every((e) => e.kind !== 'multiplicative');
  const apply = (position: ActivationNoise['position'], layer: number, h: tf.Tensor): tf.Tensor => {
    if (position === 'afterActivation' && folded(layer)) return h;
    for (const e of entries) {
      if (e.layer !== layer || e.position !== position) continue;
      const s = e.current();
      if (s === 0) continue;
      const noise = tf.tensor(draws.draw(h.size, s, e.kind === 'multiplicative' ? 1 : 0), h.shape);
      h = e.kind === 'multiplicative' ? tf.mul(h, noise) : tf.add(h, noise);
    }
    return h;
  };
  // The fused step's arrays, one per layer and draw (each is read again by the backward pass).
  const arrays = new Map<string, Float32Array>();
  const layerNoise = (layer: number, size: number, into?: (k: number) => Float32Array): LayerNoise => {
    let slot = 0;
    const fresh = () => {
      if (into) return into(slot++);
      const key = `${layer}:${slot++}`;
      let a = arrays.get(key);
      if (a?.length !== size) arrays.set(key, (a = new Float32Array(size)));
      return a;
    };
    const out: LayerNoise = { pre: [], post: [] };
    // The order of the forward pass's hooks: the folded sum (addAfterActivation), then before, then the other after entries.
    const stds = folded(layer) ? after(layer).map((e) => e.current()).filter((s) => s !== 0) : [];
    const drawsBefore = entries.some((e) => e.layer === layer && e.position === 'beforeActivation' && e.current() !== 0);
    if (stds.length === 1 && !drawsBefore) {
      // The layer's only draw: made when the fused step has the output to add it to (the same draw, the same values).
      out.onto = (h, into) => rng.addNoise(into, stds[0], h);
      return out;
    }
    if (folded(layer)) {
      let sum: Float32Array | null = null;
      for (const e of after(layer)) {
        const s = e.current();
        if (s === 0) continue;
        if (!sum) sum = rng.fillNormal(fresh(), s);
        else rng.addNormal(sum, s);
      }
      if (sum) out.post.push({ multiply: false, values: sum, slot: 0 });
    }
    for (const position of ['beforeActivation', 'afterActivation'] as const) {
      if (position === 'afterActivation' && folded(layer)) break;
      for (const e of entries) {
        if (e.layer !== layer || e.position !== position) continue;
        const s = e.current();
        if (s === 0) continue;
        const multiply = e.kind === 'multiplicative';
        const k = slot;
        out[position === 'beforeActivation' ? 'pre' : 'post'].push({ multiply, values: rng.fillNormal(fresh(), s, multiply ? 1 : 0), slot: k });
      }
    }
    return out;
  };
  // Only the hooks a position uses: without a pre-activation hook the forward pass fuses relu into its matMul.
  const at = (position: ActivationNoise['position']) => entries.some((e) => e.position === position);
  const before: Pick<NoiseSite, 'preActivation'> = !at('beforeActivation')
    ? {}
    : {
        preActivation: (layer, z) => apply('beforeActivation', layer, z),
      };
  if (!at('afterActivation')) return { std: () => entries.map((e) => e.current()), ...before, layerNoise };
  return {
    std: () => entries.map((e) => e.current()),
    ...before,
    layerNoise,
    postActivation: (layer, h) => apply('afterActivation', layer, h),
    addAfterActivation: (layer, shape) => {
      if (!folded(layer)) return null;
      const size = shape.reduce((a, b) => a * b, 1);
      let sum: Float32Array | null = null;
      for (const e of after(layer)) {
        const s = e.current();
        if (s === 0) continue;
        if (!sum) sum = draws.draw(size, s);
        else rng.addNormal(sum, s);
      }
      return sum && tf.tensor(sum, shape);
    },
  };
}
