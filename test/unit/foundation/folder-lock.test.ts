import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimFolderLock } from '../../../core/server/folder-lock.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

describe('one UI per data folder', () => {
  it('a second claim is refused and names the holder; release frees it', () => {
    const t = tempDir();
    const first = claimFolderLock(t.dir, { shell: 'browser' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    first.update({ shell: 'browser', url: 'http://127.0.0.1:4321/' });
    expect(claimFolderLock(t.dir, { shell: 'electron' })).toEqual({ ok: false, owner: { pid: process.pid, shell: 'browser', url: 'http://127.0.0.1:4321/' } });
    first.release();
    expect(existsSync(join(t.dir, 'ferrolab.lock'))).toBe(false);
    const again = claimFolderLock(t.dir, { shell: 'electron' });
    expect(again.ok).toBe(true);
    if (again.ok) again.release();
    t.cleanup();
  });

  it('takes over the lock of a dead process, or an unreadable one', () => {
    const t = tempDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(t.dir, 'ferrolab.lock'), JSON.stringify({ pid: dead, shell: 'browser', url: 'http://127.0.0.1:1/' }));
    const a = claimFolderLock(t.dir, { shell: 'browser' });
    expect(a.ok).toBe(true);
    expect(JSON.parse(readFileSync(join(t.dir, 'ferrolab.lock'), 'utf8'))).toEqual({ pid: process.pid, shell: 'browser' });
    if (a.ok) a.release();
    writeFileSync(join(t.dir, 'ferrolab.lock'), ''); // killed between create and write
    const b = claimFolderLock(t.dir, { shell: 'browser' });
    expect(b.ok).toBe(true);
    if (b.ok) b.release();
    t.cleanup();
  });

  it('`ferrolab serve` on a folder another live Ferrolab serves stops with a clear message', async () => {
    const t = tempDir();
    writeFileSync(join(t.dir, 'ferrolab.lock'), JSON.stringify({ pid: process.ppid, shell: 'browser', url: 'http://127.0.0.1:4321/' }));
    const r = await runCli(t.dir, 'serve', '--no-open');
    expect(r.rc).not.toBe(0);
    expect(r.err).toContain(`Ferrolab (pid ${process.ppid}) already serves this data folder at http://127.0.0.1:4321/`);
    t.cleanup();
  });
});
