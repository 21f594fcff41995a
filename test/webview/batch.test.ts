// While runs stream the host posts one message per flush, a batch of what happened
// (src/host/dashboardFeed.ts): the dashboard applies its messages in order, as it would have
// applied them one by one, and leaves out what is not a message (a nested batch among them).
import * as assert from 'node:assert/strict';
import { hostMessages, initMessage, loadEvents, openDashboard, useHarness } from './harness';
import type { HostMessage, SingleHostMessage } from '../../src/protocol/webview';

describe('dashboard: a batch of host messages', function () {
  this.timeout(120_000);
  const h = useHarness();
  const events = loadEvents();
  const messages = hostMessages(events) as SingleHostMessage[];
  const busy = (b: boolean): SingleHostMessage => ({ type: 'busy', busy: b });
  // Busy at the end (the init said idle): the ring shows only if the batch's busy was applied.
  const stream: SingleHostMessage[] = [busy(true), ...messages, busy(false), busy(true)];

  it('shows and exports the same as its messages posted one by one, in their order', async () => {
    const seen = [];
    const firstRun = messages.find((m) => m.type === 'runStarted')!;
    const junk = [42, null, { type: 7 }, { type: 'batch', messages: [{ type: 'runDeleted', runId: firstRun.type === 'runStarted' ? firstRun.run.runId : '' }] }] as unknown as SingleHostMessage[];
    const batch: HostMessage = { type: 'batch', messages: [...stream.slice(0, 5), ...junk, ...stream.slice(5)] };
    for (const sent of [stream, [batch]]) {
      const o = await openDashboard(h);
      await o.send(initMessage(events), ...sent);
      const probe = await o.probe({ csv: true });
      const ring = await o.page.evaluate(() => (document.querySelector('#busy') as HTMLElement | null)?.hidden ?? null);
      seen.push({ probe, ring });
      assert.deepEqual(o.problems(), []);
      await o.page.close();
    }
    const [oneByOne, batched] = seen;
    assert.equal(oneByOne.probe.runs, 4);
    assert.ok(messages.filter((m) => m.type === 'runEnded').length === 4 && messages.length > 10, `${messages.length} messages`);
    assert.deepEqual(batched.probe, oneByOne.probe, 'the same runs, series, history, verdicts and CSV (the nested batch\'s runDeleted not applied)');
    assert.ok((batched.probe.csv ?? '').split('\n').length > 200, 'the CSV holds every epoch');
    assert.equal(oneByOne.ring, false);
    assert.equal(batched.ring, false, 'busy as its last message in the batch said');
  });
});
