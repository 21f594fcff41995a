// What the host posts while runs stream comes as one message per flush (issue 16, item 3: each
// message crosses code-server's chain of webview frames and wakes the page; a 45-run sweep posted
// ≈210 of them one by one): runs starting and ending, epochs, grids, busy and a race's view
// queued in order, busy and the race's view only as they last were; replies to the user's own
// actions at once, after what was queued.
import { strict as assert } from 'node:assert';
import { DashboardFeed, FLUSH_INTERVAL_MS } from '../../src/host/dashboardFeed';
import type { HostMessage, RunInfo, SweepView } from '../../src/protocol/webview';
import type { RunSummary, TrainerEvent } from '../../src/protocol/trainer';
import { batchRows } from '../../src/protocol/packedRows';
import { unbatched } from '../../src/protocol/hostBatch';

const info = (runId: string): RunInfo => ({ runId, experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 3, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey: 'k' });
const started = (runId: string) => ({ type: 'started', runId, runDir: null }) as TrainerEvent;
const epoch = (runId: string, n: number): TrainerEvent => ({ type: 'epoch', runId, epoch: n, train: { loss: 1 / n }, test: { loss: 1 }, std: {}, seconds: 0 });
const finished = (runId: string, epochs: number): TrainerEvent => ({ type: 'finished', runId, summary: { runId, status: 'completed', epochs } as RunSummary });
const boundary = (runId: string, n: number): TrainerEvent => ({ type: 'boundary', runId, epoch: n, grid: { x: [0, 1], y: [0, 1], resolution: 1, values: [0.5] } });
const view = (ended: string | null, dropped: number) => ({ paths: [], race: { ended, dropped: Array(dropped) } }) as unknown as SweepView;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a message says, short: its type and run, an epochs message's runs and epochs, a race view's state. */
function said(m: HostMessage): string {
  switch (m.type) {
    case 'epochs':
      return `epochs ${m.batches.map((b) => `${b.runId}:${batchRows(b).map((r) => r.epoch).join(',')}`).join(' ')}`;
    case 'runStarted':
      return `runStarted ${m.run.runId}`;
    case 'runEnded':
    case 'boundary':
      return `${m.type} ${m.runId}`;
    case 'busy':
      return `busy ${m.busy}`;
    case 'sweep':
      return `sweep ${m.result.race?.ended ?? 'racing'} ${m.result.race?.dropped.length}`;
    default:
      return m.type;
  }
}

function feedOf(visible = () => true) {
  const posts: HostMessage[] = [];
  const feed = new DashboardFeed((m) => posts.push(m), visible);
  feed.reset(false);
  return { feed, posts, said: () => posts.flatMap((m) => unbatched(m).map(said)) };
}

describe('dashboard feed: one message per flush', () => {
  it('queues runs starting and ending, their epochs, grids and busy in order, and posts them as one batch', () => {
    const { feed, posts, said } = feedOf();
    feed.busy(true);
    feed.onTrainerEvent(started('a'), () => info('a'));
    for (const n of [1, 2, 3]) feed.onTrainerEvent(epoch('a', n));
    feed.onTrainerEvent(started('b'), () => info('b'));
    feed.onTrainerEvent(epoch('b', 1));
    feed.onTrainerEvent(boundary('a', 3));
    feed.onTrainerEvent(finished('a', 3));
    feed.onTrainerEvent(epoch('b', 2));
    assert.equal(posts.length, 0, 'nothing before the flush');
    feed.flush();
    assert.equal(posts.length, 1, 'one post');
    assert.equal(posts[0].type, 'batch');
    // A run's start before its epochs, its epochs and grid before its end; what came after its end after it.
    assert.deepEqual(said(), ['busy true', 'runStarted a', 'runStarted b', 'epochs a:1,2,3 b:1', 'boundary a', 'runEnded a', 'epochs b:2']);
    feed.flush();
    assert.equal(posts.length, 1, 'nothing new: nothing posted');
    feed.onTrainerEvent(finished('b', 2));
    feed.flush();
    assert.deepEqual(posts.slice(1).map((m) => m.type), ['runEnded'], 'a lone message is posted as itself');
    feed.dispose();
  });

  it('keeps only the latest of busy and of a race\'s view; the sweep\'s final view follows the race\'s last', () => {
    const { feed, said } = feedOf();
    feed.busy(true);
    feed.sweep(view(null, 0), true);
    feed.onTrainerEvent(started('a'), () => info('a'));
    feed.sweep(view(null, 1), true);
    feed.busy(false);
    feed.sweep(view(null, 2), true);
    feed.flush();
    assert.deepEqual(said(), ['runStarted a', 'sweep racing 2'], 'busy and idle again: nothing; three race views: the last');
    feed.sweep(view(null, 3), true);
    feed.sweep(view('futility', 3));
    feed.busy(true);
    feed.flush();
    assert.deepEqual(said().slice(2), ['sweep racing 3', 'sweep futility 3', 'busy true'], 'the final view does not replace the race\'s last (the page records each round it was shown)');
    feed.dispose();
  });

  it('posts a reply to the user at once, after what was queued; an init drops what was queued for the page before it', () => {
    const { feed, posts, said } = feedOf();
    feed.onTrainerEvent(started('a'), () => info('a'));
    feed.onTrainerEvent(epoch('a', 1));
    feed.postNow({ type: 'probe', id: 7 });
    assert.deepEqual(posts.map((m) => m.type), ['batch', 'probe']);
    assert.deepEqual(said(), ['runStarted a', 'epochs a:1', 'probe']);
    feed.onTrainerEvent(started('b'), () => info('b'));
    feed.busy(true);
    // The webview reloaded: its init carries run b and busy.
    feed.reset(true);
    feed.flush();
    assert.deepEqual(said(), ['runStarted a', 'epochs a:1', 'probe', 'epochs a:1'], 'only the epochs, sent again to the new page');
    feed.dispose();
  });

  it('queues nothing for a hidden panel (its page is gone; the next one is sent everything again), and flushes by itself within the interval once shown', async () => {
    let visible = false;
    const { feed, posts, said } = feedOf(() => visible);
    for (let i = 0; i < 50; i++) {
      feed.onTrainerEvent(started(`h${i}`), () => info(`h${i}`));
      feed.onTrainerEvent(finished(`h${i}`, 0));
    }
    feed.busy(true);
    feed.flush();
    assert.equal(posts.length, 0);
    visible = true;
    feed.flush();
    assert.equal(posts.length, 0, 'what came while hidden is not posted when shown: the new page asks for it (ready)');
    feed.reset(true);
    feed.onTrainerEvent(started('a'), () => info('a'));
    feed.onTrainerEvent(epoch('a', 1));
    await sleep(FLUSH_INTERVAL_MS * 2);
    assert.deepEqual(said(), ['runStarted a', 'epochs a:1']);
    assert.equal(posts.length, 1);
    feed.dispose();
  });
});
