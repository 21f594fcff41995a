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

  it('shows a race as it goes: the points still in it and the dropped ones, then the final view (screenshot in /tmp/shots-sweeps)', async () => {
    const o = await openDashboard(h, { theme: 'light' });
    // The same race after its second round, as the host posts it then: not over, 0.03 and 0.1 still in it.
    const live: SweepView = { ...raced, race: { ...raced.race!, ended: null, rounds: 2, sentence: 'racing in round 3 after 39 runs: 2 points still in the race (the full grid: 150 runs)' } };
    await o.send(initMessage(loadEvents()), { type: 'sweep', result: live });
    assert.match((await o.page.locator('#sweep-verdict').textContent()) ?? '', /^Racing in round 3 after 39 runs: 2 points still in the race/);
    const notes = async () => Object.fromEntries(await o.page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => [(tr as HTMLTableRowElement).cells[0].textContent, (tr as HTMLTableRowElement).cells[6].textContent])));
    const during = await notes();
    assert.match(during['noise.activations[0].std=0.03'], /(^|; )in the race after round 2$/);
    assert.equal(during['noise.activations[0].std=0.1'], 'in the race after round 2');
    assert.match(during['noise.activations[0].std=1'], /^dropped after round 1 /);
    mkdirSync('/tmp/shots-sweeps', { recursive: true });
    await o.page.locator('#sweep-table').screenshot({ path: join('/tmp/shots-sweeps', 'race-live.png') });
    await o.send({ type: 'sweep', result: raced });
    const after = await notes();
    assert.equal(after['noise.activations[0].std=0.1'], '', 'once the race is over, no point is "in the race"');
    const probe = (await o.probe()) as { sweepRaces?: { ended: string | null; dropped: number; survivors: number }[] };
    assert.deepEqual(probe.sweepRaces, [
      { ended: null, dropped: 2, survivors: 2 },
      { ended: 'undecided', dropped: 2, survivors: 2 },
    ]);
    await o.page.close();
  });
});
