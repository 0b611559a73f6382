#!/usr/bin/env node
// The `ferrolab` command. Runs the compiled CLI; builds it first when the build is missing or stale.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureBuilt } from '../scripts/build-lib.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await ensureBuilt(root, { quiet: true, renderer: process.argv.slice(2).includes('serve') });
const entry = join(root, 'dist', 'core', 'cli', 'run.js');
if (!existsSync(entry)) {
  process.stderr.write('ferrolab: the build did not produce dist/core/cli/run.js\n');
  process.exit(1);
}
await import(entry);
