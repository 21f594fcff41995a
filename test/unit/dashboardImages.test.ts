// The host carries a run's sample images to the dashboard: once per webview, replayed to a
// reloaded one, held for a group that is not shown until it is.
import { strict as assert } from 'node:assert';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { ImageSamples, TrainerEvent } from '../../src/protocol/trainer';
import { unbatched } from '../../src/protocol/hostBatch';

const info = (runId: string, specKey = 'k'): RunInfo => ({ runId, experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'classification', totalEpochs: 5, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey });
const images: ImageSamples = { shape: [2, 2, 1], pixels: [[0, 4, 8, 16]], labels: [3], rows: [0], offset: 5, scale: 6, range: [0, 16] };
const imagesPosted = (posted: HostMessage[]) => posted.filter((m): m is Extract<HostMessage, { type: 'images' }> => m.type === 'images');

describe('dashboard feed: sample images', () => {
  it('posts a run’s images once, and again to a reloaded webview', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('a'));
    feed.onTrainerEvent({ type: 'images', runId: 'a', images });
    feed.flush();
    feed.flush();
    assert.deepEqual(imagesPosted(posted), [{ type: 'images', runId: 'a', images }]);
    posted.length = 0;
    feed.reset();
    feed.flush();
    assert.deepEqual(imagesPosted(posted), [{ type: 'images', runId: 'a', images }]);
    feed.dispose();
  });

  it('holds the images of a run whose group is not shown, and posts them when it is', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.show((i) => i.specKey === 'shown');
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('b', 'other'));
    feed.onTrainerEvent({ type: 'images', runId: 'b', images });
    feed.onTrainerEvent({ type: 'images', runId: 'unknown', images });
    feed.flush();
    assert.equal(imagesPosted(posted).length, 0);
    feed.show(() => true);
    feed.flush();
    assert.deepEqual(imagesPosted(posted).map((m) => m.runId), ['b']);
    feed.dispose();
  });
});
