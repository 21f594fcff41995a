// The sweep view of a racing sweep (issue 14, item 1): the race's ending heads the verdict, and
// every dropped point keeps its row, greyed, with its round and its test's p. The fixture is the
// --json summary of the shipped circles sweep raced over 3–10 seeds (examples/circles-sweep with
// "racing": {"minSeeds": 3, "maxSeeds": 10}): std 1 dropped after round 1, 0.3 after round 2, undecided at 10.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepView } from '../../src/protocol/webview';
import { initMessage, loadEvents, openDashboard, useHarness } from './harness';

const raced = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'circles-race-result.json'), 'utf8')) as SweepView;
const SHOTS = '/tmp/shots-racing';

describe('sweep view: a racing sweep (headless Chromium)', function () {
  const h = useHarness();

  it('says how the race ended and shows the dropped points with round and p (screenshot in /tmp/shots-racing)', async () => {
    const o = await openDashboard(h, { theme: 'dark' });
    await o.send(initMessage(loadEvents()), { type: 'sweep', result: raced });
    const verdict = await o.page.locator('#sweep-verdict').textContent();
    assert.match(verdict ?? '', /^Racing undecided after 111 runs, 10 seeds \(maxSeeds 10\): noise\.activations\[0\]\.std=0\.03, the clean control and noise\.activations\[0\]\.std=0\.1 cannot be told apart \(the full grid: 150 runs\)\./);
    const rows = await o.page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => ({ cells: [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? ''), stopped: tr.classList.contains('stopped') })));
    const row = (std: string) => rows.find((r) => r.cells[0] === `noise.activations[0].std=${std}`)!;
    for (const [std, round, seeds] of [['1', 1, 3], ['0.3', 2, 4]]) {
      assert.match(row(String(std)).cells.at(-1)!, new RegExp(`^dropped after round ${round} \\(${seeds} seeds\\): worse`));
      assert.match(row(String(std)).cells.at(-1)!, /: worse than (the clean control|noise\.activations\[0\]\.std=0\.03), p [=<] 0\.\d{3} \(Holm-adjusted p [=<] 0\.\d{3}\)$/);
      assert.equal(row(String(std)).stopped, true, 'a dropped row is greyed');
    }
    assert.equal(row('0.1').stopped, false, 'a survivor is not');
    assert.equal(row('0.1').cells.at(-1), '');
    mkdirSync(SHOTS, { recursive: true });
    await o.page.locator('#sweep-table').screenshot({ path: join(SHOTS, 'sweep-table-race.png') });
    await o.page.setViewportSize({ width: 1000, height: 2400 });
    await o.page.locator('#sweep').screenshot({ path: join(SHOTS, 'sweep-race.png') });
    await o.page.close();
  });
});
