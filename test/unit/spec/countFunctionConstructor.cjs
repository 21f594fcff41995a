// A --require preload for the CLI start-up tests: counts the functions the process makes from
// strings (`new Function(...)`, how ajv compiles a schema) and the @tensorflow packages it loads,
// and says both on stderr as it exits.
const Module = require('node:module');

let made = 0;
globalThis.Function = new Proxy(Function, {
  construct(target, args) {
    made++;
    return Reflect.construct(target, args);
  },
  apply(target, self, args) {
    made++;
    return Reflect.apply(target, self, args);
  },
});

const loaded = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  const pkg = /^@tensorflow\/[^/]+/.exec(request);
  if (pkg) loaded.add(pkg[0]);
  return load.call(this, request, ...rest);
};

process.on('exit', () => {
  process.stderr.write(`\nfunctions made from strings: ${made}\nloaded: ${[...loaded].sort().join(' ') || 'no @tensorflow package'}\n`);
});
