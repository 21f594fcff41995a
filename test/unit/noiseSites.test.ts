// The noise-site registry's claim (src/shared/noiseSites.ts): a site is its schema in spec, its
// registry entry and its trainer unit, and everything else follows. Walks the registry and checks
// each site where the rest of the project meets it: the schema (as generated), the sweepable
// paths (offered by completion and accepted by the validator), the tweak panel's model, run labels, the
// trainer's units and the epoch's std, the dashboard's std columns, and the README's table of
// sites by layer type against what the validator and the layers' parameters say.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOISE_SITE_INFO, SITE_KEYS, siteEntries } from '../../src/shared/noiseSites';
import { DEFAULT_INPUT_FRACTION, NOISE_SITES, siteEntrySchema } from '../../src/spec/noiseSchema';
import { schemaDocument } from '../../src/spec';
import { describeNoise } from '../../src/spec/schedules';
import { validateExperiment } from '../../src/spec/validate';
import { layerShapes } from '../../src/spec/shapes';
import type { Experiment, LayerType, NoiseSpec } from '../../src/spec/schema';
import { buildNoise, tweakFromNoise } from '../../webview/tweakModel';
import { Store } from '../../webview/state';
import { SITE_UNITS } from '../../src/trainer/noise/registry';
import { Noise, type Clock } from '../../src/trainer/noise';
import { initBackend } from '../../src/trainer/backend';
import type { RunInfo } from '../../src/protocol/webview';

const ROOT = join(__dirname, '..', '..');

function validate(json: object): { spec?: Experiment; errors: string[] } {
  const v = validateExperiment(JSON.stringify(json), { filePath: join(ROOT, 'examples', 'probe.noiseexp.json') });
  return v.ok ? { spec: v.spec, errors: [] } : { errors: v.problems.filter((p) => p.severity === 'error').map((p) => p.message) };
}

/** One entry that switches each site on, as a file would write it. */
const ON: Required<{ [K in keyof NoiseSpec]: object }> = {
  input: { std: 0.1 },
  activations: [{ layer: 0, std: 0.1 }],
  weights: { std: 0.01 },
  gradients: { std: 0.1 },
  labels: { flipProbability: 0.05 },
};

const LAYER_TYPES: LayerType[] = ['dense', 'conv2d', 'conv1d', 'maxPool2d', 'flatten', 'reshape', 'upSampling2d', 'lstm', 'gru'];
/** A model with `type` as its first layer, each with the fields it needs, on digits (recurrent and conv1d layers: on sequences). */
const FIRST: Record<LayerType, object> = {
  dense: { type: 'dense', units: 4 },
  conv2d: { type: 'conv2d', filters: 2, kernelSize: 3 },
  conv1d: { type: 'conv1d', filters: 2, kernelSize: 3 },
  maxPool2d: { type: 'maxPool2d', poolSize: 2 },
  flatten: { type: 'flatten' },
  reshape: { type: 'reshape', targetShape: [8, 8, 1] },
  upSampling2d: { type: 'upSampling2d', size: 2 },
  lstm: { type: 'lstm', units: 4 },
  gru: { type: 'gru', units: 4 },
};
const RECURRENT: readonly LayerType[] = ['lstm', 'gru'];
const dataFor = (type: LayerType) => (RECURRENT.includes(type) || type === 'conv1d' ? { source: 'sineWindows', sequence: { window: 6 } } : { source: 'digits' });
const modelWith = (type: LayerType) => ({ layers: type === 'dense' ? [{ type: 'flatten' }, FIRST.dense] : type === 'flatten' || RECURRENT.includes(type) ? [FIRST[type]] : [FIRST[type], { type: 'flatten' }] });
/** The index of the layer of `type` in modelWith(type). */
const at = (type: LayerType) => (type === 'dense' ? 1 : 0);

