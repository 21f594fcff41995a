// The one door to the VS Code host: acquireVsCodeApi (callable once per page), a typed post
// for every WebviewMessage, and the persisted UI state (never the data: the host replays it).
import type { WebviewMessage } from '../src/protocol/webview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscode(): VsCodeApi {
  if (!api) {
    // Outside VS Code (a plain browser page) there is no host: keep messages and state local.
    api =
      typeof acquireVsCodeApi === 'function'
        ? acquireVsCodeApi()
        : (() => {
            let state: unknown;
            return { postMessage: () => undefined, getState: () => state, setState: (s: unknown) => void (state = s) };
          })();
  }
  return api;
}

export function post(message: WebviewMessage): void {
  vscode().postMessage(message);
}

export function loadState<T>(): Partial<T> {
  const s = vscode().getState();
  return s && typeof s === 'object' ? (s as Partial<T>) : {};
}

let pending: unknown;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Persists the UI state, at most every 200 ms (sliders fire many events). */
export function saveState(state: unknown, now = false): void {
  pending = state;
  if (now) {
    clearTimeout(timer);
    timer = undefined;
    vscode().setState(pending);
    return;
  }
  timer ??= setTimeout(() => {
    timer = undefined;
    vscode().setState(pending);
  }, 200);
}
