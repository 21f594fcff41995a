// The experiment format's public face: types, the schema, validation.
export * from './schema';
export { validateExperiment, experimentNameFromPath, type Validation, type ValidateOptions } from './validate';
export { formatProblem, formatPath, type Problem, type JsonPath } from './problems';
export { taskOf, GENERATOR_TASK } from './semantic';
export { schemaDocument } from './document';
export { plannedRuns, hasNoise } from './runs';
export { sweepPoints, pointKey, formatPoint, applyPoint, parseParameterPath, sweptPaths, type SweepPoint } from './sweep';
export { pointEdits } from './edits';
