// Regenerates schemas/noiseexp.schema.json from src/spec (run: npm run schema).
// A unit test fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaDocument } from '../src/spec';

const target = join(__dirname, '..', 'schemas', 'noiseexp.schema.json');
writeFileSync(target, schemaDocument());
console.log(`wrote ${target}`);
