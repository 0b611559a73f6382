import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localClient } from '../../../core/app/dispatch.js';
import { createAppContext } from '../../../core/app/context.js';
import { UploadStore, UPLOAD_IDLE_MS, uploadLimitsFor } from '../../../core/app/upload-store.js';
import { DISTANCES_MM, ELEMENTS } from '../../../core/jominy/elements.js';
import { tempContext, tempDir } from '../../helpers/temp.js';

/** Files and bytes left in a folder (recursively): what a user would find filling the disk. */
function usage(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      const u = usage(p);
      files += u.files;
      bytes += u.bytes;
    } else {
      files++;
      bytes += st.size;
    }
  }
  return { files, bytes };
}

const jominyHeader = ['heat_id', ...ELEMENTS, ...DISTANCES_MM.map((d) => `J${d}`)].join(',');
const jominyRow = (b: string) => ['H1', 0.4, 0.8, 0.25, 0.01, 0.02, 0.1, 1, 0.1, 0.2, b, 0, 0, 0.01, 0.02, 0, 58, 57, 52, 45, 38, 34, 32, 30, 28, 26, 25, 24, 23, 22, 21].join(',');

describe('uploads never outlive their use', () => {
  let ctx: ReturnType<typeof tempContext> | undefined;
  afterEach(async () => {
    await ctx?.dispose();
    ctx = undefined;
  });

  it('a refused image leaves tmp/ (and images/) empty', async () => {
    ctx = tempContext();
    const api = localClient(ctx);
    const billet = await api['billets.create']({ name: 'B1', nominalDiameterMm: 600 });
    const uploadId = ctx.uploads.saveBytes(Buffer.alloc(300_000, 7)); // 300 kB that are no image
    expect(usage(ctx.paths.tmp)).toEqual({ files: 1, bytes: 300_000 });
    const job = await api['images.import']({ billetId: billet.id, upload: { uploadId, name: 'scan.tif' } });
    const end = await ctx.jobs.wait(job.id);
    expect(end.state).toBe('failed');
    expect(usage(ctx.paths.tmp)).toEqual({ files: 0, bytes: 0 });
    expect(readdirSync(ctx.paths.images).filter((n) => n !== 'patches')).toEqual([]);
  });

  it('an image import refused before its job starts (no such billet) drops the upload too', async () => {
    ctx = tempContext();
    const uploadId = ctx.uploads.saveBytes(Buffer.alloc(1000, 1));
    await expect(localClient(ctx)['images.import']({ billetId: 999, upload: { uploadId, name: 'x.png' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(usage(ctx.paths.tmp)).toEqual({ files: 0, bytes: 0 });
  });

  it('a failed Jominy import, a failed model import and a consumed upload leave tmp/ empty', async () => {
    ctx = tempContext();
    const api = localClient(ctx);
    const bad = ctx.uploads.saveBytes(Buffer.from(`${jominyHeader}\n${jominyRow('0.002')}\n${jominyRow('25')}\n`));
    await expect(api['jominy.datasets.import']({ upload: { uploadId: bad, name: 'bad.csv' } })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(usage(ctx.paths.tmp)).toEqual({ files: 0, bytes: 0 });
    // Retrying the spent upload says what to do instead of importing stale bytes.
    await expect(api['jominy.datasets.import']({ upload: { uploadId: bad, name: 'bad.csv' } })).rejects.toThrow(/choose the file again/);

    const model = ctx.uploads.saveBytes(Buffer.alloc(5000, 3));
    await expect(api['cnn.models.import']({ upload: { uploadId: model, name: 'm.ferrolab-model' } })).rejects.toBeTruthy();
    expect(usage(ctx.paths.tmp)).toEqual({ files: 0, bytes: 0 });

    const good = ctx.uploads.saveBytes(Buffer.from(`${jominyHeader}\n${jominyRow('0.002')}\n`));
    expect(usage(ctx.paths.tmp).files).toBe(1);
    expect(await api['jominy.datasets.import']({ upload: { uploadId: good, name: 'good.csv' } })).toMatchObject({ sampleCount: 1 });
    expect(usage(ctx.paths.tmp)).toEqual({ files: 0, bytes: 0 });
    expect(ctx.uploads.pendingBytes()).toBe(0);
  });

  it('an abandoned upload expires; one in use does not; closing drops the rest', () => {
    const t = tempDir();
    let now = 0;
    const store = new UploadStore(t.dir, () => now);
    const abandoned = store.saveBytes(Buffer.alloc(10));
    const held = store.saveBytes(Buffer.alloc(20));
    store.hold([held]);
    now = UPLOAD_IDLE_MS + 1;
    const fresh = store.saveBytes(Buffer.alloc(30)); // each new upload sweeps idle ones
    expect(() => store.resolve(abandoned)).toThrow(/is gone/);
    expect(existsSync(store.resolve(held))).toBe(true);
    expect(usage(t.dir)).toEqual({ files: 2, bytes: 50 });
    store.consumed([held]);
    store.clear();
    expect(() => store.resolve(fresh)).toThrow(/is gone/);
    expect(usage(t.dir)).toEqual({ files: 0, bytes: 0 });
    t.cleanup();
  });

  it('limits one upload to the largest legal section and caps pending bytes', () => {
    // 20 000² px at 16-bit RGB, uncompressed, plus 64 MiB: 2.47 GB.
    expect(uploadLimitsFor(20_000 * 20_000)).toEqual({ perFile: 2_467_108_864, pending: 4_934_217_728 });
    const t = tempDir();
    const store = new UploadStore(t.dir);
    const limits = { perFile: 100, pending: 150 };
    expect(() => store.saveBytes(Buffer.alloc(101), limits)).toThrow(/larger than the largest importable file/);
    store.saveBytes(Buffer.alloc(100), limits);
    expect(() => store.saveBytes(Buffer.alloc(51), limits)).toThrow(/would exceed the cap/);
    expect(usage(t.dir)).toEqual({ files: 1, bytes: 100 });
    t.cleanup();
  });
});

describe('opening a data folder sweeps what dead processes left in tmp/ and staging', () => {
  it('removes a dead process leftovers and untagged old ones, keeps a live process and young files', async () => {
    const t = tempDir();
    const tmp = join(t.dir, 'tmp');
    const images = join(t.dir, 'images');
    mkdirSync(join(images, 'patches'), { recursive: true });
    mkdirSync(tmp);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
    const live = process.ppid; // our parent runs as long as we do
    const put = (p: string, bytes: number) => writeFileSync(p, Buffer.alloc(bytes));
    put(join(tmp, `upload-${dead}-${'a'.repeat(32)}`), 50_000);
    put(join(tmp, `demo-${dead}-0123456789abcdef.png`), 7000);
    mkdirSync(join(images, `.staging-${dead}-00ff00ff00ff00ff`));
    put(join(images, `.staging-${dead}-00ff00ff00ff00ff`, 'source.tif'), 90_000);
    put(join(images, 'patches', `.staging-${dead}-1234abcd1234abcd.png`), 300);
    put(join(tmp, `upload-${live}-${'b'.repeat(32)}`), 11); // the app beside us is mid-upload
    const old = join(tmp, `upload-${'c'.repeat(32)}`); // an earlier version's, before this process began
    put(old, 13);
    const day = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(old, day, day);
    put(join(tmp, 'something-young'), 17);

    const ctx = createAppContext({ dataDir: t.dir, shell: 'cli' });
    expect(readdirSync(tmp).sort()).toEqual([`upload-${live}-${'b'.repeat(32)}`, 'something-young'].sort());
    expect(usage(tmp)).toEqual({ files: 2, bytes: 28 });
    expect(readdirSync(images).filter((n) => n.startsWith('.staging'))).toEqual([]);
    expect(readdirSync(join(images, 'patches'))).toEqual([]);
    await ctx.close();
    t.cleanup();
  });
});
