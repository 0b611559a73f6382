// `npm start`: build if needed, then open the Electron app; if Electron's binary is missing and
// cannot be downloaded (or there is no display), say so in one line and start browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureBuilt } from './build-lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

/** Asks the electron package for its binary in a child process: on first use it tries to download it. */
function electronBinary() {
  if (!existsSync(join(root, 'node_modules', 'electron', 'package.json'))) return { reason: 'the electron package is not installed' };
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write('\\n' + require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const path = (r.stdout ?? '').trim().split('\n').pop();
  if (r.status === 0 && path && existsSync(path)) return { path };
  const why = (r.stderr ?? '').split('\n').find((l) => /Error|failed|ENOTFOUND|ECONN/i.test(l)) ?? 'its binary could not be downloaded';
  return { reason: `its binary is missing and could not be downloaded: ${why.replace(/^\s*(Error:\s*)?/, '').slice(0, 120)}` };
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

await ensureBuilt(root);
let electron = electronBinary();
if (electron.path && !hasDisplay()) electron = { reason: 'no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset)' };
if (electron.path) {
  const child = spawn(electron.path, [root, ...passThrough], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron is unavailable (${electron.reason}); starting browser mode instead.`);
  const child = spawn(process.execPath, [join(root, 'bin', 'ferrolab.js'), 'serve', ...passThrough], { stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
