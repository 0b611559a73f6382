import { readFileSync } from 'node:fs';
import type { ServiceContext } from '../context.js';
import type { CsvPreview } from '../../api/methods/segregation.js';
import { ApiError } from '../../api/errors.js';
import type { DecimalMark } from '../../api/strict-decimal.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { createReadingsRepo } from '../../store/repos/readings-repo.js';
import { parseReadingsCsv, readingsCsvHeader, appendedReplicateNo, prefixKey, decodeCsvBytes, CsvFormatError, readingsToCsv, type ReadingsCsvResult, type CarbonUnit, type Delimiter, type MappingChoice } from '../../segregation/index.js';
import { safeFileName } from '../../runtime/file-name.js';
import { phrase, type Phrase } from '../../api/phrase.js';

const MAX_CSV_BYTES = 20 * 1024 * 1024;

export interface CsvArgs {
  billetId: number;
  /** The uploaded file (resolved by the caller) and the name the user chose it by. */
  file: string;
  name: string;
  unit?: CarbonUnit;
  delimiter?: Delimiter;
  decimalMark?: DecimalMark;
  mapping?: MappingChoice;
  replicates?: boolean;
  /** Appending: the file's replicates follow the stored ones, so the preview refuses a point they would take past the maximum (parseReadingsCsv's storedReplicates). */
  mode?: 'replace' | 'append';
}

/** A file-level refusal of the parser with the file's name and line, as the user's language words it. */
function fileRefusal(name: string, err: CsvFormatError): Phrase | null {
  const p = err.phrase;
  const s = (k: string) => String(p?.params[k] ?? '');
  if (p?.code === 'errors.readings.csvEmpty') return phrase('errors.readings.fileEmpty', { name });
  if (p?.code === 'errors.readings.csvNoHeader') return phrase('errors.readings.fileNoHeader', { name, line: err.line, first: s('first') });
  if (p?.code === 'errors.readings.csvNoHeaderMapped') return phrase('errors.readings.fileNoHeaderMapped', { name, line: err.line, label: s('label'), carbon: s('carbon'), first: s('first') });
  return null;
}

/** Reads and parses an uploaded CSV against the billet's labels; format problems become line errors. */
function parseFile(ctx: ServiceContext, a: CsvArgs): ReadingsCsvResult {
  const own = ctx.repos.billets.get(a.billetId);
  // (a name spelt like this billet's own, "B-12" beside "B12", is no evidence of another billet)
  const otherBillets = ctx.repos.billets.list().filter((b) => b.id !== a.billetId && prefixKey(b.name) !== prefixKey(own.name)).map((b) => b.name);
  const points = createPointsRepo(ctx.db).list(a.billetId);
  const labels = points.map((p) => p.label);
  const storedReplicates = a.mode === 'append' ? new Map(points.map((p) => [p.label, p.readings.map((r) => r.replicateNo)])) : undefined;
  if (!labels.length) throw ApiError.said('failed_precondition', phrase('errors.readings.noPoints'));
  const bytes = readFileSync(a.file);
  if (bytes.length > MAX_CSV_BYTES) throw ApiError.said('invalid_argument', phrase('errors.readings.tooLarge', { name: a.name, mb: MAX_CSV_BYTES / 1024 / 1024 }));
  try {
    return parseReadingsCsv(decodeCsvBytes(bytes, a.name, (text) => readingsCsvHeader(text, { delimiter: a.delimiter, mapping: a.mapping })), { knownLabels: labels, knownPoints: points, unit: a.unit, delimiter: a.delimiter, decimalMark: a.decimalMark, mapping: a.mapping, replicates: a.replicates, otherBillets, ownBillet: own.name, storedReplicates });
  } catch (err) {
    if (err instanceof CsvFormatError) {
      const details = { errors: [{ line: err.line, message: err.message.replace(/^line \d+: /, ''), ...(err.phrase ? { phrases: [err.phrase] } : {}) }] };
      const said = fileRefusal(a.name, err);
      throw said ? ApiError.said('invalid_argument', said, { details }) : new ApiError('invalid_argument', `${a.name}: ${err.message}`, { details });
    }
    throw err;
  }
}

function errorSummary(name: string, errors: { line: number; message: string }[]): Phrase {
  // the lines' own words stay as the parser wrote them here; the import dialog words each line from its phrases
  const shown = errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ');
  return errors.length > 5
    ? phrase('errors.readings.nothingImportedMore', { name, n: errors.length, problems: shown, more: errors.length - 5 })
    : errors.length === 1
      ? phrase('errors.readings.nothingImportedOne', { name, problems: shown })
      : phrase('errors.readings.nothingImported', { name, n: errors.length, problems: shown });
}


