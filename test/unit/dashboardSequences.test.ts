// The host carries a run's sample test windows (sequence inputs) to the dashboard as it does its
// images: once per webview, replayed to a reloaded one, held for a group that is not shown.
import { strict as assert } from 'node:assert';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { ImageSamples, SequenceSamples, TrainerEvent } from '../../src/protocol/trainer';
import { unbatched } from '../../src/protocol/hostBatch';

const info = (runId: string, specKey = 'k'): RunInfo => ({ runId, experiment: 'e', variant: 'noise', seed: 1, repeat: 0, task: 'regression', totalEpochs: 5, noise: {}, label: 'x', backend: 'wasm', status: 'running', summary: null, startedAt: '', file: null, specKey });
const sequences: SequenceSamples = { shape: [3, 1], features: ['value'], windows: [[1, 2, 3]], rows: [0], offset: [2], scale: [1], range: [[0, 5]], truth: [4], target: 'value', horizon: 1, targetFeature: 0 };
const images: ImageSamples = { shape: [1, 1, 1], pixels: [[1]], labels: [0], rows: [0], offset: 0, scale: 1, range: [0, 1] };
const samplesPosted = (posted: HostMessage[]) => posted.filter((m) => m.type === 'sequences' || m.type === 'images');

describe('dashboard feed: sample sequences', () => {
  it('posts a run’s windows once, beside its images, and again to a reloaded webview', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('a'));
    feed.onTrainerEvent({ type: 'sequences', runId: 'a', sequences });
    feed.onTrainerEvent({ type: 'images', runId: 'a', images });
    feed.flush();
    feed.flush();
    const both = [
      { type: 'sequences', runId: 'a', sequences },
      { type: 'images', runId: 'a', images },
    ];
    assert.deepEqual(samplesPosted(posted), both);
    posted.length = 0;
    feed.reset();
    feed.flush();
    assert.deepEqual(samplesPosted(posted), both);
    feed.dispose();
  });

  it('holds the windows of a run whose group is not shown, and posts them when it is', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    feed.reset();
    feed.show((i) => i.specKey === 'shown');
    feed.onTrainerEvent({ type: 'started' } as TrainerEvent, () => info('b', 'other'));
    feed.onTrainerEvent({ type: 'sequences', runId: 'b', sequences });
    feed.onTrainerEvent({ type: 'sequences', runId: 'unknown', sequences });
    feed.flush();
    assert.equal(samplesPosted(posted).length, 0);
    feed.show(() => true);
    feed.flush();
    assert.deepEqual(samplesPosted(posted), [{ type: 'sequences', runId: 'b', sequences }]);
    feed.dispose();
  });
});
