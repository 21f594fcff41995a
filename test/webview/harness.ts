// The dashboard bundle in headless Chromium: webview/main.ts is bundled as esbuild.js does, the
// page comes from dashboardHtml (same strict CSP as in VS Code) over a local HTTP server, and
// acquireVsCodeApi is a stub that records every posted message and the persisted state.
// Themes are applied the way VS Code does it: a body class and --vscode-* variables on <html>.
import * as assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dashboardHtml } from '../../src/host/dashboardHtml';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { TrainerEvent } from '../../src/protocol/trainer';
import { runInfoOf as hostRunInfo } from '../../src/host/dashboardFeed';
import { buildGroups, groupOf } from '../../src/host/dashboardGroups';

export const root = join(__dirname, '..', '..');
export const artifacts = join(root, 'test-artifacts');

export type ThemeName = 'light' | 'dark' | 'high-contrast';

const COMMON: Record<string, string> = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': 'monospace',
};

/** A subset of VS Code's Default Light+/Dark+/High Contrast colours, as VS Code sets them on <html>. */
export const THEMES: Record<ThemeName, Record<string, string>> = {
  dark: {
    ...COMMON,
    '--vscode-editor-background': '#1e1e1e',
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': 'rgba(204, 204, 204, 0.7)',
    '--vscode-errorForeground': '#f48771',
    '--vscode-focusBorder': '#007fd4',
    '--vscode-panel-border': 'rgba(128, 128, 128, 0.35)',
    '--vscode-charts-foreground': '#cccccc',
    '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-button-background': '#0e639c',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#1177bb',
    '--vscode-button-secondaryBackground': '#3a3d41',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-button-secondaryHoverBackground': '#45494e',
    '--vscode-input-background': '#3c3c3c',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-placeholderForeground': '#a6a6a6',
    '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-dropdown-background': '#3c3c3c',
    '--vscode-dropdown-foreground': '#f0f0f0',
    '--vscode-dropdown-border': '#3c3c3c',
    '--vscode-checkbox-background': '#3c3c3c',
    '--vscode-checkbox-foreground': '#f0f0f0',
    '--vscode-checkbox-border': '#3c3c3c',
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-list-inactiveSelectionBackground': '#37373d',
    '--vscode-editorHoverWidget-background': '#252526',
    '--vscode-editorHoverWidget-foreground': '#cccccc',
    '--vscode-editorHoverWidget-border': '#454545',
    '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.36)',
    '--vscode-progressBar-background': '#0e70c0',
    '--vscode-editor-selectionBackground': '#264f78',
  },
  light: {
    ...COMMON,
    '--vscode-editor-background': '#ffffff',
    '--vscode-foreground': '#616161',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-errorForeground': '#a1260d',
    '--vscode-focusBorder': '#0090f1',
    '--vscode-panel-border': 'rgba(128, 128, 128, 0.35)',
    '--vscode-charts-foreground': '#616161',
    '--vscode-charts-lines': 'rgba(97, 97, 97, 0.5)',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-purple': '#652d90',
    '--vscode-button-background': '#007acc',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-hoverBackground': '#0062a3',
    '--vscode-button-secondaryBackground': '#5f6a79',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-button-secondaryHoverBackground': '#4c5561',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#616161',
    '--vscode-input-border': '#cecece',
    '--vscode-input-placeholderForeground': '#767676',
    '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-dropdown-background': '#ffffff',
    '--vscode-dropdown-foreground': '#616161',
    '--vscode-dropdown-border': '#cecece',
    '--vscode-checkbox-background': '#ffffff',
    '--vscode-checkbox-foreground': '#616161',
    '--vscode-checkbox-border': '#919191',
    '--vscode-list-hoverBackground': '#e8e8e8',
    '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
    '--vscode-editorHoverWidget-background': '#f3f3f3',
    '--vscode-editorHoverWidget-foreground': '#616161',
    '--vscode-editorHoverWidget-border': '#c8c8c8',
    '--vscode-widget-shadow': 'rgba(0, 0, 0, 0.16)',
    '--vscode-progressBar-background': '#0e70c0',
    '--vscode-editor-selectionBackground': '#add6ff',
  },
  'high-contrast': {
    ...COMMON,
    '--vscode-editor-background': '#000000',
    '--vscode-foreground': '#ffffff',
    '--vscode-descriptionForeground': 'rgba(255, 255, 255, 0.7)',
    '--vscode-errorForeground': '#f48771',
    '--vscode-focusBorder': '#f38518',
    '--vscode-panel-border': '#6fc3df',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-border': '#6fc3df',
    '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-input-background': '#000000',
    '--vscode-input-foreground': '#ffffff',
    '--vscode-input-border': '#6fc3df',
    '--vscode-dropdown-background': '#000000',
    '--vscode-dropdown-foreground': '#ffffff',
    '--vscode-dropdown-border': '#6fc3df',
    '--vscode-checkbox-background': '#000000',
    '--vscode-checkbox-foreground': '#ffffff',
    '--vscode-checkbox-border': '#6fc3df',
    '--vscode-editorHoverWidget-background': '#0c141f',
    '--vscode-editorHoverWidget-border': '#6fc3df',
  },
};

