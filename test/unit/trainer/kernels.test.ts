import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { assemble, KERNELS, kernelModule, kernelModulePath } from '../../../scripts/kernels';

describe('WebAssembly kernels', () => {
  for (const name of KERNELS) {
    it(`the committed ${name}.wasm.ts is what ${name}.wat assembles to (run \`npm run kernels\`)`, async () => {
      const bytes = await assemble(name);
      assert.ok(WebAssembly.validate(bytes), 'valid WebAssembly');
      assert.equal(readFileSync(kernelModulePath(name), 'utf8'), kernelModule(name, bytes));
    });
  }
});
