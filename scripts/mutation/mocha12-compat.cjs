// Lets @stryker-mutator/mocha-runner 9 load mocha 12. The runner requires mocha's internals by
// extensionless paths (lib/cli/run-helpers, lib/cli/options), which mocha 12 renamed to .cjs;
// Node's require does not try .cjs. Here it does, for mocha's files only. Loaded with
// NODE_OPTIONS by `npm run test:mutation`, so that Stryker's own process and its test runners
// (which inherit the environment) both have it. Drop it once the runner supports mocha 12.
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');

const resolve = Module._resolveFilename;
const mochaCli = `${path.sep}mocha${path.sep}lib${path.sep}cli${path.sep}`;
Module._resolveFilename = function (request, ...rest) {
  if (path.isAbsolute(request) && request.includes(mochaCli) && !path.extname(request) && fs.existsSync(`${request}.cjs`)) {
    return resolve.call(this, `${request}.cjs`, ...rest);
  }
  return resolve.call(this, request, ...rest);
};