describe('the noise-site registry', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('has exactly the sites of the schema, in its order, each a list where the schema has an array', () => {
    assert.deepEqual(SITE_KEYS, NOISE_SITES);
    const noise = JSON.parse(schemaDocument()).properties.noise.properties;
    assert.deepEqual(Object.keys(noise), SITE_KEYS);
    for (const key of SITE_KEYS) {
      assert.equal(noise[key].type === 'array', NOISE_SITE_INFO[key].list, key);
      assert.equal(NOISE_SITE_INFO[key].key, key);
    }
  });

  it("names fields its site's schema has: every amount a bounded number, every kept field, each amount with a start", () => {
    for (const key of SITE_KEYS) {
      const { properties } = siteEntrySchema(key);
      const info = NOISE_SITE_INFO[key];
      for (const [field, amount] of Object.entries(info.amounts)) {
        assert.equal(properties[field]?.type, 'number', `${key}.${field} is a number`);
        assert.equal(typeof properties[field].maximum, 'number', `${key}.${field} has a maximum (the slider's end)`);
        assert.ok(amount.start !== undefined || properties[field].default !== undefined, `${key}.${field} has a start or a default`);
      }
      for (const field of info.kept) assert.ok(properties[field], `${key} keeps ${field}`);
      assert.ok(properties.schedule, `${key} has a schedule`);
    }
    // The panel's start of a masking fraction is what the trainer uses when none is written.
    assert.equal(NOISE_SITE_INFO.input.amounts.fraction.start, DEFAULT_INPUT_FRACTION);
  });

  it('offers each sweepable path in sweep.grid and sweep.random.ranges, and the validator accepts a grid over it', () => {
    const sweep = JSON.parse(schemaDocument()).properties.sweep.properties;
    for (const key of SITE_KEYS) {
      // Every amount can be swept: "how much noise?" is the question a sweep answers.
      const paths = NOISE_SITE_INFO[key].sweepable.map(([p]) => p);
      for (const field of Object.keys(NOISE_SITE_INFO[key].amounts)) assert.ok(paths.includes(`noise.${key}${NOISE_SITE_INFO[key].list ? '[0]' : ''}.${field}`), `${key}.${field} is sweepable`);
      for (const [path] of NOISE_SITE_INFO[key].sweepable) {
        assert.ok(path.startsWith(`noise.${key}`), path);
        assert.ok(sweep.grid.properties[path], `grid offers ${path}`);
        assert.ok(sweep.random.properties.ranges.properties[path], `ranges offer ${path}`);
        const noise = key === 'input' && path.endsWith('fraction') ? { input: { kind: 'masking', fraction: 0.1 } } : key === 'labels' && path.endsWith('.std') ? { labels: { std: 0.1 } } : { [key]: ON[key] };
        const data = key === 'labels' && path.endsWith('.std') ? { source: 'sine', split: { train: 0.6, validation: 0.2, test: 0.2 } } : { source: 'circles', split: { train: 0.6, validation: 0.2, test: 0.2 } };
        const r = validate({ data, noise, sweep: { grid: { [path]: [0.05, 0.1] } } });
        assert.deepEqual(r.errors, [], path);
      }
    }
  });

  it('gives the tweak panel one site per registry entry, each building noise the validator takes', () => {
    const { spec } = validate({ data: { source: 'circles' } });
    const sites = tweakFromNoise({}, spec!);
    assert.deepEqual(sites.map((s) => s.kind), SITE_KEYS);
    for (const s of sites) {
      const { noise, errors } = buildNoise([{ ...s, enabled: true }], spec!);
      assert.equal(errors.size, 0, s.kind);
      assert.deepEqual(Object.keys(noise), [s.kind]);
      assert.deepEqual(validate({ data: { source: 'circles' }, noise }).errors, [], s.kind);
    }
  });

  it("builds every site's trainer unit, whose std the epoch reports under the site and the dashboard turns into its columns", () => {
    assert.deepEqual(Object.keys(SITE_UNITS), SITE_KEYS);
    const clock: Clock = { step: 0, epoch: 0, stepsPerEpoch: 1, epochs: 1 };
    for (const key of SITE_KEYS) {
      const { spec } = validate({ data: { source: 'circles' }, noise: { [key]: ON[key] } });
      const std = new Noise(spec!.noise, 1, clock).std();
      assert.deepEqual(Object.keys(std), [key]);
      const store = new Store();
      const info = { runId: 'r', experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 1, noise: spec!.noise, label: 'noise', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey: 'k' } as RunInfo;
      const run = store.upsert(info);
      store.addRows('r', [{ epoch: 1, train: { loss: 1 }, test: { loss: 1 }, std }]);
      const columns = [...run.cols.keys()].filter((k) => k.startsWith('std.'));
      assert.deepEqual(columns, [NOISE_SITE_INFO[key].list ? `std.${key}.0` : `std.${key}`]);
      assert.equal(siteEntries(spec!.noise).length, 1);
    }
  });

  it("labels every site's entry in a run's label by its registry tag and amount, a schedule included", () => {
    for (const key of SITE_KEYS) {
      const { spec } = validate({ data: { source: 'circles' }, noise: { [key]: ON[key] } });
      const [{ entry }] = siteEntries(spec!.noise);
      assert.ok(describeNoise(spec!.noise).startsWith(`${NOISE_SITE_INFO[key].tag(entry as never)} `), `${key}: ${describeNoise(spec!.noise)}`);
    }
    const { spec } = validate({ data: { source: 'circles' }, noise: { labels: { flipProbability: 0.1, schedule: { type: 'step', factor: 0.5, every: 20 } } } });
    assert.equal(describeNoise(spec!.noise), 'labels flip 0.1, ×0.5 every 20 steps');
  });

  it("acts on the layer types the README's table says, as the validator and the layers' parameters have it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const header = readme.split('\n').findIndex((l) => l.startsWith('| site ') && l.includes('| conv2d |'));
    assert.ok(header >= 0, "README has the site × layer type table");
    const lines = readme.split('\n');
    const columns = lines[header].split('|').slice(2, -1).map((c) => c.trim());
    const end = lines.findIndex((l, i) => i > header && !l.startsWith('|'));
    const rows = new Map(lines.slice(header + 2, end).map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return [cells[0].replace(/`/g, ''), cells.slice(1)] as const;
    }));
    assert.deepEqual([...rows.keys()], SITE_KEYS);
    for (const key of SITE_KEYS) {
      const scope = NOISE_SITE_INFO[key].scope;
      for (const type of LAYER_TYPES) {
        const cell = rows.get(key)![columns.findIndex((c) => c.split('/').map((t) => t.trim()).includes(type))];
        const acts = scope.on === 'data' ? null : scope.layers[type];
        // The table: what the site acts on in a layer of this type, "—" where it does not, "(data)" for a data site.
        assert.equal(rows.get(key)![columns.indexOf('acts on')], scope.what, `${key}: what it acts on`);
        if (scope.on === 'data') assert.equal(cell, '(data)', `${key} × ${type}`);
        else if (acts) assert.equal(cell, acts, `${key} × ${type}`);
        else assert.equal(cell, '—', `${key} × ${type}`);
        const { spec, errors } = validate({ data: dataFor(type), model: modelWith(type), noise: key === 'activations' ? { activations: [{ layer: at(type), std: 0.1 }] } : { [key]: ON[key] } });
        if (key === 'activations') assert.equal(errors.length === 0, Boolean(acts), `activation noise on ${type}: ${errors.join('; ')}`);
        else assert.deepEqual(errors, [], `${key} beside ${type}`);
        // Weight and gradient noise act on a layer's parameters: exactly the types that have some.
        if (key === 'weights' || key === 'gradients') assert.equal(layerShapes(spec!).shapes[at(type)].parameters > 0, Boolean(acts), `${key} on ${type}`);
      }
    }
  });
});
