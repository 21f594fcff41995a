// VS Code's JSON IntelliSense for *.noiseexp.json, reproduced with the library behind it
// (vscode-json-languageservice) over the schema as committed that package.json's
// jsonValidation points VS Code at. In the texts, `|` marks the cursor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientCapabilities, getLanguageService, TextDocument, type CompletionItem, type MarkupContent } from 'vscode-json-languageservice';

const root = join(__dirname, '..', '..', '..');
const served = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } }).contributes.jsonValidation.find((v) => v.fileMatch === '*.noiseexp.json');
if (!served) throw new Error('package.json has no jsonValidation for *.noiseexp.json');
/** The schema file package.json's jsonValidation serves for *.noiseexp.json (the editor schema). */
export const schema = JSON.parse(readFileSync(join(root, served.url), 'utf8'));
export const service = getLanguageService({ clientCapabilities: ClientCapabilities.LATEST });
service.configure({ allowComments: true, validate: true, schemas: [{ uri: schema.$id, fileMatch: ['*.noiseexp.json'], schema }] });

/** The document and cursor for a text in which `|` marks the cursor. */
export function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const doc = TextDocument.create('file:///ws/a.noiseexp.json', 'jsonc', 1, textWithCursor.replace('|', ''));
  return { doc, pos: doc.positionAt(offset), json: service.parseJSONDocument(doc) };
}

export async function complete(textWithCursor: string): Promise<CompletionItem[]> {
  const { doc, pos, json } = at(textWithCursor);
  return (await service.doComplete(doc, pos, json))?.items ?? [];
}

export async function hover(textWithCursor: string): Promise<string> {
  const { doc, pos, json } = at(textWithCursor);
  const h = await service.doHover(doc, pos, json);
  const contents = h?.contents;
  return (Array.isArray(contents) ? contents : [contents]).map((c) => (typeof c === 'string' ? c : (c as MarkupContent)?.value ?? '')).join('\n');
}
