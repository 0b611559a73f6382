import { createRequire } from 'node:module';

/**
 * Loads an emscripten-built package (libsvm-js, ml-xgboost) without its side effects on the process. Their
 * Node glue installs process-wide handlers: libsvm-js's asm build exits the process on ANY unhandled rejection,
 * ml-xgboost's rethrows every uncaught exception. Ferrolab owns its process (jobs, the server, the CLI's exit
 * codes), so the handlers added while loading are removed again. ml-xgboost also warns that streaming wasm
 * compilation failed and that it falls back to ArrayBuffer instantiation (Node's fetch cannot read a file path):
 * that message is expected and dropped; any other warning during loading is passed on.
 */

const require = createRequire(import.meta.url);
const EVENTS: string[] = ['uncaughtException', 'unhandledRejection', 'exit'];
const EXPECTED = /wasm streaming compile failed|falling back to ArrayBuffer instantiation/;

export function requireEmscripten<T>(specifier: string): T {
  const before = new Map(EVENTS.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const warn = console.warn;
  const filtered = (...args: unknown[]): void => {
    if (args.length && typeof args[0] === 'string' && EXPECTED.test(args[0])) return;
    warn(...args);
  };
  console.warn = filtered;
  try {
    return require(specifier) as T;
  } finally {
    // Emscripten captures console.warn when it loads: the filter stays bound inside the module (it forwards).
    console.warn = warn;
    for (const e of EVENTS) {
      for (const l of process.listeners(e as 'exit')) if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
  }
}
