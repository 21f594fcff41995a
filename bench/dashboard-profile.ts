// Where the dashboard's CPU goes while a 54-run sweep streams (issue 16, item 3): the perf
// test's sweep (test/webview/sweepStream.ts) into the dashboard in headless Chromium, traced with
// CDP Tracing, and the renderer's main thread's CPU time (each trace event's thread time, less its
// children's) per second of sweep, by category and by event. Thread time, not wall time: on a
// loaded machine an event's wall duration includes the time its thread waited for a core.
//   npx tsx bench/dashboard-profile.ts [--width 1280] [--top 25] [--query ?budget=off] [--replay rec.jsonl] [--untraced] [--rounds 1] [--speed 1] [--height 900]
// --replay: a sweep as VS Code's panel posted it (NOISE_LAB_RECORD_DASHBOARD=rec.jsonl while the
// speed test runs; test/webview/replayStream.ts), with every run's whole curve and grid at its end;
// --speed 2.5: that much faster than recorded (a loaded machine's sweep at a quiet one's pace).
// --height: the page's (the speed test's panel: about 520 × 700).
// Tracing costs CPU of its own: compare figures of this script with each other, and take the
// renderer's share from test/webview/perf.test.ts, which does not trace.
// --untraced: the renderer's CPU seconds alone, opening the page (a new tab until it is ready and
// has drawn its first init: what VS Code's panel costs its webview before the first epoch) and
// then the stream, each --rounds times in one browser, so that two builds can be compared by
// medians (run it on each checkout, alternating).
import { parseArgs } from 'node:util';
import { initMessage, loadEvents, openDashboard, startHarness, type Harness, type Opened } from '../test/webview/harness';
import { SWEEP, SWEEP_GROUP, streamSweep } from '../test/webview/sweepStream';
import { measureCpu, rendererSeconds } from '../test/webview/cpuMeter';
import { handToPage, readRecording, replayInPage, type Recorded } from '../test/webview/replayStream';
import type { HostMessage } from '../src/protocol/webview';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number } };
}

const CATEGORIES: [string, RegExp][] = [
  ['script (JS, GC, message cloning, observers)', /^(FunctionCall|EvaluateScript|v8|V8|TimerFire|EventDispatch|RunMicrotasks|RunPendingMicrotask|FireAnimationFrame|AsyncTask|SerializedScriptValue|DOMWindow::DoPostMessage|BlinkScheduler_PerformMicrotaskCheckpoint|IntersectionObserver|ResizeObserver|CustomElement)/],
  ['style and layout', /(recalcStyle|UpdateLayoutTree|updateStyle|Style|Layout|layout|ShapeText|InlineNode|HitTest)/],
  ['paint, canvas and compositing', /(Paint|Raster|Canvas|Layeriz|CompositingInputs|CullRect|Commit|commit|UpdateLayers|Image)/],
];
const category = (name: string) => CATEGORIES.find(([, re]) => re.test(name))?.[0] ?? 'frame and task overhead (scheduling, lifecycle, IPC)';

/** Self thread time by event name on one thread: each complete event's time less its children's. */
function selfTimes(events: TraceEvent[]): Map<string, number> {
  const sorted = [...events].sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const children = new Map<TraceEvent, number>();
  const stack: TraceEvent[] = [];
  for (const e of sorted) {
    while (stack.length && stack[stack.length - 1].ts + (stack[stack.length - 1].dur ?? 0) <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) children.set(parent, (children.get(parent) ?? 0) + (e.tdur ?? e.dur ?? 0));
    stack.push(e);
  }
  const self = new Map<string, number>();
  for (const e of sorted) {
    const d = e.args?.data;
    const name = e.name === 'FunctionCall' && d ? `FunctionCall ${d.functionName || '(anonymous)'} (${String(d.url ?? '').replace(/^.*\//, '')}:${d.lineNumber})` : e.name;
    self.set(name, (self.get(name) ?? 0) + (e.tdur ?? e.dur ?? 0) - (children.get(e) ?? 0));
  }
  return self;
}

