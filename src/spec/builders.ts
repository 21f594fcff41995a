// Small helpers over TypeBox so that one definition gives the JSON Schema (with VS Code's
// IntelliSense keywords), the TypeScript types of a file as written, and the types of the
// resolved spec in which every defaulted field is present.
import { Type, type Static, type TSchema, type TObject, type TProperties, type TOptional, type TArray, type TUnion } from '@sinclair/typebox';

/** VS Code's JSON language service reads these keywords; ajv is told they are annotations. */
export const ANNOTATION_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets', 'errorMessage'] as const;

export interface Docs {
  $id?: string;
  title?: string;
  /** Markdown shown on hover and in completion details. */
  markdownDescription: string;
  defaultSnippets?: { label: string; description?: string; markdownDescription?: string; body: unknown }[];
}

/** A property that may be omitted and then takes `value` (ajv fills it in with useDefaults). */
export function Defaulted<T extends TSchema>(schema: T, value: Static<T>): TOptional<T & { default: Static<T> }> {
  return Type.Optional({ ...schema, default: value } as T & { default: Static<T> }) as TOptional<T & { default: Static<T> }>;
}

/** A string enum whose every member is explained, as VS Code's enum dropdown shows it. */
export function Choice<const V extends readonly string[]>(values: { [K in keyof V]: readonly [V[K], string] }, docs: Docs) {
  const members = values.map(([v]) => v) as unknown as V;
  return Type.Unsafe<V[number]>({
    type: 'string',
    enum: members,
    markdownEnumDescriptions: values.map(([, d]) => d),
    ...docs,
  });
}

/** A closed object: unknown keys are errors, which is how "did you mean …" gets its chance. */
export function Closed<T extends TProperties>(properties: T, docs: Docs) {
  return Type.Object(properties, { additionalProperties: false, ...docs });
}

/**
 * The type of a value after defaults are applied: a property whose schema carries a `default`
 * becomes required; a truly optional one (a noise site, a CSV path) stays optional.
 */
export type Resolved<S> =
  S extends TObject<infer P>
    ? { -readonly [K in keyof P as P[K] extends { default: unknown } ? K : never]-?: Resolved<P[K]> } & {
        -readonly [K in keyof P as P[K] extends { default: unknown } ? never : P[K] extends TOptional<TSchema> ? K : never]?: Resolved<P[K]>;
      } & {
        -readonly [K in keyof P as P[K] extends { default: unknown } ? never : P[K] extends TOptional<TSchema> ? never : K]: Resolved<P[K]>;
      }
    : S extends TArray<infer I>
      ? Resolved<I>[]
      : S extends TUnion<infer U>
        ? Resolved<U[number]>
        : S extends TSchema
          ? Static<S>
          : never;

/**
 * Length limits on the keys of an open object (a Record, a sweep's paths), as schema options.
 * TypeBox compiles a Record's key schema to `patternProperties: {"^(.*)$": …}`, which drops the
 * key's minLength/maxLength (an empty or a 1,000,000-character key passed); propertyNames keeps them.
 */
export function KeyLimits(minLength: number, maxLength: number) {
  return { propertyNames: { type: 'string', minLength, maxLength } } as const;
}
