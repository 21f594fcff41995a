// The script's noisy variant: one class over `Clean` whose methods are the file's noise sites
// (sites.ts), each with its own generator. A sweep writes one such class per point.
import type { Experiment, NoiseSite } from '../spec/schema';
import { NOISE_SITES } from '../spec/schema';
import { SITE_EXPORTS, type SiteExport } from './sites';
import { indent } from './py';

const configured = (value: unknown): boolean => (Array.isArray(value) ? value.length > 0 : value !== undefined);

/** The sites the file turns on, in the registry's order. */
export const sitesOf = (spec: Experiment): NoiseSite[] => NOISE_SITES.filter((k) => configured(spec.noise[k]));

/** Why a site of the file has no faithful PyTorch form, by name. */
export function siteRefusals(spec: Experiment): string[] {
  return sitesOf(spec).flatMap((site) => {
    const why = (SITE_EXPORTS[site] as SiteExport<typeof site>).refuse?.(spec.noise[site] as never);
    return why ? [`noise.${site}: ${why}`] : [];
  });
}

/** `class <name>(Clean)` with the file's sites; `what` says which variant it is in its docstring. */
export function noisyClass(spec: Experiment, name = 'Noisy', what = 'The noisy variant'): string[] {
  const sites = sitesOf(spec);
  const constants = sites.flatMap((k) => (SITE_EXPORTS[k] as SiteExport<typeof k>).constants?.(spec.noise[k] as never) ?? []);
  const methods = sites.flatMap((k) => ['', ...indent((SITE_EXPORTS[k] as SiteExport<typeof k>).method(spec.noise[k] as never), 4)]);
  return [
    '',
    `class ${name}(Clean):`,
    `    """${what}: ${sites.length ? sites.map((k) => `noise.${k}`).join(', ') : 'no site (the file has no noise)'}; each site draws from its own generator."""`,
    ...(constants.length ? ['', ...indent(constants, 4)] : []),
    '',
    '    def __init__(self, seed, clock, train_x):',
    '        self.seed, self.clock, self.held_epoch = seed, clock, -1',
    ...sites.map((k) => `        self.gen_${k} = stream(seed, "noise.${k}")`),
    '        self.train_min, self.train_max = input_range(train_x)',
    ...methods,
    '',
  ];
}
