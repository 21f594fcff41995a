// Discriminated unions in the schema: JSON Schema's oneOf with the OpenAPI `discriminator`
// (ajv's `discriminator` option), so that a value is checked against the member its tag names
// and its mistakes are said in that member's words, not as a failure of every alternative.
import { Type, type TSchema, type TUnion } from '@sinclair/typebox';

interface SchemaNode {
  oneOf?: SchemaNode[];
  discriminator?: { propertyName: string };
  properties?: Record<string, SchemaNode>;
  enum?: string[];
}
type Node = SchemaNode | undefined;

/** A oneOf of closed objects, each with a one-member enum at `tag` (see Choice). */
export function Tagged<T extends TSchema[]>(members: [...T], docs: { markdownDescription: string }, tag = 'type'): TUnion<T> {
  const { anyOf, ...rest } = Type.Union(members, docs);
  return { ...rest, type: 'object', oneOf: anyOf, discriminator: { propertyName: tag } } as unknown as TUnion<T>;
}

/** The member of a tagged union that `value` names, else the node itself. */
export function taggedMember(node: Node, value: unknown): Node {
  if (!node?.oneOf || !node.discriminator) return node;
  const tag = (value as Record<string, unknown> | undefined)?.[node.discriminator.propertyName];
  return node.oneOf.find((m) => m.properties?.[node.discriminator!.propertyName]?.enum?.includes(tag as string)) ?? node;
}

/** Every tag value of a tagged union, in order. */
export function tagValues(node: Node): string[] {
  return (node?.oneOf ?? []).flatMap((m) => m.properties?.[node!.discriminator!.propertyName]?.enum ?? []);
}

/**
 * A tagged union for VS Code's JSON service, which never validates (editorSchema.ts): the tag's
 * values on the object itself, and each member's keys only once the tag names it (if/then, which
 * never warns), so that completion inside a conv2d layer offers conv2d's keys and no others.
 */
export function taggedEditorSchema(node: Record<string, unknown>, annotations: Record<string, unknown>, convert: (n: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> | undefined {
  const members = node.oneOf as (SchemaNode & Record<string, unknown>)[] | undefined;
  const tag = (node.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (!members || !tag) return undefined;
  const tagNode = (m: SchemaNode) => m.properties![tag] as Record<string, unknown>;
  const values = members.map((m) => (tagNode(m).enum as string[])[0]);
  const kind = { type: 'string', enum: values, markdownEnumDescriptions: members.map((m) => (tagNode(m).markdownEnumDescriptions as string[])[0]), markdownDescription: 'The layer type.' };
  return {
    ...annotations,
    properties: { [tag]: convert(kind) },
    allOf: members.map((m, i) => ({ if: { properties: { [tag]: { const: values[i] } }, required: [tag] }, then: convert(m) })),
  };
}
