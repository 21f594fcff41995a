// Every message from the dashboard webview is untrusted: it is checked against the protocol's
// schema (ajv) before anything runs; an unknown type or a bad value is refused with a reason.
import Ajv from 'ajv';
import { ANNOTATION_KEYWORDS } from '../spec/builders';
import { escapeText } from '../spec/echo';
import { WebviewMessageSchema, type WebviewMessage } from '../protocol/webview';

const check = new Ajv({ allErrors: false, strict: true, keywords: [...ANNOTATION_KEYWORDS] }).compile<WebviewMessage>(WebviewMessageSchema);

export type Checked = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

export function checkWebviewMessage(data: unknown): Checked {
  if (check(data)) return { ok: true, message: data };
  // Named without calling anything on it: String() of {"toString": "ready"} throws, of a getter runs it.
  const type = typeof data === 'object' && data !== null && Object.hasOwn(data, 'type') ? typeName(Object.getOwnPropertyDescriptor(data, 'type')?.value) : '(no type)';
  const e = check.errors?.[0];
  return { ok: false, reason: `refused webview message "${type}": ${e ? `${e.instancePath || '(root)'} ${e.message}` : 'invalid'}` };
}

function typeName(type: unknown): string {
  return typeof type === 'string' ? escapeText(type, 40) : `(not a string: ${type === null ? 'null' : Array.isArray(type) ? 'array' : typeof type})`;
}
