// Sections stored before resolution tags were (task 26-D): what reading their tag costs, and that opening a data folder
// full of them costs nothing more. A synthetic section (SIDE px, 16-bit-free grey PNG with a scanner's tag) is imported
// once; N billets get a row on the same stored file, all marked pending as after the upgrade. Measured: opening the
// folder (createAppContext: migrations already done, no section read), the first show of each section (one header
// read + the stored answer) against a later show (no read), and the header read alone against a full decode.
// Wall-clock medians: sharp runs on libuv's threads, so a thread CPU clock would not see it (rough on a loaded machine).
// Task 27-D: the app's background sweep of the N pending sections after opening (AppContext.sweepSectionTags), its
// total and per-section time, and the longest the event loop waited meanwhile (what a UI request could have waited).
// Task 27-J: the `image` events that sweep announces (one per 50 stored, was one per section), and a sweep started
// while another connection holds the write lock: it stops at its first section after the busy timeout (was N × 5 s).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import Database from 'better-sqlite3';
import { createAppContext } from '../core/app/context.js';
import { dataLayout } from '../core/config/index.js';
import { localClient } from '../core/app/dispatch.js';
import { readStoredSectionTag } from '../core/imaging/index.js';
import { generateSyntheticBillet } from '../core/synth/index.js';

const SIDE = Number(process.env.BENCH_SECTION_PX ?? 3000);
const N = Number(process.env.BENCH_SECTIONS ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn: () => unknown): Promise<number> => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'ferrolab-bench-section-tag-'));
const data = join(dir, 'data');
try {
  const b = generateSyntheticBillet({ seed: 31, sizePx: SIDE, diameterMm: 150 });
  const file = join(dir, 'scan.png');
  writeFileSync(file, await sharp(b.data, { raw: { width: b.width, height: b.height, channels: 1 } }).withMetadata({ density: 25.4 / b.mmPerPx }).png().toBuffer());

  let ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  let api = localClient(ctx);
  const first = await api['billets.create']({ name: 'B0', nominalDiameterMm: 150 });
  const upload = ctx.uploads.saveBytes(readFileSync(file));
  const end = await ctx.jobs.wait((await api['images.import']({ billetId: first.id, upload: { uploadId: upload, name: 'scan.png' } })).id);
  if (end.state !== 'done') throw new Error(`import ${end.state}`);
  const img = (await api['images.forBillet']({ billetId: first.id }))!;
  const billets = [first.id];
  ctx.db.transaction(() => {
    for (let i = 1; i < N; i++) {
      const id = ctx.repos.billets.create({ name: `B${i}`, nominalDiameterMm: 150 }).id;
      ctx.db.prepare(`INSERT INTO images (billet_id, content_hash, original_name, format, width, height, channels, bit_depth, significant_bits, mm_per_px,
          circle_cx_px, circle_cy_px, circle_r_px, circle_source, created_at, page, pages, auto_circle_json, patch_settings_json, tag_px_per_inch, tag_read)
        SELECT ?, content_hash, original_name, format, width, height, channels, bit_depth, significant_bits, mm_per_px,
          circle_cx_px, circle_cy_px, circle_r_px, circle_source, created_at, page, pages, auto_circle_json, patch_settings_json, tag_px_per_inch, tag_read
        FROM images WHERE id = ?`).run(id, img.id);
      billets.push(id);
    }
  })();
  const pending = () => ctx.db.prepare("UPDATE images SET tag_px_per_inch = NULL, tag_read = 'pending'").run();
  await ctx.close();

  // opening: the same folder with every section read vs every section pending (no file is read at open)
  const opens: Record<string, number[]> = { read: [], pending: [] };
  for (let round = 0; round < 5; round++) {
    for (const state of ['read', 'pending'] as const) {
      const t = performance.now();
      ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
      opens[state].push(performance.now() - t);
      if (state === 'read') pending();
      else ctx.db.prepare("UPDATE images SET tag_read = 'read'").run();
      await ctx.close();
    }
  }

  ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  api = localClient(ctx);
  pending();
  const firstShow: number[] = [];
  const laterShow: number[] = [];
  for (const id of billets) firstShow.push(await time(() => api['images.forBillet']({ billetId: id })));
  for (const id of billets) laterShow.push(await time(() => api['images.forBillet']({ billetId: id })));
  const flagged = (ctx.db.prepare("SELECT COUNT(*) FROM images WHERE tag_read = 'read' AND tag_px_per_inch IS NOT NULL").pluck().get() as number);
  await ctx.close();

  // the background sweep after an open: the start returns at once; N header reads one after another
  const sweeps: number[] = [];
  const stalls: number[] = [];
  let swept = 0;
  let announced = 0;
  for (let round = 0; round < 3; round++) {
    ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    pending();
    announced = 0;
    ctx.bus.subscribe((e) => void (e.type === 'data-changed' && e.entity === 'image' && announced++));
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const t = performance.now();
    const done = await ctx.sweepSectionTags();
    sweeps.push(performance.now() - t);
    loop.disable();
    stalls.push(loop.max / 1e6);
    swept = done.read;
    await ctx.close();
  }

  // the same sweep while another connection holds the write lock (a CLI import, a second app)
  ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  pending();
  const locker = new Database(dataLayout(data).database);
  locker.exec('BEGIN IMMEDIATE');
  const lockLoop = monitorEventLoopDelay({ resolution: 1 });
  lockLoop.enable();
  const lockT = performance.now();
  const locked = await ctx.sweepSectionTags();
  const lockedMs = performance.now() - lockT;
  await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor records a blocked turn at its next sample
  lockLoop.disable();
  locker.exec('ROLLBACK');
  locker.close();
  await ctx.close();

  const source = join(data, img.dziRel.replace(/tiles\.dzi$/, 'source.png'));
  copyFileSync(source, join(dir, 'copy.png'));
  const header: number[] = [];
  const decode: number[] = [];
  for (let i = 0; i < 20; i++) {
    header.push(await time(() => readStoredSectionTag(join(data, 'images'), img.contentHash, 0)));
    if (i < 5) decode.push(await time(() => sharp(source, { limitInputPixels: false }).raw().toBuffer()));
  }

  console.log(`section ${SIDE}×${SIDE} px PNG (${b.width * b.height} px), ${N} sections stored before tags were read; wall-clock medians\n`);
  console.log('| what | median |');
  console.log('|---|---|');
  console.log(`| open the folder, every section read | ${ms(median(opens.read))} |`);
  console.log(`| open the folder, every section pending | ${ms(median(opens.pending))} |`);
  console.log(`| first show of a pending section (header read + stored answer) | ${ms(median(firstShow))} |`);
  console.log(`| later show (nothing read) | ${ms(median(laterShow))} |`);
  console.log(`| background sweep after open, all ${N} pending sections (start → last stored) | ${ms(median(sweeps))} (${ms(median(sweeps) / N)} per section) |`);
  console.log(`| longest event-loop wait during that sweep | ${ms(median(stalls))} |`);
  console.log(`| \`image\` events that sweep announced | ${announced} |`);
  console.log(`| sweep while another connection holds the write lock (start → stop) | ${ms(lockedMs)}, ${locked.leftPending} section tried, stopped: ${locked.busy} |`);
  console.log(`| longest event-loop wait during that sweep | ${ms(lockLoop.max / 1e6)} |`);
  console.log(`| header read alone (readStoredSectionTag) | ${ms(median(header))} |`);
  console.log(`| full decode of the same file, for scale | ${ms(median(decode))} |`);
  console.log(`\n${flagged} of ${N} sections tagged after their first show; ${swept} of ${N} read by each background sweep`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
