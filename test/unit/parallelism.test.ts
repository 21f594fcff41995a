// How many runs train at once when nothing (or the setting's 0) asks: one per core, the same
// rule for the CLI's sweeps and VS Code's pool (src/pool/parallelism.ts).
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { MAX_PARALLEL, cores, parallelRuns } from '../../src/pool/parallelism';

describe('parallel runs default', () => {
  it('is one run per core when nothing is asked, or the setting is 0 (automatic)', () => {
    assert.equal(parallelRuns(undefined, 2), 2);
    assert.equal(parallelRuns(0, 2), 2);
    assert.equal(parallelRuns(undefined, 8), 8);
    assert.equal(parallelRuns(undefined, 1), 1);
  });

  it('counts the cores this process may use', () => {
    assert.equal(cores(), os.availableParallelism());
    assert.equal(parallelRuns(undefined), os.availableParallelism());
  });

  it('keeps what is asked, within 1 … MAX_PARALLEL', () => {
    assert.equal(parallelRuns(3, 2), 3);
    assert.equal(parallelRuns(1, 8), 1);
    assert.equal(parallelRuns(1000, 2), MAX_PARALLEL);
    assert.equal(parallelRuns(undefined, 200), MAX_PARALLEL);
  });

  it('treats a value that is not a whole number ≥ 1 as automatic', () => {
    assert.equal(parallelRuns(-3, 4), 4);
    assert.equal(parallelRuns(2.5, 4), 4);
    assert.equal(parallelRuns(Number.NaN, 4), 4);
  });
});
