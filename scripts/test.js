// `npm test`: build, type-check (tsc, svelte-check), check the dependency rules, then run vitest (unit + e2e).
//
// The four steps before vitest read only the sources and none needs another's output (the build writes dist/,
// which the e2e tests need, but not tsc --noEmit, svelte-check or dependency-cruiser), and each of them keeps one
// core busy at most. Run one after the other (as `a && b && c && d`) they left the second core of the 2-core CI
// machine idle for about a minute, so they run side by side, as many at once as there are cores (at least two),
// each one's output printed in one piece when it ends. The first failure stops the others and the run (vitest
// does not start), as `&&` did. Arguments after `npm test --` go to vitest.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// Longest first (measured on the 2-core machine: build ≈ tsc ≈ svelte-check > dependency rules).
const STEPS = [
  { name: 'build', cmd: npm, args: ['run', '-s', 'build'] },
  { name: 'typecheck (tsc)', cmd: process.execPath, args: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck (svelte-check)', cmd: process.execPath, args: [join(root, 'node_modules', 'svelte-check', 'bin', 'svelte-check'), '--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings=false', '--threshold', 'error'] },
  { name: 'check:deps', cmd: npm, args: ['run', '-s', 'check:deps'] },
];

const running = new Set();

function runStep(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Own process group, so that a failure elsewhere can stop the step with all its children.
    // (Windows: npm.cmd only starts through a shell, as in build-lib.js.)
    const child = spawn(step.cmd, step.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', shell: process.platform === 'win32' });
    running.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code, signal) => {
      running.delete(child);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ step, ok: code === 0, stopped: signal !== null && code === null, code, seconds, out });
    });
  });
}

function stopAll() {
  for (const child of running) {
    try {
      process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function checks() {
  const lanes = Math.max(2, availableParallelism());
  const queue = [...STEPS];
  let failed = null;
  const lane = async () => {
    while (queue.length && !failed) {
      const r = await runStep(queue.shift());
      if (r.stopped && failed) continue; // stopped because another step failed: its output says nothing
      process.stdout.write(`\n== ${r.step.name}: ${r.ok ? 'ok' : `FAILED (exit ${r.code})`} in ${r.seconds} s\n${r.out}`);
      if (!r.ok && !failed) {
        failed = r;
        stopAll();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, STEPS.length) }, lane));
  return failed;
}

// The steps run in their own process groups, which a Ctrl-C at the terminal does not reach: pass it on.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    stopAll();
    process.exit(130);
  });
}

const failed = await checks();
for (const sig of ['SIGINT', 'SIGTERM']) process.removeAllListeners(sig); // from here on vitest, in this group, gets them itself
if (failed) {
  process.stderr.write(`\nnpm test: ${failed.step.name} failed; vitest not started\n`);
  process.exit(1);
}
process.stdout.write('\n== vitest\n');
const vitest = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
vitest.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
