// The sweep view of a point that is the control (issue 14, item 5): its row in the dashboard's
// table says "= control", as the CLI's table does. The recorded shipped sweep trained std 0 as
// its own runs, and they matched the control's to the last digit (validation, test, loss; a
// difference of 0 in all 3 seeds); a sweep now reports the control's runs for it, as here.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import { initMessage, loadEvents, openDashboard, useHarness } from './harness';

const recorded = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'circles-sweep-result.json'), 'utf8')) as SweepView;
const SHOTS = '/tmp/shots-waste';

/** The recorded sweep as a sweep now reports it: std 0 marked as the control, with the exact verdict. */
function withSameAsControl(r: SweepView): SweepView {
  const verdict = "no difference (noise.activations[0].std=0 adds no noise: its runs are the control's, test difference 0 in all 3 seeds)";
  return { ...r, sweep: r.sweep.map((p, i) => (i === 0 ? { ...p, ...r.control!, sameAsControl: true as const, verdict } : p)) };
}

describe('sweep view: a point that is the control (headless Chromium)', function () {
  const h = useHarness();

  it('marks its row "= control" and every other row as before (screenshot in /tmp/shots-waste)', async () => {
    const o = await openDashboard(h, { theme: 'dark' });
    await o.send(initMessage(loadEvents()), { type: 'sweep', result: withSameAsControl(recorded) });
    const rows = await o.page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? '')));
    const control = rows.find((r) => r[0] === 'control (clean)')!;
    const same = rows.find((r) => r[0] === 'noise.activations[0].std=0')!;
    assert.equal(same.at(-1), '= control');
    assert.deepEqual(same.slice(1, 4), control.slice(1, 4), 'its runs, validation and test are the control\'s');
    const best = rows.find((r) => r[0] === 'noise.activations[0].std=0.03')!;
    assert.equal(best.at(-1), '★ best, not better than control');
    assert.ok(rows.filter((r) => r !== same).every((r) => !r.at(-1)!.includes('= control')));
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#sweep-table').screenshot({ path: join(SHOTS, 'sweep-table-same-as-control.png') });
    await o.page.close();
  });
});
