// "New noise experiment": a template for every data source the spec has, each a valid file
// that keeps the typed name, and a file name that is a safe slug of any name.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateExperiment } from '../../src/spec';
import { nodeFileAccess } from '../../src/dataFiles/access';
import { DataSchema } from '../../src/spec/dataSchema';
import { experimentFolderName } from '../../src/spec/runs';
import { DATA_SOURCES, experimentFileName, experimentTemplate, nameProblem } from '../../src/host/template';
import { REPO } from './trainer/helpers';

describe('new experiment templates', () => {
  it('offers every data source of the schema, each with its description', () => {
    const schemaSources = (DataSchema.properties.source as unknown as { enum: string[] }).enum;
    assert.deepEqual(DATA_SOURCES.map((d) => d.source), schemaSources);
    assert.ok(schemaSources.length >= 7);
    for (const d of DATA_SOURCES) assert.match(d.description, /\w{4}/, d.source);
  });

  for (const { source } of DATA_SOURCES) {
    it(`${source}: a valid experiment that keeps the typed name and trains on ${source}`, () => {
      const name = 'My first run: noise vs. überfitting';
      const examples = path.join(REPO, 'examples');
      // A csv template names a CSV of the workspace; here the shipped Iris file next to the file.
      const text = experimentTemplate(name, source, 'data/iris.csv');
      const result = validateExperiment(text, { filePath: path.join(examples, 'new.noiseexp.json'), workspaceRoot: examples, ...nodeFileAccess(examples) });
      assert.deepEqual(result.problems, [], text);
      assert.ok(result.ok);
      assert.equal(result.spec.name, name);
      assert.equal(result.spec.data.source, source);
      assert.ok(result.spec.control && result.spec.repeats >= 3, 'a control and enough seeds for an interval');
      assert.match(text, /^\/\/ A Noise Lab experiment/);
    });
  }

  it('a csv template whose file is missing says so at data.path', () => {
    const examples = path.join(REPO, 'examples');
    const result = validateExperiment(experimentTemplate('x', 'csv', 'data/missing.csv'), { filePath: path.join(examples, 'new.noiseexp.json'), workspaceRoot: examples, ...nodeFileAccess(examples) });
    assert.equal(result.ok, false);
    assert.match(result.problems[0].message, /^No file at "data\/missing\.csv"/);
    assert.deepEqual(result.problems[0].path, ['data', 'path']);
  });

  it('names the file with the runs folder\'s slug of the name: spaces, unicode, separators and dots stay inside one segment', () => {
    assert.ok(fs.existsSync(path.join(REPO, 'examples', 'data', 'iris.csv')));
    const cases: [string, string][] = [
      ['circles with input noise', 'circles-with-input-noise.noiseexp.json'],
      ['Rauschen über Kreise', 'Rauschen-ber-Kreise.noiseexp.json'],
      ['a\\b/c', 'a-b-c.noiseexp.json'],
      ['x'.repeat(200), `${'x'.repeat(80)}.noiseexp.json`],
      // Nothing but a dash, a hidden file or a shell option would be left: trimmed, or "experiment".
      ['噪声', 'experiment.noiseexp.json'],
      ['..', 'experiment.noiseexp.json'],
      ['../../etc/passwd', 'etc-passwd.noiseexp.json'],
      ['.hidden', 'hidden.noiseexp.json'],
      ['--force me!', 'force-me.noiseexp.json'],
    ];
    for (const [name, file] of cases) {
      assert.equal(experimentFileName(name), file, name);
      assert.equal(path.basename(experimentFileName(name)), experimentFileName(name));
    }
    // Otherwise the same slug as the runs folder the file's runs go to.
    for (const name of ['circles with input noise', 'Rauschen über Kreise', 'a\\b/c']) assert.equal(experimentFileName(name), `${experimentFolderName({ name } as never)}.noiseexp.json`);
  });

  it('takes any printable name, and refuses an empty one or one the spec refuses, saying why', () => {
    for (const name of ['my experiment', 'circles: how much hidden noise', 'Rauschen über Kreise', '..']) assert.equal(nameProblem(name), undefined, name);
    assert.match(nameProblem('   ') ?? '', /^Give the experiment a name/);
    // The spec refuses control characters in a name (they would reach the terminal): the same words here.
    const escape = nameProblem('bad\u001bname');
    assert.ok(escape, 'a name with an escape character is refused');
    assert.equal(escape, validateExperiment(JSON.stringify({ name: 'bad\u001bname', data: { source: 'circles' } })).problems[0].message);
  });
});
