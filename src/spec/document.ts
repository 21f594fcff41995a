// The JSON Schema document as committed in schemas/ and served to VS Code's JSON language
// service. JSON.stringify drops TypeBox's symbol-keyed bookkeeping.
import { ExperimentSchema } from './schema';

export function schemaDocument(): string {
  const { $id, ...rest } = JSON.parse(JSON.stringify(ExperimentSchema)) as Record<string, unknown>;
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id, ...rest }, null, 2) + '\n';
}
