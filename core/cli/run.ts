import { main } from './main.js';

// Entry point of bin/ferrolab.js; exits with main()'s code once every handle is closed.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`ferrolab: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
