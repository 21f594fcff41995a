// A missing data file is said together with the file's schema errors when the data section
// itself has its shape (a newcomer fixed a typo in "training", only to learn then that the CSV
// was not there); when the data section is itself wrong, only its schema error is said.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../../src/spec';
import { nodeFileAccess } from '../../../src/dataFiles/access';
import { tempDir } from '../trainer/helpers';

function validateIn(folder: string, experiment: object) {
  const file = path.join(folder, 'e.noiseexp.json');
  return validateExperiment(JSON.stringify(experiment, null, 2), { filePath: file, workspaceRoot: folder, ...nodeFileAccess(folder) });
}

describe('a data file beside schema errors', () => {
  it('a missing CSV is reported with an unknown key elsewhere, each at its place', () => {
    const result = validateIn(tempDir(), { data: { source: 'csv', path: 'data/missing.csv' }, training: { epochz: 10 } });
    assert.equal(result.ok, false);
    const places = result.problems.map((p) => [p.path.join('.'), p.message.slice(0, 40)]);
    assert.ok(places.some(([at, m]) => at === 'data.path' && m.startsWith('No file at "data/missing.csv"')), JSON.stringify(places));
    assert.ok(places.some(([at]) => at.startsWith('training')), JSON.stringify(places));
  });

  it('a CSV that is there is read as usual: its bad cell is reported with the schema error too', () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'd.csv'), 'a,b,label\n1,2,0\n3,x,1\n');
    const result = validateIn(folder, { data: { source: 'csv', path: 'd.csv' }, repeats: 0 });
    assert.ok(result.problems.some((p) => p.path.join('.') === 'data.path' && /row 3, column 2/.test(p.message)), JSON.stringify(result.problems));
    assert.ok(result.problems.some((p) => p.path.join('.') === 'repeats'));
  });

  it('a data section with its own schema error is not looked up on disk', () => {
    const result = validateIn(tempDir(), { data: { source: 'csv', path: 'data/missing.csv', scale: 'bogus' }, training: { epochz: 10 } });
    assert.ok(result.problems.some((p) => p.path.join('.') === 'data.scale'));
    assert.ok(!result.problems.some((p) => /No file at/.test(p.message)), JSON.stringify(result.problems));
  });
});
