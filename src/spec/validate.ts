// Validates an experiment file's text: JSON with comments → ajv against the one schema →
// the semantic checks a schema cannot express. Every problem carries a line and column.
// Nothing here throws on bad input, and nothing touches the file.
import type { ErrorObject } from 'ajv';
import { printParseErrorCode, stripComments, type ParseError } from 'jsonc-parser';
import { readJson } from './jsonText';
import { changeTo, closestName, rangeFix } from './fixes';
import { ExperimentSchema, type Experiment, type ExperimentInput } from './schema';
import { taggedMember, tagValues } from './tagged';
import { formatPath, ProblemList, TextPositions, type JsonPath, type Problem } from './problems';
import { escapeText, quote } from './echo';
import { checkDataFileOf, checkSemantics, type FileAccess } from './semantic';
import { checkSweep } from './sweepCheck';
import { validators } from './validators';

export type { Problem } from './problems';

export interface ValidateOptions extends Partial<FileAccess> {
  /** The experiment file's path: names the experiment when `name` is missing, and anchors `data.path`. */
  filePath?: string;
}

export type Validation =
  | { ok: true; spec: Experiment; input: ExperimentInput; problems: Problem[] }
  | { ok: false; problems: Problem[] };


export function validateExperiment(text: string, options: ValidateOptions = {}): Validation {
  try {
    return validate(text, options);
  } catch (e) {
    // A safety net, not a code path: e.g. thousands of nested brackets overflow the parser's stack.
    const why = e instanceof RangeError ? 'it is nested too deeply' : String(e);
    return { ok: false, problems: [{ severity: 'error', message: `Could not read this file: ${why}.`, path: [], line: 1, column: 1, offset: 0, length: 0 }] };
  }
}

function validate(file: string, options: ValidateOptions): Validation {
  const { checkShape, fillDefaults } = validators();
  // A UTF-8 byte order mark (Windows editors write one) is not JSON: read it as a space, so
  // that every offset still points into the file as it is.
  const text = file.charCodeAt(0) === 0xfeff ? ` ${file.slice(1)}` : file;
  const read = readJson(text);
  const positions = new TextPositions(text);
  const problems = new ProblemList(positions, read.locate);

  if (!read.found && read.errors.every((e) => printParseErrorCode(e.error) === 'ValueExpected') && stripComments(text).trim() === '') {
    problems.addAt('error', 0, 0, 'The file is empty: an experiment needs at least {"data": {"source": "circles"}}.');
    return { ok: false, problems: problems.sorted() };
  }
  for (const e of relevantParseErrors(read.errors, positions)) problems.addAt('error', e.offset, e.length, parseMessage(e, text), 'json');
  if (read.errors.length > 0 || !read.found) return { ok: false, problems: problems.sorted() };
  if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value)) {
    problems.error([], `An experiment is a JSON object, like {"data": {"source": "circles"}} (got ${describe(read.value)}).`);
    return { ok: false, problems: problems.sorted() };
  }
  for (const d of read.duplicates) problems.addAt('warning', d.offset, d.length, `${quote(d.key)} appears twice in ${where(d.path)}; only the last one counts.`, 'json');

  const input = read.value as ExperimentInput;
  if (!checkShape(input)) {
    const errors = mostSpecific(checkShape.errors ?? []);
    const unknownKeys = unknownKeysByPlace(errors);
    // A data section with its shape is checked on disk too: a missing CSV is said with the other errors.
    // (ajv's guard types `input` as never here: it is still the object read.)
    const data = (input as ExperimentInput | Record<string, never>).data;
    if (data && !(checkShape.errors ?? []).some((e) => /^\/data(\/|$)/.test(e.instancePath))) checkDataFileOf(data, problems, options);
    for (const e of errors) if (!explainedByTypo(e, unknownKeys, input)) reportSchemaError(problems, input, e);
    return { ok: false, problems: problems.sorted() };
  }

  const spec = structuredClone(input) as unknown as Experiment;
  fillDefaults(spec);
  spec.name ??= experimentNameFromPath(options.filePath);
  checkSemantics(input, spec, problems, options);
  // A point is a run of this sweep: with cross-validation its folds are its validation data.
  if (input.sweep) checkSweep(input, spec, problems, (point) => validatePoint(point, { ...options, crossValidated: Boolean(spec.sweep?.crossValidation) }));
  const sorted = problems.sorted();
  if (sorted.some((p) => p.severity === 'error')) return { ok: false, problems: sorted };
  return { ok: true, spec, input, problems: sorted };
}

