// Build steps shared by `npm run build`, `npm start` and bin/ferrolab.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function run(root, cmd, args, quiet) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

const bin = (root, name) => join(root, 'node_modules', '.bin', name);

export function buildNode(root, quiet = false) {
  rmSync(join(root, 'dist', 'core'), { recursive: true, force: true });
  rmSync(join(root, 'dist', 'electron'), { recursive: true, force: true });
  run(root, process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], quiet);
  // The sandboxed preload cannot import modules: bundle it (with the contract it exposes) into one CJS file.
  run(
    root,
    bin(root, 'esbuild'),
    ['electron/preload/preload.ts', '--bundle', '--platform=node', '--format=cjs', '--external:electron', '--outfile=dist/electron/preload/preload.cjs', '--log-level=warning'],
    quiet,
  );
  writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(root, 'dist', '.node-stamp'), String(Date.now()));
}

export function buildRenderer(root, quiet = false) {
  run(root, bin(root, 'vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', quiet ? 'error' : 'warn'], quiet);
  writeFileSync(join(root, 'dist', '.renderer-stamp'), String(Date.now()));
}

/** Rebuilds only what changed since the last build (compares source and stamp mtimes). */
export async function ensureBuilt(root, { quiet = false, renderer = true } = {}) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const stamp = (name) => (existsSync(join(root, 'dist', name)) ? statSync(join(root, 'dist', name)).mtimeMs : 0);
  const nodeSrc = Math.max(newestMtime(join(root, 'core')), newestMtime(join(root, 'electron')), statSync(join(root, 'tsconfig.json')).mtimeMs);
  if (nodeSrc > stamp('.node-stamp')) {
    if (!quiet) process.stderr.write('building core…\n');
    buildNode(root, quiet);
  }
  if (renderer) {
    const rSrc = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'core', 'api')));
    if (rSrc > stamp('.renderer-stamp')) {
      if (!quiet) process.stderr.write('building renderer…\n');
      buildRenderer(root, quiet);
    }
  }
}
