import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ServiceContext } from '../context.js';
import type { JobInfo } from '../../api/events.js';
import type { JobControl } from '../../jobs/index.js';
import { runWorker as runJobWorker } from '../../runtime/worker.js';
import { importSection, discardImportedSection, type ImportedSection } from '../../imaging/index.js';
import { ownedTempName } from '../../runtime/temp-leftovers.js';
import { SYNTHETIC_LABEL, DEFAULT_SYNTH_SIZE_PX, type SyntheticReading, type SyntheticVariant } from '../../synth/index.js';
import { answeringImageErrors } from '../shared/image-errors.js';
import { createBilletsRepo } from '../../store/repos/billets-repo.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createReadingsRepo } from '../../store/repos/readings-repo.js';
import { inTransaction } from '../../store/tx.js';
import type { LayoutPoint } from '../../segregation/layouts.js';
import type { DemoWorkerInput } from '../../segregation/demo-billet.worker.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/** The seed "Load demo billet" uses unless told otherwise: everyone's demo is the same billet. */
export const DEMO_SEED = 1;
/** Readings get their own analyzer-noise stream, derived from the billet seed and stored with it. */
export const demoReadingsSeed = (seed: number) => (seed ^ 0x9e3779b9) >>> 0;

export interface DemoOptions {
  seed?: number;
  variant?: SyntheticVariant;
  sizePx?: number;
}

export interface DemoResult {
  billetId: number;
  name: string;
  imageId: number;
  points: number;
  readings: number;
  seed: number;
  variant: SyntheticVariant;
  synthetic: true;
}

interface WorkerDone {
  type: 'done';
  png: Uint8Array;
  meta: {
    generator: string; seed: number; variant: SyntheticVariant; width: number; height: number; diameterMm: number;
    circle: { cx: number; cy: number; r: number }; mmPerPx: number; stats: unknown; params: unknown; analyzer: unknown;
  };
  points: LayoutPoint[];
  readings: SyntheticReading[];
}

function runWorker(input: DemoWorkerInput, ctl: JobControl): Promise<WorkerDone> {
  return runJobWorker<WorkerDone & { type: 'done' }>(new URL('../../segregation/demo-billet.worker.js', import.meta.url), {
    workerData: input,
    signal: ctl.signal,
    onMessage: (m) => {
      const p = m as { type: string; fraction?: number; message?: string | Phrase };
      if (p.type === 'progress') ctl.progress(p.fraction ?? null, p.message ?? '');
    },
    what: 'synthetic billet',
  });
}

function uniqueDemoName(db: Database, base: string): string {
  const billets = createBilletsRepo(db);
  const taken = (n: string) => billets.findByName(n) !== undefined;
  if (!taken(base)) return base;
  for (let i = 2; ; i++) if (!taken(`${base} #${i}`)) return `${base} #${i}`;
}

/** Generates a synthetic billet (in a worker), imports its section and stores billet + image + hex85 points + readings. */
export async function createDemoBillet(ctx: ServiceContext, opts: DemoOptions, ctl: JobControl): Promise<DemoResult> {
  const seed = opts.seed ?? DEMO_SEED;
  const variant = opts.variant ?? 'base';
  const sizePx = opts.sizePx ?? DEFAULT_SYNTH_SIZE_PX;
  const readingsSeed = demoReadingsSeed(seed);
  const gen = await runWorker({ seed, variant, sizePx, readingsSeed }, ctl);
  ctl.throwIfCancelled();
  const fileName = `synthetic-billet-seed${seed}-${variant}-${sizePx}px.png`;
  const tmp = join(ctx.paths.tmp, `${ownedTempName('demo-')}.png`);
  writeFileSync(tmp, gen.png);
  let imported: ImportedSection | null = null;
  try {
    imported = await answeringImageErrors(() => importSection({
      imagesDir: ctx.paths.images,
      file: tmp,
      originalName: fileName,
      nominalDiameterMm: gen.meta.diameterMm,
      signal: ctl.signal,
      onProgress: (f, m) => ctl.progress(0.4 + 0.5 * f, m),
    }));
    ctl.throwIfCancelled();
    ctl.progress(0.92, phrase('jobs.sections.demoStoring'));
    const section = imported;
    const result = inTransaction(ctx.db, () => {
      const name = uniqueDemoName(ctx.db, `Demo billet (synthetic, seed ${seed}, ${variant})`);
      const stats = gen.meta.stats as { meanWtPct?: number };
      const billet = ctx.repos.billets.create({
        name,
        steelGrade: 'synthetic',
        nominalDiameterMm: gen.meta.diameterMm,
        castingNotes: `${SYNTHETIC_LABEL}. Generator ${gen.meta.generator}, seed ${seed}, variant ${variant}, ${sizePx} px.`,
        bulkCarbonWtPct: typeof stats.meanWtPct === 'number' ? Math.round(stats.meanWtPct * 1e4) / 1e4 : null,
        synthetic: true,
        syntheticJson: JSON.stringify({
          synthetic: true,
          label: SYNTHETIC_LABEL,
          generator: gen.meta.generator,
          seed,
          variant,
          sizePx,
          readingsSeed,
          analyzer: gen.meta.analyzer,
          circlePx: gen.meta.circle,
          mmPerPx: gen.meta.mmPerPx,
          fieldStats: gen.meta.stats,
          params: gen.meta.params,
          contentHash: section.contentHash,
        }),
      });
      // The true rim of the synthetic section is its calibration (circle source 'synthetic').
      const imageId = createImagesRepo(ctx.db, ctx.paths.images).insert(billet.id, section, gen.meta.diameterMm, { circle: gen.meta.circle, source: 'synthetic' });
      createPointsRepo(ctx.db).replaceAll(billet.id, gen.points, 'layout:hex85', false);
      const r = createReadingsRepo(ctx.db).importRows(
        billet.id,
        gen.readings.map((x) => ({ label: x.label, replicateNo: 1, carbonWtPct: x.carbonWtPct, analyzer: 'synthetic analyzer (σ 0.005 wt.%)' })),
        'replace',
        'synthetic',
      );
      return { billetId: billet.id, name, imageId, points: gen.points.length, readings: r.imported, seed, variant, synthetic: true as const };
    });
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: result.billetId });
    ctx.bus.emit({ type: 'data-changed', entity: 'points', id: result.billetId });
    return result;
  } catch (err) {
    // The content-addressed folder may be shared with an earlier demo of the same seed: only a folder
    // this run created is removed.
    if (imported) {
      const stillUsed = createImagesRepo(ctx.db, ctx.paths.images).hashUseCount(imported.contentHash) > 0;
      if (!stillUsed) discardImportedSection(ctx.paths.images, imported);
    }
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function startDemoBillet(ctx: ServiceContext, opts: DemoOptions): JobInfo {
  const seed = opts.seed ?? DEMO_SEED;
  return ctx.jobs.start('demo-billet', phrase('jobs.sections.demoLabel', { seed, variant: opts.variant ?? 'base' }), (ctl) => createDemoBillet(ctx, opts, ctl));
}