/** A sweep point written into the file: the same checks as a file, minus positions and the sweep's own. */
function validatePoint(input: ExperimentInput, options: ValidateOptions): { severity: Problem['severity']; message: string }[] {
  const problems = new ProblemList();
  const { checkShape, fillDefaults } = validators();
  if (!checkShape(input)) {
    for (const e of mostSpecific(checkShape.errors ?? [])) reportSchemaError(problems, input, e);
  } else {
    const spec = structuredClone(input) as unknown as Experiment;
    fillDefaults(spec);
    checkSemantics(input, spec, problems, options);
  }
  return problems.messages();
}

/**
 * The parser reports knock-on errors after a real one ("value expected" after a stray quote).
 * Keep the first error of each line, and none after an unclosed string or comment: it swallowed the rest.
 */
function relevantParseErrors(errors: ParseError[], positions: TextPositions): ParseError[] {
  const kept: ParseError[] = [];
  const lines = new Set<number>();
  for (const e of errors) {
    const line = positions.lineColumn(e.offset).line;
    if (lines.has(line)) continue;
    lines.add(line);
    kept.push(e);
    if (['UnexpectedEndOfString', 'UnexpectedEndOfComment'].includes(printParseErrorCode(e.error))) break;
  }
  return kept;
}

/** The unknown keys ajv found, by the object they are in. */
function unknownKeysByPlace(errors: ErrorObject[]): Map<string, ErrorObject[]> {
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const here = byPlace.get(e.instancePath);
    if (here) here.push(e);
    else byPlace.set(e.instancePath, [e]);
  }
  return byPlace;
}

/** "dta" in place of "data": the unknown key already says "did you mean", so the missing one need not. */
function explainedByTypo(e: ErrorObject, unknownKeys: Map<string, ErrorObject[]>, data: unknown): boolean {
  if (e.keyword !== 'required') return false;
  const missing = String((e.params as { missingProperty: string }).missingProperty);
  return (unknownKeys.get(e.instancePath) ?? []).some((o) => {
    const allowed = Object.keys(schemaAt(toPath(data, o.instancePath), data)?.properties ?? {});
    return didYouMean(String((o.params as { additionalProperty: string }).additionalProperty), allowed).includes(`"${missing}"`);
  });
}

/** A file as written, already valid (a checked sweep point), with its defaults filled in. */
export function resolveExperiment(input: ExperimentInput, name: string): Experiment {
  const spec = structuredClone(input) as unknown as Experiment;
  validators().fillDefaults(spec);
  spec.name ??= name;
  return spec;
}

export function experimentNameFromPath(filePath: string | undefined): string {
  const base = filePath?.split(/[\\/]/).pop() ?? '';
  // A file name may hold what a terminal obeys (ESC); the name is printed, so it is made safe.
  return escapeText(base.replace(/\.noiseexp\.json$/i, '').replace(/\.json$/i, ''), 100) || 'experiment';
}

