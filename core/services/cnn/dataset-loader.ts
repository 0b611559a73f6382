import { ApiError } from '../../api/errors.js';
import { DEFAULT_CLAHE, type PatchSettings } from '../../imaging/index.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { fingerprintOf, type CnnDataset, type DatasetBillet, type DatasetOptions, type DatasetPoint } from '../../segregation/cnn/dataset.js';
import type { CnnContext } from './cnn-context.js';
import type { PatchScale } from '../../segregation/cnn/scale.js';
import { phrase } from '../../api/phrase.js';
import { sameReadings } from '../../segregation/cnn/same-section.js';

/** The CNN's datasets from the store: sampling points + readings + the sections service's patches. */

/** Reads one billet's section (decoded once), cuts a patch around every point, applies CLAHE and rates quality. */
export async function loadBilletPoints(ctx: CnnContext, billetId: number, opts: DatasetOptions): Promise<{ billet: DatasetBillet; points: DatasetPoint[]; patchScale: PatchScale | null }> {
  const name = ctx.sections.billetName(billetId);
  const all = createPointsRepo(ctx.db).list(billetId);
  const pts = opts.requireReadings ? all.filter((p) => p.meanWtPct !== null) : all;
  if (!pts.length) {
    throw ApiError.said('failed_precondition', opts.requireReadings ? phrase('errors.cnn.noReadings', { name }) : phrase('errors.cnn.noPoints', { name }), { field: 'billetIds' });
  }
  opts.onProgress?.(0, phrase('jobs.cnn.decoding', { name }));
  const s = await ctx.sections.openForModel(billetId, { inputSize: opts.inputSize, scale: opts.scale ?? null }, opts.clahe);
  opts.signal?.throwIfAborted();
  const cut = await ctx.sections.patchesAt(s, pts, opts.signal, (d, t) => opts.onProgress?.(d / t, phrase('jobs.cnn.patchesOf', { name, done: d, total: t })));
  const points = pts.map((p, i): DatasetPoint => ({ billetId, pointId: p.id, label: p.label, xMm: p.xMm, yMm: p.yMm, carbon: p.meanWtPct, ...cut[i] }));
  return { billet: s.billet, points, patchScale: s.patchScale };
}

export async function buildDataset(ctx: CnnContext, billetIds: readonly number[], opts: DatasetOptions): Promise<CnnDataset> {
  if (!billetIds.length) throw ApiError.said('invalid_argument', phrase('errors.cnn.noBillet'), { field: 'billetIds' });
  if (new Set(billetIds).size !== billetIds.length) throw ApiError.said('invalid_argument', phrase('errors.cnn.billetTwice'), { field: 'billetIds' });
  const billets: DatasetBillet[] = [];
  const points: DatasetPoint[] = [];
  for (let i = 0; i < billetIds.length; i++) {
    const r = await loadBilletPoints(ctx, billetIds[i], {
      ...opts,
      onProgress: (f, m) => opts.onProgress?.((i + f) / billetIds.length, m),
    });
    billets.push(r.billet);
    points.push(...r.points);
  }
  refuseOneBilletTwice(billets, points);
  const clahe = opts.clahe === undefined ? DEFAULT_CLAHE : opts.clahe;
  // What the dataset's patches are: `sizeMm` of steel for a model with a scale, else native pixels.
  const patchSettings: PatchSettings = { sizeMm: opts.scale?.patchMm ?? null, nativeSizePx: opts.inputSize, outputSizePx: opts.inputSize };
  return { size: opts.inputSize, clahe, patchSettings, billets, points, fingerprint: fingerprintOf(billets, points, clahe, opts.inputSize) };
}

/**
 * Two billets that are one section — the same image imported twice (same content hash), or the same readings at most
 * points (the section scanned again at another resolution, its readings imported again; same-section.ts) — put copies
 * of a point on both sides of every split: a "held-out" point had its twin in training (60 of 68 residuals on a copy;
 * held-out MAE and the interval about half the true ones) without a word. Refused, naming both billets, as one billet
 * listed twice is.
 */
function refuseOneBilletTwice(billets: readonly DatasetBillet[], points: readonly DatasetPoint[]): void {
  const readings = new Map<number, Map<string, number>>();
  for (const p of points) if (p.carbon !== null) (readings.get(p.billetId) ?? readings.set(p.billetId, new Map()).get(p.billetId)!).set(p.label, p.carbon);
  for (let i = 0; i < billets.length; i++) {
    for (let j = i + 1; j < billets.length; j++) {
      const [a, b] = [billets[i], billets[j]];
      if (a.imageHash !== null && a.imageHash === b.imageHash)
        throw ApiError.said('invalid_argument', phrase('errors.cnn.sameImageTwice', { a: a.name, b: b.name }), { field: 'billetIds' });
      const r = sameReadings(readings.get(a.id) ?? new Map(), readings.get(b.id) ?? new Map());
      if (r.oneSection)
        throw ApiError.said('invalid_argument', phrase('errors.cnn.sameReadingsTwice', { a: a.name, b: b.name, same: r.same, of: r.of }), { field: 'billetIds' });
    }
  }
}
