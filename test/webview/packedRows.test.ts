// The host posts epochs as columns (src/protocol/packedRows.ts: typed arrays, bytes through VS
// Code's webview bridge): the dashboard holds and draws the same as from rows.
import * as assert from 'node:assert/strict';
import { hostMessages, initMessage, loadEvents, openDashboard, useHarness } from './harness';
import { packRows } from '../../src/protocol/packedRows';
import type { HostMessage } from '../../src/protocol/webview';

describe('dashboard: epochs as columns', function () {
  this.timeout(120_000);
  const h = useHarness();
  const events = loadEvents();
  const asRows = hostMessages(events);
  const asColumns = asRows.map((m): HostMessage => (m.type === 'epochs' ? { ...m, batches: m.batches.map((b) => ({ runId: b.runId, packed: packRows(b.rows ?? []) })) } : m));

  it('shows every run and exports the same CSV from columns as from rows', async () => {
    const seen = [];
    for (const messages of [asRows, asColumns]) {
      const o = await openDashboard(h);
      await o.send(initMessage(events), ...messages);
      const p = await o.probe({ csv: true });
      seen.push(p);
      await o.page.close();
    }
    const [rows, columns] = seen;
    assert.ok(asColumns.some((m) => m.type === 'epochs' && m.batches[0].packed), 'the second page got columns');
    assert.equal(columns.runs, 4);
    assert.deepEqual(columns.seriesPoints, rows.seriesPoints);
    assert.ok(Object.values(rows.seriesPoints).every((n) => n === 60));
    assert.ok((rows.csv ?? '').split('\n').length > 200, 'the CSV holds every epoch');
    assert.equal(columns.csv, rows.csv);
  });
});
