// ajv's two validators of the experiment schema: one that checks (and never mutates) and one that
// fills defaults in place. Compiling them is most of a CLI run's start-up (≈0.25 s of CPU on a
// quiet machine, more than loading TensorFlow.js), so the bundles (dist/cli.js, dist/extension.js)
// do not compile: esbuild.js puts in their place the JavaScript ajv generates for them
// (standaloneValidatorsSource, scripts/standaloneValidators.js), made from the schema at build time,
// so it cannot drift from it. Run from source (tests, tsx), they are compiled on first use.
import Ajv, { type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { ANNOTATION_KEYWORDS } from './builders';
import { ExperimentSchema, type Experiment, type ExperimentInput } from './schema';

// discriminator: model.layers is a oneOf tagged by `type` (modelSchema.ts), checked against its own type's schema only.
const ajvOptions = { allErrors: true, strict: true, discriminator: true, keywords: [...ANNOTATION_KEYWORDS] };

/** Checks an input against the schema; its `errors` say why not. */
export type CheckShape = ValidateFunction<ExperimentInput>;
/** Fills the schema's defaults into a copy of a valid input, in place. */
export type FillDefaults = ValidateFunction<Experiment>;

export interface Validators {
  checkShape: CheckShape;
  fillDefaults: FillDefaults;
}

let compiled: Validators | undefined;

function compile(source = false): Validators & { ajv: [Ajv, Ajv] } {
  const code = source ? { code: { source: true } } : {};
  const ajv: [Ajv, Ajv] = [new Ajv({ ...ajvOptions, ...code }), new Ajv({ ...ajvOptions, ...code, useDefaults: true })];
  // The second compile fills defaults in place; kept apart so that checking never mutates.
  return { checkShape: ajv[0].compile<ExperimentInput>(ExperimentSchema), fillDefaults: ajv[1].compile<Experiment>(ExperimentSchema), ajv };
}

/** The two validators, compiled on the first call (a command that validates nothing never pays for them). */
export function validators(): Validators {
  return (compiled ??= compile());
}

/**
 * This module as ajv's standalone code: a CommonJS module whose `validators()` gives the same
 * functions compile() makes, with nothing left to compile at run time.
 */
export function standaloneValidatorsSource(): string {
  const { checkShape: check, fillDefaults: fill, ajv } = compile(true);
  // Each of ajv's modules assigns module.exports: each runs with a module of its own, on the first call, as compile() would.
  const load = (code: string) => `(() => { const module = { exports: {} }; ${code}; return module.exports; })()`;
  return [
    '"use strict";',
    'let made;',
    `exports.validators = () => (made ??= { checkShape: ${load(standaloneCode(ajv[0], check))}, fillDefaults: ${load(standaloneCode(ajv[1], fill))} });`,
    'exports.standaloneValidatorsSource = () => { throw new Error("these validators are standalone already"); };',
    '',
  ].join('\n');
}
