// A host message's parts, as the dashboard applies them (webview/hostMessages.ts) and the tests
// read what the host posted. Its own module: the webview bundle takes it without the webview →
// host schemas of webview.ts (typebox).
import type { HostMessage, SingleHostMessage } from './webview';

/** Has the shape every host message has (the webview checks what arrives before dispatching on its type). */
export function isHostMessage(m: unknown): m is HostMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}

/** The messages in the order they are applied: a batch's (any that is not a message, or is a nested batch, left out), else the message itself. */
export function unbatched(m: HostMessage): SingleHostMessage[] {
  if (m.type !== 'batch') return [m];
  const messages: unknown[] = Array.isArray(m.messages) ? m.messages : [];
  return messages.filter((inner): inner is SingleHostMessage => isHostMessage(inner) && inner.type !== 'batch');
}
