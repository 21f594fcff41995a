// A run's curve in its end message (src/protocol/packedCurve.ts): the trainer fills the columns an
// epoch at a time, and they must be exactly what packRows makes of the same rows, through JSON.
import { strict as assert } from 'node:assert';
import { CurveColumns, decodeCurve, encodeCurve } from '../../src/protocol/packedCurve';
import { packRows } from '../../src/protocol/packedRows';
import type { EpochRow } from '../../src/protocol/webview';

const rows: EpochRow[] = [
  { epoch: 1, train: { loss: 0.9, accuracy: 0.5 }, validation: { loss: 1.1, accuracy: 0.4 }, test: { loss: 1, accuracy: 0.45 }, std: { input: 0.1, activations: [0.2, 0.3] } },
  { epoch: 2, train: { loss: NaN, accuracy: 0.55 }, validation: { loss: Infinity, accuracy: 0.5 }, test: { loss: 0.8, accuracy: 0.5 }, std: { input: 0.05, activations: [0.1, 0.15] } },
  { epoch: 3, train: { loss: 0.5, accuracy: 0.7 }, test: { loss: 0.6, accuracy: 0.65 }, std: { inputFraction: 0.2 } },
];

describe('a run\'s packed curve', () => {
  it('columns filled epoch by epoch are packRows\' columns of the same rows, past the room asked for too', () => {
    for (const capacity of [3, 1, 0]) {
      const c = new CurveColumns(capacity);
      rows.forEach((r) => c.add(r));
      assert.equal(c.length, 3);
      assert.deepEqual(c.packed(), packRows(rows), `room for ${capacity}`);
    }
  });

  it('goes through JSON bit for bit, and refuses a column of another length', () => {
    const packed = packRows(rows);
    const again = decodeCurve(JSON.parse(JSON.stringify(encodeCurve(packed))));
    assert.deepEqual(again, packed);
    assert.ok(Object.is(again.columns['train.loss'][1], NaN) && again.columns['validation.loss'][1] === Infinity);
    const curve = encodeCurve(packed);
    assert.throws(() => decodeCurve({ ...curve, columns: { ...curve.columns, 'test.loss': encodeCurve(packRows(rows.slice(0, 2))).columns['test.loss'] } }), /a column has 16 bytes, not 3 × 8/);
    assert.throws(() => decodeCurve({ epoch: curve.epoch, columns: { x: 5 as unknown as string } }), /not a base64 string/);
  });
});
