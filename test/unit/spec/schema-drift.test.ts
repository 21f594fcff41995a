import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDocument } from '../../../src/spec/document';

const committedPath = join(__dirname, '..', '..', '..', 'schemas', 'noiseexp.schema.json');
type Node = Record<string, any>;

/** Every schema node under `node`, with a readable path, for the documentation checks. */
function* walk(node: Node, path: string): Generator<[string, Node]> {
  yield [path, node];
  for (const [key, child] of Object.entries<Node>(node.properties ?? {})) yield* walk(child, `${path}.${key}`);
  if (node.items) yield* walk(node.items, `${path}[]`);
}

describe('schema drift', () => {
  const committed = readFileSync(committedPath, 'utf8');
  const schema = JSON.parse(committed) as Node;

  it('the committed schemas/noiseexp.schema.json is what src/spec generates (run `npm run schema`)', () => {
    assert.equal(committed, schemaDocument());
  });

  it('documents every property with a markdownDescription', () => {
    const nodes = [...walk(schema, '(root)')];
    assert.ok(nodes.length > 50, `only ${nodes.length} schema nodes: the walk is broken`);
    const undocumented = nodes.filter(([, n]) => typeof n.markdownDescription !== 'string' || n.markdownDescription.length < 10);
    assert.deepEqual(undocumented.map(([p]) => p), []);
  });

  it('explains every enum member', () => {
    const enums = [...walk(schema, '(root)')].filter(([, n]) => Array.isArray(n.enum));
    assert.ok(enums.length >= 10, `only ${enums.length} enums found`);
    for (const [path, n] of enums) {
      assert.ok(Array.isArray(n.markdownEnumDescriptions), `${path} has no markdownEnumDescriptions`);
      assert.equal(n.markdownEnumDescriptions.length, n.enum.length, `${path}: ${n.enum.length} members, ${n.markdownEnumDescriptions.length} descriptions`);
      assert.ok(n.markdownEnumDescriptions.every((d: unknown) => typeof d === 'string' && d.length > 0), `${path} has an empty description`);
    }
  });

  it('offers snippets for a whole experiment and for each noise site', () => {
    assert.ok(schema.defaultSnippets?.length >= 1);
    for (const site of ['input', 'activations', 'weights', 'gradients', 'labels']) {
      const node = schema.properties.noise.properties[site];
      const snippets = node.defaultSnippets ?? node.items?.defaultSnippets;
      assert.ok(snippets?.length >= 1, `noise.${site} has no defaultSnippets`);
    }
  });
});
