// The sweep view of a pruned race that stopped for futility (issue 14): the verdict says how it
// ended, and each point pruned at a rung of the race's first round keeps its row, greyed, with
// the rung's why from the race's `pruned` list in place of the plain "pruned in 3 of 3 seeds".
// The fixture is the --json summary of test/unit/sweep/raceFile.ts' pruned race (circles in 2
// folds, input stds 0.01, 0.1, 0.3 and 1 over 3–5 seeds, rungs at 20, 40 and 80 epochs), run with
// dist/cli.js: 0.01 and 0.3 pruned at epoch 20, 1 at epoch 40, then stopped for futility.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import { initMessage, loadEvents, openDashboard, useHarness } from './harness';

const race = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'pruned-race-result.json'), 'utf8')) as SweepView;
const SHOTS = '/tmp/shots-race14';

describe('sweep view: a pruned race stopped for futility (headless Chromium)', function () {
  const h = useHarness();

  it('lists each pruned point with its rung\'s why, greyed, and says the race stopped for futility (screenshot in /tmp/shots-race14)', async () => {
    const o = await openDashboard(h, { theme: 'dark' });
    await o.send(initMessage(loadEvents()), { type: 'sweep', result: race });
    const verdict = (await o.page.locator('#sweep-verdict').textContent()) ?? '';
    assert.match(verdict, /^Racing undecided after 30 runs, 3 seeds \(stopped for futility\): the clean control and noise\.input\.std=0\.1 cannot be told apart, and more seeds up to 5 would very likely not tell them apart \(predictive power 0\.1 %, futility threshold 10 %\)/);
    const rows = await o.page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => ({ cells: [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? ''), stopped: tr.classList.contains('stopped') })));
    const row = (std: string) => rows.find((r) => r.cells[0] === `noise.input.std=${std}`)!;
    for (const pruned of race.race!.pruned) {
      const std = String((pruned.point as Record<string, number>)['noise.input.std']);
      assert.equal(row(std).cells.at(-1), pruned.why, `${std}: its rung's why, once`);
      assert.match(row(std).cells.at(-1)!, /^pruned at epoch (20|40) \(rung [12]\): its trial's validation accuracy 0\.\d{3} is below the rung's threshold 0\.\d{3} \([12] of [24] trials go on\)$/);
      assert.equal(row(std).stopped, true, 'a pruned point is greyed');
    }
    assert.equal(race.race!.pruned.length, 3);
    assert.equal(row('0.1').stopped, false, 'the point still in the race at its end is not');
    assert.doesNotMatch(row('0.1').cells.at(-1)!, /pruned/);
    mkdirSync(SHOTS, { recursive: true });
    await o.page.setViewportSize({ width: 1000, height: 2400 });
    await o.page.locator('#sweep').screenshot({ path: join(SHOTS, 'sweep-pruned-race.png') });
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });
});
