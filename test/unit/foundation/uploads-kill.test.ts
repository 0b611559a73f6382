import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../../../core/app/context.js';
import { tempDir } from '../../helpers/temp.js';

const bytesIn = (dir: string): number =>
  readdirSync(dir).reduce((n, name) => {
    const st = statSync(join(dir, name));
    return n + (st.isDirectory() ? bytesIn(join(dir, name)) : st.size);
  }, 0);

describe('a killed import leaves nothing behind once the folder is opened again', () => {
  it('SIGKILL mid-import: its upload and staging are swept at the next open', async () => {
    const t = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'upload-killer.ts'), t.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ok, fail) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
      child.on('exit', (code) => fail(new Error(`child exited early (${code})`)));
    });
    // What the killed process leaves: 3 MB that nobody will ever use.
    expect(bytesIn(join(t.dir, 'tmp'))).toBe(1_000_000);
    expect(readdirSync(join(t.dir, 'images')).filter((n) => n.startsWith('.staging-'))).toHaveLength(1);
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGKILL');
    await exited;

    const ctx = createAppContext({ dataDir: t.dir, shell: 'cli', backend: 'wasm' });
    expect(readdirSync(ctx.paths.tmp)).toEqual([]);
    expect(readdirSync(ctx.paths.images).filter((n) => n.startsWith('.staging-'))).toEqual([]);
    await ctx.close();
    t.cleanup();
  }, 60_000);
});
