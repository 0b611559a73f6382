import { beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { cliInTempFolder, runCli } from '../../helpers/cli.js';
import { generateSyntheticBillet } from '../../../core/synth/index.js';
import { rewindSchema, taggedScan } from '../../helpers/pre-024-folder.js';
import { dataLayout } from '../../../core/config/index.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import type { ImageRecord } from '../../../core/api/methods/images.js';
import type { ApiEvent } from '../../../core/api/events.js';
import { BUSY_TIMEOUT_MS } from '../../../core/store/open-database.js';
import { log } from '../../../core/runtime/log.js';

// Task 27-D: sections imported before migration 024 had their resolution tag read only when a path opened them, so a
// lab that upgrades and only prints an old map from an old model never had their scale checked. The app now reads every
// pending section's tag once in the background after opening the folder. Fails before: nothing read them at start
// (AppContext had no sweep). No sleeps: each test awaits the sweep's own promise, or the event it announces.

const { dir, data, cli } = cliInTempFolder('ferrolab-tag-sweep-');
const dbFile = dataLayout(data).database;
const rows = (): Record<number, string> => {
  const db = new Database(dbFile, { readonly: true });
  try {
    const all = db.prepare('SELECT billet_id AS b, tag_read AS read FROM images').all() as Array<{ b: number; read: string }>;
    return Object.fromEntries(all.map((r) => [r.b, r.read]));
  } finally {
    db.close();
  }
};
const pendingAgain = () => {
  const db = new Database(dbFile);
  db.prepare("UPDATE images SET tag_px_per_inch = NULL, tag_read = 'pending'").run(); // as the upgrade left them
  db.close();
};
const open = (): { ctx: AppContext; events: ApiEvent[] } => {
  const ctx = createAppContext({ dataDir: data, shell: 'browser', backend: 'wasm' });
  const events: ApiEvent[] = [];
  ctx.bus.subscribe((e) => events.push(e));
  return { ctx, events };
};

describe('sections stored before migration 024 are read for their tag in the background after the app opens', () => {
  // 150 mm at 800 px; the scanner's tag says ≈ 135 px/inch
  const b = generateSyntheticBillet({ seed: 31, sizePx: 800, diameterMm: 150 });
  const trueDpi = 25.4 / b.mmPerPx;
  const ids = { off: 0, agrees: 0, third: 0 };
  const sources = { off: '', agrees: '', third: '' };

  beforeAll(async () => {
    for (const [key, diameter] of [['off', '600'], ['agrees', '150'], ['third', '150']] as const) {
      const file = join(dir, `${key}.png`);
      const seed = { off: 31, agrees: 32, third: 33 }[key]; // three files, three stored folders
      writeFileSync(file, await taggedScan(generateSyntheticBillet({ seed, sizePx: 800, diameterMm: 150 }), 'png', trueDpi));
      const r = await cli('billet', 'import', file, '--name', `Heat ${key}`, '--diameter', diameter, '--json');
      expect(r.code).toBe(0);
      const img = (JSON.parse(r.out) as { image: ImageRecord }).image;
      ids[key] = img.billetId;
      sources[key] = join(data, img.dziRel.replace(/tiles\.dzi$/, 'source.png'));
    }
    expect(new Set(Object.values(sources)).size).toBe(3);
    rewindSchema(dbFile, 23); // the folder as Ferrolab before migration 024 left it
    expect((await cli('billet', 'list')).code).toBe(0); // a CLI command migrates it and reads no section
    expect(rows()).toEqual({ [ids.off]: 'pending', [ids.agrees]: 'pending', [ids.third]: 'pending' });
  });

  it('a section 4× off its tag that nobody opens is flagged after start-up, from its header alone', async () => {
    // The section Ø600 typed is cut after its first pixel chunk: its header (with the tag) reads, its pixels do not
    // decode, so a path that opened them would fail and store 'unreadable'. The start neither waits nor reads.
    const whole = readFileSync(sources.off);
    const idat = whole.indexOf('IDAT');
    writeFileSync(sources.off, whole.subarray(0, idat + 64));
    await expect(sharp(sources.off).raw().toBuffer()).rejects.toThrow();
    const { ctx, events } = open();
    try {
      const sweep = ctx.sweepSectionTags();
      expect(ctx.sweepSectionTags()).toBe(sweep); // one sweep per context
      expect(await sweep).toEqual({ read: 3, unreadable: 0, leftPending: 0, busy: false, cancelled: false });
      expect(rows()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read', [ids.third]: 'read' });
      const stored = ctx.db.prepare('SELECT billet_id AS b, tag_px_per_inch AS dpi FROM images ORDER BY id').all();
      expect(stored).toEqual([ids.off, ids.agrees, ids.third].map((id) => ({ b: id, dpi: Math.round(trueDpi) })));
      // the stored answers announced once, as a change of images (Annotate reads its record again on it; 27-D sent one per section)
      expect(events).toEqual([{ type: 'data-changed', entity: 'image' }]);
      // where an import's warning shows: the record Annotate and `billet show` get, already read (nothing read now)
      const img = (await localClient(ctx)['images.forBillet']({ billetId: ids.off }))!;
      expect(img.resolutionTagRead).toBe('read');
      expect(img.scaleWarning?.code).toBe('scale.tagContradicts');
      const ratio = img.mmPerPx! / img.resolutionTag!.mmPerPx;
      expect([ratio > 3.9, ratio < 4.1]).toEqual([true, true]);
      expect((await localClient(ctx)['images.forBillet']({ billetId: ids.agrees }))!.scaleWarning).toBeNull();
    } finally {
      await ctx.close();
      writeFileSync(sources.off, whole);
    }
  });

  it('a file the system refuses this time (ELOOP) stays pending while the others are read; the next start reads it', async () => {
    pendingAgain();
    const saved = `${sources.agrees}.saved`;
    renameSync(sources.agrees, saved);
    symlinkSync(sources.agrees, sources.agrees); // a link to itself: an OS refusal of a file that is there, not a missing one
    let first: ReturnType<typeof open> | null = open();
    try {
      expect(await first.ctx.sweepSectionTags()).toEqual({ read: 2, unreadable: 0, leftPending: 1, busy: false, cancelled: false });
      expect(rows()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'pending', [ids.third]: 'read' });
      expect(first.events).toEqual([{ type: 'data-changed', entity: 'image' }]);
      await first.ctx.close();
      first = null;
      rmSync(sources.agrees);
      renameSync(saved, sources.agrees);
      const next = open();
      try {
        expect(await next.ctx.sweepSectionTags()).toEqual({ read: 1, unreadable: 0, leftPending: 0, busy: false, cancelled: false });
        expect(rows()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read', [ids.third]: 'read' });
      } finally {
        await next.ctx.close();
      }
    } finally {
      await first?.ctx.close();
      if (existsSync(saved)) {
        rmSync(sources.agrees, { force: true });
        renameSync(saved, sources.agrees);
      }
    }
  });

  it('a write lock another connection holds stops the sweep at its first section, the app\'s busy timeout kept; the next start reads them', async () => {
    // better-sqlite3 waits out busy_timeout synchronously, the event loop frozen meanwhile: 27-D tried every section,
    // freezing the app 5 s per section (the test had set the timeout to 0, hiding it). Fails before: 3 tries, 3 warnings.
    // The sweep's own store waits SWEEP_BUSY_WAIT_MS (bench/section-tag.ts measures the freeze), then puts 5 s back.
    pendingAgain();
    const { ctx, events } = open();
    const other = new Database(dbFile);
    const warn = vi.spyOn(log, 'warn');
    try {
      expect(ctx.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS); // the app's, 5000 ms
      other.exec('BEGIN IMMEDIATE');
      expect(await ctx.sweepSectionTags()).toEqual({ read: 0, unreadable: 0, leftPending: 1, busy: true, cancelled: false });
      other.exec('ROLLBACK');
      const busy = warn.mock.calls.filter(([, msg]) => msg === "a section's resolution tag could not be stored (the data folder is busy): left pending");
      expect(busy.map(([, , fields]) => (fields as { imageId: number }).imageId)).toEqual([ctx.db.prepare('SELECT min(id) FROM images').pluck().get()]);
      expect(events).toEqual([]);
      expect(Object.values(rows())).toEqual(['pending', 'pending', 'pending']);
      expect(ctx.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS); // a user's request still waits 5 s
    } finally {
      warn.mockRestore();
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await ctx.close();
    }
    const next = open();
    try {
      expect(await next.ctx.sweepSectionTags()).toEqual({ read: 3, unreadable: 0, leftPending: 0, busy: false, cancelled: false });
      expect(Object.values(rows())).toEqual(['read', 'read', 'read']);
    } finally {
      await next.ctx.close();
    }
  });

  it('announces stored answers once per batch, as a change of images: each after its batch is stored', async () => {
    pendingAgain();
    const { ctx, events } = open();
    const seen: string[][] = [];
    ctx.bus.subscribe(() => seen.push(Object.values(rows()).sort()));
    try {
      expect(await ctx.sweepSectionTags(2)).toEqual({ read: 3, unreadable: 0, leftPending: 0, busy: false, cancelled: false });
      expect(events).toEqual([{ type: 'data-changed', entity: 'image' }, { type: 'data-changed', entity: 'image' }]);
      expect(seen).toEqual([['pending', 'read', 'read'], ['read', 'read', 'read']]);
    } finally {
      await ctx.close();
    }
  });

  it('`ferrolab serve` reads them once its server is up (in-process, as the CLI runs it)', async () => {
    // 27-D's tests called AppContext.sweepSectionTags() themselves: nothing checked that serve starts it. Fails before
    // (serve without its sweepSectionTags call): the rows stay pending while it serves.
    pendingAgain();
    const before = new Set(process.listeners('SIGTERM'));
    const serving = runCli(data, 'serve', '--no-open', '--port', '0');
    try {
      await expect.poll(rows, { timeout: 30_000 }).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read', [ids.third]: 'read' });
    } finally {
      // serve stops on SIGTERM: its own listener, called here (emitting the signal would reach the test runner's too)
      await expect.poll(() => process.listeners('SIGTERM').filter((l) => !before.has(l)).length, { timeout: 30_000 }).toBe(1);
      const stop = process.listeners('SIGTERM').find((l) => !before.has(l))!;
      (stop as () => void)();
    }
    const r = await serving;
    expect([r.rc, r.out]).toEqual([0, expect.stringMatching(/^Ferrolab is serving on http:\/\/127\.0\.0\.1:\d+\//)]);
  });

  it('a missing file is stored unreadable, as at a first open', async () => {
    pendingAgain();
    const saved = `${sources.third}.saved`;
    renameSync(sources.third, saved);
    const { ctx } = open();
    try {
      expect(await ctx.sweepSectionTags()).toEqual({ read: 2, unreadable: 1, leftPending: 0, busy: false, cancelled: false });
      expect(rows()).toEqual({ [ids.off]: 'read', [ids.agrees]: 'read', [ids.third]: 'unreadable' });
    } finally {
      await ctx.close();
      renameSync(saved, sources.third);
    }
  });

  it('closing cancels it between sections: what it stored stays, the rest stays pending for the next start', async () => {
    pendingAgain();
    const { ctx, events } = open();
    let closing: Promise<void> | null = null;
    ctx.bus.subscribe(() => {
      closing ??= ctx.close(); // closed as the first answer is announced (one announcement per section here)
    });
    const sweep = ctx.sweepSectionTags(1);
    expect(await sweep).toEqual({ read: 1, unreadable: 0, leftPending: 0, busy: false, cancelled: true });
    await closing;
    expect(events).toHaveLength(1);
    expect(Object.values(rows()).sort()).toEqual(['pending', 'pending', 'read']);
    // closed before it began: nothing read
    pendingAgain();
    const early = open();
    const never = early.ctx.sweepSectionTags();
    await early.ctx.close();
    expect(await never).toEqual({ read: 0, unreadable: 0, leftPending: 0, busy: false, cancelled: true });
    expect(Object.values(rows())).toEqual(['pending', 'pending', 'pending']);
  });
});