function parseMessage(e: ParseError, text: string): string {
  if (printParseErrorCode(e.error) === 'InvalidSymbol' && text[e.offset] === "'") {
    return 'Malformed JSON: strings and property names need double quotes ("…"), not single quotes.';
  }
  const friendly: Record<string, string> = {
    InvalidSymbol: 'Unexpected character: this is not JSON.',
    InvalidNumberFormat: 'Not a valid number.',
    PropertyNameExpected: 'A property name in double quotes is expected here.',
    ValueExpected: 'A value is expected here.',
    ColonExpected: 'A colon ":" is expected after the property name.',
    CommaExpected: 'A comma is expected between entries.',
    CloseBraceExpected: 'A closing brace "}" is missing.',
    CloseBracketExpected: 'A closing bracket "]" is missing.',
    EndOfFileExpected: 'Unexpected text after the end of the experiment object.',
    InvalidCommentToken: 'This comment is not closed.',
    UnexpectedEndOfComment: 'This comment is not closed.',
    UnexpectedEndOfString: 'This string is not closed: a double quote is missing.',
    UnexpectedEndOfNumber: 'This number is cut off.',
    InvalidUnicode: 'Invalid unicode escape.',
    InvalidEscapeCharacter: 'Invalid escape character in a string.',
    InvalidCharacter: 'Invalid character in a string.',
  };
  const code = printParseErrorCode(e.error);
  return `Malformed JSON: ${friendly[code] ?? code}`;
}