/** Carbon readings: typed per point, or a carbon-analyzer CSV previewed then imported all-or-nothing; export to CSV. */
export function createReadingsService(ctx: ServiceContext) {
  const changed = (billetId: number) => {
    ctx.bus.emit({ type: 'data-changed', entity: 'readings', id: billetId });
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
  };
  return {
    set({ billetId, label, values, analyzer, operator }: { billetId: number; label: string; values: number[]; analyzer?: string | null; operator?: string | null }) {
      ctx.repos.billets.get(billetId);
      const r = { points: createPointsRepo(ctx.db), readings: createReadingsRepo(ctx.db) };
      r.readings.setValues(billetId, label, values, { analyzer, operator, measuredAt: new Date().toISOString() });
      changed(billetId);
      return r.points.get(billetId, label);
    },
    clear(billetId: number, label: string) {
      ctx.repos.billets.get(billetId);
      const r = { points: createPointsRepo(ctx.db), readings: createReadingsRepo(ctx.db) };
      r.readings.clear(billetId, label);
      changed(billetId);
      return r.points.get(billetId, label);
    },
    previewCsv(a: CsvArgs): CsvPreview {
      const res = parseFile(ctx, a);
      const points = createPointsRepo(ctx.db).list(a.billetId);
      const withReadings = new Set(points.filter((p) => p.n > 0).map((p) => p.label));
      // numbered as the import stores them: appending, after the point's stored replicates (the file's own 1, 2 had
      // been shown where 3, 4 were stored)
      const stored = new Map(points.map((p) => [p.label, p.readings.map((r) => r.replicateNo)]));
      const storedNo = (label: string, no: number) => (a.mode === 'append' ? appendedReplicateNo(no, stored.get(label) ?? []) : no);
      const labels = [...new Set(res.rows.map((r) => r.label))];
      return {
        fileName: a.name,
        delimiter: res.delimiter,
        decimalComma: res.decimalComma,
        headerLine: res.headerLine,
        headers: res.headers,
        mapping: res.mapping,
        positions: res.positions,
        unit: res.unit,
        rowCount: res.rows.length,
        pointCount: labels.length,
        replacesPoints: labels.filter((l) => withReadings.has(l)),
        sample: res.rows.slice(0, 12).map((r) => ({ line: r.line, label: r.label, replicateNo: storedNo(r.label, r.replicateNo), value: r.value, carbonWtPct: r.carbonWtPct })),
        errors: res.errors,
        ok: res.errors.length === 0 && res.rows.length > 0,
      };
    },
    importCsv(a: CsvArgs & { mode: 'replace' | 'append' }) {
      const res = parseFile(ctx, a);
      if (res.errors.length) throw ApiError.said('invalid_argument', errorSummary(a.name, res.errors), { details: { errors: res.errors } });
      // The same file appended twice made every reading a second determination of itself (n = 2, sd 0) without a
      // word: when each of its readings is already stored for its point, it is refused (one row could be a true
      // replicate of the same value, so only files of two or more).
      if (a.mode === 'append' && res.rows.length >= 2) {
        const stored = new Map(createPointsRepo(ctx.db).list(a.billetId).map((p) => [p.label, new Set(p.readings.map((r) => r.carbonWtPct))]));
        if (res.rows.every((r) => stored.get(r.label)?.has(r.carbonWtPct)))
          throw ApiError.said('invalid_argument', phrase('readingsAppend.alreadyStored', { name: a.name, n: res.rows.length }));
      }
      const out = createReadingsRepo(ctx.db).importRows(a.billetId, res.rows, a.mode, `csv:${a.name}`.slice(0, 200));
      changed(a.billetId);
      return { ...out, unit: res.unit.used, delimiter: res.delimiter, decimalComma: res.decimalComma };
    },
    /**
     * The readings as CSV text with a suggested file name. Nothing is written here: the caller puts the
     * file where the user asked (the CLI's FILE, the browser's download), so an export leaves no copy
     * behind in the data folder.
     */
    exportCsv(billetId: number, delimiter: ',' | ';' = ',') {
      const b = ctx.repos.billets.get(billetId);
      const pts = createPointsRepo(ctx.db).list(billetId);
      const rows = pts.reduce((n, p) => n + p.readings.length, 0);
      if (rows === 0) throw ApiError.said('failed_precondition', phrase('errors.readings.noneToExport', { name: b.name }));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const fileName = `readings-${safeFileName(b.name, { fallback: 'billet' })}-${stamp}.csv`;
      return { csv: readingsToCsv(pts, delimiter), fileName, rows };
    },
  };
}
export type ReadingsService = ReturnType<typeof createReadingsService>;