/** The renderer's CPU seconds opening a dashboard until it is ready and has drawn `init` (the page left open). */
async function opening(h: Harness, width: number, height: number, query: string, init: HostMessage | undefined): Promise<{ o: Opened; seconds: number }> {
  const s0 = await rendererSeconds(h.browser);
  const o = await openDashboard(h, { width, height, query });
  if (init) await o.send(init);
  await o.page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
  return { o, seconds: (await rendererSeconds(h.browser)) - s0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function untraced(h: Harness, width: number, height: number, query: string, recorded: Recorded[] | undefined, rounds: number): Promise<void> {
  const open: number[] = [];
  const stream: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const { o, seconds } = await opening(h, width, height, query, recorded?.[0].m ?? initMessage(loadEvents(), [], true, SWEEP_GROUP));
    open.push(seconds);
    if (recorded) await handToPage(o.page, recorded.slice(1));
    const { result, cpu } = await measureCpu(h.browser, o.page, async () => (recorded ? { messages: recorded.length, wallMs: await replayInPage(o.page) } : streamSweep(o.page)));
    stream.push(cpu.rendererSeconds);
    console.log(`round ${i + 1}: opening ${seconds.toFixed(2)} renderer CPU s; ${result.messages} messages over ${(result.wallMs / 1000).toFixed(1)} s: renderer ${cpu.rendererSeconds.toFixed(2)} CPU s (${cpu.renderer.toFixed(1)} % of a core), main thread ${cpu.mainThread.toFixed(1)} %, GPU process ${cpu.gpu.toFixed(1)} %`);
    await o.page.close();
  }
  const sum = open.map((x, i) => x + stream[i]);
  console.log(`medians of ${rounds}: opening ${median(open).toFixed(2)}, stream ${median(stream).toFixed(2)}, both ${median(sum).toFixed(2)} renderer CPU s; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { width: { type: 'string', default: '1280' }, top: { type: 'string', default: '25' }, query: { type: 'string', default: '' }, replay: { type: 'string' }, untraced: { type: 'boolean', default: false }, rounds: { type: 'string', default: '1' }, speed: { type: 'string', default: '1' }, height: { type: 'string', default: '900' } } });
  const recorded = values.replay ? readRecording(values.replay, Number(values.speed)) : undefined;
  const height = Number(values.height);
  const h = await startHarness();
  try {
    if (values.untraced) return await untraced(h, Number(values.width), height, values.query, recorded, Number(values.rounds));
    const o = await openDashboard(h, { width: Number(values.width), height, query: values.query });
    if (!recorded) await o.send(initMessage(loadEvents(), [], true, SWEEP_GROUP));
    if (recorded) await handToPage(o.page, recorded);
    const b = await h.browser.newBrowserCDPSession();
    const events: TraceEvent[] = [];
    b.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
    await b.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc'] }, transferMode: 'ReportEvents' });
    const { result, cpu } = await measureCpu(h.browser, o.page, async () => (recorded ? { messages: recorded.length, wallMs: await replayInPage(o.page) } : streamSweep(o.page)));
    const complete = new Promise<void>((r) => b.once('Tracing.tracingComplete', () => r()));
    await b.send('Tracing.end');
    await complete;
    const sweepSeconds = recorded ? result.wallMs / 1000 : (result.messages * SWEEP.intervalMs) / 1000;
    const perSecond = (us: number) => (us / 1000 / sweepSeconds).toFixed(1).padStart(7);
    // The dashboard's main thread: the renderer thread with the most layouts.
    const threads = new Map<string, TraceEvent[]>();
    for (const e of events) if (e.ph === 'X' && e.dur != null) threads.set(`${e.pid}:${e.tid}`, [...(threads.get(`${e.pid}:${e.tid}`) ?? []), e]);
    const main = [...threads.values()].sort((x, y) => y.filter((e) => e.name === 'Layout').length - x.filter((e) => e.name === 'Layout').length)[0] ?? [];
    const self = selfTimes(main);
    const byCategory = new Map<string, number>();
    for (const [name, us] of self) byCategory.set(category(name), (byCategory.get(category(name)) ?? 0) + us);
    const total = [...self.values()].reduce((a, v) => a + v, 0);
    const count = (name: string) => main.filter((e) => e.name === name).length;
    console.log(`sweep of ${recorded ? `${values.replay} (replayed)` : `${SWEEP.runs} runs`}, ${result.messages} messages, ${sweepSeconds.toFixed(1)} s; renderer (traced) ${((100 * cpu.rendererSeconds) / sweepSeconds).toFixed(0)} % of a core; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`main thread, ms of CPU per second of sweep: ${perSecond(total).trim()} (${count('ProxyMain::BeginMainFrame')} frames, ${count('Layout')} layouts)`);
    for (const [name, us] of [...byCategory].sort((x, y) => y[1] - x[1])) console.log(`${perSecond(us)}  ${name}`);
    console.log('by event:');
    for (const [name, us] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) console.log(`${perSecond(us)}  ${name}`);
  } finally {
    await h.close();
  }
}

void main();
