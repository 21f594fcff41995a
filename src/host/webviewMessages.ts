// Every message from the dashboard webview is untrusted: it is checked against the protocol's
// schema (ajv) before anything runs; an unknown type or a bad value is refused with a reason.
import Ajv from 'ajv';
import { ANNOTATION_KEYWORDS } from '../spec/builders';
import { WebviewMessageSchema, type WebviewMessage } from '../protocol/webview';

const check = new Ajv({ allErrors: false, strict: true, keywords: [...ANNOTATION_KEYWORDS] }).compile<WebviewMessage>(WebviewMessageSchema);

export type Checked = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

export function checkWebviewMessage(data: unknown): Checked {
  if (check(data)) return { ok: true, message: data };
  const type = typeof data === 'object' && data !== null && 'type' in data ? String((data as { type: unknown }).type).slice(0, 40) : '(no type)';
  const e = check.errors?.[0];
  return { ok: false, reason: `refused webview message "${type}": ${e ? `${e.instancePath || '(root)'} ${e.message}` : 'invalid'}` };
}
