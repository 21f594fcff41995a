// The dashboard's groups (one file's runs of one spec), read back from real run folders as the
// trainer writes them, and the feed posting only the shown group's epochs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildGroups, chooseGroup, currentGroupOf, groupOf, storedRunInfo, type ShownFile } from '../../src/host/dashboardGroups';
import { DashboardFeed } from '../../src/host/dashboardFeed';
import { readRuns } from '../../src/host/runsStore';
import { specKey } from '../../src/spec/runKey';
import { validateExperiment, type Experiment } from '../../src/spec';
import type { HostMessage, RunInfo } from '../../src/protocol/webview';
import type { RunSummary } from '../../src/protocol/trainer';
import { unbatched } from '../../src/protocol/hostBatch';

const root = path.join(__dirname, '..', '..');
const resolve = (file: string, change: (s: Record<string, any>) => void = () => {}): Experiment => {
  const input = JSON.parse(JSON.stringify((validateExperiment(fs.readFileSync(path.join(root, 'examples', file), 'utf8'), { filePath: path.join(root, 'examples', file) }) as { spec: Experiment }).spec));
  change(input);
  const v = validateExperiment(JSON.stringify(input), { filePath: path.join(root, 'examples', file) });
  if (!v.ok) throw new Error(v.problems.map((p) => p.message).join('; '));
  return v.spec;
};

describe('dashboard groups (host side)', () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'noiselab-groups-'));
  const ws = path.dirname(path.dirname(runsDir));
  const quickFile = path.join(ws, 'quick.noiseexp.json');
  const sineFile = path.join(ws, 'sine.noiseexp.json');
  const quick = resolve('quick.noiseexp.json');
  const sine = resolve('sine-target-noise.noiseexp.json');
  const quick300 = resolve('quick.noiseexp.json', (s) => (s.training.epochs = 300));
  let n = 0;
  /** A run folder as trainer/experiment.ts writes it (meta with file and key unless `old`). */
  const write = (spec: Experiment, file: string | null, variant: 'control' | 'noise', seed: number, startedAt: string, old = false) => {
    const runId = `2026${String(++n).padStart(4, '0')}-${variant}-s${seed}`;
    const dir = path.join(runsDir, spec.name!.replace(/[^A-Za-z0-9._-]+/g, '-'), runId);
    fs.mkdirSync(dir, { recursive: true });
    const meta = old ? {} : { specKey: specKey(spec), ...(file && { file: path.relative(runsDir, file) }) };
    fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify({ variant, seed, ...meta, spec }));
    const summary: Partial<RunSummary> = { runId, experiment: spec.name!, variant, seed, repeat: seed - 1, status: 'completed', task: 'classification', backend: 'wasm', epochs: spec.training.epochs, startedAt, test: { loss: 1, accuracy: 0.5 }, train: { loss: 1, accuracy: 0.5 } };
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    return runId;
  };
  // quick twice (the same seeds again), then sine, then quick with 300 epochs; one quick run from before files were recorded.
  for (const t of ['01', '02']) for (const seed of [1, 2]) for (const v of ['control', 'noise'] as const) write(quick, quickFile, v, seed, `2026-01-${t}T00:00:0${seed}Z`);
  for (const seed of [1, 2, 3]) for (const v of ['control', 'noise'] as const) write(sine, sineFile, v, seed, `2026-01-03T00:00:0${seed}Z`);
  write(quick300, quickFile, 'control', 1, '2026-01-04T00:00:00Z');
  const old = write(quick, null, 'control', 3, '2025-12-01T00:00:00Z', true);
  const stored = readRuns(runsDir);
  const shownQuick: ShownFile = { file: quickFile, name: quick.name!, spec: quick };

  it('reads which file and spec each run folder belongs to; an old folder\'s key comes from its spec', () => {
    assert.equal(stored.length, 8 + 6 + 1 + 1);
    const o = stored.find((r) => r.runId === old)!;
    assert.equal(o.file, null);
    assert.equal(o.specKey, specKey(quick));
    assert.ok(stored.filter((r) => r.runId !== old).every((r) => r.file === quickFile || r.file === sineFile));
  });

  it('groups by file and spec, counts a seed run twice once, and labels a group whose spec changed since', () => {
    const infos = stored.map((r) => storedRunInfo(r, shownQuick)!);
    const specs = new Map(stored.map((r, i) => [groupOf(infos[i]), r.spec!]));
    const groups = buildGroups(infos, specs, shownQuick, (f, name) => (f ? path.basename(f) : name));
    assert.deepEqual(
      groups.map((g) => [g.title, g.runs, g.note]),
      [
        ['quick.noiseexp.json', 1, 'training changed since these runs'],
        ['sine.noiseexp.json', 6, ''],
        // 8 runs on disk, 2 seeds × 2 variants count; the old folder of the same name and spec joins them.
        ['quick.noiseexp.json', 5, ''],
      ],
    );
    assert.equal(chooseGroup(groups, shownQuick), currentGroupOf(shownQuick), 'the file\'s current spec, not its newest group');
    assert.equal(infos.find((i) => i.runId === old)!.file, quickFile, 'attributed by name to the shown file');
    // Shown from another file, the old folder is not attributed to quick.
    const fromSine = storedRunInfo(stored.find((r) => r.runId === old)!, { file: sineFile, name: sine.name!, spec: sine })!;
    assert.equal(fromSine.file, null);
    // The file edited to 300 epochs: its runs of that spec; edited to a spec without runs: its latest group that has some.
    assert.equal(chooseGroup(groups, { ...shownQuick, spec: quick300 }), groups[0].id);
    const unseen = { ...shownQuick, spec: resolve('quick.noiseexp.json', (s) => (s.training.epochs = 5)) };
    assert.equal(chooseGroup(groups, unseen), groups[0].id);
    // A requested group is shown when listed, or when it is where the file's next runs go; else not.
    assert.equal(chooseGroup(groups, shownQuick, groups[1].id), groups[1].id);
    assert.equal(chooseGroup(groups, unseen, currentGroupOf(unseen)), currentGroupOf(unseen));
    assert.equal(chooseGroup(groups, shownQuick, 'made-up'), currentGroupOf(shownQuick));
  });

  it('posts only the shown group\'s epochs; the others\' wait until their group is shown', () => {
    const posted: HostMessage[] = [];
    const feed = new DashboardFeed((m) => posted.push(...unbatched(m)), () => true);
    const infos = stored.map((r) => storedRunInfo(r, shownQuick)!);
    for (const i of infos) feed.addRun(i);
    const sineRun = infos.find((i) => i.file === sineFile)!;
    const quickRun = infos.find((i) => groupOf(i) === currentGroupOf(shownQuick))!;
    const rows = [{ epoch: 1, train: { loss: 1 }, test: { loss: 1 }, std: {} }];
    feed.setRows(sineRun.runId, rows);
    feed.setRows(quickRun.runId, rows);
    feed.show((i: RunInfo) => groupOf(i) === currentGroupOf(shownQuick));
    feed.reset();
    feed.flush();
    const sent = () => posted.flatMap((m) => (m.type === 'epochs' ? m.batches.map((b) => b.runId) : []));
    assert.deepEqual(sent(), [quickRun.runId]);
    feed.show((i: RunInfo) => i.file === sineFile);
    feed.reset();
    feed.flush();
    assert.deepEqual(sent(), [quickRun.runId, sineRun.runId]);
    feed.dispose();
  });
});
