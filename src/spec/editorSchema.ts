// The schema VS Code's JSON language service is given (package.json jsonValidation): the one
// spec with only what completion, hovers and snippets read. Noise Lab's validator already puts
// every mistake in the Problems panel, in better words; a JSON service that validated too would
// show each mistake twice ("Value is below the minimum of 0." beside "… must be ≥ 0 (got -1).").
import { schemaDocument } from './document';
import { taggedEditorSchema } from './tagged';

type SchemaNode = Record<string, unknown>;

/** Read by completion, hover or snippets, and never the reason for a warning. */
const ANNOTATIONS = ['$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'examples', 'defaultSnippets', 'doNotSuggest', 'suggestSortText', 'completionDetail'];
/** What completion makes of a value's type and enum (true/false, `{}`, each member with its description). */
const HINTS = ['type', 'enum', 'enumDescriptions', 'markdownEnumDescriptions'];

/**
 * The spec's schema without a single keyword that can fail. A node's type and enum move into
 * an `anyOf` beside an empty schema that accepts anything: the service still completes from
 * them (it reads every alternative) and shows enum descriptions on hover, but never warns.
 * Keywords are kept by name (everything else is dropped), so a new validating keyword in the
 * spec cannot bring a duplicate message back.
 */
export function editorSchema(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const key of ANNOTATIONS) if (key in node) out[key] = node[key];
  const tagged = taggedEditorSchema(node, out, editorSchema);
  if (tagged) return tagged;
  for (const key of ['properties', 'patternProperties'] as const) {
    const map = node[key] as Record<string, SchemaNode> | undefined;
    if (map) out[key] = Object.fromEntries(Object.entries(map).map(([name, child]) => [name, editorSchema(child)]));
  }
  // additionalProperties: false is dropped (Noise Lab names unknown keys); a schema describes the values of open keys.
  if (isSchema(node.additionalProperties)) out.additionalProperties = editorSchema(node.additionalProperties);
  if (isSchema(node.items)) out.items = editorSchema(node.items);
  const hint = Object.fromEntries(HINTS.filter((k) => k in node).map((k) => [k, node[k]]));
  const alternatives = (['anyOf', 'oneOf', 'allOf'] as const).flatMap((k) => (node[k] as SchemaNode[] | undefined) ?? []).map(editorSchema);
  if (Object.keys(hint).length > 0) alternatives.push(hint);
  // Members as examples too (the service merges the same label): a key's completion then inserts `"key": ` for its value.
  if (Array.isArray(node.enum) && !('examples' in node)) out.examples = node.enum;
  if (alternatives.length > 0) out.anyOf = [...alternatives, {}];
  return out;
}

function isSchema(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The editor schema as committed in schemas/ (npm run schema), beside the full one. */
export function editorSchemaDocument(): string {
  const full = JSON.parse(schemaDocument()) as SchemaNode;
  const schema = editorSchema(full);
  // VS Code's own keywords: Noise Lab reads comments and trailing commas, so the service must not flag them.
  return JSON.stringify({ ...schema, $id: String(full.$id).replace(/\.schema\.json$/, '.editor.schema.json'), allowComments: true, allowTrailingCommas: true }, null, 2) + '\n';
}
