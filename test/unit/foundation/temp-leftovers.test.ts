import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepStaleStaging } from '../../../core/runtime/temp-leftovers.js';
import { createAppContext } from '../../../core/app/context.js';
import { tempDir } from '../../helpers/temp.js';

describe('stale staging sweep', () => {
  it('removes leftovers of killed imports, keeps young staging and real data', async () => {
    const t = tempDir();
    const images = join(t.dir, 'images');
    mkdirSync(join(images, 'patches'), { recursive: true });
    const oldDir = join(images, '.staging-aaaa');
    const youngDir = join(images, '.staging-bbbb');
    const oldPatch = join(images, 'patches', '.staging-cccc.png');
    const real = join(images, 'patches', 'abc.png');
    mkdirSync(oldDir);
    writeFileSync(join(oldDir, 'tiles.dzi'), 'x');
    mkdirSync(youngDir);
    writeFileSync(oldPatch, 'x');
    writeFileSync(real, 'x');
    const day = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(oldDir, day, day);
    utimesSync(oldPatch, day, day);
    utimesSync(real, day, day);

    expect(sweepStaleStaging(images).sort()).toEqual(['.staging-aaaa', join('patches', '.staging-cccc.png')]);
    expect([existsSync(oldDir), existsSync(youngDir), existsSync(oldPatch), existsSync(real)]).toEqual([false, true, false, true]);

    // Opening the data folder sweeps too.
    utimesSync(youngDir, day, day);
    const ctx = createAppContext({ dataDir: t.dir, shell: 'cli' });
    expect(existsSync(youngDir)).toBe(false);
    await ctx.close();
    t.cleanup();
  });
});
