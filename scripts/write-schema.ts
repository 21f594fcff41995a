// Regenerates schemas/noiseexp.schema.json (the full schema) and schemas/noiseexp.editor.schema.json
// (what VS Code's JSON service gets: completion, hovers and snippets, no validation) from src/spec
// (run: npm run schema). A unit test fails when a committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDocument } from '../src/spec';
import { editorSchemaDocument } from '../src/spec/editorSchema';

for (const [name, text] of [
  ['noiseexp.schema.json', schemaDocument()],
  ['noiseexp.editor.schema.json', editorSchemaDocument()],
]) {
  const target = join(__dirname, '..', 'schemas', name);
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
