// The host posts the same init twice as a sweep starts (when the page is ready, and when the
// sweep's first run is submitted): the second rebuilds neither the tweak panel nor the group
// picker (each was ≈0.1 s of the page's opening, replayed from VS Code's speed test); a changed
// experiment still rebuilds the panel.
import * as assert from 'node:assert/strict';
import { initMessage, loadEvents, openDashboard, useHarness } from './harness';
import type { HostMessage } from '../../src/protocol/webview';

const marked = `(() => {
  const w = window;
  const site = document.querySelector('#tweak-panel fieldset.site');
  const option = document.querySelector('#group-picker vscode-option');
  return { site: !!site && site.dataset.mark === '1', option: !!option && option.dataset.mark === '1', sites: document.querySelectorAll('#tweak-panel fieldset.site').length, std: document.querySelector('#tweak-panel vscode-text-field')?.value };
})()`;
const mark = `(() => { for (const s of ['#tweak-panel fieldset.site', '#group-picker vscode-option']) document.querySelector(s).dataset.mark = '1'; })()`;

describe('dashboard: an init repeated', function () {
  this.timeout(120_000);
  const h = useHarness();
  const events = loadEvents();

  it('rebuilds neither the tweak panel nor the picker when nothing changed, and the panel when the experiment did', async () => {
    const o = await openDashboard(h);
    const init = initMessage(events);
    await o.send(init);
    await o.page.evaluate(mark);
    await o.send(init);
    assert.deepEqual(await o.page.evaluate(marked), { site: true, option: true, sites: 5, std: '0.1' }, 'the same init again: the same elements');
    const spec = structuredClone((init as Extract<HostMessage, { type: 'init' }>).experiment!.spec);
    spec.noise = { ...spec.noise, input: { ...spec.noise?.input, std: 0.2 } } as typeof spec.noise;
    await o.send({ ...init, experiment: { ...(init as Extract<HostMessage, { type: 'init' }>).experiment!, spec } } as HostMessage);
    const after = (await o.page.evaluate(marked)) as { site: boolean; std: string };
    assert.equal(after.site, false, 'a changed experiment builds the panel again');
    assert.equal(after.std, '0.2');
    assert.deepEqual(o.problems(), []);
    await o.page.close();
  });
});
