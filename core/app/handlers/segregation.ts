import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../handler-types.js';
import type { AppContext } from '../context.js';
import { segregationMethods, demoMethods, type PointsList, type CsvPreview } from '../../api/methods/segregation.js';
import { ApiError } from '../../api/errors.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { createReadingsRepo } from '../../store/repos/readings-repo.js';
import {
  layoutPoints,
  parseReadingsCsv,
  decodeCsvBytes,
  CsvFormatError,
  readingsToCsv,
  type ReadingsCsvResult,
  type CarbonUnit,
  type Delimiter,
  type ColumnMapping,
} from '../../segregation/index.js';
import type { DecimalMark } from '../../api/strict-decimal.js';
import { startDemoBillet } from '../../segregation/demo-billet.js';

const MAX_CSV_BYTES = 20 * 1024 * 1024;

/** Repos over the shared connection; statements are prepared per call, so this is cheap. */
export const segRepos = (ctx: AppContext) => ({ points: createPointsRepo(ctx.db), readings: createReadingsRepo(ctx.db) });

export function pointsList(ctx: AppContext, billetId: number): PointsList {
  const b = ctx.repos.billets.get(billetId);
  return { billetId, billetName: b.name, nominalDiameterMm: b.nominalDiameterMm, synthetic: b.synthetic, points: segRepos(ctx).points.list(billetId) };
}

function changed(ctx: AppContext, billetId: number, entity: 'points' | 'readings') {
  ctx.bus.emit({ type: 'data-changed', entity, id: billetId });
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
}

interface CsvArgs {
  billetId: number;
  upload: { uploadId: string; name: string };
  unit?: CarbonUnit;
  delimiter?: Delimiter;
  decimalMark?: DecimalMark;
  mapping?: Partial<ColumnMapping>;
  replicates?: boolean;
}

/** Reads and parses an uploaded CSV against the billet's labels; format problems become line errors. */
function parseUpload(ctx: AppContext, a: CsvArgs): ReadingsCsvResult {
  ctx.repos.billets.get(a.billetId);
  const labels = segRepos(ctx).points.labels(a.billetId);
  if (!labels.length) throw new ApiError('failed_precondition', 'This billet has no sampling points yet: lay out points before importing readings');
  const bytes = readFileSync(ctx.uploads.resolve(a.upload.uploadId));
  if (bytes.length > MAX_CSV_BYTES) throw new ApiError('invalid_argument', `${a.upload.name}: larger than ${MAX_CSV_BYTES / 1024 / 1024} MB, not a readings file`);
  try {
    return parseReadingsCsv(decodeCsvBytes(bytes), { knownLabels: labels, unit: a.unit, delimiter: a.delimiter, decimalMark: a.decimalMark, mapping: a.mapping, replicates: a.replicates });
  } catch (err) {
    if (err instanceof CsvFormatError) {
      throw new ApiError('invalid_argument', `${a.upload.name}: ${err.message}`, { details: { errors: [{ line: err.line, message: err.message.replace(/^line \d+: /, '') }] } });
    }
    throw err;
  }
}

function errorSummary(name: string, errors: { line: number; message: string }[]): string {
  const shown = errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ');
  const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
  return `${name}: nothing imported — ${errors.length} problem${errors.length === 1 ? '' : 's'}: ${shown}${more}`;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60) || 'billet';

export const segregationHandlers: Handlers<keyof typeof segregationMethods | keyof typeof demoMethods> = {
  'points.list': ({ billetId }, ctx) => pointsList(ctx, billetId),

  'points.layout': ({ billetId, pattern, count, marginMm, confirmReplace }, ctx) => {
    const b = ctx.repos.billets.get(billetId);
    let pts;
    try {
      pts = layoutPoints({ pattern, diameterMm: b.nominalDiameterMm, marginMm, count });
    } catch (err) {
      if (err instanceof RangeError) throw new ApiError('invalid_argument', err.message);
      throw err;
    }
    segRepos(ctx).points.replaceAll(billetId, pts, `layout:${pattern}`, confirmReplace);
    changed(ctx, billetId, 'points');
    return pointsList(ctx, billetId);
  },

  'points.save': ({ billetId, points, confirmDeleteReadings }, ctx) => {
    ctx.repos.billets.get(billetId);
    segRepos(ctx).points.saveSet(billetId, points, confirmDeleteReadings);
    changed(ctx, billetId, 'points');
    return pointsList(ctx, billetId);
  },

  'points.move': ({ billetId, label, xMm, yMm }, ctx) => {
    ctx.repos.billets.get(billetId);
    const p = segRepos(ctx).points.move(billetId, label, xMm, yMm);
    changed(ctx, billetId, 'points');
    return p;
  },

  'readings.set': ({ billetId, label, values, analyzer, operator }, ctx) => {
    ctx.repos.billets.get(billetId);
    const r = segRepos(ctx);
    r.readings.setValues(billetId, label, values, { analyzer, operator, measuredAt: new Date().toISOString() });
    changed(ctx, billetId, 'readings');
    return r.points.get(billetId, label);
  },

  'readings.clear': ({ billetId, label }, ctx) => {
    ctx.repos.billets.get(billetId);
    const r = segRepos(ctx);
    r.readings.clear(billetId, label);
    changed(ctx, billetId, 'readings');
    return r.points.get(billetId, label);
  },

  'readings.previewCsv': (a, ctx): CsvPreview => {
    const res = parseUpload(ctx, a);
    const withReadings = new Set(segRepos(ctx).points.list(a.billetId).filter((p) => p.n > 0).map((p) => p.label));
    const labels = [...new Set(res.rows.map((r) => r.label))];
    return {
      fileName: a.upload.name,
      delimiter: res.delimiter,
      decimalComma: res.decimalComma,
      headerLine: res.headerLine,
      headers: res.headers,
      mapping: res.mapping,
      unit: res.unit,
      rowCount: res.rows.length,
      pointCount: labels.length,
      replacesPoints: labels.filter((l) => withReadings.has(l)),
      sample: res.rows.slice(0, 12).map((r) => ({ line: r.line, label: r.label, replicateNo: r.replicateNo, value: r.value, carbonWtPct: r.carbonWtPct })),
      errors: res.errors,
      ok: res.errors.length === 0 && res.rows.length > 0,
    };
  },

  'readings.importCsv': (a, ctx) => {
    const res = parseUpload(ctx, a);
    if (res.errors.length) throw new ApiError('invalid_argument', errorSummary(a.upload.name, res.errors), { details: { errors: res.errors } });
    const out = segRepos(ctx).readings.importRows(a.billetId, res.rows, a.mode, `csv:${a.upload.name}`.slice(0, 200));
    ctx.uploads.remove(a.upload.uploadId);
    changed(ctx, a.billetId, 'readings');
    return { ...out, unit: res.unit.used, delimiter: res.delimiter, decimalComma: res.decimalComma };
  },

  'readings.exportCsv': ({ billetId, delimiter }, ctx) => {
    const b = ctx.repos.billets.get(billetId);
    const pts = segRepos(ctx).points.list(billetId);
    const rows = pts.reduce((n, p) => n + p.readings.length, 0);
    if (rows === 0) throw new ApiError('failed_precondition', `Billet "${b.name}" has no carbon readings to export`);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const fileName = `readings-${safeName(b.name)}-${stamp}.csv`;
    writeFileSync(join(ctx.paths.reports, fileName), readingsToCsv(pts, delimiter));
    return { path: `reports/${fileName}`, fileName, rows };
  },


  'billets.loadDemo': (args, ctx) => startDemoBillet(ctx, args),
};
