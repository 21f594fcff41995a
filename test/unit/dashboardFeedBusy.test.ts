// The dashboard's busy flag, as the host's feed posts it: a sweep starts a run every ≈0.5 s, and
// each message crosses code-server's chain of webview frames and wakes the page (issue 16,
// item 3), so the flag is posted when it changes, not at every run's start, and with the next
// flush (a change and its undoing before it: nothing).
import { strict as assert } from 'node:assert';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import type { HostMessage } from '../../src/protocol/webview';
import { unbatched } from '../../src/protocol/hostBatch';

describe('dashboard feed: busy', () => {
  it('is posted when it changes, not again for the same state, and follows a reload\'s init', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    const busy = () => posted.filter((m) => m.type === 'busy').map((m) => (m.type === 'busy' ? m.busy : null));
    feed.reset(false);
    for (let i = 0; i < 45; i++) feed.busy(true);
    assert.deepEqual(busy(), [], 'queued for the next flush');
    feed.flush();
    assert.deepEqual(busy(), [true], "45 runs' starts: one message");
    feed.busy(false);
    feed.busy(false);
    feed.flush();
    assert.deepEqual(busy(), [true, false], 'the end of the sweep is posted, once');
    // Busy again and idle again before the flush: the page still shows what it was told.
    feed.busy(true);
    feed.busy(false);
    feed.flush();
    assert.deepEqual(busy(), [true, false]);
    // A reloaded webview's init said busy: the same again is not posted, a change is.
    feed.reset(true);
    feed.busy(true);
    feed.flush();
    assert.deepEqual(busy(), [true, false]);
    feed.busy(false);
    feed.flush();
    assert.deepEqual(busy(), [true, false, false]);
    // A webview that is gone is told nothing; its next init carries the state.
    feed.busy(true);
    feed.detach();
    feed.reset(false);
    feed.flush();
    assert.deepEqual(busy(), [true, false, false], 'what was queued for a page that is gone is not posted to the next');
    feed.detach();
    feed.busy(true);
    feed.flush();
    assert.deepEqual(busy(), [true, false, false]);
    feed.reset();
    feed.busy(true);
    feed.flush();
    assert.deepEqual(busy(), [true, false, false, true], 'after an init that did not say, the state is posted');
    feed.dispose();
  });
});
