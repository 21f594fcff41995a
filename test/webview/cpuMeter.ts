// The renderer's CPU while something happens in a page, through the Chrome DevTools Protocol:
// the renderer processes' CPU time (SystemInfo.getProcessInfo: the main thread, raster and
// compositor threads; idle spare renderers add ≈0), the main thread's busy time
// (Performance.getMetrics TaskDuration) and the GPU process' (software compositing without a
// GPU), each over the wall time, as % of one core.
import type { Browser, Page } from 'playwright-core';

export interface CpuFigures {
  wallMs: number;
  /** The renderer processes' CPU seconds. */
  rendererSeconds: number;
  /** % of one core over the wall time. */
  renderer: number;
  mainThread: number;
  gpu: number;
}

/** The CPU seconds every renderer process of `browser` has spent so far (closed ones no longer count: keep pages open across a reading). */
export async function rendererSeconds(browser: Browser): Promise<number> {
  const b = await browser.newBrowserCDPSession();
  const { processInfo } = (await b.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
  await b.detach();
  return processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
}

export async function measureCpu<T>(browser: Browser, page: Page, during: () => Promise<T>): Promise<{ result: T; cpu: CpuFigures }> {
  const b = await browser.newBrowserCDPSession();
  const s = await page.context().newCDPSession(page);
  await s.send('Performance.enable');
  const processes = async () => {
    const { processInfo } = (await b.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    const sum = (type: string) => processInfo.filter((p) => p.type === type).reduce((a, p) => a + p.cpuTime, 0);
    return { renderer: sum('renderer'), gpu: sum('GPU') };
  };
  const task = async () => (await s.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  const p0 = await processes();
  const t0 = await task();
  const w0 = performance.now();
  const result = await during();
  const wallMs = performance.now() - w0;
  const p1 = await processes();
  const t1 = await task();
  await s.detach();
  await b.detach();
  const pct = (seconds: number) => (100 * seconds * 1000) / wallMs;
  return { result, cpu: { wallMs, rendererSeconds: p1.renderer - p0.renderer, renderer: pct(p1.renderer - p0.renderer), mainThread: pct(t1 - t0), gpu: pct(p1.gpu - p0.gpu) } };
}