const BODY_CLASS: Record<ThemeName, string> = { light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast' };

let bundleDir: string | undefined;

/** Bundles the dashboard exactly as esbuild.js does (browser, iife, CSS beside it). */
export async function buildBundle(): Promise<string> {
  if (bundleDir) return bundleDir;
  const dir = mkdtempSync(join(tmpdir(), 'noise-lab-webview-'));
  await esbuild.build({ entryPoints: { webview: join(root, 'webview/main.ts') }, bundle: true, platform: 'browser', target: 'es2022', format: 'iife', outdir: dir, loader: { '.css': 'css' }, logLevel: 'warning' });
  bundleDir = dir;
  return dir;
}

export interface Harness {
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

/**
 * The harness of the describe block it is called in: Chromium and the page server start before its
 * tests and close after them. Its fields are read when a test runs, so `const h = useHarness()` can
 * stand where every suite used to repeat the same before/after hooks.
 */
export function useHarness(): Harness {
  let started: Harness | undefined;
  before(async () => {
    started = await startHarness();
  });
  after(async () => {
    await started?.close();
  });
  const get = (): Harness => started ?? assert.fail('the harness is used before its suite started it');
  return {
    get browser() {
      return get().browser;
    },
    get url() {
      return get().url;
    },
    close: () => get().close(),
  };
}

export async function startHarness(): Promise<Harness> {
  const dir = await buildBundle();
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(dashboardHtml({ cspSource: origin, nonce: 'dGVzdG5vbmNlMTIzNDU2Nzg=', scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css` }));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = { '/webview.js': 'webview.js', '/webview.css': 'webview.css' }[url.pathname];
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    url: `${origin}/`,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface Opened {
  page: Page;
  /** Messages the webview posted, in order. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]>;
  clearPosted(): Promise<void>;
  /** What the webview persisted with setState. */
  state(): Promise<unknown>;
  send(...messages: HostMessage[]): Promise<void>;
  /** `csv`: also the text Export CSV would save. */
  probe(o?: { csv?: boolean }): Promise<{
    runs: number;
    seriesPoints: Record<string, number>;
    visibleRuns: string[];
    heatmapDrawn: boolean;
    smoothing: number;
    logY: boolean;
    sweepRows?: number;
    group?: string | null;
    variants?: Record<string, number>;
    historyRows?: string[];
    verdicts?: string[];
    csv?: string;
  }>;
  /** CSP violations and page errors seen so far. */
  problems(): string[];
}

/** `query`: appended to the page's URL (e.g. perf.test.ts' "?budget=off"). */
export async function openDashboard(h: Harness, o: { theme?: ThemeName; state?: unknown; width?: number; height?: number; query?: string } = {}): Promise<Opened> {
  const page = await h.browser.newPage({ viewport: { width: o.width ?? 1100, height: o.height ?? 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // CSP reports are checked separately (cspViolations), with the one known toolkit probe allowed.
    if (m.type() === 'error' && !m.text().includes('Content Security Policy')) problems.push(`console: ${m.text()}`);
  });
  const theme = o.theme ?? 'dark';
  // tsx compiles these tests with esbuild's keepNames, which wraps functions in __name(); the
  // functions passed to the page need it too.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(
    ({ vars, bodyClass, state }) => {
      const w = window as unknown as Record<string, unknown>;
      w.__posted = [];
      w.__state = state;
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (w.__csp as string[]).push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || '<empty>'}`));
      let acquired = false;
      w.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return {
          postMessage: (m: unknown) => (w.__posted as unknown[]).push(JSON.parse(JSON.stringify(m))),
          getState: () => w.__state,
          setState: (s: unknown) => void (w.__state = JSON.parse(JSON.stringify(s))),
        };
      };
      const apply = () => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        if (document.body) document.body.className = bodyClass;
      };
      if (document.documentElement) apply();
      new MutationObserver((_m, obs) => {
        if (document.body) {
          apply();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    },
    { vars: THEMES[theme], bodyClass: BODY_CLASS[theme], state: o.state },
  );
  await page.goto(h.url + (o.query ?? ''));
  await poll(page, () => ((window as unknown as { __posted: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'));
  let probeId = 0;
  const opened: Opened = {
    page,
    posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
    clearPosted: () => page.evaluate(() => void ((window as unknown as { __posted: unknown[] }).__posted.length = 0)),
    state: () => page.evaluate(() => (window as unknown as { __state: unknown }).__state),
    send: async (...messages) => {
      await page.evaluate((ms) => {
        for (const m of ms) window.postMessage(m, '*');
      }, messages);
      // Messages are delivered as tasks: wait until they are handled and a frame is drawn.
      await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => r(null)), 0)));
    },
    probe: async (options = {}) => {
      const id = ++probeId;
      await page.evaluate(([i, csv]) => window.postMessage({ type: 'probe', id: i, csv }, '*'), [id, options.csv === true] as const);
      return (await poll(page, (i) => (window as unknown as { __posted: { type: string; id?: number; state?: unknown }[] }).__posted.find((m) => m.type === 'probeResult' && m.id === i)?.state, id)) as Awaited<
        ReturnType<Opened['probe']>
      >;
    },
    problems: () => problems,
  };
  return opened;
}

/**
 * Polls a page function until it returns something truthy. (page.waitForFunction compiles its
 * predicate inside the page, which the dashboard's CSP rightly forbids.)
 */
export async function poll<R>(page: Page, fn: (arg: any) => R, arg?: unknown, timeoutMs = 10_000): Promise<R> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = (await page.evaluate(fn, arg)) as R;
    if (v) return v;
    if (Date.now() > until) throw new Error(`poll: timed out after ${timeoutMs} ms: ${fn.toString().slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The toolkit (FAST) probes :focus-visible support by inserting an empty <style>; the strict CSP blocks it, harmlessly. */
const KNOWN = (v: string) => v === 'style-src-elem inline <empty>';

export async function cspViolations(o: Opened): Promise<string[]> {
  return (await o.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).filter((v) => !KNOWN(v));
}

export function ensureArtifacts(): string {
  mkdirSync(artifacts, { recursive: true });
  return artifacts;
}

export function cleanupBundle(): void {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
}

// ---- fixtures: recorded trainer events → host messages ---------------------------------

export function loadEvents(name = 'quick-events.jsonl'): TrainerEvent[] {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TrainerEvent);
}

/** The host's RunInfo for a recorded start, with a fixed date so that sorting by date is stable. */
export function runInfoOf(e: Extract<TrainerEvent, { type: 'started' }>, label = 'input std 0.1'): RunInfo {
  return hostRunInfo(e, label, new Date(Date.UTC(2026, 10, 27, 7, 0, e.seed * 2 + (e.variant === 'noise' ? 1 : 0))).toISOString());
}

/** The host's side of a live run: runStarted, images or sequences, epochs batched `batch` rows at a time, boundaries, runEnded. */
export function hostMessages(events: TrainerEvent[], batch = 10): HostMessage[] {
  const out: HostMessage[] = [];
  const pending = new Map<string, import('../../src/protocol/webview').EpochRow[]>();
  const flush = () => {
    const batches = [...pending].filter(([, rows]) => rows.length).map(([runId, rows]) => ({ runId, rows }));
    if (batches.length) out.push({ type: 'epochs', batches });
    pending.clear();
  };
  for (const e of events) {
    switch (e.type) {
      case 'started':
        out.push({ type: 'runStarted', run: runInfoOf(e) });
        break;
      case 'epoch': {
        const rows = pending.get(e.runId) ?? [];
        rows.push({ epoch: e.epoch, train: e.train, validation: e.validation, test: e.test, std: e.std });
        pending.set(e.runId, rows);
        if (rows.length >= batch) flush();
        break;
      }
      case 'boundary':
        flush();
        out.push({ type: 'boundary', runId: e.runId, epoch: e.epoch, grid: e.grid });
        break;
      case 'images':
        out.push({ type: 'images', runId: e.runId, images: e.images });
        break;
      case 'sequences':
        out.push({ type: 'sequences', runId: e.runId, sequences: e.sequences });
        break;
      case 'finished':
        flush();
        out.push({ type: 'runEnded', runId: e.runId, status: e.summary.status, summary: e.summary });
        break;
      default:
        break;
    }
  }
  flush();
  return out;
}

export function specOf(events: TrainerEvent[]) {
  const started = events.find((e): e is Extract<TrainerEvent, { type: 'started' }> => e.type === 'started');
  if (!started) throw new Error('fixture without a started event');
  return started.spec;
}

/** The host's init: the recorded experiment, `runs` (all of them listed), its group shown. */
export function initMessage(events: TrainerEvent[], runs: RunInfo[] = [], busy = false, group = groupOf(runInfoOf(events.find((e) => e.type === 'started') as Extract<TrainerEvent, { type: 'started' }>))): HostMessage {
  const spec = specOf(events);
  const groups = buildGroups(runs, new Map(), null, (file, name) => file ?? name);
  return { type: 'init', experiment: { name: spec.name ?? 'experiment', file: 'file:///work/examples/quick.noiseexp.json', spec }, runs, busy, groups, group };
}
