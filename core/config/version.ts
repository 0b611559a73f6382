import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** Finds package.json by walking up, so this works from core/ (tsx) and from dist/core/ alike. */
export function findPackageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'ferrolab') return dir;
    } catch {
      // not here, go up
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the Ferrolab package root');
}

export const packageRoot = findPackageRoot();
export const appVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
