import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../core/app/context.js';

export function tempDir(prefix = 'ferrolab-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh data folder + context; close() also removes the folder. */
export function tempContext(shell: 'cli' | 'browser' = 'cli'): AppContext & { dispose: () => Promise<void> } {
  const { dir, cleanup } = tempDir();
  const ctx = createAppContext({ dataDir: dir, shell, backend: 'wasm' });
  return Object.assign(ctx, {
    dispose: async () => {
      await ctx.close();
      cleanup();
    },
  });
}