/** ajv reports a wrong value at several levels; keep the deepest report per location. Linear: a file may have 100,000 entries. */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  const seen = new Set<string>();
  const typeErrorAt = new Set<string>();
  for (const e of errors) {
    // The same rule broken at the same place, whichever branch of the schema said so. The common
    // parameters are read directly: stringifying 100,000 of them was a tenth of the time.
    const p = e.params as { limit?: number; additionalProperty?: string; missingProperty?: string; type?: string };
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${p.limit ?? p.additionalProperty ?? p.missingProperty ?? p.type ?? JSON.stringify(e.params)}`;
    // A type error makes range errors at the same place meaningless.
    if (seen.has(key) || typeErrorAt.has(e.instancePath)) continue;
    seen.add(key);
    if (e.keyword === 'type') typeErrorAt.add(e.instancePath);
    kept.push(e);
  }
  return kept;
}

function toPath(data: unknown, instancePath: string): JsonPath {
  const path: JsonPath = [];
  let at: unknown = data;
  const escaped = instancePath.includes('~');
  for (const raw of instancePath.split('/').slice(1)) {
    // JSON Pointer escapes "/" and "~" in keys (RFC 6901); most paths have neither.
    const key = escaped ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    const segment = Array.isArray(at) ? Number(key) : key;
    path.push(segment);
    at = (at as Record<string | number, unknown> | undefined)?.[segment];
  }
  return path;
}

function valueAt(data: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>((at, k) => (at as Record<string | number, unknown> | undefined)?.[k], data);
}

/** The schema node that describes `path`, for listing the allowed keys and enum members. */
function schemaAt(path: JsonPath, data?: unknown): { properties?: Record<string, unknown>; enum?: string[]; default?: unknown } | undefined {
  let s: any = ExperimentSchema;
  // A tagged union (model.layers) is described by the member that the value's tag names.
  path.forEach((k, i) => (s = taggedMember(typeof k === 'number' ? s?.items : s?.properties?.[k], valueAt(data, path.slice(0, i + 1)))));
  return s;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function didYouMean(word: string, candidates: string[]): string {
  return meant(closestName(word, candidates));
}

function meant(best: string | undefined): string {
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}

/** How a message names a place: "noise.input.std", or "the experiment" for the top level. */
function where(path: JsonPath): string {
  return path.length === 0 ? 'the experiment' : formatPath(path);
}

const REQUIRED_HINT: Record<string, string> = {
  data: ': where the samples come from, e.g. "data": {"source": "circles"}',
  source: ': one of circles, moons, xor, spiral, gaussians, sine, digits or csv',
  train: ' (the training part of the split)',
  test: ' (the test part of the split)',
};

function reportSchemaError(problems: ProblemList, data: unknown, e: ErrorObject): void {
  const path = toPath(data, e.instancePath);
  const where_ = where(path);
  const value = valueAt(data, path);
  const p = e.params as Record<string, any>;
  const fixable = (at: JsonPath, message: string, target: 'value' | 'key', written: unknown, fix: ReturnType<typeof rangeFix>) => problems.add('error', at, message, target, fix && { fix, written });
  // A key of an open object (a sweep path) outside its length limits, reported at the key.
  if (e.propertyName !== undefined) {
    const message = e.keyword === 'minLength' ? `${where_} has an empty key.` : `The key ${quote(e.propertyName)} in ${where_} is too long (${e.propertyName.length} characters; at most ${p.limit}).`;
    problems.error([...path, e.propertyName], message, 'key');
    return;
  }
  switch (e.keyword) {
    case 'propertyNames':
      // Only says that a key failed; the failure itself came as its own error (above).
      return;
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(schemaAt(path, data)?.properties ?? {});
      const best = closestName(key, allowed);
      const hint = meant(best) || ` Allowed here: ${allowed.join(', ')}.`;
      fixable([...path, key], `Unknown property ${quote(key)} ${path.length ? `in ${where_}` : 'at the top level'}.${hint}`, 'key', key, best === undefined ? undefined : changeTo(best));
      return;
    }
    case 'required':
      problems.error(path, `${path.length ? where_ : 'The experiment'} is missing the required property "${p.missingProperty}"${REQUIRED_HINT[p.missingProperty] ?? ''}.`, 'key');
      return;
    case 'type':
      // 1e999 parses as Infinity, which JSON cannot hold: "got number null" would say nothing.
      if (typeof value === 'number' && !Number.isFinite(value)) problems.error(path, `${where_} must be a finite number: this one is beyond ±1.8e308, the largest a number can be.`);
      else problems.error(path, `${where_} must be ${article(p.type)} (got ${describe(value)}).${quotedHint(p.type, value)}`);
      return;
    case 'pattern':
      problems.error(path, typeof value === 'string' && /\p{Cc}|[\u202a-\u202e\u2066-\u2069]/u.test(value) ? `${where_} must not contain control characters (got ${quote(value)}).` : `${where_} is not in the expected form (got ${describe(value)}).`);
      return;
    case 'enum': {
      const allowed = (p.allowedValues as string[]) ?? [];
      const best = typeof value === 'string' ? closestName(value, allowed) : undefined;
      const hint = meant(best);
      fixable(path, `${where_} must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${describe(value)}).${hint}`, 'value', value, best === undefined ? undefined : changeTo(best));
      return;
    }
    case 'discriminator': {
      // A layer's `type` missing or unknown: said as the enum it is.
      const allowed = tagValues(schemaAt(path, data) as never);
      if (valueAt(data, [...path, p.tag]) === undefined) problems.error(path, `${where_} needs "${p.tag}": one of ${allowed.map((a) => `"${a}"`).join(', ')}.`, 'key');
      else reportSchemaError(problems, data, { ...e, keyword: 'enum', instancePath: `${e.instancePath}/${p.tag}`, params: { allowedValues: allowed } });
      return;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '≥', maximum: '≤', exclusiveMinimum: '>', exclusiveMaximum: '<' }[e.keyword];
      fixable(path, `${where_} must be ${op} ${p.limit} (got ${JSON.stringify(value)}).`, 'value', value, rangeFix(e.keyword as Parameters<typeof rangeFix>[0], p.limit, schemaAt(path)?.default));
      return;
    }
    case 'minLength':
      problems.error(path, `${where_} must not be empty.`);
      return;
    case 'maxLength':
      problems.error(path, `${where_} is too long (at most ${p.limit} characters).`);
      return;
    case 'maxItems':
      problems.error(path, `${where_} has too many entries (at most ${p.limit}).`);
      return;
    default:
      problems.error(path, `${where_} ${e.message ?? 'is not valid'}.`);
  }
}

function article(type: string): string {
  const names: Record<string, string> = { integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array' };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

/** "0.1" where 0.1 was meant: say so rather than just "must be a number". */
function quotedHint(type: string, value: unknown): string {
  if (typeof value !== 'string') return '';
  if (/number|integer/.test(type) && value.trim() !== '' && Number.isFinite(Number(value))) return ' Remove the quotes.';
  if (type === 'boolean' && (value === 'true' || value === 'false')) return ' Remove the quotes.';
  return '';
}
