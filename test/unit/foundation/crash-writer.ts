// Child process of the crash-safety test: runs a list of REAL `ferrolab` CLI invocations (core/cli/main.ts,
// the same code `npx ferrolab` runs) on one data folder, one after the other, until the test SIGKILLs it.
//
// argv[2] is a JSON file: { dataDir, ops: string[][] } (each op is a CLI argv without --data/--json).
// It reports on fd 3, synchronously, so that a line is out before the next write starts:
//   opened                      it opened and closed the data folder as the app does at start-up (in a
//                               process younger than anything a killed predecessor left); it then waits
//                               for a line on stdin, so the test can look at the folder undisturbed
//   ready                       it got that line and starts the ops
//   begin <i>                   op i starts
//   ok <i> <result JSON>        op i returned exit code 0 (its writes are committed)
//   fail <i> <rc> <message>     op i was refused or failed (rc != 0)
// The test reads the `ok` lines as "committed, must survive any later kill".
import { readFileSync, writeSync } from 'node:fs';
import { main } from '../../../core/cli/main.js';
import { createAppContext } from '../../../core/app/context.js';

async function openAsAppAtStart(): Promise<void> {
  const ctx = createAppContext({ dataDir, shell: 'cli' });
  await ctx.close();
}

const { dataDir, ops } = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { dataDir: string; ops: string[][] };
const report = (line: string) => writeSync(3, line.replace(/\n/g, ' ') + '\n');

async function run(argv: string[]): Promise<{ rc: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => ((out += String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => ((err += String(s)), true)) as typeof process.stderr.write;
  try {
    const rc = await main([...argv, '--data', dataDir, '--json']);
    return { rc, out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

await openAsAppAtStart();
report('opened');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()).once('end', () => resolve()));
process.stdin.pause();
report('ready');
for (let i = 0; i < ops.length; i++) {
  report(`begin ${i}`);
  const r = await run(ops[i]);
  if (r.rc === 0) report(`ok ${i} ${r.out.trim()}`);
  else report(`fail ${i} ${r.rc} ${(r.out + r.err).slice(0, 400)}`);
}
report('end');
